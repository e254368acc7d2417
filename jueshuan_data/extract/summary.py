"""summary: the headline figures (收支总计, 收入合计, 支出合计, 财政拨款收入, 基本支出, 项目支出, 结转结余 …)."""

from __future__ import annotations

import re

from .context import Context
from .grammar import Mention
from .names import fund_of, squash, summary_items
from .rows import pct, provenance, wan


def from_mention(m: Mention, ctx: Context) -> list[dict]:
    items = summary_items(m.label)
    if not items:
        return []
    rows = []
    for item in items:
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
        share_of = m.share_of
        row = {
            "item": item,
            "printed_name": squash(m.label),
            "fund": fund_of(item),
            "amount_wan": wan(m.amount),
            "share_pct": pct(m.share),
            "share_of": share_of,
            "prior_year_wan": wan(m.prior),
            "change_wan": 0.0 if m.flat and m.change is None else wan(m.change),
            "change_pct": pct(m.change_pct),
            **provenance(ctx, m),
        }
        rows.append(row)
    return rows
