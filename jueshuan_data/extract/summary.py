"""summary: the headline figures (收支总计, 收入合计, 支出合计, 财政拨款收入, 基本支出, 项目支出, 结转结余 …)."""

from __future__ import annotations

import re

from .context import Context
from .grammar import Mention
from .names import fund_of, fund_part, generic_headline, squash, summary_items
from .rows import pct, provenance, wan


_FUND_SCOPED = {"年初结转和结余", "年末结转和结余", "年初结转结余", "年末结转结余", "上年结转和结余"}


def _items(m: Mention, previous: Mention | None) -> tuple[str, ...]:
    items = summary_items(m.label)
    if not items and m.outer is not None:
        outer = summary_items(m.outer.label)
        part = fund_part(m.label, outer[0]) if len(outer) == 1 else None
        items = (part,) if part else ()
    # "财政拨款收入总计500.12万元,支出总计500.12万元": the second total shares the first one's prefix
    if items == ("支出总计",) and previous is not None and summary_items(previous.label) == ("财政拨款收入总计",):
        items = ("财政拨款支出总计",)
    return items


def from_mention(m: Mention, ctx: Context, previous: Mention | None = None, *, fallback: bool = False) -> list[dict]:
    """Rows for a headline mention; ``fallback`` also keeps a headline-looking label under its printed name."""
    items = _items(m, previous)
    if not items and fallback:
        generic = generic_headline(m.label)
        items = (generic,) if generic else ()
    if not items:
        return []
    rows = []
    for k, item in enumerate(items):
        if k == 1 and len(items) == 2 and m.pair.get("amount") is not None:
            # "收、支总计各是4125.49,4143.91万元": the second item takes the second figure of the pair
            second = Mention(m.label, m.label_start, m.pair["amount"], m.sentence, m.clause,
                             change=m.pair.get("change"), change_pct=m.pair.get("change_pct"), lead=m.lead)
            rows.extend(_row(item, second, ctx) for _ in [0] if second.amount.kind == "amount")
            continue
        if item == "预算执行率":
            rate = m.share or m.execution or (m.amount if m.amount is not None and m.amount.kind == "percent" else None)
            # "预算执行率为93.98%" states the rate; "预算执行率10%、产出指标50%" lists scoring weights
            if rate is None or not re.search(r"(为|达到|是|达)\s*$", m.lead):
                continue
            row = {"item": item, "printed_name": squash(m.label), "rate_pct": rate.value, **provenance(ctx, m, rate)}
            rows.append(row)
            continue
        if m.amount is None or m.amount.kind != "amount":
            continue
        rows.append(_row(item, m, ctx))
    return rows


def _row(item: str, m: Mention, ctx: Context) -> dict:
    return {
            "item": item,
        "printed_name": squash(m.label),
        # "年初结转和结余0元" in the 政府性基金 section is that fund's carry-over
        "fund": fund_of(item) or (ctx.explicit_fund if item in _FUND_SCOPED else None),
        "amount_wan": wan(m.amount),
        "share_pct": pct(m.share),
        "share_of": m.share_of,
        "prior_year_wan": wan(m.prior),
        "change_wan": 0.0 if m.flat and m.change is None else wan(m.change),
        "change_pct": pct(m.change_pct),
        "budget_wan": wan(m.budget),
        "execution_pct": pct(m.execution),
        **provenance(ctx, m),
    }
