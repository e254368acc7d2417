"""Hierarchy rules: a classification's parts against their parent (Σ 类 vs the fund total, Σ 款 vs 类,
Σ 项 vs 款, no child larger than its parent, a fund's 类 not larger than the all-funds 类)."""

from __future__ import annotations

from collections import defaultdict

from .core import (
    amount_slack, check_parts, Context, EPS, fmt, fmt_sum, grade, issue, norm, rule, _complete_children,
    _dedupe, _drop_restatements, _fkey, _from_table, _function_families, _fund_total, _has, _label, _LEVELS,
    _max_dec, _shares_cover, _terms, level_certain,
)


@rule("lei_sum_vs_fund_total", "Σ 类 of a fund vs the fund's printed total (e.g. 一般公共预算财政拨款支出)",
      ["expenditure_by_function", "summary"],
      tolerance="Σ half-units of the 类 amounts + the total's half-unit; an incomplete 类 list may only fall short")
def _lei_sum_vs_fund_total(ctx: Context):
    out = []
    lei = _dedupe([r for r in ctx.rows("expenditure_by_function") if r.get("level") == "类" and _has(r)
                   and level_certain(ctx, r)], _fkey)
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


