"""A government's own execution table (预算执行情况表) -> a Grid.

A government (a town, a county, a district) reports the year's 一般公共预算 (or 政府性基金预算) one line a
row, the year before's outcome, the year's (adjusted) budget and its outcome, then the outcome in percent of
the budget and its growth over the year before::

    2020年中庄镇一般公共预算收入执行情况表 | |||||
    单位:万元 | |||||
    项目 | 2019年决算数 | 2020年预算调整数 | 2020年执行数 | ||
    金额 | 占调整预算% | 比上年增长% | |||
    一、税收收入 | 401 | 431 | 431 | 100 | 7.48 |
    …
    本年收入合计 | 401 | 431 | 431 | 100 | 7.48 |
    转移性收入 | 2442 | 2351 | 2351 | 100 | -3.73 |
    收入总计 | 2843 | 2782 | 2782 | 100 | -2.15 |

The header must name the three money columns in that order -- a year (its 决算数 or 执行数), then the next
year twice (预算数 or 预算调整数, then 执行数, 完成数 or 决算数) -- and the two rates (占…预算 %, 比上年增长 %). A row is taken only when its own
figures agree (outcome / budget = the first rate, outcome / the year before − 1 = the second, to the printed
places): then no column can have been misplaced. A row with a blank cell leaves no trace of which cell it is
and is not read.
"""

from __future__ import annotations

import re

from ...segment import line_starts
from ...numbers import places
from .model import Grid, Row, Val

__all__ = ["read_execution_tables", "fund_of_title", "outcome_year"]

