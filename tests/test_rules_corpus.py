"""Findings on the real reports of the dev corpus: each rule fires where the printed report contradicts
itself, and stays silent where it does not.

Every number asserted here was read by hand from the page named (tests/corpus/pages/NNN.txt) and every
expected ratio was worked out by hand from those printed figures (the arithmetic is in the comment); none is
computed by the library. The contradictions are those keyed in the page's answer key (``contradictions``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

import jueshuan_data as jd
from jueshuan_data.rules import run_rules

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "corpus" / "pages"
SEED = (ROOT / "seeds" / "tianqiao_2023.txt").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _issues(name: str) -> tuple:
    path = PAGES / name if (PAGES / name).exists() else ROOT / "tests" / "corpus" / name
    return tuple(jd.parse(path).issues.to_dict("records"))


def found(name: str, rule: str, severity: str | None = None) -> list[dict]:
    return [f for f in _issues(name) if f["rule"] == rule and (severity is None or f["severity"] == severity)]


def errors(name: str) -> list[dict]:
    # a cut-off excerpt and rows the schema rejects are about reading, not about the report
    return [f for f in _issues(name) if f["severity"] == "error" and f["rule"] not in ("truncated_document", "schema")]


# ---------------------------------------------------------------------------------------------- a % change


def test_a_rate_that_is_not_change_over_prior_is_an_error():
    """112: '预算总收入为581.72万元,比上年增加149.29万元,增长0.35%' (and the same for 支出预算):
    prior = 581.72 - 149.29 = 432.43, 149.29 / 432.43 = 34.52 %; 0.35 is that ratio printed as a percentage."""
    fs = found("112.txt", "change_pct_vs_amounts", "error")
    assert len(fs) == 2
    for f in fs:
        assert f["actual"] == 0.35 and f["expected"] == pytest.approx(34.52, abs=0.01)
        assert "149.29" in f["message"] and "581.72" in f["message"]


def test_a_rate_in_brackets_is_read_with_its_change():
    """105: '公务接待费2.30万元,较上年减少1.5万元(42.86%)': 1.5 / (2.30 + 1.5) = 39.47 % (42.86 % = 1.5 / 3.5).
    '公务用车运行维护费7.50万元,较上年减少17万元(69.38%)': 17 / 24.50 = 69.39 %, truncated: at most a warning."""
    fs = found("105.txt", "change_pct_vs_amounts")
    assert [(f["severity"], f["actual"]) for f in fs if f["severity"] == "error"] == [("error", 42.86)]
    assert fs[0]["expected"] == pytest.approx(39.47, abs=0.01)
    assert all(f["severity"] == "warning" for f in fs if "69.38" in f["message"])


def test_a_rate_against_the_budget_uses_the_budget_as_base():
    """319: '“三公”经费41万元,较上年减少19万元,下降43.78% ,较年初预算数减少4万元,下降2.2%':
    19 / 60 = 31.67 % and 4 / 45 = 8.89 %, both far from what is printed."""
    fs = found("319.txt", "change_pct_vs_amounts", "error")
    assert sorted((f["actual"], round(f["expected"], 2)) for f in fs) == [(2.2, 8.89), (43.78, 31.67)]


def test_zero_growth_beside_a_rise_from_nothing_is_an_error():
    """116: '收、支总计445.20万元,比上年增加445.20万元,增长0.00%': the prior year had 0, yet 0.00 % is printed."""
    fs = found("116.txt", "change_pct_vs_amounts", "error")
    assert len(fs) == 2 and all(f["actual"] == 0.0 for f in fs)
    assert any("445.20" in f["message"] for f in fs) and any("322.62" in f["message"] for f in fs)


def test_rates_that_match_their_amounts_are_silent():
    """111: '收、支总计18691.71万元,比上年减少12258.84万元,下降39.61%': 12258.84 / 30950.55 = 39.61 %;
    '本年收入合计17786.10万元,比上年减少3433.46万元,下降16.18%': 3433.46 / 21219.56 = 16.18 %."""
    assert found("111.txt", "change_pct_vs_amounts") == []
    assert found("315.txt", "change_pct_vs_amounts") == []      # 较上年1174万元减少40万元,下降3% (40/1174 = 3.4)


def test_a_change_off_its_printed_base_is_an_error():
    """The seed prints '公共安全支出88.04万元，比去年同期79.69万元增加8.35万元' (88.04 - 79.69 = 8.35): silent. The
    same sentence with the change misprinted as 9.35 is an error of one 万元."""
    line = next(x for x in SEED.split("\n") if "比去年同期79.69万元增加8.35万元" in x)
    assert run_rules({}, text=line, rules=["change_vs_prior"]) == []
    bad = run_rules({}, text=line.replace("增加8.35万元", "增加9.35万元"), rules=["change_vs_prior"])
    assert [(f["severity"], f["actual"], round(f["expected"], 2)) for f in bad] == [("error", 9.35, 8.35)]


def test_a_fall_by_a_negative_rate_contradicts_its_decrease():
    """316: '支出决算数比2017年减少518,378.24元,下降-81.75%': a fall of -81.75 % is a rise."""
    fs = found("316.txt", "change_direction")
    assert [(f["severity"], abs(f["actual"])) for f in fs] == [("error", 81.75)]
    assert "518,378.24" in fs[0]["message"]
    assert found("111.txt", "change_direction") == [] and found("306.txt", "change_direction") == []


# ---------------------------------------------------------------------------------------------- parts


def test_changes_of_the_three_public_lines_against_the_budget_must_add_up():
    """317: budget 89.90, outcome 57.53 (-32.37); the lines' changes against their budgets are 0 (因公出国),
    -17.54 (公务用车) and -4.82 (公务接待): -22.36, i.e. their budgets add to 79.90, not 89.90."""
    fs = found("317.txt", "budget_parts_vs_total")
    assert [(f["severity"], f["expected"], round(f["actual"], 2)) for f in fs] == [("error", pytest.approx(-32.37),
                                                                                       -22.36)]


def test_a_line_at_zero_can_only_have_fallen():
    """319: the total is 4万元 below its 年初预算, 公务用车 4 and 公务接待 1 below theirs, and 因公出国 spent 0
    (so it was not above its budget): the lines fell by at least 5."""
    fs = found("319.txt", "budget_parts_vs_total")
    assert [(f["severity"], f["expected"], f["actual"]) for f in fs] == [("error", -4.0, -5.0)]


def test_changes_of_the_three_public_lines_against_the_prior_year_must_add_up():
    """202: '比上年减少支出613.80万元', the lines: 因公出国 -28.23, 公务用车购置费 -79.4, 公务用车运行费 -596.98,
    公务接待费 +1.36: -703.25 (the car line's change is the sum of its two parts')."""
    fs = found("202.txt", "change_parts_vs_total")
    assert [(f["severity"], f["expected"], round(f["actual"], 2)) for f in fs] == [("error", -613.8, -703.25)]


def test_changes_that_add_up_are_silent():
    """315: 较上年 -40 = -6 - 22 - 12; 较预算数 -103 = -217 + 114 (因公出国 0). 306: -1.55 vs +0.94 - 2.5 + 0 =
    -1.56, within rounding."""
    assert found("315.txt", "change_parts_vs_total") == [] and found("315.txt", "budget_parts_vs_total") == []
    assert found("306.txt", "change_parts_vs_total", "error") == []


def test_staff_parts_above_the_staff_total_are_an_error():
    """115: '编制人数为6人,其中行政4人,行政工勤1人,事业6人': 4 + 1 + 6 = 11 > 6."""
    fs = found("115.txt", "headcount_parts_vs_total")
    assert [(f["severity"], f["expected"], f["actual"]) for f in fs] == [("error", 6.0, 11.0)]
    assert found("113.txt", "headcount_parts_vs_total") == []   # 10 = 3 + 1 + 6
    assert found("114.txt", "headcount_parts_vs_total") == []   # 156 = 71 + 85


def test_a_budgets_basic_and_project_short_of_its_total_with_no_other_line_named():
    """753 (预算): '2018年部门预算支出总数8105563.00元 … 部门基本支出预算7031563.00元 … 部门专项项目预算74000.00元', and the
    page names no 预留/结转下年/other spending line: 7031563.00 + 74000.00 = 7105563.00 ≠ 8105563.00."""
    fs = found("753.txt", "basic_project_vs_total")
    assert [(f["severity"], f["expected"], round(f["actual"], 4)) for f in fs] == [("error", 810.5563, 710.5563)]
    # 758's 预算 (基本 319.08 + 项目 85.69 = 404.77) stays silent
    assert found("758.txt", "basic_project_vs_total") == []


def test_income_lines_and_carry_over_above_the_grand_total_are_an_error():
    """754: '收入总计为415.2644万元,其中:1.财政拨款收入364.5594万元 … 2.事业收入50.7050万元 … 3.上年结转和结余
    14.9614万元': 364.5594 + 50.7050 + 14.9614 = 430.2258 > 415.2644 (no 收入合计 printed)."""
    fs = found("754.txt", "income_parts_vs_total")
    assert [(f["severity"], f["expected"], round(f["actual"], 4)) for f in fs] == [("error", 415.2644, 430.2258)]


