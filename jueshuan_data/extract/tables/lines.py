"""Front-end: tables flattened into text lines -> :class:`~.model.Grid` (the text fallback).

The text layer of a 部门决算 PDF prints each of the nine template tables as plain lines, one table
row per line (more when a long label wraps), with the cells of a row separated by spaces and blank
cells simply absent::

    一般公共预算财政拨款支出决算表
    单位：万元
    ...header fragments...
    201 06 01 行政运行 1,511.89 1,503.52 8.37
    2080505
    机关事业单位
    基本养老保险
    缴费支出
    446.11 446.11 0.00
    合计 2,940.05 2,336.91 603.14

This module reads that grammar -- a table title line (followed by a ``单位：`` or header line), code
columns (``201 06 01`` or ``2010601``), a label (possibly letter-spaced or wrapped over several
lines), then the numbers -- and never relies on the rows of any particular report.

HTML tables flattened ONE CELL PER LINE (often with a 行次 column: label, row number, amount, each on
its own line) are regrouped into rows first (:func:`_cell_rows`) and then read by the same readers, so
both layouts give the same datasets and item names.

>>> from jueshuan_data.extract.tables import DOCTEST_TEXT
>>> [g.kind for g in read_text_tables(DOCTEST_TEXT)]
['gpb']

Public entry point: :func:`read_text_tables` (text -> one :class:`~.model.Grid` per table). A cell whose
column cannot be told from the text is listed in the row's ``unknown`` (never guessed).
"""

from __future__ import annotations

import itertools
import functools
import re
from dataclasses import dataclass, field

from ...numbers import NUMBER
from .model import Grid, Row, Val

__all__ = ["read_text_tables", "find_tables", "TABLE_TITLES"]

# --------------------------------------------------------------------------------------------------
# table titles (longest first: several are suffixes of others)

T_TOTAL = "收入支出决算总表"
T_INCOME = "收入决算表"
T_EXPEND = "支出决算表"
T_FISCAL_TOTAL = "财政拨款收入支出决算总表"
T_GPB = "一般公共预算财政拨款支出决算表"
T_GPB_BASIC = "一般公共预算财政拨款基本支出决算表"
T_THREE = "财政拨款“三公”经费支出决算表"
T_GOVFUND = "政府性基金预算财政拨款收入支出决算表"
T_SOE = "国有资本经营预算财政拨款收入支出决算表"
T_GOVFUND_EXP = "政府性基金预算财政拨款支出决算表"      # variants printing only 合计/基本支出/项目支出
T_SOE_EXP = "国有资本经营预算财政拨款支出决算表"

TABLE_TITLES = [T_GPB_BASIC, T_GOVFUND, T_SOE, T_GOVFUND_EXP, T_SOE_EXP, T_GPB, T_THREE, T_FISCAL_TOTAL, T_TOTAL,
                T_INCOME, T_EXPEND]

# the 三公 table under a local name: "“三公”经费决算情况统计表", "“三公”经费支出决算情况表" (quotes removed)
_THREE_TITLE_RE = re.compile(r"三公经费(?:财政拨款)?(?:支出)?决算(?:数)?(?:情况)?(?:统计|明细|对比情况|对比)?表$")
_QUOTES = str.maketrans({'"': "“", "”": "“", "＂": "“", "'": "“", "‘": "“", "’": "“", "「": "“", "」": "“"})
_TITLE_MATCH = {t: t.translate(_QUOTES).replace("“", "") for t in TABLE_TITLES}   # compared with quotes removed

FUNDS = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
FUND_OF_TABLE = {T_GPB: "一般公共预算", T_GOVFUND: "政府性基金预算", T_SOE: "国有资本经营预算",
                 T_GOVFUND_EXP: "政府性基金预算", T_SOE_EXP: "国有资本经营预算"}

# --------------------------------------------------------------------------------------------------
# tokens

_AMOUNT_RE = re.compile(rf"^[-−]?{NUMBER}$")
_DEC_RE = re.compile(r"[.,]")
_BLANK_TOKENS = {"-", "—", "－", "--", "——", "/"}
_ORDINAL_RE = re.compile(r"^[一二三四五六七八九十]+、")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_SPACE_RE = re.compile(r"[ \t\u3000\xa0|｜]+")  # cell rules ("|") of a table flattened from HTML too
_UNIT_RE = re.compile(r"单位[:：]\s*(万元|元|亿元)")
_STOP_RE = re.compile(r"^(?:注[:：]|说明[:：]|第[一二三四五六七八九十]+部分)")
_PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分")
# the numbered title of a table no grammar reads ('十、一般公共预算机关运行经费支出预算表'): it ends the table above
_OTHER_TITLE_RE = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?:(?:19|20)\d\d年度?)?[^\d，。；：:]{2,50}(?:预算|决算|经费|支出|收入)[^\d，。；：:]{0,6}表$")
_DEPT_UNIT_RE = re.compile(r"^(?:部门(?:名称)?[:：]|单位[:：]|[（(]?(?:金额)?单位[:：])")


def _other_title_at(lines: list[Line], j: int) -> bool:
    """Line j titles another table ('十、一般公共预算机关运行经费支出预算表', '财政拨款支出预算表' — a title no
    grammar reads, possibly wrapped before its last '表'): it ends the table above.  Without an ordinal the
    title must be followed by the table's 部门/单位 line."""
    sq = lines[j].sq
    k = j + 1
    if not sq.endswith("表"):
        if k < len(lines) and lines[k].sq == "表":
            sq, k = sq + "表", k + 1
        else:
            return False                # the pattern ends in 表 (asked of every line of every table)
    if not _OTHER_TITLE_RE.match(sq):
        return False
    if re.match(r"^[一二三四五六七八九十]+、", sq):
        return True
    return any(_DEPT_UNIT_RE.match(l.sq) for l in lines[k:k + 2])
_RULE_RE = re.compile(r"^[|｜┃│]+$")
_RULE_CHARS = re.compile(r"[|｜┃│]")          # cell rules of tables converted from HTML
# a token is a run of digits (an amount or a code) or a run of anything else but spaces; a number glued
# to a label ('费160.75', after lines were re-joined) is split from it
_TOKEN_RE = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?(?![\d])|[^\s\u3000\xa0\d]+(?:\d+[^\s\u3000\xa0\d,.]+)*")


@dataclass(slots=True)
class Tok:
    s: int          # span in text
    e: int
    t: str
    amt: bool | None = None     # set per table: can this token be an amount cell of that table?

    @property
    def amount(self) -> bool:
        return self.amt if self.amt is not None else (self.is_num or self.is_blank)

    @property
    def is_num(self) -> bool:
        return bool(_AMOUNT_RE.match(self.t))

    @property
    def is_decimal(self) -> bool:           # unmistakably an amount (not a code)
        return self.is_num and bool(_DEC_RE.search(self.t))

    @property
    def is_blank(self) -> bool:
        return self.t in _BLANK_TOKENS


@dataclass
class Line:
    s: int
    e: int
    text: str
    given_toks: list[Tok] | None = field(default=None, repr=False)    # None: read from the text when asked
    cell: bool = False      # a whole table row regrouped from a cell-per-line layout (see _cell_rows)

    @functools.cached_property
    def toks(self) -> list[Tok]:
        """The line's tokens: read only for the lines a table's reader looks at (most lines are prose)."""
        return self.given_toks if self.given_toks is not None else _tokens(self.text, self.s)

    @functools.cached_property
    def sq(self) -> str:
        """The text without its spaces and cell rules (asked of each line many times)."""
        return _squash(self.text)


def _tokens(raw: str, ls: int) -> list[Tok]:
    if _RULE_CHARS.search(raw):
        return [Tok(ls + m.start(), ls + m.end(), m.group()) for m in _TOKEN_RE.finditer(raw)
                if not _RULE_RE.match(m.group())]
    return [Tok(ls + m.start(), ls + m.end(), m.group()) for m in _TOKEN_RE.finditer(raw)]   # no cell rule


# a line has a token where it has a character that is neither blank nor a cell rule
_HAS_TOKEN = re.compile(r"[^\s|｜┃│]")


def _lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    end = len(text) if end is None else end
    out = []
    pos = start
    for raw in text[start:end].split("\n"):
        ls, le = pos, pos + len(raw)
        pos = le + 1
        if _HAS_TOKEN.search(raw) and not _PAGE_NO_RE.match(raw):
            out.append(Line(ls, le, raw))
    return out


# page furniture left in a raw text layer: '- 5 -', '—5—', '第 5 页', '5/12'.  A bare number is kept: it
# may be a code printed alone on its line (and a bare integer is never read as an amount of a table
# whose amounts carry decimals)
_PAGE_NO_RE = re.compile(r"^[\s\f]*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)[\s\f]*$")


def _squash(s: str) -> str:
    return _SPACE_RE.sub("", s)


# --------------------------------------------------------------------------------------------------
# locating the tables


@dataclass
class Table:
    title: str
    title_line: Line
    lines: list[Line]
    factor: float = 1.0          # multiply printed values by this to get 万元
    unit: str = "万元"
    document_kind: str = "决算"
    printed: str | None = None   # the title as printed, where it is not the 决算 template's own


# the 预算 tables (titles.py) that one of the 决算 grammars below reads: their kind -> that grammar's title
_BUDGET_KIND_TITLE = {"total": T_TOTAL, "income": T_INCOME, "expend": T_EXPEND, "fiscal_total": T_FISCAL_TOTAL,
                      "gpb": T_GPB, "gpb_basic": T_GPB_BASIC, "govfund_exp": T_GOVFUND_EXP, "soe_exp": T_SOE_EXP,
                      "three": T_THREE}


def _budget_title_of(line: Line, loose: bool = False) -> tuple[str, str] | None:
    """(the 决算 title whose grammar reads it, the printed title) of a 预算 table's title line."""
    from .titles import classify

    if "表" not in line.text:
        return None                     # every title ends in 表 (a line is asked this ~once)
    c = classify(line.text.replace("|", ""), loose=loose)
    if c is None or c[1] != "预算" or c[0] not in _BUDGET_KIND_TITLE:
        return None
    return _BUDGET_KIND_TITLE[c[0]], line.sq


def _title_of(line: Line, loose: bool = False) -> str | None:
    return _title_of_text(line.text, loose)


