"""Ratio rules: printed shares (against amount / base and adding to 100 %), execution rates, and changes
(against amount − prior and change / prior)."""

from __future__ import annotations

from collections import defaultdict
import re

from .assets import _asset_family, _asset_parent
from .core import (
    amount_slack, Context, corner_spread, EPS, fmt, fmt_sum, grade, issue, norm, rule, _dedupe, _first, _fkey,
    _fund_total, _half, _has, _label, _max_dec, _none, _pick,
)
from .totals import _EXPENSE_PARTS, _INCOME_PARTS, _summary


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