def test_personnel_and_public_that_detail_basic_in_its_sentence_are_its_whole():
    """122: '1、基本支出173.89万元,包括:人员经费支出161.57万元,公用经费支出12.23万元': 161.57 + 12.23 = 173.80 ≠
    173.89 (the classes of 按支出经济分类科目, 166.30 + 85.06 + 33.09 = 284.45, are of all the spending)."""
    fs = found("122.txt", "economic_vs_basic")
    assert [(f["severity"], f["expected"], round(f["actual"], 2)) for f in fs] == [("error", 173.89, 173.8)]


def test_economic_classes_of_the_whole_spending_are_not_parts_of_basic():
    """757: '基本支出710.50万元 … 项目支出7.99万元 … 按支出经济分类科目:工资福利支出550.11万元,商品和服务支出84.31万元,
    对个人和家庭的补助支84.07万元': 550.11 + 84.31 + 84.07 = 718.49 = the 支出预算 718.49, not the 基本支出's."""
    assert found("757.txt", "economic_vs_basic") == []
    assert errors("757.txt") == []


def test_the_retired_after_an_in_service_enumeration_are_not_its_parts():
    """753: '在职人员总数37人,其中行政人员19人,机关工勤1人,事业人员17人;退休人员18人': 19 + 1 + 17 = 37; the
    18 retired are not part of the 37 serving."""
    assert found("753.txt", "headcount_parts_vs_total") == []
    # 760: '在职人员总数134人,其中:行政人员22人,事业工勤人员112人;退休及退职人员51人;遗属补助13人': 22 + 112 = 134
    assert found("760.txt", "headcount_parts_vs_total") == []


def test_receptions_without_anyone_received_are_an_error():
    """314: '国内公务接待批次为0次,较上年减少119批次 … 共计接待0人次,与上年持平': the year before had 119
    receptions and 0 persons received."""
    fs = found("314.txt", "reception_persons_vs_batches")
    assert [(f["severity"], f["expected"], f["actual"]) for f in fs] == [("error", 119.0, 0.0)]
    assert found("319.txt", "reception_persons_vs_batches") == []   # 275 批次, 2700 人次
    assert found("317.txt", "reception_persons_vs_batches") == []   # 3 批次, 16 人次


# ---------------------------------------------------------------------------------------------- units, rates, words


