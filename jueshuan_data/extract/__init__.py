"""Stage 3, extract: the normalised text and its section tree -> one list of rows per dataset.

Sentences are read with the measure-phrase grammar (``grammar.read_sentence``); each mention is routed to
the one dataset whose extractor claims it, in a fixed order (livelihood and 三公 sections first, then headline
items, economic and functional classes, assets, the other topics). The standard tables (``tables/``) add
their rows. Rows of the same subject and amount found twice are merged; a table row keeps its evidence.
Every numeric literal ends in ``facts``, bound to the row that took it or unbound.
"""

from __future__ import annotations

import bisect
import math
import re

from .. import cofog
from ..numbers import find_numbers
from ..segment import sentences
from . import assets, economic, functional, livelihood, other, summary, three_public
from .context import Context
from .grammar import Mention, read_sentence
from .names import squash, three_public_item
from .rows import figures
from .tables import extract_tables

DATASET_KEYS = {
    "summary": ("item", "fund"),
    "expenditure_by_function": ("fund", "level", "subject", "parent_subject"),
    "basic_expenditure_by_economic": ("item", "code"),
    "livelihood_spending": ("item",),
    "asset_composition": ("item", "parent_item"),
    "three_public": ("item", "parent_item"),
    "other_figures": ("topic", "item"),
}
_VALUE_COLS = ("amount_wan", "count", "rate_pct", "value")


def _chain(root, pos):
    """Sections from the outermost to the deepest one containing ``pos``."""
    out, node = [], root
    while True:
        children = getattr(node, "children", None) or []
        # children are in text order: bisect on their starts (a long report has hundreds per node)
        starts = getattr(node, "_child_starts", None)
        if starts is None or len(starts) != len(children):
            starts = [c.start for c in children]
            try:
                node._child_starts = starts
            except AttributeError:   # a node that takes no attributes: no cache
                pass
        k = bisect.bisect_right(starts, pos) - 1
        nxt = None
        while k >= 0:
            child = children[k]
            if child.start <= pos < child.end:
                nxt = child
                break
            if child.end <= pos:
                break
            k -= 1
        if nxt is None:
            return out
        out.append(nxt)
        node = nxt


class _Chains:
    """``_chain(root, pos)`` for many positions of one tree: where a node's children are in order and do not
    overlap (as ``segment.section_tree`` makes them), the child holding ``pos`` is found by bisection instead
    of a scan; elsewhere the scan, as ``_chain`` does (the first child holding ``pos``)."""

    def __init__(self, root):
        self.root = root
        self._nodes: dict[int, tuple[list, list[int] | None]] = {}
        # the last answer and the span of positions that have the same one (positions come mostly in order)
        self._last: list = []
        self._span = (0, 0)

    def _children(self, node):
        got = self._nodes.get(id(node))
        if got is None:
            kids = list(getattr(node, "children", []) or [])
            ordered = all(a.start <= a.end <= b.start for a, b in zip(kids, kids[1:]))
            got = self._nodes[id(node)] = (kids, [k.start for k in kids] if ordered else None)
        return got

    def __call__(self, pos):
        lo, hi = self._span
        if lo <= pos < hi:
            return list(self._last)
        out, node = [], self.root
        lo, hi = float("-inf"), float("inf")
        while True:
            kids, starts = self._children(node)
            nxt = None
            if starts is None:
                lo, hi = 0, 0               # not cached: the scan decides every time
                for child in kids:
                    if child.start <= pos < child.end:
                        nxt = child
                        break
            else:
                i = bisect.bisect_right(starts, pos) - 1
                if i >= 0 and kids[i].start <= pos < kids[i].end:
                    nxt = kids[i]
                elif lo < hi:
                    # pos lies between two children (or before the first, after the last): so does every
                    # position up to the next child's start and down to the previous child's end
                    if i >= 0:
                        lo = max(lo, kids[i].end)
                    if i + 1 < len(kids):
                        hi = min(hi, kids[i + 1].start)
            if nxt is None:
                self._last, self._span = out, (lo, hi) if lo <= pos < hi else (0, 0)
                return list(out)
            out.append(nxt)
            lo, hi = max(lo, nxt.start), min(hi, nxt.end)
            node = nxt


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return math.isclose(float(a), float(b), abs_tol=1e-9)
    except (TypeError, ValueError):
        return a == b