@functools.lru_cache(maxsize=4096)     # each line is asked several times (as a title, as a neighbour's)
def _title_of_text(text: str, loose: bool) -> str | None:
    s = _squash(text).translate(_QUOTES).replace("“", "")
    # '1.《收入支出决算总表》': a title quoted in 《》 (with its list number) is the same title
    s = re.sub(r"^(?:\d{1,2}[.、．])?《([^《》]{2,60}表)》$", r"\1", s)
    s = re.sub(r"(?:[（(]?(?:金额)?单位[:：].*)$", "", s)      # '...决算表 单位：万元' on one line
    s = re.sub(r"[（(]?(?:公开|部门)?\d{1,2}表[）)]?$|[（(][^（()）]{0,12}表[）)]$", "", s)   # '（公开01表）'
    s = s.rstrip("）)").rstrip()
    m3 = _THREE_TITLE_RE.search(s)
    if m3 and not (len(s) - len(m3.group()) > 40 or re.search(r"[。；，：:]", s[:m3.start()])) \
            and not s.endswith(_TITLE_MATCH[T_THREE]):
        return T_THREE       # "施甸县2016年“三公”经费决算情况统计表": a local name of the 三公 table
    for t in TABLE_TITLES:
        m = _TITLE_MATCH[t]
        if s.endswith(m):
            prefix = s[: -len(m)]
            if (len(prefix) > 40 or re.search(r"[。；，：:]", prefix)) and not loose:
                return None
            # the prefix must not turn the title into another (longer) one, e.g. 基本支出决算表 ⊃ 支出决算表
            if prefix.endswith(("基本", "财政拨款", "一般公共预算", "经费", "收入")) and t in (T_EXPEND, T_INCOME, T_TOTAL):
                return None
            return t
    return None


def _other_table_title(sq: str) -> bool:
    """The title line of some table, standard or not ("十一、2018年度…一般公共预算机关运行经费支出预算表")."""
    if "表" not in sq:
        return False                    # asked of every line of every table
    s = re.sub(r"[（(][^（()）]{0,12}[）)]$|[（(]?(?:金额)?单位[:：].*$", "", sq)
    return (s.endswith("表") and 4 < len(s) <= 60 and not re.search(r"\d\.\d|[，。；：:]", s)
            and re.search(r"预算|决算|经费|收支|收入|支出|采购", s) is not None)


def _wrapped_title(lines: list[Line], i: int) -> tuple[str | None, tuple[str, str] | None]:
    """(title, budget title) of a title printed over line i and one or two short lines after it."""
    from .titles import classify

    head = lines[i].sq
    if not head or head.endswith("表") or re.search(r"\d", head):
        return None, None
    s = head
    for ln in lines[i + 1: i + 3]:
        frag = ln.sq.translate(_QUOTES).replace("“", "").replace('"', "")
        if len(frag) > 3:
            return None, None
        s += frag
        if not s.endswith("表"):
            continue
        t = _title_of_text(s, False)
        if t:
            return t, None
        c = classify(s)
        if c is not None and c[1] == "预算" and c[0] in _BUDGET_KIND_TITLE:
            return _BUDGET_KIND_TITLE[c[0]], (_BUDGET_KIND_TITLE[c[0]], s.replace("“”", ""))
        return None, None
    return None, None


def _is_header_like(line: Line) -> bool:
    s = line.sq
    return bool(re.search(r"单位[:：]|^项目|科目编码|科目名称|经济分类|功能分类|预算数|决算数|^收入支出?$|^收入支出", s))


def find_tables(text: str, cut_end: bool = False) -> list[Table]:
    """The standard tables in the lines of ``text``. ``cut_end``: the text is a whole document, so a
    number at its very end may have been cut (see :func:`read_text_tables`)."""
    lines = _lines(text)
    starts = []
    for i, ln in enumerate(lines):
        # every title ends in 表, on its line or on one of the two a wrapped title spills onto
        if "表" not in ln.text and not any("表" in l.text for l in lines[i + 1: i + 3]):
            continue
        t = _title_of(ln)
        budget = None
        loose_title = False
        if not t:
            budget = _budget_title_of(ln)
            t = budget[0] if budget else None
        if not t:
            # a title wrapped before its last characters ('…培训费支出预' / '“ ”' / '算表')
            t, budget = _wrapped_title(lines, i)
        if not t and i + 1 < len(lines) and ln.sq.translate(_QUOTES).replace("“", "").endswith("三公经费") \
                and lines[i + 1].sq.endswith("表") and _title_of_text(ln.sq + lines[i + 1].sq, False) == T_THREE:
            t = T_THREE          # "2018年…旧城乡“三公”经费 / 决算数对比情况表": the 三公 title broken after 经费
        if not t:
            # a title glued to the end of the previous paragraph (re-joined lines): accept it only when
            # the very next line is the table's unit line
            t = _title_of(ln, loose=True)
            if not t:
                continue
            loose_title = True
        nxt = [l for l in lines[i + 1: i + 6] if l.sq not in ("\f", "")][:4]
        if loose_title and (not nxt or not re.match(r"^[（(]?(?:金额)?单位[:：]", _squash(nxt[0].text))):
            continue
        if any(_title_of(l) or _budget_title_of(l) for l in nxt[:1]):
            continue                      # a table of contents line
        if not any(_is_header_like(l) for l in nxt):
            continue
        starts.append((i, t, budget))
    tables = []
    for k, (i, t, budget) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        body = []
        unit = "万元"
        unit_seen = False
        m = _UNIT_RE.search(lines[i].sq)
        if m:       # "公开报表1 2016年收支预算总表(功能分类科目)单位:万元": the unit printed on the title line
            unit, unit_seen = m.group(1), True
        for j in range(i + 1, stop):
            ln = lines[j]
            sq = ln.sq
            if body and _other_table_title(sq) and any(_is_header_like(l) for l in lines[j + 1: j + 3]):
                break             # "十一、…机关运行经费支出预算表 / 单位：万元": the next (non-standard) table starts
            m = _UNIT_RE.search(sq)
            # the unit line is part of the header: before any figure ('公开01表', '部门：…' may come first)
            if m and not unit_seen and not any(tok.is_decimal for l in body for tok in l.toks):
                unit = m.group(1)
                unit_seen = True
            if _PART_RE.match(sq):
                break
            if (_STOP_RE.match(sq) or _other_title_at(lines, j)) and body:
                break
            body.append(ln)
        factor = {"万元": 1.0, "元": 1e-4, "亿元": 1e4}[unit]
        # amounts are printed with decimals ('0.00', '1,511.89'); when a table does so, a bare integer
        # ('01', '303') is a code or layout debris, never an amount; in a table without any decimals only
        # grouped integers ('1,200') and 0 are taken as amounts (a bare '30108' is a code) -- a table of whole 元
        # ('2,932,700 0 2,932,700') prints its zeros bare
        decimal = any(tok.is_num and "." in tok.t for ln in body for tok in ln.toks)
        for ln in body:
            seen_amount = False
            for tok in ln.toks:
                tok.amt = tok.is_blank or tok.is_decimal or (
                    tok.is_num and not decimal and ("," in tok.t or tok.t in ("0", "-0"))) or (
                    seen_amount and tok.t == "0")    # '2,070,000.00 2,070,000.00 0': a zero after figures
                seen_amount = seen_amount or bool(tok.amt and tok.is_num)
        cells = _cell_region(body)
        if cells is not None:
            # an HTML table flattened one cell per line: read only with its unit line, rows regrouped
            if not unit_seen:
                continue
            body = _cell_rows(cells, t, len(text.rstrip()))
        elif cut_end and body and body[-1].toks and body[-1].toks[-1].is_num and body[-1].toks[-1].e >= len(text.rstrip()):
            # the text ends inside this row (a file cut short): its last figure may be cut ('1,238' of
            # 1,238.58) and its cells after it are missing, so the row is not read: unknown, never smaller
            body = body[:-1]
        printed = budget[1] if budget else None
        if t == T_THREE and not budget:
            # a 三公 table under its local name ("…“三公”经费决算情况统计表", broken after 经费): keep the name
            sq = lines[i].sq
            if not sq.endswith("表") and i + 1 < len(lines):
                sq += lines[i + 1].sq
            if not sq.translate(_QUOTES).replace("“", "").endswith(_TITLE_MATCH[T_THREE]):
                printed = sq
        tables.append(Table(t, lines[i], body, factor, unit, "预算" if budget else "决算", printed))
    return tables


# --------------------------------------------------------------------------------------------------
# tables flattened one cell per line (HTML tables): cells regrouped into rows
#
#     一、一般公共预算财政拨款收入        label cell
#     1                                 行次 (row number): a bare integer right after a label, in a table
#     440.55                            whose header has a 行次/栏次 cell -- never an amount
#     一、一般公共服务支出                the next label starts the next row (the other side of a
#     29                                two-sided table, or the next table row)
#     423.20
#
# Each row becomes one Line (``cell=True``) holding its code, label and amount tokens (the 行次 left
# out) with their spans in the text, so the readers of the one-row-per-line grammar read it; they take
# a cell line as a complete row (never continued by the next line).  A cell that cannot be tied to its
# row with certainty (an integer where no code or 行次 can be, an amount with no label before it, the
# last cell of a text cut off inside the table) makes its row unread.

_ROWNUM_HEADERS = ("行次", "栏次")


def _cell_kind(ln: Line) -> str | None:
    """'amount', 'int' (a bare integer that is not an amount: 行次 or code), 'code' (code cells: '201 06 01',
    '2010601'), 'label' (text, possibly after a code: '201 一般公共服务支出'), or None (a label and an amount
    on one line: not a cell)."""
    toks = ln.toks
    if len(toks) == 1 and toks[0].amount:
        return "amount"
    if any(_glued_year(toks, k) for k in range(len(toks))) \
            and all(not t.is_num or _glued_year(toks, k) for k, t in enumerate(toks)):
        return "label"      # a header cell "2016年预算": the year glued to 年 is part of the words
    if all(t.is_num for t in toks):
        if len(toks) == 1:
            return "int"
        return "code" if _is_code_start(toks, 0) == len(toks) else None
    n = _is_code_start(toks, 0)
    if any(t.is_num or t.is_blank for t in toks[n:]):
        return None
    return "label"


_YEAR_TOK = re.compile(r"(?:19|20)\d\d")


def _glued_year(toks: list[Tok], k: int) -> bool:
    """``toks[k]`` is a year printed against the 年 that follows it (``2016年预算``), never an amount."""
    return k + 1 < len(toks) and bool(_YEAR_TOK.fullmatch(toks[k].t)) and toks[k + 1].s == toks[k].e \
        and toks[k + 1].t.startswith("年")


def _cell_region(body: list[Line]) -> list[Line] | None:
    """The lines of a cell-per-line table (its leading lines that each hold one cell), or None when the
    table is printed one row per line.  The cells must hold most of the table's figures."""
    region: list[Line] = []
    for ln in body:
        if _cell_kind(ln) is None:
            break
        region.append(ln)
    n_cells = sum(1 for ln in region if _cell_kind(ln) == "amount")
    n_rest = sum(1 for ln in body[len(region):] for t in ln.toks if t.amt)
    if n_cells < 3 or n_rest >= n_cells:
        return None
    return region


