"""Normalised text -> section tree, sentences, clauses; ``tokens()`` with the fiscal lexicon.

Heading markers (only at the start of a line of the normalised text), outermost first:

====== ===================== ==================
level  printed                Section.marker
====== ===================== ==================
1      第一部分 …             ``第一部分``
2      一、                   ``一``
3      （一） / (一)          ``（一）``
4      1. / 1、 / 1．         ``1``
5      （1） / (1)            ``（1）``
6      一是 / 二是            ``一是``
====== ===================== ==================

A heading may carry text on its line (``1.一般公共服务支出7830.05万元，比去年…``): the section is
``1`` and its title is the text up to the first sentence break (。！？；). Not headings: a marker
inside a line (``其中：（1）工资福利支出…``), numbers (``2.05元``, ``1辆``, ``（2023年）``), table rows
(``一、一般公共预算财政拨款收入 2,940.05 一、…``, a run of ``十、节能环保支出`` lines next to rows of
amounts) and out-of-sequence ordinals (``十、…`` as the first 一、-level entry under a part).
A table of contents (a ``目录`` line followed by heading lines, or by lines ending in a dot leader) becomes
one section ``目录`` whose entries are leaves, so it never swallows the document. A part the body prints
without its marker (``…（部门）主要职能`` for the contents' ``一、部门主要职能 ……``) is found by the contents'
title and opens a part of its own (marked ``主要职能``, or ``第二部分`` where the contents number parts so).

``jieba`` is imported and its dictionary loaded only on the first ``tokens()`` call.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from .numbers import INTEGER_PART

__all__ = ["Section", "section_tree", "section_at", "sentences", "clauses", "tokens", "headings"]

_CN = "一二三四五六七八九十"
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")}


def cn_to_int(s: str) -> int | None:
    """Chinese numeral (一 … 九十九) -> int."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_DIGIT.get(a, None) if a else 1
        ones = _CN_DIGIT.get(b, None) if b else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(s) == 1 and s in _CN_DIGIT:
        return _CN_DIGIT[s]
    return None


# (level, regex) tried in this order at a line start; group 1 = the ordinal
_HEADING = [
    (1, re.compile(rf"^第([{_CN}]+)部分\s*")),
    (3, re.compile(rf"^[（(]([{_CN}]{{1,3}})[）)]\s*")),
    (5, re.compile(r"^[（(](\d{1,2})[）)]\s*")),
    (2, re.compile(rf"^([{_CN}]{{1,3}})、\s*")),
    (4, re.compile(r"^(\d{1,2})[.、．](?!\d)\s*")),
    (6, re.compile(rf"^([{_CN}]{{1,2}})是")),
]
_SENT_BREAK = re.compile(r"[。！？；!?;]")
_AMOUNT_CELL = re.compile(rf"(?:(?<=\s)|^)-?{INTEGER_PART}\.\d+(?=\s|$)")
_TWO_ORDINALS = re.compile(rf"\s[{_CN}]{{1,3}}、")
_NARRATIVE = re.compile(r"[，。；]")


@dataclass
class Section:
    marker: str      # '第一部分', '四', '（二）', '4', '（1）', '一是' …
    title: str
    level: int       # 0 root, 1 第X部分, 2 一、, 3 （一）, 4 1., 5 （1）, 6 一是
    start: int       # span in normalised text (heading start .. next sibling start)
    end: int
    children: list["Section"] = field(default_factory=list)
    path: str = ""   # '第一部分/四/（二）/4'
    ordinal: int | None = field(default=None, repr=False)

    def walk(self):
        """This section and all below it, depth first."""
        yield self
        for c in self.children:
            yield from c.walk()

    def find(self, path: str) -> "Section | None":
        """The first section (depth first) whose path is ``path``."""
        for s in self.walk():
            if s.path == path:
                return s
        return None


@dataclass
class _Head:
    level: int
    ordinal: int | None
    marker: str
    title: str
    start: int
    line_no: int


def _marker(level: int, ordinal: str) -> str:
    if level == 1:
        return f"第{ordinal}部分"
    if level in (3, 5):
        return f"（{ordinal}）"
    if level == 6:
        return f"{ordinal}是"
    return ordinal


