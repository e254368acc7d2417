"""Batch conversion: many reports -> the Parquet datasets of :mod:`jueshuan_data.write`.

>>> import jueshuan_data as jd
>>> result = jd.convert(["reports/", "more.txt"], "out/", workers=2)     # doctest: +SKIP
>>> result.ok, result.failed, result.failures                          # doctest: +SKIP

How a run goes:

1. **Inputs.** Files are taken as given; folders are walked recursively for report files
   (:data:`REPORT_SUFFIXES`, hidden files skipped). An input is identified by its absolute path.
2. **Unchanged inputs are skipped**: same path, same bytes (sha256), converted ``ok`` by the same
   library version and its part files present. ``force=True`` converts everything again.
3. **Parse** each remaining input in a worker: a ``ProcessPoolExecutor`` (``engine="processes"``,
   ``workers`` processes; ``workers=1`` parses in this process) or a Dask cluster
   (``engine="dask"``: ``scheduler`` address, or a ``LocalCluster`` of ``workers`` processes). The
   worker calls ``parse(path, validate="rules")``, which runs the report's cross-check rules (its
   ``issues``): no pandera call per tiny frame.
4. **Validate per batch** in this process: the frames of up to ``batch_size`` reports are concatenated
   per dataset and checked with one lazy pandera call each. As in ``parse``, a failure is a finding,
   not a crash: rows with rule ``schema`` in the failing report's ``issues``; the report still converts.
5. **Write** each report's part files atomically, remove the input's older part files, and rewrite the
   manifest once per batch. A failure never removes rows written earlier.

A worker process that dies (killed, out of memory) breaks the pool: the pool is restarted and the
reports that were in flight are tried again one at a time; one that breaks the pool alone fails after
:data:`MAX_ATTEMPTS` breaks, the others are not blamed. Ctrl-C writes what is
finished, stops the workers and re-raises ``KeyboardInterrupt``; the next run completes the job.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import time
import traceback
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from . import __version__
from .errors import ReportError, UnreadableFileError
from .schemas import COLUMNS, DATASETS, MODELS, ROW_KEYS, conform
from .datapackage import write_datapackage
from .validate import check_keys, failure_rows
from .write import (
    _conform_manifest, cleanup_temp_files, empty_manifest, input_identity, input_key, manifest_row,
    merge_manifest, output_lock, read_manifest, replace_parts, report_tables, scan_parts, to_arrow,
    write_manifest,
)

__all__ = ["convert", "ConvertResult", "find_inputs", "REPORT_SUFFIXES", "MAX_ATTEMPTS"]

REPORT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".pdf")
MAX_ATTEMPTS = 2
BATCH_SIZE = 64
FLUSH_SECONDS = 5.0
ENGINES = ("processes", "dask")


# --------------------------------------------------------------------------------------------- inputs

@dataclass
class _Input:
    path: Path
    identity: str
    source: str
    sha256: str | None = None
    read_error: str | None = None
    attempts: int = 0


def find_inputs(inputs: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """Files as given, folders walked recursively for report files; absolute-path duplicates dropped.

    A path that does not exist is kept (it fails later with :class:`~jueshuan_data.UnreadableFileError`).
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    out: list[Path] = []
    seen: set[str] = set()

    def add(p: Path):
        ident = input_identity(p)
        if ident not in seen:
            seen.add(ident)
            out.append(p)

    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if not name.startswith(".") and name.lower().endswith(REPORT_SUFFIXES):
                        found.append(Path(root) / name)
            for f in sorted(found):
                add(f)
        else:
            add(p)
    return out


def _read_input(p: Path) -> _Input:
    item = _Input(path=p, identity=input_identity(p), source=p.name)
    try:
        with open(p, "rb") as fh:
            item.sha256 = hashlib.sha256(fh.read()).hexdigest()
    except OSError as e:
        reason = f"file cannot be read ({e.strerror or type(e).__name__})"
        item.read_error = str(UnreadableFileError(p.name, reason))
    return item


