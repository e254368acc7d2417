"""Totals rules: printed parts against their printed total (income and expenditure parts, the balance of
收入 + 结转 = 支出 + 结余, 政府采购 parts, 三公 parts, economic classes against 基本支出)."""

from __future__ import annotations

from collections import defaultdict
import re
from typing import Any

from .core import (
    amount_slack, check_parts, Context, EPS, fmt, fmt_sum, FUND_TOTAL_ITEMS, grade, issue, norm, rule,
    _complete_children, _dedupe, _first, _half, _has, _label, _max_dec, _none,
)


# --------------------------------------------------------------------------------------------------------
# summary: headline identities


def _summary(ctx: Context, item: str, fund: Any = "any") -> dict | None:
    """The report's own statement of a headline item: never a 基本支出 that is the part of another figure
    (机构运行X万元，其中基本支出Y万元), which the grammar may have bound to the item."""
    # asked ~40 times a report by a dozen rules, of rows that do not change: the answer is kept on the context
    key = ("summary", item, fund)
    if key not in ctx.memo:
        by_item = ctx.memo.get("summary by item")
        if by_item is None:     # the rows of each item, in text order (one pass instead of one per item asked)
            by_item = ctx.memo["summary by item"] = defaultdict(list)
            for r in ctx.rows("summary"):
                by_item[r.get("item")].append(r)
        ctx.memo[key] = next((r for r in by_item.get(item, ()) if _has(r)
                              and (fund == "any" or r.get("fund") == fund) and ctx.binding(r).certain), None)
    return ctx.memo[key]


_GOES_ON = 200  # characters of text after the parts
_OTHER_BUDGET_LINES = re.compile(r"预留|机动经费|结转下年|结余|经营支出|上缴上级|对附属单位|对下级单位|其他支出|预备费")
_EXPENSE_PARTS = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
_INCOME_PARTS = ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")


@rule("basic_project_vs_total", "基本支出 + 项目支出 (+ 上缴上级/经营/对附属单位补助 when printed) vs 支出合计 "
      "(likewise per fund and for the 预算数; in a 预算, whose 支出 has more lines, not above); per table row, "
      "basic_wan + project_wan vs amount_wan",
      ["summary", "expenditure_by_function"], tolerance="Σ half-units of the parts + the total's half-unit")
def _basic_project_vs_total(ctx: Context):
    out = []
    scopes = [("支出合计", _EXPENSE_PARTS),
              ("一般公共预算财政拨款支出", ("一般公共预算财政拨款基本支出", "一般公共预算财政拨款项目支出")),
              ("财政拨款支出", ("财政拨款基本支出", "财政拨款项目支出")),
              ("预算数", ("基本支出预算数", "项目支出预算数"))]
    # a 预算's 支出 has lines a 决算's has not (单位预留机动经费, 结转下年资金): there the parts may fall short,
    # unless the report names no such line at all and goes on well past the parts (not an excerpt cut short)
    text = ctx.text or ""
    for total_item, parts in scopes:
        total = _summary(ctx, total_item)
        rows = [(p, _summary(ctx, p)) for p in parts]
        if total is None or rows[0][1] is None or rows[1][1] is None:
            continue
        last = max(int(r.get("char_end") or 0) for _, r in rows if r is not None)
        whole = ctx.doc_kind != "预算" or (not _OTHER_BUDGET_LINES.search(text) and len(text) - last > _GOES_ON)
        out += check_parts("summary", total, total_item, [(p, r) for p, r in rows if r is not None],
                           whole or total_item == "预算数", "+".join(p for p, r in rows if r is not None))
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
            out += check_parts("summary", total, "收入合计", parts,
                               len(parts) == len(_INCOME_PARTS) or _shares_make_whole(ctx, [r for _, r in parts]),
                               "各项收入")
    grand = _summary(ctx, "收入总计") if total is None else None
    if grand is not None and not _government(ctx):
        # no 收入合计 printed: the income lines and the carry-overs that make up the 收入总计 cannot exceed it
        # ("收入总计为415.2644万元,其中:1.财政拨款收入364.5594万元…2.事业收入50.7050万元…3.上年结转和结余14.9614万元")
        parts = [(p, _summary(ctx, p)) for p in _INCOME_PARTS + _CARRY_INS]
        parts = [(p, r) for p, r in parts if r is not None and _none(r.get("fund"))]  # not one fund's carry-over
        if len(parts) >= 2:
            out += check_parts("summary", grand, "收入总计", parts, False, "各项收入与结转结余")
    fiscal = _summary(ctx, "财政拨款收入")
    if fiscal is not None:
        funds = [(f"{f}财政拨款收入", _summary(ctx, f"{f}财政拨款收入")) for f in FUND_TOTAL_ITEMS]
        funds = [(p, r) for p, r in funds if r is not None]
        if funds:
            out += check_parts("summary", fiscal, "财政拨款收入", funds, len(funds) == len(FUND_TOTAL_ITEMS),
                               "各预算财政拨款收入")
    return out


