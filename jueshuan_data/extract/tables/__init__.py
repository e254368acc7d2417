"""The standard tables of a report -> dataset rows, in three stages with one module each:

1. **front-ends** read a table into the shared model (:mod:`.model`, a :class:`~.model.Grid` of rows
   with named cells): :mod:`.grid` from geometry -- the ruled tables of a PDF page, the ``<table>``
   elements of an HTML page -- where every cell's column is known; :mod:`.lines` from tables flattened
   into text lines (``.txt`` input, and any table the geometry did not give), where blank cells leave no
   trace and a cell's column is placed by the table's arithmetic or left unknown; :mod:`.cells` from a 三公
   table flattened one cell a line with its items as rows (a district's 数据解读 page), when no other gave one;
2. **recognition** by title (:mod:`.titles`: the national 部门决算 template and its 部门预算
   counterparts) and header;
3. **readers** (:mod:`.readers`): a Grid -> rows of summary, expenditure_by_function,
   basic_expenditure_by_economic and three_public, the same for every front-end.

>>> rows = extract_tables(DOCTEST_TEXT)
>>> [(r["code"], r["amount_wan"], r["basic_wan"], r["project_wan"]) for r in rows["expenditure_by_function"]]
[('201', 12.5, 10.0, 2.5), ('20101', 12.5, 10.0, 2.5), ('2010101', 10.0, 10.0, None), ('2010102', 2.5, None, 2.5)]
"""

from __future__ import annotations

from .lines import TABLE_TITLES, read_text_tables
from .model import Grid, Row, Val
from .readers import rows_from_grids

__all__ = ["extract_tables", "read_grids", "TABLE_TITLES", "Grid", "Row", "Val", "DOCTEST_TEXT"]

DOCTEST_TEXT = """一般公共预算财政拨款支出决算表
单位：万元
项目 合计 基本支出 项目支出
201 一般公共服务支出 12.50 10.00 2.50
201 01 人大事务 12.50 10.00 2.50
201 01 01 行政运行 10.00 10.00
201 01 02 一般行政管理事务 2.50 2.50
合计 12.50 10.00 2.50
"""


def read_grids(text: str, document=None, cut_end: bool = False) -> tuple[list[Grid], list[dict]]:
    """Every standard table of the report as a Grid, and the problems met (as issue rows).

    Geometry first (a PDF's ruled tables, an HTML page's tables), then the text lines for the kinds
    geometry did not give. A front-end that fails is an error-level finding naming the table, never a
    silent loss of its rows.
    """
    grids: list[Grid] = []
    problems: list[dict] = []
    layout = getattr(document, "layout", None)
    if layout is not None and getattr(layout, "tables", None):
        from .grid import read_layout_tables

        try:
            grids += read_layout_tables(document)
        except Exception as e:  # noqa: BLE001 - reported, never swallowed
            problems.append(_problem("the ruled tables", e))
    failed: list = []
    try:
        grids += read_text_tables(text, skip={g.kind for g in grids}, failed=failed, cut_end=cut_end)
    except Exception as e:  # noqa: BLE001
        problems.append(_problem("the tables in the text", e))
    problems += [_problem(f"the table {title}", e) for title, e in failed]
    if not any(g.kind == "three" for g in grids):
        from .cells import read_three_cell_tables

        try:
            grids += read_three_cell_tables(text)
        except Exception as e:  # noqa: BLE001
            problems.append(_problem("the 三公 table laid out one cell a line", e))
    if not any(g.kind == "three" and any(r.cells for r in g.rows) for g in grids) and "三公" in text:
        # the lines reader may have found the title of a table it could not place a cell of (an empty row): the
        # table split by fund takes its place
        from .cells import read_three_split_cell_tables

        try:
            split = read_three_split_cell_tables(text)
        except Exception as e:  # noqa: BLE001
            split = []
            problems.append(_problem("the 三公 table split by fund, laid out one cell a line", e))
        if split:
            grids = [g for g in grids if g.kind != "three"] + split
    if not any(g.kind == "three" for g in grids) and "三公" in text:
        from .cells import read_three_inline_tables

        try:
            grids += read_three_inline_tables(text)
        except Exception as e:  # noqa: BLE001
            problems.append(_problem("the 三公 table run into one paragraph", e))
    if not any(g.kind == "total" for g in grids) and "序号" in text:
        from .cells import read_numbered_total_cells

        try:
            grids += read_numbered_total_cells(text)
        except Exception as e:  # noqa: BLE001
            problems.append(_problem("the 收支总表 laid out one cell a line with a 序号 column", e))
    if not any(g.kind == "total" for g in grids) and "行次" in text and "栏次" in text:
        from .cells import read_inline_total_tables

        try:
            grids += read_inline_total_tables(text)
        except Exception as e:  # noqa: BLE001
            problems.append(_problem("the 收入支出决算总表 run into one paragraph", e))
    if "收支决算总表" in text:
        from .cells import read_health_total_tables

        try:
            grids += read_health_total_tables(text)
        except Exception as e:  # noqa: BLE001
            problems.append(_problem("the 医疗卫生机构收支决算总表 laid out one cell a line", e))
    if not any(g.kind == "total" for g in grids) and ("本期" in text or "年度" in text) and "%" in text:
        from .compare import read_comparison_tables

        try:
            grids += read_comparison_tables(text)
        except Exception as e:  # noqa: BLE001
            problems.append(_problem("the income statement against the year before", e))
    if "执行" in text and "表" in text:
        from .execution import outcome_year, read_execution_tables

        try:
            year = getattr(document, "fiscal_year", None)
            for g in read_execution_tables(text):
                y = outcome_year(g, text)
                if year is None or y is None or y == year:
                    grids.append(g)
                else:
                    # a 2021 预算草案 appends the 2020 执行情况表: the year before's outcome, not this report's figures
                    problems.append(dict(rule="table_unread", severity="warning", dataset=None,
                                         message=f"{g.title}: reports {y}, the report's year is {year}; not read",
                                         evidence=None, char_start=g.start, char_end=g.end))
        except Exception as e:  # noqa: BLE001
            problems.append(_problem("a government's 预算执行情况表", e))
    for g in grids:
        for why in g.problems:
            problems.append(dict(rule="table_unread", severity="warning", dataset=None,
                                 message=f"{g.title}: {why}", evidence=None, char_start=g.start, char_end=g.end))
    return grids, problems


def _problem(what: str, e: Exception) -> dict:
    return dict(rule="table_reader_failed", severity="error", dataset=None,
                message=f"reading {what} failed ({type(e).__name__}: {e}); its rows are missing",
                evidence=None, char_start=None, char_end=None)


def extract_tables(text: str, document=None, problems: list | None = None,
                   grids: list | None = None, cut_end: bool = False) -> dict[str, list[dict]]:
    """Rows of the datasets read from the report's standard tables.

    Returns ``{"summary": [...], "expenditure_by_function": [...], "basic_expenditure_by_economic": [...],
    "three_public": [...]}``; each row a dict with the dataset's columns (without the report keys).
    Problems (a reader that failed) are appended to ``problems``, the tables as read to ``grids``, when given.
    ``cut_end``: ``text`` is a whole report, which may have been cut inside its last number (read as
    unknown, never smaller).
    """
    read, found = read_grids(text, document, cut_end)
    if grids is not None:
        grids.extend(read)
    failed: list = []
    rows = rows_from_grids(read, text, failed)
    found += [_problem(f"the table {title}", e) for title, e in failed]
    if problems is not None:
        problems.extend(found)
    return rows
