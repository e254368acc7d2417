"""Unit rules: a money figure in an odd unit among its neighbours, a figure printed with odd precision."""

from __future__ import annotations

from collections import Counter
from collections import defaultdict
from dataclasses import dataclass
import re
from typing import Any


from ..numbers import NUMBER
from .core import Context, decimals_of, issue, last_mark, rule, _none


# --------------------------------------------------------------------------------------------------------
# literals: units and decimals (facts, or the text itself)

_LIT_RE = re.compile(rf"(?<![\d.,])(?P<num>{NUMBER})(?P<unit>亿元|千元|万元|元|万(?![\u4e00-\u9fff])|%|％)")
_MONEY = {"亿元": "亿元", "千元": "千元", "万元": "万元", "万": "万元", "元": "元"}


@dataclass
class Literal:
    text: str
    value: float
    unit: str          # '万元' | '元' | '亿元' | '千元' | '%'
    decimals: int
    start: int
    end: int
    section: str | None = None
    evidence: str | None = None


def literals(ctx: Context) -> list[Literal]:
    """Money and percent literals: from the facts dataset when it has any, else scanned from the text."""
    cached = getattr(ctx, "_literals", None)
    if cached is not None:
        return cached
    ctx._literals = out = _literals(ctx)
    return out


def _literals(ctx: Context) -> list[Literal]:
    out: list[Literal] = []
    cols = ctx.fact_columns()
    if cols.get("text"):
        n = len(cols["text"])
        for t, start, section, evidence in zip(cols["text"], *(cols.get(c) or [None] * n
                                                               for c in ("char_start", "section", "evidence"))):
            if _none(t):
                continue
            m = _LIT_RE.search(str(t))
            if not m:
                continue
            unit = "%" if m.group("unit") in "%％" else _MONEY[m.group("unit")]
            # the span of the number and its unit (the fact's literal may start with a direction word)
            lo = int(start) + m.start() if not _none(start) else -1
            out.append(Literal(m.group(0), float(m.group("num").replace(",", "")), unit, decimals_of(m.group("num")) or 0,
                               lo, lo + len(m.group(0)) if lo >= 0 else -1,
                               None if _none(section) else section, None if _none(evidence) else evidence))
    elif ctx.text:
        for m in _LIT_RE.finditer(ctx.text):
            unit = "%" if m.group("unit") in "%％" else _MONEY[m.group("unit")]
            out.append(Literal(m.group(0), float(m.group("num").replace(",", "")), unit,
                               decimals_of(m.group("num")) or 0, m.start(), m.end()))
    out.sort(key=lambda x: x.start)
    return out


def _threshold(ctx: Context, lit: Literal) -> bool:
    """A size class, not a figure: "收入过10亿元的县", "50万元以上的项目"."""
    if not ctx.text or lit.start < 0:
        return False
    before, after = ctx.text[max(0, lit.start - 2):lit.start], ctx.text[lit.end:lit.end + 3]
    return before.endswith(("过", "超", "逾")) or after.startswith(("以上", "以下", "及以上", "以内"))


def _sentence_of(ctx: Context, lit: Literal) -> tuple[Any, str | None]:
    if ctx.text is not None and lit.start >= 0:
        lo, hi = ctx.sentence(lit.start)
        return (lo, hi), ctx.text[lo:hi].strip()
    return (lit.section, lit.evidence), lit.evidence


@rule("unit_outlier", "a money figure whose unit differs from every other (non-zero) money figure of its sentence "
      "and from the report's usual unit (e.g. a change of '2.05元' next to amounts in 万元)", ["facts"], severity="warning",
      tolerance="none: a unit is exact; zeros are ignored (0元 = 0万元)")
