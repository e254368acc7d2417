"""Cross-table rules: one figure printed in two standard tables must be one figure.

* the all-funds 类 lines of the 收入支出总表 against the 类 rows of the 支出表;
* the 总表's 本年收入合计 / 本年支出合计 against the 合计 rows of the 收入表 / 支出表, its 其他收入 (…)
  against the 收入表's columns, and its three fund incomes against the 收入表's 财政拨款收入;
* the 一般公共预算 column of the 财政拨款收支总表 (本年支出合计 and each 类) against the
  一般公共预算财政拨款支出表;
* a 预算 总表's 人员经费 / 公用经费 of its 支出总计 against the 合计 row of the 基本支出 economic table;
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
    out += _personnel_public(ctx, total)
    return out


def _personnel_public(ctx: Context, total) -> list[dict]:
    """A 预算 总表 whose 支出总计 prints 人员经费 and 公用经费 (a 单位预算's) against the 合计 row of the 基本支出
    economic table, where the 总表's 基本支出 is that table's (人员 + 公用 agree: all basic spending is 一般公共预算)."""
    econ = _grid(ctx, "gpb_basic")
    if total is None or econ is None:
        return []
    t_row = next((r for r in total.rows if _name(r.label) in ("支出总计", "总计") and r.side in ("expenditure", None)
                  and "人员经费" in r.cells and "公用经费" in r.cells), None)
    e_row = econ.total_row()
    if t_row is None or e_row is None:
        return []
    cells = [cell_row(ctx, g, r, k) for g, r in ((total, t_row), (econ, e_row)) for k in ("人员经费", "公用经费")]
    if any(c is None for c in cells):
        return []
    tp, tg, ep, eg = cells
    basic_gap = abs(tp["amount_wan"] + tg["amount_wan"] - ep["amount_wan"] - eg["amount_wan"])
    if basic_gap > sum(amount_slack(c) for c in cells) + EPS:
        return []        # other money than the 一般公共预算 pays some basic spending: not one figure
    return _compare(ctx, "人员经费", tp, f"《{total.title}》支出总计", ep, f"《{econ.title}》合计行") + \
        _compare(ctx, "公用经费", tg, f"《{total.title}》支出总计", eg, f"《{econ.title}》合计行")


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


# --------------------------------------------------------------------------------------------------------
# a narrative figure against the table that prints it

# one figure printed under several names (a statement of one is a statement of the others)
_SAME_FIGURE = [("收支总计", "收入总计", "支出总计"), ("财政拨款收入支出总计", "财政拨款收入总计", "财政拨款支出总计")]
# summary item -> the table cells that print it: (grid kind, row label or None for the 合计 row, column)
_CELLS: dict[str, list[tuple[str, str | None, str]]] = {
    "收支总计": [("total", "总计", "合计")], "收入总计": [("total", "总计", "合计")], "支出总计": [("total", "总计", "合计")],
    "收入合计": [("total", "本年收入合计", "合计"), ("income", None, "合计")],
    "支出合计": [("total", "本年支出合计", "合计"), ("expend", None, "合计")],
    "基本支出": [("expend", None, "基本支出")], "项目支出": [("expend", None, "项目支出")],
    "财政拨款收入": [("income", None, "财政拨款收入")],
    "年初结转和结余": [("total", "年初结转和结余", "合计")], "年末结转和结余": [("total", "年末结转和结余", "合计")],
    "财政拨款收入支出总计": [("fiscal_total", "总计", "合计")], "财政拨款收入总计": [("fiscal_total", "总计", "合计")],
    "财政拨款支出总计": [("fiscal_total", "总计", "合计")],
    "一般公共预算财政拨款支出": [("gpb", None, "合计"), ("fiscal_total", "本年支出合计", "一般公共预算")],
    "一般公共预算财政拨款基本支出": [("gpb", None, "基本支出")],
    "一般公共预算财政拨款项目支出": [("gpb", None, "项目支出")],
}


def _cells_of(ctx: Context, item: str, kind: str | None) -> list[tuple[dict, str]]:
    out = []
    for gkind, label, col in _CELLS.get(item, []):
        g = _grid(ctx, gkind)
        if g is None or (kind and g.document_kind and g.document_kind != kind):
            continue
        row = g.total_row() if label is None else \
            next((r for r in g.rows if not r.code and _name(r.label) == label), None)
        c = cell_row(ctx, g, row, col) if row is not None and col not in row.unknown else None
        if c is not None:
            out.append((c, f"《{g.title}》“{_name(row.label)}”{'' if col == '合计' else col}"))
    return out


@rule("narrative_vs_table", "a narrative headline figure against the same figure printed elsewhere under another name "
      "(财政拨款收入支出总计 = 财政拨款收入总计 = 财政拨款支出总计) or in its table cell (一般公共预算财政拨款基本支出 vs the 基本支出 "
      "of the 合计 row of 一般公共预算财政拨款支出决算表)", ["summary"],
      tolerance="none at equal printed precision (else the two half-units); one unit in the last place a warning; "
                "only statements certainly of the unit's own figure, of the report's year and phase")
def _narrative_vs_table(ctx: Context):
    from .core import _has

    out = []
    rows = ctx.rows("summary")
    by_item: dict[str, list[dict]] = {}
    for r in rows:
        if _has(r):
            by_item.setdefault(r.get("item"), []).append(r)
    kind = ctx.doc_kind if ctx.doc_kind in ("决算", "预算") else None
    for r in rows:
        if r.get("source_kind") == "table" or not _has(r):
            continue
        b = ctx.binding(r)
        # the unit's own figure of the report's year and phase (not a 预算数 stated in a 决算, not 全市 …)
        natural = {"决算": "outcome", "预算": "budget"}.get(kind or "")
        if not b.certain or b.area or b.year or (b.phase and natural and b.phase != natural):
            continue
        item = r.get("item")
        others: list[tuple[dict, str]] = []
        same = [x for x in by_item.get(item, []) if x.get("source_kind") == "table"]
        if not same:             # a table row of the same item is compared by duplicate_conflict
            group = next((g for g in _SAME_FIGURE if item in g), ())
            others += [(x, f"{x.get('item')}（{x.get('table') or '表'}）") for i in group if i != item
                       for x in by_item.get(i, []) if x.get("source_kind") == "table"]
            if not others:
                others += _cells_of(ctx, item, kind)
        for o, where in others[:1]:
            diff = float(r["amount_wan"]) - float(o["amount_wan"])
            sev = _restated(o, r, "amount_wan", diff)
            if sev is None:
                continue
            msg = (f"正文“{r.get('printed_name') or item}”{fmt(r['amount_wan'], r)} 与 {where} "
                   f"{fmt(o['amount_wan'], o)} 不一致")
            out.append(issue(sev, "summary", msg, expected=o["amount_wan"], actual=r["amount_wan"], at=r))
    return out


@rule("subject_name_vs_table", "a narrative 款/项 named outside the classification whose figure is, in the table, the "
      "only row of the same parent with that amount, printed there under the catalogue's name (机关事业单位退休人员活动费"
      "支出（项）0.88万元 vs 2080599 其他行政事业单位养老支出 0.88)", ["expenditure_by_function"],
      tolerance="none: the amounts agree at their printed precision; a second table row of that amount under the "
                "parent leaves the pairing open and gives no finding")
def _subject_name_vs_table(ctx: Context):
    from .core import _has, level_certain, row_decimals

    out = []
    rows = [r for r in ctx.rows("expenditure_by_function") if _has(r)]
    table = [r for r in rows if r.get("source_kind") == "table" and r.get("code")]
    names = {str(r.get("subject")) for r in table} | {str(r.get("printed_name")) for r in table}
    for r in rows:
        if r.get("source_kind") == "table" or r.get("code") or not r.get("parent_code") \
                or not level_certain(ctx, r) or not ctx.binding(r).certain:
            continue
        name = str(r.get("printed_name") or r.get("subject"))
        if name in names:
            continue
        def loose(a: str, b: str) -> bool:
            """a printed with b's characters only: an abbreviation or a reordering (一般行政事务管理 for
            一般行政管理事务; 机关事业单位职业年金 for 机关事业单位职业年金缴费支出), the same subject"""
            return set(re.sub(r"(支出|费)$", "", a)) <= set(b)
        same = [t for t in table if t.get("parent_code") == r["parent_code"] and t.get("level") == r.get("level")
                and t.get("fund") in (None, r.get("fund")) and row_decimals(t) == row_decimals(r)
                and round(float(t["amount_wan"]), 6) == round(float(r["amount_wan"]), 6)]
        if len({t["code"] for t in same}) != 1:
            continue
        t = same[0]
        if loose(name, str(t.get("subject") or "")):
            continue
        msg = (f"正文“{name}（{r.get('level')}）”{fmt(r['amount_wan'], r)} 在表中是 {t['code']} {t.get('subject')} "
               f"{fmt(t['amount_wan'], t)}：同一数字两个科目名称，正文名称不在支出功能分类中")
        out.append(issue("error", "expenditure_by_function", msg, expected=float(t["amount_wan"]),
                         actual=float(r["amount_wan"]), at=r))
    return out
