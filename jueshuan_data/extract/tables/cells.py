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

__all__ = ["read_three_cell_tables", "read_three_split_cell_tables", "read_three_inline_tables", "read_health_total_tables",
           "read_numbered_total_cells", "read_inline_total_tables"]

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


def _three_row_name(cell: str) -> str | None:
    """The 三公 line a row's first cell names: its items, and the table's 合计 ("合计", "合 计")."""
    if re.sub(r"\s+", "", cell) in ("合计", "总计"):
        return "合计"
    return three_public_item(cell)


def read_three_cell_tables(text: str) -> list[Grid]:
    """The 三公 tables of ``text`` laid out one cell a line with the items as rows (see the module)."""
    if "三公" not in text:
        return []
    cells = _cells(text)
    grids = []
    i = 0
    while i < len(cells):
        m = _HEAD.search(cells[i][2]) if cells[i][2].endswith("项目") else None    # _HEAD ends in 项目
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
        while j < len(cells) and j - i <= 8 and cells[j][2] and _three_row_name(cells[j][2]) is None:
            j += 1
        k = j - i
        head = [c[2] for c in cells[i:j]]
        if k < 2 or j >= len(cells) or not cells[j][2] or _three_row_name(cells[j][2]) is None:
            i += 1
            continue
        unit = _unit(head[1])
        # the figure column is spending (支出 / 决算), or a 预算's budget when it is the table's only column
        # ("项目 | 预 算 数(万元)": a 三公 预算表; beside a 决算 column a 预算数 is not the report's figure)
        if unit is None or not (re.search(r"支出|决算", head[1]) or (k == 2 and re.search(r"预\s*算", head[1]))):
            i = j
            continue
        kind = "预算数" if re.search(r"预\s*算", head[1]) and "决算" not in head[1] else "决算数"
        # the change columns after it, where their header says which way ("支出减少情况(万元)", "支出减少率")
        changes = {c: _change_column(h, unit) for c, h in enumerate(head) if c >= 2}
        rows: list[Row] = []
        r = j
        while r + k <= len(cells):
            name = _three_row_name(cells[r][2]) if cells[r][2] else None
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


# The 三公 决算表 whose 预算数 and 决算数 are each split by fund, flattened one cell a line (a school's page,
# Anhui's template of 2020), the items as rows and every cell closed by its rule::
#
#     项目 |                        <- the header's first row: 项目, 预算数, 决算数
#     预算数 |
#     决算数 |
#     |||||                          <- (rules of the merged cells: no cell)
#     合计 |                         <- the second row: the same columns under each, 合计 first
#     一般公共预算财政拨款 |
#     政府性基金预算财政拨款 |
#     合计 |
#     一般公共预算财政拨款 |
#     政府性基金预算财政拨款 |
#     ||
#     因公出国(境)费 |               <- a row: a 三公 line's name, then 2 x that many numbers
#     0.00 | …
#     总计 |                         <- (the total row may come last, as 总计)
#
# The first column under 预算数 is the line's budget, the first under 决算数 its 决算 (the 合计 over the funds);
# the money unit is the one the lines above the header print ("金额单位:万元"). A row must have every cell a
# number (or a dash), else the table ends there.

_FUND_COLUMN = re.compile(r"^(?:合计|小计|一般公共预算(?:财政拨款)?|政府性基金(?:预算)?(?:财政拨款)?"
                          r"|国有资本经营(?:预算)?(?:财政拨款)?)$")
_UNIT_ABOVE = re.compile(r"单位\s*[:：]\s*(万元|元)")


class _Squashed:
    """The cells' texts without their blanks, each made when first asked (``sq[i]``, ``sq[i:j]``)."""

    def __init__(self, cells: list[tuple[int, int, str]]):
        self.cells = cells
        self.memo: dict[int, str] = {}

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self.cells)))]
        got = self.memo.get(k)
        if got is None:
            got = self.memo[k] = re.sub(r"\s+", "", self.cells[k][2])
        return got


