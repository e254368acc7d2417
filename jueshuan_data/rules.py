"""Cross-checks of a report against itself: a registry of named rules -> rows of the ``issues`` dataset.

Every rule has an id, a one-line description, the datasets it reads, the severity of a clear violation and
a description of its rounding tolerance. ``run_rules(tables, facts, text)`` runs them all and returns the
issue rows (keys rule, severity, dataset, message, expected, actual, evidence, section, char_start,
char_end; the caller adds report_id/entity/fiscal_year/source). A rule never fixes a figure and never
raises: a rule that crashes becomes a warning row of its own.

Tolerance is derived from the printed precision, never a constant per report. A figure printed with ``d``
decimals stands for any true value within half a unit in its last place (``0.5 * 10**-d`` in the printed
unit, converted to 万元). A sum of ``n`` printed terms compared with a printed total may therefore differ
by the sum of the terms' half-units plus the total's own (``n * 0.005 + 0.005`` for two-decimal 万元).
A ratio (share, % change) may differ from the printed percentage by the percentage's half-unit plus the
largest change of the ratio when each input moves within its half-unit (interval corners).

Findings are graded by how the difference can be explained:

- within the rounding tolerance: no finding;
- within twice that (every figure truncated instead of rounded, i.e. off by less than one unit in its
  last place): ``warning``;
- beyond: the rule's severity (``error`` for arithmetic that cannot hold).

>>> sorted(RULES)[:3]
['asset_parts_vs_parent', 'basic_project_vs_total', 'change_pct_vs_amounts']
>>> tolerance_of("7830.05万元"), tolerance_of("2.05元"), tolerance_of("6.5万元")
(0.005, 5e-07, 0.05)
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import product
from typing import Any, Callable, Iterable

import pandas as pd

from .numbers import INTEGER_PART, NUMBER, cut_number_start

__all__ = ["Rule", "RULES", "rule", "run_rules", "unique_messages", "tolerance_of", "decimals_of", "Context"]

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
    """What rules read: the dataset frames (as lists of row dicts), the facts and the normalised text."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None, facts: pd.DataFrame | None = None,
                 text: str | None = None):
        self.tables = {k: v for k, v in (tables or {}).items() if isinstance(v, pd.DataFrame)}
        if facts is None:
            facts = self.tables.get("facts")
        self.facts = facts
        self.text = text
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
            return lit if _unit_factor(lit) != 1.0 or lit.endswith(("万元", "万")) else lit + unit
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


@rule("lei_sum_vs_fund_total", "Σ 类 of a fund vs the fund's printed total (e.g. 一般公共预算财政拨款支出)",
      ["expenditure_by_function", "summary"],
      tolerance="Σ half-units of the 类 amounts + the total's half-unit; an incomplete 类 list may only fall short")
def _lei_sum_vs_fund_total(ctx: Context):
    out = []
    lei = _dedupe([r for r in ctx.rows("expenditure_by_function") if r.get("level") == "类" and _has(r)], _fkey)
    by_fund: dict[str, list[dict]] = defaultdict(list)
    for r in lei:
        by_fund[r.get("fund")].append(r)
    for fund, rows in by_fund.items():
        rows = _drop_restatements(rows)
        total = _fund_total(ctx, fund, rows)
        if total is None:
            continue
        complete = any(_from_table(r) for r in rows) or _shares_cover(rows)
        out += check_parts("expenditure_by_function", total, f"{fund}财政拨款支出", [(_label(r), r) for r in rows],
                           complete, f"{fund} 各类支出")
    return out


def _kuan_like(child_level: str, rule_id: str):
    parent_level = _LEVELS[_LEVELS.index(child_level) - 1]

    def func(ctx: Context):
        out = []
        for parent, _, kids in _function_families(ctx, child_level):
            complete = _complete_children(kids)
            out += check_parts("expenditure_by_function", parent, f"{_label(parent)}（{parent_level}）",
                               [(_label(k), k) for k in kids], complete, f"其{child_level}")
        return out

    func.__name__ = rule_id
    return func


rule("kuan_sum_vs_lei", "Σ 款 vs their 类 where all 款 are printed (a table or a catch-all 其他… 款); "
     "else Σ 款 must not exceed the 类", ["expenditure_by_function"],
     tolerance="Σ half-units of the 款 + the 类's half-unit")(_kuan_like("款", "kuan_sum_vs_lei"))
rule("xiang_sum_vs_kuan", "Σ 项 vs their 款 where all 项 are printed; else Σ 项 must not exceed the 款",
     ["expenditure_by_function"],
     tolerance="Σ half-units of the 项 + the 款's half-unit")(_kuan_like("项", "xiang_sum_vs_kuan"))


@rule("subject_exceeds_parent", "no 款 is larger than its 类, no 项 larger than its 款", ["expenditure_by_function"],
      tolerance="the two figures' half-units")
def _subject_exceeds_parent(ctx: Context):
    out = []
    for child_level in ("款", "项"):
        parent_level = _LEVELS[_LEVELS.index(child_level) - 1]
        for parent, _, kids in _function_families(ctx, child_level):
            pv = float(parent["amount_wan"])
            for k in kids:
                if not _has(k):
                    continue
                kv = float(k["amount_wan"])
                tol = amount_slack(k) + amount_slack(parent)
                diff = kv - pv
                if diff <= tol + EPS:
                    continue
                sev = grade(diff, tol)
                msg = (f"{_label(k)}（{child_level}）{fmt(kv, k)} 大于其所属{parent_level} {_label(parent)} "
                       f"{fmt(pv, parent)}，多出 {diff:.{_max_dec([k, parent])}f}万元")
                out.append(issue(sev, "expenditure_by_function", msg, expected=pv, actual=kv, at=k))
    return out


@rule("fund_class_vs_all_funds", "a 类 of the funds (一般公共预算 + 政府性基金 + 国有资本经营) is not larger than the same 类 "
      "over all funds (the 收入支出决算总表)", ["expenditure_by_function"],
      tolerance="the half-units of the all-funds figure and of every fund figure added")
