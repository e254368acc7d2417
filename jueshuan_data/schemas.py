"""One pandera ``DataFrameModel`` per dataset: the column contract of DESIGN.md in code.

Every dataset shares the report keys (report_id, entity, fiscal_year, source); every row that holds a
figure shares the provenance columns (section, evidence, char_start, char_end, amount_text).

>>> from jueshuan_data.schemas import COLUMNS
>>> COLUMNS["livelihood_spending"][:4] + COLUMNS["livelihood_spending"][-4:]
['report_id', 'entity', 'fiscal_year', 'source', 'item', 'amount_wan', 'prior_year_wan', 'change_wan']

The machine-readable form of each model is exported to ``schemas/<dataset>.json`` by
``python -m jueshuan_data.schemas``; ``tests/test_schemas.py`` keeps the two in step.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

FUNDS = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
FUNCTION_LEVELS = ["类", "款", "项"]
ECONOMIC_LEVELS = ["类", "款"]
SOURCE_KINDS = ["narrative", "table"]
FACT_KINDS = ["amount", "share", "change", "count", "percent", "date", "number"]
SEVERITIES = ["error", "warning", "info"]
DOCUMENT_KINDS = ["决算", "预算"]
COFOG_DIVISIONS = [f"{i:02d}" for i in range(1, 11)]
BASES = ["账面净值", "原值", "账面余额"]

String = Series[pd.StringDtype]
Money = Series[float]
Pct = Series[float]


def _money(**kw):
    return pa.Field(nullable=True, description=kw.pop("description", "万元"), **kw)


class _Keys(pa.DataFrameModel):
    """Keys shared by every dataset."""

    report_id: String = pa.Field(nullable=False, str_length={"min_value": 16, "max_value": 16},
                                 description="stable id: sha256 of the normalised text, 16 hex chars")
    entity: String = pa.Field(nullable=True, description="reporting unit as titled")
    fiscal_year: Series[pd.Int16Dtype] = pa.Field(nullable=True, ge=1990, le=2100,
                                                  description="year the accounts cover")
    source: String = pa.Field(nullable=False, description="input file name")
    document_kind: String = pa.Field(nullable=True, isin=DOCUMENT_KINDS,
                                     description="决算 (final accounts: executed) or 预算 (budget: approved)")

    class Config:
        coerce = True
        strict = True
        ordered = False


class _Evidence(_Keys):
    """Provenance of a row that holds a figure."""

    section: String = pa.Field(nullable=True, description="section path, e.g. 第一部分/四/（二）/4")
    evidence: String = pa.Field(nullable=False, description="clause the figure was read from, verbatim")
    char_start: Series[pd.Int32Dtype] = pa.Field(nullable=False, ge=0,
                                                 description="start of the amount literal in the normalised text")
    char_end: Series[pd.Int32Dtype] = pa.Field(nullable=False, ge=0, description="end of that literal")
    amount_text: String = pa.Field(nullable=True, description="the literal as printed, e.g. 6,934.46万元")
    source_kind: String = pa.Field(nullable=False, isin=SOURCE_KINDS,
                                   description="narrative sentence or (flattened) table row")
    page: Series[pd.Int16Dtype] = pa.Field(nullable=True, ge=1, description="1-based PDF page (null for text)")
    x0: Series[pd.Float32Dtype] = pa.Field(nullable=True, description="box of the amount on its page, PDF points")
    y0: Series[pd.Float32Dtype] = pa.Field(nullable=True, description="box bottom, PDF points from the page bottom")
    x1: Series[pd.Float32Dtype] = pa.Field(nullable=True, description="box right, PDF points")
    y1: Series[pd.Float32Dtype] = pa.Field(nullable=True, description="box top, PDF points from the page bottom")
    primary: Series[pd.BooleanDtype] = pa.Field(
        nullable=True, description="the one row per (report, dataset, fund, code or subject) to analyse")

    @pa.dataframe_check(description="a span runs forwards")
    def span_is_forward(cls, df: pd.DataFrame) -> Series[bool]:
        return df["char_end"] >= df["char_start"]


class Summary(_Evidence):
    """Headline figures: totals, income and expenditure by type, carry-overs, budget and execution."""

    item: String = pa.Field(nullable=False, description="canonical item name, e.g. 收入合计")
    printed_name: String = pa.Field(nullable=True, description="label as printed, e.g. 本年收入合计")
    fund: String = pa.Field(nullable=True, isin=FUNDS, description="fund when the figure is fund-specific")
    table: String = pa.Field(nullable=True, description="table name for table rows")
    amount_wan: Money = _money()
    share_pct: Pct = pa.Field(nullable=True, ge=0, le=100, description="share of share_of, percent points")
    share_of: String = pa.Field(nullable=True, description="base of the share, e.g. 收入合计")
    rate_pct: Pct = pa.Field(nullable=True, description="a rate that is the figure itself (预算执行率)")
    budget_wan: Money = _money(description="年初预算/全年预算 stated with the figure")
    execution_pct: Pct = pa.Field(nullable=True, ge=0, description="完成预算的 % stated with the figure")
    prior_year_wan: Money = _money(description="the prior-year figure where printed")
    change_wan: Money = _money(description="signed change vs prior year, 万元")
    change_pct: Pct = pa.Field(nullable=True, description="signed change vs prior year, percent points")


class ExpenditureByFunction(_Evidence):
    """Expenditure by functional classification (支出功能分类 类/款/项) per fund."""

    fund: String = pa.Field(nullable=True, isin=FUNDS,
                            description="null: all funds together (the 类 lines of the 收入支出决算总表)")
    level: String = pa.Field(nullable=False, isin=FUNCTION_LEVELS)
    code: String = pa.Field(nullable=True, str_matches=r"^\d{3}(\d{2}){0,2}$",
                            description="official 3/5/7-digit code, null if unknown")
    subject: String = pa.Field(nullable=False, description="official name")
    printed_name: String = pa.Field(nullable=False, description="name as printed")
    parent_code: String = pa.Field(nullable=True, str_matches=r"^\d{3}(\d{2})?$")
    parent_subject: String = pa.Field(nullable=True)
    table: String = pa.Field(nullable=True)
    amount_wan: Money = _money()
    share_pct: Pct = pa.Field(nullable=True, ge=0, le=100)
    share_of: String = pa.Field(nullable=True, description="what share_pct is a share of")
    prior_year_wan: Money = _money()
    change_wan: Money = _money()
    change_pct: Pct = pa.Field(nullable=True)
    budget_wan: Money = _money(description="年初预算/全年预算 where printed")
    execution_pct: Pct = pa.Field(nullable=True, ge=0, description="完成预算的 %")
    basic_wan: Money = _money(description="of which 基本支出 (tables)")
    project_wan: Money = _money(description="of which 项目支出 (tables)")
    cofog: String = pa.Field(nullable=True, isin=COFOG_DIVISIONS,
                             description="COFOG division (01–10) of the subject, from the shipped crosswalk")


class BasicExpenditureByEconomic(_Evidence):
    """基本支出 by economic classification (部门预算支出经济分类 类/款)."""

    item: String = pa.Field(nullable=False)
    printed_name: String = pa.Field(nullable=True)
    level: String = pa.Field(nullable=True, isin=ECONOMIC_LEVELS)
    code: String = pa.Field(nullable=True, str_matches=r"^\d{3}(\d{2})?$")
    parent_code: String = pa.Field(nullable=True, str_matches=r"^\d{3}$")
    table: String = pa.Field(nullable=True)
    amount_wan: Money = _money()
    share_pct: Pct = pa.Field(nullable=True, ge=0, le=100)


class LivelihoodSpending(_Evidence):
    """民生支出 items."""

    item: String = pa.Field(nullable=False)
    amount_wan: Money = _money()
    prior_year_wan: Money = _money()
    change_wan: Money = _money()


class AssetComposition(_Evidence):
    """Assets and liabilities: totals, composition, fixed-asset breakdown, counts."""

    item: String = pa.Field(nullable=False)
    parent_item: String = pa.Field(nullable=True)
    basis: String = pa.Field(nullable=True, isin=BASES)
    as_of: Series[pa.DateTime] = pa.Field(nullable=True, description="balance date (written as a Parquet date)")
    amount_wan: Money = _money()
    share_pct: Pct = pa.Field(nullable=True, ge=0, le=100)
    share_of: String = pa.Field(nullable=True)
    yoy_pct: Pct = pa.Field(nullable=True, description="signed change vs prior year end, percent points")
    count: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    count_unit: String = pa.Field(nullable=True)


class ThreePublic(_Evidence):
    """三公经费 lines."""

    item: String = pa.Field(nullable=False)
    parent_item: String = pa.Field(nullable=True)
    table: String = pa.Field(nullable=True)
    amount_wan: Money = _money(description="决算数")
    share_pct: Pct = pa.Field(nullable=True, ge=0, le=100, description="share of the 三公 total")
    budget_wan: Money = _money(description="年初预算数")
    prior_year_wan: Money = _money()
    change_wan: Money = _money()
    count: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    count_unit: String = pa.Field(nullable=True)


class OtherFigures(_Evidence):
    """Any other labelled figure: 机关运行经费, 政府采购, 政府购买服务, 绩效评价 …"""

    topic: String = pa.Field(nullable=False)
    item: String = pa.Field(nullable=False)
    value: Series[float] = pa.Field(nullable=True, description="number as printed (in `unit`)")
    unit: String = pa.Field(nullable=True)
    amount_wan: Money = _money()
    share_pct: Pct = pa.Field(nullable=True)
    change_wan: Money = _money()
    change_pct: Pct = pa.Field(nullable=True)


class Facts(_Keys):
    """Every numeric literal of the report, bound to a dataset or not."""

    section: String = pa.Field(nullable=True)
    evidence: String = pa.Field(nullable=False)
    char_start: Series[pd.Int32Dtype] = pa.Field(nullable=False, ge=0)
    char_end: Series[pd.Int32Dtype] = pa.Field(nullable=False, ge=0)
    text: String = pa.Field(nullable=False, description="the literal")
    value: Series[float] = pa.Field(nullable=True)
    unit: String = pa.Field(nullable=True)
    kind: String = pa.Field(nullable=False, isin=FACT_KINDS)
    subject: String = pa.Field(nullable=True)
    dataset: String = pa.Field(nullable=True)
    page: Series[pd.Int16Dtype] = pa.Field(nullable=True, ge=1, description="1-based PDF page (null for text)")
    x0: Series[pd.Float32Dtype] = pa.Field(nullable=True)
    y0: Series[pd.Float32Dtype] = pa.Field(nullable=True)
    x1: Series[pd.Float32Dtype] = pa.Field(nullable=True)
    y1: Series[pd.Float32Dtype] = pa.Field(nullable=True)


class Issues(_Keys):
    """Validation findings."""

    rule: String = pa.Field(nullable=False)
    severity: String = pa.Field(nullable=False, isin=SEVERITIES)
    dataset: String = pa.Field(nullable=True)
    message: String = pa.Field(nullable=False)
    expected: Series[float] = pa.Field(nullable=True)
    actual: Series[float] = pa.Field(nullable=True)
    evidence: String = pa.Field(nullable=True)
    section: String = pa.Field(nullable=True)
    char_start: Series[pd.Int32Dtype] = pa.Field(nullable=True)
    char_end: Series[pd.Int32Dtype] = pa.Field(nullable=True)


MODELS: dict[str, type[pa.DataFrameModel]] = {
    "summary": Summary,
    "expenditure_by_function": ExpenditureByFunction,
    "basic_expenditure_by_economic": BasicExpenditureByEconomic,
    "livelihood_spending": LivelihoodSpending,
    "asset_composition": AssetComposition,
    "three_public": ThreePublic,
    "other_figures": OtherFigures,
    "facts": Facts,
    "issues": Issues,
}
DATASETS = list(MODELS)

# Row keys: no two rows of a report share these (checked by validate.check_keys).
ROW_KEYS: dict[str, list[str]] = {
    "summary": ["report_id", "item", "char_start"],
    "expenditure_by_function": ["report_id", "fund", "level", "subject", "parent_subject", "char_start"],
    "basic_expenditure_by_economic": ["report_id", "item", "code", "char_start"],
    "livelihood_spending": ["report_id", "item", "char_start"],
    "asset_composition": ["report_id", "item", "parent_item", "char_start"],
    "three_public": ["report_id", "item", "char_start"],
    "other_figures": ["report_id", "topic", "item", "char_start"],
    "facts": ["report_id", "char_start"],
    "issues": ["report_id", "rule", "message"],
}


def _columns(model: type[pa.DataFrameModel]) -> list[str]:
    schema = model.to_schema()
    keys = ["report_id", "entity", "fiscal_year", "source"]
    rest = [c for c in schema.columns if c not in keys]
    return keys + rest


def build_schemas(*models: type[pa.DataFrameModel]) -> None:
    """Build each model's schema (pandera caches it per thread) without pandera importing dask.

    To build a schema, pandera asks ``pandera.typing.get_index_types()`` which index types exist and learns it by
    importing ``pandera.typing.dask``, which imports dask.dataframe whenever dask is installed: ~300 ms and
    ~40 MiB of a cold start, for models that annotate pandas types only. A stand-in module saying "dask is not
    installed" answers instead while the schemas are built; then it goes, with the answers pandera cached, so
    that code validating dask frames in the same process finds dask as usual.
    """
    import sys
    import types

    import pandera.typing as pt

    name = "pandera.typing.dask"
    if name in sys.modules:
        for m in models:
            m.to_schema()
        return
    stand_in = types.ModuleType(name)
    stand_in.DASK_INSTALLED = False
    sys.modules[name] = stand_in
    try:
        for m in models:
            m.to_schema()
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        if pt.__dict__.get("dask") is stand_in:
            del pt.dask
        for f in ("get_index_types", "get_series_types", "get_dataframe_types"):
            cache_clear = getattr(getattr(pt, f, None), "cache_clear", None)
            if cache_clear is not None:
                cache_clear()


build_schemas(*MODELS.values())
COLUMNS: dict[str, list[str]] = {name: _columns(m) for name, m in MODELS.items()}


def empty_frame(dataset: str) -> pd.DataFrame:
    """An empty frame with the dataset's columns and dtypes."""
    schema = MODELS[dataset].to_schema()
    return pd.DataFrame({c: pd.Series(dtype=schema.columns[c].dtype.type) for c in COLUMNS[dataset]})


