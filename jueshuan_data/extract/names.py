"""Canonical names of the headline items and of the classification subjects the extractors route on.

The report's printed label is always kept next to the canonical name (``printed_name``).
"""

from __future__ import annotations

import functools
import re

from ..lexicon import FUND_BUDGETS

_SPACE = re.compile(r"[\s\u3000]+")


@functools.lru_cache(maxsize=8192)     # the same labels and variants, thousands of times a report
def squash(label: str) -> str:
    """Remove spaces and unify brackets and quotes, for comparing labels.

    >>> squash("本年收入 合计"), squash("因公出国(境)费")
    ('本年收入合计', '因公出国（境）费')
    """
    s = _SPACE.sub("", label or "")
    return s.replace("(", "（").replace(")", "）").replace("“", "").replace("”", "").replace('"', "")


_FUND_GRANT = re.compile(r"^(?P<fund>一般公共预算|政府性基金|国有资本经营)(?:预算)?(?:财政)?拨款(?:预算)?(?P<kind>收入|支出)$")
# "一般公共预算财政拨款373.22万元", "收入包括:一般公共预算拨款7,034,418.94元": an appropriation received
_FUND_GRANT_BARE = re.compile(r"^(?P<fund>一般公共预算|政府性基金|国有资本经营)(?:预算)?(?:财政)?拨款$")

# Printed label (squashed) -> canonical summary items. A label naming both totals at once
# ("收、支总计") yields each of them.
_SUMMARY_PATTERNS: list[tuple[re.Pattern, tuple[str, ...]]] = [
    # "收、支总计9,685.55万元": one figure, both totals (and the 收支总计 of README's vocabulary);
    # "收、支总计各是4125.49,4143.91万元": two figures
    (re.compile(r"^收、支总计(各是|分别是|分别为)$"), ("收入总计", "支出总计")),
    (re.compile(r"^收、支总计$"), ("收入总计", "支出总计", "收支总计")),
    (re.compile(r"^财政拨款收、支总计$"), ("财政拨款收入总计", "财政拨款支出总计")),
    (re.compile(r"^(本年度?)?收入支出总计$|^收支总计$"), ("收支总计",)),
    # "2024年镇财政决算收支总计8472.11万元": a town's (its own accounts') 决算 收支总计
    (re.compile(r"^(?:全?[镇乡]|本级)?财政决算收支总计$"), ("收支总计",)),
    (re.compile(r"^财政拨款收入支出总计$|^财政拨款收支总计$"), ("财政拨款收入支出总计",)),
    (re.compile(r"^(本年度?)?收入总计$"), ("收入总计",)),
    (re.compile(r"^(本年度?)?支出总计$"), ("支出总计",)),
    (re.compile(r"^财政拨款收入总计$"), ("财政拨款收入总计",)),
    (re.compile(r"^财政拨款支出总计$"), ("财政拨款支出总计",)),
    (re.compile(r"^(本年度?)?收入合计$"), ("收入合计",)),
    (re.compile(r"^(本年度?)?支出合计$"), ("支出合计",)),
    # "国有资本经营预算拨款收入", "政府性基金财政拨款预算收入", "政府性基金预算财政拨款预算支出" …
    (_FUND_GRANT, "fund-grant"),
    (_FUND_GRANT_BARE, "fund-grant-income"),
    (re.compile(r"^(财政拨款收入|上级补助收入|事业收入|经营收入|附属单位上缴收入|其他收入)$"), None),
    (re.compile(r"^(基本支出|项目支出|上缴上级支出|经营支出|对附属单位补助支出|财政拨款支出)$"), None),
    (re.compile(r"^(年初结转和结余|年末结转和结余|上年结转和结余)$"), None),
    (re.compile(r"^年初结转结余$"), ("年初结转和结余",)),
    (re.compile(r"^上年结转结余$"), ("年初结转和结余",)),
    (re.compile(r"^事业单位经营支出$"), ("经营支出",)),
    # "财政拨款资金收入5359.668673元", "事业性收入1456.594624元": the 收入决算表's lines under a longer name
    (re.compile(r"^财政拨款资金收入$"), ("财政拨款收入",)),
    # a hospital's (医院会计制度) and older editions' name of the grant: "其中:财政补助收入2339.68万元"
    (re.compile(r"^财政补助收入$"), ("财政拨款收入",)),
    (re.compile(r"^事业性收入$"), ("事业收入",)),
    (re.compile(r"^对下级单位补助支出$"), ("对附属单位补助支出",)),
    (re.compile(r"^财政拨款收、?支总预算$"), ("财政拨款收入支出总计",)),
    (re.compile(r"^收入、支出总计$"), ("收入总计", "支出总计", "收支总计")),
    # Jiangsu's 部门预算: money of the 财政专户 and a reserve held back for the year
    (re.compile(r"^财政专户管理资金(?:收入)?(?:总计)?$"), ("财政专户管理资金收入",)),
    # Jiangsu's 部门预算 names its income items …资金 and …预算总计 ("其他资金收入预算总计80万元")
    (re.compile(r"^财政拨款收入预算总计$"), ("财政拨款收入",)),
    (re.compile(r"^其他资金(?:收入)?(?:总计)?$"), ("其他收入",)),
    (re.compile(r"^上年结转资金$"), ("年初结转和结余",)),
    (re.compile(r"^结转下年资金$"), ("年末结转和结余",)),
    (re.compile(r"^财政拨款收、?支(?:总计)?$"), ("财政拨款收入支出总计",)),
    (re.compile(r"^单位预留机动经费$"), None),
    (re.compile(r"^财政拨款(?:安排的?)?(基本支出|项目支出)$"), "group"),
    (re.compile(r"^年末结转结余$"), ("年末结转和结余",)),
    # "使用非财政拨款结余(含专用结余)0.00万元", "使用非财政拨款结余和专用结余0万元"
    (re.compile(r"^(使用)?非财政拨款结余(（含专用结余）|和专用结余)?$"), ("使用非财政拨款结余（含专用结余）",)),
    # the other lines of the 收入支出决算总表 a narrative names ("此外,用事业基金弥补收支差额781.74万元")
    (re.compile(r"^(用事业基金弥补收支差额|结余分配)$"), None),
    (re.compile(r"^本年收入$"), ("收入合计",)),
    (re.compile(r"^本年支出$"), ("支出合计",)),
    (re.compile(r"^一般公共预算财政拨款(安排)?(的)?基本支出$"), ("一般公共预算财政拨款基本支出",)),
    (re.compile(r"^政府性基金(预算)?财政拨款(安排)?(的)?基本支出$"), ("政府性基金预算财政拨款基本支出",)),
    # "本年一般公共预算基本支出": the 基本支出 of a fund (the row's fund says which)
    (re.compile(r"^(?:一般公共预算|政府性基金预算|国有资本经营预算)(?:拨款)?(基本支出|项目支出)$"), "group"),
    (re.compile(r"^(全年)?预算数$"), ("预算数",)),
    (re.compile(r"^(基本支出|项目支出)预算数$"), None),
    (re.compile(r"^(部门)?预算执行率$"), ("预算执行率",)),
]

