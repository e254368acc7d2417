"""Consistency rules: the same item stated twice (in one dataset, or under one name in two) with two values."""

from __future__ import annotations

from collections import defaultdict
import re
from typing import Any

from .core import (
    amount_slack, Context, EPS, fmt, grade, issue, norm, row_decimals, rule, _fkey, _half, _has, _label,
    _unit_factor,
)


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


