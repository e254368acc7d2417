"""Cross-check rules (jueshuan_data.rules): one passing and one failing minimal case per rule.

Frames are built with ``schemas.conform`` from figures copied from the seed report
(seeds/tianqiao_2023.txt) or from the dev corpus (tests/corpus/putuo_*.txt); every expected number in an
assertion is a figure printed in that text, never one computed by the code under test.
"""

from __future__ import annotations

import importlib
import itertools
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jueshuan_data import lookup, schemas
from jueshuan_data.rules import RULES, run_rules

# ``jueshuan_data.rules`` as an attribute of the package is the RULES registry (jd.rules); the module:
rules = importlib.import_module("jueshuan_data.rules")

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "tianqiao_2023.txt").read_text(encoding="utf-8")
GPB = "一般公共预算"
KEYS = {"report_id": "0123456789abcdef", "entity": "北京市西城区人民政府天桥街道办事处", "fiscal_year": 2023,
        "source": "tianqiao_2023.txt"}

_pos = itertools.count(100_000, 50)


def _wan(literal: str) -> float:
    m = re.search(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", literal)
    v = float(m.group(0).replace(",", ""))
    return v / 10000 if literal.endswith("元") and not literal.endswith("万元") else v


def fig(clause: str, literal: str, section: str | None = None, **cols) -> dict:
    """A row read from the seed: ``clause`` verbatim from the seed, ``literal`` the amount printed in it."""
    i = SEED.index(clause)
    j = i + clause.index(literal)
    row = {"section": section, "evidence": clause, "char_start": j, "char_end": j + len(literal),
           "amount_text": literal, "source_kind": "narrative", **cols}
    row.setdefault("amount_wan", _wan(literal))
    return row


def syn(literal: str, label: str = "", source_kind: str = "narrative", section: str | None = None, **cols) -> dict:
    """A synthetic row (not anchored in the seed)."""
    p = next(_pos)
    row = {"section": section, "evidence": f"{label}{literal}", "char_start": p, "char_end": p + len(literal),
           "amount_text": literal, "source_kind": source_kind, **cols}
    row.setdefault("amount_wan", _wan(literal))
    return row


def T(**frames) -> dict:
    return {name: schemas.conform(name, [{**KEYS, **r} for r in rows]) for name, rows in frames.items()}


def run(tables: dict, rule: str, text: str | None = None) -> list[dict]:
    return run_rules(tables, text=text, rules=[rule])


# ---------------------------------------------------------------------------------------------- seed figures

LEI = [  # 四（一）: (subject, clause, literal, share)
    ("一般公共服务支出", "一般公共服务支出7830.05万元", "7830.05万元", 31.06),
    ("国防支出", "国防支出7.43万元，占本年财政拨款支出0.03%", "7.43万元", 0.03),
    ("公共安全支出", "公共安全支出88.04万元，占本年", "88.04万元", 0.35),
    ("教育支出", "教育支出56.33万元，占本年", "56.33万元", 0.22),
    ("科学技术支出", "科学技术支出130.11万元，占本年", "130.11万元", 0.52),
    ("文化旅游体育与传媒支出", "文化旅游体育与传媒支出205.88万元，占本年", "205.88万元", 0.82),
    ("社会保障和就业支出", "社会保障和就业支出7894.78万元，占本年", "7894.78万元", 31.32),
    ("卫生健康支出", "卫生健康支出887.71万元，占本年", "887.71万元", 3.52),
    ("节能环保支出", "节能环保支出75.93万元，占本年", "75.93万元", 0.30),
    ("城乡社区支出", "城乡社区支出7526.16万元，占本年", "7526.16万元", 29.86),
    ("住房保障支出", "住房保障支出503.96万元，占本年", "503.96万元", 2.00),
]
SEC41 = "第一部分/四/（一）"


def lei_rows(shares: bool = True) -> list[dict]:
    return [fig(c, lit, SEC41, fund=GPB, level="类", subject=s, printed_name=s, code=_code(s),
                share_pct=sh if shares else None) for s, c, lit, sh in LEI]


def gpb_total() -> dict:
    return fig("2023年度一般公共预算财政拨款支出25206.39万元", "25206.39万元", SEC41, item="一般公共预算财政拨款支出",
               fund=GPB)


def _code(name: str) -> str | None:
    """The code the extractor gives a printed name (the catalogue's): the hierarchy rules sum only rows whose
    level is certain, and a narrative row is certain through its code."""
    m = lookup(name, year=2023)
    return m.code if m is not None else None


def kuan(subject: str, clause: str, literal: str, parent: str, section: str = "第一部分/四/（二）/6") -> dict:
    return fig(clause, literal, section, fund=GPB, level="款", subject=subject, printed_name=subject,
               parent_subject=parent, code=_code(subject), parent_code=_code(parent))


def lei(subject: str, clause: str, literal: str, section: str = "第一部分/四/（二）/6") -> dict:
    return fig(clause, literal, section, fund=GPB, level="类", subject=subject, printed_name=clause[:clause.index(literal)],
               code=_code(subject))


CITY_LEI = ("城乡社区支出", "6.城乡社区事务支出7526.16万元", "7526.16万元")
CITY_KUAN = [
    ("城乡社区管理事务支出", "城乡社区管理事务支出7789.40万元", "7789.40万元"),
    ("城乡社区规划与管理支出", "城乡社区规划与管理支出1016.63万元", "1016.63万元"),
    ("城乡社区环境卫生支出", "城乡社区环境卫生支出4362.02万元", "4362.02万元"),
    ("其他城乡社区事务支出", "其他城乡社区事务支出958.11万元", "958.11万元"),
]


def city(kuans=CITY_KUAN) -> dict:
    return T(expenditure_by_function=[lei(*CITY_LEI)] + [kuan(s, c, lit, "城乡社区支出") for s, c, lit in kuans])


SOCIAL_KUAN = [  # 四（二）4: 12 款 of 社会保障和就业支出 7894.78 (they add to 7894.76)
    ("民政管理事务支出", "民政管理事务支出3764.97万元", "3764.97万元"),
    ("行政事业单位养老支出", "行政事业单位养老支出769.83万元", "769.83万元"),
    ("就业补助", "就业补助239.14万元", "239.14万元"),
    ("抚恤支出", "抚恤支出286.17万元", "286.17万元"),
    ("退役安置支出", "退役安置支出158.61万元", "158.61万元"),
    ("社会福利支出", "社会福利支出148.93万元", "148.93万元"),
    ("残疾人事业支出", "残疾人事业支出307.46万元", "307.46万元"),
    ("最低生活保障支出", "最低生活保障支出1812.16万元", "1812.16万元"),
    ("临时救助支出", "临时救助支出100.44万元", "100.44万元"),
    ("特困人员救助供养支出", "特困人员救助供养支出3.32万元", "3.32万元"),
    ("其他生活救助支出", "其他生活救助支出12.23万元", "12.23万元"),
    ("其他社会保障和就业支出", "其他社会保障和就业支出291.50万元", "291.50万元"),
]


# ---------------------------------------------------------------------------------------------- registry


def test_registry_has_every_rule_of_the_issue():
    wanted = {"lei_sum_vs_fund_total", "kuan_sum_vs_lei", "subject_exceeds_parent", "basic_project_vs_total",
              "income_expenditure_balance", "shares_sum_100", "share_vs_amount", "change_vs_prior",
              "asset_parts_vs_parent", "net_assets", "procurement_parts_vs_total", "duplicate_conflict",
              "same_name_conflict", "unit_outlier", "excess_decimals"}
    assert wanted <= set(RULES)
    for r in RULES.values():
        assert r.id and r.description and r.datasets and r.tolerance and callable(r.func)
        assert r.severity in ("error", "warning", "info")
        assert set(r.datasets) <= set(schemas.DATASETS)


def test_issue_rows_have_the_contract_keys():
    rows = run_rules(city())
    assert rows
    for row in rows:
        assert set(row) == {"rule", "severity", "dataset", "message", "expected", "actual", "evidence", "section",
                            "char_start", "char_end"}
    frame = schemas.conform("issues", [{**KEYS, **r} for r in rows])
    schemas.MODELS["issues"].validate(frame)


def test_a_crashing_rule_is_a_warning_not_an_exception(monkeypatch):
    def boom(ctx):
        raise RuntimeError("kaput")

    monkeypatch.setitem(RULES, "boom", rules.Rule("boom", "d", ("summary",), "error", "t", boom))
    rows = run_rules({}, rules=["boom"])
    assert [(r["rule"], r["severity"]) for r in rows] == [("boom", "warning")]
    assert "kaput" in rows[0]["message"]


def test_empty_tables_give_no_finding():
    assert run_rules({}) == []
    assert run_rules({name: schemas.empty_frame(name) for name in schemas.DATASETS}) == []


# ---------------------------------------------------------------------------------------------- tolerance


def test_tolerance_comes_from_the_printed_literal():
    assert rules.tolerance_of("7830.05万元") == 0.005
    assert rules.tolerance_of("6.5万元") == 0.05
    assert rules.tolerance_of("6,934.46万元") == 0.005
    assert rules.tolerance_of("172.601822万元") == pytest.approx(5e-7)
    assert rules.tolerance_of("2.05元") == pytest.approx(5e-7)   # half a fen, in 万元
    assert rules.tolerance_of("190000元") == pytest.approx(5e-5)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=25))