def _fund_class_vs_all_funds(ctx: Context):
    out = []
    rows = [r for r in ctx.rows("expenditure_by_function") if r.get("level") == "类" and _has(r)]
    for whole in (r for r in rows if r.get("fund") is None):
        key = whole.get("code") or norm(whole.get("subject"))
        parts = _dedupe([r for r in rows if r.get("fund") is not None
                         and (r.get("code") or norm(r.get("subject"))) == key], key=lambda r: r.get("fund"))
        if not parts:
            continue
        total = sum(float(r["amount_wan"]) for r in parts)
        tol = amount_slack(whole) + sum(amount_slack(r) for r in parts)
        diff = total - float(whole["amount_wan"])
        if diff <= tol + EPS:
            continue
        msg = (f"{_label(whole)}（类）在各资金合计（{whole.get('table') or '总表'}）中为 {fmt(whole['amount_wan'], whole)}，"
               f"小于分资金之和 {fmt_sum(total, _max_dec(parts))}（{_terms([(r.get('fund'), r) for r in parts])}），"
               f"相差 {diff:.{_max_dec([whole, *parts])}f}万元")
        out.append(issue(grade(diff, tol), "expenditure_by_function", msg, expected=float(whole["amount_wan"]),
                         actual=total, at=whole))
    return out


# --------------------------------------------------------------------------------------------------------
# summary: headline identities


def _summary(ctx: Context, item: str, fund: Any = "any") -> dict | None:
    rows = [r for r in ctx.rows("summary") if r.get("item") == item and _has(r)
            and (fund == "any" or r.get("fund") == fund)]
    return _first(rows)


_EXPENSE_PARTS = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
_INCOME_PARTS = ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")


@rule("basic_project_vs_total", "基本支出 + 项目支出 (+ 上缴上级/经营/对附属单位补助 when printed) vs 支出合计 "
      "(likewise per fund and for the 预算数); per table row, basic_wan + project_wan vs amount_wan",
      ["summary", "expenditure_by_function"], tolerance="Σ half-units of the parts + the total's half-unit")
def _basic_project_vs_total(ctx: Context):
    out = []
    scopes = [("支出合计", _EXPENSE_PARTS),
              ("一般公共预算财政拨款支出", ("一般公共预算财政拨款基本支出", "一般公共预算财政拨款项目支出")),
              ("财政拨款支出", ("财政拨款基本支出", "财政拨款项目支出")),
              ("预算数", ("基本支出预算数", "项目支出预算数"))]
    for total_item, parts in scopes:
        total = _summary(ctx, total_item)
        rows = [(p, _summary(ctx, p)) for p in parts]
        if total is None or rows[0][1] is None or rows[1][1] is None:
            continue
        out += check_parts("summary", total, total_item, [(p, r) for p, r in rows if r is not None], True,
                           "+".join(p for p, r in rows if r is not None))
    for r in ctx.rows("expenditure_by_function"):
        if _has(r) and _has(r, "basic_wan") and _has(r, "project_wan"):
            total = float(r["basic_wan"]) + float(r["project_wan"])
            tol = amount_slack(r) + _half(r["basic_wan"]) + _half(r["project_wan"])
            sev = grade(total - float(r["amount_wan"]), tol)
            if sev:
                msg = (f"{_label(r)}：基本支出 {fmt(r['basic_wan'])} + 项目支出 {fmt(r['project_wan'])} = "
                       f"{fmt_sum(total, _max_dec([r]))} ≠ 合计 {fmt(r['amount_wan'], r)}")
                out.append(issue(sev, "expenditure_by_function", msg, expected=r["amount_wan"], actual=total, at=r))
    return out


@rule("income_parts_vs_total", "财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入 vs 收入合计 "
      "(all six printed; else the printed ones must not exceed it); fund 财政拨款收入 parts vs 财政拨款收入",
      ["summary"], tolerance="Σ half-units of the parts + the total's half-unit")
def _income_parts_vs_total(ctx: Context):
    out = []
    total = _summary(ctx, "收入合计")
    if total is not None:
        parts = [(p, _summary(ctx, p)) for p in _INCOME_PARTS]
        parts = [(p, r) for p, r in parts if r is not None]
        if parts:
            out += check_parts("summary", total, "收入合计", parts, len(parts) == len(_INCOME_PARTS), "各项收入")
    fiscal = _summary(ctx, "财政拨款收入")
    if fiscal is not None:
        funds = [(f"{f}财政拨款收入", _summary(ctx, f"{f}财政拨款收入")) for f in FUND_TOTAL_ITEMS]
        funds = [(p, r) for p, r in funds if r is not None]
        if funds:
            out += check_parts("summary", fiscal, "财政拨款收入", funds, len(funds) == len(FUND_TOTAL_ITEMS),
                               "各预算财政拨款收入")
    return out


def _balance_scope(ctx: Context, prefix: str):
    def g(*names):
        for n in names:
            r = _summary(ctx, prefix + n)
            if r is not None:
                return r
        return None

    if prefix:
        income = g("本年收入合计", "收入")
        expense = g("本年支出合计", "支出")
        carry_in = _summary(ctx, "年初财政拨款结转和结余")
        carry_out = _summary(ctx, "年末财政拨款结转和结余")
    else:
        income, expense = g("收入合计"), g("支出合计")
        carry_in, carry_out = g("年初结转和结余", "年初结转结余"), g("年末结转和结余", "年末结转结余")
    return income, expense, carry_in, carry_out, g("收入总计"), g("支出总计"), g("收入支出总计", "收支总计")


@rule("income_expenditure_balance", "收入合计 + 年初结转和结余 = 支出合计 + 年末结转和结余 = 收支总计, where the report "
      "states a balance (both totals, a 收支总计, or all four terms)", ["summary"],
      tolerance="Σ half-units of the figures compared")
def _income_expenditure_balance(ctx: Context):
    out = []
    for prefix in ("", "财政拨款"):
        income, expense, cin, cout, tin, tout, tboth = _balance_scope(ctx, prefix)
        lab = prefix or ""
        if tin is None and tboth is not None:
            tin = tboth
        if tout is None and tboth is not None:
            tout = tboth
        if tin is not None and tout is not None and tin is not tout:
            out += check_parts("summary", tin, f"{lab}收入总计", [(f"{lab}支出总计", tout)], True, f"{lab}支出总计")
        if tboth is not None and tin is not None and tin is not tboth:
            out += check_parts("summary", tin, f"{lab}收入总计", [(f"{lab}收入支出总计", tboth)], True,
                               f"{lab}收入支出总计", anchor=tboth)
        if all(r is not None for r in (income, expense, cin, cout)):
            left = float(income["amount_wan"]) + float(cin["amount_wan"])
            right = float(expense["amount_wan"]) + float(cout["amount_wan"])
            tol = sum(amount_slack(r) for r in (income, expense, cin, cout))
            sev = grade(left - right, tol)
            if sev:
                d = _max_dec([income, expense, cin, cout])
                msg = (f"{lab}收入 {fmt(income['amount_wan'], income)} + 年初结转和结余 {fmt(cin['amount_wan'], cin)} = "
                       f"{fmt_sum(left, d)} ≠ 支出 {fmt(expense['amount_wan'], expense)} + 年末结转和结余 "
                       f"{fmt(cout['amount_wan'], cout)} = {fmt_sum(right, d)}")
                out.append(issue(sev, "summary", msg, expected=left, actual=right, at=expense))
        for side, total, parts in (("收入", tin, [income, cin]), ("支出", tout, [expense, cout])):
            if total is None or parts[0] is None:
                continue
            kids = [(f"{lab}{side}", parts[0])] + ([("结转和结余", parts[1])] if parts[1] is not None else [])
            out += check_parts("summary", total, f"{lab}{side}总计", kids, parts[1] is not None,
                               f"{lab}{side}合计" + ("与结转和结余" if parts[1] is not None else ""),
                               anchor=parts[0])
    return out


