"""Grids -> rows of the datasets: one reader per kind of standard table, the same for every front-end.

Rows carry ``source_kind='table'``, ``table`` (the title as printed), ``evidence`` (the table row,
verbatim from the text), ``char_start``/``char_end``/``amount_text`` (the amount's literal and span).
Values are the printed literals times the table's unit factor: never computed, never guessed; a blank
or unplaceable cell is null.
"""

from __future__ import annotations

import re

from ...numbers import places
from ..names import economic_class, function_class, squash
from .model import Grid, Row, Val

__all__ = ["rows_from_grids", "FUNDS"]

FUNDS = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
FUND_OF_KIND = {"gpb": "一般公共预算", "govfund": "政府性基金预算", "soe": "国有资本经营预算",
                "govfund_exp": "政府性基金预算", "soe_exp": "国有资本经营预算"}
_ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．])")
_INCOME_ITEMS = ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入",
                 "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
# labels of the 预算 总表's income side, by what they are (the 决算 labels above are their own names)
_BUDGET_INCOME = {
    "财政拨款收入": "财政拨款收入", "财政拨款": "财政拨款收入",
    "一般公共预算资金": "一般公共预算财政拨款收入", "一般公共预算收入": "一般公共预算财政拨款收入",
    "一般公共预算": "一般公共预算财政拨款收入",
    "一般公共预算拨款收入": "一般公共预算财政拨款收入", "一般公共预算拨款": "一般公共预算财政拨款收入",
    "一般公共预算财政拨款": "一般公共预算财政拨款收入", "一般公共预算": "一般公共预算财政拨款收入",
    "政府性基金": "政府性基金预算财政拨款收入", "政府性基金预算收入": "政府性基金预算财政拨款收入",
    "政府性基金预算": "政府性基金预算财政拨款收入", "政府性基金预算拨款收入": "政府性基金预算财政拨款收入",
    "政府性基金预算财政拨款": "政府性基金预算财政拨款收入",
    "国有资本经营预算": "国有资本经营预算财政拨款收入", "国有资本经营预算收入": "国有资本经营预算财政拨款收入",
    "国有资本经营预算财政拨款": "国有资本经营预算财政拨款收入",
    "事业单位经营收入": "经营收入", "财政专户管理资金收入": "财政专户管理资金收入", "财政专户管理资金": "财政专户管理资金收入",
    "单位资金": "单位资金", "其他资金收入": "其他收入",
    # Jiangsu's 收支预算总表 "三、其他资金 80.00" (事业、经营、其他收入 together; as its narrative's 其他资金收入)
    "其他资金": "其他收入",
    # the 2015-2016 name of the grant (公共财政预算): "一、公共预算拨款 404.77" of a 收支预算总表 (陕西)
    "公共预算拨款": "一般公共预算财政拨款收入", "公共财政预算拨款": "一般公共预算财政拨款收入",
}
_THREE_ITEMS = [("合计", None), ("因公出国（境）费", "合计"), ("公务用车购置及运行维护费", "合计"),
                ("公务用车购置费", "公务用车购置及运行维护费"), ("公务用车运行维护费", "公务用车购置及运行维护费"),
                ("公务接待费", "合计")]


def _strip_ordinal(s: str) -> str:
    return _ORDINAL_RE.sub("", s)


# a two-sided row whose income cell is blank reads as both labels run together, the figure after the second
# ("二、政府性基金拨款 | | 1.工资福利支出 | 213.37" -> "二、政府性基金拨款1.工资福利支出" 213.37)
_SECOND_LINE = re.compile(r"(?<=[\u4e00-\u9fff）)])(?:\d{1,2}[.、．]|[（(]\d{1,2}[）)])(?=[\u4e00-\u9fff])")


def _economic_line(label: str) -> str | None:
    """The economic class an ordinal-led expenditure line names ("1.工资福利支出"), also where a blank income
    line's label runs before it; None otherwise (an unnumbered label is no line of the 基本支出's list)."""
    cuts = [m.start() for m in _SECOND_LINE.finditer(label)]
    for part in ([label[cuts[-1]:]] if cuts else []) + [label]:
        name = _strip_ordinal(part)
        if name != part and economic_class(name):
            return name
    return None


