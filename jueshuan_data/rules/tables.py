"""Table rules: each standard table against itself, read as a grid (:mod:`jueshuan_data.extract.tables`).

* ``table_row_sum``: in a row, 合计 = 基本支出 + 项目支出 (+ the other expenditure columns), 合计 = Σ income
  columns, 合计 = Σ funds, and in the fund tables 本年支出 = 基本支出 + 项目支出.
* ``table_column_sum``: in every column, the 合计 row = Σ 类 rows, a 类 = Σ its 款, a 款 = Σ its 项 (the amount
  column of the expenditure-by-function tables is checked on the dataset by the hierarchy rules).
* ``table_incomplete``: a table whose rows, as read, fall short of its own 合计 where some of its rows could
  not be read: the gap is the reader's, not the report's, and is never reported as a false sum error.
* ``empty_table_without_note``: a standard table printed without any figure and without the note the
  template asks for (``…没有…，故本表无数据``).
* ``empty_note_with_figures``: a table printed with figures under a note saying it is empty (``注:本部门2024年
  无“三公”经费和机关运行经费预算，故本表为空表。`` under ``47.91 0 1.35 …``).
* ``missing_table``: a standard table the report lists (its table of contents) but does not print.

A blank cell of a grid read from geometry is an empty cell (a zero for sums); a cell the text front-end
could not place is unknown, and a check that would need it is not made.
"""

from __future__ import annotations

import re

from .core import EPS, Context, amount_slack, check_parts, grade, issue, rule

# (total column, part columns) per kind of table
ROW_PARTS: dict[str, list[tuple[str, list[str]]]] = {
    "expend": [("合计", ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出", "事业单位经营支出",
                    "单位预留机动经费"])],
    "gpb": [("合计", ["基本支出", "项目支出"])],
    "govfund_exp": [("合计", ["基本支出", "项目支出"])],
    "soe_exp": [("合计", ["基本支出", "项目支出"])],
    "fiscal_expend": [("合计", ["基本支出", "项目支出"])],
    "income": [("合计", ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入",
                        "事业单位经营收入", "财政专户管理资金收入", "单位资金", "上年结转",
                        "一般公共预算", "政府性基金预算", "国有资本经营预算"])],
    "fiscal_total": [("合计", ["一般公共预算", "政府性基金预算", "国有资本经营预算"])],
    "govfund": [("本年支出", ["基本支出", "项目支出"])],
    "soe": [("本年支出", ["基本支出", "项目支出"])],
    "gpb_basic": [("合计", ["人员经费", "公用经费"])],
    "fiscal_basic": [("合计", ["人员经费", "公用经费"])],
}
# columns whose 类/款/项 sums the dataset rules already check (expenditure_by_function, economic classes)
_DATASET_CHECKED = {("gpb", "合计"), ("govfund_exp", "合计"), ("soe_exp", "合计"), ("govfund", "本年支出"),
                    ("soe", "本年支出"), ("gpb_basic", "合计"), ("fiscal_basic", "合计")}
_CODE_TABLES = {"income", "expend", "gpb", "govfund_exp", "soe_exp", "fiscal_expend", "govfund", "soe"}


def cell_row(ctx: Context, g, row, key: str) -> dict | None:
    """A grid cell as a row dict the shared helpers read (amount in 万元, literal with the table's unit)."""
    v = row.cells.get(key)
    if v is None or v.value is None:
        return None
    text = ctx.text or ""
    return {"amount_wan": v.value * g.factor, "amount_text": v.literal + g.unit, "char_start": v.start,
            "char_end": v.end, "evidence": text[row.start:row.end] if text else None, "section": None}


def _where(g) -> str:
    return f"《{g.title}》"


def _row_name(row) -> str:
    return f"{row.code} {row.label}".strip() if row.code else (row.label or "数据行")


_DECIMAL = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d+|(?<![\d.,])\d+\.\d+")


def _unplaced(ctx: Context, row) -> bool:
    """The row prints more figures than the reader placed in its cells (a column it did not map, such as a
    预算's 单位预留机动经费): its parts are not all known."""
    text = ctx.text or ""
    if row.side is not None or not text or row.end <= row.start:
        return False
    printed = len(_DECIMAL.findall(text[row.start:row.end]))
    read = sum(1 for v in row.cells.values() if v.value is not None and "." in (v.literal or ""))
    return printed > read


@rule("table_row_sum", "in a table row: 合计 = 基本支出 + 项目支出 (+ other expenditure columns), 合计 = Σ income "
      "columns, 合计 = Σ funds, 本年支出 = 基本支出 + 项目支出; a row printing figures the reader did not place may "
      "only fall short", ["summary", "expenditure_by_function"],
      tolerance="Σ half-units of the parts + the total's half-unit")
