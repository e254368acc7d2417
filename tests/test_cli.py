"""The ``jueshuan`` command line: convert (summary, exit codes, quiet off a terminal) and inspect."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import jueshuan_data as jd
from jueshuan_data import cli, write

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tianqiao_2023.txt"


def test_convert_all_ok_exits_0_with_a_summary(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copyfile(SEED, inp / "tianqiao_2023.txt")
    out = tmp_path / "out"
    r = CliRunner().invoke(cli.main, ["convert", str(inp), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "1 converted" in r.output and "0 failed" in r.output
    assert "expenditure_by_function" in r.output and "rows per dataset" in r.output
    efs = jd.read_dataset(out, "expenditure_by_function")
    assert 7894.78 in efs.loc[efs["subject"] == "社会保障和就业支出", "amount_wan"].round(2).tolist()
    again = CliRunner().invoke(cli.main, ["convert", str(inp), "-o", str(out)])
    assert again.exit_code == 0 and "1 unchanged" in again.output


def test_convert_any_failure_exits_1_and_lists_it(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copyfile(SEED, inp / "tianqiao_2023.txt")
    (inp / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    r = CliRunner().invoke(cli.main, ["convert", str(inp), str(tmp_path / "nope.txt"), "-o", str(out), "-w", "2"])
    assert r.exit_code == 1, r.output
    assert "1 converted" in r.output and "2 failed" in r.output
    assert "empty.txt" in r.output and "nope.txt" in r.output and "EmptyDocumentError" in r.output
    m = write.read_manifest(out)
    assert sorted(m["status"]) == ["failed", "failed", "ok"]


def test_convert_of_a_folder_without_reports_says_so(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.docx").write_bytes(b"PK")
    r = CliRunner().invoke(cli.main, ["convert", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert r.exit_code == 0 and "0 inputs" in r.stdout
    assert "no report files" in r.stderr and str(tmp_path / "in") in r.stderr


def test_convert_usage_errors_exit_2(tmp_path):
    r = CliRunner().invoke(cli.main, ["convert", str(SEED)])                  # no -o
    assert r.exit_code == 2
    r = CliRunner().invoke(cli.main, ["convert", str(SEED), "-o", str(tmp_path), "--scheduler", "tcp://x:1"])
    assert r.exit_code == 2 and "--engine dask" in r.output


def test_no_progress_bar_when_not_a_terminal(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copyfile(SEED, inp / "a.txt")
    p = subprocess.run([sys.executable, "-m", "jueshuan_data.cli", "convert", str(inp), "-o", str(tmp_path / "o"),
                        "-q"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "" and p.stderr == ""            # quiet: no bar, no summary, nothing failed


def test_progress_bar_when_forced(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copyfile(SEED, inp / "a.txt")
    p = subprocess.run([sys.executable, "-m", "jueshuan_data.cli", "convert", str(inp), "-o", str(tmp_path / "p"),
                        "--progress"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and "converting" in p.stderr and "1/1" in p.stderr


def test_inspect_prints_sections_tables_and_findings():
    r = CliRunner().invoke(cli.main, ["inspect", str(SEED), "--rows", "3"])
    assert r.exit_code == 0, r.output
    out = r.output
    assert "北京市西城区人民政府天桥街道办事处" in out and "2023" in out
    assert "sections" in out and "第一部分" in out
    assert "tables" in out and "expenditure_by_function" in out and "facts" in out
    assert "findings" in out


def test_inspect_one_dataset_and_bad_file(tmp_path):
    r = CliRunner().invoke(cli.main, ["inspect", str(SEED), "-d", "expenditure_by_function", "-n", "50"])
    assert r.exit_code == 0 and "社会保障和就业支出" in r.output and "7,894.78" in r.output
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = CliRunner().invoke(cli.main, ["inspect", str(empty)])
    assert r.exit_code == 1 and "EmptyDocumentError" in r.output
    r = CliRunner().invoke(cli.main, ["inspect", str(SEED), "-d", "nope"])
    assert r.exit_code == 2


def test_help_documents_exit_codes():
    r = CliRunner().invoke(cli.main, ["convert", "--help"])
    assert r.exit_code == 0 and "Exit code 0" in r.output and "1 when any failed" in r.output