def _num(v: Val, grid: Grid) -> float | None:
    if v is None or v.value is None:
        return None
    if grid.factor == 1.0:
        return v.value
    # exact to the printed places: 9,501,164元 is 950.1164万元 (16,231,840.80 × 1e-4 is 1623.1840800000002 in
    # binary floating point)
    shift = {1e4: -4, 1e-4: 4, 0.1: 1}.get(grid.factor, 10)
    return round(v.value * grid.factor, max(places(v.literal) + shift, 0))


def _half_unit(v: Val | None, grid: Grid) -> float:
    """Half a unit of the last printed place of a cell, in 万元 (the rounding a printed figure may carry)."""
    if v is None:
        return 0.0
    d = len(v.literal.split(".")[1].rstrip("%")) if "." in v.literal else 0
    return 0.5 * 10.0 ** -d * grid.factor


def _base(grid: Grid, row: Row, v: Val, text: str) -> dict:
    return dict(source_kind="table", table=grid.title, section=None, evidence=text[row.start: row.end],
                char_start=v.start, char_end=v.end, amount_text=v.literal)


def _summary(grid: Grid, row: Row, v: Val, item: str, text: str, fund: str | None = None) -> dict:
    # "其中:政府性基金预算财政拨款": the 其中 that makes the row a part of the one above is no part of its name
    printed = re.sub(r"^其中[:：]\s*", "", row.label) or row.label
    return dict(_base(grid, row, v, text), item=item, printed_name=printed, fund=fund, amount_wan=_num(v, grid))


def _class_row(grid: Grid, row: Row, v: Val, name: str, text: str) -> dict:
    """A 类 line of the expenditure side of the 收入支出决算总表: all funds together, so ``fund`` is null."""
    from ..functional import resolve

    match = resolve(name, None, "类", None)
    return dict(_base(grid, row, v, text), fund=None, level="类", code=match.code if match else None,
                subject=match.name if match else function_class(name), printed_name=name, amount_wan=_num(v, grid))


def _level(code: str) -> str:
    return {3: "类", 5: "款", 7: "项"}[len(code)]


# ------------------------------------------------------------------------------------------ per kind

def _kuan_of(name: str, cls: dict):
    """The catalogue's 款 of that name under the 类 row ``cls``, or None."""
    from ..functional import resolve

    m = resolve(name, None, "款", cls["code"])
    return m if m is not None and m.level == "款" and str(m.code).startswith(cls["code"]) else None


def _total(grid: Grid, text: str, out: dict) -> None:
    n_total = 0
    last_class: dict | None = None
    # a 预算's 收支预算总表 that spends by use only (no functional 类 on its expenditure side): its 基本支出 /
    # 项目支出 lines and the 基本支出's economic classes are read (Jiangsu's prints both cuts, and its 支出预算总表
    # states the use)
    by_use = grid.document_kind == "预算" and not any(function_class(_strip_ordinal(r.label)) for r in grid.rows)
    for row in grid.rows:
        label = row.label
        name = _strip_ordinal(label)
        v = row.cells.get("合计")
        if v is None:
            if name in ("总计", "收入总计", "支出总计"):
                n_total += 1
            continue
        if v.value is None:
            continue
        item = None
        if name in _INCOME_ITEMS:
            item = name
        elif grid.document_kind != "预算" and row.side != "expenditure" and name in ("财政拨款收入", "其中:政府性基金预算财政拨款",
                                                                                  "其中：政府性基金预算财政拨款"):
            # the 2016 决算 template: "一、财政拨款收入" (all funds) and "其中:政府性基金预算财政拨款"
            item = "财政拨款收入" if name == "财政拨款收入" else "政府性基金预算财政拨款收入"
        elif grid.document_kind == "预算" and row.side != "expenditure" and name in _BUDGET_INCOME:
            item = _BUDGET_INCOME[name]
        elif name in ("本年收入合计", "收入合计"):
            item = "收入合计"
        elif name in ("本年支出合计", "支出合计"):
            item = "支出合计"
        elif name.startswith("使用非财政拨款结余"):
            item = "使用非财政拨款结余"
        elif name == "结余分配":
            item = "结余分配"
        elif name == "用事业基金弥补收支差额" and row.side != "expenditure":
            item = name          # the 2017-2019 总表's income line (a term of 收入总计)
        elif name in ("年初结转和结余", "年末结转和结余"):
            item = name
        elif name in ("上年结转结余", "上年结转和结余", "年初结转结余") and row.side != "expenditure":
            item = "年初结转和结余"         # a 预算's 收支总表: "上年结转结余 | 14.54 |"
        elif name in ("年终结转结余", "年末结转结余") and row.side != "income":
            item = "年末结转和结余"
        elif name in ("收入总计", "支出总计"):
            item = name
            n_total += 1
        elif name == "总计":
            if row.side:
                item = "收入总计" if row.side == "income" else "支出总计"
            else:
                item = "收入总计" if n_total == 0 else "支出总计"
            n_total += 1
        elif (label != name or grid.document_kind == "预算") and row.side != "income" and function_class(name):
            # a 决算 总表 numbers its 类 ("五、教育支出"); a 预算's 收支预算总表(功能分类科目) may not ("教育支出 64,757.36")
            out["expenditure_by_function"].append(_class_row(grid, row, v, name, text))
            last_class = out["expenditure_by_function"][-1]
        elif grid.document_kind == "预算" and row.side != "income" and last_class and last_class["code"] \
                and (kuan := _kuan_of(name, last_class)) and _num(v, grid) <= last_class["amount_wan"] + 0.005:
            # … and the 款 under a 类 ("教育支出 64,757.36 / 普通教育 64,757.36"): named in the catalogue under that 类,
            # never more than it
            out["expenditure_by_function"].append(dict(
                _base(grid, row, v, text), fund=None, level="款", code=kuan.code, subject=kuan.name, printed_name=name,
                amount_wan=_num(v, grid)))
        elif by_use and row.side != "income" and name in ("基本支出", "项目支出"):
            # a 预算's 收支预算总表 that spends by use, not by function: "一、基本支出 319.08 … 二、项目支出 85.69"
            item = name
        elif by_use and row.side != "income" and (econ := _economic_line(label)):
            # … with the 基本支出's economic classes under it ("1.工资福利支出 213.37", "3.日常公用经费 57.39")
            out["basic_expenditure_by_economic"].append(dict(
                _base(grid, row, v, text), share_pct=None, item=economic_class(econ), printed_name=econ, level=None,
                code=None, parent_code=None, amount_wan=_num(v, grid)))
        if item:
            out["summary"].append(_summary(grid, row, v, item, text))


