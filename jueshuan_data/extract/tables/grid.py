"""Front-end: tables whose geometry is known -> :class:`~.model.Grid`.

Input: the ruled tables of a PDF (:mod:`jueshuan_data.pdf.layout`) or the ``<table>`` elements of an
HTML page (:mod:`jueshuan_data.htmlpage`), each a list of rows of cells with their column span in the
table and their span in the raw text. Every cell's column is known, so nothing is placed by arithmetic:
a blank cell is absent, a dash is a cell without a value.

1. **title**: the nearest line above the table that names a standard table (:mod:`.titles`), with the
   unit line (``单位：万元`` / ``单位：元``) that belongs to it. A table without a title that opens a page
   and has the previous table's columns continues that table (a table printed over several pages).
2. **header / body**: the rows above the first row holding a figure or a classification code are the
   header; each column's header is the stack of header cells above it (``本年支出`` / ``基本支出``).
3. **columns**: each column is a code column (类/款/项, 科目编码), a label column or a figure column, from
   its header and its cells; a label column after figure columns starts another side (the 收入 and 支出
   sides of a 总表, the two or three panels of a 基本支出 table).
4. **rows**: per side, the code (``201 06 01`` -> ``2010601``), the label, and each figure under its
   column's key (``合计``, ``基本支出``, ``项目支出``, ``财政拨款收入`` …), as the reader of its kind expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Grid, Row, Val
from .titles import classify

__all__ = ["read_layout_tables"]

_SQUASH = re.compile(r"[\s\u3000]+")
_QUOTES = re.compile(r"[“”\"'‘’「」]")
_AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_BLANK = {"-", "—", "－", "--", "——", "/", "—　"}
_CODE = re.compile(r"^\d{3}(?:\s?\d{2}){0,2}$")
_CODE_PART = re.compile(r"^\d{2,7}$")
_UNIT = re.compile(r"单位[:：]\s*(万元|元|亿元|千元)")
_FACTORS = {"万元": 1.0, "元": 1e-4, "亿元": 1e4, "千元": 0.1}
_ROWNUM = re.compile(r"^(?:栏次|行次)$")
_HEADER_CODE = re.compile(r"编码|代码|^类$|^款$|^项$|[类款项]$")
_HEADER_LABEL = re.compile(r"名称|项目|科目$|^内容$")


def _sq(s: str) -> str:
    return _SQUASH.sub("", s)


@dataclass
class _Cell:
    col0: int
    col1: int
    text: str                  # as in the normalised text (spaces squashed for labels)
    start: int                 # normalised span
    end: int

    @property
    def is_amount(self) -> bool:
        return bool(_AMOUNT.match(self.text))

    @property
    def is_blank(self) -> bool:
        return self.text in _BLANK


@dataclass
class _Piece:
    """One ruled table (one page's part of a table), in normalised coordinates."""

    rows: list[list[_Cell]]
    spans: list[tuple[int, int]]          # each row's span in the normalised text
    n_cols: int
    start: int
    end: int
    page: int
    raw_start: int
    header: list[list[_Cell]] = field(default_factory=list)
    body: list[int] = field(default_factory=list)         # indices of body rows


@dataclass
class _Col:
    role: str                  # 'code' | 'label' | 'num'
    path: list[str]            # header cells above, top to bottom
    side: int = 0
    key: str | None = None     # for 'num' columns: the reader's column key


# ------------------------------------------------------------------------------------------ spans

def _inverse(doc) -> list[int]:
    """raw index -> normalised index (-1 where normalisation dropped the character)."""
    inv = [-1] * (len(doc.raw) + 1)
    for i, o in enumerate(doc.offsets[:-1]):
        if inv[o] < 0:
            inv[o] = i
    return inv


def _norm_span(inv: list[int], a: int, b: int) -> tuple[int, int] | None:
    idx = [inv[k] for k in range(a, b) if inv[k] >= 0]
    if not idx:
        return None
    return min(idx), max(idx) + 1


def _piece(doc, table, inv) -> _Piece | None:
    rows, spans = [], []
    for r in table.rows:
        cells = []
        for c in r.cells:
            span = _norm_span(inv, c.start, c.end)
            if span is None:
                continue
            text = doc.text[span[0]:span[1]]
            cells.append(_Cell(c.col0, c.col1, text if _AMOUNT.match(text.strip()) else _sq(text), *span))
        rs = _norm_span(inv, r.start, r.end)
        if cells and rs:
            rows.append(cells)
            spans.append(rs)
    if not rows:
        return None
    return _Piece(rows, spans, len(table.columns), spans[0][0], spans[-1][1], table.page, table.start)


# ------------------------------------------------------------------------------------------ title

def _title_before(doc, table, prev_end_raw: int) -> tuple[str | None, str | None, list[str]]:
    """(title line, unit, lines read) from the raw lines just above the table."""
    lines = doc.raw[prev_end_raw:table.start].split("\n")
    unit = None
    seen: list[str] = []
    tail = ""         # the last short fragment of a title wrapped onto the next line (“…支出预算” / “表”)
    for line in reversed(lines[-8:]):
        s = line.strip()
        if not s or s == "\f":
            continue
        seen.append(s)
        m = _UNIT.search(_sq(s))
        if m and unit is None:
            unit = m.group(1)
        if classify(s):
            return s, unit, seen
        if tail and classify(s + tail):
            return s + tail, unit, seen
        q = _sq(_QUOTES.sub("", s))
        tail = (q + tail) if len(q) <= 3 and q.endswith("表") or (tail and len(q) <= 2) else ""
    return None, unit, seen


def _classify_cell_title(piece: _Piece) -> tuple[str | None, str | None]:
    """A title printed inside the table (an HTML table's first row spanning every column)."""
    unit = None
    for cells in piece.rows[:3]:
        for c in cells:
            m = _UNIT.search(c.text)
            if m:
                unit = m.group(1)
        if len(cells) == 1 and classify(cells[0].text):
            return cells[0].text, unit
    return None, unit


# ------------------------------------------------------------------------------------------ header

def _is_data_row(cells: list[_Cell], decimals: bool) -> bool:
    texts = [c.text for c in cells]
    if any(_ROWNUM.match(t) for t in texts):
        return False
    for c in cells:
        t = c.text.replace(" ", "")
        if _AMOUNT.match(t) and ("." in t or "," in t or not decimals or t in ("0",)):
            return True
        if _CODE.match(c.text.strip()) and c.col1 - c.col0 == 1:
            return True
    return False


def _split_header(piece: _Piece) -> None:
    decimals = any("." in c.text for cells in piece.rows for c in cells if c.is_amount)
    # an empty table ("本表无数据") is all header: its 合计 label often shares a band with a header row
    first = next((i for i, cells in enumerate(piece.rows) if _is_data_row(cells, decimals)), len(piece.rows))
    piece.header = piece.rows[:first]
    piece.body = list(range(first, len(piece.rows)))


def _paths(piece: _Piece) -> list[list[str]]:
    paths: list[list[str]] = [[] for _ in range(piece.n_cols)]
    for cells in piece.header:
        for c in cells:
            if _UNIT.search(c.text) or classify(c.text):
                continue
            for k in range(c.col0, min(c.col1, piece.n_cols)):
                paths[k].append(_QUOTES.sub("", c.text))
    return paths


# ------------------------------------------------------------------------------------------ columns

def _roles(piece: _Piece, paths: list[list[str]]) -> list[_Col]:
    n = piece.n_cols
    stats = [[0, 0, 0] for _ in range(n)]        # num, code, text
    for i in piece.body:
        for c in piece.rows[i]:
            if c.col1 - c.col0 != 1 or c.col0 >= n:
                continue
            t = c.text.strip()
            if c.is_amount and not (_CODE_PART.match(t) and "." not in t and "," not in t and len(t) in (2, 3, 5, 7)):
                stats[c.col0][0] += 1
            elif c.is_blank:
                stats[c.col0][0] += 1
            elif _CODE.match(t) or (_CODE_PART.match(t) and len(t) == 2):
                stats[c.col0][1] += 1
            else:
                stats[c.col0][2] += 1
    cols = []
    for k in range(n):
        path = paths[k]
        leaf = path[-1] if path else ""
        num, code, text = stats[k]
        joined = "".join(path)
        if code > max(num, text) or (not num and not text and _HEADER_CODE.search(leaf or "")) or \
                (code and _HEADER_CODE.search(leaf or "") and code >= num):
            role = "code"
        elif num > text or (not num and not text and not code and not _HEADER_LABEL.search(joined or "")):
            role = "num"
        else:
            role = "label"
        cols.append(_Col(role, path))
    # numeric cells that are really codes (a 2-digit 款 printed in its own column under 款/项)
    side = 0
    seen_num = False
    for col in cols:
        if col.role in ("code", "label") and seen_num:
            side += 1
            seen_num = False
        if col.role == "num":
            seen_num = True
        col.side = side
    return cols


_INCOME_KEYS = ["财政拨款收入", "上级补助收入", "事业收入", "事业单位经营收入", "经营收入", "附属单位上缴收入", "其他收入",
                "财政专户管理资金收入", "单位资金", "上年结转"]
# a 预算's 支出预算总表 (Jiangsu) adds 单位预留机动经费 (a reserve held back for the year)
_EXPEND_KEYS = ["基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "经营支出", "对附属单位补助支出",
                "单位预留机动经费"]
_FUNDS = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
_GENERIC_TOTAL = ("合计", "小计", "总计", "金额", "决算数", "预算数", "本年支出", "支出", "收入预算", "支出预算")


def _three_key(path: list[str], document_kind: str | None, others: bool = False) -> str | None:
    leaf = path[-1] if path else ""
    sub = None
    if leaf in ("预算数", "决算数", "预算", "决算"):
        sub = leaf[:2] + "数"
        path = path[:-1]
        leaf = path[-1] if path else ""
    joined = "".join(path)
    if sub is None:
        sub = "预算数" if ("预算" in joined and "决算" not in joined) or document_kind == "预算" else "决算数"
    parent = path[-2] if len(path) >= 2 else ""
    if "会议费" in leaf or "培训费" in leaf or "机关运行经费" in joined:
        return None
    if "购置费" in leaf and "运行" not in leaf:
        item = "公务用车购置费"
    elif "运行" in leaf and "购置" not in leaf:
        item = "公务用车运行维护费"
    elif "公务用车" in leaf or (leaf == "小计" and "公务用车" in parent):
        item = "公务用车购置及运行维护费"
    elif "因公出国" in leaf:
        item = "因公出国（境）费"
    elif "公务接待" in leaf:
        item = "公务接待费"
    elif leaf in ("合计", "小计", "总计") or (leaf.endswith("合计") and "三公" in leaf):
        # in a table that also prints 会议费/培训费/机关运行经费, only the 合计 under “三公” is the 三公 total
        if others and "三公" not in joined:
            return None
        item = "合计"
    else:
        return None
    return f"{item}|{sub}"


def _num_key(kind: str, path: list[str], document_kind: str | None, others: bool = False) -> str | None:
    joined = "".join(path)
    leaf = path[-1] if path else ""
    if kind == "three":
        return _three_key(path, document_kind, others)
    if kind in ("govfund", "soe"):
        for k in ("年初结转和结余", "年末结转和结余", "基本支出", "项目支出", "本年收入"):
            if k[:2] in joined and (k not in ("基本支出", "项目支出") or k in leaf):
                if k == "年初结转和结余" and "年初" not in joined:
                    continue
                if k == "年末结转和结余" and "年末" not in joined:
                    continue
                return k
        if "本年支出" in joined:
            return "本年支出"
        return None
    if kind == "income":
        for k in _INCOME_KEYS:
            if k in leaf or (k == "财政拨款收入" and leaf in ("财政拨款", "财政拨款收入")):
                return k
        for f in _FUNDS:
            if f[:4] in leaf:
                return f
    if kind == "expend":
        for k in _EXPEND_KEYS:
            if k in leaf:
                return k
    if kind in ("gpb", "govfund_exp", "soe_exp", "fiscal_expend"):
        for k in ("基本支出", "项目支出"):
            if k in leaf:
                return k
    if kind in ("gpb_basic", "fiscal_basic"):
        for k in ("人员经费", "公用经费"):
            if k in leaf:
                return k
    if kind == "total" and leaf in ("人员经费", "公用经费", "项目支出"):
        return leaf                  # a 预算 总表's expenditure side: 合计 | 基本支出 (人员经费, 公用经费) | 项目支出
    if kind in ("total", "fiscal_total"):
        for f in _FUNDS:
            if f[:4] in leaf and "合计" not in leaf:
                return f
    if any(w in leaf for w in _GENERIC_TOTAL) or not leaf or leaf in ("决算", "预算"):
        return "合计"
    return None


def _assign_keys(cols: list[_Col], kind: str, document_kind: str | None) -> None:
    taken: set[tuple[int, str]] = set()
    others = any(re.search(r"会议费|培训费|机关运行经费", "".join(c.path)) for c in cols)
    for col in cols:
        if col.role != "num":
            continue
        key = _num_key(kind, col.path, document_kind, others)
        if key is None or (col.side, key) in taken:
            continue               # a column we do not read, or a second one with the same meaning
        taken.add((col.side, key))
        col.key = key


# ------------------------------------------------------------------------------------------ rows

def _side_name(cols: list[_Col], side: int) -> str | None:
    for col in cols:
        if col.side == side and col.path:
            top = col.path[0]
            if "收入" in top and "支出" not in top:
                return "income"
            if "支出" in top:
                return "expenditure"
    return None


def _rows(piece: _Piece, cols: list[_Col], two_sided: bool) -> list[Row]:
    out: list[Row] = []
    n_sides = max(c.side for c in cols) + 1
    for i in piece.body:
        cells = piece.rows[i]
        for side in range(n_sides):
            mine = [c for c in cells if c.col0 < len(cols) and cols[c.col0].side == side]
            if not mine:
                continue
            code_parts, labels = [], []
            row = Row(label="", start=min(c.start for c in mine), end=max(c.end for c in mine),
                      side=_side_name(cols, side) if n_sides > 1 else None)
            for c in mine:
                col = cols[c.col0]
                t = c.text.strip()
                span_roles = {cols[k].role for k in range(c.col0, min(c.col1, len(cols)))}
                if col.role == "code" and span_roles == {"code"} and re.fullmatch(r"[\d\s]+", t):
                    code_parts.append(t.replace(" ", ""))
                elif col.role == "num" and c.col1 - c.col0 == 1:
                    if col.key is None:
                        continue
                    if c.is_blank:
                        row.cells[col.key] = Val(c.text, c.start, c.end, None)
                    elif c.is_amount:
                        row.cells[col.key] = Val(c.text, c.start, c.end,
                                                 float(c.text.replace(",", "").replace("−", "-")))
                    else:
                        row.unknown.add(col.key)
                elif col.role in ("label", "code") and not re.fullmatch(r"[类款项\s]+", t):
                    labels.append(_sq(c.text))
            if [len(p) for p in code_parts] == [3, 1] and code_parts[0][0] == "3" and code_parts[1] != "0":
                # an economic 款 printed with one digit ("301 | 2 津贴补贴", an export that drops the
                # leading zero): 30102
                code_parts[1] = code_parts[1].zfill(2)
            code = "".join(code_parts)
            row.code = code if len(code) in (3, 5, 7) else None
            if len(code_parts) > 1 and [len(p) for p in code_parts] != [3, 2, 2][:len(code_parts)]:
                # 类/款/项 in columns of their own are 3, 2 and 2 digits: the 2024 预算 of 上海市普陀区社会福利院
                # prints "7 | 11 | 02 事业单位医疗" (210 11 02 misprinted), which joined would be a 款 71102
                row.code = None
            if code and row.code is None:
                continue                 # digits that are no classification code: not a row we can place
            row.label = "".join(labels)
            if not row.label and not row.cells and not row.code:
                continue
            out.append(row)
    return out


def _lone_total_row(piece: _Piece, cols: list[_Col]) -> Row | None:
    """A table's 合计 row printed alone at the top of the next page, its code and name cells merged into one
    ("合计 | 189,767,551 | 101,341,746 | 88,425,805" under a 7-column table): its figures go to the figure
    columns of the table in order, when there are exactly as many."""
    if len(piece.rows) != 1 or piece.n_cols >= len(cols):
        return None
    cells = [c for c in piece.rows[0] if c.text.strip()]
    nums = [c for c in cols if c.role == "num" and c.key]
    if len(cells) != len(nums) + 1 or _sq(cells[0].text) not in ("合计", "总计") \
            or not all(c.is_amount for c in cells[1:]):
        return None
    row = Row(label=_sq(cells[0].text), start=min(c.start for c in cells), end=max(c.end for c in cells))
    for col, c in zip(nums, cells[1:]):
        row.cells[col.key] = Val(c.text, c.start, c.end, float(c.text.replace(",", "").replace("−", "-")))
    return row


# ------------------------------------------------------------------------------------------ entry

def read_layout_tables(doc) -> list[Grid]:
    """The standard tables among the document's ruled (PDF) or ``<table>`` (HTML) tables, as Grids."""
    layout = doc.layout
    inv = _inverse(doc)
    grids: list[Grid] = []
    prev: tuple[Grid, list[_Col], int, list[str]] | None = None   # last grid, its columns, page, header
    prev_end_raw = 0
    lost: set[int] = set()
    for t in layout.tables:
        piece = _piece(doc, t, inv)
        before_end = prev_end_raw
        prev_end_raw = t.end
        if piece is None:
            continue
        title, unit, seen = _title_before(doc, t, before_end)
        if title is None:
            title, unit2 = _classify_cell_title(piece)
            unit = unit or unit2
        _split_header(piece)
        if title is None:
            if any(_title_like(s) for s in seen):
                # a table under a title we do not read (一般公共预算机关运行经费支出预算表) is another table:
                # its pages that follow are not the continuation of the standard table before it
                prev = None
                continue
            # a table printed over several pages goes on without its title, with or without its header
            if prev is not None and len(prev[1]) == piece.n_cols and piece.page != prev[2] \
                    and not any(_title_like(s) for s in seen):
                g, cols, _, header = prev
                if any(_ROW_OUTSIDE.match(line) for line in seen):
                    lost.add(id(g))  # a row printed above the ruled box of the next page is not in the grid
                if _texts(piece.header) != header[: len(piece.header)] or not piece.header:
                    piece.body = list(range(len(piece.rows)))      # no repeated header: every row is body
                g.rows.extend(_rows(piece, cols, False))
                g.end = max(g.end, piece.end)
                g.pages.append(piece.page)
                prev = (g, cols, piece.page, header)
            elif prev is not None and piece.page != prev[2] and not any(_title_like(s) for s in seen):
                row = _lone_total_row(piece, prev[1])
                if row is not None:
                    g = prev[0]
                    g.rows.append(row)
                    g.end = max(g.end, piece.end)
                    g.pages.append(piece.page)
            continue
        kind, dk = classify(title)
        cols = _roles(piece, _paths(piece))
        _assign_keys(cols, kind, dk)
        unit = unit or next((m.group(1) for cells in piece.header for c in cells
                             for m in [_UNIT.search(c.text)] if m), None)
        g = Grid(kind=kind, title=_clean_title(title), start=piece.start, end=piece.end,
                 rows=_rows(piece, cols, False), unit=unit or "万元", factor=_FACTORS[unit or "万元"],
                 document_kind=dk, complete=True, columns=[c.key for c in cols if c.key],
                 pages=[piece.page] if piece.page else [])
        g.notes = _notes_after(doc, t, layout)
        if not any(c.role == "num" for c in cols):
            g.problems.append("no column of figures recognised")
        grids.append(g)
        prev = (g, cols, piece.page, _texts(piece.header))
    # a table that lost a row between its pages is left to the text reader (all of its rows, or none)
    return [g for g in grids if id(g) not in lost]


# "30231 公务用车运行维护费 266.80": a coded table row (code, name, figure) printed outside the ruled box
_ROW_OUTSIDE = re.compile(r"^\d{3}(?:\d{2}){0,2}\s*\S.*?\s[-\d,]+(?:\.\d+)?$")


_NOTE = re.compile(r"^(?:注|说明|备注)\s*\d*[:：]")


def _notes_after(doc, table, layout) -> list[str]:
    """The 注/说明 lines printed right under a table (``说明：…本年度没有…，故本表无数据。``)."""
    nxt = min((t.start for t in layout.tables if t.start > table.end), default=len(doc.raw))
    out = []
    for line in doc.raw[table.end:nxt].split("\n")[1:6]:
        s = line.strip()
        if s == "\f" or classify(s) or _HEADING.match(s):
            break
        if _NOTE.match(s):
            out.append(s)
    return out


_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")


def _title_like(line: str) -> bool:
    """A line that titles some table, standard or not (``一般公共预算机关运行经费支出预算表``): a table under it
    is another table, never the continuation of the one before."""
    s = _sq(_QUOTES.sub("", line))
    s = re.sub(r"[（(][^（()）]{0,12}[）)]$|单位[:：].*$", "", s)
    return bool(classify(line)) or (s.endswith("表") and len(s) <= 60 and re.search(r"预算|决算|经费|收支|收入|支出|采购", s)
                                    is not None)


def _texts(rows: list[list[_Cell]]) -> list[str]:
    return ["|".join(c.text for c in cells) for cells in rows]


_TITLE_DECOR = re.compile(r"^(?:[一二三四五六七八九十]+、|公开\d{1,2}表[:：]|公开表[一二三四五六七八九十]+[:：]?)|"
                          r"[（(]?(?:金额)?单位[:：].*$")


def _clean_title(line: str) -> str:
    """The title as printed, without its ordinal and unit (``七、…决算表 单位：万元`` -> ``…决算表``)."""
    s = _TITLE_DECOR.sub("", _sq(line))
    return s.strip()
