"""other_figures: labelled figures of the other sections (机关运行经费, 政府采购, 政府购买服务, 绩效评价 …)."""

from __future__ import annotations

from .context import Context
from .grammar import Mention
from .names import GENERIC_LABELS, squash
from .rows import pct, provenance, wan


def from_mention(m: Mention, ctx: Context, topic: str) -> list[dict]:
    a = m.amount
    if a is None:
        return []
    label = squash(m.label)
    if label in GENERIC_LABELS:
        label = f"{topic}{label}" if label else topic
    return [{
        "topic": topic,
        "item": label,
        "value": a.value,
        "unit": a.unit,
        "amount_wan": wan(a),
        "share_pct": pct(m.share),
        "change_wan": wan(m.change),
        "change_pct": pct(m.change_pct),
        **provenance(ctx, m),
    }]