def merge_rows(dataset: str, rows: list[dict]) -> list[dict]:
    """Merge rows that state the same subject with the same value; keep conflicting ones apart."""
    keys = DATASET_KEYS.get(dataset)
    if not keys:
        return rows
    out: list[dict] = []
    index: dict[tuple, list[dict]] = {}
    for row in rows:
        k = tuple(row.get(c) for c in keys)
        merged = False
        for prev in index.get(k, []):
            if not all(_same(prev.get(c), row.get(c)) for c in _VALUE_COLS if prev.get(c) is not None
                       and row.get(c) is not None):
                continue
            clash = [c for c, v in row.items() if v is not None and prev.get(c) is not None
                     and c not in _PROVENANCE and not _same(prev.get(c), v)]
            if clash:
                continue
            if prev.get("amount_wan") is None and row.get("amount_wan") is not None:
                # the money figure is the row's figure: its literal and span win over a count's
                for c in ("char_start", "char_end", "amount_text", "evidence"):
                    prev[c] = row.get(c)
            for c, v in row.items():
                if prev.get(c) is None and v is not None:
                    prev[c] = v
            merged = True
            break
        if not merged:
            out.append(row)
            index.setdefault(k, []).append(row)
    return out


# one row per subject for analysis: the statements of one (fund, code or subject) are one group
PRIMARY_KEYS = {
    "summary": lambda r: (r.get("item"), r.get("fund")),
    "expenditure_by_function": lambda r: (r.get("fund"), r.get("code") or (r.get("level"), r.get("subject"),
                                                                          r.get("parent_subject"))),
    "basic_expenditure_by_economic": lambda r: (r.get("code") or r.get("item"),),
    "livelihood_spending": lambda r: (r.get("item"),),
    "asset_composition": lambda r: (r.get("item"), r.get("parent_item"), str(r.get("as_of"))),
    "three_public": lambda r: (r.get("item"), r.get("parent_item")),
    "other_figures": lambda r: (r.get("topic"), r.get("item")),
}
_MERGEABLE_SKIP = {"section", "evidence", "char_start", "char_end", "amount_text", "source_kind", "table",
                   "printed_name", "page", "x0", "y0", "x1", "y1", "primary"}


def mark_primary(dataset: str, rows: list[dict]) -> list[dict]:
    """Mark the one row per subject an analyst should use (``primary``) and give it what the other
    statements of the same figure add (a share, a change, a budget).

    The primary row is the table's statement when there is one (it has the code and the cell), else the
    first. Another statement fills the primary row's empty fields only where it states the same amount;
    a conflicting statement stays as it is (``primary`` False) and a finding reports it.
    """
    key = PRIMARY_KEYS.get(dataset)
    if key is None:
        return rows
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault(key(r), []).append(r)
    for group in groups.values():
        best = min(group, key=lambda r: (r.get("source_kind") != "table", -sum(v is not None for v in r.values())))
        for r in group:
            r["primary"] = r is best
            if r is best or not all(_same(best.get(c), r.get(c)) for c in _VALUE_COLS
                                    if best.get(c) is not None and r.get(c) is not None):
                continue
            for c, v in r.items():
                if v is not None and best.get(c) is None and c not in _MERGEABLE_SKIP:
                    best[c] = v
    return rows


_PROVENANCE = {"section", "evidence", "char_start", "char_end", "amount_text", "source_kind", "table",
               "printed_name", "share_of", "code", "parent_code"}


_YEAR_IN_LEAD = re.compile(r"((?:19|20)\d\d)\s*年")


def _other_year(m: Mention, year: int | None) -> bool:
    """The figure is said of another year than the report's ("主要原因是2020年有政府性基金…收入710万元")."""
    if year is None or m.amount is None:
        return False
    years = [int(y) for y in _YEAR_IN_LEAD.findall(m.lead)]
    return bool(years) and years[-1] != year


