"""Consistency rules: the same item stated twice (in one dataset, or under one name in two) with two values."""

from __future__ import annotations

from collections import defaultdict
import re
from typing import Any

from .core import (
    amount_slack, Context, EPS, fmt, grade, issue, norm, row_decimals, rule, scope_difference, _fkey, _half, _has,
    _label, _unit_factor, row_unit_factor,
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
    name = r.get("subject") if dataset == "expenditure_by_function" else r.get("item")
    if not re.search(r"[\u4e00-\u9fff]", str(name or "")) and not r.get("code"):
        return None               # a label the reader did not get ('）'): no item to compare
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
    tol = 0.0 if da == db and row_unit_factor(a, col) == row_unit_factor(b, col) else ha + hb
    if abs(diff) <= tol + EPS:
        return None
    if abs(diff) <= 2 * max(ha, hb) + EPS:
        return "warning"
    return "error"


@rule("duplicate_conflict", "the same item of a dataset stated twice with different values", list(_VALUE_COLS),
      tolerance="none at equal printed precision (else the two half-units); within one unit in the last place a "
                "warning; assets on a different (or unstated) basis a warning; statements naming another area, "
                "year, phase or parent are other figures (no finding), where only one names it a warning")
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
                # compare with the first statement that is certainly the report's own figure of the item
                first = next((r for r in vals if ctx.binding(r).certain), vals[0])
                for other in vals:
                    if other is first:
                        continue
                    diff = float(other[col]) - float(first[col])
                    sev = _restated(first, other, col, diff)
                    if sev is None:
                        continue
                    # 全市 vs 市级, 2020 vs 2021, 预算 vs 决算, or parts of two different figures: not one figure
                    different, unsure = scope_difference(ctx.binding(first), ctx.binding(other), ctx.doc_kind)
                    if different:
                        continue
                    if dataset == "asset_composition" and first.get("basis") != other.get("basis"):
                        sev = "warning"
                    if first.get("source_kind") == other.get("source_kind") == "table" and first.get("table") \
                            and first.get("table") == other.get("table") and first.get("code"):
                        # one table never prints a code twice: two tables were read as one
                        unsure = unsure or "同一张表中同一编码出现两次，可能是两张表被读成了一张"
                    if dataset == "expenditure_by_function" and not (first.get("code") and other.get("code")):
                        # a name the classification does not know (办公费（款）in a 机关运行经费 list) may be
                        # no functional subject at all
                        unsure = unsure or "科目不在支出功能分类目录中"
                    if unsure:
                        sev = "warning"
                    unit = "万元" if col.endswith("_wan") else ("%" if col.endswith("_pct") else "")
                    where = lambda r: r.get("section") or "?"
                    msg = (f"{_label(first)} 两处数值不同：{fmt(first[col], first, col, unit)}（{where(first)}）与 "
                           f"{fmt(other[col], other, col, unit)}（{where(other)}）")
                    if first.get("basis") != other.get("basis") and dataset == "asset_composition":
                        msg += f"；口径 {first.get('basis') or '未说明'} / {other.get('basis') or '未说明'}"
                    if unsure:
                        msg += f"；{unsure}，未必是同一数字"
                    out.append(issue(sev, dataset, msg, expected=first[col], actual=other[col], at=other))
    return out


_WHOLE_SPENDING = {"three_public", "expenditure_by_function"}
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
                if {da, db} & _WHOLE_SPENDING and "basic_expenditure_by_economic" in (da, db):
                    # an economic row of the 基本支出 table is the basic part of a figure that the 三公 table or a
                    # functional subject states for all spending (30217 公务接待费 185,000元 vs 三公 公务接待费
                    # 28.50万元): the whole may be larger, only a whole smaller than its basic part disagrees
                    whole, part = (ra, rb) if db == "basic_expenditure_by_economic" else (rb, ra)
                    if float(whole["amount_wan"]) >= float(part["amount_wan"]):
                        continue
                sev = grade(diff, amount_slack(ra) + amount_slack(rb), "warning")
                if sev is None:
                    continue
                msg = (f"“{_label(ra)}”在 {da}（{ra.get('section') or '?'}）为 {fmt(ra['amount_wan'], ra)}，"
                       f"“{_label(rb)}”在 {db}（{rb.get('section') or '?'}）为 {fmt(rb['amount_wan'], rb)}")
                out.append(issue("warning", db, msg, expected=ra["amount_wan"], actual=rb["amount_wan"], at=rb))
    return out


@rule("reception_persons_vs_batches", "公务接待: the persons received (人次) are not fewer than the receptions (批次), "
      "this year and the year before (prior counts from 较上年减少N批次 / 与上年持平)", ["three_public"],
      tolerance="none: counts are exact; each reception receives someone")
def _reception_persons_vs_batches(ctx: Context):
    from . import clauses

    out = []
    for rc in clauses.reception_counts(ctx.text):
        for when, b, p in (("本年", rc.batches.value, rc.persons.value), ("上年", rc.prior_batches, rc.prior_persons)):
            if b is None or p is None or p >= b:
                continue
            how = "" if when == "本年" else "（由本年数和较上年的增减推得）"
            msg = (f"“{rc.text[:90]}”：{when}公务接待{int(b)}批次，却只接待{int(p)}人次{how}：每批次至少接待一人")
            out.append(issue("error", "three_public", msg, expected=float(b), actual=float(p), evidence=rc.text,
                             char_start=rc.batches.start, char_end=rc.persons.end))
    return out


_CN_NUM = "一二两三四五六七八九十"
_LISTED = re.compile(rf"(?:设|有|下设|内设|设置|共)\s*(?P<n>\d+|[{_CN_NUM}]+)\s*个(?P<what>[^\d，,。；;：:、]{{0,8}}?)\s*[,，]?\s*"
                     r"(?:分别为|分别是|分别|包括|即)\s*[:：]?\s*(?P<list>[^。；;\n]+?)[。；;\n]")


@rule("listed_count", "a count and the list that follows it (设9个内设机构，分别为：办公室、…) name as many items",
      ["summary"], tolerance="none: items are counted; a list joined with 和/及 or holding brackets is not counted")
def _listed_count(ctx: Context):
    from ..numbers import chinese_numeral

    text = ctx.text or ""
    out = []
    for m in _LISTED.finditer(text):
        items = [x for x in re.split(r"[、]", m.group("list")) if x.strip()]
        if len(items) < 2 or re.search(r"[（(）)和及等]", m.group("list")):
            continue            # '…和财务科', '等': the count of the list is not settled by its separators
        n = m.group("n")
        n = int(n) if n.isdigit() else chinese_numeral(n)
        if n == len(items):
            continue
        out.append(issue("error", None, f"“{m.group(0)[:60]}…”：说有{n}个{m.group('what')}，列出的却是{len(items)}个",
                         expected=float(n), actual=float(len(items)), evidence=m.group(0).strip()[:300],
                         char_start=m.start("n"), char_end=m.end("n")))
    return out


@rule("item_restated", "a subject's figure heading its paragraph against the paragraph's own statement of the report "
      "year's figure (“…（项）”220.63万元 … 2023年预算安排441.25万元 in a 2023 预算)", ["expenditure_by_function"],
      tolerance="none at equal printed precision (else the two half-units); the restatement must name the report's "
                "year and its phase (预算安排/预算数 in a 预算, 决算数 in a 决算)")
def _item_restated(ctx: Context):
    from ..numbers import NUMBER

    text, year = ctx.text or "", ctx.fiscal_year
    words = {"预算": r"预算安排|预算数|预算", "决算": r"决算数|支出决算|决算"}.get(ctx.doc_kind or "")
    if not text or year is None or words is None:
        return []
    rx = re.compile(rf"(?<!\d){year}\s*年度?(?:{words})(?:为|是)?\s*(?P<num>{NUMBER})\s*(?P<unit>万元|亿元|元)")
    out = []
    for r in ctx.rows("expenditure_by_function"):
        if r.get("source_kind") == "table" or not _has(r) or r.get("char_end") is None or not ctx.binding(r).certain:
            continue
        end = int(r["char_end"])
        hi = text.find("\n", end)
        for m in rx.finditer(text, end, len(text) if hi < 0 else hi):
            lit = m.group(0)[m.start("num") - m.start():]
            other = {"amount_wan": float(m.group("num").replace(",", "")) * {"万元": 1.0, "亿元": 1e4, "元": 1e-4}[
                m.group("unit")], "amount_text": lit}
            diff = other["amount_wan"] - float(r["amount_wan"])
            sev = _restated(r, other, "amount_wan", diff)
            if sev is None:
                continue
            msg = (f"“{_label(r)}”段首为 {fmt(r['amount_wan'], r)}，同段却写“{m.group(0)}”：同一科目两个数")
            out.append(issue(sev, "expenditure_by_function", msg, expected=float(r["amount_wan"]),
                             actual=other["amount_wan"], evidence=text[int(r["char_start"]):m.end()][:300],
                             section=r.get("section"), char_start=m.start("num"), char_end=m.end("num")))
    return out
