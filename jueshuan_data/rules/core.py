"""The machinery every rule shares: the registry, printed precision and tolerances, the Context a rule
reads (the dataset frames as row dicts, the text, the tables as grids) and small helpers.

Tolerance is derived from the printed precision, never a constant per report. A figure printed with ``d``
decimals stands for any true value within half a unit in its last place (``0.5 * 10**-d`` in the printed
unit, converted to 万元). A sum of ``n`` printed terms compared with a printed total may therefore differ
by the sum of the terms' half-units plus the total's own (``n * 0.005 + 0.005`` for two-decimal 万元).
A ratio (share, % change) may differ from the printed percentage by the percentage's half-unit plus the
largest change of the ratio when each input moves within its half-unit (interval corners).

>>> tolerance_of("7830.05万元"), tolerance_of("2.05元"), tolerance_of("6.5万元")
(0.005, 5e-07, 0.05)
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import product
import math
import re
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterable


from ..frames import LazyFrame, materialise

if TYPE_CHECKING:   # the rules read records; a frame is only read when a caller gives frames
    import pandas as pd

from ..lexicon import FUND_BUDGETS
from ..numbers import INTEGER_PART, find_amounts


EPS = 1e-9  # float noise only; far below any printed precision (6 decimals -> 5e-7)

SEVERITIES = ("error", "warning", "info")


# --------------------------------------------------------------------------------------------------------
# registry


@dataclass(frozen=True)
class Rule:
    """A named cross-check."""

    id: str
    description: str
    datasets: tuple[str, ...]
    severity: str
    tolerance: str
    func: Callable[["Context"], Iterable[dict]]

    def run(self, ctx: "Context") -> list[dict]:
        out = []
        for row in self.func(ctx) or ():
            row = dict(row)
            row.setdefault("rule", self.id)
            out.append(row)
        return out


RULES: dict[str, Rule] = {}


def rule(id: str, description: str, datasets: Iterable[str], severity: str = "error",
         tolerance: str = "half a unit in the last printed place of every figure involved"):
    """Register ``func(ctx) -> iterable of issue rows`` as a rule."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}")

    def deco(func):
        if id in RULES:
            raise ValueError(f"duplicate rule id {id!r}")
        RULES[id] = Rule(id=id, description=description, datasets=tuple(datasets), severity=severity,
                         tolerance=tolerance, func=func)
        return func

    return deco


# --------------------------------------------------------------------------------------------------------
# printed precision

_NUM_RE = re.compile(rf"{INTEGER_PART}(?:\.(\d+))?")
_UNIT_FACTORS = (("亿元", 1e4), ("千元", 0.1), ("万元", 1.0), ("元", 1e-4), ("万", 1.0))


@functools.lru_cache(maxsize=8192, typed=True)     # the rules ask for the same literals many times a report
def decimals_of(literal: str | None) -> int | None:
    """Digits after the point of the (first) number in a printed literal.

    >>> decimals_of("6,934.46万元"), decimals_of("减少6.5万元"), decimals_of("100%"), decimals_of(None)
    (2, 1, 0, None)
    """
    if not literal:
        return None
    m = _NUM_RE.search(str(literal))
    if not m:
        return None
    return len(m.group(1) or "")


@functools.lru_cache(maxsize=8192, typed=True)
def _unit_factor(literal: str | None) -> float:
    """万元 per printed unit of a literal (1 when no money unit is printed)."""
    if not literal:
        return 1.0
    m = _NUM_RE.search(literal)
    tail = literal[m.end():] if m else literal
    for unit, factor in _UNIT_FACTORS:
        if tail.startswith(unit):
            return factor
    return 1.0


def tolerance_of(literal: str | None) -> float:
    """Half a unit in the last printed place of a literal, in 万元 for money (percent points for %)."""
    d = decimals_of(literal)
    if d is None:
        return 0.0
    return round(0.5 * 10.0 ** -d * _unit_factor(literal), 12)


def value_decimals(x: Any) -> int:
    """Decimals of a float as its shortest repr prints it (7526.16 -> 2, 100.0 -> 0): the fallback when the
    literal is unknown."""
    if _none(x):
        return 0
    s = repr(float(x))
    if "e" in s or "E" in s:
        s = f"{float(x):.12f}".rstrip("0")
    if "." not in s:
        return 0
    frac = s.split(".", 1)[1]
    return 0 if frac.strip("0") == "" else len(frac)


def _half(x: Any) -> float:
    return 0.5 * 10.0 ** -value_decimals(x)


_NEVER_NA = (str, int, bool)


