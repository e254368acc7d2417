"""Jiangsu provincial 部门预算 PDFs keyed in full (tests/corpus/pages/421-425): figures read by hand."""

from pathlib import Path

import pytest

import jueshuan_data as jd

PAGES = Path(__file__).resolve().parent / "corpus" / "pages"


def _rows(report, dataset, **eq):
    df = report.tables[dataset]
    for k, v in eq.items():
        df = df[df[k] == v]
    return df


@pytest.mark.parametrize("form", ["txt", "pdf"])
def test_economic_lines_with_level_marks(form):
    """江苏省政协办公厅 2017, 六/九 财政拨款基本支出: "1、工资福利支出（类）2,097.51 万元", "（1）基本工资（款）支出
    737.94 万元", "（8）公务接待费（款）支出 16 万元" are economic 类/款 of 基本支出 (not functional subjects, and
    the 16 万元 is not the 三公 公务接待费 of 443.50 万元)."""
    r = jd.parse(PAGES / f"421.{form}")
    econ = r.tables["basic_expenditure_by_economic"]
    got = {(i, a) for i, a in zip(econ["item"], econ["amount_wan"])}
    for item, amount in [("工资福利支出", 2097.51), ("基本工资", 737.94), ("对个人和家庭的补助", 2606.84),
                         ("提租补贴", 751.77), ("商品和服务支出", 1131.92), ("维修（护）费", 100.0),
                         ("公务接待费", 16.0), ("公务用车运行维护费", 156.6), ("其他商品和服务支出", 175.08)]:
        assert (item, amount) in got, item
    assert set(_rows(r, "three_public", item="公务接待费")["amount_wan"]) == {443.5}
    # the 款 belong to the 类 named above them: 医疗费 under 对个人和家庭的补助 (303) is not 30114 of 工资福利支出
    med = _rows(r, "basic_expenditure_by_economic", item="医疗费")
    assert set(med["parent_code"]) == {"303"} and "30114" not in set(med["code"].dropna())
    assert set(_rows(r, "basic_expenditure_by_economic", item="住房公积金")["code"]) == {"30311"}
    assert not set(r.tables["expenditure_by_function"]["subject"]) & {"工资福利支出", "基本工资", "离休费"}


def test_wrapped_label_figure_left_unread_and_table_ends_at_next_title():
    """江苏省高级人民法院 2018 (pages/422.txt). 收支预算总表: "三、单位预留机动经 / 2.政府性基金预算 三、国防支出 3,258.06 /
    费": the 3,258.06 is the 单位预留机动经费 (the 支出预算总表 says so), not a 国防支出. The empty 政府性基金预算财政拨款支出预算表
    ends at the title of the 机关运行经费 table below it: its 合计 3,407.38 and 302 商品和服务支出 are not the fund's."""
    r = jd.parse(PAGES / "422.txt")
    f = r.tables["expenditure_by_function"]
    assert "国防支出" not in set(f["subject"])
    assert set(f.loc[f["subject"] == "公共安全支出", "amount_wan"]) == {26200.88}
    assert not (f["fund"] == "政府性基金预算").any()
    s = r.tables["summary"]
    assert 3407.38 not in set(s.loc[s["item"] == "政府性基金预算财政拨款支出", "amount_wan"])
    assert not (r.issues["severity"] == "error").any() or set(r.issues.loc[r.issues.severity == "error", "rule"]) \
        == {"change_pct_vs_amounts"}


@pytest.mark.parametrize("form", ["txt", "pdf"])
def test_budget_tables_of_the_court_2018(form):
    """422: the economic table's 30231 公务用车运行维护费 266.80 (printed above the ruled box on its page in the PDF),
    the 三公 table's 合计 620.75 (a 预算's table prints the budget only), the one-row 支出预算总表 named by its columns."""
    r = jd.parse(PAGES / f"422.{form}")
    e = r.tables["basic_expenditure_by_economic"]
    assert set(e.loc[e["code"] == "30231", "amount_wan"]) == {266.8}
    if form == "pdf":
        t = r.tables["three_public"]
        assert set(t.loc[t["item"] == "合计", "amount_wan"]) == {620.75}
        s = r.tables["summary"]
        rows = s[s["table"].astype(str).str.endswith("支出预算总表") & ~s["table"].astype(str).str.contains("收支|财政")]
        # … and its fourth column, 单位预留机动经费 3,258.06 (33,172.15 = 18,570.82 + 11,343.27 + 3,258.06)
        assert dict(zip(rows["printed_name"], rows["amount_wan"])) == {"合计": 33172.15, "基本支出": 18570.82,
                                                                      "项目支出": 11343.27, "单位预留机动经费": 3258.06}


@pytest.mark.parametrize("n, three", [(422, {"合计": 620.75, "因公出国（境）费": 170.0, "公务用车购置及运行维护费": 266.8,
                                             "公务用车运行维护费": 266.8, "公务接待费": 183.95}),
                                      (423, {"合计": 513.75, "因公出国（境）费": 160.0, "公务用车购置及运行维护费": 266.8,
                                             "公务用车运行维护费": 266.8, "公务接待费": 86.95})])
def test_three_public_meeting_training_table_in_text(n, three):
    """公开09表 “三公”经费、会议费、培训费支出预算表 as text: one line of 8 figures under 9 columns (总计, 三公小计, 出国,
    车小计, 购置费 blank, 运行维护费, 接待, 会议费, 培训费). The identities place all but 购置/运行 (266.80 fits either);
    the economic table's "30231 公务用车运行维护费 266.80" settles them: the running costs are 266.80 (the keys, read
    from the rendered page: 购置费 blank)."""
    r = jd.parse(PAGES / f"{n}.txt")
    t = r.tables["three_public"]
    t = t[t["source_kind"] == "table"]
    assert dict(zip(t["item"], t["amount_wan"])) == three


@pytest.mark.parametrize("form", ["txt", "pdf"])
@pytest.mark.parametrize("n, amount", [(215, 28849.38), (405, 15897.44)])
def test_income_table_item_lines(form, n, amount):
    """215 (江苏省高级人民法院 2017) and 405: the 收入预算总表 prints one item a line under its group,
    "一般公共预算资金 公共财政拨款(补助)资金 28,849.38" (215), "…公共财政拨款（补助）资金 15897.44" (405), 专项收入
    and the other lines blank; the 小计 above it (its group's name is printed on the line below) is not an item."""
    s = jd.parse(PAGES / f"{n}.{form}").tables["summary"]
    rows = s[s["table"].astype(str).str.contains("收入预算总表") & ~s["table"].astype(str).str.contains("收支")]
    line = rows[rows["item"] == "公共财政拨款（补助）资金"]
    assert list(line["amount_wan"]) == [amount] and list(line["fund"]) == ["一般公共预算"]
    assert set(rows["item"]) == {"收入总计", "公共财政拨款（补助）资金"}
