"""The standard tables by title: the national 部门决算 template and its 部门预算 counterparts.

Titles are printed with many decorations -- a year, the unit's name, ``部门``/``单位``, an ordinal
(``一、``, ``公开01表：``, ``表六``), a bracketed note (``（经济科目）``), straight or curly quotes -- around a
core that names the table. :func:`classify` strips the decorations and matches the core, longest first
(``一般公共预算财政拨款支出决算表`` before ``支出决算表``).

>>> classify("一般公共预算财政拨款支出决算表")
('gpb', '决算')
>>> classify("2025年部门一般公共预算支出功能分类预算表")
('gpb', '预算')
>>> classify("公开06表：财政拨款基本支出预算表（经济科目）")
('fiscal_basic', '预算')
>>> classify("七、2018年度江苏省高级人民法院一般公共预算支出预算表")
('gpb', '预算')
>>> classify("十、关于政府采购支出说明") is None
True
"""

from __future__ import annotations

import re

__all__ = ["classify", "TITLES"]

# (core of the title, kind, document kind); matched as a suffix, longest core first
TITLES: list[tuple[str, str, str]] = [
    # 决算
    ("财政拨款收入支出决算总表", "fiscal_total", "决算"),
    ("收入支出决算总表", "total", "决算"),
    ("一般公共预算财政拨款基本支出决算明细表", "gpb_basic", "决算"),
    ("一般公共预算财政拨款基本支出决算表", "gpb_basic", "决算"),
    ("一般公共预算财政拨款支出决算表", "gpb", "决算"),
    ("一般公共预算财政拨款三公经费支出决算表", "three", "决算"),
    ("财政拨款三公经费支出决算表", "three", "决算"),
    ("三公经费支出决算表", "three", "决算"),
    ("政府性基金预算财政拨款收入支出决算表", "govfund", "决算"),
    ("国有资本经营预算财政拨款收入支出决算表", "soe", "决算"),
    ("政府性基金预算财政拨款支出决算表", "govfund_exp", "决算"),
    ("国有资本经营预算财政拨款支出决算表", "soe_exp", "决算"),
    ("收入决算表", "income", "决算"),
    ("支出决算表", "expend", "决算"),
    # 预算
    ("财政拨款收支预算总表", "fiscal_total", "预算"),
    ("财政拨款收支总表", "fiscal_total", "预算"),
    ("财务收支预算总表", "total", "预算"),
    ("收支预算总表", "total", "预算"),
    ("收入预算总表", "income", "预算"),
    ("支出预算总表", "expend", "预算"),
    ("一般公共预算支出功能分类预算表", "gpb", "预算"),
    ("一般公共预算财政拨款支出预算表", "gpb", "预算"),
    ("一般公共预算支出预算表", "gpb", "预算"),
    ("一般公共预算基本支出部门预算经济分类预算表", "gpb_basic", "预算"),
    ("一般公共预算基本支出经济分类预算表", "gpb_basic", "预算"),
    ("一般公共预算财政拨款基本支出预算表", "gpb_basic", "预算"),
    ("一般公共预算基本支出预算表", "gpb_basic", "预算"),
    ("财政拨款基本支出预算表", "fiscal_basic", "预算"),
    ("财政拨款支出预算表", "fiscal_expend", "预算"),
    ("三公经费会议费培训费支出预算表", "three", "预算"),
    ("三公经费和机关运行经费预算表", "three", "预算"),
    ("三公经费支出预算表", "three", "预算"),
    ("三公经费预算表", "three", "预算"),
    ("三公经费预算情况表", "three", "预算"),
    ("三公经费支出预算情况表", "three", "预算"),
    ("政府性基金预算支出功能分类预算表", "govfund_exp", "预算"),
    ("政府性基金预算财政拨款支出预算表", "govfund_exp", "预算"),
    ("财政拨款政府性基金支出预算表", "govfund_exp", "预算"),
    ("政府性基金支出预算表", "govfund_exp", "预算"),
    ("国有资本经营预算支出功能分类预算表", "soe_exp", "预算"),
    ("国有资本经营预算财政拨款支出预算表", "soe_exp", "预算"),
    ("国有资本经营预算支出预算表", "soe_exp", "预算"),
]
TITLES.sort(key=lambda t: -len(t[0]))

_DECOR = re.compile(r"[\s\u3000“”\"'‘’「」、，,·]")
_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．]|附表\d*[:：]?"
                   r"|公开\d{1,2}表[:：]?|公开表[一二三四五六七八九十]+[:：]?|表[一二三四五六七八九十\d]+[:：]?)")
_TAIL = re.compile(r"(?:[（(][^（()）]{0,12}[）)]|单位[:：].*|[（(]?(?:公开|部门)?\d{1,2}表[）)]?)$")
# a generic core (收入决算表, 支出预算总表 …) must not be the tail of a longer title we do not read
_NOT_BEFORE_GENERIC = ("基本", "财政拨款", "一般公共预算", "经费", "收入", "政府性基金", "国有资本经营", "项目")
_GENERIC = {"total", "income", "expend"}


def _core(line: str) -> str:
    s = _DECOR.sub("", line)
    for _ in range(3):
        t = _TAIL.sub("", s)
        if t == s:
            break
        s = t
    return s


def classify(line: str, loose: bool = False) -> tuple[str, str] | None:
    """(kind, document kind) of a table title line, or None.

    ``loose`` accepts a long prefix before the core (a title glued to the end of the previous paragraph).
    """
    s = _core(line)
    if not s.endswith("表") or len(s) > 80:
        return None
    for core, kind, dk in TITLES:
        if not s.endswith(core):
            continue
        prefix = s[: -len(core)]
        prefix = _LEAD.sub("", prefix)
        if not loose and (len(prefix) > 40 or re.search(r"[。；：:]", prefix)):
            return None
        if kind in _GENERIC and prefix.endswith(_NOT_BEFORE_GENERIC):
            return None
        return kind, dk
    return None