def test_honest_rounding_is_never_a_finding(cents_x1000):
    """Parts and total each rounded to two decimals from exact values: no sum finding, whatever n."""
    true = [c / 100000 for c in cents_x1000]                      # exact values in 万元, 5 decimals
    parts = [round(v, 2) for v in true]
    total = round(sum(true), 2)
    kids = [syn(f"{p:.2f}万元", fund=GPB, level="款", subject=f"款{i}", printed_name=f"款{i}", parent_subject="类甲",
                source_kind="table") for i, p in enumerate(parts)]
    parent = syn(f"{total:.2f}万元", fund=GPB, level="类", subject="类甲", printed_name="类甲", source_kind="table")
    assert run(T(expenditure_by_function=[parent, *kids]), "kuan_sum_vs_lei") == []


# ---------------------------------------------------------------------------------------------- 类 vs fund total


def test_lei_sum_25206_38_vs_printed_25206_39_is_not_a_finding():
    tables = T(expenditure_by_function=lei_rows(), summary=[gpb_total()])
    assert run(tables, "lei_sum_vs_fund_total") == []
    assert run(tables, "shares_sum_100") == []
    assert run(tables, "share_vs_amount") == []


def test_lei_sum_short_of_the_total_is_an_error_when_the_list_is_whole():
    rows = lei_rows()
    rows = [r for r in rows if r["subject"] != "住房保障支出"] + [
        fig("住房保障支出503.96万元，占本年", "503.96万元", SEC41, fund=GPB, level="类", subject="住房保障支出",
            printed_name="住房保障支出", share_pct=2.00, amount_wan=50.39)]  # a digit dropped: 50.39
    found = run(T(expenditure_by_function=rows, summary=[gpb_total()]), "lei_sum_vs_fund_total")
    assert [f["severity"] for f in found] == ["error"]
    assert found[0]["expected"] == 25206.39 and "25206.39" in found[0]["message"]


def test_lei_list_without_shares_may_fall_short_but_not_exceed():
    short = [r for r in lei_rows(shares=False) if r["subject"] != "城乡社区支出"]
    assert run(T(expenditure_by_function=short, summary=[gpb_total()]), "lei_sum_vs_fund_total") == []
    over = T(expenditure_by_function=lei_rows(shares=False), summary=[
        fig("一般公共服务支出7830.05万元", "7830.05万元", SEC41, item="一般公共预算财政拨款支出", fund=GPB)])
    found = run(over, "lei_sum_vs_fund_total")
    assert [f["severity"] for f in found] == ["error"] and "7830.05" in found[0]["message"]


# ---------------------------------------------------------------------------------------------- 款 vs 类


def test_city_community_kuan_sum_is_an_error_naming_both_figures():
    found = run(city(), "kuan_sum_vs_lei")
    assert len(found) == 1
    f = found[0]
    assert f["severity"] == "error"
    assert "7789.40" in f["message"] and "7526.16" in f["message"]
    assert f["expected"] == 7526.16
    assert f["section"] == "第一部分/四/（二）/6"
    assert SEED[f["char_start"]:f["char_end"]] == "7526.16万元"


def test_city_community_kuan_exceeding_its_lei_is_an_error():
    found = run(city(), "subject_exceeds_parent")
    assert len(found) == 1
    f = found[0]
    assert f["severity"] == "error"
    assert "7789.40" in f["message"] and "7526.16" in f["message"]
    assert (f["expected"], f["actual"]) == (7526.16, 7789.40)
    assert SEED[f["char_start"]:f["char_end"]] == "7789.40万元"


def test_kuan_not_exceeding_its_lei_is_not_a_finding():
    tables = city(kuans=CITY_KUAN[1:2])                    # 城乡社区规划与管理支出 1016.63 only
    assert run(tables, "subject_exceeds_parent") == []
    assert run(tables, "kuan_sum_vs_lei") == []            # a partial list may fall short


def test_social_security_kuan_sum_within_rounding_is_not_a_finding():
    """12 款 print 7894.76 against the 类's 7894.78: inside 12 × 0.005 + 0.005."""
    rows = [lei("社会保障和就业支出", "4.社会保障和就业支出7894.78万元", "7894.78万元", "第一部分/四/（二）/4")]
    rows += [kuan(s, c, lit, "社会保障和就业支出", "第一部分/四/（二）/4") for s, c, lit in SOCIAL_KUAN]
    assert run(T(expenditure_by_function=rows), "kuan_sum_vs_lei") == []


def test_whole_kuan_list_short_of_its_lei_is_an_error():
    """卫生健康支出 887.71 with its catch-all 其他卫生健康支出 printed but 医疗救助 (176.20) left out."""
    sec = "第一部分/四/（二）/5"
    rows = [lei("卫生健康支出", "5.卫生健康支出887.71万元", "887.71万元", sec)]
    rows += [kuan(s, c, lit, "卫生健康支出", sec) for s, c, lit in [
        ("计划生育事务支出", "计划生育事务支出69.09万元", "69.09万元"),
        ("行政事业单位医疗支出", "行政事业单位医疗支出528.08万元", "528.08万元"),
        ("优抚对象医疗支出", "优抚对象医疗支出2.033万元", "2.033万元"),
        ("其他卫生健康支出", "其他卫生健康支出112.30万元", "112.30万元")]]
    found = run(T(expenditure_by_function=rows), "kuan_sum_vs_lei")
    assert [f["severity"] for f in found] == ["error"] and "887.71" in found[0]["message"]
    rows.append(kuan("医疗救助支出", "医疗救助支出176.20万元", "176.20万元", "卫生健康支出", sec))
    assert run(T(expenditure_by_function=rows), "kuan_sum_vs_lei") == []   # 887.703 vs 887.71


# ---------------------------------------------------------------------------------------------- 项 vs 款


def _lottery(extra=()):
    sec = "第一部分/五/（一）"
    c = "用于“其他支出”（类）彩票公益金安排的支出（款）用于社会福利的彩票公益金支出（项）3.09万元"
    k = fig(c, "3.09万元", sec, fund="政府性基金预算", level="款", subject="彩票公益金安排的支出",
            printed_name="彩票公益金安排的支出", source_kind="table")
    x = fig(c, "3.09万元", sec, fund="政府性基金预算", level="项", subject="用于社会福利的彩票公益金支出",
            printed_name="用于社会福利的彩票公益金支出", parent_subject="彩票公益金安排的支出", source_kind="table")
    return T(expenditure_by_function=[k, x, *extra])


def test_xiang_sum_equal_to_its_kuan_is_not_a_finding():
    assert run(_lottery(), "xiang_sum_vs_kuan") == []


def test_xiang_sum_above_its_kuan_is_an_error():
    extra = syn("0.75万元", fund="政府性基金预算", level="项", subject="用于体育事业的彩票公益金支出",
                printed_name="用于体育事业的彩票公益金支出", parent_subject="彩票公益金安排的支出", source_kind="table")
    found = run(_lottery([extra]), "xiang_sum_vs_kuan")
    assert [f["severity"] for f in found] == ["error"] and "3.09" in found[0]["message"]


# ---------------------------------------------------------------------------------------------- summary identities

SEC22 = "第一部分/二/（二）"


def expense_rows(basic_literal="6755.26万元", basic_clause="基本支出6755.26万元，占支出合计的26.78%",
                 project_share=73.21):
    return [
        fig("2023年度本年支出合计25224.15万元", "25224.15万元", SEC22, item="支出合计"),
        fig(basic_clause, basic_literal, SEC22, item="基本支出", share_pct=26.78, share_of="支出合计"),
        fig("项目支出18468.89万元，占支出合计的73.21%", "18468.89万元", SEC22, item="项目支出",
            share_pct=project_share, share_of="支出合计"),
        fig("上缴上级支出0万元，占支出合计的0%", "0万元", SEC22, item="上缴上级支出", share_pct=0.0, share_of="支出合计"),
        fig("经营支出0万元，占支出合计的0%", "0万元", SEC22, item="经营支出", share_pct=0.0, share_of="支出合计"),
        fig("对附属单位补助支出0万元，占支出合计的0%", "0万元", SEC22, item="对附属单位补助支出", share_pct=0.0,
            share_of="支出合计"),
    ]


def test_basic_plus_project_equal_to_total_is_not_a_finding():
    assert run(T(summary=expense_rows()), "basic_project_vs_total") == []


def test_basic_plus_project_off_the_total_is_an_error():
    rows = expense_rows(basic_literal="6775.41万元", basic_clause="基本支出预算数6775.41万元")
    found = run(T(summary=rows), "basic_project_vs_total")
    assert [f["severity"] for f in found] == ["error"]
    assert found[0]["expected"] == 25224.15 and "6775.41" in found[0]["message"]