def _cell_rows(cells: list[Line], title: str, text_end: int) -> list[Line]:
    first_amount = next((k for k, ln in enumerate(cells) if _cell_kind(ln) == "amount"), len(cells))
    header = [ln.sq for ln in cells[:first_amount]]
    if title == T_TOTAL and any("预算数" in h.replace("决算数", "") for h in header):
        return []       # a 总表 with 预算数 beside 决算数: which amount is which cannot be told once blanks are lost
    has_rownum = any(h in _ROWNUM_HEADERS for h in header)
    # in a table printing decimals a bare integer is never an amount (see find_tables): one that has no
    # place (a 行次 printed before its label) cannot have shifted the numbers of the row before it
    decimal = any(tok.is_decimal for ln in cells for tok in ln.toks)
    rows: list[Line] = []
    cur: dict | None = None         # code, label, nums, rownum, bad
    pending: list[Tok] = []         # integer cells not placed yet (the code of the next row, if any)

    def close(row):
        if row is None or row["bad"] or not row["label"]:
            return
        toks = row["code"] + row["label"] + row["nums"]
        rows.append(Line(toks[0].s, toks[-1].e, " ".join(t.t for t in toks), toks, cell=True))

    for ln in cells:
        kind = _cell_kind(ln)
        toks = ln.toks
        if kind == "amount":
            tok = toks[0]
            if cur is None or pending or tok.e >= text_end:
                # an amount with no row, after an integer that has no place, or cut off by the text's end
                if cur is not None:
                    cur["bad"] = True
                pending = []
                continue
            cur["nums"].append(tok)
        elif kind == "int" and has_rownum and cur is not None and not cur["nums"] and cur["rownum"] is None \
                and not pending and len(toks[0].t) not in (5, 7):
            cur["rownum"] = toks[0]       # the 行次 right after the label: never an amount
        elif kind in ("int", "code"):
            pending.extend(toks)
        else:
            # a label: the integers just before it are its code ('201' '06' '01', '2010601'); any others
            # have no place, and the row they follow is not trusted
            code: list[Tok] = []
            if not _is_code_start(toks, 0):
                for k in range(len(pending)):
                    if _is_code_start(pending[k:] + toks, 0) == len(pending) - k:
                        code = pending[k:]
                        break
            if len(code) < len(pending) and cur is not None and not decimal:
                cur["bad"] = True
            close(cur)
            n = _is_code_start(toks, 0)
            cur = dict(code=code + toks[:n], label=toks[n:], nums=[], rownum=None, bad=False)
            pending = []
    if pending and cur is not None and not decimal:
        cur["bad"] = True
    close(cur)
    return rows


# --------------------------------------------------------------------------------------------------
# segments: (code tokens, label tokens, amount tokens) pieces of a line


@dataclass
class Seg:
    code: list[Tok] = field(default_factory=list)
    label: list[Tok] = field(default_factory=list)
    nums: list[Tok] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    closed: bool = False

    @property
    def start(self) -> int:
        return min(t.s for t in self.code + self.label + self.nums)

    @property
    def end(self) -> int:
        return max(t.e for t in self.code + self.label + self.nums)

    @property
    def label_text(self) -> str:
        return _squash("".join(t.t for t in self.label))

    @property
    def code_text(self) -> str:
        # a 款 printed with one digit ('301 2', an export that drops the leading zero) is '02'
        return "".join(t.t.zfill(2) if k and len(t.t) == 1 else t.t for k, t in enumerate(self.code))


def _is_code_start(toks: list[Tok], i: int, lens=(3, 5, 7), before_amounts: bool = False,
                   short_kuan: bool = False) -> int:
    """Number of code tokens starting at toks[i] (0 if none): '201' ['06' ['01']] or '2010601'.

    ``short_kuan`` (economic tables): a 款 printed with one digit after its 3xx 类 ('301 2 津贴补贴', an
    export that drops the leading zero) is a code part when a name follows it."""
    t = toks[i].t
    if not t.isdigit():
        return 0
    n = 0
    if len(t) == 3:
        n = 1
        while n < 3 and i + n < len(toks) and toks[i + n].t.isdigit() and len(toks[i + n].t) == 2:
            n += 1
        if n == 1 and short_kuan and t[0] == "3" and i + 2 < len(toks) and len(toks[i + 1].t) == 1 \
                and toks[i + 1].t in "123456789" and not toks[i + 2].is_num and not toks[i + 2].is_blank:
            n = 2
    elif len(t) in lens and len(t) in (5, 7):
        n = 1
    else:
        return 0
    # a code is followed by a label (or nothing): never by an amount -- unless its name was printed on the
    # line above (``before_amounts``, see _is_name_head)
    if i + n < len(toks) and not before_amounts:
        nxt = toks[i + n]
        if nxt.is_num or nxt.is_blank:
            return 0
    return n


# --------------------------------------------------------------------------------------------------
# code tables (收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表, 政府性基金/国有资本 tables)


@dataclass
class CodeRow:
    code: str | None          # None for the 合计 row
    seg: Seg


_HEADER_WORDS = re.compile(r"合计|小计|总计|基本支出|项目支出|科目|功能分类|经济分类|(?<!事业)单位(?!预留)|项目|决算|预算|收入|结余|类款项|^[类款项]$")


def _is_name_tail(ln: Line, nxt: Line | None) -> bool:
    """A short line of name characters only, followed by the next row (or the table's end)."""
    s = ln.sq
    if not s or len(s) > 12 or re.search(r"\d", s) or not _CJK_RE.search(s) or _HEADER_WORDS.search(s):
        return False
    if nxt is None:
        return True
    return bool(_is_code_start(nxt.toks, 0)) or _squash(nxt.text).startswith(("合计", "注", "说明"))


def _is_name_head(ln: Line, nxt: Line | None) -> bool:
    """A name line printed above its row, whose code and figures follow on the next line with no name of
    their own (labels wrapped around the figures of a tall cell)::

        其他一般公共服务
        2019999 12.30 12.30
        支出
    """
    if nxt is None or nxt.cell or not _is_name_tail(ln, None):
        return False
    n = _is_code_start(nxt.toks, 0, before_amounts=True)
    return bool(n) and n < len(nxt.toks) and all(t.amount for t in nxt.toks[n:]) and any(t.is_decimal for t in nxt.toks[n:])


def _parse_code_rows(table: Table) -> list[CodeRow]:
    rows: list[CodeRow] = []
    bad: set[int] = set()
    cur: Seg | None = None
    closed_on_prev_line: CodeRow | None = None
    lines_after = {id(a): b for a, b in zip(table.lines, table.lines[1:] + [None])}
    head: list[Tok] = []            # a name printed above its code line (see _is_name_head)
    lone_total: tuple[Line, Tok] | None = None
    for ln in table.lines:
        toks = ln.toks
        just_closed, closed_on_prev_line = closed_on_prev_line, None
        pending, lone_total = lone_total, None
        if pending is not None and not ln.cell and toks and all(t.is_num for t in toks) \
                and any(t.is_decimal for t in toks):
            # "合计" / "10,070.48": the total's figures printed a line below its label (centred in a taller cell)
            seg = Seg(label=[pending[1]], lines=[pending[0], ln])
            seg.nums = list(toks)
            seg.closed = True
            rows.append(CodeRow(None, seg))
            closed_on_prev_line = rows[-1]
            cur = None
            continue
        if not ln.cell and len(toks) == 1 and _squash(toks[0].t) in ("合计", "总计"):
            if cur is not None:
                cur.closed = True
            lone_total = (ln, toks[0])
            continue
        if not ln.cell and _is_name_head(ln, lines_after.get(id(ln))):
            if cur is not None:
                cur.closed = True
            head = list(toks)
            continue
        if ln.cell:
            # a row regrouped from cells is complete: nothing continues the row before it
            if cur is not None:
                cur.closed = True
            just_closed = None
            if not _is_code_start(toks, 0) and not any(t.t.endswith(("合计", "总计")) for t in toks):
                continue
        if all(t.amount for t in toks) and (cur is None or cur.closed):
            # numbers with no row waiting for them: the layout of the row above is not the one-row-per-
            # line grammar (its numbers may be split over two lines), so that row is not trusted
            if just_closed is not None:
                bad.add(id(just_closed))
            continue
        if just_closed is not None and just_closed.code and _is_name_tail(ln, lines_after.get(id(ln))):
            # the end of a wrapped name printed below the row's numbers (numbers centred in a tall cell)
            just_closed.seg.label.extend(toks)
            just_closed.seg.lines.append(ln)
            continue
        n = _is_code_start(toks, 0, before_amounts=bool(head))
        if n:
            if cur is not None:
                cur.closed = True
            cur = Seg(code=toks[:n], label=head, lines=[ln])
            head = []
            rows.append(CodeRow("".join(t.t for t in toks[:n]), cur))
            rest = toks[n:]
        else:
            # a 合计 row (possibly glued to the header: '类 款 项 合计 2,946.25 ...')
            idx = [k for k, t in enumerate(toks) if t.t.endswith(("合计", "总计"))
                   and k + 1 < len(toks) and toks[k + 1].amount]
            if idx:
                k = idx[-1]
                if cur is not None:
                    cur.closed = True
                lab = toks[k]
                if len(lab.t) > 2:               # header glued to the row: '类款项合计 2,946.25 ...'
                    lab = Tok(lab.e - 2, lab.e, lab.t[-2:])
                seg = Seg(label=[lab], lines=[ln])
                seg.nums = [t for t in toks[k + 1:] if t.amount]
                seg.closed = True
                rows.append(CodeRow(None, seg))
                closed_on_prev_line = rows[-1]
                cur = None
                continue
            if cur is None or cur.closed:
                continue                     # header fragments, notes, page furniture
            cur.lines.append(ln)
            rest = toks
        for t in rest:
            if t.amount:
                cur.nums.append(t)
            elif cur.nums:
                # text after the numbers: not part of this row (should not happen); stop the row
                cur.closed = True
                break
            else:
                cur.label.append(t)
        if cur is not None and cur.nums:
            cur.closed = True
            closed_on_prev_line = rows[-1]
    # a label holding a bare number is layout debris ('01', a code pushed into the name column)
    return [r for r in rows if r.seg.nums and id(r) not in bad
            and not any(t.is_num for t in r.seg.label)]


def _level(code: str) -> str:
    return {3: "类", 5: "款", 7: "项"}[len(code)]


