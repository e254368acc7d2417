"""A “三公” table flattened one cell a line, its items as rows -> a Grid.

Data-interpretation pages (数据解读, a district's 三公 决算 汇总) print the table with the items down the
side and the figures across, and the page store flattens it one cell a line, with or without a cell rule
(``|``) and blank lines between cells::

    经费项目 |                      <- the header: its first cell ends in 项目 ...
    2020年度支出 (万元) |           <- ... the figure column names its unit
    支出减少情况(万元) |
    支出减少率 |
    因公出国(境)费 |                <- a row: a 三公 line's name, then as many cells as the header has columns
    0 |
    0 |
    0% |
    公务接待费 |
    71.53 |
    - |
    - |

The first figure column is read when its header says it is spending in a money unit (支出 / 决算,
万元 / 元), and a change column after it when its header says which way (``支出减少情况(万元)``: a decrease,
so its 12.50 is a change of −12.50; ``支出减少率``); a dash is no figure. A row must have every cell (a
number, a percentage or a dash), else the table ends there. A title that is not the standard one (``2020年度全区“三公”经费决算情况``) is no obstacle: the
header and the rows say what the table is.
"""

from __future__ import annotations

import re

from ..names import three_public_item
from .model import Grid, Row, Val

__all__ = ["read_three_cell_tables"]

_CELL_VALUE = re.compile(r"^(?:-?\d[\d,]*(?:\.\d+)?%?|[-—–－/／])$")
_NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_HEAD = re.compile(r"(?:经费|使用|支出)?项目$")
_MONEY = {"万元": 1.0, "元": 1e-4}


def _cells(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every non-blank line that holds one cell (a trailing cell rule dropped)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        s = line.strip()
        if s.endswith(("|", "｜")):
            s = s[:-1].rstrip()
        if s and "|" not in s and "｜" not in s:
            start = pos + line.index(s[0])
            out.append((start, start + len(s), s))
        elif s:
            out.append((pos, pos, ""))      # a line of several cells: no cell of this layout
        pos += len(line) + 1
    return out


def _change_column(header: str, unit: str) -> tuple[str, int] | None:
    """("wan" or "pct", sign) of a change column: its header says the direction (减少 / 增加) and, for an
    amount, the figure column's unit; a column of another kind (a 预算, a count) is None."""
    sign = -1 if re.search(r"减少|下降|降低", header) else 1 if re.search(r"增加|增长|上升", header) else None
    if sign is None:
        return None
    if re.search(r"率|幅度?|[%％]", header):
        return "pct", sign
    return ("wan", sign) if _unit(header) == unit else None


def _unit(header: str) -> str | None:
    m = re.search(r"[（(]\s*(万元|元)\s*[）)]", header)
    return m.group(1) if m else None


def read_three_cell_tables(text: str) -> list[Grid]:
    """The 三公 tables of ``text`` laid out one cell a line with the items as rows (see the module)."""
    if "三公" not in text:
        return []
    cells = _cells(text)
    grids = []
    i = 0
    while i < len(cells):
        m = _HEAD.search(cells[i][2])
        if not m:
            i += 1
            continue
        # a title line re-joined with the first header cell ("2020年度全区“三公”经费决算情况经费项目")
        joined_title = cells[i][2][:m.start()] if m.start() and "三公" in cells[i][2][:m.start()] else None
        if m.start() and joined_title is None:
            i += 1
            continue
        # the header: cells up to the first 三公 line's name
        j = i + 1
        while j < len(cells) and j - i <= 8 and cells[j][2] and three_public_item(cells[j][2]) is None:
            j += 1
        k = j - i
        head = [c[2] for c in cells[i:j]]
        if k < 2 or j >= len(cells) or not cells[j][2] or three_public_item(cells[j][2]) is None:
            i += 1
            continue
        unit = _unit(head[1])
        if unit is None or not re.search(r"支出|决算", head[1]):
            i = j
            continue
        kind = "预算数" if "预算" in head[1] and "决算" not in head[1] else "决算数"
        # the change columns after it, where their header says which way ("支出减少情况(万元)", "支出减少率")
        changes = {c: _change_column(h, unit) for c, h in enumerate(head) if c >= 2}
        rows: list[Row] = []
        r = j
        while r + k <= len(cells):
            name = three_public_item(cells[r][2]) if cells[r][2] else None
            values = cells[r + 1:r + k]
            if name is None or not all(v[2] and _CELL_VALUE.match(v[2]) for v in values):
                break
            start, end, lit = values[0]
            cell = {}
            if _NUMBER.match(lit):
                cell[f"{name}|{kind}"] = Val(lit, start, end, float(lit.replace(",", "")))
            for c, how in changes.items():
                cs, ce, clit = values[c - 1]
                number = clit[:-1] if how and how[0] == "pct" and clit.endswith("%") else clit
                if how is not None and _NUMBER.match(number) and (how[0] == "pct") == clit.endswith("%"):
                    cell[f"{name}|{'增减率' if how[0] == 'pct' else '增减额'}"] = \
                        Val(clit, cs, ce, how[1] * float(number.replace(",", "")) or 0.0)   # no −0.0
            rows.append(Row(label=cells[r][2], cells=cell, start=cells[r][0], end=values[-1][1]))
            r += k
        if len(rows) >= 2:
            title = joined_title or _title_before(text, cells[i][0])
            grids.append(Grid(kind="three", title=title or head[0], start=cells[i][0], end=rows[-1].end, rows=rows,
                              unit=unit, factor=_MONEY[unit], document_kind=kind[:2], complete=True,
                              columns=[c for row in rows for c in row.cells]))
            i = r
        else:
            i = j
    return grids


def _title_before(text: str, pos: int) -> str | None:
    """The nearest non-blank line above the header, when it names the 三公 (the table's title)."""
    before = [ln.strip() for ln in text[:pos].split("\n")[-4:] if ln.strip()]
    if before and "三公" in before[-1] and len(before[-1]) <= 60:
        return before[-1]
    return None
