"""The catalogue's pandera model (``classification.CatalogueSchema``), in a module of its own: loading the
catalogue checks it with the checks compiled from this model (:mod:`jueshuan_data.contract`), so that parsing
needs no pandera; this module is imported only when the model itself is asked for (or a catalogue fails)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .classification import (
    KINDS,
    LEVELS,
    STATUSES,
    _eras_disjoint,
    _level_matches_code,
    _official_has_source,
    _parent_exists,
    _parent_is_prefix,
    _years_ordered,
)

String = Series[pd.StringDtype]


class CatalogueSchema(pa.DataFrameModel):
    """The catalogue's own contract."""

    kind: String = pa.Field(isin=list(KINDS))
    code: String = pa.Field(str_matches=r"^\d{3}(\d{2}){0,2}$")
    level: String = pa.Field(isin=list(LEVELS))
    name: String = pa.Field(str_length={"min_value": 1})
    parent_code: String = pa.Field(nullable=True, str_matches=r"^\d{3}(\d{2})?$")
    aliases: String = pa.Field(nullable=True)
    alias_source: String = pa.Field(nullable=True)
    first_year: Series[pd.Int16Dtype] = pa.Field(nullable=True, ge=1990, le=2100)
    last_year: Series[pd.Int16Dtype] = pa.Field(nullable=True, ge=1990, le=2100)
    status: String = pa.Field(isin=list(STATUSES))
    source: String = pa.Field(nullable=False, str_length={"min_value": 1})
    n_docs: Series[pd.Int16Dtype] = pa.Field(nullable=True, ge=0)
    seen_years: String = pa.Field(nullable=True)
    note: String = pa.Field(nullable=True)

    class Config:
        coerce = True
        strict = True
        unique = ["kind", "code", "first_year"]

    # each frame-wide check is a function of classification (classification.FRAME_CHECKS): the compiled
    # checks run the same function

    @pa.dataframe_check(error="code length must match level (类 3, 款 5, 项 7); economic has no 项")
    def level_matches_code(cls, df):
        return _level_matches_code(df)

    @pa.dataframe_check(error="parent_code must be the code without its last two digits (null for 类)")
    def parent_is_prefix(cls, df):
        return _parent_is_prefix(df)

    @pa.dataframe_check(error="parent_code must exist in the catalogue (same kind)")
    def parent_exists(cls, df):
        return _parent_exists(df)

    @pa.dataframe_check(error="an official row needs a documentary source (not 'knowledge')")
    def official_has_source(cls, df):
        return _official_has_source(df)

    @pa.dataframe_check(error="first_year must not be after last_year")
    def years_ordered(cls, df):
        return _years_ordered(df)

    @pa.dataframe_check(error="name eras of one code must not overlap")
    def eras_disjoint(cls, df):
        return _eras_disjoint(df)
