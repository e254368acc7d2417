"""The batch figures of issue 14, each beside its target and the jieba reference (not run by the tests as
a benchmark: ``tests/test_benchmarks.py`` runs ``--short`` only to see that it works, with no timing).

    python benchmarks/run.py              # 500 reports; peak memory at 500 and 5,000 (several minutes)
    python benchmarks/run.py --short      # 6 / 12 reports: what CI runs

Figures (medians where repeated; the machine is shared, so compare ratios rather than seconds):

* files per dataset and year after a batch, against one per input;
* per-report cost, one worker: parse (``validate="rules"``), batch validation (pandera, one call per dataset
  and chunk) with the Arrow conversion, and the Parquet writes, each as a multiple of ``jieba.lcut`` of the
  same text;
* 2 workers against 1 on the same reports (target >= 1.8 x), and the parent process's CPU per report;
* peak memory (largest process) converting N and 10 x N reports (target: flat);
* single report: warm ``parse(validate=True)`` of the seed, the three Putuo reports and the corpus excerpts
  (``tests/corpus/pages``, each parsed on its own, summed) against ``jieba.lcut`` of the same text (target
  <= 1.25 x); on the seed also ``parse`` with every frame read (``parse`` makes a frame when it is first
  read: what a caller who reads every dataset pays), ``validate="rules"`` and ``False``; the published PDFs
  against their text (target
  <= 2 x), and the cold start: a fresh interpreter that imports the library, parses the seed and prints the
  report (target <= 0.8 s and 150 MiB, whole process).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tianqiao_2023.txt"
CORPUS = ROOT / "tests" / "corpus"


def texts() -> list[tuple[str, str]]:
    """The seed and the three Putuo reports: (name, text)."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in [SEED, *sorted(CORPUS.glob("putuo_*.txt"))]]


def make_inputs(folder: Path, n: int) -> list[Path]:
    """``n`` distinct reports: the real texts with the unit's name numbered (distinct bytes and report ids)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = texts()
    out = []
    for i in range(n):
        name, text = base[i % len(base)]
        first = text.split("\n", 1)[0]
        p = folder / f"{name}_{i:05d}.txt"
        p.write_text(text.replace(first, re.sub(r"(决算|预算)", rf"第{i}号\1", first, count=1), 1), encoding="utf-8")
        out.append(p)
    return out


def jieba_seconds(text: str, repeat: int = 3) -> float:
    import jieba

    jieba.lcut(text)   # warm
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        jieba.lcut(text)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


# ---------------------------------------------------------------------------------------- figures

def per_report_costs(n: int) -> dict:
    """One worker's cost per report, by step, against jieba.lcut of the same texts."""
    import jueshuan_data as jd
    from jueshuan_data import batch, write

    tmp = Path(tempfile.mkdtemp(prefix="jueshuan-bench-"))
    try:
        paths = make_inputs(tmp / "in", n)
        jieba_total = sum(jieba_seconds(p.read_text(encoding="utf-8"), repeat=1) for p in paths)
        jd.parse(paths[0], validate="rules")      # warm: imports, jieba, catalogue
        t0 = time.perf_counter()
        parsed = [batch._parse_one(batch._Task(str(p), str(p), write.input_key(str(p)), p.name)) for p in paths]
        t_parse = time.perf_counter() - t0
        t0 = time.perf_counter()
        chunk = batch._finish_chunk(parsed)
        t_validate = time.perf_counter() - t0
        out = tmp / "out"
        t0 = time.perf_counter()
        with write.output_lock(out):
            store = write.Store(out)
            groups: dict = {}
            oks = [p for p in chunk.reports if p.ok]
            for d, t in chunk.tables.items():
                start = 0
                for p, k in zip(oks, chunk.lens[d]):
                    groups.setdefault(d, {}).setdefault(write.year_key(p.fiscal_year), []).append((p.key, t.slice(start, k)))
                    start += k
            store.write_batch(groups)
        t_write = time.perf_counter() - t0
        per = lambda t: 1000 * t / n                                          # noqa: E731
        return {"reports": n, "jieba_ms": per(jieba_total), "parse_ms": per(t_parse),
                "validate_ms": per(t_validate), "write_ms": per(t_write),
                "total_x_jieba": (t_parse + t_validate + t_write) / jieba_total,
                "parse_x_jieba": t_parse / jieba_total, "validate_x_jieba": t_validate / jieba_total,
                "write_x_jieba": t_write / jieba_total}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------------------ single-report speed