# ------------------------------------------------------------------------------------- worker side
@dataclass
class _Parsed:
    """What a worker sends back: plain data, picklable, no Report object."""

    identity: str
    source: str
    ok: bool
    seconds: float
    report_id: str | None = None
    entity: str | None = None
    fiscal_year: int | None = None
    sha256: str | None = None
    tables: dict = field(default_factory=dict)
    error: str | None = None
    error_type: str | None = None


def _default_parse(path: str):
    """``parse(path, validate="rules")``: the report's cross-checks run here, in the worker; the pandera
    models run once per batch in the parent (:func:`_validate_batch`)."""
    from .report import parse

    return parse(path, validate="rules")


_DTYPES: dict[str, list[str]] = {}


def _dtype_name(t) -> str:
    s = str(t)
    return "datetime64" if s.startswith("datetime64[") else s   # any resolution: written as a date


def _conformed(dataset: str, df: pd.DataFrame) -> pd.DataFrame:
    """``conform`` only when the frame does not already have the dataset's columns and dtypes."""
    if dataset not in _DTYPES:
        _DTYPES[dataset] = [_dtype_name(t) for t in conform(dataset, []).dtypes]
    if list(df.columns) == COLUMNS[dataset] and [_dtype_name(t) for t in df.dtypes] == _DTYPES[dataset]:
        return df.reset_index(drop=True)
    return conform(dataset, df)