FUND_OF_ITEM = {
    "一般公共预算": "一般公共预算",
    "政府性基金": "政府性基金预算",
    "国有资本经营": "国有资本经营预算",
    "社会保险基金": "社会保险基金预算",
}


_HEADING_PREFIX = re.compile(r"^.*?(?:情况说明|决算说明|总体情况|情况)\d*(?=.{3,}$)")
# "本部门2020年度部门决算收入总计7201.51万元": the accounts named before their total
# "2017年度财政拨款收入决算总计177.28万元": the word 决算 between the side and its total
_ACCOUNTS_INFIX = re.compile(r"(?<=收入|支出)决算(?=(?:总计|合计)$)")
_ACCOUNTS_PREFIX = re.compile(r"^(?:本?(?:部门|单位))?决算(?=(?:本年度?)?(?:收入|支出)(?:总计|合计)$)")


# The grant of a fund named in an older edition: 公共财政预算 (until 2014), 一般预算
# (and "公共预算拨款" of the 2015-2016 预算 of some provinces: "其中公共预算拨款404.77万元")
_OLD_FUND = re.compile(r"(?:一般)?公共财政预算|一般预算(?!公共)|(?<!一般)公共预算(?=(?:财政)?拨款)")
# What a label says after its subject that is not part of it: "…收入决算数", "…收入完成", "…支出完"
# "…收入预计完成39.1亿元", "总收入预计为104.05亿元": a government's estimate of the year's outcome, read in
# January before the year is closed, is that year's figure as the report states it
_OUTCOME_TAIL = re.compile(r"(?:预计)?(?:决算数|决算|实际完成数?|累计完成|完成数|完成|实现|完)$|预计$")
# "一般公共预算支出数为459989万元": the figure (数) of the item -- unless the label names a budget (财政拨款预算支出数: the
# 预算 of a 决算, not its outcome); a fund's name is no such word
_FIGURE_TAIL = re.compile(r"(?<=收入|支出)数$")
_FUND_NAME_RE = re.compile("|".join(FUND_BUDGETS))
# In a budget (预算) the figures are budgets: "财政拨款收入预算", "基本支出预算", "工资福利支出预算"
_BUDGET_TAIL = re.compile(r"(?:预算数|预算)$")
_BUDGET_WORD = re.compile(r"(?<!公共)(?<!基金)(?<!经营)(?<!财政)预算(?=总计|合计|支出|收入)|(?<=收、支)总预算$|(?<=收支)总预算$")
_UNIT_FUND_FLOW = re.compile(r"^(一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?)(收入|支出)$")
# A unit's total income and spending (a government's 预算总收入 is another figure, see GOVERNMENT_ITEMS)
# (a unit's 总支出 holds this year's spending and the carry-over: "总支出125.08万元,其中本年支出116.12万元")
_UNIT_TOTALS = [
    (re.compile(r"^(?:本年度?)?预算总收入$"), ("收入合计",)),
    (re.compile(r"^(?:本年度?)?预算总支出$"), ("支出合计",)),
    (re.compile(r"^(?:本年度?)?总收入$"), ("收入总计",)),
    (re.compile(r"^(?:本年度?)?总支出$"), ("支出总计",)),
    # "部门专项项目预算74000.00元" (Sichuan's budgets): the 专项项目 are the 项目支出 (“在基本支出之外为完成…”)
    (re.compile(r"^(?:部门|单位)?专项项目(?:支出)?(?:预算数?)?$"), ("项目支出",)),
]
# … and as a 预算 names them ("本年度支出预算581.72万元")
_UNIT_BUDGET_TOTALS = [
    (re.compile(r"^(?:本年度?)?收入预算(?:总额|数)?$"), ("收入合计",)),
    (re.compile(r"^(?:本年度?)?支出预算(?:总额|数)?$"), ("支出合计",)),
    # "2017年部门经费预算7464053元" (基本支出 … 项目支出 … after it): the whole budget
    (re.compile(r"^(?:部门|单位)经费预算(?:总额|数)?$"), ("支出合计",)),
    # "2018年部门预算收入总数8105563.00元", "2016年部门预算收入总额4169万元,拟安排支出总额4169万元"
    (re.compile(r"^(?:部门|单位)?(?:预算)?收入总(?:数|额)$"), ("收入合计",)),
    (re.compile(r"^(?:部门|单位)?(?:预算)?(?:拟安排)?支出总(?:数|额)$"), ("支出合计",)),
]


