"""PDF parse time against the text parse of the same report (issue 10: aim for at most 2 x).

    python benchmarks/pdf_vs_text.py            # the three Putuo 2024 reports, 7 runs each, medians
    python benchmarks/pdf_vs_text.py -n 15

For each report: the median wall time of ``jd.parse`` on the published PDF and on its text layer (.txt),
their ratio, and where the PDF's extra time goes (glyphs and rules from pypdfium2, layout into lines and
grids). Runs are warm (jieba and the catalogue loaded once before timing) and interleaved, so that a
machine busy with other work slows both sides alike.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import jueshuan_data as jd
from jueshuan_data.pdf.glyphs import read_pages
from jueshuan_data.pdf.layout import layout

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
REPORTS = ["putuo_caizhengju_2024", "putuo_guihuaziyuan_2024", "putuo_shehuigongzuobu_2024"]


def _time(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=7)
    args = ap.parse_args(argv)
    jd.parse(CORPUS / f"{REPORTS[0]}.txt")          # warm: jieba, catalogue, imports
    jd.parse(CORPUS / f"{REPORTS[0]}.pdf")
    print(f"{'report':30s} {'pages':>5s} {'txt ms':>8s} {'pdf ms':>8s} {'ratio':>6s} {'glyphs ms':>9s} {'layout ms':>9s}")
    ratios = []
    for name in REPORTS:
        pdf, txt = CORPUS / f"{name}.pdf", CORPUS / f"{name}.txt"
        t_txt, t_pdf, t_glyph, t_layout = [], [], [], []
        for _ in range(args.runs):
            t_txt.append(_time(jd.parse, txt))
            t_pdf.append(_time(jd.parse, pdf))
            t0 = time.perf_counter()
            pages = read_pages(pdf)
            t1 = time.perf_counter()
            layout(pages)
            t2 = time.perf_counter()
            t_glyph.append(t1 - t0)
            t_layout.append(t2 - t1)
        m_txt, m_pdf = statistics.median(t_txt), statistics.median(t_pdf)
        ratios.append(m_pdf / m_txt)
        print(f"{name:30s} {len(pages):5d} {m_txt * 1e3:8.1f} {m_pdf * 1e3:8.1f} {m_pdf / m_txt:6.2f} "
              f"{statistics.median(t_glyph) * 1e3:9.1f} {statistics.median(t_layout) * 1e3:9.1f}")
    print(f"median ratio pdf/txt = {statistics.median(ratios):.2f} (target <= 2.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
