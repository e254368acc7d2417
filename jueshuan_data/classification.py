"""Catalogue of classification codes: 支出功能分类 (类/款/项) and 部门预算支出经济分类 (类/款).

Researchers join reports across units and years by code, not by name, because names drift
(医疗卫生与计划生育支出 → 卫生健康支出 in 2019) and reports abbreviate them (抚恤支出 for 抚恤). This
module ships the code list as package data and resolves printed names to codes.

>>> import jueshuan_data as jd
>>> jd.lookup("抚恤支出", year=2023)
Match(20808 款 抚恤, parent 208, official, how=alias: '抚恤支出' is a spelling seen in reports)
>>> jd.lookup("医疗卫生与计划生育支出", year=2017).code
'210'
>>> m = jd.lookup("行政运行")               # a 项 name under dozens of 款: ambiguous without parent
>>> bool(m), m.code, len(m.candidates) > 5, m.candidates[0].code
(False, None, True, '2010101')
>>> jd.lookup("行政运行", parent_code="20106").code
'2010601'

The catalogue (``catalogue()``) has one row per code and name era:

=============  ==================================================================================
column         meaning
=============  ==================================================================================
kind           ``function`` (支出功能分类) or ``economic`` (部门预算支出经济分类)
code           3 (类), 5 (款) or 7 (项) digits
level          类 / 款 / 项
name           official name in the era ``first_year``–``last_year``
parent_code    the code without its last two digits (null for 类); always a catalogue code
aliases        other spellings seen in reports, joined by ``|`` (null if none)
alias_source   where each alias was seen, ``alias@where`` joined by ``|``
first_year     first fiscal year the name is valid (nullable Int16; null = not known / open)
last_year      last fiscal year the name is valid (nullable Int16; null = still valid / not known)
status         ``official``: the code–name pair is printed in a source we hold;
               ``unverified``: it is not (recalled from the MOF 政府收支分类科目, source ``knowledge``)
source         ``;``-joined ``pdf:<file name>``, ``text:<file name>`` (better text layer of one of
               those PDFs) and ``reference:<csv>(<example>)`` entries, or ``knowledge``;
               never null, never ``knowledge`` for an official row
n_docs         number of real documents (PDFs, dev texts) printing the exact pair
seen_years     fiscal years of those documents, joined by ``|``
note           free text (renames, caveats)
=============  ==================================================================================

The data is built by ``tools/build_catalogue.py`` from ``../shared/corpus`` and ``../shared/reference``.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:   # the catalogue's frame (``catalogue()``) needs pandas; parsing reads its rows without it
    import pandas as pd


__all__ = ["CatalogueSchema", "Match", "catalogue", "lookup", "resolve_function", "resolve_economic",
           "normalise", "validate_catalogue", "fill_codes"]

KINDS = ("function", "economic")
LEVELS = ("类", "款", "项")
STATUSES = ("official", "unverified")
_FILES = {"function": "function_codes.csv", "economic": "economic_codes.csv"}
_LEVEL_LEN = {"类": 3, "款": 5, "项": 7}
_STR_COLS = ["kind", "code", "level", "name", "parent_code", "aliases", "alias_source", "status", "source",
             "seen_years", "note"]
_INT_COLS = ("first_year", "last_year", "n_docs")


# --- schema ------------------------------------------------------------------------------------
# CatalogueSchema (pandera) is made on first use: loading the catalogue checks it with the checks compiled from
# the model (jueshuan_data.contract), without importing pandera; the frame-wide checks are the functions below,
# which the model's checks call.


def _level_matches_code(df):
    want = df["level"].map(_LEVEL_LEN)
    return (df["code"].str.len() == want) & ~((df["kind"] == "economic") & (df["level"] == "项"))


def _parent_is_prefix(df):
    expect = df["code"].where(df["level"] != "类").str[:-2]
    same = (df["parent_code"] == expect).fillna(False)
    both_null = df["parent_code"].isna() & expect.isna()
    return same | both_null


def _parent_exists(df):
    import pandas as pd

    keys = set(zip(df["kind"], df["code"]))
    return pd.Series([pd.isna(p) or (k, p) in keys
                      for k, p in zip(df["kind"], df["parent_code"])], index=df.index)


def _official_has_source(df):
    ok = df["source"].fillna("").str.contains(r"(?:^|;)(?:pdf|text|reference):", regex=True)
    return (df["status"] != "official") | ok


def _years_ordered(df):
    return (df["first_year"] <= df["last_year"]).fillna(True)


def _eras_disjoint(df):
    # grouped in plain Python: a pandas groupby over ~300 codes costs ~30 ms of every cold start
    import pandas as pd

    groups: dict = {}
    for k, c, f, t, i in zip(df["kind"], df["code"], df["first_year"], df["last_year"], df.index):
        if pd.isna(k) or pd.isna(c):
            continue    # groupby leaves rows with a null key out
        groups.setdefault((k, c), []).append((int(f) if pd.notna(f) else -1, int(t) if pd.notna(t) else 9999, i))
    bad = set()
    for spans in groups.values():
        if len(spans) < 2:
            continue
        spans.sort()
        for (f1, t1, i1), (f2, t2, i2) in zip(spans, spans[1:]):
            if f2 <= t1:
                bad.update((i1, i2))
    return pd.Series([i not in bad for i in df.index], index=df.index)


FRAME_CHECKS = {"level_matches_code": _level_matches_code, "parent_is_prefix": _parent_is_prefix,
                "parent_exists": _parent_exists, "official_has_source": _official_has_source,
                "years_ordered": _years_ordered, "eras_disjoint": _eras_disjoint}


@functools.lru_cache(maxsize=1)
def _catalogue_schema():
    from .catalogue_model import CatalogueSchema
    from .schemas import build_schemas

    build_schemas(CatalogueSchema)    # without pandera importing dask (see there)
    return CatalogueSchema


def __getattr__(name: str):
    if name == "CatalogueSchema":
        return _catalogue_schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def validate_catalogue(df: "pd.DataFrame") -> "pd.DataFrame":
    """Validate (and coerce) a catalogue frame; raises ``pandera.errors.SchemaError`` on a bad one."""
    from .contract import CATALOGUE, validate_frame

    # checks compiled from the model: pandera (and its backends, and the hypothesis they import) is loaded
    # only for a catalogue they cannot pass, to word the error
    return validate_frame(CATALOGUE, df, _catalogue_schema)


# --- loading -----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _frame() -> "pd.DataFrame":
    return validate_catalogue(_read())


def _read() -> "pd.DataFrame":
    """The shipped catalogue files as one frame, before validation."""
    import pandas as pd

    parts = []
    for kind in KINDS:
        with resources.files(__package__).joinpath("data", _FILES[kind]).open("r", encoding="utf-8") as fh:
            parts.append(pd.read_csv(fh, dtype=str, keep_default_na=False))
    df = pd.concat(parts, ignore_index=True)
    for c in _STR_COLS:
        df[c] = df[c].replace("", pd.NA).astype("string")
    for c in _INT_COLS:
        df[c] = pd.to_numeric(df[c].replace("", pd.NA)).astype("Int16")
    return df


def catalogue(kind: Optional[str] = None) -> "pd.DataFrame":
    """The catalogue as a DataFrame (a copy). ``kind``: None (both), 'function' or 'economic'.

    ``aliases`` is a string joined by ``|`` (null when none); split with ``.str.split('|')``.
    """
    df = _frame()
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        df = df[df["kind"] == kind]
    df = df.reset_index(drop=True).copy()
    for c in ("source", "alias_source"):
        df[c] = df[c].map(_public_source, na_action="ignore").astype("string")
    return df


_INTERNAL_PATH = re.compile(r"(?<=[:(@])[^;:()|@]*/")


def _public_source(s: str) -> str:
    """A source without the folders of the collection it was built from (which no user has): the
    document's file name stays (``pdf:2017年度部门预算公开表.pdf``, ``text:putuo_caizhengju_2024.txt``).

    >>> _public_source("pdf:ae86jack__open-budget/2017年度部门预算公开表.pdf;text:corpus/dev/putuo_caizhengju_2024.txt")
    'pdf:2017年度部门预算公开表.pdf;text:putuo_caizhengju_2024.txt'
    """
    return _INTERNAL_PATH.sub("", s)


# --- normalisation -----------------------------------------------------------------------------

_ENUM = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．])\s*")
_TAG = re.compile(r"[（(]\s*\d*\s*[类款项]\s*[)）]$")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』《》 \t\u3000")


def _clean(name: str) -> str:
    """Whitespace, quotes and a leading enumeration removed; as printed otherwise."""
    s = unicodedata.normalize("NFC", str(name)).translate(_QUOTES)
    s = _ENUM.sub("", s)
    while _TAG.search(s):
        s = _TAG.sub("", s)
    return s.strip()


def normalise(name: str) -> str:
    """Key used for the last, careful match stage.

    Full/half width unified (NFKC: （） → ()), whitespace, quotes, a leading enumeration (``1.``, ``一、``,
    ``（二）``) and trailing ``（类）``/``（210类）`` tags removed, brackets unified, and one trailing ``支出``
    dropped (reports write 抚恤支出 for the 款 抚恤, the official 社会保障和就业支出 keeps it). 其它 is read as
    其他, the only spelling of the catalogue (the 2025 预算 of 上海市普陀区财政局 prints 其它行政事业单位养老支出
    for 2080599 其他行政事业单位养老支出).

    >>> normalise("抚恤支出"), normalise("政府办公厅(室)及相关机构事务"), normalise("其它行政事业单位养老支出")
    ('抚恤', '政府办公厅(室)及相关机构事务', '其他行政事业单位养老')
    """
    s = unicodedata.normalize("NFKC", _clean(name))
    s = re.sub(r"\s+", "", s).replace("［", "(").replace("］", ")").replace("[", "(").replace("]", ")")
    s = s.replace("其它", "其他")
    if s.endswith("支出") and len(s) > 3:
        s = s[:-2]
    return s


# --- lookup ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    """A printed name resolved to a catalogue code.

    ``name`` is the official name valid in the year asked (the printed name is the caller's).
    ``how``: exact | alias | normalised | renamed (the printed name belongs to another era of the code).
    """

    code: str
    level: str
    name: str
    parent_code: Optional[str]
    status: str
    how: str
    note: str = ""
    kind: str = "function"

    def __repr__(self) -> str:
        parent = f", parent {self.parent_code}" if self.parent_code else ""
        note = f": {self.note}" if self.note else ""
        return f"Match({self.code} {self.level} {self.name}{parent}, {self.status}, how={self.how}{note})"


def _valid(first, last, year) -> bool:
    """Is an era ``first``–``last`` (None = open) valid in ``year`` (None = any year)?"""
    if year is None:
        return True
    return (first is None or first <= year) and (last is None or year <= last)


@dataclass(frozen=True)
class _Row:
    code: str
    level: str
    name: str
    parent_code: Optional[str]
    status: str
    first: Optional[int]
    last: Optional[int]


def _missing(v) -> bool:
    """None, NaN, or pandas' NA/NaT (pandas is not imported to ask: a value can only be its NA if it is loaded)."""
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    pd = sys.modules.get("pandas")
    if pd is None:
        return False
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


@functools.lru_cache(maxsize=1)
def catalogue_rows() -> tuple[dict, ...]:
    """The shipped catalogue's rows as plain dicts, read without pandas (what ``parse`` looks names up in): the
    values of :func:`catalogue`'s frame, empty cells as None and the years as int (``source`` as stored).
    ``tests/test_catalogue.py`` holds them to the validated frame."""
    import csv

    out = []
    for kind in KINDS:
        with resources.files(__package__).joinpath("data", _FILES[kind]).open("r", encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                row = {c: (v if v != "" else None) for c, v in rec.items()}
                for c in _INT_COLS:
                    row[c] = int(row[c]) if row[c] is not None else None
                out.append(row)
    return tuple(out)


@functools.lru_cache(maxsize=2)
def _index(kind: str):
    """Plain rows of ``kind`` and, built once, dicts from each stage's key (and from code) to rows."""
    recs = [r for r in catalogue_rows() if r["kind"] == kind]
    rows = [_Row(r["code"], r["level"], r["name"], r["parent_code"], r["status"], r["first_year"], r["last_year"])
            for r in recs]
    exact, alias, norm, by_code = {}, {}, {}, {}
    for i, (row, aliases) in enumerate(zip(rows, (r["aliases"] for r in recs))):
        exact.setdefault(row.name, []).append(i)
        norm.setdefault(normalise(row.name), []).append(i)
        by_code.setdefault(row.code, []).append(row)
        if isinstance(aliases, str):
            for a in aliases.split("|"):
                alias.setdefault(a, []).append(i)
                norm.setdefault(normalise(a), []).append(i)
    return rows, exact, alias, norm, by_code


def code_name(code: str, kind: str = "function") -> Optional[str]:
    """The name of a code in the catalogue's last row for it (its latest era), None for a code it lacks.

    >>> code_name("2010301")
    '行政运行'
    """
    eras = _index(kind)[4].get(code)
    return eras[-1].name if eras else None


def _era(eras: list, year: Optional[int]) -> _Row:
    """The era of a code valid in ``year``, else its latest era."""
    if year is not None:
        for r in eras:
            if _valid(r.first, r.last, year):
                return r
    return max(eras, key=lambda r: -1 if r.first is None else r.first)


@functools.lru_cache(maxsize=8192)
@dataclass(frozen=True)
class Ambiguous:
    """A printed name that fits several codes (项 行政运行 under every 款): ``candidates`` lists them; give
    ``parent_code`` or ``level`` to single one out. False in a boolean test, and ``code`` is None."""

    name: str
    candidates: tuple
    kind: str = "function"
    code = None

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        codes = ", ".join(m.code for m in self.candidates[:6]) + (" …" if len(self.candidates) > 6 else "")
        return (f"Ambiguous({self.name!r} fits {len(self.candidates)} codes: {codes}; "
                f"give parent_code= or level=)")


def lookup(name: str, year: Optional[int] = None, kind: str = "function", level: Optional[str] = None,
           parent_code: Optional[str] = None) -> "Optional[Match | Ambiguous]":
    """Resolve a printed subject name to a catalogue code: a :class:`Match`, an :class:`Ambiguous` (the
    name fits several codes: its ``candidates``), or None (not in the catalogue).

    See :func:`_lookup` for the stages.
    """
    try:
        return _lookup_cached(name, year, kind, level, parent_code)
    except TypeError:       # an unhashable argument: asked without the cache (a name that is no text gives None)
        return _lookup_or_ambiguous(name, year, kind, level, parent_code)


@functools.lru_cache(maxsize=8192)
def _lookup_cached(name, year, kind, level, parent_code):
    # the answer is frozen (Match, Ambiguous) and the shipped catalogue is read once: extractors ask the same
    # names many times a report
    return _lookup_or_ambiguous(name, year, kind, level, parent_code)


def _lookup_or_ambiguous(name, year, kind, level, parent_code):
    found: list = []
    m = _lookup(name, year, kind, level, parent_code, found)
    if m is None and found:
        rows = sorted({r.code: r for r in found}.values(), key=lambda r: r.code)
        return Ambiguous(name=_clean(name), kind=kind, candidates=tuple(
            Match(code=r.code, level=r.level, name=r.name, parent_code=r.parent_code, status=r.status,
                  how="ambiguous", kind=kind) for r in rows))
    return m


def _lookup(name: str, year: Optional[int] = None, kind: str = "function", level: Optional[str] = None,
            parent_code: Optional[str] = None, ambiguous: list | None = None) -> Optional[Match]:
    """Resolve a printed subject name to a catalogue code, or None (``ambiguous`` gets the rows of a name
    that fits several codes).

    Stages, first hit wins: exact official name, alias seen in reports, normalised key (see
    :func:`normalise`). ``year`` (the report's fiscal year) picks the name era: a name valid in another
    era still resolves, with ``how='renamed'`` and the name valid in ``year``. ``level``/``parent_code``
    narrow the candidates. A name that fits several codes (项 行政运行 under every 款) gives None unless
    the candidates are one chain of parent and child of the same name (其他支出 类 229 / 款 22999), where
    the highest level wins, or ``parent_code`` singles one out.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if not isinstance(name, str) or not name.strip():
        return None
    year = None if _missing(year) else int(year)
    rows, exact, alias, norm, by_code = _index(kind)
    printed = _clean(name)
    for how, table, key in (("exact", exact, printed), ("alias", alias, printed), ("normalised", norm, normalise(name))):
        hits = [rows[i] for i in sorted(set(table.get(key, ())))]
        if level is not None:
            hits = [r for r in hits if r.level == level]
        if parent_code is not None:
            hits = [r for r in hits if r.parent_code == str(parent_code)]
        if not hits:
            continue
        codes = sorted({r.code for r in hits}, key=len)
        if len(codes) > 1:
            # prefer codes whose matching era is valid in the year
            in_year = sorted({r.code for r in hits if _valid(r.first, r.last, year)}, key=len)
            if in_year and len(in_year) < len(codes):
                codes = in_year
        if len(codes) > 1 and not all(codes[-1].startswith(c) for c in codes):
            if ambiguous is not None:
                ambiguous.extend(r for r in hits if r.code in codes)
            return None  # ambiguous: needs level / parent_code
        code = codes[0]
        mine = [r for r in hits if r.code == code]
        era = _era(by_code[code], year)
        note = ""
        if not any(_valid(r.first, r.last, year) for r in mine):
            f, t = mine[0].first, mine[0].last
            span = f"until {t}" if f is None else f"from {f}" if t is None else f"{f}–{t}"
            note = f"{printed!r} is the name of {code} {span}; in {year} it is {era.name!r}"
            how = "renamed"
        elif how == "alias":
            note = f"{printed!r} is a spelling seen in reports"
        elif how == "normalised":
            note = f"{printed!r} ~ {era.name!r} after normalisation"
        if len(codes) > 1:
            note = (note + "; " if note else "") + f"same name also at {', '.join(codes[1:])}"
        return Match(code=code, level=era.level, name=era.name, parent_code=era.parent_code,
                     status=era.status, how=how, note=note, kind=kind)
    return None


@functools.lru_cache(maxsize=8192)
def resolve_function(printed_name: str, year: Optional[int] = None, level: Optional[str] = None,
                     parent_code: Optional[str] = None) -> Optional[Match]:
    """lookup() for the functional classification; cached (a Match is frozen and the shipped catalogue is read
    once), for extractors: a report asks the same names many times."""
    return _lookup(printed_name, year, "function", level, parent_code)


@functools.lru_cache(maxsize=4096)
def resolve_economic(printed_name: str, year: Optional[int] = None, level: Optional[str] = None,
                     parent_code: Optional[str] = None) -> Optional[Match]:
    """lookup() for the economic classification of 部门预算支出; cached as :func:`resolve_function`."""
    return _lookup(printed_name, year, "economic", level, parent_code)


# --- helper for extractors ---------------------------------------------------------------------

def fill_codes(frame: "pd.DataFrame", fiscal_year: Optional[int], kind: str = "function",
               dataset: Optional[str] = None):
    """Fill ``code`` (and ``parent_code``/``subject`` when present) of an extracted frame by name.

    For ``kind='function'`` the printed name is read from ``printed_name`` (else ``subject``) and the
    level from ``level``; the parent of a 款/项 is the resolved code of the nearest preceding row one
    level up in the same ``fund`` (rows in report order). A row with such a parent gets a code under
    that parent or none (a same-named code elsewhere would be a wrong code); a row without one is
    matched by name and level alone.
    For ``kind='economic'`` the name is ``item``. The printed name is never changed.

    Returns ``(frame, issues)``: issues is a list of dicts (rule ``unknown_subject``, severity
    ``warning``) for names that match nothing; their code stays null.
    """
    import pandas as pd

    out = frame.copy()
    dataset = dataset or ("expenditure_by_function" if kind == "function" else "basic_expenditure_by_economic")
    name_col = "printed_name" if "printed_name" in out.columns else ("subject" if "subject" in out.columns else "item")
    codes, parents, subjects, issues = [], [], [], []
    last = {}  # (fund, level) -> code
    for _, r in out.iterrows():
        name = r.get(name_col)
        level = r.get("level") if "level" in out.columns else None
        level = level if isinstance(level, str) and level in LEVELS else None
        fund = r.get("fund") if "fund" in out.columns else None
        parent = None
        if level in ("款", "项"):
            parent = last.get((fund, "类" if level == "款" else "款"))
        m = None
        if isinstance(name, str) and name.strip():
            m = _lookup(name, fiscal_year, kind, level, parent)
        if m is None:
            codes.append(pd.NA)
            parents.append(parent if parent is not None else pd.NA)
            subjects.append(pd.NA)
            where = f" under {parent}" if parent is not None else ""
            issues.append(dict(rule="unknown_subject", severity="warning", dataset=dataset,
                               message=f"{kind} subject {name!r} ({level or 'level unknown'}) is not in the "
                                       f"catalogue{where}",
                               expected=None, actual=name, evidence=r.get("evidence")))
            continue
        codes.append(m.code)
        parents.append(m.parent_code if m.parent_code else pd.NA)
        subjects.append(m.name)
        if level:
            last[(fund, level)] = m.code
            if level == "类":
                last.pop((fund, "款"), None)
    out["code"] = pd.array(codes, dtype="string")
    if "parent_code" in out.columns or kind == "function":
        out["parent_code"] = pd.array(parents, dtype="string")
    if "subject" in out.columns and name_col != "subject":
        out["subject"] = out["subject"].where(pd.Series(subjects, index=out.index).isna(),
                                              pd.Series(subjects, index=out.index))
    return out, issues

