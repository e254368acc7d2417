"""Glyphs and rules -> the text of a PDF, with a box for every character and the ruled tables as grids.

* **Lines** are rebuilt from the glyphs themselves, never from the text layer's order: glyphs sharing a
  baseline make a line, read left to right, with a space wherever the gap between two glyphs is wider
  than a normal letter gap. (The text layer of some reports pushes the numbers of a sentence to the end
  of its line: ``截至 年 月 日 … 2024 12 31``; the glyph positions put them back.)
* **Ruled tables** (the standard tables are drawn with rules) are read as grids: the rules of a table
  give its row bands and column bands; every glyph falls in one cell; a label wrapped over several lines
  of its cell stays in that cell; cells of one row printed at different heights stay in one row. Each
  row is written as one line of text (cells separated by a space), and each cell keeps its span in that
  text and its column span in the grid.
* **Page furniture** is dropped: page numbers (``- 5 -``, ``─ 7 ─``, ``第 5 页``, a bare number) in the
  top or bottom margin, and running headers/footers (the same line in the same margin on many pages).
* Pages are separated by a form-feed line (``\\n\\f\\n``), as in the text layer of most PDF tools, so
  that the text normaliser treats a PDF's text like any extracted text (it re-joins lines wrapped
  mid-sentence).
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field

from .glyphs import Glyph, Page, Rule

__all__ = ["Cell", "GridRow", "RuledTable", "PdfText", "layout"]

TOL = 1.5                      # points: rules closer than this are one rule


@dataclass
class Cell:
    col0: int                  # base columns [col0, col1) of the grid this cell spans
    col1: int
    text: str
    start: int = 0             # span of ``text`` in the emitted raw text
    end: int = 0
    box: tuple[float, float, float, float] | None = None


@dataclass
class GridRow:
    cells: list[Cell]
    top: float
    bottom: float
    start: int = 0             # span of the row's line in the raw text
    end: int = 0


@dataclass
class RuledTable:
    page: int
    bbox: tuple[float, float, float, float]
    columns: list[tuple[float, float]]       # base columns, left to right
    rows: list[GridRow]                       # top to bottom
    start: int = 0                            # raw offset of the first row's line
    end: int = 0


@dataclass
class PdfText:
    raw: str
    boxes: list[tuple | None]                 # per raw char: (page, x0, y0, x1, y1) or None
    tables: list[RuledTable]
    page_starts: list[int]                    # raw offset of each page's first character
    pages: list[Page] = field(repr=False, default_factory=list)


# ------------------------------------------------------------------------------------------ helpers

def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF


def _em(glyphs: list[Glyph]) -> float:
    """The body text's em on a page: the median advance of its CJK glyphs (a CJK glyph is one em wide)."""
    widths = [g.width for g in glyphs if _is_cjk(g.ch) and g.width > 1]
    if widths:
        return statistics.median(widths)
    heights = [g.y1 - g.y0 for g in glyphs if g.y1 - g.y0 > 1]
    return statistics.median(heights) / 0.7 if heights else 10.0


def _lines(glyphs: list[Glyph], em: float) -> list[list[Glyph]]:
    """Glyphs sharing a baseline (within a third of an em), each line left to right."""
    out: list[list[Glyph]] = []
    cur: list[Glyph] = []
    ref = None
    for g in sorted(glyphs, key=lambda g: -g.base):
        if cur and abs(g.base - ref) > 0.35 * em:
            out.append(sorted(cur, key=lambda g: g.x0))
            cur = []
        if not cur:
            ref = g.base
        cur.append(g)
    if cur:
        out.append(sorted(cur, key=lambda g: g.x0))
    return out


def _words(line: list[Glyph], em: float) -> list[tuple[str, list[Glyph | None]]]:
    """A line's characters with the spaces its gaps stand for: (char, glyph or None) pairs."""
    out: list[tuple[str, Glyph | None]] = []
    prev: Glyph | None = None
    prev_cjk = False
    # CJK text is often justified (stretched spacing); a space between two CJK characters must be a real
    # gap, between anything else a third of an em is one
    cjk_limit, limit = 0.45 * em, 0.3 * em
    for g in line:
        ch = g.ch
        if ch == " ":
            if out and out[-1][0] != " ":
                out.append((" ", None))
            continue
        cjk = _is_cjk(ch)
        if prev is not None and out and out[-1][0] != " ":
            if g.x0 - prev.x1 > (cjk_limit if cjk and prev_cjk else limit):
                out.append((" ", None))
        out.append((ch, g))
        prev, prev_cjk = g, cjk
    while out and out[-1][0] == " ":
        out.pop()
    return out