def _change_of_stated(m: Mention, ctx: Context, out: dict, bound: dict) -> None:
    """A change stated apart from its figure (``…“三公”经费支出决算数比2017年减少518,378.24元，下降-81.75%``)
    goes to the row of the subject it names, if that row has no change yet."""
    from .names import summary_items

    item = three_public_item(m.label)
    dataset = "three_public"
    if item is None:
        items = summary_items(m.label, government=ctx.government, budget=ctx.budget)
        item, dataset = (items[0], "summary") if len(items) == 1 else (None, None)
    prior_lit = None
    if item is None:
        # "相比2016年的总收入6871.82减少243.10万元,下降3.54%": the subject named after the year compared with,
        # its prior figure printed bare before the change
        c = _COMPARED_SUBJECT.match(squash(m.lead))
        items = summary_items(c.group("name"), government=ctx.government, budget=ctx.budget) if c else ()
        item, dataset = (items[0], "summary") if len(items) == 1 else (None, None)
        prior_lit = c.group("num") if item else None
    if item is None:
        return
    # the row stated last before the change, else the first stated after it ("其中,…运行维护费支出决算比
    # 去年增加1.05万元" before "(二)…公务用车运行支出3.98万元")
    rows = [r for r in out[dataset] if r.get("item") == item and r.get("amount_wan") is not None]
    before = [r for r in rows if (r.get("char_start") or 0) < m.label_start]
    after = [r for r in rows if (r.get("char_start") or 0) >= m.label_start]
    row = before[-1] if before else (after[0] if after else None)
    if row is None or row.get("change_wan") is not None or row.get("change_pct") is not None:
        return
    if m.change is not None:
        row["change_wan"] = m.change.wan
        bound.setdefault(m.change.start, (dataset, item, "change"))
        if prior_lit and row.get("prior_year_wan") is None:
            prior = float(prior_lit.replace(",", ""))
            # the bare figure is the prior year's only where the change says so (amount - change = prior)
            if abs(float(row["amount_wan"]) - m.change.wan - prior) < 1e-6:
                row["prior_year_wan"] = prior
    if m.change_pct is not None:
        row["change_pct"] = m.change_pct.value
        bound.setdefault(m.change_pct.start, (dataset, item, "change"))


_COMPARED_SUBJECT = re.compile(r"^(?:相比|与|较|比)(?:19|20)\d\d年度?的?(?P<name>[\u4e00-\u9fff（）]{2,20}?)"
                               r"(?P<num>\d[\d,]*(?:\.\d+)?)?$")
_YEAR_FIGURE_START = re.compile(r"(?:19|20)\d\d\s*年度?(?:当年|全年)?(?:预算执行数|执行数|决算数|预算数)")
_OPENS_WITH_COMPARISON = re.compile(r"[\s，,]*(?:比|较|同比|与上年|与去年|与\d{4}年度?(?:年初)?(?:预算数?)?相比)(?!的)")
_ALL_AT_BASIC = re.compile(r"^[，,]?\s*(?:全部|均)(?:是|为|属于)基本支出")
_BASIC_PROJECT = {"基本支出": "basic_wan", "项目支出": "project_wan"}


_PROCUREMENT_LABEL = re.compile(r"政府采购(?:支出|合同)?(?:总额|总金额)|授予(?:中小|小微)企业(?:的)?合同(?:总)?金额")


