"""The pandera models as data, and the per-report fast path that reads them (issue 14).

The models of :mod:`jueshuan_data.schemas` (and the catalogue's, :mod:`jueshuan_data.classification`) are the
contract. Importing pandera and building them costs ~0.2 s of a cold start, and ``conform`` + pandera cost
~200 ms a report in pandas bookkeeping (an astype per column, pandera deep-copying every column schema per
call). So what the models say is also kept as data, ``data/schema_plan.json``: each model's columns with
their dtype, nullability and built-in checks (name and statistics), its frame-wide checks by name, its
unique columns. ``python -m jueshuan_data.schemas`` writes it from the models; it is used only when it was
written from the same models with the same pandas and pandera (its ``key``: their versions and the sha256
of the model sources), else the plan is read from the models themselves (pandera is imported then).

From the plan:

* :func:`build` makes ``conform(dataset, rows)`` column by column: each value cast in Python the way
  ``conform``'s astype does, each column built once with its final dtype, and the same values kept as
  records for the rules;
* :func:`passes` answers "would the model accept this frame?" from those values (a check compiled from the
  built-in check's name and statistics; a frame-wide check is the very function the model calls, see
  ``FRAME_CHECKS``); :func:`validate_frame` the same for any frame, with the pandas operation each
  built-in check runs.

Either steps aside for the reference path whenever it cannot be sure to give the same answer: a value of an
unexpected type (``conform``), a check it does not know, any failure at all (pandera then words the findings
as before). ``tests/test_parse_equivalence.py`` holds the two paths together on every corpus report and on
deliberately broken frames; ``tests/test_schemas.py`` keeps the plan in step with the models.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import struct
from importlib import resources
from itertools import repeat
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:   # pandas is imported where a frame is made: parsing makes none (frames.Tables)
    import pandas as pd

    from .frames import LazyFrame

__all__ = ["Built", "build", "passes", "coerced", "validate_frame", "plan", "generate", "write", "datasets",
           "row_keys", "document_kinds", "columns", "frame_checks", "span_is_forward"]

PLAN_FILE = "schema_plan.json"
CATALOGUE = "catalogue"


# ------------------------------------------------------------------------------------- frame-wide checks

def span_is_forward(df: pd.DataFrame) -> pd.Series:
    """A figure's span runs forwards (``char_end >= char_start``): the check of every dataset with spans."""
    return df["char_end"] >= df["char_start"]


def frame_checks() -> dict:
    """Frame-wide checks by name: the functions the models' ``@pa.dataframe_check`` methods call (a model's
    frame-wide check not named here sends its frames to pandera)."""
    from . import classification

    return {"span_is_forward": span_is_forward, **classification.FRAME_CHECKS}


# -------------------------------------------------------------------------------------------- the plan

def _source_hash(module: str) -> str:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(module)
    return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()[:16]


def _key() -> dict:
    from importlib.metadata import version

    # the installed versions, read without importing them (parsing imports neither)
    return {"pandas": version("pandas"), "pandera": version("pandera"),
            "schemas": _source_hash("jueshuan_data.schemas"),
            "classification": _source_hash("jueshuan_data.classification"),
            "catalogue_model": _source_hash("jueshuan_data.catalogue_model")}


def _model_plan(model) -> dict:
    schema = model.to_schema()
    checks = frame_checks()
    cols = []
    for name, col in schema.columns.items():
        dtype = col.dtype.type
        cols.append({"name": name, "dtype": str(dtype), "nullable": bool(col.nullable),
                     "checks": [[ch.name, _plain(ch.statistics), bool(ch.ignore_na), bool(ch.raise_warning),
                                 bool(ch.element_wise)] for ch in col.checks],
                     "plain": bool(not col.unique and not col.regex and col.required
                                   and not getattr(col, "parsers", None))})
    frame = [ch.name for ch in schema.checks]
    plain = (schema.index is None and schema.strict is True and not getattr(schema, "add_missing_columns", False)
             and not getattr(schema, "drop_invalid_rows", False) and not getattr(schema, "parsers", None)
             and all(n in checks and not ch.raise_warning and not ch.element_wise
                     for n, ch in zip(frame, schema.checks)))
    return {"columns": cols, "frame_checks": frame, "unique": list(schema.unique) if schema.unique else None,
            "coerce": bool(schema.coerce), "plain": plain}


