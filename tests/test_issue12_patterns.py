"""Issue 12, extraction: narrative patterns seen in real reports, read as general rules.

Each test reads a real corpus document that shows the pattern (tests/corpus/pages/NNN.txt, the seed) or,
where the issue gives the layout, a snippet in that layout. Expected values are read by hand from the
text quoted in the comment above each assertion.
"""

from pathlib import Path

import pandas as pd
import pytest

import jueshuan_data as jd
from jueshuan_data.extract import labels

ROOT = Path(__file__).resolve().parent
PAGES = ROOT / "corpus" / "pages"
_cache = {}


def parse(name):
    if name not in _cache:
        path = ROOT.parent / "seeds" / name if name.startswith("tianqiao") else PAGES / name
        _cache[name] = jd.parse(path)
    return _cache[name]


def one(df, **where):
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == v
    rows = df[mask]
    assert len(rows) == 1, f"{where}: {len(rows)} rows\n{df}"
    return rows.iloc[0]


# --- quoted short names in a structure list, a space before the unit -----------------------------------

def test_quoted_short_names_in_a_structure_list():
    # the layout of the issue: `2.“公共安全”120.50 万元，占 3.20%；`
    text = ("2023年度某单位部门决算\n四、一般公共预算财政拨款支出决算情况说明\n"
            "（二）一般公共预算财政拨款支出决算结构情况\n"
            "2023年度一般公共预算财政拨款支出3,768.00 万元，主要用于以下方面：1.“一般公共服务”3,000.00 万元，"
            "占 79.62%；2.“公共安全”120.50 万元，占 3.20%；3.“社会保障和就业”647.50 万元，占 17.18%。\n")
    e = jd.parse_text(text, source="quoted.txt").expenditure_by_function
    row = one(e, code="204")
    assert (row.level, row.subject, row.amount_wan, row.share_pct) == ("类", "公共安全支出", 120.5, 3.2)
    assert one(e, code="201").amount_wan == 3000.0
    assert len(e) == 3


def test_quoted_names_of_a_real_budget():
    # 214 (上海市财政局 2025): 1.“一般公共服务支出”科目12,789万元 … 2.“社会保障和就业支出”科目1,756万元
    e = parse("214.txt").expenditure_by_function
    e = e[e.source_kind == "narrative"]
    assert one(e, code="201").amount_wan == 12789.0
    assert one(e, code="208").amount_wan == 1756.0


def test_entries_after_a_grant_spending_lead_in_are_the_general_budget_s():
    # 214: "财政拨款支出主要内容如下：" opens the list "1.“一般公共服务支出”科目12,789万元…" under the part
    # 2025年单位预算编制说明 (the 目录 numbers it, the body prints it bare); 政府性基金 and 国有资本经营 are 0
    # there, the list is the 一般公共预算 grants', as the entries naming their 类（款）（项） are read
    e = parse("214.txt").expenditure_by_function
    e = e[e.source_kind == "narrative"]
    assert {(r.subject, r.fund, r.section) for r in e.itertuples()} == {
        ("一般公共服务支出", "一般公共预算", "预算编制说明/1"), ("社会保障和就业支出", "一般公共预算", "预算编制说明/2"),
        ("卫生健康支出", "一般公共预算", "预算编制说明/3")}
    # 461 (上海市普陀区商务委员会 2025): the project texts after the list ("其中支持企业规模化发展870.00万") are
    # no entries of it: no functional row
    e = parse("461.txt").expenditure_by_function
    assert not e.subject.astype(str).str.startswith("支持企业").any()
    assert not e.amount_wan.isin([870.0, 70.0, 180.0, 50.0, 370.0]).any()


# --- code-prefixed subjects, traditional characters too -------------------------------------------------

def test_code_prefixed_subjects_in_traditional_characters():
    # the layout of the issue: `(二)205-教育支出1234萬元,較2021年決算數增加56萬元,增長4.75%`,
    # `1、20501-教育管理事務321萬元`
    text = ("2021年度某局部門決算\n五、一般公共預算財政撥款支出決算具體情況\n"
            "(二)205-教育支出1234萬元,較2021年決算數增加56萬元,增長4.75%。\n1、20501-教育管理事務321萬元。\n")
    e = jd.parse_text(text, source="codes.txt").expenditure_by_function
    cls = one(e, code="205")
    assert (cls.level, cls.subject, cls.printed_name) == ("类", "教育支出", "教育支出")
    assert (cls.amount_wan, cls.change_wan, cls.change_pct) == (1234.0, 56.0, 4.75)
    kuan = one(e, code="20501")
    assert (kuan.level, kuan.subject, kuan.amount_wan, kuan.parent_code) == ("款", "教育管理事务", 321.0, "205")
    assert not e.subject.str.contains(r"\d").any()


# --- a change clause that names its own subject ----------------------------------------------------------

def test_a_change_that_names_its_subject_binds_to_it():
    # the layout of the issue
    text = ("2023年度某单位部门决算\n四、财政拨款收入支出决算总体情况说明\n"
            "2023年度财政拨款收入总计500.00万元,其中:本年收入合计400.00万元,年初结转和结余100.00万元,"
            "与上年相比收入总计减少50.00万元,下降9.09%。\n")
    s = jd.parse_text(text, source="named.txt").summary
    total = one(s, item="财政拨款收入总计")
    assert (total.amount_wan, total.change_wan, total.change_pct) == (500.0, -50.0, -9.09)
    carry = one(s, item="年初结转和结余")
    assert pd.isna(carry.change_wan) and pd.isna(carry.change_pct)


def test_a_change_said_of_both_totals_after_them():
    # 019 (金华市救助管理站 2021): 收入总计519.07万元,支出总计519.07万元, 与2020年度相比,增加32.19万元,增长6.76%
    s = parse("019.txt").summary
    for item in ("收入总计", "支出总计"):
        row = one(s, item=item)
        assert (row.amount_wan, row.change_wan, row.change_pct) == (519.07, 32.19, 6.76)


def test_a_change_said_of_both_totals_with_each_after_them():
    # 802 (镇海龙赛医院 2021): 收入总计29,398.34万元,支出总计29,398.34万元,与2020年度相比,各减少15894.34万元,下降35.09%
    s = parse("802.txt").summary
    for item in ("收入总计", "支出总计"):
        row = one(s, item=item)
        assert (row.amount_wan, row.change_wan, row.change_pct) == (29398.34, -15894.34, -35.09)


def test_two_changes_said_of_both_totals_each_with_its_unit():
    # 862 (中共西藏自治区委政法委 2024): 收入总计7562.45万元,支出总计6632.48万元,与2023年度相比,
    # 收入、支出总计各增加1412.7万元、2062.79万元,增长15.74%、23.72%: the second of each pair is 支出's
    s = parse("862.txt").summary
    income, spending = one(s, item="收入总计"), one(s, item="支出总计")
    assert (income.amount_wan, income.change_wan, income.change_pct) == (7562.45, 1412.7, 15.74)
    assert (spending.amount_wan, spending.change_wan, spending.change_pct) == (6632.48, 2062.79, 23.72)


