"""The Parquet layout: one folder of files per dataset and year, a few files each, a manifest.

Layout::

    OUT/<dataset>/part-<year>-<seq>.parquet     # year: 2023 …, or no_year for a report without one
    OUT/_manifest.jsonl                         # one line per input
    OUT/.jueshuan.lock                          # held while a run writes (empty)

Every reader reads a dataset folder as it is, with nothing to declare:

>>> import pandas as pd                                                    # doctest: +SKIP
>>> pd.read_parquet("out/expenditure_by_function")                         # doctest: +SKIP
>>> duckdb.sql("SELECT * FROM 'out/facts/*.parquet'")                       # doctest: +SKIP
>>> polars.read_parquet("out/facts/*.parquet")                             # doctest: +SKIP
>>> spark.read.parquet("out/facts")                                        # doctest: +SKIP

* **Files per dataset and year are bounded, not one per input.** A batch writes one file per dataset
  and year (``part-<year>-<seq>.parquet``, ``seq`` grows with every write; ``part-2023-*.parquet``
  selects a year). When a folder holds
  :data:`MERGE_FACTOR` files of about the same size they are merged into one, so a folder holds a few
  files per size tier: their number grows with the logarithm of the data, whatever the number of inputs
  (500 reports: 2-5 files per dataset and year).
* **Which rows belong to which input** is written in each file's footer (key ``jueshuan.inputs``: the
  input keys and their row counts, in file order; rows of one input are contiguous). Converting a
  changed input writes its new rows in the new batch's files, then rewrites the older files that held
  its rows without them; an input's rows are always in one place per dataset. The footers are the truth
  the manifest is checked against, so a manifest that lags behind (a run killed between two writes) is
  corrected by the next run.
* **Columns and types** are the pandera models' (:data:`jueshuan_data.schemas.MODELS`), ``fiscal_year``
  included as a real int16 column (null for a report without a year). A dataset is one flat folder,
  the year in the file name: hive folders (``fiscal_year=2023/``) made plain pandas read the year as a
  category and fail on a null year ("Cannot yet unify dictionaries with nulls") and Spark refuse the
  column in the files; plain year folders are not read by Spark without options.
  The files carry pandas metadata, so ``pd.read_parquet`` returns the nullable dtypes (Int16, string);
  dates (``asset_composition.as_of``) are Parquet ``date32``.
* **Atomic writes.** Every file is written under a hidden temporary name in its folder
  (``.part-….parquet.<pid>.tmp``; pyarrow, DuckDB's ``*.parquet`` globs, Polars and Spark ignore it) and
  ``os.replace``-d into place: a reader sees a whole file, never half of one. A run killed between the
  write of a changed input's new rows and the removal of its old ones leaves both in the folder until
  the next run (which removes the old ones first); :func:`read_dataset` never shows the two: of an
  input's rows it reads only the newest file's.
* **Compression** zstd (level 3), dictionary encoding and column statistics on.
* **Manifest** ``OUT/_manifest.jsonl`` (JSON Lines, see :data:`MANIFEST_COLUMNS`; not a ``.parquet``
  file, so that ``read_parquet('OUT/**/*.parquet')`` reads the datasets only), rewritten atomically.
* **One writer at a time**: a run holds ``OUT/.jueshuan.lock`` (the ``filelock`` package). The lock file
  stays after the run: a lock file deleted on release is what lets two writers in at once.

Why not Delta Lake: measured in ``benchmarks/README.md``. In short, a Delta folder read by plain pandas,
DuckDB or Spark without the Delta reader shows the rows of removed files until a vacuum, DuckDB's and
Spark's Delta readers are not installable offline, and its writes were slower per batch; this layout is
read correctly by all of them.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from . import __version__
from .errors import OutputError, OutputLockedError
from .ingest import display_name
from .schemas import COLUMNS, DATASETS, MODELS, conform, empty_frame

__all__ = [
    "write_report", "read_dataset", "read_manifest", "write_manifest", "arrow_schema", "to_arrow",
    "input_identity", "input_key", "display_name", "Store", "output_lock", "OutputLockedError", "OutputError",
    "MANIFEST_COLUMNS", "MANIFEST_FILE", "LOCK_FILE", "NO_YEAR", "MERGE_FACTOR", "ROW_GROUP_SIZE",
]

MANIFEST_FILE = "_manifest.jsonl"
LOCK_FILE = ".jueshuan.lock"
NO_YEAR = "no_year"
"""The year in the file name of a report without a fiscal year."""
INPUTS_KEY = b"jueshuan.inputs"
ROW_GROUP_SIZE = 128 * 1024
MERGE_FACTOR = 4          # files of one size tier merged together
TIER_BASE_ROWS = 4096     # files below this many rows are all of the first tier
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3
_PART = re.compile(r"^part-(\d+|no_year)-(\d+)\.parquet$")


def output_problem(e: OSError, out: Path) -> str:
    """One line saying what went wrong with the output folder."""
    what = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "disk quota exceeded",
            errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
            errno.EPERM: "operation not permitted"}.get(e.errno, e.strerror or type(e).__name__)
    return f"{out}: cannot write the output folder: {what}"


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


_SCHEMAS: dict[str, pa.Schema] = {}


def arrow_schema(dataset: str) -> pa.Schema:
    """The Arrow schema of a dataset's files, from its pandera model, in ``COLUMNS`` order, with the pandas
    metadata that gives plain ``pd.read_parquet`` the model's dtypes.

    >>> arrow_schema("livelihood_spending").field("fiscal_year").type
    DataType(int16)
    """
    if dataset not in _SCHEMAS:
        if dataset not in MODELS:
            raise ValueError(f"unknown dataset {dataset!r}; one of {', '.join(DATASETS)}")
        schema = MODELS[dataset].to_schema()
        plain = pa.schema([pa.field(c, _arrow_type(schema.columns[c].dtype), nullable=bool(schema.columns[c].nullable))
                           for c in COLUMNS[dataset]])
        meta = pa.Table.from_pandas(empty_frame(dataset), schema=plain, preserve_index=False).schema.metadata
        _SCHEMAS[dataset] = plain.with_metadata({b"pandas": meta[b"pandas"]})
    return _SCHEMAS[dataset]


def to_arrow(df: pd.DataFrame, dataset: str) -> pa.Table:
    """A conformed frame -> Arrow table with the dataset's file schema."""
    return pa.Table.from_pandas(df, schema=arrow_schema(dataset), preserve_index=False)


