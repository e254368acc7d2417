"""Statements whose figures the words of one clause tie together, read from the text for the rules.

The extractors bind every figure to a row; a rule that checks a rate against its amounts needs more than
that: which amount a change is of, whether the change is against the prior year or against the budget,
whether the rate follows the change it measures. These readers take that from the grammar of the clause
itself, so a check never rests on a row the extractors merged from two sentences:

* :func:`changes` -- ``A万元，比上年增加C万元，增长P%`` (also ``较上年减少C万元(P%)``, ``较年初预算数减少C
  万元，下降P%``, ``比2017年减少C元，下降-P%``, chains of comparisons after one amount and ``较上年B万元减少C
  万元``). ``A`` is taken only where nothing but rate clauses (``完成预算的X%``, ``占Y%``) or the repeated
  subject lies between it and the comparison; a sentence that names several amounts before the comparison
  makes the binding uncertain (``certain`` False).
* :func:`executions` -- ``预算为B万元，支出决算为A万元，完成预算的P%`` and ``决算为A万元，完成全年预算B万元的P%``.
* :func:`headcounts` -- ``编制人数为6人，其中行政4人，行政工勤1人，事业6人``.
* :func:`reception_counts` -- ``国内公务接待批次为0次，较上年减少119批次 … 共计接待0人次，与上年持平``.

Money is converted to 万元; every figure keeps its literal and span. Precision: a literal printed with
fewer decimals than the other money figures of its own clause (``2.30万元，较上年减少1.5万元``) has had its
trailing zeros dropped and is read at the clause's precision (:func:`money_slack`).
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
import re

from ..numbers import LOST_CHARS, MONEY_UNITS, NUMBER
from .core import last_mark, next_mark

_MONEY = r"(?:万元|亿元|千元|元)"
_INC = ("增加", "增长", "上升", "提高", "增收", "增支", "增幅")
_DEC = ("减少", "下降", "降低", "减收", "减支", "节约", "节支", "减幅", "降幅", "缩减")
_ALT = r"(?:[（(](?:增加|减少|增长|下降|降低|上升)[）)])"      # '增加(减少)': the template's choice left open
_NEG = r"[-−－]"

_HEAD = (r"(?<!占)(?:同比|(?P<hw>与|比|较|对比)\s*(?P<base>(?:(?:19|20)\d\d|[^，,。；;%％\d]){0,22}?)"
         rf"\s*(?:(?P<b>{NUMBER})\s*(?P<bu>{_MONEY})?)?\s*(?P<xb>相比|相较|比较)?"
         r"|(?P<base2>(?:(?:19|20)\d\d\s*年度?|上一?年度?|去年))\s*(?:同期)?\s*(?:相比|相较|比较))")
# the lookaheads name the characters a match can start with: the engine skips the others at once
_CHANGE = re.compile(
    r"(?=[同与比较对上去]|19|20)" + _HEAD + r"\s*(?:(?:[,，]|(?<=相比)|(?<=相较))\s*(?P<subj>(?:(?!相比|比较|比|较)[^\d，,。；;：:%％]){2,20}?))?"
    r"\s*[,，]?\s*"
    rf"(?P<cw>增加|减少|增收|减收|增支|减支|增长|下降|降低|上升|节约|[增减](?=\s*\d))(?P<calt>\s*{_ALT})?\s*(?:了|支出)?\s*"
    rf"(?P<cneg>{_NEG})?\s*(?P<c>{NUMBER})\s*(?P<cu>{_MONEY})"
    rf"(?:\s*[,，、]?\s*(?:(?P<pw>增长|下降|降低|上升|减少|增加|增幅|降幅|减幅|[增减](?=\s*\d))(?P<palt>\s*{_ALT})?\s*(?:了|为)?\s*"
    rf"(?P<pneg>{_NEG})?\s*(?P<p>{NUMBER})\s*[%％]|[（(]\s*(?P<pp>{NUMBER})\s*[%％]\s*[）)]))?"
)
# clauses that only state a rate of the amount before them; they may hold a budget amount of their own
_RATIO_CLAUSE = re.compile(r"(?:完成|为|占|达到?|相当于)[^，,。；;]{0,30}?\d+(?:\.\d+)?\s*[%％]")
# not glued to a digit, a point, a separator or a lost character (numbers.LOST_CHARS: its first digits may be lost)
_MONEY_LIT = re.compile(rf"(?<![\d.,?\ufffd])(?P<num>{NUMBER})\s*(?P<unit>{_MONEY})")
_SENT_END = re.compile(r"[。！？；;!?\n]")
_DIR_BEFORE = re.compile(r"(?:增加|减少|增收|减收|增支|减支|增长|下降|降低|上升|节约|提高)(?:了|支出)?\s*$")


@dataclass(frozen=True)
class Lit:
    """A printed number: value in 万元 for money (percent points for %, itself for counts)."""

    value: float
    text: str
    start: int
    end: int
    decimals: int
    unit: str


def _lit(m: re.Match, num: str, unit: str | None, unit_default: str = "万元") -> Lit:
    s = m.group(num)
    has_unit = bool(unit and m.group(unit))
    u = m.group(unit) if has_unit else unit_default
    v = float(s.replace(",", ""))
    if u in MONEY_UNITS:
        v = v * MONEY_UNITS[u]
    end = m.end(unit) if has_unit else m.end(num)
    return Lit(v, m.string[m.start(num):end], m.start(num), end, len(s.split(".")[1]) if "." in s else 0, u)


def _sign(word: str | None) -> int:
    if not word:
        return 0
    if word in ("增", "减"):       # "较上年减0.04万元,增0.01%": the bare words
        return 1 if word == "增" else -1
    return -1 if word.startswith(_DEC) else (1 if word.startswith(_INC) else 0)


@dataclass
class Change:
    """A comparison clause: ``a`` (the amount compared, when the clause binds one), the base kind ('prior' or
    'budget'), an explicit base ``b``, the change ``c`` (magnitude, its word's sign in ``c_dir``) and the rate
    ``p`` (magnitude, its word's sign in ``p_dir``; 0 for a bare ``(42.86%)``)."""

    start: int
    end: int
    sentence: tuple[int, int]
    base_kind: str
    base_text: str
    c: Lit
    c_dir: int
    a: Lit | None = None
    b: Lit | None = None
    p: Lit | None = None
    p_dir: int = 0
    open_choice: bool = False          # '增加(减少)' / '增长(下降)': the template's words left in
    para_decimals: dict = field(default_factory=dict)   # unit -> most decimals of its paragraph's money
    subject: str | None = None         # the subject the clause names itself (…相比，公务接待费支出增加C万元)
    certain: bool = True               # ``a`` is the only amount the sentence could mean
    chained: bool = False              # a second comparison of the same amount
    why: str = ""
    text: str = ""
    lits: list[Lit] = field(default_factory=list)

    @property
    def evidence(self) -> str:
        return self.text


_ENDS: tuple[str, list[int]] = ("", [])


def _sentence(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the sentence holding ``pos``: after the last end mark before it, through the next one."""
    global _ENDS
    cached = _ENDS
    if cached[0] is not text:   # the ends of the last text, found once (this runs for every clause)
        cached = _ENDS = (text, [m.start() for m in _SENT_END.finditer(text)])
    ends = cached[1]
    i = bisect.bisect_left(ends, pos)           # ends[:i] lie before pos
    lo = ends[i - 1] + 1 if i else 0
    return lo, (ends[i] + 1 if i < len(ends) else len(text))


_HEAD_LINE = re.compile(r"[ \t]*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,2}[）)]"
                        r"|\d{1,2}[．.、](?!\d))")


def _block_start(text: str, lo: int, start: int) -> int:
    r"""Where the lines of the sentence holding ``start`` begin, never before ``lo``: walking back over wrapped
    lines, the first line opening with a heading number (一、 （二） 3．) starts it. The first sentence of a
    section after a table then starts at its heading, not inside the table's last rows (the heading stays:
    a text layer may join a title and the first line of its paragraph).

    >>> t = "合计 700.00\n第三部分 情况说明\n一、收支预算总体情况说明\n单位收入预算总计\n21,955.35 万元，与上年相比增加"
    >>> t[_block_start(t, 0, t.index("与上年")):]
    '一、收支预算总体情况说明\n单位收入预算总计\n21,955.35 万元，与上年相比增加'
    """
    cur = text.rfind("\n", 0, start) + 1
    while cur > lo:
        if _HEAD_LINE.match(text, cur):
            return cur
        if cur == 0:
            break
        cur = text.rfind("\n", 0, cur - 1) + 1
    return lo


def _evidence(text: str, start: int, end: int) -> str:
    """The sentence around ``start``..``end`` as printed, across the line breaks of a PDF's text layer."""
    lo = max(last_mark(text, "。！？；;", start) + 1, start - 150, 0)
    lo = _block_start(text, lo, start)
    nxt = next_mark(text, "。！？；;", end)
    hi = min(nxt + 1 if nxt >= 0 else len(text), end + 150, len(text))
    return re.sub(r"\s*\n\s*", "", text[lo:hi]).strip()


def _mask_ratios(s: str) -> str:
    return _RATIO_CLAUSE.sub(lambda m: " " * len(m.group(0)), s)


def _amount_before(text: str, lo: int, head: int) -> tuple[Lit | None, bool, str]:
    """The amount a comparison starting at ``head`` is of: (literal, certain, why)."""
    pre = _mask_ratios(text[lo:head])
    lits = [m for m in _MONEY_LIT.finditer(pre) if not _DIR_BEFORE.search(pre[:m.start()])
            and not (lo + m.start() > 0 and text[lo + m.start() - 1] in LOST_CHARS)]  # its first digits may be lost
    if not lits and lo > 0 and not re.search(r"[\u4e00-\u9fff\d]", re.sub(r"^\s*(?:此外|同时|其中)?[，,]?", "", pre)) \
            and text[lo - 1] == "。":
        # '基本支出预算数为15,844.04万元。与上年相比增加1849.73万元': a sentence that opens with the comparison
        # continues the one before, when that one states a single amount
        plo, _ = _sentence(text, lo - 1)
        prev = _mask_ratios(text[plo:lo - 1])
        cands = [m for m in _MONEY_LIT.finditer(prev) if not _DIR_BEFORE.search(prev[:m.start()])]
        vals = {round(float(m.group("num").replace(",", "")) * MONEY_UNITS[m.group("unit")], 6) for m in cands}
        if len(vals) == 1:
            m = cands[-1]
            num = m.group("num")
            return Lit(float(num.replace(",", "")) * MONEY_UNITS[m.group("unit")], m.group(0), plo + m.start(),
                       plo + m.end(), len(num.split(".")[1]) if "." in num else 0, m.group("unit")), True, ""
    if not lits:
        return None, False, "句中比较之前没有金额"
    m = lits[-1]
    gap = pre[m.end():]
    # only separators, the rate clauses masked above, a year phrase, or the subject printed again
    name = re.sub(r"^[\s,，、]*(?:(?:19|20)\d\d\s*年度?)?\s*", "", gap)
    name = re.sub(r"[\s,，]*(?:与|相)?$", "", name).strip()
    if name and (re.search(r"[\d，,。；;：:]", name) or len(name) > 16 or name not in pre[:m.start()]):
        return None, False, f"金额与比较之间还有“{name}”"
    num = m.group("num")
    unit = m.group("unit")
    lit = Lit(float(num.replace(",", "")) * MONEY_UNITS[unit], m.group(0), lo + m.start(), lo + m.end(),
              len(num.split(".")[1]) if "." in num else 0, unit)
    others = {round(float(x.group("num").replace(",", "")) * MONEY_UNITS[x.group("unit")], 6) for x in lits[:-1]}
    others.discard(round(lit.value, 6))
    if others:
        return lit, False, "句中比较之前有几个金额，变动可能是其中另一个的"
    return lit, True, ""


_ORDINAL = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]\s*)+")
_LABEL_TAIL = re.compile(r"(?:支出决算数|支出决算|决算数|决算|支出|经费|费用|费|为|是|共计|合计)$")