def _solve_basic_project(rows: list[CodeRow], hint_total_basic: float | None = None,
                         tol: float = 0.015) -> dict[int, tuple[str | None, ...]]:
    """Decide, for 3-column rows (合计, 基本支出, 项目支出) printed with blank cells dropped, which
    column each number is in.  Returns {row index: (kind of nums[1], kind of nums[2])}, kind being
    'basic' / 'project' / None (undecided).

    Three numbers: total, basic, project.  Two numbers (total + one of them): decided from the column
    sums -- a parent's 基本支出 is the sum of its children's, likewise 项目支出.  A two-number row
    whose second number equals the total forces its whole subtree to the same column.
    """
    out: dict[int, tuple] = {}
    by_code = {r.code: i for i, r in enumerate(rows) if r.code}
    total_idx = next((i for i, r in enumerate(rows) if r.code is None), None)

    def parent_idx(i):
        c = rows[i].code
        if c is None:
            return None
        if len(c) == 3:
            return total_idx
        return by_code.get(c[:-2])

    def vals(i):
        return [None if t.is_blank else float(t.t.replace(",", "")) for t in rows[i].seg.nums]

    children: dict[int, list[int]] = {}
    for i in range(len(rows)):
        p = parent_idx(i)
        if p is not None:
            children.setdefault(p, []).append(i)

    known: dict[int, tuple[float, float]] = {}      # index -> (basic, project) with blanks = 0
    var: list[int] = []
    for i in range(len(rows)):
        v = vals(i)
        if len(v) >= 3:
            out[i] = ("basic", "project")
            known[i] = ((v[1] or 0.0), (v[2] or 0.0))
        elif len(v) == 2:
            var.append(i)
        else:
            out[i] = ()
    var_set = set(var)
    # variables: a two-number row whose parent is itself a two-number row with total == second
    # number follows its parent; only 'root' variables are free
    root_of: dict[int, int] = {}

    def root(i):
        if i in root_of:
            return root_of[i]
        p = parent_idx(i)
        r = i
        # only a two-number row follows its parent's column; a row printed with one or three numbers
        # (a garbled cell such as '19.2.71' splits into more) is not a variable
        if i in var_set and p is not None and p in var:
            pv = vals(p)
            if pv[1] is not None and abs(pv[0] - pv[1]) < 1e-9:
                r = root(p)
        root_of[i] = r
        return r

    free = sorted({root(i) for i in var})
    decided: dict[int, str | None] = {}

    # 合计 row with two numbers and a hint (基本支出决算表: 人员经费 + 公用经费 = 基本支出)
    if total_idx is not None and total_idx in free and hint_total_basic is not None:
        v = vals(total_idx)
        if v[1] is not None and abs(v[1] - hint_total_basic) <= 0.02:
            decided[total_idx] = "basic"
        elif v[1] is not None and hint_total_basic <= 0.02 < v[1]:
            decided[total_idx] = "project"

    # group free variables by the (known) parent whose sums constrain them
    changed = True
    while changed:
        changed = False
        for p, kids in children.items():
            if p in known or (p in decided and decided[p] is not None):
                if p in known:
                    pb, pp = known[p]
                else:
                    pv = vals(p)
                    pb, pp = (pv[1], 0.0) if decided[p] == "basic" else (0.0, pv[1])
                fixed_b = fixed_p = 0.0
                unknown = []
                ok = True
                for c in kids:
                    if c in known:
                        fixed_b += known[c][0]
                        fixed_p += known[c][1]
                    else:
                        rc = root(c)
                        if rc in decided and decided[rc] is not None:
                            cv = vals(c)
                            if decided[rc] == "basic":
                                fixed_b += cv[1] or 0.0
                            else:
                                fixed_p += cv[1] or 0.0
                        elif rc == c and c in free and c not in decided:
                            unknown.append(c)
                        else:
                            ok = False
                if not ok or not unknown or len(unknown) > 16:
                    continue
                sols = []
                for combo in itertools.product(("basic", "project"), repeat=len(unknown)):
                    b, pr = fixed_b, fixed_p
                    for c, kind in zip(unknown, combo):
                        s = vals(c)[1] or 0.0
                        if kind == "basic":
                            b += s
                        else:
                            pr += s
                    t = tol * (len(kids) + 1)
                    if abs(b - pb) <= t and abs(pr - pp) <= t:
                        sols.append(combo)
                for k, c in enumerate(unknown):
                    kinds = {s[k] for s in sols}
                    decided[c] = kinds.pop() if len(kinds) == 1 else None
                    changed = True          # c is now in `decided`: each variable is settled once
    for i in var:
        r = root(i)
        kind = decided.get(r)
        out[i] = (kind,)
    return out


# --------------------------------------------------------------------------------------------------
# two-column summary tables (收入支出决算总表, 财政拨款收入支出决算总表)

_KEY_STARTS = ("收入总计", "支出总计", "本年收入合计", "本年支出合计", "使用非财政拨款结余", "结余分配", "年初结转和结余", "年末结转和结余",
               "年初财政拨款结转和结余", "年末财政拨款结转和结余", "总计", "用事业基金弥补收支差额",
               "上年结转", "年末结转")


def _starts_item(tok: Tok) -> bool:
    s = tok.t
    # "1、一般公共预算资金": a sub-item of the 预算 总表's income side starts an item as well
    # 'A 收入合计 支出合计' / '收入合计 支出合计' (a 预算 总表's totals, their figures on the next line): each starts one
    return bool(_ORDINAL_RE.match(s) or _SUB_ORDINAL_RE.match(s)) or s.startswith(_KEY_STARTS) or s in ("收入合计", "支出合计")


_SUB_ORDINAL_RE = re.compile(r"^\d{1,2}、(?=[\u4e00-\u9fff])")
# "收入总计 12,121,164 支出总计 …": 总计 after 收入/支出 is the end of that label, not an item of its own
_ITEM_START_RE = re.compile(r"(?<![一二三四五六七八九十])[一二三四五六七八九十]+、|"
                            + "|".join(re.escape(k) if k != "总计" else "(?<!收入)(?<!支出)总计" for k in _KEY_STARTS
                                       if k not in ("收入总计", "支出总计")) + "|收入总计|支出总计")


def _split_items(tok: Tok) -> list[Tok]:
    """'八、其他收入八、社会保障和就业支出' (spaces between CJK removed) -> two tokens."""
    if tok.is_num or tok.is_blank:
        return [tok]
    cuts = [m.start() for m in _ITEM_START_RE.finditer(tok.t) if m.start() > 0]
    if not cuts:
        return [tok]
    out, prev = [], 0
    for c in cuts + [len(tok.t)]:
        if c > prev:
            out.append(Tok(tok.s + prev, tok.s + c, tok.t[prev:c]))
        prev = c
    return out


def _join_sub_ordinals(toks: list[Tok]) -> list[Tok]:
    """"1" + "、一般公共预算资金" -> one label token "1、一般公共预算资金" (the number is the item's ordinal)."""
    out: list[Tok] = []
    for t in toks:
        if out and re.fullmatch(r"\d{1,2}", out[-1].t) and out[-1].e == t.s and t.t[:1] in "、.．":
            out[-1] = Tok(out[-1].s, t.e, out[-1].t + t.t)  # "1、一般公共预算资金", "1." + "一般公共预算"
            continue
        if out and re.fullmatch(r"\d{1,2}[、.．]", out[-1].t) and _CJK_RE.match(t.t):
            out[-1] = Tok(out[-1].s, t.e, out[-1].t + t.t)
            continue
        out.append(t)
    return out


_CLOSED_CELL_RE = re.compile(r"[^\s|｜┃│]\s*[|｜┃│]\s*$")   # words, then the rule that closes their cell


def _two_column_segments(table: Table) -> list[Seg]:
    if any(ln.cell for ln in table.lines):
        # rows regrouped from cells: one item per row, its label then its numbers
        return [Seg(label=[t for t in ln.toks if not t.amount], nums=[t for t in ln.toks if t.amount],
                    lines=[ln], closed=True) for ln in table.lines]
    segs: list[Seg] = []
    prev_line_last: Seg | None = None
    prev_segs: list[Seg] = []
    # a 行次 column: the bare integer after each label is the row's number, not part of its label
    rownum = any(re.search(r"行次|栏次", ln.sq) for ln in table.lines[:12])
    per_line: list[tuple[list[Seg], list[Tok]]] = []
    history: list[list[Seg]] = []   # the items of each line read so far
    prev_closed = False
    for ln in table.lines:
        if len(history) >= 2 and _wrap_tail(ln) and history[-1] and history[-1][-1].nums \
                and history[-2] and not history[-2][-1].nums:
            # "三、单位预留机动经 / 2.政府性基金预算 三、国防支出 3,258.06 / 费": a label wrapped over three lines
            # with its figure printed on the middle one, beside another item's label: whose figure it is
            # cannot be told from the text, so neither gets it
            history[-1][-1].nums.clear()
        line_segs: list[Seg] = []
        cur: Seg | None = None
        continued: Seg | None = None
        toks = [x for tok in _join_sub_ordinals(ln.toks) for x in _split_items(tok)
                if not (rownum and x.is_num and not x.amount and re.fullmatch(r"\d{1,3}", x.t))]
        if toks and all(t.amount for t in toks) and len(prev_segs) > 1:
            # 'A B' then 'x y' on the next line: one number per item when the counts agree, else the
            # numbers cannot be told apart and are left unread
            if all(p.label and not p.nums for p in prev_segs) and len(toks) == len(prev_segs):
                for p_, t in zip(prev_segs, toks):
                    p_.nums.append(t)
            prev_segs, prev_line_last = [], None
            per_line.append(([], toks))
            continue
        for t in toks:
            if t.amount:
                if cur is None:
                    # numbers that open a line belong to the previous line's open item
                    if prev_line_last is not None and not prev_line_last.nums and not line_segs \
                            and len(prev_segs) <= 1:
                        cur = prev_line_last
                    else:
                        cur = Seg(lines=[ln])
                        line_segs.append(cur)
                cur.nums.append(t)
                continue
            if cur is None or cur.nums or (_starts_item(t) and cur.label):
                if cur is None and not line_segs and not _starts_item(t) and prev_line_last is not None \
                        and not prev_line_last.nums and not prev_closed:
                    cur = prev_line_last          # wrapped label continued on this line
                    cur.lines.append(ln)
                    continued = cur
                else:
                    cur = Seg(lines=[ln])
                    line_segs.append(cur)
            cur.label.append(t)
        segs.extend(line_segs)
        # a line that ends with a cell rule ("一、一般公共服务支出 |", its figure's cell blank: a lone "|" line)
        # has closed its last cell: the next line's words open a new item, they do not continue that label
        prev_closed = bool(_CLOSED_CELL_RE.search(ln.text))
        per_line.append((([continued] if continued is not None else []) + line_segs, toks))
        history.append(line_segs)
        if line_segs:
            prev_line_last = line_segs[-1]
            prev_segs = ([continued] if continued is not None else []) + line_segs
        elif cur is not None:
            prev_line_last = cur
            prev_segs = [cur]
    _drop_centred_numbers(per_line)
    return [s for s in segs if s.label or s.nums]