def test_a_budget_in_the_wrong_unit_is_an_error():
    """316: '预算为494,400.00万元,支出决算为115,749.56元,完成预算的23.42%': 115749.56 / 494400 = 23.41 % only
    with both in 元; as printed the rate would be 0.0023 %."""
    fs = found("316.txt", "unit_misprint")
    assert [(f["severity"], f["actual"]) for f in fs] == [("error", 23.42)]
    assert "494,400.00万元" in fs[0]["message"]
    assert found("316.txt", "execution_rate", "error") == []      # the rate itself is not the error
    assert found("317.txt", "unit_misprint") == [] and found("314.txt", "unit_misprint") == []


def test_a_rate_of_a_budget_printed_as_zero_is_an_error():
    """putuo_shehuigongzuobu_2024: '年初预算为 0 万元，全年预算为 321.02 万元，支出决算为 307.82 万元，完成年初预算的
    95.89%' (307.82 / 321.02 = 95.89 %: the rate of the 全年预算, named 年初预算)."""
    fs = found("putuo_shehuigongzuobu_2024.txt", "execution_rate", "error")
    assert [f["actual"] for f in fs] == [95.89]
    # 314: 769.70 / 1102 = 69.85 %; 317: 57.53 / 89.90 = 63.99 %
    assert found("314.txt", "execution_rate") == [] and found("317.txt", "execution_rate") == []


def test_blank_template_figures_are_an_error():
    """322: '因公出国(境)费0万元,占 %,比上年减少万元;…购置及运行维护费5万元,占 %,…公务接待费30万元,占 %'."""
    fs = found("322.txt", "blank_figure")
    assert len(fs) == 1 and fs[0]["severity"] == "error" and fs[0]["message"].startswith("4处")
    assert all(x in fs[0]["message"] for x in ("0万元,占 %", "5万元,占 %", "30万元,占 %"))
    assert run_rules({}, text=SEED, rules=["blank_figure"]) == []


def test_a_heading_naming_another_year_is_an_error():
    """315: the page's title says 2021, its heading '迪庆州州本级2020年度“三公”经费决支出情况说明'."""
    fs = found("315.txt", "wrong_year")
    assert [(f["severity"], f["actual"], f["expected"]) for f in fs] == [("error", 2020.0, 2021.0)]
    assert found("317.txt", "wrong_year") == []


def test_a_budget_compared_with_its_own_year_and_a_project_period_over_before_it():
    """442 (上海市普陀区司法局 2026 部门预算): '财政拨款收入9628.22万元，比2026年预算增加793.14万元' (two paragraphs say it)
    and the 人民调解 project's '实施周期 2025年1月1日-2025年12月31日'; 441 (万里街道 2024 预算) compares with 2023."""
    fs = found("442.txt", "wrong_year")
    assert sorted((f["actual"], f["expected"]) for f in fs) == [(2025.0, 2026.0), (2026.0, 2025.0), (2026.0, 2025.0)]
    assert found("441.txt", "wrong_year") == []


# ---------------------------------------------------------------------------------------------- no false errors


def test_two_scopes_of_one_item_are_two_figures():
    """107: '(1)全市收支。一般公共预算收入2141亿元' and '(2)市级收支。一般公共预算收入890.7亿元'; 108: '全旗一般公共
    预算收入83.318亿元,其中:旗本级一般公共预算收入51.9亿元'."""
    assert found("107.txt", "duplicate_conflict") == [] and found("108.txt", "duplicate_conflict") == []


def test_two_qualified_statements_of_one_item_are_two_figures():
    """110: '财政体制改革前一般公共预算收入完成16.16亿元' and '财政体制改革后一般公共预算收入完成12.70亿元': one
    item before and after a reform, two figures — both read, no conflict between them. Their parts (税收收入
    10.28 / 7.28亿元 after '其中:') are told apart only by the sentence they sit in: a warning at most."""
    s = jd.parse(PAGES / "110.txt").summary
    got = s[s["item"] == "一般公共预算收入"].set_index("printed_name")["amount_text"].to_dict()
    assert got == {"改革前一般公共预算收入": "16.16亿元", "改革后一般公共预算收入": "12.70亿元"}
    fs = found("110.txt", "duplicate_conflict")
    assert not any("一般公共预算收入 两处" in f["message"] for f in fs)
    assert all(f["severity"] == "warning" and "未必是同一数字" in f["message"] for f in fs)


def test_the_part_of_another_figure_is_not_the_item_itself():
    """310: '2021年一般公共预算拨款支出1493924.6元,其中:基本支出1440224.6元' is the unit's 基本支出;
    '机构运行1100910.5元,其中:基本支出1100910.5元' is 机构运行's: at most a warning that says so."""
    fs = found("310.txt", "duplicate_conflict")
    assert all(f["severity"] == "warning" and "组成部分" in f["message"] for f in fs)
    # the extraction now reads 机构运行's 基本支出 as its column, no second 基本支出 of the unit
    e = jd.parse(PAGES / "310.txt").expenditure_by_function
    assert e.loc[e.printed_name == "机构运行", "basic_wan"].tolist() == [110.09105]


def test_a_rate_of_the_budget_is_no_share():
    """101: '一般公共服务支出112861万元,占调整预算104.5%' and '公共安全支出50826万元,占调整预算121%' are rates
    of their budgets, not shares of the total."""
    assert found("101.txt", "shares_sum_100") == [] and found("101.txt", "share_vs_amount") == []


def test_names_the_grammar_guessed_into_a_class_are_not_summed():
    """305 (a regional fiscal report): 中央补助2146.7亿元, 支出总量2451.5亿元 … are no 款 of 债务还本支出."""
    assert errors("305.txt") == []


