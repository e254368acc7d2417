"""Batch conversion (batch.py) of the real seed: values, reruns, changed files, bad inputs, per-batch
validation, workers, a killed run, a killed worker, the Dask engine and a DuckDB read of the output."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import jueshuan_data as jd
from jueshuan_data import batch, schemas, write

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tianqiao_2023.txt"
BAD = ROOT / "tests" / "data" / "batch"
ENTITY = "北京市西城区人民政府天桥街道办事处"

# columns that differ between copies of the same text (the file name) are left out of comparisons
SORT = {d: [c for c in k if c != "report_id"] for d, k in schemas.ROW_KEYS.items()}


@pytest.fixture(scope="module")
def seed_report():
    return jd.parse(SEED)


def copies(folder: Path, n: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        p = folder / f"tianqiao_{i:03d}.txt"
        shutil.copyfile(SEED, p)
        out.append(p)
    return out


def canon(df: pd.DataFrame, dataset: str, drop=("source",)) -> pd.DataFrame:
    """A frame in a fixed row order with its dtypes, for comparisons."""
    df = schemas.conform(dataset, df)
    keys = [c for c in SORT[dataset] + ["char_end", "evidence"] + [c for c in ("source", "message") if c not in drop]
            if c in df.columns]
    df = df.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)
    if "as_of" in df.columns:
        df["as_of"] = df["as_of"].astype("datetime64[ns]")
    return df.drop(columns=list(drop))


def own(df: pd.DataFrame) -> pd.DataFrame:
    """A dataset without the ``same_content`` findings that copies of one text get (test_identity.py)."""
    return df[df["rule"] != "same_content"] if "rule" in df.columns else df


def all_datasets(out) -> dict[str, pd.DataFrame]:
    return {d: jd.read_dataset(out, d) for d in schemas.DATASETS}


def assert_no_duplicates(out):
    """No row is there twice (a part file written twice, an old version left behind)."""
    for d in schemas.DATASETS:
        df = jd.read_dataset(out, d).astype("string")
        assert not df.duplicated().any(), f"{d}: {int(df.duplicated().sum())} duplicated rows"


# ----------------------------------------------------------------------------------------- the seed

def test_convert_seed_values_and_manifest(tmp_path, seed_report):
    src = tmp_path / "in" / "tianqiao_2023.txt"
    src.parent.mkdir()
    shutil.copyfile(SEED, src)
    out = tmp_path / "out"
    res = jd.convert([src.parent], out)
    assert isinstance(res, jd.ConvertResult)
    assert (res.converted, res.unchanged, res.failed, res.ok, res.exit_code) == (1, 0, 0, 1, 0)

    efs = jd.read_dataset(out, "expenditure_by_function")
    lei = efs[(efs["level"] == "类") & (efs["subject"] == "社会保障和就业支出")]
    assert 7894.78 in lei["amount_wan"].round(2).tolist()
    assert set(efs["fiscal_year"]) == {2023} and set(efs["entity"]) == {ENTITY}
    assert set(efs["source"]) == {"tianqiao_2023.txt"}

    # every dataset round-trips: what parse gives is what read_dataset returns
    for d in schemas.DATASETS:
        got = jd.read_dataset(out, d)
        want = seed_report.tables[d] if d != "issues" else seed_report.issues
        assert res.rows[d] == len(want) == len(got), d
        if len(want):
            pd.testing.assert_frame_equal(canon(got, d), canon(want, d), check_dtype=True, obj=d)

    m = write.read_manifest(out)
    assert len(m) == 1
    row = m.iloc[0]
    assert row["status"] == "ok" and pd.isna(row["error"])
    assert row["report_id"] == seed_report.report_id
    assert row["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert row["source"] == "tianqiao_2023.txt" and row["path"] == src.resolve().as_posix()
    assert row["entity"] == ENTITY and row["fiscal_year"] == 2023 and row["library_version"] == jd.__version__
    for d in schemas.DATASETS:
        assert row[f"rows_{d}"] == res.rows[d]
    assert res.rows["facts"] > 100 and res.rows["expenditure_by_function"] > 10
    # layout: a folder per dataset, one file per dataset (and year) with rows
    assert list((out / "expenditure_by_function").glob("part-2023-*.parquet"))
    assert len(list(out.rglob("part-*.parquet"))) == sum(1 for d in schemas.DATASETS if res.rows[d])


def test_a_chunk_of_different_reports_writes_what_parse_gives(tmp_path):
    # the seed, the three Putuo 2024 texts and two short pages (many empty datasets) in one chunk: the worker
    # makes one frame per dataset from the rows of all six (``contract.concatenated_frame``), which must be
    # what parse gives report by report
    corpus = ROOT / "tests" / "corpus"
    originals = [SEED, *sorted(corpus.glob("putuo_*_2024.txt")), corpus / "pages" / "558.txt",
                 corpus / "pages" / "601.txt"]
    inputs = []
    for i, p in enumerate(originals):
        inputs.append(tmp_path / "in" / f"{i}_{p.name}")
        inputs[-1].parent.mkdir(exist_ok=True)
        shutil.copyfile(p, inputs[-1])
    out = tmp_path / "out"

    def check():
        reports = [jd.parse(p) for p in inputs]
        for d in schemas.DATASETS:
            want = pd.concat([r.tables[d] for r in reports], ignore_index=True)
            got = jd.read_dataset(out, d)
            assert len(got) == len(want), d
            if len(want):
                pd.testing.assert_frame_equal(canon(got, d), canon(want, d), check_dtype=True, obj=d)

    res = jd.convert(inputs, out, workers=1, progress=False)
    assert res.ok == len(inputs) and res.failed == 0
    check()
    tp = jd.read_dataset(out, "three_public")
    seed_total = tp[(tp["entity"] == ENTITY) & (tp["item"] == "合计")]
    assert seed_total["amount_text"].tolist() == ["0.62万元"]       # seed line 113
    # each report's rows belong to its input: replacing one input replaces exactly its rows
    shutil.copyfile(corpus / "pages" / "559.txt", inputs[1])
    res = jd.convert(inputs, out, workers=1, progress=False)
    assert (res.converted, res.unchanged) == (1, len(inputs) - 1)
    check()


def test_duckdb_reads_the_output(tmp_path, seed_report):
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "out"
    jd.convert(copies(tmp_path / "in", 2), out)
    con = duckdb.connect()
    glob = f"{out}/expenditure_by_function/*.parquet"
    rows = con.execute(
        f"SELECT fiscal_year, source, amount_wan FROM read_parquet('{glob}', hive_partitioning=true) "
        "WHERE level = '类' AND subject = '社会保障和就业支出' ORDER BY source"
    ).fetchall()
    assert [(y, s, round(a, 2)) for y, s, a in rows][:2] == [
        (2023, "tianqiao_000.txt", 7894.78), (2023, "tianqiao_001.txt", 7894.78)]
    n = con.execute(f"SELECT count(*) FROM read_parquet('{out}/facts/*.parquet')").fetchone()
    assert n[0] == 2 * len(seed_report.tables["facts"])
    man = con.execute(f"SELECT status, count(*) FROM read_json('{out}/_manifest.jsonl') GROUP BY 1").fetchall()
    assert man == [("ok", 2)]


# ------------------------------------------------------------------------- rerun, new file, changed file

def test_rerun_is_idempotent(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    copies(inp, 2)
    first = jd.convert([inp], out)
    before = all_datasets(out)
    files = sorted(p.relative_to(out) for p in out.rglob("part-*.parquet"))
    again = jd.convert([inp], out)                       # unchanged inputs are skipped
    assert (again.converted, again.unchanged, again.failed) == (0, 2, 0)
    assert again.rows == first.rows
    forced = jd.convert([inp, inp / "tianqiao_000.txt"], out, force=True)   # and converted again on demand
    assert (forced.converted, forced.unchanged) == (2, 0)                  # (a file given twice counts once)
    for d, df in all_datasets(out).items():
        pd.testing.assert_frame_equal(canon(df, d, drop=()), canon(before[d], d, drop=()), obj=d)
    # the rewritten rows replaced the old ones: one file per dataset and year still
    assert sorted(p.parent.relative_to(out) for p in out.rglob("part-*.parquet")) == sorted(p.parent for p in files)
    assert all(p.name.startswith("part-2023-") for p in out.rglob("part-*.parquet"))
    assert len(write.read_manifest(out)) == 2
    assert_no_duplicates(out)


def test_new_report_adds_rows(tmp_path, seed_report):
    inp, out = tmp_path / "in", tmp_path / "out"
    copies(inp, 1)
    jd.convert([inp], out)
    copies(inp, 1, start=1)
    res = jd.convert([inp], out)
    assert (res.converted, res.unchanged) == (1, 1)
    facts = jd.read_dataset(out, "facts")
    assert len(facts) == 2 * len(seed_report.tables["facts"])
    assert facts.groupby("source").size().tolist() == [len(seed_report.tables["facts"])] * 2


def test_changed_file_replaces_its_rows(tmp_path, seed_report):
    inp, out = tmp_path / "in", tmp_path / "out"
    a, b = copies(inp, 2)
    jd.convert([inp], out)
    text = a.read_text(encoding="utf-8")
    assert "国防支出7.43万元" in text
    a.write_text(text.replace("国防支出7.43万元", "国防支出9.43万元"), encoding="utf-8")
    res = jd.convert([inp], out)
    assert (res.converted, res.unchanged, res.failed) == (1, 1, 0)
    efs = jd.read_dataset(out, "expenditure_by_function")
    guofang = efs[(efs["level"] == "类") & (efs["subject"] == "国防支出")]
    by_source = guofang.groupby("source")["amount_wan"].apply(lambda s: sorted(s.round(2)))
    assert 9.43 in by_source[a.name] and 7.43 not in by_source[a.name]
    assert 7.43 in by_source[b.name]
    m = write.read_manifest(out).set_index("source")
    assert m.loc[a.name, "report_id"] != seed_report.report_id
    assert m.loc[b.name, "report_id"] == seed_report.report_id
    changed = jd.parse(a)
    assert m.loc[a.name, "report_id"] == changed.report_id
    for d in schemas.DATASETS:   # old rows of a are gone: a has exactly the rows of its new version
        df = own(jd.read_dataset(out, d))
        assert set(df.loc[df["source"] == a.name, "report_id"]) <= {changed.report_id}, d
        assert (df["source"] == a.name).sum() == len(changed.tables[d]), d
        assert (df["source"] == b.name).sum() == len(seed_report.tables[d]), d
    assert_no_duplicates(out)


# ------------------------------------------------------------------------------------------ bad input

def test_bad_inputs_fail_alone_and_keep_what_was_written(tmp_path, seed_report):
    out = tmp_path / "out"
    good = copies(tmp_path / "first", 1)
    jd.convert(good, out)
    before = jd.read_dataset(out, "facts")

    inp = tmp_path / "bad"
    shutil.copytree(BAD, inp, ignore=shutil.ignore_patterns("*.py"))
    (inp / "dangling.txt").symlink_to(tmp_path / "does-not-exist.txt")     # a file that cannot be read
    missing = tmp_path / "missing.txt"
    res = jd.convert([inp, missing], out, workers=2)
    assert res.exit_code == 1

    m = write.read_manifest(out).set_index("source")
    failed = m[m["status"] == "failed"]
    expect = {
        "empty.txt": "EmptyDocumentError", "binary.txt": "BinaryFileError", "english.txt": "NotAReportError",
        "dangling.txt": "UnreadableFileError", "missing.txt": "UnreadableFileError",
    }
    for name, etype in expect.items():
        assert name in failed.index, name
        assert failed.loc[name, "error_type"] == etype, (name, failed.loc[name, "error"])
        assert failed.loc[name, "error"].startswith(name + ":")            # names the source and the reason
        assert len(failed.loc[name, "error"]) > len(name) + 5
    # the truncated half either fails as truncated or converts what it holds; it never crashes the batch
    half = m.loc["tianqiao_2023_half.txt"]
    if half["status"] == "failed":
        assert half["error_type"] == "TruncatedDocumentError"
    assert set(res.failures["source"]) == set(failed.index)
    assert res.failed == len(failed) and res.converted + res.failed == 7

    # the GBK report converts to the same figures as its UTF-8 twin
    assert m.loc["tianqiao_2023_gbk.txt", "status"] == "ok"
    for d in schemas.DATASETS:
        df = jd.read_dataset(out, d)
        gbk = df[df["source"] == "tianqiao_2023_gbk.txt"]
        utf = df[df["source"] == good[0].name]
        assert len(gbk) == len(utf) == len(seed_report.tables[d]), d
        cols = [c for c in ("amount_wan", "share_pct", "value", "change_wan", "item", "subject") if c in df]
        if cols and len(gbk):
            pd.testing.assert_frame_equal(canon(gbk, d, drop=("source", "report_id"))[cols],
                                          canon(utf, d, drop=("source", "report_id"))[cols], obj=d)

    # nothing already written is lost
    after = jd.read_dataset(out, "facts")
    kept = after[after["source"] == good[0].name]
    pd.testing.assert_frame_equal(canon(kept, "facts"), canon(before, "facts"))
    for p in out.rglob("*.parquet"):
        pq.read_table(p)


def test_a_file_that_breaks_keeps_its_previous_rows(tmp_path, seed_report):
    inp, out = tmp_path / "in", tmp_path / "out"
    (a,) = copies(inp, 1)
    jd.convert([inp], out)
    a.write_bytes(b"")
    res = jd.convert([inp], out)
    assert (res.converted, res.failed, res.exit_code) == (0, 1, 1)
    row = write.read_manifest(out).iloc[0]
    assert row["status"] == "failed" and row["error_type"] == "EmptyDocumentError"
    assert row["report_id"] == seed_report.report_id           # describes the rows still in the datasets
    assert len(jd.read_dataset(out, "facts")) == len(seed_report.tables["facts"]) == row["rows_facts"]
    shutil.copyfile(SEED, a)                                      # fixed: converts again
    assert jd.convert([inp], out).converted == 1


# ----------------------------------------------------------------------------------- validation

def test_validation_runs_once_per_dataset_per_batch(tmp_path, monkeypatch):
    # the batch validates through schemas.validate_fast (the checks compiled from the models; pandera
    # itself for a frame they cannot pass): count those calls, by model
    calls = []
    names = {model: d for d, model in schemas.MODELS.items()}
    original = batch.validate_fast

    def counting(model, *args, **kw):
        calls.append(names[model])
        return original(model, *args, **kw)

    monkeypatch.setattr(batch, "validate_fast", counting)
    res = jd.convert(copies(tmp_path / "in", 3), tmp_path / "out", workers=1, batch_size=3)
    assert res.converted == 3
    # once per dataset that has rows (not 3 x 9, and not none at all)
    assert sorted(calls) == sorted(d for d in schemas.DATASETS if res.rows[d]), calls


def corrupting_parse(path):
    """The default batch parse; gives one file's 类 rows a level the schema refuses (picklable)."""
    report = batch._default_parse(path)
    if Path(path).name.endswith("001.txt"):
        efs = report.tables["expenditure_by_function"]
        report.tables["expenditure_by_function"] = efs.assign(level=efs["level"].where(efs["level"] != "类", "门"))
    return report


