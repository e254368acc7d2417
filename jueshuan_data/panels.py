"""Panels across reports: unit × year × subject from a converted folder.

>>> import jueshuan_data as jd
>>> p = jd.panel("out/", "expenditure_by_function", level="类", fund="一般公共预算")      # doctest: +SKIP
>>> p[["entity_key", "fiscal_year", "document_kind", "code", "subject", "amount_wan", "cofog"]].head(3)  # doctest: +SKIP
          entity_key  fiscal_year document_kind code      subject  amount_wan cofog
0  上海市普陀区规划和自然资源局         2024            决算  208  社会保障和就业支出      754.75    10
1  上海市普陀区规划和自然资源局         2024            决算  210       卫生健康支出         NaN    07
2  上海市普陀区规划和自然资源局         2024            决算  212       城乡社区支出     3832.36    06

(210 is NaN there because that report states it twice, 236.63 in its narrative and 236.64 in its table,
and marks neither primary: ``conflict`` is True and ``values`` holds both.)

What the panel does, and the data it uses (all shipped in ``jueshuan_data/data/``, each line sourced):

* **Units** are keyed by ``entity_key``: the unit as titled, whitespace removed, or — where the same unit is
  titled differently across reports (江苏省人大办公厅 / 江苏省人大常委会办公厅) — the key of its aliases in
  ``entity_aliases.csv`` (columns entity_key, alias, why, source). ``entity`` keeps the title as read. A
  report whose title was not read (entity null) keeps a null key: it is not silently merged with anybody.
* **Subjects** are keyed by code through the year-aware catalogue (:func:`jueshuan_data.catalogue`): a
  subject renamed between editions keeps its code (210 医疗卫生与计划生育支出 until 2018, 卫生健康支出 from
  2019), and ``subject`` is the catalogue's latest name for the code. A code that changed is followed
  through ``code_changes.csv`` (kind, old_code, new_code, relation, last_old_year, status, source): a
  ``move`` or ``merge`` re-keys the old code's rows up to ``last_old_year`` to the new code (30311
  住房公积金 of 2017 is 30113 from 2018; 20115 工商行政管理事务 of 2018 goes into 20138); a ``split`` or an
  ``ended`` line leaves the code as read. Every row touched by a change says which in ``code_change``;
  ``code_read`` keeps the code the report printed. A row without a code is keyed by its subject name.
* **One value per unit, year, document kind and subject.** Where a subject is stated more than once (a
  narrative sentence and a table row, or two reports of one unit and year) the value is the statement the
  report marks ``primary`` (its table row) when it marks one, else the value the statements agree on;
  two primaries that differ give no value. ``statements`` counts the statements and ``values`` lists them
  whenever they differ (``236.63|236.64``). ``conflict`` is True when they cannot be one figure printed
  twice: a statement to fewer places that is a finer one rounded or cut to its places is a restatement
  (a 预算's 编制说明 prints 1,623.18万元 and 87.70万元 for its table's 16,231,840.80元 and 877,080.00元), one
  that is not is a conflict (887.36万元 for 873,617.00元), and so is any difference at the same places. A
  conflict is never hidden; where no primary settles a restatement, the finest statement is the value.
* ``document_kind`` keeps 预算 (approved) and 决算 (executed) apart: they are never merged.
* **Execution**: where a unit has both a 决算 and a 预算 for the same year and subject, the 决算 row gets
  ``approved_wan`` (the 预算 value) and ``execution_pct`` = 100 × value / approved_wan, unrounded. This is
  the budget of the 预算 document; the 年初预算 a 决算 prints itself is the dataset's ``budget_wan``.
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional

import pandas as pd

__all__ = ["panel", "entity_key", "entity_aliases", "code_changes", "PANEL_DATASETS"]

# dataset -> (classification kind or None, the column(s) naming a subject when there is no code)
PANEL_DATASETS: dict[str, tuple[Optional[str], tuple[str, ...]]] = {
    "expenditure_by_function": ("function", ("subject",)),
    "basic_expenditure_by_economic": ("economic", ("item",)),
    "summary": (None, ("item",)),
    "livelihood_spending": (None, ("item",)),
    "three_public": (None, ("parent_item", "item")),
    "other_figures": (None, ("topic", "item")),
}
"""Datasets :func:`panel` accepts. asset_composition (balances at dates), facts and issues are not panels."""

_DIMENSIONS = ("fund", "level")          # kept apart where the dataset has them
_SPACE = re.compile(r"\s+")


def _read_csv(name: str) -> list[dict]:
    with resources.files(__package__).joinpath("data", name).open("r", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _norm(name: str) -> str:
    """Lookup form of a unit's name: NFKC (（）→()), no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name))


