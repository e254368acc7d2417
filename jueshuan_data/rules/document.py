"""Document rules: a text cut off mid-sentence, a subject the catalogue does not know."""

from __future__ import annotations

import re

from ..numbers import cut_number_start
from .core import Context, issue, rule


_TERMINAL_END = set("。！？；;.!?）)”\"」』")
_SITE_FOOTER = re.compile(r"^\s*(?:版权所有|主办单位|主办[:：]|承办单位|承办[:：]|技术支持[:：]|联系电话|联系地址|地址[:：]|中文域名|网站标识码|"
                          r".{0,40}(?:ICP备|公网安备|网站标识码))")


def truncation(text: str | None) -> str | None:
    r"""Why a text looks cut off, or None: its last line is a sentence that never ends.

    >>> truncation("一、收入支出决算总体情况说明\n2024年度收入总计4461.77万元,支出总计4461")
    '文本在句中结束（…总计4461.77万元,支出总计4461）'
    >>> truncation("…占0%。") is None
    True
    >>> truncation("…保障各类市场主体平等参与政府采购活动。 |") is None
    True

    A closing notice naming the attachment (``附件：…部门预算公开表``, the tables printed as a separate file) is a
    whole line, not a sentence cut short.

    >>> truncation("…费用。\n附件：江苏省政协办公厅2019年度部门预算公开表") is None
    True

    A text that ends on a number (a table row included) may have been cut inside it: its last figure is
    unknown (see ``numbers.touches_end``), and the text is truncated as far as anyone can tell.

    >>> truncation("合计 2,940.05 2,336.91")
    '文本以数字结束（…合计 2,940.05 2,336.91）：末尾的数字可能被截断'

    A portal's footer is not the report's last sentence: the line before it is.

    >>> truncation("…增加了0.78个百分点。\n版权所有 某区管委会  网站标识码:4111900001\n联系电话: 0395-1 地址:某路") is None
    True
    """
    if not text or not text.strip():
        return None
    # a portal's footer after the report (版权所有 …, 联系电话 …, 地址 …, 备案号 …) is whole lines of the site, not
    # sentences of the report: the report ends on the line before it
    lines = text.rstrip().split("\n")
    while len(lines) > 1 and _SITE_FOOTER.search(lines[-1]):
        lines.pop()
    text = "\n".join(lines)
    last = text.rstrip().rsplit("\n", 1)[-1].strip()
    if not last:
        return None
    if last[-1] in _TERMINAL_END:
        return None
    if last.rstrip(" \t|｜")[-1:] in _TERMINAL_END:
        return None  # "…平等参与政府采购活动。 |": a page's stray cell separator after the last full stop
    if re.match(r"附[件表]\s*[\d一二三四五六七八九十]*\s*[:：]\s*\S", last) and not re.search(r"\d$", last):
        return None  # a closing "附件：<title>" line names the attachment; it is not a sentence
    # a table row has no sentence punctuation; the text is cut when it ends on one of its numbers
    if not re.search(r"[，。；、：:]|(?<!\d),|,(?!\d)", last):
        return f"文本以数字结束（…{last[-20:]}）：末尾的数字可能被截断" if cut_number_start(text) is not None else None
    return f"文本在句中结束（…{last[-20:]}）"


@rule("truncated_document", "the text stops in the middle of a sentence (a file cut short, an excerpt)", ["facts"],
      tolerance="none: the last line is a sentence without its end")
def _truncated_document(ctx: Context):
    why = truncation(ctx.text)
    if why is None:
        return []
    if getattr(ctx.document, "form", None) == "pdf" and why.startswith("文本以数字结束"):
        # a PDF is read whole or not at all (a cut file fails as damaged): one that ends on a table row ends
        # there, its last figure is whole (pages/427, 江苏省政协办公厅 2018 部门预算公开表: "…分散自行组织 8.00")
        return []
    end = len(ctx.text.rstrip())
    return [issue("error", None, f"{why}：报告不完整，末尾被截断的数字视为未知", evidence=ctx.text[max(0, end - 40):end],
                  char_start=end, char_end=end)]


@rule("unknown_subject", "a classification subject whose name matches nothing in the catalogue (code left null)",
      ["expenditure_by_function", "basic_expenditure_by_economic"], severity="warning",
      tolerance="none: a name is in the catalogue (exactly, as an alias or normalised) or it is not")
def _unknown_subject(ctx: Context):
    # the catalogue grows from evidence: every printed name that has no code is reported, once per name
    out, seen = [], set()
    for dataset, name_col in (("expenditure_by_function", "subject"), ("basic_expenditure_by_economic", "item")):
        for r in ctx.rows(dataset):
            if r.get("code") is not None or r.get("level") is None:
                continue
            if dataset == "basic_expenditure_by_economic" and r.get("item") in ("人员经费", "公用经费"):
                continue  # halves of 基本支出, not economic classes
            name = r.get("printed_name") or r.get(name_col)
            if (dataset, name) in seen:
                continue
            seen.add((dataset, name))
            out.append(issue("warning", dataset, f"“{name}”（{r.get('level')}）不在分类目录中，编码留空", at=r))
    return out