def _route(m: Mention, ctx: Context, year, fstate, astate, para_start, previous=None,
           tstate=None, estate=None) -> tuple[str | None, list[dict]]:
    if _other_year(m, year):  # a prior-year figure is a fact of this report, not one of its datasets' rows
        return None, []
    topic = ctx.topic
    if topic == "名词解释":
        return None, []
    if topic == "民生支出":
        return "livelihood_spending", livelihood.from_mention(m, ctx)
    # "（8）公务接待费（款）支出16万元" in a 基本支出 section: an economic 款 that shares a 三公 line's name
    if topic != "三公经费" and m.amount is not None and m.amount.kind == "amount" and ctx.cue != "function" \
            and economic.marked_in_basic(m, ctx, year):
        return "basic_expenditure_by_economic", economic.from_mention(m, ctx, year, estate)
    # a 三公 line is one by its name too, where the section heading was not recognised (an excerpt)
    if topic == "三公经费" or (m.amount is not None and m.amount.kind == "amount" and three_public_item(m.label)) \
            or (m.amount is None and three_public.budget_line(m, ctx) is not None):
        rows = three_public.from_mention(m, ctx, tstate)
        if rows:
            return "three_public", rows
    if topic is None and m.amount is not None and m.amount.kind == "amount" and _PROCUREMENT_LABEL.search(m.label):
        # "财政部2019年度政府采购支出总额33509.75万元,其中授予中小企业合同金额…": a 政府采购 line by its name, where no
        # heading opened the section (a news page, an excerpt)
        rows = other.from_mention(m, ctx, "政府采购")
        if rows:
            return "other_figures", rows
    rows = summary.from_mention(m, ctx, previous)
    if rows:
        return "summary", rows
    if ctx.cue != "function" and (topic in (None, "基本支出") or ctx.under("基本支出")):
        rows = economic.from_mention(m, ctx, year, estate)
        if rows:
            return "basic_expenditure_by_economic", rows
    rows = functional.from_mention(m, ctx, fstate)
    if rows:
        return "expenditure_by_function", rows
    if topic == "资产":
        return "asset_composition", assets.from_mention(m, ctx, astate, para_start)
    if topic in ("机关运行经费", "政府采购", "政府购买服务", "绩效", "三公经费"):
        return "other_figures", other.from_mention(m, ctx, topic)
    if topic is None:
        rows = summary.from_mention(m, ctx, previous, fallback=True)
        if rows:
            return "summary", rows
    return None, []


# A government's own accounts print its revenue (一般公共预算收入 …) for a region or a level of government
# (全区, 市本级) and are reported to the people's congress; a unit's print the grants it receives
# (财政拨款收入) and call themselves 部门/单位 预算·决算. The two speak different vocabularies (see
# names.GOVERNMENT_ITEMS). A unit's budget may well say 一般公共预算收入 of its own grant: any word of a
# unit's report decides for the unit.
_GOVERNMENT_RE = re.compile(r"(?<!拨款)(?<!财政)(?:一般公共预算|公共财政预算|政府性基金预算|国有资本经营预算)收入(?!预算)"
                            r"|公共财政预算支出|预算执行情况|决算草案|政府决算|财政决算|人民代表大会|人大常委会"
                            r"|(?<![^\s，,。；:：、])全[市区县旗州省](?![级])|[市区县旗州省]本级|自治区本级")
# (a unit's budget also says "2017年部门收入预算总体情况", "部门经费预算", "部门基本支出预算": 人大常委会办公室's own
# budget names the congress without being a government's accounts)
_UNIT_RE = re.compile(r"部门预算|部门决算|单位预算|单位决算|本部门|本单位|我单位|财政拨款收入"
                      r"|部门(?:收入|支出|经费|基本支出|项目支出)预算")


def government_accounts(text: str) -> bool:
    """Is this a government's accounts (预算执行情况, 决算草案的报告) rather than a unit's?"""
    return _UNIT_RE.search(text) is None and _GOVERNMENT_RE.search(text) is not None


_CUE_RE = re.compile(r"(功能分类|经济分类)")
# "财政拨款支出主要内容如下：" (Shanghai's 部门预算) opens a numbered list of the grants' spending by class
# (“一般公共服务支出”科目12,789万元…): the entries under it speak of functional classes
_GRANT_LIST_LEAD = re.compile(r"财政拨款支出(?:预算|决算)?(?:数)?主要(?:内容|用途)如下[:：]\s*$")


def _cue(text: str, para_start: int, s: int, titles: tuple[str, ...]) -> str | None:
    """The classification the paragraph (or the section title) announces before this sentence."""
    found = _CUE_RE.findall(text, para_start, s) or [w for t in titles[-1:] for w in _CUE_RE.findall(t)]
    if not found:
        return None
    return "function" if found[-1] == "功能分类" else "economic"