def _fiscal_total(grid: Grid, text: str, out: dict) -> None:
    after_carry = False
    n_total = 0
    for row in grid.rows:
        name = _strip_ordinal(row.label)
        if name.startswith("年初财政拨款结转和结余"):
            after_carry = True
        first = row.cells.get("合计")
        if first is None:
            if name == "总计":
                n_total += 1
            continue
        if first.value is None:
            continue
        f = _fund_of_label(name) if row.side != "expenditure" else None
        if f is None and grid.document_kind == "预算" and row.side != "expenditure" \
                and _BUDGET_INCOME.get(name, "").endswith("财政拨款收入") and name not in ("财政拨款收入", "财政拨款"):
            f = _BUDGET_INCOME[name][: -len("财政拨款收入")]  # "一、一般公共预算资金" of a 预算's 财政拨款收支总表
        if f:
            item = f"{f}财政拨款年初结转和结余" if after_carry else f"{f}财政拨款收入"
            out["summary"].append(_summary(grid, row, first, item, text, fund=f))
            continue
        if name == "本年收入合计":
            out["summary"].append(_summary(grid, row, first, "财政拨款本年收入合计", text))
        elif grid.document_kind == "预算" and name in ("收入合计", "支出合计"):
            # a 预算's 财政拨款收支预算总表: 收入合计 / 支出合计 of this year's grants; printed without any 结转
            # line or 总计 below it, it is the table's total as well
            side = name[:2]
            out["summary"].append(_summary(grid, row, first, f"财政拨款本年{side}合计", text))
            if not any("结转" in r.label or "结余" in r.label or _strip_ordinal(r.label) in ("总计", side + "总计")
                       for r in grid.rows):
                out["summary"].append(_summary(grid, row, first, f"财政拨款{side}总计", text))
        elif name.startswith("年初财政拨款结转和结余"):
            out["summary"].append(_summary(grid, row, first, "年初财政拨款结转和结余", text))
        elif grid.document_kind == "预算" and row.side != "income" and name in ("基本支出", "项目支出"):
            # a 预算's 财政拨款收支预算总表 spends by use: 基本支出 / 项目支出 (/ 单位预留机动经费) of the grants
            out["summary"].append(_summary(grid, row, first, "财政拨款" + name, text))
        elif name == "总计":
            if row.side:
                item = "财政拨款收入总计" if row.side == "income" else "财政拨款支出总计"
            else:
                item = "财政拨款收入总计" if n_total == 0 else "财政拨款支出总计"
            out["summary"].append(_summary(grid, row, first, item, text))
            n_total += 1
        elif name in ("收入总计", "支出总计"):
            out["summary"].append(_summary(grid, row, first, "财政拨款" + name, text))
            n_total += 1
        elif name == "本年支出合计" or name.startswith("年末财政拨款结转和结余"):
            if name == "本年支出合计":
                out["summary"].append(_summary(grid, row, first, "财政拨款本年支出合计", text))
                fund_item = "{}财政拨款支出"
            else:
                out["summary"].append(_summary(grid, row, first, "年末财政拨款结转和结余", text))
                fund_item = "{}财政拨款年末结转和结余"
            for fcol in FUNDS:
                v = row.cells.get(fcol)
                if v is not None and v.value is not None:
                    out["summary"].append(_summary(grid, row, v, fund_item.format(fcol), text, fund=fcol))