_CARRY_INS = ("年初结转和结余", "上年结转和结余", "使用非财政拨款结余（含专用结余）")


def _government(ctx: Context) -> bool:
    """A government's accounts (their 收入总计 adds transfers and funds a unit's has not)."""
    from ..extract import government_accounts

    return bool(ctx.text) and government_accounts(ctx.text)


def _shares_make_whole(ctx: Context, rows: list[dict]) -> bool:
    """The printed parts are the whole breakdown when their printed shares add to 100 % (within their
    half-units): "财政拨款资金收入…占78.58%;事业性收入…占21.36%;其他收入…占0.06%" leaves no other part."""
    if len(rows) < 2 or any(_none(r.get("share_pct")) for r in rows):
        return False
    total = sum(float(r["share_pct"]) for r in rows)
    tol = sum(0.5 * 10.0 ** -ctx.pct_decimals(r, "share_pct") for r in rows)
    return abs(total - 100.0) <= tol + EPS


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
    terms = [income, expense, carry_in, carry_out, g("收入总计"), g("支出总计"), g("收入支出总计", "收支总计")]
    # a town's accounts: "收入合计为6449万元" of its 一般公共预算, then "政府性基金收入总计3319万元": the totals of
    # two funds are two balances, not one -- terms of another fund than the first one named are left out
    funds = [r.get("fund") for r in terms if r is not None and not _none(r.get("fund"))]
    if funds:
        terms = [None if r is not None and not _none(r.get("fund")) and r.get("fund") != funds[0] else r for r in terms]
    return tuple(terms)


# "总收入40724.80万元" / "总支出40976.5万元": read as the 总计 lines, but a report may mean the year's income and
# spending by them (a hospital's 总收入 without its carry-over), which need not balance: only totals printed as
# 总计 (收入总计, 支出总计, 收支总计) are held to each other
_BARE_TOTAL = re.compile(r"^(?:本年度?)?总(?:收入|支出)$")


def _read_from_bare_total(row: dict) -> bool:
    return bool(_BARE_TOTAL.match(norm(str(row.get("printed_name") or ""))))


def _balance_extras(ctx: Context) -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    """The other terms of a unit's totals, where printed: 收入总计 also holds 用事业基金弥补收支差额 and
    使用非财政拨款结余, 支出总计 also holds 结余分配."""
    def first(*names):
        return next(((n, r) for n in names for r in [_summary(ctx, n)] if r is not None), None)

    ins = [first("用事业基金弥补收支差额"), first("使用非财政拨款结余（含专用结余）", "使用非财政拨款结余")]
    return [t for t in ins if t is not None], [t for t in [first("结余分配")] if t is not None]


@rule("income_expenditure_balance", "收入合计 + 年初结转和结余 = 支出合计 + 年末结转和结余 = 收支总计, where the report "
      "states a balance (both totals, a 收支总计, or all four terms)", ["summary"],
      tolerance="Σ half-units of the figures compared")