def test_table_row_basic_plus_project_vs_total():
    # putuo_guihuaziyuan_2024: "2120101 行政运行 1092.80 1084.02 8.77" (0.01 off: rounding, no finding)
    ok = syn("1092.80", fund=GPB, level="项", subject="行政运行", printed_name="行政运行", basic_wan=1084.02,
             project_wan=8.77, source_kind="table")
    assert run(T(expenditure_by_function=[ok]), "basic_project_vs_total") == []
    # "212 城乡社区支出 3845.24 1585.59 2259.65" read against the 3832.36 of the other table
    bad = syn("3832.36", fund=GPB, level="类", subject="城乡社区支出", printed_name="城乡社区支出", basic_wan=1585.59,
              project_wan=2259.65, source_kind="table")
    found = run(T(expenditure_by_function=[bad]), "basic_project_vs_total")
    assert [f["severity"] for f in found] == ["error"] and found[0]["expected"] == 3832.36


SEC21 = "第一部分/二/（一）"


def income_rows(other="0万元", other_clause="其他收入0万元"):
    rows = [fig("本年收入合计25224.15万元", "25224.15万元", SEC21, item="收入合计"),
            fig("财政拨款收入25224.15万元", "25224.15万元", SEC21, item="财政拨款收入", share_pct=100.0,
                share_of="收入合计")]
    for item in ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入"):
        rows.append(fig(f"{item}0万元", "0万元", SEC21, item=item, share_pct=0.0, share_of="收入合计"))
    rows.append(fig(other_clause, other, SEC21, item="其他收入", share_pct=0.0, share_of="收入合计"))
    return rows


def test_income_parts_equal_to_income_total_is_not_a_finding():
    assert run(T(summary=income_rows()), "income_parts_vs_total") == []
    assert run(T(summary=income_rows()), "shares_sum_100") == []


def test_income_parts_above_income_total_is_an_error():
    rows = income_rows(other="976.21万元", other_clause="比上年减少976.21万元")
    found = run(T(summary=rows), "income_parts_vs_total")
    assert [f["severity"] for f in found] == ["error"] and found[0]["expected"] == 25224.15


def test_income_expenditure_balance_holds_on_the_seed_totals():
    rows = [fig("2023年度收、支总计25224.15万元", "25224.15万元", "第一部分/二", item="收入总计"),
            fig("2023年度收、支总计25224.15万元", "25224.15万元", "第一部分/二", item="支出总计"),
            fig("2023年度本年收入合计25224.15万元", "25224.15万元", SEC21, item="收入合计"),
            fig("2023年度本年支出合计25224.15万元", "25224.15万元", SEC22, item="支出合计")]
    assert run(T(summary=rows), "income_expenditure_balance") == []


CAIZHENG = (ROOT / "tests" / "corpus" / "putuo_caizhengju_2024.txt").read_text(encoding="utf-8")


def test_income_expenditure_balance_with_carry_overs():
    """putuo_caizhengju_2024 收入支出决算总表: 2946.25 + 49.14 = 2940.05 + 55.34."""
    for lit in ("本年收入合计 2,946.25", "本年支出合计 2,940.05", "年初结转和结余 49.14", "年末结转和结余 55.34"):
        assert lit in CAIZHENG
    good = [syn("2,946.25", item="收入合计", source_kind="table"), syn("2,940.05", item="支出合计", source_kind="table"),
            syn("49.14", item="年初结转和结余", source_kind="table"), syn("55.34", item="年末结转和结余", source_kind="table")]
    assert run(T(summary=good), "income_expenditure_balance") == []
    bad = good[:2] + [syn("55.34", item="年初结转和结余", source_kind="table"),
                      syn("49.14", item="年末结转和结余", source_kind="table")]
    found = run(T(summary=bad), "income_expenditure_balance")
    assert found and all(f["severity"] == "error" for f in found)
    assert any("2,946.25" in f["message"] and "55.34" in f["message"] for f in found)


def test_income_total_holds_the_deficit_fund_drawn_on():
    """504 (璧山区第二人民医院 2019): 收入总计10,720.97万元 = 收入合计9,700.75万元 + 用事业基金弥补收支差额781.74万元
    + 年初结转和结余238.49万元 (10,720.98: rounding); without the 781.74 the total is not 收入合计 + 结转."""
    text = (ROOT / "tests" / "corpus" / "pages" / "504.txt").read_text(encoding="utf-8")
    for lit in ("收入总计10,720.97万元", "收入合计9,700.75万元", "用事业基金弥补收支差额781.74万元", "年初结转和结余238.49万元"):
        assert lit in text
    rows = [syn("10,720.97", item="收入总计"), syn("9,700.75", item="收入合计"), syn("238.49", item="年初结转和结余")]
    assert run(T(summary=rows + [syn("781.74", item="用事业基金弥补收支差额")]), "income_expenditure_balance") == []
    found = run(T(summary=rows), "income_expenditure_balance")
    assert [f["severity"] for f in found] == ["error"]       # the term not read: 收入合计 + 结转 falls 781.73 short
    import jueshuan_data as jd

    s = jd.parse(ROOT / "tests" / "corpus" / "pages" / "504.txt").summary
    assert s[s.item == "用事业基金弥补收支差额"].amount_wan.tolist() == [781.74]


def test_income_above_the_stated_total_is_an_error():
    rows = [fig("2023年度收、支总计25224.15万元", "25224.15万元", "第一部分/二", item="收入总计"),
            fig("2023年度收、支总计25224.15万元", "25224.15万元", "第一部分/二", item="支出总计"),
            fig("2023年全年预算数26840.40万元", "26840.40万元", SEC21, item="收入合计")]
    found = run(T(summary=rows), "income_expenditure_balance")
    assert [f["severity"] for f in found] == ["error"]
    assert (found[0]["expected"], found[0]["actual"]) == (25224.15, 26840.40)


# ---------------------------------------------------------------------------------------------- shares


def test_shares_of_the_expense_partition_add_within_rounding():
    """26.78 + 73.21 + 0 + 0 + 0 = 99.99: two rounded shares may miss 100 by 0.01."""
    assert run(T(summary=expense_rows()), "shares_sum_100") == []


def test_shares_adding_to_100_07_are_an_error():
    """putuo_caizhengju_2024 narrative: 71.73 + 11.11 + 2.07 + 15.16 = 100.07 (amounts add to the total)."""
    for lit in ("2106.66万元，占71.73%", "326.72万元，占11.11%", "60.99万元，占2.07%", "445.69万元，占15.16%"):
        assert lit in CAIZHENG.replace("\n", "")
    lei_ = [syn(f"{a}万元", fund=GPB, level="类", subject=s, printed_name=s, share_pct=p) for s, a, p in [
        ("一般公共服务支出", "2106.66", 71.73), ("社会保障和就业支出", "326.72", 11.11), ("卫生健康支出", "60.99", 2.07),
        ("住房保障支出", "445.69", 15.16)]]
    total = syn("2940.05万元", item="一般公共预算财政拨款支出", fund=GPB)
    tables = T(expenditure_by_function=lei_, summary=[total])
    found = run(tables, "shares_sum_100")
    assert [f["severity"] for f in found] == ["error"]
    assert found[0]["expected"] == 100.0 and "71.73" in found[0]["message"]
    shares = run(tables, "share_vs_amount")
    assert [(f["severity"], f["actual"]) for f in shares] == [("error", 71.73)]


def test_share_truncated_instead_of_rounded_is_a_warning():
    """项目支出 18468.89 of 25224.15 is 73.219…%: printed 73.21."""
    found = run(T(summary=expense_rows()), "share_vs_amount")
    assert [(f["severity"], f["actual"]) for f in found] == [("warning", 73.21)]
    assert "18468.89" in found[0]["message"] and "25224.15" in found[0]["message"]


def test_share_matching_amount_over_base_is_not_a_finding():
    rows = expense_rows()[:2]     # 基本支出 6755.26 of 25224.15 = 26.78 %
    assert run(T(summary=rows), "share_vs_amount") == []


# ---------------------------------------------------------------------------------------------- changes

SEC42 = "第一部分/四/（二）/2"


def test_change_equal_to_amount_minus_prior_is_not_a_finding():
    r = fig("公共安全支出88.04万元，比去年同期79.69万元增加8.35万元", "88.04万元", SEC42, fund=GPB, level="类",
            subject="公共安全支出", printed_name="公共安全支出", prior_year_wan=79.69, change_wan=8.35)
    assert run(T(expenditure_by_function=[r]), "change_vs_prior") == []


def test_change_off_amount_minus_prior_is_an_error():
    r = fig("国有资本经营预算拨款收入14.68万元,比上年度收入16.98万元减少2.30万元", "14.68万元", "第一部分/六",
            item="国有资本经营预算财政拨款收入", fund="国有资本经营预算", prior_year_wan=16.98, change_wan=2.30)
    found = run(T(summary=[r]), "change_vs_prior")            # sign lost: +2.30 instead of −2.30
    assert [f["severity"] for f in found] == ["error"] and found[0]["actual"] == 2.30
    r["change_wan"] = -2.30
    assert run(T(summary=[r]), "change_vs_prior") == []


