"""COFOG: the UN Classification of the Functions of Government, from the 支出功能分类 codes.

No public crosswalk from the Chinese functional classification (政府收支分类科目, 支出功能分类) to COFOG
exists, so this package ships one, derived by hand from the definition of each 科目 and of each COFOG
division and group: ``data/cofog_crosswalk.csv``, one line per code.

>>> from jueshuan_data import cofog
>>> cofog.division("2080501"), cofog.division("21205"), cofog.division("2296003")
('10', '05', '08')
>>> cofog.division("20113"), cofog.DIVISIONS["04"]
('04', 'Economic affairs')
>>> cofog.division("999") is None
True

A code takes the division of its most specific line: the 项 line if there is one, else its 款 line,
else its 类 line. Every 类 has a line; a 款 or 项 has one only where it leaves its 类's division (201
一般公共服务支出 is 01, but its 款 20113 商贸事务 is 04 economic affairs) or where a group can be given.

Columns of :func:`crosswalk`:

=================  =========================================================================================
code, level, name  the 科目 (3/5/7 digits, 类/款/项) and its current official name
cofog              COFOG division, ``01``–``10``
cofog_group        COFOG group (``04.1``) where it can be defended, else empty
confidence         ``high``: the 科目's definition falls inside one COFOG division; ``medium``: mostly, or by a
                   reading of COFOG that the reason states; ``low``: a judgement — no division fits, or the
                   科目 mixes functions (the reason says which and where the rest belongs)
by_unit_function   ``true`` for spending that government finance statistics classify by the function of
                   the unit that pays it, not by its own 科目: employer pension contributions (2080505,
                   2080506), staff medical cover (21011), housing fund and allowances (22102), staff training
                   (2050803). These lines sit in every unit's report; the division given is the 科目's own,
                   and a researcher who wants the GFS treatment reassigns them to the unit's main function.
reason             why, from the definition of the 科目 and of the COFOG division or group
source             ``;``-joined: ``mof:<code>`` the 科目's definition in MOF 《政府收支分类科目》 (editions
                   2017–2024, paraphrased from knowledge: no copy of the book is in this repository);
                   ``cofog:<division or group>`` the UN COFOG 1999 explanatory note of that division or
                   group (unstats.un.org classifications registry); ``gfs:function-of-unit`` the rule of
                   the IMF GFSM 2014 and the Eurostat COFOG manual that compensation of employees,
                   employer social contributions included, follows the function of the employing unit;
                   ``changes:<old>><new>`` a code change recorded in ``data/function_code_changes.csv``
=================  =========================================================================================

A 类 whose 款 split across divisions (201, 208, 212 …) gives its 类 rows its main division: to total
spending by division, sum the finest rows a report has (项, else 款, else 类), not the 类 rows.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import Iterable, Optional

__all__ = ["DIVISIONS", "crosswalk", "division", "fill"]

DIVISIONS = {
    "01": "General public services",
    "02": "Defence",
    "03": "Public order and safety",
    "04": "Economic affairs",
    "05": "Environmental protection",
    "06": "Housing and community amenities",
    "07": "Health",
    "08": "Recreation, culture and religion",
    "09": "Education",
    "10": "Social protection",
}
"""COFOG 1999 divisions (UN Statistics Division)."""

_FILE = "cofog_crosswalk.csv"


@functools.lru_cache(maxsize=1)
def _lines() -> tuple[dict, ...]:
    with resources.files(__package__).joinpath("data", _FILE).open("r", encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@functools.lru_cache(maxsize=1)
def _divisions() -> dict[str, str]:
    return {line["code"]: line["cofog"] for line in _lines()}


def crosswalk():
    """The crosswalk as a DataFrame (a copy), one row per code; ``by_unit_function`` is boolean.

    >>> cw = crosswalk()
    >>> line = cw.set_index("code").loc["22102"]
    >>> line["cofog"], line["confidence"], bool(line["by_unit_function"])
    ('06', 'low', True)
    """
    import pandas as pd

    df = pd.DataFrame(list(_lines())).astype("string")
    df["cofog_group"] = df["cofog_group"].replace("", pd.NA)
    df["by_unit_function"] = df["by_unit_function"].eq("true").astype(bool)
    return df


def division(code: Optional[str]) -> Optional[str]:
    """COFOG division of a 3/5/7-digit functional code: its 项 line, else 款 line, else 类 line; None if none."""
    if not isinstance(code, str) or not code:
        return None
    table = _divisions()
    for n in (7, 5, 3):
        if len(code) >= n and code[:n] in table:
            return table[code[:n]]
    return None


def fill(rows: Iterable[dict]) -> None:
    """Set ``cofog`` on extracted expenditure_by_function rows, in place, from ``code`` (else ``parent_code``).

    A row without a code but under a known parent (a 款 the catalogue does not know, under 208) takes its
    parent's division, as any 款 without a line of its own does; a row with neither stays null.
    """
    for row in rows:
        code = row.get("code")
        row["cofog"] = division(code if isinstance(code, str) and code else row.get("parent_code"))