def test_schema_failure_is_a_finding_of_that_report_only(tmp_path, seed_report):
    out = tmp_path / "out"
    res = jd.convert(copies(tmp_path / "in", 3), out, parser=corrupting_parse)
    assert (res.converted, res.failed) == (3, 0)
    issues = own(jd.read_dataset(out, "issues"))
    schema_rows = issues[issues["rule"] == "schema"]
    assert set(schema_rows["source"]) == {"tianqiao_001.txt"}
    assert schema_rows["severity"].eq("error").all()
    assert schema_rows["message"].str.contains("level").all() and schema_rows["message"].str.contains("isin").all()
    # the rules' findings are there for every report, as parse gives them
    n_rules = len(seed_report.issues)
    assert issues.groupby("source").size().to_dict() == {
        "tianqiao_000.txt": n_rules, "tianqiao_001.txt": n_rules + len(schema_rows), "tianqiao_002.txt": n_rules}
    # nothing is silently fixed: the refused value is stored as parsed
    efs = jd.read_dataset(out, "expenditure_by_function", source="tianqiao_001.txt")
    assert "门" in set(efs["level"])


def duplicating_parse(path):
    """The default batch parse; one file's first livelihood_spending row is there twice (picklable)."""
    report = batch._default_parse(path)
    if Path(path).name.endswith("001.txt"):
        df = report.tables["livelihood_spending"]
        report.tables["livelihood_spending"] = pd.concat([df, df.iloc[:1]], ignore_index=True)
    return report