# --------------------------------------------------------------------------------------------------------
# shares


def _share_slack(ctx: Context, r: dict, zero_decimals: int | None = None) -> float:
    """Half-unit of a printed share. A printed 0 % is read at ``zero_decimals`` when given (the precision of
    the other shares of its breakdown), as a zero amount is: '0万元，占0%' among two-decimal shares."""
    share = None if _none(r.get("share_pct")) else float(r["share_pct"])
    if zero_decimals is not None and share == 0.0:
        return 0.5 * 10.0 ** -zero_decimals
    return 0.5 * 10.0 ** -ctx.pct_decimals(r, "share_pct")


def _share_groups(ctx: Context) -> list[tuple[str, dict | None, list[dict], str]]:
    """(dataset, base row, rows of one breakdown with printed shares, label)."""
    groups = []
    # summary: the standard partitions of 收入合计 and 支出合计
    for parts, base_item in ((_INCOME_PARTS, "收入合计"), (_EXPENSE_PARTS, "支出合计")):
        rows = [r for r in _dedupe([r for r in ctx.rows("summary") if r.get("item") in parts], lambda r: r["item"])
                if not _none(r.get("share_pct"))]
        if rows:
            groups.append(("summary", _summary(ctx, base_item), rows, f"{base_item}的构成"))
    # expenditure_by_function: the 类 of a fund
    lei = _dedupe([r for r in ctx.rows("expenditure_by_function") if r.get("level") == "类"
                   and not _none(r.get("share_pct"))], _fkey)
    by_fund: dict[str, list[dict]] = defaultdict(list)
    for r in lei:
        by_fund[r.get("fund")].append(r)
    for fund, rows in by_fund.items():
        groups.append(("expenditure_by_function", _fund_total(ctx, fund, rows), rows, f"{fund}财政拨款支出的各类"))
    # asset_composition: siblings with the same parent, basis, date and kind of breakdown
    fam: dict[tuple, list[dict]] = defaultdict(list)
    for r in _dedupe(ctx.rows("asset_composition"), lambda r: (r.get("item"), r.get("parent_item"), r.get("basis"),
                                                               str(r.get("as_of")))):
        parent = r.get("parent_item") or r.get("share_of")
        if parent and not _none(r.get("share_pct")):
            fam[(parent, r.get("basis"), str(r.get("as_of")), _asset_family(r.get("item")))].append(r)
    for (parent, *_), rows in fam.items():
        groups.append(("asset_composition", _asset_parent(ctx, parent, rows), rows, f"{parent}的构成"))
    return groups


@rule("shares_sum_100", "the printed shares of a breakdown add to 100 % when its parts make up the whole "
      "(and never to more)", ["summary", "expenditure_by_function", "asset_composition"], severity="error",
      tolerance="Σ half-units of the printed shares (a printed 0 % at the precision of the others)")
def _shares_sum_100(ctx: Context):
    out = []
    for dataset, base, rows, label in _share_groups(ctx):
        total = sum(float(r["share_pct"]) for r in rows)
        zd = max([ctx.pct_decimals(r, "share_pct") for r in rows if float(r["share_pct"]) != 0.0], default=2)
        tol = sum(_share_slack(ctx, r, zd) for r in rows)
        # is the breakdown the whole? by its amounts (all printed and adding to the base); without amounts
        # the 类 of a fund and the standard 收入/支出 partitions are taken as whole
        if base is not None and _has(base) and all(_has(r) for r in rows):
            s = sum(float(r["amount_wan"]) for r in rows)
            atol = sum(amount_slack(r) for r in rows) + amount_slack(base)
            whole = abs(s - float(base["amount_wan"])) <= 2 * atol + EPS
        else:
            whole = False  # the parts cannot be shown to make up the whole: only 'never above 100 %'
        diff = total - 100.0
        if not whole and diff <= tol + EPS:
            continue
        sev = grade(diff, tol)
        if sev is None:
            continue
        terms = " + ".join(f"{_label(r)} {float(r['share_pct']):.{ctx.pct_decimals(r, 'share_pct')}f}%" for r in rows)
        d = max(ctx.pct_decimals(r, "share_pct") for r in rows)
        msg = f"{label}占比之和 {total:.{d}f}%（{terms}）≠ 100%，舍入容差 {tol:.4g} 个百分点"
        out.append(issue(sev, dataset, msg, expected=100.0, actual=total, at=rows[0]))
    return out


def _share_base(ctx: Context, dataset: str, r: dict) -> dict | None:
    if dataset == "summary":
        of = norm(r.get("share_of"))
        if not of:
            return None
        of = re.sub(r"^本年(度)?", "", of)
        cands = [b for b in ctx.rows("summary") if norm(b.get("item")) == of and _has(b)]
        same = [b for b in cands if b.get("fund") == r.get("fund")]
        return _pick(same or cands, [r])
    if dataset == "expenditure_by_function":
        return _fund_total(ctx, r.get("fund"), [r]) if r.get("level") == "类" else None
    if dataset == "asset_composition":
        parent = r.get("share_of") or r.get("parent_item")
        return _asset_parent(ctx, parent, [r]) if parent else None
    if dataset == "other_figures":
        cands = [b for b in ctx.rows("other_figures") if b.get("topic") == r.get("topic") and _has(b)
                 and b is not r and re.search(r"(总额|合计|总计)$", str(b.get("item") or ""))]
        return _pick(cands, [r])
    return None


@rule("share_vs_amount", "each printed share vs amount / base", ["summary", "expenditure_by_function",
                                                                  "asset_composition", "other_figures"],
      tolerance="the share's half-unit + the ratio's spread when amount and base move within their half-units; "
                "off by less than one unit in the last place (truncated) is a warning")
