"""three_public: 三公经费 lines (因公出国（境）费, 公务接待费, 公务用车购置及运行维护费 and its parts, total).

The line is named by the label before the figure or, when that is generic (``2023年度决算数0万元``), by the
title of the numbered paragraph it stands in (``1.因公出国（境）费用。``).

A narrower line keeps its qualifier and names its parent: ``人均因公出国（境）费用0元``,
``科研类因公出国（境）费0元`` (parent 因公出国（境）费), ``车均运行维护费0.62万元`` (parent
公务用车运行维护费).

Counts are named by what they count, which the words before them often leave to the context:
``…出国（境）团组0个，累计0人次`` (因公出国（境）团组, 因公出国（境）人次), ``其中:科研类因公出国（境）费0元，
团组数0个`` (科研类因公出国（境）团组), ``国内公务接待0批次，公务接待0人次。国（境）外公务接待0批次，公务接待0人次``
(国内公务接待批次/人次, then 国（境）外公务接待批次/人次), ``年末公务用车保有量38辆``.
"""

from __future__ import annotations

import dataclasses
import re

from .context import Context
from .grammar import Mention
from .labels import plausible
from .names import GENERIC_LABELS, squash, three_public_item
from .rows import pct, provenance, wan

_PARENT = {"公务用车购置费": "公务用车购置及运行维护费", "公务用车运行维护费": "公务用车购置及运行维护费",
           "国内公务接待费": "公务接待费", "外宾接待费": "公务接待费"}
# a note in brackets is no part of the name: "公务用车（含执勤执法用车）运行支出"
_NOTE = re.compile(r"[（(](?:含|不含|包括|包含|其中)[^（）()]*[）)]")
# a qualifier that narrows a line: per head, per vehicle, a kind of trip
_NARROWER = re.compile(r"(?P<q>人均|车均|单车|每车|[\u4e00-\u9fff]{2}类)(?P<name>[^，,；;。]*)$")
_PER_UNIT_PARENT = {"车均": "公务用车运行维护费", "单车": "公务用车运行维护费", "每车": "公务用车运行维护费"}
_TRIP_QUALIFIER = re.compile(r"([\u4e00-\u9fff]{2}类)因公出国[（(]境[）)]")
_OTHER_TRIPS = re.compile(r"([\u4e00-\u9fff]{2,12}的)(?:因公)?出国")
_RECEPTION_QUALIFIER = re.compile(r"(国内|国[（(]境[）)]外|外宾|外事)(?:公务)?接待")
_TOPIC = (("出国", "因公出国（境）"), ("团组", "因公出国（境）"), ("接待", "公务接待"), ("用车", "公务用车"),
          ("车辆", "公务用车"), ("保有", "公务用车"))


class ThreeState:
    """What the counts of a sentence speak of: the 三公 line last named, and its qualifier."""

    def __init__(self):
        self.sentence: tuple[int, int] | None = None
        self.topic: str | None = None
        self.trip: str = ""       # 科研类 / 统战类
        self.reception: str = ""  # 国内 / 国（境）外
        self.fleet = False        # after "保有量…辆，其中": the kinds of vehicle held
        self.budget_list = False  # in a 决算, the sentence states the budget: "“三公”经费预算为20万元,其中:…"

    def at(self, m: Mention, ctx: Context):
        if m.sentence != self.sentence:
            self.sentence, self.trip, self.reception, self.fleet = m.sentence, "", "", False
            self.budget_list = False
            if ctx.titles:
                self.hear(squash(ctx.titles[-1]))  # "1.因公出国（境）费用。": what the paragraph is about

    def hear(self, text: str):
        """Update the context from the words before a figure."""
        for key, topic in _TOPIC:
            if key in text:
                self.topic = topic
        t = _TRIP_QUALIFIER.search(text)
        o = _OTHER_TRIPS.search(text)
        if t:
            self.trip = t.group(1)
        elif o and not re.search(r"财政|预算|拨款|安排", o.group(1)):
            self.trip = o.group(1)  # "参加其他单位组织的出国（境）团组": not the unit's own trips
        elif "出国" in text:
            self.trip = ""
        r = _RECEPTION_QUALIFIER.search(text)
        if r:
            self.reception = "国（境）外" if r.group(1).startswith("国") and "外" in r.group(1) else r.group(1)


def _name_of(label: str) -> str:
    return _NOTE.sub("", label)


def _count_item(m: Mention, ctx: Context, label: str, state: ThreeState) -> tuple[str | None, str | None]:
    """(item, parent_item) of a count, or (None, None) when it names nothing of 三公."""
    unit = m.amount.unit or ""
    state.hear(label)
    topic = state.topic
    if topic == "因公出国（境）":
        if unit == "个":
            what = "团组"
        elif unit in ("人次", "人"):
            what = "人次"
        else:
            return None, None
        return f"{state.trip}因公出国（境）{what}", "因公出国（境）费"
    if topic == "公务接待":
        what = "批次" if unit in ("批次", "批", "次", "批(次)", "批（次）") else "人次" if unit in ("人次", "人") else None
        if what is None:
            return None, None
        reception = state.reception
        text = getattr(ctx, "text", None)
        if text is not None and m.sentence:
            # a qualifier inside a closed bracket speaks of the bracket only: "国内公务接待共139批次(其中外事接待
            # 0批次),1205人次" -- the 1205 are 国内 again
            pre = re.sub(r"[（(]境[）)]", "境", text[m.sentence[0]:m.amount.start])   # "国（境）外" is no bracket
            prev = None
            while prev != pre:
                prev, pre = pre, re.sub(r"[（(][^（）()]*[）)]", "", pre)
            pre = pre.replace("国境外", "国（境）外")
            found = list(_RECEPTION_QUALIFIER.finditer(pre))
            if found:
                g = found[-1].group(1)
                reception = "国（境）外" if g.startswith("国") and "外" in g else g
            elif _RECEPTION_QUALIFIER.search(text[m.sentence[0]:m.amount.start]):
                reception = ""
        return f"{reception}公务接待{what}", "公务接待费"
    if topic == "公务用车" and unit == "辆":
        if state.fleet and plausible(label) and not re.search(r"保有|购置|购买|更新|新增", label):
            return label, "公务用车保有量"  # "…保有量38辆，其中：公务用车4辆，执勤执法用车34辆"
        if re.search(r"保有|实有|现有|拥有", label):
            state.fleet = True
            return "公务用车保有量", "公务用车购置及运行维护费"
        if re.search(r"购置|购买|更新|新增", label):
            return "公务用车购置数", "公务用车购置费"
    return None, None