def _is_frame(x: Any) -> bool:
    """A pandas DataFrame (pandas is not imported to ask: a value can only be a frame if it is loaded)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(x, pd.DataFrame)


def _none(x: Any) -> bool:
    if x is None:
        return True
    t = type(x)
    if t is float:
        return x != x
    if t in _NEVER_NA:      # the common cases without pd.isna (~40,000 calls a report)
        return False
    pd = sys.modules.get("pandas")
    if pd is None:          # no pandas value without pandas loaded (a datetime of a date column, …)
        return isinstance(x, float) and x != x
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _f(x: Any) -> float | None:
    return None if _none(x) else float(x)


def grade(diff: float, tol: float, severity: str = "error") -> str | None:
    """None within the rounding tolerance, 'warning' within the truncation band (2 x tol), else ``severity``."""
    a = abs(diff)
    if a <= tol + EPS:
        return None
    if a <= 2 * tol + EPS:
        return "warning"
    return severity


def corner_spread(func: Callable[..., float], values: list[float], slacks: list[float]) -> float:
    """Largest change of ``func`` when each input moves by its slack (interval corners)."""
    base = func(*values)
    worst = 0.0
    for signs in product((-1, 1), repeat=len(values)):
        args = [v + s * h for v, s, h in zip(values, signs, slacks)]
        try:
            worst = max(worst, abs(func(*args) - base))
        except ZeroDivisionError:
            return math.inf
    return worst


# --------------------------------------------------------------------------------------------------------
# marks: where the nearest sentence mark is (str.rfind for each mark scans a whole report back for a mark it
# does not print, such as ！, and the rules ask a few hundred times a report)

_MARKS: dict[str, tuple[str, list[int]]] = {}
_MARK_RES: dict[str, re.Pattern] = {}


def _mark_positions(text: str, chars: str) -> list[int]:
    hit = _MARKS.get(chars)
    if hit is None or hit[0] is not text:   # the positions of the last text asked, found once
        rx = _MARK_RES.get(chars)
        if rx is None:
            rx = _MARK_RES[chars] = re.compile("[" + re.escape(chars) + "]")
        hit = _MARKS[chars] = (text, [m.start() for m in rx.finditer(text)])
    return hit[1]


def last_mark(text: str, chars: str, end: int) -> int:
    """``max(text.rfind(c, 0, end) for c in chars)``: the last of the characters ``chars`` before ``end``, or -1.

    >>> last_mark("一。二；三", "。；", 4), last_mark("一。二；三", "。；", 2), last_mark("一二", "。", 2)
    (3, 1, -1)
    """
    if end < 0:
        end = max(0, end + len(text))
    ps = _mark_positions(text, chars)
    i = bisect.bisect_left(ps, end)
    return ps[i - 1] if i else -1


def next_mark(text: str, chars: str, start: int) -> int:
    """``min`` of ``text.find(c, start)`` over the characters ``chars`` that occur: the first at or after ``start``,
    or -1.

    >>> next_mark("一。二；三", "。；", 2), next_mark("一。二；三", "。；", 4)
    (3, -1)
    """
    if start < 0:
        start = max(0, start + len(text))
    ps = _mark_positions(text, chars)
    i = bisect.bisect_left(ps, start)
    return ps[i] if i < len(ps) else -1


# --------------------------------------------------------------------------------------------------------
# context: the frames as row dicts, the text, helpers


_SENT_END = re.compile(r"[。！？；;\n]")


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: (None if _none(v) else v) for k, v in rec.items()} for rec in df.to_dict("records")]


class Context:
    """What rules read: the dataset frames (as lists of row dicts), the facts, the normalised text, the
    standard tables as grids and the document."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None, facts: pd.DataFrame | None = None,
                 text: str | None = None, grids: list | None = None, document=None,
                 records: dict[str, Any] | None = None, sections=None):
        # frames, or frames not made yet (frames.LazyFrame: the rules read ``records`` instead)
        self.tables = {k: v for k, v in (tables or {}).items() if isinstance(v, LazyFrame) or _is_frame(v)}
        if facts is None:
            facts = self.tables.get("facts")
        self.facts = facts
        self.text = text
        self.grids = list(grids or [])       # extract.tables.Grid: the standard tables as read
        self.document = document             # ingest.Document (title, year, kind), when known
        # the frames' values as records (NA as None) when the caller has them (``contract.build``): reading
        # them back from the frames costs more than the rules that read them. A value may be a
        # ``contract.Built``: its columns are read as they are, its records made only if a rule asks for them
        self._given = {k: v for k, v in (records or {}).items() if v is not None and k in self.tables}
        self._rows: dict[str, list[dict]] = {}
        self._sent: list[int] | None = None
        self._facts_idx: list[tuple[int, int, str | None, str | None]] | None = None
        self._tree = sections                # segment.section_tree(text), when the caller has it
        self._bindings: dict[tuple, Binding] = {}
        self.memo: dict[tuple, Any] = {}     # what rules derive from the rows, asked again by other rules

    @property
    def fiscal_year(self) -> int | None:
        return getattr(self.document, "fiscal_year", None)

    @property
    def doc_kind(self) -> str | None:
        return getattr(self.document, "doc_kind", None)

    # the facts: which row took the literal at a position
    def fact_at(self, pos: int) -> tuple[int, int, str | None, str | None] | None:
        """(start, end, dataset, subject) of the numeric literal covering ``pos``, from the facts dataset."""
        if self._facts_idx is None:
            idx = []
            cols = self.fact_columns()
            if "char_start" in cols:
                for cs, ce, ds, subj in zip(cols["char_start"], *(cols.get(c) or [None] * len(cols["char_start"])
                                                                   for c in ("char_end", "dataset", "subject"))):
                    if _none(cs) or _none(ce):
                        continue
                    idx.append((int(cs), int(ce), None if _none(ds) else ds, None if _none(subj) else subj))
            idx.sort()
            self._facts_idx = idx
            # the furthest end among the literals up to each one: the walk back below stops where no earlier
            # literal can still cover ``pos`` (it walked back to the text's first literal for every position no
            # literal covers)
            self._facts_reach = list(itertools.accumulate((r[1] for r in idx), max))
        i = bisect.bisect_right(self._facts_idx, (pos, math.inf)) - 1
        while i >= 0 and self._facts_reach[i] > pos:
            if pos < self._facts_idx[i][1]:
                return self._facts_idx[i]
            i -= 1
        return None

    def section_titles(self, pos: int) -> list[str]:
        """Titles of the sections holding ``pos``, innermost first."""
        if self.text is None or pos is None:
            return []
        if self._tree is None:
            from ..segment import section_tree
            self._tree = section_tree(self.text)
        out, cur = [], self._tree
        while True:
            for c in cur.children:
                if c.start <= pos < c.end:
                    cur = c
                    out.append(c.title or "")
                    break
            else:
                return out[::-1]

    def binding(self, row: dict) -> "Binding":
        """How certainly a narrative statement is the report's own figure of its item (see :class:`Binding`)."""
        key = (row.get("_dataset"), row.get("_i"), row.get("char_start"))
        if key not in self._bindings:
            self._bindings[key] = _binding(self, row)
        return self._bindings[key]

    def _built(self, dataset: str):
        """The ``contract.Built`` given for a dataset whose records are still to be made, else None."""
        given = self._given.get(dataset)
        return None if given is None or isinstance(given, list) or given.columns is None else given

    def records(self, dataset: str) -> list[dict]:
        """The rows of a dataset's frame as dicts (NA -> None), in frame order; shared: not to be modified."""
        given = self._given.get(dataset)
        if given is not None and not isinstance(given, list):
            given = self._given[dataset] = given.records
        if given is None:
            df = self.tables.get(dataset)
            given = [] if df is None or not len(df) else _records(materialise(df))
            self._given[dataset] = given
        return given

    def fact_records(self) -> list[dict]:
        """The rows of the facts (the frame given as ``facts``, else the facts dataset) as :meth:`records`."""
        f = self.facts
        if f is self.tables.get("facts"):
            return self.records("facts")
        f = materialise(f)
        return _records(f) if _is_frame(f) and len(f) else []

    def fact_columns(self) -> dict[str, list]:
        """The facts (as :meth:`fact_records`) by column: column -> values, NA as None ({} without facts)."""
        if self.facts is self.tables.get("facts") and self._built("facts") is not None:
            return self._built("facts").columns
        recs = self.fact_records()
        return {k: [r.get(k) for r in recs] for k in recs[0]} if recs else {}

    def rows(self, dataset: str) -> list[dict]:
        """Rows of a dataset as dicts (NA -> None), in text order."""
        if dataset not in self._rows:
            out: list[dict] = []
            built = self._built(dataset)
            # each row a dict of its own, made straight from the built columns (not a copy of a record)
            recs = (dict(zip(built.columns, vals)) for vals in zip(*built.columns.values())) if built is not None \
                else map(dict, self.records(dataset))
            for i, r in enumerate(recs):
                r["_i"] = i
                r["_dataset"] = dataset
                out.append(r)
            out.sort(key=lambda r: (r.get("char_start") is None, r.get("char_start") or 0, r["_i"]))
            self._rows[dataset] = out
        return self._rows[dataset]

    def lines(self):
        """(start, line) of every line of the text, stripped; ``start`` is where the stripped line begins."""
        pos = 0
        for line in (self.text or "").split("\n"):
            yield pos + len(line) - len(line.lstrip()), line.strip()
            pos += len(line) + 1

    # sentences of the text
    def sentence(self, pos: int) -> tuple[int, int] | None:
        if self.text is None or pos is None:
            return None
        if self._sent is None:
            self._sent = [m.end() for m in _SENT_END.finditer(self.text)]
        i = bisect.bisect_right(self._sent, pos)
        lo = self._sent[i - 1] if i > 0 else 0
        hi = self._sent[i] if i < len(self._sent) else len(self.text)
        return lo, hi

    def pct_decimals(self, row: dict, col: str) -> int:
        """Decimals of a printed percentage of a row: the literal in the row's sentence whose value it is,
        else the value's own repr."""
        val = row.get(col)
        d = value_decimals(val)
        if self.text is not None and row.get("char_end") is not None and not _none(val):
            span = self.sentence(int(row["char_start"]))
            if span:
                hi = span[1]
                # the share usually follows the amount in the next clause(s); look up to the next sentence end
                nxt = self.sentence(hi) if hi < len(self.text) else None
                end = nxt[1] if nxt and self.text[hi - 1:hi] in "；;" else hi
                for m in re.finditer(r"(\d+(?:\.(\d+))?)\s*[%％]", self.text[int(row["char_end"]):end]):
                    if math.isclose(float(m.group(1)), abs(float(val)), abs_tol=1e-9):
                        return len(m.group(2) or "")
        return d