def _table_row_sum(ctx: Context):
    out = []
    for g in ctx.grids:
        for total_key, part_keys in ROW_PARTS.get(g.kind, []):
            for row in g.rows:
                if row.unknown & ({total_key} | set(part_keys)):
                    continue          # a cell the text could not place: no sum can be made
                total = cell_row(ctx, g, row, total_key)
                parts = [(k, r) for k in part_keys if (r := cell_row(ctx, g, row, k)) is not None]
                if total is None or not parts:
                    continue
                out += check_parts(None, total, f"{_where(g)}“{_row_name(row)}”的{total_key}", parts,
                                   not _unplaced(ctx, row), f"{_where(g)}“{_row_name(row)}”的各栏")
    return out


def _families(g):
    """(parent row, children) of a code table: 合计 -> 类, 类 -> 款, 款 -> 项."""
    coded = [r for r in g.rows if r.code]
    total = next((r for r in g.rows if r.code is None and r.label.endswith(("合计", "总计"))), None)
    fam = []
    if total is not None:
        fam.append((total, [r for r in coded if len(r.code) == 3]))
    for p in coded:
        if len(p.code) in (3, 5):
            kids = [r for r in coded if len(r.code) == len(p.code) + 2 and r.code.startswith(p.code)]
            if kids:
                fam.append((p, kids))
    return fam


def _column_gaps(ctx: Context):
    """(grid, column, parent row, children, parent dict, children dicts) of every column sum of every code
    table, the columns the dataset rules check left out."""
    for g in ctx.grids:
        if g.kind not in _CODE_TABLES:
            continue
        keys = [k for k in (g.columns or []) if (g.kind, k) not in _DATASET_CHECKED]
        for parent, kids in _families(g):
            for key in keys:
                if key in parent.unknown or any(key in k.unknown for k in kids):
                    continue
                p = cell_row(ctx, g, parent, key)
                if p is None:
                    continue
                parts = [(f"{k.code} {k.label}", r) for k in kids if (r := cell_row(ctx, g, k, key)) is not None]
                if not parts and not g.complete:
                    continue
                yield g, key, parent, kids, p, parts


@rule("table_column_sum", "in every column of a code table: 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项",
      ["summary", "expenditure_by_function"], tolerance="Σ half-units of the children + the parent's half-unit")
def _table_column_sum(ctx: Context):
    out = []
    for g, key, parent, kids, p, parts in _column_gaps(ctx):
        if not parts:
            continue
        total = sum(r["amount_wan"] for _, r in parts)
        shortfall = p["amount_wan"] - total
        if shortfall > 0:
            # rows that fall short of their parent are, far more often than a wrong total, a row the reader
            # missed (a row cut by a page, a code printed oddly): table_incomplete says so; rows that add to
            # more than their parent cannot be explained by a missed row and stay an error
            continue
        out += check_parts(None, p, f"{_where(g)}“{_row_name(parent)}”的{key}", parts, True,
                           f"{_where(g)}其下各行{key}")
    return out


@rule("table_incomplete", "a table whose rows as read fall short of its own 合计 where rows were not read (the "
      "gap is the reader's: no sum error is reported for it)", ["summary", "expenditure_by_function"],
      severity="warning", tolerance="Σ half-units of the rows read + the 合计's half-unit")
def _table_incomplete(ctx: Context):
    out = []
    for g, key, parent, kids, p, parts in _column_gaps(ctx):
        if not parts:
            continue
        total = sum(r["amount_wan"] for _, r in parts)
        tol = sum(amount_slack(r) for _, r in parts) + amount_slack(p)
        gap = p["amount_wan"] - total
        if gap <= tol + EPS or grade(gap, tol) is None:
            continue
        why = "；".join(g.problems[:2]) or ("表格按文本行读取，空白栏无法定位" if not g.complete else "可能有行未读到")
        out.append(issue("warning", None, f"{_where(g)}“{_row_name(parent)}”的{key}：读到的下级行之和 {total:.2f}万元 "
                                           f"少于其 {p['amount_wan']:.2f}万元（差 {gap:.2f}万元），{why}",
                         expected=p["amount_wan"], actual=total, at=p))
    return out


# … "注：本部门无相关收支项目", "注：本部门无该项目" (Jiangsu 预算 tables)
_NO_DATA = re.compile(r"无数据|没有|无(?:相关|此项|该项)?[^，。]{0,24}(?:收入|支出|经费|数据)|不涉及|空表|为空|未发生|本表为0"
                      r"|无(?:相关|该|此)?(?:收支)?项目")


_FUND_OF_KIND = {"govfund": "政府性基金预算", "govfund_exp": "政府性基金预算", "soe": "国有资本经营预算",
                 "soe_exp": "国有资本经营预算"}