def fold_fund_names(s: str) -> str:
    """``公共财政预算收入`` / ``一般预算财政拨款收入`` -> the current name ``一般公共预算…``.

    >>> fold_fund_names("旗本级一般公共财政预算收入"), fold_fund_names("一般预算财政拨款收入")
    ('旗本级一般公共预算收入', '一般公共预算财政拨款收入')
    """
    return _OLD_FUND.sub("一般公共预算", s)


def summary_items(label: str, *, government: bool = False, budget: bool = False) -> tuple[str, ...]:
    """Canonical summary items for a printed label; empty when the label is not a headline item.

    ``government``: the report is a government's accounts (一般公共预算收入, 上年结余 … are its headline
    figures, see :data:`GOVERNMENT_ITEMS`); ``budget``: the report is a 预算 (``收入预算`` is its 收入合计).

    >>> summary_items("收、支总计")
    ('收入总计', '支出总计', '收支总计')
    >>> summary_items("本年收入合计")
    ('收入合计',)
    >>> summary_items("一般公共预算财政拨款安排基本支出")
    ('一般公共预算财政拨款基本支出',)
    >>> summary_items("人大事务支出")
    ()
    >>> summary_items("财政拨款收入预算", budget=True), summary_items("一般预算财政拨款收入")
    (('财政拨款收入',), ('一般公共预算财政拨款收入',))
    >>> summary_items("公共财政预算支出", government=True), summary_items("中央补助", government=True)
    (('一般公共预算支出',), ('中央补助收入',))
    """
    return _summary_items(label, government, budget)