@pytest.mark.parametrize("name", ["107.txt", "108.txt", "310.txt", "101.txt", "305.txt"])
def test_reports_keyed_without_contradictions_have_no_error(name):
    """Their answer keys list no contradiction (``contradictions: []``)."""
    assert errors(name) == []


# ---------------------------------------------------------------------------------------------- second round


def test_a_narrative_headline_against_its_table_cell():
    """putuo_guihuaziyuan_2024 section 六: '一般公共预算财政拨款基本支出 5377.64 万元'; the 合计 row of the
    一般公共预算财政拨款支出决算表 prints 基本支出 5364.75 (5377.64 is the all-funds 基本支出 of the 支出决算表).
    putuo_caizhengju_2024 section 四: '财政拨款收入支出总计0.3万元', the 总表's 总计 2,961.68."""
    fs = found("putuo_guihuaziyuan_2024.txt", "narrative_vs_table")
    assert [(f["severity"], f["expected"], f["actual"]) for f in fs] == [("error", 5364.75, 5377.64)]
    fs = found("putuo_caizhengju_2024.txt", "narrative_vs_table")
    assert [(f["severity"], f["expected"], f["actual"]) for f in fs] == [("error", 2961.68, 0.3)]
    # putuo_shehuigongzuobu_2024: '本年支出合计 307.82 万元，其中：基本支出 105.58 万元' as in its tables
    assert found("putuo_shehuigongzuobu_2024.txt", "narrative_vs_table") == []


def test_a_narrative_item_named_outside_the_classification():
    """putuo_guihuaziyuan_2024: '机关事业单位退休人员活动费支出（项）… 0.88' is 2080599 其他行政事业单位养老支出 0.88 in
    the table; '其他国土资源事务支出（项）… 45.00' is 2200199 其他自然资源事务支出 45.00."""
    fs = found("putuo_guihuaziyuan_2024.txt", "subject_name_vs_table")
    assert sorted(f["actual"] for f in fs) == [0.88, 45.0] and all(f["severity"] == "error" for f in fs)
    assert found("putuo_caizhengju_2024.txt", "subject_name_vs_table") == []


def test_an_item_restated_with_another_figure():
    """212 item 16: '…机关事业单位职业年金缴费支出（项）”220.63万元 … 2023年预算安排441.25万元' (441.25 is item 15's);
    211: six items whose '2024年预算安排' repeats their heading figure."""
    fs = found("212.txt", "item_restated")
    assert [(f["severity"], f["expected"], f["actual"]) for f in fs] == [("error", 220.63, 441.25)]
    assert found("211.txt", "item_restated") == []


def test_a_project_form_whose_fiscal_part_exceeds_its_total():
    """212, the 财政项目支出绩效目标填报表 of 公共服务设施运行经费: 年度资金申请总额 10,903,043.00, 其中：当年财政拨款
    11,419,043.00 (516,000 more than the whole); both halves of the other four forms (当年财政拨款 + 上年结转 + 其他
    = 年度资金申请总额, 财政资金 + 其他 = 项目资金总额) agree. The narrative counts 5 projects with 3328.13万元; the five forms ask 4,100,000.00 + 6,351,000.00 +
    4,563,800.00 + 7595500.00 + 10,903,043.00 = 33,513,343元. No such form in 211 / 214."""
    fs = found("212.txt", "project_funds_vs_total")
    assert sorted((f["severity"], f["expected"], f["actual"]) for f in fs) == [
        ("error", 3328.13, 3351.3343),  # '编报绩效目标的项目5个，涉及项目预算资金3328.13万元' vs the five forms
        ("error", 10903043.0, 11419043.0)]
    assert found("211.txt", "project_funds_vs_total") == [] and found("214.txt", "project_funds_vs_total") == []


def test_a_rate_against_a_base_printed_in_the_sentence():
    """212 item 3: '2022年当年预算执行数为11.67万元，2023年预算安排45.41万元，比2022年预算执行数增加314.82%':
    (45.41 - 11.67) / 11.67 = 289.12 %. Item 1 of the same template: (2.63 - 1.48) / 1.48 = 77.70 %, as printed."""
    fs = [f for f in found("212.txt", "change_pct_vs_amounts") if "11.67" in f["message"]]
    assert [(f["severity"], f["actual"], round(f["expected"], 2)) for f in fs] == [("error", 314.82, 289.12)]
    assert not [f for f in found("212.txt", "change_pct_vs_amounts") if "77.70" in f["message"]]


def test_an_increase_larger_than_the_amount():
    """212: '政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元' leaves a 2022 budget of -1421.25."""
    fs = found("212.txt", "change_vs_prior")
    assert [(f["severity"], f["expected"], f["actual"]) for f in fs] == [("error", 0.0, 1421.25)]


def test_a_rate_on_a_base_of_nothing():
    """putuo_shehuigongzuobu_2024 (founded in 2024): '收入支出总计307.82万元。与2023年度相比，收入支出总计增加307.82
    万元，增长100.00%' (the clause names its subject; its amount is the paragraph's)."""
    fs = [f for f in found("putuo_shehuigongzuobu_2024.txt", "change_pct_vs_amounts", "error")]
    assert len(fs) == 4 and all(f["actual"] == 100.0 for f in fs)
    assert any("机关运行经费" in f["message"] and "10.23" in f["message"] for f in fs)


def test_a_rate_whose_subject_sits_between_comparison_and_change():
    """217: '21,955.35万元，与上年相比收、支预算总计各增加3,958.67万元，增长21.95%': 3958.67 / 17996.68 = 22.00 %."""
    fs = [f for f in found("217.txt", "change_pct_vs_amounts", "error") if "3,958.67" in f["message"]]
    assert [(f["actual"], round(f["expected"], 2)) for f in fs] == [(21.95, 22.0)]


