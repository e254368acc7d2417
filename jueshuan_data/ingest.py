"""Bytes / path -> :class:`Document`: decode honestly, normalise with a span map, identify the title.

The normalised ``text`` is what every extractor works on; ``offsets`` maps each of its characters back
to ``raw`` (the decoded input before normalisation), so ``doc.raw_span(s, e)`` gives the printed span.

What normalisation does (generic rules, nothing specific to a file or a region):

* full-width digits / Latin letters / ``％．＋－`` -> ASCII; ``，`` between digits as a thousands
  separator -> ``,``; Chinese punctuation （），。：；、 stays as printed;
* odd spaces (``\\u3000``, ``\\xa0``, ``\\u2002``-``\\u200a``, tabs) -> ``' '``; zero-width chars and BOM
  removed; runs of spaces collapsed; lines stripped; CRLF / CR -> LF;
* page furniture dropped: form feeds, page-number lines (``—5—``, ``- 5 -``, ``第 5 页``, a lone number
  next to a page break), blank lines at page breaks;
* spaces inside numbers and between a number and its unit removed (``500.12 万 元`` -> ``500.12万元``,
  ``2024 年度`` -> ``2024年度``, ``0 辆`` -> ``0辆``), and the space between CJK text and such a
  number (``占 100.00%`` -> ``占100.00%``); spaces after ，。：；、 removed; letter-spaced labels
  (``因 公 出 国 （ 境 ） 费``) closed up; in narrative lines (holding ，。；) every space between two
  CJK characters is removed;
* lines wrapped mid-sentence re-joined (the ``'\\n'`` dropped), wrapped table labels re-joined into one
  row (``208 05 05 机关事业单位基本养老保险\\n缴费支出 160.75 160.75`` -> one line; a label wrapped
  before its amounts gets them back after a ``' '``), but a line is never joined onto the previous one
  when it starts a heading or a new table row (a classification code, ``一、``, ``合计``/``总计``...)
  or when the previous line ends with a number (unless the next line starts with its unit);
* a space after 。；！？ that precedes a heading marker becomes ``'\\n'`` (headings start their line).

Tables therefore come out one row per line: ``201 06 01 行政运行 1,511.89 1,503.52 8.37`` — cells
separated by single spaces, amounts as printed (thousands separators kept), blank cells simply absent.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import (
    BinaryFileError,
    DecodeError,
    EmptyDocumentError,
    FileTooLargeError,
    NotAReportError,
    UnreadableFileError,
)
from .lexicon import FUND_BUDGETS
from .numbers import NUMBER

__all__ = [
    "Document",
    "read_document",
    "document_from_text",
    "decode_bytes",
    "normalise",
    "identify",
    "check_is_report",
]


# ----------------------------------------------------------------------------------------------
# Document
# ----------------------------------------------------------------------------------------------

@dataclass
class Document:
    text: str                 # normalised text: every char_start/char_end refers to this string
    raw: str                  # decoded text before normalisation
    offsets: list[int]        # len(text)+1; offsets[i] = index in raw of text[i] (last = len(raw))
    source: str               # file name as given (basename for paths), "<text>" without source
    path: str | None = None
    encoding: str = "utf-8"   # 'utf-8', 'utf-8-sig', 'gb18030', 'utf-16', 'utf-32'
    sha256: str = ""          # of the input bytes (of raw.encode('utf-8') for text input)
    entity: str | None = None
    fiscal_year: int | None = None
    doc_kind: str = "unknown"  # '决算' | '预算' | 'unknown'
    title: str | None = field(default=None, repr=False)  # the title as found (normalised), if any
    form: str = "txt"         # 'txt' | 'pdf' | 'html': the published form the text was read from
    layout: object | None = field(default=None, repr=False)  # pdf.PdfText / html page: boxes and tables

    def box(self, start: int, end: int) -> tuple[int, float, float, float, float] | None:
        """(page, x0, y0, x1, y1) of ``text[start:end]`` on its PDF page; None for text input."""
        boxes = getattr(self.layout, "boxes", None)
        if not boxes or end <= start:
            return None
        from .pdf import span_box

        a, b = self.raw_span(start, end)
        return span_box(boxes, a, b)

    @property
    def report_id(self) -> str:
        """First 16 hex chars of sha256 of the normalised text: same text, same id."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Span in ``raw`` of ``text[start:end]`` (tight: from its first to just after its last char)."""
        n = len(self.text)
        if not (0 <= start <= end <= n):
            raise IndexError(f"span ({start}, {end}) outside text of length {n}")
        if end == start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


# ----------------------------------------------------------------------------------------------
# Reading and decoding
# ----------------------------------------------------------------------------------------------

_MAGIC = [
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (docx/xlsx/zip)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an OLE document (doc/xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
]
_ALLOWED_CONTROLS = set("\t\n\r\f\v")
# byte-order marks of the wide encodings (UTF-32 before UTF-16: FF FE 00 00 starts with FF FE)
_WIDE_BOMS = [(codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF32_LE, "utf-32"),
              (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF16_LE, "utf-16")]


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF
            or 0xF900 <= o <= 0xFAFF)


def _is_cjk_punct(ch: str) -> bool:
    o = ord(ch)
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’…—·"


# the control characters (Unicode category Cc is U+0000-001F and U+007F-009F, fixed by Unicode's stability
# policy) other than the allowed ones (tab, LF, VT, FF, CR: U+0009-000D)
_BAD_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = len(_BAD_CONTROL.findall(text))      # a regex, not a category lookup per character
    return bad / len(text)


