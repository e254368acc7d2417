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
from .labels import SUBJECT_END, catalogue_match, plausible, strip_connective
from .names import _OUTCOME_TAIL, function_class, squash
from .rows import pct, provenance, wan

# "（类）", or with the code printed inside: "公共安全支出（204类）司法（06款）行政运行（01项）"
_LEVEL_MARK = re.compile(r"[（(](?:\d{2,3})?(类|款|项)[）)]")
_LEVEL_ORDER = {"类": 0, "款": 1, "项": 2}


def _split_kuan_prefix(name: str, year: int | None) -> list[tuple[str, str]] | None:
    """``人大事务行政运行（项）``: a 项 printed after its 款 without the （款） marker -> [(款, 款), (项, 项)], when
    both halves are the classification's exact names (the 项 under that 款) and the whole is no name.

    >>> _split_kuan_prefix("人大事务行政运行", 2017)      # pages/403, 江苏省人大常委会办公厅 2017, section 五
    [('人大事务', '款'), ('行政运行', '项')]
    >>> _split_kuan_prefix("行政运行", 2017) is None
    True
    """
    name = re.sub(r"^\s*\d{1,2}\s*[.．、]\s*", "", name)
    if len(name) < 4 or resolve(name, year, "项", None) is not None:
        return None
    for k in range(2, len(name) - 1):
        kuan = resolve(name[:k], year, "款", None)
        if kuan is None or getattr(kuan, "how", "exact") != "exact":
            continue
        xiang = resolve(name[k:], year, "项", kuan.code)
        if xiang is not None and getattr(xiang, "how", "exact") == "exact":
            return [(name[:k], "款"), (name[k:], "项")]
    return None


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