@functools.lru_cache(maxsize=8192)
def _summary_items(label: str, government: bool, budget: bool) -> tuple[str, ...]:
    # a pure function of the label, asked for the same labels many times per report (each mention, each rule)
    s = fold_fund_names(squash(label))
    if budget and _HEADING_PREFIX.sub("", s) == "财政拨款收入预算总计":
        return ("财政拨款收入",)  # the sum of the funds' grants: no carry-over in a 预算's 收入预算总计
    forms = [s, _HEADING_PREFIX.sub("", s)]  # "收入决算情况说明本年收入合计"
    bare_total = _ACCOUNTS_PREFIX.sub("", s)
    if bare_total != s:
        forms.append(bare_total)  # "部门决算收入总计": the accounts' 收入总计
    infix = _ACCOUNTS_INFIX.sub("", forms[-1])
    if infix != forms[-1]:
        forms.append(infix)  # "财政拨款收入决算总计": the 决算's 财政拨款收入总计
    tail = _OUTCOME_TAIL.sub("", s)
    if tail != s and len(tail) >= 2:
        forms.append(tail)
    if _FIGURE_TAIL.search(s) and "预算" not in _FUND_NAME_RE.sub("", s):
        forms.append(s[:-1])
    if not government:
        for f in forms:
            for pat, items in _UNIT_TOTALS + (_UNIT_BUDGET_TOTALS if budget else []):
                if pat.match(f):
                    return items
    if budget:  # the figures of a 预算 are budgets: "基本支出预算数" is its 基本支出, "收入预算总计" its 收入总计
        bare = [_BUDGET_WORD.sub("", _BUDGET_TAIL.sub("", f)) for f in forms]
        forms = [b for b, f in zip(bare, forms) if b != f and len(b) >= 2] + forms
    if not government:
        # a unit's "一般公共预算收入" is the grant it receives from that fund
        forms += [f"{FUND_OF_ITEM[m.group(1).replace('预算', '') or m.group(1)] if m.group(1) != '一般公共预算' else m.group(1)}"
                  f"财政拨款{m.group(2)}" for f in forms for m in [_UNIT_FUND_FLOW.match(f)] if m]
    for candidate in dict.fromkeys(forms):
        for pat, items in _SUMMARY_PATTERNS:
            m = pat.match(candidate)
            if m and items == "fund-grant":
                return (f"{FUND_OF_ITEM[m.group('fund')]}财政拨款{m.group('kind')}",)
            if m and items == "fund-grant-income":
                return (f"{FUND_OF_ITEM[m.group('fund')]}财政拨款收入",)
            if m and items == "group":
                return (m.group(1),)
            if m:
                return items if items else (candidate,)
        if government:
            item = government_item(candidate)
            if item:
                return (item,)
    return ()


