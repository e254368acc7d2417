"""The seed report, 2023年度北京市西城区人民政府天桥街道办事处部门决算, read end to end.

Every expected value below was read by hand from seeds/tianqiao_2023.txt (the section is named).
"""

import math
import re
from pathlib import Path

import pandas as pd
import pytest

import jueshuan_data as jd
from jueshuan_data.numbers import parse_amount

SEED = Path(__file__).resolve().parent.parent / "seeds" / "tianqiao_2023.txt"


@pytest.fixture(scope="module")
def report():
    return jd.parse(SEED)


def one(df, **where):
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{where}: {len(sel)} rows\n{sel}"
    return sel.iloc[0]


def test_title_gives_entity_and_year(report):
    assert report.entity == "北京市西城区人民政府天桥街道办事处"
    assert report.fiscal_year == 2023
    assert len(report.report_id) == 16
    assert report.source == "tianqiao_2023.txt"


def test_same_text_same_report_id(report):
    again = jd.parse_text(SEED.read_text(encoding="utf-8"), source="copy.txt")
    assert again.report_id == report.report_id


# 第一部分/四/（一）: the 11 类 of 一般公共预算财政拨款支出 with amount and share
CLASSES_4_1 = [
    ("一般公共服务支出", "201", 7830.05, 31.06),
    ("国防支出", "203", 7.43, 0.03),
    ("公共安全支出", "204", 88.04, 0.35),
    ("教育支出", "205", 56.33, 0.22),
    ("科学技术支出", "206", 130.11, 0.52),
    ("文化旅游体育与传媒支出", "207", 205.88, 0.82),
    ("社会保障和就业支出", "208", 7894.78, 31.32),
    ("卫生健康支出", "210", 887.71, 3.52),
    ("节能环保支出", "211", 75.93, 0.30),
    ("城乡社区支出", "212", 7526.16, 29.86),
    ("住房保障支出", "221", 503.96, 2.00),
]


@pytest.mark.parametrize("subject,code,amount,share", CLASSES_4_1)
def test_general_budget_classes(report, subject, code, amount, share):
    row = one(report.expenditure_by_function, fund="一般公共预算", level="类", subject=subject)
    assert row.amount_wan == pytest.approx(amount)
    assert row.share_pct == pytest.approx(share)
    assert row.code == code


def test_classes_sum_to_printed_total_within_rounding(report):
    e = report.expenditure_by_function
    classes = e[(e.fund == "一般公共预算") & (e.level == "类")]
    assert len(classes) == 11
    total = one(report.summary, item="一般公共预算财政拨款支出").amount_wan
    assert total == pytest.approx(25206.39)
    # eleven terms printed to 0.01: the sum may be off by at most half a cent per term
    assert abs(classes.amount_wan.sum() - total) <= 11 * 0.005 + 0.005


# 第一部分/四/（二）: 款 with amount and signed change (万元)
KUAN_4_2 = [
    ("社会保障和就业支出", "行政事业单位养老支出", "20805", 769.83, -238.71),
    ("社会保障和就业支出", "抚恤", "20808", 286.17, 121.973),
    ("社会保障和就业支出", "民政管理事务", "20802", 3764.97, -77.34),
    ("社会保障和就业支出", "临时救助", "20820", 100.44, 20.11),
    ("社会保障和就业支出", "特困人员救助供养", "20821", 3.32, -7.49),  # change after a "；"
    ("社会保障和就业支出", "就业补助", "20807", 239.14, None),
    ("卫生健康支出", "医疗救助", "21013", 176.20, -325.76),
    ("卫生健康支出", "优抚对象医疗", "21014", 2.033, None),
    ("城乡社区支出", "城乡社区管理事务", "21201", 7789.40, -109.00),
    ("城乡社区支出", "城乡社区环境卫生", "21205", 4362.02, 974.17),
    ("一般公共服务支出", "政府办公厅（室）及相关机构事务", "20103", 7296.23, None),
    ("一般公共服务支出", "人大事务", "20101", 2.70, None),
]


@pytest.mark.parametrize("parent,subject,code,amount,change", KUAN_4_2)
def test_kuan_with_signed_change(report, parent, subject, code, amount, change):
    row = one(report.expenditure_by_function, level="款", subject=subject)
    assert row.parent_subject == parent
    assert row.amount_wan == pytest.approx(amount)
    assert row.code == code
    assert row.parent_code == code[:3]
    if change is None:
        assert pd.isna(row.change_wan)
    else:
        assert row.change_wan == pytest.approx(change)


def test_printed_name_is_kept_next_to_official_subject(report):
    row = one(report.expenditure_by_function, level="款", subject="抚恤")
    assert row.printed_name == "抚恤支出"
    assert row.amount_text == "286.17万元"


def test_every_kuan_of_4_2_is_read(report):
    e = report.expenditure_by_function
    kuan = e[(e.fund == "一般公共预算") & (e.level == "款")]
    # 9 under 一般公共服务, 12 under 社会保障和就业, 5 under 卫生健康, 4 under 城乡社区
    assert kuan.groupby("parent_subject").size().to_dict() == {
        "一般公共服务支出": 9, "社会保障和就业支出": 12, "卫生健康支出": 5, "城乡社区支出": 4}