def test_a_repeated_row_key_is_a_finding_as_in_parse(tmp_path, seed_report):
    """parse (validate_tables) reports rows sharing their row key; so does the batch, per report: copies of
    one text share their report_id and are not each other's duplicates."""
    out = tmp_path / "out"
    res = jd.convert(copies(tmp_path / "in", 2), out, parser=duplicating_parse)
    assert (res.converted, res.failed) == (2, 0)
    issues = own(jd.read_dataset(out, "issues"))
    keyed = issues[issues["rule"] == "row_key"]
    first = seed_report.tables["livelihood_spending"].iloc[0]
    assert keyed["source"].tolist() == ["tianqiao_001.txt"]
    assert keyed["message"].tolist() == [
        f"livelihood_spending: 2 rows share the row key (item={first['item']}, char_start={first['char_start']})"]
    assert keyed["severity"].tolist() == ["error"]
    assert issues.groupby("source").size().to_dict() == {
        "tianqiao_000.txt": len(seed_report.issues), "tianqiao_001.txt": len(seed_report.issues) + 1}


# ------------------------------------------------------------------------------------------ workers

def test_two_workers_write_the_same_datasets(tmp_path):
    inp = tmp_path / "in"
    copies(inp, 3)
    one = jd.convert([inp], tmp_path / "one", workers=1)
    two = jd.convert([inp], tmp_path / "two", workers=2)
    assert one.rows == two.rows and two.converted == 3
    for d in schemas.DATASETS:
        pd.testing.assert_frame_equal(canon(jd.read_dataset(tmp_path / "one", d), d, drop=()),
                                      canon(jd.read_dataset(tmp_path / "two", d), d, drop=()), obj=d)