def conform(dataset: str, rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Rows (dicts) -> a frame with exactly the dataset's columns, in order, with its dtypes (no checks)."""
    schema = _schema(dataset)
    df = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows.copy()
    for c in COLUMNS[dataset]:
        if c not in df.columns:
            df[c] = None
    df = df[COLUMNS[dataset]]
    for c in COLUMNS[dataset]:
        dtype = schema.columns[c].dtype.type
        if str(dtype).startswith("datetime64"):
            df[c] = pd.to_datetime(df[c])
        else:
            df[c] = df[c].astype(dtype)
    return df.reset_index(drop=True)


# ----------------------------------------------------------------------------------------------------------
# The per-report fast path (issue 14). ``conform`` and pandera cost ~200 ms a report in pandas bookkeeping
# (an astype per column, pandera deep-copying every column schema per call). ``build`` casts each value in
# Python, the way ``conform``'s astype does, and builds each column once with its final dtype; ``passes``
# answers "would the pandera model accept this frame?" from those values with checks compiled from the
# models. Either one steps aside for the reference path (``conform``, pandera) whenever it cannot be sure
# to give the same answer: a value of an unexpected type, a check it does not know, any failure at all
# (pandera then words the findings). tests/test_parse_equivalence.py holds the two paths together on every
# corpus report and on deliberately broken frames.


class Built:
    """A dataset's frame and the same values as plain Python records (NA as None), in frame order:
    what ``frame.to_dict("records")`` gives with NA mapped to None, without a pass over the frame."""

    __slots__ = ("dataset", "frame", "records", "columns")

    def __init__(self, dataset: str, frame: pd.DataFrame, records: list[dict], columns: dict[str, list] | None):
        self.dataset = dataset
        self.frame = frame
        self.records = records
        self.columns = columns      # column -> values as records hold them; None when built by ``conform``


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


def _cast_float32(v):
    import numpy as np

    t = type(v)
    if v is None:
        return None
    if t is float or t is int:
        if v != v:
            return None
        f = float(np.float32(v))
        if f in (float("inf"), float("-inf")) and v not in (float("inf"), float("-inf")):
            raise _Inexact      # overflow: let pandas say what it does
        return f
    raise _Inexact


def _cast_bool(v):
    if v is None or type(v) is bool:
        return v
    raise _Inexact


def _cast_date_text(v):
    # the only form extraction writes (assets.as_of): 'YYYY-MM-DD'; the column itself is built by pandas
    if v is None or (type(v) is str and _DATE_TEXT.match(v)):
        return v
    raise _Inexact


_DATE_TEXT = None


def _column_plan(dataset: str) -> list[tuple[str, str, object, object]]:
    """(column, dtype name, dtype, cast) per column of a dataset, in order (cached)."""
    plan = _PLANS.get(dataset)
    if plan is None:
        global _DATE_TEXT
        import re

        _DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
        schema = _schema(dataset)
        plan = []
        for c in COLUMNS[dataset]:
            dtype = schema.columns[c].dtype.type
            name = str(dtype)
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
            plan.append((c, name, dtype, cast))
        _PLANS[dataset] = plan
    return plan


_PLANS: dict[str, list] = {}
_SCHEMAS: dict[str, object] = {}


def _schema(dataset: str):
    s = _SCHEMAS.get(dataset)
    if s is None:
        s = _SCHEMAS[dataset] = MODELS[dataset].to_schema()
    return s


def _array(name: str, dtype, values: list):
    """One column with its final dtype from cast values (None = NA)."""
    import numpy as np

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
_PLAIN = {"str": {str, _NONE}, "float64": {float, _NONE}, "boolean": {bool, _NONE}}


def _column(name: str, cast, values: list) -> list:
    """The values as the frame holds them (NA as None): the list itself where every value already is."""
    kinds = set(map(type, values))
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


def build(dataset: str, rows: list[dict]) -> Built:
    """``conform(dataset, rows)`` and its records, column by column; ``conform`` itself for what the fast cast
    cannot reproduce exactly."""
    plan = _column_plan(dataset)
    try:
        columns: dict[str, list] = {}
        for c, name, dtype, cast in plan:
            if cast is None:
                raise _Inexact
            columns[c] = _column(name, cast, [r.get(c) for r in rows])
    except _Inexact:
        frame = conform(dataset, rows)
        return Built(dataset, frame, _records(frame), None)
    arrays = [_array(name, dtype, columns[c]) for c, name, dtype, _ in plan]
    frame = _frame(arrays, list(columns), len(rows))
    for c, name, _, _ in plan:
        if name.startswith("datetime64"):
            columns[c] = [None if pd.isna(v) else v for v in frame[c].tolist()]
    names = list(columns)
    records = [dict(zip(names, vals)) for vals in zip(*columns.values())] if rows else []
    return Built(dataset, frame, records, columns)


def _frame(arrays: list, names: list[str], n: int) -> pd.DataFrame:
    # pandas' own constructor for columns of the right length and dtype, without its checks of the input
    # (a third of the cost on a report's small frames); the public constructor if that ever goes
    from_arrays = getattr(pd.DataFrame, "_from_arrays", None)
    if from_arrays is not None:
        try:
            return from_arrays(arrays, columns=pd.Index(names), index=pd.RangeIndex(n), verify_integrity=False)
        except TypeError:
            pass
    return pd.DataFrame(dict(zip(names, arrays)), copy=False)


def _na(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _records(frame: pd.DataFrame) -> list[dict]:
    """A frame's records with NA as None (the reference: what the rules read)."""
    return [{k: (None if v is None or _na(v) else v) for k, v in rec.items()} for rec in frame.to_dict("records")]


# checks compiled from the models: values (nulls left out, as pandera's ignore_na does) -> do all pass? For
# pandera's built-in checks only; a check not listed here makes the model's frames go to pandera


def _compile_check(check, dtype) -> object | None:
    name, st = check.name, check.statistics or {}
    if check.raise_warning or check.element_wise or not check.ignore_na:
        return None
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
        # the regex engines differ (pandas matches with pyarrow's RE2, not Python's re): pandas itself answers,
        # as the check pandera runs does, once for each value not seen before
        pattern = st["pattern"]
        known: dict[str, bool] = {}

        def matches(vs, known=known):
            new = list({v for v in vs if v not in known})
            if new:
                hits = pd.Series(new, dtype=dtype).str.match(pattern, na=False).tolist()
                known.update(zip(new, map(bool, hits)))
            return all(known[v] for v in vs)
        return matches
    return None


def _series_check(check):
    """The pandas operation of a built-in check (what pandera's pandas backend runs), for whole columns."""
    name, st = check.name, check.statistics or {}
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


_COMPILED: dict[object, object] = {}


def _compiled(model):
    """A model (or a dataset's name) compiled: per column (name, dtype name, nullable, value checks), the
    frame-wide checks and the unique column sets; None when a part of it is beyond the compiled checks (then
    pandera decides every time)."""
    if isinstance(model, str):
        model = MODELS[model]
    if model in _COMPILED:
        return _COMPILED[model]
    schema = model.to_schema()
    out = None
    ok = (schema.index is None and not getattr(schema, "add_missing_columns", False) and schema.strict is True
          and not getattr(schema, "drop_invalid_rows", False) and not getattr(schema, "parsers", None))
    cols = []
    for c, col in schema.columns.items():
        checks = [_compile_check(ch, col.dtype.type) for ch in col.checks]
        if col.unique or col.regex or not col.required or any(ch is None for ch in checks) \
                or getattr(col, "parsers", None):
            ok = False
        cols.append((c, str(col.dtype.type), bool(col.nullable), checks,
                     [_series_check(ch) for ch in col.checks]))
    unique = schema.unique
    unique = [list(unique)] if unique else []
    if any(ch.raise_warning or ch.element_wise for ch in schema.checks):
        ok = False
    if ok:
        out = (cols, list(schema.checks), unique)
    _COMPILED[model] = out
    return out


def _values_pass(compiled, columns: dict[str, list], frame: pd.DataFrame) -> bool:
    cols, frame_checks, unique = compiled
    for c, _, nullable, checks, _ in cols:
        values = columns[c]
        if not nullable and None in values:
            return False
        if checks:
            present = [v for v in values if v is not None]
            for check in checks:
                if not check(present):
                    return False
    for keys in unique:
        tuples = list(zip(*(columns[k] for k in keys)))
        if len(set(tuples)) < len(tuples):
            return False
    if frame_checks and len(frame):
        for check in frame_checks:
            try:
                res = check._check_fn(frame)
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
    return True if _values_pass(compiled, built.columns, built.frame) else None


def coerced(built: Built) -> pd.DataFrame:
    """The frame as the model's ``validate`` returns it when it passes (coerce=True): a column whose dtype is not
    the model's (a date column of another resolution) coerced by the model's own data type."""
    frame = built.frame
    other = [c for (c, name, _, _), dtype in zip(_column_plan(built.dataset), frame.dtypes) if str(dtype) != name]
    if not other:
        return frame
    schema = _schema(built.dataset)
    frame = frame.copy(deep=False)      # the built frame stays as built (the rules read its records)
    for c in other:
        frame[c] = schema.columns[c].dtype.coerce(frame[c])
    return frame


def validate_fast(model: type[pa.DataFrameModel], df: pd.DataFrame, lazy: bool = False) -> pd.DataFrame:
    """``model.validate(df, lazy=lazy)`` for a frame it accepts, with the compiled checks; pandera itself for any
    other (so a failing frame raises pandera's own errors, worded by pandera).

    The frame's columns are coerced to the model's dtypes by the model's own data types (as ``coerce=True``
    does); each check runs as the pandas operation pandera's backend runs, on the column's non-null values.
    """
    compiled = _compiled(model)
    if compiled is None or not isinstance(df, pd.DataFrame) or df.columns.has_duplicates \
            or set(df.columns) != {c for c, *_ in compiled[0]} or not isinstance(df.index, pd.RangeIndex):
        return model.validate(df, lazy=lazy)
    cols, frame_checks, unique = compiled
    schema = model.to_schema()
    out = df
    try:
        for c, name, nullable, _, series_checks in cols:
            if str(out[c].dtype) != name:
                if not (schema.coerce or schema.columns[c].coerce):
                    return model.validate(df, lazy=lazy)
                if out is df:
                    out = df.copy()
                out[c] = schema.columns[c].dtype.coerce(out[c])
                if str(out[c].dtype) != name:
                    return model.validate(df, lazy=lazy)
            if not series_checks and nullable:
                continue
            col = out[c]
            present = col.notna()
            if not nullable and not bool(present.all()):
                return model.validate(df, lazy=lazy)
            data = col[present]
            for check in series_checks:
                res = check(data)
                if bool(res.isna().any()) or not bool(res.all()):
                    return model.validate(df, lazy=lazy)
        for keys in unique:
            if bool(out.duplicated(subset=keys).any()):
                return model.validate(df, lazy=lazy)
        for check in frame_checks if len(out) else ():
            res = check._check_fn(out)
            if not isinstance(res, pd.Series) or len(res) != len(out) or bool(res.isna().any()) \
                    or not bool(res.all()):
                return model.validate(df, lazy=lazy)
    except Exception:
        return model.validate(df, lazy=lazy)
    return out


def to_json_schema(dataset: str) -> dict:
    """A plain, diff-friendly description of one model: column -> type, nullable, checks, description."""
    schema = MODELS[dataset].to_schema()
    cols = {}
    for name in COLUMNS[dataset]:
        col = schema.columns[name]
        cols[name] = {
            "dtype": str(col.dtype),
            "nullable": bool(col.nullable),
            "checks": [str(c) for c in col.checks],
            "description": col.description,
        }
    return {
        "dataset": dataset,
        "model": MODELS[dataset].__name__,
        "doc": (MODELS[dataset].__doc__ or "").strip(),
        "row_key": ROW_KEYS[dataset],
        "columns": cols,
    }


def export(folder: str | Path = "schemas") -> list[Path]:
    """Write ``<folder>/<dataset>.json`` for every dataset; returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in DATASETS:
        p = folder / f"{name}.json"
        p.write_text(json.dumps(to_json_schema(name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":  # pragma: no cover
    for p in export(Path(__file__).resolve().parent.parent / "schemas"):
        print(p)
