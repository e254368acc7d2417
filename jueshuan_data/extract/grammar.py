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
import re
from dataclasses import dataclass, field

from ..numbers import Amount, find_amounts

# Clause boundaries inside a sentence.
_CLAUSE_BREAK = "，,；;：:。！？\n"
# Text between the previous figure and this one that marks the figure's role.
_SHARE_RE = re.compile(r"(?:占|所占比例为?|比重为?|占比为?)(?P<base>[^，,；;。%]{0,24}?)(?:的比[重例]为?|的比例为?|的|比例为?|为)?$")
_PRIOR_RE = re.compile(r"(?:比|较|与|相比|同比)(?P<when>上年|去年|上年度|去年同期|上年同期|上一年度?|上一年|\d{4}年度?|同期)"
                       r"(?:同期|决算数?|度)?(?P<what>[^，,；;。]{0,12}?)(?:的)?$")
_BUDGET_BASE_RE = re.compile(r"(?:比|较)[^，,；;。]{0,30}(?:年初预算|全年预算|调整预算|预算数)[^，,；;。比较]*$")
_DONE_BUDGET_RE = re.compile(r"完成(年初|全年|调整)?预算数?(?:为)?$")
_CMP_BUDGET_RE = re.compile(r"(?:比|较)[^，,；;。比较]{0,30}预算数?(?:为|是)?$")
_CHANGE_CONTEXT_RE = re.compile(r"(?:比|较|与|相比|同比|上年|去年|同期|年度相比)")
_BUDGET_RE = re.compile(r"(?P<label>.*?)(?P<kind>年初预算数?|全年预算数?|调整预算数?|预算数|预算)(?:为|是)?$")
_OUTCOME_RE = re.compile(r"(?:支出决算数?|决算数|实际支出|决算|支出)(?:为|是)?$")
_EXECUTION_RE = re.compile(r"(?:完成|达到)?(?:年初|全年|调整)?预算(?:数)?的?$|执行率(?:为|是|达到?)?$|完成率(?:为)?$")
_FLAT_RE = re.compile(r"持平")

# Words at the start of a label that are not part of the subject.
_LEAD_RE = re.compile(
    r"^(?:[\s、，,：:；;]|其中[：:，,]?|主要用于以下方面[：:]?|主要用于|分别是|分别为|包括|具体为|用于|截至[^，,]*?[，,]|"
    r"截止[^，,]*?[，,]|加上|共有|现有|拥有|全年|本年度(?=...)|本年(?=...)|当年|我单位|我街道|本单位|本部门|使用|安排|以及|及|和|共计|另外|此外|"
    r"[一二三四五六七八九十]+是|\d+[.、．]|\d+\s+|[（(]\d+[）)]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)+"
)
_YEAR_RE = re.compile(r"(?:截至|截止)?\d{4}\s*年(?:\d{1,2}月\d{1,2}日|度)?(?:[，,]?)")
_NOTE_RE = re.compile(r"[（(][^（）()]{9,}[）)]")  # an explanatory note in brackets, not part of a name
_GENERIC_TAIL = {"", "决算数", "决算", "支出决算", "支出决算数", "支出", "决算为", "合计", "年度决算数", "实际支出"}
_THRESHOLD_RE = re.compile(r"^(?:[（(]含[）)])?(?:以上|以下|及以上|以内)")
_DIRECTION_ONLY_RE = re.compile(r"^(?:增加|减少|增长|下降|上升|降低)?[（(]?(?:增加|减少|增长|下降|上升|降低)[）)]?$")
_TAIL_RE = re.compile(r"(?:分别为|分别是|分别|各是|各为|各|为|是|达到|达|约|了|：|:|，|,|\s)+$")


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


def _strip(s: str) -> str:
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_RE.sub("", s)
        s = _TAIL_RE.sub("", s)
        s = s.strip(" “”\"'")
    return s


def _clause_start(text: str, lo: int, pos: int) -> int:
    # a comma inside brackets ("资产总额（账面净值，下同）") does not end the clause
    i, depth = pos, 0
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


_CONTINUES_RE = re.compile(r"^[\s，,]*(?:比|较|同比|与上年|与去年|与\d{4}年度?相比|上升|增长|下降)")


_BOTH_RE = re.compile(r"^(?:收、?支|收入支出)(?:总计)?(?:决算)?$")


def _both_totals(before: str, mentions: list[Mention], earlier: list[Mention]) -> list[Mention]:
    """The income and the expenditure total a change speaks of together (``收、支与2023年度相比,减少…``)."""
    subject = clean_label(re.split(r"较|比|与|同比|相比", before.split("。")[-1])[0])
    if not _BOTH_RE.match(subject):
        return []
    found: dict[str, Mention] = {}
    for m in [*reversed(mentions), *reversed(earlier)]:
        if m.amount is None:
            continue
        for side in ("收入", "支出"):
            if side not in found and re.search(side + r"(?:总计|合计)$", m.label) and "、" not in m.label:
                found[side] = m
    return list(found.values()) if len(found) == 2 else []


def _named_subject(lead: str, mentions: list[Mention], earlier: list[Mention]) -> Mention | None:
    """The mention whose label the words before a change repeat (``…相比，收入总计增加…``)."""
    label = clean_label(re.split(r"相比|比|较", lead)[-1])
    if not label or len(label) < 2:
        return None
    for m in [*reversed(mentions), *reversed(earlier)]:
        if m.amount is not None and m.label == label:
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
        k = bisect.bisect_left(self.marks, pos) - 1
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