def read_three_split_cell_tables(text: str) -> list[Grid]:
    """The 三公 tables of ``text`` whose 预算数 and 决算数 are each split by fund (see above)."""
    if "三公" not in text:
        return []
    cells = [c for c in _cells(text) if c[2]]
    sq = _Squashed(cells)
    grids = []
    i = 0
    while i + 2 < len(cells):
        # a cell is squashed only when its printed text ends as the header's first cell does (most are prose)
        if not (cells[i][2].endswith("目") and sq[i] == "项目" and sq[i + 1] == "预算数" and sq[i + 2] == "决算数"):
            i += 1
            continue
        j = i + 3
        while j < len(cells) and j - i <= 13 and _FUND_COLUMN.match(sq[j]):
            j += 1
        sub = sq[i + 3:j]
        h = len(sub) // 2
        if h < 1 or len(sub) % 2 or sub[:h] != sub[h:] or sub[0] != "合计" or j >= len(cells):
            i += 1
            continue
        above = text[max(0, cells[i][0] - 300):cells[i][0]]
        units = _UNIT_ABOVE.findall(above)
        if not units:
            i = j
            continue
        unit = units[-1]
        rows: list[Row] = []
        r = j
        while r + 2 * h < len(cells) + 1:
            name = _three_row_name(cells[r][2])
            values = cells[r + 1:r + 1 + 2 * h]
            if name is None or len(values) < 2 * h or not all(_CELL_VALUE.match(v[2]) for v in values):
                break
            cell = {}
            for col, v in (("预算数", values[0]), ("决算数", values[h])):
                if _NUMBER.match(v[2]):
                    cell[f"{name}|{col}"] = Val(v[2], v[0], v[1], float(v[2].replace(",", "")))
            rows.append(Row(label=sq[r], cells=cell, start=cells[r][0], end=values[-1][1]))
            r += 1 + 2 * h
        if len(rows) >= 2:
            title = _three_title_above(text, cells[i][0])
            grids.append(Grid(kind="three", title=title or "“三公”经费支出决算表", start=cells[i][0], end=rows[-1].end,
                              rows=rows, unit=unit, factor=_MONEY[unit], document_kind="决算", complete=True,
                              columns=[c for row in rows for c in row.cells]))
            i = r
        else:
            i = j
    return grids


def _three_title_above(text: str, pos: int) -> str | None:
    """The nearest line within a dozen above ``pos`` that names the 三公 and ends in 表 (rules stripped)."""
    for ln in reversed(text[:pos].split("\n")[-12:]):
        t = ln.strip().strip("|｜ ")
        if "三公" in t and t.endswith("表") and len(t) <= 80:
            return t
    return None


def _title_before(text: str, pos: int) -> str | None:
    """The nearest non-blank line above the header, when it names the 三公 (the table's title)."""
    before = [ln.strip() for ln in text[:pos].split("\n")[-4:] if ln.strip()]
    if before and "三公" in before[-1] and len(before[-1]) <= 60:
        return before[-1]
    return None


# --------------------------------------------------------------------------------------------------
# 国卫财01-1表: the 医疗卫生(计生)机构收支决算总表 (按功能分类) a public hospital publishes (医改信息公开),
# flattened one cell a line, every cell closed by its rule and a blank cell a bare rule::
#
#     栏次 |  1 |  2 | … | 26 |          <- the 26 numbered columns of the national form
#     |                                  <- (the 合计 row's empty code cell)
#     合计 |                             <- a row: 合计, or a function code and its name ...
#     |                                  <- ... then exactly 26 cells, blank ('|') or a number ('29,340,515.38 |')
#     …
#     | 210 |                            <- the next row's code (the rule of the row before glued in front)
#     医疗卫生与计划生育支出 |
#
# The form's columns are fixed (上年结转和结余 1-5, 本年收入 6-8, 本年支出 9-11, 收支结余 12-15, 用事业基金弥补
# 收支差额 16, 结余分配 17-21, 年末结转和结余 22-26), so a figure's column is its place in the row; the table is
# read only when its header names the seven column groups in that order over exactly 26 栏次, and a row only
# when all its 26 cells are there, each a blank or a number closed by its rule, followed by the row's own
# closing rule and then the next row's first cell (a row cut off by the end of the text, a row that lost or
# gained a cell, or a row holding anything else ends the table: its figures' columns could not be told).

_HEALTH_TITLE = re.compile(r"医疗卫生(?:计生)?机构收支决算总表")
_HEALTH_GROUPS = ("上年结转和结余", "本年收入", "本年支出", "收支结余", "用事业基金弥补收支差额", "结余分配",
                  "年末结转和结余")
_HEALTH_COLUMNS = {1: "上年结转和结余", 6: "本年收入", 7: "财政拨款收入", 9: "本年支出", 10: "财政拨款支出",
                   12: "收支结余", 22: "年末结转和结余"}