def subject_key(label: str) -> str:
    """A label reduced for matching two printings of one subject (公务接待费支出 = （三）公务接待费)."""
    s = re.sub(r"[\s“”\"'‘’]", "", label or "").replace("(", "（").replace(")", "）")
    s = _ORDINAL.sub("", s)
    for _ in range(2):
        s = re.sub(r"^(?:(?:19|20)\d\d年度?|本年度?|全年|当年)", "", s)
    for _ in range(3):
        s = _LABEL_TAIL.sub("", s)
    return s


def _amount_named(text: str, pos: int, subject: str) -> Lit | None:
    """The amount printed right after ``subject`` (or a label of the same subject) earlier in the paragraph."""
    key = subject_key(subject)
    if len(key) < 2:
        return None
    lo = text.rfind("\n", 0, pos) + 1
    found = []
    for m in _MONEY_LIT.finditer(text, lo, pos):
        before = text[lo:m.start()]
        if _DIR_BEFORE.search(before):
            continue
        label = re.split(r"[，,。；;：:、]", before)[-1]
        if subject_key(label) == key or (len(key) >= 4 and subject_key(label).endswith(key)):
            found.append(m)
    values = {round(float(m.group("num").replace(",", "")) * MONEY_UNITS[m.group("unit")], 6) for m in found}
    if len(values) != 1:
        return None
    m = found[-1]
    num = m.group("num")
    return Lit(float(num.replace(",", "")) * MONEY_UNITS[m.group("unit")], m.group(0), m.start(), m.end(),
               len(num.split(".")[1]) if "." in num else 0, m.group("unit"))