def _fund_of_label(s: str) -> str | None:
    for f in FUNDS:
        if s.startswith(f + "财政拨款") and not s.endswith("支出"):
            return f
    return None


def _total_row_columns(grid: Grid, text: str, out: dict, first_item: str, columns: list[str]) -> None:
    """收入决算表 / 支出决算表: the 合计 row's total and its printed columns."""
    row = next((r for r in grid.rows if r.code is None), None)
    if row is None:
        return
    def add(v: Val, item: str, column: str):
        rec = _summary(grid, row, v, item, text)
        if not (rec.get("printed_name") or "").strip():
            rec["printed_name"] = column  # a one-row table (预算's 支出预算总表): its cells named by their columns
        out["summary"].append(rec)

    first = row.cells.get("合计")
    if first_item == "收入合计" and grid.document_kind == "预算" and _strip_ordinal(row.label) in ("收入总计", "总计"):
        # a 预算's 收入预算总表 heads its rows with 收入总计 (this year's income and the 上年结转 lines below it)
        first_item = "收入总计"
    if first is not None and first.value is not None:
        add(first, first_item, "合计")
    for c in columns:
        v = row.cells.get(c)
        if v is not None and v.value is not None:
            add(v, c, c)


_INCOME_COLS = ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
# the lines of Jiangsu's 收入预算总表 (项目名称 | 金额, one item a line under its group: 一般公共预算资金 →
# 公共财政拨款（补助）资金, 专项收入; 财政专户管理资金 → 专户管理教育收费, 其他非税收入; 其他资金 → 事业收入,
# 经营收入, 其他收入): the items as printed, with the fund of their group
_BUDGET_INCOME_LINES = {"公共财政拨款（补助）资金": "一般公共预算", "专项收入": "一般公共预算",
                        "专户管理教育收费": None, "其他非税收入": None, "事业收入": None, "经营收入": None,
                        "债务资金（银行贷款）": None}


def _income_lines(grid: Grid, text: str, out: dict) -> None:
    """The item lines of a 预算's 收入预算总表 laid out one item a line (Jiangsu), each as its own summary item.
    Read only in that layout (a line naming 公共财政拨款 or 财政专户管理资金), only lines with a figure; a
    group's 小计 is not (the narrative and the 收支预算总表 state the groups)."""
    labels = [squash(_strip_ordinal(r.label)) for r in grid.rows]
    if not any("公共财政拨款" in lab or "财政专户管理资金" in lab for lab in labels):
        return
    for row, label in zip(grid.rows[1:], labels[1:]):
        v = row.cells.get("合计")
        if v is None or v.value is None or label.endswith("小计"):
            continue
        item = next((k for k in _BUDGET_INCOME_LINES if label.endswith(k)), None)
        if item is not None:
            out["summary"].append(_summary(grid, row, v, item, text, _BUDGET_INCOME_LINES[item]))
_EXPEND_COLS = ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出", "单位预留机动经费"]