# The headline figures of a government's own accounts (一般公共预算 收支平衡: revenue, transfers from
# above, balances carried over and funds moved in, on one side; spending, transfers up and down, debt
# repaid, carried forward, on the other): canonical item -> printed forms (after fold_fund_names).
GOVERNMENT_ITEMS: dict[str, tuple[str, ...]] = {
    "一般公共预算收入": ("一般公共预算收入",),
    "一般公共预算支出": ("一般公共预算支出",),
    "地方一般公共预算收入": ("地方一般公共预算收入", "地方收入", "地方财政收入"),
    "一般公共预算收入总量": ("一般公共预算收入总量", "收入总量"),
    "一般公共预算总收入": ("一般公共预算总收入",),
    "上划中央收入": ("上划中央收入",),
    "一般公共预算支出总量": ("一般公共预算支出总量", "支出总量"),
    "一般公共预算收入总计": ("一般公共预算收入总计",),
    "一般公共预算支出总计": ("一般公共预算支出总计",),
    # both spellings are current names of these figures: the printed one is kept
    "政府性基金预算收入": ("政府性基金预算收入",),
    "政府性基金收入": ("政府性基金收入",),
    "政府性基金预算支出": ("政府性基金预算支出",),
    "政府性基金支出": ("政府性基金支出",),
    "国有资本经营预算收入": ("国有资本经营预算收入",),
    "国有资本经营收入": ("国有资本经营收入",),
    "国有资本经营预算支出": ("国有资本经营预算支出",),
    "国有资本经营支出": ("国有资本经营支出",),
    "税收收入": ("税收收入",),
    "非税收入": ("非税收入",),
    "中央补助收入": ("中央补助收入", "中央补助"),
    "上级补助收入": ("上级补助收入", "上级财政转移支付收入", "上级转移支付收入", "上级转移支付"),
    "返还性收入": ("返还性收入", "税收返还收入"),
    "一般性转移支付收入": ("一般性转移支付收入",),
    "专项转移支付收入": ("专项转移支付收入",),
    "下级上解收入": ("下级上解收入",),
    "社会保险基金预算收入": ("社会保险基金预算收入", "社会保险基金收入"),
    "社会保险基金预算支出": ("社会保险基金预算支出", "社会保险基金支出"),
    "年终结余": ("年终结余",),
    "年末滚存结余": ("年末滚存结余", "滚存结余"),
    "转移性收入": ("转移性收入",),
    "转移性支出": ("转移性支出",),
    "上解上级支出": ("上解上级支出", "上解支出"),
    "补助下级支出": ("补助下级支出",),
    "上年结余": ("上年结余",),
    "上年结转结余收入": ("上年结转结余收入",),
    "待偿债置换一般债券上年结余": ("待偿债置换一般债券上年结余",),
    "国债转贷资金上年结余": ("国债转贷资金上年结余",),
    "调入资金": ("调入资金",),
    "调出资金": ("调出资金",),
    "调入预算稳定调节基金": ("调入预算稳定调节基金",),
    "动用预算稳定调节基金": ("动用预算稳定调节基金",),
    "安排预算稳定调节基金": ("安排预算稳定调节基金", "补充预算稳定调节基金"),
    "债务(转贷)收入": ("债务(转贷)收入", "债务（转贷）收入"),
    "债务转贷收入": ("债务转贷收入", "债券转贷收入"),
    "一般债务收入": ("一般债务收入",),
    "债务还本支出": ("债务还本支出",),
    "再融资一般债券还本支出": ("再融资一般债券还本支出",),
    "当年结余": ("当年结余",),
    "结转下年": ("结转下年", "结转下年支出"),
    "结转结余": ("结转结余",),
    "超收收入": ("超收收入",),
    # "全镇一般公共预算财力1,867.48万元。由一般公共预算收入…加上级补助收入…构成": a fund's means for the year
    "一般公共预算财力": ("一般公共预算财力",),
    "政府性基金财力": ("政府性基金财力", "政府性基金预算财力"),
    "国有资本经营财力": ("国有资本经营财力", "国有资本经营预算财力"),
    "预算总收入": ("预算总收入",),
    "预算总支出": ("预算总支出",),
    "总收入": ("总收入",),
    "总支出": ("总支出",),
    "收入总计": ("收入总计",),
    "支出总计": ("支出总计",),
}
_GOV_ALIAS = {squash(v): k for k, vs in GOVERNMENT_ITEMS.items() for v in vs}


def government_item(label: str) -> str | None:
    """The canonical item of a government's headline figure, or None.

    A list of items (``动用预算稳定调节基金、上年结转等``) is one figure: it keeps its printed name. A
    trailing 等 (``调入资金等``) names the same item.

    >>> government_item("债务（转贷）收入"), government_item("调入资金等"), government_item("地方收入")
    ('债务(转贷)收入', '调入资金等', '地方一般公共预算收入')
    >>> government_item("动用预算稳定调节基金、上年结转等")
    '动用预算稳定调节基金、上年结转等'
    """
    s = fold_fund_names(squash(label))
    if s in _GOV_ALIAS:
        return _GOV_ALIAS[s]
    bare = re.sub(r"（[^（）]{1,10}）", "", s)  # "下级(洪山镇)上解收入": which government is a note
    if bare != s and bare in _GOV_ALIAS:
        return _GOV_ALIAS[bare]
    if s.endswith("等") and s[:-1] in _GOV_ALIAS:
        return _GOV_ALIAS[s[:-1]] + "等"  # "调入资金等391.7亿元": more than 调入资金
    parts = s.rstrip("等").split("、")
    last = re.split(r"[和及]", parts[-1])
    if len(parts) > 1 and len(last) == 2 and all(p in _GOV_ALIAS for p in last):
        # "上级补助收入、上年结转结余、调入资金和动用预算稳定调节基金": the list's last two joined by 和 / 及
        parts = parts[:-1] + last
    # "托底保障补助、结算补助、专项转移支付补助、上年结转、动用预算稳定调节基金等": a list of the lines one figure
    # sums is that figure's name whichever of its parts the aliases know (a town's own grant names come first)
    if len(parts) > 1 and any(p in _GOV_ALIAS for p in parts) and all(p and len(p) <= 12 for p in parts):
        return s
    return None


