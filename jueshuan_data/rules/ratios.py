"""Ratio rules: printed shares (against amount / base and adding to 100 %), execution rates, and changes
(against amount − prior and change / prior)."""

from __future__ import annotations

from collections import defaultdict
import re

from .assets import _asset_family, _asset_parent
from . import clauses
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


def _of_budget(r: dict) -> bool:
    """'占调整预算104.5%' is the figure against its own budget (an execution rate), not a share of a whole."""
    return bool(re.search(r"预算(?:数)?$", norm(r.get("share_of")))) and not re.search(r"收入|支出", norm(r.get("share_of")))


_THREE_TOP = {norm(x) for x in ("因公出国（境）费", "公务接待费", "公务用车购置及运行维护费")}


def _three_total(ctx: Context) -> dict | None:
    return _first([r for r in ctx.rows("three_public") if norm(r.get("item")) == "合计" and _has(r)
                   and ctx.binding(r).certain and not r.get("parent_item")])


def _share_groups(ctx: Context) -> list[tuple[str, dict | None, list[dict], str]]:
    """(dataset, base row, rows of one breakdown with printed shares, label)."""
    groups = []
    # summary: the standard partitions of 收入合计 and 支出合计
    for parts, base_item in ((_INCOME_PARTS, "收入合计"), (_EXPENSE_PARTS, "支出合计")):
        rows = _dedupe([r for r in ctx.rows("summary") if r.get("item") in parts and not _none(r.get("share_pct"))
                        and not _of_budget(r) and ctx.binding(r).certain], lambda r: r["item"])
        if rows:
            groups.append(("summary", _summary(ctx, base_item), rows, f"{base_item}的构成"))
    # expenditure_by_function: the 类 of a fund
    lei = _dedupe([r for r in ctx.rows("expenditure_by_function") if r.get("level") == "类"
                   and not _none(r.get("share_pct")) and not _of_budget(r)], _fkey)
    by_fund: dict[str, list[dict]] = defaultdict(list)
    for r in lei:
        by_fund[r.get("fund")].append(r)
    for fund, rows in by_fund.items():
        groups.append(("expenditure_by_function", _fund_total(ctx, fund, rows), rows, f"{fund}财政拨款支出的各类"))
    # three_public: the three lines of 三公经费, its whole by definition
    three = _dedupe([r for r in ctx.rows("three_public") if norm(r.get("item")) in _THREE_TOP
                     and not _none(r.get("share_pct")) and ctx.binding(r).certain], lambda r: norm(r.get("item")))
    if three:
        groups.append(("three_public", _three_total(ctx), three, "“三公”经费的各项"))
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
      "(and never to more; the three 三公 lines are its whole)", ["summary", "expenditure_by_function",
                                                               "asset_composition", "three_public"], severity="error",
      tolerance="Σ half-units of the printed shares (a printed 0 % at the precision of the others)")
def _shares_sum_100(ctx: Context):
    out = []
    for dataset, base, rows, label in _share_groups(ctx):
        total = sum(float(r["share_pct"]) for r in rows)
        zd = max([ctx.pct_decimals(r, "share_pct") for r in rows if float(r["share_pct"]) != 0.0], default=2)
        tol = sum(_share_slack(ctx, r, zd) for r in rows)
        # is the breakdown the whole? by its amounts (all printed and adding to the base); without amounts
        # the 类 of a fund and the standard 收入/支出 partitions are taken as whole
        if dataset == "three_public" and len(rows) == len(_THREE_TOP):
            whole = True            # 因公出国（境）+ 公务接待 + 公务用车购置及运行维护 are the whole 三公经费
        elif base is not None and _has(base) and all(_has(r) for r in rows):
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


# "占全部收入的78.58%", "占本年支出的…": the side's whole, its 收入合计 / 支出合计
_WHOLE_SIDE = re.compile(r"^(?:全部|全年)?(收入|支出)$")