@pytest.mark.parametrize("name", ["217.txt", "217.pdf"])
def test_the_evidence_of_a_section_s_first_sentence_starts_at_its_heading(name):
    """217 (whole PDF): 第三部分 follows the last rows of the 政府采购 table ('教育服务 700.00'), with no sentence end
    between; the evidence of the first clause starts at the heading '一、收支预算总体情况说明', not in the table."""
    (f,) = [f for f in found(name, "change_pct_vs_amounts", "error") if "3,958.67" in f["message"]]
    assert f["evidence"].startswith("一、收支预算总体情况说明江苏省人民检察院")
    assert "700.00" not in f["evidence"] and f["evidence"].endswith("增长21.95%。")


def test_the_template_left_its_alternatives():
    """putuo_guihuaziyuan_2024: '减少 0.15 万元，下降（增长）27.78%'; 017: '决算数小于预算数(或与预算数持平)' beside
    '完成预算100%'. The seed's '增加（减少）0万元' changes nothing."""
    fs = found("putuo_guihuaziyuan_2024.txt", "template_choice")
    assert [(f["severity"], f["actual"]) for f in fs] == [("error", 27.78)]
    fs = found("017.txt", "template_choice")
    assert len(fs) == 1 and "完成预算100%" in fs[0]["message"]
    assert run_rules({}, text=SEED, rules=["template_choice"]) == []


def test_a_rate_without_its_percent_sign():
    """putuo_guihuaziyuan_2024 section 五: '一般公共预算财政拨款支出增加1193.20万元，增长 13.95。'."""
    fs = found("putuo_guihuaziyuan_2024.txt", "percent_sign_missing")
    assert [(f["severity"], f["actual"]) for f in fs] == [("error", 13.95)]
    assert found("027.txt", "percent_sign_missing") == []     # '增长1,055.4%'
    assert found("314.txt", "percent_sign_missing") == []     # '下降26.5' cut off by the excerpt's end


def test_a_count_and_its_list():
    """025: '设9个内设机构,分别为:办公室、投资促进股科、区域协作股、招商股、信息统计股、政工人事股、政策法规股、项目服务股'
    (8 named); 104: '内设7个职能科室' and 7 named; 111: '内设6个部门' and 6 named."""
    fs = found("025.txt", "listed_count")
    assert [(f["severity"], f["expected"], f["actual"]) for f in fs] == [("error", 9.0, 8.0)]
    assert found("104.txt", "listed_count") == [] and found("111.txt", "listed_count") == []


def test_shares_of_the_three_public_lines_add_to_100():
    """017: '因公出国(境)费…占0%；公务用车购置及运行维护费…1.4万元,占0.02%；公务接待费…0.28万元,占0.95%': 0.97 %.
    316: 32.89 + 52.74 + 14.37 = 100.00."""
    fs = found("017.txt", "shares_sum_100")
    assert [(f["severity"], round(f["actual"], 2)) for f in fs] == [("error", 0.97)]
    assert found("316.txt", "shares_sum_100") == []


def test_awards_to_small_firms_above_the_procurement_total():
    """putuo_shehuigongzuobu_2024: 政府采购金额 21.07; 中小企业 awards 21.07 in the reserved projects and 21.07 in the
    other projects: 42.14. putuo_caizhengju_2024: 246.47 + 4.79 = 251.26 vs 251.25, within rounding."""
    fs = found("putuo_shehuigongzuobu_2024.txt", "procurement_parts_vs_total")
    assert [(f["severity"], f["expected"], round(f["actual"], 2)) for f in fs] == [("error", 21.07, 42.14)]
    assert found("putuo_caizhengju_2024.txt", "procurement_parts_vs_total", "error") == []


def test_an_outcome_of_another_year_stated_as_the_reports_own():
    """017 (a 2023 决算): '2022年“三公”经费财政拨款支出决算为3.46万元,完成预算100%,较上年增加2.4万元'."""
    fs = [f for f in found("017.txt", "wrong_year") if f["actual"] == 2022.0]
    assert len(fs) == 1 and fs[0]["severity"] == "error"
    assert found("319.txt", "wrong_year") == []


def test_two_funds_of_one_item_are_two_figures():
    """204: '一般公共预算收入…加上转移性收入49.2亿元' and '政府性基金预算收入…加上转移性收入33.8亿元'."""
    assert found("204.txt", "duplicate_conflict") == []


def test_a_total_said_to_be_flat_while_a_part_fell_from_above_it():
    """putuo_caizhengju_2024: '与2023年度相比，财政拨款收入支出总计持平' (the 总表's 总计 is 2,961.68), but
    '一般公共预算财政拨款支出减少63.14万元': 2940.05 + 63.14 = 3003.19 in 2023, more than the whole 2024 总计.
    Its '“三公”经费…与2023年度持平' is no headline total and is left alone."""
    fs = found("putuo_caizhengju_2024.txt", "flat_wording")
    assert [(f["severity"], f["expected"], f["actual"]) for f in fs] == [("error", 2961.68, -63.14)]
    assert found("putuo_guihuaziyuan_2024.txt", "flat_wording") == []


def test_a_budget_row_with_a_column_the_reader_did_not_place():
    """raw/2017年度部门预算公开表.pdf (江苏省政协办公厅 2017 预算), 支出预算总表: '合计 基本支出 项目支出 单位预留机动经费
    结转下年资金 / 9,146.79 5,916.27 3,123.68 106.84': 5916.27 + 3123.68 + 106.84 = 9146.79; the reader places no
    单位预留机动经费, so 基本 + 项目 may only fall short of 合计 (and a 预算's 支出合计 has more lines than 基本 + 项目)."""
    r = jd.parse(ROOT / "tests" / "corpus" / "raw" / "2017年度部门预算公开表.pdf")
    errs = [f for f in r.issues.to_dict("records") if f["severity"] == "error"
            and f["rule"] in ("table_row_sum", "basic_project_vs_total")]
    assert errs == []


