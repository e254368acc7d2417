"""summary: the headline figures (收支总计, 收入合计, 支出合计, 财政拨款收入, 基本支出, 项目支出, 结转结余 …)."""

from __future__ import annotations

import functools
import re

from .context import Context
from .grammar import Mention
from .labels import fold, known_suffix, plausible, strip_connective
from .names import _HEADING_PREFIX, _OUTCOME_TAIL, GOVERNMENT_ITEMS, fold_fund_names, fund_of, fund_part, generic_headline, squash, summary_items
from .rows import pct, provenance, wan


_FUND_SCOPED = {"年初结转和结余", "年末结转和结余", "年初结转结余", "年末结转结余", "上年结转和结余"}
# "经旗人民代表大会…会议批准全旗一般公共预算收入83.318亿元": an approved budget, not the outcome the
# dataset holds; "收入由83.318亿元调整为143.5576亿元": budgets before and after an adjustment
_APPROVED = re.compile(r"批准|审议通过|通过的|调整为|由$")
# a level of government or a period before the name: kept in printed_name (全旗 vs 旗本级 are two figures)
_SCOPE_WORD = re.compile(r"(?:全[市区县旗州省乡镇盟]|[市区县旗州省]级|(?:自治区|[市区县旗州省])?本级|上半年|下半年|"
                         r"改革[前后]|[一二三四五六七八九十\d]+月)$")


def _settle(m: Mention, ctx: Context) -> tuple[tuple[str, ...], str]:
    """(items, printed name) of a headline mention; the printed name is the noun phrase, its scope kept."""
    def known(t: str) -> tuple[str, ...]:
        return summary_items(t, government=ctx.government, budget=ctx.budget)

    label = strip_connective(m.label)
    items = known(label)
    if items:
        return items, _noun(label)
    hit = known_suffix(label, known)
    if hit is not None and not ctx.government and _FUND_SCOPE.search(hit[0]):
        hit = None  # a unit's "政府性基金收入预算" is that fund's grant, not its 收入合计
    if hit is None and ctx.government:
        # "安排预算稳定调节基金等": the grammar drops a leading 安排 that this name keeps
        raw = squash(re.split(r"[，,：:；;、]", m.lead)[-1])
        hit = ("", raw) if known(raw) else known_suffix(raw, known)
    if hit is None:
        return (), squash(label)
    head, name = hit
    if _COORDINATED.search(head):
        # "完成当年预算收支及医院事业收入3939.39万元": the figure of both money items together, not the 事业收入
        return (), squash(label)
    scope = _SCOPE_WORD.search(head) or _FUND_SCOPE.search(head)
    return known(name), (scope.group(0) if scope else "") + _noun(name)


# a money item, a conjunction, then the scope of the name matched: "…预算收支及医院" + 事业收入
_COORDINATED = re.compile(r"(?:收支|收入|支出|经费|资金|拨款)(?:及|和|与|以及|、)[^，,；;。及和与、]*$")
_FUND_SCOPE = re.compile(r"(?:一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?|社会保险基金(?:预算)?)$")
_FUND_IN_TEXT = re.compile(r"一般公共预算|政府性基金|国有资本经营|社会保险基金")


def _government_fund(item: str, printed: str, m: Mention, ctx: Context) -> str | None:
    """The fund of a government's headline figure: its name says it, or the scope before it
    ("全区政府性基金上年结余"), or the last fund the paragraph named ("全区国有资本经营预算收入229万元,上级补助
    收入86万元"). None where nothing says it."""
    for s in (item, printed):
        f = _FUND_IN_TEXT.match(s) or _FUND_IN_TEXT.search(s)
        if f:
            return fund_of(f.group(0))
    line_start = ctx.text.rfind("\n", 0, m.label_start) + 1
    named = _FUND_IN_TEXT.findall(ctx.text, line_start, m.label_start)
    return fund_of(named[-1]) if named else None