def corpus_texts() -> list[tuple[str, str]]:
    """The seed, the three Putuo reports and the corpus excerpts (tests/corpus/pages) as one text."""
    out = texts()
    pages = sorted((CORPUS / "pages").glob("*.txt"))
    if pages:
        out.append((f"corpus excerpts ({len(pages)}, summed)", "\n\f".join(p.read_text(encoding="utf-8")
                                                                          for p in pages)))
    return out


def _paired(fn_a, fn_b, runs: int) -> tuple[float, float]:
    """Medians of two timings taken alternately, so that a neighbour's load falls on both alike."""
    a, b = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn_a()
        t1 = time.perf_counter()
        fn_b()
        t2 = time.perf_counter()
        a.append(t1 - t0)
        b.append(t2 - t1)
    return statistics.median(a), statistics.median(b)


def parse_speed(short: bool = False) -> dict:
    """Warm ``parse`` against ``jieba.lcut`` of the same text; PDF against text; the cold start."""
    import jieba

    import jueshuan_data as jd
    from jueshuan_data.errors import ReportError

    runs = 1 if short else 9
    items = corpus_texts()[:1] if short else corpus_texts()
    warm, modes = [], []
    for name, text in items:
        def parse(v=True, read=False, text=text, name=name):
            # ``read``: every frame of the report read as well (parse makes a frame when it is first read)
            for part in text.split("\n\f") if name.startswith("corpus excerpts") else [text]:
                try:        # each excerpt on its own, as a user parses them
                    r = jd.parse_text(part, "excerpt.txt" if part is not text else f"{name}.txt", validate=v)
                except ReportError:
                    if part is text:
                        raise
                    continue
                if read:
                    for d in r.tables:
                        r.tables[d]
        parse()
        jieba.lcut(text)
        tp, tj = _paired(parse, lambda text=text: jieba.lcut(text), runs)
        warm.append({"name": name, "parse_ms": 1000 * tp, "jieba_ms": 1000 * tj, "x": tp / tj})
        if name == items[0][0]:
            for v, read in ((True, True), ("rules", False), (False, False)):
                tv, tj = _paired(lambda v=v, read=read: parse(v, read), lambda text=text: jieba.lcut(text), runs)
                modes.append({"name": name, "validate": v, "read": read, "parse_ms": 1000 * tv, "x": tv / tj})
    pdf = []
    stems = ["putuo_caizhengju_2024", "putuo_guihuaziyuan_2024", "putuo_shehuigongzuobu_2024"]
    for stem in stems[-1:] if short else stems:
        p_pdf, p_txt = CORPUS / f"{stem}.pdf", CORPUS / f"{stem}.txt"
        if p_pdf.exists() and p_txt.exists():
            jd.parse(p_pdf)
            t_pdf, t_txt = _paired(lambda p=p_pdf: jd.parse(p), lambda p=p_txt: jd.parse(p), runs if short else 5)
            pdf.append({"name": stem, "pdf_ms": 1000 * t_pdf, "txt_ms": 1000 * t_txt, "ratio": t_pdf / t_txt})
    return {"warm": warm, "modes": modes, "pdf": pdf, "cold": cold_start(1 if short else 3)}


_COLD = r"""
import resource, sys, time
t0 = time.perf_counter()
import jueshuan_data as jd
from jueshuan_data import report, validate, extract, rules, ingest, segment   # noqa: F401
t1 = time.perf_counter()
print(jd.parse(sys.argv[1]))
print("IMPORT", t1 - t0)
# the peak of this process's own memory: ru_maxrss would report the parent's when that was larger (Linux keeps
# the high-water mark across fork and exec)
try:
    hwm = [int(ln.split()[1]) for ln in open("/proc/self/status") if ln.startswith("VmHWM:")][0]
except (OSError, IndexError, ValueError):
    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("RSS", hwm)
"""


