"""The Parquet layout: one hive-partitioned dataset per table, a manifest, atomic writes.

Layout (DESIGN.md, "Parquet layout")::

    OUT/<dataset>/fiscal_year=<YYYY>/part-<key>.parquet
    OUT/_manifest.parquet

* **One part file per (input, dataset, year).** ``<key>`` is the first 16 hex characters of the sha256 of
  the input's identity, its absolute path (:func:`input_key`). Converting the same file again rewrites the
  same part file names, so a rerun never duplicates rows; a changed file replaces its own part files and
  nothing else; a new file adds new ones. Datasets a report has no rows for get no file. This trades a
  larger number of small files (hundreds of reports give a few thousand files of a few kB to a few
  hundred kB) for replacement without rewriting anybody else's data; pyarrow, DuckDB, Polars and Spark
  read such a folder directly. Each file holds one row group (reports are far below ``ROW_GROUP_SIZE``).
* **Types** are the pandera models' (:data:`jueshuan_data.schemas.MODELS`): strings as ``string``,
  ``Int16``/``Int32``/``Int64`` as int16/int32/int64, money and percentages as float64, dates
  (``asset_composition.as_of``) as Parquet ``date32``. ``fiscal_year`` is the hive partition and, as is
  usual for hive layouts (Spark refuses a column that is both in the files and in the path), is *not*
  stored in the files; declare it as int16 when reading (:func:`read_dataset`, or DuckDB
  ``hive_types={'fiscal_year': SMALLINT}``). A report without a fiscal year goes to
  ``fiscal_year=__HIVE_DEFAULT_PARTITION__`` (read back as null).
* **Compression** zstd (level 3), dictionary encoding and column statistics on.
* **Atomic writes.** Every file (part files and the manifest) is written to a hidden temporary name in its
  final folder (``.part-….parquet.<pid>.tmp``; pyarrow, DuckDB globs and Spark ignore such names) and then
  ``os.replace``-d into place, so a reader sees the old file or the new one, never half of one. Old part
  files of an input are removed only after its new ones are in place. A run that is killed leaves at worst
  some inputs converted but not yet in the manifest; the next run converts them again (same names, so no
  duplicates) and removes leftover temporary files.
* **Manifest** ``OUT/_manifest.parquet``: one row per input ever converted into OUT (see
  :data:`MANIFEST_COLUMNS`), rewritten atomically.
* One writer at a time: a run holds an exclusive lock on ``OUT/.jueshuan.lock`` (POSIX ``flock``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from . import __version__
from .schemas import COLUMNS, DATASETS, MODELS, conform, empty_frame

__all__ = [
    "write_report", "read_dataset", "read_manifest", "write_manifest", "arrow_schema", "input_key",
    "input_identity", "part_path", "write_parts", "remove_parts", "replace_parts", "scan_parts", "cleanup_temp_files",
    "output_lock", "OutputLockedError", "MANIFEST_COLUMNS", "MANIFEST_FILE", "ROW_GROUP_SIZE",
    "HIVE_NULL",
]

MANIFEST_FILE = "_manifest.parquet"
LOCK_FILE = ".jueshuan.lock"
PARTITION = "fiscal_year"
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
ROW_GROUP_SIZE = 128 * 1024
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3


class OutputLockedError(RuntimeError):
    """Another process is writing into the same output folder."""


# ---------------------------------------------------------------------------------------------- types

def _arrow_type(dtype) -> pa.DataType:
    s = str(dtype).lower()
    if s.startswith("datetime64") or "date" in s:
        return pa.date32()
    if "string" in s or s in ("str", "object"):
        return pa.string()
    if s in ("int16",):
        return pa.int16()
    if s in ("int32",):
        return pa.int32()
    if s in ("int64", "int"):
        return pa.int64()
    if s.startswith("float"):
        return pa.float64()
    if s.startswith("bool"):
        return pa.bool_()
    raise TypeError(f"no Parquet type for pandera dtype {dtype!r}")


_SCHEMAS: dict[tuple[str, bool], pa.Schema] = {}


def arrow_schema(dataset: str, partition: bool = True) -> pa.Schema:
    """The Arrow schema of a dataset, from its pandera model, in ``COLUMNS`` order.

    ``partition=False`` leaves out ``fiscal_year`` (the schema of the part files themselves).

    >>> arrow_schema("livelihood_spending").field("fiscal_year").type
    DataType(int16)
    >>> "fiscal_year" in arrow_schema("livelihood_spending", partition=False).names
    False
    """
    key = (dataset, partition)
    if key not in _SCHEMAS:
        if dataset not in MODELS:
            raise ValueError(f"unknown dataset {dataset!r}; one of {', '.join(DATASETS)}")
        schema = MODELS[dataset].to_schema()
        fields = []
        for c in COLUMNS[dataset]:
            if c == PARTITION and not partition:
                continue
            col = schema.columns[c]
            fields.append(pa.field(c, _arrow_type(col.dtype), nullable=bool(col.nullable)))
        _SCHEMAS[key] = pa.schema(fields)
    return _SCHEMAS[key]


def to_arrow(df: pd.DataFrame, dataset: str) -> pa.Table:
    """A conformed frame -> Arrow table with the part-file schema (no ``fiscal_year``)."""
    schema = arrow_schema(dataset, partition=False)
    arrays = []
    for f in schema:
        s = df[f.name]
        if pa.types.is_date32(f.type):
            arr = pa.array(pd.to_datetime(s).dt.date.astype(object).where(s.notna(), None), type=pa.date32())
        elif pa.types.is_string(f.type):
            arr = pa.array(s.astype(object).where(s.notna(), None), type=pa.string())
        else:
            arr = pa.array(s, type=f.type, from_pandas=True)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema.remove_metadata())


# ------------------------------------------------------------------------------------------ identity

def input_identity(path: str | os.PathLike | None, source: str | None = None) -> str:
    """What identifies an input across runs: its absolute path (``source`` when there is no path)."""
    if path is None:
        return f"<text>/{source}"
    return Path(os.path.abspath(os.fspath(path))).as_posix()


def input_key(identity: str) -> str:
    """16 hex chars naming an input's part files.

    >>> len(input_key("/data/a.txt"))
    16
    """
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


def _year_dir(fiscal_year) -> str:
    if fiscal_year is None or (isinstance(fiscal_year, float) and pd.isna(fiscal_year)) or fiscal_year is pd.NA:
        return f"{PARTITION}={HIVE_NULL}"
    return f"{PARTITION}={int(fiscal_year)}"


def part_path(out_dir: str | Path, dataset: str, fiscal_year, key: str) -> Path:
    """``OUT/<dataset>/fiscal_year=<YYYY>/part-<key>.parquet``."""
    return Path(out_dir) / dataset / _year_dir(fiscal_year) / f"part-{key}.parquet"


# ------------------------------------------------------------------------------------ atomic writes

def _atomic_write_table(table: pa.Table, path: Path, fsync: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        pq.write_table(
            table, tmp, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL,
            row_group_size=ROW_GROUP_SIZE, use_dictionary=True, write_statistics=True,
        )
        if fsync:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def cleanup_temp_files(out_dir: str | Path) -> int:
    """Remove temporary files left by a killed run; returns how many. Call only under :func:`output_lock`."""
    out = Path(out_dir)
    n = 0
    if not out.exists():
        return 0
    for p in out.rglob(".*.tmp"):
        with contextlib.suppress(OSError):
            p.unlink()
            n += 1
    return n


@contextlib.contextmanager
def output_lock(out_dir: str | Path):
    """Hold an exclusive lock on ``OUT/.jueshuan.lock`` (non-blocking; raises :class:`OutputLockedError`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no locking
        yield
        return
    fh = open(out / LOCK_FILE, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputLockedError(f"{out}: another process is writing into this folder") from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        fh.close()


def scan_parts(out_dir: str | Path) -> dict[str, set[Path]]:
    """Every part file under OUT, by input key: ``{key: {path, ...}}`` (one directory walk)."""
    out = Path(out_dir)
    index: dict[str, set[Path]] = {}
    for dataset in DATASETS:
        root = out / dataset
        if not root.is_dir():
            continue
        for year in os.scandir(root):
            if not (year.is_dir() and year.name.startswith(PARTITION + "=")):
                continue
            for f in os.scandir(year.path):
                name = f.name
                if name.startswith("part-") and name.endswith(".parquet"):
                    index.setdefault(name[5:-8], set()).add(Path(f.path))
    return index


def write_parts(out_dir: str | Path, key: str, fiscal_year, tables: Mapping[str, pa.Table | pd.DataFrame]) -> set[Path]:
    """Write one input's tables as part files (atomically, one by one); returns the paths written.

    Empty tables write nothing. Frames are conformed to the dataset's schema first; Arrow tables must
    already have the part-file schema (:func:`arrow_schema` with ``partition=False``).
    """
    written: set[Path] = set()
    for dataset, t in tables.items():
        if t is None or len(t) == 0:
            continue
        if isinstance(t, pd.DataFrame):
            t = to_arrow(conform(dataset, t), dataset)
        path = part_path(out_dir, dataset, fiscal_year, key)
        _atomic_write_table(t, path)
        written.add(path)
    return written


def remove_parts(paths: Iterable[Path]) -> int:
    n = 0
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(p)
            n += 1
    return n


def replace_parts(out_dir: str | Path, key: str, by_year: Mapping[object, Mapping[str, pa.Table | pd.DataFrame]],
                  old: Iterable[Path]) -> set[Path]:
    """Replace one input's part files: write the new ones (``{fiscal_year: {dataset: table}}``), then
    remove its ``old`` ones that were not rewritten. Returns the paths written."""
    written: set[Path] = set()
    for fiscal_year, tables in by_year.items():
        written |= write_parts(out_dir, key, fiscal_year, tables)
    remove_parts(set(old) - written)
    return written


# ------------------------------------------------------------------------------------------ manifest

MANIFEST_COLUMNS: list[str] = [
    "path", "source", "report_id", "sha256", "status", "error", "error_type", "entity", "fiscal_year",
    *[f"rows_{d}" for d in DATASETS], "library_version", "converted_at", "seconds",
]
"""Manifest columns. ``path`` (absolute path) identifies the input; ``status`` is ``ok`` or ``failed``
(``error``/``error_type`` say why); ``report_id``, ``entity``, ``fiscal_year`` and ``rows_<dataset>``
describe the rows this input has in the datasets — after a failed reconversion they still describe the
rows of the last successful one, which are kept; ``sha256`` is of the input bytes of the last attempt;
``converted_at`` (UTC) and ``seconds`` (parse time) are of the last attempt."""

_MANIFEST_SCHEMA = pa.schema(
    [pa.field(c, pa.string()) for c in MANIFEST_COLUMNS[:8]]
    + [pa.field("fiscal_year", pa.int16())]
    + [pa.field(f"rows_{d}", pa.int64()) for d in DATASETS]
    + [pa.field("library_version", pa.string()), pa.field("converted_at", pa.timestamp("ms", tz="UTC")),
       pa.field("seconds", pa.float64())]
)
_MANIFEST_DTYPES = {
    **{c: "string" for c in MANIFEST_COLUMNS[:8]}, "fiscal_year": "Int16",
    **{f"rows_{d}": "Int64" for d in DATASETS}, "library_version": "string", "seconds": "float64",
}


def empty_manifest() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _MANIFEST_DTYPES.items()})
    df["converted_at"] = pd.Series(dtype="datetime64[ms, UTC]")
    return df[MANIFEST_COLUMNS]


