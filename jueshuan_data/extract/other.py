"""other_figures: labelled figures of the other sections (机关运行经费, 政府采购, 政府购买服务, 绩效评价 …)."""

from __future__ import annotations

import re

from .context import Context
from .grammar import Mention
from .labels import plausible, strip_connective
from .names import GENERIC_LABELS, squash
from .rows import pct, provenance, wan


_PERFORMANCE_LABEL = re.compile(r"项目|评价|得分|金额|预算|支出|资金|指标|执行率")


def from_mention(m: Mention, ctx: Context, topic: str) -> list[dict]:
    a = m.amount
    if a is None:
        return []
    label = squash(m.label)
    if not label:  # a figure with no words before it names nothing: it stays in facts only
        return []
    # the narrative of a performance report is full of activity counts; keep the evaluation figures
    if topic == "绩效" and not _PERFORMANCE_LABEL.search(label):
        return []
    if topic == "三公经费" and a.kind != "amount":  # the scope sentence's "1个行政单位" is not a figure of 三公
        return []
    if label in GENERIC_LABELS:
        label = f"{topic}{label}"
    elif len(label) <= 4 and m.clause[0] > m.sentence[0]:
        # "在面向中小企业预留的…项目中，由中小企业供应商中标或成交的，采购金额225.10万元": the clauses before
        # a bare measure word say which figure it is (when they are words, not other figures)
        before = squash(re.sub(r"[，,：:；;]", "", ctx.text[m.sentence[0]:m.clause[0]]))
        if plausible(before + label):
            label = before + label
    label = strip_connective(label)
    if topic == "绩效":
        # "编报绩效目标的项目共25个，涉及项目预算资金11381.60万元": the funds the projects involve
        label = re.sub(r"^(?:共)?涉及", "", label)
    if not plausible(label):
        return []  # "根据…确定…经费成本", "具体包括一级指标": not a name; the figure stays in facts
    return [{
        "topic": topic,
        "item": label,
        "value": a.value,
        "unit": a.unit,
        "amount_wan": wan(a),
        "share_pct": pct(m.share),
        "change_wan": wan(m.change),
        "change_pct": pct(m.change_pct),
        **provenance(ctx, m),
    }]
