"""asset_composition: 国有资产占用 and 资产管理 figures — totals, composition, fixed-asset breakdown, counts.

``流动资产507.07万元，较上年增长74.35%，占资产总额7.31%`` -> item 流动资产, share 7.31 of 资产总额, yoy +74.35.
``（其中，房屋4,190.59万元，占固定资产的67.83%）`` -> parent 房屋和构筑物 (the figure before the bracket).
A share printed without its base (``设备1,331.66万元，占21.55%``) takes the base last named in the paragraph.
"""

from __future__ import annotations

import re

from .context import Context
from .grammar import Mention, bracket_depth
from .names import squash
from .rows import pct, provenance, wan

_ASOF_RE = re.compile(r"(?:截至|截止|截止到|截至到)(\d{4})年(\d{1,2})月(\d{1,2})日")
_BASIS_RE = re.compile(r"(账面净值|账面余额|原值)")
_ITEM_CLEAN = re.compile(r"^(?:\d+[.、．])?(?:资产分布情况|资产构成情况|固定资产构成情况)?[。.]?")


class AssetState:
    def __init__(self):
        self.section = None
        self.as_of = None
        self.basis = None
        self.base = None
        self.last_outer = None  # the last item named outside brackets: parent of a bracketed "其中"
        self.last_count = None
        self.qizhong = None  # (parent item, sentence) after "其中"
        self.last_end = None

    def enter(self, ctx: Context):
        if ctx.path != self.section:
            self.section, self.base, self.last_outer = ctx.path, None, None
        m = _ASOF_RE.search(ctx.text, ctx.start, ctx.end)
        if m:
            self.as_of = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        b = _BASIS_RE.search(ctx.text, ctx.start, ctx.end)
        if b:
            self.basis = b.group(1)


def _item(label: str) -> str:
    s = squash(label)
    s = re.sub(r"^.*?(?:共有|现有|拥有|实有)", "", s)  # "…局部门（单位）共有车辆" -> 车辆
    s = _ITEM_CLEAN.sub("", s)
    s = re.sub(r"（[^）]*$", "", s)  # "资产总额（账面净值" -> "资产总额"
    s = re.sub(r"（账面净值[^）]*）|（原值[^）]*）", "", s)
    return s


def from_mention(m: Mention, ctx: Context, state: AssetState, para_start: int) -> list[dict]:
    state.enter(ctx)
    a = m.amount
    if a is None or a.kind not in ("amount", "count"):
        return []
    item = _item(m.label)
    if not item and a.kind == "amount" and state.last_count and state.last_count[1] == m.sentence:
        item = state.last_count[0]  # "汽车…1辆，15.13万元": the value of the vehicles just counted
    if not item:
        return []
    if a.kind == "count":
        state.last_count = (item, m.sentence)
    bracketed = bracket_depth(ctx.text, max(para_start, ctx.start - 400), m.label_start) > 0
    share_of = m.share_of
    if m.share is not None:
        if share_of:
            share_of = _item(share_of)
            state.base = share_of
        else:
            share_of = state.base
    parent = None
    since = ctx.text[state.last_end:m.label_start] if state.last_end is not None and state.last_end <= m.label_start else ""
    state.last_end = a.end
    if "其中" in since and state.last_outer and state.last_outer != item:
        state.qizhong = (state.last_outer, m.sentence)  # "共有车辆2辆，其中：一般公务用车1辆、…"
    if bracketed and state.last_outer:
        parent = state.last_outer
    elif state.qizhong and state.qizhong[1] == m.sentence:
        parent = state.qizhong[0]
    elif share_of and share_of != item:
        parent = share_of
    if not bracketed and not (state.qizhong and state.qizhong[1] == m.sentence):
        state.last_outer = item
    row = {
        "item": item,
        "parent_item": parent,
        "basis": state.basis if a.kind == "amount" else None,
        "as_of": state.as_of,
        "share_pct": pct(m.share),
        "share_of": share_of if m.share is not None else None,
        "yoy_pct": pct(m.change_pct),
        **provenance(ctx, m),
    }
    if a.kind == "amount":
        row["amount_wan"] = wan(a)
    else:
        row["count"] = int(a.value) if a.value is not None else None
        row["count_unit"] = a.unit
    return [row]
