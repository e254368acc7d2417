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

# 社会保险基金预算: the fourth budget, in a government's accounts (a unit's figures are of the first three)
FUNDS = ["一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算"]
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
        from .contract import span_is_forward    # the function the fast path runs (contract.frame_checks)

        return span_is_forward(df)


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
    level: String = pa.Field(nullable=True, isin=FUNCTION_LEVELS,
                             description="null where neither the text nor the catalogue says it")
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
    share_of: String = pa.Field(nullable=True, description="what share_pct is a share of (基本支出 …)")
    change_wan: Money = _money(description="signed change vs prior year, 万元")
    change_pct: Pct = pa.Field(nullable=True, description="signed change vs prior year, percent points")


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
    change_pct: Pct = pa.Field(nullable=True, description="signed change vs prior year, percent points")
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
    schema = MODELS[dataset].to_schema()
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


def validate_fast(model: type[pa.DataFrameModel], df: pd.DataFrame, lazy: bool = False) -> pd.DataFrame:
    """``model.validate(df, lazy=lazy)``, with the checks compiled from the model for a frame it accepts and
    pandera itself for any other (see :func:`jueshuan_data.contract.validate_frame`)."""
    from . import contract

    name = next((d for d, m in MODELS.items() if m is model), None)
    if name is None:
        return model.validate(df, lazy=lazy)
    return contract.validate_frame(name, df, lambda: model, lazy=lazy)


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
    from .contract import write

    print(write())      # data/schema_plan.json: the models as data, for parsing without pandera
