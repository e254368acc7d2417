"""What the extractors know about where a sentence stands: its section, the titles above it, the fund."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .names import squash


@dataclass
class Context:
    """A sentence in its place: section path, the titles of the sections above it, its own text."""

    text: str
    start: int
    end: int
    path: str | None
    titles: tuple[str, ...]  # outermost first
    government: bool = False  # a government's own accounts (预算执行情况, 决算草案的报告), not a unit's
    budget: bool = False  # the report is a 预算: its figures are budgets ("收入预算" is its 收入合计)
    cue: str | None = None  # "function" / "economic": the classification the text before says it lists

    @cached_property
    def heading_text(self) -> str:
        return squash("/".join(self.titles))

    def under(self, *words: str) -> bool:
        """True when one of the section titles above this sentence contains one of ``words``."""
        return any(w in self.heading_text for w in words)

    @cached_property
    def explicit_fund(self) -> str | None:
        """The fund a section title names (政府性基金 / 国有资本经营 / 一般公共预算), None when none does."""
        for title in reversed(self.titles):
            t = squash(title)
            for key, fund in (("政府性基金", "政府性基金预算"), ("国有资本经营", "国有资本经营预算"),
                              ("一般公共预算", "一般公共预算")):
                if key in t:
                    return fund
        return None

    @cached_property
    def fund(self) -> str | None:
        # the innermost title that names a fund decides
        for title in reversed(self.titles):
            t = squash(title)
            if "政府性基金" in t:
                return "政府性基金预算"
            if "国有资本经营" in t:
                return "国有资本经营预算"
            if "一般公共预算" in t:
                return "一般公共预算"
        # a 预算's "一、收支预算总表情况说明 … （二）支出预算总计17996.68万元。包括：1.公共安全（类）支出13656.34万元"
        # lists the classes of every source of money (the 收支预算总表; 其他资金 15万元 there), not of 一般公共预算
        # (13641.34 in its own table): all funds, as the 总表's rows are
        for title in reversed(self.titles):   # the innermost title saying either decides
            t = squash(title)
            if "财政拨款" in t:
                break
            if any(w in t for w in _ALL_FUNDS):
                return None
        return "一般公共预算"

    @cached_property     # asked by each extractor the sentence is offered to
    def topic(self) -> str | None:
        """The special section this sentence is in, if any (innermost wins). A heading that is a sentence
        ("1.“一般公共服务支出”科目12,789万元，主要用于…基本支出") names its topic before its first figure."""
        for title in reversed(self.titles):
            if _DEFINITION.match(squash(title)):
                continue   # a 名词解释 entry ("机关运行经费：指……") is about a word, not a section on that topic
            t = _HEAD_OF_TITLE.split(squash(title))[0]
            for key, topic in _TOPICS:
                if key in t:
                    return topic
        return None


_DEFINITION = re.compile(r"^[^，,。；;：:]{1,24}(?:[：:](?:是指|是|指)|是指)")
_HEAD_OF_TITLE = re.compile(r"[，,]|\d[\d,.]*(?:万元|亿元|元|%)")
# titles of a 预算's sections about all its money: 收支预算总表情况说明, 收支预算总体情况, 支出预算总计
_ALL_FUNDS = ("收支预算总", "支出预算总计")

_TOPICS = [
    ("民生", "民生支出"),
    ("三公", "三公经费"),
    ("机关运行经费", "机关运行经费"),
    ("政府采购", "政府采购"),
    ("政府购买服务", "政府购买服务"),
    ("国有资产", "资产"),
    ("资产管理", "资产"),
    ("资产占用", "资产"),
    ("资产占有", "资产"),
    ("绩效", "绩效"),
    ("基本支出", "基本支出"),
    ("名词解释", "名词解释"),
]