def _noun(label: str) -> str:
    """The printed name without what follows the subject (决算数, 完成) or opens the paragraph before it."""
    s = squash(label)
    h = _HEADING_PREFIX.sub("", s)  # "支出决算情况说明2本年支出合计"
    if h != s and summary_items(h):
        s = h
    t = _OUTCOME_TAIL.sub("", s)
    return t if len(t) >= 2 else s


# "大同师范高等专科学校2021年收入…" / "本单位2021年度支出…": a unit (named by a word for a unit, or 本单位/本部门)
# and the year, then the bare side word: the figure is the year's total of that side. A bare "收入"/"支出" after
# anything else ("项目支出", "事业收入", "社会保障和就业支出") is no match: the name must end in a unit's word.
_SELF_TOTAL = re.compile(r"^(?:本(?:单位|部门)|[\u4e00-\u9fff（）()]{2,40}?(?:学校|学院|大学|中学|小学|幼儿园|医院|"
                         r"卫生院|中心|局|办事处|人民政府|委员会|站|馆))(?:20\d\d)年度?(?:全年)?(?P<side>收入|支出)$")
# "…对比情况\n\n2017年度收入1858.06万元,与上年相比,增加193万元。…2017年度支出2092.60万元": the year and the
# bare side word alone open a line or a sentence of a unit's accounts -- the unit is the one the page is about,
# left unsaid. Inside a sentence a bare "2021年收入" may be another's (see _SELF_TOTAL).
_YEAR_SIDE = re.compile(r"^(?:20\d\d)年度?(?:全年)?(?P<side>收入|支出)$")


# "2021年度,刘堡镇卫生院支出为430.2258万元": the year, then the unit and the bare side word -- the unit's total
# where the page names that unit as the one reporting ("刘堡镇卫生院2021年度部门决算情况说明"), not a 项 that
# shares a unit's word ("乡镇卫生院")
_YEAR_UNIT_SIDE = re.compile(r"^(?:20\d\d)年度?[,，](?P<unit>[\u4e00-\u9fff（）()]{2,40}?(?:学校|学院|大学|中学|小学|"
                             r"幼儿园|医院|卫生院|中心|局|办事处|人民政府|委员会|站|馆))(?P<side>收入|支出)(?:为|是|共)?$")


def _reporting_unit_side(m: Mention, ctx: Context) -> re.Match | None:
    if m.amount is None or not m.sentence:
        return None
    u = _YEAR_UNIT_SIDE.match(squash(ctx.text[m.sentence[0]:m.amount.start]))
    if u and re.search(re.escape(u.group("unit")) + r"\s*20\d\d\s*年度?\s*(?:部门|单位)?\s*(?:决算|预算)", ctx.text):
        return u
    return None


def _opens_line(m: Mention, ctx: Context) -> bool:
    """The words before the figure open a line or follow a full stop."""
    if m.amount is None or not m.lead:
        return False
    start = m.amount.start - len(m.lead)
    if start < 0 or ctx.text[start:m.amount.start] != m.lead:
        return False
    before = ctx.text[:start].rstrip(" \t\u3000")
    if before and before[-1] in ":：":
        # "一、收入支出决算总体情况说明:2018年收入…": the sentence opens right after its section's heading
        head = squash(before[before.rfind("\n") + 1:-1])
        return _RUN_IN_HEADING.match(head) is not None
    return not before or before[-1] in "\n。"


# the numbered heading of a section whose text runs on after a colon on the same line
_RUN_IN_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^。，,；;:：]{2,30}(?:说明|情况)$")


def _own_side(m: Mention, ctx: Context) -> str | None:
    """收入/支出 when the mention is the unit's own total of that side ("本单位2021年收入…", "2018年收入…")."""
    own = _SELF_TOTAL.match(squash(m.lead)) or (_YEAR_SIDE.match(squash(m.lead)) if _opens_line(m, ctx) else None) \
        or _reporting_unit_side(m, ctx)
    return own.group("side") if own else None