def _unit_outlier(ctx: Context):
    out = []
    money = [x for x in literals(ctx) if x.unit != "%"]
    if len({x.unit for x in money if x.value != 0}) < 2:
        return out          # one unit for every figure (most reports): no figure can be the odd one out
    groups: dict[Any, list[Literal]] = defaultdict(list)
    texts = {}
    for x in money:
        k, t = _sentence_of(ctx, x)
        groups[k].append(x)
        texts[k] = t
    overall = Counter(x.unit for x in money if x.value != 0)
    dominant = overall.most_common(1)[0][0] if overall else None
    for k, xs in groups.items():
        for x in xs:
            if x.value == 0:
                continue
            others = [y for y in xs if y is not x and y.value != 0]
            if not others or any(y.unit == x.unit for y in others):
                continue
            # of two figures in different units, the one in the report's usual unit is not the outlier
            if x.unit == dominant:
                continue
            units = Counter(y.unit for y in others)
            unit = units.most_common(1)[0][0]
            if x.value > 10 * max(y.value for y in others if y.unit == unit):
                # "一般公共服务支出8.59亿元,国防支出352万元": 352亿元 would dwarf every other figure of the
                # sentence; a small figure is printed in the finer unit on purpose
                continue
            shown = "、".join(y.text for y in others[:3])
            msg = (f"“{x.text}”的单位为{x.unit}，同一句中的其他金额（{shown}）为{unit}："
                   f"可能是单位错印（{x.value:g}{unit}？）")
            out.append(issue("warning", "facts", msg, actual=x.value, evidence=texts[k], section=x.section,
                             char_start=x.start if x.start >= 0 else None, char_end=x.end if x.end >= 0 else None))
    return out


@rule("excess_decimals", "a figure printed with more decimals than the report uses for that unit elsewhere",
      ["facts"], severity="warning", tolerance="none: compares digit counts with the report's usual precision")
def _excess_decimals(ctx: Context):
    out = []
    lits = [x for x in literals(ctx) if x.value != 0 and not _threshold(ctx, x)]
    by_unit: dict[str, list[Literal]] = defaultdict(list)
    for x in lits:
        by_unit[x.unit].append(x)
    for unit, xs in by_unit.items():
        if len(xs) < 3:
            continue
        counts = Counter(x.decimals for x in xs)
        top = max(counts.values())
        usual = max(d for d, n in counts.items() if n == top)
        for x in xs:
            if x.decimals > usual:
                _, sent = _sentence_of(ctx, x)
                msg = (f"“{x.text}”有 {x.decimals} 位小数，而报告中{unit}数字通常印 {usual} 位"
                       f"（{counts[usual]}/{len(xs)} 个）")
                out.append(issue("warning", "facts", msg, expected=float(usual), actual=float(x.decimals),
                                 evidence=sent, section=x.section, char_start=x.start if x.start >= 0 else None,
                                 char_end=x.end if x.end >= 0 else None))
    return out


@rule("unit_misprint", "a figure whose printed unit contradicts its own rate: 预算为494,400.00万元，支出决算为115,749.56元，"
      "完成预算的23.42% holds only with both in 元", ["three_public", "summary"],
      tolerance="the rate must fail by more than twice its tolerance as printed and hold within twice its tolerance "
                "with the two figures in one unit (the rate's half-unit + the ratio's spread)")
def _unit_misprint(ctx: Context):
    from . import clauses
    from .ratios import unit_swapped

    out = []
    for e in clauses.executions_of(ctx):
        if not unit_swapped(e):
            continue
        ratio = e.a.value / e.b.value * 100.0
        msg = (f"“{e.text[:90]}”：预算 {e.b.text} 与决算 {e.a.text} 单位不同；按所印单位完成率应为 {ratio:.4g}%，"
               f"印出的 {e.p.text}% 只在两者同为{e.a.unit}时成立：{e.b.text}的单位错印")
        out.append(issue("error", None, msg, expected=ratio, actual=e.p.value, evidence=e.text,
                         char_start=e.b.start, char_end=e.b.end))
    return out


_BARE_RATE = re.compile(rf"(?P<w>增长|下降|降低|上升|增幅|降幅|减幅)\s*(?:了|为)?\s*(?P<num>{NUMBER})(?=\s*(?:[。，；;]|,(?!\d)))")


@rule("percent_sign_missing", "a growth rate printed without its % sign (增长 13.95。)", ["summary"],
      tolerance="none: the sign is printed or not")
def _percent_sign_missing(ctx: Context):
    text = ctx.text or ""
    out = []
    for m in _BARE_RATE.finditer(text):
        lo = last_mark(text, "。；;\n", m.start()) + 1
        out.append(issue("error", None, f"“{text[max(lo, m.start() - 24):m.end()]}”：{m.group('w')}率 {m.group('num')} "
                                        f"没有印百分号", actual=float(m.group("num").replace(",", "")),
                         evidence=text[lo:m.end() + 1].strip(), char_start=m.start("num"), char_end=m.end("num")))
    return out
