"""Wording rules: what the words of a report claim against its own numbers and its own identity.

* ``budget_wording``: ``年初预算为A万元，支出决算为B万元。决算数大于预算数…`` -- 大于/高于/超过 need B > A,
  小于/低于 B < A, 等于/持平 B = A (``基本持平`` is a judgement and is left alone).
* ``wrong_year``: a title or part heading of the report naming another year (``第三部分 …2023年度部门决算情况说明``
  in a 2024 report), or a 决算's balance date ``截至2023年12月31日`` in a report of 2024.
* ``placeholder_text``: a title or heading holding a template placeholder (``上海市普陀区XX局``, ``某某单位``).
"""

from __future__ import annotations

import re

from ..numbers import NUMBER
from .core import Context, issue, rule, tolerance_of

_BUDGET_WORDING = re.compile(
    rf"(?:年初)?预算(?:数)?(?:为|是)\s*(?P<b>{NUMBER})\s*万元[，,、；]?\s*(?:[^。；]{{0,16}}?)"
    rf"(?:支出)?决算(?:数)?(?:为|是)\s*(?P<a>{NUMBER})\s*万元[。，,；;]?\s*(?:[^。；\d]{{0,12}}?)"
    r"决算数?(?P<w>大于|小于|等于|高于|低于|超过|少于|多于|与预算数?持平|与预算数?相等)预算数?")
_SAYS = {"大于": 1, "高于": 1, "超过": 1, "多于": 1, "小于": -1, "低于": -1, "少于": -1, "等于": 0}


@rule("budget_wording", "决算数大于/小于/等于预算数 against the 预算 and 决算 figures printed just before it",
      ["expenditure_by_function", "three_public", "summary"],
      tolerance="the two figures' half-units (equal within rounding counts as 等于)")
def _budget_wording(ctx: Context):
    text = ctx.text or ""
    out = []
    for m in _BUDGET_WORDING.finditer(text):
        b = float(m.group("b").replace(",", ""))
        a = float(m.group("a").replace(",", ""))
        w = m.group("w")
        says = _SAYS.get(w, 0)
        tol = tolerance_of(m.group("a")) + tolerance_of(m.group("b"))
        diff = a - b
        actual = 0 if abs(diff) <= tol + 1e-9 else (1 if diff > 0 else -1)
        if actual == says:
            continue
        rel = {1: "大于", -1: "小于", 0: "等于"}[actual]
        out.append(issue("error", None, f"说“决算数{w}预算数”，但决算数 {m.group('a')}万元 {rel} 预算数 {m.group('b')}万元",
                         expected=b, actual=a, evidence=text[m.start():m.end()], char_start=m.start("w"),
                         char_end=m.end("w")))
    return out


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年度?")
_HEADING_LIKE = re.compile(r"部门决算|单位决算|部门预算|单位预算|决算情况|预算情况|决算表|预算表|决算公开|预算公开|决算说明|预算说明")
_AS_OF = re.compile(r"截至\s*((?:19|20)\d\d)\s*年\s*12\s*月\s*31\s*日")


@rule("wrong_year", "a title or part heading naming another year than the report's; a 决算's year-end balance date "
      "of another year", ["summary"], tolerance="none: years are exact")
def _wrong_year(ctx: Context):
    doc, text = ctx.document, ctx.text or ""
    year = getattr(doc, "fiscal_year", None)
    if not text or year is None:
        return []
    out = []
    pos = 0
    for line in text.split("\n"):
        s = line.strip()
        at = pos + (len(line) - len(line.lstrip()))
        pos += len(line) + 1
        if not s or len(s) > 60 or not _HEADING_LIKE.search(s) or re.search(r"[，。；]", s):
            continue
        years = {int(y) for y in _YEAR.findall(s)}
        if len(years) != 1 or year in years:
            continue          # no year, or two (a comparison), or the right one
        (other,) = years
        out.append(issue("error", None, f"标题“{s}”写的是{other}年，而本报告是{year}年度的", expected=float(year),
                         actual=float(other), evidence=s, char_start=at, char_end=at + len(s)))
    if getattr(doc, "doc_kind", None) == "决算":
        for m in _AS_OF.finditer(text):
            if int(m.group(1)) != year:
                out.append(issue("error", None, f"“{m.group(0)}”：{year}年度决算的期末时点应为{year}年12月31日",
                                 expected=float(year), actual=float(m.group(1)), evidence=_line_at(text, m.start()),
                                 char_start=m.start(), char_end=m.end()))
    return out


def _line_at(text: str, pos: int) -> str:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return text[lo: hi if hi >= 0 else len(text)].strip()


_PLACEHOLDER = re.compile(r"(?:[XxＸｘ×*＊]{2,}|某某|〇〇|○○)(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?:[XxＸｘ×＊]{2,}|某某)")


@rule("placeholder_text", "a title or heading still holding a template placeholder (XX局, 某某单位)", ["summary"],
      tolerance="none")
def _placeholder_text(ctx: Context):
    text = ctx.text or ""
    out = []
    pos = 0
    for line in text.split("\n"):
        s = line.strip()
        start = pos + (len(line) - len(line.lstrip()))
        pos += len(line) + 1
        if not s or len(s) > 80:
            continue
        m = _PLACEHOLDER.search(s)
        if m and (_HEADING_LIKE.search(s) or len(s) <= 40):
            out.append(issue("error", None, f"“{s}”中有模板占位符“{m.group(0)}”：单位名称未填写", evidence=s,
                             char_start=start + m.start(), char_end=start + m.end()))
    return out
