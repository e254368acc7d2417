"""PDF input: the text layer read glyph by glyph (pypdfium2), rebuilt into lines and ruled tables.

``read_pdf(path)`` gives a :class:`~jueshuan_data.pdf.layout.PdfText`: the text (tables one row per
line), the page and box of every character, and the ruled tables as grids whose cells know their span
in that text. ``ingest.read_document`` turns it into a Document like any text.

>>> from jueshuan_data.pdf import read_pdf
>>> pt = read_pdf("tests/corpus/putuo_caizhengju_2024.pdf")              # doctest: +SKIP
>>> pt.raw[pt.raw.index("201 06 01"):].split("\\n")[0]                      # doctest: +SKIP
'201 06 01 行政运行 1,511.89 1,503.52 8.37'
"""

from __future__ import annotations

from pathlib import Path

from .glyphs import read_pages
from .layout import Cell, GridRow, PdfText, RuledTable, layout

__all__ = ["read_pdf", "PdfText", "RuledTable", "GridRow", "Cell", "span_box"]


def read_pdf(path: str | Path, source: str | None = None) -> PdfText:
    """Glyphs -> text, character boxes and ruled tables. Raises NoTextLayerError, EncryptedPdfError,
    CorruptPdfError (naming ``source``)."""
    return layout(read_pages(path, source))


def span_box(boxes: list, start: int, end: int) -> tuple[int, float, float, float, float] | None:
    """(page, x0, y0, x1, y1) enclosing the characters of ``raw[start:end]`` on the page of its first
    character; None when none of them has a box (inserted spaces and line breaks have none)."""
    page = None
    x0 = y0 = float("inf")
    x1 = y1 = float("-inf")
    for b in boxes[start:end]:
        if b is None:
            continue
        if page is None:
            page = b[0]
        elif b[0] != page:
            break
        x0, y0, x1, y1 = min(x0, b[1]), min(y0, b[2]), max(x1, b[3]), max(y1, b[4])
    return None if page is None else (page, x0, y0, x1, y1)