# ------------------------------------------------------------------------------------------ rules

def _merge(rules: list[Rule]) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal rules as (y, x0, x1) and vertical as (x, y0, y1), collinear pieces merged."""
    hs = sorted(((r.y0, r.x0, r.x1) for r in rules if r.horizontal), key=lambda t: (round(t[0]), t[1]))
    vs = sorted(((r.x0, r.y0, r.y1) for r in rules if not r.horizontal), key=lambda t: (round(t[0]), t[1]))

    def merge(items):
        items = sorted(items, key=lambda t: (t[0], t[1]))
        groups: list[list[tuple[float, float, float]]] = []
        for it in items:
            if groups and abs(it[0] - groups[-1][0][0]) <= TOL:
                groups[-1].append(it)
            else:
                groups.append([it])
        out = []
        for grp in groups:
            pos = statistics.fmean(t[0] for t in grp)
            segs = sorted((t[1], t[2]) for t in grp)
            a, b = segs[0]
            for s, e in segs[1:]:
                if s <= b + 2 * TOL:
                    b = max(b, e)
                else:
                    out.append((pos, a, b))
                    a, b = s, e
            out.append((pos, a, b))
        return out

    return merge(hs), merge(vs)


def _areas(hs, vs) -> list[tuple[list, list]]:
    """Connected groups of crossing rules: each a table's (horizontal, vertical) rules."""
    n_h = len(hs)
    parent = list(range(n_h + len(vs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - 2 * TOL <= x <= x1 + 2 * TOL and y0 - 2 * TOL <= y <= y1 + 2 * TOL:
                a, b = find(i), find(n_h + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(n_h + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= TOL:
            continue
        out.append(v)
    return out


_NUMERIC = re.compile(r"^[-−]?\d[\d,]*(?:\.\d+)?%?$")


def _cell_text(glyphs: list[Glyph], em: float) -> tuple[str, list[Glyph | None]]:
    chars: list[str] = []
    refs: list[Glyph | None] = []
    for k, line in enumerate(_lines(glyphs, em)):
        words = _words(line, em)
        if k and chars and words:
            # a label wrapped inside its cell is one label: no space between two CJK halves
            if not (_is_cjk(chars[-1]) and _is_cjk(words[0][0])):
                chars.append(" ")
                refs.append(None)
        for ch, g in words:
            chars.append(ch)
            refs.append(g)
    return "".join(chars), refs


def _grid(page: Page, hs, vs, glyphs: list[Glyph], em: float):
    """The rows of one ruled area: [(top, bottom, [(col0, col1, glyphs)])], and the base columns.

    A cell is a rectangle of the rules: the column boundaries that cross a band split it, and a cell
    with no rule below it runs on into the band below (a header cell spanning two header rows, a tall
    label). Each cell is reported in the row of its top band.
    """
    ys = _positions([h[0] for h in hs])[::-1]                   # top to bottom
    xs = _positions([v[0] for v in vs])
    columns = list(zip(xs, xs[1:]))

    def col_index(x: float) -> int:
        # the nearest boundary (the first of two as near): xs is sorted, so it is one of the two around x
        k = bisect.bisect_left(xs, x)
        if k == 0:
            return 0
        if k == len(xs) or abs(xs[k - 1] - x) <= abs(xs[k] - x):
            return k - 1
        return k

    def ruled_below(y: float, xa: float, xb: float) -> bool:
        mid = (xa + xb) / 2
        return any(abs(hy - y) <= TOL and x0 - TOL <= mid <= x1 + TOL for hy, x0, x1 in hs)

    bands: list[tuple[float, float]] = list(zip(ys, ys[1:]))
    band_cells: list[list[tuple[int, int]]] = []
    v_cols = [(col_index(x), y0, y1) for x, y0, y1 in vs]
    for top, bottom in bands:
        mid = (top + bottom) / 2
        # the column boundaries that really cross this band (merged cells have none inside them)
        cuts = sorted({k for k, y0, y1 in v_cols if y0 - TOL <= mid <= y1 + TOL})
        if not cuts or cuts[0] != 0:
            cuts = [0] + cuts
        if cuts[-1] != len(xs) - 1:
            cuts.append(len(xs) - 1)
        band_cells.append(list(zip(cuts, cuts[1:])))
    # merged rectangles: (first band, last band, col0, col1)
    rects: list[list[int]] = []
    open_: dict[tuple[int, int], list[int]] = {}
    for i, cells in enumerate(band_cells):
        nxt: dict[tuple[int, int], list[int]] = {}
        for a, b in cells:
            r = open_.get((a, b))
            if r is None:
                r = [i, i, a, b]
                rects.append(r)
            else:
                r[1] = i
            if i + 1 < len(bands) and not ruled_below(bands[i][1], xs[a], xs[b]):
                nxt[(a, b)] = r
        open_ = nxt
    # each glyph falls in one band (by its height) and one base column (by its centre): index them once
    neg = [-v for v in ys]                        # band boundaries, ascending for bisect
    cell_glyphs: dict[tuple[int, int], list[Glyph]] = {}
    for g in glyphs:
        y = g.base + 0.3 * em
        i = bisect.bisect_right(neg, -y) - 1      # the band whose top is the last boundary above y
        if i < 0 and y <= ys[0] + TOL:
            i = 0
        if i >= len(bands) and y >= ys[-1] - TOL:
            i = len(bands) - 1
        if not 0 <= i < len(bands):
            continue
        x = (g.x0 + g.x1) / 2
        k = bisect.bisect_right(xs, x) - 1
        if x < xs[0] - TOL or x > xs[-1] + TOL:
            continue
        cell_glyphs.setdefault((i, max(0, min(k, len(xs) - 2))), []).append(g)
    by_band: dict[int, list[tuple[int, int, list[Glyph]]]] = {}
    for i0, i1, a, b in rects:
        mine = [g for i in range(i0, i1 + 1) for k in range(a, b) for g in cell_glyphs.get((i, k), ())]
        if mine:
            by_band.setdefault(i0, []).append((a, b, mine))
    rows = []
    for i, (top, bottom) in enumerate(bands):
        cells = sorted(by_band.get(i, []), key=lambda c: c[0])
        rows.extend(_split_band(top, bottom, cells, em) if cells else [(top, bottom, [])])
    return rows, columns


def _split_band(top, bottom, cells, em):
    """A band holding several data rows (a table ruled only around its header and edges): one row per
    line of figures. Only a cell holding two or more lines of figures shows that; cells of one row are
    often printed at different heights (top-, middle- and bottom-aligned), which is no reason to split."""
    centres: list[float] = []
    for _, _, gl in cells:
        bases = []
        for line in _lines(gl, em):
            s = "".join(g.ch for g in line if g.ch != " ")
            if _NUMERIC.match(s):
                bases.append(statistics.fmean(g.base for g in line))
        if len(bases) >= 2 and len(bases) > len(centres):
            centres = sorted(bases, reverse=True)
    if len(centres) < 2:
        return [(top, bottom, cells)]
    cuts = [(a + b) / 2 for a, b in zip(centres, centres[1:])]
    out = []
    bounds = [top] + cuts + [bottom]
    for k, (hi, lo) in enumerate(zip(bounds, bounds[1:])):
        part = []
        for a, b, gl in cells:
            mine = [g for g in gl if (lo < g.base <= hi) or (k == 0 and g.base > hi)
                    or (k == len(bounds) - 2 and g.base <= lo)]
            if mine:
                part.append((a, b, mine))
        out.append((hi, lo, part))
    return out


# ------------------------------------------------------------------------------------------ furniture

_PAGE_NO = re.compile(r"^[-—–―─－~～\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–―─－~～\s]*$"
                      r"|^第\s*\d{1,4}\s*页\s*[,，]?\s*共\s*\d{1,4}\s*页$")
MARGIN = 0.09                  # top and bottom 9 % of a page: where running headers and page numbers sit


def _furniture(pages_lines: list[tuple[Page, list[tuple[float, str]]]]) -> set[tuple[int, int]]:
    """(page number, line index) of page numbers and running headers/footers."""
    drop: set[tuple[int, int]] = set()
    seen: dict[str, set[int]] = {}
    for page, lines in pages_lines:
        for k, (y, s) in enumerate(lines):
            in_margin = y > page.height * (1 - MARGIN) or y < page.height * MARGIN
            if not in_margin:
                continue
            if _PAGE_NO.match(s):
                drop.add((page.number, k))
                continue
            key = re.sub(r"\d+", "#", s.replace(" ", ""))
            seen.setdefault(key, set()).add(page.number)
    repeated = {key for key, where in seen.items() if len(where) >= 3 and len(where) >= 0.4 * len(pages_lines)}
    if repeated:
        for page, lines in pages_lines:
            for k, (y, s) in enumerate(lines):
                in_margin = y > page.height * (1 - MARGIN) or y < page.height * MARGIN
                if in_margin and re.sub(r"\d+", "#", s.replace(" ", "")) in repeated:
                    drop.add((page.number, k))
    return drop


# ------------------------------------------------------------------------------------------ layout

@dataclass
class _Block:
    top: float
    kind: str                   # 'line' | 'table'
    words: list = field(default_factory=list)       # line: [(char, glyph)]
    rows: list = field(default_factory=list)        # table: [(top, bottom, [(col0, col1, text, refs)])]
    columns: list = field(default_factory=list)
    bbox: tuple = ()


def _page_blocks(page: Page) -> tuple[list[_Block], float]:
    glyphs = page.glyphs
    em = _em(glyphs)
    hs, vs = _merge(page.rules)
    blocks: list[_Block] = []
    used: set[int] = set()
    for area_h, area_v in _areas(hs, vs):
        x0 = min(v[0] for v in area_v)
        x1 = max(v[0] for v in area_v)
        y0 = min(h[0] for h in area_h)
        y1 = max(h[0] for h in area_h)
        if x1 - x0 < 3 * em or y1 - y0 < 1.5 * em:
            continue                      # a box around a word, an underline: not a table
        inside = [g for g in glyphs if x0 - TOL <= (g.x0 + g.x1) / 2 <= x1 + TOL
                  and y0 - TOL <= g.base + 0.3 * em <= y1 + TOL]
        if not inside:
            continue
        rows, columns = _grid(page, area_h, area_v, inside, em)
        rows_txt = []
        for top, bottom, cells in rows:
            cells_txt = []
            for a, b, gl in cells:
                text, refs = _cell_text(gl, em)
                if text:
                    cells_txt.append((a, b, text, refs))
            rows_txt.append((top, bottom, cells_txt))
        if len(columns) < 2 or not any(c for _, _, c in rows_txt):
            continue
        used.update(id(g) for g in inside)
        blocks.append(_Block(top=y1, kind="table", rows=rows_txt, columns=columns, bbox=(x0, y0, x1, y1)))
    rest = [g for g in glyphs if id(g) not in used]
    for line in _lines(rest, em):
        words = _words(line, em)
        if words:
            blocks.append(_Block(top=max(g.base for g in line), kind="line", words=words))
    blocks.sort(key=lambda b: -b.top)
    return blocks, em


def layout(pages: list[Page]) -> PdfText:
    """The text of the pages (tables row by row), a box per character, and the ruled tables."""
    per_page = [(page, *_page_blocks(page)) for page in pages]
    lines_for_furniture = [(page, [(b.top, "".join(ch for ch, _ in b.words)) for b in blocks if b.kind == "line"])
                           for page, blocks, _ in per_page]
    drop = _furniture(lines_for_furniture)

    chars: list[str] = []
    boxes: list[tuple | None] = []
    tables: list[RuledTable] = []
    page_starts: list[int] = []

    put_char, put_box = chars.append, boxes.append

    def put(ch: str, box: tuple | None):
        put_char(ch)
        put_box(box)

    for n, (page, blocks, _em_) in enumerate(per_page):
        if n:
            for ch in "\n\f\n":
                put(ch, None)
        page_starts.append(len(chars))
        first = True
        k_line = -1
        for b in blocks:
            if b.kind == "line":
                k_line += 1
                if (page.number, k_line) in drop:
                    continue
                if not first:
                    put("\n", None)
                first = False
                number = page.number
                for ch, g in b.words:    # every character of the document: no call of put
                    put_char(ch)
                    put_box(None if g is None else (number, g.x0, g.y0, g.x1, g.y1))
                continue
            table = RuledTable(page=page.number, bbox=b.bbox, columns=b.columns, rows=[])
            for top, bottom, cells in b.rows:
                if not cells:
                    continue
                if not first:
                    put("\n", None)
                first = False
                row = GridRow(cells=[], top=top, bottom=bottom, start=len(chars))
                for j, (a, c, text, refs) in enumerate(cells):
                    if j:
                        put(" ", None)
                    start = len(chars)
                    chars.extend(text)
                    number = page.number
                    boxes.extend(None if g is None else (number, g.x0, g.y0, g.x1, g.y1) for g in refs)
                    gl = [g for g in refs if g is not None]
                    box = (min(g.x0 for g in gl), min(g.y0 for g in gl), max(g.x1 for g in gl),
                           max(g.y1 for g in gl)) if gl else None
                    row.cells.append(Cell(a, c, text, start, len(chars), box))
                row.end = len(chars)
                table.rows.append(row)
            if table.rows:
                table.start, table.end = table.rows[0].start, table.rows[-1].end
                tables.append(table)
    return PdfText(raw="".join(chars), boxes=boxes, tables=tables, page_starts=page_starts, pages=pages)