def _match_heading(line: str):
    for level, rx in _HEADING:
        m = rx.match(line)
        if m:
            rest = line[m.end():]
            if level == 4 and (not rest or rest[0] in "万元%亿个辆"):
                return None
            if level == 6 and not rest.strip():
                return None
            title = _SENT_BREAK.split(rest, 1)[0].strip().rstrip("：:").strip()
            return level, m.group(1), title
    return None


def _is_table_row(line: str) -> bool:
    if _NARRATIVE.search(line):
        return False
    return bool(_AMOUNT_CELL.search(line) or _TWO_ORDINALS.search(line))


def line_starts(lines: list[str]) -> list[int]:
    """Where each line of ``text.split("\\n")`` starts in ``text``.

    >>> line_starts("一、收入\\n合计 12.00\\n".split("\\n"))
    [0, 5, 14]
    """
    return list(itertools.accumulate((len(ln) + 1 for ln in lines[:-1]), initial=0))


def headings(text: str) -> list[_Head]:
    """Heading candidates at line starts, with table rows and out-of-sequence entries removed."""
    lines = text.split("\n")
    starts = line_starts(lines)
    cands: list[_Head] = []
    for i, ln in enumerate(lines):
        m = _match_heading(ln)
        if not m:
            continue
        level, ordinal, title = m
        cands.append(_Head(level, cn_to_int(ordinal), _marker(level, ordinal), title, starts[i], i))
    # runs of same-level candidates on consecutive lines next to a table row are table rows
    table_row = [_is_table_row(ln) for ln in lines]

    def prev_content(i):
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        return j

    def next_content(i):
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        return j

    reject = set()
    k = 0
    while k < len(cands):
        run = [k]
        while (k + len(run) < len(cands) and cands[k + len(run)].level == cands[k].level
               and cands[k + len(run)].level != 1
               and next_content(cands[k + len(run) - 1].line_no) == cands[k + len(run)].line_no):
            run.append(k + len(run))
        if cands[k].level != 1:
            first, last = cands[run[0]].line_no, cands[run[-1]].line_no
            p, n = prev_content(first), next_content(last)
            if (any(table_row[cands[r].line_no] for r in run)
                    or (p >= 0 and table_row[p]) or (n < len(lines) and table_row[n])):
                reject.update(run)
        k += len(run)
    return [c for i, c in enumerate(cands) if i not in reject]


def _toc_block(text: str, heads: list[_Head]) -> tuple[int, int, list[_Head]] | None:
    """(start, end, entries) of a table of contents: a 目录 line followed by heading lines."""
    m = re.search(r"(?m)^目\s*录\s*$", text)
    if not m:
        return None
    start = m.start()
    after = [h for h in heads if h.start > start]
    if not after:
        return None
    lines = text.split("\n")
    line_of = {h.line_no: h for h in after}
    toc_line = text.count("\n", 0, start)
    entries: list[_Head] = []
    i = toc_line + 1
    end = None
    pos = sum(len(x) + 1 for x in lines[:i])
    leaders = False
    while i < len(lines):
        ln = lines[i].strip()
        line_start = pos
        pos += len(lines[i]) + 1
        if not ln:
            i += 1
            continue
        h = line_of.get(i)
        if _LEADER.search(ln):
            # "1.2024年部门财务收支预算总表 ……": a line with a dot leader is an entry, a heading or not
            leaders = True
            if h is not None:
                entries.append(h)
            i += 1
            continue
        if leaders:
            end = line_start          # the first line without a leader after the entries: the body
            break
        if h is None:
            # content line: the last heading before it starts the body (unless it is the only entry)
            if len(entries) > 1:
                body = entries.pop()
                end = body.start
            elif entries:
                end = entries[-1].start
                entries = []
            break
        if entries and h.level == entries[0].level and h.marker == entries[0].marker \
                and _same_title(h.title, entries[0].title):
            end = h.start
            break
        entries.append(h)
        i += 1
    if not entries:
        return None
    if end is None:
        end = len(text)
    return start, end, entries


# a table of contents' dot leader, and the page number after it: "部门主要职能 ……………… 3"
_LEADER = re.compile(r"(?:…{2,}|\.{4,}|·{4,}|．{4,}|-{6,})\s*\d{0,3}\s*$")
_UNIT_MARK = re.compile(r"[（(](?:部门|单位)[）)]")
_PART_PUNCT = re.compile(r"[，,。；;：:！？]")
_TABLE_TITLE = re.compile(r"(?:预算|决算)[^表]{0,20}表$")