def test_a_bare_figure_after_the_comparison_is_the_change_its_rate_is_of():
    # 860 (达川区马家镇卫生院 2017): 财政拨款收入177.28万元,占29.67%,与2016年相比21.79万元,增加14.01%:
    # 21.79/(177.28-21.79) = 14.01%, so 21.79 is the change (as a prior the rate would be 713.58%)
    s = parse("860.txt").summary
    grant = one(s, item="财政拨款收入")
    assert (grant.amount_wan, grant.share_pct, grant.change_wan, grant.change_pct) == (177.28, 29.67, 21.79, 14.01)
    assert pd.isna(grant.prior_year_wan)
    # …2017年度财政拨款收入决算总计177.28万元。与2016年相比增加22.13万元,增加12.28%: 决算 inside the name
    total = one(s, item="财政拨款收入总计")
    assert (total.amount_wan, total.change_wan, total.change_pct) == (177.28, 22.13, 12.28)
    changes = parse("860.txt").issues.query("rule == 'change_pct_vs_amounts'").message.tolist()
    assert len(changes) == 1 and "22.13" in changes[0]  # the real one; none built on 21.79 as a prior


def test_bare_this_year_spending_under_a_heading_on_one_fund_is_that_funds_grant():
    # 811 (忻州市第二实验小学 2018): "二、2018年度一般公共预算收入支出决算情况 / 2018年度一般公共预算收入总计1085.31万元,
    # 本年支出1070.67万元,年末结转和结余30.65万元" -- the unit's own spending is "2018年度总支出1095.67万元" (一)
    s = parse("811.txt").summary
    row = one(s, item="一般公共预算财政拨款支出")
    assert (row.amount_wan, row.fund) == (1070.67, "一般公共预算")
    assert 1070.67 not in set(s[s["item"] == "支出合计"]["amount_wan"])


def test_a_change_in_its_own_sentence_names_its_subject():
    # 202 (长乐区 2017): 因公出国(境)费22.00万元。… 与2016年相比, 因公出国(境)经费支出减少28.23万元,下降56.2%
    t = parse("202.txt").three_public
    row = one(t, item="因公出国（境）费")
    assert (row.amount_wan, row.change_wan, row.change_pct) == (22.0, -28.23, -56.2)


def test_a_change_against_the_budget_is_not_a_change_against_last_year():
    # 023 (梧州 2020): 总额为5.48万元,比预算增加0万元,比去年增加1.55万元,增长39.4%
    row = one(parse("023.txt").three_public, item="合计")
    assert (row.amount_wan, row.change_wan, row.change_pct) == (5.48, 1.55, 39.4)


# --- counts that only make sense in their context; 三公 lines the seed states ---------------------------

def test_seed_trip_counts_are_named_by_their_context():
    # 2023年本单位使用公共预算财政拨款安排的出国（境）团组0个，累计0人次，人均因公出国（境）费用0元，其中:科研类
    # 因公出国（境）费0元，团组数0个，统战类因公出国（境）费0元，团组数0个。
    t = parse("tianqiao_2023.txt").three_public
    assert one(t, item="因公出国（境）团组")["count"] == 0
    assert one(t, item="因公出国（境）人次").count_unit == "人次"
    for kind in ("科研类", "统战类"):
        groups = one(t, item=f"{kind}因公出国（境）团组")
        assert (groups["count"], groups.count_unit, groups.parent_item) == (0, "个", "因公出国（境）费")
        spent = one(t, item=f"{kind}因公出国（境）费")
        assert (spent.amount_wan, spent.amount_text, spent.parent_item) == (0.0, "0元", "因公出国（境）费")
    per_head = one(t, item="人均因公出国（境）费")
    assert (per_head.amount_wan, per_head.amount_text) == (0.0, "0元")
    assert "团组数" not in set(t.item) and "累计" not in set(t.item)


def test_seed_reception_counts_keep_domestic_and_foreign_apart():
    # 2023年国内公务接待0批次，公务接待0人次。国（境）外公务接待0批次，公务接待0人次。
    t = parse("tianqiao_2023.txt").three_public
    for where in ("国内", "国（境）外"):
        assert one(t, item=f"{where}公务接待批次").count_unit == "批次"
        assert one(t, item=f"{where}公务接待人次").count_unit == "人次"


def test_seed_per_vehicle_cost():
    # 2023年度公务用车保有量1辆，车均运行维护费0.62万元。
    t = parse("tianqiao_2023.txt").three_public
    row = one(t, item="车均运行维护费")
    assert (row.amount_wan, row.parent_item) == (0.62, "公务用车运行维护费")
    assert one(t, item="公务用车保有量")["count"] == 1
    assert "车均运行维护费" not in set(parse("tianqiao_2023.txt").other_figures.item)


def test_reception_counts_in_their_own_clauses():
    # 317 (海口中院 2021): 国内接待费支出0.18万元,国内公务接待3批次,接待16人次
    t = parse("317.txt").three_public
    assert one(t, item="国内公务接待费").amount_wan == 0.18
    assert one(t, item="国内公务接待批次")["count"] == 3
    assert one(t, item="国内公务接待人次")["count"] == 16
    # 年末公务用车保有量38辆,其中:公务用车4辆,执勤执法用车34辆
    assert one(t, item="执勤执法用车")[["count", "parent_item"]].tolist() == [34, "公务用车保有量"]


def test_a_change_in_a_count_is_not_a_count():
    # 314: 国内公务接待批次为0次,较上年减少119批次 — no row counts -119 (nor 119) receptions
    t = parse("314.txt").three_public
    assert not (t["count"].dropna() == 119).any()


def test_percentages_in_brackets_after_a_change():
    # 105: 预算支出9.80万元,较上年减少18.50万元(65.37%); 因公出国(境)经费0万元,较上年增加(减少)0万元(0%)
    t = parse("105.txt").three_public
    total = one(t, item="合计")
    assert (total.change_wan, total.change_pct) == (-18.5, -65.37)
    trips = one(t, item="因公出国（境）费")
    assert (trips.change_wan, trips.change_pct) == (0.0, 0.0)
    assert pd.isna(trips.prior_year_wan)  # "较上年增加(减少)0万元" is no prior-year figure


# --- government-wide accounts ------------------------------------------------------------------------

def test_government_accounts_headline_figures():
    # 301 (湛江 2020): 加上上级补助收入366.92亿元(…)、待偿债置换一般债券上年结余4364万元、上年结余55.84亿元、调入资金
    # 47.08亿元、债务(转贷)收入39.68亿元、动用预算稳定调节基金25.82亿元等,全市一般公共预算收入总计673.56亿元
    s = parse("301.txt").summary
    expect = {"上级补助收入": 3669200.0, "待偿债置换一般债券上年结余": 4364.0, "上年结余": 558400.0,
              "调入资金": 470800.0, "债务(转贷)收入": 396800.0, "动用预算稳定调节基金": 258200.0,
              "一般公共预算收入总计": 6735600.0, "调出资金": 12700.0}
    for item, amount in expect.items():
        assert one(s, item=item).amount_wan == amount, item
    assert one(s, item="上年结余").amount_text == "55.84亿元"
    assert parse("301.txt").expenditure_by_function.empty