def _enclosing_total(ctx: Context, r: dict) -> dict | None:
    """The total a standard part's bare share is of ("支出6821.09751万元…其中:基本支出2754.87万元,占比40.39%"):
    its side's 收入合计 / 支出合计 stated before it in the same section, the nearest one; None if none is."""
    item = r.get("item")
    # "本年收入合计3939.39万元。其中:一般公共预算财政拨款收入3692.99万元,占93.7%;政府性基金预算财政拨款收入75.35万元,
    # 占0.019%": a fund's grant is a part of the 收入合计 as the 财政拨款收入 is
    fund_grant = item in _FUND_GRANT_INCOME
    parts = _INCOME_PARTS + _FUND_GRANT_INCOME if item in _INCOME_PARTS or fund_grant else \
        _EXPENSE_PARTS if item in _EXPENSE_PARTS else None
    at, section = r.get("char_start"), r.get("section")
    if parts is None or _none(at) or _none(section):
        return None
    total = "支出合计" if parts is _EXPENSE_PARTS else "收入合计"
    # the nearest figure before it that is no part of the same breakdown must be that total: after
    # "财政拨款支出X万元,其中:基本支出Y万元,占比Z%" the share is of 财政拨款支出, not of an earlier 支出合计
    before = [b for b in ctx.rows("summary") if b.get("section") == section and _has(b) and b.get("item") not in parts
              and not _none(b.get("char_start")) and float(b["char_start"]) < float(at)]
    if not before:
        return None
    near = max(before, key=lambda b: float(b["char_start"]))
    fund = None if fund_grant else r.get("fund")
    return near if near.get("item") == total and (near.get("fund") == fund or fund_grant and _none(near.get("fund"))) \
        else None


_FUND_GRANT_INCOME = ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入")


def _share_base(ctx: Context, dataset: str, r: dict) -> dict | None:
    if dataset == "summary":
        of = norm(r.get("share_of"))
        if not of:
            return _enclosing_total(ctx, r)
        of = re.sub(r"^本年(度)?", "", of)
        whole = _WHOLE_SIDE.match(of)
        if whole:
            of = whole.group(1) + "合计"
        cands = [b for b in ctx.rows("summary") if norm(b.get("item")) == of and _has(b)]
        same = [b for b in cands if b.get("fund") == r.get("fund")]
        return _pick(same or cands, [r])
    if dataset == "expenditure_by_function":
        return _fund_total(ctx, r.get("fund"), [r]) if r.get("level") == "类" else None
    if dataset == "asset_composition":
        parent = r.get("share_of") or r.get("parent_item")
        return _asset_parent(ctx, parent, [r]) if parent else None
    if dataset == "three_public":
        return _three_total(ctx) if norm(r.get("item")) in _THREE_TOP and not _of_budget(r) else None
    if dataset == "other_figures":
        cands = [b for b in ctx.rows("other_figures") if b.get("topic") == r.get("topic") and _has(b)
                 and b is not r and re.search(r"(总额|合计|总计)$", str(b.get("item") or ""))]
        return _pick(cands, [r])
    return None


@rule("share_vs_amount", "each printed share vs amount / base (三公 lines against the 三公 total)",
      ["summary", "expenditure_by_function", "asset_composition", "other_figures", "three_public"],
      tolerance="the share's half-unit + the ratio's spread when amount and base move within their half-units; "
                "off by less than one unit in the last place (truncated) is a warning")
def _share_vs_amount(ctx: Context):
    out = []
    for dataset in ("summary", "expenditure_by_function", "asset_composition", "other_figures", "three_public"):
        for r in ctx.rows(dataset):
            if _none(r.get("share_pct")) or not _has(r) or _of_budget(r):
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
            for factor, unit in ((1e4, "万元"), (1e-4, "元")):
                # "财政拨款资金收入5359.668673元,占全部收入的78.58%" of 6821.09751万元: the share holds with the
                # part in the other unit — say so (the figure stays as printed)
                if grade(actual - expected * factor, _share_slack(ctx, r) + spread * factor) in (None, "warning"):
                    msg += f"；按{unit}计为 {expected * factor:.{d + 2}f}%，与所印相近：单位错印？"
                    break
            out.append(issue(sev, dataset, msg, expected=expected, actual=actual, at=r))
    return out


def unit_swapped(e) -> bool:
    """The budget and the outcome are printed in two units, and the rate holds only with both in one of them:
    the unit of one figure is misprinted (``unit_misprint`` says so)."""
    if e.a.unit == e.b.unit or e.b.value == 0:
        return False
    from .clauses import Lit
    same = Lit(e.b.value / clauses.MONEY_UNITS[e.b.unit] * clauses.MONEY_UNITS[e.a.unit], e.b.text, e.b.start,
               e.b.end, e.b.decimals, e.a.unit)
    r, tol = clauses.ratio_check(e.a, same, e.p, [e.a])
    r0, tol0 = clauses.ratio_check(e.a, e.b, e.p, [e.a, e.b])
    return grade(e.p.value - r, tol) in (None, "warning") and grade(e.p.value - r0, tol0) == "error"


