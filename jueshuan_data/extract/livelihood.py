"""livelihood_spending: the items of 民生支出情况说明 (最低生活保障金, 残疾人补贴, 医疗救助 …)."""

from __future__ import annotations

import re

from .context import Context
from .grammar import Mention
from .rows import provenance, wan

_SUFFIX = re.compile(r"(?:项目)?支出$")


def from_mention(m: Mention, ctx: Context) -> list[dict]:
    if m.amount is None or m.amount.kind != "amount" or not m.label:
        return []
    item = _SUFFIX.sub("", m.label) or m.label
    return [{
        "item": item,
        "amount_wan": wan(m.amount),
        "prior_year_wan": wan(m.prior),
        "change_wan": wan(m.change),
        **provenance(ctx, m),
    }]