def hostile_parse(path):
    """The default batch parse, except in a worker process: file 001 kills its worker every time, file 002
    returns a result that cannot be sent back (picklable itself)."""
    import multiprocessing
    import threading
    import types

    name = Path(path).name
    if multiprocessing.parent_process() is not None and name.endswith("001.txt"):
        os.kill(os.getpid(), signal.SIGKILL)
    report = batch._default_parse(path)
    if multiprocessing.parent_process() is not None and name.endswith("002.txt"):
        return types.SimpleNamespace(tables=report.tables, source=report.source, report_id=report.report_id,
                                     entity=threading.Lock(), fiscal_year=report.fiscal_year, sha256=None)
    return report


def test_a_report_that_kills_its_worker_fails_alone(tmp_path, seed_report):
    """The reports in flight with a worker-killing one are retried, not blamed; a result that cannot come
    back from the worker is a failure of its input, not a crash of the run."""
    out = tmp_path / "out"
    res = jd.convert(copies(tmp_path / "in", 4), out, workers=2, parser=hostile_parse)
    failed = res.failures.set_index("source")
    assert sorted(failed.index) == ["tianqiao_001.txt", "tianqiao_002.txt"] and res.converted == 2
    assert failed.loc["tianqiao_001.txt", "error_type"] == "WorkerDied"
    assert failed.loc["tianqiao_001.txt", "error"] == (
        f"tianqiao_001.txt: worker process died while parsing it ({batch.MAX_ATTEMPTS} attempts)")
    assert failed.loc["tianqiao_002.txt", "error"].startswith("tianqiao_002.txt: worker could not return")
    facts = jd.read_dataset(out, "facts")
    assert facts.groupby("source").size().to_dict() == {
        "tianqiao_000.txt": len(seed_report.tables["facts"]), "tianqiao_003.txt": len(seed_report.tables["facts"])}