def changes(text: str | None, fiscal_year: int | None = None) -> list[Change]:
    """Every comparison clause with a money change in ``text`` (see the module docstring). A base naming a
    budget is 'budget' unless it names the prior year (比2022年年初预算数 in a 2023 report is year on year)."""
    if not text:
        return []
    out: list[Change] = []
    prev: Change | None = None
    for m in _CHANGE.finditer(text):
        if m.group("hw") in ("与", "对比") and not m.group("xb"):
            continue              # '体育与传媒支出…' : 与 compares only with 相比 after its base
        lo, hi = _sentence(text, m.start())
        base = (m.group("base") or m.group("base2") or "").strip()
        years = {int(y) for y in re.findall(r"(?:19|20)\d\d", base)}
        base_kind = "budget" if "预算" in base and not re.search(r"上年|去年", base) \
            and years <= ({fiscal_year} if fiscal_year else set()) else "prior"
        c = _lit(m, "c", "cu")
        cdir = _sign(m.group("cw")) * (-1 if m.group("cneg") else 1)
        ch = Change(start=m.start(), end=m.end(), sentence=(lo, hi), base_kind=base_kind, base_text=base, c=c,
                    c_dir=cdir, text=_evidence(text, m.start(), m.end()),
                    open_choice=bool(m.group("calt") or m.group("palt")))
        if m.group("b"):
            ch.b = _lit(m, "b", "bu", c.unit)
        if m.group("p") is not None:
            ch.p = _lit(m, "p", None, "%")
            ch.p_dir = _sign(m.group("pw")) * (-1 if m.group("pneg") else 1)
        elif m.group("pp") is not None:
            ch.p = _lit(m, "pp", None, "%")
        # the amount compared: the previous comparison's when this one follows it directly, else the
        # amount just before the comparison in its sentence
        if prev is not None and prev.sentence == ch.sentence and re.fullmatch(r"[\s,，、;；]*",
                                                                             text[prev.end:m.start()]):
            ch.a, ch.certain, ch.why, ch.chained = prev.a, prev.certain, prev.why, True
        else:
            ch.a, ch.certain, ch.why = _amount_before(text, lo, m.start())
            ch.subject = (m.group("subj") or "").strip() or None
            if ch.subject and (ch.a is None or not ch.certain):
                # '与2016年相比，公务用车运行费减少596.98万元': the clause names its subject; its amount is the
                # one printed after the same name earlier in the paragraph
                named = _amount_named(text, m.start(), ch.subject)
                if named is not None:
                    ch.a, ch.certain, ch.why = named, True, ""
        ch.lits = [x for x in (ch.a, ch.b, ch.c) if x is not None]
        ch.para_decimals = paragraph_decimals(text, m.start())
        out.append(ch)
        prev = ch
    return out


