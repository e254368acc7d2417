"""Parse CPU time of this checkout against another one (an older commit), in alternating fresh processes.

    git worktree add /tmp/before <commit>
    python benchmarks/ab_cpu.py /tmp/before            # 8 rounds
    python benchmarks/ab_cpu.py /tmp/before . -r 12    # B = this checkout (the default)

Each round starts one process per checkout (A first in even rounds, B first in odd ones); a process parses
the seed and the three Putuo 2024 texts once to warm up, then four times each, and reports the CPU time
(``time.process_time``) of one pass over the four. Printed: the medians and the median of the per-round
ratios B / A. Why CPU time in alternating processes: on this shared 2-core machine the wall time of the same
code drifts by ±10 % from one minute to the next, more than most single changes save; a ratio taken within
a round, in CPU time, does not drift with the neighbours' load.

Each process runs in the checkout's own directory, so that its ``jueshuan_data`` is imported from there
(the current directory comes first on ``sys.path``, before an editable install).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "seeds" / "tianqiao_2023.txt", *sorted((ROOT / "tests" / "corpus").glob("putuo_*_2024.txt"))]

_CHILD = r"""
import sys, time
import jueshuan_data as jd
files = sys.argv[1:]
for f in files:
    jd.parse(f)
total = 0.0
for _ in range(4):
    for f in files:
        t = time.process_time()
        jd.parse(f)
        total += time.process_time() - t
print(jd.__file__)
print(total * 1000 / 4)
"""


def _run(checkout: Path) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run([sys.executable, "-c", _CHILD, *map(str, FILES)], cwd=checkout, env=env,
                         capture_output=True, text=True, check=True).stdout.split("\n")
    return float(out[1]), out[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", type=Path, help="the checkout to compare against (A)")
    ap.add_argument("b", type=Path, nargs="?", default=ROOT, help="the checkout measured (B; this one)")
    ap.add_argument("-r", "--rounds", type=int, default=8)
    args = ap.parse_args(argv)
    a_ms, b_ms, ratios = [], [], []
    for k in range(args.rounds):
        order = [("A", args.a), ("B", args.b)] if k % 2 == 0 else [("B", args.b), ("A", args.a)]
        got = {}
        for tag, checkout in order:
            got[tag], module = _run(checkout.resolve())
            if k == 0:
                print(f"{tag}: {module}")
        a_ms.append(got["A"])
        b_ms.append(got["B"])
        ratios.append(got["B"] / got["A"])
    print(f"CPU ms per pass over {len(FILES)} reports: A {statistics.median(a_ms):.1f}, B {statistics.median(b_ms):.1f}; "
          f"B / A = {statistics.median(ratios):.3f} (rounds: {min(ratios):.3f}..{max(ratios):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