# ------------------------------------------------------------------------------------------ identity

def input_identity(path: str | os.PathLike | None, source: str | None = None) -> str:
    """What identifies an input across runs: its real path (symlinks resolved, as text; ``source`` when
    there is no path). Two names of one file (a symlink, ``a/../a.txt``) are one input."""
    if path is None:
        return f"<text>/{source}"
    return display_name(Path(os.path.realpath(os.fspath(path))).as_posix())


def input_key(identity: str) -> str:
    """16 hex chars naming an input in the files' footers.

    >>> len(input_key("/data/a.txt"))
    16
    """
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


def part_path(out: Path, dataset: str, year: str, seq: int) -> Path:
    """``OUT/<dataset>/part-<year>-<seq>.parquet``."""
    return Path(out) / dataset / f"part-{year}-{seq:06d}.parquet"


def year_key(fiscal_year) -> str:
    if fiscal_year is None or fiscal_year is pd.NA or (isinstance(fiscal_year, float) and math.isnan(fiscal_year)):
        return NO_YEAR
    return str(int(fiscal_year))


# ------------------------------------------------------------------------------------ atomic writes

def _tmp_name(path: Path) -> Path:
    return path.parent / f".{path.name}.{os.getpid()}.tmp"


def _write_parquet(path: Path, schema: pa.Schema, inputs: list[tuple[str, int]], chunks: Iterable) -> None:
    """Write the tables / record batches ``chunks`` (one schema) to ``path`` atomically (temporary name,
    then ``os.replace``), with the inputs they hold in the footer. Chunks are written as they come, so a
    merge of large files holds one chunk in memory, not the files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    schema = schema.with_metadata({**(schema.metadata or {}), INPUTS_KEY: json.dumps(inputs).encode()})
    try:
        with pq.ParquetWriter(tmp, schema, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL,
                              use_dictionary=True, write_statistics=True) as w:
            buf, n = [], 0
            for c in chunks:
                buf.append(c if isinstance(c, pa.Table) else pa.Table.from_batches([c]))
                n += buf[-1].num_rows
                if n >= ROW_GROUP_SIZE:
                    w.write_table(pa.concat_tables(buf).cast(schema), row_group_size=ROW_GROUP_SIZE)
                    buf, n = [], 0
            if buf:
                w.write_table(pa.concat_tables(buf).cast(schema), row_group_size=ROW_GROUP_SIZE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _read_ranges(path: Path, keep: list[tuple[int, int]]):
    """Record batches of the rows ``[start, stop)`` of each range in ``keep`` (ascending) of a file."""
    pf = pq.ParquetFile(path)
    pos = 0
    for batch in pf.iter_batches(batch_size=64 * 1024):
        lo, hi = pos, pos + batch.num_rows
        for a, b in keep:
            a, b = max(a, lo), min(b, hi)
            if a < b:
                yield batch.slice(a - lo, b - a)
        pos = hi


def _ranges(inputs: list[tuple[str, int]], keep) -> list[tuple[int, int]]:
    out, pos = [], 0
    for k, n in inputs:
        if keep(k):
            if out and out[-1][1] == pos:
                out[-1] = (out[-1][0], pos + n)
            else:
                out.append((pos, pos + n))
        pos += n
    return out


def _atomic_write_bytes(data: bytes, path: Path, fsync: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
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


def starting_worker_marker() -> Path:
    """A file that a starting worker process creates when it finds itself running the user's script: the
    parent, which cannot otherwise tell why its workers keep dying, raises a clear error instead of waiting."""
    import tempfile

    key = os.environ.setdefault("JUESHUAN_PARENT", str(os.getpid()))   # inherited by the workers
    return Path(tempfile.gettempdir()) / f"jueshuan-unguarded-{key}"


def refuse_in_a_starting_worker() -> None:
    """Raise when called while a worker process starts: it imports the main script (as ``__mp_main__``), and
    a script that converts or writes at its top level, without ``if __name__ == "__main__":``, would do it
    again in every worker (and each worker would die, again and again)."""
    import multiprocessing
    import sys

    if multiprocessing.current_process().name != "MainProcess" and "__mp_main__" in sys.modules:
        with contextlib.suppress(OSError):
            starting_worker_marker().touch()
        raise RuntimeError(
            "jueshuan_data was asked to convert or write while a worker process was starting: the script that "
            "calls it runs again in every worker. Put the call under `if __name__ == \"__main__\":` (see the README).")


@contextlib.contextmanager
def output_lock(out_dir: str | Path):
    """Hold the writer's lock on ``OUT/.jueshuan.lock`` (non-blocking; raises :class:`OutputLockedError`)."""
    from filelock import FileLock, Timeout

    refuse_in_a_starting_worker()
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(out / LOCK_FILE), timeout=0)
        lock.acquire()
    except Timeout:
        raise OutputLockedError(f"{out}: another process is writing into this folder") from None
    except OSError as e:
        raise OutputError(output_problem(e, out)) from e
    try:
        yield
    finally:
        lock.release()