def test_a_loose_printing_of_a_subject_name_is_no_second_name():
    """raw/2019年度部门预算公开.pdf (江苏省人民检察院 2019 预算): '机关事业单位基本养老保险费（项）1064.46万元' is the
    table's 2080505 机关事业单位基本养老保险缴费支出 1,064.46 printed short; no finding (compare the two names outside
    the classification in putuo_guihuaziyuan_2024 above)."""
    r = jd.parse(ROOT / "tests" / "corpus" / "raw" / "2019年度部门预算公开.pdf")
    assert [f for f in r.issues.to_dict("records") if f["rule"] == "subject_name_vs_table"] == []


def test_a_table_read_apart_from_the_next_gives_no_second_figure():
    """raw/2017年省检察院部门预算.pdf: 30299 其他商品和服务支出 is 850.05 in 九、一般公共预算基本支出预算表 and 2,729.05
    in 十、一般公共预算机关运行经费支出预算表. The reader once joined 十 to 九 (a duplicate_conflict warning said
    "两张表被读成了一张"); it now ends 九 at 十's title: one 30299, 850.05, and no finding about it."""
    r = jd.parse(ROOT / "tests" / "corpus" / "raw" / "2017年省检察院部门预算.pdf")
    e = r.basic_expenditure_by_economic
    assert set(e.loc[(e["code"] == "30299") & (e["source_kind"] == "table"), "amount_wan"]) == {850.05}
    assert not [f for f in r.issues.to_dict("records") if f["rule"] == "duplicate_conflict" and "850.05" in f["message"]]


def test_a_comparison_opening_its_sentence_continues_the_one_before():
    """raw/2019年度部门预算公开.pdf: '此外，基本支出预算数为15,844.04万元。与上年相比增加1849.73万元，增长13.22%。':
    1849.73 / (15844.04 - 1849.73) = 13.22 %. The same two sentences with 23.22% printed are an error."""
    text = jd.parse(ROOT / "tests" / "corpus" / "raw" / "2019年度部门预算公开.pdf").document.text
    i = text.index("此外，基本支出预算数为15,844.04万元。")
    two = text[i:text.index("。", text.index("增长13.22%", i)) + 1]
    assert run_rules({}, text=two, rules=["change_pct_vs_amounts"]) == []
    bad = run_rules({}, text=two.replace("增长13.22%", "增长23.22%"), rules=["change_pct_vs_amounts"])
    assert [(f["severity"], f["actual"], round(f["expected"], 2)) for f in bad] == [("error", 23.22, 13.22)]


# ------------------------------------------- a narrative 项 restating a table row printed in 元 (Shanghai 预算)

def test_narrative_item_restating_a_table_cell_in_yuan_is_no_conflict():
    # 461 (普陀区商务委 2025 部门预算): the 编制说明 prints “…行政运行（项）”938.99万元 and the tables, in 元,
    # 201 13 01 行政运行 9,389,913.00 (= 938.9913万元, which rounds to 938.99); the totals 37,151.47万元 and
    # 371,514,655.00元 likewise: the same figures, no finding of any severity
    assert not found("461.txt", "duplicate_conflict")
    assert not errors("461.txt")


def test_narrative_item_misprint_against_a_table_cell_in_yuan_is_an_error():
    # 463 (普陀区财政局 2025 部门预算): item 7 prints 职业年金缴费支出（项）”887.36万元, the tables 208 05 06
    # 873,617.00元 = 87.36万元: an error, though the 名词解释 entry “机关运行经费：指……基本支出中的日常公用经费支出”
    # is (by the section tree) a heading over the 编制说明 — its label is 机关运行经费, not a 基本支出 part
    f = [x for x in found("463.txt", "duplicate_conflict", "error") if "职业年金" in x["message"]]
    assert len(f) == 1 and abs(f[0]["expected"] - 887.36) < 1e-9 and abs(f[0]["actual"] - 87.3617) < 1e-9
    # the items cut instead of rounded are off by less than one unit of the narrative's last place: warnings
    # (行政单位离退休 87.70万元 for 877,080.00元 = 87.708万元)
    w = [x for x in found("463.txt", "duplicate_conflict") if "行政单位离退休" in x["message"]]
    assert [x["severity"] for x in w] == ["warning"]
    # and the totals 3,121.42万元 = 31,214,205.80元 are no finding at all
    assert not [x for x in found("463.txt", "duplicate_conflict") if "3,121.42" in x["message"]]


def test_an_economic_row_of_basic_spending_is_part_of_the_three_public_figure():
    # 462 (普陀区政府办公室 2025 部门预算): 三公 公务接待费 28.50万元 (all spending) and the 基本支出 table's
    # 302 17 公务接待费 185,000.00元 (18.50万元, its basic part): no conflict
    assert not [f for f in found("462.txt", "same_name_conflict") if "公务接待费" in f["message"]]
    # 463: the narrative 住房公积金（项）204.91万元 is smaller than its basic part 301 13 住房公积金 2,049,197.00元
    # (204.9197万元): still a warning
    assert [f["severity"] for f in found("463.txt", "same_name_conflict") if "住房公积金" in f["message"]] == ["warning"]


def test_a_glossary_entry_read_as_a_heading_does_not_make_a_figure_a_part():
    """443 (上海市普陀区司法局 2026 单位预算): item 13 reads '购房补贴（03项）207万元 … 2026年预算安排170.03万元'; the
    编制说明 follows the glossary entry '（八）机关运行经费：指…基本支出中的日常公用经费支出', which must not make the
    170.03 a figure of 基本支出 only: it conflicts with the table's 2,070,000元 (both read by hand)."""
    fs = [f for f in found("443.txt", "duplicate_conflict", "error") if "购房补贴" in f["message"]]
    assert len(fs) == 1 and {fs[0]["expected"], fs[0]["actual"]} >= {170.03}


