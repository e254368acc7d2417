"""three_public: 三公经费 lines (因公出国（境）费, 公务接待费, 公务用车购置及运行维护费 and its parts, total).

The line is named by the label before the figure or, when that is generic (``2023年度决算数0万元``), by the
title of the numbered paragraph it stands in (``1.因公出国（境）费用。``).
"""

from __future__ import annotations

import re

from .context import Context
from .grammar import Mention
from .names import GENERIC_LABELS, squash, three_public_item
from .rows import pct, provenance, wan

_COUNT_LABEL = re.compile(r"团组|接待|保有量|车辆|用车|出国")
_COUNT_UNITS = ("人次", "批次", "辆")
_PARENT = {"公务用车购置费": "公务用车购置及运行维护费", "公务用车运行维护费": "公务用车购置及运行维护费"}


def from_mention(m: Mention, ctx: Context) -> list[dict]:
    if m.amount is None:
        return []
    label = squash(m.label)
    item = three_public_item(label)
    if item is None and (label in GENERIC_LABELS or label.endswith("决算数")):
        item = three_public_item(ctx.titles[-1] if ctx.titles else "")
    if m.amount.kind == "count":
        # trips, visits, vehicles — not the "1个行政单位" of the scope sentence
        if not label or label in GENERIC_LABELS or not (_COUNT_LABEL.search(label) or m.amount.unit in _COUNT_UNITS):
            return []
        return [{"item": label, "parent_item": item, "count": int(m.amount.value) if m.amount.value is not None else None,
                 "count_unit": m.amount.unit, **provenance(ctx, m)}]
    if m.amount.kind != "amount" or item is None:
        return []
    budget = m.budget
    return [{
        "item": item,
        "parent_item": _PARENT.get(item, None if item == "合计" else "合计"),
        "amount_wan": wan(m.amount),
        "share_pct": pct(m.share),
        "budget_wan": wan(budget),
        "prior_year_wan": wan(m.prior),
        "change_wan": wan(m.change),
        **provenance(ctx, m),
    }]
