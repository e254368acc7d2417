"""A small grammar of measure phrases: who (label) has how much (amount), of what share, changed how.

A sentence such as ``社会保障和就业支出7894.78万元，占本年财政拨款支出31.32%`` or
``抚恤支出286.17万元，比去年同期增加支出121.973万元`` or
``…（项）。…年初预算为 1560.05 万元，支出决算为1511.89万元，完成年初预算的96.91%`` is read as a list of
``Mention``s: a subject label bound to a primary amount, and the modifiers that follow it in the same
sentence (share and its base, prior-year figure, signed change in 万元 and in %, budget, execution rate).

The grammar knows measure words, not documents: nothing here names a unit, a region or a file.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from ..numbers import Amount, find_amounts

# Clause boundaries inside a sentence.
_CLAUSE_BREAK = "，,；;：:。！？\n"
# Text between the previous figure and this one that marks the figure's role.
# "占比40.39%": a share with no base printed (占比 tried first, so that 比 is not read as the base)
_SHARE_RE = re.compile(r"(?:占比重?为?|所占比例为?|比重为?|占)(?P<base>[^，,；;。%]{0,24}?)(?:的比[重例]为?|的比例为?|的|比例为?|为)?$")
# "两项合计占0.1%", "二者共占…", "以上各项合计占…": a share of the items before it together, no one item's
_JOINT_SHARE_RE = re.compile(r"(?:[两二三四五六七八九十]项|两者|二者|以上各项|上述各项)(?:合计|共计|一共|共)?占[^，,；;。]{0,24}$")
_PRIOR_RE = re.compile(r"(?:比|较|与|相比|同比)(?P<when>上年|去年|上年度|去年同期|上年同期|上一年度?|上一年|\d{4}年度?|同期)"
                       r"(?:同期|决算数?|度)?(?P<what>[^，,；;。]{0,12}?)(?:的)?$")
_BUDGET_BASE_RE = re.compile(r"(?:比|较)[^，,；;。]{0,30}(?:年初预算|全年预算|调整预算|预算数)[^，,；;。比较]*$")
# "完成全年预算84.82万元的73.2%", "为年初预算数6180万元的78.56%", "占年度预算6280万元的115.2%": the budget the
# outcome is a share of; "完成区第十八届人大常委会第十九次会议批准收入调整预算37.5亿元的104.3%" (who approved the
# budget between 完成 and its name)
_DONE_BUDGET_RE = re.compile(r"(?:完成(?:[^，,；;。]{0,40}?(?<![年全调])(?=[年全调预]))?|(?<![^，,；;\s])(?:为|占))"
                             r"(年初|全年|调整|年度)?预算数?(?:为)?$")
_CMP_BUDGET_RE = re.compile(r"(?:比|较)[^，,；;。比较]{0,30}预算数?(?:为|是)?$")
_CHANGE_CONTEXT_RE = re.compile(r"(?:比|较|与|相比|同比|上年|去年|同期|年度相比)")
_BUDGET_RE = re.compile(r"(?P<label>.*?)(?P<kind>年初预算数?|全年预算数?|调整预算数?|预算数|预算)(?:为|是)?$")
_OUTCOME_RE = re.compile(r"(?:支出决算数?|决算数|实际支出|决算|支出)(?:为|是)?$")
_EXECUTION_RE = re.compile(r"(?:完成|达到)?(?:年初|全年|调整)?预算(?:数)?的?$|执行率(?:为|是|达到?)?$|完成率(?:为)?$")
_FLAT_RE = re.compile(r"持平")
# "因公出国(境)费为0万元,上年持平": the next clause says there was no change
_FLAT_NEXT_RE = re.compile(r"[，,]\s*(?:与|较|比)?(?:上年|去年)(?:同期)?(?:相比)?(?:基本)?持平")

# Words at the start of a label that are not part of the subject.
_LEAD_RE = re.compile(
    r"^(?:[\s、，,：:；;]|其中[：:，,]?|主要用于以下方面[：:]?|主要用于|分别是|分别为|包括|具体为|用于|截至[^，,]*?[，,]|"
    r"截止[^，,]*?[，,]|共有|现有|拥有|全年|本年度(?=..)|本年(?!度)(?=...)|当年|我单位|我街道|本单位|本部门|使用|安排|以及|及|和|共计|另外|此外|"
    r"[一二三四五六七八九十]+是|\d+[.、．]|\d+\s+|[（(]\d+[）)]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)+"
)
_YEAR_RE = re.compile(r"(?:截至|截止)?\d{4}\s*年(?:\d{1,2}月\d{1,2}日|度)?(?:[，,]?)")
_NOTE_RE = re.compile(r"[（(][^（）()]{9,}[）)]")  # an explanatory note in brackets, not part of a name
_GENERIC_TAIL = {"", "决算数", "决算", "支出决算", "支出决算数", "支出", "决算为", "合计", "年度决算数", "实际支出",
                 "预算支出合计", "预算支出", "支出合计"}
_THRESHOLD_RE = re.compile(r"^(?:[（(]含[）)])?(?:以上|以下|及以上|以内)")
_DIRECTION_ONLY_RE = re.compile(r"^(?:增加|减少|增长|下降|上升|降低)?[（(]?(?:增加|减少|增长|下降|上升|降低)[）)]?$")
# "收、支总计均为6315.69万元": 均为 says the figure is both totals'
_TAIL_RE = re.compile(r"(?:分别为|分别是|分别|各是|各为|均为|均是|各|为|是|达到|达|约|了|：|:|，|,|\s)+$")
# "增加（减少）0万元", "增长（下降）0%": a template's two directions left in place; the sign is unknown
_TEMPLATE_DIR_RE = re.compile(r"(?:增加|增长|上升|增)[（(](?:减少|下降|降低|减)[）)]\s*$|(?:减少|下降|降低|减)[（(](?:增加|增长|上升|增)[）)]\s*$")
# "325000元,增72000元": 增/减 alone right before the number is itself the language of a change
_BARE_DIRECTION_RE = re.compile(r"^[增减][-−－]?\d")
# "一般公共预算支出数为459989万元,占调整预算数115.8%,增支42991万元": 增收/减收/增支/减支 are a government's words for the
# change of its revenue or spending on the year before, no comparison named -- right after the figures of its subject
# ("…主要是人员增支5万元" is a reason's amount)
_YEAR_ON_YEAR_WORD_RE = re.compile(r"^(?:增收|减收|增支|减支)[-−－]?\d")
# "差值为0.9万元": a difference whose direction the text does not give (budget minus outcome, or the reverse)
_DIFFERENCE_RE = re.compile(r"(?:差值|差额|相差)(?:为|是)?\s*$")
_BUDGET_ONLY_RE = re.compile(r"^(?:年初预算数?|全年预算数?|调整预算数?|预算数?)$")
# a bare number right before a signed change is the prior-year figure the change is measured from:
# "较上年2.08减少0.03万元" (the unit is the change's: like is compared with like)
_BARE_PRIOR_RE = re.compile(r"(?:比|较|与)(?:上年|去年|上年度|上一年度?|去年同期|上年同期)(?:同期)?(?:决算数?|的)?\s*"
                            r"(?P<num>\d+(?:\.\d+)?)\s*$")
# a figure named only by its year and a measure word: said of the subject in focus
_YEAR_FIGURE_RE = re.compile(r"^[\s，,]*(?P<y>(?:19|20)\d\d)\s*年度?(?:当年|全年)?(?:预算执行数|执行数|决算数|预算数|预算安排|安排|"
                             r"实际支出|支出)(?:为|是)?\s*$")
_LESS_MORE_RE = re.compile(r"(小于|低于|少于|大于|高于|多于)(?:上年|去年|上一年)(?:预算数?|决算数?)?$")
_COMPARISON_RE = re.compile(r"(?:比|较)[^，,；;。比较]{0,30}")
# "…上划到市级,减少了“三公”经费342.74万元,其中公务用车购置及运行维护费308.87万元": the verb before the
# subject makes the figure an amount the subject changed by (here one cause of its change), not its level
_VERB_FIRST_RE = re.compile(r"^(?:仍然|仍|又|还|共|累计)?(?:减少|增加|压减|节约|节省|降低|缩减|增长)了?(?P<subject>.{2,})$")
# the comparison a change is measured against: "比上年预算数字…", "较年初预算…", "与2018年度预算相比"
_BASE_RE = re.compile(r"(?:与|同)(?P<w>[^，,；;。与同比较]{1,30}?)(?:相比|相较|比较)|(?:比|较)(?P<b>[^，,；;。比较]{0,30})")
_EARLIER_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年")


def _comparison_base(since: str) -> str:
    """The last comparison phrase of ``since`` (the words between a figure and its change), or ''."""
    base = ""
    for m in _BASE_RE.finditer(since):
        base = m.group("w") if m.group("w") is not None else m.group("b")
    return base


def _against_budget(base: str, year: int | None, kind: str | None) -> bool:
    """The change is measured against a budget, not against the prior year's figure.

    ``比年初预算…`` (this year's budget) always; ``比上年预算…`` only in a 决算: there the year's outcome is
    compared with last year's plan, while the report's change on the year compares it with last year's
    决算 (``比上年预算数字下降35.45%,比上年决算数字下降34.26%``); in a 预算 last year's budget is the
    prior-year figure. Last year's 执行数 / 决算 is never a budget.
    """
    if "预算" not in base or re.search(r"执行|决算", base):
        return False
    return kind == "决算" or not _earlier_year(base, year)


# "…收入6821.09751万元,2020年度增加1276.128557万元": the earlier year alone opens the clause of the change (the
# 比/较/与…相比 left out): the change is against that year
_YEAR_ONLY_LEAD = re.compile(r"^[\s，,]*(?P<y>(?:19|20)\d\d)年度?\s*$")


def _earlier_year_lead(lead: str, year: int | None) -> bool:
    m = _YEAR_ONLY_LEAD.match(lead)
    return m is not None and year is not None and int(m.group("y")) < year


def _earlier_year(s: str, year: int | None) -> bool:
    """The comparison names the prior year ("上年", or a year before the report's): its budget is a prior figure."""
    if re.search(r"上年|去年|上一年", s):
        return True
    years = [int(y) for y in _EARLIER_YEAR_RE.findall(s)]
    return bool(year and years and max(years) < year)


@dataclass
class Mention:
    """A subject label and the figures bound to it within one sentence."""

    label: str
    label_start: int
    amount: Amount | None
    sentence: tuple[int, int]
    clause: tuple[int, int]
    share: Amount | None = None
    share_of: str | None = None
    prior: Amount | None = None
    change: Amount | None = None
    change_pct: Amount | None = None
    budget: Amount | None = None
    budget_kind: str | None = None
    budget_change: Amount | None = None  # change against the budget ("比年初预算数…减少…")
    execution: Amount | None = None
    flat: bool = False  # 持平: a printed zero change
    lead: str = ""  # the raw words before the figure (e.g. "预算执行率为")
    outer: "Mention | None" = None  # the mention a bracketed figure details ("财政拨款收入…（其中，一般公共预算…）")
    pair: dict = field(default_factory=dict)  # role -> second figure of "各是A,B万元"
    twin: "Mention | None" = None  # the mention this one states again with another figure


@functools.lru_cache(maxsize=8192)     # a pure function of the label; a report asks for the same few often
def clean_label(raw: str) -> str:
    """Strip the connectives and year phrases around a subject label.

    >>> clean_label("2023年度一般公共预算财政拨款支出")
    '一般公共预算财政拨款支出'
    >>> clean_label("其中：民政管理事务支出")
    '民政管理事务支出'
    >>> clean_label("1.一般公共服务支出")
    '一般公共服务支出'
    """
    s = _NOTE_RE.sub("", raw.strip())
    years = list(_YEAR_RE.finditer(s))
    if years:
        before, after = s[:years[0].start()], s[years[-1].end():]
        # "公务用车购置费2023年度决算数" names its subject before the year; "…局2024年度收入总计" after it
        if _strip(after) in _GENERIC_TAIL and _strip(before):
            s = before + after
        else:
            s = after
    return _strip(s)


@functools.lru_cache(maxsize=8192)
def _strip(s: str) -> str:
    from .labels import strip_connective  # 加上 + 上年结余, but 加 + 上级补助收入: segmentation decides

    prev = None
    while prev != s:
        prev = s
        s = _LEAD_RE.sub("", s)
        s = _TAIL_RE.sub("", s)
        s = strip_connective(s)
        s = s.strip(" “”\"'")
    return s


def _clause_start(text: str, lo: int, pos: int) -> int:
    # a comma inside brackets ("资产总额（账面净值，下同）") does not end the clause
    i, depth = pos, 0
    while i > lo and text[i - 1] in " \n" and "\n" in text[i - 1:pos]:
        i -= 1  # "其中:基本支出\n2,065,405.42元": a figure wrapped onto the next line keeps its label
    while i > lo:
        ch = text[i - 1]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in _CLAUSE_BREAK:
            break
        i -= 1
    return i


def _clause_end(text: str, pos: int, hi: int) -> int:
    i = pos
    while i < hi and text[i] not in _CLAUSE_BREAK:
        i += 1
    return i


_CONTINUES_RE = re.compile(r"^[\s，,]*(?:比|较|同比|与上年|与去年|与\d{4}年度?(?:年初)?(?:预算数?)?相比|上升|增长|下降)(?!的)")  # not "增长的主要原因是…"


_BOTH_NAMED_RE = re.compile(r"(?:收、?支|收入、支出)(?:预算总计|总预算|总计|预算)$")
_BOTH_RE = re.compile(r"^(?:财政拨款)?(?:收、?支|收入、?支出)(?:预算)?(?:总计)?(?:决算)?各?$")


def _both_totals(before: str, mentions: list[Mention], earlier: list[Mention]) -> list[Mention]:
    """The income and the expenditure total a change speaks of together (``收、支与2023年度相比,减少…``)."""
    parts = re.split(r"较|比|与|同比|相比", before.split("。")[-1])
    # "收、支与2023年度相比,减少…" names them first; "与2016年相比,收、支总计各增加…" after the comparison
    subject = next((c for c in (clean_label(parts[0]), clean_label(parts[-1])) if _BOTH_RE.match(c)), "")
    if subject:
        # "收入、支出预算总计24458.43万元，与上年相比收、支预算总计各增加…": one figure named for both
        for m in [*reversed(mentions), *reversed(earlier)]:
            if m.amount is not None and _BOTH_NAMED_RE.search(m.label):
                return [m]
    if not subject:
        # "收入总计519.07万元,支出总计519.07万元, 与2020年度相比,增加32.19万元": one change said of two equal
        # totals stated just before, with no subject of its own
        last2 = [m for m in mentions if m.amount is not None][-2:]
        if len(last2) != 2 or last2[0].amount.value != last2[1].amount.value:
            return []
        sides = {mt.group(1) if mt else None for mt in (_TOTAL_SIDE.search(m.label) for m in last2)}
        rest = _COMPARISON_WORDS.sub("", before[last2[1].amount.end - last2[1].sentence[0]:])
        # "…,与2020年度相比,各减少15894.34万元": 各 (each) only confirms the change is said of both
        return last2 if sides == {"收入", "支出"} and rest in ("", "各") else []

    found: dict[str, Mention] = {}
    for m in [*reversed(mentions), *reversed(earlier)]:
        if m.amount is None:
            continue
        for side in ("收入", "支出"):
            if side not in found and re.search(side + r"(?:总计|合计)$", m.label) and "、" not in m.label:
                found[side] = m
    return [found["收入"], found["支出"]] if len(found) == 2 else []


_COMPARISON_WORDS = re.compile(r"[\s，,、：:]|与|较|比|同比|相比|上年度?|去年|同期|(?:19|20)\d\d\s*年度?|决算数?|的")


_TOTAL_SIDE = re.compile(r"(收入|支出)(?:总计|合计)$")


def _is_headline(label: str) -> bool:
    from .names import summary_items, three_public_item

    return bool(label) and bool(summary_items(label) or three_public_item(label))


def _named_label(lead: str) -> str:
    """The subject a change clause names after its comparison (``与上年相比收入总计`` -> 收入总计)."""
    if not re.search(r"相比|比|较", lead):
        return ""
    label = clean_label(re.split(r"相比|比|较", lead)[-1])
    return label if len(label) >= 2 else ""


def _named_subject(label: str, mentions: list[Mention], earlier: list[Mention]) -> Mention | None:
    """The mention whose label the words before a change repeat (``…相比，收入总计增加…``): the same
    label, or one that ends with it (``财政拨款收入总计`` is the 收入总计 the change speaks of)."""
    if not label:
        return None
    suffix = _is_headline(label)  # "收入总计" names 财政拨款收入总计; "预算" names no subject
    for m in [*reversed(mentions), *reversed(earlier)]:
        if m.amount is not None and (m.label == label or suffix and m.label.endswith(label)):
            return m
    return None


def _side_total(side: str, mentions: list[Mention], earlier: list[Mention]) -> Mention | None:
    """The latest 收入总计/收入合计 (支出…) stated for a change said of the bare ``收入`` (``支出``)."""
    if side not in ("收入", "支出"):
        return None
    for m in [*reversed(mentions), *reversed(earlier)]:
        if m.amount is not None and m.amount.kind == "amount" and re.search(side + r"(?:总计|合计)$", m.label) \
                and "、" not in m.label:
            return m
    return None


class _Clauses:
    """Clause bounds and bracket depths inside one sentence, each in time independent of the sentence's
    length (a sentence of 10,000 figures is read in linear time): the clause breaks and brackets are
    listed once, depths are counted forward as the figures come in order."""

    def __init__(self, text: str, lo: int, hi: int):
        self.text, self.lo, self.hi = text, lo, hi
        self.marks = [m.start() for m in _MARKS_RE.finditer(text, lo, hi)]       # breaks and brackets
        self.breaks = [m.start() for m in _BREAKS_RE.finditer(text, lo, hi)]     # the breaks among them
        self._pos, self._depth = lo, 0

    def depth(self, pos: int) -> int:
        """``bracket_depth(text, lo, pos)``, for ``pos`` not smaller than at the previous call."""
        if pos < self._pos:
            self._pos, self._depth = self.lo, 0
        k = bisect.bisect_left(self.marks, self._pos)
        d = self._depth
        while k < len(self.marks) and self.marks[k] < pos:
            ch = self.text[self.marks[k]]
            if ch in "（(":
                d += 1
            elif ch in "）)" and d:
                d -= 1
            k += 1
        self._pos, self._depth = pos, d
        return d

    def start(self, pos: int) -> int:
        """``_clause_start(text, lo, pos)``: only the breaks and brackets before ``pos`` are looked at."""
        p = pos
        while p > self.lo and self.text[p - 1] in " \n" and "\n" in self.text[p - 1:pos]:
            p -= 1  # "其中:基本支出\n2,065,405.42元": a figure wrapped onto the next line keeps its label
        k = bisect.bisect_left(self.marks, p) - 1
        depth = 0
        while k >= 0:
            i = self.marks[k]
            ch = self.text[i]
            if ch in "）)":
                depth += 1
            elif ch in "（(":
                if depth == 0:
                    return i + 1
                depth -= 1
            elif depth == 0:
                return i + 1
            k -= 1
        return self.lo

    def end(self, pos: int) -> int:
        """``_clause_end(text, pos, hi)``."""
        k = bisect.bisect_left(self.breaks, pos)
        return self.breaks[k] if k < len(self.breaks) else self.hi


_MARKS_RE = re.compile("[" + re.escape(_CLAUSE_BREAK) + "（()）]")
_BREAKS_RE = re.compile("[" + re.escape(_CLAUSE_BREAK) + "]")


def bracket_depth(text: str, lo: int, pos: int) -> int:
    """How many brackets are open at ``pos`` counting from ``lo`` (``（其中，房屋…`` is inside one)."""
    d = 0
    for ch in text[lo:pos]:
        if ch in "（(":
            d += 1
        elif ch in "）)" and d:
            d -= 1
    return d


def _bare_priors(text: str, start: int, amounts: list[Amount]) -> list[Amount]:
    """A unitless prior-year figure before a signed money change takes the change's unit."""
    out = []
    for a in amounts:
        if a.kind != "amount" or not a.direction:
            continue
        m = _BARE_PRIOR_RE.search(text, max(start, a.start - 40), a.start)
        if m and m.end() == a.start:
            num = m.group("num")
            out.append(Amount(value=float(num), unit=a.unit, kind="amount", text=num, start=m.start("num"),
                              end=m.end("num"), decimals=len(num.split(".")[1]) if "." in num else 0))
    return sorted(amounts + out, key=lambda x: x.start) if out else amounts


# "政府性基金拨款支出预算为0；": zero is zero whatever the unit, and a money label says it is money
def _bare_change(text: str, current: Mention, a: Amount, amounts: list[Amount]) -> Amount | None:
    """``与2016年相比21.79万元,增加14.01%``: a figure after the comparison with no direction word of its own
    reads as the prior-year figure, unless the directed rate right after it is the rate of that figure as a
    change of the subject's amount and not as its prior. Then it is the change, signed by the rate's word."""
    cur = current.amount
    if cur is None or cur.value is None or a.value is None or cur.kind != "amount" or a.unit != cur.unit:
        return None
    nxt = next((b for b in amounts if b.start >= a.end), None)
    if nxt is None or nxt.kind != "percent" or not nxt.direction or nxt.value is None \
            or not re.fullmatch(r"[，,\s]*", text[a.end:nxt.start]):
        return None
    tol = 0.5 * 10 ** -nxt.decimals + 1e-9
    change = a.value * (1 if nxt.direction > 0 else -1)
    base = cur.value - change
    as_change = base > 0 and abs(abs(change) / base * 100 - abs(nxt.value)) <= tol
    as_prior = a.value > 0 and abs((cur.value - a.value) / a.value * 100 - nxt.value) <= tol
    if not as_change or as_prior:
        return None
    return Amount(value=change, unit=a.unit, kind=a.kind, text=a.text, start=a.start, end=a.end,
                  direction=nxt.direction, decimals=a.decimals)


_BARE_ZERO_RE = re.compile(r"(?<=[\u4e00-\u9fff])(?:为|是)(?P<z>0(?:\.0+)?)(?=[。；;，,]|$)")
_MONEY_LABEL_RE = re.compile(r"(?:支出|收入|预算|费|经费|资金)(?:为|是)$")


def _bare_zeros(text: str, start: int, end: int, amounts: list[Amount]) -> list[Amount]:
    out = []
    for m in _BARE_ZERO_RE.finditer(text, start, end):
        if _MONEY_LABEL_RE.search(text, max(start, m.start() - 12), m.start("z")) \
                and not any(a.start <= m.start("z") < a.end for a in amounts):
            z = m.group("z")
            out.append(Amount(value=0.0, unit="万元", kind="amount", text=z, start=m.start("z"), end=m.end("z"),
                              decimals=len(z.split(".")[1]) if "." in z else 0))
    return sorted(amounts + out, key=lambda x: x.start) if out else amounts


_LIST_SEP = "，,、；;"
_BARE_DECIMAL_RE = re.compile(r"[\u4e00-\u9fff]\d[\d,]*\.\d+[，,、；;]")


def _listed_units(text: str, start: int, end: int, amounts: list[Amount]) -> list[Amount]:
    """A number printed without its unit inside a list whose items on both sides carry the same money unit
    takes that unit (``…科学技术支出5万元,社会保障和就业支出197.81,医疗卫生与计划生育支出20.98万元…``).
    Only a number with decimals: a bare integer may be a count or a code."""
    if not _BARE_DECIMAL_RE.search(text, start, end):
        return amounts
    bare = [b for b in find_amounts(text, start, end, units_only=False)
            if b.kind == "number" and b.value is not None and b.decimals and not b.direction
            and b.end < end and text[b.end] in _LIST_SEP and b.start > start and "\u4e00" <= text[b.start - 1] <= "\u9fff"]
    if not bare:
        return amounts
    out = []
    for b in bare:
        before = [a for a in amounts if a.end <= b.start]
        after = [a for a in amounts if a.start >= b.end]
        if not before or not after:
            continue
        p, n = before[-1], after[0]
        if p.kind == n.kind == "amount" and p.unit == n.unit and not p.direction and not n.direction \
                and p.end < len(text) and text[p.end] in _LIST_SEP:
            out.append(Amount(value=b.value, unit=p.unit, kind="amount", text=b.text, start=b.start, end=b.end,
                              decimals=b.decimals))
    return sorted(amounts + out, key=lambda x: x.start) if out else amounts


def read_sentence(text: str, start: int, end: int, previous: Mention | None = None,
                  earlier: list[Mention] | None = None, year: int | None = None,
                  kind: str | None = None) -> list[Mention]:
    """All mentions of one sentence ``text[start:end]``, in order.

    A sentence that opens with a comparison (``；比去年同期减少7.49万元``) continues ``previous``; a change
    that names its subject (``与2022年度相比，收入总计增加12.34万元``) goes to the mention of that name among
    this sentence's and ``earlier`` ones.
    """
    amounts = [a for a in find_amounts(text, start, end) if a.kind in ("amount", "percent", "count")
               and not _THRESHOLD_RE.match(text[a.end:a.end + 6])]
    if not amounts and not _BARE_ZERO_RE.search(text, start, end):
        return []       # no figure to read (a heading, a table row of bare numbers): most sentences
    amounts = _bare_zeros(text, start, end, _listed_units(text, start, end, _bare_priors(text, start, amounts)))
    mentions: list[Mention] = []
    current: Mention | None = previous if previous is not None and _CONTINUES_RE.match(text[start:end]) else None
    prev_end = start
    pending_budget: tuple[Amount, str, str, int] | None = None
    outer_current = current
    both_totals: list[Mention] = []
    last: Amount | None = None
    last_role: str | None = None
    verb_first = False  # a figure of this sentence was a change named verb first ("减少了X经费N万元")
    bounds = _Clauses(text, start, end)
    for a in amounts:
        depth = bounds.depth(a.start)
        if depth == 0 and current is not outer_current and current is not None and current.outer is not None:
            current = outer_current  # the bracket closed: what follows speaks of the figure before it
        if last is not None and current is not None and text[last.end:a.start] in (",", "、", "，") \
                and a.unit == last.unit and last_role and last_role not in current.pair \
                and (bool(a.direction) == bool(last.direction)) and not (both_totals and last.direction):
            # (a change said of both totals pairs below: "各增加1412.7万元、2062.79万元" is 收入's, then 支出's)
            current.pair[last_role] = a  # the second number of "各是4125.49,4143.91万元"
            last, prev_end = a, a.end
            continue
        prev_last, last = last, a
        cstart = bounds.start(a.start)
        lead_from = max(prev_end, cstart) if prev_end <= a.start else cstart
        lead = text[lead_from:a.start]
        # what lies between the previous figure and this one, even across a comma
        between = text[prev_end:a.start] if prev_end <= a.start else ""
        clause = (cstart, bounds.end(a.end))

        if both_totals and prev_last is not None and text[prev_last.end:a.start] in ("、", ",", "，") \
                and a.unit == prev_last.unit and a.kind == prev_last.kind:
            # "收、支总计各减少1267.86,2570.97万元,各下降23.51%、38.28%": the second figure is the 支出 side's
            role = "change_pct" if a.kind == "percent" else "change"
            if len(both_totals) == 2:
                setattr(both_totals[1], role, a)
            elif both_totals[0].pair.get("amount") is not None:
                both_totals[0].pair[role] = a  # one mention for both totals, its second figures paired
            prev_end = a.end
            continue
        if a.kind == "percent" and a.direction and both_totals:
            for m in both_totals:  # "收支较上年…减少5137.56万元,下降39.1%": both totals changed so
                if m.change_pct is None:
                    m.change_pct = a
            prev_end = a.end
            continue
        if a.kind == "percent":
            if current is None:
                mentions.append(Mention(clean_label(lead), lead_from, None, (start, end), clause, lead=lead))
                current = mentions[-1]
                current.change_pct = a if a.direction else None
                if not a.direction:
                    current.share = a
                prev_end = a.end
                continue
            btx = between.rstrip("，, ")
            if _TEMPLATE_DIR_RE.search(btx):
                if a.value == 0 and current.change_pct is None:
                    current.change_pct = a  # "增长（下降）0%": no change, whichever word was meant
                prev_end = a.end
                continue
            if _JOINT_SHARE_RE.search(btx):
                # "经营收入…万元,附属单位上缴收入…万元,两项合计占0.1%": the share of several items together
                prev_end = a.end
                continue
            if _SHARE_RE.search(btx) or re.search(r"占[^，,；;。]{0,24}$", between):
                m = _SHARE_RE.search(btx)
                base = clean_label(m.group("base")) if m else ""
                if _BUDGET_ONLY_RE.match(base):
                    # "占调整预算100.1%": a share of the budget is the rate the budget was carried out at
                    if current.execution is None:
                        current.execution = a
                    prev_end = a.end
                    continue
                last_role = "share"
                if current.share is None:
                    current.share = a
                    current.share_of = base or None
            elif between.strip() in ("(", "（") and last_role == "change" and current.change is not None \
                    and current.change_pct is None and not a.direction:
                # "减少18.50万元(65.37%)": the rate of the change just stated, with its sign
                c = current.change
                if c.value == 0 or c.direction:
                    sign = -1 if c.direction < 0 else 1
                    current.change_pct = Amount(value=sign * a.value, unit=a.unit, kind=a.kind, text=a.text,
                                                start=a.start, end=a.end, direction=c.direction, decimals=a.decimals)
            elif (_EXECUTION_RE.search(between.rstrip("，, ")) and not a.direction) \
                    or (last_role == "budget" and between.strip() in ("的", "")):
                # "完成预算的95%" is a rate; "较上年预算下降90.54%" is signed: a change, never a rate of execution
                current.execution = a
            elif a.direction and current.budget_change is not None and current.change is None:
                pass  # "比年初预算数减少10.00万元，降低9.09%": a change against the budget, not the prior year
            elif a.direction and current.amount is not None and _against_budget(
                    _comparison_base(text[current.amount.end:a.start]), year, kind):
                pass  # "决算数共计35.5万元,比上年预算数字下降35.45%": against a budget, not the prior year
            elif a.direction:
                last_role = "change_pct"
                if current.change_pct is None:
                    current.change_pct = a
                if current.twin is not None and current.twin.change_pct is None:
                    current.twin.change_pct = a
            prev_end = a.end
            continue

        if a.kind == "count":
            # counts are mentions of their own (1辆, 3台（套）), bound to the words before them
            mentions.append(Mention(clean_label(lead), lead_from, a, (start, end), clause, lead=lead))
            prev_end = a.end
            continue

        # money
        btxt = between.rstrip("，, ")
        if _DIFFERENCE_RE.search(btxt) and not btxt.endswith("弥补收支差额"):
            # "差值为0.9万元": which way the difference goes is not printed (but "用事业基金弥补收支差额781.74万元"
            # is the fund drawn on to cover a deficit: a line of the 收入支出决算总表)
            prev_end = a.end
            continue
        directed = bool(a.direction)
        cmp_word = _LESS_MORE_RE.search(btxt) if not directed else None
        if cmp_word:
            # "本年数小于上年预算数40.05万元": the difference to last year, its sign said by 小于/大于
            sign = -1 if cmp_word.group(1) in ("小于", "低于", "少于") else 1
            a = Amount(value=sign * a.value, unit=a.unit, kind=a.kind, text=a.text, start=a.start, end=a.end,
                       direction=sign, decimals=a.decimals)
            directed = True
        if _TEMPLATE_DIR_RE.search(btxt):
            if a.value != 0:
                prev_end = a.end  # "增加（减少）5万元": a change of unknown sign stays a fact
                continue
            directed = True  # "增加（减少）0万元": no change, whichever word was meant
        if directed and not both_totals:
            both_totals = _both_totals(text[start:a.start], mentions, earlier or [])
            if both_totals:
                for m in both_totals:
                    if m.change is None:
                        m.change = a
                prev_end = a.end
                continue
        # "与2016年相比, 因公出国(境)经费支出减少28.23万元": the comparison may stand in the clause before
        named_label = _named_label(between or lead) if directed else ""
        named = _named_subject(named_label, mentions, earlier or [])
        if directed and named is None:
            # "收入总计6955.73万元,支出总计6,954.57万元。与2015年决算数相比,收入增加950.05万元…支出增加841.13万元":
            # the bare side word names the total of that side stated just before
            named = _side_total(named_label or clean_label(lead), mentions, earlier or [])
        if directed and named is not None and named.change is None and named is not current:
            named.change = a  # the change names another subject than the last one
            current = named
            last_role = "change"
            prev_end = a.end
            continue
        own = clean_label(lead) if directed and not re.search(r"比|较|相比", lead) else ""
        subject = None
        if directed and named is None and current is not None and _is_headline(named_label) \
                and not current.label.endswith(named_label):
            # "…年初结转和结余100.00万元,与上年相比收入总计减少50.00万元": the change is 收入总计's, not the
            # last figure's; with no figure of 收入总计 in reach it binds to nothing rather than to the wrong one
            subject = named_label
        elif own and current is not None and own != current.label and _is_headline(own) \
                and not current.label.endswith(own):
            # "…减少0.28万元,降低3.09%,其中:因公出国(境)费支出决算减少0万元": a change of its own subject
            subject = own
        if subject is not None:
            current = Mention(subject, lead_from, None, (start, end), clause, change=a, lead=lead)
            mentions.append(current)
            last_role = "change"
            prev_end = a.end
            continue
        if directed and current is not None and (_CHANGE_CONTEXT_RE.search(text[current.sentence[0]:a.start])
                                                 or _BARE_DIRECTION_RE.match(a.text)
                                                 or (_YEAR_ON_YEAR_WORD_RE.match(a.text) and not between.strip(" ,，"))
                                                 or _earlier_year_lead(lead, year)):
            # the base is the last comparison phrase: a budget ("比年初预算数…") or the prior year
            since = text[(current.amount.end if current.amount else current.label_start):a.start]
            # "…比预算增加0万元,比去年增加1.55万元": the comparison nearest the change says what it is against
            base = _comparison_base(since)
            if _against_budget(base, year, kind):
                if current.budget_change is None:
                    current.budget_change = a
            elif current.change is None:
                current.change = a
                last_role = "change"
            prev_end = a.end
            continue
        if directed and (current is None or current.amount is None and current.change is not None):
            # "…支出决算数比2023年度减少0.15万元": a change whose subject has no figure of its own here
            subject = clean_label(re.split(r"比|较|与", lead)[0])
            if not subject:
                # "公务用车运行维护费支出决算比预算无增减变化,比去年增加1.05万元": the subject opens an earlier clause
                for piece in reversed(re.split(r"[，,：:]", text[max(start, prev_end if prev_end <= a.start else start):a.start])):
                    subject = clean_label(re.split(r"比|较|与", piece)[0])
                    if subject:
                        break
            current = Mention(subject, lead_from, None, (start, end), clause, change=a, lead=lead)
            mentions.append(current)
            if depth == 0:
                outer_current = current
            last_role = "change"
            prev_end = a.end
            continue
        if depth > 0 and not directed and current is not None and current.amount is not None \
                and current.prior is None and current.change is not None and re.search(r"上年|去年", lead) \
                and a.kind == "amount":
            # "增加2,247.84万元（上年财政仅安排…140.2万元）": the prior-year figure the change is from
            current.prior = a
            prev_end = a.end
            continue
        ym = _YEAR_FIGURE_RE.match(lead) if year and not directed else None
        focus = current if current is not None and current.amount is not None else \
            next((m for m in reversed(earlier or []) if m.amount is not None and m.amount.kind == "amount"), None)
        if ym and focus is not None:
            y = int(ym.group("y"))
            if y < year and focus.prior is None:
                # "2023年当年预算执行数为54.60万元" after the 2024 figure of a subject: its prior-year figure
                focus.prior, current, last_role = a, focus, "prior"
                prev_end = a.end
                continue
            if y == year and focus.amount.value == a.value:
                current = focus  # "2024年预算安排53.84万元": the subject's figure said again
                prev_end = a.end
                continue
            if y == year and a.kind == "amount" and focus.amount.kind == "amount":
                # "…”220.63万元…2023年预算安排441.25万元": the subject stated again with another figure — a
                # second statement of it (a finding compares the two); what follows is said of both
                current = Mention(focus.label, lead_from, a, (start, end), clause, lead=lead, twin=focus)
                mentions.append(current)
                prev_end = a.end
                continue
        mc = _DONE_BUDGET_RE.search(btxt)
        if mc and current is not None and not a.direction and current.budget is None:
            current.budget = a  # "支出决算为62.07万元,完成全年预算84.82万元的73.2%"
            current.budget_kind = (mc.group(1) or "") + "预算"
            last_role = "budget"
            prev_end = a.end
            continue
        mb0 = _CMP_BUDGET_RE.search(btxt)
        if mb0 and current is not None and not a.direction and _earlier_year(mb0.group(0), year):
            if current.prior is None:
                current.prior = a  # "比2022年年初预算数3683.76万元" in a 2023 budget: last year's figure
            prev_end = a.end
            continue
        if mb0 and current is not None and not a.direction and current.budget is None:
            current.budget = a  # "比年初预算5.28万元减少4.66万元": the comparison base is the budget
            current.budget_kind = "年初预算" if "年初" in mb0.group(0) else "预算"
            prev_end = a.end
            continue
        mp = _PRIOR_RE.search(btxt)
        if mp and current is not None and not a.direction:
            if "预算" in mp.group(0) and not _earlier_year(mp.group(0), year):
                if current.budget is None:
                    current.budget = a
                    current.budget_kind = "年初预算" if "年初" in mp.group(0) else "预算"
            elif current.change is None and (signed := _bare_change(text, current, a, amounts)) is not None:
                # "177.28万元,…与2016年相比21.79万元,增加14.01%": the figure is the change the rate is of
                current.change = signed
                last_role = "change"
            elif current.prior is None:
                current.prior = a
            prev_end = a.end
            continue
        mb = _BUDGET_RE.match(clean_label(lead)) if lead else None
        outcome_follows = re.search(r"决算", text[a.end:end]) is not None
        if mb and not mb.group("label") and not a.direction and not outcome_follows and current is not None \
                and current.amount is not None and current.budget is None and current.clause[1] <= a.start:
            # "公务接待费支出2.05万元,年初预算为2万元": the budget of the figure just stated
            current.budget = a
            current.budget_kind = mb.group("kind").rstrip("数")
            last_role = "budget"
            prev_end = a.end
            continue
        if mb and not a.direction and outcome_follows and (mb.group("label") or current is None
                                                             or current.amount is not None):
            # "X年初预算为B万元，支出决算为A万元": remember B, bind it to the next outcome figure
            # "X年初预算为0万元，全年预算为321.02万元，支出决算为…": the second budget is X's too
            label = clean_label(mb.group("label")) or (pending_budget[2] if pending_budget else "") \
                or (current.label if current else "")
            if pending_budget:
                b0, k0, l0, s0 = pending_budget
                mentions.append(Mention(l0, s0, None, (start, end), (s0, b0.end), budget=b0, budget_kind=k0))
            pending_budget = (a, mb.group("kind"), label, lead_from)
            prev_end = a.end
            continue
        if pending_budget and _OUTCOME_RE.search(clean_label(lead) or lead.strip("，, ")):
            b, kind, label, lstart = pending_budget
            pending_budget = None
            current = Mention(label, lstart, a, (start, end), (min(lstart, clause[0]), clause[1]),
                              budget=b, budget_kind=kind)
            mentions.append(current)
            prev_end = a.end
            continue
        label = clean_label(lead)
        if label in _GENERIC_TAIL and cstart > start and text[cstart - 1] in "：:":
            # "…机关事业单位基本养老保险缴费支出（项）：支出决算为67.64万元": the subject precedes the colon
            pstart = bounds.start(cstart - 1)
            label = clean_label(text[pstart:cstart - 1]) or label
            lead_from = pstart
        if _DIRECTION_ONLY_RE.match(label):  # "增加（减少）0万元": a change of unknown sign, no subject
            prev_end = a.end
            continue
        vf = _VERB_FIRST_RE.match(label) if not directed else None
        if vf and _is_headline(re.sub(r"[“”\"'‘’]", "", vf.group("subject"))) \
                or verb_first and re.match(r"[\s，,、]*其中", lead):
            # what part of which change it is the text does not say in the grammar's terms: a fact, no row
            verb_first = True
            prev_end = a.end
            continue
        current = Mention(label, lead_from, a, (start, end), clause, lead=lead,
                          outer=outer_current if depth > 0 else None)
        if depth == 0:
            outer_current = current
        last_role = "amount"
        if _FLAT_RE.search(text[a.end:clause[1] + 1]) or _FLAT_NEXT_RE.match(text, clause[1], end):
            current.flat = True
        mentions.append(current)
        prev_end = a.end
    if pending_budget:  # a budget with no outcome figure after it is still a figure
        b, kind, label, lstart = pending_budget
        mentions.append(Mention(label, lstart, None, (start, end), (lstart, b.end), budget=b, budget_kind=kind))
    return mentions