# ------------------------------------------------------------------------------------- the files

@dataclass
class Part:
    """One Parquet file of a dataset and year, and the inputs whose rows it holds (in file order)."""

    path: Path
    dataset: str
    year: str
    seq: int
    inputs: list[tuple[str, int]] = field(default_factory=list)    # (input key, rows)

    @property
    def rows(self) -> int:
        return sum(n for _, n in self.inputs)


def _footer_inputs(path: Path) -> list[tuple[str, int]] | None:
    try:
        meta = pq.read_metadata(path).metadata or {}
    except (OSError, pa.ArrowInvalid):
        return None
    raw = meta.get(INPUTS_KEY)
    if raw is None:
        return None
    return [(k, int(n)) for k, n in json.loads(raw)]


def _scan(out: Path, datasets: Iterable[str] = DATASETS) -> list[Part]:
    parts = []
    for dataset in datasets:
        root = out / dataset
        if not root.is_dir():
            continue
        for f in os.scandir(root):
            m = _PART.match(f.name)
            if not m:
                continue
            inputs = _footer_inputs(Path(f.path))
            if inputs is None:     # not ours, or unreadable: left alone, read by nobody of ours
                continue
            parts.append(Part(Path(f.path), dataset, m.group(1), int(m.group(2)), inputs))
    return parts


