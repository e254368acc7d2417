"""A report published as a web page: the narrative in paragraphs, a standard table as ``<table>``.

The page is built from a real report: the narrative of putuo_caizhengju_2024.txt, and its
一般公共预算财政拨款支出决算表 typed cell by cell from page 15 of the published PDF (a blank cell left empty),
saved in GBK with a ``<meta charset>`` as government sites often do.
"""

import html
import math
from pathlib import Path

import pytest

import jueshuan_data as jd

CORPUS = Path(__file__).resolve().parent / "corpus"

# 类, 款, 项, 科目名称, 合计, 基本支出, 项目支出 (page 15 of putuo_caizhengju_2024.pdf)
GPB_ROWS = [
    ("201", "", "", "一般公共服务支出", "2,106.66", "1,503.52", "603.14"),
    ("201", "06", "", "财政事务", "2,106.66", "1,503.52", "603.14"),
    ("201", "06", "01", "行政运行", "1,511.89", "1,503.52", "8.37"),
    ("201", "06", "02", "一般行政管理事务", "10.00", "", "10.00"),
    ("201", "06", "07", "信息化建设", "135.25", "", "135.25"),
    ("201", "06", "08", "财政委托业务支出", "449.52", "", "449.52"),
    ("208", "", "", "社会保障和就业支出", "326.72", "326.72", ""),
    ("208", "05", "", "行政事业单位养老支出", "326.72", "326.72", ""),
    ("208", "05", "01", "行政单位离退休", "84.65", "84.65", ""),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "160.75", "160.75", ""),
    ("208", "05", "06", "机关事业单位职业年金缴费支出", "80.38", "80.38", ""),
    ("208", "05", "99", "其他行政事业单位养老支出", "0.94", "0.94", ""),
    ("210", "", "", "卫生健康支出", "60.99", "60.99", ""),
    ("210", "11", "", "行政事业单位医疗", "60.99", "60.99", ""),
    ("210", "11", "01", "行政单位医疗", "60.99", "60.99", ""),
    ("221", "", "", "住房保障支出", "445.69", "445.69", ""),
    ("221", "02", "", "住房改革支出", "445.69", "445.69", ""),
    ("221", "02", "01", "住房公积金", "187.19", "187.19", ""),
    ("221", "02", "03", "购房补贴", "258.50", "258.50", ""),
]


def _page() -> bytes:
    text = (CORPUS / "putuo_caizhengju_2024.txt").read_text(encoding="utf-8")
    narrative = text[text.index("第三部分"):]
    paras = "".join(f"<p>{html.escape(line)}</p>\n" for line in narrative.split("\n") if line.strip("\f "))
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>\n" for r in GPB_ROWS)
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>上海市普陀区财政局2024年度部门决算</title><script>var x = "1,000.00";</script></head>
<body><h1>上海市普陀区财政局2024年度部门决算</h1>
<p>一般公共预算财政拨款支出决算表</p><p>单位：万元</p>
<table border="1">
<tr><td colspan="4">项目</td><td rowspan="3">合计</td><td rowspan="3">基本支出</td><td rowspan="3">项目支出</td></tr>
<tr><td colspan="3">支出功能分类科目编码</td><td rowspan="2">科目名称</td></tr>
<tr><td>类</td><td>款</td><td>项</td></tr>
{rows}<tr><td colspan="4">合计</td><td>2,940.05</td><td>2,336.91</td><td>603.14</td></tr>
</table>
{paras}</body></html>"""
    return page.encode("gbk")


@pytest.fixture(scope="module")
def page_report(tmp_path_factory):
    p = tmp_path_factory.mktemp("html") / "caizhengju_2024.html"
    p.write_bytes(_page())
    return jd.parse(p)


def _v(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def test_the_page_is_read_as_html_not_as_tags(page_report):
    assert page_report.document.form == "html"
    assert "<td>" not in page_report.text and "var x" not in page_report.text
    assert page_report.entity == "上海市普陀区财政局" and page_report.fiscal_year == 2024


def test_the_html_table_gives_the_figures_of_the_published_table(page_report):
    ebf = page_report.expenditure_by_function
    tab = ebf[(ebf["fund"] == "一般公共预算") & ebf["code"].notna()]
    got = {r.code: (r.amount_wan, _v(r.basic_wan), _v(r.project_wan)) for r in tab.itertuples()}
    for lei, kuan, xiang, name, total, basic, project in GPB_ROWS:
        num = lambda s: float(s.replace(",", "")) if s else None  # noqa: E731
        assert got[lei + kuan + xiang] == (num(total), num(basic), num(project)), name
    s = page_report.summary
    assert s[s["item"] == "一般公共预算财政拨款支出"]["amount_wan"].tolist() == [2940.05]


def test_the_page_gives_the_same_figures_as_the_text(page_report):
    txt = jd.parse(CORPUS / "putuo_caizhengju_2024.txt")
    page = page_report
    for ds, key in (("expenditure_by_function", ["fund", "code", "amount_wan", "basic_wan", "project_wan"]),):
        a = txt.tables[ds]
        b = page.tables[ds]
        a = a[(a["fund"] == "一般公共预算") & a["code"].notna()][key].sort_values(["code"]).reset_index(drop=True)
        b = b[(b["fund"] == "一般公共预算") & b["code"].notna()][key].sort_values(["code"]).reset_index(drop=True)
        assert a.astype(str).equals(b.astype(str))
    # the narrative figures are the same too (shares of the 类, the headline totals)
    for ds, cols in (("summary", ["item", "amount_wan"]), ("three_public", ["item", "amount_wan"])):
        a = txt.tables[ds]
        b = page.tables[ds]
        narrative = {tuple(r) for r in a[a["source_kind"] == "narrative"][cols].astype(str).values}
        assert narrative and narrative <= {tuple(r) for r in b[cols].astype(str).values}, ds