_HEALTH_N = 26
_HEALTH_UNIT = re.compile(r"金额单位[:：]\s*(万元|元)")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def _ruled_cells(text: str, start: int) -> list[tuple[int, int, str, bool]]:
    """(start, end, text, closed) of the lines after ``start``: a line's rules stripped ('| 210 |' -> '210',
    '|' -> ''); ``closed``: the line ended with its rule. A line holding a rule inside (several cells) gets
    the text None."""
    out = []
    pos = start
    for line in text[start:].split("\n"):
        s = line.strip()
        closed = s.endswith(("|", "｜"))
        core = s.strip("|｜ ")
        if "|" in core or "｜" in core:
            out.append((pos, pos + len(line), None, closed))
        else:
            a = pos + line.find(core) if core else pos
            out.append((a, a + len(core), core, closed))
        pos += len(line) + 1
    return out


def _next_row_starts(cells: list, j: int) -> bool:
    """A row starts at ``j`` (or the text ends): a code ('210'), a label, or an empty code cell and then a
    label. A bare rule followed by a figure or another rule is a cell of the row before: it had one too many."""
    if j >= len(cells) or cells[j][2] is None:
        return True
    t = cells[j][2]
    if t == "":
        nxt = cells[j + 1][2] if j + 1 < len(cells) else ""
        return bool(nxt) and not _NUMBER.match(nxt)
    return not _NUMBER.match(t) or bool(_CODE.match(t))


def read_health_total_tables(text: str) -> list[Grid]:
    """The 国卫财01-1表 (医疗卫生机构收支决算总表) of ``text`` laid out one cell a line (see above)."""
    grids = []
    for m in _HEALTH_TITLE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        title = text[line_start:line_end].strip("|｜ ")
        cells = _ruled_cells(text, line_end + 1 if line_end < len(text) else len(text))
        # the header: up to the 栏次 cell, then its numbers 1..26
        k = next((i for i, c in enumerate(cells[:200]) if c[2] == "栏次"), None)
        if k is None:
            continue
        head = "".join(c[2] or "" for c in cells[:k]).replace(" ", "")
        unit = _HEALTH_UNIT.search(head)
        pos, ok = 0, unit is not None
        for g in _HEALTH_GROUPS:
            pos = head.find(g, pos)
            if pos < 0:
                ok = False
                break
            pos += len(g)
        numbers = [c[2] for c in cells[k + 1:k + 1 + _HEALTH_N]]
        if not ok or numbers != [str(n) for n in range(1, _HEALTH_N + 1)] or \
                (k + 1 + _HEALTH_N < len(cells) and (cells[k + 1 + _HEALTH_N][2] or "").isdigit()):
            continue
        rows: list[Row] = []
        i = k + 1 + _HEALTH_N
        while i < len(cells):
            c = cells[i]
            if c[2] == "":
                i += 1                      # a row's closing rule, the 合计 row's empty code cell
                continue
            if c[2] == "合计":
                code, label, first = None, c, i + 1
            elif c[2] is not None and _CODE.match(c[2]) and i + 1 < len(cells) and cells[i + 1][2] \
                    and not _NUMBER.match(cells[i + 1][2]):
                code, label, first = c[2], cells[i + 1], i + 2
            else:
                break                       # anything else (a template's placeholder row, a note) ends the table
            values = cells[first:first + _HEALTH_N]
            if len(values) < _HEALTH_N or not all(v[2] is not None and v[3] and (v[2] == "" or _NUMBER.match(v[2]))
                                                  for v in values):
                break                       # cut off by the end of the text, or not this layout
            # the row's closing rule, then the next row's first cell (or the end): a row that lost a cell
            # has the next row's code where its rule should be, one with a cell too many a rule after its rule
            end_rule = cells[first + _HEALTH_N] if first + _HEALTH_N < len(cells) else None
            if end_rule is None or end_rule[2] != "" or not end_rule[3] \
                    or not _next_row_starts(cells, first + _HEALTH_N + 1):
                break
            row_cells = {}
            for col, key in _HEALTH_COLUMNS.items():
                a, b, lit, _ = values[col - 1]
                if lit:
                    row_cells[key] = Val(lit, a, b, float(lit.replace(",", "")))
            rows.append(Row(label=label[2].replace(" ", ""), code=code, cells=row_cells, start=c[0],
                            end=values[-1][1]))
            i = first + _HEALTH_N + 1
        if rows:
            u = unit.group(1)
            grids.append(Grid(kind="health_total", title=title, start=line_start, end=rows[-1].end, rows=rows,
                              unit=u, factor=_MONEY[u], document_kind="决算", complete=True,
                              columns=list(_HEALTH_COLUMNS.values())))
    return grids