def _row(ctx: Context, m: Mention, fund: str | None, level: str | None, printed: str, subject: str, code, parent_subject,
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
    # "区本级支出决算说明" (a government's 总决算 重要事项说明, 闽财预〔2019〕4号 template): its numbered 款 lists
    return ctx.under("财政拨款支出", "支出决算情况", "支出决算具体情况", "支出决算总体情况", "支出决算说明", "政府性基金",
                     "一般公共预算") and not ctx.under("基本支出决算", "三公", "机关运行")


# "(二)205-教育支出1234万元", "1、20501-教育管理事务321万元": the code printed before the name
_CODE_PREFIX = re.compile(r"^(?P<code>\d{3}(?:\d{2}){0,2})\s*[-－—–.．、]?\s*(?=[\u4e00-\u9fff])")
# "教育支出类科目5,806,105.16元": a 类 named as the classification's heading
_HEADING_SUFFIX = re.compile(r"(?:类科目|类|科目)$")
# sections whose figures are not spending by function even where a 类 name appears
_OTHER_TOPICS = {"三公经费", "机关运行经费", "政府采购", "政府购买服务", "资产", "民生支出", "绩效", "基本支出"}
def _looks_like_subject(label: str) -> bool:
    """A name that can be a 款/项 of its 类: a noun phrase ending like one, and no headline item."""
    from .names import economic_class, government_item, summary_items, three_public_item

    return (bool(SUBJECT_END.search(label)) and plausible(label) and not summary_items(label)
            and not government_item(label) and not three_public_item(label) and not economic_class(label))


def _fund(ctx: Context, m: Mention, in_section: bool) -> str | None:
    if in_section:
        return ctx.fund
    if ctx.explicit_fund:
        return ctx.explicit_fund
    if m.share_of and ("财政拨款" in m.share_of or "一般公共预算" in m.share_of) or ctx.government:
        return "一般公共预算"  # a government's own 类 figures are of its general budget
    return None  # "按支出功能分类科目:…" of a unit's whole budget: all funds together


def from_mention(m: Mention, ctx: Context, state: FunctionState) -> list[dict]:
    if m.amount is None or m.amount.kind != "amount":
        return []
    state.enter(ctx)
    label = m.label
    chain = parse_chain(label) if _LEVEL_MARK.search(label) else []
    if not chain and m.budget is not None and state.chain and state.chain_section == ctx.path:
        chain = state.chain  # "…（项）。主要用于…。年初预算为…，支出决算为…": the chain named earlier
    if len(chain) == 1 and chain[0][1] == "项":
        chain = _split_kuan_prefix(chain[0][0], state.year) or chain
    if chain:
        fund = ctx.fund
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
    if ctx.topic in _OTHER_TOPICS:
        return []
    label = strip_connective(squash(label))
    printed_code = None
    mc = _CODE_PREFIX.match(label)
    if mc:
        printed_code, label = mc.group("code"), label[mc.end():]
    if not label or len(label) < 2:
        return []
    in_section = _in_function_section(ctx) or ctx.cue == "function"
    cls = function_class(label) or function_class(_HEADING_SUFFIX.sub("", label))
    if cls is None and printed_code is None and ctx.government:
        # a government's "社会保障和就业支出累计完成101568万元,增长26.1%": the 类 and the verb of its outcome
        bare = _OUTCOME_TAIL.sub("", label)
        cls = function_class(bare)
        label = bare if cls else label
    if cls is None and printed_code is None and not re.search(r"(?:支出|事务|费)$", label) and (
            ctx.cue == "function" or "功能分类" in ctx.text[m.sentence[0]:m.label_start]):
        # "按支出功能分类科目:…,医疗卫生56.18万元,住房保障支出42.13万元": a 类 named without its 支出 in a list
        # the paragraph announces as the functional classification
        cls = function_class(label + "支出")
    if cls is None and (printed_code is None or len(printed_code) == 3) and re.search(r"(?:支出|事务)$", label):
        match = catalogue_match(label, state.year, "类")  # "医疗卫生和计划生育支出", "城乡社区事务"
        cls = match.name if match else None
    if cls and (printed_code is None or len(printed_code) == 3):
        match = resolve(cls, state.year, "类", None)
        code = match.code if match else printed_code
        row = _row(ctx, m, _fund(ctx, m, in_section), "类", label, match.name if match else cls, code, None, None)
        state.current_class = row
        return [row]
    if printed_code is not None:
        # the code says the level and the parent: 20501 is a 款 of 205
        level = {5: "款", 7: "项"}.get(len(printed_code))
        if level is None or not plausible(label):
            return []
        match = resolve(label, state.year, level, printed_code[:-2])
        parent = state.current_class if state.current_class and state.current_class["code"] == printed_code[:3] \
            else None
        return [_row(ctx, m, _fund(ctx, m, in_section), level, label, match.name if match else label, printed_code,
                     parent["subject"] if parent and level == "款" else None, printed_code[:-2])]
    parent = state.current_class
    if parent is not None and in_section and _sibling_entry(ctx, m, parent):
        parent = None  # "——农林水支出1094万元…\n——住房改革支出226万元…": the next entry of a list, not a 款 below it
    if parent is not None and in_section:
        match = catalogue_match(label, state.year, "款", parent["code"])
        if match is None:
            own = catalogue_match(label, state.year)
            if own is not None and own.level in ("款", "项") and own.parent_code and parent["code"] \
                    and not str(own.parent_code).startswith(str(parent["code"])):
                # "住房改革支出" after "农林水支出": a 款 the catalogue files under another 类 (221), not this one's
                pm = resolve_code(own.parent_code, state.year)
                return [_row(ctx, m, parent["fund"], own.level, label, own.name, own.code, pm.name if pm else None,
                             own.parent_code)]
        if match is None and not _looks_like_subject(label):
            return []  # "增支", "具体包括一级指标": not a 款 of the 类 above
        return [_row(ctx, m, parent["fund"], "款", label, match.name if match else label,
                     match.code if match else None, parent["subject"], parent["code"])]
    split = _SPLIT_MARK.match(ctx.text, m.amount.end) is not None
    if ctx.cue == "function" or in_section or split:
        # "(一)…按支出功能分类科目划分。机关事业单位基本养老保险缴费支出150384元": a listed subject of any level;
        # "住房公积金76,209.31元,全部是基本支出": only a functional subject is split into 基本/项目支出
        match = catalogue_match(label, state.year)
        if match is not None:
            parent_subject = None
            if match.parent_code:
                pm = resolve_code(match.parent_code, state.year)
                parent_subject = pm.name if pm else None
            return [_row(ctx, m, _fund(ctx, m, True), match.level, label, match.name, match.code, parent_subject,
                         match.parent_code)]
        if (ctx.cue == "function" or split) and _looks_like_subject(label):
            # a subject the catalogue does not know: its level is not printed either
            return [_row(ctx, m, _fund(ctx, m, True), None, label, label, None, None, None)]
    return []


# a list's bullet opening a line ("——一般公共服务支出1650万元,增长40.78%;")
_BULLET = re.compile(r"[—―–－]+|[•·●▪◆◇■□]")


def _line_bullet(text: str, pos: int) -> str | None:
    """The bullet that opens the line of ``pos``, if one does."""
    line = text.rfind("\n", 0, pos) + 1
    b = _BULLET.match(text, line + len(text[line:pos + 1]) - len(text[line:pos + 1].lstrip(" \t\u3000")))
    return b.group(0) if b else None


def _sibling_entry(ctx: Context, m: Mention, parent: dict) -> bool:
    """The mention opens a line with the bullet that opened the 类's line: one entry of a list of 类, the 类
    above it its sibling, not its parent."""
    mine = _line_bullet(ctx.text, m.label_start)
    pstart = parent.get("char_start")
    return mine is not None and pstart is not None and _line_bullet(ctx.text, int(pstart)) == mine


_SPLIT_MARK = re.compile(r"[，,]?\s*(?:其中[:：，,]?\s*基本支出|全部(?:是|为|属于)(?:基本|项目)支出)")


def resolve_code(code: str, year: int | None):
    """The catalogue's entry for a code (its name in ``year``), or None."""
    from ..classification import code_name, lookup

    try:
        name = code_name(code, "function")     # an index built once (a catalogue frame per call cost ~1 ms)
        return lookup(name, year, "function") if name is not None else None
    except Exception:  # noqa: BLE001 - a catalogue bug must not lose the figure
        return None


def note_chain(label: str, ctx: Context, state: FunctionState):
    """Remember a chain named in a sentence without figures (the 项 heading of a Putuo-style statement)."""
    chain = parse_chain(label)
    if chain:
        state.chain = chain
        state.chain_section = ctx.path