def _share_vs_amount(ctx: Context):
    out = []
    for dataset in ("summary", "expenditure_by_function", "asset_composition", "other_figures"):
        for r in ctx.rows(dataset):
            if _none(r.get("share_pct")) or not _has(r):
                continue
            base = _share_base(ctx, dataset, r)
            if base is None or base is r or float(base["amount_wan"]) == 0.0:
                continue
            a, b = float(r["amount_wan"]), float(base["amount_wan"])
            expected = a / b * 100.0
            spread = corner_spread(lambda x, y: x / y * 100.0, [a, b], [amount_slack(r), amount_slack(base)])
            tol = _share_slack(ctx, r) + spread
            actual = float(r["share_pct"])
            sev = grade(actual - expected, tol)
            if sev is None:
                continue
            d = ctx.pct_decimals(r, "share_pct")
            note = "（截断而非四舍五入？）" if sev == "warning" else ""
            msg = (f"{_label(r)} {fmt(a, r)} 占 {_label(base)} {fmt(b, base)} 的比例应为 {expected:.{d + 2}f}%，"
                   f"但印为 {actual:.{d}f}%{note}")
            out.append(issue(sev, dataset, msg, expected=expected, actual=actual, at=r))
    return out


@rule("execution_rate", "a printed execution rate vs amount / budget (预算执行率 vs 支出合计 / 预算数; 完成预算的 % "
      "of a subject vs its 决算 / 预算)", ["summary", "expenditure_by_function"],
      tolerance="the rate's half-unit + the ratio's spread over the amounts' half-units; truncation is a warning")
def _execution_rate(ctx: Context):
    out = []
    # (dataset, row holding the rate, rate column, spent row, spent column, budget row, budget column)
    cases: list[tuple[str, dict, str, dict, str, dict, str]] = []
    rate = _first([r for r in ctx.rows("summary") if r.get("item") == "预算执行率" and not _none(r.get("rate_pct"))])
    spent, budget = _summary(ctx, "支出合计", None), _summary(ctx, "预算数", None)
    if rate is not None and spent is not None and budget is not None:
        cases.append(("summary", rate, "rate_pct", spent, "amount_wan", budget, "amount_wan"))
    for r in ctx.rows("expenditure_by_function"):
        if not _none(r.get("execution_pct")) and _has(r) and _has(r, "budget_wan"):
            cases.append(("expenditure_by_function", r, "execution_pct", r, "amount_wan", r, "budget_wan"))
    for dataset, row, rcol, srow, scol, brow, bcol in cases:
        a, b = float(srow[scol]), float(brow[bcol])
        if b == 0:
            continue
        expected = a / b * 100.0
        spread = corner_spread(lambda x, y: x / y * 100.0, [a, b], [amount_slack(srow, scol), amount_slack(brow, bcol)])
        tol = 0.5 * 10.0 ** -ctx.pct_decimals(row, rcol) + spread
        printed = float(row[rcol])
        sev = grade(printed - expected, tol)
        if sev:
            note = "（截断而非四舍五入？）" if sev == "warning" else ""
            msg = (f"{_label(srow)} {fmt(a, srow, scol)} / 预算 {fmt(b, brow, bcol)} = {expected:.4f}%，"
                   f"但执行率印为 {printed:g}%{note}")
            out.append(issue(sev, dataset, msg, expected=expected, actual=printed, at=row))
    return out


# --------------------------------------------------------------------------------------------------------
# changes

_CHANGE_DATASETS = ("summary", "expenditure_by_function", "livelihood_spending", "three_public", "other_figures")


@rule("change_vs_prior", "each printed change vs amount − prior-year figure, where both are printed", _CHANGE_DATASETS,
      tolerance="half-units of amount, prior and change")
def _change_vs_prior(ctx: Context):
    out = []
    for dataset in _CHANGE_DATASETS:
        for r in ctx.rows(dataset):
            if not (_has(r) and _has(r, "prior_year_wan") and _has(r, "change_wan")):
                continue
            a, p, c = float(r["amount_wan"]), float(r["prior_year_wan"]), float(r["change_wan"])
            tol = amount_slack(r) + _half(p) + _half(c)
            sev = grade(c - (a - p), tol)
            if sev:
                d = _max_dec([r])
                msg = (f"{_label(r)} {fmt(a, r)} − 上年 {fmt(p)} = {fmt_sum(a - p, d)}，但印为变动 {fmt(c)}")
                out.append(issue(sev, dataset, msg, expected=a - p, actual=c, at=r))
    return out


@rule("change_pct_vs_amounts", "each printed % change vs change / prior (prior = printed, or amount − change)",
      _CHANGE_DATASETS, tolerance="the percentage's half-unit + the ratio's spread over the inputs' half-units")
def _change_pct_vs_amounts(ctx: Context):
    out = []
    for dataset in _CHANGE_DATASETS:
        for r in ctx.rows(dataset):
            if _none(r.get("change_pct")) or not _has(r):
                continue
            a, ha = float(r["amount_wan"]), amount_slack(r)
            if _has(r, "prior_year_wan"):
                p = float(r["prior_year_wan"])
                if _has(r, "change_wan"):
                    c = float(r["change_wan"])
                    f, vals, hs = (lambda c_, p_: c_ / p_ * 100.0), [c, p], [_half(c), _half(p)]
                else:
                    f, vals, hs = (lambda a_, p_: (a_ - p_) / p_ * 100.0), [a, p], [ha, _half(p)]
            elif _has(r, "change_wan"):
                c = float(r["change_wan"])
                f, vals, hs = (lambda a_, c_: c_ / (a_ - c_) * 100.0), [a, c], [ha, _half(c)]
            else:
                continue
            try:
                expected = f(*vals)
            except ZeroDivisionError:
                continue
            actual = float(r["change_pct"])
            tol = 0.5 * 10.0 ** -ctx.pct_decimals(r, "change_pct") + corner_spread(f, vals, hs)
            sev = grade(actual - expected, tol)
            if sev:
                msg = (f"{_label(r)} {fmt(a, r)} 的变动率应为 {expected:.3f}%（由印出的金额算得），但印为 {actual:g}%")
                out.append(issue(sev, dataset, msg, expected=expected, actual=actual, at=r))
    return out


# --------------------------------------------------------------------------------------------------------
# assets

_ASSET_TOTAL = ("资产总额", "资产总计", "总资产", "资产")
_LIAB_TOTAL = ("负债总额", "负债总计", "总负债", "负债")
_NET = ("净资产", "净资产总额", "净资产总计")