def _drop_centred_numbers(per_line: list[tuple[list[Seg], list[Tok]]]) -> None:
    """A label wrapped around the next line leaves that line's last number without an owner.

        2.政府性基金 三、单位预留机          the right-hand item is open (no number) ...
        三、国防支出 140.20                ... the next line ends with a number (the cell is centred
        预算 动经费                        vertically) and the line after only continues the open labels

    The text cannot tell whether 140.20 is 国防支出's or 单位预留机动经费's (it is the latter): the
    number is left unread rather than given to the item printed beside it."""
    for i in range(1, len(per_line) - 1):
        a_segs, _ = per_line[i - 1]
        b_segs, b_toks = per_line[i]
        _, c_toks = per_line[i + 1]
        if len(a_segs) < 2 or a_segs[-1].nums or not b_segs or len(b_toks) < 2:
            continue
        if not b_toks[-1].amount or b_toks[-2].amount:
            continue
        opening = next((k for k, t in enumerate(b_toks) if not t.amount), len(b_toks))
        if opening >= sum(1 for s in a_segs if not s.nums) and opening:
            continue                  # the numbers opening the line are the open items' (centred cells)
        if not c_toks or any(t.amount or t.is_num or _starts_item(t) for t in c_toks):
            continue
        last = b_toks[-1]
        for seg in b_segs:
            if any(n is last for n in seg.nums):
                seg.nums = [n for n in seg.nums if n is not last]


def _wrap_tail(ln: Line) -> bool:
    """A line that is only the last one to three characters of a wrapped label ("费", "经费")."""
    toks = [t for t in ln.toks if not t.is_blank]
    return len(toks) == 1 and not toks[0].is_num and re.fullmatch(r"[\u4e00-\u9fff）)]{1,3}", toks[0].t) is not None \
        and not _starts_item(toks[0])


_INCOME_ITEMS = ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入",
                 "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]


def _strip_ordinal(s: str) -> str:
    return _ORDINAL_RE.sub("", s)


def _fund_of_label(s: str) -> str | None:
    for f in FUNDS:
        if s.startswith(f + "财政拨款") and not s.endswith("支出"):
            return f
    return None


# --------------------------------------------------------------------------------------------------
# 收入决算表 / 支出决算表: the columns of the 合计 row

_INCOME_COLS = ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
_EXPEND_COLS = ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]


def _printed_columns(cells: list, full: list[str], active: list[str]) -> list[str]:
    """The columns a row's cells stand in: all of them when every cell is printed, else the ones known to
    hold money (blank cells are absent from the text), else none — never a guess."""
    if len(cells) == len(full):
        return list(full)
    if cells and len(cells) == len(active):
        return list(active)
    return []


# --------------------------------------------------------------------------------------------------
# 一般公共预算财政拨款基本支出决算表 (two or three columns side by side)


def _econ_segments(table: Table) -> list[Seg]:
    segs: list[Seg] = []
    open_seg: Seg | None = None       # the last segment still waiting for its number
    lines_after = {id(a): b for a, b in zip(table.lines, table.lines[1:] + [None])}
    head: list[Tok] = []              # a name printed above its code line (see _is_name_head)
    headed: Seg | None = None         # the row that took it, whose name may go on below its figures
    for ln in table.lines:
        toks = ln.toks
        i = 0
        cur: Seg | None = None
        if not ln.cell and _is_name_head(ln, lines_after.get(id(ln))):
            head, headed = list(toks), None
            continue
        if headed is not None and not ln.cell and _is_name_tail(ln, lines_after.get(id(ln))):
            headed.label.extend(toks)     # 机关事业单位基本养老保险 / 30108 1,064.46 / 缴费
            headed.lines.append(ln)
            headed = None
            continue
        headed = None
        if ln.cell:
            # a row regrouped from cells is complete: nothing open takes its label or its number
            for s_ in segs:
                s_.closed = True
            open_seg = None
        if all(t.is_num and not t.amount for t in toks) and _is_code_start(toks, 0) != len(toks):
            # a line of bare codes ('301 302'): codes and names printed on different lines, which this
            # grammar does not read; nothing open may take the next line's numbers
            for s_ in segs:
                s_.closed = True
            open_seg = None
            continue
        while i < len(toks):
            t = toks[i]
            n = _is_code_start(toks, i, lens=(3, 5), before_amounts=bool(head) and i == 0, short_kuan=True)
            if n and (cur is None or cur.label or cur.nums):
                cur = Seg(code=toks[i:i + n], lines=[ln])
                if head and i == 0:
                    cur.label, head, headed = head, [], cur
                if i == 0:
                    for s in segs:
                        s.closed = True
                segs.append(cur)
                open_seg = cur
                i += n
                continue
            if t.t.endswith("合计") and not t.is_num and (cur is None or cur.nums or cur.label):
                cur = Seg(label=[t], lines=[ln])
                segs.append(cur)
                open_seg = cur
                i += 1
                continue
            if cur is None:
                # a line that continues the open item: label fragment or its number
                if open_seg is not None and not open_seg.closed and not open_seg.nums:
                    cur = open_seg
                    cur.lines.append(ln)
                else:
                    i += 1
                    continue
            if t.amount:
                if cur.code or cur.label:
                    cur.nums.append(t)
                    if len(cur.nums) == 1:
                        cur.closed = True
                        if open_seg is cur:
                            open_seg = None
            elif not cur.nums:
                cur.label.append(t)
            i += 1
    # a name holding a bare number is layout debris (a code pushed into the name column)
    return [s for s in segs if (s.code or s.label) and not any(t.is_num for t in s.label)]


# --------------------------------------------------------------------------------------------------
# 财政拨款“三公”经费支出决算表

_THREE_ITEMS = [("合计", None), ("因公出国（境）费", "合计"), ("公务用车购置及运行维护费", "合计"),
                ("公务用车购置费", "公务用车购置及运行维护费"), ("公务用车运行维护费", "公务用车购置及运行维护费"),
                ("公务接待费", "合计")]


_THREE_NARRATIVE_RE = re.compile(
    r"三公”?经费(?:财政拨款)?(?:支出)?(?:年初)?预算(?:数)?为(\d[\d,]*(?:\.\d+)?)万元[，,](?:支出)?决算(?:数)?为(\d[\d,]*(?:\.\d+)?)万元")


def _three_public_hint(text: str) -> tuple[float, float] | None:
    """(预算数, 决算数) of the 三公 合计 as the report's own explanation states them, if it does."""
    m = _THREE_NARRATIVE_RE.search(_SPACE_RE.sub("", text).replace("\n", "").replace('"', "”"))
    if not m:
        return None
    return float(m.group(1).replace(",", "")), float(m.group(2).replace(",", ""))


# --------------------------------------------------------------------------------------------------
# each table -> a Grid (the shared model; readers.py turns it into dataset rows)


def _val(tok: Tok) -> Val:
    return Val(tok.t, tok.s, tok.e, None if tok.is_blank else float(tok.t.replace(",", "").replace("−", "-")))


def _grid(table: Table, kind: str, rows: list[Row], columns: list[str]) -> Grid:
    end = max((r.end for r in rows), default=table.title_line.e)
    return Grid(kind=kind, title=table.printed or table.title, start=table.title_line.s, end=end, rows=rows,
                unit=table.unit, factor=table.factor, document_kind=table.document_kind, complete=False,
                columns=columns)


_GPB_COLS = ["合计", "基本支出", "项目支出"]


def _gpb_grid(table: Table, kind: str, hint_total_basic: float | None) -> Grid:
    rows = _parse_code_rows(table)
    kinds = _solve_basic_project(rows, hint_total_basic)
    out = []
    for i, r in enumerate(rows):
        seg = r.seg
        nums = seg.nums
        cells = {"合计": _val(nums[0])}
        unknown: set[str] = set()
        k = kinds.get(i, ())
        if len(nums) >= 3:
            cells["基本支出"], cells["项目支出"] = _val(nums[1]), _val(nums[2])
        elif len(nums) == 2:
            if k and k[0] == "basic":
                cells["基本支出"] = _val(nums[1])
            elif k and k[0] == "project":
                cells["项目支出"] = _val(nums[1])
            else:
                unknown = {"基本支出", "项目支出"}
        out.append(Row(label=seg.label_text, code=r.code, cells=cells, unknown=unknown, start=seg.start, end=seg.end))
    return _grid(table, kind, out, _GPB_COLS)


_FUND_TABLE_COLS = ["年初结转和结余", "本年收入", "本年支出", "基本支出", "项目支出", "年末结转和结余"]


def _place_by_arithmetic(row: Row, toks, sols, columns, blank_at: int | None = None) -> None:
    """Put in each column the figure that every placement consistent with the table's arithmetic (``sols``:
    for each placement, the column of each figure) puts there. Where placements disagree the column is
    unknown, never guessed; where all leave it blank it stays empty — or, with ``blank_at``, gets an empty
    cell (a table that prints its blanks)."""
    for col, key in columns:
        where = {(pos.index(col) if col in pos else None) for pos in sols}
        if len(where) != 1:
            row.unknown.add(key)
            continue
        w = where.pop()
        if w is not None:
            row.cells[key] = _val(toks[w])
        elif blank_at is not None:
            row.cells[key] = Val(literal="", start=blank_at, end=blank_at, value=None)

def _fund_table_grid(table: Table, kind: str) -> Grid:
    """政府性基金 / 国有资本经营 tables: 年初, 本年收入, 本年支出 (小计, 基本, 项目), 年末.  Blank cells are
    dropped, so the numbers are placed by the identities 年初 + 收入 - 支出 = 年末 and 支出 = 基本 + 项目;
    a cell is kept only when every consistent placement agrees on it."""
    out = []
    for r in _parse_code_rows(table):
        seg = r.seg
        toks = list(seg.nums)
        v = [None if t.is_blank else float(t.t.replace(",", "")) for t in toks]
        row = Row(label=seg.label_text, code=r.code, start=seg.start, end=seg.end)
        out.append(row)
        sols = []
        if 0 < len(v) <= 6:
            for pos in itertools.combinations(range(6), len(v)):
                cells = [0.0] * 6
                for p, x in zip(pos, v):
                    cells[p] = x or 0.0
                if abs(cells[0] + cells[1] - cells[2] - cells[5]) <= 0.02 and \
                        abs(cells[2] - cells[3] - cells[4]) <= 0.02:
                    sols.append(pos)
        _place_by_arithmetic(row, toks, sols, enumerate(_FUND_TABLE_COLS))
    return _grid(table, kind, out, list(_FUND_TABLE_COLS))


_PARTS_HEAD = ("人员经费", "公用经费", "项目支出")


def _header_has(table: Table, words: tuple[str, ...], n: int = 8) -> bool:
    head = "".join(ln.sq for ln in table.lines[:n])
    return all(w in head for w in words)


def _total_grid(table: Table) -> Grid:
    """收入支出决算总表: one Row per item of either side (label, and its 决算数 when printed).

    A 预算 总表 whose expenditure side prints 合计 | 基本支出 (人员经费, 公用经费) | 项目支出 (a 单位预算's): a row
    of exactly four figures holds those four columns."""
    parts = _header_has(table, _PARTS_HEAD)
    rows = []
    for seg in _two_column_segments(table):
        cells = {"合计": _val(seg.nums[0])} if seg.nums else {}
        if parts and len(seg.nums) == 4:
            cells.update({k: _val(t) for k, t in zip(_PARTS_HEAD, seg.nums[1:])})
        rows.append(Row(label=seg.label_text, cells=cells, start=seg.start, end=seg.end))
    return _grid(table, "total", rows, ["合计"] + (list(_PARTS_HEAD) if parts else []))