def _function_row(grid: Grid, row: Row, v, text: str, subj: dict, fund: str | None, parts: bool = True) -> dict:
    """An expenditure_by_function row of a table row with a code: its amount ``v``, its parent (the code two
    digits shorter) named from ``subj`` (code -> label of the table), its 基本/项目支出 columns when ``parts``."""
    code = row.code
    pc = code[:-2] if len(code) > 3 else None
    return dict(_base(grid, row, v, text), fund=fund, level=_level(code), code=code, subject=row.label,
                printed_name=row.label, parent_code=pc, parent_subject=subj.get(pc) if pc else None,
                amount_wan=_num(v, grid),
                basic_wan=_num(row.cells.get("基本支出"), grid) if parts else None,
                project_wan=_num(row.cells.get("项目支出"), grid) if parts else None)


def _fund_expenditure(grid: Grid, text: str, out: dict, amount_col: str = "合计") -> None:
    fund = FUND_OF_KIND[grid.kind]
    subj = {r.code: r.label for r in grid.rows if r.code}
    for row in grid.rows:
        v = row.cells.get(amount_col)
        if v is None or v.value is None:
            continue
        base = _base(grid, row, v, text)
        if row.code is None:
            if row.label.endswith(("合计", "总计")):
                out["summary"].append(dict(base, item=f"{fund}财政拨款支出", printed_name=row.label, fund=fund,
                                           amount_wan=_num(v, grid)))
            continue
        out["expenditure_by_function"].append(_function_row(grid, row, v, text, subj, fund))


def _all_funds_subjects(grid: Grid, text: str, out: dict) -> None:
    """The 支出预算总表 of a 预算 lists every subject of all funds together (fund null), with its
    基本支出 and 项目支出."""
    subj = {r.code: r.label for r in grid.rows if r.code}
    for row in grid.rows:
        v = row.cells.get("合计")
        if row.code is None or v is None or v.value is None:
            continue
        out["expenditure_by_function"].append(_function_row(grid, row, v, text, subj, None))


def _economic(grid: Grid, text: str, out: dict) -> None:
    for row in grid.rows:
        v = row.cells.get("合计")
        if v is None or v.value is None:
            continue
        base = dict(_base(grid, row, v, text), share_pct=None)
        label = row.label
        if row.code:
            code = row.code
            if len(code) not in (3, 5):
                continue
            out["basic_expenditure_by_economic"].append(dict(
                base, item=label, printed_name=label, level="类" if len(code) == 3 else "款", code=code,
                parent_code=code[:3] if len(code) == 5 else None, amount_wan=_num(v, grid)))
        elif label.endswith("合计"):
            # 人员经费合计 -> 人员经费; the table's own total, printed 合计 alone (the 预算 tables), stays 合计
            # (an empty item would be a missing value to frictionless, and item is required)
            out["basic_expenditure_by_economic"].append(dict(
                base, item=label[:-2] or label, printed_name=label, level=None, code=None, parent_code=None,
                amount_wan=_num(v, grid)))


def _budget_basic_total(grid: Grid, text: str, out: dict) -> None:
    """A 预算's 一般公共预算基本支出预算表 ends (or starts) with 合计 alone: the 一般公共预算 grant's 基本支出."""
    rows = [r for r in grid.rows if r.code is None and _strip_ordinal(r.label) == "合计"]
    if len(rows) == 1 and (v := rows[0].cells.get("合计")) is not None and v.value is not None:
        out["summary"].append(_summary(grid, rows[0], v, "一般公共预算财政拨款基本支出", text, fund="一般公共预算"))


def _three(grid: Grid, text: str, out: dict) -> None:
    # a 预算 document's 三公 table prints the budget only: that figure is the document's amount (as its
    # narrative's “因公出国（境）费预算支出 80万元” is), not a 决算 left blank
    budget_only = grid.document_kind == "预算" and not any(str(c).endswith("|决算数") for c in grid.columns
                                                           if any(r.cells.get(c) for r in grid.rows))
    for row in grid.rows:
        for item, parent in _THREE_ITEMS:
            b, a = row.cells.get(f"{item}|预算数"), row.cells.get(f"{item}|决算数")
            budget, amount = _num(b, grid), _num(a, grid)
            if budget is None and amount is None:
                continue
            if budget_only and amount is None:
                amount, a = budget, b
            lit = a if amount is not None else b
            if amount is None and grid.document_kind == "预算" and not any(k.endswith("|决算数") for k in grid.columns):
                amount = budget  # a 预算's table prints the budget only: that is the figure of the report
            extra = {}
            # a table printing the prior year beside the year ("上年决算数 | 本年决算数 | 增、减金额 | 增、减幅度")
            p = _num(row.cells.get(f"{item}|上年数"), grid)
            if p is not None:
                extra["prior_year_wan"] = p
            diff = amount - p if amount is not None and p is not None else None
            c = _num(row.cells.get(f"{item}|增减额"), grid)
            # a change printed without its sign ("52.14 | 18.82 | 33.32 | -63.90%") or against the row's figures is
            # not taken for the change: which way it went is the figures' (the rules report the cell)
            if c is not None and (diff is None or abs(c - diff) <= 1e-9 + sum(
                    _half_unit(row.cells.get(f"{item}|{k}"), grid) for k in ("上年数", "决算数", "增减额"))):
                extra["change_wan"] = c
            r = row.cells.get(f"{item}|增减率")
            if r is not None and r.value is not None and (diff is None or diff * r.value >= 0):
                extra["change_pct"] = r.value          # percent points, whatever the table's money unit
            out["three_public"].append(dict(_base(grid, row, lit, text), item=item, parent_item=parent,
                                            amount_wan=amount, budget_wan=budget, **extra))


