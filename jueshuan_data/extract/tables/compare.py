"""A public unit's own income statement set against the year before -> a Grid.

Hospitals publish their accounts outside the 部门决算 template (医院财务信息公示, 收支情况表), one line a
row, with this year, the year before, the change and the change in percent::

    单位:元 | |||||
    项目 | 行号 | 本期 | 上年同期 | 增加额 | 增长率 |
    1、总收入 | 1 | 61625022.26 | 66095039.04 | -4470016.78 | -6.76% |
    其中:医疗收入 | 2 | 43245334.20 | 44398351.66 | -1153017.46 | -2.60% |

    单位:元
    项目及编号2016年度2017年度 2017比2016增减
    增减值 增减%
    一、收入支出情况对比 (一) 收入总计 58596771.09 117154424.7 58557653.59 99.93%

The header says which column is which (本期 / 上年同期, or two years: the later is the year of the
accounts); a row is label, its 行号 where the header has one, and four figures, the last a percentage. A
row is taken only when its own figures agree (this year − the year before = the change, the change / the
year before = the percentage, to the printed places): then no column can have been misplaced. Only the
headline lines are read (总收入 / 收入总计, 总支出 / 支出总计, the grant, 医疗收入 as the unit's 事业收入, 其他收入).
"""

from __future__ import annotations

import re

from ...numbers import places
from ...segment import line_starts
from .model import Grid, Row, Val

__all__ = ["read_comparison_tables", "COMPARISON_ITEMS"]

_NUM = r"-?\d[\d,]*(?:\.\d+)?"
_UNIT = re.compile(r"单位[:：]\s*(万元|元)(?![\u4e00-\u9fff])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年度?")
_CHANGE = re.compile(r"增加额|增减额|增减值|增减金额")
_RATE = re.compile(r"增长率|增减率|增减[%％]|增长[%％]|增减幅度")
_PIPE_ROW = re.compile(rf"([^|\n]*?)\s*\|\s*(?:(\d{{1,3}})\s*\|\s*)?({_NUM})\s*\|\s*({_NUM})\s*\|\s*({_NUM})\s*\|\s*({_NUM})[%％]\s*\|")
_SPACE_ROW = re.compile(rf"^(.*?[\u4e00-\u9fff）)])\s+({_NUM})\s+({_NUM})\s+({_NUM})\s+({_NUM})[%％]\s*$")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．]|其中[:：])\s*")
# the headline lines of such accounts, by their printed name
# (such a statement prints no carry-over: its 总计 is the year's income / spending, a 收入合计 / 支出合计, which
# need not balance as the 收入支出决算总表's 总计 do)
COMPARISON_ITEMS = {"总收入": "收入合计", "总支出": "支出合计", "收入总计": "收入合计", "支出总计": "支出合计",
                    "财政拨款收入": "财政拨款收入", "财政补助收入": "财政拨款收入", "医疗收入": "事业收入",
                    "其他收入": "其他收入"}
_MONEY = {"万元": 1.0, "元": 1e-4}


def _label(raw: str) -> str:
    s = raw.strip().split()[-1] if raw.strip() else ""
    while True:
        t = _ORDINAL.sub("", s)
        if t == s:
            return s.replace(" ", "")
        s = t


def _agree(cur: str, prior: str, change: str, pct: str) -> bool:
    c, p, d, r = (float(x.replace(",", "")) for x in (cur, prior, change, pct))
    slack = sum(0.5 * 10 ** -places(x) for x in (cur, prior, change))
    if abs(c - p - d) > slack + 1e-9 or p == 0:
        return False
    return abs(d / p * 100 - r) <= 0.5 * 10 ** -places(pct) + abs(slack / p * 100) + 1e-9


def _header(lines: list[str], i: int) -> tuple[str, bool] | None:
    """('pipe' or 'space', this year's column first) when lines i (and i+1) are such a header."""
    head = lines[i] + (lines[i + 1] if i + 1 < len(lines) else "")
    if not (_CHANGE.search(head) and _RATE.search(head)):
        return None
    layout = "pipe" if "|" in lines[i] else "space"
    if "本期" in lines[i] and "上年同期" in lines[i]:
        return layout, lines[i].index("本期") < lines[i].index("上年同期")
    years = [int(m.group(1)) for m in _YEAR.finditer(lines[i])][:2]
    if len(years) == 2 and years[0] != years[1] and abs(years[0] - years[1]) == 1:
        return layout, years[0] > years[1]
    return None


def read_comparison_tables(text: str) -> list[Grid]:
    """The income statements of ``text`` set against the year before (see the module)."""
    if not (_CHANGE.search(text) and _RATE.search(text)):
        return []
    lines = text.split("\n")
    starts = line_starts(lines)
    grids = []
    i = 0
    while i < len(lines):
        h = _header(lines, i)
        unit = next((m for k in range(max(0, i - 3), i + 1) for m in [_UNIT.search(lines[k])] if m), None)
        if h is None or unit is None:
            i += 1
            continue
        layout, current_first = h
        rows: list[Row] = []
        j = i + 1
        while j < len(lines):
            ln, base = lines[j], starts[j]
            if layout == "pipe":
                # the 行号 cell is there exactly when the header names it
                numbered = "行号" in lines[i] or "行次" in lines[i]
                groups = [(m, m.group(1), [m.group(k) for k in (3, 4, 5, 6)], [m.span(k) for k in (3, 4, 5, 6)])
                          for m in _PIPE_ROW.finditer(ln) if bool(m.group(2)) == numbered]
            else:
                m = _SPACE_ROW.match(ln)
                groups = [(m, m.group(1), [m.group(k) for k in (2, 3, 4, 5)], [m.span(k) for k in (2, 3, 4, 5)])] \
                    if m else []
            for m, raw_label, lits, spans in groups:
                cur, prior = (lits[0], lits[1]) if current_first else (lits[1], lits[0])
                cs, ps = (spans[0], spans[1]) if current_first else (spans[1], spans[0])
                label = _label(raw_label)
                if not label or not _agree(cur, prior, lits[2], lits[3]):
                    continue
                vals = {"本期": (cur, cs), "上年": (prior, ps), "增减额": (lits[2], spans[2]), "增减率": (lits[3], spans[3])}
                cells = {k: Val(lit, base + a, base + b, float(lit.replace(",", ""))) for k, (lit, (a, b)) in vals.items()}
                rows.append(Row(label=label, cells=cells, start=base + m.start(), end=base + m.end()))
            j += 1
            if j - i > 40:          # a statement of a few lines: further lines belong elsewhere
                break
        if rows:
            u = unit.group(1)
            grids.append(Grid(kind="unit_compare", title=lines[i].strip(), start=starts[i], end=rows[-1].end,
                              rows=rows, unit=u, factor=_MONEY[u], document_kind="决算", complete=True,
                              columns=["本期", "上年", "增减额", "增减率"]))
        i = j
    return grids