def _income_expenditure_balance(ctx: Context):
    out = []
    for prefix in ("", "财政拨款"):
        income, expense, cin, cout, tin, tout, tboth = _balance_scope(ctx, prefix)
        extra_in, extra_out = _balance_extras(ctx) if not prefix else ([], [])
        lab = prefix or ""
        if tin is None and tboth is not None:
            tin = tboth
        if tout is None and tboth is not None:
            tout = tboth
        if tin is not None and tout is not None and tin is not tout and not (_read_from_bare_total(tin)
                                                                             or _read_from_bare_total(tout)):
            out += check_parts("summary", tin, f"{lab}收入总计", [(f"{lab}支出总计", tout)], True, f"{lab}支出总计")
        if all(r is not None for r in (income, expense, cin, cout)):
            left = float(income["amount_wan"]) + float(cin["amount_wan"]) + sum(float(r["amount_wan"]) for _, r in extra_in)
            right = float(expense["amount_wan"]) + float(cout["amount_wan"]) + sum(float(r["amount_wan"]) for _, r in extra_out)
            tol = sum(amount_slack(r) for r in (income, expense, cin, cout, *(r for _, r in extra_in + extra_out)))
            sev = grade(left - right, tol)
            if sev:
                d = _max_dec([income, expense, cin, cout])
                more_in = "".join(f" + {n} {fmt(r['amount_wan'], r)}" for n, r in extra_in)
                more_out = "".join(f" + {n} {fmt(r['amount_wan'], r)}" for n, r in extra_out)
                msg = (f"{lab}收入 {fmt(income['amount_wan'], income)} + 年初结转和结余 {fmt(cin['amount_wan'], cin)}"
                       f"{more_in} = {fmt_sum(left, d)} ≠ 支出 {fmt(expense['amount_wan'], expense)} + 年末结转和结余 "
                       f"{fmt(cout['amount_wan'], cout)}{more_out} = {fmt_sum(right, d)}")
                out.append(issue(sev, "summary", msg, expected=left, actual=right, at=expense))
        for side, total, parts in (("收入", tin, [income, cin]), ("支出", tout, [expense, cout])):
            if total is None or parts[0] is None:
                continue
            kids = [(f"{lab}{side}", parts[0])] + ([("结转和结余", parts[1])] if parts[1] is not None else []) \
                + (extra_in if side == "收入" else extra_out)
            out += check_parts("summary", total, f"{lab}{side}总计", kids, parts[1] is not None,
                               f"{lab}{side}合计" + ("与结转和结余" if parts[1] is not None else ""),
                               anchor=parts[0])
    return out


# --------------------------------------------------------------------------------------------------------
# other figures: procurement; three_public; economic classes


def _proc_role(item: str) -> str | None:
    s = re.sub(r"（[^）]*）", "", norm(item))        # 政府采购金额（以合同签订为准）
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
      "中小企业 awards ≤ 总额, those in reserved and in other projects together too; 小微企业 ≤ 中小企业", ["other_figures"],
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
    # awards to 中小企业 in the projects reserved for them and in the other projects are disjoint: together
    # they are part of the procurement total
    awards = [r for r in roles.get("sme", []) if re.search(r"中标|成交", str(r.get("item") or ""))
              and "预算" not in str(r.get("item") or "")]
    reserved = _first([r for r in awards if "预留" in str(r.get("item"))])
    other = _first([r for r in awards if "其他" in str(r.get("item")) and "预留" not in str(r.get("item"))])
    if reserved is not None and other is not None:
        out += check_parts("other_figures", total, _label(total), [("预留项目中中小企业中标金额", reserved),
                                                                   ("其他项目中中小企业中标金额", other)], False,
                           "中小企业中标或成交金额", anchor=other)
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


def _three_item(ctx: Context, ch) -> str | None:
    """The 三公 line a comparison clause is about: the row that took its amount (or its change), else the
    line its own words name (公务接待费支出决算数比预算数减少4.82万元)."""
    from ..extract.names import three_public_item

    if ch.subject:
        item = three_public_item(ch.subject)
        if item:
            return norm(item)
    for lit in (ch.a, ch.c):
        fact = ctx.fact_at(lit.start) if lit is not None else None
        if fact and fact[2] == "three_public" and fact[3]:
            return norm(fact[3])
    if ch.a is not None:
        return None               # the amount it compares was read, and no 三公 row took it
    text = ctx.text or ""
    head = re.split(r"[，,；;：:]", text[ch.sentence[0]:ch.start])[-1]
    item = three_public_item(head)
    return norm(item) if item else None


