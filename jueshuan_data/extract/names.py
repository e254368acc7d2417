"""Canonical names of the headline items and of the classification subjects the extractors route on.

The report's printed label is always kept next to the canonical name (``printed_name``).
"""

from __future__ import annotations

import functools
import re

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

# Printed label (squashed) -> canonical summary items. A label naming both totals at once
# ("收、支总计") yields two items.
_SUMMARY_PATTERNS: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"^收、支总计(各是|分别是|分别为)?$"), ("收入总计", "支出总计")),
    (re.compile(r"^财政拨款收、支总计$"), ("财政拨款收入总计", "财政拨款支出总计")),
    (re.compile(r"^(本年度?)?收入支出总计$|^收支总计$"), ("收支总计",)),
    (re.compile(r"^财政拨款收入支出总计$|^财政拨款收支总计$"), ("财政拨款收入支出总计",)),
    (re.compile(r"^(本年度?)?收入总计$"), ("收入总计",)),
    (re.compile(r"^(本年度?)?支出总计$"), ("支出总计",)),
    (re.compile(r"^财政拨款收入总计$"), ("财政拨款收入总计",)),
    (re.compile(r"^财政拨款支出总计$"), ("财政拨款支出总计",)),
    (re.compile(r"^(本年度?)?收入合计$"), ("收入合计",)),
    (re.compile(r"^(本年度?)?支出合计$"), ("支出合计",)),
    # "国有资本经营预算拨款收入", "政府性基金财政拨款预算收入", "政府性基金预算财政拨款预算支出" …
    (_FUND_GRANT, "fund-grant"),
    (re.compile(r"^(财政拨款收入|上级补助收入|事业收入|经营收入|附属单位上缴收入|其他收入)$"), None),
    (re.compile(r"^(基本支出|项目支出|上缴上级支出|经营支出|对附属单位补助支出)$"), None),
    (re.compile(r"^(年初结转和结余|年末结转和结余|上年结转和结余)$"), None),
    (re.compile(r"^年初结转结余$"), ("年初结转和结余",)),
    (re.compile(r"^年末结转结余$"), ("年末结转和结余",)),
    (re.compile(r"^(使用)?非财政拨款结余(（含专用结余）)?$"), ("使用非财政拨款结余（含专用结余）",)),
    (re.compile(r"^本年收入$"), ("收入合计",)),
    (re.compile(r"^本年支出$"), ("支出合计",)),
    (re.compile(r"^一般公共预算财政拨款(安排)?(的)?基本支出$"), ("一般公共预算财政拨款基本支出",)),
    (re.compile(r"^政府性基金(预算)?财政拨款(安排)?(的)?基本支出$"), ("政府性基金预算财政拨款基本支出",)),
    (re.compile(r"^(全年)?预算数$"), ("预算数",)),
    (re.compile(r"^(基本支出|项目支出)预算数$"), None),
    (re.compile(r"^(部门)?预算执行率$"), ("预算执行率",)),
]

FUND_OF_ITEM = {
    "一般公共预算": "一般公共预算",
    "政府性基金": "政府性基金预算",
    "国有资本经营": "国有资本经营预算",
}


_HEADING_PREFIX = re.compile(r"^.*?(?:情况说明|决算说明|总体情况|情况)\d*(?=.{3,}$)")


def summary_items(label: str) -> tuple[str, ...]:
    """Canonical summary items for a printed label; empty when the label is not a headline item.

    >>> summary_items("收、支总计")
    ('收入总计', '支出总计')
    >>> summary_items("本年收入合计")
    ('收入合计',)
    >>> summary_items("一般公共预算财政拨款安排基本支出")
    ('一般公共预算财政拨款基本支出',)
    >>> summary_items("人大事务支出")
    ()
    """
    s = squash(label)
    for candidate in dict.fromkeys((s, _HEADING_PREFIX.sub("", s))):  # "收入决算情况说明本年收入合计"
        for pat, items in _SUMMARY_PATTERNS:
            m = pat.match(candidate)
            if m and items == "fund-grant":
                return (f"{FUND_OF_ITEM[m.group('fund')]}财政拨款{m.group('kind')}",)
            if m:
                return items if items else (candidate,)
    return ()


# A headline figure of a fund that the patterns above do not name (government-level accounts print
# 一般公共预算收入, 上解上级支出, 总收入, 结转结余 …): kept under its printed name.
_GENERIC_HEADLINE = re.compile(r"^(?:[^\d，,。；;：:（）()]{2,12}(?:收入|支出)|[^\d，,。；;：:（）()]{0,12}(?:结转结余|结转和结余)"
                               r"|总收入|总支出)$")
_FUND_NAMES = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
_FUND_HEADLINE = re.compile(r"(?:一般公共预算|政府性基金预算|国有资本经营预算)(?:收入|支出)$")


def generic_headline(label: str) -> str | None:
    """A printed label kept as a summary item when it looks like a headline total.

    >>> generic_headline("上解上级支出"), generic_headline("总收入"), generic_headline("人大事务支出")
    ('上解上级支出', '总收入', None)
    """
    s = squash(label)
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

    >>> function_class("城乡社区事务支出"), function_class("人大事务支出")
    ('城乡社区支出', None)
    """
    return _CLASS_ALIAS.get(squash(label))


ECONOMIC_CLASSES = {
    "工资福利支出": ("工资福利",),
    "商品和服务支出": ("商品和服务",),
    "对个人和家庭的补助": ("对个人和家庭补助支出", "对个人和家庭的补助支出", "对个人和家庭补助"),
    "资本性支出": (),
    "对企业补助": (),
    "债务利息及费用支出": (),
    "其他支出": (),
    # the two halves of 基本支出 that narratives report next to the classes
    "人员经费": (),
    "公用经费": ("日常公用经费",),
}
_ECON_ALIAS = {squash(a): name for name, aliases in ECONOMIC_CLASSES.items() for a in (name, *aliases)}


def economic_class(label: str) -> str | None:
    """The official economic 类 name when ``label`` names one.

    >>> economic_class("对个人和家庭补助支出")
    '对个人和家庭的补助'
    """
    return _ECON_ALIAS.get(squash(label))


THREE_PUBLIC_ITEMS = [
    ("国内公务接待费", ("国内公务接待费", "国内公务接待支出")),
    ("外宾接待费", ("外宾接待费", "外宾接待支出", "外事接待支出", "国（境）外公务接待费", "国（境）外公务接待支出")),
    ("公务用车购置及运行维护费", ("公务用车购置及运行维护费", "公务用车购置及运行费")),
    ("公务用车购置费", ("公务用车购置费", "公务用车购置")),
    ("公务用车运行维护费", ("公务用车运行维护费", "公务用车运行费", "公务用车运行")),
    ("因公出国（境）费", ("因公出国（境）费", "因公出国（境）")),
    ("公务接待费", ("公务接待费", "公务接待")),
    ("合计", ("三公”经费", "三公经费", "“三公”经费")),
]


def three_public_item(label: str) -> str | None:
    """Canonical 三公 line for a label (longest variant first).

    >>> three_public_item("因公出国（境）费用"), three_public_item("“三公”经费财政拨款决算数")
    ('因公出国（境）费', '合计')
    """
    s = squash(label)
    for item, variants in THREE_PUBLIC_ITEMS:
        if any(squash(v) in s for v in variants):
            return item
    return None


GENERIC_LABELS = {"", "决算数", "决算", "支出决算", "支出", "金额", "合计", "其中", "支出决算数", "年度决算数",
                  "实际支出", "共计", "总额", "费用"}