def test_government_balance_items_are_never_kuan_of_a_class():
    # 305 (西藏 2021): 一般公共预算支出2060.4亿元,下降6.8%;债务还本支出41.6亿元,安排预算稳定调节基金等323.6亿元。
    # 收支相抵,结转下年544.4亿元。
    r = parse("305.txt")
    assert r.expenditure_by_function.empty
    s = r.summary
    assert one(s, item="债务还本支出").amount_wan == 416000.0
    assert one(s, item="安排预算稳定调节基金等").amount_wan == 3236000.0
    assert one(s, item="结转下年").amount_wan == 5444000.0
    # 全区收入总量2970亿元 … 自治区本级收入总量2657.5亿元: both, their scope in the printed name
    totals = s[s.item == "一般公共预算收入总量"].set_index("printed_name").amount_wan
    assert totals.to_dict() == {"全区收入总量": 29700000.0, "自治区本级收入总量": 26575000.0}


def test_an_approved_budget_is_not_the_outcome():
    # 108 (乌审旗 2024): 经旗…会议批准全旗一般公共预算收入83.318亿元 … 1-6月,全旗一般公共预算收入完成100.03亿元
    s = parse("108.txt").summary
    revenue = s[s.item == "一般公共预算收入"]
    assert 833180.0 not in set(revenue.amount_wan)
    assert one(revenue, printed_name="全旗一般公共预算收入").amount_wan == 1000300.0


def test_an_outcome_label_takes_the_subject_its_sentence_named():
    # 102 (和平区 2021): …2021年一般公共预算收入调整为368000万元,实际收入377841万元,比2020年增加57452万元
    row = one(parse("102.txt").summary, item="一般公共预算收入")
    assert (row.amount_wan, row.change_wan, row.change_pct) == (377841.0, 57452.0, 17.93)


def test_fund_of_a_government_figure():
    # 205 (鼓楼区 2021): 全区政府性基金上年结余26.38亿元 (the 一般公共预算's 上年结余 is 2.38亿元)
    s = parse("205.txt").summary
    carry = s[s.item == "上年结余"]
    assert 263800.0 in set(carry[carry.fund == "政府性基金预算"].amount_wan)
    assert 23800.0 in set(carry[carry.fund == "一般公共预算"].amount_wan)
    assert 263800.0 not in set(carry[carry.fund != "政府性基金预算"].amount_wan)


# --- labels are noun phrases ---------------------------------------------------------------------------

def test_an_increase_in_a_reason_is_neither_a_kuan_nor_a_change():
    # 031 (深汕 2022): 一般公共服务支出14.24亿元,…增长1.3%。…增长的主要原因是…经济发展专项支出等,增支约0.18亿元。
    r = parse("031.txt")
    e = r.expenditure_by_function
    assert "增支" not in set(e.subject) and (e.level == "类").all()
    row = one(e, code="201")
    assert row.change_pct == 1.3 and pd.isna(row.change_wan)
    fact = one(r.facts, text="增支约0.18亿元")
    assert pd.isna(fact.dataset)  # the number stays in facts, bound to nothing


def test_a_connective_is_cut_where_segmentation_says():
    # 307 (汕尾 2018): …收入决算数129748万元,加上级补助收入428905万元; …支出决算数480691万元,加补助下级支出46930万元
    s = parse("307.txt").summary
    assert one(s, item="上级补助收入").amount_wan == 428905.0
    assert one(s, item="补助下级支出").amount_wan == 46930.0
    assert labels.strip_connective("加上级补助收入") == "上级补助收入"
    assert labels.strip_connective("加上上年结余") == "上年结余"


def test_a_printed_name_mapped_to_the_catalogue_by_its_tokens():
    # 112 (南滩社区卫生服务中心 2016): 医疗卫生和计划生育支出522.09万元 (the class is 医疗卫生与计划生育支出)
    row = one(parse("112.txt").expenditure_by_function, printed_name="医疗卫生和计划生育支出")
    assert (row.level, row.code, row.amount_wan) == ("类", "210", 522.09)
    assert labels.catalogue_match("醫療衛生和計劃生育支出", 2016).code == "210"


def test_the_seed_loses_its_clause_labels():
    # 根据财政定额以及街道实际情况确定社区党组织服务群众项目经费成本180万元; 本年度支出172.601822万元
    items = set(parse("tianqiao_2023.txt").other_figures.item)
    assert not any(i.startswith(("根据", "度", "具体包括")) for i in items)
    assert not any(any(c.isdigit() for c in i) for i in items)


def test_plausible_names():
    assert labels.plausible("绩效评级为良的项目")
    assert labels.plausible("用于社会福利的彩票公益金支出")
    assert not labels.plausible("级补助收入")
    assert not labels.plausible("天津市西青区行政审批局因公出国（境）费用、公务用车购置及运行维护费、公务接待费开支单位包括行政审批局机关及")


# --- 预算 reports and the other layouts met ------------------------------------------------------------

def test_budget_labels_are_the_budget_items():
    # 123 (花牛镇 2020 预算): 2020年财政拨款收入预算1166.0944万元 … 财政拨款支出预算1166.0944万元
    s = parse("123.txt").summary
    assert one(s, item="财政拨款收入").amount_wan == 1166.0944
    assert one(s, item="财政拨款支出").amount_wan == 1166.0944
    assert set(s.document_kind) == {"预算"}


def test_economic_classes_of_project_spending_are_not_basic_spending():
    # 309 (梧州 2024 预算): 工资福利支出预算 2016908.34 元,占基本支出预算81.45% … 2. 项目支出 469500 元 … 其中:
    # 工资福利支出 12000 元,占项目支出预算 2.56%
    econ = parse("309.txt").basic_expenditure_by_economic
    row = one(econ, item="工资福利支出")
    assert (row.amount_wan, row.share_pct, row.change_pct) == (201.690834, 81.45, 1.68)


def test_economic_classes_under_a_project_spending_heading_are_not_basic_spending():
    # 866 (梧州 2022 预算): 2.项目支出 0元,同比减少 47600 元,下降 100%。…其中:
    # 商品和服务支出预算 0元,同比减少 47600 元,下降 100%  (the project spending's class, no 占项目支出 said)
    r = parse("866.txt")
    econ = r.basic_expenditure_by_economic
    row = one(econ, item="商品和服务支出")  # only the 基本支出 one: 75800 元, +52044.27 元, +50.63%
    assert (row.amount_wan, row.change_pct) == (7.58, 50.63)
    assert "duplicate_conflict" not in set(r.issues.rule)


def test_a_subject_split_into_basic_and_project_spending():
    # 310 (梧州 2021 预算): 机构运行 1100910.5 元,其中:基本支出 1100910.5 元,项目支出 0元
    r = parse("310.txt")
    row = one(r.expenditure_by_function, printed_name="机构运行")
    assert (row.amount_wan, row.basic_wan, row.project_wan) == (110.09105, 110.09105, 0.0)
    assert pd.isna(row.level)  # the catalogue does not know 机构运行 here, the text does not print its level
    assert 110.09105 not in set(r.summary.amount_wan)  # its 基本支出 is no headline figure


def test_a_prior_year_figure_named_by_its_year():
    # 211 (普陀区社会福利院 2024 预算): “…事业单位离退休（项）”53.84万元 … 2023年当年预算执行数为54.60万元，2024年预算
    # 安排53.84万元，比2023年预算执行数减少1.39%
    e = parse("211.txt").expenditure_by_function
    row = one(e[e.source_kind == "narrative"], code="2080502")
    assert (row.amount_wan, row.prior_year_wan, row.change_pct) == (53.84, 54.6, -1.39)