def paragraph_decimals(text: str, pos: int) -> dict[str, int]:
    """Most decimals printed for each money unit in the paragraph (line) holding ``pos``; figures said to be
    approximate (约, 近, 逾, 超过 …) do not count."""
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    hi = len(text) if hi < 0 else hi
    return dict(_line_decimals(text, lo, hi))


@functools.lru_cache(maxsize=256)
def _line_decimals(text: str, lo: int, hi: int) -> dict[str, int]:
    # once per paragraph: every comparison clause of a paragraph asks (a hit compares ``text`` by identity)
    out: dict[str, int] = {}
    for m in _MONEY_LIT.finditer(text, lo, hi):
        if re.search(r"(?:约|近|逾|超过|多达|大约)\s*$", text[max(lo, m.start() - 3):m.start()]):
            continue
        num = m.group("num")
        d = len(num.split(".")[1]) if "." in num else 0
        out[m.group("unit")] = max(out.get(m.group("unit"), 0), d)
    return out


_RATE_ONLY = re.compile(
    r"(?=[比较])(?<!占)(?:比|较)\s*(?P<base>(?:(?:19|20)\d\d|[^，,。；;%％\d]){2,22}?)\s*"
    rf"(?P<pw>增加|增长|减少|下降|降低|上升)\s*(?:了)?\s*(?P<pneg>{_NEG})?\s*(?P<p>{NUMBER})\s*[%％]")


