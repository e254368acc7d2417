"""Labels are noun phrases: the subject a printed label names, or nothing.

The grammar hands each figure the words before it (``Mention.label``). Most are settled by the
vocabulary at once (``本年收入合计``, ``社会保障和就业支出``). The others need more care, and only they are
segmented (jieba with the fiscal lexicon, loaded on first use):

* a connective that segmentation tells apart from the subject: ``加上级补助收入`` is 加 + 上级补助收入
  (a regex that strips ``加上`` leaves ``级补助收入``), ``含返还性收入`` is 含 + 返还性收入;
* a scope or clause before a known name: ``经…会议批准全旗一般公共预算收入``, ``…服务中心本年度预算总收入``
  (:func:`known_suffix`);
* a printed name the catalogue does not know as printed: ``医疗卫生和计划生育支出`` is the 类
  医疗卫生与计划生育支出, compared token by token without the function words (:func:`catalogue_match`);
* whether what is left is a noun phrase at all (:func:`plausible`): a label holding a digit, a clause
  break or a predicate (根据…确定…, 批准, 占, 比) names no subject, and its figure gives no row (the number
  stays in ``facts``).
"""

from __future__ import annotations

import functools
import re

from .names import squash

# Connectives that open a label without being part of the subject.
_CONNECTIVES = {"加", "加上", "再加上", "含", "另", "另有", "减", "减去", "扣除", "以及", "及", "和", "其中", "包括",
                "具体包括", "主要包括", "分别", "均"}
_CONNECTIVE_START = re.compile(r"^(?:加|含|另|减|扣除)")  # the others the grammar strips itself

# A predicate inside a label makes it a clause: the figure it precedes is said of something else.
_PREDICATES = {"根据", "确定", "实施", "批准", "通过", "涉及", "占", "比", "较", "相比", "达到", "增加", "减少",
               "增长", "下降", "具体", "主要", "对", "经", "按照", "按", "由于", "因为", "发放", "开展", "共有", "拥有",
               "现有", "支付"}
# … and words that make a clause too, except inside the modifier of a noun ("绩效评级为良的项目",
# "用于社会福利的彩票公益金支出")
_SOFT_PREDICATES = {"为", "是", "用于", "安排", "完成", "包括", "未", "无", "没有", "已"}
_ANY_PREDICATE = re.compile("|".join(sorted(_PREDICATES | _SOFT_PREDICATES, key=len, reverse=True)))
# Words a subject cannot start with: the bound half of a word cut by a wrong split ("度支出", "级补助收入").
_BOUND_START = set("度级的和及与或等了为之")
_DIGIT = re.compile(r"[0-9０-９]")
_CLAUSE_PUNCT = re.compile(r"[，,。；;：:！？!?]")
_MEASURE_ONLY = {"累计", "共计", "合计", "总计", "小计", "其中", "总额", "金额", "数量", "人次", "批次", "次数",
                 "决算数", "预算数", "支出", "收入", "费用", "经费", "资金", "增支", "减支", "增收", "减收", "差值",
                 "差额", "接待", "年初预算", "预算", "决算", "实际支出", "年度决算数", "项目", "团组", "指标"}
# A scope before a subject: a region's or unit's name, a level of government, a period.
_SCOPE_END = re.compile(
    r"(?:全市|全区|全县|全旗|全州|全省|全乡|全镇|全盟|市级|区级|县级|旗级|州级|省级|本级|全年|本年度?|当年|上半年|"
    r"下半年|年度|[一二三四五六七八九十\d]+月|前|后|中心|局|委|办|委员会|办公室|政府|[会室部]|院|所|站|园|校|馆|街道|乡|镇|社区|村|单位|部门|"
    r"本部门|本单位|我单位|我部门|批准|完成|以上|开发区|财政|[省市区县旗盟州处厅队]|"
    r"一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?|社会保险基金(?:预算)?)$")


