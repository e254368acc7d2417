"""``benchmarks/run.py --short`` runs and prints every figure (what it measures is not asserted: no timing
in tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_short_mode_prints_every_figure(tmp_path):
    out = tmp_path / "figures.json"
    p = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--short", "--json", str(out)],
                       capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    for label in ("jieba.lcut (reference)", "parse (validate='rules')", "batch validation", "Parquet writes",
                  "files per dataset and year", "2 workers vs 1", "parent CPU per report", "peak memory",
                  "warm parse, validate=True", "cold start", "PDF parse / text parse"):
        assert label in p.stdout, label
    figures = json.loads(out.read_text())
    assert figures["workers"]["1"]["converted"] == figures["workers"]["2"]["converted"] == figures["n"]
    assert 0 < figures["workers"]["2"]["max"] < figures["n"] * 2