@functools.lru_cache(maxsize=1)
def _alias_index() -> dict[str, str]:
    index = {}
    for line in _read_csv("entity_aliases.csv"):
        index[_norm(line["alias"])] = line["entity_key"]
        index[_norm(line["entity_key"])] = line["entity_key"]
    return index


def entity_aliases() -> pd.DataFrame:
    """The recorded aliases of units: entity_key, alias, why, source.

    >>> a = entity_aliases()
    >>> a.loc[a["alias"] == "江苏省人大办公厅", "entity_key"].item()
    '江苏省人大常委会办公厅'
    """
    return pd.DataFrame(_read_csv("entity_aliases.csv")).astype("string")


def entity_key(entity: Optional[str]) -> Optional[str]:
    """A unit's stable key across reports: its alias key if recorded, else its name without whitespace.

    >>> entity_key("中国共产党江苏省委员会办公厅"), entity_key("江苏省委办公厅")
    ('中共江苏省委办公厅', '中共江苏省委办公厅')
    >>> entity_key("上海市普陀区 财政局"), entity_key(None)
    ('上海市普陀区财政局', None)
    """
    if not isinstance(entity, str) or not entity.strip():
        return None
    return _alias_index().get(_norm(entity), _SPACE.sub("", entity))


def code_changes() -> pd.DataFrame:
    """Code changes between classification editions (moves, merges, splits, ended lines), one per line.

    >>> c = code_changes()
    >>> c.loc[c["old_code"] == "30311", ["new_code", "relation", "last_old_year"]].values.tolist()
    [['30113', 'move', 2017]]
    """
    df = pd.DataFrame(_read_csv("code_changes.csv")).astype("string")
    df["new_code"] = df["new_code"].replace("", pd.NA)
    df["last_old_year"] = pd.to_numeric(df["last_old_year"]).astype("Int16")
    return df


@functools.lru_cache(maxsize=2)
def _changes(kind: str) -> tuple[dict, dict]:
    """(old_code -> (new_code, relation, last_old_year)) for re-keying, and code -> relations touching it."""
    rekey, touched = {}, {}
    for line in _read_csv("code_changes.csv"):
        if line["kind"] != kind:
            continue
        old, new, rel, last = line["old_code"], line["new_code"] or None, line["relation"], int(line["last_old_year"])
        if rel in ("move", "merge"):
            rekey[old] = (new, rel, last)
        touched.setdefault(old, []).append((rel, "old", last))
        if new:
            touched.setdefault(new, []).append((rel, "new", last))
    return rekey, touched