_HEALTH_ITEMS = {"上年结转和结余": "年初结转和结余", "本年收入": "收入合计", "财政拨款收入": "财政拨款收入",
                 "本年支出": "支出合计", "财政拨款支出": "财政拨款支出", "收支结余": "收支结余",
                 "年末结转和结余": "年末结转和结余"}


def _health_total(grid: Grid, text: str, out: dict) -> None:
    """国卫财01-1表: its 合计 row -> summary (本年收入 合计 is the year's 收入合计, 本年支出 合计 its 支出合计 …);
    each function row -> its 本年支出 合计 (all funds: fund null)."""
    subj = {r.code: r.label for r in grid.rows if r.code}
    for row in grid.rows:
        if row.code is None:
            for col, item in _HEALTH_ITEMS.items():
                v = row.cells.get(col)
                if v is not None:
                    out["summary"].append(_summary(grid, row, v, item, text))
            continue
        v = row.cells.get("本年支出")
        if v is None:
            continue
        out["expenditure_by_function"].append(_function_row(grid, row, v, text, subj, None, parts=False))


def _unit_compare(grid: Grid, text: str, out: dict) -> None:
    """A unit's income statement against the year before: its headline lines with their prior year and change."""
    from .compare import COMPARISON_ITEMS

    # a statement with a carry-over line (年初结转和结余 …) has 总计 of its own: then 收入总计 stays 收入总计
    carry = re.search(r"结转和结余|年初结转|上年结转|年末结转|结转下年", text[grid.start:grid.end]) is not None
    for row in grid.rows:
        item = COMPARISON_ITEMS.get(row.label)
        if carry and row.label in ("收入总计", "支出总计"):
            item = row.label
        v = row.cells.get("本期")
        if item is None or v is None:
            continue
        out["summary"].append(dict(_summary(grid, row, v, item, text), prior_year_wan=_num(row.cells.get("上年"), grid),
                                   change_wan=_num(row.cells.get("增减额"), grid),
                                   change_pct=row.cells["增减率"].value))


# the headline lines of a government's execution table besides those government_item knows
_EXECUTION_TOTALS = {"本年收入合计": "收入合计", "收入合计": "收入合计", "本年支出合计": "支出合计", "支出合计": "支出合计",
                     "收入总计": "收入总计", "支出总计": "支出总计"}


def _gov_execution(grid: Grid, text: str, out: dict) -> None:
    """A government's execution table: its headline lines (税收收入, 本年收入合计, 转移性收入, 收入总计 …) -> summary,
    its functional 类 lines -> expenditure_by_function, each with the year before, the budget and the rates."""
    from ..functional import resolve
    from ..names import fund_of, government_item
    from .execution import fund_of_title

    fund, side = fund_of_title(grid.title)
    for row in grid.rows:
        v = row.cells["执行数"]
        name = _strip_ordinal(row.label)
        extra = dict(prior_year_wan=_num(row.cells["上年"], grid), budget_wan=_num(row.cells["预算数"], grid),
                     execution_pct=row.cells["执行率"].value, change_pct=row.cells["增长率"].value)
        cls = function_class(name) if side != "收入" else None
        if cls is not None:
            match = resolve(cls, None, "类", None)
            out["expenditure_by_function"].append(dict(
                _base(grid, row, v, text), fund=fund, level="类", code=match.code if match else None, subject=cls,
                printed_name=name, amount_wan=_num(v, grid), **extra))
            continue
        item = _EXECUTION_TOTALS.get(name) or government_item(name)
        if item is None or (side == "收入" and "支出" in item) or (side == "支出" and "收入" in item):
            continue
        if fund_of(item) not in (None, fund):
            continue    # "国有资本经营收入" in the 一般公共预算's 非税收入: a line of this fund, not the other fund's revenue
        out["summary"].append(dict(_summary(grid, row, v, item, text, fund), **extra))