def _change_parts(ctx: Context, base: str):
    """The changes of the 三公 lines against ``base`` ('prior' or 'budget') against the total's."""
    from . import clauses

    out = []
    by_item = {}
    for r in _dedupe(ctx.rows("three_public"), lambda r: (r.get("item"), r.get("parent_item"))):
        by_item.setdefault(norm(r.get("item")), r)
    # (base kind, item) -> (signed change, slack, literal, clause); the first statement of each
    found: dict[tuple[str, str], tuple] = {}
    for ch in clauses.changes_of(ctx):
        if ch.open_choice and ch.c.value != 0:
            continue
        item = _three_item(ctx, ch)
        if item is None:
            continue
        found.setdefault((ch.base_kind, item), (ch.c.value * (ch.c_dir or 1),
                                                 clauses.money_slack(ch.c, ch.lits, ch.para_decimals), ch.c, ch))
    for total_item, parts in (("合计", _TP_TOP), ("公务用车购置及运行维护费", _TP_CAR)):
        total = found.get((base, total_item))
        row = by_item.get(total_item)
        if total is None and base == "budget" and row is not None and _has(row) and _has(row, "budget_wan") \
                and ctx.binding(row).certain:
            # 预算为89.90万元，支出决算为57.53万元: the total's change against its budget
            c = float(row["amount_wan"]) - float(row["budget_wan"])
            total = (c, amount_slack(row) + _half(row["budget_wan"]), None, None)
        if total is None:
            continue
        if base == "budget" and row is not None:
            # "公车购置支出470万元…为年初预算数476万元的98.74%": a line's budget printed with its outcome is its
            # change against the budget too (lines of the total's own area only: 全州 and 州本级 are two sets)
            area = ctx.binding(row).area
            for p in (*_TP_CAR, *parts):
                r = by_item.get(norm(p))
                if (base, norm(p)) in found or r is None or r is row or not (_has(r) and _has(r, "budget_wan")):
                    continue
                b = ctx.binding(r)
                if b.certain and b.area == area:
                    found[(base, norm(p))] = (float(r["amount_wan"]) - float(r["budget_wan"]),
                                              amount_slack(r) + _half(r["budget_wan"]), None, None, r)
        if total_item == "合计" and (base, norm(_TP_TOP[2])) not in found \
                and all((base, norm(p)) in found for p in _TP_CAR):
            # the car line's change is not printed but both of its parts' are: their sum is its change
            kids = [found[(base, norm(p))] for p in _TP_CAR]
            found[(base, norm(_TP_TOP[2]))] = (sum(k[0] for k in kids), sum(k[1] for k in kids), kids[0][2],
                                               kids[0][3])
        known = [(p, found[(base, norm(p))]) for p in parts if (base, norm(p)) in found]
        missing = [p for p in parts if (base, norm(p)) not in found]
        if not known:
            continue
        # a line spent 0 this year had at least 0 the year before (or in its budget): its change is <= 0
        if any(not (norm(p) in by_item and _has(by_item[norm(p)]) and float(by_item[norm(p)]["amount_wan"]) == 0)
               for p in missing):
            continue
        s = sum(v[0] for _, v in known)
        tol = sum(v[1] for _, v in known) + total[1]
        diff = total[0] - s
        if missing and diff <= tol + EPS:
            continue          # the unknown changes of the zero lines may make up a larger fall
        sev = grade(diff, tol)
        if sev is None:
            continue
        what = "上年" if base == "prior" else "预算"
        terms = " + ".join(f"{p} {v[0]:+.2f}" for p, v in known) + "".join(f" + {p} ≤0" for p in missing)
        lab = "“三公”经费" if total_item == "合计" else total_item
        msg = (f"{lab}比{what}变动 {total[0]:+.2f}万元，但各项比{what}变动之和为 {s:+.2f}万元（{terms}），"
               f"相差 {abs(diff):.2f}万元，舍入容差 {tol:.4g}万元")
        if base == "budget":
            msg += "：各项预算（决算减去比预算的变动）之和与预算总额不符"
        at = total[2] or (known[0][1][2])
        ev = total[3].evidence if total[3] is not None else (row.get("evidence") if row else None)
        if at is None:        # every figure compared was read from rows (amounts and their budgets)
            out.append(issue(sev, "three_public", msg, expected=total[0], actual=s, evidence=ev, at=row))
            continue
        out.append(issue(sev, "three_public", msg, expected=total[0], actual=s, evidence=ev,
                         char_start=at.start, char_end=at.end))
    return out