def _income_hint(total: Grid | None) -> dict[str, float]:
    """The income items the 收入支出决算总表 prints, with their amounts (a blank counts as 0)."""
    out: dict[str, float] = {}
    for r in total.rows if total else []:
        name = _strip_ordinal(r.label)
        v = r.cells.get("合计")
        if name in _INCOME_ITEMS and v is not None and v.value is not None:
            out[name] = v.value or 0.0
    return out


def _fiscal_total_grid(table: Table) -> Grid:
    """财政拨款收入支出决算总表: one Row per item; the fund columns of the 本年支出合计 and 年末 rows are
    placed where the income side shows which funds hold money."""
    segs = _two_column_segments(table)
    active = []
    for seg in segs:
        f = _fund_of_label(_strip_ordinal(seg.label_text))
        if f and seg.nums and not seg.nums[0].is_blank and float(seg.nums[0].t.replace(",", "")) != 0 \
                and f not in active:
            active.append(f)
    active = [f for f in FUNDS if f in active]
    rows = []
    for seg in segs:
        row = Row(label=seg.label_text, start=seg.start, end=seg.end)
        rows.append(row)
        if not seg.nums:
            continue
        row.cells["合计"] = _val(seg.nums[0])
        name = _strip_ordinal(seg.label_text)
        if name == "本年支出合计" or name.startswith("年末财政拨款结转和结余"):
            rest = seg.nums[1:]
            placed = _printed_columns(rest, FUNDS, active)
            for fcol, t in zip(placed, rest):
                row.cells[fcol] = _val(t)
            if rest and not placed:
                row.unknown.update(FUNDS)
    return _grid(table, "fiscal_total", rows, ["合计"] + FUNDS)


def _item_lines(table: Table, after: int) -> list[Row]:
    """A 预算's 收入预算总表 printed as one item a line, its amount last (Jiangsu: "一般公共预算资金
    公共财政拨款(补助)资金 28,849.38", "专项收入" blank): a Row for each line after position ``after`` with a
    label and one amount at its end. A "小计" line is left out: its group's name is printed on the line below
    (centred in a taller cell), so which group it sums cannot be told from the text."""
    out = []
    for ln in table.lines:
        toks = ln.toks
        if ln.s < after or len(toks) < 2 or not toks[-1].amount or any(t.is_num for t in toks[:-1]):
            continue
        label = _squash("".join(t.t for t in toks[:-1]))
        if label.endswith("小计"):
            continue
        out.append(Row(label=label, code=None, cells={"合计": _val(toks[-1])}, start=toks[0].s, end=toks[-1].e))
    return out


def _income_grid(table: Table, income: dict[str, float]) -> Grid:
    rows = _parse_code_rows(table)
    out = []
    # which income columns are printed: those the 收入支出决算总表 shows with money
    fiscal = sum(income.get(k, 0.0) for k in _INCOME_ITEMS[:3])
    active = (["财政拨款收入"] if fiscal else []) + [k for k in _INCOME_COLS[1:] if income.get(k)]
    for r in rows:
        seg = r.seg
        row = Row(label=seg.label_text, code=r.code, cells={"合计": _val(seg.nums[0])},
                  start=seg.start, end=seg.end)
        rest = seg.nums[1:]
        placed = _printed_columns(rest, _INCOME_COLS, active if income else []) if r.code is None else []
        for c, t in zip(placed, rest):
            row.cells[c] = _val(t)
        if rest and not placed:
            row.unknown.update(_INCOME_COLS)
        out.append(row)
    if table.document_kind == "预算" and out and len(out) == 1 and out[0].code is None:
        out += _item_lines(table, out[0].end)
    return _grid(table, "income", out, ["合计"] + _INCOME_COLS)


# the columns a 预算's 支出预算总表 may print, named in its header line ("合计 基本支出 项目支出 单位预留机动经费
# 结转下年资金")
_BUDGET_EXPEND_HEAD = re.compile(r"合计|基本支出|项目支出|单位预留机动经费|结转下年资金|上缴上级支出|经营支出|对附属单位补助支出")


def _headed_total_row(table: Table) -> Row | None:
    """A 预算's 支出预算总表 printed as one header line of column names and one line of figures with no
    label (Jiangsu: "合计 基本支出 项目支出 单位预留机动经费 结转下年资金" / "24,458.43 10,403.11 12,081.46
    1,973.86"). The figures are placed left to right only when nothing can be skipped: as many figures as
    columns, or one fewer with the last column 结转下年资金 (a 预算 carries nothing over) and the first
    figure the sum of the others; else None."""
    for head, ln in zip(table.lines, table.lines[1:]):
        sq = _squash(head.text)
        cols = _BUDGET_EXPEND_HEAD.findall(sq)
        if not cols or cols[0] != "合计" or "".join(cols) != sq or not {"基本支出", "项目支出"} <= set(cols):
            continue
        toks = ln.toks
        if not toks or not all(t.is_num for t in toks):
            return None
        vals = [float(t.t.replace(",", "")) for t in toks]
        if len(toks) == len(cols) - 1 and cols[-1] == "结转下年资金" and len(toks) > 2:
            if abs(vals[0] - sum(vals[1:])) > 0.005 * len(vals):
                return None
        elif len(toks) != len(cols):
            return None
        row = Row(label="", code=None, start=toks[0].s, end=toks[-1].e)  # cells named by their columns
        for c, t in zip(cols, toks):
            row.cells[c] = _val(t)
        return row
    return None


def _expend_grid(table: Table, hint_total_basic: float | None) -> Grid:
    rows = _parse_code_rows(table)
    if not rows and table.document_kind == "预算":
        lone = _headed_total_row(table)
        if lone is not None:
            return _grid(table, "expend", [lone], ["合计"] + _EXPEND_COLS + ["单位预留机动经费", "结转下年资金"])
    wide = any(len(r.seg.nums) > 3 for r in rows)
    tot_i = next((i for i, r in enumerate(rows) if r.code is None), None)
    kinds = None
    # a 预算's 支出预算总表 prints only 合计 | 基本支出 | 项目支出, zeros included: a row of three figures is placed
    head = "".join(ln.sq for ln in table.lines[:8])
    three = "基本支出" in head and "项目支出" in head and not re.search(r"上缴上级|经营支出|对附属单位", head)
    out = []
    for i, r in enumerate(rows):
        seg = r.seg
        nums = seg.nums
        row = Row(label=seg.label_text, code=r.code, cells={"合计": _val(nums[0])}, start=seg.start, end=seg.end)
        out.append(row)
        if three and len(nums) == 3:
            row.cells["基本支出"], row.cells["项目支出"] = _val(nums[1]), _val(nums[2])
            continue
        if i != tot_i:
            if len(nums) > 1:
                row.unknown.update(_EXPEND_COLS)
            continue
        if len(nums) == 6 or (len(nums) == 3 and not wide):
            for c, t in zip(_EXPEND_COLS, nums[1:]):
                row.cells[c] = _val(t)
        elif len(nums) == 2 and not wide:
            # hint: 一般公共预算 基本支出 (人员经费 + 公用经费), a part of this all-funds table's 基本支出
            v1 = float(nums[1].t.replace(",", "")) if not nums[1].is_blank else None
            if hint_total_basic is not None and hint_total_basic > 0.02 and v1 is not None \
                    and abs(v1 - float(nums[0].t.replace(",", ""))) < 0.005:
                row.cells["基本支出"] = _val(nums[1])
                continue
            kinds = kinds or _solve_basic_project(rows, None)
            k = kinds.get(tot_i, ())
            if k and k[0]:
                row.cells["基本支出" if k[0] == "basic" else "项目支出"] = _val(nums[1])
            else:
                row.unknown.update(_EXPEND_COLS)
        elif len(nums) > 1:
            row.unknown.update(_EXPEND_COLS)
    return _grid(table, "expend", out, ["合计"] + _EXPEND_COLS)


def _econ_grid(table: Table) -> Grid:
    split = _header_has(table, ("人员经费", "公用经费"))
    rows = []
    for seg in _econ_segments(table):
        label = seg.label_text
        if not seg.code and not label.endswith("合计"):
            continue
        if seg.code and len(seg.code_text) not in (3, 5):
            continue
        row = Row(label=label, code=seg.code_text or None, start=seg.start, end=seg.end)
        if seg.nums:
            row.cells["合计"] = _val(seg.nums[0])
            row.end = seg.nums[0].e
            if split and len(seg.nums) == 3:
                # "合计 22,118,861.34 20,272,981.00 1,845,880.34" under 合计 | 人员经费 | 公用经费
                row.cells["人员经费"], row.cells["公用经费"] = _val(seg.nums[1]), _val(seg.nums[2])
                row.end = seg.nums[2].e
        rows.append(row)
    return _grid(table, "gpb_basic", rows, ["合计"] + (["人员经费", "公用经费"] if split else []))


def _econ_hint(econ: Grid | None) -> float | None:
    """人员经费合计 + 公用经费合计 of the 基本支出决算表, when those are its only totals."""
    if econ is None:
        return None
    totals = {r.label: r.value("合计") for r in econ.rows if r.code is None}
    if totals and all(k in ("人员经费合计", "公用经费合计") for k in totals):
        return sum(v or 0.0 for v in totals.values())
    return None