# --------------------------------------------------------------------------------------------------------
# binding: is a narrative statement the report's own figure of its item, for which area, year and phase?

_AREA_RE = re.compile(r"全(?:市|省|区|县|旗|州|盟|镇|乡)(?!委|人大|政府)|(?:市|省|区|县|旗|州|盟|镇|乡)(?:本级|级)(?!别|次|以)|本级")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_FUND_WORDS = re.compile("|".join((*FUND_BUDGETS, "部门预算", "单位预算", "预算单位", "预算法")))
_BUDGET_WORD = re.compile(r"预算")
_OUTCOME_WORD = re.compile(r"决算|实际|执行|完成")
_PART_WORD = re.compile(r"其中|包括|分别|含")
_FUND_RE = re.compile(r"一般公共预算|政府性基金|国有资本经营|社会保险基金")


@dataclass(frozen=True)
class Binding:
    """What the words around a narrative figure say about which figure it is.

    ``area`` ('all' for 全市/全区…, 'own' for 市本级/区级/本级…), ``fund`` (一般公共预算, 政府性基金 … as the
    sentence or the heading names it), ``part`` (基本支出 / 项目支出 when the heading, or a table's title, is about
    that part only), ``year`` (a year other than the report's
    named before the figure in its sentence), ``phase`` ('budget' / 'outcome' when the figure's clause says
    预算 or 决算/执行), ``parent`` (the headline item of the sentence the figure is a part of: 支出合计X，其中
    基本支出Y) and ``foreign`` (the label of a figure outside the headline items that the statement belongs
    to: 机构运行X，其中基本支出Y; or an unlabelled figure heading its sentence). A statement with a
    ``foreign`` head is not the report's own figure of its item with certainty. ``qualifier``: words the
    printed name puts before its item that none of the others stand for (改革前 in 改革前一般公共预算收入):
    two statements qualified differently are of two figures."""

    area: str | None = None
    year: int | None = None
    phase: str | None = None
    parent: str | None = None
    foreign: str | None = None
    fund: str | None = None
    part: str | None = None
    qualifier: str | None = None

    @property
    def certain(self) -> bool:
        return self.foreign is None


