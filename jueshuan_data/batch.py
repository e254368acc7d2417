"""Batch conversion: many reports -> the Parquet datasets of :mod:`jueshuan_data.write`.

>>> import jueshuan_data as jd
>>> if __name__ == "__main__":     # a script that starts worker processes needs this guard
...     result = jd.convert(["reports/", "more.txt"], "out/", workers=2)     # doctest: +SKIP
...     result.ok, result.failed, result.failures                          # doctest: +SKIP

How a run goes:

1. **Inputs.** Files are taken as given; folders are walked recursively for report files
   (:data:`REPORT_SUFFIXES`, hidden files skipped). An input is identified by its real path (symlinks
   resolved): a file reached through two names is converted once. Each input is checked before it is
   read (a regular file, not larger than :data:`~jueshuan_data.ingest.MAX_TEXT_BYTES`; a FIFO or a device
   fails at once) and hashed.
2. **Unchanged inputs are skipped**: same real path, same bytes (sha256), converted ``ok`` by the same
   library version and its rows in the output. ``force=True`` converts everything again.
   **Inputs that no longer exist** (deleted, renamed, moved) since an earlier run have their rows removed,
   and their manifest row says ``removed``: the output describes the files that are there. Two inputs
   with the same bytes are both converted, each with a ``same_content`` finding naming the other.
3. **Parse and validate** in workers: a process pool (``pebble``; ``workers`` processes, ``workers=1``
   parses in this process) or a Dask cluster (``engine="dask"``). A worker takes a few reports at a time,
   parses each with ``parse(path, validate="rules")`` within the per-report ``time_budget``, validates
   their frames together with one lazy pandera call per dataset (a failure is a finding of the failing
   report, rule ``schema``, never a crash), and sends back Arrow tables.
4. **Write** one file per dataset and year per batch of ``batch_size`` reports (see :mod:`~jueshuan_data.write`),
   remove the older rows of the batch's inputs, rewrite the manifest. A failure never removes rows
   written earlier.

A worker process that dies (killed, out of memory) or overruns the budget hard (a loop that ignores the
timer) is replaced by the pool; the reports of its task are tried again one at a time, so only the one
that dies alone fails (``WorkerDied`` after :data:`MAX_ATTEMPTS`, ``ReportTimeoutError``). Ctrl-C writes
what is finished, stops the workers and re-raises ``KeyboardInterrupt``; the next run completes the job.
An output folder that cannot be written (disk full, read-only) or a Dask scheduler that cannot be reached
raises :class:`~jueshuan_data.OutputError` after recording in the manifest what was written and what was not.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from . import __version__
from .errors import OutputError, ReportError, ReportTimeoutError
from .ingest import display_name, read_input
from .datapackage import write_datapackage
from .schemas import COLUMNS, DATASETS, MODELS, ROW_KEYS, conform, validate_fast
from .contract import Built, concatenated_frame, has_dates
from .frames import LazyFrame, Tables
from .validate import check_keys, failure_rows
from .write import (
    Store, _conform_manifest, cleanup_temp_files, empty_manifest, input_identity, input_key, manifest_row,
    merge_manifest, output_lock, output_problem, refuse_in_a_starting_worker, starting_worker_marker, read_manifest, report_tables, to_arrow, write_manifest, year_key,
)

__all__ = ["convert", "ConvertResult", "find_inputs", "REPORT_SUFFIXES", "MAX_ATTEMPTS", "TIME_BUDGET"]

REPORT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".pdf")
MAX_ATTEMPTS = 2
BATCH_SIZE = 64
FLUSH_SECONDS = 5.0
TIME_BUDGET = 120.0
"""Seconds one report may take to parse (a report takes well under one; a pathological text far more)."""
HARD_GRACE = 10.0
"""Seconds past 1.5 x the budget after which the pool stops a worker whose parse ignores the timer."""
MAX_CHUNK = 32            # reports a worker takes at a time (its pandera calls are shared by them)
DASK_CONNECT_TIMEOUT = 10.0
ENGINES = ("processes", "dask")


# --------------------------------------------------------------------------------------------- inputs

@dataclass
class _Input:
    path: Path
    identity: str
    key: str
    source: str
    sha256: str | None = None
    read_error: str | None = None
    error_type: str | None = None
    attempts: int = 0
    same_as: str | None = None     # identity of another input with the same bytes


def find_inputs(inputs: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """Files as given, folders walked recursively for report files; two names of one file kept once.

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
    import hashlib

    identity = input_identity(p)
    item = _Input(path=p, identity=identity, key=input_key(identity), source=display_name(p.name))
    try:
        item.sha256 = hashlib.sha256(read_input(p)).hexdigest()
    except ReportError as e:
        item.read_error, item.error_type = str(e), type(e).__name__
    return item