# A headline figure of a fund that the patterns above do not name (government-level accounts print
# 一般公共预算收入, 上解上级支出, 总收入, 结转结余 …): kept under its printed name.
_GENERIC_HEADLINE = re.compile(r"^(?:[^\d，,。；;：:（）()]{2,16}(?:收入|支出)|[^\d，,。；;：:（）()]{0,12}(?:结转结余|结转和结余)"
                               r"|总收入|总支出)$")
_FUND_NAMES = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
# ("纳入预算管理的政府性基金收入完成298,304万元": 政府性基金收入 names the fund without 预算 too; 国有资本经营收入 without
# it is a line of the 一般公共预算's 非税收入)
_FUND_HEADLINE = re.compile(r"(?:一般公共预算|政府性基金(?:预算)?|国有资本经营预算)(?:收入|支出)$")


def generic_headline(label: str) -> str | None:
    """A printed label kept as a summary item when it looks like a headline total.

    >>> generic_headline("上解上级支出"), generic_headline("总收入"), generic_headline("人大事务支出")
    ('上解上级支出', '总收入', None)
    """
    s = _OUTCOME_TAIL.sub("", squash(label)) or squash(label)  # "…相关收入完成125.6亿元"
    if function_class(s) or economic_class(s) or "事务" in s or three_public_item(s):
        return None
    m = _FUND_HEADLINE.search(s)  # "深汕特别合作区一般公共预算收入" -> 一般公共预算收入
    if m:
        return m.group(0)
    return s if _GENERIC_HEADLINE.match(s) else None


def fund_part(label: str, outer_item: str) -> str | None:
    """``财政拨款收入…（其中，一般公共预算500.12万元…）`` -> 一般公共预算财政拨款收入."""
    s = squash(label)
    if s in _FUND_NAMES and outer_item.startswith("财政拨款"):
        return s + outer_item
    return None


def fund_of(item: str) -> str | None:
    for key, fund in FUND_OF_ITEM.items():
        if item.startswith(key):
            return fund
    return None


# 支出功能分类 类 names (current and former editions) and the variants reports print for them. The
# catalogue (classification.py) supersedes this list when it knows the name; this list only decides that a
# label is a functional 类 at all when no catalogue is available.
FUNCTION_CLASSES = {
    "一般公共服务支出": (), "外交支出": (), "国防支出": (), "公共安全支出": (), "教育支出": (),
    "科学技术支出": (), "文化旅游体育与传媒支出": ("文化体育与传媒支出",), "社会保障和就业支出": (),
    "社会保险基金支出": (), "卫生健康支出": ("医疗卫生与计划生育支出", "医疗卫生支出"), "节能环保支出": (),
    "城乡社区支出": ("城乡社区事务支出",), "农林水支出": (), "交通运输支出": (), "资源勘探工业信息等支出": (),
    "商业服务业等支出": (), "金融支出": (), "援助其他地区支出": (), "自然资源海洋气象等支出": ("国土海洋气象等支出",),
    "住房保障支出": ("住房保障及其他支出",), "粮油物资储备支出": (), "国有资本经营预算支出": (),
    "灾害防治及应急管理支出": (), "其他支出": (), "债务还本支出": (), "债务付息支出": (), "债务发行费用支出": (),
    "抗疫特别国债安排的支出": (), "转移性支出": (),
}
_CLASS_ALIAS = {squash(a): name for name, aliases in FUNCTION_CLASSES.items() for a in (name, *aliases)}


def function_class(label: str) -> str | None:
    """The official 类 name when ``label`` names a functional class.

    The classification of 2007–2013 named several classes …事务 (农林水事务, 城乡社区事务): such a name
    is the class whose current name ends in 支出 instead.

    >>> function_class("城乡社区事务支出"), function_class("人大事务支出"), function_class("农林水事务")
    ('城乡社区支出', None, '农林水支出')
    """
    s = squash(label)
    if s in _CLASS_ALIAS:
        return _CLASS_ALIAS[s]
    if s.endswith("事务") and s[:-2] + "支出" in _CLASS_ALIAS:
        return _CLASS_ALIAS[s[:-2] + "支出"]
    return None