@dataclass
class RateChange:
    """``…B万元，…A万元，比<base>增长P%`` where the base's own amount B is printed in the same sentence."""

    a: Lit
    b: Lit
    p: Lit
    p_dir: int
    text: str
    certain: bool
    why: str


def rate_changes(text: str | None) -> list[RateChange]:
    if not text:
        return []
    out = []
    for m in _RATE_ONLY.finditer(text):
        key = subject_key(m.group("base"))
        if len(key) < 3:
            continue                  # '比上年增长5%': the base amount is not printed
        lo, hi = _sentence(text, m.start())
        a, certain, why = _amount_before(text, lo, m.start())
        if a is None:
            continue
        b = None
        for x in _MONEY_LIT.finditer(text, lo, a.start):
            label = re.split(r"[，,。；;：:、]", text[lo:x.start()])[-1]
            if subject_key(label) == key:
                b = Lit(float(x.group("num").replace(",", "")) * MONEY_UNITS[x.group("unit")], x.group(0), x.start(),
                        x.end(), len(x.group("num").split(".")[1]) if "." in x.group("num") else 0, x.group("unit"))
        if b is None:
            continue
        if not certain:
            # the base's own amount is no rival: only other amounts make the binding uncertain
            pre = _mask_ratios(text[lo:m.start()])
            vals = {round(float(x.group("num").replace(",", "")) * MONEY_UNITS[x.group("unit")], 6)
                    for x in _MONEY_LIT.finditer(pre) if not _DIR_BEFORE.search(pre[:x.start()])}
            certain = vals <= {round(a.value, 6), round(b.value, 6)}
            why = "" if certain else why
        out.append(RateChange(a, b, _lit(m, "p", None, "%"), _sign(m.group("pw")) * (-1 if m.group("pneg") else 1),
                              text[lo:hi].strip(), certain, why))
    return out


