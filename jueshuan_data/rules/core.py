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
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import product
import math
import re
from typing import Any, Callable, Iterable

import pandas as pd

from ..numbers import INTEGER_PART


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


def _none(x: Any) -> bool:
    if x is None:
        return True
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
# context: the frames as row dicts, the text, helpers


_SENT_END = re.compile(r"[。！？；;\n]")


class Context:
    """What rules read: the dataset frames (as lists of row dicts), the facts, the normalised text, the
    standard tables as grids and the document."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None, facts: pd.DataFrame | None = None,
                 text: str | None = None, grids: list | None = None, document=None):
        self.tables = {k: v for k, v in (tables or {}).items() if isinstance(v, pd.DataFrame)}
        if facts is None:
            facts = self.tables.get("facts")
        self.facts = facts
        self.text = text
        self.grids = list(grids or [])       # extract.tables.Grid: the standard tables as read
        self.document = document             # ingest.Document (title, year, kind), when known
        self._rows: dict[str, list[dict]] = {}
        self._sent: list[int] | None = None

    def rows(self, dataset: str) -> list[dict]:
        """Rows of a dataset as dicts (NA -> None), in text order."""
        if dataset not in self._rows:
            df = self.tables.get(dataset)
            out: list[dict] = []
            if df is not None and len(df):
                for i, rec in enumerate(df.to_dict("records")):
                    r = {k: (None if _none(v) else v) for k, v in rec.items()}
                    r["_i"] = i
                    r["_dataset"] = dataset
                    out.append(r)
                out.sort(key=lambda r: (r.get("char_start") is None, r.get("char_start") or 0, r["_i"]))
            self._rows[dataset] = out
        return self._rows[dataset]

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


def row_decimals(row: dict, col: str = "amount_wan") -> int:
    """Decimals of a row's figure as printed (its literal), else of its value."""
    if col == "amount_wan" and row.get("amount_text"):
        d = decimals_of(row["amount_text"])
        if d is not None and _unit_factor(str(row["amount_text"])) == 1.0:
            return d
    return value_decimals(row.get(col))


def amount_slack(row: dict, col: str = "amount_wan", zero_decimals: int | None = None) -> float:
    """Half a unit in the last printed place of a row's figure, in 万元.

    A zero is read at ``zero_decimals`` when given (the precision of the figures it is compared with): a
    report that prints 0万元 among two-decimal figures means nothing spent, not a rounding to whole 万元."""
    if zero_decimals is not None and not _none(row.get(col)) and float(row[col]) == 0.0:
        return 0.5 * 10.0 ** -zero_decimals
    if col == "amount_wan" and row.get("amount_text"):
        t = tolerance_of(row["amount_text"])
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


def norm(name: Any) -> str:
    """Name for matching: no spaces, quotes or a trailing （类）/（款）/（项）."""
    if _none(name):
        return ""
    s = re.sub(r"[\s\u3000“”\"'‘’]+", "", str(name))
    s = s.replace("(", "（").replace(")", "）")
    return _BRACKET_LEVEL.sub("", s)


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
    cands = [r for r in ctx.rows("summary") if _has(r) and (
        r.get("item") in FUND_TOTAL_ITEMS.get(fund, ())
        or (r.get("fund") == fund and str(r.get("item") or "").endswith("财政拨款支出")))]
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
    for c in _dedupe([r for r in rows if r.get("level") == child_level], _fkey):
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