ECONOMIC_CLASSES = {
    "工资福利支出": ("工资福利",),
    "商品和服务支出": ("商品和服务",),
    "对个人和家庭的补助": ("对个人和家庭补助支出", "对个人和家庭的补助支出", "对个人和家庭补助"),
    "资本性支出": (),
    "对企业补助": (),
    "债务利息及费用支出": (),
    "其他支出": (),
    # the two halves of 基本支出 that narratives report next to the classes
    "人员经费": ("人员经费支出", "人员支出"),
    "公用经费": ("日常公用经费", "公用经费支出", "日常公用经费支出", "公用支出"),
}
_ECON_ALIAS = {squash(a): name for name, aliases in ECONOMIC_CLASSES.items() for a in (name, *aliases)}


def economic_class(label: str) -> str | None:
    """The official economic 类 name when ``label`` names one.

    >>> economic_class("对个人和家庭补助支出")
    '对个人和家庭的补助'
    """
    return _ECON_ALIAS.get(squash(label))


THREE_PUBLIC_ITEMS = [
    ("国内公务接待费", ("国内公务接待费", "国内公务接待支出", "国内接待费", "国内接待支出")),
    ("外宾接待费", ("外宾接待费", "外宾接待支出", "外事接待支出", "国（境）外公务接待费", "国（境）外公务接待支出")),
    # "公务用车保有量2辆,购置及运行维护费5万元": the head 公务用车 left to the words before
    # "公务用车运行维护及购置费": the two parts named the other way round, still the whole line
    ("公务用车购置及运行维护费", ("公务用车购置及运行维护费", "公务用车购置及运行费", "公务用车购置和运行维护费",
                          "购置及运行维护费", "购置及运行费", "公务用车运行维护及购置费", "公务用车运行及购置费",
                          "运行维护及购置费")),
    ("公务用车购置费", ("公务用车购置费", "公务用车购置", "车辆购置费")),
    ("公务用车运行维护费", ("公务用车运行维护费", "公务用车运行费", "公务用车运行", "车辆运行维护费", "公车运行维护费",
                         "公务用车维护费")),
    ("因公出国（境）费", ("因公出国（境）费", "因公出国（境）")),
    ("公务接待费", ("公务接待费", "公务接待")),
    ("合计", ("三公”经费", "三公经费", "“三公”经费")),
]
_THREE_PUBLIC_SQUASHED = tuple((item, tuple(squash(v) for v in variants)) for item, variants in THREE_PUBLIC_ITEMS)


@functools.lru_cache(maxsize=8192)     # a pure function of the label, asked of every label of a 三公 topic
def three_public_item(label: str) -> str | None:
    """Canonical 三公 line for a label (longest variant first).

    >>> three_public_item("因公出国（境）费用"), three_public_item("“三公”经费财政拨款决算数")
    ('因公出国（境）费', '合计')
    >>> three_public_item("公车购置支出"), three_public_item("公车购置及运行维护费"), three_public_item("因公出国费支出")
    ('公务用车购置费', '公务用车购置及运行维护费', '因公出国（境）费')
    >>> three_public_item("因公出国(境)经费、公务接待费、公车购置费,公车运行费(“三公”经费)决算总额")
    '合计'
    """
    # "公务车购置及运行费", "公务车用车运行费": 公务用车 printed short or doubled; "公车购置支出": 公车 for 公务用车
    s = re.sub(r"公务车(?:用车)?", "公务用车", squash(label))
    s = re.sub(r"(?<![办务])公车", "公务用车", s)
    # "因公出国费支出0万元", "因公出国经费": the trip line printed without its （境）
    s = re.sub(r"因公出国(?=费|经费)", "因公出国（境）", s)
    for item, variants in _THREE_PUBLIC_SQUASHED:
        ends = [s.find(v) + len(v) for v in variants if v in s]
        if ends:
            # "…公务接待费、公车购置费,公车运行费(“三公”经费)决算总额": the lines listed and then named
            # together -- the name that comes last is what the figure is of
            if item != "合计" and s.rfind("三公") >= max(ends):
                return "合计"
            return item
    return None


GENERIC_LABELS = {"", "决算数", "决算", "支出决算", "支出", "金额", "合计", "其中", "支出决算数", "年度决算数",
                  "实际支出", "共计", "总额", "费用"}