def test_a_budget_table_flattened_into_text_lines():
    # 211: 2024年预算单位支出预算总表 (单位：元) … 208 10 社会福利 9,584,796 6,964,796 2,620,000
    e = parse("211.txt").expenditure_by_function
    row = one(e[(e.source_kind == "table") & e.fund.isna()], code="20810")
    assert (row.amount_wan, row.amount_text, row.level) == (958.4796, "9,584,796", "款")
    # its 基本支出 6,964,796 where the columns can be told apart, else nothing — never another number
    assert row.basic_wan in (696.4796,) or pd.isna(row.basic_wan)


def test_a_total_table_with_row_numbers_and_cell_rules():
    # 302 (黔南州中医医院 2020): 一、一般公共预算财政拨款收入 | 1 | 4,194.89 | … 五、事业收入 | 5 | 38,358.13 |
    s = parse("302.txt").summary
    assert one(s, item="一般公共预算财政拨款收入").amount_wan == 4194.89
    assert one(s, item="事业收入").amount_wan == 38358.13


def test_a_number_inside_a_list_of_amounts_takes_their_unit():
    # 113: …科学技术支出5万元,社会保障和就业支出197.81,医疗卫生与计划生育支出20.98万元…
    row = one(parse("113.txt").expenditure_by_function, code="208")
    assert (row.amount_wan, row.amount_text) == (197.81, "197.81")


def test_an_earlier_years_budget_in_a_budget_report_is_the_prior_year_figure():
    # 463 (普陀区财政局 2025 部门预算): “公务用车购置费0万元，与2024年预算一致0万元” — in a 2025 budget the 2024
    # 预算 is last year's figure (prior_year_wan), not the budget of the figure stated
    t = parse("463.txt").three_public
    row = one(t, item="公务用车购置费", source_kind="narrative")
    assert (row.amount_wan, row.prior_year_wan) == (0, 0)
    assert pd.isna(row.budget_wan)


def test_a_glossary_entry_names_no_topic_for_what_follows_it():
    # 461 (普陀区商务委 2025 部门预算): the last 名词解释 entry “（八）机关运行经费：指行政单位……的日常公用经费支出。”
    # is followed by the unnumbered heading “2025年部门预算编制说明”; its “收入预算37,151.47万元” is the 收入合计,
    # not a 机关运行经费 figure. The only 机关运行经费 figure is “…机关运行经费预算为171.01万元”.
    o = parse("461.txt").other_figures
    jg = o[o.topic == "机关运行经费"]
    assert list(jg.amount_wan) == [171.01]
    s = parse("461.txt").summary
    assert one(s, item="收入合计", source_kind="narrative").amount_wan == 37151.47


def test_the_funds_a_performance_target_list_involves():
    # 461: “本部门编报绩效目标的项目共25个，涉及项目预算资金11381.60万元” — the 11381.60万元 is the projects' funds
    o = parse("461.txt").other_figures
    assert one(o, topic="绩效", item="项目预算资金").amount_wan == 11381.60


# --- 重庆 district reports (pages 501–511) -------------------------------------------------------------

def test_a_numbered_item_opening_its_line_is_not_a_wrapped_figure():
    # 508 (梁平区本级 三公 2021): “1. 因公出国(境)费0万元,…与上年持平\n\n2. 公务接待费720.03万元,较上年增加113.1万元,
    # 上升18.63%”: item 1 ends without a full stop; item 2 is its own sentence, its change is 公务接待费's
    t = parse("508.txt").three_public
    row = one(t, item="公务接待费")
    assert (row.amount_wan, row.change_wan, row.change_pct) == (720.03, 113.1, 18.63)
    out = one(t, item="因公出国（境）费")
    assert out.amount_wan == 0 and pd.isna(out.change_wan) and pd.isna(out.change_pct)
    assert not (parse("508.txt").issues.rule.isin(["change_vs_prior", "change_pct_vs_amounts"])).any()


def test_a_change_named_verb_first_is_not_the_level_of_its_subject():
    # 510 (渝中区 三公 2017): “…三个单位上划到市级,减少了“三公”经费342.74万元,其中公务用车购置及运行维护费308.87万元”:
    # amounts the 三公 fell by for one cause, not the 三公 total (4,333.33) nor the 用车 line (4,058.29)
    t = parse("510.txt").three_public
    assert not t.amount_wan.isin([342.74, 308.87]).any()
    row = one(t, item="合计")
    assert (row.amount_wan, row.change_wan, row.change_pct) == (4333.33, -1276.52, -22.75)


def test_a_bare_side_word_names_the_total_stated_before():
    # 501 (沙坪坝区人民检察院 2016): “收入总计6955.73万元,支出总计6,954.57万元。与2015年决算数相比,收入增加950.05万元、
    # 增长15.82%,…。支出增加841.13万元,增长13.36%”
    s = parse("501.txt").summary
    inc, exp = one(s, item="收入总计"), one(s, item="支出总计")
    assert (inc.amount_wan, inc.change_wan, inc.change_pct) == (6955.73, 950.05, 15.82)
    assert (exp.amount_wan, exp.change_wan, exp.change_pct) == (6954.57, 841.13, 13.36)


@pytest.mark.parametrize("name,amount,change,pct", [
    ("506.txt", 2543.8, -40.23, -1.56),    # “2024年度收、支总计均为2543.8万元。收、支与2023年度相比,减少40.23万元,下降1.56%”
    ("507.txt", 6315.69, -3117.38, -33.1),  # “2024年度收、支总计均为6315.69万元。…减少3117.38万元,下降33.1%”
])
def test_both_totals_said_to_be_one_figure(name, amount, change, pct):
    row = one(parse(name).summary, item="收支总计")
    assert (row.amount_wan, row.change_wan, row.change_pct) == (amount, change, pct)


def test_the_accounts_named_before_their_total():
    # 502 (开州区赵家街道 2020): “本部门2020年度部门决算收入总计7201.51万元,支出总计7201.51万元” and
    # “收入合计7201.51万元,较上年决算增加744.16万元,增加比例11.52%”
    s = parse("502.txt").summary
    assert one(s, item="收入总计").amount_wan == 7201.51
    row = one(s, item="收入合计")
    assert (row.amount_wan, row.change_wan, row.change_pct) == (7201.51, 744.16, 11.52)


# --- a 决算 compared with last year's budget and with last year's 决算 ------------------------------------

def test_a_final_account_compared_with_last_years_budget_is_no_change_on_the_year():
    # pages/558 (许镇镇 2020): "决算数共计35.5万元,比上年预算数字下降35.45%,比上年决算数字下降34.26%"; in a
    # 决算 the change on the year is against last year's 决算, not last year's plan
    t = parse("558.txt").three_public
    got = {i: c for i, c in zip(t["item"], t.change_pct)}
    assert got == {"合计": -34.26, "公务接待费": -16.22, "公务用车运行维护费": -43.66}


