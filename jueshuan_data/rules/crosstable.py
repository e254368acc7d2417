"""Cross-table rules: one figure printed in two standard tables must be one figure.

* the all-funds 类 lines of the 收入支出总表 against the 类 rows of the 支出表;
* the 总表's 本年收入合计 / 本年支出合计 against the 合计 rows of the 收入表 / 支出表, its 其他收入 (…)
  against the 收入表's columns, and its three fund incomes against the 收入表's 财政拨款收入;
* the 一般公共预算 column of the 财政拨款收支总表 (本年支出合计 and each 类) against the
  一般公共预算财政拨款支出表;
* the 三公 lines of the 基本支出 economic table (因公出国（境）费用, 公务接待费, 公务用车运行维护费, 公务用车购置)
  not above the 三公 table's 决算数 (the economic table holds only 基本支出).

Two printings at the same precision must be identical; off by one unit in the last place is a warning
(a rounding path), beyond an error.
"""

from __future__ import annotations

import re

from .consistency import _restated
from .core import EPS, Context, amount_slack, fmt, issue, rule
from .tables import cell_row

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．])")


def _name(label: str) -> str:
    return _ORDINAL.sub("", label or "")


def _grid(ctx: Context, kind: str):
    return next((g for g in ctx.grids if g.kind == kind), None)


def _compare(ctx: Context, what: str, a: dict | None, a_where: str, b: dict | None, b_where: str) -> list[dict]:
    if a is None or b is None:
        return []
    diff = float(b["amount_wan"]) - float(a["amount_wan"])
    sev = _restated(a, b, "amount_wan", diff)
    if sev is None:
        return []
    msg = f"{what}：{a_where} {fmt(a['amount_wan'], a)} 与 {b_where} {fmt(b['amount_wan'], b)} 不一致"
    return [issue(sev, None, msg, expected=a["amount_wan"], actual=b["amount_wan"], at=b)]


def _rows_by_name(ctx: Context, g, key: str = "合计", side: str | None = None) -> dict[str, dict]:
    out = {}
    for r in g.rows if g else []:
        if side is not None and r.side not in (side, None):
            continue
        c = cell_row(ctx, g, r, key)
        if c is not None:
            out.setdefault(_name(r.label), (r, c))
    return out


@rule("table_vs_table", "one figure printed in two standard tables (总表 vs 收入表/支出表, 财政拨款收支总表 vs "
      "一般公共预算财政拨款支出表, 基本支出经济分类表 三公 lines vs the 三公 table)", ["summary", "expenditure_by_function"],
      tolerance="none at equal printed precision (else the two half-units); one unit in the last place a warning")
def _table_vs_table(ctx: Context):
    out = []
    total, income, expend = _grid(ctx, "total"), _grid(ctx, "income"), _grid(ctx, "expend")
    fiscal, gpb = _grid(ctx, "fiscal_total"), _grid(ctx, "gpb")
    if total is not None and expend is not None:
        t_classes = {n: v for n, v in _rows_by_name(ctx, total, side="expenditure").items()}
        for r in expend.rows:
            if r.code and len(r.code) == 3 and _name(r.label) in t_classes:
                tr, tc = t_classes[_name(r.label)]
                out += _compare(ctx, f"“{_name(r.label)}”", tc, f"《{total.title}》", cell_row(ctx, expend, r, "合计"),
                                f"《{expend.title}》")
        t_out = _rows_by_name(ctx, total, side="expenditure").get("本年支出合计")
        e_tot = expend.total_row()
        if t_out and e_tot is not None:
            out += _compare(ctx, "本年支出合计", t_out[1], f"《{total.title}》", cell_row(ctx, expend, e_tot, "合计"),
                            f"《{expend.title}》合计行")
    if total is not None and income is not None:
        t_rows = _rows_by_name(ctx, total, side="income")
        i_tot = income.total_row()
        if i_tot is not None:
            if "本年收入合计" in t_rows:
                out += _compare(ctx, "本年收入合计", t_rows["本年收入合计"][1], f"《{total.title}》",
                                cell_row(ctx, income, i_tot, "合计"), f"《{income.title}》合计行")
            for item in ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"):
                if item in t_rows:
                    out += _compare(ctx, item, t_rows[item][1], f"《{total.title}》", cell_row(ctx, income, i_tot, item),
                                    f"《{income.title}》合计行")
    if fiscal is not None and gpb is not None:
        f_rows = _rows_by_name(ctx, fiscal, key="一般公共预算", side="expenditure")
        g_tot = gpb.total_row()
        if "本年支出合计" in f_rows and g_tot is not None:
            out += _compare(ctx, "一般公共预算财政拨款支出", f_rows["本年支出合计"][1], f"《{fiscal.title}》",
                            cell_row(ctx, gpb, g_tot, "合计"), f"《{gpb.title}》合计行")
        for r in gpb.rows:
            if r.code and len(r.code) == 3 and _name(r.label) in f_rows:
                out += _compare(ctx, f"“{_name(r.label)}”（一般公共预算）", f_rows[_name(r.label)][1], f"《{fiscal.title}》",
                                cell_row(ctx, gpb, r, "合计"), f"《{gpb.title}》")
    out += _three_public_lines(ctx)
    return out


_ECON_THREE = {"30212": "因公出国（境）费", "30217": "公务接待费", "30231": "公务用车运行维护费", "31013": "公务用车购置费"}


def _three_public_lines(ctx: Context) -> list[dict]:
    econ, three = _grid(ctx, "gpb_basic"), _grid(ctx, "three")
    if econ is None or three is None or not three.rows or three.document_kind != "决算":
        return []
    row3 = three.rows[0]
    out = []
    for r in econ.rows:
        item = _ECON_THREE.get(r.code or "")
        if not item:
            continue
        e = cell_row(ctx, econ, r, "合计")
        t = cell_row(ctx, three, row3, f"{item}|决算数")
        if e is None or (t is None and not three.complete) or float(e["amount_wan"]) == 0:
            continue
        if t is None:
            t = {"amount_wan": 0.0, "amount_text": "0" + three.unit, "char_start": three.start, "char_end": three.end,
                 "evidence": None, "section": None}
        if float(e["amount_wan"]) - float(t["amount_wan"]) > amount_slack(e) + amount_slack(t) + EPS:
            out.append(issue("error", None, f"《{econ.title}》“{r.code} {r.label}” {fmt(e['amount_wan'], e)} 超过 "
                                            f"《{three.title}》{item}决算数 {fmt(t['amount_wan'], t)}：基本支出中的三公经费"
                                            f"不能多于三公经费总额", expected=t["amount_wan"], actual=e["amount_wan"], at=e))
    return out
