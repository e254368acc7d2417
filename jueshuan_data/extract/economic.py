"""basic_expenditure_by_economic: 基本支出 by economic class, from narrative sentences.

``（1）工资福利支出6057.93万元，包括基本工资…`` -> item 工资福利支出, code 301 (from the catalogue).
"""

from __future__ import annotations

from .context import Context
from .grammar import Mention
from .names import economic_class, squash
from .rows import pct, provenance, wan


def _code(name: str, year: int | None):
    from ..classification import resolve_economic

    try:
        return resolve_economic(name, year)
    except Exception:  # a catalogue bug must not lose the figure
        return None


def from_mention(m: Mention, ctx: Context, year: int | None) -> list[dict]:
    if m.amount is None or m.amount.kind != "amount":
        return []
    name = economic_class(m.label)
    if not name:
        return []
    match = _code(name, year)
    return [{
        "item": match.name if match else name,
        "printed_name": squash(m.label),
        # 人员经费 / 公用经费 are the two halves of 基本支出, not classes of the classification
        "level": match.level if match else None,
        "code": match.code if match else None,
        "parent_code": None,
        "amount_wan": wan(m.amount),
        "share_pct": pct(m.share),
        **provenance(ctx, m),
    }]