def test_change_pct_consistent_with_amounts_is_not_a_finding():
    rows = [fig("2023年度收、支总计25224.15万元，比上年减少976.21万元，下降3.73%", "25224.15万元", "第一部分/二",
                item="收支总计", change_wan=-976.21, change_pct=-3.73),
            fig("政府性基金财政拨款预算收入3.09万元，比上年度收入0.75万元增加2.34万元，上升312%", "3.09万元", "第一部分/五/（二）",
                item="政府性基金预算财政拨款收入", fund="政府性基金预算", prior_year_wan=0.75, change_wan=2.34,
                change_pct=312.0),
            fig("国有资本经营预算拨款收入14.68万元,比上年度收入16.98万元减少2.30万元，下降13.55%", "14.68万元", "第一部分/六",
                item="国有资本经营预算财政拨款收入", fund="国有资本经营预算", prior_year_wan=16.98, change_wan=-2.30,
                change_pct=-13.55)]
    assert run(T(summary=rows), "change_pct_vs_amounts", text=SEED) == []


def test_change_pct_inconsistent_with_amounts_is_an_error():
    r = fig("国有资本经营预算拨款收入14.68万元,比上年度收入16.98万元减少2.30万元", "14.68万元", "第一部分/六",
            item="国有资本经营预算财政拨款收入", fund="国有资本经营预算", prior_year_wan=16.98, change_wan=-2.30,
            change_pct=-3.73)
    found = run(T(summary=[r]), "change_pct_vs_amounts")
    assert [f["severity"] for f in found] == ["error"] and found[0]["actual"] == -3.73


# ---------------------------------------------------------------------------------------------- assets

SECA = "第三部分/二/（四）/2"


def asset(clause, literal, item, parent=None, share=None, share_of=None, basis="账面净值", **kw):
    return fig(clause, literal, SECA, item=item, parent_item=parent, share_pct=share, share_of=share_of, basis=basis,
               as_of="2023-12-31", **kw)


def asset_rows(total_literal="6,934.46万元", total_clause="资产总额（账面净值，下同）6,934.46万元"):
    return [
        asset(total_clause, total_literal, "资产总额"),
        asset("负债总额500.41万元", "500.41万元", "负债总额"),
        asset("净资产6,434.05万元", "6,434.05万元", "净资产"),
        asset("行政单位国有资产6,934.46万元，占100.00%", "6,934.46万元", "行政单位国有资产", "资产总额", 100.0, "资产总额"),
        asset("事业单位国有资产0.00万元，占0.00%", "0.00万元", "事业单位国有资产", "资产总额", 0.0, "资产总额"),
        asset("流动资产507.07万元", "507.07万元", "流动资产", "资产总额", 7.31, "资产总额"),
        asset("固定资产6,178.36万元", "6,178.36万元", "固定资产", "资产总额", 89.10, "资产总额"),
        asset("无形资产11.15万元", "11.15万元", "无形资产", "资产总额", 0.16, "资产总额"),
        asset("公共基础设施213.77万元", "213.77万元", "公共基础设施", "资产总额", 3.08, "资产总额"),
        asset("政府储备物资24.10万元", "24.10万元", "政府储备物资", "资产总额", 0.35, "资产总额"),
        asset("房屋和构筑物4,195.39万元", "4,195.39万元", "房屋和构筑物", "固定资产", 67.90, "固定资产"),
        asset("房屋4,190.59万元", "4,190.59万元", "房屋", "房屋和构筑物", 67.83, "固定资产"),
        asset("设备1,331.66万元", "1,331.66万元", "设备", "固定资产", 21.55, "固定资产"),
        asset("车辆119.51万元", "119.51万元", "车辆", "设备", 1.93, "固定资产"),
        asset("设备315.06万元", "315.06万元", "单价100万（含）以上（不含车辆）设备", "设备", 5.10, "固定资产"),
        asset("图书和档案72.92万元", "72.92万元", "图书和档案", "固定资产", 1.18, "固定资产"),
        asset("家具和用具578.41万元", "578.41万元", "家具和用具", "固定资产", 9.36, "固定资产"),
    ]


def test_seed_assets_hold_within_rounding():
    """5 parts add to 6934.45 vs 6,934.46; fixed-asset parts to 6178.38 vs 6,178.36 (shares 99.99)."""
    tables = T(asset_composition=asset_rows())
    for rid in ("asset_parts_vs_parent", "net_assets", "shares_sum_100", "share_vs_amount", "duplicate_conflict"):
        assert run(tables, rid) == [], rid


def test_asset_parts_off_their_parent_are_an_error():
    rows = asset_rows(total_literal="6,434.05万元", total_clause="净资产6,434.05万元")   # total misread as 净资产
    found = run(T(asset_composition=rows), "asset_parts_vs_parent")
    assert found and {f["severity"] for f in found} == {"error"}
    assert any("6,434.05" in f["message"] and "507.07" in f["message"] for f in found)


def test_net_assets_identity_broken_is_an_error():
    rows = asset_rows()
    rows[2] = asset("固定资产6,178.36万元", "6,178.36万元", "净资产")
    found = run(T(asset_composition=rows), "net_assets")
    assert [f["severity"] for f in found] == ["error"] and found[0]["actual"] == 6178.36


# ---------------------------------------------------------------------------------------------- procurement

SECP = "第二部分/三"


def proc_rows(services="1501.69万元"):
    return [fig("2023年度政府采购支出总额4058.72万元", "4058.72万元", SECP, topic="政府采购", item="政府采购支出总额"),
            fig("政府采购货物支出389.39万元", "389.39万元", SECP, topic="政府采购", item="政府采购货物支出"),
            fig("政府采购工程支出2167.64万元", "2167.64万元", SECP, topic="政府采购", item="政府采购工程支出"),
            fig("政府采购服务支出1501.69万元" if services == "1501.69万元" else "授予小微企业合同金额1653.15万元",
                services, SECP, topic="政府采购", item="政府采购服务支出"),
            fig("授予中小企业合同金额4058.5万元，占政府采购支出总额的99.99%", "4058.5万元", SECP, topic="政府采购",
                item="授予中小企业合同金额", share_pct=99.99),
            fig("授予小微企业合同金额1653.15万元，占政府采购支出总额的40.73%", "1653.15万元", SECP, topic="政府采购",
                item="授予小微企业合同金额", share_pct=40.73)]


def test_procurement_parts_adding_to_the_total_are_not_a_finding():
    tables = T(other_figures=proc_rows())
    assert run(tables, "procurement_parts_vs_total") == []
    assert run(tables, "share_vs_amount", text=SEED) == []


def test_procurement_parts_off_the_total_are_an_error():
    found = run(T(other_figures=proc_rows(services="1653.15万元")), "procurement_parts_vs_total")
    assert [f["severity"] for f in found] == ["error"] and found[0]["expected"] == 4058.72


# ---------------------------------------------------------------------------------------------- 三公


def three_rows(reception="0万元", reception_clause="2.公务接待费。2023年度决算数0万元"):
    sec = "第二部分/一"
    return [
        fig("“三公”经费财政拨款决算数0.62万元", "0.62万元", sec, item="合计", budget_wan=5.28),
        fig("1.因公出国（境）费用。2023年度决算数0万元", "0万元", sec, item="因公出国（境）费", parent_item="合计",
            budget_wan=0.0),
        fig(reception_clause, reception, sec, item="公务接待费", parent_item="合计", budget_wan=2.83),
        fig("3.公务用车购置及运行维护费。2023年度决算数0.62万元", "0.62万元", sec, item="公务用车购置及运行维护费",
            parent_item="合计", budget_wan=2.45),
        fig("公务用车购置费2023年度决算数0万元", "0万元", sec, item="公务用车购置费",
            parent_item="公务用车购置及运行维护费", budget_wan=0.0),
        fig("公务用车运行维护费2023年度决算数0.62万元", "0.62万元", sec, item="公务用车运行维护费",
            parent_item="公务用车购置及运行维护费", budget_wan=2.45),
    ]


def test_three_public_parts_adding_up_are_not_a_finding():
    assert run(T(three_public=three_rows()), "three_public_parts_vs_total") == []


def test_three_public_parts_off_the_total_are_an_error():
    rows = three_rows(reception="2.83万元", reception_clause="比2023年度年初预算数2.83万元减少2.83万元")
    found = run(T(three_public=rows), "three_public_parts_vs_total")
    assert [f["severity"] for f in found] == ["error"] and found[0]["expected"] == 0.62


# ---------------------------------------------------------------------------------------------- economic


def economic_rows():
    sec = "第一部分/七"
    return [fig("（1）工资福利支出6057.93万元", "6057.93万元", sec, item="工资福利支出", level="类", code="301"),
            fig("（2）商品和服务支出444.16万元", "444.16万元", sec, item="商品和服务支出", level="类", code="302"),
            fig("（3）对个人和家庭补助支出253.17万元", "253.17万元", sec, item="对个人和家庭的补助", level="类", code="303")]


def test_economic_classes_adding_to_basic_expenditure_are_not_a_finding():
    base = fig("使用一般公共预算财政拨款安排基本支出6755.26万元", "6755.26万元", "第一部分/七",
               item="一般公共预算财政拨款基本支出", fund=GPB)
    assert run(T(basic_expenditure_by_economic=economic_rows(), summary=[base]), "economic_vs_basic") == []