def _three_grid(table: Table, text: str) -> Grid | None:
    """The data row holds 12 cells: (预算数, 决算数) for 合计, 因公出国（境）费, 公务用车购置及运行维护费
    (小计), 公务用车购置费, 公务用车运行维护费, 公务接待费.  When cells are blank (absent) the printed numbers
    are placed by the identities 合计 = 出国 + 车 + 接待, 车 = 购置 + 运行 (each for 预算数 and 决算数); a cell
    is kept only when every consistent placement puts the same number there."""
    toks: list[Tok] = []
    for ln in table.lines:
        nums = [t for t in ln.toks if t.is_num or t.is_blank]
        tail = list(itertools.takewhile(lambda t: t.is_num or t.is_blank, reversed(ln.toks)))[::-1]
        if nums and len(nums) == len(ln.toks) and (len(nums) >= 2 or nums[0].is_decimal):
            toks.extend(nums)             # the data row (possibly wrapped over several lines)
        elif not toks and len(tail) >= 6 and all(t.is_decimal or t.is_blank for t in tail):
            toks.extend(tail)             # "决算数 683.51 358.18 …": the last header cell joined to the row
        elif toks:
            break
    if not toks:
        return None
    v = [None if t.is_blank else float(t.t.replace(",", "")) for t in toks]
    if len(v) > 12:
        return None
    sols = []
    for pos in itertools.combinations(range(12), len(v)):
        c = [0.0] * 12
        for p, x in zip(pos, v):
            c[p] = x or 0.0
        ok = True
        for k in (0, 1):
            if abs(c[0 + k] - c[2 + k] - c[4 + k] - c[10 + k]) > 0.02 or abs(c[4 + k] - c[6 + k] - c[8 + k]) > 0.02:
                ok = False
        if ok:
            sols.append(pos)
    if not sols:
        return None
    hint = _three_public_hint(text)
    if hint is not None and len(sols) > 1:
        # the explanation's 合计 (预算数, 决算数) must be the table's (a blank cell counts as 0)
        def agrees(pos):
            c = [0.0] * 12
            for p, x in zip(pos, v):
                c[p] = x or 0.0
            return abs(c[0] - hint[0]) < 0.006 and abs(c[1] - hint[1]) < 0.006
        kept = [pos for pos in sols if agrees(pos)]
        sols = kept or sols
    row = Row(label="", start=toks[0].s, end=toks[-1].e)
    columns = [(2 * j + k, f"{item}|{kind}") for j, (item, _parent) in enumerate(_THREE_ITEMS)
               for k, kind in enumerate(("预算数", "决算数"))]
    _place_by_arithmetic(row, toks, sols, columns)
    return _grid(table, "three", [row], [f"{i}|{k}" for i, _ in _THREE_ITEMS for k in ("预算数", "决算数")])


# the 预算's “三公”经费 table prints one figure per line item (no 决算 beside it), its columns named by the
# leaf headers in print order ("合计 因公出国(境)费 公务接待费" / "小计 购置费 运行费"), and often 机关运行经费
_BUDGET_THREE_LEAVES = {"合计": "合计", "因公出国(境)费": "因公出国（境）费", "因公出国（境）费": "因公出国（境）费",
                        "公务接待费": "公务接待费", "小计": "公务用车购置及运行维护费", "购置费": "公务用车购置费",
                        "运行费": "公务用车运行维护费", "运行维护费": "公务用车运行维护费"}


# the Jiangsu-style 预算 table “‘三公’经费、会议费、培训费支出预算表”: 合计 | “三公”经费 小计 | 因公出国（境）费 |
# 公务用车 小计 | 购置费 | 运行维护费 | 公务接待费 | 会议费 | 培训费
_THREE_MEETING_SLOTS = ("全部合计", "合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费",
                        "公务用车运行维护费", "公务接待费", "会议费", "培训费")


def _meeting_training_order(table: Table) -> bool:
    """The header (the lines above the figures, its cells broken anywhere) names 三公, 会议费 and 培训费, with
    因公出国 before 公务接待 and 会议费 before 培训费: the template's column order."""
    head = []
    for ln in table.lines:
        if all(t.is_num or t.is_blank for t in ln.toks):
            break
        head.append(ln.sq)
    h = "".join(head)
    jie = [x for x in (h.find("公务接"), h.find("接待")) if x >= 0]   # '公务接 / 待费', '公务 / 接待'
    pos = [h.find("三公"), h.find("因公"), min(jie) if jie else -1, h.find("会议"), h.find("培训")]
    return min(pos) >= 0 and pos[1] < pos[2] and pos[3] < pos[4] and "机关运行" not in h


def _three_budget_grid(table: Table) -> Grid | None:
    """The data row of a 预算's 三公 table, its cells placed in the leaf headers' order where blanks leave
    one placement only (合计 = 出国 + 接待 + 车, 车 = 购置 + 运行); a cell with two placements is unknown."""
    order: list[str] = []
    data: list[Tok] = []
    header = ""
    for ln in table.lines:
        if all(t.is_num or t.is_blank for t in ln.toks):
            data = [t for t in ln.toks]
            break
        header += ln.sq
        order += [_BUDGET_THREE_LEAVES[t.t] for t in ln.toks if t.t in _BUDGET_THREE_LEAVES]
    if not data:
        return None
    if sorted(set(order)) == sorted(set(_BUDGET_THREE_LEAVES.values())) and len(order) == 6:
        slots = order + (["机关运行经费"] if any("机关运行" in ln.text for ln in table.lines) else [])
    elif _meeting_training_order(table):
        # the 三公/会议费/培训费 table whose header cells are broken over lines ('因公出 / 国（境） / 费'): its
        # columns in the template's order, checked by the sums (合计 = 三公 + 会议费 + 培训费)
        slots = list(_THREE_MEETING_SLOTS)
    else:
        return None
    v = [None if t.is_blank else float(t.t.replace(",", "")) for t in data]
    if len(v) > len(slots):
        return None
    ix = {name: k for k, name in enumerate(slots)}
    sols = []
    for pos in itertools.combinations(range(len(slots)), len(v)):
        c = [0.0] * len(slots)
        for p, x in zip(pos, v):
            c[p] = x or 0.0
        total = c[ix["因公出国（境）费"]] + c[ix["公务接待费"]] + c[ix["公务用车购置及运行维护费"]]
        car = c[ix["公务用车购置费"]] + c[ix["公务用车运行维护费"]]
        if "全部合计" in ix and abs(c[ix["全部合计"]] - c[ix["合计"]] - c[ix["会议费"]] - c[ix["培训费"]]) > 0.02:
            continue
        if abs(c[ix["合计"]] - total) <= 0.02 and abs(c[ix["公务用车购置及运行维护费"]] - car) <= 0.02:
            sols.append(pos)
    if not sols:
        return None
    row = Row(label="", start=data[0].s, end=data[-1].e)
    columns = [(k, f"{name}|预算数") for k, name in enumerate(slots)
               if name not in ("机关运行经费", "全部合计", "会议费", "培训费")]
    _place_by_arithmetic(row, data, sols, columns, blank_at=data[0].s)
    return _grid(table, "three", [row], [f"{i}|预算数" for i, _ in _THREE_ITEMS])


# --------------------------------------------------------------------------------------------------
# the “三公”经费 table printed one line item per row ("项目 | 预算数 | 决算数" / "合计 | 1.8 | 1.52"; "项目 |
# 上年决算数 | 本年决算数 | 增、减金额 | 增、减幅度"; a 预算's "项目 | 2016年预算数"), its cells on one line or one
# cell per line.  A row is read only when it prints a figure for every value column of the header: blank
# cells leave no trace in flattened text, so a row with fewer figures cannot be placed (never guessed).

# a row label (ordinals, 其中 and spaces removed, brackets folded) -> the 三公 line
_THREE_ROW_LABELS = {
    "合计": "合计", "总计": "合计", "支出合计": "合计", "三公经费合计": "合计", "三公经费": "合计",
    "因公出国（境）费": "因公出国（境）费", "因公出国（境）费用": "因公出国（境）费", "因公出国（境）经费": "因公出国（境）费",
    "公务接待费": "公务接待费", "公务接待费用": "公务接待费",
    "公务用车购置及运行费": "公务用车购置及运行维护费", "公务用车购置及运行维护费": "公务用车购置及运行维护费",
    "公务用车购置和运行维护费": "公务用车购置及运行维护费", "公务用车运行维护及购置费": "公务用车购置及运行维护费",
    "公务用车费": "公务用车购置及运行维护费", "公务用车费用": "公务用车购置及运行维护费",
    "公务用车运行维护费": "公务用车运行维护费", "公务用车运行费": "公务用车运行维护费",
    "公务用车购置费": "公务用车购置费", "公务用车购置": "公务用车购置费",
}
_ROW_LEAD_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|[（(][\d一二三四五六七八九十]{1,2}[）)]|其中[:：]?)+")
_CELL_NUM_RE = re.compile(rf"^[-−－]?{NUMBER}%?$")
_YEAR_HEAD_RE = re.compile(r"^((?:19|20)\d\d)(?:年度?|-度?)?")
# header cells naming a value column (year removed, 、 and spaces removed)
_THREE_HEAD = [
    (re.compile(r"^上年(?:决算|执行|实际)?数?$|^上年决算$"), "上年数"),
    (re.compile(r"^(?:本年|本期)(?:决算)?数?$|^(?:支出)?决算数?$|^(?:实际)?执行数$"), "决算数"),
    (re.compile(r"^(?:年初|全年)?预算(?:数|安排)?$"), "预算数"),
    (re.compile(r"^(?:比上年)?增减(?:金)?额$|^增减数$|^增减金额$"), "增减额"),
    (re.compile(r"^(?:比上年)?增减(?:幅度|率|比例)$|^增长率$|^增幅$"), "增减率"),
]


def _three_row_item(label: str) -> str | None:
    s = _squash(label).replace("(", "（").replace(")", "）").replace("“", "").replace("”", "").replace('"', "")
    s = _ROW_LEAD_RE.sub("", s)
    return _THREE_ROW_LABELS.get(s)


def _three_cells(lines: list[Line]) -> list[tuple[str, Tok | None, Line]]:
    """The table's cells in reading order: ('label', None, line) with the label text in place of the token
    for text cells, ('num', tok, line) for figures. Cells are split at the cell rules ('|') where the line
    has them, else at spaces; the words of a label split by spaces ('合 计') are one cell."""
    out: list[tuple[str, object, Line]] = []
    for ln in lines:
        raw = ln.text
        pieces: list[tuple[int, str]] = []
        if _RULE_CHARS.search(raw):
            pos = 0
            for part in re.split(r"[|｜┃│]", raw):
                pieces.append((pos, part))
                pos += len(part) + 1
        else:
            pieces.append((0, raw))
        for off, part in pieces:
            label = ""
            for m in re.finditer(r"\S+", part):
                t = m.group()
                if _CELL_NUM_RE.match(t):
                    if label:
                        out.append(("label", label, ln))
                        label = ""
                    s0 = ln.s + off + m.start()
                    out.append(("num", Tok(s0, s0 + len(t), t), ln))
                else:
                    label += t
            if label:
                out.append(("label", label, ln))
    return out


def _three_rows_region(table: Table, text: str) -> list[Line]:
    """The lines from the title to the first line of prose (the table's own lines, before any regrouping)."""
    out: list[Line] = []
    for ln in _lines(text, table.title_line.e + 1):
        sq = ln.sq
        if not sq:
            continue
        if not _RULE_CHARS.search(ln.text) and (re.search(r"[。；;]", sq) or (re.search(r"[，,]", sq) and len(sq) > 20)
                                                  or (out and re.match(r"^[一二三四五六七八九十]+、", sq)
                                                      and _three_row_item(sq) is None)):
            break
        out.append(ln)
        if len(out) > 80:
            break
    return out