def _conform_manifest(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for c in MANIFEST_COLUMNS:
        if c not in df.columns:
            df[c] = None
    df = df[MANIFEST_COLUMNS]
    for c, t in _MANIFEST_DTYPES.items():
        df[c] = df[c].astype(t)
    df["converted_at"] = pd.to_datetime(df["converted_at"], utc=True).astype("datetime64[ms, UTC]")
    return df.reset_index(drop=True)


def read_manifest(out_dir: str | Path) -> pd.DataFrame:
    """``OUT/_manifest.parquet`` as a DataFrame (an empty one with the columns when there is none)."""
    p = Path(out_dir) / MANIFEST_FILE
    if not p.exists():
        return empty_manifest()
    return _conform_manifest(pq.read_table(p).to_pandas())


def write_manifest(out_dir: str | Path, manifest: pd.DataFrame) -> Path:
    """Rewrite the manifest atomically (temp file, fsync, ``os.replace``); rows sorted by path."""
    df = _conform_manifest(manifest).sort_values("path", kind="stable").reset_index(drop=True)
    table = pa.Table.from_pandas(df, schema=_MANIFEST_SCHEMA, preserve_index=False)
    p = Path(out_dir) / MANIFEST_FILE
    _atomic_write_table(table, p, fsync=True)
    return p


def merge_manifest(old: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """Replace/append manifest rows by ``path`` (of rows with the same path, the last one counts)."""
    if not rows:
        return old
    new = _conform_manifest(pd.DataFrame(rows)).drop_duplicates("path", keep="last")
    keep = old[~old["path"].isin(set(new["path"]))]
    parts = [f for f in (keep, new) if len(f)]
    return _conform_manifest(pd.concat(parts, ignore_index=True)) if parts else empty_manifest()


def manifest_row(*, path: str, source: str, status: str, report_id=None, sha256=None, error=None,
                 error_type=None, entity=None, fiscal_year=None, rows: Mapping[str, int] | None = None,
                 seconds: float | None = None) -> dict:
    row = {
        "path": path, "source": source, "report_id": report_id, "sha256": sha256, "status": status,
        "error": error, "error_type": error_type, "entity": entity, "fiscal_year": fiscal_year,
        "library_version": __version__, "converted_at": datetime.now(timezone.utc), "seconds": seconds,
    }
    for d in DATASETS:
        row[f"rows_{d}"] = int((rows or {}).get(d, 0))
    return row


# -------------------------------------------------------------------------------------- one report

def report_tables(report) -> dict[str, pd.DataFrame]:
    """The dataset frames of a report (``report.tables``; ``issues`` from ``report.issues`` if missing)."""
    tables = dict(getattr(report, "tables", {}) or {})
    if "issues" not in tables and getattr(report, "issues", None) is not None:
        tables["issues"] = report.issues
    return {d: tables[d] for d in DATASETS if d in tables and tables[d] is not None}


def write_report(report, out_dir: str | Path) -> dict[str, int]:
    """Write one parsed report into the dataset layout under ``out_dir``; returns rows per dataset.

    Used by ``Report.write_parquet``. The input is identified by ``report.path`` (absolute) when the
    report has one, else by its source name; the input's previous part files (an older version of the
    same file) are replaced, and its manifest row is written (``seconds`` is null: no parse was timed).
    """
    out = Path(out_dir)
    path = getattr(report, "path", None) or getattr(getattr(report, "document", None), "path", None)
    identity = input_identity(path, report.source)
    key = input_key(identity)
    tables = report_tables(report)
    with output_lock(out):
        cleanup_temp_files(out)
        replace_parts(out, key, {report.fiscal_year: tables}, out.glob(f"*/{PARTITION}=*/part-{key}.parquet"))
        rows = {d: len(tables.get(d, ())) for d in DATASETS}
        write_manifest(out, merge_manifest(read_manifest(out), [manifest_row(
            path=identity, source=report.source, status="ok", report_id=report.report_id,
            sha256=getattr(report, "sha256", None), entity=report.entity, fiscal_year=report.fiscal_year, rows=rows,
        )]))
    return rows


# -------------------------------------------------------------------------------------------- read

def _filter_expr(filters: Mapping[str, object], schema: pa.Schema):
    expr = None
    for col, value in filters.items():
        if col not in schema.names:
            raise ValueError(f"unknown column {col!r} to filter on; columns: {', '.join(schema.names)}")
        field = ds.field(col)
        if isinstance(value, (list, tuple, set, frozenset)):
            values = list(value)
            e = field.isin(values)
        elif value is None:
            e = field.is_null()
        else:
            e = field == value
        expr = e if expr is None else expr & e
    return expr


def read_dataset(out_dir: str | Path, name: str, columns: list[str] | None = None, **filters) -> pd.DataFrame:
    """One dataset across all years (and reports) as a DataFrame with the schema's columns and dtypes.

    ``filters`` are column equalities (``fiscal_year=2023``, ``fund="一般公共预算"``); a list, tuple or set
    means "one of" and ``None`` means null. ``columns`` selects columns.

    >>> read_dataset("out/", "expenditure_by_function", fiscal_year=[2022, 2023], level="类")  # doctest: +SKIP
    """
    out = Path(out_dir)
    if name not in MODELS:
        raise ValueError(f"unknown dataset {name!r}; one of {', '.join(DATASETS)}")
    if not out.is_dir():
        raise FileNotFoundError(f"{out}: no such output folder")
    schema = arrow_schema(name)
    if "fiscal_year" in filters and filters["fiscal_year"] is not None:
        v = filters["fiscal_year"]
        filters = {**filters, "fiscal_year": [int(x) for x in v] if isinstance(v, (list, tuple, set, frozenset)) else int(v)}
    expr = _filter_expr(filters, schema)
    root = out / name
    files = sorted(root.glob(f"{PARTITION}=*/part-*.parquet")) if root.is_dir() else []
    if not files:
        frame = empty_frame(name)
    else:
        part = ds.HivePartitioning(pa.schema([(PARTITION, pa.int16())]), null_fallback=HIVE_NULL)
        dset = ds.dataset([str(f) for f in files], format="parquet", partitioning=part,
                          partition_base_dir=str(root), schema=schema)
        table = dset.to_table(filter=expr)
        frame = conform(name, table.to_pandas())
    if columns is not None:
        frame = frame[list(columns)]
    return frame
