"""The one table model both front-ends fill: a recognised standard table as rows of named cells.

A :class:`Grid` is what a table *says*, independent of how it was printed: its kind (which standard
table), its unit, and its rows -- each with its classification code, its label and its cells keyed by
column (``合计``, ``基本支出``, ``项目支出``, ``财政拨款收入``, ``年初结转和结余`` …). A cell holds the
literal as printed and its span in the normalised text; a blank cell is simply absent, a cell printed as
a dash is present with ``value=None``, a printed ``0`` is ``0.0``.

The front-ends differ in what they can know:

* ``grid.py`` (ruled PDF tables, HTML ``<table>``): every cell's column is given by the geometry, so a
  row is *complete*: an absent column is a blank cell.
* ``lines.py`` (tables flattened into text lines): blank cells leave no trace, so a row's cells are placed
  by the table's arithmetic; a column that cannot be told is listed in ``unknown`` (never guessed).

``readers.py`` turns a Grid into dataset rows, the same way for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Val", "Row", "Grid", "KINDS"]

# the standard tables (决算 and their 预算 counterparts) by kind
KINDS = {
    "total": "收入支出总表 (收入支出决算总表 / 收支预算总表)",
    "income": "收入表 (收入决算表 / 收入预算总表)",
    "expend": "支出表 (支出决算表 / 支出预算总表)",
    "fiscal_total": "财政拨款收支总表",
    "fiscal_expend": "财政拨款支出表 (all 财政拨款 funds, by function)",
    "gpb": "一般公共预算财政拨款支出表 (by function)",
    "gpb_basic": "一般公共预算财政拨款基本支出表 (by economic class)",
    "fiscal_basic": "财政拨款基本支出表 (by economic class, all 财政拨款 funds)",
    "three": "“三公”经费表",
    "govfund": "政府性基金预算财政拨款收入支出表",
    "soe": "国有资本经营预算财政拨款收入支出表",
    "govfund_exp": "政府性基金预算财政拨款支出表",
    "soe_exp": "国有资本经营预算财政拨款支出表",
    "unit_compare": "a public unit's own income statement against the year before (本期 / 上年同期 / 增减额 / 增减率)",
    "gov_exec": "a government's own 预算执行情况表 (上年决算 / 预算(调整)数 / 执行数 / 占预算% / 比上年增长%)",
    "health_total": "医疗卫生机构收支决算总表 (国卫财01-1表, a public hospital's own accounts, by function)",
}


@dataclass
class Val:
    literal: str                 # as printed in the normalised text (``1,511.89``)
    start: int                   # span of the literal in the normalised text
    end: int
    value: float | None          # the printed number in the table's unit; None for a dash (no figure)


@dataclass
class Row:
    label: str                   # the row's label, spaces removed (``行政运行``, ``合计``)
    code: str | None = None      # classification code, digits only (``2010601``), None for 合计 rows
    cells: dict[str, Val] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)   # columns whose cell could not be placed
    start: int = 0               # span of the row (its evidence) in the normalised text
    end: int = 0
    side: str | None = None      # 'income' / 'expenditure' in the two-sided total tables

    def value(self, col: str) -> float | None:
        v = self.cells.get(col)
        return None if v is None else v.value


@dataclass
class Grid:
    kind: str                    # a key of KINDS
    title: str                   # the title as printed (``一般公共预算财政拨款支出决算表``)
    start: int                   # span of the title .. last row in the normalised text
    end: int
    rows: list[Row] = field(default_factory=list)
    unit: str = "万元"
    factor: float = 1.0          # printed value x factor = 万元
    document_kind: str | None = None   # '决算' / '预算' from the title
    complete: bool = False       # every cell's column is known (geometry / HTML)
    columns: list[str] = field(default_factory=list)   # column keys in printed order, when known
    notes: list[str] = field(default_factory=list)     # 注/说明 lines under the table ("本表无数据")
    pages: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what the reader could not read, said plainly

    def total_row(self, side: str | None = None) -> Row | None:
        for r in self.rows:
            if r.code is None and r.label.endswith(("合计", "总计")) and (side is None or r.side == side):
                return r
        return None