def _binding(ctx: "Context", row: dict) -> Binding:
    text = ctx.text
    pos = row.get("char_start")
    if row.get("source_kind") == "table":
        return Binding(part=_part_of(str(row.get("table") or "")))
    if text is None or pos is None:
        return Binding()
    pos = int(pos)
    # part: a section on 基本支出 (or 项目支出) states the figures of that part only
    # (a heading's own words: '（八）机关运行经费：指…基本支出中的日常公用经费支出', a glossary entry read as a
    # heading, is about 机关运行经费, whatever its definition mentions)
    # (a numbered statement read as a heading, '1．公共安全（类）支出 13656.34 万元，主要用于…等项目支出。', names
    # its subject before its first clause ends: what it says of the subject after that is no part)
    part = next((p for p in (_part_of(re.split(r"[：:，,。；;]", t, maxsplit=1)[0]) for t in ctx.section_titles(pos))
                 if p), None)
    lo, _ = ctx.sentence(pos)
    prefix = text[lo:pos]
    # area: the last marker of the sentence before the figure, else the innermost heading that names one
    area = None
    # … or the scope the extraction kept in the row's printed name ("自治区本级地方收入": a line's scope)
    found = list(_AREA_RE.finditer(prefix)) or list(_AREA_RE.finditer(str(row.get("printed_name") or "")))
    if not found:
        # the clauses before it in the same full sentence (up to the 。 or line break; ；ends a clause only):
        # "…公车购置支出470万元…；公务接待费支出627万元" speaks of the area its sentence named
        full = last_mark(text, "。！？\n", lo) + 1
        found = list(_AREA_RE.finditer(text[full:lo]))
        if not found and re.match(r"\s*其中", text[full:pos]) and full > 0 and text[full - 1] != "\n":
            # "全州…支出4,855万元…。其中:公车购置支出470万元": a breakdown sentence speaks of the area of the
            # sentence it breaks down (the one before it in the same paragraph)
            prev = last_mark(text, "。！？\n", full - 1) + 1
            found = list(_AREA_RE.finditer(text[prev:full]))
    if found:
        area = "all" if found[-1].group(0).startswith("全") else "own"
    else:
        for title in ctx.section_titles(pos):
            m = list(_AREA_RE.finditer(title))
            if m:
                area = "all" if m[-1].group(0).startswith("全") else "own"
                break
    # fund: the budget the sentence or, failing that, the innermost heading names (一般公共预算 vs 政府性基金预算)
    fund = None
    found = list(_FUND_RE.finditer(prefix))
    if found:
        fund = found[-1].group(0)[:2]
    else:
        for title in ctx.section_titles(pos):
            m = list(_FUND_RE.finditer(title))
            if m:
                fund = m[-1].group(0)[:2]
                break
    # year: the last year named before the figure, unless it is the base of a comparison (比2020年, 2020年相比)
    year = None
    for m in _YEAR_RE.finditer(prefix):
        before, after = prefix[max(0, m.start() - 2):m.start()], prefix[m.end():m.end() + 4]
        if re.search(r"[比较与]", before) or re.search(r"相比|比较|同期", after):
            continue
        year = int(m.group(1))
    if year is not None and (ctx.fiscal_year is None or year == ctx.fiscal_year):
        year = None                                # the report's own year, or no year to compare with
    # phase: the words of the figure's own clause
    clause = re.split(r"[，,：:；;。]", prefix)[-1]
    clause = _FUND_WORDS.sub("", clause)
    phase = "budget" if _BUDGET_WORD.search(clause) else ("outcome" if _OUTCOME_WORD.search(clause) else None)
    # head: the first money figure of the sentence, when it is another one than this
    parent = foreign = None
    heads = [a for a in find_amounts(text, lo, pos) if a.kind == "amount" and not a.direction]
    if heads:
        head = heads[0]
        fact = ctx.fact_at(head.start)
        ds, subject = (fact[2], fact[3]) if fact else (None, None)
        between = text[head.end:pos]
        label = re.sub(r"^.*[，,。；;：:、]", "", text[max(lo, head.start - 16):head.start]).strip()
        bare = re.sub(r"^(?:(?:19|20)\d\d\s*年度?|本年度?)", "", label)
        if ds is None and bare and _headline(bare):
            ds, subject = "summary", bare          # an unbound head that names a headline item
        if ds == row.get("_dataset") and ds != "summary":
            pass                                   # a breakdown within the dataset (三公 合计，其中 …)
        elif ds == "summary" and subject and _headline(subject):
            if _PART_WORD.search(between):
                parent = subject
        else:
            foreign = subject or label or "句首未标明科目的数字"
    return Binding(area=area, year=year, phase=phase, parent=parent, foreign=foreign, fund=fund, part=part,
                   qualifier=_qualifier(row))