@rule("change_parts_vs_total", "三公经费: the changes of its lines against the prior year add up to the change of the "
      "total (因公出国（境）+ 公务接待 + 公务用车购置及运行维护 vs 合计; 购置 + 运行维护 vs 公务用车购置及运行维护); "
      "a line printed as 0 whose change is not printed can only have fallen", ["three_public"],
      tolerance="Σ half-units of the changes and of the total's (each at its clause's, or paragraph's, precision); "
                "with a line's change unknown, only 'not above'")
def _change_parts_vs_total(ctx: Context):
    return _change_parts(ctx, "prior")


@rule("budget_parts_vs_total", "三公经费: the budgets of its lines (决算 and 比预算数减少C万元) add up to the total's budget, "
      "i.e. the lines' changes against their budgets add up to the total's (预算为89.90万元，支出决算为57.53万元)",
      ["three_public"], tolerance="Σ half-units of the changes and of the total's; with a line's change unknown "
                                  "(a line spent 0), only 'not above'")
def _budget_parts_vs_total(ctx: Context):
    return _change_parts(ctx, "budget")


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
    if base is None:
        # "2022年一般公共预算基本支出1133753.33元": a unit's 基本支出 of the 一般公共预算 is its 一般公共预算财政拨款基本支出
        base = _summary(ctx, "基本支出", fund="一般公共预算")
    complete = base is not None
    if base is None:
        base = _summary(ctx, "基本支出")  # all sources: the economic classes (财政拨款) may only fall short
    # classes of all the spending (基本 + 项目) are no parts of the 基本支出
    if base is not None and lei and not (not complete and _classes_of_whole(ctx, lei)):
        main = sum(1 for r in lei if any(k in norm(r.get("item")) for k in ("工资福利", "商品和服务", "对个人和家庭")))
        out += check_parts("basic_expenditure_by_economic", base, _label(base), [(_label(r), r) for r in lei],
                           complete and main == 3, "经济分类各类")
    if base is not None and split["人员经费"] is not None and split["公用经费"] is not None:
        out += check_parts("basic_expenditure_by_economic", base, _label(base),
                           [(k, split[k]) for k in ("人员经费", "公用经费")],
                           complete or _detailed_in_place(ctx, base, [split["人员经费"], split["公用经费"]]),
                           "人员经费与公用经费")
    for p in lei:
        if not p.get("code"):
            continue
        kids = [r for r in rows if r.get("parent_code") == p["code"] and r is not p]
        if kids:
            out += check_parts("basic_expenditure_by_economic", p, _label(p), [(_label(k), k) for k in kids],
                               _complete_children(kids), "其款")
    return out


_DETAIL_WORD = re.compile(r"包括|其中")


def _detailed_in_place(ctx: Context, base: dict, parts: list[dict]) -> bool:
    """The parts detail the figure where it is stated ("基本支出173.89万元,包括:人员经费支出161.57万元,公用经费支出
    12.23万元"): in its sentence, after 包括/其中 -- the whole of that figure, not a fund's share of it stated
    elsewhere."""
    text = ctx.text or ""
    end = base.get("char_end")
    if end is None or base.get("source_kind") == "table":
        return False
    starts = [p.get("char_start") for p in parts]
    if any(st is None or st < end or p.get("source_kind") == "table" for st, p in zip(starts, parts)):
        return False
    between = text[end:max(starts)]
    return bool(_DETAIL_WORD.search(text[end:min(starts)])) and not re.search(r"[。；;\n]", between)