def test_a_budget_compared_with_last_years_budget_by_zeng_and_jian():
    # pages/557 (保山市环境保护局 2019 “三公”经费预算, in 元): "预算安排389000元,比上年预算增56400元,同比增长16.96%";
    # "公务用车运行维护及购置费325000元" is the whole 公务用车 line, "公务用车运行维护费325000元,增72000元" its part
    t = parse("557.txt").three_public
    got = {i: (a, c, p) for i, a, c, p in zip(t["item"], t.amount_wan, t.change_wan, t.change_pct)}
    assert got["合计"] == pytest.approx((38.9, 5.64, 16.96))
    assert got["公务接待费"] == pytest.approx((6.4, -1.56, -19.6))
    assert got["公务用车购置及运行维护费"] == pytest.approx((32.5, 7.2, 28.46))
    assert got["公务用车运行维护费"] == pytest.approx((32.5, 7.2, 28.46))
    # "因公出国(境)费0元,比上年预算增(减)0元": the template's two directions, a change of 0, not a prior figure
    out = t[t["item"] == "因公出国（境）费"].iloc[0]
    assert out.change_wan == 0 and pd.isna(out.prior_year_wan)


def test_a_vehicle_upkeep_named_without_its_running_part():
    # pages/560 (a Hunan hospital's 2016 三公 预算): "公務用車維護費50000元,是我院行政小車開支" is the
    # 公务用车运行维护费 (5万元); its parts (油料款20000元 …, 車輛維護費12000元) are not that line
    t = parse("560.txt").three_public
    got = t[t["item"] == "公务用车运行维护费"]
    assert got.amount_wan.tolist() == [5.0]


def test_a_reception_qualifier_in_brackets_speaks_of_the_bracket_only():
    # pages/559 (九华山风景区宗教事务局 2019): "国内公务接待共139批次(其中外事接待0批次),1205人次(其中外事接待0人次)":
    # 1205 are the 国内 persons, the bracketed 0s the 外事 ones
    t = parse("559.txt").three_public
    got = {(i, c) for i, c in zip(t["item"], t["count"]) if not pd.isna(c)}
    assert {("国内公务接待批次", 139), ("国内公务接待人次", 1205), ("外事公务接待批次", 0), ("外事公务接待人次", 0)} <= got
    assert ("外事公务接待人次", 1205) not in got


def test_three_public_lines_named_short():
    # pages/655 (克州 2021): "公车购置支出470万元" is the 公务用车购置费, "因公出国费支出0万元" the 因公出国（境）费;
    # pages/654 (阿图什市 2021): "公车购置及运行维护费支出1502.58万元" the whole car line
    t = parse("655.txt").three_public
    assert t[t["item"] == "公务用车购置费"].amount_wan.tolist() == [470.0, 22.0]
    assert t[t["item"] == "因公出国（境）费"].amount_wan.tolist() == [0.0]
    t = parse("654.txt").three_public
    assert one(t, item="公务用车购置及运行维护费").amount_wan == 1502.58
    assert 0.0 in t[t["item"] == "因公出国（境）费"].amount_wan.tolist()


def test_lines_listed_then_named_as_three_public_are_the_total():
    # pages/208 (龙泉市 2018): "因公出国(境)经费、公务接待费、公车购置费,公车运行费(“三公”经费)决算总额2771万元"
    t = parse("208.txt").three_public
    assert one(t, item="合计").amount_wan == 2771
    assert t[t["item"] == "公务用车运行维护费"].amount_wan.tolist() == [1204]


def test_a_budget_the_outcome_is_a_share_of():
    # pages/655: "全州“三公经费”财政拨款支出4,855万元,比上年减支433万元,降低8.19%,为年初预算数6180万元的78.56%"
    t = parse("655.txt").three_public
    tot = t[t["item"] == "合计"]
    assert tot.amount_wan.tolist() == [4855.0, 1127.0] and tot.budget_wan.tolist() == [6180.0, 1537.0]
    assert one(t, item="公务用车运行维护费", amount_wan=3758.0).budget_wan == 4688.0


def test_a_revenue_line_as_a_share_of_its_budget():
    # pages/656 (延安 county 2021): "税收收入完成7236万元,占年度预算6280万元的115.2%,较上年决算5520万元,增收1716万元"
    s = parse("656.txt").summary
    r = one(s, item="税收收入")
    assert (r.amount_wan, r.budget_wan, r.execution_pct, r.prior_year_wan, r.change_wan) == (7236, 6280, 115.2, 5520, 1716)
    r = one(s, item="非税收入")
    assert (r.budget_wan, r.execution_pct, r.change_wan, r.change_pct) == (5720, 74.4, -2199, -34.1)
    # "我县完成地方财政收入11489万元,占年度预算12000万元的95.7%,较上年决算11972万元,减收483万元,减幅4%": 地方财政收入 is the
    # county's own 一般公共预算 revenue (财政总收入 23992 = 上划中、省、市收入 12503 + 地方 11489)
    r = one(s, item="地方一般公共预算收入")
    assert (r.amount_wan, r.budget_wan, r.execution_pct, r.prior_year_wan, r.change_wan, r.change_pct) == \
        (11489, 12000, 95.7, 11972, -483, -4)


# --- a unit naming itself and its year; a class with the verb of its outcome ----------------------------

def test_a_unit_naming_itself_and_its_year_states_its_totals():
    # pages/601 (大同师范高等专科学校 2021): “大同师范高等专科学校2021年收入6821.09751万元,2020年度增加1276.128557万元,
    # 增长23.01%” and “…2021年支出6821.09751万元2020年度增加1276.128557万增长23.01%”: the unit's 收入合计 and
    # 支出合计; the change is against 2020 though 比/较 is left out, and “1276.128557万” (no 元) is still 万元
    s = parse("601.txt").summary
    for item in ("收入合计", "支出合计"):
        row = one(s, item=item)
        assert (row.amount_wan, row.change_wan, row.change_pct) == (6821.09751, 1276.128557, 23.01)
    # “财政拨款资金收入5359.668673元,占全部收入的78.58%”, “事业性收入1456.594624元”: the 收入决算表's lines by a
    # longer name; kept as printed, in 元 (the unit misprint is a finding, not a correction)
    assert one(s, item="财政拨款收入").amount_wan == pytest.approx(0.5359668673)
    assert one(s, item="事业收入").amount_wan == pytest.approx(0.1456594624)
    # “基本支出2754.869651元,占比40.39%”: a share with no base printed, not a share “of 比”
    assert pd.isna(one(s, item="基本支出").share_of)


def test_a_bare_income_word_after_another_name_is_no_total():
    # the rule wants a unit's own name (or 本单位/本部门) and the year before the bare side word
    from jueshuan_data.extract.summary import _SELF_TOTAL

    assert _SELF_TOTAL.match("大同师范高等专科学校2021年收入").group("side") == "收入"
    assert _SELF_TOTAL.match("本单位2021年度支出").group("side") == "支出"
    for lead in ("项目支出", "事业收入", "社会保障和就业2021年支出", "2021年收入", "大同师范高等专科学校收入"):
        assert _SELF_TOTAL.match(lead) is None, lead