def test_class_changes_of_4_2(report):
    e = report.expenditure_by_function
    assert one(e, level="类", subject="一般公共服务支出").change_wan == pytest.approx(718.43)
    row = one(e, level="类", subject="公共安全支出")
    assert row.prior_year_wan == pytest.approx(79.69)
    assert row.change_wan == pytest.approx(8.35)
    # "比去年同期增加支出2.05元": printed in 元, converted, literal kept (validation flags the unit)
    assert one(e, level="类", subject="教育支出").change_wan == pytest.approx(0.000205)


def test_government_fund_and_state_capital(report):
    e = report.expenditure_by_function
    row = one(e, fund="政府性基金预算")
    assert row.level == "项"
    assert row.subject == "用于社会福利的彩票公益金支出"
    assert row.parent_subject == "彩票公益金安排的支出"
    assert row.amount_wan == pytest.approx(3.09)
    assert row.share_pct == pytest.approx(100.0)
    s = report.summary
    cap = one(s, item="国有资本经营预算财政拨款支出")
    assert (cap.amount_wan, cap.prior_year_wan, cap.change_wan, cap.change_pct) == pytest.approx(
        (14.68, 16.98, -2.30, -13.55))
    fund_in = one(s, item="政府性基金预算财政拨款收入")
    assert (fund_in.amount_wan, fund_in.prior_year_wan, fund_in.change_wan, fund_in.change_pct) == pytest.approx(
        (3.09, 0.75, 2.34, 312.0))


SUMMARY = [
    ("收入合计", 25224.15, None, -976.21, -3.73),
    ("支出合计", 25224.15, None, -976.21, -3.73),
    ("财政拨款收入", 25224.15, 100.0, None, None),
    ("上级补助收入", 0.0, 0.0, None, None),
    ("基本支出", 6755.26, 26.78, None, None),
    ("项目支出", 18468.89, 73.21, None, None),
    ("预算数", 26840.40, None, None, None),
]


@pytest.mark.parametrize("item,amount,share,change,change_pct", SUMMARY)
def test_summary(report, item, amount, share, change, change_pct):
    s = report.summary
    row = one(s[s.fund.isna() | (s.fund == "一般公共预算")], item=item)
    assert row.amount_wan == pytest.approx(amount)
    for col, want in (("share_pct", share), ("change_wan", change), ("change_pct", change_pct)):
        assert pd.isna(row[col]) if want is None else row[col] == pytest.approx(want)


def test_carry_overs_belong_to_their_fund(report):
    # 五 (政府性基金) and 六 (国有资本经营) each print 年初结转和结余0元 and 年末结转结余0元
    s = report.summary
    carry = s[s.item.isin(["年初结转和结余", "年末结转和结余"])]
    assert sorted(zip(carry.item, carry.fund)) == [
        ("年初结转和结余", "国有资本经营预算"), ("年初结转和结余", "政府性基金预算"),
        ("年末结转和结余", "国有资本经营预算"), ("年末结转和结余", "政府性基金预算")]
    assert (carry.amount_wan == 0).all()
    assert set(carry.amount_text) == {"0元"}


def test_budget_execution_rate(report):
    assert one(report.summary, item="预算执行率").rate_pct == pytest.approx(93.98)


def test_basic_expenditure_by_economic(report):
    b = report.basic_expenditure_by_economic.set_index("item")
    assert b.loc["工资福利支出", "amount_wan"] == pytest.approx(6057.93)
    assert b.loc["商品和服务支出", "amount_wan"] == pytest.approx(444.16)
    assert b.loc["对个人和家庭的补助", "amount_wan"] == pytest.approx(253.17)
    assert b.loc["对个人和家庭的补助", "printed_name"] == "对个人和家庭补助支出"
    assert list(b.code) == ["301", "302", "303"]


LIVELIHOOD = [
    ("城市最低生活保障金", 1812.16),
    ("残疾人生活和护理补贴", 220.23),
    ("其他医疗救助", 176.20),
    ("军队移交政府的离退休人员安置", 150.86),
    ("其他优抚", 90.00),
    ("临时救助", 77.31),
]


def test_livelihood_has_seven_items(report):
    assert len(report.livelihood_spending) == 7
    assert report.livelihood_spending.amount_wan.sum() == pytest.approx(
        1812.16 + 220.23 + 176.20 + 150.86 + 90.00 + 77.31 + 91.71)


@pytest.mark.parametrize("item,amount", LIVELIHOOD)
def test_livelihood_items(report, item, amount):
    assert one(report.livelihood_spending, item=item).amount_wan == pytest.approx(amount)