def _classes_of_whole(ctx: Context, lei: list[dict]) -> bool:
    """The economic classes add up to the report's whole spending, 基本支出 and 项目支出 together: a 预算 that
    lists "按支出经济分类科目:工资福利支出550.11万元,商品和服务支出84.31万元,对个人和家庭的补助支84.07万元" of its
    718.49万元 支出 (基本支出 710.50 + 项目支出 7.99). Such classes are not the 基本支出's."""
    project = _summary(ctx, "项目支出")
    if project is None or float(project["amount_wan"]) <= 0:
        return False
    s = sum(float(r["amount_wan"]) for r in lei)
    for item in ("支出合计", "支出总计"):
        whole = _summary(ctx, item)
        if whole is not None:
            tol = amount_slack(whole) + sum(amount_slack(r) for r in lei) + EPS
            return abs(s - float(whole["amount_wan"])) <= tol
    return False


@rule("headcount_parts_vs_total", "a staffing figure and its 其中 parts by category (编制人数6人，其中行政4人，行政工勤1人，"
      "事业6人): the parts never exceed it", ["summary"],
      tolerance="none: head counts are exact; parts that are attributes (女, 党员, 研究生 …) may overlap and are not read")
def _headcount_parts_vs_total(ctx: Context):
    from . import clauses

    out = []
    for h in clauses.headcounts(ctx.text):
        s = sum(p.value for _, p in h.parts)
        if s <= h.total.value:
            continue
        terms = " + ".join(f"{lab}{int(p.value)}人" for lab, p in h.parts)
        msg = (f"{h.label}{int(h.total.value)}人，其中 {terms} = {int(s)}人，多于总数 {int(s - h.total.value)}人")
        out.append(issue("error", None, msg, expected=h.total.value, actual=s, evidence=h.text,
                         char_start=h.total.start, char_end=h.total.end))
    return out


# --------------------------------------------------------------------------------------------------------
# 财政项目支出绩效目标填报表: the 项目资金 block of a project's form

_PF_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_PF_TOTAL = re.compile(r"年度资金申请总额\s*" + _PF_NUM)
_PF_PROJECT = re.compile(r"项目资金总额\s*" + _PF_NUM)
_PF_PARTS = (("当年财政拨款", re.compile(r"其中\s*[：:]\s*当年财政拨款\s*" + _PF_NUM)),
             ("财政资金", re.compile(r"其中\s*[：:]\s*财政资金\s*" + _PF_NUM)),
             ("上年结转资金", re.compile(r"上年结转资金\s*" + _PF_NUM)))
_PF_OTHER = re.compile(r"其他资金\s*" + _PF_NUM)
_PF_END = re.compile(r"项目总目标|年度总体目标|绩效指标|一级指标|财政项目支出绩效目标")


def _lit_half(lit: str) -> float:
    return 0.5 * 10.0 ** -(len(lit.split(".")[1]) if "." in lit else 0)


def _pf(m: re.Match) -> tuple:
    return float(m.group(1).replace(",", "")), m.group(1), m.start(), m.end()


def project_fund_blocks(text: str | None) -> list[dict]:
    """The 项目资金 blocks of the (Shanghai) 财政项目支出绩效目标填报表 in a text. The form has two halves: 项目资金总额
    with 其中：财政资金 and 其他资金, and 年度资金申请总额 with 其中：当年财政拨款, 上年结转资金 and 其他资金; the text
    layer interleaves them (“其他资金 0.00其他资金 0.00”). For each block: ``total`` (年度资金申请总额), ``project``
    (项目资金总额, if printed just before it), the parts by name and ``other`` (every 其他资金 printed), each as
    (value, literal, char_start, char_end). A block runs from 年度资金申请总额 to the form's 项目总目标.

    >>> b = project_fund_blocks("项目资金总额 10,903,043.00 年度资金申请总额 10,903,043.00\\n其中：当年财政拨款 "
    ...                         "11,419,043.00\\n其中：财政资金 10,903,043.00\\n上年结转资金 0.00\\n其他资金 0.00其他资金 0.00\\n项目总目标")
    >>> b[0]["total"][0], b[0]["project"][0], b[0]["当年财政拨款"][0], [o[0] for o in b[0]["other"]]
    (10903043.0, 10903043.0, 11419043.0, [0.0, 0.0])
    """
    out = []
    if not text:
        return out
    for m in _PF_TOTAL.finditer(text):
        end = _PF_END.search(text, m.end())
        hi = min(end.start() if end else len(text), m.end() + 300)
        block = {"total": _pf(m), "other": [_pf(o) for o in _PF_OTHER.finditer(text, m.end(), hi)]}
        proj = [q for q in _PF_PROJECT.finditer(text, max(0, m.start() - 200), m.start())]
        if proj:
            block["project"] = _pf(proj[-1])
        for name, rx in _PF_PARTS:
            q = rx.search(text, m.end(), hi)
            if q:
                block[name] = _pf(q)
        out.append(block)
    return out


