"""Delta Lake (the ``deltalake`` package) against this library's layout, on the same batches of real rows.

    pip install deltalake polars duckdb
    python benchmarks/delta_vs_manifest.py [-n 256] [--batch 64]

Writes the ``facts`` and ``expenditure_by_function`` rows of ``n`` reports (the seed and the corpus texts,
numbered) in batches, then replaces one report's rows, and prints per layout: seconds per batch, files,
seconds to replace one input, and the rows each reader sees after the replacement (the right answer is
the row count before it). Not run by the tests.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import make_inputs  # noqa: E402

DATASETS = ("facts", "expenditure_by_function")


def tables(paths):
    import jueshuan_data as jd
    from jueshuan_data import schemas, write

    out = []
    for p in paths:
        r = jd.parse(p, validate="rules")
        key = write.input_key(str(p))
        out.append((key, {d: write.to_arrow(schemas.conform(d, r.tables[d]), d) for d in DATASETS}))
    return out


def ours(root: Path, batches, replacement):
    from jueshuan_data import write

    t0 = time.perf_counter()
    with write.output_lock(root):
        store = write.Store(root)
        for b in batches:
            store.write_batch({d: {"2023": [(k, t[d]) for k, t in b]} for d in DATASETS})
    per_batch = (time.perf_counter() - t0) / len(batches)
    t0 = time.perf_counter()
    with write.output_lock(root):
        store = write.Store(root)
        k, t = replacement
        store.write_batch({d: {"2023": [(k, t[d])]} for d in DATASETS})
    return per_batch, time.perf_counter() - t0


def delta(root: Path, batches, replacement):
    from deltalake import DeltaTable, write_deltalake

    def with_key(k, t):
        return t.append_column("_input", pa.array([k] * t.num_rows, pa.string()))

    t0 = time.perf_counter()
    for b in batches:
        for d in DATASETS:
            write_deltalake(str(root / d), pa.concat_tables([with_key(k, t[d]) for k, t in b]), mode="append")
    per_batch = (time.perf_counter() - t0) / len(batches)
    t0 = time.perf_counter()
    k, t = replacement
    for d in DATASETS:
        DeltaTable(str(root / d)).delete(f"_input = '{k}'")
        write_deltalake(str(root / d), with_key(k, t[d]), mode="append")
    return per_batch, time.perf_counter() - t0


def readers(folder: Path) -> dict:
    import duckdb
    import polars as pl

    seen = {"pandas": len(pd.read_parquet(folder)),
            "duckdb glob": duckdb.connect().execute(f"SELECT count(*) FROM '{folder}/**/*.parquet'").fetchone()[0]}
    try:
        seen["polars (plain parquet)"] = pl.scan_parquet(f"{folder}/**/*.parquet").select(pl.len()).collect().item()
    except Exception as e:    # noqa: BLE001 - what a reader does is the figure
        seen["polars (plain parquet)"] = f"error: {type(e).__name__}"
    if (folder / "_delta_log").is_dir():
        from deltalake import DeltaTable

        seen["deltalake"] = DeltaTable(str(folder)).to_pyarrow_table().num_rows
        seen["polars read_delta"] = pl.read_delta(str(folder)).height
    return seen


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=256)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="jueshuan-delta-"))
    try:
        rows = tables(make_inputs(tmp / "in", args.n))
        batches = [rows[i:i + args.batch] for i in range(0, len(rows), args.batch)]
        replacement = (rows[3][0], rows[7][1])          # input 3 now holds what input 7 holds
        expect = sum(t["facts"].num_rows for _, t in rows) - rows[3][1]["facts"].num_rows + rows[7][1]["facts"].num_rows
        print(f"{args.n} reports in batches of {args.batch}; facts rows after replacing one input: {expect}")
        for name, fn in (("this layout", ours), ("delta lake", delta)):
            root = tmp / name.replace(" ", "_")
            per_batch, replace = fn(root, batches, replacement)
            files = len(list((root / "facts").rglob("*.parquet")))
            print(f"{name}: {1000 * per_batch:.0f} ms per batch ({1000 * per_batch / args.batch:.2f} ms per report), "
                  f"{files} facts files, replacing one input {1000 * replace:.0f} ms")
            for reader, n in readers(root / "facts").items():
                mark = "ok" if n == expect else "WRONG"
                print(f"    {reader:<24} {n} rows  {mark}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