def _toc_title(title: str) -> str:
    """An entry's title without its leader and page number, spaces and a leading 部门/单位."""
    s = re.sub(r"\s", "", _LEADER.sub("", title))
    return re.sub(r"^(?:部门|单位)", "", s)


def _unnumbered_parts(text: str, heads: list[_Head], toc_end: int, entries: list[_Head]) -> list[_Head]:
    """Part headings printed without a marker where the table of contents numbers them (Shanghai's 部门预算:
    "一、部门主要职能 ……" in the 目录, "上海市普陀区人民政府万里街道办事处（部门）主要职能" in the body; a 决算's
    "第二部分 …2024年度部门决算表" printed as its bare title): a short line without punctuation that ends with
    an outermost entry's title (its 部门/单位 and a year or the unit's name before it aside), found in the
    entries' order; a part of tables ("部门预算表") starts at its first table's title. An entry the body prints
    as a numbered heading is left to it. The part is marked as the contents mark it where they number parts
    (第二部分), else by its title (主要职能)."""
    if not entries:
        return []
    top = min(e.level for e in entries)
    tops = [e for e in entries if e.level == top]
    body_heads = [h for h in heads if h.start >= toc_end]
    wanted = [(e, t) for e in tops for t in [_toc_title(e.title)]
              if len(t) >= 2 and not any(_same_title(_toc_title(h.title), t) for h in body_heads)]
    if not wanted:
        return []           # every part has its numbered heading (the body need not be read)
    # every body line read once: where its text starts, the text, and its squashed form where the line can be
    # a part's heading (short, no punctuation, no marker of its own), else None
    lines: list[tuple[int, str, str | None]] = []
    p = toc_end
    for raw in text[toc_end:].split("\n"):
        ln = raw.strip()
        sq = _UNIT_MARK.sub("", re.sub(r"\s", "", ln))
        can = bool(ln) and len(sq) <= 60 and not _PART_PUNCT.search(ln) and _match_heading(ln) is None
        lines.append((p + len(raw) - len(raw.lstrip()), ln, sq if can else None))
        p += len(raw) + 1
    out: list[_Head] = []
    k = 0
    line_no0 = text.count("\n", 0, toc_end)
    for entry, title in wanted:
        # a part of tables ("五、部门预算表 ……") starts at its first table's title ("2024年部门财务收支预算总表")
        tables_part = title.endswith("表") and re.search(r"预算|决算", title) is not None
        for j in range(k, len(lines)):
            start, ln, sq = lines[j]
            if sq is not None and (sq == title or (len(title) >= 4 and sq.endswith(title))
                                   or tables_part and _TABLE_TITLE.search(sq)):
                # the part's marker: the contents' own (第二部分) where it numbers parts, else the title
                marker = entry.marker if entry.level == 1 else title
                out.append(_Head(1, entry.ordinal if entry.level == 1 else None, marker, ln, start, line_no0 + j))
                k = j + 1
                break
    return out


def _same_title(a: str, b: str) -> bool:
    a, b = re.sub(r"\s", "", a), re.sub(r"\s", "", b)
    return a == b or (a and b and (a.startswith(b) or b.startswith(a)))


_TITLE_WORDS = re.compile(r"(?:情况|说明|概况|解释|职责|职能|机构设置|附件)$")


