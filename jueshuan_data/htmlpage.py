"""A saved web page (HTML) -> a Document: the page's text, and its ``<table>`` elements as grids.

Reports are often published as a page on a government site: the narrative in paragraphs, the standard
tables as ``<table>`` elements. The page is parsed with lxml (never with regular expressions); its
charset comes from the ``<meta>`` tag (often GBK/GB2312, read as GB18030, their superset), else UTF-8,
else GB18030. Block elements (``p``, ``div``, ``br``, ``li``, headings …) end a line; scripts and styles
are dropped. Each table row becomes one line of text (cells separated by a space) and a
:class:`~jueshuan_data.pdf.layout.GridRow` whose cells know their span in that text and their column
span in the table (``colspan`` and ``rowspan`` honoured), so the table reader reads HTML tables and
ruled PDF tables the same way.

>>> from jueshuan_data.htmlpage import page_text
>>> pt = page_text(b"<html><body><p>2023\\xe5\\xb9\\xb4</p><table><tr><td>201</td><td>1.00</td></tr></table></body></html>")
>>> pt.raw, [[c.text for c in r.cells] for r in pt.tables[0].rows]
('2023年\\n201 1.00', [['201', '1.00']])
"""

from __future__ import annotations

import hashlib
import re

from .errors import DecodeError, EmptyDocumentError
from .pdf.layout import Cell, GridRow, PdfText, RuledTable

__all__ = ["page_text", "document_from_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
          "header", "footer", "tr", "table", "blockquote", "pre", "dd", "dt", "dl", "center", "form", "hr",
          "caption", "title"}
_SKIP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select", "button"}
_SPACE = re.compile(r"[ \t\r\n\u00a0\u3000]+")


def _decode(data: bytes, source: str) -> str:
    head = data[:4096]
    m = _CHARSET.search(head)
    tried = []
    if data.startswith(b"\xef\xbb\xbf"):
        tried.append("utf-8-sig")
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        tried.append("gb18030" if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "gb18030") else name)
    tried += ["utf-8", "gb18030"]
    for enc in tried:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise DecodeError(source, f"HTML page in no encoding we read (tried {', '.join(dict.fromkeys(tried))})")


class _Writer:
    def __init__(self):
        self.chars: list[str] = []
        self.tables: list[RuledTable] = []

    def text(self, s: str | None):
        if not s:
            return
        s = _SPACE.sub(" ", s)
        if s == " " and (not self.chars or self.chars[-1] in " \n"):
            return
        if self.chars and self.chars[-1] in " \n":
            s = s.lstrip(" ")
        self.chars.extend(s)

    def newline(self):
        while self.chars and self.chars[-1] == " ":
            self.chars.pop()
        if self.chars and self.chars[-1] != "\n":
            self.chars.append("\n")

    @property
    def pos(self) -> int:
        return len(self.chars)


def _cell_text(el) -> str:
    parts = []
    for t in el.itertext():
        parts.append(t)
    return _SPACE.sub(" ", "".join(parts)).strip()


def _table(w: _Writer, el) -> None:
    """One <table>: its rows, cells placed on a grid (colspan/rowspan), written one row a line."""
    rows = [tr for tr in el.iter("tr") if tr.getparent() is not None and _owner_table(tr) is el]
    occupied: dict[tuple[int, int], bool] = {}
    grid_rows: list[GridRow] = []
    n_cols = 0
    for i, tr in enumerate(rows):
        w.newline()
        col = 0
        row = GridRow(cells=[], top=float(-i), bottom=float(-i - 1), start=w.pos)
        first = True
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            while occupied.get((i, col)):
                col += 1
            span = _int(td.get("colspan"))
            rspan = _int(td.get("rowspan"))
            for r in range(i, i + rspan):
                for c in range(col, col + span):
                    occupied[(r, c)] = True
            text = _cell_text(td)
            if text:
                if not first:
                    w.text(" ")
                first = False
                start = w.pos
                w.chars.extend(text)
                row.cells.append(Cell(col, col + span, text, start, w.pos, None))
            col += span
        n_cols = max(n_cols, col)
        row.end = w.pos
        if row.cells:
            grid_rows.append(row)
    w.newline()
    if grid_rows:
        table = RuledTable(page=0, bbox=(0.0, 0.0, 0.0, 0.0), columns=[(float(k), float(k + 1)) for k in range(n_cols)],
                           rows=grid_rows, start=grid_rows[0].start, end=grid_rows[-1].end)
        w.tables.append(table)


def _owner_table(tr):
    p = tr.getparent()
    while p is not None and (not isinstance(p.tag, str) or p.tag.lower() != "table"):
        p = p.getparent()
    return p


def _int(v) -> int:
    try:
        return max(1, min(int(str(v).strip()), 200))
    except (TypeError, ValueError):
        return 1


def _walk(w: _Writer, el) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else None
    if tag in _SKIP:
        w.text(el.tail)
        return
    if tag == "table":
        _table(w, el)
        w.text(el.tail)
        return
    if tag in _BLOCK:
        w.newline()
    if tag is not None:
        w.text(el.text)
        for child in el:
            _walk(w, child)
    if tag in _BLOCK:
        w.newline()
    w.text(el.tail)


def page_text(data: bytes, source: str = "<html>") -> PdfText:
    """The text of an HTML page (tables one row per line) and its tables as grids."""
    import lxml.html

    html = _XML_DECL.sub("", _decode(data, source))
    if not html.strip():
        raise EmptyDocumentError(source, "empty HTML page")
    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    w = _Writer()
    title = root.findtext(".//title")
    if title and body is None:
        w.text(title)
    _walk(w, body if body is not None else root)
    raw = "".join(w.chars).strip("\n ")
    shift = len("".join(w.chars)) - len("".join(w.chars).lstrip("\n "))
    if shift:
        for t in w.tables:
            t.start -= shift
            t.end -= shift
            for r in t.rows:
                r.start -= shift
                r.end -= shift
                for c in r.cells:
                    c.start -= shift
                    c.end -= shift
    if not raw.strip():
        raise EmptyDocumentError(source, "HTML page without text")
    return PdfText(raw=raw, boxes=[], tables=w.tables, page_starts=[0])


def document_from_html(data: bytes, source: str, path: str | None = None):
    """An HTML page as a Document (``form='html'``), its tables kept as grids in ``layout``."""
    from .ingest import Document, identify, normalise

    pt = page_text(data, source)
    text, offsets = normalise(pt.raw)
    doc = Document(text=text, raw=pt.raw, offsets=offsets, source=source, path=path, encoding="html",
                   sha256=hashlib.sha256(data).hexdigest(), form="html", layout=pt)
    return identify(doc)