def _harmonise(codes: pd.Series, years: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """Codes re-keyed through moves and merges (year-aware) and the change touching each row."""
    rekey, touched = _changes(kind)
    out, notes = [], []
    for code, year in zip(codes, years):
        if not isinstance(code, str):
            out.append(pd.NA)
            notes.append(pd.NA)
            continue
        y = None if pd.isna(year) else int(year)
        note = pd.NA
        hit = rekey.get(code)
        if hit is not None and y is not None and y <= hit[2]:
            new, rel, _ = hit
            out.append(new)
            notes.append(f"{rel}: {code} until {hit[2]} is {new}")
            continue
        for rel, side, last in touched.get(code, ()):
            if y is None:
                continue
            if side == "old" and y <= last and rel in ("split", "ended"):
                note = f"{rel} after {last}"
            elif side == "new" and y > last and rel in ("merge", "split"):
                note = f"{rel} from {last + 1}: wider or narrower than before"
        out.append(code)
        notes.append(note)
    return pd.Series(out, index=codes.index, dtype="string"), pd.Series(notes, index=codes.index, dtype="string")


@functools.lru_cache(maxsize=2)
def _latest_names(kind: str) -> dict[str, str]:
    from .classification import catalogue

    cat = catalogue(kind)
    cat = cat.assign(_first=cat["first_year"].fillna(-1).astype(int)).sort_values(["code", "_first"])
    return dict(zip(cat["code"], cat["name"]))      # the last era of each code wins


def _literal(v: float) -> str:
    return repr(float(v)).removesuffix(".0") if float(v).is_integer() else repr(float(v))


def panel(out: str | Path, dataset: str = "expenditure_by_function", *, value: str = "amount_wan",
          level: Optional[str] = None, fund: Optional[str] = None, document_kind: Optional[str] = None,
          years: Optional[Iterable[int]] = None, wide: bool = False) -> pd.DataFrame:
    """Unit × year × subject from the converted folder ``out`` (read with :func:`jueshuan_data.read_dataset`).

    ``dataset``: one of :data:`PANEL_DATASETS`. ``value``: the numeric column to carry (``amount_wan``,
    ``basic_wan``, ``share_pct`` …). ``level``, ``fund``, ``document_kind`` (决算 / 预算) and ``years``
    select rows. ``wide=True`` pivots the years into columns (one row per unit, document kind and subject;
    a conflicting statement is an empty cell).

    The long frame has one row per ``entity_key``, ``fiscal_year``, ``document_kind``, ``fund`` and
    ``level`` (where the dataset has them) and ``subject_key`` (the code, else the subject's name), with
    ``code`` (harmonised), ``code_read``, ``code_change``, ``subject`` (latest official name),
    ``printed_name``, ``cofog`` (expenditure_by_function), the value, ``statements``, ``conflict``,
    ``values``, ``entity`` (titles as read), ``report_id``, ``source`` and, for money values,
    ``approved_wan`` and ``execution_pct`` (see the module doc).
    """
    from .write import read_dataset

    if dataset not in PANEL_DATASETS:
        raise ValueError(f"no panel of {dataset!r}; one of {', '.join(PANEL_DATASETS)}")
    kind, name_cols = PANEL_DATASETS[dataset]
    filters = {k: v for k, v in (("level", level), ("fund", fund), ("document_kind", document_kind)) if v is not None}
    if years is not None:
        filters["fiscal_year"] = [int(y) for y in years]
    df = read_dataset(out, dataset, **filters)
    if value not in df.columns or not pd.api.types.is_numeric_dtype(df[value]):
        raise ValueError(f"{value!r} is not a numeric column of {dataset}")
    money = value.endswith("_wan")
    dims = [c for c in _DIMENSIONS if c in df.columns]

    df = df.assign(entity_key=df["entity"].map(entity_key).astype("string"))
    names = df[name_cols[0]].astype("string")
    for col in name_cols[1:]:   # three_public: 公务用车购置及运行维护费 / 公务用车运行维护费
        part = df[col].astype("string")
        names = (names + " / " + part).fillna(part).where(part.notna(), names)
    if kind is not None:
        code, change = _harmonise(df["code"], df["fiscal_year"], kind)
        latest = _latest_names(kind)
        df = df.assign(code_read=df["code"], code=code, code_change=change,
                       subject_key=code.fillna(names.astype("string")),
                       subject=[latest.get(c, n) if isinstance(c, str) else n for c, n in zip(code, names)])
    else:
        df = df.assign(subject_key=names.astype("string"), subject=names)

    keys = ["entity_key", "fiscal_year", "document_kind", *dims, "subject_key"]
    text_cols = (["code_read", "code_change"] if kind is not None else []) \
        + [c for c in ("printed_name", "entity", "report_id", "source") if c in df.columns]
    # the printed precision of each statement, in 万元: a narrative's 1,623.18万元 restates a 元 table's
    # 16,231,840.80 to its own two places, it does not contradict it (amount_text is amount_wan's literal)
    if value == "amount_wan" and "amount_text" in df.columns:
        df = df.assign(_unit=_printed_unit(df["amount_text"], df[value]))
    long = _collapse(df, keys, value, ["subject", *(["code"] if kind is not None else [])], text_cols)
    cols = keys + (["code", "code_read", "code_change"] if kind else []) + ["subject"] \
        + (["printed_name"] if "printed_name" in df.columns else []) \
        + [value, "statements", "conflict", "values", "entity", "report_id", "source"]
    long = long[cols]
    if dataset == "expenditure_by_function":
        from .cofog import division

        long.insert(cols.index("subject") + 1, "cofog", long["code"].map(division).astype("string"))
    long = _typed(long, value)
    if money:
        long = _execution(long, keys, value)
    if wide:
        return _wide(long, keys, value)
    return long


def _collapse(df: pd.DataFrame, keys: list[str], value: str, first_cols: list[str],
              text_cols: list[str]) -> pd.DataFrame:
    """One row per key: the value where the statements agree, the literals where they do not."""
    gid = df.groupby(keys, dropna=False, sort=True).ngroup()
    head = ~gid.duplicated()
    long = df.loc[head, keys + first_cols].set_axis(gid[head].to_numpy())
    by = df[value].groupby(gid)
    long["statements"] = by.count()
    distinct = by.nunique()
    differ = distinct > 1
    long["conflict"] = differ
    agreed = by.first().where(distinct == 1)
    primary = df["primary"].fillna(False).astype(bool) if "primary" in df.columns else None
    if primary is not None:
        # the statement a report marks primary (its table row, see extract.mark_primary) is its value;
        # the primaries of two reports of one unit and year (a text and a tables PDF) must agree
        prim = df[value].where(primary).groupby(gid)
        chosen = prim.first().where(prim.nunique() == 1)
        agreed = chosen.where(prim.count() > 0, agreed)
    long[value] = agreed
    long["values"] = None
    if differ.any():
        # statements that differ: every value is listed; they conflict unless each coarser one is a finer
        # one rounded or cut to its printed places (only known where the literals are: _unit)
        sub = df.loc[gid.map(differ).to_numpy()]
        sub_gid = gid[sub.index]
        long.loc[differ, "values"] = sub[value].groupby(sub_gid).agg(
            lambda v: "|".join(_literal(x) for x in sorted(v.dropna().unique())))
        if "_unit" in sub.columns:
            for g, rows in sub.groupby(sub_gid):
                vals = [(v, u, bool(p)) for v, u, p in zip(rows[value], rows["_unit"],
                        rows["primary"].fillna(False) if primary is not None else [False] * len(rows))
                        if pd.notna(v)]
                if not _consistent([(v, u) for v, u, _ in vals]):
                    continue
                long.loc[g, "conflict"] = False
                if pd.isna(long.loc[g, value]):
                    # no primary settled it: the finest statement (the primaries' if they differ only so)
                    pool = [x for x in vals if x[2]] or vals
                    long.loc[g, value] = min(pool, key=lambda x: x[1])[0]
    for col in text_cols:
        pairs = pd.DataFrame({"gid": gid.to_numpy(), "v": df[col].astype(object).to_numpy()}).dropna().drop_duplicates()
        several = pairs["gid"].duplicated(keep=False)
        # most keys have one literal: taken as is; only the others are joined group by group
        one = pairs.loc[~several].set_index("gid")["v"]
        many = pairs.loc[several].groupby("gid")["v"].agg(lambda v: "|".join(map(str, v))) if several.any() else one.iloc[:0]
        long[col] = pd.concat([one, many])
    return long.sort_index().reset_index(drop=True)


_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def _printed_unit(literals: pd.Series, values: pd.Series) -> pd.Series:
    """One unit in the last printed place of each statement, in the value's unit (万元); NaN if unknown.

    The literal's unit is found from the value itself (value / printed number): a table printed in 元
    carries no unit in its literal ("16,231,840.80" is 1623.18408 万元, unit 1e-6 万元), a narrative does
    ("1,623.18万元", unit 0.01 万元).
    """
    out = []
    for lit, v in zip(literals, values):
        m = _NUMBER.search(lit) if isinstance(lit, str) else None
        if m is None or pd.isna(v):
            out.append(float("nan"))
            continue
        number = float(m.group().replace(",", ""))
        places = len(m.group().partition(".")[2])
        if number == 0:
            factor = 1.0 if v == 0 else float("nan")
        else:
            factor = abs(float(v)) / number
            # the factor is a power of ten (元 1e-4, 万元 1, 亿元 1e4); anything else is no literal of v
            exp = round(math.log10(factor))
            factor = 10.0 ** exp if abs(math.log10(factor) - exp) < 1e-6 else float("nan")
        out.append(factor * 10.0 ** -places)
    return pd.Series(out, index=literals.index, dtype="float64")


def _consistent(statements: list[tuple[float, float]]) -> bool:
    """Whether (value, unit in the last place) statements can all be printings of one figure.

    A coarser statement must be a finer one rounded (half a unit either way) or cut (truncated toward zero)
    to its own places; at the same precision they must be equal. An unknown unit is never consistent with
    a different value.
    """
    for i, (a, ua) in enumerate(statements):
        for b, ub in statements[i + 1:]:
            if a == b:
                continue
            if math.isnan(ua) or math.isnan(ub):
                return False
            (c, uc), (f, _) = ((a, ua), (b, ub)) if ua >= ub else ((b, ub), (a, ua))
            eps = 1e-9 * max(1.0, abs(f))
            rounded = abs(c - f) <= uc / 2 + eps
            cut = (c == 0 or (c > 0) == (f > 0)) and abs(c) <= abs(f) + eps and abs(f) - abs(c) < uc - eps
            if not (rounded or cut):
                return False
    return True


def _typed(long: pd.DataFrame, value: str) -> pd.DataFrame:
    for c in long.columns:
        if c == "fiscal_year":
            long[c] = long[c].astype("Int16")
        elif c == "statements":
            long[c] = long[c].astype("int64")
        elif c == "conflict":
            long[c] = long[c].astype(bool)
        elif c == value:
            long[c] = long[c].astype("float64")
        else:
            long[c] = long[c].astype("string")
    return long


def _execution(long: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    """approved_wan and execution_pct on 决算 rows that have a 预算 row of the same unit, year and subject."""
    long["approved_wan"] = float("nan")
    long["execution_pct"] = float("nan")
    budget = long[(long["document_kind"] == "预算").fillna(False)]
    if budget.empty:
        return long
    on = [k for k in keys if k != "document_kind"]
    approved = budget[on + [value]].rename(columns={value: "_approved"})
    final = (long["document_kind"] == "决算").fillna(False)
    merged = long.loc[final, on].reset_index().merge(approved, on=on, how="left").set_index("index")
    long.loc[merged.index, "approved_wan"] = merged["_approved"]
    a = long["approved_wan"]
    ok = final & a.notna() & (a != 0) & long[value].notna()
    long.loc[ok, "execution_pct"] = 100.0 * long.loc[ok, value] / a[ok]
    return long


def _wide(long: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    index = [k for k in keys if k != "fiscal_year"] + ["subject"] + (["cofog"] if "cofog" in long.columns else [])
    # unstack keeps null keys (fund is null for the lines of a 收支总表), pivot_table would drop them
    w = long.set_index(index + ["fiscal_year"])[value].unstack("fiscal_year")
    w.columns = [int(c) if pd.notna(c) else None for c in w.columns]
    return w.reset_index()