def _asset_family(item: Any) -> str:
    """Breakdowns of the same parent: by unit type (行政单位/事业单位国有资产) or by asset type."""
    return "by_unit" if "单位" in str(item or "") else "by_type"


def _asset_parent(ctx: Context, parent: Any, children: list[dict]) -> dict | None:
    """The row of item ``parent`` a breakdown refers to: same basis and date first, then same section, nearest."""
    key = norm(parent)
    cands = [r for r in ctx.rows("asset_composition") if norm(r.get("item")) == key and _has(r)]
    if not cands and key in _ASSET_TOTAL:
        cands = [r for r in ctx.rows("asset_composition") if norm(r.get("item")) in _ASSET_TOTAL and _has(r)]
    if not cands:
        return None
    c0 = children[0] if children else {}
    basis, as_of, sec = c0.get("basis"), str(c0.get("as_of")), c0.get("section")
    pos = c0.get("char_start") or 0

    def score(r):
        b = r.get("basis")
        if b is not None and basis is not None and b != basis:
            return None
        return (b != basis, str(r.get("as_of")) != as_of, r.get("section") != sec, abs((r.get("char_start") or 0) - pos))

    scored = [(score(r), r) for r in cands]
    scored = [(s, r) for s, r in scored if s is not None]
    return min(scored, key=lambda t: t[0])[1] if scored else None


@rule("asset_parts_vs_parent", "asset parts vs their parent (流动 + 固定 + 无形 + … vs 资产总额; 房屋和构筑物 + 设备 + … "
      "vs 固定资产): equal when the parts' shares cover 100 %, else not larger", ["asset_composition"],
      tolerance="Σ half-units of the parts + the parent's half-unit")
def _asset_parts_vs_parent(ctx: Context):
    out = []
    fam: dict[tuple, list[dict]] = defaultdict(list)
    rows = _dedupe([r for r in ctx.rows("asset_composition") if _has(r)],
                   lambda r: (r.get("item"), r.get("parent_item"), r.get("basis"), str(r.get("as_of"))))
    for r in rows:
        if r.get("parent_item") and norm(r.get("parent_item")) != norm(r.get("item")):
            fam[(r["parent_item"], r.get("basis"), str(r.get("as_of")), _asset_family(r.get("item")))].append(r)
    for (parent_item, *_), kids in fam.items():
        parent = _asset_parent(ctx, parent_item, kids)
        if parent is None:
            continue
        out += check_parts("asset_composition", parent, str(parent_item), [(_label(k), k) for k in kids],
                           _shares_cover(kids), f"{parent_item}的各组成部分")
    return out


@rule("net_assets", "资产总额 − 负债总额 vs 净资产", ["asset_composition"],
      tolerance="half-units of the three figures")
def _net_assets(ctx: Context):
    rows = ctx.rows("asset_composition")
    nets = [r for r in rows if norm(r.get("item")) in _NET and _has(r)]
    out = []
    for net in nets[:1]:
        assets = [r for r in rows if norm(r.get("item")) in _ASSET_TOTAL and _has(r)]
        liabs = [r for r in rows if norm(r.get("item")) in _LIAB_TOTAL and _has(r)]

        def near(cands):
            same = [r for r in cands if (r.get("basis") in (None, net.get("basis")) or net.get("basis") is None)
                    and str(r.get("as_of")) == str(net.get("as_of"))] or cands
            return min(same, key=lambda r: abs((r.get("char_start") or 0) - (net.get("char_start") or 0)), default=None)

        a, l = near(assets), near(liabs)
        if a is None or l is None:
            continue
        av, lv, nv = float(a["amount_wan"]), float(l["amount_wan"]), float(net["amount_wan"])
        tol = amount_slack(a) + amount_slack(l) + amount_slack(net)
        sev = grade((av - lv) - nv, tol)
        if sev:
            d = _max_dec([a, l, net])
            msg = (f"资产总额 {fmt(av, a)} − 负债总额 {fmt(lv, l)} = {fmt_sum(av - lv, d)} ≠ 净资产 {fmt(nv, net)}")
            out.append(issue(sev, "asset_composition", msg, expected=av - lv, actual=nv, at=net))
    return out


# --------------------------------------------------------------------------------------------------------
# other figures: procurement; three_public; economic classes


def _proc_role(item: str) -> str | None:
    s = norm(item)
    if "小微" in s:
        return "micro"
    if "中小企业" in s:
        return "sme"
    if re.search(r"(总额|合计|总计)$", s) or re.fullmatch(r"政府采购(支出)?(金额)?", s):
        return "total"
    for key, role in (("货物", "goods"), ("工程", "works"), ("服务", "services")):
        if key in s:
            return role
    return None


@rule("procurement_parts_vs_total", "政府采购: 货物 + 工程 + 服务 vs 总额 (all three printed; else not larger); "
      "中小企业 awards ≤ 总额; 小微企业 ≤ 中小企业", ["other_figures"],
      tolerance="Σ half-units of the parts + the total's half-unit")
def _procurement(ctx: Context):
    out = []
    rows = [r for r in ctx.rows("other_figures") if "采购" in str(r.get("topic") or "") and _has(r)]
    roles: dict[str, list[dict]] = defaultdict(list)
    for r in _dedupe(rows, lambda r: r.get("item")):
        role = _proc_role(r.get("item") or "")
        if role:
            roles[role].append(r)
    total = _first(roles.get("total", []))
    if total is None:
        return out
    parts = [roles[k][0] for k in ("goods", "works", "services") if roles.get(k)]
    if parts:
        out += check_parts("other_figures", total, _label(total), [(_label(p), p) for p in parts], len(parts) == 3,
                           "货物、工程、服务采购")
    sme = _first(roles.get("sme", []))
    for small, big in ((sme, total), (_first(roles.get("micro", [])), sme or total)):
        if small is not None and big is not None:
            out += check_parts("other_figures", big, _label(big), [(_label(small), small)], False, _label(small),
                               anchor=small)
    return out


_TP_TOP = ("因公出国（境）费", "公务接待费", "公务用车购置及运行维护费")
_TP_CAR = ("公务用车购置费", "公务用车运行维护费")


@rule("three_public_parts_vs_total", "三公经费: 因公出国（境）费 + 公务接待费 + 公务用车购置及运行维护费 vs 合计, "
      "公务用车购置费 + 运行维护费 vs 公务用车购置及运行维护费 (决算数 and 预算数)", ["three_public"],
      tolerance="Σ half-units of the parts + the total's half-unit")