# what a printed name may put before its item without naming another figure: the enumeration, the year, the
# words of the report's own year and scope, and what the other dimensions of a binding already read
_PLAIN_QUALIFIER = re.compile(
    r"[\s\d一二三四五六七八九十、.．（）()“”\"'：:，,]|(?:19|20)\d\d年度?|本年度?|全年|当年|年度|本期|其中|合计|共计|累计|"
    r"实际|完成|决算|预算|执行|年初|调整后?|财政拨款|一般公共预算|政府性基金|国有资本经营|部门|单位|本单位|本部门|"
    r"全(?:市|省|区|县|旗|州|盟|镇|乡)|(?:市|省|区|县|旗|州|盟|镇|乡)?(?:本级|级)")


def _qualifier(row: dict) -> str | None:
    """The words before the item in the row's printed name that no other part of a binding stands for."""
    printed = re.sub(r"\s+", "", str(row.get("printed_name") or ""))
    item = re.sub(r"\s+", "", str(row.get("item") or row.get("subject") or ""))
    if not item or not printed.endswith(item) or len(printed) <= len(item):
        return None
    rest = _PLAIN_QUALIFIER.sub("", printed[:-len(item)])
    return rest or None


def _part_of(title: str) -> str | None:
    if "基本支出" in title:
        return "基本支出"
    if "项目支出" in title:
        return "项目支出"
    return None


def _headline(item: str) -> bool:
    from ..extract.names import summary_items
    return bool(summary_items(item))


def scope_difference(a: Binding, b: Binding, doc_kind: str | None = None) -> tuple[str | None, str | None]:
    """(different, uncertain): why two statements are certainly of different figures (both name a different
    area, year, phase or parent), else why they may be (only one names it), else (None, None)."""
    natural = {"决算": "outcome", "预算": "budget"}.get(doc_kind or "")
    pa, pb = a.phase or natural, b.phase or natural
    for what, x, y in (("口径", a.area, b.area), ("年度", a.year, b.year), ("预算/决算", pa, pb),
                       ("资金", a.fund, b.fund), ("支出部分", a.part, b.part), ("限定", a.qualifier, b.qualifier)):
        if x is not None and y is not None and x != y:
            return f"{what}不同（{x} / {y}）", None
    if a.parent is not None and b.parent is not None and a.parent != b.parent:
        return f"分属 {a.parent} 与 {b.parent}", None
    for what, x, y in (("口径", a.area, b.area), ("年度", a.year, b.year), ("支出部分", a.part, b.part)):
        if (x is None) != (y is None):
            return None, f"只有一处写明{what}（{x or y}）"
    if not a.certain or not b.certain:
        return None, f"其中一处是“{a.foreign or b.foreign}”的组成部分"
    if (a.parent is None) != (b.parent is None) and re.search(r"财政拨款|预算", a.parent or b.parent or ""):
        return None, f"其中一处是“{a.parent or b.parent}”的组成部分"
    return None, None


