"""Wall time of converting N copies of the seed report with 1 and 2 workers (not run by the tests).

    python benchmarks/convert_copies.py            # N = 200, workers 1 and 2, engine processes
    python benchmarks/convert_copies.py -n 50 --workers 1 2 4 --engine dask

Each run starts from an empty output folder; prints wall time, reports/second and rows per dataset.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import jueshuan_data as jd

SEED = Path(__file__).resolve().parents[1] / "seeds" / "tianqiao_2023.txt"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--copies", type=int, default=200)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--engine", choices=["processes", "dask"], default="processes")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="jueshuan-bench-"))
    inp = tmp / "in"
    inp.mkdir()
    for i in range(args.copies):
        shutil.copyfile(SEED, inp / f"tianqiao_{i:04d}.txt")
    print(f"{args.copies} copies of {SEED.name} ({SEED.stat().st_size / 1024:.0f} KiB each), engine {args.engine}")
    rows = None
    try:
        for w in args.workers:
            out = tmp / f"out-{w}"
            t0 = time.perf_counter()
            res = jd.convert([inp], out, workers=w, engine=args.engine, progress=False)
            wall = time.perf_counter() - t0
            assert res.failed == 0 and res.converted == args.copies, res.summary()
            print(f"workers={w}: {wall:7.2f} s wall, {args.copies / wall:6.2f} reports/s")
            rows = res.rows
        if rows:
            print("rows per dataset (all copies): " + ", ".join(f"{d}={n}" for d, n in rows.items()))
            print("rows per dataset (one report): " + ", ".join(f"{d}={n // args.copies}" for d, n in rows.items()))
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