def _clause_executions(ctx: Context) -> tuple[list[dict], set]:
    """Findings on '预算为B万元，支出决算为A万元，完成预算的P%' clauses, and the (outcome, rate) pairs checked."""
    out, seen = [], set()
    text = ctx.text or ""
    for e in clauses.executions_of(ctx):
        seen.add((round(e.a.value, 6), round(e.p.value, 6)))
        if unit_swapped(e):
            continue
        b = clauses.execution_budget(text, e)
        if b is None:
            continue
        q = e.rate_qual or ""
        if b.value == 0:
            if e.a.value != 0:
                out.append(issue("error", None, f"“{e.text[:90]}”：{q}预算为{b.text}，完成{q}预算的{e.p.text}%无从谈起"
                                               f"（{e.a.text} / 0）", expected=None, actual=e.p.value,
                                 evidence=e.text, char_start=e.p.start, char_end=e.p.end))
            continue
        r, tol = clauses.ratio_check(e.a, b, e.p, [e.a, b])
        sev = grade(e.p.value - r, tol)
        if sev is None:
            continue
        note = "（截断而非四舍五入？）" if sev == "warning" else ""
        out.append(issue(sev, None, f"“{e.text[:90]}”：{e.a.text} / {q}预算 {b.text} = {r:.4f}%，但完成率印为 "
                                    f"{e.p.text}%{note}", expected=r, actual=e.p.value, evidence=e.text,
                         char_start=e.p.start, char_end=e.p.end))
    return out, seen


@rule("execution_rate", "a printed execution rate vs amount / budget (预算执行率 vs 支出合计 / 预算数; 完成预算的 % "
      "of a subject vs its 决算 / 预算, from a row or from one clause: 预算为B万元，支出决算为A万元，完成预算的P%; "
      "a rate of a budget printed as 0)", ["summary", "expenditure_by_function"],
      tolerance="the rate's half-unit + the ratio's spread over the amounts' half-units; truncation is a warning")
def _execution_rate(ctx: Context):
    # (dataset, row holding the rate, rate column, spent row, spent column, budget row, budget column)
    cases: list[tuple[str, dict, str, dict, str, dict, str]] = []
    rate = _first([r for r in ctx.rows("summary") if r.get("item") == "预算执行率" and not _none(r.get("rate_pct"))])
    spent, budget = _summary(ctx, "支出合计", None), _summary(ctx, "预算数", None)
    if rate is not None and spent is not None and budget is not None:
        cases.append(("summary", rate, "rate_pct", spent, "amount_wan", budget, "amount_wan"))
    for r in ctx.rows("expenditure_by_function"):
        if not _none(r.get("execution_pct")) and _has(r) and _has(r, "budget_wan"):
            cases.append(("expenditure_by_function", r, "execution_pct", r, "amount_wan", r, "budget_wan"))
    out, seen = _clause_executions(ctx)
    for dataset, row, rcol, srow, scol, brow, bcol in cases:
        a, b = float(srow[scol]), float(brow[bcol])
        if (round(a, 6), round(float(row[rcol]), 6)) in seen:
            continue                        # its clause was read and checked above
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

_CHANGE_DATASETS = ("summary", "expenditure_by_function", "basic_expenditure_by_economic", "livelihood_spending", "three_public",
                    "other_figures")


def _clause_issue(sev: str, ch, msg: str, expected, actual, at) -> dict:
    return issue(sev, None, msg, expected=expected, actual=actual, evidence=ch.evidence,
                 char_start=at.start, char_end=at.end)


@rule("change_vs_prior", "each printed change vs amount − prior-year figure, where both are printed (a row's "
      "fields, or one clause: 比上年B万元增加C万元 after the amount A); an increase larger than the amount itself",
      _CHANGE_DATASETS,
      tolerance="half-units of amount, prior and change (a clause's figures at the clause's precision)")