def _existing_path(shown: str) -> bool:
    """Does the input recorded as ``shown`` (a display path, see ``ingest.display_name``) still exist?"""
    if os.path.lexists(shown):
        return True
    if "\\x" in shown:   # a name with undecodable bytes: back to its bytes
        raw = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), shown.encode("utf-8"))
        return os.path.lexists(os.fsdecode(raw))
    return False


# ------------------------------------------------------------------------------------- worker side

@dataclass
class _Task:
    """One input as a worker gets it (small, picklable)."""

    path: str
    identity: str
    key: str
    source: str
    same_as: str | None = None


@dataclass
class _Parsed:
    """One report's outcome; ``tables`` (pandas) stay in the worker, the rest goes back."""

    identity: str
    key: str
    source: str
    ok: bool
    seconds: float
    report_id: str | None = None
    entity: str | None = None
    fiscal_year: int | None = None
    sha256: str | None = None
    tables: dict = field(default_factory=dict, repr=False)
    error: str | None = None
    error_type: str | None = None


@dataclass
class _Chunk:
    """What a worker sends back for a few reports: their outcomes, and per dataset one Arrow table of the
    rows of the ``ok`` ones, in their order (``lens[d][i]`` rows of the i-th ok report)."""

    reports: list[_Parsed]
    tables: dict = field(default_factory=dict)
    lens: dict = field(default_factory=dict)
    cpu: float = 0.0        # CPU seconds the worker spent on it


def _default_parse(path: str):
    """``parse(path, validate="rules")``: the report's cross-checks run here, in the worker; the pandera
    models run once per chunk of reports (:func:`_validate_batch`)."""
    from .report import parse

    return parse(path, validate="rules")


class _OverBudget(BaseException):
    """Raised by the budget's timer; a BaseException, so that no ``except Exception`` in a parser eats it."""


@contextlib.contextmanager
def _time_budget(seconds: float | None):
    """Interrupt the block after ``seconds`` (a timer signal: the main thread of a POSIX process only;
    elsewhere the pool's hard timeout or nothing guards it)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def over(signum, frame):
        raise _OverBudget()

    previous = signal.signal(signal.SIGALRM, over)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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


def _batch_tables(report) -> dict:
    """The report's datasets as the batch takes them: a dataset whose frame ``parse`` has not made yet stays
    its built rows (:class:`~jueshuan_data.contract.Built`; the chunk makes one frame of all its reports' rows,
    ``_frame_of_parts``), any other is its conformed frame (a custom parser's plain frames among them)."""
    tables = getattr(report, "tables", None)
    if not isinstance(tables, Tables):
        return {d: _conformed(d, df) for d, df in report_tables(report).items()}
    out = {}
    for d in DATASETS:
        if d not in tables:
            continue
        stored = tables.lazy(d)
        if isinstance(stored, LazyFrame) and not stored.built and isinstance(stored.source, Built) \
                and stored.source.columns is not None and not has_dates(d):
            out[d] = stored.source
        elif tables[d] is not None:
            out[d] = _conformed(d, tables[d])
    return out


def _frame(part) -> pd.DataFrame | None:
    return part.frame if isinstance(part, Built) else part


def _rows(part) -> int:
    return 0 if part is None else part.n if isinstance(part, Built) else len(part)


def _frame_of_parts(parts: list) -> pd.DataFrame:
    """One frame of the rows of ``parts`` (built rows or frames, none empty), in order, index 0..n-1."""
    if all(isinstance(p, Built) for p in parts):
        df = concatenated_frame(parts)
        if df is not None:
            return df
    frames = [_frame(p) for p in parts]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)


def _same_content(report, task: _Task) -> pd.DataFrame:
    keys = dict(report_id=report.report_id, entity=report.entity, fiscal_year=report.fiscal_year,
                source=report.source, document_kind=getattr(getattr(report, "document", None), "doc_kind", None))
    if keys["document_kind"] not in ("决算", "预算"):
        keys["document_kind"] = None
    return conform("issues", [dict(keys, rule="same_content", severity="warning", dataset=None,
                                   message=f"the same bytes as {task.same_as}: this report is in the datasets "
                                           f"under both names")])