# --------------------------------------------------------------------------------------------------
# A 收支总表 printed without its title, one cell a line and a 序号 column first (the 部门预算/决算公开表 of a
# provincial platform, as the page store flattens it: every cell closed by its rule, a blank cell a bare rule,
# neighbouring cells sometimes re-joined on one line)::
#
#     单位:万元 | ||
#     序号 | 收入 | 支出 | || 项 目 | 预算数 | 项 目 | 预算数 | | 栏次 | 1 | 2 | 3 | 4 |
#     1 | 一、一般公共预算拨款收入 | 675.82 | 一、一般公共服务支出 | 516.39 |
#     2 | 二、政府性基金预算拨款收入 | | 二、外交支出 | |
#     …
#     32 | 本年收入合计 | 675.82 | 本年支出合计 | 690.36 |
#
# A row is its 序号 and four cells: income line, its amount, spending line, its amount. The 序号 must run
# 1, 2, 3 … without a gap, so a cell lost or gained stops the table at once; a row cut off by the end of the
# text gives its complete cells only.

_CELL = re.compile(r"([^|｜\n]*)[|｜]")
_TOTAL_AMOUNT_HEAD = ("预算数", "决算数", "金额")


def _closed_cells(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _CELL.finditer(text):
        raw = m.group(1)
        core = raw.strip()
        a = m.start(1) + (raw.find(core) if core else 0)
        out.append((a, a + len(core), core))
    return out


def read_numbered_total_cells(text: str) -> list[Grid]:
    """The untitled 收支总表 of ``text`` laid out one cell a line with a 序号 column (see above)."""
    if "序号" not in text or "栏次" not in text:
        return []
    cells = _closed_cells(text)
    words = [c[2].replace(" ", "") for c in cells]
    grids = []
    for k, w in enumerate(words):
        if w != "序号":
            continue
        head = [x for x in words[k + 1:k + 20] if x]
        # 收入, 支出, 项目, <amount>, 项目, <amount>, 栏次, 1, 2, 3, 4
        if len(head) < 11 or head[:2] != ["收入", "支出"] or head[2] != "项目" or head[4] != "项目" \
                or head[3] not in _TOTAL_AMOUNT_HEAD or head[5] != head[3] or head[6] != "栏次" \
                or head[7:11] != ["1", "2", "3", "4"]:
            continue
        unit = next((m for x in words[max(0, k - 6):k] for m in [re.search(r"单位[:：](万元|元)$", x)] if m), None)
        if unit is None:
            continue
        # the first row starts after the 栏次 numbers
        j = k + 1
        seen = 0
        while seen < 11:
            if words[j]:
                seen += 1
            j += 1
        rows: list[Row] = []
        n = 1
        while j < len(cells) and words[j] == str(n):
            row = cells[j + 1:j + 5]
            kinds = ["label", "amount", "label", "amount"]
            ok = True
            for (a, b, lit), kind in zip(row, kinds):
                if kind == "amount" and lit and not _NUMBER.match(lit):
                    ok = False
                if kind == "label" and lit and _NUMBER.match(lit):
                    ok = False
            if not ok:
                break
            for side, pair in (("income", row[0:2]), ("expenditure", row[2:4])):
                if not pair or not pair[0][2]:
                    continue
                label = pair[0][2].replace(" ", "")
                vals = {}
                if len(pair) == 2 and pair[1][2]:
                    a, b, lit = pair[1]
                    vals["合计"] = Val(lit, a, b, float(lit.replace(",", "")))
                rows.append(Row(label=label, cells=vals, start=pair[0][0], end=pair[-1][1], side=side))
            if len(row) < 4:
                break                       # the text ends inside this row: its complete cells only
            j += 5
            n += 1
        if rows:
            u = unit.group(1)
            kind = "预算" if head[3] == "预算数" else "决算"
            grids.append(Grid(kind="total", title="收支预算总表" if kind == "预算" else "收入支出决算总表",
                              start=cells[k][0], end=rows[-1].end, rows=rows, unit=u, factor=_MONEY[u],
                              document_kind=kind, complete=True, columns=["合计"]))
    return grids


# --------------------------------------------------------------------------------------------------
# A 三公 table run into one paragraph (a PDF's text layer as a document site stores it, a page a paragraph)::
#
#     …“三公”经费支出决算表单位:万元项目预算数决算数合计 65.00 64.87 0 0 公务接待费 21.00 21.00 公务用车购置及运行费
#     44.00 43.87 其中:公务用车运行维护费 44.00 43.87 公务用车购置 0 0 因公出国(境)费二、…
#
# A label whose cell was taller than its row is printed apart from its figures ("因公出国(境)费" after the last
# row, its "0 0" behind 合计's). A line is read only when exactly as many figures as the header has columns
# follow its label (合计 above, with four, is not read, nor 因公出国 with none), and the table only when its
# parts add up wherever its lines allow the check (合计 = its three lines, 公务用车购置及运行费 = 运行维护费 +
# 购置费, column by column) and at least one such check was made.

_INLINE_THREE = re.compile(r"三公[”\"]?经费[^。\n]{0,24}?表\s*[（(]?(?:金额)?单位[:：]\s*(万元|元)[）)]?\s*项\s*目\s*"
                           r"((?:(?:预算数|决算数)\s*){1,2})")
_INLINE_STOP = re.compile(r"[一二三四五六七八九十]、|[。\n]")
_THREE_PARTS = [("合计", ("因公出国（境）费", "公务接待费", "公务用车购置及运行维护费")),
                ("公务用车购置及运行维护费", ("公务用车运行维护费", "公务用车购置费"))]


def read_three_inline_tables(text: str) -> list[Grid]:
    """The 三公 tables of ``text`` run into one paragraph (see above)."""
    grids = []
    for m in _INLINE_THREE.finditer(text):
        cols = re.findall(r"预算数|决算数", m.group(2))
        if len(set(cols)) != len(cols):
            continue
        stop = _INLINE_STOP.search(text, m.end())
        end = stop.start() if stop else len(text)
        toks = [(t.start(), t.end(), t.group()) for t in re.finditer(r"\S+", text[m.end():end])]
        toks = [(a + m.end(), b + m.end(), t) for a, b, t in toks]
        rows: list[Row] = []
        values: dict[str, list[float]] = {}
        k = 0
        while k < len(toks):
            a, b, label = toks[k]
            nums = []
            k += 1
            while k < len(toks) and _NUMBER.match(toks[k][2]):
                nums.append(toks[k])
                k += 1
            name = _three_row_name(label)
            if name is None or len(nums) != len(cols) or name in values:
                continue
            cells = {f"{name}|{c}": Val(t, na, nb, float(t.replace(",", ""))) for c, (na, nb, t) in zip(cols, nums)}
            values[name] = [float(t.replace(",", "")) for _, _, t in nums]
            rows.append(Row(label=label, cells=cells, start=a, end=nums[-1][1]))
        checked = 0
        ok = True
        for total, parts in _THREE_PARTS:
            if total in values and all(p in values for p in parts):
                checked += 1
                for c in range(len(cols)):
                    if abs(values[total][c] - sum(values[p][c] for p in parts)) > 0.0051 * len(parts):
                        ok = False
        if rows and ok and checked:
            grids.append(Grid(kind="three", title=text[max(0, m.start() - 40):m.start()].rsplit("、", 1)[-1]
                              .strip() + text[m.start():m.start() + m.group(0).find("表") + 1],
                              start=m.start(), end=rows[-1].end, rows=rows, unit=m.group(1), factor=_MONEY[m.group(1)],
                              document_kind="决算" if "决算数" in cols else "预算", complete=True,
                              columns=[f"{r.label}|{c}" for r in rows for c in cols]))
    return grids


# --------------------------------------------------------------------------------------------------
# A 收入支出决算总表 run into one paragraph, its cells separated by spaces (the text recognised from an image
# of the table, as a site reprinting a 决算批复 stores it), after its unit and its two-sided header::
#
#     …财决公开01表 部门: … 金额单位:万元 收入 收入 收入 支出 支出 支出 项目 行次 金额 项目 行次 金额 栏次 1 栏次 2
#     一一般公共预算财政拨款收入 1 4,627.57 一一般公共服务支出 32 0.00 二政府性基金预算财政拨款收入 2 0.00 …
#     八其他收入 8 33.19 八社会保障和就业支出 39 341.76 9 九卫生健康支出 40 89.57 10
#
# Each row is its income side (label, 行次, amount) then its expenditure side (label, 行次, amount); a blank side
# leaves its 行次 alone. The two 行次 columns count up by one a row (1, 2, 3 … and 32, 33, 34 …): they are the
# anchors, and the table ends where they stop doing so. Amounts carry decimals; an amount that reaches the end of
# the text may be cut and is not read. The recognition glues a label's ordinal to it ("一一般公共预算…", "五教育
# 支出"): the ordinal the row's place gives is set apart (``一、一般公共预算…``), as printed ordinals are.

_INLINE_TOTAL_HEAD = re.compile(r"(?:金额)?单位[:：]\s*(万元|元)\s+收入(?:\s+收入)*\s+支出(?:\s+支出)*\s+"
                                r"项目\s+行次\s+(金额|决算数|预算数)\s+项目\s+行次\s+\2\s+栏次\s+1\s+栏次\s+2(?=\s)")
_DECIMAL_AMOUNT = re.compile(r"^-?\d[\d,]*\.\d+$")
_INT = re.compile(r"^\d+$")
_CN_DIGITS = "一二三四五六七八九"


def _cn_ordinal(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens - 1]) + "十" + (_CN_DIGITS[ones - 1] if ones else "")