def _change_vs_prior(ctx: Context):
    out = []
    seen = set()
    for ch in clauses.changes_of(ctx):
        if ch.a is None or ch.b is None or ch.open_choice:
            continue
        lits = ch.lits
        a, b, c = ch.a.value, ch.b.value, ch.c.value * (ch.c_dir or 1)
        seen.add((round(a, 6), round(b, 6)))
        tol = sum(clauses.money_slack(x, lits, ch.para_decimals) for x in (ch.a, ch.b, ch.c))
        sev = grade(c - (a - b), tol)
        if sev is None:
            continue
        if sev == "error" and not ch.certain:
            sev = "warning"
        word = "增加" if ch.c_dir >= 0 else "减少"
        msg = (f"“{ch.text[:80]}”：{ch.a.text} − {ch.b.text} = {a - b:.4f}万元，但印为{word}{ch.c.text}"
               + ("" if ch.certain else f"（{ch.why}）"))
        out.append(_clause_issue(sev, ch, msg, a - b, c, ch.c))
    for ch in clauses.changes_of(ctx):
        # '预算0万元，比2022年预算增加1421.25万元': an increase larger than the amount leaves a negative base
        if ch.a is None or ch.b is not None or ch.open_choice or ch.c_dir <= 0 or not ch.certain:
            continue
        tol = sum(clauses.money_slack(x, ch.lits, ch.para_decimals) for x in (ch.a, ch.c))
        if ch.c.value - ch.a.value <= tol + EPS:
            continue
        base = "预算" if ch.base_kind == "budget" else "上年"
        msg = (f"“{ch.text[:80]}”：{ch.a.text}比{ch.base_text or base}增加{ch.c.text}，则{ch.base_text or base}为"
               f"{ch.a.value - ch.c.value:.2f}万元（负数），不可能")
        out.append(_clause_issue("error", ch, msg, ch.a.value, ch.c.value, ch.c))
    for g in getattr(ctx, "grids", None) or []:
        # a 三公 table printing 上年 | 本年 | 增减额 per line item: its change cell against its own figures (the
        # reader does not take a change that disagrees, so the dataset rows below cannot show it)
        if g.kind != "three":
            continue
        for row in g.rows:
            cells = {k.split("|")[-1]: v for k, v in row.cells.items() if v.value is not None}
            if not {"上年数", "决算数", "增减额"} <= set(cells):
                continue
            p, a, c = (cells[k].value * g.factor for k in ("上年数", "决算数", "增减额"))
            if (round(a, 6), round(p, 6)) in seen:
                continue
            tol = sum(0.5 * (10.0 ** -len(cells[k].literal.split(".")[1]) if "." in cells[k].literal else 1.0)
                      * g.factor for k in ("上年数", "决算数", "增减额"))
            sev = grade(c - (a - p), tol)
            if sev:
                seen.add((round(a, 6), round(p, 6)))
                text = ctx.text or ""
                at = {"evidence": text[row.start:row.end] if text else None, "char_start": cells["增减额"].start,
                      "char_end": cells["增减额"].end}
                msg = (f"《{g.title}》“{row.label}”：本年 {cells['决算数'].literal} − 上年 {cells['上年数'].literal} = "
                       f"{a - p:.2f}万元，但增减额印为 {cells['增减额'].literal}")
                out.append(issue(sev, "three_public", msg, expected=a - p, actual=c, at=at))
    for dataset in _CHANGE_DATASETS:
        for r in ctx.rows(dataset):
            if not (_has(r) and _has(r, "prior_year_wan") and _has(r, "change_wan")):
                continue
            a, p, c = float(r["amount_wan"]), float(r["prior_year_wan"]), float(r["change_wan"])
            if (round(a, 6), round(p, 6)) in seen:
                continue                    # the clause stating them was checked above
            tol = amount_slack(r) + _half(p) + _half(c)
            sev = grade(c - (a - p), tol)
            if sev:
                d = _max_dec([r])
                msg = (f"{_label(r)} {fmt(a, r)} − 上年 {fmt(p)} = {fmt_sum(a - p, d)}，但印为变动 {fmt(c)}")
                out.append(issue(sev, dataset, msg, expected=a - p, actual=c, at=r))
    return out