def budget_line(m: Mention, ctx: Context) -> Mention | None:
    """In a 预算 a line's figure is its budget: "公务接待费预算124000.00元,较2017年决算一致" (the 决算 after it is
    the prior year's, not this line's outcome) leaves the mention with a budget and no amount; as a 预算's
    line, that budget is its amount. None where that is not so."""
    if getattr(ctx, "budget", False) and m.amount is None and m.budget is not None and m.budget.kind == "amount" \
            and three_public_item(_name_of(squash(m.label))):
        text = getattr(ctx, "text", None) or ""
        end = m.sentence[1] if m.sentence else len(text)
        if _OUTCOME_AFTER.search(text, m.budget.end, max(m.budget.end, end)):
            return None  # "…预算数1546.24万元,决算数1502.58万元": the outcome follows, the budget is its budget
        return dataclasses.replace(m, amount=m.budget, budget=None, budget_kind=None)
    return None


# the head of a sentence that states a 决算's budget: "“三公”经费预算为…", "三公经费年初预算数…" (not "预算执行…")
_BUDGET_HEAD = re.compile(r"(?:年初|全年|调整)?预算(?:数|安排)?$")
_OUTCOME_WORD = re.compile(r"决算|实际|支出(?:数|额)?$|执行")
# an outcome figure stated after a budget ("决算数1502.58万元", "支出决算为…"); "较2017年决算一致" is a comparison
_OUTCOME_AFTER = re.compile(r"决算(?:数|为|是|支出|金额)|实际(?:支出|发生)")


def from_mention(m: Mention, ctx: Context, state: ThreeState | None = None) -> list[dict]:
    if m.amount is None:
        m = budget_line(m, ctx) or m
    if m.amount is None:
        return []
    state = state or ThreeState()
    state.at(m, ctx)
    label = squash(m.label)
    name = _name_of(label)
    if m.amount.kind == "count":
        if m.amount.direction:
            return []  # "较上年减少119批次": a change in a count, not a count
        item, parent = _count_item(m, ctx, name, state)
        if item is None:
            return []
        return [{"item": item, "parent_item": parent,
                 "count": int(m.amount.value) if m.amount.value is not None else None,
                 "count_unit": m.amount.unit, **provenance(ctx, m)}]
    state.hear(name)
    # in a 决算, "2021年我镇“三公”经费预算为20万元,其中:因公出国(境)费0万元,公务接待费9万元…" with no outcome
    # after it states the budget, line by line: budgets, not the year's spending
    as_budget = False
    if not getattr(ctx, "budget", False) and m.budget is None and m.amount.kind == "amount" \
            and not m.amount.direction:
        if _BUDGET_HEAD.search(label):
            state.budget_list = True
            as_budget = True
        elif state.budget_list and not _OUTCOME_WORD.search(label):
            text = getattr(ctx, "text", None)
            as_budget = text is not None and "其中" in text[m.sentence[0]:m.amount.start]
    item = three_public_item(name)
    parent = None
    narrow = _NARROWER.search(name)
    if narrow and (item or narrow.group("q") in _PER_UNIT_PARENT):
        # "人均因公出国（境）费用", "科研类因公出国（境）费", "车均运行维护费": a narrower line of its own
        q, rest = narrow.group("q"), narrow.group("name")
        base = three_public_item(rest)
        parent = base or _PER_UNIT_PARENT.get(q)
        if parent is None:
            return []
        item = q + (base if base and base != "合计" else rest)
    elif item is None and (label in GENERIC_LABELS or label.endswith("决算数")):
        item = three_public_item(ctx.titles[-1] if ctx.titles else "")
    if m.amount.kind != "amount" or item is None:
        return []
    if as_budget:
        if m.share or m.change or m.change_pct or m.prior:
            return []         # a budget line with figures of its own: not this grammar's
        return [{"item": item, "parent_item": parent or _PARENT.get(item, None if item == "合计" else "合计"),
                 "amount_wan": None, "budget_wan": wan(m.amount), **provenance(ctx, m)}]
    return [{
        "item": item,
        "parent_item": parent or _PARENT.get(item, None if item == "合计" else "合计"),
        "amount_wan": wan(m.amount),
        "share_pct": pct(m.share),
        "budget_wan": wan(m.budget),
        "prior_year_wan": wan(m.prior),
        "change_wan": 0.0 if m.flat and m.change is None else wan(m.change),
        "change_pct": pct(m.change_pct),
        **provenance(ctx, m),
    }]