def read_sentence(text: str, start: int, end: int, previous: Mention | None = None,
                  earlier: list[Mention] | None = None) -> list[Mention]:
    """All mentions of one sentence ``text[start:end]``, in order.

    A sentence that opens with a comparison (``；比去年同期减少7.49万元``) continues ``previous``; a change
    that names its subject (``与2022年度相比，收入总计增加12.34万元``) goes to the mention of that name among
    this sentence's and ``earlier`` ones.
    """
    amounts = [a for a in find_amounts(text, start, end) if a.kind in ("amount", "percent", "count")
               and not _THRESHOLD_RE.match(text[a.end:a.end + 6])]
    mentions: list[Mention] = []
    current: Mention | None = previous if previous is not None and _CONTINUES_RE.match(text[start:end]) else None
    prev_end = start
    pending_budget: tuple[Amount, str, str, int] | None = None
    outer_current = current
    both_totals: list[Mention] = []
    last: Amount | None = None
    last_role: str | None = None
    bounds = _Clauses(text, start, end)
    for a in amounts:
        depth = bounds.depth(a.start)
        if depth == 0 and current is not outer_current and current is not None and current.outer is not None:
            current = outer_current  # the bracket closed: what follows speaks of the figure before it
        if last is not None and current is not None and text[last.end:a.start] in (",", "、", "，") \
                and a.unit == last.unit and last_role and last_role not in current.pair:
            current.pair[last_role] = a  # the second number of "各是4125.49,4143.91万元"
            last, prev_end = a, a.end
            continue
        last = a
        cstart = bounds.start(a.start)
        lead_from = max(prev_end, cstart) if prev_end <= a.start else cstart
        lead = text[lead_from:a.start]
        # what lies between the previous figure and this one, even across a comma
        between = text[prev_end:a.start] if prev_end <= a.start else ""
        clause = (cstart, bounds.end(a.end))

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
            if _SHARE_RE.search(between.rstrip("，, ")) or re.search(r"占[^，,；;。]{0,24}$", between):
                last_role = "share"
                if current.share is None:
                    current.share = a
                    m = _SHARE_RE.search(between.rstrip("，, "))
                    base = clean_label(m.group("base")) if m else ""
                    current.share_of = base or None
            elif _EXECUTION_RE.search(between.rstrip("，, ")) or (last_role == "budget" and between.strip() in ("的", "")):
                current.execution = a
            elif a.direction and current.budget_change is not None and current.change is None:
                pass  # "比年初预算数减少10.00万元，降低9.09%": a change against the budget, not the prior year
            elif a.direction:
                last_role = "change_pct"
                if current.change_pct is None:
                    current.change_pct = a
            prev_end = a.end
            continue

        if a.kind == "count":
            # counts are mentions of their own (1辆, 3台（套）), bound to the words before them
            mentions.append(Mention(clean_label(lead), lead_from, a, (start, end), clause, lead=lead))
            prev_end = a.end
            continue

        # money
        btxt = between.rstrip("，, ")
        if a.direction and not both_totals:
            both_totals = _both_totals(text[start:a.start], mentions, earlier or [])
            if both_totals:
                for m in both_totals:
                    if m.change is None:
                        m.change = a
                prev_end = a.end
                continue
        named = _named_subject(lead, mentions, earlier or [])
        if a.direction and named is not None and named.change is None and named is not current:
            named.change = a  # the change names another subject than the last one
            current = named
            last_role = "change"
            prev_end = a.end
            continue
        if a.direction and current is not None and (_CHANGE_CONTEXT_RE.search(text[current.sentence[0]:a.start])):
            # the base is the last comparison phrase: a budget ("比年初预算数…") or the prior year
            since = text[(current.amount.end if current.amount else current.label_start):a.start]
            if _BUDGET_BASE_RE.search(since):
                if current.budget_change is None:
                    current.budget_change = a
            elif current.change is None:
                current.change = a
                last_role = "change"
            prev_end = a.end
            continue
        if a.direction and (current is None or current.amount is None and current.change is not None):
            # "…支出决算数比2023年度减少0.15万元": a change whose subject has no figure of its own here
            subject = clean_label(re.split(r"比|较|与", lead)[0])
            current = Mention(subject, lead_from, None, (start, end), clause, change=a, lead=lead)
            mentions.append(current)
            if depth == 0:
                outer_current = current
            last_role = "change"
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
        if mb0 and current is not None and not a.direction and current.budget is None:
            current.budget = a  # "比年初预算5.28万元减少4.66万元": the comparison base is the budget
            current.budget_kind = "年初预算" if "年初" in mb0.group(0) else "预算"
            prev_end = a.end
            continue
        mp = _PRIOR_RE.search(btxt)
        if mp and current is not None and not a.direction:
            if "预算" in mp.group(0):
                if current.budget is None:
                    current.budget = a
                    current.budget_kind = "年初预算" if "年初" in mp.group(0) else "预算"
            elif current.prior is None:
                current.prior = a
            prev_end = a.end
            continue
        mb = _BUDGET_RE.match(clean_label(lead)) if lead else None
        outcome_follows = re.search(r"决算", text[a.end:end]) is not None
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
        current = Mention(label, lead_from, a, (start, end), clause, lead=lead,
                          outer=outer_current if depth > 0 else None)
        if depth == 0:
            outer_current = current
        last_role = "amount"
        if _FLAT_RE.search(text[a.end:clause[1] + 1]):
            current.flat = True
        mentions.append(current)
        prev_end = a.end
    if pending_budget:  # a budget with no outcome figure after it is still a figure
        b, kind, label, lstart = pending_budget
        mentions.append(Mention(label, lstart, None, (start, end), (lstart, b.end), budget=b, budget_kind=kind))
    return mentions