def changes_of(ctx) -> list[Change]:
    """The comparison clauses of a rule Context's text, read once per report."""
    if getattr(ctx, "_changes", None) is None:
        ctx._changes = changes(ctx.text, ctx.fiscal_year)
    return ctx._changes


def executions_of(ctx) -> list[Execution]:
    """The execution clauses of a rule Context's text, read once per report (two rules read them)."""
    if getattr(ctx, "_executions", None) is None:
        ctx._executions = executions(ctx.text)
    return ctx._executions


def money_slack(lit: Lit, clause: list[Lit], para_decimals: dict | None = None) -> float:
    """Half a unit in the last place of a money literal (万元), at the precision of its statement: a literal
    printed with fewer decimals than the other figures of its clause, or of its paragraph, in the same unit
    had its trailing zeros dropped (2.30万元，较上年减少1.5万元: 1.50; a paragraph printing 2.5万元 writes
    4万元 for 4.0)."""
    d = max([lit.decimals, (para_decimals or {}).get(lit.unit, 0)]
            + [x.decimals for x in clause if x.unit == lit.unit])
    return 0.5 * 10.0 ** -d * MONEY_UNITS.get(lit.unit, 1.0)


def pct_slack(lit: Lit) -> float:
    return 0.5 * 10.0 ** -lit.decimals


# ---------------------------------------------------------------------------------------------- executions

_QUAL = r"(?P<{0}>年初|全年|调整后?|年度)?"
_EXEC_BUDGET_FIRST = re.compile(
    r"(?=[年全调预])" + _QUAL.format("bq") + rf"预算(?:数)?(?:为|是)?\s*(?P<b>{NUMBER})\s*(?P<bu>{_MONEY})\s*[,，、]\s*"
    rf"[^,，。；;\d]{{0,16}}?决算(?:数)?(?:为|是)?\s*(?P<a>{NUMBER})\s*(?P<au>{_MONEY})\s*[,，、]\s*"
    r"完成(?:了)?" + _QUAL.format("rq") + rf"预算(?:数)?的?\s*(?P<p>{NUMBER})\s*[%％]")
_EXEC_BUDGET_INSIDE = re.compile(
    rf"决算(?:数)?(?:为|是)?\s*(?P<a>{NUMBER})\s*(?P<au>{_MONEY})\s*[,，、]\s*完成(?:了)?"
    + _QUAL.format("rq") + rf"预算(?:数)?\s*(?P<b>{NUMBER})\s*(?P<bu>{_MONEY})\s*的\s*(?P<p>{NUMBER})\s*[%％]")

# "公务用车运行维护费支出3758万元,比上年增支816万元,增长27.74%,为年初预算数4688万元的80.51%": the outcome
# first, its changes on the prior year, then the budget it is a share of
_EXEC_SHARE_OF_BUDGET = re.compile(
    rf"(?:支出|决算)(?:数)?(?:为|是)?\s*(?P<a>{NUMBER})\s*(?P<au>{_MONEY})"
    r"(?:\s*[,，][^,，。；;]*?(?:上年|去年|同期|增长|下降|降低|减少|增加|增支|减支)[^,，。；;]*?)*"
    r"\s*[,，]\s*为" + _QUAL.format("rq") + rf"预算(?:数)?\s*(?P<b>{NUMBER})\s*(?P<bu>{_MONEY})\s*的\s*(?P<p>{NUMBER})\s*[%％]")


@dataclass
class Execution:
    """``完成预算的P%`` with the outcome ``a`` and the budget ``b`` it names (``b_qual``: 年初/全年/调整 …)."""

    start: int
    end: int
    a: Lit
    b: Lit
    p: Lit
    b_qual: str | None
    rate_qual: str | None
    text: str