# "…一般公共预算收入为355000万元,…调整为368000万元,实际收入377841万元": the outcome of the subject the
# sentence named before its budgets
_OUTCOME_ONLY = re.compile(r"^(?:全年)?(?:实际(?:完成数?|收入|支出|执行数?)?|完成数?)$")


@functools.lru_cache(maxsize=1)
def _headline_names() -> re.Pattern:
    names = {v for vs in GOVERNMENT_ITEMS.values() for v in vs} | {"收入合计", "支出合计", "收入总计", "支出总计",
                                                                  "财政拨款收入", "财政拨款支出"}
    return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))


def _sentence_subject(m: Mention, ctx: Context) -> tuple[tuple[str, ...], str]:
    before = fold_fund_names(squash(ctx.text[m.sentence[0]:m.label_start]))
    found = _headline_names().findall(before)
    if not found:
        return (), ""
    return summary_items(found[-1], government=ctx.government, budget=ctx.budget), found[-1]


_SCOPE_IN_LINE = re.compile(r"全[市区县旗州省乡镇盟]|(?:自治区|[市区县旗州省])本级|[市区县旗州省]级(?!次)")


def _scoped(printed: str, m: Mention, ctx: Context) -> str:
    """A government's item listed under a scoped total ("自治区本级收入总量…其中,地方收入28.5亿元") keeps that
    scope in its printed name: 全区 and 自治区本级 are two figures, not one stated twice."""
    if not ctx.government or not printed or _SCOPE_IN_LINE.match(printed):
        return printed
    line_start = ctx.text.rfind("\n", 0, m.label_start) + 1
    found = _SCOPE_IN_LINE.findall(ctx.text, line_start, m.label_start)
    return found[-1] + printed if found else printed


# "2018年本级的机关运行经费,当年一般公共预算拨款6.83万元,比2017年预算减少2.69万元": a spending object the
# sentence opens on, then the grant that pays for it -- that object's money by source, not the unit's grant income
_SPENDING_OBJECT = re.compile(r"机关运行经费|三公”?经费|会议费|培训费|政府采购|公务接待费|公务用车")


def _object_funded(items: tuple[str, ...], m: Mention, ctx: Context) -> bool:
    if not items or not all(i.endswith("财政拨款收入") for i in items) or not m.sentence:
        return False
    return _SPENDING_OBJECT.search(ctx.text, m.sentence[0], m.label_start) is not None


def _items(m: Mention, previous: Mention | None, ctx: Context) -> tuple[tuple[str, ...], str]:
    items, printed = _items_of(m, previous, ctx)
    if _object_funded(items, m, ctx):
        return (), ""
    return items, _scoped(printed, m, ctx) if items else printed


# a 预算's bare measure word: "(一)收入预算,2018年年初预算数120.71万元", "(一)基本支出:2018年年初预算数为98.71万元"
_BARE_BUDGET = re.compile(r"^(?:(?:19|20)\d\d年度?)?(?:年初)?预算数?$")
_LEAD_IN = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十\d]{1,3}[、.．])?"
                      r"(?P<name>[\u4e00-\u9fff]{2,12}?)[，,：:]?(?:(?:19|20)\d\d年度?)?$")


def _lead_in_subject(m: Mention, ctx: Context) -> tuple[tuple[str, ...], str]:
    """In a 预算, a bare 年初预算数 takes the subject its sentence opens on, a numbered lead-in before a comma or
    a colon ("(二)支出预算,2018年年初预算数120.71万元" is the 支出合计; "(一)基本支出:…年初预算数为98.71万元")."""
    if not ctx.budget or ctx.government or not m.sentence or not _BARE_BUDGET.match(squash(strip_connective(m.label))):
        return (), ""
    lead = _LEAD_IN.match(squash(ctx.text[m.sentence[0]:m.label_start]))
    if not lead:
        return (), ""
    items = summary_items(lead.group("name"), government=False, budget=True)
    return (items, lead.group("name")) if len(items) == 1 else ((), "")