# what a functional subject's name ends with (类 支出, an old 类 事务, a 款/项 管理, 补助 …)
SUBJECT_END = re.compile(r"(?:支出|事务|管理|补助|救助|保障|事业|安置|福利|医疗|优抚|抚恤|服务|教育|发展|建设|运行|"
                         r"离退休|公积金|补贴|改革|规划|卫生|基金)$")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    from ..segment import tokens  # lazily: jieba loads on the first label that needs it

    return tokens(text)


# a list's bullet before an entry: "——一般公共服务支出1650万元,增长40.78%;" (a dash, not a minus: the label is
# the words before the figure, its sign is printed with the figure)
_BULLET = re.compile(r"^(?:[—―–－]+|[•·●▪◆◇■□])\s*(?=[\u4e00-\u9fff“\"])")


def strip_connective(label: str) -> str:
    """Drop a connective (or a list's bullet) that opens the label, where segmentation says it is a word of its own.

    >>> strip_connective("加上级补助收入"), strip_connective("含返还性收入"), strip_connective("上级补助收入")
    ('上级补助收入', '返还性收入', '上级补助收入')
    >>> strip_connective("加上解支出、安排预算稳定调节基金、结转下年等")
    '上解支出、安排预算稳定调节基金、结转下年等'
    >>> strip_connective("——一般公共服务支出")
    '一般公共服务支出'
    """
    s = _BULLET.sub("", label)
    while s and _CONNECTIVE_START.match(s):
        toks = _tokens(s)
        if not toks or toks[0][0] not in _CONNECTIVES:
            break
        if toks[0][0].endswith("加上") and s[toks[0][2]:].startswith("解"):
            # "加上解支出" is 加 + 上解支出 (a remittance to the government above), not 加上 + 解支出
            s = s[toks[0][2] - 1:]
            break
        s = s[toks[0][2]:].lstrip("：:、，, ")
    return s


def known_suffix(label: str, known) -> tuple[str, str] | None:
    """``(scope, name)``: the longest end of ``label`` that ``known`` accepts, after a scope or clause.

    Only a prefix that ends like a scope (a place, a unit, a level of government, a period, a verb such as
    批准/完成) is cut: ``其他税收收入`` keeps its 其他.

    >>> known_suffix("群加乡本年度预算总收入", lambda s: s in {"预算总收入", "总收入"})
    ('群加乡本年度', '预算总收入')
    >>> known_suffix("其他税收收入", lambda s: s == "税收收入") is None
    True
    """
    s = squash(label)
    for i in _scope_ends(s):
        if known(s[i:]):
            return s[:i], s[i:]
    return None


@functools.lru_cache(maxsize=8192)
def _scope_ends(s: str) -> tuple[int, ...]:
    """The cuts ``i`` (1 <= i < len(s) - 1) where ``s[:i]`` ends like a scope: a pure function of the label,
    asked again for each sentence that prints it. A scope word is at most 8 characters (a run of digits
    before 月 matches by its last digit), so only a head's last 10 are searched (a head searched whole made
    the scan quadratic in the label)."""
    return tuple(i for i in range(1, len(s) - 1) if _SCOPE_END.search(s[:i], max(0, i - 10)))


def plausible(label: str) -> bool:
    """Is ``label`` a noun phrase that can name a subject?

    >>> plausible("社区党组织服务群众项目经费"), plausible("根据财政定额以及街道实际情况确定社区党组织服务群众项目经费成本")
    (True, False)
    >>> plausible("度支出"), plausible("增支"), plausible("具体包括一级指标"), plausible("2023年度项目172个")
    (False, False, False, False)
    """
    s = squash(label)
    if len(s) < 2 or len(s) > 40:
        return False
    if _DIGIT.search(s) or _CLAUSE_PUNCT.search(s):
        return False
    if s in _MEASURE_ONLY or s[0] in _BOUND_START:
        return False
    if s.endswith(("及", "和", "与", "或", "的", "对", "由", "为", "是")):
        return False
    if not _ANY_PREDICATE.search(s):
        return True     # no predicate word inside, so no token is one: jieba need not be asked (nor loaded)
    toks = [w for w, _, _ in _tokens(s)]
    if any(w in _PREDICATES for w in toks):
        return False
    head = toks[len(toks) - toks[::-1].index("的"):] if "的" in toks else toks
    return bool(head) and not any(w in _SOFT_PREDICATES for w in head)