def test_dask_engine_on_a_local_cluster(tmp_path, seed_report):
    distributed = pytest.importorskip("dask.distributed")
    inp = tmp_path / "in"
    copies(inp, 3)
    (inp / "empty.txt").write_bytes(b"")
    # a LocalCluster with worker threads in this process (already warm) handed over as the scheduler
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as lc, \
            distributed.Client(lc) as client:
        res = jd.convert([inp], tmp_path / "dask", workers=2, engine="dask", scheduler=client)
        assert client.status == "running"                     # a client we were given is not closed
    assert (res.converted, res.failed) == (3, 1)
    assert res.failures.iloc[0]["error_type"] == "EmptyDocumentError"
    for d in schemas.DATASETS:
        got = own(jd.read_dataset(tmp_path / "dask", d))
        assert got.groupby("source").size().to_dict() == (
            {f"tianqiao_{i:03d}.txt": len(seed_report.tables[d]) for i in range(3)} if len(seed_report.tables[d]) else {}), d
        if len(got):
            one = got[got["source"] == "tianqiao_001.txt"]
            pd.testing.assert_frame_equal(canon(one, d), canon(seed_report.tables[d], d), obj=d)
    assert sorted(write.read_manifest(tmp_path / "dask")["status"]) == ["failed", "ok", "ok", "ok"]