_PF_NARRATIVE = re.compile(r"编报绩效目标的项目\s*共?\s*(\d+)\s*个\s*[，,]\s*\n?\s*涉及项目预算资金\s*\n?\s*"
                           r"(\d[\d,]*(?:\.\d+)?)\s*\n?\s*万元")


def _pf_check(ctx: Context, total: tuple, what: str, parts: list[tuple[str, tuple]], other: list[tuple]) -> list[dict]:
    """A part above its total, else (when every 其他资金 reads the same) the parts + 其他资金 against the total."""
    t, t_lit, t0, _ = total
    for name, (v, lit, _, e) in parts:
        if v - t > _lit_half(t_lit) + _lit_half(lit) + EPS:
            msg = f"绩效目标填报表：其中{name} {lit}元 大于 {what} {t_lit}元，多出 {fmt_sum(v - t, 2, '')}元"
            return [issue("error", None, msg, expected=t, actual=v, evidence=ctx.text[t0:e], char_start=t0, char_end=e)]
    if not parts or not other or len({o[0] for o in other}) != 1:
        return []
    terms = [(n, p) for n, p in parts] + [("其他资金", other[0])]
    s = sum(p[0] for _, p in terms)
    if abs(s - t) > _lit_half(t_lit) + sum(_lit_half(p[1]) for _, p in terms) + EPS:
        e = max(p[3] for _, p in terms)
        msg = (f"绩效目标填报表：{' + '.join(f'{n} {p[1]}' for n, p in terms)} = {fmt_sum(s, 2, '')}元 ≠ "
               f"{what} {t_lit}元")
        return [issue("error", None, msg, expected=t, actual=s, evidence=ctx.text[t0:e], char_start=t0, char_end=e)]
    return []


@rule("project_funds_vs_total", "财政项目支出绩效目标填报表: 当年财政拨款 + 上年结转资金 + 其他资金 = 年度资金申请总额 and "
      "财政资金 + 其他资金 = 项目资金总额 (no part above its total); when the report attaches as many forms as its "
      "narrative counts projects with 绩效目标 (编报绩效目标的项目N个，涉及项目预算资金X万元), the forms' "
      "年度资金申请总额 add up to X", ["facts"], tolerance="Σ half-units of the parts + the total's half-unit")
def _project_funds(ctx: Context):
    out = []
    blocks = project_fund_blocks(ctx.text)
    for b in blocks:
        out += _pf_check(ctx, b["total"], "年度资金申请总额",
                         [(n, b[n]) for n in ("当年财政拨款", "上年结转资金") if n in b], b["other"])
        if "project" in b:
            out += _pf_check(ctx, b["project"], "项目资金总额", [(n, b[n]) for n in ("财政资金",) if n in b], b["other"])
    m = _PF_NARRATIVE.search(ctx.text or "")
    if m and blocks and int(m.group(1)) == len(blocks):
        lit = m.group(2)
        x = float(lit.replace(",", "")) * 1e4  # 万元 -> 元, the forms' unit
        s = sum(b["total"][0] for b in blocks)
        tol = _lit_half(lit) * 1e4 + sum(_lit_half(b["total"][1]) for b in blocks) + EPS
        if abs(s - x) > tol:
            msg = (f"编报绩效目标的项目{m.group(1)}个，涉及项目预算资金{lit}万元，而所附{len(blocks)}张绩效目标填报表的"
                   f"年度资金申请总额合计 {fmt_sum(s / 1e4, 4, '')}万元，相差 {fmt_sum((s - x) / 1e4, 2, '')}万元")
            out.append(issue("error", None, msg, expected=float(lit.replace(",", "")), actual=round(s / 1e4, 6),
                             evidence=ctx.text[m.start():m.end()], char_start=m.start(), char_end=m.end()))
    return out