_TITLE = re.compile(r"(一般公共预算|公共财政预算|政府性基金(?:预算)?|国有资本经营(?:预算)?)(收入|支出|收支)(?:预算)?执行(?:情况)?表")
_UNIT = re.compile(r"单位[:：]\s*(万元|元|亿元)(?![\u4e00-\u9fff])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_NUM = r"-?\d[\d,]*(?:\.\d+)?"
_PIPE_ROW = re.compile(rf"^\s*([^|\d\-][^|]*?)\s*\|\s*({_NUM})\s*\|\s*({_NUM})\s*\|\s*({_NUM})\s*\|\s*({_NUM})[%％]?\s*\|"
                       rf"\s*({_NUM})[%％]?\s*\|")
_SPACE_ROW = re.compile(rf"^\s*(\S*?[\u4e00-\u9fff）)])\s+({_NUM})\s+({_NUM})\s+({_NUM})\s+({_NUM})[%％]?\s+({_NUM})[%％]?\s*$")
_MONEY = {"万元": 1.0, "元": 1e-4, "亿元": 1e4}
_FUNDS = {"一般公共预算": "一般公共预算", "公共财政预算": "一般公共预算", "政府性基金": "政府性基金预算",
          "国有资本经营": "国有资本经营预算"}
COLUMNS = ["上年", "预算数", "执行数", "执行率", "增长率"]
# a line opening another table: its number ("表2", "附表3") or a title ("…民生支出执行情况表", "单位:万元" after it)
_NEXT_TABLE = re.compile(r"^(?:附)?表[\d一二三四五六七八九十]+[:：]?$|^[^\d]{4,60}表(?:[（(][^）)]*[）)])?$")


def fund_of_title(title: str) -> tuple[str, str] | None:
    """(fund, side: 收入 / 支出 / 收支) of an execution table's title, or None."""
    m = _TITLE.search(re.sub(r"\s+", "", title))
    if m is None:
        return None
    f = m.group(1).replace("预算", "") if m.group(1) not in ("一般公共预算", "公共财政预算") else m.group(1)
    return _FUNDS[f], m.group(2)


def outcome_year(grid: Grid, text: str) -> int | None:
    """The year whose outcome the table reports: the latest its title and header name ("2020年…执行情况表",
    "2019年决算数 | 2020年预算调整数 | 2020年执行数"), None when they name none."""
    span = text[grid.start:grid.rows[0].start] if grid.rows else grid.title
    years = [int(y) for y in _YEAR.findall(span)]
    return max(years) if years else None


def _rate_agrees(num: float, num_slack: float, den: float, den_slack: float, rate: str) -> bool:
    """``rate`` (printed) is num / den in percent, within the printed places of all three."""
    if den <= den_slack:
        return False
    r = float(rate.replace(",", ""))
    lo = (num - num_slack) / (den + den_slack) * 100
    hi = (num + num_slack) / (den - den_slack) * 100
    half = 0.5 * 10 ** -places(rate)
    return min(lo, hi) - half - 1e-9 <= r <= max(lo, hi) + half + 1e-9


def _agree(prior: str, budget: str, outcome: str, execution: str, growth: str) -> bool:
    a, b, c = (float(x.replace(",", "")) for x in (prior, budget, outcome))
    sa, sb, sc = (0.5 * 10 ** -places(x) for x in (prior, budget, outcome))
    if a <= 0 or b <= 0 or c < 0:
        return False
    return _rate_agrees(c, sc, b, sb, execution) and _rate_agrees(c - a, sc + sa, a, sa, growth)


_TABLE_WORD = re.compile(r"执\s*行(?:\s*情\s*况)?\s*表")
_HEAD_WORD = re.compile(r"[占为][^|%％]{0,6}预算|预算[^|%％]{0,2}[%％]|完成预算|决算|执行|完成|预算")


def _header(lines: list[str], i: int) -> bool:
    """Lines i.. (up to three: cells broken over lines, or the years above the words) name year Y-1, then year Y
    twice, and the money columns in the order (决算 / 执行 / 完成) of the year before, 预算 (预算数, 预算调整数),
    (执行 / 完成 / 决算) of the year; then the two rates (占…预算 %, 比上年增长 %)."""
    head = re.sub(r"\s+", "", "".join(lines[i:i + 3]))
    years = list(_YEAR.finditer(head))
    if len(years) < 3 or not (int(years[0].group(1)) + 1 == int(years[1].group(1)) == int(years[2].group(1))):
        return False
    words = [w for w in _HEAD_WORD.findall(head, years[0].end()) if w in ("决算", "执行", "完成", "预算")][:3]
    if len(words) < 3 or words[0] == "预算" or words[1] != "预算" or words[2] == "预算":
        return False
    return re.search(r"预算[%％]|预算的?[%％]|完成预算|[占为].{0,4}预算", head) is not None \
        and re.search(r"(?:比上年|同比)(?:增长|增减)|增长[%％]|增幅", head) is not None


def _label(raw: str) -> str:
    return re.sub(r"\s+", "", raw)


def read_execution_tables(text: str) -> list[Grid]:
    """The execution tables of ``text`` (see the module)."""
    # the title's 执行(情况)表 printed with or without blanks: most reports have none, and are not squashed whole
    if _TABLE_WORD.search(text) is None or _TITLE.search(re.sub(r"\s+", "", text)) is None:
        return []
    lines = text.split("\n")
    starts = line_starts(lines)
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        title = lines[i].split("|")[0].strip()
        if fund_of_title(title) is None or len(title) > 60:
            i += 1
            continue
        unit = next((m for k in range(i, min(i + 3, len(lines))) for m in [_UNIT.search(lines[k])] if m), None)
        head = next((k for k in range(i + 1, min(i + 5, len(lines))) if _header(lines, k)), None)
        if unit is None or head is None:
            i += 1
            continue
        rows: list[Row] = []
        j = head + 1
        while j < len(lines) and j - head <= 200:
            ln, base = lines[j], starts[j]
            first = re.sub(r"\s+", "", ln.split("|")[0])
            if j > head + 2 and (fund_of_title(first) is not None or _NEXT_TABLE.match(first)):
                break                   # the next table ("表2", "…民生支出执行情况表")
            m = _PIPE_ROW.match(ln) if "|" in ln else _SPACE_ROW.match(ln)
            j += 1
            if m is None:
                continue
            lits = [m.group(k) for k in range(2, 7)]
            label = _label(m.group(1))
            if not re.search(r"[\u4e00-\u9fff]", label) or not _agree(*lits):
                continue
            cells = {col: Val(lit, base + m.start(k), base + m.end(k), float(lit.replace(",", "")))
                     for col, lit, k in zip(COLUMNS, lits, range(2, 7))}
            rows.append(Row(label=label, cells=cells, start=base + m.start(1), end=base + m.end()))
        if rows:
            u = unit.group(1)
            grids.append(Grid(kind="gov_exec", title=title, start=starts[i], end=rows[-1].end, rows=rows, unit=u,
                              factor=_MONEY[u], document_kind="决算", complete=True, columns=list(COLUMNS)))
        i = max(j, i + 1) if rows else i + 1
    return grids