def test_economic_classes_off_basic_expenditure_are_an_error():
    base = fig("基本支出预算数6775.41万元", "6775.41万元", None, item="一般公共预算财政拨款基本支出", fund=GPB)
    found = run(T(basic_expenditure_by_economic=economic_rows(), summary=[base]), "economic_vs_basic")
    assert [f["severity"] for f in found] == ["error"] and found[0]["expected"] == 6775.41


# ---------------------------------------------------------------------------------------------- duplicates


def test_same_item_same_value_twice_is_not_a_finding():
    rows = [fig("基本支出6755.26万元，占支出合计的26.78%", "6755.26万元", SEC22, item="基本支出"),
            fig("其中，基本支出6755.26万元，项目支出18468.89万元", "6755.26万元", "第三部分/二/（二）", item="基本支出")]
    assert run(T(summary=rows), "duplicate_conflict") == []


def test_same_item_two_values_is_an_error():
    rows = [fig("基本支出6755.26万元，占支出合计的26.78%", "6755.26万元", SEC22, item="基本支出"),
            fig("基本支出预算数6775.41万元", "6775.41万元", "第三部分/二/（二）", item="基本支出")]
    found = run(T(summary=rows), "duplicate_conflict")
    assert [f["severity"] for f in found] == ["error"]
    assert "6755.26" in found[0]["message"] and "6775.41" in found[0]["message"]


def test_one_code_twice_in_one_table_is_a_warning():
    """raw/2017年省检察院部门预算.pdf: “30299 其他商品和服务支出 850.05” (九、一般公共预算基本支出预算表) and “30299
    其他商品和服务支出 2,729.05” (十、机关运行经费支出预算表) as a reader that joined the two tables would give them."""
    table = "一般公共预算基本支出预算表"
    rows = [syn("850.05", "30299 其他商品和服务支出 ", "table", code="30299", item="其他商品和服务支出", table=table),
            syn("2,729.05", "30299 其他商品和服务支出 ", "table", code="30299", item="其他商品和服务支出", table=table)]
    found = run(T(basic_expenditure_by_economic=rows), "duplicate_conflict")
    assert [f["severity"] for f in found] == ["warning"] and "两张表" in found[0]["message"]


def test_same_asset_on_another_basis_is_a_warning():
    rows = [fig("本部门固定资产总额10581.06万元", "10581.06万元", "第二部分/四", item="固定资产", basis=None,
                as_of="2023-12-31"),
            asset("固定资产6,178.36万元", "6,178.36万元", "固定资产")]
    found = run(T(asset_composition=rows), "duplicate_conflict")
    assert [f["severity"] for f in found] == ["warning"]
    assert "10581.06" in found[0]["message"] and "6,178.36" in found[0]["message"]


def test_same_programme_with_two_amounts_in_two_sections_is_a_warning():
    """临时救助支出 100.44 (四（二）4) vs 临时救助支出 77.31 (第二部分 六、民生支出)."""
    k = kuan("临时救助", "临时救助支出100.44万元", "100.44万元", "社会保障和就业支出", "第一部分/四/（二）/4")
    k["printed_name"] = "临时救助支出"
    l = fig("临时救助支出77.31万元", "77.31万元", "第二部分/六", item="临时救助支出")
    found = run(T(expenditure_by_function=[k], livelihood_spending=[l]), "same_name_conflict")
    assert [f["severity"] for f in found] == ["warning"]
    assert "100.44" in found[0]["message"] and "77.31" in found[0]["message"]


def test_same_name_same_amount_across_datasets_is_not_a_finding():
    k = kuan("最低生活保障支出", "最低生活保障支出1812.16万元", "1812.16万元", "社会保障和就业支出", "第一部分/四/（二）/4")
    l = syn("1812.16万元", item="最低生活保障支出", section="第二部分/六")
    assert run(T(expenditure_by_function=[k], livelihood_spending=[l]), "same_name_conflict") == []


# ---------------------------------------------------------------------------------------------- units, decimals

EDU = "教育支出56.33万元，比去年同期增加支出2.05元；科学技术支出130.11万元，比去年同期增加支出15.11万元。"


def test_yuan_among_wan_is_a_unit_warning():
    assert EDU in SEED
    found = run({}, "unit_outlier", text=EDU)
    assert [f["severity"] for f in found] == ["warning"]
    assert "2.05元" in found[0]["message"]
    assert EDU[found[0]["char_start"]:found[0]["char_end"]] == "2.05元"


def test_units_agreeing_with_their_sentence_are_not_a_finding():
    text = "年初结转和结余0元。政府性基金财政拨款预算收入3.09万元，比上年度收入0.75万元增加2.34万元。共查处57起扬尘违法行为立案23起，处罚190000元。"
    for s in text.split("。")[:-1]:
        assert s in SEED
    assert run({}, "unit_outlier", text=text) == []


def test_a_small_figure_in_the_finer_unit_among_large_ones_is_no_outlier():
    # pages/606 (南开区 2023 预算执行情况): "一般公共服务支出8.59亿元,国防支出352万元,公共安全支出6.49亿元": 352亿元
    # would be twenty times the largest figure beside it; 2.05 (元 among 万元) stays a warning
    text = "主要支出项目:一般公共服务支出8.59亿元,国防支出352万元,公共安全支出6.49亿元,教育支出16.27亿元。"
    assert text[:-1] + "," in (Path(__file__).parent / "corpus" / "pages" / "606.txt").read_text(encoding="utf-8")
    assert run({}, "unit_outlier", text=text) == []
    assert len(run({}, "unit_outlier", text=EDU)) == 1


def test_a_size_class_is_no_figure_for_its_decimals():
    # pages/608 (山东 2016): "全省收入過10億元的縣…達到124個,其中收入過30億元的52個,過50億元的27個,過100億元的6個" then
    # "黃島區…212.4億元…嶗山區完成131.1億元…即墨市完成105.1億元": the thresholds are no figures of the report
    text = ("全省收入过10亿元的县达到124个,其中收入过30亿元的52个,过50亿元的27个,过100亿元的6个。"
            "黄岛区完成212.4亿元,崂山区完成131.1亿元,即墨市完成105.1亿元。")
    assert run({}, "excess_decimals", text=text) == []


def test_unit_outlier_reads_the_facts_dataset():
    i = SEED.index("2.05元")
    j = SEED.index("56.33万元，比去年同期增加支出2.05元")
    facts = [{"section": SEC42, "evidence": "比去年同期增加支出2.05元", "char_start": i, "char_end": i + 5,
              "text": "2.05元", "value": 2.05, "unit": "元", "kind": "change"},
             {"section": SEC42, "evidence": "教育支出56.33万元", "char_start": j, "char_end": j + 7,
              "text": "56.33万元", "value": 56.33, "unit": "万元", "kind": "amount"}]
    found = run_rules(T(facts=facts), text=SEED, rules=["unit_outlier"])
    assert [(f["severity"], f["char_start"]) for f in found] == [("warning", i)]


def test_more_decimals_than_elsewhere_is_a_warning():
    text = ("抚恤支出286.17万元，比去年同期增加支出121.973万元；退役安置支出158.61万元，比去年同期减少支出8.17万元；"
            "社会福利支出148.93万元，比去年同期增加支出58.55万元；")
    assert text in SEED
    found = run({}, "excess_decimals", text=text)
    assert [(f["severity"], text[f["char_start"]:f["char_end"]]) for f in found] == [("warning", "121.973万元")]


def test_fewer_decimals_than_elsewhere_is_not_a_finding():
    text = "授予中小企业合同金额4058.5万元，占政府采购支出总额的99.99%，其中：授予小微企业合同金额1653.15万元，占政府采购支出总额的40.73%。"
    assert text in SEED
    assert run({}, "excess_decimals", text=text + "政府采购货物支出389.39万元，政府采购工程支出2167.64万元。") == []


def test_seed_text_decimal_and_unit_findings():
    """On the whole seed text: 2.05元 is the one unit warning; the 3- and 6-decimal figures are flagged."""
    units = run({}, "unit_outlier", text=SEED)
    assert [SEED[f["char_start"]:f["char_end"]] for f in units] == ["2.05元"]
    flagged = {SEED[f["char_start"]:f["char_end"]] for f in run({}, "excess_decimals", text=SEED)}
    assert flagged == {"121.973万元", "2.033万元", "172.601822万元", "18454.257005万元"}


# ---------------------------------------------------------------------------------------------- all at once


def consistent_tables() -> dict:
    """Seed figures where every identity holds (share of 项目支出 printed rounded, 73.22)."""
    return T(
        summary=[gpb_total(), *income_rows(), *expense_rows(project_share=73.22),
                 fig("使用一般公共预算财政拨款安排基本支出6755.26万元", "6755.26万元", "第一部分/七",
                     item="一般公共预算财政拨款基本支出", fund=GPB)],
        expenditure_by_function=[*lei_rows(),
                                 lei("社会保障和就业支出", "4.社会保障和就业支出7894.78万元", "7894.78万元", "第一部分/四/（二）/4"),
                                 *[kuan(s, c, lit, "社会保障和就业支出", "第一部分/四/（二）/4") for s, c, lit in SOCIAL_KUAN]],
        basic_expenditure_by_economic=economic_rows(),
        asset_composition=asset_rows(),
        three_public=three_rows(),
        other_figures=proc_rows(),
    )