# "本年收入合计42,828,112.97万元,比2023年…增长5.4%。其中:财政拨款17,229,526.68万元,占40.2%;事业收入…": the
# parts of the 收入合计 the line stated last -- a bare 财政拨款 among them is the 财政拨款收入
_BARE_GRANT = re.compile(r"^(?:其中)?[：:，,]?财政拨款$")
_LINE_TOTAL = re.compile(r"(?:本年度?)?(收入|支出)合计")


def _bare_grant(m: Mention, ctx: Context) -> tuple[tuple[str, ...], str] | None:
    if ctx.government or not m.sentence or not _BARE_GRANT.match(fold(squash(m.lead))) \
            or "其中" not in fold(ctx.text[m.sentence[0]:m.label_start]):
        return None
    line_start = ctx.text.rfind("\n", 0, m.label_start) + 1
    totals = _LINE_TOTAL.findall(fold(squash(ctx.text[line_start:m.sentence[0]])))
    if not totals or totals[-1] != "收入":
        return None
    return ("财政拨款收入",), "财政拨款"


def _items_of(m: Mention, previous: Mention | None, ctx: Context) -> tuple[tuple[str, ...], str]:
    if _APPROVED.search(m.lead):
        return (), ""
    if _OUTCOME_ONLY.match(squash(m.label)):
        return _sentence_subject(m, ctx)  # named by the subject the sentence printed before
    lead_in = _lead_in_subject(m, ctx)
    if lead_in[0]:
        return lead_in
    if not ctx.government:
        side = _own_side(m, ctx)
        if side:
            # "大同师范高等专科学校2021年收入6821.09751万元": the unit naming itself, its year, and a bare side
            # word — the year's whole income (spending) of the unit, i.e. its 收入合计 (支出合计)
            return (side + "合计",), side
        bare = squash(m.lead)
        if bare in ("收入", "支出") and previous is not None and previous.sentence == m.sentence \
                and _own_side(previous, ctx) == ("支出" if bare == "收入" else "收入"):
            # "2018年收入737615447元,支出743452949.21元": the other side of the unit's own total just stated
            return (bare + "合计",), bare
    if ctx.government and squash(m.label) in ("支出", "收入"):
        # "…收入合计42.5亿元,支出19.43亿元,年终结余23.07亿元": the other side of the balance just stated
        side = squash(m.label)
        other = "收入" if side == "支出" else "支出"
        if re.search(other, ctx.text[m.sentence[0]:m.label_start]):
            return (f"{side}合计",), side
        return (), ""
    items, printed = _settle(m, ctx)
    if not items:
        items, printed = _bare_grant(m, ctx) or (items, printed)
    if not items and m.outer is not None:
        outer = summary_items(m.outer.label)
        part = fund_part(m.label, outer[0]) if len(outer) == 1 else None
        items = (part,) if part else ()
    # "财政拨款收入总计500.12万元,支出总计500.12万元": the second total shares the first one's prefix
    if items == ("支出总计",) and previous is not None and summary_items(previous.label) == ("财政拨款收入总计",):
        items = ("财政拨款支出总计",)
    return items, printed