def _stated_elsewhere(ctx: Context, g) -> dict | None:
    """A non-zero figure the report states for what an empty table should hold (its narrative), if any."""
    if g.kind == "three":
        rows = ctx.rows("three_public")
        cols = ("amount_wan", "budget_wan")
    elif g.kind in _FUND_OF_KIND:
        fund = _FUND_OF_KIND[g.kind]
        rows = [r for d in ("summary", "expenditure_by_function") for r in ctx.rows(d) if r.get("fund") == fund]
        cols = ("amount_wan",)
    else:
        return None
    return next((r for r in rows if r.get("source_kind") != "table"
                 and any(r.get(c) not in (None, 0, 0.0) for c in cols)), None)


@rule("empty_table_without_note", "a standard table printed without any figure and without the note that it has "
      "no data (…没有…，故本表无数据): an error where the report states figures that table should hold, else a "
      "warning (many 预算 leave an empty fund table without a note)", ["summary"], severity="warning",
      tolerance="none")
def _empty_table(ctx: Context):
    out = []
    for g in ctx.grids:
        if not g.complete or any(v.value is not None or v.literal for r in g.rows for v in r.cells.values()):
            continue
        if any(_NO_DATA.search(n) for n in g.notes):
            continue
        text = ctx.text or ""
        ev = text[g.start:g.end][:200] if text else None
        stated = _stated_elsewhere(ctx, g)
        if stated is not None:
            out.append(issue("error", None, f"{_where(g)}没有任何数字，也没有“本表无数据”之类的说明，但报告在别处写有"
                                            f"其数字（{(stated.get('evidence') or '')[:40]}）：表格被清空或漏填",
                             evidence=ev, char_start=g.start, char_end=g.end))
        else:
            out.append(issue("warning", None, f"{_where(g)}没有任何数字，表下也没有“本表无数据”之类的说明",
                             evidence=ev, char_start=g.start, char_end=g.end))
    return out


_EMPTY_NOTE = re.compile(r"(?:本表|此表)(?:为空表|为空|无数据|无内容)|故本表(?:为)?空")


def _notes_of(ctx: Context, g) -> list[str]:
    """The notes under a grid: those the reader kept, else the 注/说明 lines right after it in the text."""
    if g.notes:
        return list(g.notes)
    text = ctx.text or ""
    out = []
    for line in text[g.end:g.end + 400].split("\n")[:4]:
        s = line.strip()
        if re.match(r"^(?:注|说明|备注)\s*\d*[:：]", s):
            out.append(s)
    return out


@rule("empty_note_with_figures", "a table printed with figures under its own note that it is empty (…故本表为空表)",
      ["summary", "three_public"], tolerance="none: a non-zero figure is printed or it is not")
def _empty_note_with_figures(ctx: Context):
    out = []
    for g in ctx.grids:
        figures = [v for r in g.rows for v in r.cells.values() if v is not None and v.value not in (None, 0, 0.0)]
        if not figures:
            continue
        note = next((n for n in _notes_of(ctx, g) if _EMPTY_NOTE.search(n)), None)
        if note is None:
            continue
        first = figures[0]
        shown = "、".join(v.literal for v in figures[:4] if v.literal)
        out.append(issue("error", None, f"{_where(g)}表下注明“{note[:60]}”，表中却印有数字（{shown}）",
                         actual=first.value, evidence=note, char_start=g.start, char_end=g.end))
    return out


# the line under a printed table's title: "部门：江苏省政协办公厅 单位：万元", "单位：元"
_UNIT_LINE = re.compile(r"^部门[:：]|单位[:：]\s*(?:万元|元|千元|亿元)")


@rule("missing_table", "a standard table the report lists in its table of contents but does not print",
      ["summary"], tolerance="none")
def _missing_table(ctx: Context):
    from ..extract.tables.titles import classify

    text = ctx.text or ""
    if not text or not ctx.grids:
        return []
    present = {g.kind for g in ctx.grids}
    mentions: dict[str, list[tuple[int, str]]] = {}
    lines = [(at, s) for at, s in ctx.lines() if s]
    printed: set[str] = set()
    for i, (at, s) in enumerate(lines):
        found = classify(s) if 0 < len(s) <= 60 else None
        if found:
            nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
            if _UNIT_LINE.search(nxt):
                printed.add(found[0])  # a printed table's title, its 部门/单位 line below: not a contents entry
                continue
            mentions.setdefault(found[0], []).append((at, s))
    out = []
    if len(present) < 3:
        return out                     # an excerpt or a report without its tables: nothing to miss
    for kind, where in mentions.items():
        if kind in present or kind in printed or len(where) != 1:
            continue                   # printed, or printed but unread (a table_unread finding says so)
        at, line = where[0]
        out.append(issue("error", None, f"目录列出“{line}”，但报告中没有这张表", evidence=line,
                         char_start=at, char_end=at + len(line)))
    return out
