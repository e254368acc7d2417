"""expenditure_by_function: 支出功能分类 类/款/项 per fund, from narrative sentences.

Three phrasings are read:
- a 类 breakdown: ``一般公共服务支出7830.05万元，占本年财政拨款支出31.06%`` (the name is a known 类);
- a 类 paragraph with its 款: ``4.社会保障和就业支出7894.78万元…。其中：民政管理事务支出3764.97万元…``
  (names that are not 类 inside a 类 paragraph are its 款);
- explicit chains: ``社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）…年初预算为…``.
"""

from __future__ import annotations

import re

from .context import Context
from .grammar import Mention
from .names import function_class, squash
from .rows import pct, provenance, wan

_LEVEL_MARK = re.compile(r"[（(](类|款|项)[）)]")
_LEVEL_ORDER = {"类": 0, "款": 1, "项": 2}


def resolve(name: str, year: int | None, level: str | None, parent_code: str | None):
    """The catalogue's match for a printed subject, or None (never raises: a catalogue bug keeps the figure)."""
    from ..classification import resolve_function

    try:
        return resolve_function(name, year, level=level, parent_code=parent_code)
    except Exception:  # a catalogue bug must not lose the figure
        return None


def parse_chain(label: str) -> list[tuple[str, str]]:
    """``社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）`` -> [(name, level) …].

    >>> parse_chain("“其他支出”（类）彩票公益金安排的支出（款）用于社会福利的彩票公益金支出（项）")
    [('其他支出', '类'), ('彩票公益金安排的支出', '款'), ('用于社会福利的彩票公益金支出', '项')]
    >>> parse_chain("一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）")[1]
    ('政府办公厅（室）及相关机构事务', '款')
    """
    # split at the level markers, not at any bracket: 政府办公厅（室）及相关机构事务（款） is one name
    parts = _LEVEL_MARK.split(label)
    out = []
    for name, level in zip(parts[0::2], parts[1::2]):
        name = name.strip("“”\"：:，,。 ")
        name = re.sub(r"^(?:用于|主要用于)", "", name) if level == "类" else name
        if name:
            out.append((name, level))
    return out


class FunctionState:
    """Per-section memory: the current 类 (parent of the 款 that follow) and the last chain read."""

    def __init__(self, year: int | None):
        self.year = year
        self.current_class: dict | None = None
        self.section: str | None = None
        self.chain: list[tuple[str, str]] | None = None
        self.chain_section: str | None = None

    def enter(self, ctx: Context):
        if ctx.path != self.section:
            self.section = ctx.path
            # a 类 heading ("4.社会保障和就业支出…") opens a paragraph whose 款 follow; a new section resets
            self.current_class = None


def _row(ctx: Context, m: Mention, fund: str, level: str, printed: str, subject: str, code, parent_subject,
         parent_code) -> dict:
    return {
        "fund": fund,
        "level": level,
        "code": code,
        "subject": subject,
        "printed_name": printed,
        "parent_code": parent_code,
        "parent_subject": parent_subject,
        "amount_wan": wan(m.amount),
        "share_pct": pct(m.share),
        # the base of the share as printed ("占本年支出合计的…"), else the fund's spending the section is about
        "share_of": (m.share_of or (f"{fund}财政拨款支出" if fund else None)) if m.share is not None else None,
        "prior_year_wan": wan(m.prior),
        "change_wan": wan(m.change),
        "change_pct": pct(m.change_pct),
        "budget_wan": wan(m.budget),
        "execution_pct": pct(m.execution),
        **provenance(ctx, m),
    }


def _in_function_section(ctx: Context) -> bool:
    return ctx.under("财政拨款支出", "支出决算情况", "支出决算具体情况", "支出决算总体情况", "政府性基金",
                     "一般公共预算") and not ctx.under("基本支出决算", "三公", "机关运行")


def from_mention(m: Mention, ctx: Context, state: FunctionState) -> list[dict]:
    if m.amount is None or m.amount.kind != "amount":
        return []
    state.enter(ctx)
    fund = ctx.fund
    label = m.label
    chain = parse_chain(label) if re.search(r"[（(](类|款|项)[）)]", label) else []
    if not chain and m.budget is not None and state.chain and state.chain_section == ctx.path:
        chain = state.chain  # "…（项）。主要用于…。年初预算为…，支出决算为…": the chain named earlier
    if chain:
        codes: list[str | None] = []
        parent_code = None
        for name, level in chain:
            match = resolve(name, state.year, level, parent_code)
            parent_code = match.code if match else None
            codes.append(parent_code)
        name, level = chain[-1]
        match = resolve(name, state.year, level, codes[-2] if len(codes) > 1 else None)
        subject = match.name if match else (function_class(name) if level == "类" else None) or name
        parent_subject = chain[-2][0] if len(chain) > 1 else None
        if len(chain) > 1 and chain[-2][1] == "类":
            parent_subject = function_class(parent_subject) or parent_subject
        return [_row(ctx, m, fund, level, name, subject, match.code if match else None, parent_subject,
                     codes[-2] if len(codes) > 1 else None)]
    cls = function_class(label)
    # outside a recognised section (an excerpt without its heading) a 类 still counts when its share is
    # of the fiscal-grant spending ("一般公共服务支出7830.05万元，占本年财政拨款支出31.06%")
    if not _in_function_section(ctx) and not (cls and m.share_of and "财政拨款" in m.share_of):
        return []
    if cls:
        match = resolve(label, state.year, "类", None)
        row = _row(ctx, m, fund, "类", squash(label), match.name if match else cls, match.code if match else None,
                   None, None)
        state.current_class = row
        return [row]
    parent = state.current_class
    if parent is None or not label or len(label) < 2:
        return []
    match = resolve(label, state.year, "款", parent["code"])
    subject = match.name if match else label
    return [_row(ctx, m, fund, "款", label, subject, match.code if match else None, parent["subject"],
                 parent["code"])]


def note_chain(label: str, ctx: Context, state: FunctionState):
    """Remember a chain named in a sentence without figures (the 项 heading of a Putuo-style statement)."""
    chain = parse_chain(label)
    if chain:
        state.chain = chain
        state.chain_section = ctx.path