def _three_public(ctx: Context):
    out = []
    rows = _dedupe(ctx.rows("three_public"), lambda r: (r.get("item"), r.get("parent_item")))
    by_item = {}
    for r in rows:
        by_item.setdefault(norm(r.get("item")), r)
    for total_item, parts in (("合计", _TP_TOP), ("公务用车购置及运行维护费", _TP_CAR)):
        total = by_item.get(total_item)
        if total is None:
            continue
        kids = [by_item[norm(p)] for p in parts if norm(p) in by_item]
        for col, what in (("amount_wan", "决算数"), ("budget_wan", "预算数")):
            k = [(f"{_label(x)}{what}", x) for x in kids if _has(x, col)]
            if k and _has(total, col):
                out += check_parts("three_public", total, f"“三公”经费{total_item if total_item != '合计' else ''}{what}",
                                   k, len(k) == len(parts), "各项", col=col)
    return out


@rule("economic_vs_basic", "Σ economic 类 (工资福利 + 商品和服务 + 对个人和家庭的补助 …) vs 财政拨款基本支出; "
      "人员经费 + 公用经费 vs the same; Σ 款 vs their economic 类", ["basic_expenditure_by_economic", "summary"],
      tolerance="Σ half-units of the parts + the total's half-unit")
def _economic_vs_basic(ctx: Context):
    out = []
    rows = _dedupe([r for r in ctx.rows("basic_expenditure_by_economic") if _has(r)],
                   lambda r: r.get("code") or norm(r.get("item")))
    # 人员经费 / 公用经费 are the other cut of 基本支出 (by purpose), not economic classes
    split = {k: _first([r for r in rows if k in norm(r.get("item"))]) for k in ("人员经费", "公用经费")}
    rows = [r for r in rows if not any(k in norm(r.get("item")) for k in ("人员经费", "公用经费"))]
    lei = [r for r in rows if r.get("level") == "类" or (r.get("level") is None and len(str(r.get("code") or "")) == 3)]
    if not lei and rows and all(r.get("level") is None and not r.get("code") for r in rows):
        lei = rows
    base = None
    for item in ("一般公共预算财政拨款基本支出", "财政拨款基本支出"):
        base = _summary(ctx, item)
        if base is not None:
            break
    complete = base is not None
    if base is None:
        base = _summary(ctx, "基本支出")  # all sources: the economic classes (财政拨款) may only fall short
    if base is not None and lei:
        main = sum(1 for r in lei if any(k in norm(r.get("item")) for k in ("工资福利", "商品和服务", "对个人和家庭")))
        out += check_parts("basic_expenditure_by_economic", base, _label(base), [(_label(r), r) for r in lei],
                           complete and main == 3, "经济分类各类")
    if base is not None and split["人员经费"] is not None and split["公用经费"] is not None:
        out += check_parts("basic_expenditure_by_economic", base, _label(base),
                           [(k, split[k]) for k in ("人员经费", "公用经费")], complete, "人员经费与公用经费")
    for p in lei:
        if not p.get("code"):
            continue
        kids = [r for r in rows if r.get("parent_code") == p["code"] and r is not p]
        if kids:
            out += check_parts("basic_expenditure_by_economic", p, _label(p), [(_label(k), k) for k in kids],
                               _complete_children(kids), "其款")
    return out


# --------------------------------------------------------------------------------------------------------
# the same figure stated twice

_VALUE_COLS = {
    "summary": ("amount_wan", "rate_pct"),
    "expenditure_by_function": ("amount_wan",),
    "basic_expenditure_by_economic": ("amount_wan",),
    "livelihood_spending": ("amount_wan",),
    "asset_composition": ("amount_wan", "count"),
    "three_public": ("amount_wan", "budget_wan"),
    "other_figures": ("amount_wan",),
}


def _dup_key(dataset: str, r: dict) -> tuple | None:
    if dataset == "summary":
        return (r.get("item"), r.get("fund"))
    if dataset == "expenditure_by_function":
        return _fkey(r)
    if dataset == "basic_expenditure_by_economic":
        return (r.get("code") or norm(r.get("item")),)
    if dataset == "livelihood_spending":
        return (norm(r.get("item")),)
    if dataset == "asset_composition":
        return (norm(r.get("item")), norm(r.get("parent_item")), str(r.get("as_of")))
    if dataset == "three_public":
        return (norm(r.get("item")), norm(r.get("parent_item")))
    if dataset == "other_figures":
        return (r.get("topic"), norm(r.get("item")))
    return None


def _slack(r: dict, col: str) -> float:
    return amount_slack(r, col) if col == "amount_wan" else _half(r.get(col))


def _restated(a: dict, b: dict, col: str, diff: float) -> str | None:
    """Two printings of one figure. At the same precision they must be identical (both are the true value
    rounded the same way); at different precisions they may differ by the two half-units. Off by no more
    than one unit in the last place is a warning (a rounding path, e.g. a total re-added from rounded
    rows), beyond that an error."""
    da, db = (row_decimals(a, col), row_decimals(b, col))
    ha, hb = _slack(a, col), _slack(b, col)
    tol = 0.0 if da == db and _unit_factor(str(a.get("amount_text") or "")) == _unit_factor(
        str(b.get("amount_text") or "")) else ha + hb
    if abs(diff) <= tol + EPS:
        return None
    if abs(diff) <= 2 * max(ha, hb) + EPS:
        return "warning"
    return "error"


_TERMINAL_END = set("。！？；;.!?）)”\"」』")


def truncation(text: str | None) -> str | None:
    r"""Why a text looks cut off, or None: its last line is a sentence that never ends.

    >>> truncation("一、收入支出决算总体情况说明\n2024年度收入总计4461.77万元,支出总计4461")
    '文本在句中结束（…总计4461.77万元,支出总计4461）'
    >>> truncation("…占0%。") is None
    True

    A text that ends on a number (a table row included) may have been cut inside it: its last figure is
    unknown (see ``numbers.touches_end``), and the text is truncated as far as anyone can tell.

    >>> truncation("合计 2,940.05 2,336.91")
    '文本以数字结束（…合计 2,940.05 2,336.91）：末尾的数字可能被截断'
    """
    if not text or not text.strip():
        return None
    last = text.rstrip().rsplit("\n", 1)[-1].strip()
    if last[-1] in _TERMINAL_END:
        return None
    # a table row has no sentence punctuation; the text is cut when it ends on one of its numbers
    if not re.search(r"[，。；、：:]|(?<!\d),|,(?!\d)", last):
        return f"文本以数字结束（…{last[-20:]}）：末尾的数字可能被截断" if cut_number_start(text) is not None else None
    return f"文本在句中结束（…{last[-20:]}）"