def test_a_class_with_the_verb_of_its_outcome_in_a_governments_accounts():
    # pages/604 (阿拉善盟 2020 财政收支): “社會保障和就業(yè)支出累計完成101568萬元,增長26.1%;城鄉(xiāng)社區(qū)支出累計
    # 完成87945萬元,增長44.4%;教育支出累計完成105297萬元,增長19.7%”: 类 of the 盟's 一般公共预算
    f = parse("604.txt").expenditure_by_function
    got = {s: (a, p) for s, a, p in zip(f.subject, f.amount_wan, f.change_pct)}
    assert got["社会保障和就业支出"] == (101568.0, 26.1)
    assert got["城乡社区支出"] == (87945.0, 44.4)
    assert got["教育支出"] == (105297.0, 19.7)
    assert set(f.level) == {"类"} and set(f.fund) == {"一般公共预算"}
    assert one(f, subject="教育支出").printed_name == "教育支出"


def test_an_estimated_outcome_against_a_budget_approved_by_a_named_session():
    # pages/606 (南开区 2023 预算执行情况): “2023年区级一般公共预算收入预计完成39.1亿元,完成区第十八届人大常委会第十九次
    # 会议批准收入调整预算37.5亿元的104.3%”; “2023年一般公共预算总收入预计为104.05亿元”; “…支出预计完成76.14亿元,
    # 完成…批准支出调整预算76.35亿元的99.7%”: 预计 is the year's figure as stated, the budget is named after 完成
    s = parse("606.txt").summary
    row = one(s, item="一般公共预算收入")
    assert (row.amount_wan, row.budget_wan, row.execution_pct) == (391000.0, 375000.0, 104.3)
    row = one(s, item="一般公共预算支出")
    assert (row.amount_wan, row.budget_wan, row.execution_pct) == (761400.0, 763500.0, 99.7)
    assert one(s, item="一般公共预算总收入").amount_wan == 1040500.0


# --- west18: reports of 新疆, 云南, 四川 read as general rules ------------------------------------------------

def test_the_year_and_a_bare_side_word_opening_a_line_are_the_units_totals():
    # pages/751 (昌吉州第五中学 2017): "…对比情况\n\n2017年度收入1858.06万元,与上年相比,增加193万元,增长11.59%,…
    # 2017年度支出2092.60万元,与上年相比,增加71.82万元,增长3.55%"
    s = parse("751.txt").summary
    inc, exp = one(s, item="收入合计"), one(s, item="支出合计")
    assert (inc.amount_wan, inc.change_wan, inc.change_pct) == (1858.06, 193.0, 11.59)
    assert (exp.amount_wan, exp.change_wan, exp.change_pct) == (2092.6, 71.82, 3.55)
    # inside a sentence, after another name, the same words are no total (see _SELF_TOTAL)
    t = jd.parse_text("2021年度某单位部门决算\n二、收入决算情况说明\n本年事业收入100万元,2021年收入50万元。\n",
                      source="inside.txt").summary
    assert "收入合计" not in t["item"].tolist()


def test_a_budgets_totals_named_zongshu_and_its_zhuanxiang_projects():
    # pages/753 (旺苍县张华镇 2018 预算): "2018年部门预算收入总数8105563.00元,较2017年部门预算收入总数8014212.00元
    # 增长1.13%", "部门专项项目预算74000.00元"
    s = parse("753.txt").summary
    inc = one(s, item="收入合计")
    assert (inc.amount_wan, inc.prior_year_wan, inc.change_pct) == (810.5563, 801.4212, 1.13)
    assert one(s, item="支出合计").amount_wan == 810.5563
    assert one(s, item="项目支出").amount_wan == 7.4


def test_personnel_and_public_spending_are_the_halves_of_basic():
    # pages/753: "部门基本支出预算7031563.00元,其中:人员支出5901832.00元,公用支出1129731.00元"
    e = parse("753.txt").basic_expenditure_by_economic
    assert one(e, item="人员经费").amount_wan == 590.1832
    assert one(e, item="公用经费").amount_wan == 112.9731


def test_a_budgets_three_public_lines_stated_as_budgets():
    # pages/753: "公务接待费预算124000.00元,较2017年决算一致;公务用车运行维护费预算0元,较2017年决算下降(上升)0%,…;
    # 公务用车购置费预算0元" -- the 决算 after each is the prior year's, compared with
    t = parse("753.txt").three_public
    assert one(t, item="公务接待费").amount_wan == 12.4
    assert one(t, item="公务用车运行维护费").amount_wan == 0
    assert one(t, item="公务用车购置费").amount_wan == 0


def test_a_hospitals_grant_and_the_funds_basic_and_project_spending():
    # pages/752 (云南省中西医结合医院 2017): "其中:财政补助收入2339.68万元 … 其中,财政补助收入减少660.26万元";
    # "四、一般公共预算财政拨款支出决算情况说明 …(二)…具体情况 1.基本支出1656.48万元,占一般公共预算财政拨款总支出的
    # 70.80% … 2.项目支出683.20万元,占…29.20%" (the all-funds 基本支出 is 7095.35 in 三、)
    s = parse("752.txt").summary
    g = one(s, item="财政拨款收入")
    assert (g.amount_wan, g.change_wan) == (2339.68, -660.26)
    b = one(s, item="一般公共预算财政拨款基本支出")
    assert (b.amount_wan, b.share_pct, b.fund) == (1656.48, 70.8, "一般公共预算")
    assert one(s, item="一般公共预算财政拨款项目支出").amount_wan == 683.2
    assert one(s, item="基本支出").amount_wan == 7095.35


def test_a_class_without_its_zhichu_in_a_list_announced_as_functional():
    # pages/757 (西宁市红星小学 2016 预算): "按支出功能分类科目:一般教育支出515.93万元,社会保障和就业支出104.25万元,
    # 医疗卫生56.18万元,住房保障支出42.13万元"
    f = parse("757.txt").expenditure_by_function
    assert one(f, printed_name="医疗卫生").amount_wan == 56.18
    assert one(f, subject="住房保障支出").amount_wan == 42.13


def test_the_old_name_gonggong_yusuan_bokuan_is_the_general_budget_grant():
    # pages/758 (商洛市统计局 2016 预算): "2016年收入预算总计404.77万元,其中公共预算拨款404.77万元"
    s = parse("758.txt").summary
    rows = s[s["item"] == "一般公共预算财政拨款收入"]
    assert rows.amount_wan.tolist() and set(rows.amount_wan) == {404.77}


def test_a_change_against_a_named_year_restating_the_subject_with_a_bare_prior():
    # pages/752: "2017年总收入6628.72万元,…\n相比2016年的总收入6871.82减少243.10万元,下降3.54%" (and 总支出 7778.55:
    # "相比2016年的总支出7171.97增加606.58万元,增幅8.46%"): 6628.72 + 243.10 = 6871.82, the bare figure the prior
    s = parse("752.txt").summary
    inc = one(s, printed_name="总收入")
    assert (inc.amount_wan, inc.change_wan, inc.change_pct, inc.prior_year_wan) == (6628.72, -243.1, -3.54, 6871.82)
    exp = one(s, printed_name="总支出")
    assert (exp.change_wan, exp.change_pct, exp.prior_year_wan) == (606.58, 8.46, 7171.97)