_FIGURE = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _settle_car_cells(grids: list[Grid], text: str) -> None:
    """A 三公 row whose car figures could go either way (小计 S, then one figure S for 购置费 | 运行维护费, the other
    cell blank: "411.20 411.20") when the report's 一般公共预算基本支出 table prints 30231 公务用车运行维护费 S: the
    running costs are at least their basic part, S, and add up with the purchases to S, so they are S and the
    purchases blank. Only the two car cells may be unknown; the figure after the 小计 must print S."""
    for basic in (g for g in grids if g.kind == "gpb_basic" and g.document_kind in ("预算", "决算")):
        running = [_num(r.cells.get("合计"), basic) for r in basic.rows if r.code == "30231"]
        if len(running) != 1 or running[0] is None:
            continue
        phase = "预算数" if basic.document_kind == "预算" else "决算数"
        sub_k, buy_k, run_k = (f"{i}|{phase}" for i in ("公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费"))
        for g in grids:
            if g.kind != "three" or g.document_kind != basic.document_kind:
                continue
            for row in g.rows:
                sub = row.cells.get(sub_k)
                if {k for k in row.unknown if k.endswith(phase)} != {buy_k, run_k} or sub is None or sub.value is None \
                        or buy_k in row.cells or run_k in row.cells or abs(_num(sub, g) - running[0]) > 1e-9:
                    continue
                m = _FIGURE.search(text, sub.end, row.end)
                if m is None or float(m.group().replace(",", "")) != sub.value:
                    continue
                row.cells[run_k] = Val(m.group(), m.start(), m.end(), sub.value)
                row.unknown -= {buy_k, run_k}


def rows_from_grids(grids: list[Grid], text: str, failed: list | None = None) -> dict[str, list[dict]]:
    """The dataset rows of the recognised tables (without the report keys).

    A reader that fails on a table raises; with ``failed`` given, ``(title, exception)`` is appended there
    and that table gives no rows (none of its rows, rather than some), the other tables theirs.
    """
    out = {"summary": [], "expenditure_by_function": [], "basic_expenditure_by_economic": [], "three_public": []}
    try:
        _settle_car_cells(grids, text)
    except Exception as e:  # noqa: BLE001 - handed to the caller as a finding
        if failed is None:
            raise
        failed.append(("“三公”经费表 (公务用车)", e))
    for g in grids:
        rows = {k: [] for k in out}
        try:
            _read_grid(g, text, rows)
        except Exception as e:  # noqa: BLE001 - handed to the caller as a finding
            if failed is None:
                raise
            failed.append((g.title, e))
            continue
        for k, v in rows.items():
            out[k].extend(v)
    return out


def _read_grid(g: Grid, text: str, out: dict) -> None:
    if g.kind == "total":
        _total(g, text, out)
    elif g.kind == "fiscal_total":
        _fiscal_total(g, text, out)
    elif g.kind == "income":
        _total_row_columns(g, text, out, "收入合计", _INCOME_COLS)
        if g.document_kind == "预算":
            _income_lines(g, text, out)
    elif g.kind == "expend":
        _total_row_columns(g, text, out, "支出合计", _EXPEND_COLS)
        if g.document_kind == "预算":
            _all_funds_subjects(g, text, out)
    elif g.kind in ("gpb", "govfund_exp", "soe_exp"):
        _fund_expenditure(g, text, out)
    elif g.kind in ("govfund", "soe"):
        _fund_expenditure(g, text, out, amount_col="本年支出")
    elif g.kind in ("gpb_basic",):
        _economic(g, text, out)
        if g.document_kind == "预算":
            _budget_basic_total(g, text, out)
    elif g.kind == "three":
        _three(g, text, out)
    elif g.kind == "health_total":
        _health_total(g, text, out)
    elif g.kind == "unit_compare":
        _unit_compare(g, text, out)
    elif g.kind == "gov_exec":
        _gov_execution(g, text, out)