@rule("truncated_document", "the text stops in the middle of a sentence (a file cut short, an excerpt)", ["facts"],
      tolerance="none: the last line is a sentence without its end")
def _truncated_document(ctx: Context):
    why = truncation(ctx.text)
    if why is None:
        return []
    end = len(ctx.text.rstrip())
    return [issue("error", None, f"{why}：报告不完整，末尾被截断的数字视为未知", evidence=ctx.text[max(0, end - 40):end],
                  char_start=end, char_end=end)]


@rule("unknown_subject", "a classification subject whose name matches nothing in the catalogue (code left null)",
      ["expenditure_by_function", "basic_expenditure_by_economic"], severity="warning",
      tolerance="none: a name is in the catalogue (exactly, as an alias or normalised) or it is not")
def _unknown_subject(ctx: Context):
    # the catalogue grows from evidence: every printed name that has no code is reported, once per name
    out, seen = [], set()
    for dataset, name_col in (("expenditure_by_function", "subject"), ("basic_expenditure_by_economic", "item")):
        for r in ctx.rows(dataset):
            if r.get("code") is not None or r.get("level") is None:
                continue
            if dataset == "basic_expenditure_by_economic" and r.get("item") in ("人员经费", "公用经费"):
                continue  # halves of 基本支出, not economic classes
            name = r.get("printed_name") or r.get(name_col)
            if (dataset, name) in seen:
                continue
            seen.add((dataset, name))
            out.append(issue("warning", dataset, f"“{name}”（{r.get('level')}）不在分类目录中，编码留空", at=r))
    return out


@rule("duplicate_conflict", "the same item of a dataset stated twice with different values", list(_VALUE_COLS),
      tolerance="none at equal printed precision (else the two half-units); within one unit in the last place a "
                "warning; assets on a different (or unstated) basis a warning")
def _duplicate_conflict(ctx: Context):
    out = []
    for dataset, cols in _VALUE_COLS.items():
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for r in ctx.rows(dataset):
            k = _dup_key(dataset, r)
            if k is not None:
                groups[k].append(r)
        for k, rows in groups.items():
            if len(rows) < 2:
                continue
            for col in cols:
                vals = [r for r in rows if _has(r, col)]
                if len(vals) < 2:
                    continue
                first = vals[0]
                for other in vals[1:]:
                    diff = float(other[col]) - float(first[col])
                    sev = _restated(first, other, col, diff)
                    if sev is None:
                        continue
                    if dataset == "asset_composition" and first.get("basis") != other.get("basis"):
                        sev = "warning"
                    unit = "万元" if col.endswith("_wan") else ("%" if col.endswith("_pct") else "")
                    where = lambda r: r.get("section") or "?"
                    msg = (f"{_label(first)} 两处数值不同：{fmt(first[col], first, col, unit)}（{where(first)}）与 "
                           f"{fmt(other[col], other, col, unit)}（{where(other)}）")
                    if first.get("basis") != other.get("basis") and dataset == "asset_composition":
                        msg += f"；口径 {first.get('basis') or '未说明'} / {other.get('basis') or '未说明'}"
                    out.append(issue(sev, dataset, msg, expected=first[col], actual=other[col], at=other))
    return out


_GENERIC_NAMES = {"合计", "总计", "小计", "其他", "其他支出", "其他收入", "支出", "收入", "金额", "总额"}


def _name_key(name: Any) -> str:
    s = norm(name)
    s = re.sub(r"（[^）]*）$", "", s)
    return re.sub(r"(支出|资金|经费)$", "", s)


@rule("same_name_conflict", "an item of the same name in two datasets (two sections) with different amounts",
      ["summary", "expenditure_by_function", "livelihood_spending", "three_public", "other_figures",
       "basic_expenditure_by_economic", "asset_composition"], severity="warning",
      tolerance="the two figures' half-units")
def _same_name_conflict(ctx: Context):
    out = []
    entries: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for dataset in ("expenditure_by_function", "livelihood_spending", "summary", "three_public", "other_figures",
                    "basic_expenditure_by_economic", "asset_composition"):
        for r in ctx.rows(dataset):
            if not _has(r):
                continue
            names = {_name_key(r.get("item"))} if dataset != "expenditure_by_function" else \
                {_name_key(r.get("subject")), _name_key(r.get("printed_name"))}
            for n in names:
                if len(n) >= 2 and n not in _GENERIC_NAMES and norm(n) not in _GENERIC_NAMES:
                    entries[n].append((dataset, r))
    for name, items in entries.items():
        seen = set()
        for i, (da, ra) in enumerate(items):
            for db, rb in items[i + 1:]:
                if da == db or (id(ra), id(rb)) in seen:
                    continue
                seen.add((id(ra), id(rb)))
                diff = float(rb["amount_wan"]) - float(ra["amount_wan"])
                sev = grade(diff, amount_slack(ra) + amount_slack(rb), "warning")
                if sev is None:
                    continue
                msg = (f"“{_label(ra)}”在 {da}（{ra.get('section') or '?'}）为 {fmt(ra['amount_wan'], ra)}，"
                       f"“{_label(rb)}”在 {db}（{rb.get('section') or '?'}）为 {fmt(rb['amount_wan'], rb)}")
                out.append(issue("warning", db, msg, expected=ra["amount_wan"], actual=rb["amount_wan"], at=rb))
    return out


# --------------------------------------------------------------------------------------------------------
# literals: units and decimals (facts, or the text itself)

_LIT_RE = re.compile(rf"(?<![\d.,])(?P<num>{NUMBER})(?P<unit>亿元|千元|万元|元|万(?![\u4e00-\u9fff])|%|％)")
_MONEY = {"亿元": "亿元", "千元": "千元", "万元": "万元", "万": "万元", "元": "元"}


@dataclass
class Literal:
    text: str
    value: float
    unit: str          # '万元' | '元' | '亿元' | '千元' | '%'
    decimals: int
    start: int
    end: int
    section: str | None = None
    evidence: str | None = None


def literals(ctx: Context) -> list[Literal]:
    """Money and percent literals: from the facts dataset when it has any, else scanned from the text."""
    cached = getattr(ctx, "_literals", None)
    if cached is not None:
        return cached
    ctx._literals = out = _literals(ctx)
    return out