def test_a_congress_offices_budget_is_a_units_with_bracketed_halves():
    # pages/759 (昆明市盘龙区人大常委会办公室 2017 预算): "二、 2017年部门收入预算总体情况\n2017年部门经费预算7464053元,
    # 基本支出4566793元,其中工资福利支出(人员支出)3265013元,商品和服务支出(公用支出)843942元,对个人和家庭补助支出
    # (人员支出)457838元;项目支出(专项工作经费支出)2897260元" -- the office names the 人大常委会 but is a unit
    r = parse("759.txt")
    s = r.summary
    assert one(s, item="支出合计").amount_wan == 746.4053
    e = r.basic_expenditure_by_economic
    assert one(e, item="工资福利支出").amount_wan == 326.5013
    assert one(e, item="商品和服务支出").amount_wan == 84.3942
    assert one(e, item="对个人和家庭的补助").amount_wan == 45.7838


def test_a_budgets_totals_named_zonge():
    # pages/760 (苍溪县林业和园林局 2016 预算): "2016年部门预算收入总额4169万元,拟安排支出总额4169万元,其中:…"
    s = parse("760.txt").summary
    assert one(s, item="收入合计").amount_wan == 4169
    assert one(s, item="支出合计").amount_wan == 4169


def test_the_year_then_the_reporting_unit_and_a_bare_side_word():
    # pages/754 (刘堡镇卫生院 2021): "二、刘堡镇卫生院2021年度部门决算情况说明 … (二)支出决算情况\n2021年度,刘堡镇卫生院
    # 支出为430.2258万元。其中:\n基本支出240.0595万元。\n项目支出190.1663万元。"
    s = parse("754.txt").summary
    assert one(s, item="支出合计").amount_wan == 430.2258
    # a 项 that shares a unit's word is no unit the page reports for
    t = jd.parse_text("2021年度某县卫生健康局部门决算\n一、支出决算情况\n2021年度,乡镇卫生院支出为100.00万元。\n",
                      source="township.txt").summary
    assert "支出合计" not in t["item"].tolist()


def test_a_signed_percent_after_last_years_budget_is_a_change_not_an_execution_rate():
    # pages/851 (海南省交通运输厅 2022 “三公”预算): "因公出国(境)经费7万元,较上年预算下降90.54%" -- in a 预算 last
    # year's budget is the prior figure; a signed percent is never a rate the budget was carried out at
    t = parse("851.txt").three_public
    assert one(t, item="因公出国（境）费").change_pct == -90.54
    assert one(t, item="公务用车购置及运行维护费").change_pct == 329.31
    assert one(t, item="公务接待费").change_pct == 131.96
    # "完成预算的95%" stays a rate of execution
    r = jd.parse_text("2022年度某局部门决算\n“三公”经费支出决算19万元,完成预算的95%。\n", source="rate.txt")
    row = one(r.three_public, item="合计")
    assert pd.isna(row.change_pct)


def test_a_part_of_one_funds_spending_is_that_funds_part():
    # pages/858 (梧州某单位 2023 单位预算): "1. 基本支出预算 881300.39 元,占一般公共预算支出的 96.74%" and, in 六,
    # "2023 年本年一般公共预算基本支出 911000.39 元" (其中 人员经费 809961.19 + 公用经费 71339.2 = 881300.39):
    # both are the 一般公共预算 基本支出, stated twice with two values
    r = parse("858.txt")
    s = r.summary
    assert set(s[s["item"] == "基本支出"]["fund"]) == {"一般公共预算"}
    dup = r.issues[(r.issues["rule"] == "duplicate_conflict") & (r.issues["severity"] == "error")]
    assert len(dup) == 1 and "911000.39" in dup.iloc[0]["message"]


def test_a_closing_accounts_sentence_stating_the_three_public_budget_line_by_line():
    # pages/853 (铜梁区安居镇 2021 三公决算汇总): "2021年我镇“三公”经费预算为20万元,其中:因公出国(境)费0万元,公务接待费
    # 9万元,公务用车运行维护费11万元,公务用车购置0万元。2021年“三公”经费支出共计9.07万元,…" -- in a 决算 the
    # budget and its lines are budgets, not the year's spending
    t = parse("853.txt").three_public
    total = one(t, item="合计")
    assert (total.amount_wan, total.budget_wan) == (9.07, 20)
    row = one(t, item="公务接待费")
    assert pd.isna(row.amount_wan) and row.budget_wan == 9
    assert one(t, item="公务用车运行维护费").budget_wan == 11


def test_percentage_points_are_no_percent_change_of_an_amount():
    # pages/859 (随州市 2022 教育经费公告): "全市一般公共预算教育经费占一般公共预算支出1814597万元的比例15.68%,比上年的
    # 18.92%下降3.24个百分点" -- the points are the share's change, not 一般公共预算支出's (pages/706 likewise: "增加了0.78个百分点")
    for name in ("859.txt", "706.txt"):
        s = parse(name).summary
        row = one(s, item="一般公共预算支出")
        assert pd.isna(row.change_pct)
    assert one(parse("859.txt").summary, item="一般公共预算支出").amount_wan == 1814597


# --- a unit's own totals after its section heading's colon; a town's 财政决算收支总计 ---------------------------

def test_year_totals_run_on_after_the_section_heading_903():
    # pages/903 (鼎城区教育局(乡镇学校) 2018): "一、收入支出决算总体情况说明:2018年收入737615447元,
    # 支出743452949.21元" -- the year's income and spending of the unit (its 收入合计 and 支出合计), in 元
    s = parse("903.txt").summary
    assert one(s, item="收入合计").amount_wan == pytest.approx(73761.5447)
    assert one(s, item="支出合计").amount_wan == pytest.approx(74345.294921)
    # the bare side word after a heading's colon that is not a section heading is not the unit's own total
    head = "某单位2018年度部门决算\n"
    t = jd.parse_text(head + "一、收入支出决算总体情况说明:2018年收入100.00万元,支出90.00万元。", source="n.txt").summary
    assert {(x["item"], x["amount_wan"]) for x in t.to_dict("records")} == {("收入合计", 100.0), ("支出合计", 90.0)}
    t = jd.parse_text(head + "备注:2018年收入100.00万元,支出90.00万元。", source="n.txt").summary
    assert "收入合计" not in set(t.item) and "支出合计" not in set(t.item)


def test_a_towns_fiscal_accounts_total_904():
    # pages/904 (柏祥镇 2024, traditional copy, cut after "比上"): "2024年镇财政决算收支总计8472.11万元,比上"
    s = parse("904.txt").summary
    row = one(s, item="收支总计")
    assert row.amount_wan == pytest.approx(8472.11) and pd.isna(row.change_wan)


def test_numbered_kuan_under_a_governments_spending_statement():
    # pages/955 (蕉城区 2022 区本级财政总决算说明): under "一、區本級支出決算說明" the 款 of 一般公共服务支出 are
    # listed "1.人大事務1087萬元,較上年增支204萬元,增長23.1%"; its 类 line is mis-decoded, so the 款 stand alone
    e = parse("955.txt").expenditure_by_function
    row = one(e, subject="人大事务")
    assert (row.level, row.code, row.fund, row.amount_wan, row.change_wan, row.change_pct) == \
        ("款", "20101", "一般公共预算", 1087, 204, 23.1)
    assert one(e, subject="档案事务").change_wan == -4167
    assert one(e, subject="政府办公厅（室）及相关机构事务").amount_wan == 18524