@pytest.mark.parametrize("form", ["441.txt", "441.pdf"])
def test_a_table_with_figures_under_a_note_that_it_is_empty(form):
    """441 (万里街道 2024 部门预算): the 三公 and 机关运行经费 table prints '47.91 0 1.35 46.56 25 21.56 443.18' and,
    under it, '注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。' (read by hand); the empty fund tables
    with the same note print no figure and give no finding."""
    fs = found(form, "empty_note_with_figures")
    assert [(f["severity"], f["actual"]) for f in fs] == [("error", 47.91)]
    assert found("444.txt", "empty_note_with_figures") == []


def test_item_printed_after_its_kuan_without_marker_is_compared_with_the_table():
    # pages/403 (江苏省人大常委会办公厅 2017) section 五: “1. 人大事务行政运行（项）支出 10528.33 万元” (the class's
    # figure) against the 财政拨款支出预算表's “2010101 行政运行 4,545.94”: a true contradiction, keyed
    import jueshuan_data as jd

    issues = jd.parse(Path(__file__).parent / "corpus" / "pages" / "403.txt").issues
    msgs = " ".join(issues[issues.severity == "error"].message)
    assert "行政运行" in msgs and "4,545.94" in msgs and "10528.33" in msgs


def test_a_blank_amount_after_yusuan_zhichu_is_an_error():
    """pages/404 (江苏省人大常委会办公厅 2019) section 十: '2019年政府性基金支出预算支出\\n万元。与上年相比增加（减少）0万元'."""
    fs = found("pages/404.txt", "blank_figure")
    assert len(fs) == 1 and "政府性基金支出预算支出万元" in fs[0]["message"]
    assert run_rules({}, text="本年一般公共预算支出1,200.00万元，其中：基本支出800.00万元。", rules=["blank_figure"]) == []


def test_a_change_against_the_direction_of_its_reason():
    """441 (万里街道 2024 部门预算), item 4: '2024年预算安排110.60万元，比2023年预算执行数减少2.98%。主要原因是：宣传事务
    一般行政管理事务经费增加。' (read by hand); its other 32 items give reasons in the direction of their change."""
    fs = found("441.txt", "reason_direction")
    assert [(f["severity"], f["actual"]) for f in fs] == [("error", 2.98)]
    assert found("444.txt", "reason_direction") == [] and found("442.txt", "reason_direction") == []


@pytest.mark.parametrize("form", ["443.txt", "443.pdf"])
def test_personnel_and_public_of_the_total_table_against_the_economic_table(form):
    """443 (司法局 2026 单位预算): 财务收支预算总表 支出总计 人员经费 20,374,181 / 公用经费 1,744,680 against the 经济分类
    预算表 合计 20,272,981.00 / 1,845,880.34 (101,200 moved between them; read by hand); 211 (社会福利院 2024) agrees."""
    fs = [f for f in found(form, "table_vs_table", "error") if f["message"].startswith(("人员经费", "公用经费"))]
    assert sorted((round(f["expected"], 4), round(f["actual"], 6)) for f in fs) == [(174.468, 184.588034),
                                                                                   (2037.4181, 2027.2981)]
    assert [f for f in found("211.txt", "table_vs_table") if f["message"].startswith(("人员经费", "公用经费"))] == []


def test_a_table_cell_in_yuan_rounds_to_the_narrative_figure():
    """442 (司法局 2026 部门预算): '财政拨款收入9628.22万元' and the 总表's '96,282,213.44' (单位：元) are one figure; the
    cell's literal carries no unit, its precision is that of 元 (read by hand)."""
    fs = [f for f in found("442.txt", "duplicate_conflict") if f["severity"] == "warning"]
    assert fs == []
    # a real restatement stays an error: 住房公积金 208.8 / 201.50万元
    assert [f for f in found("442.txt", "duplicate_conflict", "error") if "住房公积金" in f["message"]]


# ------------------------------------------------------------------------ parts printed in 元 against 万元

def test_parts_printed_in_yuan_against_totals_in_wan_yuan():
    """601 (大同师范高等专科学校 2021): “2021年收入6821.09751万元…其中:财政拨款资金收入5359.668673元,占全部收入的
    78.58%;事业性收入1456.594624元,占全部收入的21.36%;其他收入4.408577元,占全部收入的0.06%” and “2021年支出
    6821.09751万元…其中:基本支出2754.869651元,占比40.39%;项目支出4066.227859元,占比59.61%”. As printed the
    parts are 元: 0.5359668673 / 6821.09751 = 0.0079 % ≠ 78.58 %, and 0.2754869651 + 0.4066227859 = 0.6821 ≠
    6821.09751; the shares fit 万元 (2754.869651 / 6821.09751 = 40.39 %). Keyed: five share, two parts_vs_total."""
    shares = {f["actual"] for f in found("601.txt", "share_vs_amount", "error")}
    assert shares == {78.58, 21.36, 0.06, 40.39, 59.61}     # 占全部收入 is of 收入合计; 占比 of the side's total
    assert all("单位错印" in f["message"] for f in found("601.txt", "share_vs_amount", "error"))
    # the three income parts' shares add to 100 % (78.58 + 21.36 + 0.06): they are the whole 收入合计
    inc = found("601.txt", "income_parts_vs_total", "error")
    assert [f["expected"] for f in inc] == [6821.09751]
    assert [f["expected"] for f in found("601.txt", "basic_project_vs_total", "error")] == [6821.09751]
    assert len(errors("601.txt")) == 7