# --- the catalogue by tokens ------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc

        return opencc.OpenCC("t2s").convert
    except Exception:  # noqa: BLE001 - without opencc a name stays as printed
        return None


@functools.lru_cache(maxsize=8192)     # a pure function of the name, asked again for each mention of it
def fold(s: str) -> str:
    """Traditional characters -> simplified, one character at a time (a name keeps its length).

    >>> fold("醫療衛生與計劃生育支出")
    '医疗卫生与计划生育支出'
    """
    conv = _t2s()
    if conv is None or s.isascii():
        return s
    out = []
    for c in s:
        t = conv(c) if "\u4e00" <= c <= "\u9fff" else c
        out.append(t if len(t) == 1 else c)
    return "".join(out)


# … and 等, which a report may drop from a 类's name ("资源勘探信息支出" for 资源勘探信息等支出): no two names of the
# catalogue differ by it alone
_FUNCTION_WORDS = {"和", "与", "及", "的", "、", "（", "）", "(", ")", "“", "”", "等"}
_FUNCTION_CHARS = re.compile("[和与及的、（）()“”等]")


def _drop_spending(s: str) -> str:
    return s[:-2] if s.endswith("支出") and len(s) > 3 else s


def token_key(name: str) -> str:
    """A printed name's content words, joined: its function-word tokens and a closing 支出 left out
    (segmentation decides which 和/与/及 are conjunctions).

    >>> token_key("医疗卫生和计划生育支出")
    '医疗卫生计划生育'
    """
    return _drop_spending("".join(w for w, _, _ in _tokens(squash(fold(name))) if w not in _FUNCTION_WORDS))


def _official_key(name: str) -> str:
    # an official name is one lexicon word, so it is not segmented: its 和/与/及/的 are conjunctions
    return _drop_spending(_FUNCTION_CHARS.sub("", squash(name)))


@functools.lru_cache(maxsize=1)
def _catalogue_keys() -> dict[str, list[tuple[str, str, str]]]:
    from ..classification import catalogue_rows

    out: dict[str, list[tuple[str, str, str]]] = {}
    rows = [r for r in catalogue_rows() if r["kind"] == "function"]
    for code, level, name, aliases in ((r["code"], r["level"], r["name"], r["aliases"]) for r in rows):
        for n in [name, *(str(aliases).split("|") if isinstance(aliases, str) else [])]:
            out.setdefault(_official_key(n), []).append((code, level, name))
    return out


def catalogue_match(name: str, year: int | None = None, level: str | None = None, parent_code: str | None = None):
    """The functional subject a printed name stands for: by the catalogue's own lookup, else by its tokens
    (traditional characters folded first). None when neither finds exactly one code.

    >>> catalogue_match("医疗卫生和计划生育支出", 2016).code
    '210'
    """
    from ..classification import lookup

    name = fold(name)
    try:
        m = lookup(name, year, "function", level, parent_code)
        if m is None and (level or parent_code) and lookup(name, year, "function") is not None:
            return None  # a name the catalogue knows, at another level or under another parent
    except Exception:  # a catalogue bug must not lose the figure
        return None
    if m is not None:
        return m
    if not SUBJECT_END.search(name):
        return None  # segmentation is for names that end like a subject, not for every label
    hits = _catalogue_keys().get(token_key(name), [])
    hits = [h for h in hits if (level is None or h[1] == level)
            and (parent_code is None or h[0][:-2] == parent_code)]
    codes = {h[0] for h in hits}
    if len(codes) != 1:
        return None
    try:
        return lookup(hits[0][2], year, "function", hits[0][1], None)
    except Exception:  # noqa: BLE001
        return None
