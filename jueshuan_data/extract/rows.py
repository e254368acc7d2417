"""Building rows: provenance columns from a figure and its sentence, values from the Amount."""

from __future__ import annotations

from ..numbers import Amount
from .context import Context
from .grammar import Mention


def evidence(ctx: Context, m: Mention) -> str:
    """The clause(s) a mention was read from, verbatim: from its label to the end of its last figure's clause."""
    lo = min(m.label_start, m.clause[0])
    ends = [a.end for a in figures(m)]
    hi = max([m.clause[1], *ends])
    return ctx.text[lo:hi].strip()


def provenance(ctx: Context, m: Mention, figure: Amount | None = None) -> dict:
    a = figure or m.amount or m.budget or m.share
    return {
        "section": ctx.path,
        "evidence": evidence(ctx, m),
        "char_start": a.start,
        "char_end": a.end,
        "amount_text": a.text,
        "source_kind": "narrative",
    }


def wan(a: Amount | None) -> float | None:
    return None if a is None else a.wan


def pct(a: Amount | None) -> float | None:
    # "比上年的18.92%下降3.24个百分点": points are the change of a rate or a share, never a percent of an amount
    return None if a is None or a.kind != "percent" or a.unit == "个百分点" else a.value


def figures(m: Mention) -> list[Amount]:
    return [a for a in (m.amount, m.share, m.prior, m.change, m.change_pct, m.budget, m.budget_change, m.execution)
            if a is not None]
