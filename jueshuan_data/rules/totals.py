"""Totals rules: printed parts against their printed total (income and expenditure parts, the balance of
收入 + 结转 = 支出 + 结余, 政府采购 parts, 三公 parts, economic classes against 基本支出)."""

from __future__ import annotations

from collections import defaultdict
import re
from typing import Any

from .core import (
    amount_slack, check_parts, Context, fmt, fmt_sum, FUND_TOTAL_ITEMS, grade, issue, norm, rule,
    _complete_children, _dedupe, _first, _half, _has, _label, _max_dec,
)


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


