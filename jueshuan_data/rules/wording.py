"""Wording rules: what the words of a report claim against its own numbers and its own identity.

* ``budget_wording``: ``年初预算为A万元，支出决算为B万元。决算数大于预算数…`` -- 大于/高于/超过 need B > A,
  小于/低于 B < A, 等于/持平 B = A (``基本持平`` is a judgement and is left alone).
* ``wrong_year``: a title or part heading of the report naming another year (``第三部分 …2023年度部门决算情况说明``
  in a 2024 report), or a 决算's balance date ``截至2023年12月31日`` in a report of 2024.
* ``reason_direction``: a change and the reason given for it in opposite directions (``比2023年预算执行数减少2.98%。
  主要原因是：宣传事务一般行政管理事务经费增加。``).
* ``placeholder_text``: a title or heading holding a template placeholder (``上海市普陀区XX局``, ``某某单位``).
"""

from __future__ import annotations

import re

from ..numbers import NUMBER
from . import clauses
from .core import Context, issue, last_mark, next_mark, rule, tolerance_of

_BUDGET_WORDING = re.compile(
    rf"(?=[年预])(?:年初)?预算(?:数)?(?:为|是)\s*(?P<b>{NUMBER})\s*万元[，,、；]?\s*(?:[^。；]{{0,16}}?)"
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
_HEADING_LIKE = re.compile(r"部门决算|单位决算|部门预算|单位预算|决算情况|预算情况|决算表|预算表|决算公开|预算公开|决算说明|预算说明"
                           r"|经费.{0,6}情况说明$|[决预]\S{0,4}支出情况说明$")
_OUTCOME_OF_YEAR = re.compile(r"(?:^|(?<=[。；;\n]))\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?(?P<y>(?:19|20)\d\d)\s*年度?"
                              r"[^。；;\n]{0,60}?决算[^。；;\n]{0,40}?(?:比|较)上年", re.M)
_AS_OF = re.compile(r"截至\s*((?:19|20)\d\d)\s*年\s*12\s*月\s*31\s*日")
# "比2026年预算增加…", "与2026年预算持平": the comparison base of a budget's figure
_BUDGET_AGAINST_OWN_YEAR = re.compile(r"(?:比|与|较)\s*(?P<y>(?:19|20)\d\d)\s*年(?:度)?(?:年初)?预算(?:数)?\s*(?:相比)?[，,]?\s*"
                                      r"(?:增加|减少|持平|增长|下降|无变化)")
# a project's period: "实施周期\n2025年1月1日-2025年12月31日", "实施周期：2024年-2026年"
_PERIOD = re.compile(r"实施周期[\s：:]*(?P<p>(?:19|20)\d\d\s*年[^\n。；]{0,30})")


def _headings(ctx: Context) -> list[tuple[int, str]]:
    """(start, line) of the lines that read as a title or part heading of a report: short, no sentence marks, and
    naming a 决算 / 预算 part (what the year and the kind of the report are checked against)."""
    if "headings" not in ctx.memo:      # two rules ask
        ctx.memo["headings"] = [(at, s) for at, s in ctx.lines() if s and len(s) <= 60 and _HEADING_LIKE.search(s)
                                and not re.search(r"[，。；]", s)]
    return ctx.memo["headings"]


def squash_ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@rule("wrong_year", "a title or part heading naming another year than the report's; a 决算's year-end balance date "
      "of another year; a sentence stating the 决算 of another year against 上年 as the report's own", ["summary"],
      tolerance="none: years are exact")
def _wrong_year(ctx: Context):
    doc, text = ctx.document, ctx.text or ""
    year = getattr(doc, "fiscal_year", None)
    if not text or year is None:
        return []
    out = []
    for at, s in _headings(ctx):
        years = {int(y) for y in _YEAR.findall(s)}
        if len(years) != 1 or year in years:
            continue          # no year, or two (a comparison), or the right one
        (other,) = years
        out.append(issue("error", None, f"标题“{s}”写的是{other}年，而本报告是{year}年度的", expected=float(year),
                         actual=float(other), evidence=s, char_start=at, char_end=at + len(s)))
    if getattr(doc, "doc_kind", None) == "预算":
        # '2026年…财政拨款收入9628.22万元，比2026年预算增加793.14万元' in the 2026 预算: the comparison base of a
        # budget is an earlier year's, never the report's own year; one finding per paragraph
        seen = set()
        for m in _BUDGET_AGAINST_OWN_YEAR.finditer(text):
            if int(m.group("y")) != year:
                continue
            line = _line_at(text, m.start("y"))
            if line in seen:
                continue
            seen.add(line)
            out.append(issue("error", None, f"“{m.group(0)}”：{year}年预算与“{year}年预算”比较，比较的应是上年（{year - 1}年）",
                             expected=float(year - 1), actual=float(year), evidence=line, char_start=m.start("y"),
                             char_end=m.end("y")))
        # '五、实施周期 2025年1月1日-2025年12月31日' in a project of the 2026 预算: a period over before the year
        for m in _PERIOD.finditer(text):
            years = [int(y) for y in _YEAR.findall(m.group("p"))]
            if years and max(years) < year:
                out.append(issue("error", None, f"“{squash_ws(m.group(0))}”：{year}年预算的项目实施周期在{max(years)}年就已结束",
                                 expected=float(year), actual=float(max(years)), evidence=squash_ws(m.group(0)),
                                 char_start=m.start("p"), char_end=m.end("p")))
    if getattr(doc, "doc_kind", None) == "决算":
        # '2022年“三公”经费财政拨款支出决算为3.46万元，…较上年增加2.4万元' in a 2023 report: a sentence that states
        # a 决算 of its year against 上年 presents that year as the report's own
        for m in _OUTCOME_OF_YEAR.finditer(text):
            y = int(m.group("y"))
            if y != year:
                s = m.group(0).strip()
                out.append(issue("error", None, f"“{s[:70]}…”：以{y}年为本年（与上年比较）陈述决算，而本报告是{year}年度的",
                                 expected=float(year), actual=float(y), evidence=_line_at(text, m.start("y")),
                                 char_start=m.start("y"), char_end=m.end("y")))
        for m in _AS_OF.finditer(text):
            if int(m.group(1)) != year:
                out.append(issue("error", None, f"“{m.group(0)}”：{year}年度决算的期末时点应为{year}年12月31日",
                                 expected=float(year), actual=float(m.group(1)), evidence=_line_at(text, m.start()),
                                 char_start=m.start(), char_end=m.end()))
    return out


# "现将2021年部门预算公开如下": the sentence introducing what the page publishes
# the kind is the document's, not a fund's (政府性基金预算, 一般公共预算, 国有资本经营预算), a unit's (预算单位) or a
# word of both kinds (预决算)
_PUBLISHES = re.compile(r"现将[^。；;\n]{0,30}?(?P<y>(?:19|20)\d\d)\s*年度?[^。；;\n]{0,12}?"
                        r"(?P<k>(?<!公共)(?<!基金)(?<!经营)预算(?!单位)|(?<!预)决算)[^。；;\n]{0,12}?(?:公开|公布)如下")
_OWN_HEADING = r"(?:{y})\s*年度?[^，。；;\n]{{0,20}}?(?:部门|单位)(?:{k})"


@rule("wrong_document_kind", "the sentence introducing the page names the other kind of report than its headings "
      "(“现将2021年部门预算公开如下” over “二、…2021年度部门决算情况说明”)", ["summary"],
      tolerance="none: words; only when a heading names the report's own kind for that year and none the kind the "
                "introduction names")
def _wrong_document_kind(ctx: Context):
    kind = getattr(ctx.document, "doc_kind", None)
    text = ctx.text or ""
    if kind not in ("预算", "决算") or not text:
        return []
    out = []
    for m in _PUBLISHES.finditer(text):
        said, y = m.group("k"), m.group("y")
        if said == kind or re.search("预算" if said == "决算" else "决算", m.group(0)) or "执行" in m.group(0):
            continue          # "预算执行情况" is what a 决算 reports
        own = re.compile(_OWN_HEADING.format(y=y, k=kind))
        other = re.compile(_OWN_HEADING.format(y=y, k=said))
        heads = [ln for _, ln in _headings(ctx)]
        if not any(own.search(h) for h in heads) or any(other.search(h) for h in heads):
            continue
        head = next(h for h in heads if own.search(h))
        out.append(issue("error", None, f"“{m.group(0)}”：说公开的是{y}年{said}，而正文标题“{head}”是{kind}",
                         actual=float(y), evidence=m.group(0), char_start=m.start("k"), char_end=m.end("k")))
    return out


_W = lambda w: r"\s*".join(w)
_REASON = re.compile(rf"(?P<d>{_W('增加')}|{_W('减少')}|{_W('增长')}|{_W('下降')})\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*[。，,；]\s*"
                     rf"{_W('主要原因')}\s*(?:是|为)\s*[：:]?\s*(?P<why>[^。；]{{0,60}}?(?:经\s*费|支\s*出|资\s*金))\s*"
                     rf"(?P<r>{_W('增加')}|{_W('减少')}|{_W('增长')}|{_W('下降')})\s*[。；]")


@rule("reason_direction", "a change and the reason given for it in opposite directions (减少2.98%。主要原因是：…经费增加)",
      ["expenditure_by_function", "summary"], tolerance="none: directions are words")
def _reason_direction(ctx: Context):
    text = ctx.text or ""
    out = []
    up = lambda w: re.sub(r"\s", "", w) in ("增加", "增长")
    for m in _REASON.finditer(text):
        if up(m.group("d")) == up(m.group("r")):
            continue
        if re.search(r"增\s*加|减\s*少|增\s*长|下\s*降|上\s*升|降\s*低|提\s*高", m.group("why")):
            continue    # several reasons, each with its direction ("人员经费减少，公用经费增加"): no single one to hold
        d, r = re.sub(r"\s", "", m.group("d")), re.sub(r"\s", "", m.group("r"))
        ev = re.sub(r"\s*\n\s*", "", m.group(0))
        out.append(issue("error", None, f"“{ev[:90]}”：变动为{d}{m.group('p')}%，所说原因却是{r}",
                         actual=float(m.group("p")), evidence=ev, char_start=m.start("r"), char_end=m.end("r")))
    return out


def _line_at(text: str, pos: int) -> str:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return text[lo: hi if hi >= 0 else len(text)].strip()


_PLACEHOLDER = re.compile(r"(?=[XxＸｘ×*＊某〇○])(?:[XxＸｘ×*＊]{2,}|某某|〇〇|○○)(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?:[XxＸｘ×＊]{2,}|某某)")


_PLACEHOLDER_FIGURE = re.compile(r"(?:共计?|合计|计|有|为|达)([XxＸｘ]{2,})(?:家|个|人|名|万元|元)")
_PLACEHOLDER_FIELD = re.compile(r"(?:单位名称|部门名称|编制单位|预算单位|预算代码|单位代码)[:：]\s*[^:：。；;\n]{0,12}?([XxＸｘ]{2,})")


@rule("placeholder_text", "a title or heading still holding a template placeholder (XX局, 某某单位)", ["summary"],
      tolerance="none")
def _placeholder_text(ctx: Context):
    out = []
    for start, s in ctx.lines():
        f = (_PLACEHOLDER_FIGURE.search(s) or _PLACEHOLDER_FIELD.search(s)) if s else None
        if f:
            # "…预算单位共计XX家", "单位名称:河北省 XXX 厅": a count, or a name field of a cover, left as the placeholder
            out.append(issue("error", None, f"“{f.group(0)}”：仍是模板占位符“{f.group(1)}”，未填写", evidence=s[:120],
                             char_start=start + f.start(1), char_end=start + f.end(1)))
            continue
        if not s or len(s) > 80:
            continue
        m = _PLACEHOLDER.search(s)
        if m and (_HEADING_LIKE.search(s) or len(s) <= 40):
            out.append(issue("error", None, f"“{s}”中有模板占位符“{m.group(0)}”：单位名称未填写", evidence=s,
                             char_start=start + m.start(), char_end=start + m.end()))
    return out


@rule("change_direction", "a change stated twice in one clause in opposite directions: 减少C元，下降-P% (a fall "
      "of a negative rate is a rise), 增加C万元，下降P%", ["summary", "three_public", "expenditure_by_function"],
      tolerance="none: directions are words and signs; a zero change or rate, or a template's 增加(减少), says nothing")
def _change_direction(ctx: Context):
    out = []
    for ch in clauses.changes_of(ctx):
        if ch.p is None or ch.open_choice or not ch.c_dir or not ch.p_dir or ch.c.value == 0 or ch.p.value == 0:
            continue
        if ch.c_dir == ch.p_dir:
            continue
        said = "增加" if ch.c_dir > 0 else "减少"
        text = ctx.text or ""
        m = re.search(r"(增长|下降|降低|上升|减少|增加|增幅|降幅|减幅|增|减)\s*(?:了|为)?\s*[-−－]?\s*$", text[:ch.p.start])
        printed = (m.group(0) if m else "") + ch.p.text
        why = "负的下降即增长" if re.search(r"[-−－]", printed) else "增减方向不一致"
        out.append(issue("error", None, f"“{ch.text[:80]}”：金额{said}{ch.c.text}，变动率却印为“{printed}%”，"
                                        f"方向相反（{why}）",
                         expected=None, actual=ch.p.value * ch.p_dir, evidence=ch.evidence, char_start=ch.p.start,
                         char_end=ch.p.end))
    return out


# a share, a change or an amount whose number the template asked for and nobody filled in: '占 %',
# '比上年减少 万元', '政府性基金支出预算支出 万元'; '单位为万元' declares a unit and is no blank
_BLANK = re.compile(r"(?=[占增减下降上为预])(?:占(?:比)?|增加|减少|增长|下降|降低|上升|(?<!单位)(?<!单位：)为|预算支出)\s*(?:[%％]|万元|亿元|元)(?![\d])")


@rule("blank_figure", "a template field left blank in the narrative: a share, change or amount printed without its "
      "number (占 %，比上年减少 万元)", ["summary", "three_public"], tolerance="none: a number is printed or it is not")
def _blank_figure(ctx: Context):
    text = ctx.text or ""
    out = []
    pos = 0
    for line in text.split("\n"):
        blanks = list(_BLANK.finditer(line))
        start = pos
        pos += len(line) + 1
        if not blanks or not re.search(r"[，,。；;]", line):
            continue              # a table header ('增长%') is no sentence
        shown = []
        for m in blanks:
            lo = line.rfind("，", 0, m.start()), line.rfind(",", 0, m.start()), line.rfind("：", 0, m.start()), \
                line.rfind(":", 0, m.start()), line.rfind("；", 0, m.start()), line.rfind(";", 0, m.start()), \
                line.rfind("。", 0, m.start())
            cut = max(lo) + 1
            clause = line[cut:m.end()].strip()
            if not re.search(r"\d", clause) and cut > 0:
                # '占 %' alone: show the figure it belongs to, the clause before it
                prev = max(line.rfind(c, 0, cut - 1) for c in "，,：:；;。") + 1
                clause = line[prev:m.end()].strip()
            shown.append(f"“{clause}”")
        msg = f"{len(blanks)}处模板数字未填：{'；'.join(shown)}"
        out.append(issue("error", None, msg, evidence=line.strip()[:300], char_start=start + blanks[0].start(),
                         char_end=start + blanks[-1].end()))
    return out


_WORD = r"(?:增加|减少|增长|下降|降低|上升)"
_OPEN_CHANGE = re.compile(rf"{_WORD}\s*[（(]\s*{_WORD}\s*[）)]\s*(?:了)?\s*(?P<num>{NUMBER})\s*(?P<unit>万元|亿元|元|%|％)")
_OPEN_COMPARE = re.compile(r"(?:大于|小于|等于|高于|低于)预算数?\s*[（(]\s*或[^）)]{1,16}[）)]")
_RATE_NEAR = re.compile(rf"完成(?:年初|全年|调整后?)?预算(?:数)?的?\s*{NUMBER}\s*[%％]")


@rule("template_choice", "the template's alternatives left in a statement that the figures decide: 下降（增长）27.78%, "
      "决算数小于预算数（或与预算数持平） (a 增加（减少）0万元 changes nothing and is left alone)", ["summary", "three_public"],
      tolerance="none: the words are printed or not; a zero figure makes the choice moot")
def _template_choice(ctx: Context):
    text = ctx.text or ""
    out = []
    for m in _OPEN_CHANGE.finditer(text):
        if float(m.group("num").replace(",", "")) == 0:
            continue
        lo, hi = _sentence_span(text, m.start())
        out.append(issue("error", None, f"“{m.group(0)}”：模板的“增/减”两种写法都留在句中，未按数字选定",
                         actual=float(m.group("num").replace(",", "")), evidence=text[lo:hi].strip(),
                         char_start=m.start(), char_end=m.end()))
    for m in _OPEN_COMPARE.finditer(text):
        lo = text.rfind("\n", 0, m.start()) + 1
        hi = text.find("\n", m.end())
        para = text[lo: hi if hi >= 0 else len(text)]
        rate = _RATE_NEAR.search(para)
        said = f"，而同段印“{rate.group(0)}”" if rate else ""
        out.append(issue("error", None, f"“{m.group(0)}”：模板的两种说法都留在句中{said}", evidence=para.strip()[:300],
                         char_start=m.start(), char_end=m.end()))
    return out


def _sentence_span(text: str, pos: int) -> tuple[int, int]:
    lo = last_mark(text, "。；;\n", pos) + 1
    end = next_mark(text, "。；;\n", pos)
    return lo, (end + 1 if end >= 0 else len(text))


# a total and the parts it holds (a part's prior-year figure cannot exceed the total's prior-year figure)
_TOTAL_PARTS = {
    "收支总计": ("收入合计", "支出合计", "基本支出", "项目支出"),
    "财政拨款收入支出总计": ("一般公共预算财政拨款支出", "政府性基金预算财政拨款支出", "国有资本经营预算财政拨款支出",
                     "一般公共预算财政拨款收入", "财政拨款收入"),
}
_SAME_TOTAL = {"收支总计": ("收支总计", "收入总计", "支出总计"),
               "财政拨款收入支出总计": ("财政拨款收入支出总计", "财政拨款收入总计", "财政拨款支出总计")}


@rule("flat_wording", "a total said to be 持平 with the prior year while one of its parts was larger the year before "
      "than the whole is now (财政拨款收入支出总计持平, yet 一般公共预算财政拨款支出 2940.05 fell by 63.14 from 3003.19, above "
      "the 总计 2961.68)", ["summary"],
      tolerance="the half-units of the part, its change and the total; 基本持平 is a judgement and is left alone")
def _flat_wording(ctx: Context):
    from ..extract.names import summary_items
    from .core import _has, amount_slack, _half, fmt

    text = ctx.text or ""
    out = []
    rows = [r for r in ctx.rows("summary") if _has(r) and ctx.binding(r).certain]
    for m in re.finditer(r"持平", text):
        if text[max(0, m.start() - 2):m.start()] == "基本":
            continue
        head = re.split(r"[，,。；;：:\n]", text[max(0, m.start() - 40):m.start()])[-1]
        head = re.sub(r"^(?:与|比|较)?\s*(?:上年|(?:19|20)\d\d\s*年度?)?(?:相比)?", "", head)
        items = summary_items(re.sub(r"(?:与上年|与(?:19|20)\d\d年度?)$", "", head.strip()))
        if len(items) != 1 or items[0] not in _TOTAL_PARTS:
            continue
        total = next((r for r in rows if r.get("item") in _SAME_TOTAL[items[0]] and r.get("source_kind") == "table"),
                     None)
        if total is None:
            continue
        for part in (r for r in rows if r.get("item") in _TOTAL_PARTS[items[0]] and _has(r, "change_wan")):
            prior = float(part["amount_wan"]) - float(part["change_wan"])
            tol = amount_slack(part) + _half(part["change_wan"]) + amount_slack(total)
            if prior - float(total["amount_wan"]) <= tol + 1e-9:
                continue
            lo = text.rfind("\n", 0, m.start()) + 1
            msg = (f"说“{head.strip()}持平”，但{part['item']} {fmt(part['amount_wan'], part)} 比上年变动 "
                   f"{float(part['change_wan']):+.2f}万元，上年为 {prior:.2f}万元，已超过{items[0]}本年的 "
                   f"{fmt(total['amount_wan'], total)}：两年的总计不可能相等")
            out.append(issue("error", "summary", msg, expected=float(total["amount_wan"]),
                             actual=float(part["change_wan"]), evidence=text[lo:m.end() + 1].strip(),
                             char_start=m.start(), char_end=m.end()))
            break
    return out