def test_a_bare_share_is_of_the_total_just_stated_before_its_part():
    """The layout of 601 (“支出6821.09751万元…其中:基本支出…,占比40.39%”) in a snippet: “占比70%” of 基本支出 60.00
    after 本年支出合计 100.00 is 60 %, an error; after “财政拨款支出80.00万元,其中:基本支出60.00万元,占比75%” the
    share is of 财政拨款支出 (60 / 80 = 75 %), not of the 支出合计 printed before it: silent."""
    head = "某局2021年度部门决算\n二、支出决算情况说明\n"
    bad = jd.parse_text(head + "2021年本年支出合计100.00万元,其中:基本支出60.00万元,占比70%;项目支出40.00万元,占比40%。\n")
    assert [f["actual"] for f in bad.issues.to_dict("records") if f["rule"] == "share_vs_amount"] == [70.0]
    ok = jd.parse_text(head + "2021年本年支出合计100.00万元。财政拨款支出80.00万元,其中:基本支出60.00万元,占比75%;"
                              "项目支出20.00万元,占比25%。\n")
    assert not [f for f in ok.issues.to_dict("records") if f["rule"] == "share_vs_amount"]


def test_a_change_rate_of_an_economic_class_against_its_amounts():
    # 866 (梧州 2022 预算): 商品和服务支出预算 75800 元,占基本支出预算%,同比增加 52044.27 元,增长 50.63%:
    # prior 75800-52044.27 = 23755.73, 52044.27/23755.73 = 219.08% (by hand), not 50.63%
    hits = found("866.txt", "change_pct_vs_amounts", "error")
    assert len(hits) == 1 and "50.63" in hits[0]["message"]
    assert abs(hits[0]["expected"] - 219.08) < 0.01
    # the other classes of the page agree: 21557.64/(905709.06-21557.64) = 2.44%, 7680/(73200-7680) = 11.72%
    assert not found("866.txt", "change_pct_vs_amounts", "warning")


def test_a_numbered_statement_saying_what_its_subject_paid_for_is_no_heading_of_a_part():
    # 401 (江苏省检察院 2017 预算): under "1．公共安全（类）支出 13656.34 万元，主要用于检察院行政支出及办案业务、…
    # 等项目支出。" the report states "此外，基本支出预算数为 12323.46 万元" (一(二)), and in 三 "基本支出
    # 12323.48 万元，占 68.48 %": the 项目支出 after the statement's first clause is what 公共安全 paid for, not a
    # heading making 12323.46 a 项目支出 figure -- one 基本支出, two values, an error
    fs = found("401.txt", "duplicate_conflict", "error")
    assert any("12323.46" in f["message"] and "12323.48" in f["message"] for f in fs)


def test_economic_classes_short_of_a_funds_basic_spending_are_an_error():
    # 866 (梧州 2022 预算): "工资福利支出预算 905709.06 元", "商品和服务支出预算 75800 元", "对个人和家庭补助支出预算
    # 73200 元" against "2022 年一般公共预算基本支出 1133753.33 元" (六): 905709.06 + 75800 + 73200 = 1054709.06 (by
    # hand), 79044.27 元 short of the 一般公共预算 基本支出 the three classes make up
    fs = found("866.txt", "economic_vs_basic", "error")
    assert len(fs) == 1 and "1133753.33" in fs[0]["message"] and "905709.06" in fs[0]["message"]


def test_an_introduction_publishing_a_budget_over_the_headings_of_accounts():
    # 754 (刘堡镇卫生院 2021): "现将2021年部门预算公开如下" introduces "二、刘堡镇卫生院2021年度部门决算情况说明" and its 决算
    # sections: the page publishes the 2021 决算, not a 预算
    fs = found("754.txt", "wrong_document_kind", "error")
    assert len(fs) == 1 and fs[0]["actual"] == 2021 and "部门决算情况说明" in fs[0]["message"]
    # introductions naming the page's own kind are silent (pages/123: "现将麦积区花牛镇政府2020年部门预算公开如下" over its 预算)
    assert not found("123.txt", "wrong_document_kind") and not found("301.txt", "wrong_document_kind")
    # "预算执行情况" is what a 决算 reports
    text = (PAGES / "754.txt").read_text(encoding="utf-8").replace("现将2021年部门预算公开如下", "现将2021年部门预算执行情况公开如下")
    assert not [f for f in jd.parse_text(text).issues.to_dict("records") if f["rule"] == "wrong_document_kind"]
    # a fund's 预算 (政府性基金预算, 一般公共预算), a 预算单位 or 预决算 name no kind of report
    for said in ("现将2021年政府性基金预算支出情况公开如下", "现将2021年一般公共预算财政拨款支出情况公开如下",
                 "现将本单位2021年度预算单位基本情况公开如下"):
        text = (PAGES / "754.txt").read_text(encoding="utf-8").replace("现将2021年部门预算公开如下", said)
        assert not [f for f in jd.parse_text(text).issues.to_dict("records") if f["rule"] == "wrong_document_kind"]
    text = (PAGES / "123.txt").read_text(encoding="utf-8")
    assert "2020年部门预算公开如下" in text
    text = text.replace("2020年部门预算公开如下", "2020年部门预决算公开如下")
    assert not [f for f in jd.parse_text(text).issues.to_dict("records") if f["rule"] == "wrong_document_kind"]


def test_a_change_in_bare_words_in_opposite_directions():
    # 865 (2018 预算): "2.商品和服务支出较上年减0.04万元,增0.01%。": 减 the amount, 增 the rate -- the bare words 增/减 are
    # directions as 增加/减少 are
    fs = found("865.txt", "change_direction", "error")
    assert len(fs) == 1 and fs[0]["actual"] == 0.01 and "减少0.04万元" in fs[0]["message"] and "增0.01%" in fs[0]["message"]
    # "1.工资福利支出较上年增18.67万元,增21.86%" agrees with itself
    assert not any("18.67" in f["message"] for f in found("865.txt", "change_direction"))