def _looks_chinese(text: str) -> bool:
    """GB18030 decoding is accepted only when the non-ASCII characters are mostly common CJK
    (simplified or traditional), which random bytes decoded as GB18030 are not."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return False
    cjk = [c for c in non_ascii if _is_cjk(c) or _is_cjk_punct(c)]
    if len(cjk) < 0.8 * len(non_ascii):
        return False
    return sum(1 for c in cjk if _common_char(c)) >= 0.9 * len(cjk)


def _common_char(c: str) -> bool:
    """In GB 2312 (simplified), or among Big5's frequent characters (traditional, as mirror sites print)."""
    try:
        c.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        code = int.from_bytes(c.encode("big5"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA140 <= code <= 0xC67E   # Big5 symbols and level-1 (frequent) hanzi


# what a 部门决算 text comes in when it is not UTF-8 (UTF-16/32 without a byte-order mark included)
_CANDIDATES = ["gb18030", "big5", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"]


def decode_bytes(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode report bytes honestly; returns ``(text, encoding)``.

    A byte-order mark (UTF-8/16/32) decides; else strict UTF-8; else the encoding ``charset-normalizer``
    finds among GB18030 (GBK), Big5 and UTF-16/32 without BOM, accepted only when the text it gives is
    mostly common CJK (which random bytes decoded as GB18030 are not). Raises EmptyDocumentError,
    BinaryFileError or DecodeError (naming ``source``).

    Why a library: on the seed and corpus texts in 7 encodings (``benchmarks/README.md``) it reads 140 of
    140, the detection written here read 100 (no UTF-16 without BOM), at the same speed.
    """
    if len(data) == 0:
        raise EmptyDocumentError(source, "empty file (0 bytes)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryFileError(source, f"binary content ({what}), not a text document")
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as e:
                raise DecodeError(source, f"starts with a {name.upper()} byte-order mark but is not valid "
                                          f"{name.upper()} (byte {e.start})") from None
            return _checked(text, name, source)
    enc = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    body = data[len(codecs.BOM_UTF8):] if enc == "utf-8-sig" else data
    utf8_err = None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.start > 0:
            text = body[:e.start].decode("utf-8")   # a file cut inside its last character: keep what is complete
        elif enc == "utf-8-sig":
            raise DecodeError(source, f"starts with a UTF-8 byte-order mark but is not valid UTF-8 "
                                      f"(byte {e.start + len(codecs.BOM_UTF8)})") from None
        else:
            utf8_err = e.start
            text = None
    if text is not None and "\x00" not in text:
        return _checked(text, enc, source)
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    cand = str(best) if best is not None else None
    name = best.encoding if best is not None else None
    if cand is None or "\x00" in cand:
        if b"\x00" in data:
            raise BinaryFileError(source, "binary content (NUL bytes), not a text document")
    elif _control_ratio(cand) > 0.01:
        raise BinaryFileError(source, "binary content (control characters), not a text document")
    if cand is None or not _looks_chinese(cand):
        where = f"invalid byte at {utf8_err}" if utf8_err is not None else "NUL bytes"
        raise DecodeError(source, f"not UTF-8 ({where}) and not Chinese text in GB18030, Big5 or UTF-16/32")
    return _checked(cand, name.replace("_", "-"), source)


def _checked(text: str, enc: str, source: str) -> tuple[str, str]:
    if "\x00" in text or _control_ratio(text) > 0.01:
        raise BinaryFileError(source, "binary content (NUL or control characters), not a text document")
    if not text.strip().strip("\ufeff\u200b"):
        raise EmptyDocumentError(source, "empty document (whitespace only)")
    return text, enc


MAX_TEXT_BYTES = 32 * 1024 * 1024
"""Largest text or HTML file read (a 部门决算 report's text is well under 1 MB)."""
MAX_PDF_BYTES = 256 * 1024 * 1024
"""Largest PDF read (PDFs carry fonts and images; a report's is rarely above 30 MB)."""

_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


def display_name(path: str | os.PathLike) -> str:
    """A path as text that can be stored and printed: the undecodable bytes of a file name as ``\\xff``.

    >>> display_name(os.fsdecode(b"in/\\xff\\xfe.txt"))
    'in/\\\\xff\\\\xfe.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_input(path: str | os.PathLike) -> bytes:
    """The bytes of an input file, checked before they are read: a regular file (a FIFO would block the
    reader forever, a device such as ``/dev/zero`` never ends) no larger than :data:`MAX_TEXT_BYTES`
    (:data:`MAX_PDF_BYTES` for a PDF). Raises :class:`UnreadableFileError` / :class:`FileTooLargeError`."""
    source = display_name(Path(path).name or str(path))
    shown = display_name(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked on what was opened
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UnreadableFileError(source, f"file not found: {shown}") from None
    except PermissionError:
        raise UnreadableFileError(source, f"permission denied: {shown}") from None
    except IsADirectoryError:
        raise UnreadableFileError(source, f"is a directory, not a file: {shown}") from None
    except OSError as e:
        raise UnreadableFileError(source, f"cannot read {shown}: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
            raise UnreadableFileError(source, f"is {what}, not a regular file: {shown}")
        head = os.read(fd, 1024)
        cap = MAX_PDF_BYTES if _is_pdf(head) else MAX_TEXT_BYTES
        if st.st_size > cap:
            raise FileTooLargeError(source, f"file too large: {st.st_size:,} bytes, more than the {cap:,} read "
                                            f"for {'a PDF' if cap == MAX_PDF_BYTES else 'a text or HTML file'}")
        chunks = [head]
        size = len(head)
        while True:   # read to the end, never past the cap (a file that grows while it is read)
            b = os.read(fd, 1 << 20)
            if not b:
                break
            size += len(b)
            if size > cap:
                raise FileTooLargeError(source, f"file too large: more than the {cap:,} bytes read")
            chunks.append(b)
        return b"".join(chunks)
    except OSError as e:
        raise UnreadableFileError(source, f"cannot read {shown}: {e.strerror or e}") from None
    finally:
        os.close(fd)


def read_document(path: str | os.PathLike) -> Document:
    """Read a report file (text in any common encoding, HTML, PDF) into a normalised, identified :class:`Document`."""
    p = Path(path)
    source = display_name(p.name or str(path))
    data = read_input(path)
    if _is_pdf(data):
        return document_from_pdf(p, data, source)
    if _is_html(data, p):
        from .htmlpage import document_from_html

        return document_from_html(data, source, path=str(path))
    raw, enc = decode_bytes(data, source)
    text, offsets = normalise(raw)
    doc = Document(text=text, raw=raw, offsets=offsets, source=source, path=str(path), encoding=enc,
                   sha256=hashlib.sha256(data).hexdigest())
    return identify(doc)


def _is_pdf(data: bytes) -> bool:
    # the PDF header may follow a few bytes of junk (the format allows it within the first 1,024 bytes)
    return b"%PDF-" in data[:1024]


_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b",
                         re.I | re.S)


def _is_html(data: bytes, path: Path) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head)) or (path.suffix.lower() in (".html", ".htm") and b"<" in head)


def document_from_pdf(path: Path, data: bytes, source: str) -> Document:
    """A PDF's text layer, read glyph by glyph (see :mod:`jueshuan_data.pdf`), as a Document."""
    from .pdf import read_pdf

    pt = read_pdf(path, source)
    text, offsets = normalise(pt.raw)
    doc = Document(text=text, raw=pt.raw, offsets=offsets, source=source, path=str(path), encoding="pdf",
                   sha256=hashlib.sha256(data).hexdigest(), form="pdf", layout=pt)
    return identify(doc)


def document_from_text(text: str, source: str | None = None) -> Document:
    """A :class:`Document` from text already in memory (``source`` names it in errors/datasets)."""
    src = source if source is not None else "<text>"
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if not text:
        raise EmptyDocumentError(src, "empty text")
    _checked(text, "utf-8", src)
    norm, offsets = normalise(text)
    doc = Document(text=norm, raw=text, offsets=offsets, source=src, path=None, encoding="utf-8",
                   sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    return identify(doc)


# ----------------------------------------------------------------------------------------------
# Normalisation
# ----------------------------------------------------------------------------------------------

_FW_KEEP = set("％．＋－")
_ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_ODD_SPACES = set("\u3000\xa0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\t\v")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")

_CN_NUM = "一二三四五六七八九十"
# a heading marker (kept in step with segment._HEADING): at the start of a line, or after 。；！？ + space
_HEADING_MARK = (rf"(?:第[{_CN_NUM}]+部分|[（(][{_CN_NUM}]{{1,3}}[）)]|[（(]\d{{1,2}}[）)]"
                 rf"|[{_CN_NUM}]{{1,3}}、|\d{{1,2}}[.、](?!\d)|[{_CN_NUM}]{{1,2}}是)")
_HEADING_START = re.compile(rf"^{_HEADING_MARK}")
_UNITS_MONEY = r"(?:万元|亿元|千元|元|万|亿|%|‰)"
_UNITS_COUNT = r"(?:台（套）|台\(套\)|人次|批次|个|辆|人|次|台|套|批|项|家|名|户|座|处|间|倍|天|月|日|年|号|分)"
_UNIT_START = re.compile(rf"^(?:{_UNITS_MONEY}|{_UNITS_COUNT}(?![\u4e00-\u9fff])|年)")
_AMOUNT = rf"-?{NUMBER}"
_CODE_START = re.compile(r"^(?:\d{3}(?:\d{2}){0,2}(?:\s\d{2}){0,2})(?=\s|$)")
_CODE_ONLY = re.compile(r"^\d{3}(?:\d{2}){0,2}(?:\s\d{2}){0,2}$")
_ORDINAL_ROW = re.compile(rf"^[{_CN_NUM}]{{1,3}}、")
_NUMBER_START = re.compile(rf"^({_AMOUNT})(\s*)(.?)")
_ENDS_NUMBER = re.compile(r"\d[%‰]?$")
_ENDS_WAN = re.compile(r"\d\s*[万亿千]$")
_TOTAL_START = re.compile(r"^(?:[^\s]{0,10}?(?:合计|总计|小计))(?:\s|$)|^(?:合计|总计|小计)")
_NOTE_START = re.compile(r"^(?:注[:：]|说明[:：]|单位[:：]|目录$|目\s录$)")
_TERMINAL = set("。！？；!?;")
_LEVEL_MARK = re.compile(r"^[（(](?:类|款|项)[）)]")     # `…行政运行\n（项）。`: the level marker of a wrapped name
_CONTINUATION = set("，、：（“《,:(")
# a web page's breadcrumb ("当前位置:首页 预决算及三公经费 > 旺苍县…说明", "您当前的位置: 首页>政务公开>…",
# "2. 首页 > 政务公开 > …"): navigation, never part of the line after it, which is often the page's title
_BREADCRUMB = re.compile(r"^\s*(?:\d{1,2}[.、]\s*)?(?:(?:您|你)?(?:当前|现在)?(?:所在|的)*位置\s*[:：]|首页\s*[>»›＞])")
_PAGE_DASH = re.compile(r"^[-—–―－~～─━\s]*[-—–―－~～─━]\s*\d{1,4}\s*[-—–―－~～─━][-—–―－~～─━\s]*$")  # ─ 7 ─ (box rules too)
_PAGE_WORD = re.compile(r"^第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?$|^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$")
_PAGE_NUM = re.compile(r"^\d{1,4}(?:\s*/\s*\d{1,4})?$")


class _Widths(dict):
    """Display width of each character met so far (2 for East Asian wide and full-width, else 1)."""

    def __missing__(self, c: str) -> int:
        w = self[c] = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        return w


_WIDTHS = _Widths()


_NARROW_RUN: re.Pattern | None = None
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _narrow_runs() -> re.Pattern:
    """Runs of characters of the Basic Multilingual Plane that are not wide: built once, from the same
    ``unicodedata.east_asian_width`` as :class:`_Widths` (some 360 ranges, ~10 ms)."""
    global _NARROW_RUN
    if _NARROW_RUN is None:
        wide, start = [], None
        for cp in range(0x10000):
            if unicodedata.east_asian_width(chr(cp)) in "WF":
                start = cp if start is None else start
            elif start is not None:
                wide.append((start, cp - 1))
                start = None
        if start is not None:
            wide.append((start, 0xFFFF))
        cls = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in wide)
        _NARROW_RUN = re.compile(f"[^{cls}\U00010000-\U0010FFFF]+")
    return _NARROW_RUN


def _width(s: str) -> int:
    """Display width: 2 for each East Asian wide or full-width character, else 1 (every line is measured:
    the narrow runs are counted by the regex engine, not character by character in Python)."""
    if s.isascii():
        return len(s)
    wide = len(s) - sum(map(len, _narrow_runs().findall(s)))   # wide, or beyond the BMP
    if wide and _ASTRAL.search(s):
        return sum(map(_WIDTHS.__getitem__, s))
    return len(s) + wide


class _Line:
    __slots__ = ("chars", "offs", "end", "page_break", "s", "blank", "after_break")

    def __init__(self, chars, offs, end, page_break):
        self.chars = chars          # list[str] or str (never changed after construction)
        self.offs = offs            # list[int] or range
        self.end = end              # raw index of the line terminator (None for the last line)
        self.page_break = page_break  # the line held a form feed
        self.s = chars if type(chars) is str else "".join(chars)
        self.blank = not self.s.strip()
        self.after_break = False


def _map_char(c: str) -> str | None:
    """Per-character mapping; None drops the char."""
    if c in _ZERO_WIDTH:
        return None
    if c in _ODD_SPACES:
        return " "
    o = ord(c)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A or c in _FW_KEEP:
        return chr(o - 0xFEE0)
    if c == "\f":
        return None
    if unicodedata.category(c) == "Cc":
        return None
    return c


# every character _map_char changes or drops (Cc is U+0000-001F and U+007F-009F)
_MAPPED = re.compile("[" + "".join(sorted(_ZERO_WIDTH | _ODD_SPACES | _FW_KEEP)) +
                     "\x00-\x1f\x7f-\x9f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_SPACES_TO_FIX = re.compile(r"^ | $|  ")


def _split_lines(raw: str) -> list[_Line]:
    lines = []
    pos = 0
    for m in list(_LINE_BREAK.finditer(raw)) + [None]:
        end = m.start() if m else len(raw)
        seg = raw[pos:end]
        page_break = "\f" in seg
        if _MAPPED.search(seg):
            chars, offs = [], []
            for i in range(pos, end):
                mc = _map_char(raw[i])
                if mc is not None:
                    chars.append(mc)
                    offs.append(i)
            seg = "".join(chars)
        else:   # most lines: nothing to map (the line's text and a range serve as its characters and offsets)
            chars, offs = seg, range(pos, end)
        out_c, out_o = chars, offs
        spaced = " " in seg
        if spaced and _SPACES_TO_FIX.search(seg):
            # strip and collapse spaces
            out_c, out_o = [], []
            for c, o in zip(chars, offs):
                if c == " " and (not out_c or out_c[-1] == " "):
                    continue
                out_c.append(c)
                out_o.append(o)
            while out_c and out_c[-1] == " ":
                out_c.pop()
                out_o.pop()
        if spaced and " " in out_c:
            out_c, out_o = _apply(out_c, out_o, _LETTER_SPACED, "")
        lines.append(_Line(out_c, out_o, m.start() if m else None, page_break))
        if m is None:
            break
        pos = m.end()
    return lines


def _inside_sentence(lines: list[_Line], before: int, after: int) -> bool:
    """A page number printed in a text layer between two halves of one sentence (…增长\n3\n17.31%。…): the
    line before is prose that has not ended, the line after goes on with it."""
    if before < 0 or after >= len(lines):
        return False
    a, b = lines[before].s.strip(), lines[after].s.strip()
    if len(a) >= 20 and a[-1].isdigit() and re.match(r"(?:万元|亿元|元|%)", b):
        return True  # "…增加 40\n24\n万元，增长0.72%": between a number and its unit
    if len(a) >= 20 and a[-1] in "，,、" and re.match(r"[\u4e00-\u9fff“\"]", b):
        return True  # "…支出 156.60 万元，\n18\n占“三公”经费的 23.16%": after a comma the sentence goes on
    return (len(a) >= 20 and re.search(r"[，,、：:。；;]", a) is not None and a[-1] not in "。！？；;!?：:"
            and "\u4e00" <= a[-1] <= "\u9fff" and re.match(r"[\u4e00-\u9fff\d]", b) is not None
            and re.search(r"[，,。；]", b) is not None)


def _drop_furniture(lines: list[_Line]) -> list[_Line]:
    n = len(lines)
    # nearest line before / after each line that is not a plain blank line (a page break counts)
    prev_sig = [-1] * n
    last = -1
    for i in range(n):
        prev_sig[i] = last
        if not (lines[i].blank and not lines[i].page_break):
            last = i
    next_sig = [n] * n
    last = n
    for i in range(n - 1, -1, -1):
        next_sig[i] = last
        if not (lines[i].blank and not lines[i].page_break):
            last = i

    def near_break(i: int) -> bool:
        # a page break (form feed) or the document edge next to line i, ignoring blank lines
        j = prev_sig[i]
        before = j < 0 or lines[j].page_break or lines[i].page_break
        j = next_sig[i]
        after = j >= n or lines[j].page_break
        return before or after

    keep: list[_Line] = []
    pending_break = False
    for i, ln in enumerate(lines):
        s = ln.s
        furniture = False
        if ln.page_break and ln.blank:
            furniture = True
        elif _PAGE_DASH.match(s) or _PAGE_WORD.match(s):
            furniture = True
        elif _PAGE_NUM.match(s.strip()) and (near_break(i) or _inside_sentence(lines, prev_sig[i], next_sig[i])):
            furniture = True
        if furniture or ln.page_break:
            pending_break = True
        if furniture:
            continue
        if ln.blank:
            # blank lines at a page break are furniture too
            if pending_break or near_break(i):
                continue
            if keep and keep[-1].blank:
                continue
        ln.after_break = pending_break
        if not ln.blank:
            pending_break = False
        keep.append(ln)
    first = 0
    while first < len(keep) and keep[first].blank:
        first += 1
    keep = keep[first:]
    while keep and keep[-1].blank:
        keep.pop()
    return keep


_FRAGMENT = re.compile(r"^[\u4e00-\u9fff（）()“”]{1,8}$")


def _is_heading_start(s: str) -> bool:
    return bool(_HEADING_START.match(s))


def _is_row_like(s: str) -> bool:
    return bool(_CODE_START.match(s) or _ORDINAL_ROW.match(s))


def _starts_new_row(s: str) -> bool:
    if _is_heading_start(s) or _NOTE_START.match(s):
        return True
    if _TOTAL_START.match(s) and not re.search(r"[，。；]", s):
        return True
    m = _CODE_START.match(s)
    if m:
        rest = s[m.end():].lstrip()
        if not _UNIT_START.match(rest):
            return True
    return False


def _cjk_count(s: str) -> int:
    return sum(1 for c in s if _is_cjk(c))


_TABLE_LIKE = re.compile(r"[，。；、：:,;]")
_TRAILING_NUMBER = re.compile(rf"({_AMOUNT})[%‰]?$")
_NUMBER_TAIL_CHARS = "0123456789,.-%‰"


def _trailing_number(line: str) -> re.Match | None:
    """``_TRAILING_NUMBER.search(line)``, tried only from where the line's closing run of number characters
    starts (a search from the line's start tries every position of a joined line of up to 512 characters);
    a digit beyond ASCII before that run (or a line break at the end) leaves it to the search from the start."""
    head = line.rstrip(_NUMBER_TAIL_CHARS)
    if head.endswith("\n") or (head and head[-1].isdecimal()):
        return _TRAILING_NUMBER.search(line)
    return _TRAILING_NUMBER.search(line, len(head)) if len(head) < len(line) else None
_UNIT_AFTER_DECIMAL = re.compile(rf"^{_UNITS_MONEY}")
_UNIT_AFTER_INT = re.compile(rf"^(?:{_UNITS_MONEY}|{_UNITS_COUNT}(?![\u4e00-\u9fff]))")


def _table_like(s: str) -> bool:
    """Cells separated by spaces and no sentence punctuation (a table row or header).

    Spaces that normalisation removes anyway (around numbers with units, after a heading marker)
    do not count.
    """
    if " " not in s or _TABLE_LIKE.search(s):
        return False
    m = _HEADING_START.match(s)
    if m:
        s = s[m.end():].lstrip()
    chars, _ = _stage2_line(list(s), list(range(len(s))))
    return " " in chars


def _unit_follows(number: str, nxt: str) -> bool:
    if "." in number or "," in number:
        return bool(_UNIT_AFTER_DECIMAL.match(nxt))
    if re.fullmatch(r"(?:19|20)\d\d", number) and nxt.startswith("年"):
        return True
    return bool(_UNIT_AFTER_INT.match(nxt)) and not nxt.startswith("年")


_VIEW = 256


def _ends_of(chars: list[str]) -> str:
    """The line joined so far, as :func:`_join_sep` reads it: its start and its end. Every test there
    looks at the first or the last characters of the line; joining the whole growing line for each
    physical line made 80,000 short lines take minutes."""
    if len(chars) <= 2 * _VIEW:
        return "".join(chars)
    return "".join(chars[:_VIEW]) + "".join(chars[-_VIEW:])


def _join_sep(L: str, N: str, wide: float, across_break: bool, last_line: str | None = None,
              last_width: int | None = None) -> str:
    """How to join line L with the next line N: '\\n' (keep), '' (re-join) or ' ' (table cells).

    ``last_line`` is the last physical line of L (L may already hold re-joined lines): widths are
    measured on it (``last_width``, when its width is known).
    """
    if not L or not N:
        return "\n"
    phys = last_line if last_line is not None else L
    if ("位置" in phys or "首页" in phys) and _BREADCRUMB.match(phys):
        return "\n"
    phys_width = last_width if last_width is not None and last_line is not None else _width(phys)
    if N[0] in "，。、；：）%‰" or _LEVEL_MARK.match(N):
        return ""
    if _starts_new_row(N):
        return "\n"
    # L ends with a number: only its unit may follow
    m_end = _trailing_number(L)
    if m_end:
        if _CODE_ONLY.match(L) and _is_cjk(N[0]):
            return " "          # a code alone on its line, its label on the next
        if not L.endswith(("%", "‰")) and _unit_follows(m_end.group(1), N):
            return ""
        return "\n"
    if _ENDS_WAN.search(L) and N.startswith("元"):
        return ""
    last = L[-1]
    m = _NUMBER_START.match(N)
    bare_amount = bool(m) and not _UNIT_START.match(N[m.end(1):].lstrip())
    if bare_amount:
        return " " if _is_row_like(L) else "\n"   # a wrapped table label gets its amounts back
    if last in _TERMINAL:
        return "\n"
    if N.startswith("目录") or N.startswith("目 录"):
        return "\n"
    if phys_width >= wide and not _table_like(phys):
        return ""
    if last in _CONTINUATION:
        return "\n" if _table_like(N) else ""
    if not (_is_cjk(last) or last in "）)”"):
        return "\n"
    first, _, rest = N.partition(" ")
    if _FRAGMENT.match(first) and "合计" not in first and "总计" not in first:
        short_heading = _is_heading_start(phys) and phys_width < 0.5 * wide
        if not rest and _cjk_count(first) <= 2 and not across_break and "：" not in phys \
                and not short_heading:
            return ""           # `本年收\n入`, `…决算情况\n说明`
        if _is_row_like(L):
            if not rest or _NUMBER_START.match(rest) or _starts_new_row(rest):
                return ""       # `…基本养老保险\n缴费支出 160.75 160.75`
        if (not rest and not across_break and phys_width >= 0.5 * wide and _cjk_count(first) <= 4
                and "：" not in phys and not _table_like(phys)):
            return ""
    return "\n"


# --- stage 2: character-level rules on the joined text -------------------------------------

_CJKCLASS = r"\u4e00-\u9fff\u3400-\u4dbf（）《》“”、，。：；！？"
_NARRATIVE_MARK = re.compile(r"[。；]")
_HEAD_AFTER_STOP = re.compile(rf"(?<=[。；！？;]) (?={_HEADING_MARK})")
_FW_COMMA_IN_NUM = re.compile(r"(?<![\d.])\d{1,3}(?:，\d{3})+(?![\d，])")
_SPACE_IN_NUM = re.compile(r"(?<=\d[.,]) (?=\d)|(?<=\d) (?=[.,]\d)")
_SPACE_NUM_MONEY = re.compile(rf"(?<=\d) +(?={_UNITS_MONEY})")
_SPACE_WAN_YUAN = re.compile(r"(?<=\d[万亿千]) +(?=元)")
_SPACE_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d\d( +)(?=年)")
_SPACE_NUM_COUNT = re.compile(rf"(?<=\d) +(?={_UNITS_COUNT}(?![\u4e00-\u9fff]))")
_SPACE_CJK_NUMUNIT = re.compile(
    rf"(?<=[{_CJKCLASS}]) +(?={_AMOUNT}(?:{_UNITS_MONEY}|年|{_UNITS_COUNT}(?![\u4e00-\u9fff])))"
)
_SPACE_AROUND_PUNCT = re.compile(r"(?<=[，。：；、！？]) +| +(?=[，。：；、！？）])")
_SPACE_CJK_CJK = re.compile(rf"(?<=[{_CJKCLASS}]) (?=[{_CJKCLASS}])")
_LETTER_SPACED = re.compile(rf"(?<![^\s])[{_CJKCLASS}](?: [{_CJKCLASS}])+(?![^\s])")


def _apply(chars: list[str], offs: list[int], pattern: re.Pattern, repl: str | None,
           group: int = 0) -> tuple[list[str], list[int]]:
    """Delete (repl None) or replace (single char repl) the matched spans (of ``group``) of ``pattern``;
    ``repl == ""`` keeps the match but deletes its spaces."""
    s = "".join(chars)
    spans = []
    for m in pattern.finditer(s):
        a, b = m.span(group)
        if b > a:
            spans.append((a, b))
    if not spans:
        return chars, offs
    out_c, out_o = [], []
    prev = 0
    for a, b in spans:
        out_c.extend(chars[prev:a])
        out_o.extend(offs[prev:a])
        if repl is not None:
            seg = s[a:b]
            if repl == "":          # keep the match but delete its spaces
                for k in range(a, b):
                    if seg[k - a] != " ":
                        out_c.append(chars[k])
                        out_o.append(offs[k])
            else:
                out_c.append(repl)
                out_o.append(offs[a])
        prev = b
    out_c.extend(chars[prev:])
    out_o.extend(offs[prev:])
    return out_c, out_o


# Pinyin glosses that mirror sites insert after a character ("事業(yè)收入", "預(yù)算"): page debris.
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
_T2S = None


_HAN = re.compile("[\u4e00-\u9fff]")


def _fold_traditional(raw: str) -> str:
    """Traditional characters -> simplified, character for character (same length, so the span map holds).

    Mirror sites republish reports in traditional characters (財政撥款收入1516.64萬元); the lexicon and the
    grammar speak simplified. Only a text with a real share of traditional characters is folded, one
    character at a time, and a character whose conversion is not a single character is kept as printed.
    """
    global _T2S
    if not _HAN.search(raw):
        return raw
    try:
        if _T2S is None:
            import opencc

            _T2S = opencc.OpenCC("t2s")
    except Exception:  # opencc missing or broken: the text stays as printed
        return raw
    converted = _T2S.convert(raw)
    if converted == raw:
        return raw

    def fold(c: str) -> str:
        t = _T2S.convert(c) if "\u4e00" <= c <= "\u9fff" else c
        return t if len(t) == 1 else c

    # a whole-text conversion may rewrite phrases; it is taken only where every changed character is the
    # conversion of the character printed at that place, so that positions still line up one for one
    if len(converted) != len(raw) or any(a != b and fold(a) != b for a, b in zip(raw, converted)):
        converted = "".join(fold(c) for c in raw)
    changed = sum(1 for a, b in zip(raw, converted) if a != b)
    # a stray variant in a simplified text is left alone; a traditional text changes many characters
    return converted if changed >= max(3, 0.02 * len(_HAN.findall(raw))) else raw


# a space next to what one of the _SPACE_STEPS needs around it: a line without any is left as it is by every
# step (one search instead of eight; tests/test_pattern_prefilters.py holds it to the steps on the corpus)
_ANY_SPACE_STEP = re.compile(rf"\d |[.,万亿千，。：；、！？;] | +[，。：；、！？）]|[{_CJKCLASS}] +[-\d]")
_SPACE_STEPS = ((_HEAD_AFTER_STOP, "\n", 0), (_SPACE_IN_NUM, None, 0), (_SPACE_NUM_MONEY, None, 0),
                (_SPACE_WAN_YUAN, None, 0), (_SPACE_YEAR, None, 1), (_SPACE_NUM_COUNT, None, 0),
                (_SPACE_CJK_NUMUNIT, None, 0), (_SPACE_AROUND_PUNCT, None, 0))


def _stage2_line(chars: list[str], offs: list[int]) -> tuple[list[str], list[int]]:
    s = "".join(chars)
    # each step is tried on the line as it stands; a step that finds nothing leaves it as it is, so the line is
    # joined again only after a step that changed it (most lines: none)
    if "(" in s:
        chars, offs = _apply(chars, offs, _PINYIN_GLOSS, None)
        s = "".join(chars)
    if "，" in s:
        m_spans = [m.span() for m in _FW_COMMA_IN_NUM.finditer(s)]
        for a, b in m_spans:
            for k in range(a, b):
                if chars[k] == "，":
                    chars[k] = ","
        if m_spans:
            s = "".join(chars)
    if " " not in s:
        return chars, offs      # every remaining step removes or replaces a space
    if _ANY_SPACE_STEP.search(s):
        for pattern, repl, group in _SPACE_STEPS:
            if pattern.search(s):
                chars, offs = _apply(chars, offs, pattern, repl, group)
                s = "".join(chars)
    if _NARRATIVE_MARK.search(s) or s.count("，") >= 2:
        chars, offs = _apply(chars, offs, _SPACE_CJK_CJK, None)
    return chars, offs


def _drop_blank_before_unit(lines: list) -> list:
    """Blank lines between a figure and its money unit are no paragraph break: "…与去年同期相比增加1186.67\n\n
    万元,同比增长3%" (a page's saved text broke the figure from its unit); no paragraph starts with 万元,."""
    keep = [True] * len(lines)
    i = 0
    while i < len(lines):
        if not lines[i].blank:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].blank:
            j += 1
        if i > 0 and j < len(lines) and not lines[i - 1].blank:
            a, b = lines[i - 1].s.rstrip(), lines[j].s.lstrip()
            if re.search(r"[\u4e00-\u9fff]\d+\.\d+$", a) and re.match(r"(?:万元|亿元|元)[，,。；;、]", b):
                for k in range(i, j):
                    keep[k] = False
        i = j
    return [ln for ln, k in zip(lines, keep) if k]


def normalise(raw: str) -> tuple[str, list[int]]:
    """Normalise decoded text; returns ``(text, offsets)`` with ``len(offsets) == len(text) + 1``."""
    lines = _drop_furniture(_split_lines(_fold_traditional(raw)))
    lines = _drop_blank_before_unit(lines)
    width_of = {id(ln): _width(ln.s) for ln in lines if not ln.blank}     # each line measured once
    widths = sorted(width_of.values(), reverse=True)
    if widths:
        full = widths[min(len(widths) - 1, int(len(widths) * 0.05))]
    else:
        full = 0
    wide = max(0.85 * full, 20)

    # join lines into output lines
    out: list[tuple[list[str], list[int]]] = []
    cur_c: list[str] = []
    cur_o: list[int] = []
    prev: _Line | None = None
    for ln in lines:
        if prev is None:
            cur_c, cur_o = list(ln.chars), list(ln.offs)
            prev = ln
            continue
        if prev.blank or ln.blank:
            sep = "\n"
        else:
            sep = _join_sep(_ends_of(cur_c), ln.s, wide, ln.after_break, prev.s, width_of.get(id(prev)))
        if sep == "\n":
            out.append((cur_c, cur_o, prev.end))
            cur_c, cur_o = list(ln.chars), list(ln.offs)
        else:
            if sep == " ":
                cur_c.append(" ")
                cur_o.append(prev.end if prev.end is not None else ln.offs[0])
            cur_c.extend(ln.chars)
            cur_o.extend(ln.offs)
        prev = ln
    if prev is not None:
        out.append((cur_c, cur_o, prev.end))

    text_c: list[str] = []
    text_o: list[int] = []
    for k, (c, o, end) in enumerate(out):
        c, o = _stage2_line(c, o)       # the joined line's own lists (made above), changed in place
        # stage 2 can create leading/trailing spaces or newlines next to removed chars: strip spaces
        while c and c[0] == " ":
            c.pop(0)
            o.pop(0)
        while c and c[-1] == " ":
            c.pop()
            o.pop()
        if k:
            text_c.append("\n")
            text_o.append(out[k - 1][2] if out[k - 1][2] is not None else (o[0] if o else len(raw)))
        text_c.extend(c)
        text_o.extend(o)
    text_o.append(len(raw))
    return "".join(text_c), text_o


# ----------------------------------------------------------------------------------------------
# Identification: entity, fiscal year, kind
# ----------------------------------------------------------------------------------------------

_KIND = r"(?:部门|单位)?(?:决算|预算)"
_FISCAL_CUT = re.compile(
    r"(?:部门决算|单位决算|部门预算|单位预算|一般公共|政府性基金|国有资本经营|财政拨款|“三公”|\"三公\"|三公经费"
    r"|决算|预算|收支|收入|支出)"
)
# "2016-度": mirror sites print 年 as "-" ("2016-度“三公”经费预算情况表", "2016-公务接待费42万元")
_NIAN = r"(?:年度?|-度)"
_TITLE_YEAR_FIRST = re.compile(rf"^(?P<year>(?:19|20)\d\d)\s*{_NIAN}\s*(?P<entity>.*?)\s*{_KIND}")
_TITLE_ENTITY_FIRST = re.compile(rf"^(?P<entity>.*?)\s*(?P<year>(?:19|20)\d\d)\s*{_NIAN}\s*(?P<rest>.*)$")
_YEAR_LINE = re.compile(rf"^(?P<year>(?:19|20)\d\d)\s*年度?\s*{_KIND}")
_SENT_PUNCT = re.compile(r"[，。；！？,;!?]")
_LIST_PREFIX = re.compile(r"^(?:\d{1,3}[.、．]\s*|[（(]\d{1,3}[）)]\s*)")
_FILE_SUFFIX = re.compile(r"\.(?:pdf|docx?|xlsx?|html?|txt)$", re.I)
_FISCAL_WORDS = ("决算", "预算", "财政拨款", "万元", "一般公共服务", "三公", "基本支出", "项目支出",
                 "收入合计", "支出合计", "政府采购", "机关运行经费", "财政收支")  # "我盟公布2020年度财政收支“账单”"
_YEAR_PHRASE = re.compile(r"((?:19|20)\d\d)\s*(?:年度?|-(?=度|[\u4e00-\u9fff]))")
_ENTITY_OK = re.compile(r"^[\u4e00-\u9fff（）()·]{2,60}$")
# "关于…的报告", "附件1：…", and the template's "纳入<unit>2023年部门预算编制范围的预算单位包括"
_ORG_PREFIX = re.compile(r"^(?:关于|纳入|附件\d*[:：]?)")


# the labels of a page's information index ("索引号 … 公开目录 财政决算 发布日期 … 主题词 财政"): a title read
# across them takes their words for the unit's name
_INDEX_LABELS = re.compile(r"索引号|公开目录|发布日期|发布机构|浏览量|浏览次数|主题词|文号|成文日期|信息来源")


def _clean_entity(e: str) -> str | None:
    e = re.sub(r"\s+", "", e)
    if _INDEX_LABELS.search(e):
        return None
    e = _ORG_PREFIX.sub("", e)
    m = _FISCAL_CUT.search(e)
    if m:
        e = e[:m.start()]
    e = e.strip("：:，,。 -—_|>")
    # "友谊县成富朝鲜族满族乡人民政府(部门)2021年度部门决算公开说明.pdf": a file name's note of the report's
    # kind after the unit, not part of its name (a "(本级)" is: the unit without its subordinates)
    e = re.sub(r"[（(](?:部门|单位)[）)]$", "", e)
    if len(e) < 2 or not any(_is_cjk(c) for c in e):
        return None
    return e


# the 预算 of a fund's name is no kind of document: "2020年度一般公共预算及政府性基金" (a title wrapped before
# its "…“三公”经费支出决算情况说明") names a 决算 yet to come
_FUND_BUDGET = re.compile("|".join(FUND_BUDGETS))


def _kind_words(s: str) -> str:
    return _FUND_BUDGET.sub("", s)


def _title_from_line(s: str):
    s = _FILE_SUFFIX.sub("", _LIST_PREFIX.sub("", s.strip()))
    kw = _kind_words(s)
    if not s or len(s) > 80 or _SENT_PUNCT.search(s) or ("决算" not in kw and "预算" not in kw):
        return None
    m = _TITLE_YEAR_FIRST.match(s)
    if m:
        return _clean_entity(m.group("entity")), int(m.group("year")), s
    m = _TITLE_ENTITY_FIRST.match(s)
    if m and re.search(_KIND, _kind_words(m.group("rest"))):
        return _clean_entity(m.group("entity")), int(m.group("year")), s
    return None


def _kind_of(s: str) -> str:
    s = _kind_words(s)
    if "决算" in s:
        return "决算"
    if "预算" in s:
        return "预算"
    return "unknown"


# "2016-部门“三公”经费预算表"; "2022年政府决算" (a district's page title without the district's name)
_NO_ENTITY = {"部门", "单位", "本部门", "本单位", "我单位", "我部门", "各部门", "政府", "本级", "区级", "市级", "县级",
              "项目"}  # "项 目 | 2019年决算数 | 2020年预算调整数": a table's header, not a title


def _valid_entity(e: str | None) -> bool:
    return bool(e) and bool(_ENTITY_OK.match(e)) and not _is_heading_start(e) and e not in _NO_ENTITY


def identify(doc: Document) -> Document:
    """Fill ``entity``, ``fiscal_year``, ``doc_kind`` (and ``title``) from the title, in place.

    The title is a short line (or the first lines of the document joined) of the form
    ``<entity><year>年度<部门|单位>决算…`` or ``<year>年度<entity>部门决算``. Without a title, entity is None
    and the year is that of the first ``20XX年(度)`` in a sentence with fiscal vocabulary, if any.
    """
    lines = [ln.strip() for ln in doc.text.split("\n")[:80]]
    found = None
    # 1. the opening block (a title split over lines, up to a blank line / heading / 目录 / narrative)
    block: list[str] = []
    for ln in lines[:8]:
        if not ln or _is_heading_start(ln) or ln.startswith("目录") or _SENT_PUNCT.search(ln) or len(ln) > 60:
            break
        block.append(ln)
    for j in range(len(block)):
        for k in range(j + 1):
            t = _title_from_line("".join(block[k:j + 1]))
            if t and _valid_entity(t[0]) and t[1]:
                found = t
                break
        if found:
            break
    # 2. any title line near the top; a bare `2024年度部门决算` line takes the line(s) before it
    if not found:
        for k, ln in enumerate(lines):
            if not ln:
                continue
            t = _title_from_line(ln)
            if t and _valid_entity(t[0]):
                found = t
                break
            if _YEAR_LINE.match(ln) and k > 0 and lines[k - 1]:
                t = _title_from_line(lines[k - 1] + ln)
                if t and _valid_entity(t[0]):
                    found = t
                    break
    unit = _unit_named(lines[:20])
    if found:
        doc.entity, doc.fiscal_year, doc.title = found
        doc.doc_kind = _kind_of(found[2])
        if unit and (doc.entity is None or _REGION_ONLY.match(doc.entity)):
            doc.entity = unit        # `上海市普陀区2025年区级部门预算` / `预算主管部门：上海市普陀区人民政府办公室`
        return doc
    doc.entity, doc.title = unit, None
    doc.fiscal_year = _year_of_accounts(doc.text)
    doc.doc_kind = _kind_of_body(doc.text)
    return doc


# what a report without a title calls itself: 部门预算 / 单位决算, 预算(情况)说明, 决算公开, 决算表 (the books and
# laws it cites in 《》 left out: "《关于进一步推进预算公开工作的实施方案》")
_KIND_PHRASE = re.compile(r"(?:部门|单位)(决算|预算)|(决算|预算)(?:情况)?的?说明|(决算|预算)(?:公开|表)")
_CITED = re.compile(r"《[^《》\n]{0,80}》")


def _kind_of_body(text: str) -> str:
    """The kind of a report without a title: the kind its own phrases name more often; on a tie, 决算 when it
    names 决算 at all (a 预算 compares with last year's 决算 too, hence the phrases first)."""
    body = text.replace("预决算", "")  # "《地方预决算公开操作规程》" names both and is neither
    counts = {"决算": 0, "预算": 0}
    for m in _KIND_PHRASE.finditer(_kind_words(_CITED.sub("", body))):
        counts[m.group(1) or m.group(2) or m.group(3)] += 1
    if counts["决算"] != counts["预算"]:
        return max(counts, key=counts.get)
    return "决算" if "决算" in body else ("预算" if "预算" in body else "unknown")


# a title that names only a region: the unit is on its own line (预算主管部门：…, 部门：…, 编制部门：…)
_REGION_ONLY = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:省|市|区|县|旗|州|盟)$")
_UNIT_LINE = re.compile(r"^(?:预算主管部门|主管部门|编制部门|编制单位|预算单位|单位名称|部门名称|部门)\s*[:：]\s*"
                        r"(?P<unit>[\u4e00-\u9fff（）()·]{2,40}?)(?=\s|单位[:：]|$)")


def _unit_named(lines: list[str]) -> str | None:
    for ln in lines:
        m = _UNIT_LINE.match(ln)
        if m and _valid_entity(m.group("unit")):
            return m.group("unit")
    return None


_COMPARED_YEAR = re.compile(r"(?:比|较|与|同|上)\s*$")
_DATE_AFTER = re.compile(r"\s*\d{1,2}\s*月")


def _year_of_accounts(text: str) -> int | None:
    """Without a title: the year the fiscal sentences speak of, not the year they compare against.

    ``较2022年度决算数增加0.78万元`` names the prior year; ``本单位2023年度总支出125.08万元`` the year itself.
    The most frequent year of the fiscal sentences wins, the later one on a tie.
    """
    counts: dict[int, int] = {}
    for sent in re.split(r"[。！？；\n]", text):
        if not any(w in sent for w in _FISCAL_WORDS):
            continue
        for m in _YEAR_PHRASE.finditer(sent):
            if _COMPARED_YEAR.search(sent[max(0, m.start() - 2):m.start()]) or _DATE_AFTER.match(sent, m.end()):
                continue  # "从2020年7月1日起实施": a date, not the year of the accounts
            y = int(m.group(1))
            counts[y] = counts.get(y, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


# “三公”经费 (or 三公经费) followed, within its clause, by a money figure
_THREE_PUBLIC_FIGURE = re.compile(r"三公[”\"]?经费[^，,。；;\n]{0,20}?\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元)")


def check_is_report(doc: Document) -> Document:
    """Raise NotAReportError when the text has no fiscal vocabulary (English text, a news article…).

    A report needs one of 决算 / 预算 / 财政拨款 and at least one more fiscal term (万元, 基本支出 …); a page
    of “三公”经费 figures alone (``2020年“三公”经费支出431万元,比上年…``) is one too: 三公经费 is a
    fiscal account's own word, and its figures carry their money unit.
    """
    text = doc.text
    hits = {w for w in ("决算", "预算", "财政拨款", "财政补助收入", "万元", "亿元", "部门决算", "单位决算", "基本支出",
                        "项目支出", "一般公共预算", "三公", "收入合计", "支出合计", "收入总计", "支出总计", "总收入",
                        "总支出")
            if w in text}
    # 财政补助收入: the grant's name in a public unit's (hospital's) own accounts ("1. 财政补助收入 6909800 …");
    # 总收入 / 总支出: the totals of such accounts ("1、总收入 | 1 | 61625022.26 | …", "2、总支出 | 5 | …", in 元)
    if hits & {"决算", "预算", "财政拨款", "财政补助收入"} and len(hits) >= 2:
        return doc
    if _THREE_PUBLIC_FIGURE.search(text):
        return doc
    cjk = sum(1 for c in text[:20000] if _is_cjk(c))
    if cjk < 20:
        raise NotAReportError(doc.source, "not a 决算/预算 report: almost no Chinese text and no fiscal "
                                          "vocabulary")
    raise NotAReportError(doc.source, "not a 决算/预算 report: no fiscal vocabulary (决算, 预算, 财政拨款, "
                                      "万元 …) found")