def _literals(ctx: Context) -> list[Literal]:
    out: list[Literal] = []
    f = ctx.facts
    if isinstance(f, pd.DataFrame) and len(f) and "text" in f.columns:
        for rec in f.to_dict("records"):
            t = rec.get("text")
            if _none(t):
                continue
            m = _LIT_RE.search(str(t))
            if not m:
                continue
            unit = "%" if m.group("unit") in "%％" else _MONEY[m.group("unit")]
            start = rec.get("char_start")
            # the span of the number and its unit (the fact's literal may start with a direction word)
            lo = int(start) + m.start() if not _none(start) else -1
            out.append(Literal(m.group(0), float(m.group("num").replace(",", "")), unit, decimals_of(m.group("num")) or 0,
                               lo, lo + len(m.group(0)) if lo >= 0 else -1,
                               None if _none(rec.get("section")) else rec.get("section"),
                               None if _none(rec.get("evidence")) else rec.get("evidence")))
    elif ctx.text:
        for m in _LIT_RE.finditer(ctx.text):
            unit = "%" if m.group("unit") in "%％" else _MONEY[m.group("unit")]
            out.append(Literal(m.group(0), float(m.group("num").replace(",", "")), unit,
                               decimals_of(m.group("num")) or 0, m.start(), m.end()))
    out.sort(key=lambda x: x.start)
    return out


def _sentence_of(ctx: Context, lit: Literal) -> tuple[Any, str | None]:
    if ctx.text is not None and lit.start >= 0:
        lo, hi = ctx.sentence(lit.start)
        return (lo, hi), ctx.text[lo:hi].strip()
    return (lit.section, lit.evidence), lit.evidence


@rule("unit_outlier", "a money figure whose unit differs from every other (non-zero) money figure of its sentence "
      "and from the report's usual unit (e.g. a change of '2.05元' next to amounts in 万元)", ["facts"], severity="warning",
      tolerance="none: a unit is exact; zeros are ignored (0元 = 0万元)")
def _unit_outlier(ctx: Context):
    out = []
    money = [x for x in literals(ctx) if x.unit != "%"]
    groups: dict[Any, list[Literal]] = defaultdict(list)
    texts = {}
    for x in money:
        k, t = _sentence_of(ctx, x)
        groups[k].append(x)
        texts[k] = t
    overall = Counter(x.unit for x in money if x.value != 0)
    dominant = overall.most_common(1)[0][0] if overall else None
    for k, xs in groups.items():
        for x in xs:
            if x.value == 0:
                continue
            others = [y for y in xs if y is not x and y.value != 0]
            if not others or any(y.unit == x.unit for y in others):
                continue
            # of two figures in different units, the one in the report's usual unit is not the outlier
            if x.unit == dominant:
                continue
            units = Counter(y.unit for y in others)
            unit = units.most_common(1)[0][0]
            shown = "、".join(y.text for y in others[:3])
            msg = (f"“{x.text}”的单位为{x.unit}，同一句中的其他金额（{shown}）为{unit}："
                   f"可能是单位错印（{x.value:g}{unit}？）")
            out.append(issue("warning", "facts", msg, actual=x.value, evidence=texts[k], section=x.section,
                             char_start=x.start if x.start >= 0 else None, char_end=x.end if x.end >= 0 else None))
    return out


@rule("excess_decimals", "a figure printed with more decimals than the report uses for that unit elsewhere",
      ["facts"], severity="warning", tolerance="none: compares digit counts with the report's usual precision")
def _excess_decimals(ctx: Context):
    out = []
    lits = [x for x in literals(ctx) if x.value != 0]
    by_unit: dict[str, list[Literal]] = defaultdict(list)
    for x in lits:
        by_unit[x.unit].append(x)
    for unit, xs in by_unit.items():
        if len(xs) < 3:
            continue
        counts = Counter(x.decimals for x in xs)
        top = max(counts.values())
        usual = max(d for d, n in counts.items() if n == top)
        for x in xs:
            if x.decimals > usual:
                _, sent = _sentence_of(ctx, x)
                msg = (f"“{x.text}”有 {x.decimals} 位小数，而报告中{unit}数字通常印 {usual} 位"
                       f"（{counts[usual]}/{len(xs)} 个）")
                out.append(issue("warning", "facts", msg, expected=float(usual), actual=float(x.decimals),
                                 evidence=sent, section=x.section, char_start=x.start if x.start >= 0 else None,
                                 char_end=x.end if x.end >= 0 else None))
    return out


# --------------------------------------------------------------------------------------------------------
# running


ISSUE_KEYS = ("rule", "severity", "dataset", "message", "expected", "actual", "evidence", "section", "char_start",
              "char_end")


def run_rules(tables: dict[str, pd.DataFrame], facts: pd.DataFrame | None = None, text: str | None = None,
              rules: Iterable[str] | None = None) -> list[dict]:
    """Run the registered rules (all, or the ids in ``rules``) and return issue rows, in text order."""
    ctx = Context(tables, facts, text)
    out: list[dict] = []
    for rid in (rules if rules is not None else list(RULES)):
        r = RULES[rid]
        try:
            rows = r.run(ctx)
        except Exception as e:  # a rule bug must not lose the report: it becomes a finding of its own
            rows = [issue("warning", None, f"rule {rid} could not run: {type(e).__name__}: {e}", rule=rid)]
        for row in rows:
            row["rule"] = rid
            out.append({k: row.get(k) for k in ISSUE_KEYS})
    # one row per distinct finding
    uniq, seen = [], set()
    for row in out:
        k = (row["rule"], row["message"], row["char_start"])
        if k not in seen:
            seen.add(k)
            uniq.append(row)
    uniq.sort(key=lambda r: (r["char_start"] is None, r["char_start"] or 0))
    return unique_messages(uniq)


def unique_messages(rows: list[dict]) -> list[dict]:
    """The issues row key is (report_id, rule, message): a message repeated for another place of the text
    (the same odd literal printed three times) gets that place appended."""
    seen: Counter = Counter()
    for row in rows:
        k = (row.get("rule"), row.get("message"))
        seen[k] += 1
        if seen[k] > 1:
            where = row.get("section") or ""
            at = row.get("char_start")
            row["message"] = f"{row['message']}（{where}{'，' if where and at is not None else ''}" \
                             f"{'位置 ' + str(at) if at is not None else '#' + str(seen[k])}）"
    return rows


def describe() -> pd.DataFrame:
    """The registry as a table (id, severity, datasets, description, tolerance)."""
    return pd.DataFrame([{"rule": r.id, "severity": r.severity, "datasets": ", ".join(r.datasets),
                          "description": r.description, "tolerance": r.tolerance} for r in RULES.values()])