_WRAPPED_FIGURE = re.compile(r"[-\d]")
# "…财政拨款基本支出预算\n6,442.75万元，其中": an amount with its unit opening the line ends the line before
_WRAPPED_AMOUNT = re.compile(r"[增减]?[\d,]+(?:\.\d+)?\s*(?:万元|亿元|元|%)")
_HEADING_START = re.compile(r"[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．]|第[一二三四五六七八九十]+部分")
# "2. 公务接待费720.03万元": a numbered item opening the line is an item of its own, not a figure wrapped
# onto the next line (a figure's own point is followed by a digit: "2.5万元")
_LIST_ITEM = re.compile(r"\d{1,2}\s*[.、．](?!\d)")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentences, with a figure wrapped onto its own line rejoined to the words before it
    (``…其中:基本支出\n2,065,405.42元,项目支出0元。``)."""
    out: list[tuple[int, int]] = []
    for s, e in sentences(text):
        if s >= e:
            continue
        if out:
            ps, pe = out[-1]
            gap = text[pe:s]
            if "\n" in gap and not gap.strip() and text[pe - 1] not in "。！？；;!?：:" \
                    and _WRAPPED_FIGURE.match(text[s]) and not _LIST_ITEM.match(text, s) \
                    and not re.search(r"[\d%元]$", text[ps:pe]) \
                    and (re.search(r"[，,、]", text[ps:pe]) and re.search(r"[，,。、]", text[s:e])
                         or _WRAPPED_AMOUNT.match(text, s) and not _HEADING_START.match(text, ps)
                         and pe - ps >= 6):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def run(text: str, root, fiscal_year: int | None = None, document=None) -> dict[str, list[dict]]:
    """Rows per dataset (without the report keys) and the facts rows; ``out['_findings']`` holds what
    extraction itself could not do (a table reader that failed), as issue rows."""
    out: dict[str, list[dict]] = {k: [] for k in DATASET_KEYS}
    bound: dict[int, tuple[str, str, str]] = {}  # literal start -> (dataset, subject, kind)
    fstate = functional.FunctionState(fiscal_year)
    astate = assets.AssetState()
    tstate = three_public.ThreeState()
    estate = economic.EconState()
    government = government_accounts(text)
    budget = getattr(document, "doc_kind", None) == "预算"
    # pass 1: read every sentence; a sentence opening with a comparison continues the previous mention
    read: list[tuple[Context, list[Mention], int]] = []
    para_start, previous = 0, None
    chain_at = _Chains(root)
    grant_list = None       # (section, entry level) of a lead-in announcing the grants' spending by class
    for s, e in _sentences(text):
        if s == 0 or text[s - 1] == "\n":
            # a line that opens with a comparison ("较2022年度决算数增加0.00万元") still speaks of the figure
            # the line before ended with
            para_start = s
            if not _OPENS_WITH_COMPARISON.match(text, s):
                previous = None
        chain = chain_at(s)
        titles = tuple(sec.title for sec in chain)
        cue = _cue(text, para_start, s, titles)
        if grant_list is not None:
            lead, level = grant_list
            sec, parent = (chain[-1], chain[-2] if len(chain) > 1 else root) if chain else (root, None)
            if parent is lead and level in (None, sec.level):
                grant_list = (lead, sec.level)      # an entry of the list: all of one level, right below
                cue = cue or "function"
            elif sec is not lead:
                grant_list = None                   # the list is over
        if _GRANT_LIST_LEAD.search(text, s, e + 1):
            grant_list = (chain[-1] if chain else root, None)
        ctx = Context(text=text, start=s, end=e, path=chain[-1].path if chain else None, titles=titles,
                      government=government, budget=budget, cue=cue)
        earlier = [m for _, ms, p in read[-3:] if p == para_start for m in ms]  # this paragraph, lately
        if not earlier and read and _YEAR_FIGURE_START.match(text, s):
            earlier = read[-1][1]  # "…（项）”17.72万元，…。\n2022年当年预算执行数为8.61万元": the line before
        mentions = read_sentence(text, s, e, previous, earlier, year=fiscal_year,
                                 kind=getattr(document, "doc_kind", None))
        if mentions:
            previous = mentions[-1]
        read.append((ctx, mentions, para_start))
    # pass 2: route each mention to its dataset, in reading order
    pending_changes: list[tuple[Mention, Context]] = []
    for ctx, mentions, para_start in read:
        if not any(m.amount is not None for m in mentions):
            functional.note_chain(squash(text[ctx.start:ctx.end]), ctx, fstate)
        subject_row = None  # the functional subject this sentence states, for its 基本支出/项目支出 parts
        for i, m in enumerate(mentions):
            part = _BASIC_PROJECT.get(m.label)
            if part and subject_row is not None and m.amount is not None and m.amount.kind == "amount" \
                    and "其中" in text[subject_row["char_end"]:m.label_start + len(m.label)]:
                # "机构运行1100910.5元,其中:基本支出1100910.5元,项目支出0元": the subject's columns
                subject_row[part] = m.amount.wan
                bound.setdefault(m.amount.start, ("expenditure_by_function", subject_row["subject"], "amount"))
                continue
            dataset, rows = _route(m, ctx, fiscal_year, fstate, astate, para_start, mentions[i - 1] if i else None,
                                   tstate, estate)
            if not rows and m.amount is None and (m.change is not None or m.change_pct is not None):
                pending_changes.append((m, ctx))
                continue
            if not rows:
                continue
            if dataset == "expenditure_by_function" and m.amount is not None:
                subject_row = rows[0]
                if _ALL_AT_BASIC.match(text[m.amount.end:]) and rows[0].get("basic_wan") is None:
                    rows[0]["basic_wan"] = rows[0]["amount_wan"]  # "6,400.00元,全部是基本支出"
            elif dataset is not None:
                subject_row = None
            out[dataset].extend(rows)
            subject = rows[0].get("subject") or rows[0].get("item")
            for a in figures(m):
                kind = {"percent": "share" if a is m.share else "percent"}.get(a.kind, a.kind)
                if a is m.change or a is m.change_pct or a is m.budget_change:
                    kind = "change"
                bound.setdefault(a.start, (dataset, subject, kind))

    for m, ctx in pending_changes:
        _change_of_stated(m, ctx, out, bound)

    # flattened tables add their rows; a narrative restating a table row merges with it below
    problems: list[dict] = []
    grids: list = []
    for dataset, rows in extract_tables(text, document, problems, grids, cut_end=True).items():
        for row in rows:
            if row.get("section") is None and row.get("char_start") is not None:
                chain = chain_at(row["char_start"])
                row["section"] = chain[-1].path if chain else None
            row.setdefault("source_kind", "table")
            cs = row.get("char_start")
            if cs is not None:
                bound.setdefault(cs, (dataset, row.get("subject") or row.get("item"), "amount"))
        # a table row comes first: merged with a narrative statement of the same figure, it keeps its
        # provenance (the cell of the standard table, its page and box) and takes the statement's share/change
        out[dataset] = rows + out.get(dataset, [])

    for dataset in list(out):
        out[dataset] = mark_primary(dataset, merge_rows(dataset, out[dataset]))
    cofog.fill(out["expenditure_by_function"])
    out["facts"] = facts(text, root, bound, chain_at)
    out["_findings"] = problems
    out["_grids"] = grids
    return out


_LINE_END = re.compile(r"[。！？；;\n]")
_REACH = 200


def facts(text: str, root, bound: dict[int, tuple[str, str, str]], chain_at=None) -> list[dict]:
    # the evidence of a figure is its line, at most _REACH characters either side: the line ends are
    # found once (a search per figure would read a long line once per figure: quadratic)
    stops = [m.start() for m in _LINE_END.finditer(text)]
    chain_at = chain_at or _Chains(root)
    rows = []
    for a in find_numbers(text):
        ds, subject, kind = bound.get(a.start, (None, None, None))
        if kind is None:
            kind = {"amount": "amount", "percent": "percent", "count": "count", "date": "date"}.get(a.kind, "number")
        k = bisect.bisect_left(stops, a.start)
        lo = max(stops[k - 1] + 1 if k else 0, a.start - _REACH, 0)
        k = bisect.bisect_left(stops, a.end)
        hi = min(stops[k] + 1 if k < len(stops) else len(text), a.end + _REACH)
        chain = chain_at(a.start)
        rows.append({
            "section": chain[-1].path if chain else None,
            "evidence": text[lo:hi].strip() or a.text,
            "char_start": a.start,
            "char_end": a.end,
            "text": a.text,
            "value": a.value,
            "unit": a.unit,
            "kind": kind,
            "subject": subject,
            "dataset": ds,
        })
    return rows
