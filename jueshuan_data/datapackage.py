"""``OUT/datapackage.json``: the converted folder as a Frictionless (Fiscal) Data Package.

>>> import jueshuan_data as jd
>>> jd.convert(["seeds/"], "out/")                    # doctest: +SKIP
>>> jd.write_datapackage("out/")                      # doctest: +SKIP
PosixPath('out/datapackage.json')

``jd.convert`` writes it at the end of every run; :func:`write_datapackage` writes it for a folder converted
before. ``frictionless validate out/datapackage.json`` checks every file against it.

What it holds:

* **One resource per Parquet file actually present** under ``OUT/<dataset>/`` (whatever the layout: the
  paths are found, not built), named after its path, with ``"group": "<dataset>"`` (the Data Resource
  Group pattern: resources of a group are parts of one table) and ``"fiscalYear"`` where the file holds one
  year: its hive folder ``fiscal_year=YYYY`` (the year is then in the path, not in the file), or the
  statistics of its ``fiscal_year`` column.
* **Table Schema** of every resource from the pandera models (:mod:`jueshuan_data.schemas`): each column of
  the file with its type (string, integer, number, boolean, date), ``required`` for a non-nullable column,
  ``enum``, ``pattern``, ``minimum``/``maximum`` and length from the model's checks, and its description.
  The schema of a dataset is written once, to ``OUT/_datapackage/<dataset>.schema.json``, and referenced.
* **Keys**: ``primaryKey`` is the input's ``source`` and the dataset's row key (``schemas.ROW_KEYS``, the key
  ``validate.check_keys`` checks per report; a repeated key is a ``row_key`` finding, and then also a
  failure of ``frictionless validate``); ``issues`` has none. Foreign keys: every row's ``report_id`` to
  the ``reports`` resource (the manifest's converted reports, inline), ``code``/``parent_code`` of
  expenditure_by_function and basic_expenditure_by_economic to the classification catalogue
  (``function_codes``, ``economic_codes``, inline, one row per code with its latest name and parent: the
  classification hierarchy), and ``cofog`` to ``cofog_divisions``.
* **The fiscal model** (Fiscal Data Package 0.3 ``model``): a measure for every money column (``*_wan``)
  with ``currency`` CNY, ``factor`` 10000 (values are in 万元), ``direction`` (expenditure for the
  spending datasets), and ``phase``: ``executed`` where every row is from a 决算, ``approved`` where every
  row is from a 预算, and ``phaseBy`` mapping the ``document_kind`` column (决算 → executed, 预算 →
  approved) for a dataset that holds both; ``budget_wan`` (the 年初预算 or 预算数 printed beside a figure)
  is ``approved`` in any document and has no ``phaseBy``; dimensions for the unit, the year, the fund, the document
  kind and the two classifications (code, name, parent, level; COFOG division).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Optional

__all__ = ["write_datapackage", "datapackage", "DESCRIPTOR", "SCHEMA_DIR"]

DESCRIPTOR = "datapackage.json"
SCHEMA_DIR = "_datapackage"
PHASES = {"决算": "executed", "预算": "approved"}
EXPENDITURE = ("expenditure_by_function", "basic_expenditure_by_economic", "three_public", "livelihood_spending")
_YEAR = re.compile(r"^fiscal_year=(\d{4})$")
_NAME_BAD = re.compile(r"[^a-z0-9._-]+")


# ------------------------------------------------------------------------------------ Table Schema

def _field_type(dtype) -> str:
    s = str(dtype).lower()
    if s.startswith("datetime") or "date" in s:
        return "date"
    if "string" in s or s in ("str", "object"):
        return "string"
    if s.startswith("int") or s.startswith("uint"):
        return "integer"
    if s.startswith("float"):
        return "number"
    if s.startswith("bool"):
        return "boolean"
    raise TypeError(f"no Table Schema type for {dtype!r}")


def _constraints(col) -> dict:
    c: dict = {}
    if not col.nullable:
        c["required"] = True
    for check in col.checks:
        st = check.statistics or {}
        if check.name == "isin":
            c["enum"] = list(st["allowed_values"])
        elif check.name == "str_matches":
            c["pattern"] = st["pattern"].removeprefix("^").removesuffix("$")
        elif check.name == "greater_than_or_equal_to":
            c["minimum"] = st["min_value"]
        elif check.name == "less_than_or_equal_to":
            c["maximum"] = st["max_value"]
        elif check.name == "str_length":
            if st.get("min_value") is not None:
                c["minLength"] = st["min_value"]
            if st.get("max_value") is not None:
                c["maxLength"] = st["max_value"]
    return c


def table_schema(dataset: str, columns: list[str]) -> dict:
    """Table Schema of ``dataset`` for a file holding ``columns`` (in that order)."""
    from .schemas import MODELS, ROW_KEYS

    model = MODELS[dataset].to_schema()
    fields = []
    for name in columns:
        col = model.columns.get(name)
        if col is None:   # a column the model does not know: described by name only
            fields.append({"name": name, "type": "any"})
            continue
        f = {"name": name, "type": _field_type(col.dtype)}
        if col.description:
            f["description"] = col.description
        cons = _constraints(col)
        if f["type"] in ("integer", "number") and col.nullable:
            # frictionless-py reads Parquet through pandas, where a null of a numeric column is NaN: no
            # integer type accepts it and every range constraint rejects it. So a nullable integer is
            # declared number and its range is stated in words (the pandera model checks it).
            notes = []
            if f["type"] == "integer":
                f["type"] = "number"
                notes.append("an integer")
            for k, word in (("minimum", "≥"), ("maximum", "≤")):
                if k in cons:
                    notes.append(f"{word} {cons.pop(k)}")
            if notes:
                f["description"] = (f.get("description", "") + f" ({', '.join(notes)})").strip()
        if cons:
            f["constraints"] = cons
        fields.append(f)
    schema: dict = {"fields": fields, "missingValues": [""]}
    # the row key checked per report, with the input's name: two inputs holding the same text share a
    # report_id, and a file may hold several inputs. issues has no enforced key.
    key = ["source", *ROW_KEYS[dataset]]
    if dataset != "issues" and all(k in columns for k in key):
        schema["primaryKey"] = key
    fks = []
    if "report_id" in columns:
        fks.append({"fields": "report_id", "reference": {"resource": "reports", "fields": "report_id"}})
    kind = {"expenditure_by_function": "function", "basic_expenditure_by_economic": "economic"}.get(dataset)
    if kind:
        for f in ("code", "parent_code"):
            if f in columns:
                fks.append({"fields": f, "reference": {"resource": f"{kind}_codes", "fields": "code"}})
    if "cofog" in columns:
        fks.append({"fields": "cofog", "reference": {"resource": "cofog_divisions", "fields": "code"}})
    if fks:
        schema["foreignKeys"] = fks
    return schema


# ---------------------------------------------------------------------------------- reference data

def _codes_resource(kind: str) -> dict:
    from .classification import catalogue

    cat = catalogue(kind)
    cat = cat.assign(_first=cat["first_year"].fillna(-1).astype(int)).sort_values(["code", "_first"])
    latest = cat.drop_duplicates("code", keep="last")
    rows = [[r.code, r.level, r.name, None if not isinstance(r.parent_code, str) else r.parent_code]
            for r in latest.itertuples()]
    title = {"function": "支出功能分类 (functional classification)",
             "economic": "部门预算支出经济分类 (economic classification)"}[kind]
    return {
        "name": f"{kind}_codes", "title": title, "profile": "tabular-data-resource",
        "description": "One row per code of the library's catalogue (jd.catalogue()), with its latest name; "
                       "parent_code gives the 类/款/项 hierarchy.",
        "data": [["code", "level", "name", "parent_code"], *rows],
        "schema": {"fields": [{"name": "code", "type": "string", "constraints": {"required": True}},
                              {"name": "level", "type": "string", "constraints": {"enum": ["类", "款", "项"]}},
                              {"name": "name", "type": "string"},
                              {"name": "parent_code", "type": "string"}],
                   "primaryKey": ["code"],
                   "foreignKeys": [{"fields": "parent_code", "reference": {"resource": "", "fields": "code"}}]},
    }


def _cofog_resource() -> dict:
    from .cofog import DIVISIONS

    return {
        "name": "cofog_divisions", "title": "COFOG 1999 divisions", "profile": "tabular-data-resource",
        "description": "UN Classification of the Functions of Government, divisions; the crosswalk from the "
                       "functional classification is jueshuan_data/data/cofog_crosswalk.csv.",
        "data": [["code", "name"], *[[k, v] for k, v in DIVISIONS.items()]],
        "schema": {"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}],
                   "primaryKey": ["code"]},
    }


def _reports_resource(out: Path) -> dict:
    from .write import read_manifest

    m = read_manifest(out)
    m = m[m["report_id"].notna()].drop_duplicates("report_id")   # copies of one text share a report_id
    import pandas as pd

    rows = [[r.report_id, r.source, r.entity if isinstance(r.entity, str) else None,
             None if pd.isna(r.fiscal_year) else int(r.fiscal_year)]
            for r in m.itertuples()]
    return {
        "name": "reports", "title": "Converted reports", "profile": "tabular-data-resource",
        "description": "One row per report (report_id: hash of its normalised text) in the folder's manifest.",
        "data": [["report_id", "source", "entity", "fiscal_year"], *rows],
        "schema": {"fields": [{"name": "report_id", "type": "string", "constraints": {"required": True}},
                              {"name": "source", "type": "string"}, {"name": "entity", "type": "string"},
                              {"name": "fiscal_year", "type": "integer"}],
                   "primaryKey": ["report_id"]},
    }


# --------------------------------------------------------------------------------------- the model

def _model(datasets: dict[str, dict]) -> dict:
    measures, dimensions = {}, {}
    for dataset, info in datasets.items():
        kinds = info["document_kinds"]
        for col in info["columns"]:
            if not col.endswith("_wan"):
                continue
            m = {"source": col, "resource": dataset, "currency": "CNY", "factor": 10000}
            if col == "budget_wan":
                # the 预算数 a report prints beside its figure (a 决算's 年初预算, a 预算's 三公 预算数): approved
                # whatever the document, so no phaseBy (which would call it executed on 决算 rows)
                m["phase"] = "approved"
            else:
                m["phaseBy"] = {"field": "document_kind", "map": PHASES}
                if col in ("amount_wan", "basic_wan", "project_wan") and len(kinds) == 1 and next(iter(kinds)) in PHASES:
                    m["phase"] = PHASES[next(iter(kinds))]
            if dataset in EXPENDITURE:
                m["direction"] = "expenditure"
            measures[f"{dataset}.{col}"] = m
    if not datasets:
        return {"measures": measures, "dimensions": dimensions}
    first = next(iter(datasets))
    dimensions["unit"] = {"dimensionType": "entity", "primaryKey": ["entity"],
                          "attributes": {"entity": {"source": "entity", "resource": first},
                                         "report_id": {"source": "report_id", "resource": first}}}
    dimensions["date"] = {"dimensionType": "datetime", "primaryKey": ["fiscal_year"],
                          "attributes": {"fiscal_year": {"source": "fiscal_year", "resource": first}},
                          "description": "The fiscal year is the hive partition of each file: the resource's "
                                         "fiscalYear (it is not a column of the file)."}
    dimensions["phase"] = {"dimensionType": "other", "primaryKey": ["document_kind"],
                           "attributes": {"document_kind": {"source": "document_kind", "resource": first}}}
    if "expenditure_by_function" in datasets:
        r = "expenditure_by_function"
        dimensions["fund"] = {"dimensionType": "fact", "primaryKey": ["fund"],
                              "attributes": {"fund": {"source": "fund", "resource": r}}}
        dimensions["functional-classification"] = {
            "dimensionType": "classification", "classificationType": "functional", "primaryKey": ["code"],
            "levels": ["类", "款", "项"],
            "attributes": {
                "code": {"source": "code", "resource": r},
                "name": {"source": "subject", "resource": r, "labelfor": "code"},
                "parent_code": {"source": "parent_code", "resource": r, "parent": "code"},
                "level": {"source": "level", "resource": r},
                "cofog": {"source": "cofog", "resource": r},
            },
        }
    if "basic_expenditure_by_economic" in datasets:
        r = "basic_expenditure_by_economic"
        dimensions["economic-classification"] = {
            "dimensionType": "classification", "classificationType": "economic", "primaryKey": ["code"],
            "levels": ["类", "款"],
            "attributes": {
                "code": {"source": "code", "resource": r},
                "name": {"source": "item", "resource": r, "labelfor": "code"},
                "parent_code": {"source": "parent_code", "resource": r, "parent": "code"},
                "level": {"source": "level", "resource": r},
            },
        }
    return {"measures": measures, "dimensions": dimensions}


# ------------------------------------------------------------------------------------------- build

def _files(out: Path, dataset: str) -> list[Path]:
    root = out / dataset
    if not root.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(dirpath) / f for f in filenames if f.endswith(".parquet") and not f.startswith(".")]
    return sorted(found)


def _year(path: Path, out: Path, meta, cols: list[str]) -> Optional[int]:
    """The one fiscal year of a file: its hive folder, else the statistics of its fiscal_year column."""
    for part in path.relative_to(out).parts:
        m = _YEAR.match(part)
        if m:
            return int(m.group(1))
    if "fiscal_year" not in cols or meta.num_row_groups == 0:
        return None
    years = set()
    for g in range(meta.num_row_groups):
        st = meta.row_group(g).column(cols.index("fiscal_year")).statistics
        if st is None or not st.has_min_max or st.null_count:
            return None
        years |= {st.min, st.max}
    return int(years.pop()) if len(years) == 1 else None


def _kinds(meta, index: int, path: Path) -> set:
    """The document kinds of a file from its row-group statistics (the column itself if they lack)."""
    kinds = set()
    for g in range(meta.num_row_groups):
        col = meta.row_group(g).column(index)
        st = col.statistics
        if st is None or not st.has_min_max:
            if st is not None and st.null_count == col.num_values:
                continue
            import pyarrow.parquet as pq

            return set(pq.read_table(path, columns=["document_kind"]).column(0).to_pylist())
        kinds |= {st.min, st.max}
        if st.null_count:
            kinds.add(None)
    return kinds


def datapackage(out: str | os.PathLike) -> tuple[dict, dict[str, dict]]:
    """The descriptor of ``out`` and the schema of each dataset, as dicts (nothing written)."""
    import pyarrow.parquet as pq

    from . import __version__
    from .schemas import DATASETS, MODELS

    out = Path(out)
    resources, schemas, datasets = [], {}, {}
    for dataset in DATASETS:
        kinds: set = set()
        columns_seen: Optional[list[str]] = None
        for f in _files(out, dataset):
            meta = pq.read_metadata(f)   # the footer only: names and column statistics
            cols = meta.schema.to_arrow_schema().names
            if columns_seen is None:
                columns_seen = cols
                schemas[dataset] = table_schema(dataset, cols)
            schema_ref = f"{SCHEMA_DIR}/{dataset}.schema.json"
            if cols != columns_seen:   # a file of another shape (an older layout): its own schema
                tag = f"{dataset}.{len(schemas)}"
                schemas[tag] = table_schema(dataset, cols)
                schema_ref = f"{SCHEMA_DIR}/{tag}.schema.json"
            if "document_kind" in cols:
                kinds |= _kinds(meta, cols.index("document_kind"), f)
            rel = f.relative_to(out).as_posix()
            year = _year(f, out, meta, cols)
            res = {"name": _NAME_BAD.sub("-", rel.removesuffix(".parquet").lower()).strip("-"), "path": rel,
                   "format": "parquet", "profile": "tabular-data-resource", "group": dataset,
                   "schema": schema_ref}
            if year is not None:
                res["fiscalYear"] = year
            resources.append(res)
        if columns_seen is not None:
            datasets[dataset] = {"columns": columns_seen, "document_kinds": kinds - {None},
                                 "doc": (MODELS[dataset].__doc__ or "").strip()}
    resources += [_reports_resource(out), _codes_resource("function"), _codes_resource("economic"),
                  _cofog_resource()]
    descriptor = {
        "name": "jueshuan-data",
        "title": "Chinese departmental budgets and final accounts (部门预算/部门决算) as tables",
        "description": "Datasets converted by jueshuan_data " + __version__ + ". Money is in 万元 (factor "
                       "10000 to CNY); every figure keeps the literal it was read from (amount_text) and "
                       "its place in the report (evidence, char_start, char_end). Tables: "
                       + "; ".join(f"{d}: {i['doc']}" for d, i in datasets.items()),
        "countryCode": "cn",
        "granularity": "aggregated",
        "profile": "tabular-data-package",
        "resources": resources,
        "model": _model(datasets),
    }
    return descriptor, schemas


def write_datapackage(out: str | os.PathLike) -> Path:
    """Write ``OUT/datapackage.json`` (and the dataset schemas it references) for the files in ``out``.

    Each file is written under a temporary name and renamed into place.
    """
    out = Path(out)
    descriptor, schemas = datapackage(out)
    folder = out / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        _atomic_json(folder / f"{name}.schema.json", schema)
    for old in folder.glob("*.schema.json"):   # schemas of datasets no longer present
        if old.name.removesuffix(".schema.json") not in schemas:
            old.unlink()
    path = out / DESCRIPTOR
    _atomic_json(path, descriptor)
    return path


def _atomic_json(path: Path, obj: dict) -> None:
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