def executions(text: str | None) -> list[Execution]:
    if not text:
        return []
    out = []
    for rx in (_EXEC_BUDGET_FIRST, _EXEC_BUDGET_INSIDE, _EXEC_SHARE_OF_BUDGET):
        for m in rx.finditer(text):
            lo, hi = _sentence(text, m.start())
            bq = m.groupdict().get("bq")
            out.append(Execution(m.start(), m.end(), _lit(m, "a", "au"), _lit(m, "b", "bu"), _lit(m, "p", None, "%"),
                                 bq if rx is _EXEC_BUDGET_FIRST else m.group("rq"), m.group("rq"),
                                 text[lo:hi].strip()))
    out.sort(key=lambda e: e.start)
    return out


def execution_budget(text: str, e: Execution) -> Lit | None:
    """The budget a rate names: the one printed beside the outcome, or, when the rate names another
    (全年预算为B万元 … 完成年初预算的P%), that one's statement in the same sentence."""
    if not e.rate_qual or not e.b_qual or e.rate_qual == e.b_qual:
        return e.b
    lo, hi = _sentence(text, e.start)
    m = re.search(rf"{e.rate_qual}预算(?:数)?(?:为|是)?\s*(?P<b>{NUMBER})\s*(?P<bu>{_MONEY})", text[lo:hi])
    if m is None:
        return None
    lit = _lit(m, "b", "bu")
    return Lit(lit.value, lit.text, lo + lit.start, lo + lit.end, lit.decimals, lit.unit)


def ratio_check(a: Lit, b: Lit, p: Lit, clause: list[Lit], para: dict | None = None) -> tuple[float, float]:
    """(a / b in %, tolerance): the rate's half-unit plus the ratio's spread over the amounts' half-units."""
    ha, hb = money_slack(a, clause, para), money_slack(b, clause, para)
    r = a.value / b.value * 100.0
    worst = max(abs((a.value + sa * ha) / (b.value + sb * hb) * 100.0 - r)
                for sa in (-1, 1) for sb in (-1, 1) if b.value + sb * hb > 0)
    return r, pct_slack(p) + worst


# ---------------------------------------------------------------------------------------------- counts

_PERSON = r"(?:人|名)"
_STAFF_TOTAL = re.compile(
    rf"(?P<label>[^\d，,。；;：:、]{{0,12}}(?:编制|人数|在职|实有|人员)[^\d，,。；;：:、]{{0,6}}?)(?:为|共|有|总数为?)?\s*"
    rf"(?P<n>\d+)\s*{_PERSON}\s*[,，;；]?\s*其中\s*[:：]?\s*"
    rf"(?P<parts>(?:[^\d，,。；;：:]{{1,10}}?\s*\d+\s*{_PERSON}\s*[,，、;；]?\s*){{2,}})")
_STAFF_PART = re.compile(rf"(?P<label>[^\d，,。；;：:、]{{1,10}}?)\s*(?P<n>\d+)\s*{_PERSON}")
# the staffing categories a 编制 or 在职 figure is split into; attributes (女, 党员, 研究生 …) may overlap
_STAFF_KINDS = re.compile(r"行政|事业|工勤|参公|参照|机关|在职|退休|离休|遗属|聘用|编外|临时|全额|差额|自收自支|公益|离退休")
_ATTRIBUTE = re.compile(r"女|男|党员|研究生|硕士|博士|本科|大专|少数民族|干部|职称|高级|中级|初级|以上|以下")
_RETIRED = re.compile(r"退休|离休|离退休|遗属")


@dataclass
class Headcount:
    total: Lit
    label: str
    parts: list[tuple[str, Lit]]
    text: str


_STAFF_WORD = re.compile(r"编制|人数|在职|实有|人员")


def _staff_totals(text: str):
    """``_STAFF_TOTAL.finditer(text)``, trying only where a match can start: at most 12 characters before one
    of its words (its label is up to 12 characters, then the word). The leftmost match from each place is
    the same; trying every position of the text made this the costliest clause of all."""
    pos = 0
    for k in _STAFF_WORD.finditer(text):
        if k.start() < pos:
            continue
        for s in range(max(pos, k.start() - 12), k.start() + 1):
            m = _STAFF_TOTAL.match(text, s)
            if m:
                yield m
                pos = m.end()
                break


