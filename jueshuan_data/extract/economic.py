"""basic_expenditure_by_economic: 基本支出 by economic class, from narrative sentences.

``（1）工资福利支出6057.93万元，包括基本工资…`` -> item 工资福利支出, code 301 (from the catalogue).
"""

from __future__ import annotations

import re

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


def _name(label: str, budget: bool) -> str | None:
    s = squash(label)
    if budget:  # "工资福利支出预算857,890.16元": in a 预算 the figure is the budget
        s = re.sub(r"预算数?$", "", s)
    # "工资福利支出(人员支出)3265013元": the class and, in brackets, the half of 基本支出 it falls in
    s = _BRACKETED_HALF.sub("", s)
    # "对个人和家庭的补助支21.89万元": the closing 支出 cut short in print
    return economic_class(s) or (economic_class(s + "出") if s.endswith("支") else None)


_BRACKETED_HALF = re.compile(r"（(?:人员|公用)(?:支出|经费)）$")


# "1、工资福利支出（类）2,097.51万元", "（1）基本工资（款）支出737.94万元": the level printed after the name
_LEVEL_MARKED = re.compile(r"^(?P<name>[^（）]+?(?:（[^（）]{1,3}）[^（）]*?)?)（(?P<level>类|款)）(?:支出)?$")


class EconState:
    """Per-section memory: the economic 类 named last with its level mark (the parent of the 款 after it)."""

    def __init__(self):
        self.section: str | None = None
        self.class_code: str | None = None


def _marked(label: str, year: int | None, in_basic: bool, parent_code: str | None = None):
    """(name, catalogue match) of an economic 类/款 named with its level mark, in a 基本支出 section.

    A functional chain ends in （项） or names a functional 类; an economic one is a single name and mark,
    and only a section about 基本支出 (by economic classification) speaks of those."""
    m = _LEVEL_MARKED.match(squash(label))
    if m is None or not in_basic:
        return None
    name, level = re.sub(r"^(?:\d+[、.．]|[（(]\d+[）)])+", "", m.group("name")), m.group("level")
    if level == "类":
        cls = economic_class(name) or economic_class(name + "支出")
        return (cls, _code(cls, year), "类") if cls else None
    # "2、对个人和家庭的补助支出（类）… （3）医疗费（款）": 医疗费 of 303 (30307 before 2018), not 30114 of 301
    match = (_code_under(name, year, parent_code) if parent_code else None) or _code(name, year)
    if match is not None and (match.level != "款" or (parent_code and match.parent_code != parent_code)):
        match = None if match.level == "款" else match
        if match is not None:
            return None
    return name, match, "款"


def _code_under(name: str, year: int | None, parent_code: str):
    from ..classification import resolve_economic

    try:
        return resolve_economic(name, year, "款", parent_code)
    except Exception:  # a catalogue bug must not lose the figure
        return None


def _in_basic(ctx: Context) -> bool:
    return ctx.topic == "基本支出" or ctx.under("基本支出")


# the head of a title, before its first figure or comma: "项目支出0元,同比减少47600元,下降100%" -> 项目支出
_TITLE_HEAD = re.compile(r"[，,]|\d[\d,.]*(?:万元|亿元|元|%)")
_PROJECT_TITLE = re.compile(r"^(?:一般公共预算)?(?:财政拨款)?项目支出(?:预算)?(?:情况)?(?:说明)?$")


def _in_project(ctx: Context) -> bool:
    """The sentence stands under a section on 项目支出 (``2.项目支出 0元,同比减少47600元,下降100%。其中:``):
    the economic classes it lists are the project spending's, not 基本支出's."""
    return bool(ctx.titles) and bool(_PROJECT_TITLE.match(_TITLE_HEAD.split(squash(ctx.titles[-1]))[0]))


def marked_in_basic(m: Mention, ctx: Context, year: int | None) -> bool:
    """The mention names an economic 类/款 with its level mark inside a 基本支出 section."""
    return _marked(m.label, year, _in_basic(ctx)) is not None


def from_mention(m: Mention, ctx: Context, year: int | None, state: EconState | None = None) -> list[dict]:
    if m.amount is None or m.amount.kind != "amount":
        return []
    section = (ctx.path or "").split("/（")[0]
    if state is not None and state.section != section:
        state.section, state.class_code = section, None
    marked = _marked(m.label, year, _in_basic(ctx), state.class_code if state is not None else None)
    if marked is not None:
        name, match, level = marked
        if state is not None and level == "类":
            state.class_code = match.code if match else None
        row = _row(m, ctx, name, match, level)
        if level == "款" and state is not None and state.class_code:
            row["parent_code"] = state.class_code
        return [row]
    name = _name(m.label, ctx.budget)
    if not name:
        return []
    if m.share_of and "项目" in m.share_of or _in_project(ctx):
        return []  # "工资福利支出12000元,占项目支出预算2.56%": the classes of 项目支出, not of 基本支出
    return [_row(m, ctx, name, _code(name, year))]


def _row(m: Mention, ctx: Context, name: str, match, level: str | None = None) -> dict:
    return {
        "item": match.name if match else name,
        "printed_name": squash(m.label),
        # 人员经费 / 公用经费 are the two halves of 基本支出, not classes of the classification
        "level": match.level if match else level,
        "code": match.code if match else None,
        "parent_code": None,
        "amount_wan": wan(m.amount),
        "share_pct": pct(m.share),
        "share_of": m.share_of if m.share is not None else None,
        "change_wan": wan(m.change),
        "change_pct": pct(m.change_pct),
        **provenance(ctx, m),
    }