def test_a_governments_spending_figure_with_its_execution_and_its_year_on_year_word_955():
    # pages/955 (蕉城区 2022 区本级财政总决算说明): "2022年度蕉城區本級一般公共預算支出數為459989萬元,占調整預算數115.8%,
    # 增支42991萬元,增長10.3%": the item's 数 (支出数) is the item; 增支, a government's word for more spending than the
    # year before, is the change with no 比上年 before it
    row = one(parse("955.txt").summary, item="一般公共预算支出")
    assert (row.amount_wan, row.execution_pct, row.change_wan, row.change_pct) == (459989, 115.8, 42991, 10.3)
    from jueshuan_data.extract.names import summary_items
    assert summary_items("一般公共预算支出数", government=True) == ("一般公共预算支出",)
    # … but a 决算's "财政拨款预算支出数" is the budget, not the outcome: its 数 names no item
    assert summary_items("一般公共预算财政拨款预算支出数") == ()
    # the word after other words of the clause is a reason's amount, no change of the figure
    r = jd.parse_text("一、区本级支出决算说明\n2022年度蕉城区本级一般公共预算支出数为459989万元,主要是人员增支42991万元。\n")
    assert pd.isna(one(r.summary, item="一般公共预算支出").change_wan)


def test_a_funds_means_for_the_year_952():
    # pages/952 (铜梁区小林镇 2022 财政决算报告), 二、地方财力及平衡情况: "全镇一般公共预算财力1,867.48万元。由一般公共预算收入
    # 111.11万元,加上级补助收入…构成" and "政府性基金财力0万元,由上级补助收入、上年结余等构成"
    s = parse("952.txt").summary
    assert (one(s, item="一般公共预算财力").amount_wan, one(s, item="一般公共预算财力").fund) == (1867.48, "一般公共预算")
    assert (one(s, item="政府性基金财力").amount_wan, one(s, item="政府性基金财力").fund) == (0, "政府性基金预算")


def test_a_funds_revenue_named_without_its_budget_word_207():
    # pages/207 (三明市 2018年上半年): "纳入预算管理的政府性基金收入完成298,304万元,比上年同期增收86,177万元,增长40.63%" is the
    # 政府性基金 revenue (as "纳入预算管理的国有资本经营预算收入完成7,088万元" is that fund's)
    row = one(parse("207.txt").summary, item="政府性基金收入")
    assert (row.fund, row.amount_wan, row.change_wan, row.change_pct) == ("政府性基金预算", 298304, 86177, 40.63)


def test_a_list_of_lines_ending_in_a_pair_joined_by_and_031():
    # pages/031 (深汕 2022): "一般公共预算收入4.98亿元,…,加上上级补助收入、上年结转结余、调入资金和动用预算稳定调节基金92.69亿元,
    # 总收入为97.67亿元": one figure for the whole list, its last two lines joined by 和
    s = parse("031.txt").summary
    assert one(s, item="上级补助收入、上年结转结余、调入资金和动用预算稳定调节基金").amount_wan == 926900
    from jueshuan_data.extract.names import government_item
    assert government_item("社会保障和就业支出") is None       # 和 inside a name is no list


def test_a_governments_list_of_lines_names_its_one_figure():
    # pages/952 (铜梁区小林镇 2022 财政决算报告): "加上托底保障补助、结算补助、专项转移支付补助、上年结转、动用预算稳定调节基金等
    # 1,756.37万元" is the sum of the whole list (not 动用预算稳定调节基金 alone), and "加上解支出、…、结转下年等0万元" is
    # 加 + 上解支出…, not 加上 + 解支出
    s = parse("952.txt").summary
    assert one(s, item="托底保障补助、结算补助、专项转移支付补助、上年结转、动用预算稳定调节基金等").amount_wan == 1756.37
    assert one(s, item="上解支出、安排预算稳定调节基金、结转下年等").amount_wan == 0
    assert not (s["item"] == "动用预算稳定调节基金等").any()


# --- pages25: a dashed list of 类, a joint share, a bare 财政拨款, a coordinated money item ----------------

def test_a_dashed_list_of_classes_920():
    # pages/920 (涪陵区 a town's 2023 财政决算): "——一般公共服务支出1650万元,增长40.78%;" … one 类 a line, each opened
    # by a dash: the dash is the list's bullet, not part of the name, and the lines are siblings
    f = parse("920.txt").expenditure_by_function
    row = one(f, subject="一般公共服务支出")
    assert (row.level, row.amount_wan, row.change_pct) == ("类", 1650, 40.78)
    assert one(f, subject="农林水支出").amount_wan == 1094
    # "——住房改革支出226万元,增长 40.37%" after 农林水支出: the catalogue's 款 of 住房保障支出 (22102), not a 款 of 农林水
    row = one(f, subject="住房改革支出")
    assert (row.level, row.amount_wan, row.parent_subject) == ("款", 226, "住房保障支出")
    # "——资源勘探信息支出1378万元,增长281.72%": the 类 资源勘探(工业)信息等支出 printed without its 等
    row = one(f, subject="资源勘探工业信息等支出")
    assert (row.level, row.amount_wan, row.change_pct) == ("类", 1378, 281.72)
    assert not parse("920.txt").summary["item"].astype(str).str.startswith("—").any()


def test_a_share_of_two_items_together_binds_to_neither_914():
    # pages/914 (教育部 2024): "經營收入16,348.77萬元,附屬單位上繳收入3,363.59萬元,兩項合計占0.1%" -- the 0.1% is the
    # share of both together, not of 附属单位上缴收入
    s = parse("914.txt").summary
    row = one(s, item="附属单位上缴收入")
    assert row.amount_wan == 3363.59 and pd.isna(row.share_pct)
    assert one(s, item="事业收入").share_pct == 43.2


def test_a_bare_grant_among_the_parts_of_the_income_914():
    # pages/914: "本年收入合計42,828,112.97萬元,…增長5.4%。其中:財政撥款17,229,526.68萬元,占40.2%;事業收入…" -- the bare
    # 财政拨款 listed as a part of the 收入合计 is the 财政拨款收入
    row = one(parse("914.txt").summary, item="财政拨款收入")
    assert (row.amount_wan, row.share_pct) == (17229526.68, 40.2)


def test_a_money_item_joined_to_another_is_not_that_item_915():
    # pages/915 (平昌县岳家镇 2017): "完成当年预算收支及医院事业收入3939.39万元" is both together; the 事业收入 is "事业收入
    # 171.05万元,占4.3%"
    s = parse("915.txt").summary
    assert one(s, item="事业收入").amount_wan == 171.05
    assert one(s, item="收入合计").amount_wan == 3939.39


def test_procurement_lines_without_their_heading_918():
    # pages/918 (a news page): "财政部2019年度政府采购支出总额33509.75万元,其中授予中小企业合同金额32407.19万元,占政府采购支出
    # 总额的96.7%,其中授予小微企业合同金额2739.43万元,占…8.2%" -- no 政府采购 heading, the lines name themselves; the year
    # of the accounts is 2019 ("从2020年7月1日起实施" is a date)
    r = parse("918.txt")
    assert r.fiscal_year == 2019
    o = r.other_figures
    assert one(o, item="政府采购支出总额").amount_wan == 33509.75
    row = one(o, item="授予中小企业合同金额")
    assert (row.topic, row.amount_wan, row.share_pct) == ("政府采购", 32407.19, 96.7)
    assert one(o, item="授予小微企业合同金额").amount_wan == 2739.43