def from_mention(m: Mention, ctx: Context, previous: Mention | None = None, *, fallback: bool = False) -> list[dict]:
    """Rows for a headline mention; ``fallback`` also keeps a headline-looking label under its printed name."""
    items, printed = _items(m, previous, ctx)
    if not items and fallback and not _APPROVED.search(m.lead):
        label = strip_connective(m.label)
        generic = generic_headline(label)
        generic = generic if generic and plausible(generic) else None
        items, printed = ((generic,), squash(label)) if generic else ((), "")
    if not items:
        return []
    if m.pair.get("amount") is not None and len(items) > 2:
        items = items[:2]  # "收、支总计各是4125.49,4143.91万元": two figures, no single 收支总计
    rows = []
    for k, item in enumerate(items):
        if k == 1 and len(items) == 2 and m.pair.get("amount") is not None:
            # "收、支总计各是4125.49,4143.91万元": the second item takes the second figure of the pair
            second = Mention(m.label, m.label_start, m.pair["amount"], m.sentence, m.clause,
                             change=m.pair.get("change"), change_pct=m.pair.get("change_pct"), lead=m.lead)
            rows.extend(_row(item, second, ctx, printed) for _ in [0] if second.amount.kind == "amount")
            continue
        if item == "预算执行率":
            rate = m.share or m.execution or (m.amount if m.amount is not None and m.amount.kind == "percent" else None)
            # "预算执行率为93.98%" states the rate; "预算执行率10%、产出指标50%" lists scoring weights
            if rate is None or not re.search(r"(为|达到|是|达)\s*$", m.lead):
                continue
            row = {"item": item, "printed_name": printed, "rate_pct": rate.value, **provenance(ctx, m, rate)}
            rows.append(row)
            continue
        if m.amount is None or m.amount.kind != "amount":
            continue
        rows.append(_row(item, m, ctx, printed))
    return rows


_FUND_PREFIX = re.compile(r"^(一般公共预算|政府性基金预算?|国有资本经营预算?)")
# the base of a share that is one fund's spending (not its grant: "一般公共预算财政拨款支出" is left to the headings)
_FUND_SPENDING = re.compile(r"^(一般公共预算|政府性基金预算?|国有资本经营预算?)(?:总)?支出(?:合计|总额)?$")
# a section heading on one fund's grant spending ("一般公共预算财政拨款支出决算情况说明", "…基本支出决算情况说明")
_GRANT_HEADING = re.compile(r"(?P<fund>一般公共预算|政府性基金预算?|国有资本经营预算?)财政拨款(?:基本)?支出"
                            r"(?:决算|预算)?(?:总体|具体|结构)?情况")


def _row(item: str, m: Mention, ctx: Context, printed: str) -> dict:
    if not ctx.government and item in ("收入合计", "支出合计") and printed in ("本年收入", "本年支出") \
            and ctx.explicit_fund in ("一般公共预算", "政府性基金预算"):
        # "二、2018年度一般公共预算收入支出决算情况 … 本年支出1070.67万元": under a heading on one fund, the
        # bare 本年收入 / 本年支出 are that fund's grants, not the unit's 收入合计 / 支出合计
        item = f"{ctx.explicit_fund}财政拨款{printed[2:]}"
    fund = fund_of(item) or (ctx.explicit_fund if item in _FUND_SCOPED else None)
    if fund is None and ctx.government and (item in GOVERNMENT_ITEMS or item.rstrip("等") in GOVERNMENT_ITEMS
                                            or item in ("收入合计", "支出合计")):
        fund = _government_fund(item, printed, m, ctx)
    if fund is None and item in ("基本支出", "项目支出"):
        p = _FUND_PREFIX.search(printed)  # "本年一般公共预算基本支出": 基本支出 of that fund
        fund = fund_of(p.group(1)) if p else None
        if fund is None and not ctx.government and m.share_of:
            # "基本支出预算881300.39元,占一般公共预算支出的96.74%": a part of one fund's spending is that fund's
            f = _FUND_SPENDING.match(squash(m.share_of))
            fund = fund_of(f.group(1)) if f else None
        if fund is None and not ctx.government:
            # "四、一般公共预算财政拨款支出决算情况说明 …(二)…具体情况 1.基本支出1656.48万元,占一般公共预算财政
            # 拨款总支出的70.80%": under a heading on one fund's grant spending, the fund's 基本支出 / 项目支出
            g = next((h for t in ctx.titles for h in [_GRANT_HEADING.search(squash(t))] if h), None)
            if g:
                fund = fund_of(g.group("fund"))
                item = f"{fund}财政拨款{item}"
    return {
        "item": item,
        "printed_name": printed,
        # "年初结转和结余0元" in the 政府性基金 section is that fund's carry-over
        "fund": fund,
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