def _live(parts: list[Part]) -> dict[tuple[str, str], Part]:
    """(dataset, input key) -> the newest part holding that input's rows."""
    live: dict[tuple[str, str], Part] = {}
    for p in sorted(parts, key=lambda p: p.seq):
        for k, _ in p.inputs:
            live[(p.dataset, k)] = p
    return live


class Store:
    """The part files of one output folder and the inputs they hold; all writes go through it.

    Use under :func:`output_lock`. ``Store(out)`` reads every file's footer (a few files per dataset and
    year) and repairs what a killed run left: temporary files, and an input's rows in two files (the
    newest file's are kept).
    """

    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.parts: list[Part] = _scan(self.out)
        self.next_seq = max((p.seq for p in self.parts), default=0) + 1
        self._repair()

    # -- what is there
    def keys(self) -> set[str]:
        return {k for p in self.parts for k, _ in p.inputs}

    def files(self, dataset: str | None = None, year: str | None = None) -> list[Part]:
        return [p for p in self.parts if (dataset is None or p.dataset == dataset) and (year is None or p.year == year)]

    # -- writing
    def input_rows(self) -> dict[str, dict[str, int]]:
        """Rows per dataset of every input in the folder: ``{input key: {dataset: rows}}``."""
        out: dict[str, dict[str, int]] = {}
        for p in self.parts:
            for k, n in p.inputs:
                out.setdefault(k, {})[p.dataset] = n
        return out

    def write_batch(self, tables: Mapping[str, Mapping[str, list[tuple[str, pa.Table]]]],
                    keys: Iterable[str] = ()) -> list[Part]:
        """Write one batch: ``{dataset: {year: [(input key, table), ...]}}`` -> one file per dataset and year.

        Then removes the older rows of the batch's inputs (from every dataset: an input whose new version
        has no rows in a dataset loses its old ones there too; ``keys`` names inputs of the batch that have
        no rows at all) and merges small files.
        """
        seq = self.next_seq
        self.next_seq += 1
        written = []
        batch_keys = set(keys)
        for dataset, by_year in tables.items():
            for year, pieces in by_year.items():
                batch_keys.update(k for k, _ in pieces)
                pieces = [(k, t) for k, t in pieces if t.num_rows]
                if not pieces:
                    continue
                inputs = [(k, t.num_rows) for k, t in pieces]
                path = part_path(self.out, dataset, year, seq)
                _write_parquet(path, arrow_schema(dataset), inputs, [t for _, t in pieces])
                part = Part(path, dataset, year, seq, inputs)
                self.parts.append(part)
                written.append(part)
        self.remove_inputs(batch_keys, older_than=seq)
        for dataset, year in {(p.dataset, p.year) for p in written}:
            self.compact(dataset, year)
        return written

    def remove_inputs(self, keys: Iterable[str], older_than: int | None = None) -> int:
        """Remove the rows of the inputs ``keys`` from every file (older than ``older_than``); returns rows removed."""
        keys = set(keys)
        removed = 0
        for part in list(self.parts):
            if older_than is not None and part.seq >= older_than:
                continue
            drop = {k for k, _ in part.inputs} & keys
            if drop:
                removed += self._rewrite_without(part, drop)
        return removed

    def _rewrite_without(self, part: Part, drop: set[str]) -> int:
        keep_inputs = [(k, n) for k, n in part.inputs if k not in drop]
        n_removed = part.rows - sum(n for _, n in keep_inputs)
        if not keep_inputs:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part.path)
            self.parts.remove(part)
            return n_removed
        keep = _ranges(part.inputs, lambda k: k not in drop)
        _write_parquet(part.path, arrow_schema(part.dataset), keep_inputs, _read_ranges(part.path, keep))
        part.inputs = keep_inputs
        return n_removed

    def compact(self, dataset: str, year: str) -> Part | None:
        """Merge :data:`MERGE_FACTOR` files of one size tier into one (repeatedly); returns the last merged."""
        merged = None
        while True:
            tiers: dict[int, list[Part]] = {}
            for p in self.files(dataset, year):
                tiers.setdefault(_tier(p.rows), []).append(p)
            group = next((sorted(g, key=lambda p: p.seq) for _, g in sorted(tiers.items()) if len(g) >= MERGE_FACTOR), None)
            if group is None:
                return merged
            merged = self._merge(group)

    def _merge(self, group: list[Part]) -> Part:
        seq = self.next_seq
        self.next_seq += 1
        inputs = [x for p in group for x in p.inputs]
        path = part_path(self.out, group[0].dataset, group[0].year, seq)
        chunks = (b for p in group for b in pq.ParquetFile(p.path).iter_batches(batch_size=64 * 1024))
        _write_parquet(path, arrow_schema(group[0].dataset), inputs, chunks)
        new = Part(path, group[0].dataset, group[0].year, seq, inputs)
        self.parts.append(new)
        for p in group:        # the merged file is whole before its sources go
            with contextlib.suppress(FileNotFoundError):
                os.unlink(p.path)
            self.parts.remove(p)
        return new

    def _repair(self) -> None:
        """An input's rows in two files of a dataset (a run killed between writing the new rows and
        removing the old): the older copies go."""
        live = _live(self.parts)
        for part in sorted(self.parts, key=lambda p: p.seq):
            stale = {k for k, _ in part.inputs if live[(part.dataset, k)] is not part}
            if stale:
                self._rewrite_without(part, stale)