def _plain(statistics: dict | None) -> dict:
    out = {}
    for k, v in (statistics or {}).items():
        out[k] = sorted(v) if isinstance(v, (set, frozenset)) else (list(v) if isinstance(v, tuple) else v)
    return out


def generate() -> dict:
    """The plan, read from the models (imports pandera)."""
    from . import classification, schemas

    models = {name: _model_plan(m) for name, m in schemas.MODELS.items()}
    models[CATALOGUE] = _model_plan(classification.CatalogueSchema)
    return {"key": _key(), "datasets": list(schemas.MODELS), "row_keys": schemas.ROW_KEYS,
            "document_kinds": schemas.DOCUMENT_KINDS, "models": models}


@functools.lru_cache(maxsize=1)
def plan() -> dict:
    """The shipped plan when it was written from these models with these versions, else one read from them."""
    try:
        shipped = json.loads(resources.files(__package__).joinpath("data", PLAN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shipped = None
    if shipped is not None and shipped.get("key") == _key():
        return shipped
    return generate()


def write(path=None) -> str:
    """Write the plan read from the models (``python -m jueshuan_data.schemas`` does)."""
    from pathlib import Path

    path = Path(path) if path else Path(__file__).resolve().parent / "data" / PLAN_FILE
    path.write_text(json.dumps(generate(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return str(path)


def datasets() -> list[str]:
    return plan()["datasets"]


def row_keys() -> dict[str, list[str]]:
    return plan()["row_keys"]


def document_kinds() -> list[str]:
    return plan()["document_kinds"]


def __getattr__(name: str):
    # DATASETS, ROW_KEYS, DOCUMENT_KINDS as module constants, read from the plan when first asked for
    if name == "DATASETS":
        return datasets()
    if name == "ROW_KEYS":
        return row_keys()
    if name == "DOCUMENT_KINDS":
        return document_kinds()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def columns(dataset: str) -> list[str]:
    """The dataset's columns in ``schemas.COLUMNS`` order: the report keys first, then the model's."""
    return _columns(dataset)


@functools.lru_cache(maxsize=None)
def _columns(dataset: str) -> list[str]:
    names = [c["name"] for c in plan()["models"][dataset]["columns"]]
    keys = ["report_id", "entity", "fiscal_year", "source"]
    return keys + [c for c in names if c not in keys]


@functools.lru_cache(maxsize=None)
def _dtype(name: str):
    from pandas.api.types import pandas_dtype

    return pandas_dtype(name)


# ------------------------------------------------------------------------------------------ building

class Built:
    """A dataset's frame and the same values as plain Python records (NA as None), in frame order:
    what ``frame.to_dict("records")`` gives with NA mapped to None, without a pass over the frame."""

    __slots__ = ("dataset", "_frame", "_make", "_records", "columns", "_retyped", "n", "_released")

    def __init__(self, dataset: str, frame: pd.DataFrame | None, records: list[dict] | None,
                 columns: dict[str, list] | None, retyped: list[tuple[str, str]] | None = None,
                 make: Callable[[], tuple[pd.DataFrame, list[tuple[str, str]]]] | None = None, n: int | None = None):
        self.dataset = dataset
        # the frame, or ``make`` to build it on first use (-> the frame and its retyped columns): the checks and
        # the rules read ``records`` and ``columns``, and a caller may never read the frame (frames.Tables)
        self._frame = frame
        self._make = make
        # None with ``columns``: made from them when first read (the checks read the columns; the rules read
        # the records of a few datasets only, and the largest, facts, by column)
        self._records = records
        self.n = len(records) if records is not None else n   # rows (records may be released: n stays)
        self._released = False
        self.columns = columns      # column -> values as records hold them; None when built by ``conform``
        # (column, model dtype) of the columns built with another dtype than the model's; None: not known
        self._retyped = retyped

    @property
    def records(self) -> list[dict] | None:
        """The rows as dicts (NA as None), in frame order; None once released."""
        if self._records is None and not self._released and self.columns is not None:
            cols = self.columns
            self._records = [dict(zip(cols, vals)) for vals in zip(*cols.values())] if self.n else []
        return self._records

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame, retyped = self._make()
            if self._retyped is None:
                self._retyped = retyped
            self._make = None
        return self._frame

    @property
    def retyped(self) -> list[tuple[str, str]] | None:
        if self._retyped is None and self._make is not None:
            self.frame  # noqa: B018 - making the frame tells its dtypes
        return self._retyped

    def lazy(self) -> "LazyFrame":
        """The frame, made when first read (:class:`~jueshuan_data.frames.LazyFrame`)."""
        from .frames import LazyFrame

        return LazyFrame(lambda: self.frame, self.n, self)

    def release_records(self) -> None:
        """Drop the records (the checks and the rules have read them): a report kept unread keeps its columns,
        from which its frames are made, not a dict per row as well."""
        self._records = None
        self._released = True


def has_dates(dataset: str) -> bool:
    """The dataset has a date column (its built columns hold datetimes, its frame the text's Timestamps)."""
    return any(name.startswith("datetime64") for _, name, _, _ in _column_plan(dataset))


def concatenated_frame(builts: list[Built]) -> pd.DataFrame | None:
    """The frame of the rows of ``builts`` (of one dataset) one after another, made once: what ``pd.concat`` of
    their frames gives (``ignore_index=True``). None when one of them was not built column by column, or the
    dataset has a date column (``has_dates``: its columns are not what its frame is made of): concatenate their
    frames then.
    A batch makes one frame per dataset and chunk of reports this way instead of one per report."""
    if not builts or any(b.columns is None for b in builts):
        return None
    dataset = builts[0].dataset
    if any(b.dataset != dataset for b in builts) or has_dates(dataset):
        return None
    plan_ = _column_plan(dataset)
    arrays = [_array(name, dtype, [v for b in builts for v in b.columns[c]]) for c, name, dtype, _ in plan_]
    return _frame(arrays, [c for c, _, _, _ in plan_], sum(b.n for b in builts))


class _Inexact(Exception):
    """A value the fast cast does not reproduce exactly: the dataset goes through ``conform``."""


_INT_RANGE = {"Int16": (-2 ** 15, 2 ** 15 - 1), "Int32": (-2 ** 31, 2 ** 31 - 1), "Int64": (-2 ** 63, 2 ** 63 - 1)}


def _cast_str(v):
    if v is None:
        return None
    if type(v) is str:
        return v
    if type(v) is float and v != v:
        return None
    raise _Inexact


def _cast_float(v):
    t = type(v)
    if v is None:
        return None
    if t is float:
        return None if v != v else v
    if t is int:
        return float(v)
    raise _Inexact


def _int_caster(lo: int, hi: int):
    def cast(v):
        if v is None:
            return None
        if type(v) is int and lo <= v <= hi:
            return v
        raise _Inexact
    return cast


_FLOAT32 = struct.Struct("f")


def _cast_float32(v):
    t = type(v)
    if v is None:
        return None
    if t is float or t is int:
        if v != v:
            return None
        # the float32 nearest the value (C's cast, as numpy's float32 rounds), without importing numpy
        try:
            f = _FLOAT32.unpack(_FLOAT32.pack(v))[0]
        except OverflowError:
            raise _Inexact from None
        if f in (float("inf"), float("-inf")) and v not in (float("inf"), float("-inf")):
            raise _Inexact      # overflow: let pandas say what it does
        return f
    raise _Inexact


def _cast_bool(v):
    if v is None or type(v) is bool:
        return v
    raise _Inexact


_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)


def _cast_date_text(v):
    # the only form extraction writes (assets.as_of): 'YYYY-MM-DD'; the column itself is built by pandas
    if v is None or (type(v) is str and _DATE_TEXT.match(v)):
        return v
    raise _Inexact


@functools.lru_cache(maxsize=None)
def _column_plan(dataset: str) -> tuple[tuple[str, str, object, object], ...]:
    """(column, dtype name, dtype, cast) per column of a dataset, in ``columns`` order."""
    by_name = {c["name"]: c for c in plan()["models"][dataset]["columns"]}
    out = []
    for c in _columns(dataset):
        name = by_name[c]["dtype"]
        if name == "str":
            cast = _cast_str
        elif name == "float64":
            cast = _cast_float
        elif name in _INT_RANGE:
            cast = _int_caster(*_INT_RANGE[name])
        elif name == "Float32":
            cast = _cast_float32
        elif name == "boolean":
            cast = _cast_bool
        elif name.startswith("datetime64"):
            cast = _cast_date_text
        else:
            cast = None     # a dtype the fast path does not know: always ``conform``
        # the pandas dtype is looked up when a frame is made (``_array``): parsing imports no pandas
        out.append((c, name, None, cast))
    return tuple(out)


def _array(name: str, dtype, values: list):
    """One column with its final dtype (``dtype``, else the one named ``name``) from cast values (None = NA)."""
    import numpy as np
    import pandas as pd

    if dtype is None:
        dtype = _dtype(name)

    if name == "float64":
        return np.array(values, dtype="float64")         # None -> NaN
    if name in _INT_RANGE or name in ("Float32", "boolean"):
        from pandas.arrays import BooleanArray, FloatingArray, IntegerArray

        n = len(values)
        mask = np.fromiter((v is None for v in values), dtype=bool, count=n)
        if name == "boolean":
            return BooleanArray(np.fromiter((v is True for v in values), dtype=bool, count=n), mask)
        if name == "Float32":
            return FloatingArray(np.array([0.0 if v is None else v for v in values], dtype="float32"), mask)
        if not mask.any():
            return IntegerArray(np.array(values, dtype=name.lower()), mask)
        return IntegerArray(np.array([0 if v is None else v for v in values], dtype=name.lower()), mask)
    if name.startswith("datetime64"):
        # as ``conform`` does it: pandas infers the column (text, or None only), then ``to_datetime``
        return pd.to_datetime(pd.Series(values, dtype="str" if any(v is not None for v in values) else object))
    if name == "str":
        return _str_array(values, dtype)
    return pd.array(values, dtype=dtype)


_STR_ARROW: list = []


def _str_array(values: list, dtype):
    # pd.array(values, dtype) for text, straight from a pyarrow array (5 x faster on a report's short columns);
    # the pyarrow type is the one pandas itself uses for the dtype
    import pandas as pd

    if not _STR_ARROW:
        import pyarrow as pa

        probe = pd.array(["x", None], dtype=dtype)
        kind = getattr(probe, "_pa_array", None)
        _STR_ARROW.append((pa, kind.type, type(probe)) if kind is not None else None)
    how = _STR_ARROW[0]
    if how is None:
        return pd.array(values, dtype=dtype)
    pa, arrow_type, cls = how
    return cls(pa.array(values, type=arrow_type), dtype=dtype)


_NONE = type(None)
_ONLY_NONE = {_NONE}
_PLAIN = {"str": {str, _NONE}, "float64": {float, _NONE}, "boolean": {bool, _NONE}}


def _column(name: str, cast, values: list) -> list:
    """The values as the frame holds them (NA as None): the list itself where every value already is."""
    kinds = set(map(type, values))
    if kinds <= _ONLY_NONE:
        return values       # an empty or all-null column (the boxes of a text report)
    plain = _PLAIN.get(name)
    if plain is not None and kinds <= plain:
        if name == "float64" and float in kinds and any(v != v for v in values if v is not None):
            return [None if v is None or v != v else v for v in values]
        return values
    if name in _INT_RANGE and kinds <= {int, _NONE}:
        present = [v for v in values if v is not None]
        lo, hi = _INT_RANGE[name]
        if not present or (lo <= min(present) and max(present) <= hi):
            return values
    return [cast(v) for v in values]


_EMPTY: dict[str, "Built"] = {}


def build(dataset: str, rows: list[dict], keys: dict | None = None) -> Built:
    """``schemas.conform(dataset, rows)`` and its records, column by column; ``conform`` itself for what the
    fast cast cannot reproduce exactly. ``keys``: columns of one value for every row (the report's keys),
    which win over the rows' own: ``build(d, rows, keys)`` is ``build(d, [{**r, **keys} for r in rows])``."""
    if not rows:
        # most datasets of a short report are empty: their frame is built once and copied each time
        empty = _EMPTY.get(dataset)
        if empty is None:
            empty = _EMPTY[dataset] = _build(dataset, [])
        columns = None if empty.columns is None else {c: [] for c in empty.columns}
        # a shallow copy (made when read): a frame of no rows has no value to change in place, and a column
        # added to one report's frame is not added to another's (pandas' copy-on-write guards the rest)
        return Built(dataset, None, [], columns, make=lambda: (empty.frame.copy(deep=False), empty.retyped))
    return _build(dataset, rows, keys)


def _build(dataset: str, rows: list[dict], keys: dict | None = None) -> Built:
    plan_ = _column_plan(dataset)
    keys = keys or {}
    try:
        columns: dict[str, list] = {}
        for c, name, dtype, cast in plan_:
            if cast is None:
                raise _Inexact
            values = [keys[c]] * len(rows) if c in keys else list(map(dict.get, rows, repeat(c)))
            columns[c] = _column(name, cast, values)
    except _Inexact:
        from .schemas import conform

        frame = conform(dataset, [{**r, **keys} for r in rows] if keys else rows)
        return Built(dataset, frame, _records(frame), None)
    n, names = len(rows), list(columns)
    printed: dict[str, list] = {}   # a date column's text, which the frame is made from

    def make():
        arrays = [_array(name, dtype, printed.get(c, columns[c])) for c, name, dtype, _ in plan_]
        # the frame keeps each array's dtype: what ``coerced`` would read back from ``frame.dtypes``
        return _frame(arrays, names, n), [(c, name) for (c, name, _, _), a in zip(plan_, arrays)
                                          if str(a.dtype) != name]

    frame = None
    for c, name, _, _ in plan_:
        if name.startswith("datetime64"):
            # the records hold a date as a datetime of that day at 00:00, made without pandas: it compares and
            # prints as the frame's Timestamp of it does
            dates = _dates(columns[c])
            if dates is None:       # a text datetime does not read: the frame is made now, and its values taken
                import pandas as pd

                frame, retyped = make()
                columns[c] = [None if pd.isna(v) else v for v in frame[c].tolist()]
            else:
                printed[c], columns[c] = columns[c], dates
    if frame is not None:
        return Built(dataset, frame, None, columns, retyped, n=n)
    return Built(dataset, None, None, columns, make=make, n=n)


def _dates(values: list) -> list | None:
    """'YYYY-MM-DD' texts (or None) as datetimes; None when one does not read as a date."""
    from datetime import datetime

    try:
        return [None if v is None else datetime.strptime(v, "%Y-%m-%d") for v in values]
    except (TypeError, ValueError):
        return None


def _frame(arrays: list, names: list[str], n: int) -> pd.DataFrame:
    # pandas' own constructor for columns of the right length and dtype, without its checks of the input
    # (a third of the cost on a report's small frames); the public constructor if that ever goes
    import pandas as pd

    from_arrays = getattr(pd.DataFrame, "_from_arrays", None)
    if from_arrays is not None:
        try:
            return from_arrays(arrays, columns=pd.Index(names), index=pd.RangeIndex(n), verify_integrity=False)
        except TypeError:
            pass
    return pd.DataFrame(dict(zip(names, arrays)), copy=False)


def _na(v) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _records(frame: pd.DataFrame) -> list[dict]:
    """A frame's records with NA as None (the reference: what the rules read)."""
    return [{k: (None if v is None or _na(v) else v) for k, v in rec.items()} for rec in frame.to_dict("records")]


# ------------------------------------------------------------------------------------------ checking

def _value_check(name: str, st: dict, dtype: str) -> object | None:
    """A built-in check as: values (nulls left out, as pandera's ignore_na does) -> do all pass? (``dtype``:
    the column's dtype name)"""
    if name == "isin":
        allowed = set(st["allowed_values"])
        return lambda vs: all(v in allowed for v in vs)
    if name == "greater_than_or_equal_to":
        lo = st["min_value"]
        return lambda vs: all(v >= lo for v in vs)
    if name == "less_than_or_equal_to":
        hi = st["max_value"]
        return lambda vs: all(v <= hi for v in vs)
    if name == "greater_than":
        lo = st["min_value"]
        return lambda vs: all(v > lo for v in vs)
    if name == "less_than":
        hi = st["max_value"]
        return lambda vs: all(v < hi for v in vs)
    if name == "str_length":
        lo, hi, exact = st.get("min_value"), st.get("max_value"), st.get("exact_value")
        if exact is not None:
            return lambda vs: all(len(v) == exact for v in vs)
        lo = 0 if lo is None else lo
        hi = float("inf") if hi is None else hi
        return lambda vs: all(lo <= len(v) <= hi for v in vs)
    if name == "str_matches":
        # the regex engines differ (pyarrow's RE2 or Python's re, as pandas' string storage decides): pandas
        # itself answers, as the check pandera runs does, once for each value not seen before -- except for a
        # value of printable ASCII against a pattern of digits, counts, groups and anchors only (a code
        # against the models' code patterns), which every engine matches alike: parsing imports no pandas
        pattern = st["pattern"]
        plain = _as_plain_regex(pattern)
        known: dict[str, bool] = {}

        def matches(vs, known=known):
            new = list({v for v in vs if v not in known})
            if plain is not None:
                for v in [v for v in new if v.isascii() and v.isprintable()]:
                    known[v] = plain.match(v) is not None
                new = [v for v in new if v not in known]
            if new:
                import pandas as pd

                hits = pd.Series(new, dtype=_dtype(dtype)).str.match(pattern, na=False).tolist()
                known.update(zip(new, map(bool, hits)))
            return all(known[v] for v in vs)
        return matches
    return None


_PLAIN_PATTERN = re.compile(r"\^?(?:\\d|[0-9{},()?*+|])*\$?")


def _as_plain_regex(pattern: str) -> re.Pattern | None:
    r"""``pattern`` compiled, when it uses nothing but ``\d``, digits, repetition counts, groups, alternation
    and its two anchors (else None): on printable ASCII text RE2 and Python's re then match alike.

    >>> _as_plain_regex(r"^\d{3}(\d{2}){0,2}$").match("2080501") is not None
    True
    >>> _as_plain_regex(r"^[一-龥]+$") is None
    True
    """
    return re.compile(pattern) if _PLAIN_PATTERN.fullmatch(pattern) else None


def _series_check(name: str, st: dict):
    """The pandas operation of a built-in check (what pandera's pandas backend runs), for whole columns."""
    if name == "isin":
        return lambda data: data.isin(st["allowed_values"])
    if name == "greater_than_or_equal_to":
        return lambda data: data >= st["min_value"]
    if name == "less_than_or_equal_to":
        return lambda data: data <= st["max_value"]
    if name == "greater_than":
        return lambda data: data > st["min_value"]
    if name == "less_than":
        return lambda data: data < st["max_value"]
    if name == "str_matches":
        return lambda data: data.str.match(st["pattern"], na=False)
    if name == "str_length":
        lo, hi, exact = st.get("min_value"), st.get("max_value"), st.get("exact_value")

        def length(data):
            n = data.str.len()
            if exact is not None:
                return n == exact
            if hi is None:
                return n >= lo
            if lo is None:
                return n <= hi
            return (n >= lo) & (n <= hi)
        return length
    return None


@functools.lru_cache(maxsize=None)
def _compiled(model: str):
    """A model of the plan compiled: per column (name, dtype name, nullable, value checks, column checks), the
    frame-wide checks and the unique column sets; None when a part of it is beyond the compiled checks (then
    pandera decides every time)."""
    spec = plan()["models"][model]
    if not spec["plain"]:
        return None
    named = frame_checks()
    cols = []
    for col in spec["columns"]:
        dtype = col["dtype"]       # its name: the pandas dtype is looked up only where pandas answers a check
        values, series = [], []
        for name, st, ignore_na, warning, element_wise in col["checks"]:
            v, s = _value_check(name, st, dtype), _series_check(name, st)
            if v is None or s is None or not ignore_na or warning or element_wise:
                return None
            values.append(v)
            series.append(s)
        if not col["plain"]:
            return None
        cols.append((col["name"], col["dtype"], col["nullable"], values, series))
    unique = [spec["unique"]] if spec["unique"] else []
    return cols, [named[n] for n in spec["frame_checks"]], unique


def _spans_forward(columns: dict[str, list] | None) -> bool:
    """``span_is_forward`` holds on every row, read from the built values (True is then what pandas answers;
    False only means: ask pandas)."""
    starts, ends = (columns or {}).get("char_start"), (columns or {}).get("char_end")
    if starts is None or ends is None:
        return False
    return all(s is not None and e is not None and e >= s for s, e in zip(starts, ends))


def _frame_checks_pass(checks, frame: pd.DataFrame, columns: dict[str, list] | None = None) -> bool:
    import pandas as pd

    for check in checks if len(frame) else ():
        if check is span_is_forward and _spans_forward(columns):
            continue
        try:
            res = check(frame)
        except Exception:
            return False
        if not isinstance(res, pd.Series) or len(res) != len(frame) or bool(res.isna().any()) \
                or not bool(res.all()):
            return False
    return True


def passes(built: Built) -> bool | None:
    """True when the dataset's pandera model accepts ``built.frame`` (then ``coerced(built)`` is what its
    ``validate`` returns); None when it may not: run the model (it words the failures)."""
    compiled = _compiled(built.dataset)
    if compiled is None or built.columns is None:
        return None
    if not built.n:     # no rows: the answer is the dataset's, the same for every report (most datasets of a page)
        key = (built.dataset, tuple(built.columns))
        if key not in _EMPTY_PASSES:
            _EMPTY_PASSES[key] = _passes(built, compiled)
        return _EMPTY_PASSES[key]
    return _passes(built, compiled)


_EMPTY_PASSES: dict[tuple, bool | None] = {}


def _passes(built: Built, compiled) -> bool | None:
    cols, frame_checks, unique = compiled
    for c, _, nullable, checks, _ in cols:
        values = built.columns[c]
        if not nullable and None in values:
            return None
        if checks:
            present = [v for v in values if v is not None]
            for check in checks:
                if not check(present):
                    return None
    for keys in unique:
        tuples = list(zip(*(built.columns[k] for k in keys)))
        if len(set(tuples)) < len(tuples):
            return None
    if not built.n or (all(c is span_is_forward for c in frame_checks) and _spans_forward(built.columns)):
        return True     # the frame-wide checks hold, known without the frame
    return True if _frame_checks_pass(frame_checks, built.frame, built.columns) else None


def _coerce(series: pd.Series, name: str) -> pd.Series:
    # what pandera's coerce=True does to a column of another dtype; only the cases the fast path meets: a
    # date column of another resolution, text of another string dtype (anything else: pandera itself)
    have = str(series.dtype)
    if name.startswith("datetime64") and have.startswith("datetime64"):
        return series.astype(name)
    if name == "str" and have in ("string", "str"):
        return series.astype(_dtype(name))
    raise _Inexact


def coerced(built: Built) -> pd.DataFrame:
    """The frame as the model's ``validate`` returns it when it passes (coerce=True): a column whose dtype is not
    the model's (a date column of another resolution) coerced as the model's data type does."""
    frame = built.frame
    other = built.retyped
    if other is None:
        other = [(c, name) for (c, name, _, _), dtype in zip(_column_plan(built.dataset), frame.dtypes)
                 if str(dtype) != name]
    if not other:
        return frame
    if not built.n and built.columns is not None and built.dataset in _EMPTY:
        # an empty dataset's frame is the shared one's copy (``build``): coerced once per process, copied after
        done = _EMPTY_COERCED.get(built.dataset)
        if done is None:
            done = _EMPTY_COERCED[built.dataset] = _coerced(_EMPTY[built.dataset].frame, other)
        return done.copy(deep=False)
    return _coerced(frame, other)


_EMPTY_COERCED: dict[str, pd.DataFrame] = {}


def _coerced(frame: pd.DataFrame, other: list[tuple[str, str]]) -> pd.DataFrame:
    frame = frame.copy(deep=False)      # the built frame stays as built (the rules read its records)
    for c, name in other:
        frame[c] = _coerce(frame[c], name)
    return frame


def validate_frame(model: str, df: pd.DataFrame, fallback, lazy: bool = False) -> pd.DataFrame:
    """``fallback().validate(df, lazy=lazy)`` for a frame the model ``model`` of the plan accepts, with the
    compiled checks; pandera itself (``fallback()`` gives the pandera model) for any other, so that a failing
    frame raises pandera's own errors, worded by pandera.

    The frame's columns are coerced to the model's dtypes (a column of another dtype than the plan's: see
    ``_coerce``); each check runs as the pandas operation pandera's backend runs, on the column's non-null
    values.
    """
    import pandas as pd

    compiled = _compiled(model)

    def reference():
        return fallback().validate(df, lazy=lazy)

    if compiled is None or not isinstance(df, pd.DataFrame) or df.columns.has_duplicates \
            or set(df.columns) != {c for c, *_ in compiled[0]} or not isinstance(df.index, pd.RangeIndex):
        return reference()
    cols, frame_checks, unique = compiled
    coerce = plan()["models"][model]["coerce"]
    out = df
    try:
        for c, name, nullable, _, series_checks in cols:
            if str(out[c].dtype) != name:
                if not coerce:
                    return reference()
                if out is df:
                    out = df.copy()
                out[c] = _coerce(out[c], name)
                if str(out[c].dtype) != name:
                    return reference()
            if not series_checks and nullable:
                continue
            col = out[c]
            present = col.notna()
            if not nullable and not bool(present.all()):
                return reference()
            data = col[present]
            for check in series_checks:
                res = check(data)
                if bool(res.isna().any()) or not bool(res.all()):
                    return reference()
        for keys in unique:
            if bool(out.duplicated(subset=keys).any()):
                return reference()
    except Exception:
        return reference()
    if not _frame_checks_pass(frame_checks, out):
        return reference()
    return out