def row_unit_factor(row: dict, col: str = "amount_wan") -> float:
    """万元 per printed unit of a row's figure: the unit of its literal, or -- a table cell printed without its
    unit, under its table's 单位：元 -- the ratio of its value to its printed number (1e-4 for 元, 1e4 for 亿元)."""
    lit = str(row.get("amount_text") or "")
    if col != "amount_wan":
        return _unit_factor(lit)
    v = row.get(col)
    try:
        return _value_unit_factor(lit, v)
    except TypeError:       # an unhashable value: not remembered
        return _value_unit_factor.__wrapped__(lit, v)


@functools.lru_cache(maxsize=8192, typed=True)     # ~1,000 asks a report, of a few hundred rows
def _value_unit_factor(lit: str, v: Any) -> float:
    f = _unit_factor(lit)
    if f != 1.0 or "万" in lit:
        return f
    m = _NUM_RE.search(lit)
    if m and not _none(v):
        n = abs(float(m.group().replace(",", "")))
        for k in (1e-4, 1e4):
            if n and abs(abs(float(v)) - n * k) <= 1e-9 * max(1.0, abs(float(v))):
                return k
    return 1.0


def row_decimals(row: dict, col: str = "amount_wan") -> int:
    """Decimals of a row's figure as printed (its literal), else of its value."""
    if col == "amount_wan" and row.get("amount_text"):
        d = decimals_of(row["amount_text"])
        if d is not None and row_unit_factor(row, col) == 1.0:
            return d
    return value_decimals(row.get(col))


def amount_slack(row: dict, col: str = "amount_wan", zero_decimals: int | None = None) -> float:
    """Half a unit in the last printed place of a row's figure, in 万元.

    A zero is read at ``zero_decimals`` when given (the precision of the figures it is compared with): a
    report that prints 0万元 among two-decimal figures means nothing spent, not a rounding to whole 万元."""
    if zero_decimals is not None and not _none(row.get(col)) and float(row[col]) == 0.0:
        return 0.5 * 10.0 ** -zero_decimals
    if col == "amount_wan" and row.get("amount_text"):
        d = decimals_of(row["amount_text"])
        t = round(0.5 * 10.0 ** -d * row_unit_factor(row, col), 12) if d is not None else 0.0
        if t:
            return t
    return _half(row.get(col))


def fmt(value: Any, row: dict | None = None, col: str = "amount_wan", unit: str = "万元") -> str:
    """A figure as printed (the literal when known, without a direction word) for messages."""
    if _none(value):
        return "—"
    if row is not None and col == "amount_wan" and row.get("amount_text"):
        lit = str(row["amount_text"])
        m = _NUM_RE.search(lit)
        if m:
            lit = lit[m.start():]
            if _unit_factor(lit) != 1.0 or lit.endswith(("万元", "万")):
                return lit
            # a cell of a table printed in 元 (the Shanghai 预算) has no unit in its literal: 6,964,796 is
            # 696.4796 万元, and must not read "6,964,796万元"
            if unit == "万元" and abs(float(m.group().replace(",", "")) * 1e-4 - float(value)) < 1e-9:
                return lit + "元"
            return lit + unit
    d = value_decimals(value)
    return f"{float(value):.{d}f}{unit}"


def fmt_sum(value: float, decimals: int, unit: str = "万元") -> str:
    return f"{value:.{decimals}f}{unit}"


def issue(severity: str, dataset: str | None, message: str, expected: Any = None, actual: Any = None,
          at: dict | None = None, **over) -> dict:
    """An issue row anchored at a dataset row (its evidence, section and span)."""
    at = at or {}
    row = {
        "severity": severity,
        "dataset": dataset,
        "message": message,
        "expected": _f(expected),
        "actual": _f(actual),
        "evidence": at.get("evidence"),
        "section": at.get("section"),
        "char_start": None if at.get("char_start") is None else int(at["char_start"]),
        "char_end": None if at.get("char_end") is None else int(at["char_end"]),
    }
    row.update(over)
    return row


_BRACKET_LEVEL = re.compile(r"[（(](类|款|项)[）)]$")


_NORM_DROP = re.compile(r"[\s\u3000“”\"'‘’]+")