def _ordinal_apart(label: str, n: int) -> str:
    """``label`` with the ordinal ``n`` glued to its front set apart as printed ordinals are ("五教育支出" ->
    "五、教育支出"); "一般…" keeps its 一."""
    o = _cn_ordinal(n)
    if label.startswith(o) and not label.startswith(o + "、") and len(label) > len(o) + 1 \
            and not (o == "一" and label.startswith("一般") and not label.startswith("一一般")):
        return o + "、" + label[len(o):]
    return label


def read_inline_total_tables(text: str) -> list[Grid]:
    """The 收入支出决算总表 of ``text`` run into one paragraph with its 行次 columns (see above)."""
    grids = []
    end_of_text = len(text.rstrip())
    for h in _INLINE_TOTAL_HEAD.finditer(text):
        stop = text.find("\n", h.end())
        stop = len(text) if stop < 0 else stop
        toks = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text[h.end():stop])]
        toks = [(a + h.end(), b + h.end(), t) for a, b, t in toks]
        rows: list[Row] = []
        i, n, right_first = 0, 1, None

        def side_of(i: int, rownum) -> tuple[int, list, tuple | None, tuple | None] | None:
            """(next index, label tokens, 行次 token, amount token) of one side at ``i``; None: no such side."""
            j = i
            while j < len(toks) and not _INT.match(toks[j][2]) and not _NUMBER.match(toks[j][2]):
                j += 1
            label = toks[i:j]
            if j >= len(toks) or not _INT.match(toks[j][2]) or not rownum(int(toks[j][2])):
                return None
            num = toks[j]
            j += 1
            amount = None
            if label and j < len(toks) and _DECIMAL_AMOUNT.match(toks[j][2]):
                amount = toks[j]
                j += 1
            return j, label, num, amount

        def add(label, num, amount, side, k):
            if not label:
                return
            name = _ordinal_apart("".join(t[2] for t in label), k)
            vals = {}
            if amount is not None and amount[1] < end_of_text:
                a, b, lit = amount
                vals["合计"] = Val(lit, a, b, float(lit.replace(",", "")))
            elif amount is not None:
                return                      # the text ends on this figure: it may be cut, the cell is unknown
            rows.append(Row(label=name, cells=vals, start=label[0][0], end=(amount or num)[1], side=side))

        while i < len(toks):
            left = side_of(i, lambda v, n=n: v == n)
            if left is None:
                break
            j, llabel, lnum, lamount = left
            expect = (lambda v, n=n: v > n + 1) if right_first is None else (lambda v, n=n: v == right_first + n - 1)
            right = side_of(j, expect)
            add(llabel, lnum, lamount, "income", n)
            if right is None:
                break
            j, rlabel, rnum, ramount = right
            if right_first is None:
                right_first = int(rnum[2])
            add(rlabel, rnum, ramount, "expenditure", n)
            i, n = j, n + 1
        if rows:
            u = h.group(1)
            kind = "预算" if h.group(2) == "预算数" else "决算"
            grids.append(Grid(kind="total", title="收支预算总表" if kind == "预算" else "收入支出决算总表",
                              start=h.start(), end=rows[-1].end, rows=rows, unit=u, factor=_MONEY[u],
                              document_kind=kind, complete=True, columns=["合计"]))
    return grids