def _tier(rows: int) -> int:
    return 0 if rows <= TIER_BASE_ROWS else int(math.log(rows / TIER_BASE_ROWS, MERGE_FACTOR)) + 1


# ------------------------------------------------------------------------------------------ manifest

MANIFEST_COLUMNS: list[str] = [
    "path", "source", "key", "report_id", "sha256", "status", "error", "error_type", "entity", "fiscal_year",
    *[f"rows_{d}" for d in DATASETS], "library_version", "converted_at", "seconds",
]
"""Manifest columns. ``path`` (the input's real path) identifies the input, ``key`` names it in the files'
footers; ``status`` is ``ok``, ``failed`` (``error``/``error_type`` say why), ``removed`` (the input no longer
exists: its rows were removed) or ``not_written`` (the run stopped before it, e.g. the disk was full);
``report_id``, ``entity``, ``fiscal_year`` and ``rows_<dataset>`` describe the rows this input has in the
datasets — after a failed reconversion they still describe the rows of the last successful one, which are
kept; ``sha256`` is of the input bytes of the last attempt; ``converted_at`` (UTC) and ``seconds`` (parse
time) are of the last attempt."""

_STRING_COLS = ["path", "source", "key", "report_id", "sha256", "status", "error", "error_type", "entity"]
_MANIFEST_DTYPES = {
    **{c: "string" for c in _STRING_COLS}, "fiscal_year": "Int16",
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
    df["converted_at"] = pd.to_datetime(df["converted_at"], utc=True, format="ISO8601").astype("datetime64[ms, UTC]")
    return df.reset_index(drop=True)


def read_manifest(out_dir: str | Path) -> pd.DataFrame:
    """``OUT/_manifest.jsonl`` as a DataFrame (an empty one with the columns when there is none)."""
    p = Path(out_dir) / MANIFEST_FILE
    if not p.exists():
        return empty_manifest()
    rows = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return _conform_manifest(pd.DataFrame(rows)) if rows else empty_manifest()


def _jsonable(v):
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (pd.Timestamp, datetime)):
        return pd.Timestamp(v).isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def write_manifest(out_dir: str | Path, manifest: pd.DataFrame | list[dict]) -> Path:
    """Rewrite the manifest atomically (temporary file, fsync, ``os.replace``); rows sorted by path."""
    df = manifest if isinstance(manifest, pd.DataFrame) else pd.DataFrame(manifest)
    df = _conform_manifest(df).sort_values("path", kind="stable")
    lines = [json.dumps({c: _jsonable(v) for c, v in zip(MANIFEST_COLUMNS, row)}, ensure_ascii=False)
             for row in df.itertuples(index=False, name=None)]
    p = Path(out_dir) / MANIFEST_FILE
    _atomic_write_bytes(("\n".join(lines) + "\n" if lines else "").encode("utf-8"), p)
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
        "path": path, "source": source, "key": input_key(path), "report_id": report_id, "sha256": sha256,
        "status": status, "error": error, "error_type": error_type, "entity": entity, "fiscal_year": fiscal_year,
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

    Used by ``Report.write_parquet``. The input is identified by its real path when the report has one,
    else by its source name; the input's previous rows (an older version of the same file) are replaced,
    and its manifest row is written (``seconds`` is null: no parse was timed).
    """
    out = Path(out_dir)
    path = getattr(report, "path", None) or getattr(getattr(report, "document", None), "path", None)
    identity = input_identity(path, report.source)
    key = input_key(identity)
    tables = report_tables(report)
    year = year_key(report.fiscal_year)
    with output_lock(out):
        cleanup_temp_files(out)
        store = Store(out)
        store.write_batch({d: {year: [(key, to_arrow(conform(d, df), d))]} for d, df in tables.items()})
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
        f = ds.field(col)
        if isinstance(value, (list, tuple, set, frozenset)):
            e = f.isin(list(value))
        elif value is None:
            e = f.is_null()
        else:
            e = f == value
        expr = e if expr is None else expr & e
    return expr


def read_dataset(out_dir: str | Path, name: str, columns: list[str] | None = None, *,
                 primary_only: bool = False, **filters) -> pd.DataFrame:
    """One dataset across all years (and reports) as a DataFrame with the schema's columns and dtypes.

    ``filters`` are column equalities (``fiscal_year=2023``, ``fund="一般公共预算"``); a list, tuple or set
    means "one of" and ``None`` means null. ``columns`` selects columns. Of an input's rows only the newest
    file's are read (see the module docstring), so the result is exact even right after a killed run.
    ``primary_only=True`` keeps the one row per (report, fund, code or subject) marked ``primary`` — the
    table row where the report has one, with the narrative's share and change merged into it — so a 类
    stated in the text and printed in a table counts once.

    >>> read_dataset("out/", "expenditure_by_function", fiscal_year=[2022, 2023], level="类")  # doctest: +SKIP
    >>> read_dataset("out/", "expenditure_by_function", primary_only=True, level="类")  # doctest: +SKIP
    """
    out = Path(out_dir)
    if name not in MODELS:
        raise ValueError(f"unknown dataset {name!r}; one of {', '.join(DATASETS)}")
    if primary_only:
        if "primary" not in COLUMNS[name]:
            raise ValueError(f"dataset {name!r} has no primary column: primary_only applies to the figure datasets")
        filters = {**filters, "primary": True}
    if not out.is_dir():
        raise FileNotFoundError(f"{out}: no such output folder")
    schema = arrow_schema(name)
    if filters.get("fiscal_year") is not None:
        v = filters["fiscal_year"]
        filters = {**filters, "fiscal_year": [int(x) for x in v] if isinstance(v, (list, tuple, set, frozenset)) else int(v)}
    expr = _filter_expr(filters, schema)
    parts = sorted(_scan(out, [name]), key=lambda p: p.seq)
    if not parts:
        frame = empty_frame(name)
    else:
        live = _live(parts)
        whole = [p for p in parts if all(live[(name, k)] is p for k, _ in p.inputs)]
        tables = []
        if whole:
            tables.append(ds.dataset([str(p.path) for p in whole], format="parquet", schema=schema).to_table(filter=expr))
        for p in parts:          # a file sharing an input with a newer one: only its own rows
            if p in whole:
                continue
            t, pos, pieces = pq.read_table(p.path, schema=schema), 0, []
            for k, n in p.inputs:
                if live[(name, k)] is p:
                    pieces.append(t.slice(pos, n))
                pos += n
            if pieces:
                t = pa.concat_tables(pieces)
                tables.append(t.filter(expr) if expr is not None else t)
        table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        frame = conform(name, table.to_pandas())
    if columns is not None:
        frame = frame[list(columns)]
    return frame