def cold_start(runs: int = 3) -> dict:
    """A fresh interpreter that imports the library, parses the seed and prints the report: wall time of the
    whole process (interpreter start included) and its peak memory; medians."""
    walls, imports, rss = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, "-c", _COLD, str(SEED)], capture_output=True, text=True,
                           cwd=tempfile.gettempdir())   # not ROOT: PYTHONPATH may name another checkout
        walls.append(time.perf_counter() - t0)
        if p.returncode:
            raise SystemExit(p.stderr)
        lines = dict(ln.split(" ", 1) for ln in p.stdout.splitlines() if ln.startswith(("IMPORT", "RSS")))
        imports.append(float(lines["IMPORT"]))
        rss.append(int(lines["RSS"]) / 1024)
    return {"seconds": statistics.median(walls), "import_s": statistics.median(imports),
            "max_rss_mib": statistics.median(rss)}


def files_per_dataset_and_year(out: Path) -> dict:
    counts: dict = {}
    for f in out.rglob("*.parquet"):
        if f.name.startswith("part-"):
            year = f.name.split("-")[1] if f.parent.name != "" else "?"
            if "=" in f.parent.name:        # the 0.1.0 layout: OUT/<dataset>/fiscal_year=YYYY/part-<input>.parquet
                key = (f.parent.parent.name, f.parent.name)
            else:
                key = (f.parent.name, year)
            counts[key] = counts.get(key, 0) + 1
    return {"folders": len(counts), "max": max(counts.values(), default=0),
            "total": sum(counts.values())}


_CHILD = r"""
import json, os, resource, sys, time
import jueshuan_data as jd
jd.convert   # imported before the clock starts: the parent's CPU per report is what converting costs
inp, out, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.perf_counter(); c0 = time.process_time()
r = jd.convert([inp], out, workers=workers, progress=False)
wall = time.perf_counter() - t0; cpu = time.process_time() - c0
assert r.failed == 0, r.summary()
print(json.dumps({"wall": wall, "parent_cpu": cpu, "converted": r.converted, "worker_cpu": getattr(r, "worker_cpu", None),
                  "self_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def convert_run(inp: Path, out: Path, workers: int) -> dict:
    """``jd.convert`` in a fresh process (the numbers of one run, not of a warm test process)."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    load = os.getloadavg()[0]
    p = subprocess.run([sys.executable, "-c", _CHILD, str(inp), str(out), str(workers)], capture_output=True,
                       text=True, cwd=out.parent)   # not ROOT: PYTHONPATH may name another checkout
    if p.returncode:
        raise SystemExit(p.stderr)
    res = json.loads(p.stdout.strip().splitlines()[-1])
    # the largest process of the run: the parent or one of its workers (getrusage of waited descendants)
    res["peak_rss_mib"] = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, res["self_maxrss_kb"]) / 1024
    # the run's processes: parent and workers (0.1.0 did not count its workers' CPU: None)
    res["cpu_total"] = None if res["worker_cpu"] is None and workers > 1 else res["parent_cpu"] + (res["worker_cpu"] or 0)
    res["load_before"], res["load_after"] = load, os.getloadavg()[0]
    res.update(files_per_dataset_and_year(out))
    return res


# ------------------------------------------------------------------------------------------ output