def test_cli_dask_engine_starts_a_local_cluster_of_processes(tmp_path, seed_report):
    pytest.importorskip("dask.distributed")
    inp, out = tmp_path / "in", tmp_path / "out"
    copies(inp, 2)
    p = subprocess.run(_cli("convert", inp, "-o", out, "--engine", "dask", "--workers", "1"), cwd=ROOT,
                       capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr
    assert "2 converted" in p.stdout
    assert len(jd.read_dataset(out, "facts")) == 2 * len(seed_report.tables["facts"])


# -------------------------------------------------------------------------------- interruptions

def _cli(*args) -> list[str]:
    return [sys.executable, "-m", "jueshuan_data.cli", *map(str, args)]


def _wait_for(cond, timeout=60.0, step=0.05):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cond():
            return True
        time.sleep(step)
    return False


def test_killed_run_leaves_readable_data_and_the_next_run_completes(tmp_path, seed_report):
    inp, out = tmp_path / "in", tmp_path / "out"
    n = 8            # killed at its first manifest, the run has at least 3 parse rounds of 2 workers to go
    copies(inp, n)
    proc = subprocess.Popen(_cli("convert", inp, "-o", out, "--workers", "2", "--batch-size", "1"),
                            cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # kill it as soon as the first reports are written, well before the end
        assert _wait_for(lambda: (out / write.MANIFEST_FILE).exists() or proc.poll() is not None)
        assert proc.poll() is None, "the run finished before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)     # the run and its worker processes, mid-batch
        proc.wait()
    # every visible parquet file is whole, every dataset reads
    for p in out.rglob("*.parquet"):
        pq.read_table(p)
    done = write.read_manifest(out)
    assert 0 < len(done) < n
    for d in schemas.DATASETS:
        jd.read_dataset(out, d)
    # the next run completes the job, with no duplicates
    res = jd.convert([inp], out, workers=1)
    assert res.failed == 0 and res.ok == n and res.unchanged >= len(done) - 2
    assert not list(out.rglob("*.tmp"))
    facts = jd.read_dataset(out, "facts")
    assert len(facts) == n * len(seed_report.tables["facts"])
    assert facts.groupby("source").size().eq(len(seed_report.tables["facts"])).all()
    assert len(write.read_manifest(out)) == n
    assert_no_duplicates(out)


def test_killed_worker_process_is_replaced(tmp_path, seed_report):
    psutil = pytest.importorskip("psutil")
    inp, out = tmp_path / "in", tmp_path / "out"
    n = 6
    copies(inp, n)
    proc = subprocess.Popen(_cli("convert", inp, "-o", out, "--workers", "2", "--batch-size", "2"),
                            cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        main = psutil.Process(proc.pid)

        def workers():
            # pool workers: with a forkserver (batch._mp_context on Linux) the server's children, never the
            # server itself (killing it breaks the pool: no worker can start); with spawn, the run's children
            if "forkserver" in multiprocessing.get_all_start_methods():
                return [p for p in main.children(recursive=True) if p.ppid() != proc.pid]
            return [p for p in main.children() if "resource_tracker" not in " ".join(p.cmdline())]

        assert _wait_for(lambda: len(workers()) >= 2 or proc.poll() is not None)
        time.sleep(0.2)
        victims = workers()
        assert victims and proc.poll() is None
        victims[0].kill()                          # a worker dies mid-batch
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, stderr.decode()
    assert len(jd.read_dataset(out, "facts")) == n * len(seed_report.tables["facts"])
    assert (write.read_manifest(out)["status"] == "ok").all()
    assert_no_duplicates(out)


def test_ctrl_c_writes_what_is_done_and_exits_130(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    n = 8            # interrupted at its first manifest, the run has at least 3 parse rounds to go
    copies(inp, n)
    proc = subprocess.Popen(_cli("convert", inp, "-o", out, "--workers", "2", "--batch-size", "1"),
                            cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert _wait_for(lambda: (out / write.MANIFEST_FILE).exists() or proc.poll() is not None)
        os.killpg(proc.pid, signal.SIGINT)         # Ctrl-C goes to the whole foreground group
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr.decode()
    assert b"interrupted" in stderr
    assert b"Traceback" not in stderr, stderr.decode()     # the workers leave Ctrl-C to the parent
    for p in out.rglob("*.parquet"):
        pq.read_table(p)
    res = jd.convert([inp], out, workers=1)
    assert res.ok == n and res.failed == 0
    assert_no_duplicates(out)


def test_ctrl_c_while_writing_a_batch_records_each_input_once(tmp_path, monkeypatch, seed_report):
    """Ctrl-C lands while a batch's files are written (some datasets done, others not): the flush that
    follows writes the batch again; each input is recorded once and has its rows once."""
    inp, out = tmp_path / "in", tmp_path / "out"
    copies(inp, 2)
    real, calls = write._write_parquet, []

    def interrupted_once(path, *args, **kw):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(path, *args, **kw)

    monkeypatch.setattr(write, "_write_parquet", interrupted_once)
    with pytest.raises(KeyboardInterrupt):
        jd.convert([inp], out, batch_size=2)
    assert len(calls) > 3 and calls[0].name != calls[3].name          # the batch was written again, as a new one
    m = write.read_manifest(out)
    assert sorted(m["source"]) == ["tianqiao_000.txt", "tianqiao_001.txt"] and (m["status"] == "ok").all()
    assert len(jd.read_dataset(out, "facts")) == 2 * len(seed_report.tables["facts"])
    assert len(pd.read_parquet(out / "facts")) == 2 * len(seed_report.tables["facts"])   # in the folder too
    assert_no_duplicates(out)


def test_find_inputs_walks_folders(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "a" / "b" / "y.txt").write_text("y")
    (tmp_path / "a" / "b" / "notes.json").write_text("{}")
    (tmp_path / "a" / ".hidden.txt").write_text("h")
    (tmp_path / "a" / ".git").mkdir()
    (tmp_path / "a" / ".git" / "z.txt").write_text("z")
    other = tmp_path / "other.md"
    other.write_text("given explicitly")
    found = batch.find_inputs([tmp_path / "a", other, tmp_path / "a" / "x.txt"])
    assert [p.name for p in found] == ["y.txt", "x.txt", "other.md"]     # a/b/y.txt < a/x.txt


def test_read_dataset_primary_only_counts_each_subject_once(tmp_path):
    """上海市普陀区规划资源局2024 states 卫生健康支出 three times: 收入支出决算总表 “九、卫生健康支出 236.63” (fund
    null), 一般公共预算财政拨款支出决算表 “210 卫生健康支出 236.64 236.64 0.00” and the text “卫生健康支出（类）
    236.63万元，占2.43%”, which disagrees with its table by 0.01. All three stay in the dataset;
    primary_only keeps one row per (report, fund, code): the table's."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copyfile(ROOT / "tests" / "corpus" / "putuo_guihuaziyuan_2024.txt", src / "putuo_guihuaziyuan_2024.txt")
    out = tmp_path / "out"
    assert jd.convert([src], out).ok == 1

    everything = jd.read_dataset(out, "expenditure_by_function")
    primary = jd.read_dataset(out, "expenditure_by_function", primary_only=True)
    assert primary["primary"].all() and len(primary) < len(everything)
    def subjects(df):  # a subject is its code, or its printed name where the text gives no code
        return df.assign(key=df["code"].fillna(df["level"] + df["subject"]))[["report_id", "fund", "key"]]
    assert subjects(everything).duplicated().any() and not subjects(primary).duplicated().any()

    health = everything[everything["code"] == "210"]
    assert sorted(health["amount_wan"]) == [236.63, 236.63, 236.64]
    got = primary[primary["code"] == "210"].set_index(primary[primary["code"] == "210"]["fund"].fillna("总表"))
    assert got.loc["一般公共预算", "amount_wan"] == 236.64 and got.loc["一般公共预算", "source_kind"] == "table"
    assert got.loc["总表", "amount_wan"] == 236.63

    with pytest.raises(ValueError, match="no primary column"):
        jd.read_dataset(out, "facts", primary_only=True)