def _clause_rates(ctx: Context) -> tuple[list[dict], set]:
    """Findings on 'A万元，比上年增加C万元，增长P%' clauses, and the (amount, rate) pairs they checked."""
    out, seen = [], set()
    for ch in clauses.changes_of(ctx):
        if ch.a is None or ch.p is None:
            continue
        lits = ch.lits
        a, c, p = ch.a.value, ch.c.value, ch.p.value
        ha, hc = clauses.money_slack(ch.a, lits, ch.para_decimals), clauses.money_slack(ch.c, lits, ch.para_decimals)
        hp = clauses.pct_slack(ch.p)
        if ch.b is not None:
            base, hb = ch.b.value, clauses.money_slack(ch.b, lits, ch.para_decimals)
            f, vals, hs = (lambda c_, b_: c_ / b_ * 100.0), [c, base], [hc, hb]
        elif ch.open_choice and c != 0:
            continue                        # 增加(减少): which way, hence the base, is not said
        else:
            d = ch.c_dir or 1
            base, hb = a - d * c, ha + hc
            f, vals, hs = (lambda a_, c_, d=d: c_ / (a_ - d * c_) * 100.0), [a, c], [ha, hc]
        seen.add((round(a, 6), round(p, 6)))
        note = "" if ch.certain else f"（{ch.why}）"
        word = "增加" if ch.c_dir >= 0 else "减少"
        basew = "比较基数" if ch.b is not None else ("预算数" if ch.base_kind == "budget" else "上年")
        if abs(base) <= hb + EPS:
            # nothing the year before: no rate exists; a printed 0 % says nothing changed, which is false
            if p == 0 and c > hc + EPS:
                msg = (f"“{ch.text[:80]}”：{ch.a.text}比{basew}{word}{ch.c.text}，{basew}为0，却印为增长{ch.p.text}%："
                       f"金额变了，增幅不能为0{note}")
                out.append(_clause_issue("error" if ch.certain else "warning", ch, msg, None, 0.0, ch.p))
            elif p != 0 and c > hc + EPS:
                # a rate on a base of 0 does not exist; 100 % would mean the base was half the amount
                msg = (f"“{ch.text[:80]}”：{basew}为0（{ch.a.text}，{word}{ch.c.text}），增长率无从计算，却印为"
                       f"{ch.p.text}%{note}")
                out.append(_clause_issue("error" if ch.certain else "warning", ch, msg, None, p, ch.p))
            continue
        if base < 0:
            continue
        expected = f(*vals)
        tol = hp + corner_spread(f, vals, hs)
        sev = grade(p - expected, tol)
        if sev is None:
            continue
        if sev == "error" and not ch.certain:
            sev = "warning"
        msg = (f"“{ch.text[:80]}”：{ch.a.text}{word}{ch.c.text}，{basew}应为 {base:.4f}万元，"
               f"变动率应为 {expected:.2f}%，但印为 {ch.p.text}%{note}")
        out.append(_clause_issue(sev, ch, msg, expected, p, ch.p))
    # '2022年当年预算执行数为11.67万元，2023年预算安排45.41万元，比2022年预算执行数增加314.82%'
    done = set()
    for rc in clauses.rate_changes(ctx.text):
        key = (round(rc.a.value, 6), round(rc.b.value, 6), round(rc.p.value, 6))
        if rc.b.value <= 0 or key in done or (key[0], key[2]) in seen:
            continue
        done.add(key)
        f = lambda a_, b_: (a_ - b_) / b_ * 100.0  # noqa: E731
        lits = [rc.a, rc.b]
        hs = [clauses.money_slack(x, lits) for x in lits]
        expected, printed = f(rc.a.value, rc.b.value), rc.p.value * (rc.p_dir or 1)
        tol = clauses.pct_slack(rc.p) + corner_spread(f, [rc.a.value, rc.b.value], hs)
        sev = grade(printed - expected, tol)
        if sev is None:
            continue
        if sev == "error" and not rc.certain:
            sev = "warning"
        msg = (f"“{rc.text[:90]}”：({rc.a.text} − {rc.b.text}) / {rc.b.text} = {expected:+.2f}%，但印为 "
               f"{'增长' if rc.p_dir >= 0 else '下降'}{rc.p.text}%" + ("" if rc.certain else f"（{rc.why}）"))
        out.append(issue(sev, None, msg, expected=expected, actual=printed, evidence=rc.text, char_start=rc.p.start,
                         char_end=rc.p.end))
    return out, seen


@rule("change_pct_vs_amounts", "each printed % change vs change / prior (prior = printed, or amount − change; "
      "read from a row, or from one clause: A万元，比上年增加C万元，增长P% / 较年初预算数减少C万元，下降P%); "
      "a rate printed for a change from nothing (增长0.00% or 增长100.00% where the base is 0)", _CHANGE_DATASETS,
      tolerance="the percentage's half-unit + the ratio's spread over the inputs' half-units (a clause's money "
                "at the clause's precision); a binding the clause leaves open is a warning")
def _change_pct_vs_amounts(ctx: Context):
    out, seen = _clause_rates(ctx)
    for dataset in _CHANGE_DATASETS:
        for r in ctx.rows(dataset):
            if _none(r.get("change_pct")) or not _has(r):
                continue
            a, ha = float(r["amount_wan"]), amount_slack(r)
            if (round(a, 6), round(abs(float(r["change_pct"])), 6)) in seen:
                continue                    # its clause was read and checked above
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