ASSETS = [  # item, parent, amount, share, share_of, yoy
    ("资产总额", None, 6934.46, None, None, -3.08),
    ("负债总额", None, 500.41, None, None, 29.03),
    ("净资产", None, 6434.05, None, None, -4.92),
    ("流动资产", "资产总额", 507.07, 7.31, "资产总额", 74.35),
    ("固定资产", "资产总额", 6178.36, 89.10, "资产总额", -9.79),
    ("无形资产", "资产总额", 11.15, 0.16, "资产总额", -25.46),
    ("公共基础设施", "资产总额", 213.77, 3.08, "资产总额", None),
    ("政府储备物资", "资产总额", 24.10, 0.35, "资产总额", None),
    ("房屋和构筑物", "固定资产", 4195.39, 67.90, "固定资产", None),
    ("房屋", "房屋和构筑物", 4190.59, 67.83, "固定资产", None),
    ("设备", "固定资产", 1331.66, 21.55, "固定资产", None),
    ("车辆", "设备", 119.51, 1.93, "固定资产", None),
    ("图书和档案", "固定资产", 72.92, 1.18, "固定资产", None),
    ("家具和用具", "固定资产", 578.41, 9.36, "固定资产", None),
]


@pytest.mark.parametrize("item,parent,amount,share,share_of,yoy", ASSETS)
def test_asset_lines(report, item, parent, amount, share, share_of, yoy):
    row = one(report.asset_composition, item=item)
    assert row.amount_wan == pytest.approx(amount)
    assert (row.parent_item if not pd.isna(row.parent_item) else None) == parent
    assert row.basis == "账面净值"
    assert row.as_of == pd.Timestamp("2023-12-31")
    if share is None:
        assert pd.isna(row.share_pct)
    else:
        assert row.share_pct == pytest.approx(share)
        assert row.share_of == share_of
    if yoy is None:
        assert pd.isna(row.yoy_pct)
    else:
        assert row.yoy_pct == pytest.approx(yoy)


def test_asset_occupation_paragraph(report):
    a = report.asset_composition
    assert one(a, item="固定资产总额").amount_wan == pytest.approx(10581.06)
    car = one(a, item="汽车")
    assert (car["count"], car.count_unit, car.amount_wan) == (1, "辆", pytest.approx(15.13))
    big = one(a, item="单价100万元以上的设备")
    assert (big["count"], big.count_unit) == (3, "台（套）")


def test_three_public(report):
    t = report.three_public
    assert one(t, item="合计").amount_wan == pytest.approx(0.62)
    assert one(t, item="合计").budget_wan == pytest.approx(5.28)
    assert one(t, item="公务接待费").budget_wan == pytest.approx(2.83)
    car = one(t, item="公务用车运行维护费")
    assert (car.amount_wan, car.budget_wan, car.prior_year_wan, car.change_wan) == pytest.approx(
        (0.62, 2.45, 0.61, 0.01))
    assert one(t, item="公务用车保有量")["count"] == 1


def test_other_figures(report):
    o = report.other_figures
    proc = o[o.topic == "政府采购"].set_index("item")
    assert proc.loc["政府采购支出总额", "amount_wan"] == pytest.approx(4058.72)
    assert proc.loc["政府采购服务支出", "amount_wan"] == pytest.approx(1501.69)
    assert proc.loc["授予小微企业合同金额", "share_pct"] == pytest.approx(40.73)
    assert one(o, topic="机关运行经费").change_wan == pytest.approx(13.72)
    assert one(o, topic="政府购买服务").amount_wan == pytest.approx(3023.25)


FIGURE_TABLES = ["summary", "expenditure_by_function", "basic_expenditure_by_economic", "livelihood_spending",
                 "asset_composition", "three_public", "other_figures"]


@pytest.mark.parametrize("name", FIGURE_TABLES)
def test_every_span_points_at_its_literal(report, name):
    text = report.text
    df = report.tables[name]
    assert len(df)
    for r in df.itertuples():
        literal = text[r.char_start:r.char_end]
        assert literal == r.amount_text
        assert literal in r.evidence
        assert r.evidence in text


@pytest.mark.parametrize("name", FIGURE_TABLES)
def test_no_figure_is_invented(report, name):
    """Every amount equals the value of its own printed literal (in 万元), which occurs in the text."""
    df = report.tables[name]
    for r in df.itertuples():
        if pd.isna(r.amount_wan):
            continue
        a = parse_amount(r.amount_text)
        assert a.wan == pytest.approx(r.amount_wan), r
        assert r.amount_text in report.text


def test_facts_hold_every_number(report):
    f = report.facts
    text = report.text
    assert (f.apply(lambda r: text[r.char_start:r.char_end] == r.text, axis=1)).all()
    bound = f.dataset.notna().mean()
    assert 0.3 < bound < 1.0
    # a literal no dataset took is still there
    assert "5192.49平方米" in set(f.text)
    assert one(f, text="5192.49平方米").dataset is pd.NA or pd.isna(one(f, text="5192.49平方米").dataset)
    # a range "100%-80%" is two percentages, not a negative one
    assert not f.text.str.startswith("-").any()


def test_tables_are_validated_frames(report):
    from jueshuan_data import schemas

    for name, model in schemas.MODELS.items():
        model.validate(report.tables[name], lazy=True)
        assert list(report.tables[name].columns) == schemas.COLUMNS[name]
