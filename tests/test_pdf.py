"""PDF input read glyph by glyph: the published reports themselves, their tables by geometry.

Values below were read by hand from the rendered pages (the page number is the PDF's 1-based physical
page); none of them is computed by the library.
"""

import io
import math
from pathlib import Path

import pytest

import jueshuan_data as jd
from jueshuan_data import errors

CORPUS = Path(__file__).resolve().parent / "corpus"
RAW = CORPUS / "raw"


def _one(df, **where):
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (where, len(sel))
    return sel.iloc[0]


def _null(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("<NA>", "nan")


@pytest.fixture(scope="module")
def caizhengju():
    return jd.parse(CORPUS / "putuo_caizhengju_2024.pdf")


# 一般公共预算财政拨款支出决算表, page 15 of 上海市普陀区财政局2024年度部门决算.pdf
@pytest.mark.parametrize("code, total, basic, project", [
    ("2010601", 1511.89, 1503.52, 8.37),       # 行政运行
    ("2010602", 10.00, None, 10.00),            # 一般行政管理事务: 项目支出 only, 基本支出 blank
    ("2010608", 449.52, None, 449.52),          # 财政委托业务支出
    ("2080505", 160.75, 160.75, None),          # 机关事业单位基本养老保险缴费支出
    ("221", 445.69, 445.69, None),              # 住房保障支出
])
def test_putuo_caizhengju_gpb_table_rows_by_position(caizhengju, code, total, basic, project):
    ebf = caizhengju.expenditure_by_function
    r = _one(ebf[ebf["source_kind"] == "table"], code=code, fund="一般公共预算")
    assert r["table"] == "一般公共预算财政拨款支出决算表"
    assert r["amount_wan"] == total
    assert (_null(r["basic_wan"]) if basic is None else r["basic_wan"] == basic)
    assert (_null(r["project_wan"]) if project is None else r["project_wan"] == project)
    assert r["page"] == 15
    # the 合计 column of that page lies between x = 382 and 438 pt, the rows between y = 180 and 700 pt
    assert 382 <= r["x0"] < r["x1"] <= 438 and 180 <= r["y0"] < r["y1"] <= 700
    assert caizhengju.text[r["char_start"]:r["char_end"]] == r["amount_text"]


def test_putuo_caizhengju_gpb_total_and_document_kind(caizhengju):
    (gpb,) = [g for g in caizhengju.grids if g.kind == "gpb"]
    total = gpb.total_row().cells["合计"]
    assert total.literal == "2,940.05" and gpb.pages == [15]
    page, x0, y0, x1, y1 = caizhengju.document.box(total.start, total.end)
    assert page == 15 and 382 <= x0 < x1 <= 438
    # the same 2,940.05 is the 一般公共预算 column of the 财政拨款收入支出决算总表 (page 13): one summary row
    s = caizhengju.summary
    assert _one(s, item="一般公共预算财政拨款支出")["amount_wan"] == 2940.05
    assert set(s["document_kind"]) == {"决算"}
    assert caizhengju.document.form == "pdf"


def test_the_three_public_cell_the_text_could_not_place_is_read_from_its_column(caizhengju):
    # 财政拨款“三公”经费支出决算表 (page 18): 0.95 under 合计/预算数 and under 公务接待费/预算数
    tp = caizhengju.three_public
    tab = tp[tp["source_kind"] == "table"]
    assert _one(tab, item="公务接待费")["budget_wan"] == 0.95
    assert _one(tab, item="合计")["budget_wan"] == 0.95


def test_a_narrative_figure_keeps_its_page_and_box(caizhengju):
    s = caizhengju.summary
    r = _one(s[s["source_kind"] == "narrative"], item="收支总计")
    # “上海市普陀区财政局2024年度收入支出总计2995.39万元” opens part 3 on page 21, near the top
    assert r["page"] == 21 and r["amount_wan"] == 2995.39
    assert 0 < r["x0"] < r["x1"] < 595 and 600 < r["y0"] < r["y1"] < 842


def test_a_table_row_keeps_its_cell_when_the_narrative_restates_it(caizhengju):
    ebf = caizhengju.expenditure_by_function
    r = _one(ebf[ebf["fund"] == "一般公共预算"], code="201", level="类")
    # the 类 is printed in the table (page 15) and restated with its share in the narrative (page 21)
    assert r["source_kind"] == "table" and r["page"] == 15 and r["share_pct"] == 71.73


def test_the_pdf_numbers_sit_in_the_line_of_their_sentence(caizhengju):
    # the text layer of this PDF pushes the numbers of this sentence to the end of the line; the glyph
    # positions put them back: 截至2024年12月31日 … 共有车辆0辆
    assert "截至2024年12月31日，上海市普陀区财政局共有车辆0辆" in caizhengju.text


def test_every_form_of_the_three_putuo_reports_gives_the_same_table_figures():
    for name in ("caizhengju", "guihuaziyuan", "shehuigongzuobu"):
        txt = jd.parse(CORPUS / f"putuo_{name}_2024.txt")
        pdf = jd.parse(CORPUS / f"putuo_{name}_2024.pdf")
        for ds in ("expenditure_by_function", "basic_expenditure_by_economic"):
            a, b = txt.tables[ds], pdf.tables[ds]
            key = ["code", "amount_wan"]
            a = a[a["source_kind"] == "table"][key].dropna().sort_values(key).reset_index(drop=True)
            b = b[b["source_kind"] == "table"][key].dropna().sort_values(key).reset_index(drop=True)
            assert a.equals(b), (name, ds)


# the copy of the 财政局 report with errors injected (raw/24年普陀区财政局（测试问题版本）.pdf), against the good copy
INJECTED = {
    "placeholder_text": "XX局",                      # 第二部分 上海市普陀区XX局 2024 年度部门决算表
    "narrative_vs_table": "收入支出总计”0万元",       # 收入支出总计0万元 against the 总表's 总计 2,995.39
    "budget_wording": "决算数大于预算数",               # 1511.89 < 1560.05 said to be 大于
    "wrong_year": "2023年",                          # 第三部分 …2023年度部门决算情况说明; 截至2023年12月31日
    "missing_table": "支出决算表",                     # listed in the contents, not printed
    "empty_table_without_note": "三公",                # its one data row removed, no 无数据 note
}


def test_the_injected_error_copy_yields_the_findings_the_good_copy_does_not():
    good = jd.parse(CORPUS / "putuo_caizhengju_2024.pdf").issues
    bad = jd.parse(RAW / "24年普陀区财政局（测试问题版本）.pdf").issues
    good_errors = set(good.loc[good["severity"] == "error", "rule"])
    bad_errors = bad[bad["severity"] == "error"]
    for rule, words in INJECTED.items():
        hits = bad_errors[(bad_errors["rule"] == rule) & bad_errors["message"].str.contains(words, regex=False)]
        assert len(hits) >= 1, (rule, bad_errors[["rule", "message"]].to_string())
        if rule != "narrative_vs_table":      # the good copy has one of its own: 财政拨款收入支出总计0.3万元
            assert rule not in good_errors, rule
    wording = bad_errors[bad_errors["rule"] == "budget_wording"]
    assert len(wording) == 3     # 行政运行 大于, 职业年金 大于, 行政单位医疗 等于
    assert len(bad_errors[bad_errors["rule"] == "wrong_year"]) == 2


# one 江苏 预算 of each year: 一般公共预算支出预算表, 2010101 行政运行 and the 合计 (read from the page)
@pytest.mark.parametrize("name, year, page, run_cost, total", [
    ("江苏省人大办公厅2017年度预算公开.pdf", 2017, 16, 4545.94, 13649.07),
    ("省人大办公厅2018预算公开.pdf", 2018, 13, 6372.32, 15897.44),
    ("江苏省人大常委会办公厅2019年部门预算公开表.pdf", 2019, 7, 7448.20, 18330.37),
])
def test_jiangsu_budget_pdfs_parse_as_budgets(name, year, page, run_cost, total):
    r = jd.parse(RAW / name)
    assert r.fiscal_year == year and r.document.doc_kind == "预算"
    ebf = r.expenditure_by_function
    gpb = ebf[(ebf["fund"] == "一般公共预算") & (ebf["source_kind"] == "table")]
    row = _one(gpb, code="2010101")
    assert row["amount_wan"] == run_cost and row["page"] == page and row["document_kind"] == "预算"
    s = r.summary
    assert _one(s[s["source_kind"] == "table"], item="一般公共预算财政拨款支出")["amount_wan"] == total


def test_a_label_wrapped_in_its_cell_stays_with_its_row():
    # 省人大办公厅2018预算公开.pdf page 13: “机关事业单位基本养老保险缴费支\n出” 580.01
    r = jd.parse(RAW / "省人大办公厅2018预算公开.pdf")
    ebf = r.expenditure_by_function
    row = _one(ebf[(ebf["fund"] == "一般公共预算") & (ebf["source_kind"] == "table")], code="2080505")
    assert row["printed_name"] == "机关事业单位基本养老保险缴费支出" and row["amount_wan"] == 580.01


def test_a_budget_in_yuan_is_converted_and_keeps_its_literal():
    # 上海市普陀区财政局部门25年预算.pdf: the tables are in 元 (单位：元); 一般公共服务支出 22,186,440.80 元
    r = jd.parse(RAW / "上海市普陀区财政局部门25年预算.pdf")
    ebf = r.expenditure_by_function
    row = ebf[(ebf["code"] == "201") & (ebf["fund"] == "一般公共预算") & (ebf["source_kind"] == "table")].iloc[0]
    assert row["amount_text"] == "22,186,440.80"
    assert row["amount_wan"] == pytest.approx(2218.64408, abs=1e-9)


def _image_only_pdf(path: Path) -> None:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(CORPUS / "putuo_shehuigongzuobu_2024.pdf")
    w, h = src[4].get_size()
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(w, h)
    img = pdfium.PdfImage.new(pdf)
    img.set_bitmap(src[4].render(scale=1.0))
    img.set_matrix(pdfium.PdfMatrix().scale(w, h))
    page.insert_obj(img)
    page.gen_content()
    buf = io.BytesIO()
    pdf.save(buf)
    path.write_bytes(buf.getvalue())


def test_a_scan_has_no_text_layer(tmp_path):
    p = tmp_path / "scan.pdf"
    _image_only_pdf(p)
    with pytest.raises(jd.NoTextLayerError, match=r"^scan\.pdf: no text layer"):
        jd.parse(p)


def test_an_encrypted_pdf_is_its_own_error(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(CORPUS / "putuo_shehuigongzuobu_2024.pdf")
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    p = tmp_path / "locked.pdf"
    with open(p, "wb") as f:
        writer.write(f)
    with pytest.raises(errors.EncryptedPdfError, match=r"^locked\.pdf: encrypted PDF"):
        jd.parse(p)


def test_a_pdf_cut_short_is_a_damaged_pdf(tmp_path):
    data = (CORPUS / "putuo_shehuigongzuobu_2024.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: len(data) // 3])
    with pytest.raises(errors.CorruptPdfError, match=r"^cut\.pdf: damaged or not a PDF"):
        jd.parse(p)


def test_unreadable_pdfs_are_recorded_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _image_only_pdf(src / "scan.pdf")
    (src / "good.pdf").write_bytes((CORPUS / "putuo_shehuigongzuobu_2024.pdf").read_bytes())
    result = jd.convert([src], tmp_path / "out", workers=1, progress=False)
    assert result.ok == 1 and result.failed == 1
    failures = result.failures
    row = failures[failures["source"].str.endswith("scan.pdf")].iloc[0]
    assert "no text layer" in row["error"]


def test_economic_kuan_printed_with_one_digit_in_its_own_column():
    # pages/441.pdf (万里街道 2024 部门预算): the 款 column of the 经济分类预算表 holds "2" and "7" under 301
    # (津贴补贴 16,623,810 元, 绩效工资 11,447,100 元, read by hand); no economic_vs_basic error follows
    r = jd.parse(CORPUS / "pages" / "441.pdf")
    econ = {row["code"]: row for row in r.tables["basic_expenditure_by_economic"].to_dict("records")}
    assert econ["30102"]["item"] == "津贴补贴" and econ["30102"]["amount_wan"] == pytest.approx(1662.381)
    assert econ["30107"]["item"] == "绩效工资" and econ["30107"]["amount_wan"] == pytest.approx(1144.71)
    assert "economic_vs_basic" not in set(r.issues["rule"])


def test_a_total_row_alone_on_the_next_page_joins_its_table():
    # pages/444.pdf (万里街道 2025 部门预算): the 支出预算总表's "合计 189,767,551 101,341,746 88,425,805" is printed
    # alone at the top of the next page, its code and name cells merged (4 cells under a 7-column table)
    r = jd.parse(CORPUS / "pages" / "444.pdf")
    g = next(g for g in r.grids if g.title == "2025年部门支出预算总表")
    total = g.rows[-1]
    assert total.label == "合计"
    assert {k: v.value for k, v in total.cells.items()} == {"合计": 189767551.0, "基本支出": 101341746.0,
                                                           "项目支出": 88425805.0}
    s = r.summary
    assert s[(s.item == "基本支出") & (s.table == g.title)].amount_wan.tolist() == pytest.approx([10134.1746])
