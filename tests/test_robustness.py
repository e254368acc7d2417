"""Issue 13, item by item: each test reproduces what broke in 0.1.0 on real documents (the seed and the
corpus) and checks the fix. Performance is never timed here: the linear paths are checked by what they
read, the time budget by a parse that never ends."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import jueshuan_data as jd
from jueshuan_data import batch, cli, ingest, schemas, write
from jueshuan_data.extract import grammar

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tianqiao_2023.txt"
CORPUS = ROOT / "tests" / "corpus"
PUTUO = sorted(CORPUS.glob("putuo_*.txt"))
VALUE_COLS = ("amount_wan", "value", "count", "share_pct", "change_wan", "change_pct", "prior_year_wan")


def read(p: Path) -> str:
    return p.read_text(encoding="utf-8")


def figures_touching_the_end(report) -> list[tuple[str, str]]:
    """(dataset, literal) of every row whose figure ends where the text ends and still has a value."""
    end = len(report.text.rstrip())
    out = []
    for d, df in report.tables.items():
        if "char_end" not in df.columns or not len(df):
            continue
        touching = df[df["char_end"].fillna(-1) >= end]
        for _, row in touching.iterrows():
            if any(c in row and pd.notna(row[c]) and c in ("amount_wan", "value") for c in VALUE_COLS):
                out.append((d, row.get("amount_text", row.get("text"))))
    return out


# ------------------------------------------------------------------------- 1: a cut table cell

def test_1_a_table_cell_cut_by_the_end_of_the_text_is_unknown():
    s = read(CORPUS / "putuo_caizhengju_2024.txt")
    t = s[:s.index("津贴补贴 1,238.58") + len("津贴补贴 1,238")]
    r = jd.parse_text(t, source="cut.txt")
    econ = r.basic_expenditure_by_economic
    assert 1238.0 not in econ["amount_wan"].tolist()              # 0.1.0: 津贴补贴 1238.0
    assert figures_touching_the_end(r) == []
    (fact,) = r.facts[r.facts["char_end"] == len(r.text.rstrip())].itertuples()
    assert fact.text == "1,238" and pd.isna(fact.value)
    trunc = r.issues[r.issues["rule"] == "truncated_document"]
    assert trunc["severity"].tolist() == ["error"]
    with pytest.raises(jd.TruncatedDocumentError):
        jd.parse_text(t, source="cut.txt", strict=True)


def _table_cuts():
    """12 cuts inside table cells of the Putuo texts: after the integer part of a decimal cell."""
    cuts = []
    for p in PUTUO:
        s = read(p)
        cells = [m for m in re.finditer(r"(?m)(?<= )(\d{1,3}(?:,\d{3})*)\.\d\d(?= |$)", s)
                 if re.match(r"^\d{3}", s[s.rfind("\n", 0, m.start()) + 1:])]   # rows of coded tables
        for k in range(4):
            m = cells[(k + 1) * len(cells) // 5]
            cuts.append(pytest.param(p.name, m.end(1), id=f"{p.stem}-{m.group(0)}"))
    return cuts


@pytest.mark.parametrize("name, cut", _table_cuts())
def test_1_every_cut_table_cell_is_unknown_and_the_report_says_it_is_truncated(name, cut):
    t = read(CORPUS / name)[:cut]
    r = jd.parse_text(t, source=name, validate="rules")
    assert figures_touching_the_end(r) == [], t[-40:]
    assert "truncated_document" in set(r.issues["rule"]), t[-40:]


# ------------------------------------------------------------------ 2: a table reader that fails

def test_2_a_garbled_cell_no_longer_drops_its_table():
    s = read(CORPUS / "putuo_shehuigongzuobu_2024.txt")
    t = s.replace("\n2.71 2.71\n", "\n19.2.71 2.71\n", 1)
    assert t != s
    whole = jd.parse_text(s, source="a.txt")
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # 0.1.0: a Python warning, and the table's 17 rows gone
        r = jd.parse_text(t, source="a.txt")
    gpb = lambda df: df[df["table"] == "一般公共预算财政拨款支出决算表"]      # noqa: E731
    assert len(gpb(r.expenditure_by_function)) == len(gpb(whole.expenditure_by_function)) >= 17
    # the garbled figure is not silently taken: the table's sums disagree, and findings say so
    assert {"kuan_sum_vs_lei", "xiang_sum_vs_kuan"} <= set(r.issues["rule"])


def test_2_a_reader_that_fails_is_an_error_finding_and_the_other_tables_stay(monkeypatch):
    from jueshuan_data.extract.tables import readers

    def broken(*args, **kw):
        raise IndexError("list index out of range")

    whole = jd.parse(CORPUS / "putuo_caizhengju_2024.txt")
    monkeypatch.setattr(readers, "_economic", broken)
    r = jd.parse(CORPUS / "putuo_caizhengju_2024.txt")
    failed = r.issues[r.issues["rule"] == "table_reader_failed"]
    assert failed["severity"].tolist() == ["error"]
    assert "一般公共预算财政拨款基本支出决算表" in failed["message"].iloc[0] and "IndexError" in failed["message"].iloc[0]
    from_tables = lambda df: int(df["table"].notna().sum())      # noqa: E731
    assert from_tables(r.expenditure_by_function) == from_tables(whole.expenditure_by_function) > 10
    assert from_tables(r.basic_expenditure_by_economic) == 0 < from_tables(whole.basic_expenditure_by_economic)


# ---------------------------------------------------------------------- 3: inputs by real path

def seed_copy(folder: Path, name: str = "a.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEED, folder / name)
    return folder / name


def n_facts() -> int:
    return len(jd.parse(SEED, validate="rules").facts)


def test_3_one_file_through_two_names_is_one_input(tmp_path):
    a = seed_copy(tmp_path / "in")
    (tmp_path / "alias").symlink_to(tmp_path / "in")
    out = tmp_path / "out"
    res = jd.convert([tmp_path / "in", tmp_path / "alias", tmp_path / "alias" / "a.txt", a], out)
    assert (res.converted, res.total) == (1, 1)
    assert len(jd.read_dataset(out, "facts")) == n_facts()
    assert jd.read_manifest(out)["path"].tolist() == [a.resolve().as_posix()]


def test_3_renamed_and_deleted_inputs_lose_their_rows(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    a = seed_copy(inp, "a.txt")
    b = seed_copy(inp, "b.txt")
    b.write_text(read(SEED).replace("国防支出7.43万元", "国防支出9.43万元"), encoding="utf-8")
    jd.convert([inp], out)
    a.rename(inp / "renamed.txt")
    b.unlink()
    res = jd.convert([inp], out)
    assert (res.converted, res.removed) == (1, 2)
    facts = jd.read_dataset(out, "facts")
    assert set(facts["source"]) == {"renamed.txt"} and len(facts) == n_facts()     # 0.1.0: a's rows stayed
    assert len(pd.read_parquet(out / "facts")) == n_facts()
    m = jd.read_manifest(out).set_index("source")
    assert m.loc["a.txt", "status"] == m.loc["b.txt", "status"] == "removed"
    assert "no longer exists" in m.loc["b.txt", "error"] and m.loc["renamed.txt", "status"] == "ok"
    # an input that still exists but is not given this time keeps its rows
    other = seed_copy(tmp_path / "other", "c.txt")
    jd.convert([other], out)
    assert set(jd.read_dataset(out, "facts")["source"]) == {"renamed.txt", "c.txt"}


def test_3_identical_content_under_two_names_is_a_finding(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    a, b = seed_copy(inp, "a.txt"), seed_copy(inp, "b.txt")
    jd.convert([inp], out)
    issues = jd.read_dataset(out, "issues")
    same = issues[issues["rule"] == "same_content"]
    assert same["source"].tolist() == ["b.txt"] and same["severity"].tolist() == ["warning"]
    assert a.resolve().as_posix() in same["message"].iloc[0]


# ------------------------------------------------------------------------ 4: non-UTF-8 file names

def test_4_a_file_name_that_is_not_utf8_is_an_input_like_any_other(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    seed_copy(inp, "good.txt")
    weird = inp / os.fsdecode(b"\xff\xfe.txt")
    shutil.copyfile(SEED, weird)
    (inp / os.fsdecode(b"\xfe\xff-empty.txt")).write_bytes(b"")
    res = jd.convert([inp], out)                  # 0.1.0: UnicodeEncodeError, no manifest, every run
    assert (res.converted, res.failed) == (2, 1)
    m = jd.read_manifest(out).set_index("source")
    assert m.loc["\\xff\\xfe.txt", "status"] == "ok"
    assert m.loc["\\xfe\\xff-empty.txt", "error_type"] == "EmptyDocumentError"
    assert set(jd.read_dataset(out, "facts")["source"]) == {"good.txt", "\\xff\\xfe.txt"}
    again = jd.convert([inp], out)
    assert (again.unchanged, again.removed) == (2, 0)       # still there: not taken for a deleted input


# ---------------------------------------------------------------- 5: FIFOs, devices, huge files

def _cli(*args) -> list[str]:
    return [sys.executable, "-m", "jueshuan_data.cli", *map(str, args)]


def test_5_a_fifo_or_a_device_fails_at_once(tmp_path):
    inp = tmp_path / "in"
    seed_copy(inp, "good.txt")
    os.mkfifo(inp / "pipe.txt")
    (inp / "zero.txt").symlink_to("/dev/zero")
    # 0.1.0: the FIFO hangs the batch forever, /dev/zero ends it with MemoryError
    p = subprocess.run(_cli("convert", inp, "-o", tmp_path / "out"), capture_output=True, text=True, timeout=120)
    assert p.returncode == 1, p.stderr
    m = jd.read_manifest(tmp_path / "out").set_index("source")
    assert m.loc["good.txt", "status"] == "ok"
    assert m.loc["pipe.txt", "error_type"] == "UnreadableFileError" and "FIFO" in m.loc["pipe.txt", "error"]
    assert "character device" in m.loc["zero.txt", "error"]
    p = subprocess.run(_cli("inspect", inp / "pipe.txt"), capture_output=True, text=True, timeout=60)
    assert p.returncode == 1 and "FIFO" in p.stderr


def test_5_a_huge_file_is_not_read(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:      # sparse: no disk used
        fh.write("2023年度某局部门决算\n".encode())
        fh.truncate(ingest.MAX_TEXT_BYTES + 1)
    with pytest.raises(jd.FileTooLargeError) as e:
        jd.parse(big)
    assert "big.txt" in str(e.value) and f"{ingest.MAX_TEXT_BYTES:,}" in str(e.value)


# ------------------------------------------------------------------ 6: linear paths, time budget

def test_6_joining_lines_reads_only_the_ends_of_the_growing_line(monkeypatch):
    seen = []
    real = ingest._join_sep

    def spy(L, N, *args):
        seen.append(len(L))
        return real(L, N, *args)

    monkeypatch.setattr(ingest, "_join_sep", spy)
    text, _ = ingest.normalise("支出增加，\n" * 5000)      # 5,000 lines that all join into one
    assert text.count("\n") == 0 and len(text) == 5 * 5000 - 0
    assert max(seen) <= 2 * ingest._VIEW                   # 0.1.0: the whole joined line, each time


def test_6_clause_bounds_are_those_of_the_scan_they_replace():
    """``_Clauses`` (marks listed once) gives what the per-figure scans of 0.1.0 gave, on every figure of the
    seed and the corpus."""
    from jueshuan_data.numbers import find_amounts
    from jueshuan_data.segment import sentences

    n = 0
    for p in [SEED, *PUTUO]:
        text = jd.parse(p, validate=False).text
        for s, e in sentences(text):
            c = grammar._Clauses(text, s, e)
            for a in find_amounts(text, s, e):
                assert c.depth(a.start) == grammar.bracket_depth(text, s, a.start)
                assert c.start(a.start) == grammar._clause_start(text, s, a.start)
                assert c.end(a.end) == grammar._clause_end(text, a.end, e)
                n += 1
    assert n > 500


def test_6_a_fact_on_a_long_line_carries_a_bounded_evidence():
    r = jd.parse_text(read(SEED) + "\n" + "1 " * 3000 + "合计。", source="x.txt", validate=False)
    tail = r.facts[r.facts["char_start"] > len(read(SEED))]
    assert len(tail) > 2500 and tail["evidence"].str.len().max() <= 2 * 200 + 1   # 0.1.0: the whole line each


def spinning_parse(path):
    """Never ends on b.txt (a pure-Python loop: the timer interrupts it); the default parse otherwise."""
    if Path(path).name == "b.txt":
        while True:
            pass
    return batch._default_parse(path)


def deaf_parse(path):
    """Never ends on b.txt and ignores the timer signal (as a long C call would): only the pool can stop it."""
    if Path(path).name == "b.txt":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            pass
    return batch._default_parse(path)


@pytest.mark.parametrize("workers", [1, 2])
def test_6_a_report_over_the_time_budget_fails_alone(tmp_path, workers):
    inp = tmp_path / "in"
    seed_copy(inp, "a.txt"), seed_copy(inp, "b.txt"), seed_copy(inp, "c.txt")
    res = jd.convert([inp], tmp_path / "out", workers=workers, parser=spinning_parse, time_budget=5.0)
    assert (res.converted, res.failed) == (2, 1)
    (f,) = res.failures.itertuples()
    assert f.source == "b.txt" and f.error_type == "ReportTimeoutError" and f.error.startswith("b.txt: ")


def test_6_a_report_deaf_to_the_timer_is_stopped_by_the_pool(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "HARD_GRACE", 1.0)
    inp = tmp_path / "in"
    seed_copy(inp, "a.txt"), seed_copy(inp, "b.txt")
    res = jd.convert([inp], tmp_path / "out", workers=2, parser=deaf_parse, time_budget=5.0)
    assert (res.converted, res.failed) == (1, 1)
    assert res.failures["error_type"].tolist() == ["ReportTimeoutError"]


# -------------------------------------------------------------------- 7: environment errors

def test_7_a_full_disk_ends_with_one_line_exit_3_and_a_true_manifest(tmp_path, monkeypatch):
    inp, out = tmp_path / "in", tmp_path / "out"
    for name in ("a.txt", "b.txt", "c.txt"):
        seed_copy(inp, name)
    real, calls = write._write_parquet, []

    def full_after_the_first_batch(path, *args, **kw):
        calls.append(path)
        if len({p.name.split("-")[-1] for p in calls}) > 1:       # a second batch
            with open(write._tmp_name(path), "wb") as fh:
                fh.write(b"PAR1 half")                              # what a full disk leaves
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, *args, **kw)

    monkeypatch.setattr(write, "_write_parquet", full_after_the_first_batch)
    r = CliRunner().invoke(cli.main, ["convert", str(inp), "-o", str(out), "--batch-size", "1"])
    assert r.exit_code == 3, r.output                                  # 0.1.0: a traceback and exit 1
    (line,) = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert "no space left on the device" in line and "1 inputs written, 2 not written" in line
    assert "Traceback" not in r.output
    m = jd.read_manifest(out).set_index("source")
    assert m.loc["a.txt", "status"] == "ok" and m.loc[["b.txt", "c.txt"], "status"].tolist() == ["not_written"] * 2
    assert not list(out.rglob("*.tmp"))
    assert len(jd.read_dataset(out, "facts")) == m.loc["a.txt", "rows_facts"]
    monkeypatch.undo()
    res = jd.convert([inp], out)                                     # space again: the run completes
    assert (res.converted, res.unchanged) == (2, 1)


def test_7_a_read_only_output_exits_3(tmp_path, monkeypatch):
    real = Path.mkdir

    def read_only(self, *args, **kw):
        if self == tmp_path / "out":
            raise OSError(errno.EROFS, "Read-only file system")
        return real(self, *args, **kw)

    monkeypatch.setattr(Path, "mkdir", read_only)     # root writes anywhere: the refusal is simulated
    r = CliRunner().invoke(cli.main, ["convert", str(SEED), "-o", str(tmp_path / "out")])
    assert r.exit_code == 3 and "read-only" in r.stderr and "Traceback" not in r.output


def test_7_an_unreachable_dask_scheduler_exits_3(tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    import socket

    monkeypatch.setattr(batch, "DASK_CONNECT_TIMEOUT", 1.0)
    with socket.socket() as s:            # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = CliRunner().invoke(cli.main, ["convert", str(SEED), "-o", str(tmp_path / "out"), "--engine", "dask",
                                      "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert r.exit_code == 3 and "cannot reach the Dask scheduler" in r.stderr, r.output
    assert "Traceback" not in r.output


# --------------------------------------------------------------------- 9: the README as a script

def _readme_snippet() -> str:
    readme = read(ROOT / "README.md")
    block = re.search(r"```python\n(import jueshuan_data as jd\n.*?)```", readme, re.S).group(1)
    return block


def test_9_the_readme_snippet_runs_as_a_script(tmp_path):
    code = _readme_snippet()
    assert 'if __name__ == "__main__":' in code and "jd.convert(" in code
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "reports").mkdir()
    shutil.copyfile(CORPUS / "putuo_caizhengju_2024.txt", tmp_path / "reports" / "putuo.txt")
    (tmp_path / "snippet.py").write_text(code, encoding="utf-8")
    p = subprocess.run([sys.executable, "snippet.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert jd.read_manifest(tmp_path / "out")["status"].value_counts().to_dict() == {"ok": 2, "failed": 1}


def test_9_without_the_guard_the_error_says_what_to_do(tmp_path):
    seed_copy(tmp_path, "a.txt"), seed_copy(tmp_path, "b.txt")
    (tmp_path / "unguarded.py").write_text(
        "import jueshuan_data as jd\nresult = jd.convert(['a.txt', 'b.txt'], 'out', workers=2)\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "unguarded.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert p.returncode != 0                                  # 0.1.0: BrokenProcessPool
    last = p.stderr.strip().splitlines()[-1]
    assert last.startswith("RuntimeError") and 'if __name__ == "__main__":' in last


# ---------------------------------------------------------------------------- 10: small things

def test_10_convert_help_says_which_formats_are_read():
    r = CliRunner().invoke(cli.main, ["convert", "--help"])
    assert all(w in r.output for w in (".txt", ".html", ".pdf", "GB18030", "UTF-16")), r.output
    assert "3 when OUT cannot be written" in r.output


def test_10_the_readme_names_the_failures_columns():
    res = batch.ConvertResult(out_dir=Path("out"))
    cols = ", ".join(res.failures.columns)
    assert f"failures: DataFrame({cols})" in read(ROOT / "README.md")


def test_10_the_architecture_names_only_modules_that_exist():
    arch = read(ROOT / "docs" / "ARCHITECTURE.md")
    tree = arch[arch.index("```"):arch.index("```", arch.index("```") + 3)]
    package = {p.relative_to(ROOT / "jueshuan_data").as_posix() for p in (ROOT / "jueshuan_data").rglob("*.py")}
    for name in re.findall(r"\b([a-z_]+(?:/[a-z_]+)?\.py)\b", arch):
        assert any(p == name or p.endswith("/" + name) for p in package), name
    assert "facts.py" not in tree


def test_10_utf16_without_a_byte_order_mark_reads(tmp_path):
    text = read(SEED)
    for enc in ("utf-16-le", "utf-16-be"):
        p = tmp_path / f"{enc}.txt"
        p.write_bytes(text.encode(enc))
        doc = ingest.read_document(p)          # 0.1.0: BinaryFileError "NUL bytes"
        assert doc.raw == text and doc.encoding == enc


def test_10_the_dask_local_cluster_starts_no_dashboard(tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    seen = {}
    real = distributed.LocalCluster

    def spy(*args, **kw):
        seen.update(kw)
        return real(*args, **{**kw, "processes": False})      # in-process: the test stays light

    monkeypatch.setattr(distributed, "LocalCluster", spy)
    res = jd.convert([SEED], tmp_path / "out", engine="dask")
    assert res.converted == 1
    assert seen["scheduler_kwargs"]["dashboard"] is False and not str(seen["dashboard_address"]).endswith("8787")


def test_10_the_readme_asks_for_any_python_from_3_11():
    first = read(ROOT / "README.md").split("```bash\n", 1)[1].split("```", 1)[0]
    assert "python3.11 " not in first and "python3 -m venv" in first
