"""Parse time of the seed repeated 1, 4 and 16 times (issue 13: growth must be linear, not quadratic).

    python benchmarks/parse_scaling.py [--max 64]

Each input is the seed's text k times over (a report k times as long, same sentences and tables); the
parse is warm (imports and jieba loaded by a first parse), median of 3 runs (1 for the largest). Prints
seconds, seconds per seed-sized unit, and the ratio to the 1 x time: linear growth keeps the per-unit
time flat.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import jueshuan_data as jd

SEED = Path(__file__).resolve().parents[1] / "seeds" / "tianqiao_2023.txt"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max", type=int, default=16, help="largest multiple (1, 4, 16, 64 ...)")
    args = ap.parse_args(argv)
    text = SEED.read_text(encoding="utf-8")
    jd.parse_text(text, source="warm.txt")
    base = None
    print(f"{'k':>4} {'chars':>10} {'seconds':>8} {'s per 1x':>9} {'x of 1x':>8}")
    k = 1
    while k <= args.max:
        big = "\n".join([text] * k)
        runs = []
        for _ in range(3 if k < args.max else 1):
            t0 = time.perf_counter()
            jd.parse_text(big, source=f"x{k}.txt")
            runs.append(time.perf_counter() - t0)
        t = statistics.median(runs)
        base = base or t
        print(f"{k:>4} {len(big):>10,} {t:>8.2f} {t / k:>9.3f} {t / base:>8.1f}")
        k *= 4
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