def section_tree(text: str) -> Section:
    """The section tree of the normalised text (root: level 0, marker '', path '')."""
    root = Section(marker="", title="", level=0, start=0, end=len(text), path="")
    heads = headings(text)
    toc = _toc_block(text, heads)
    toc_ids = set()
    if toc:
        t_start, t_end, entries = toc
        toc_sec = Section(marker="目录", title="目录", level=1, start=t_start, end=t_end, path="目录")
        for j, h in enumerate(entries):
            e_end = entries[j + 1].start if j + 1 < len(entries) else t_end
            toc_sec.children.append(Section(marker=h.marker, title=h.title, level=h.level, start=h.start,
                                            end=e_end, path=f"目录/{h.marker}", ordinal=h.ordinal))
            toc_ids.add(h.start)
        heads = [h for h in heads if not (t_start <= h.start < t_end)]
        parts = _unnumbered_parts(text, heads, t_end, entries)
        if parts:
            heads = sorted(heads + parts, key=lambda h: h.start)
        toc_pending = toc_sec
    else:
        toc_pending = None

    stack: list[Section] = [root]

    def close_until(level: int, pos: int):
        while len(stack) > 1 and stack[-1].level >= level:
            sec = stack.pop()
            sec.end = pos

    for h in heads:
        if toc_pending is not None and h.start >= toc_pending.start:
            close_until(1, toc_pending.start)
            stack[-1].children.append(toc_pending)
            toc_pending = None
        # the parent this heading would get
        parent_idx = len(stack) - 1
        while parent_idx > 0 and stack[parent_idx].level >= h.level:
            parent_idx -= 1
        parent = stack[parent_idx]
        if h.level != 1 and h.ordinal is not None:
            siblings = [c for c in parent.children if c.level == h.level and c.ordinal is not None]
            if siblings:
                last = siblings[-1].ordinal
                if not (h.ordinal == 1 or last < h.ordinal <= last + 2):
                    continue
            elif h.ordinal != 1 and parent.level != 0 and not _TITLE_WORDS.search(h.title):
                # "十、节能环保支出" opening a part is a table row; "五、…决算情况说明" opening an excerpt is a heading
                continue
        close_until(h.level, h.start)
        parent = stack[-1]
        path = f"{parent.path}/{h.marker}" if parent.path else h.marker
        sec = Section(marker=h.marker, title=h.title, level=h.level, start=h.start, end=len(text),
                      path=path, ordinal=h.ordinal)
        parent.children.append(sec)
        stack.append(sec)
    if toc_pending is not None:
        close_until(1, toc_pending.start)
        stack[-1].children.append(toc_pending)
    close_until(1, len(text))
    # a section ends where its parent ends at the latest
    for sec in root.walk():
        for c in sec.children:
            c.end = min(c.end, sec.end)
    _sort(root)
    return root


def _sort(sec: Section):
    sec.children.sort(key=lambda c: c.start)
    for c in sec.children:
        _sort(c)


def section_at(root: Section, pos: int) -> Section:
    """The deepest section containing ``pos`` (root when none)."""
    cur = root
    while True:
        for c in cur.children:
            if c.start <= pos < c.end:
                cur = c
                break
        else:
            return cur


# ----------------------------------------------------------------------------------------------
# Sentences and clauses
# ----------------------------------------------------------------------------------------------

_SENT_SPLIT = re.compile(r"[。！？；!?;]|\n")
_CLAUSE_SPLIT = re.compile(r"[，：]|(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)")


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]``: split after 。！？；(and !?;) and at line ends.

    A span includes its closing punctuation, never the newline; blank spans are dropped.
    """
    end = len(text) if end is None else end
    out = []
    a = start
    for m in _SENT_SPLIT.finditer(text, start, end):
        b = m.end() if m.group() != "\n" else m.start()
        s, e = _strip_span(text, a, b)
        if e > s:
            out.append((s, e))
        a = m.end()
    s, e = _strip_span(text, a, end)
    if e > s:
        out.append((s, e))
    return out


def clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Clause spans: sentences split further on ，：(and , : outside numbers).

    A clause span excludes the delimiter and any closing 。！？；.
    """
    out = []
    for s, e in sentences(text, start, end):
        a = s
        for m in _CLAUSE_SPLIT.finditer(text, s, e):
            cs, ce = _strip_span(text, a, m.start())
            if ce > cs:
                out.append((cs, ce))
            a = m.end()
        b = e
        while b > a and text[b - 1] in "。！？；!?;":
            b -= 1
        cs, ce = _strip_span(text, a, b)
        if ce > cs:
            out.append((cs, ce))
    return out


# ----------------------------------------------------------------------------------------------
# Tokens
# ----------------------------------------------------------------------------------------------

def _get_tokenizer():
    """The lexicon's tokenizer (``lexicon.tokenizer()`` builds it once, under its own lock)."""
    from . import lexicon   # lazily: importing segment must not load the lexicon's dependencies

    return lexicon.tokenizer()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` for every non-space token of ``text`` (jieba + the fiscal lexicon)."""
    tk = _get_tokenizer()
    return [(w, s, e) for w, s, e in tk.tokenize(text) if w.strip()]