# the synthetic frames carry no classification codes: unknown_subject (tested on its own below) is left out
ARITHMETIC = [r for r in RULES if r != "unknown_subject"]


def test_a_report_where_every_sum_holds_yields_no_finding():
    assert run_rules(consistent_tables(), rules=ARITHMETIC) == []


def test_the_city_community_contradiction_among_consistent_figures():
    tables = consistent_tables()
    extra = city()["expenditure_by_function"]
    import pandas as pd
    tables["expenditure_by_function"] = pd.concat([tables["expenditure_by_function"], extra], ignore_index=True)
    found = run_rules(tables, rules=ARITHMETIC)
    assert {(f["rule"], f["severity"]) for f in found} == {("kuan_sum_vs_lei", "error"),
                                                           ("subject_exceeds_parent", "error")}
    assert all("7789.40" in f["message"] and "7526.16" in f["message"] for f in found)


# ---------------------------------------------------------------------------------------------- dev corpus cases

GUIHUA = (ROOT / "tests" / "corpus" / "putuo_guihuaziyuan_2024.txt").read_text(encoding="utf-8")
SHEHUI = (ROOT / "tests" / "corpus" / "putuo_shehuigongzuobu_2024.txt").read_text(encoding="utf-8")
PAGE17 = (ROOT / "tests" / "corpus" / "pages" / "017.txt").read_text(encoding="utf-8")
TABLE = "一般公共预算财政拨款支出决算表"


def _in(text: str, *literals: str):
    flat = re.sub(r"\s+", "", text)
    for lit in literals:
        assert lit in flat, lit


def test_narrative_restatement_of_a_table_row_is_not_counted_twice():
    """putuo_guihuaziyuan_2024: the table's 2080599 其他行政事业单位养老支出 0.88 is the narrative's
    机关事业单位退休人员活动费支出（项）0.88; the 项 add to the 款 754.75 only once."""
    _in(GUIHUA, "754.75", "54.53", "28.11", "446.11", "225.12", "0.88")
    k = syn("754.75", fund=GPB, level="款", code="20805", subject="行政事业单位养老支出", printed_name="行政事业单位养老支出",
            parent_code="208", source_kind="table", table=TABLE)
    items = [syn(a, fund=GPB, level="项", code=c, subject=n, printed_name=n, parent_code="20805", table=TABLE)
             for c, n, a in [("2080501", "行政单位离退休", "54.53"), ("2080502", "事业单位离退休", "28.11"),
                             ("2080505", "机关事业单位基本养老保险缴费支出", "446.11"),
                             ("2080506", "机关事业单位职业年金缴费支出", "225.12")]]
    table_row = syn("0.88", fund=GPB, level="项", code="2080599", subject="其他行政事业单位养老支出",
                    printed_name="其他行政事业单位养老支出", parent_code="20805", source_kind="table", table=TABLE)
    narrative = syn("0.88万元", fund=GPB, level="项", subject="机关事业单位退休人员活动费支出",
                    printed_name="机关事业单位退休人员活动费支出", parent_code="20805")
    # the narrative prints its level, 机关事业单位退休人员活动费支出（项）: a 项 for sure, though not in the catalogue
    assert run(T(expenditure_by_function=[k, *items, table_row, narrative]), "xiang_sum_vs_kuan", GUIHUA) == []
    # without the table row the narrative one counts, and the list (merged with the table) is whole
    assert run(T(expenditure_by_function=[k, *items, narrative]), "xiang_sum_vs_kuan", GUIHUA) == []
    found = run(T(expenditure_by_function=[k, *items]), "xiang_sum_vs_kuan")
    assert [f["severity"] for f in found] == ["error"] and found[0]["expected"] == 754.75


def test_same_figure_printed_0_01_apart_is_a_warning():
    """putuo_guihuaziyuan_2024: 卫生健康支出（类）236.64 in the table, 236.63 in the narrative."""
    _in(GUIHUA, "210卫生健康支出236.64", "卫生健康支出（类）236.63万元")
    rows = [syn("236.64", fund=GPB, level="类", code="210", subject="卫生健康支出", printed_name="卫生健康支出",
                source_kind="table", table=TABLE),
            syn("236.63万元", fund=GPB, level="类", code="210", subject="卫生健康支出", printed_name="卫生健康支出")]
    found = run(T(expenditure_by_function=rows), "duplicate_conflict")
    assert [(f["severity"], f["expected"], f["actual"]) for f in found] == [("warning", 236.64, 236.63)]


def test_a_change_read_as_an_amount_is_no_second_statement():
    """'收入支出总计减少56.95万元' is a change, not a second 收入支出总计."""
    _in(CAIZHENG, "收入支出总计2995.39万元", "支出总计减少56.95万元")
    rows = [syn("2995.39万元", item="收支总计"), syn("减少56.95万元", item="收支总计", amount_wan=-56.95)]
    assert run(T(summary=rows), "duplicate_conflict") == []


def test_personnel_plus_public_funds_vs_basic_expenditure():
    """人员经费 + 公用经费 = 一般公共预算财政拨款基本支出: 95.36 + 10.23 vs 105.58 holds (rounding);
    4884.09 + 480.66 vs 5377.64 does not (putuo_guihuaziyuan_2024, section 六 vs the table)."""
    _in(SHEHUI, "95.36", "10.23", "105.58")
    ok = T(summary=[syn("105.58万元", item="一般公共预算财政拨款基本支出", fund=GPB)],
           basic_expenditure_by_economic=[syn("95.36", item="人员经费", level="类", source_kind="table"),
                                          syn("10.23", item="公用经费", level="类", source_kind="table")])
    assert run(ok, "economic_vs_basic") == []
    _in(GUIHUA, "人员经费合计4884.09", "公用经费合计480.66", "5377.64")
    bad = T(summary=[syn("5377.64万元", item="一般公共预算财政拨款基本支出", fund=GPB)],
            basic_expenditure_by_economic=[syn("4884.09", item="人员经费", level="类", source_kind="table"),
                                           syn("480.66", item="公用经费", level="类", source_kind="table")])
    found = run(bad, "economic_vs_basic")
    assert [(f["severity"], f["expected"]) for f in found] == [("error", 5377.64)]


def test_stated_total_of_both_sides_vs_each_side():
    """putuo_caizhengju_2024: 财政拨款收入支出总计 0.3万元 (narrative) is the table's 财政拨款收入总计 2,961.68 under
    another name: a narrative figure against its table (no balance of two sides)."""
    _in(CAIZHENG, "财政拨款收入支出总计0.3万元", "2,961.68")
    rows = [syn("0.3万元", item="财政拨款收入支出总计"), syn("2,961.68", item="财政拨款收入总计", source_kind="table"),
            syn("2,961.68", item="财政拨款支出总计", source_kind="table")]
    found = run(T(summary=rows), "narrative_vs_table")
    assert [(f["severity"], f["expected"], f["actual"]) for f in found] == [("error", 2961.68, 0.3)]
    assert run(T(summary=rows), "income_expenditure_balance") == []     # 2,961.68 on both sides balances
    rows[0] = syn("2961.68万元", item="财政拨款收入支出总计")
    assert run(T(summary=rows), "narrative_vs_table") == []


def test_a_printed_zero_is_read_at_its_neighbours_precision():
    """pages/017: 三公 3.46 vs 0 + 1.4 + 0.28 — the '0万元' adds no half 万元 of slack."""
    _in(PAGE17, "支出决算为3.46万元", "因公出国（境）费支出决算0万元".replace("（", "(").replace("）", ")"),
        "公务用车购置及运行维护费支出决算1.4万元", "公务接待费支出决算0.28万元")
    rows = [syn("3.46万元", item="合计"), syn("0万元", item="因公出国（境）费", parent_item="合计"),
            syn("1.4万元", item="公务用车购置及运行维护费", parent_item="合计"),
            syn("0.28万元", item="公务接待费", parent_item="合计")]
    found = run(T(three_public=rows), "three_public_parts_vs_total")
    assert [(f["severity"], f["expected"]) for f in found] == [("error", 3.46)]


def test_shares_without_their_base_are_only_checked_against_exceeding_100():
    """pages/019: the income shares 0 + 0 + 0 + 0 + 3.65 % are printed, 财政拨款收入's 96.35 % is not read."""
    rows = [syn("0万元", item=i, share_pct=0.0, share_of="收入合计") for i in ("上级补助收入", "事业收入", "经营收入",
                                                                          "附属单位上缴收入")]
    rows.append(syn("18.95万元", item="其他收入", share_pct=3.65, share_of="收入合计"))
    assert run(T(summary=rows), "shares_sum_100") == []
    rows.append(syn("500.12万元", item="财政拨款收入", share_pct=99.35, share_of="收入合计"))   # 96.35 misread
    found = run(T(summary=rows), "shares_sum_100")
    assert [f["severity"] for f in found] == ["error"]


# ---------------------------------------------------------------------------------------------- execution rate

SECB = "第三部分/二/（二）"