@functools.lru_cache(maxsize=4096)
def _norm(s: str) -> str:
    s = _NORM_DROP.sub("", s).replace("(", "（").replace(")", "）")
    return _BRACKET_LEVEL.sub("", s)


def norm(name: Any) -> str:
    """Name for matching: no spaces, quotes or a trailing （类）/（款）/（项）."""
    if _none(name):
        return ""
    return _norm(str(name))


def _first(rows: list[dict]) -> dict | None:
    return rows[0] if rows else None


def _dedupe(rows: list[dict], key: Callable[[dict], Any]) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        k = key(r)
        if k in seen:
            continue
        seen.add(k)
        out.append(r)
    return out


def _modal_section(rows: list[dict]) -> str | None:
    c = Counter(r.get("section") for r in rows if r.get("section"))
    return c.most_common(1)[0][0] if c else None


def _pick(candidates: list[dict], near: list[dict]) -> dict | None:
    """Among rows stating the same figure, the one in the section of ``near`` (else the first)."""
    if not candidates:
        return None
    sec = _modal_section(near)
    for c in candidates:
        if sec is not None and c.get("section") == sec:
            return c
    return candidates[0]


_DIRECTION = re.compile(r"^\s*(?:增加|减少|增长|下降|降低|上升|提高|增幅|减幅|缩减)")


def _has(row: dict | None, col: str = "amount_wan") -> bool:
    """The row states this figure. An amount whose literal starts with a direction word (减少56.95万元) is a
    change read as an amount, not a statement of the item: it takes part in no comparison."""
    if row is None or _none(row.get(col)):
        return False
    if col == "amount_wan" and row.get("amount_text") and _DIRECTION.match(str(row["amount_text"])):
        return False
    return True


def _terms(children: list[tuple[str, dict]], col: str = "amount_wan") -> str:
    return " + ".join(f"{label} {fmt(r[col], r, col)}" for label, r in children)


def _max_dec(rows: list[dict], col: str = "amount_wan") -> int:
    ds = [decimals_of(r.get("amount_text")) if col == "amount_wan" and r.get("amount_text") else None for r in rows]
    ds = [d if d is not None else value_decimals(r.get(col)) for d, r in zip(ds, rows)]
    return max(ds + [2])


def check_parts(dataset: str, parent: dict, parent_label: str, children: list[tuple[str, dict]], complete: bool,
                what: str, col: str = "amount_wan", severity: str = "error", anchor: dict | None = None) -> list[dict]:
    """Σ children vs parent: equal within rounding when ``complete``, else not larger (parts ≤ whole)."""
    kids = [(lab, r) for lab, r in children if _has(r, col)]
    if not kids or not _has(parent, col):
        return []
    total = sum(float(r[col]) for _, r in kids)
    nonzero = [r for r in [parent] + [r for _, r in kids] if float(r[col]) != 0.0]
    zd = max([row_decimals(r, col) for r in nonzero], default=2)
    tol = sum(amount_slack(r, col, zd) for _, r in kids) + amount_slack(parent, col, zd)
    pv = float(parent[col])
    diff = total - pv
    if not complete and diff <= tol + EPS:
        return []
    sev = grade(diff, tol, severity)
    if sev is None:
        return []
    d = _max_dec([parent] + [r for _, r in kids], col)
    terms = _terms(kids, col)
    if len(kids) == 1:
        rel = "≠" if complete else "大于"
        msg = (f"{kids[0][0]} {fmt(total, kids[0][1], col)} {rel} {parent_label} {fmt(pv, parent, col)}，"
               f"相差 {abs(diff):.{d}f}万元，舍入容差 {tol:.4g}万元")
    elif complete:
        msg = (f"{parent_label} {fmt(pv, parent, col)} ≠ {what}之和 {fmt_sum(total, d)}（{terms}），"
               f"相差 {abs(diff):.{d}f}万元，舍入容差 {tol:.4g}万元")
    else:
        msg = (f"{what}之和 {fmt_sum(total, d)}（{terms}）超过 {parent_label} {fmt(pv, parent, col)}，"
               f"多出 {diff:.{d}f}万元，舍入容差 {tol:.4g}万元")
    return [issue(sev, dataset, msg, expected=pv, actual=total, at=anchor or parent)]


# --------------------------------------------------------------------------------------------------------
# expenditure_by_function: 类 / 款 / 项

FUND_TOTAL_ITEMS = {
    "一般公共预算": ("一般公共预算财政拨款支出",),
    "政府性基金预算": ("政府性基金预算财政拨款支出",),
    "国有资本经营预算": ("国有资本经营预算财政拨款支出",),
}
_LEVELS = ("类", "款", "项")


def _fkey(r: dict) -> tuple:
    """Identity of a functional subject: fund, level, code (or names)."""
    if r.get("code"):
        return (r.get("fund"), r.get("level"), "code", r["code"])
    return (r.get("fund"), r.get("level"), "name", norm(r.get("subject")), norm(r.get("parent_subject")))