def row(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<58} {value:>18}   {target}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--short", action="store_true", help="a few reports: checks that every figure runs (CI)")
    ap.add_argument("-n", type=int, default=None, help="reports for the worker and layout figures (500)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs (the longest part)")
    ap.add_argument("--batch-only", action="store_true",
                    help="only the figures of jd.convert (public API): to measure an older version, e.g. "
                         "PYTHONPATH=<checkout of 0.1.0> python benchmarks/run.py --batch-only")
    args = ap.parse_args(argv)
    n = args.n or (6 if args.short else 500)
    big = 2 * n if args.short else 10 * n
    figures: dict = {"n": n}

    print(f"jueshuan_data batch figures (issue 14): {n} reports; memory at {n} and {big}")
    costs = None if args.batch_only else per_report_costs(min(n, 4 if args.short else 100))
    figures["costs"] = costs
    if costs is not None:
        print("per-report cost, one worker (ms per report; x = multiple of jieba.lcut of the same text)")
        row("jieba.lcut (reference)", f"{costs['jieba_ms']:.1f} ms")
        row("parse (validate='rules')", f"{costs['parse_ms']:.1f} ms = {costs['parse_x_jieba']:.2f} x")
        row("batch validation + Arrow (per chunk)", f"{costs['validate_ms']:.1f} ms = {costs['validate_x_jieba']:.2f} x")
        row("Parquet writes (one file per dataset and year)", f"{costs['write_ms']:.1f} ms = {costs['write_x_jieba']:.2f} x")
        row("total", f"{costs['total_x_jieba']:.2f} x", "target <= 1.0 x jieba")

    if not args.batch_only:
        figures["parse"] = speed = parse_speed(args.short)
        print("single report, warm (medians of interleaved runs; x = multiple of jieba.lcut of the same text)")
        for r in speed["warm"]:
            row(f"warm parse, validate=True: {r['name']}", f"{r['parse_ms']:.1f} ms = {r['x']:.2f} x",
                f"target <= 1.25 x (jieba {r['jieba_ms']:.1f} ms)")
        for r in speed["modes"]:
            what = f"validate={r['validate']!r}" + (", every frame read" if r["read"] else "")
            row(f"  {what}: {r['name']}", f"{r['parse_ms']:.1f} ms = {r['x']:.2f} x")
        if speed["pdf"]:
            for r in speed["pdf"]:
                row(f"PDF parse / text parse: {r['name']}", f"{r['pdf_ms']:.0f} / {r['txt_ms']:.0f} ms = "
                                                           f"{r['ratio']:.2f} x", "target <= 2 x")
        cold = speed["cold"]
        row("cold start: import, parse the seed, print", f"{cold['seconds']:.2f} s, {cold['max_rss_mib']:.0f} MiB",
            "target <= 0.8 s, 150 MiB")
        row("  of which importing jueshuan_data's parse path", f"{cold['import_s']:.2f} s")

    tmp = Path(tempfile.mkdtemp(prefix="jueshuan-bench-"))
    try:
        inp = tmp / "in"
        make_inputs(inp, n)
        one = convert_run(inp, tmp / "out1", 1)
        two = convert_run(inp, tmp / "out2", 2)
        figures["workers"] = {"1": one, "2": two}
        print(f"batch of {n} reports")
        row("files per dataset and year (max)", f"{two['max']}", f"0.1.0 layout: {n} (one per input)")
        row("part files in all", f"{two['total']}", f"0.1.0 layout: ~9 x {n}")
        row("1 worker: wall", f"{one['wall']:.1f} s ({1000 * one['wall'] / n:.0f} ms/report)")
        row("2 workers: wall", f"{two['wall']:.1f} s ({1000 * two['wall'] / n:.0f} ms/report)")
        row("2 workers vs 1 (wall)", f"{one['wall'] / two['wall']:.2f} x", "target >= 1.8 x")
        # on a shared machine the wall ratio measures the neighbours too: the CPU the run's processes used
        # tells what 2 idle cores would give (the parent's serial part bounds it)
        if two["cpu_total"] is not None:
            bound = one["cpu_total"] / max(two["parent_cpu"], two["cpu_total"] / 2)
            row("2 workers vs 1 on 2 idle cores (from CPU time)", f"{bound:.2f} x", "target >= 1.8 x")
            row("CPU per report: 1 worker / 2 workers", f"{1000 * one['cpu_total'] / n:.0f} / "
                                                         f"{1000 * two['cpu_total'] / n:.0f} ms")
        row("load average during the runs (2 cores)", f"{one['load_after']:.1f} / {two['load_after']:.1f}")
        row("parent CPU per report, 2 workers", f"{1000 * two['parent_cpu'] / n:.1f} ms", "0.1.0: ~30 ms")
        if not args.no_memory:
            bigin = tmp / "big"
            make_inputs(bigin, big)
            mem = convert_run(bigin, tmp / "out3", 2)
            figures["memory"] = {"n": two["peak_rss_mib"], "10n": mem["peak_rss_mib"]}
            row(f"peak memory, {n} reports (largest process)", f"{two['peak_rss_mib']:.0f} MiB")
            row(f"peak memory, {big} reports", f"{mem['peak_rss_mib']:.0f} MiB", "target: flat")
            row(f"files per dataset and year (max), {big} reports", f"{mem['max']}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