def budget_rows(budget="26840.40万元", clause="2023年全年预算数26840.40万元"):
    return [fig("2023年度本年支出合计25224.15万元", "25224.15万元", SEC22, item="支出合计"),
            fig(clause, budget, SECB, item="预算数"),
            fig("其中，基本支出预算数6775.41万元", "6775.41万元", SECB, item="基本支出预算数"),
            fig("项目支出预算数20064.99万元", "20064.99万元", SECB, item="项目支出预算数"),
            {**fig("预算执行率为93.98%", "93.98%", SECB, item="预算执行率"), "amount_wan": None, "rate_pct": 93.98}]


def test_execution_rate_and_budget_parts_hold_on_the_seed():
    """25224.15 / 26840.40 = 93.98 %; 6775.41 + 20064.99 = 26840.40."""
    tables = T(summary=budget_rows())
    assert run(tables, "execution_rate", text=SEED) == []
    assert run(tables, "basic_project_vs_total") == []


def test_execution_rate_against_the_wrong_budget_is_an_error():
    tables = T(summary=budget_rows(budget="20064.99万元", clause="项目支出预算数20064.99万元"))
    found = run(tables, "execution_rate", text=SEED)
    assert [(f["severity"], f["actual"]) for f in found] == [("error", 93.98)]
    found = run(tables, "basic_project_vs_total")
    assert [(f["severity"], f["expected"]) for f in found] == [("error", 20064.99)]


# ---------------------------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**8), min_size=1, max_size=15).filter(lambda xs: sum(xs) > 0))
def test_honestly_rounded_shares_are_never_a_finding(milli_fen):
    """Amounts, total and shares each rounded to two decimals from exact values."""
    true = [m / 100000 for m in milli_fen]
    total = sum(true)
    rows = [syn(f"{v:.2f}万元", fund=GPB, level="类", subject=f"类{i}", printed_name=f"类{i}",
                share_pct=round(v / total * 100, 2)) for i, v in enumerate(true)]
    tables = T(expenditure_by_function=rows,
               summary=[syn(f"{total:.2f}万元", item="一般公共预算财政拨款支出", fund=GPB)])
    for rid in ("share_vs_amount", "shares_sum_100", "lei_sum_vs_fund_total"):
        assert run(tables, rid) == [], rid


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_honestly_rounded_changes_are_never_a_finding(now_milli, prior_milli):
    a, p = now_milli / 100000, prior_milli / 100000
    c = a - p
    row = syn(f"{a:.2f}万元", item="收入合计", prior_year_wan=round(p, 2), change_wan=round(c, 2),
              change_pct=round(c / p * 100, 2))
    tables = T(summary=[row])
    assert run(tables, "change_vs_prior") == []
    assert run(tables, "change_pct_vs_amounts") == []


# ---------------------------------------------------------------------------------------------- unknown_subject

def test_unknown_subject_names_the_printed_name_without_code():
    # putuo_guihuaziyuan_2024 prints 机关事业单位退休人员活动费支出（项）, a name the catalogue does not hold
    row = syn("0.88万元", "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位退休人员活动费支出（项）",
              section="第三部分/五/（三）", fund=GPB, level="项", subject="机关事业单位退休人员活动费支出",
              printed_name="机关事业单位退休人员活动费支出", parent_subject="行政事业单位养老支出")
    found = run(T(expenditure_by_function=[row]), "unknown_subject")
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert "机关事业单位退休人员活动费支出" in found[0]["message"]


def test_unknown_subject_is_silent_when_the_code_is_known():
    row = fig("抚恤支出286.17万元", "286.17万元", "第一部分/四/（二）/4", fund=GPB, level="款", subject="抚恤",
              printed_name="抚恤支出", code="20808", parent_code="208", parent_subject="社会保障和就业支出")
    assert run(T(expenditure_by_function=[row]), "unknown_subject") == []


# ---------------------------------------------------------------------------------------------- fund_class_vs_all_funds

def _all_funds(literal):
    return syn(literal, "八、社会保障和就业支出 ", source_kind="table", fund=None, level="类", code="208",
               subject="社会保障和就业支出", printed_name="社会保障和就业支出", table="收入支出决算总表")


def _gpb_class(literal):
    return syn(literal, "208 社会保障和就业支出 ", source_kind="table", fund=GPB, level="类", code="208",
               subject="社会保障和就业支出", printed_name="社会保障和就业支出", table="一般公共预算财政拨款支出决算表")


def test_fund_class_vs_all_funds_within_rounding_is_silent():
    # putuo_caizhengju_2024: 326.71 in the 收入支出决算总表, 326.72 in the 一般公共预算 table — one cent, rounding
    assert run(T(expenditure_by_function=[_all_funds("326.71"), _gpb_class("326.72")]),
               "fund_class_vs_all_funds") == []


def test_fund_class_larger_than_all_funds_is_an_error():
    found = run(T(expenditure_by_function=[_all_funds("326.71"), _gpb_class("336.72")]), "fund_class_vs_all_funds")
    assert [f["severity"] for f in found] == ["error"]
    assert "326.71" in found[0]["message"] and "336.72" in found[0]["message"]


# ---------------------------------------------------------------------------------------------- truncated_document

def test_truncated_document_on_a_text_cut_mid_sentence():
    # pages/005 (重庆 来凤街道 2024) ends "…收入总计4461.77万元,支出总计4461"
    text = (ROOT / "tests" / "corpus" / "pages" / "005.txt").read_text(encoding="utf-8")
    found = run_rules({}, text=text, rules=["truncated_document"])
    assert [f["severity"] for f in found] == ["error"]
    assert "支出总计4461" in found[0]["message"]


def test_truncated_document_silent_on_a_closing_attachment_line():
    # pages/213 (江苏省政协办公厅 2019 部门预算, whole PDF) ends "附件：江苏省政协办公厅 2019 年度部门预算公开表" and
    # its page mark: the tables are a separate file, the report is complete
    import jueshuan_data as jd

    path = ROOT / "tests" / "corpus" / "pages" / "213.txt"
    assert path.read_text(encoding="utf-8").rstrip().endswith("附件：江苏省政协办公厅 2019 年度部门预算公开表\n- 18 -")
    assert "truncated_document" not in set(jd.parse(path).issues["rule"])
    text = "…办公用房物业管理费、公务用车运行维护费及其他费用。\n附件：江苏省政协办公厅2019年度部门预算公开表"
    assert run_rules({}, text=text, rules=["truncated_document"]) == []
    # a sentence cut after the notice is still cut
    assert run_rules({}, text=text + "\n2019年度收入总计13,377", rules=["truncated_document"])


def test_truncated_document_silent_on_a_whole_report():
    assert run_rules({}, text=SEED, rules=["truncated_document"]) == []
    # a document that ends on a number may have been cut inside it (issue 13, item 1): 合计 2,940.05 … 603.1|4
    (row,) = run_rules({}, text="支出决算表\n合计 2,940.05 2,336.91 603.14", rules=["truncated_document"])
    assert row["severity"] == "error" and "末尾的数字可能被截断" in row["message"]


def test_missing_table_not_raised_for_a_printed_title_with_its_unit_line():
    # pages/427 (江苏省政协办公厅 2018 部门预算公开表) has no 目录: "财政拨款支出预算表" / "部门：江苏省政协办公厅
    # 单位：万元" is a printed table (read by hand), not a contents entry
    import jueshuan_data as jd
    corpus = Path(__file__).parent / "corpus" / "pages"
    for form in ("txt", "pdf"):
        issues = jd.parse(corpus / f"427.{form}").issues
        assert "missing_table" not in set(issues["rule"]), form


def test_empty_fund_table_with_a_no_items_note_is_not_flagged():
    # pages/426 and 427 (Jiangsu 2018 部门预算公开表): the empty 财政拨款政府性基金支出预算表 is followed by
    # "注：本部门无相关收支项目" / "注：本部门无该项目" (read by hand)
    import jueshuan_data as jd
    corpus = Path(__file__).parent / "corpus" / "pages"
    for n in ("426", "427"):
        issues = jd.parse(corpus / f"{n}.pdf").issues
        assert "empty_table_without_note" not in set(issues["rule"]), n


def test_truncated_document_silent_on_a_pdf_ending_on_a_table_row():
    # pages/427 (江苏省政协办公厅 2018 部门预算公开表) ends on its 政府采购 table: "餐饮服务 分散自行组织 8.00" (read
    # by hand on the last page); its text layer, as a .txt, may have been cut there, the PDF cannot have been
    import jueshuan_data as jd
    corpus = Path(__file__).parent / "corpus" / "pages"
    assert "truncated_document" not in set(jd.parse(corpus / "427.pdf").issues["rule"])
    assert "truncated_document" in set(jd.parse(corpus / "427.txt").issues["rule"])


def test_reason_direction_needs_a_single_reason():
    # pages/441 item 4 as printed is an error (tests/test_rules_corpus.py); the same sentence giving two reasons,
    # one each way, names no single direction to hold the change to
    printed = "2024年预算安排110.60万元，比2023年预算执行数减少2.98%。主要原因是：宣传事务一般行政管理事务经费增加。"
    two = printed.replace("宣传事务一般行政管理事务经费增加", "人员经费减少，宣传事务一般行政管理事务经费增加")
    assert [f["severity"] for f in run_rules({}, text=printed, rules=["reason_direction"])] == ["error"]
    assert run_rules({}, text=two, rules=["reason_direction"]) == []