def _parse_one(task: _Task, parser: Callable | None = None, budget: float | None = None) -> _Parsed:
    """Parse one input (runs in a worker); never raises for a bad document."""
    t0 = time.perf_counter()
    source = task.source
    fail = dict(identity=task.identity, key=task.key, source=source, ok=False)
    try:
        with _time_budget(budget):
            report = parser(task.path) if parser is not None else _default_parse(task.path)
            tables = _batch_tables(report)
        if task.same_as:
            tables["issues"] = pd.concat([_same_content(report, task), _frame(tables.get("issues"))],
                                         ignore_index=True)
        fy = report.fiscal_year
        return _Parsed(
            identity=task.identity, key=task.key, source=report.source or source, ok=True,
            seconds=time.perf_counter() - t0, report_id=report.report_id, entity=report.entity,
            fiscal_year=None if fy is None or pd.isna(fy) else int(fy),
            sha256=getattr(report, "sha256", None), tables=tables,
        )
    except _OverBudget:
        e = ReportTimeoutError(source, f"parsing took longer than the time budget of {budget:g} s; the report "
                                       f"is not converted (a larger budget: convert(time_budget=…), --time-budget)")
        return _Parsed(**fail, seconds=time.perf_counter() - t0, error=str(e), error_type=type(e).__name__)
    except ReportError as e:
        return _Parsed(**fail, seconds=time.perf_counter() - t0, error=str(e), error_type=type(e).__name__)
    except Exception as e:  # a bug in an extractor must not stop the batch
        tb = traceback.extract_tb(e.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        return _Parsed(**fail, seconds=time.perf_counter() - t0,
                       error=f"{source}: internal error {type(e).__name__}: {e}{where}", error_type=type(e).__name__)


def _finish_chunk(parsed: list[_Parsed]) -> _Chunk:
    """Validate the ok reports' frames together and turn them into Arrow tables (the worker's last step)."""
    ok = [p for p in parsed if p.ok]
    chunk = _Chunk(reports=parsed)
    if ok:
        frames, owners = _validate_batch(ok)
        for d, df in frames.items():
            chunk.tables[d] = to_arrow(df, d)
            chunk.lens[d] = np.bincount(owners[d], minlength=len(ok)).tolist()
    for p in parsed:
        p.tables = {}    # what goes back is the Arrow tables, once
    return chunk


def _work(tasks: list[_Task], parser: Callable | None = None, budget: float | None = None) -> _Chunk:
    """A worker's task: parse a few reports, validate them together, return Arrow tables."""
    c0 = time.process_time()
    chunk = _finish_chunk([_parse_one(t, parser, budget) for t in tasks])
    chunk.cpu = time.process_time() - c0
    return chunk


# ------------------------------------------------------------------------------------------ engines

def _failed(item: _Input, error: str, error_type: str) -> _Parsed:
    return _Parsed(identity=item.identity, key=item.key, source=item.source, ok=False, seconds=0.0, error=error,
                   error_type=error_type)


def _task(item: _Input) -> _Task:
    return _Task(path=os.fspath(item.path), identity=item.identity, key=item.key, source=item.source,
                 same_as=item.same_as)


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


def _worker_init() -> None:
    """Pool workers leave Ctrl-C to the parent, which stops them (instead of a traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _died(item: _Input) -> _Parsed:
    return _failed(item, f"{item.source}: worker process died while parsing it ({item.attempts} attempts)",
                   "WorkerDied")


def _chunk_size(n: int, workers: int, batch_size: int) -> int:
    # enough tasks to keep every worker busy to the end; few enough that pandera's fixed cost is shared
    return max(1, min(MAX_CHUNK, batch_size, math.ceil(n / (workers * 4))))


START_TIMEOUT = 120.0
"""Seconds the first answer of the pool may take (workers import pandas, pandera, jieba as they start)."""
_UNGUARDED_HINT = ("A script that calls jueshuan_data.convert must do so under `if __name__ == \"__main__\":` "
                   "(every worker process imports the script as it starts).")
_UNGUARDED = ("a worker process ran the script that calls jueshuan_data.convert as it started, because the "
              "call is not under `if __name__ == \"__main__\":`. Put it there (see the README).")


def _run_processes(items: list[_Input], workers: int, parser, budget, batch_size) -> Iterator[_Chunk]:
    """Chunks of reports on a ``pebble`` process pool; a task whose worker dies is split and retried.

    A dying worker fails the task it ran, nothing else (the pool replaces the process). The reports of a
    failed task of several are tried again one at a time; one that dies alone fails (``WorkerDied``) once
    it has done so :data:`MAX_ATTEMPTS` times, one that overruns the hard timeout alone fails with
    :class:`~jueshuan_data.ReportTimeoutError`.
    """
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    from pebble import ProcessExpired, ProcessPool

    size = _chunk_size(len(items), workers, batch_size)
    queue: deque[list[_Input]] = deque(items[i:i + size] for i in range(0, len(items), size))
    marker = starting_worker_marker()
    with contextlib.suppress(FileNotFoundError):
        marker.unlink()
    pool = ProcessPool(max_workers=workers, context=_mp_context(), initializer=_worker_init)
    started = time.monotonic()
    answered = False
    inflight: dict = {}
    hard = None if not budget else budget * 1.5 + HARD_GRACE

    def submit(group):
        timeout = None if hard is None else hard * len(group)
        inflight[pool.schedule(_work, args=([_task(i) for i in group], parser, budget), timeout=timeout)] = group

    try:
        while queue or inflight:
            while queue and len(inflight) < workers * 2:
                submit(queue.popleft())
            done, _ = wait(list(inflight), timeout=1.0, return_when=FIRST_COMPLETED)
            if not done:
                # a worker that dies while it starts is restarted by the pool, forever: find out why
                if marker.exists():
                    raise RuntimeError(_UNGUARDED)
                if not answered and time.monotonic() - started > START_TIMEOUT:
                    raise RuntimeError(f"no worker process started within {START_TIMEOUT:g} s. " + _UNGUARDED_HINT)
                continue
            answered = True
            for fut in done:
                group = inflight.pop(fut)
                try:
                    yield fut.result()
                    continue
                except ProcessExpired:
                    why = "died"
                except BrokenProcessPool as e:   # no worker can start: nothing to retry
                    raise RuntimeError(f"the worker processes could not start ({e}). " + _UNGUARDED_HINT) from e
                except FutureTimeout:
                    why = "timeout"
                except Exception as e:   # the result could not come back (pickling …)
                    why = f"{type(e).__name__}: {e}"
                if len(group) > 1:       # which report was it? each alone, first
                    queue.extendleft([i] for i in reversed(group))
                    continue
                item = group[0]
                if why == "died":
                    item.attempts += 1
                    if item.attempts >= MAX_ATTEMPTS:
                        yield _Chunk([_died(item)])
                    else:
                        queue.appendleft([item])
                elif why == "timeout":
                    e = ReportTimeoutError(item.source, f"parsing took longer than the time budget of {budget:g} s "
                                                        f"(the worker was stopped); the report is not converted")
                    yield _Chunk([_failed(item, str(e), type(e).__name__)])
                else:
                    yield _Chunk([_failed(item, f"{item.source}: worker could not return the result: {why}",
                                          why.split(":")[0])])
    finally:
        pool.stop()
        pool.join(timeout=10)


def _run_dask(items: list[_Input], workers: int, parser, scheduler, batch_size) -> Iterator[_Chunk]:
    """Chunks of reports on a Dask cluster (``scheduler`` address or Client; a LocalCluster if None).

    Dask runs tasks in worker threads, where no timer signal can stop a parse: the time budget is not
    enforced on this engine.
    """
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as e:  # pragma: no cover - depends on the extra
        raise RuntimeError("engine 'dask' needs the optional extra: pip install 'jueshuan_data[dask]'") from e
    import logging

    cluster = None
    own_client = True
    try:
        if scheduler is None:
            # no dashboard: nobody asked for it. dashboard_address=None does not stop it (the scheduler then
            # serves it on the default port 8787); dashboard=False does, and the scheduler's own HTTP
            # routes (health, metrics) go to a free loopback port instead of 8787
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
        elif isinstance(scheduler, Client):
            client, own_client = scheduler, False
        else:
            client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as e:
        if cluster is not None:
            cluster.close()
        raise OutputError(f"cannot reach the Dask scheduler {scheduler or '(local cluster)'}: "
                          f"{type(e).__name__}: {e}") from None
    try:
        size = _chunk_size(len(items), workers, batch_size)
        futures, by_key = [], {}
        for n, i in enumerate(range(0, len(items), size)):
            group = items[i:i + size]
            fut = client.submit(_work, [_task(x) for x in group], parser, None, pure=False,
                                key=f"jueshuan-parse-{group[0].key}-{n}-{time.time_ns()}")
            futures.append(fut)
            by_key[fut.key] = group
        for fut in as_completed(futures):
            group = by_key.pop(fut.key)
            try:
                yield fut.result()
            except Exception as e:  # KilledWorker, lost scheduler …
                yield _Chunk([_failed(item, f"{item.source}: dask task failed: {type(e).__name__}: {e}",
                                      type(e).__name__) for item in group])
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
    """What :func:`convert` did. ``ok`` = converted now + unchanged (skipped); ``exit_code`` 0 or 1.

    ``failures`` has one row per failed input: ``source`` (file name), ``path`` (real path), ``error``
    (the typed error's text: file and reason) and ``error_type`` (its class name). ``removed``: inputs of
    earlier runs that no longer exist, whose rows were removed.
    """

    out_dir: Path
    converted: int = 0
    unchanged: int = 0
    failed: int = 0
    removed: int = 0
    failures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["source", "path", "error", "error_type"]))
    rows: dict = field(default_factory=dict)
    rows_written: dict = field(default_factory=dict)
    seconds: float = 0.0
    worker_cpu: float = 0.0     # CPU seconds spent in worker processes (0 with workers=1: all in this one)
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
        if self.removed:
            lines.append(f"removed: the rows of {self.removed} earlier inputs that no longer exist")
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

    def concat(parts: list):     # frames or built rows (``_batch_tables``)
        lens = [_rows(p) for p in parts]
        parts = [p for p, n in zip(parts, lens) if n]
        if not parts:
            return None, None
        return _frame_of_parts(parts), np.repeat(np.arange(len(lens)), lens)

    for d in DATASETS:
        if d == "issues":
            continue
        df, owner = concat([p.tables.get(d) for p in parsed])
        if df is None:
            continue
        try:
            df = validate_fast(MODELS[d], df, lazy=True)   # pandera itself where the compiled checks fail
        except pe.SchemaErrors as e:
            fc = e.failure_cases
            idx = pd.to_numeric(fc["index"], errors="coerce") if "index" in fc else pd.Series([np.nan])
            if idx.isna().any():  # a frame-wide failure: find the culprits one report at a time
                for i, p in enumerate(parsed):
                    sub = _frame(p.tables.get(d))
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
            old = _frame(old)
            keys = dict(report_id=p.report_id, entity=p.entity, fiscal_year=p.fiscal_year, source=p.source)
            new = conform("issues", [{**keys, **r} for r in found[i]])
            old = pd.concat([new, old], ignore_index=True) if old is not None and len(old) else new
        issues.append(old)
    df, owner = concat(issues)
    if df is not None:
        try:
            df = validate_fast(MODELS["issues"], df, lazy=True)
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
    time_budget: float | None = TIME_BUDGET,
) -> ConvertResult:
    """Convert report files and folders into the datasets under ``out_dir``.

    ``workers``: parallel parses (processes, or Dask workers of the LocalCluster). ``engine``:
    ``"processes"`` or ``"dask"`` (``pip install 'jueshuan_data[dask]'``; ``scheduler`` is a
    ``host:port`` address or a ``distributed.Client``; none starts a LocalCluster). ``force``: convert
    unchanged inputs too. ``batch_size``: reports written together (one file per dataset and year).
    ``progress``: a rich progress bar on stderr (default: only when stderr is a terminal). ``parser``:
    ``path -> Report`` to use instead of ``parse(path, validate="rules")`` (must be picklable for workers).
    ``time_budget``: seconds one report may take (None: no limit); a report over it fails with
    :class:`~jueshuan_data.ReportTimeoutError` and the batch goes on.

    Returns a :class:`ConvertResult`; bad inputs do not raise, they are counted and listed in
    ``result.failures`` and in the manifest. Raises :class:`~jueshuan_data.OutputLockedError` when another
    run writes into ``out_dir``, :class:`~jueshuan_data.OutputError` when ``out_dir`` cannot be written
    (disk full, read-only) or the Dask scheduler cannot be reached — after recording in the manifest what
    was written and what was not.

    Called from a script with ``workers > 1``, the call must be under ``if __name__ == "__main__":``.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    refuse_in_a_starting_worker()
    workers = max(1, int(workers or 1))
    batch_size = max(1, int(batch_size))
    t_start = time.perf_counter()
    out = Path(out_dir)
    paths = find_inputs(inputs)
    result = ConvertResult(out_dir=out)
    run_rows: list[dict] = []      # manifest rows of this run's inputs (incl. unchanged)
    failures: list[dict] = []
    rows_total = {d: 0 for d in DATASETS}
    rows_written = {d: 0 for d in DATASETS}
    recorded: set[str] = set()
    todo: list[_Input] = []
    manifest = empty_manifest()
    new_rows: list[dict] = []
    by_path: dict = {}

    def record(row: dict):
        new_rows.append(row)
        run_rows.append(row)
        recorded.add(row["path"])

    def kept(old) -> dict:
        """The fields of an earlier manifest row that describe rows still in the datasets."""
        if old is None or old.get("report_id") is None or pd.isna(old.get("report_id")):
            return {}
        return dict(report_id=old["report_id"], entity=old["entity"], fiscal_year=old["fiscal_year"],
                    rows={d: int(old.get(f"rows_{d}") or 0) for d in DATASETS})

    try:
        with output_lock(out), _Progress(progress, len(paths)) as bar:
            cleanup_temp_files(out)
            store = Store(out)
            manifest = read_manifest(out)
            by_path = {r["path"]: r for r in manifest.to_dict("records")}
            live = store.input_rows()
            items = [_read_input(p) for p in paths]
            items_by_identity = {i.identity: i for i in items}

            # inputs of earlier runs that are gone (deleted, renamed, moved): their rows go
            gone = [r for r in by_path.values()
                    if r["status"] != "removed" and r["path"] not in items_by_identity
                    and not str(r["path"]).startswith("<text>/") and not _existing_path(r["path"])]
            if gone:
                store.remove_inputs({r.get("key") if isinstance(r.get("key"), str) else input_key(r["path"]) for r in gone})
                for r in gone:
                    row = manifest_row(path=r["path"], source=r["source"], status="removed", sha256=r["sha256"],
                                       error=f"{r['source']}: the input no longer exists at {r['path']} "
                                             f"(deleted, renamed or moved); its rows were removed",
                                       error_type="InputRemoved")
                    new_rows.append(row)
                result.removed = len(gone)

            # the same bytes under two names: both convert, the later one says so
            first_by_sha: dict[str, str] = {}
            for r in by_path.values():
                if r["status"] == "ok" and isinstance(r["sha256"], str) and r["path"] not in items_by_identity \
                        and all(g["path"] != r["path"] for g in gone):
                    first_by_sha.setdefault(r["sha256"], r["path"])
            for item in items:
                if item.sha256 is None:
                    continue
                other = first_by_sha.setdefault(item.sha256, item.identity)
                if other != item.identity:
                    item.same_as = other

            early: list[_Parsed] = []
            for item in items:
                if item.read_error:
                    early.append(_failed(item, item.read_error, item.error_type or "UnreadableFileError"))
                    continue
                old = by_path.get(item.identity)
                if not force and old is not None and _unchanged(old, item, live):
                    result.unchanged += 1
                    run_rows.append(old)
                    recorded.add(item.identity)
                    for d in DATASETS:
                        rows_total[d] += int(old.get(f"rows_{d}") or 0)
                    bar.advance(ok=True)
                    continue
                todo.append(item)
            del live

            pending: list[_Chunk] = []
            last_flush = time.monotonic()

            def record_failure(p: _Parsed):
                item = items_by_identity.get(p.identity)
                record(manifest_row(path=p.identity, source=p.source, status="failed", error=p.error,
                                    error_type=p.error_type, sha256=item.sha256 if item else p.sha256,
                                    seconds=p.seconds, **kept(by_path.get(p.identity))))
                failures.append({"source": p.source, "path": p.identity, "error": p.error, "error_type": p.error_type})
                result.failed += 1

            def flush():
                nonlocal manifest, last_flush
                if pending:
                    groups: dict = {}
                    done = []
                    for ch in pending:
                        oks = [p for p in ch.reports if p.ok]
                        for d, t in ch.tables.items():
                            lens = ch.lens[d]
                            start = 0
                            for p, n in zip(oks, lens):
                                if n:
                                    groups.setdefault(d, {}).setdefault(year_key(p.fiscal_year), []).append(
                                        (p.key, t.slice(start, n)))
                                start += n
                        for i, p in enumerate(oks):
                            done.append((p, {d: ch.lens[d][i] for d in ch.lens}))
                    # written before it is recorded: a flush interrupted here is simply run again
                    store.write_batch(groups, keys=[p.key for p, _ in done])
                    pending.clear()
                    for p, rows in done:
                        item = items_by_identity[p.identity]
                        record(manifest_row(path=p.identity, source=p.source, status="ok", report_id=p.report_id,
                                            sha256=item.sha256 or p.sha256, entity=p.entity,
                                            fiscal_year=p.fiscal_year, rows=rows, seconds=p.seconds))
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
                stream = _run_dask(todo, workers, parser, scheduler, batch_size)
            elif workers == 1:
                stream = _run_serial(todo, parser, time_budget, batch_size, bar)
            else:
                stream = _run_processes(todo, workers, parser, time_budget, batch_size)
            try:
                for ch in stream:
                    if not isinstance(stream, _Serial):
                        result.worker_cpu += ch.cpu
                    for p in ch.reports:
                        if not p.ok:
                            record_failure(p)
                        if not isinstance(stream, _Serial):
                            bar.advance(ok=p.ok)
                    if any(p.ok for p in ch.reports):
                        pending.append(ch)
                    if sum(len(c.reports) for c in pending) >= batch_size or \
                            time.monotonic() - last_flush > FLUSH_SECONDS:
                        flush()
                flush()
            except KeyboardInterrupt:
                result.interrupted = True
                close = getattr(stream, "close", None)
                if close:
                    close()
                flush()
                raise
    except OSError as e:
        # the output folder cannot be written: record what was and what was not, if the folder lets us
        pending_items = [i for i in todo if i.identity not in recorded]
        _record_not_written(out, manifest, new_rows, pending_items, by_path, kept, output_problem(e, out))
        raise OutputError(output_problem(e, out) + f" ({result.converted} inputs written, {len(pending_items)} "
                                                   f"not written: run again when it can be written)",
                          written=result.converted, pending=len(pending_items)) from e
    finally:
        result.seconds = time.perf_counter() - t_start
        result.rows = rows_total
        result.rows_written = rows_written
        result.failures = pd.DataFrame(failures, columns=["source", "path", "error", "error_type"])
        result.manifest = _manifest_frame(run_rows)
    write_datapackage(out)   # OUT/datapackage.json describes the files now present
    return result


def _record_not_written(out: Path, manifest: pd.DataFrame, new_rows: list[dict], pending: list[_Input], by_path,
                        kept, why: str) -> None:
    with contextlib.suppress(OSError):
        cleanup_temp_files(out)      # the half-written files of the failed write give back their space
    rows = list(new_rows) + [
        manifest_row(path=i.identity, source=i.source, status="not_written", sha256=i.sha256,
                     error=f"{i.source}: not converted: {why}", error_type="OutputError", **kept(by_path.get(i.identity)))
        for i in pending]
    if not rows:
        return
    with contextlib.suppress(OSError):
        write_manifest(out, merge_manifest(manifest, rows))


class _Serial:
    """The per-report work in this process (``workers=1``): chunks of ``batch_size`` reports, the progress
    bar advanced per report."""

    def __init__(self, items, parser, budget, batch_size, bar):
        self.items, self.parser, self.budget, self.batch_size, self.bar = items, parser, budget, batch_size, bar

    def __iter__(self) -> Iterator[_Chunk]:
        parsed = []
        for item in self.items:
            p = _parse_one(_task(item), self.parser, self.budget)
            self.bar.advance(ok=p.ok)
            parsed.append(p)
            if len(parsed) >= self.batch_size:
                yield _finish_chunk(parsed)
                parsed = []
        if parsed:
            yield _finish_chunk(parsed)


def _run_serial(items, parser, budget, batch_size, bar) -> _Serial:
    return _Serial(items, parser, budget, batch_size, bar)


def _manifest_frame(rows: list[dict]) -> pd.DataFrame:
    return _conform_manifest(pd.DataFrame(rows)) if rows else empty_manifest()


def _unchanged(old: dict, item: _Input, live: dict) -> bool:
    if old.get("status") != "ok" or old.get("sha256") != item.sha256 or old.get("library_version") != __version__:
        return False
    have = live.get(item.key, {})
    return all(have.get(d, 0) == int(old.get(f"rows_{d}") or 0) for d in DATASETS)


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