def _fund_total(ctx: Context, fund: str, near: list[dict]) -> dict | None:
    # classes of all funds together (fund null: a 收入支出决算总表's, a 预算's 支出预算总计) add up to the
    # unit's 支出合计, not to its 财政拨款支出 (which leaves out the money that is not a grant)
    items = FUND_TOTAL_ITEMS.get(fund, ()) if fund is not None else ("支出合计",)
    cands = [r for r in ctx.rows("summary") if _has(r) and (
        r.get("item") in items
        or (fund is not None and r.get("fund") == fund and str(r.get("item") or "").endswith("财政拨款支出")))]
    return _pick(cands, near)


def _label(r: dict) -> str:
    return str(r.get("printed_name") or r.get("subject") or r.get("item") or "?")


def _function_families(ctx: Context, child_level: str) -> list[tuple[dict, list[dict], list[dict]]]:
    """(parent representative, all parent rows, distinct children) for every parent at the level above."""
    rows = [r for r in ctx.rows("expenditure_by_function") if r.get("level") in _LEVELS]
    parent_level = _LEVELS[_LEVELS.index(child_level) - 1]
    parents: dict[tuple, list[dict]] = defaultdict(list)
    by_code: dict[tuple, tuple] = {}
    by_name: dict[tuple, tuple] = {}
    for p in rows:
        if p.get("level") != parent_level:
            continue
        k = _fkey(p)
        parents[k].append(p)
        if p.get("code"):
            by_code[(p.get("fund"), p["code"])] = k
        for n in (p.get("subject"), p.get("printed_name")):
            if n:
                by_name.setdefault((p.get("fund"), norm(n)), k)
    kids: dict[tuple, list[dict]] = defaultdict(list)
    for c in _dedupe([r for r in rows if r.get("level") == child_level and level_certain(ctx, r)], _fkey):
        k = None
        if c.get("parent_code"):
            k = by_code.get((c.get("fund"), c["parent_code"]))
        if k is None and c.get("parent_subject"):
            k = by_name.get((c.get("fund"), norm(c["parent_subject"])))
        if k is not None:
            kids[k].append(c)
    out = []
    for k, cs in kids.items():
        ps = [p for p in parents[k] if _has(p)]
        cs = [c for c in cs if _has(c)]
        if ps and cs:
            out.append((_pick(ps, cs), ps, _drop_restatements(cs)))
    return out


def level_certain(ctx: Context, r: dict) -> bool:
    """The row is a 类/款/项 of the classification for sure: it has a code (the catalogue knows its name),
    comes from a table, or the text prints its level (其他国土资源事务支出（项）). A narrative name the
    catalogue does not know was given its level by the grammar's guess (增支约0.18亿元 after a 类; 中央补助
    in a fiscal report) and is never summed into a parent."""
    if r.get("code") or _from_table(r):
        return True
    from ..extract.names import function_class
    if r.get("level") == "类" and any(function_class(str(n)) for n in (r.get("subject"), r.get("printed_name")) if n):
        return True
    name = r.get("printed_name") or r.get("subject")
    if not name or not ctx.text or not r.get("level"):
        return False
    return re.search(re.escape(str(name)) + r"\s*[（(]" + str(r["level"]) + r"[）)]", ctx.text) is not None


def _drop_restatements(rows: list[dict]) -> list[dict]:
    """Drop narrative restatements of table rows: a narrative row with the amount of a table row of the same
    breakdown but another name (the narrative calls 2080599 其他行政事业单位养老支出 '机关事业单位退休人员活动费支出').
    Rows stating the same subject and amount are merged by the extractors, so a surviving narrative row with a
    table row's amount is the same figure under another name; counting both would double it."""
    table_amounts = {round(float(r["amount_wan"]), 6) for r in rows if r.get("source_kind") == "table" and _has(r)}
    if not table_amounts:
        return rows
    return [r for r in rows if r.get("source_kind") == "table" or round(float(r["amount_wan"]), 6) not in table_amounts]


def _catch_all(r: dict) -> bool:
    code = str(r.get("code") or "")
    return code.endswith("99") or norm(r.get("subject")).startswith("其他") or norm(r.get("printed_name")).startswith("其他")


def _complete_children(children: list[dict]) -> bool:
    """The printed children are the whole breakdown: they come from a table (which lists every non-empty
    row) or include the catch-all '其他…' subject (printed only when the list is exhaustive)."""
    return any(_from_table(r) for r in children) or any(_catch_all(r) for r in children)


def _from_table(r: dict) -> bool:
    """Read from (or merged with) a table row."""
    return r.get("source_kind") == "table" or bool(r.get("table"))


def _shares_cover(children: list[dict]) -> bool:
    """Every child has a printed share and the shares add to 100 within truncation."""
    if not children or any(_none(r.get("share_pct")) for r in children):
        return False
    total = sum(float(r["share_pct"]) for r in children)
    tol = sum(_half(r["share_pct"]) for r in children)
    return abs(total - 100.0) <= 2 * tol + EPS