def _parse_one(path: str, identity: str, parser: Callable | None = None) -> _Parsed:
    """Parse one input (runs in a worker); never raises for a bad document."""
    t0 = time.perf_counter()
    source = Path(path).name
    try:
        report = parser(path) if parser is not None else _default_parse(path)
        tables = {d: _conformed(d, df) for d, df in report_tables(report).items()}
        fy = report.fiscal_year
        return _Parsed(
            identity=identity, source=report.source or source, ok=True, seconds=time.perf_counter() - t0,
            report_id=report.report_id, entity=report.entity,
            fiscal_year=None if fy is None or pd.isna(fy) else int(fy),
            sha256=getattr(report, "sha256", None), tables=tables,
        )
    except ReportError as e:
        return _Parsed(identity=identity, source=source, ok=False, seconds=time.perf_counter() - t0,
                       error=str(e), error_type=type(e).__name__)
    except Exception as e:  # a bug in an extractor must not stop the batch
        tb = traceback.extract_tb(e.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        return _Parsed(identity=identity, source=source, ok=False, seconds=time.perf_counter() - t0,
                       error=f"{source}: internal error {type(e).__name__}: {e}{where}",
                       error_type=type(e).__name__)


# ------------------------------------------------------------------------------------------ engines

def _failed(item: _Input, error: str, error_type: str) -> _Parsed:
    return _Parsed(identity=item.identity, source=item.source, ok=False, seconds=0.0, error=error,
                   error_type=error_type)


def _run_serial(items: list[_Input], parser) -> Iterator[_Parsed]:
    for item in items:
        yield _parse_one(str(item.path), item.identity, parser)


_PRELOAD = ("jueshuan_data.batch", "jueshuan_data.report", "jueshuan_data.ingest", "jueshuan_data.segment",
            "jueshuan_data.extract", "jueshuan_data.classification", "jueshuan_data.rules", "jueshuan_data.validate")


def _mp_context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # workers fork from a server that has imported the parser once (pandas, pandera models, extractors)
        ctx.set_forkserver_preload(list(_PRELOAD))
        return ctx
    return multiprocessing.get_context("spawn")


def _ignore_sigint() -> None:
    """Pool workers leave Ctrl-C to the parent, which stops them (instead of a traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _new_pool(workers: int, ctx) -> ProcessPoolExecutor:
    """A process pool whose workers are started and answer (a pool that cannot start raises here)."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_ignore_sigint)
    pool.submit(int, 0).result()
    return pool


def _died(item: _Input) -> _Parsed:
    return _failed(item, f"{item.source}: worker process died while parsing it ({item.attempts} attempts)",
                   "WorkerDied")


def _run_processes(items: list[_Input], workers: int, parser) -> Iterator[_Parsed]:
    """Bounded submission to a process pool; a broken pool is restarted.

    A dying worker breaks the whole pool: every report in flight fails with it, and which one killed it
    is unknown. Those reports become suspects and are tried again one at a time, so that a report that
    breaks a pool alone is the culprit: it fails (``WorkerDied``) once it has broken :data:`MAX_ATTEMPTS`
    pools, the last one alone; the reports that were merely in flight with it are not blamed.
    """
    queue = deque(items)
    suspects: deque = deque()
    ctx = _mp_context()
    max_inflight = max(2, workers * 4)
    pool = _new_pool(workers, ctx)
    inflight: dict = {}
    try:
        while queue or suspects or inflight:
            source, limit = (suspects, 1) if suspects else (queue, max_inflight)
            broken = False
            while source and len(inflight) < limit:
                item = source.popleft()
                try:
                    inflight[pool.submit(_parse_one, str(item.path), item.identity, parser)] = item
                except BrokenProcessPool:
                    source.appendleft(item)
                    broken = True
                    break
            alone = len(inflight) == 1
            lost = []
            if inflight:
                done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
                for fut in done:
                    item = inflight.pop(fut)
                    try:
                        parsed = fut.result()
                    except BrokenProcessPool:
                        lost.append(item)
                    except Exception as e:   # the result could not come back (pickling …): this input fails
                        yield _failed(item, f"{item.source}: worker could not return the result: "
                                            f"{type(e).__name__}: {e}", type(e).__name__)
                    else:
                        yield parsed
            if not (lost or broken):
                continue
            # every other in-flight future of the broken pool fails too: take them back
            for fut, item in list(inflight.items()):
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    yield fut.result()
                else:
                    lost.append(item)
            inflight.clear()
            for item in lost:
                item.attempts += 1
            if alone and len(lost) == 1 and lost[0].attempts >= MAX_ATTEMPTS:   # it broke the pool on its own
                yield _died(lost.pop())
            suspects.extendleft(reversed(lost))
            pool.shutdown(wait=False, cancel_futures=True)
            pool = _new_pool(workers, ctx)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _run_dask(items: list[_Input], workers: int, parser, scheduler) -> Iterator[_Parsed]:
    """The per-report work on a Dask cluster (``scheduler`` address or Client; LocalCluster if None)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as e:  # pragma: no cover - depends on the extra
        raise RuntimeError("engine 'dask' needs the optional extra: pip install 'jueshuan_data[dask]'") from e
    import logging

    cluster = None
    own_client = True
    if scheduler is None:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    elif isinstance(scheduler, Client):
        client, own_client = scheduler, False
    else:
        client = Client(scheduler)
    try:
        futures = []
        by_key = {}
        for item in items:
            fut = client.submit(_parse_one, str(item.path), item.identity, parser, pure=False,
                                key=f"jueshuan-parse-{input_key(item.identity)}-{time.time_ns()}")
            futures.append(fut)
            by_key[fut.key] = item
        for fut in as_completed(futures):
            item = by_key.pop(fut.key)
            try:
                yield fut.result()
            except Exception as e:  # KilledWorker, lost scheduler …
                yield _failed(item, f"{item.source}: dask task failed: {type(e).__name__}: {e}", type(e).__name__)
            finally:
                fut.release()
        futures.clear()
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()


# ------------------------------------------------------------------------------------------ result

@dataclass
class ConvertResult:
    """What :func:`convert` did. ``ok`` = converted now + unchanged (skipped); ``exit_code`` 0 or 1."""

    out_dir: Path
    converted: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["source", "path", "error", "error_type"]))
    rows: dict = field(default_factory=dict)
    rows_written: dict = field(default_factory=dict)
    seconds: float = 0.0
    manifest: pd.DataFrame | None = None
    interrupted: bool = False

    @property
    def ok(self) -> int:
        return self.converted + self.unchanged

    @property
    def total(self) -> int:
        return self.ok + self.failed

    @property
    def exit_code(self) -> int:
        return 0 if self.failed == 0 and not self.interrupted else 1

    def summary(self) -> str:
        rate = self.converted / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"{self.total} inputs: {self.converted} converted, {self.unchanged} unchanged, {self.failed} failed "
            f"in {self.seconds:.1f} s ({rate:.1f} reports/s) -> {self.out_dir}",
            "rows per dataset (inputs of this run): "
            + ", ".join(f"{d} {self.rows.get(d, 0)}" for d in DATASETS),
        ]
        for r in self.failures.itertuples():
            lines.append(f"failed: {r.error}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


# -------------------------------------------------------------------------------------- validation

def _validate_batch(parsed: list[_Parsed]) -> tuple[dict[str, pd.DataFrame], dict[str, np.ndarray]]:
    """One lazy pandera call per dataset over the concatenated frames of a whole batch.

    Returns the frames (coerced by the model when valid, as given otherwise — never fixed) and the batch
    position of each row. As ``parse`` does for one report (:func:`~jueshuan_data.validate.validate_tables`),
    schema failures and rows sharing their row key become findings (rules ``schema`` and ``row_key``) of
    the failing report, before the rules' findings: the report still converts, its findings say what is
    wrong. The reports' own tables are not modified (a flush interrupted by Ctrl-C is simply run again).
    """
    import pandera.errors as pe

    frames: dict[str, pd.DataFrame] = {}
    owners: dict[str, np.ndarray] = {}
    found: dict[int, list[dict]] = {}

    def concat(parts: list[pd.DataFrame | None]):
        lens = [0 if df is None else len(df) for df in parts]
        parts = [df for df in parts if df is not None and len(df)]
        if not parts:
            return None, None
        df = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
        return df, np.repeat(np.arange(len(lens)), lens)

    for d in DATASETS:
        if d == "issues":
            continue
        df, owner = concat([p.tables.get(d) for p in parsed])
        if df is None:
            continue
        try:
            df = MODELS[d].validate(df, lazy=True)
        except pe.SchemaErrors as e:
            fc = e.failure_cases
            idx = pd.to_numeric(fc["index"], errors="coerce") if "index" in fc else pd.Series([np.nan])
            if idx.isna().any():  # a frame-wide failure: find the culprits one report at a time
                for i, p in enumerate(parsed):
                    sub = p.tables.get(d)
                    if sub is None or not len(sub):
                        continue
                    try:
                        MODELS[d].validate(sub, lazy=True)
                    except pe.SchemaErrors as e2:
                        found.setdefault(i, []).extend(failure_rows(d, sub.reset_index(drop=True), e2.failure_cases))
            else:
                fc = fc.assign(_owner=owner[idx.astype(int).to_numpy()])
                for i, g in fc.groupby("_owner", sort=True):
                    found.setdefault(int(i), []).extend(failure_rows(d, df, g.drop(columns="_owner")))
        # row keys are per report (copies of one text share a report_id): one pass over the batch finds
        # the reports with a repeated key, check_keys words their findings
        repeated = df[ROW_KEYS[d]].assign(_owner=owner).duplicated(keep=False).to_numpy()
        bounds = np.searchsorted(owner, np.arange(len(parsed) + 1))
        for i in np.unique(owner[repeated]):
            found.setdefault(int(i), []).extend(check_keys(d, df.iloc[bounds[i]:bounds[i + 1]]))
        frames[d] = df
        owners[d] = owner

    issues = []
    for i, p in enumerate(parsed):   # schema and key findings first, then the rules' (the order parse uses)
        old = p.tables.get("issues")
        if i in found:
            keys = dict(report_id=p.report_id, entity=p.entity, fiscal_year=p.fiscal_year, source=p.source)
            new = conform("issues", [{**keys, **r} for r in found[i]])
            old = pd.concat([new, old], ignore_index=True) if old is not None and len(old) else new
        issues.append(old)
    df, owner = concat(issues)
    if df is not None:
        try:
            df = MODELS["issues"].validate(df, lazy=True)
        except pe.SchemaErrors:  # findings about findings would go round in circles: keep them as they are
            pass
        frames["issues"] = df
        owners["issues"] = owner
    return frames, owners


# ------------------------------------------------------------------------------------------ convert

def convert(
    inputs: str | os.PathLike | Iterable[str | os.PathLike],
    out_dir: str | os.PathLike,
    workers: int = 1,
    *,
    engine: str = "processes",
    scheduler=None,
    force: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: bool | None = None,
    parser: Callable | None = None,
) -> ConvertResult:
    """Convert report files and folders into the datasets under ``out_dir``.

    ``workers``: parallel parses (processes, or Dask workers of the LocalCluster). ``engine``:
    ``"processes"`` or ``"dask"`` (``pip install 'jueshuan_data[dask]'``; ``scheduler`` is a
    ``host:port`` address or a ``distributed.Client``; none starts a LocalCluster). ``force``: convert
    unchanged inputs too. ``batch_size``: reports validated and written together. ``progress``: a rich
    progress bar on stderr (default: only when stderr is a terminal). ``parser``: ``path -> Report``
    to use instead of ``parse(path, validate="rules")`` (must be picklable for workers).

    Returns a :class:`ConvertResult`; bad inputs do not raise, they are counted and listed in
    ``result.failures`` and in the manifest. Raises :class:`~jueshuan_data.write.OutputLockedError` when
    another run writes into ``out_dir``.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    workers = max(1, int(workers or 1))
    t_start = time.perf_counter()
    out = Path(out_dir)
    paths = find_inputs(inputs)
    result = ConvertResult(out_dir=out)
    run_rows: list[dict] = []      # manifest rows of this run's inputs (incl. unchanged)
    failures: list[dict] = []
    rows_total = {d: 0 for d in DATASETS}
    rows_written = {d: 0 for d in DATASETS}

    with output_lock(out), _Progress(progress, len(paths)) as bar:
        cleanup_temp_files(out)
        manifest = read_manifest(out)
        by_path = {r["path"]: r for r in manifest.to_dict("records")}
        parts_index = scan_parts(out)

        todo: list[_Input] = []
        early: list[_Parsed] = []
        for p in paths:
            item = _read_input(p)
            if item.read_error:
                early.append(_failed(item, item.read_error, "UnreadableFileError"))
                continue
            old = by_path.get(item.identity)
            if not force and old is not None and _unchanged(old, item, parts_index):
                result.unchanged += 1
                run_rows.append(old)
                for d in DATASETS:
                    rows_total[d] += int(old.get(f"rows_{d}") or 0)
                bar.advance(ok=True)
                continue
            todo.append(item)
        items_by_identity = {i.identity: i for i in todo}

        pending: list[_Parsed] = []
        new_rows: list[dict] = []
        last_flush = time.monotonic()

        def record_failure(p: _Parsed):
            old = by_path.get(p.identity)
            item = items_by_identity.get(p.identity)
            keep = {}
            if old is not None and old.get("report_id") is not None and not pd.isna(old.get("report_id")):
                keep = dict(report_id=old["report_id"], entity=old["entity"], fiscal_year=old["fiscal_year"],
                            rows={d: int(old.get(f"rows_{d}") or 0) for d in DATASETS})
            row = manifest_row(path=p.identity, source=p.source, status="failed", error=p.error,
                               error_type=p.error_type, sha256=item.sha256 if item else p.sha256,
                               seconds=p.seconds, **keep)
            new_rows.append(row)
            run_rows.append(row)
            failures.append({"source": p.source, "path": p.identity, "error": p.error, "error_type": p.error_type})
            result.failed += 1

        def flush():
            nonlocal manifest, last_flush
            if pending:
                batch = list(pending)
                frames, owners = _validate_batch(batch)
                arrow = {d: to_arrow(df, d) for d, df in frames.items()}
                bounds = {d: np.searchsorted(o, np.arange(len(batch) + 1)) for d, o in owners.items()}
                for i, p in enumerate(batch):
                    key = input_key(p.identity)
                    per_year: dict = {}
                    rows = {}
                    for d, df in frames.items():
                        start, stop = int(bounds[d][i]), int(bounds[d][i + 1])
                        rows[d] = stop - start
                        if stop == start:
                            continue
                        years = df["fiscal_year"].iloc[start:stop]
                        found = pd.unique(years)
                        for y in found:   # the report's year, as a rule: the rows in one slice
                            if len(found) == 1:
                                t = arrow[d].slice(start, stop - start)
                            else:
                                mask = years.isna() if pd.isna(y) else (years == y).fillna(False)
                                t = arrow[d].take(np.flatnonzero(mask.to_numpy()) + start)
                            per_year.setdefault(None if pd.isna(y) else int(y), {})[d] = t
                    parts_index[key] = replace_parts(out, key, per_year, parts_index.get(key, ()))
                    row = manifest_row(path=p.identity, source=p.source, status="ok", report_id=p.report_id,
                                       sha256=p.sha256 or items_by_identity[p.identity].sha256,
                                       entity=p.entity, fiscal_year=p.fiscal_year, rows=rows, seconds=p.seconds)
                    new_rows.append(row)
                    run_rows.append(row)
                    del pending[0]    # written: a flush run again after Ctrl-C does not count or record it twice
                    result.converted += 1
                    for d in DATASETS:
                        rows_total[d] += rows.get(d, 0)
                        rows_written[d] += rows.get(d, 0)
            if new_rows:
                manifest = merge_manifest(manifest, new_rows)
                write_manifest(out, manifest)
                new_rows.clear()
            last_flush = time.monotonic()

        for p in early:
            record_failure(p)
            bar.advance(ok=False)

        if engine == "dask":
            stream = _run_dask(todo, workers, parser, scheduler)
        elif workers == 1:
            stream = _run_serial(todo, parser)
        else:
            stream = _run_processes(todo, workers, parser)
        try:
            for p in stream:
                if p.ok:
                    pending.append(p)
                else:
                    record_failure(p)
                bar.advance(ok=p.ok)
                if len(pending) >= batch_size or time.monotonic() - last_flush > FLUSH_SECONDS:
                    flush()
            flush()
        except KeyboardInterrupt:
            result.interrupted = True
            close = getattr(stream, "close", None)
            if close:
                close()
            flush()
            raise
        finally:
            result.seconds = time.perf_counter() - t_start
            result.rows = rows_total
            result.rows_written = rows_written
            result.failures = pd.DataFrame(failures, columns=["source", "path", "error", "error_type"])
            result.manifest = _manifest_frame(run_rows)
        write_datapackage(out)   # OUT/datapackage.json describes the files now present
    return result


def _manifest_frame(rows: list[dict]) -> pd.DataFrame:
    return _conform_manifest(pd.DataFrame(rows)) if rows else empty_manifest()


def _unchanged(old: dict, item: _Input, parts_index: dict) -> bool:
    if old.get("status") != "ok" or old.get("sha256") != item.sha256 or old.get("library_version") != __version__:
        return False
    expected = sum(1 for d in DATASETS if int(old.get(f"rows_{d}") or 0) > 0)
    return len(parts_index.get(input_key(item.identity), ())) >= expected


# ----------------------------------------------------------------------------------------- progress

class _Progress:
    """A rich progress bar on stderr, only on a terminal (or when forced); otherwise silent."""

    def __init__(self, enabled: bool | None, total: int):
        self.total = total
        self.enabled = enabled
        self._progress = None
        self._task = None
        self.failed = 0

    def __enter__(self):
        from rich.console import Console

        console = Console(stderr=True)
        enabled = console.is_terminal if self.enabled is None else bool(self.enabled)
        if enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self._progress = Progress(
                TextColumn("[bold]converting"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(), TimeRemainingColumn(),
                console=console, transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("convert", total=self.total, failed=0)
        return self

    def advance(self, ok: bool = True):
        if not ok:
            self.failed += 1
        if self._progress is not None:
            self._progress.update(self._task, advance=1, failed=self.failed)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()
        return False