def test_three_public_table_change_cell_against_its_own_figures():
    # pages/551 (施甸县旧城乡 2018, “三公”经费决算数对比情况表): 合计 上年 52.14, 本年 18.82, 增、减额 printed
    # 33.32 (no sign), 增、减幅度 -63.90%: 18.82 − 52.14 = −33.32; the narrative says 较上年减少33.32万元
    import jueshuan_data as jd

    r = jd.parse(Path(__file__).parent / "corpus" / "pages" / "551.txt")
    f = r.issues[(r.issues.rule == "change_vs_prior") & (r.issues.severity == "error")]
    assert len(f) == 1 and f.iloc[0].expected == pytest.approx(-33.32) and f.iloc[0].actual == pytest.approx(33.32)
    # the printed cell is not taken for the change: the row keeps the figures' direction
    t = r.three_public
    row = t[(t["item"] == "合计") & (t.source_kind == "table")].iloc[0]
    assert (row.prior_year_wan, row.amount_wan, row.change_wan) == (52.14, 18.82, -33.32)
    # a table whose changes agree with its figures gives no finding (pages/553, 施甸县2016年 统计表)
    r = jd.parse(Path(__file__).parent / "corpus" / "pages" / "553.txt")
    assert not (r.issues.severity == "error").any()


def test_three_public_budgets_and_rates_printed_after_the_outcome():
    # pages/655 (克州 2021), read by hand: "公务用车运行维护费支出3758万元,…,为年初预算数4688万元的80.51%"
    # (3758 / 4688 = 80.16%); the lines' budgets 476 + 4688 + 1035 + 1 = 6200 against the total's 6180;
    # the 州本级 paragraph's 公车购置 22万元 is another area's line than the 全州 470万元, no conflict
    import jueshuan_data as jd

    r = jd.parse(Path(__file__).parent / "corpus" / "pages" / "655.txt")
    err = r.issues[r.issues.severity == "error"]
    ex = err[err.rule == "execution_rate"]
    assert len(ex) == 1 and ex.iloc[0].actual == pytest.approx(80.51) and ex.iloc[0].expected == pytest.approx(80.162, abs=1e-3)
    bp = err[err.rule == "budget_parts_vs_total"]
    assert len(bp) == 1 and bp.iloc[0].expected == pytest.approx(-1325) and bp.iloc[0].actual == pytest.approx(-1345)
    assert not (r.issues.rule == "duplicate_conflict").any()


def test_a_total_read_from_zongshouru_is_not_held_to_balance():
    # pages/652 (黔南州中医医院 2016): "2016年总收入40724.80万元" (财政拨款 2647 + 医疗业务收入 38077.8: the year's
    # income) and "2016年总支出40976.5万元" need not be equal; only totals printed as 总计 are held to each other
    import jueshuan_data as jd

    r = jd.parse(Path(__file__).parent / "corpus" / "pages" / "652.txt")
    assert not (r.issues.rule == "income_expenditure_balance").any()
    both = "2023年度收入总计100.00万元，支出总计90.00万元。"
    assert [f["rule"] for f in run_rules({"summary": pd.DataFrame([
        {"item": "收入总计", "printed_name": "收入总计", "amount_wan": 100.0, "source_kind": "narrative"},
        {"item": "支出总计", "printed_name": "支出总计", "amount_wan": 90.0, "source_kind": "narrative"}])},
        text=both, rules=["income_expenditure_balance"])] == ["income_expenditure_balance"]


def test_truncated_document_silent_on_a_whole_page_ending_with_the_portals_footer():
    # pages/706 (漯河市城乡一体化示范区 2017 教育经费公告, the whole page) ends "2018年12月25日", then the site's
    # "版权所有 … 网站标识码:4111900001" / "联系电话: … 地址:漯河市…管委会"; pages/703 "…备案号:湘ICP备08103067号-1 …"
    import jueshuan_data as jd

    for n in ("706", "703"):
        assert "truncated_document" not in set(jd.parse(ROOT / "tests" / "corpus" / "pages" / f"{n}.txt").issues["rule"])
    # a sentence cut before the footer is still cut
    text = "2019年度收入总计13,377万元,支出总计13,3\n版权所有 某区管委会 网站标识码:4111900001\n联系电话: 0395-3195001"
    (row,) = run_rules({}, text=text, rules=["truncated_document"])
    assert "支出总计13,3" in row["message"]


# ---------------------------------------------------------------------------------------------- placeholder_text

def test_placeholder_text_in_a_title_and_in_a_figure_of_the_body():
    # pages/809 (常州市武进区马杭中心小学 2019): the title "XX部门常州市武进区马杭中心小学" and the body's "…编制范围的预算单位
    # 共计XX家,具体包括: XX部门本级、 XX、XX、……。" keep the Jiangsu template's placeholders
    import jueshuan_data as jd

    found = jd.parse(ROOT / "tests" / "corpus" / "pages" / "809.txt").issues
    found = found[found["rule"] == "placeholder_text"]
    assert list(found["severity"]) == ["error", "error"]
    assert "马杭中心小学" in found.iloc[0]["message"] and "共计XX家" in found.iloc[1]["message"]
    # pages/810 (沧州市第五中学 2021, a PDF's text run into one line): the cover's "预算代码:XXX 单位名称:河北省 XXX 厅"
    found = jd.parse(ROOT / "tests" / "corpus" / "pages" / "810.txt").issues
    found = found[found["rule"] == "placeholder_text"]
    assert list(found["severity"]) == ["error"] and "预算代码:XXX" in found.iloc[0]["message"]
    # in the body, an XX that is no count (a model name) says nothing
    line = "本单位本年度购置XX型办公设备2台,合计3.50万元,主要用于日常办公和业务开展需要,较上年增加1台。\n"
    assert run_rules({}, text=line, rules=["placeholder_text"]) == []


def test_a_clause_amount_glued_to_a_lost_character_is_not_checked():
    # pages/955 (蕉城区 2022): a mis-decoded 类 line lost the amount's first digit ("?8639" is 48639:
    # 5273/(48639+5273) = 9.8%); the clause must not be read as 8639 and called wrong
    text = "?。ㄒ唬┮话愎卜罩С?8639万元,较上年减支5273万元,下降9.8%,主要是上年档案馆新馆建设支出的影响。"
    assert run(T(summary=[]), "change_pct_vs_amounts", text=text) == []
    # the same clause with a readable amount is still checked
    found = run(T(summary=[]), "change_pct_vs_amounts", text="一般公共服务支出8639万元,较上年减支5273万元,下降9.8%。")
    assert found and found[0]["rule"] == "change_pct_vs_amounts"


def test_last_and_next_mark_are_rfind_and_find_over_the_marks_on_the_seed():
    """``core.last_mark`` / ``next_mark`` (bisection over the marks' positions) answer what one ``rfind`` /
    ``find`` per mark answers, at every position of the seed and for every set of marks the rules ask."""
    from jueshuan_data.rules.core import last_mark, next_mark

    for marks in ("。！？；;", "。！？\n", "。；;\n"):
        for pos in range(-3, len(SEED) + 3, 7):
            assert last_mark(SEED, marks, pos) == max(SEED.rfind(c, 0, pos) for c in marks), (marks, pos)
            found = [i for i in (SEED.find(c, pos) for c in marks) if i >= 0]
            assert next_mark(SEED, marks, pos) == (min(found) if found else -1), (marks, pos)


# --- pages25 ---------------------------------------------------------------------------------------------

def test_the_totals_of_two_funds_are_two_balances_920():
    # pages/920 (a town's 2023 财政决算): "收入合计为6449万元" (its 一般公共预算) and "政府性基金收入总计3319万元 … 支出总计
    # 3319万元": no income_expenditure_balance finding across the two funds
    import jueshuan_data as jd
    issues = jd.parse(ROOT / "tests" / "corpus" / "pages" / "920.txt").issues
    assert not (issues["rule"] == "income_expenditure_balance").any()


def test_a_funds_grant_share_is_of_the_income_it_is_listed_under_915():
    # pages/915 (平昌县岳家镇 2017): "本年收入合计3939.39万元。其中:…政府性基金预算财政拨款收入75.35万元,占0.019%" --
    # 75.35 / 3939.39 is 1.91%
    import jueshuan_data as jd
    issues = jd.parse(ROOT / "tests" / "corpus" / "pages" / "915.txt").issues
    hit = issues[(issues["rule"] == "share_vs_amount") & (issues["severity"] == "error")]
    assert len(hit) == 1 and "75.35" in hit.iloc[0]["message"] and "0.019" in hit.iloc[0]["message"]


def test_truncated_document_silent_on_a_stray_cell_separator_after_the_last_full_stop_918():
    # pages/918 (a news page on the 财政部 2019 决算) ends "…保障各类市场主体平等参与政府采购活动。 |": the sentence is whole
    text = (ROOT / "tests" / "corpus" / "pages" / "918.txt").read_text(encoding="utf-8")
    assert text.endswith("活动。 |")
    assert run_rules({}, text=text, rules=["truncated_document"]) == []
    assert run_rules({}, text=text[:-4], rules=["truncated_document"])     # "…政府采购活" is cut
