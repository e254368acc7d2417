"""Asset rules: asset parts against their parent, and 资产 − 负债 = 净资产."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .core import (
    amount_slack, check_parts, Context, fmt, fmt_sum, grade, issue, norm, rule, _dedupe, _has, _label,
    _max_dec, _shares_cover,
)


# --------------------------------------------------------------------------------------------------------
# assets

_ASSET_TOTAL = ("资产总额", "资产总计", "总资产", "资产")
_LIAB_TOTAL = ("负债总额", "负债总计", "总负债", "负债")
_NET = ("净资产", "净资产总额", "净资产总计")


def _asset_family(item: Any) -> str:
    """Breakdowns of the same parent: by unit type (行政单位/事业单位国有资产) or by asset type."""
    return "by_unit" if "单位" in str(item or "") else "by_type"


def _asset_parent(ctx: Context, parent: Any, children: list[dict]) -> dict | None:
    """The row of item ``parent`` a breakdown refers to: same basis and date first, then same section, nearest."""
    key = norm(parent)
    cands = [r for r in ctx.rows("asset_composition") if norm(r.get("item")) == key and _has(r)]
    if not cands and key in _ASSET_TOTAL:
        cands = [r for r in ctx.rows("asset_composition") if norm(r.get("item")) in _ASSET_TOTAL and _has(r)]
    if not cands:
        return None
    c0 = children[0] if children else {}
    basis, as_of, sec = c0.get("basis"), str(c0.get("as_of")), c0.get("section")
    pos = c0.get("char_start") or 0

    def score(r):
        b = r.get("basis")
        if b is not None and basis is not None and b != basis:
            return None
        return (b != basis, str(r.get("as_of")) != as_of, r.get("section") != sec, abs((r.get("char_start") or 0) - pos))

    scored = [(score(r), r) for r in cands]
    scored = [(s, r) for s, r in scored if s is not None]
    return min(scored, key=lambda t: t[0])[1] if scored else None


@rule("asset_parts_vs_parent", "asset parts vs their parent (流动 + 固定 + 无形 + … vs 资产总额; 房屋和构筑物 + 设备 + … "
      "vs 固定资产): equal when the parts' shares cover 100 %, else not larger", ["asset_composition"],
      tolerance="Σ half-units of the parts + the parent's half-unit")
def _asset_parts_vs_parent(ctx: Context):
    out = []
    fam: dict[tuple, list[dict]] = defaultdict(list)
    rows = _dedupe([r for r in ctx.rows("asset_composition") if _has(r)],
                   lambda r: (r.get("item"), r.get("parent_item"), r.get("basis"), str(r.get("as_of"))))
    for r in rows:
        if r.get("parent_item") and norm(r.get("parent_item")) != norm(r.get("item")):
            fam[(r["parent_item"], r.get("basis"), str(r.get("as_of")), _asset_family(r.get("item")))].append(r)
    for (parent_item, *_), kids in fam.items():
        parent = _asset_parent(ctx, parent_item, kids)
        if parent is None:
            continue
        out += check_parts("asset_composition", parent, str(parent_item), [(_label(k), k) for k in kids],
                           _shares_cover(kids), f"{parent_item}的各组成部分")
    return out


@rule("net_assets", "资产总额 − 负债总额 vs 净资产", ["asset_composition"],
      tolerance="half-units of the three figures")
def _net_assets(ctx: Context):
    rows = ctx.rows("asset_composition")
    nets = [r for r in rows if norm(r.get("item")) in _NET and _has(r)]
    out = []
    for net in nets[:1]:
        assets = [r for r in rows if norm(r.get("item")) in _ASSET_TOTAL and _has(r)]
        liabs = [r for r in rows if norm(r.get("item")) in _LIAB_TOTAL and _has(r)]

        def near(cands):
            same = [r for r in cands if (r.get("basis") in (None, net.get("basis")) or net.get("basis") is None)
                    and str(r.get("as_of")) == str(net.get("as_of"))] or cands
            return min(same, key=lambda r: abs((r.get("char_start") or 0) - (net.get("char_start") or 0)), default=None)

        a, l = near(assets), near(liabs)
        if a is None or l is None:
            continue
        av, lv, nv = float(a["amount_wan"]), float(l["amount_wan"]), float(net["amount_wan"])
        tol = amount_slack(a) + amount_slack(l) + amount_slack(net)
        sev = grade((av - lv) - nv, tol)
        if sev:
            d = _max_dec([a, l, net])
            msg = (f"资产总额 {fmt(av, a)} − 负债总额 {fmt(lv, l)} = {fmt_sum(av - lv, d)} ≠ 净资产 {fmt(nv, net)}")
            out.append(issue(sev, "asset_composition", msg, expected=av - lv, actual=nv, at=net))
    return out