def _three_rows_grid(table: Table, text: str) -> Grid | None:
    cells = _three_cells(_three_rows_region(table, text))
    # the header: the value columns named before the first row label, in print order; the years they name
    columns: list[tuple[str, int | None]] = []
    k = 0
    while k < len(cells) and not (cells[k][0] == "label" and _three_row_item(cells[k][1])):
        kind, c, _ = cells[k]
        if kind == "label":
            head = _squash(c).replace("、", "")
            nxt = cells[k + 1] if k + 1 < len(cells) else None
            if head in ("上年", "本年", "本期", "上年度", "本年度") and nxt is not None and nxt[0] == "label" \
                    and re.match(r"^(?:决算|预算|执行)?数$", _squash(nxt[1])):
                head += _squash(nxt[1])      # "上年 / 决算数": one header cell broken over two lines
                k += 1
            y = _YEAR_HEAD_RE.match(head)
            year = int(y.group(1)) if y else None
            head = head[y.end():] if y else head
            for rx, name in _THREE_HEAD:
                if rx.match(head):
                    columns.append((name, year))
                    break
        else:
            return None          # a figure before any row: not this layout
        k += 1
    if not columns or k == len(cells):
        return None
    years = [y for _, y in columns if y is not None]
    if years:
        latest = max(years)
        # "2015年执行数 | 2016年预算数": the earlier year's column is the prior-year figure
        columns = [("上年数" if y is not None and y < latest else n, y) for n, y in columns]
    names = [n for n, _ in columns]
    if len(set(names)) != len(names):
        return None              # two columns of one meaning: not a header this reader knows
    rows: list[Row] = []
    seen: set[str] = set()
    cur: tuple[str, list[Tok], Line] | None = None

    def close(c):
        if c is None:
            return
        item, nums, first = c
        if len(nums) != len(names) or item in seen:
            return               # a blank cell (or more figures than columns): the row cannot be placed
        seen.add(item)
        row = Row(label=item, start=first.s, end=nums[-1].e)
        for name, tok in zip(names, nums):
            row.cells[f"{item}|{name}"] = Val(tok.t, tok.s, tok.e,
                                              float(tok.t.rstrip("%").replace(",", "").replace("−", "-").replace("－", "-")))
        rows.append(row)

    for kind, c, ln in cells[k:]:
        if kind == "label":
            close(cur)
            item = _three_row_item(c)
            cur = (item, [], ln) if item else None
        elif cur is not None:
            cur[1].append(c)
    close(cur)
    if not rows:
        return None
    return _grid(table, "three", rows, [f"{i}|{n}" for i, _ in _THREE_ITEMS for n in names])


# a 三公 table turned on its side: one row per year, one column per item ("年度 | 合计 | 因公出国(境)经费 |
# 公务接待费 | 公车购置及运行维护费 | 合计 | 车辆购置 | 车辆运行" over "2015年 | …", "2016年 | …",
# "2016年比2015年增减% | …"), under a title that need not name 三公 ("2016年决算数与2015年决算数对比情况")
_THREE_YEAR_HEAD = {"车辆购置": "公务用车购置费", "车辆购置费": "公务用车购置费", "购置费": "公务用车购置费",
                    "车辆运行": "公务用车运行维护费", "车辆运行费": "公务用车运行维护费", "运行维护费": "公务用车运行维护费",
                    "运行费": "公务用车运行维护费", "公车购置及运行维护费": "公务用车购置及运行维护费",
                    "公车购置及运行费": "公务用车购置及运行维护费"}
_THREE_YEAR_ROW = re.compile(r"^((?:19|20)\d\d)年度?(?:决算数?|实际数?|执行数?)?$")
_THREE_YEAR_PCT = re.compile(r"增减[%％]$|增减(?:率|幅度)[%％]?$|增长[%％]$")


def _three_year_item(label: str) -> str | None:
    s = _squash(label).replace("(", "（").replace(")", "）").replace("“", "").replace("”", "")
    return _THREE_YEAR_HEAD.get(s) or _three_row_item(s)


def _three_years_grid(text: str) -> Grid | None:
    """The 三公 table printed one year a row (see above), one cell per line or one row per line. Its header
    is the cell 年度 and then 三公 items only (a 合计 right after the 公务用车 item heads that item's own
    column when its parts follow); each year row prints one figure per column, and every year row must
    add up (合计 = 出国 + 接待 + 公务用车, 公务用车 = 购置 + 运行) or the table is not read. The latest year
    gives the amounts, an earlier year the prior-year figures, a 增减% row the change in percent."""
    lines = _lines(text)
    for i, ln in enumerate(lines):
        if not ln.sq.endswith("年度"):
            continue
        cells = _three_cells(lines[i + 1:i + 90])
        k, cols = 0, []
        while k < len(cells) and cells[k][0] == "label":
            item = _three_year_item(cells[k][1])
            if item is None:
                break
            if item == "合计" and cols and cols[-1] == "公务用车购置及运行维护费":
                k += 1               # the 公务用车 item's own 合计 under its heading
                continue
            cols.append(item)
            k += 1
        if len(cols) < 3 or len(set(cols)) != len(cols) or "合计" not in cols:
            continue
        years: dict[int, list[Tok]] = {}
        pct: list[Tok] | None = None
        cur: list[Tok] | None = None
        for kind, c, _ln in cells[k:]:
            if kind == "label":
                lab = _squash(c)
                y = _THREE_YEAR_ROW.match(lab)
                if y:
                    cur = years.setdefault(int(y.group(1)), [])
                elif _THREE_YEAR_PCT.search(lab) and pct is None:
                    pct = cur = []
                else:
                    break
            elif cur is not None:
                cur.append(c)
        if not years or any(len(v) != len(cols) for v in years.values()) or (pct is not None and len(pct) != len(cols)):
            continue

        def num(tok):
            return float(tok.t.rstrip("%％").replace(",", "").replace("−", "-").replace("－", "-"))

        def adds_up(vals: dict[str, float]) -> bool:
            ok = True
            if all(x in vals for x in ("合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行维护费")):
                ok &= abs(vals["合计"] - vals["因公出国（境）费"] - vals["公务接待费"] - vals["公务用车购置及运行维护费"]) < 0.011
            else:
                return False
            if all(x in vals for x in ("公务用车购置费", "公务用车运行维护费")):
                ok &= abs(vals["公务用车购置及运行维护费"] - vals["公务用车购置费"] - vals["公务用车运行维护费"]) < 0.011
            return ok

        if not all(adds_up({c: num(t) for c, t in zip(cols, v)}) for v in years.values()):
            continue
        latest = max(years)
        prior = max((y for y in years if y < latest), default=None)
        rows = []
        for j, item in enumerate(cols):
            tok = years[latest][j]
            row = Row(label=item, start=tok.s, end=tok.e)
            row.cells[f"{item}|决算数"] = Val(tok.t, tok.s, tok.e, num(tok))
            if prior is not None:
                t0 = years[prior][j]
                row.cells[f"{item}|上年数"] = Val(t0.t, t0.s, t0.e, num(t0))
            if pct is not None:
                tp = pct[j]
                row.cells[f"{item}|增减率"] = Val(tp.t, tp.s, tp.e, num(tp))
            rows.append(row)
        title_line = lines[i - 1] if ln.sq == "年度" and i > 0 else ln
        printed = _squash(title_line.text)
        printed = printed[:-2] if printed.endswith("年度") and printed != "年度" else printed
        table = Table(title=T_THREE, title_line=title_line, lines=lines[i:i + 90], printed=printed)
        names = ["决算数"] + (["上年数"] if prior is not None else []) + (["增减率"] if pct is not None else [])
        return _grid(table, "three", rows, [f"{it}|{n}" for it in cols for n in names])
    return None


# --------------------------------------------------------------------------------------------------

KIND_OF_TITLE = {T_TOTAL: "total", T_INCOME: "income", T_EXPEND: "expend", T_FISCAL_TOTAL: "fiscal_total",
                 T_GPB: "gpb", T_GPB_BASIC: "gpb_basic", T_THREE: "three", T_GOVFUND: "govfund", T_SOE: "soe",
                 T_GOVFUND_EXP: "govfund_exp", T_SOE_EXP: "soe_exp"}


def read_text_tables(text: str, skip: set[str] = frozenset(), failed: list | None = None,
                     cut_end: bool = False) -> list[Grid]:
    """The standard tables flattened into the lines of ``text``, each as a :class:`Grid` (the first table
    of each title that prints a figure; a title in a table of contents or a heading can look like one).
    ``skip``: kinds already read from the geometry of the page (their text is not read again).

    A table the grammar cannot read raises; with ``failed`` given, its ``(title, exception)`` is appended
    there instead and the other tables are still read: the caller turns it into a finding, never a
    silent loss. ``cut_end``: ``text`` is a whole document, and a row that its end cuts (``津贴补贴 1,238``
    of a file cut inside 1,238.58) is not read: its figure is unknown, never the smaller number.
    """
    tables = find_tables(text, cut_end)
    by_title: dict[str, list[Table]] = {}
    for t in tables:
        by_title.setdefault(t.title, []).append(t)

    def first(title):
        if KIND_OF_TITLE[title] in skip:
            return None
        cands = by_title.get(title, [])
        for t in cands:
            if any(tok.amt for ln in t.lines for tok in ln.toks):
                return t
        return cands[0] if cands else None

    def build(title, fn, *args):
        if failed is None:
            return fn(*args)
        try:
            return fn(*args)
        except Exception as e:  # noqa: BLE001 - handed to the caller as a finding
            failed.append((title, e))
            return None

    grids: list[Grid] = []
    total = econ = None
    t = first(T_TOTAL)
    if t:
        total = build(T_TOTAL, _total_grid, t)
        if total is not None:
            grids.append(total)
    t = first(T_GPB_BASIC)
    if t:
        econ = build(T_GPB_BASIC, _econ_grid, t)
        if econ is not None:
            grids.append(econ)
    hint = _econ_hint(econ)
    plan = [(T_INCOME, lambda t: _income_grid(t, _income_hint(total))),
            # all funds: a 基本支出 printed in the 一般公共预算 基本支出决算表 means the 基本支出 column is not blank
            (T_EXPEND, lambda t: _expend_grid(t, hint)),
            (T_FISCAL_TOTAL, _fiscal_total_grid),
            (T_GPB, lambda t: _gpb_grid(t, "gpb", hint))]
    plan += [(title, lambda t, title=title: _fund_table_grid(t, KIND_OF_TITLE[title])) for title in (T_GOVFUND, T_SOE)]
    plan += [(title, lambda t, title=title: _gpb_grid(t, KIND_OF_TITLE[title], None)) for title in (T_GOVFUND_EXP, T_SOE_EXP)]
    plan += [(T_THREE, lambda t: (_three_budget_grid(t) if t.document_kind == "预算" else _three_grid(t, text))
              or _three_rows_grid(t, text))]
    for title, fn in plan:
        t = first(title)
        if t:
            g = build(title, fn, t)
            if g is not None:
                grids.append(g)
    if "three" not in skip and not any(g.kind == "three" for g in grids):
        g = build(T_THREE, _three_years_grid, text)
        if g is not None:
            grids.append(g)
    return grids