def headcounts(text: str | None) -> list[Headcount]:
    """Staffing figures with their 其中 parts (categories of staff, never overlapping attributes)."""
    if not text:
        return []
    out = []
    for m in _staff_totals(text):
        parts = []
        for p in _STAFF_PART.finditer(m.group("parts")):
            label = p.group("label").strip(" ,，、;；")
            off = m.start("parts")
            parts.append((label, Lit(float(p.group("n")), p.group(0).strip(), off + p.start("n"), off + p.end(), 0,
                                     "人")))
        # the retired are not part of an 在职 (serving) total: an enumeration that runs on into them
        # (在职人员总数37人，其中行政人员19人，机关工勤1人，事业人员17人；退休人员18人) ends before them
        if "在职" in m.group("label"):
            k = next((i for i, (lab, _) in enumerate(parts) if _RETIRED.search(lab) and "在职" not in lab), None)
            if k is not None:
                parts = parts[:k]
        if len(parts) < 2 or not all(_STAFF_KINDS.search(lab) and not _ATTRIBUTE.search(lab) for lab, _ in parts):
            continue
        lo, hi = _sentence(text, m.start())
        out.append(Headcount(_lit(m, "n", None, "人"), m.group("label").strip(), parts, text[lo:hi].strip()))
    return out


_BATCH = re.compile(r"(?:接待(?:批次)?(?:为|共)?\s*(?P<n1>\d+)\s*(?:批次|次|批)|(?P<n2>\d+)\s*批次)")
_PERSONS = re.compile(r"(?P<n>\d+)\s*人次")
_COUNT_CHANGE = re.compile(r"^\s*[,，]?\s*(?:(?:较|比)(?:上年|上年度|去年)(?:同期)?\s*(?P<w>增加|减少)\s*(?P<d>\d+)\s*(?:批次|次|批|人次)"
                           r"|(?:与)?上年(?:度)?(?:相比)?\s*(?P<flat>持平))")


@dataclass
class ReceptionCount:
    """公务接待 batches and persons of one sentence, this year and (where the changes say) the year before."""

    batches: Lit
    persons: Lit
    prior_batches: float | None
    prior_persons: float | None
    text: str
    start: int
    end: int


def _count_and_prior(text: str, m: re.Match, group: str, hi: int) -> tuple[Lit, float | None]:
    n = float(m.group(group))
    lit = Lit(n, m.group(0), m.start(group), m.end(), 0, "count")
    c = _COUNT_CHANGE.match(text[m.end():hi])
    if not c:
        return lit, None
    if c.group("flat"):
        return lit, n
    return lit, n - _sign(c.group("w")) * float(c.group("d"))


# a run between 。；; and line ends (the runs that name 接待 are what ``[^。；;\n]*接待[^。；;\n]*`` finds, without
# its backtracking over every run that does not)
_CLAUSE_RUN = re.compile(r"[^。；;\n]+")


def reception_counts(text: str | None) -> list[ReceptionCount]:
    if not text:
        return []
    out = []
    for s in _CLAUSE_RUN.finditer(text):
        sent = s.group(0)
        if "接待" not in sent:
            continue
        lo, hi = s.start(), s.end()
        # one count of each in the sentence: with two (国内 and 国(境)外) which is whose is not settled
        # the counts themselves, not their changes (较上年减少119批次)
        bs = [m for m in _BATCH.finditer(text, lo, hi) if not _DIR_BEFORE.search(text[lo:m.start()])]
        ps = [m for m in _PERSONS.finditer(text, lo, hi) if not _DIR_BEFORE.search(text[lo:m.start()])]
        if len(bs) != 1 or len(ps) != 1 or ps[0].start() < bs[0].start():
            continue
        b, bprior = _count_and_prior(text, bs[0], "n1" if bs[0].group("n1") else "n2", hi)
        p, pprior = _count_and_prior(text, ps[0], "n", hi)
        out.append(ReceptionCount(b, p, bprior, pprior, sent.strip(), lo, hi))
    return out
