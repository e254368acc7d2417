"""ingest: decoding, typed errors, normalisation with its span map, title identification.

Expected values are read off the real documents by hand (never computed by the code under test).
"""
from __future__ import annotations

import re
import unicodedata
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jueshuan_data import errors
from jueshuan_data.ingest import Document, check_is_report, document_from_text, identify, read_document

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tianqiao_2023.txt"
CORPUS = ROOT / "tests" / "corpus"
FIX = ROOT / "tests" / "data" / "ingest"
CAIZHENG = CORPUS / "putuo_caizhengju_2024.txt"
GUIHUA = CORPUS / "putuo_guihuaziyuan_2024.txt"
SHEHUI = CORPUS / "putuo_shehuigongzuobu_2024.txt"
ALL_REAL = [SEED, CAIZHENG, GUIHUA, SHEHUI] + sorted((CORPUS / "pages").glob("*.txt"))

_cache: dict[Path, Document] = {}


def doc(path: Path) -> Document:
    if path not in _cache:
        _cache[path] = read_document(path)
    return _cache[path]


def lines(d: Document) -> list[str]:
    return d.text.split("\n")


# --------------------------------------------------------------------------------------- identify

def test_seed_title_gives_entity_year_kind():
    d = doc(SEED)
    assert d.entity == "北京市西城区人民政府天桥街道办事处"
    assert d.fiscal_year == 2023
    assert d.doc_kind == "决算"
    assert d.source == "tianqiao_2023.txt"
    assert d.encoding == "utf-8"


@pytest.mark.parametrize("path,entity,year", [
    (CAIZHENG, "上海市普陀区财政局", 2024),                 # `上海市普陀区财政局\n2024年度部门决算`
    (GUIHUA, "上海市普陀区规划和自然资源局", 2024),          # title wrapped over three lines
    (SHEHUI, "中共上海市普陀区委社会工作部", 2024),          # `中共上海市普陀区委\n社会工作部 2024 年度\n部门决算`
])
def test_putuo_titles(path, entity, year):
    d = doc(path)
    assert (d.entity, d.fiscal_year, d.doc_kind) == (entity, year, "决算")


@pytest.mark.parametrize("name,entity,year", [
    ("001", "重庆市渝中区人民政府两路口街道办事处", 2024),   # title after a block of page metadata
    ("005", "重庆市璧山区人民政府来凤街道办事处(本级)", 2024),
    ("007", "重庆市江津区柏林镇人民政府", 2021),             # entity line, then `2021年度部门决算情况说明`
    ("009", "北京市朝阳区财政局", 2022),
    ("013", "北京市文化和旅游局综合事务中心", 2023),
    ("019", "金华市救助管理站", 2021),                       # `8.金华市救助管理站2021年度单位决算.pdf`
    ("025", "南漳县招商服务中心", 2019),                     # `2019年部门决算` (年, not 年度)
    ("027", "广东省财政厅", 2023),                           # year first, then fiscal words after the unit
    ("029", "上海市嘉定区司法局", 2017),                     # `关于上海市嘉定区司法局2017年度…说明`
    # `2022年政府决算` names no one (政府 is no name): the report's `关于滨海新区2022年决算草案…` does
    ("603", "滨海新区", 2022),
    # the template's `纳入天津市武清区河西务镇人民政府2023年部门预算编制范围的预算单位包括:`
    ("605", "天津市武清区河西务镇人民政府", 2023),
])
def test_page_titles(name, entity, year):
    d = doc(CORPUS / "pages" / f"{name}.txt")
    assert (d.entity, d.fiscal_year) == (entity, year)


@pytest.mark.parametrize("name,year,kind", [("206", 2020, "决算"), ("756", 2018, "预算")])
def test_a_table_header_is_no_title(name, year, kind):
    # 206: "项 目 | 2019年决算数 | 2020年预算调整数 | …" once the fund-name 预算 of "2020年中庄镇一般公共预算收入执行
    # 情况表" no longer makes that line a title; 756 the same header: 项目 names no unit
    d = doc(CORPUS / "pages" / f"{name}.txt")
    assert d.entity != "项目"
    assert (d.fiscal_year, d.doc_kind) == (year, kind)


def test_file_name_note_of_the_kind_is_no_part_of_the_unit():
    # 911: "友谊县成富朝鲜族满族乡人民政府(部门)2021年度部门决算公开说明.pdf" (a PDF re-posted under its file name)
    d = doc(CORPUS / "pages" / "911.txt")
    assert (d.entity, d.fiscal_year, d.doc_kind) == ("友谊县成富朝鲜族满族乡人民政府", 2021, "决算")


def test_fund_budget_in_a_wrapped_title_is_no_kind():
    # 908: "庐江县第二中学\n2020年度一般公共预算及政府性基金\n财政拨款“三公”经费支出决算情况说明" -- the 预算 of
    # 一般公共预算 is a fund's name; the title goes on to the next line and is a 决算's
    d = doc(CORPUS / "pages" / "908.txt")
    assert (d.entity, d.fiscal_year, d.doc_kind) == ("庐江县第二中学", 2020, "决算")
    d = document_from_text("某县某某中学\n2021年度一般公共预算\n财政拨款“三公”经费支出决算表\n单位:万元")
    assert (d.entity, d.fiscal_year, d.doc_kind) == ("某县某某中学", 2021, "决算")
    # a budget stays a budget: "…2020年一般公共预算“三公”经费支出预算表"
    d = document_from_text("某县某某局2020年一般公共预算“三公”经费支出预算表\n单位:万元")
    assert d.doc_kind == "预算"


# 604 (阿拉善盟): "我盟公布2020年度財政收支“賬單”" is no 决算/预算 title; its year is that of the 财政收支 it reports
@pytest.mark.parametrize("name,year", [("003", 2023), ("015", 2022), ("017", 2023), ("023", 2020), ("031", 2022),
                                       ("604", 2020), ("918", 2019)])
def test_excerpts_without_title_have_no_entity_but_a_year(name, year):
    # 918 (a news page): "财政部2019年度政府采购支出总额…" and "从2020年7月1日起实施…": a date's year is not the accounts'
    d = doc(CORPUS / "pages" / f"{name}.txt")
    assert d.entity is None
    assert d.fiscal_year == year


def test_text_without_year_or_title():
    d = document_from_text("一、部门基本情况\n本部门负责辖区内的财政拨款收入管理。")
    assert d.entity is None and d.fiscal_year is None
    assert d.source == "<text>" and d.path is None


def test_identify_is_idempotent_and_fills_in_place():
    d = document_from_text("2021年度某市某某局部门预算\n一、部门职责\n负责预算编制。", source="b.txt")
    assert (d.entity, d.fiscal_year, d.doc_kind) == ("某市某某局", 2021, "预算")
    d.entity = None
    assert identify(d) is d and d.entity == "某市某某局"


def test_a_breadcrumb_line_is_never_joined_with_the_page_title_below_it():
    # pages/203 (闵行区教育局): "当前位置:" over its title; the title was glued onto the breadcrumb and lost
    d = doc(CORPUS / "pages" / "203.txt")
    assert (d.entity, d.fiscal_year, d.doc_kind) == ("上海市闵行区教育局", 2020, "决算")
    assert lines(d)[0] == "当前位置:"
    # pages/753 (旺苍县张华镇): its breadcrumb ends with the title the next line prints; on a page of short
    # lines (a narrow text layer) the breadcrumb is as wide as a paragraph's full line and was joined to it
    from jueshuan_data.ingest import _join_sep
    crumb, title = lines(doc(CORPUS / "pages" / "753.txt"))[1:3]
    assert crumb.startswith("当前位置:首页") and title == "旺苍县张华镇人民政府2018年部门预算情况的说明"
    assert _join_sep(crumb, title, wide=20, across_break=False) == "\n"
    assert _join_sep("您当前的位置: 首页>政务公开>法定主动公开内容>预算/决算>区政府工作机构预决算>区教委> 决算",
                     "重庆市大足区灯塔中学2022年度部门决算情况说明", wide=20, across_break=False) == "\n"   # pages/957


def test_a_report_without_title_takes_the_kind_its_own_phrases_name():
    # pages/753 without its breadcrumb and title: a 2018 部门预算 that compares with 2017's 决算 ("较2017年决算
    # 一致"); its own phrases say 部门预算 (3 times) and 预算情况说明, never 部门决算
    text = (CORPUS / "pages" / "753.txt").read_text(encoding="utf-8").split("\n", 3)[3]
    d = document_from_text(text, "753-untitled.txt")
    assert d.title is None and d.doc_kind == "预算"
    # pages/754: "现将2021年部门预算公开如下" (a template's slip, keyed as a contradiction) over a 决算 — one phrase
    # each way, and the laws it cites in 《》 not counted: 决算, as before
    assert doc(CORPUS / "pages" / "754.txt").doc_kind == "决算"


# ----------------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("name,encoding", [
    ("tianqiao_2023.gbk.txt", "gb18030"),
    ("tianqiao_2023.gb18030.txt", "gb18030"),
    ("tianqiao_2023.utf8bom.txt", "utf-8-sig"),
    ("tianqiao_2023.utf16.txt", "utf-16"),
    ("tianqiao_2023.utf16be.txt", "utf-16"),
    ("tianqiao_2023.crlf.txt", "utf-8"),
])
def test_other_encodings_give_the_same_text_and_id(name, encoding):
    ref = doc(SEED)
    d = read_document(FIX / name)
    assert d.encoding == encoding
    assert d.text == ref.text
    assert d.report_id == ref.report_id
    assert d.sha256 != ref.sha256            # different bytes, same report
    assert d.entity == "北京市西城区人民政府天桥街道办事处"


def test_traditional_report_in_gb18030_is_decoded(tmp_path):
    # a mirror site's traditional-character copy saved in GB18030: its hanzi are mostly outside GB 2312
    trad = _traditional(SEED.read_text(encoding="utf-8"))
    assert "財政撥款" in trad
    p = tmp_path / "tianqiao_trad.txt"
    p.write_bytes(trad.encode("gb18030"))
    d = read_document(p)
    assert d.encoding == "gb18030" and d.raw == trad
    assert d.entity == "北京市西城区人民政府天桥街道办事处"


def test_latin1_text_that_decodes_as_gb18030_is_rejected(tmp_path):
    data = "Cafés résumés naïves façades élèves étés sociétés républiques françaises".encode("latin-1")
    assert data.decode("gb18030").startswith("Caf閟 r閟um閟")     # decodes, to rare characters
    p = tmp_path / "fr.txt"
    p.write_bytes(data)
    with pytest.raises(errors.DecodeError):
        read_document(p)


def test_report_id_is_16_hex_of_normalised_text():
    d = doc(SEED)
    assert re.fullmatch(r"[0-9a-f]{16}", d.report_id)
    assert document_from_text(d.raw, source="x").report_id == d.report_id
    assert document_from_text(d.raw + "\n\n  \n").report_id == d.report_id   # trailing blank lines


def test_truncated_utf8_copy_keeps_what_is_complete():
    d = read_document(FIX / "tianqiao_2023.truncated.txt")
    assert d.encoding == "utf-8"
    assert d.text.endswith("其中：民政管理事务支出3764.97万元，比去年同期减少支出77.34万元；行")
    assert doc(SEED).text.startswith(d.text)


def test_truncated_utf8_copy_with_bom_keeps_what_is_complete(tmp_path):
    p = tmp_path / "bom_truncated.txt"
    p.write_bytes(b"\xef\xbb\xbf" + (FIX / "tianqiao_2023.truncated.txt").read_bytes())
    d = read_document(p)
    assert d.encoding == "utf-8-sig"
    assert d.text.endswith("其中：民政管理事务支出3764.97万元，比去年同期减少支出77.34万元；行")


# --------------------------------------------------------------------------------- typed errors

@pytest.mark.parametrize("name,exc", [
    ("empty.txt", errors.EmptyDocumentError),
    ("whitespace.txt", errors.EmptyDocumentError),
    ("binary_nul.bin", errors.BinaryFileError),
    ("binary_ctrl.txt", errors.BinaryFileError),
    ("latin1.txt", errors.DecodeError),
])
def test_bad_inputs_raise_typed_errors_naming_the_file(name, exc):
    with pytest.raises(exc) as ei:
        read_document(FIX / name)
    assert isinstance(ei.value, errors.ReportError)
    assert name in str(ei.value)
    assert ei.value.source == name
    assert ei.value.reason and ei.value.reason != errors.ReportError.reason


def test_missing_file(tmp_path):
    p = tmp_path / "nope_2023.txt"
    with pytest.raises(errors.UnreadableFileError) as ei:
        read_document(p)
    assert "nope_2023.txt" in str(ei.value) and "not found" in str(ei.value)


def test_directory(tmp_path):
    with pytest.raises(errors.UnreadableFileError) as ei:
        read_document(tmp_path)
    assert tmp_path.name in str(ei.value) and "directory" in str(ei.value)


def test_permission_denied(tmp_path, monkeypatch):
    p = tmp_path / "locked.txt"
    p.write_text("2023年度某局部门决算", encoding="utf-8")

    def deny(*args, **kw):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", deny)       # root reads any file: the refusal is simulated
    with pytest.raises(errors.UnreadableFileError) as ei:
        read_document(p)
    assert "locked.txt" in str(ei.value) and "permission" in str(ei.value)


def test_a_pdf_cut_after_its_header_is_a_damaged_pdf(tmp_path):
    p = tmp_path / "report.pdf"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(errors.CorruptPdfError) as ei:
        read_document(p)
    assert str(ei.value).startswith("report.pdf: damaged or not a PDF")
    assert isinstance(ei.value, errors.UnreadableFileError)


def test_document_from_text_errors_name_the_source():
    with pytest.raises(errors.EmptyDocumentError, match="^x.txt: "):
        document_from_text(" \n\u3000", source="x.txt")
    with pytest.raises(errors.BinaryFileError, match="^<text>: "):
        document_from_text("决算\x00\x01\x02\x03" * 10)


@pytest.mark.parametrize("name", ["english.txt", "news_zh.txt"])
def test_not_a_report(name):
    d = read_document(FIX / name)            # readable text …
    with pytest.raises(errors.NotAReportError) as ei:
        check_is_report(d)                   # … but no fiscal vocabulary
    assert name in str(ei.value)


@pytest.mark.parametrize("path", [SEED, CAIZHENG, GUIHUA, SHEHUI, CORPUS / "pages" / "031.txt"])
def test_real_reports_pass_check(path):
    assert check_is_report(doc(path)) is doc(path)


# ---------------------------------------------------------------------------------- span map

def _T2S(ch: str) -> str:
    import opencc

    global _t2s
    if _t2s is None:
        _t2s = opencc.OpenCC("t2s")
    return _t2s.convert(ch)


_t2s = None


def _corresponds(text_ch: str, raw_ch: str) -> bool:
    if text_ch == raw_ch:
        return True
    if unicodedata.normalize("NFKC", raw_ch) == text_ch:          # full-width digit/letter/％．
        return True
    if text_ch == "," and raw_ch == "，":                           # thousands separator
        return True
    if _T2S(raw_ch) == text_ch:                                     # traditional character folded
        return True
    return text_ch in " \n" and (raw_ch.isspace() or raw_ch in "\u3000\xa0\ufeff")  # created / odd space


@pytest.mark.parametrize("path", ALL_REAL, ids=lambda p: p.name)
def test_offsets_map_every_char_back_to_raw(path):
    d = doc(path)
    assert len(d.offsets) == len(d.text) + 1
    assert d.offsets[-1] == len(d.raw)
    assert all(d.offsets[i] < d.offsets[i + 1] for i in range(len(d.text)))
    for i, ch in enumerate(d.text):
        assert _corresponds(ch, d.raw[d.offsets[i]]), (i, ch, d.raw[d.offsets[i]])


def test_raw_span_of_a_rejoined_wrap():
    d = doc(GUIHUA)
    needle = "收入支出总计9859.38万元"          # printed as `…收入支出总计\n9859.38 万元。`
    i = d.text.index(needle)
    a, b = d.raw_span(i, i + len(needle))
    assert d.raw[a:b] == "收入支出总计\n9859.38 万元"


def test_raw_span_in_the_seed_is_identity_for_clean_text():
    d = doc(SEED)
    needle = "行政事业单位养老支出769.83万元"
    i = d.text.index(needle)
    a, b = d.raw_span(i, i + len(needle))
    assert d.raw[a:b] == needle
    assert d.raw_span(i, i) == (a, a)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("决算万元１２３.5 ,，。\n\f\r\u3000一、（）201 06 合计7%年")), min_size=1,
               max_size=80))
def test_offsets_invariants_on_arbitrary_text(s):
    if not s.strip().strip("\u3000"):
        return
    d = document_from_text(s)
    assert len(d.offsets) == len(d.text) + 1 and d.offsets[-1] == len(s)
    assert all(d.offsets[i] < d.offsets[i + 1] for i in range(len(d.text)))
    assert "\f" not in d.text and "\r" not in d.text


# ------------------------------------------------------------------------------ normalisation

def test_putuo_table_rows_one_per_line():
    ls = lines(doc(CAIZHENG))
    assert "本年收入合计 2,946.25 本年支出合计 2,940.05" in ls
    assert "年初结转和结余 49.14 年末结转和结余 55.34" in ls
    assert "201 06 01 行政运行 1,511.89 1,503.52 8.37" in ls
    # wrapped table labels re-joined into their row
    assert ls.count("208 05 05 机关事业单位基本养老保险缴费支出 160.75 160.75") == 3
    assert ls.count("208 05 06 机关事业单位职业年金缴费支出 80.38 80.38") == 3
    # a wrapped two-column row keeps both cells
    assert "二十六、抗疫特别国债安排的支出" in ls
    # headings/ordinal rows are never glued onto the previous row
    assert "九、卫生健康支出 60.99" in ls and "十、节能环保支出" in ls
    assert "合计 2,940.05 2,336.91 603.14" in ls


def test_putuo_label_code_and_amounts_on_separate_lines_become_one_row():
    ls = lines(doc(GUIHUA))
    # printed as `2080505\n机关事业单位\n基本养老保险\n缴费支出\n446.11 446.11 0.00`
    assert "2080505 机关事业单位基本养老保险缴费支出 446.11 446.11 0.00" in ls
    # printed as `2080505 机关事业单位基本养老保\n险缴费支出\n446.11 446.11 0.00` (支出决算表)
    assert ls.count("2080505 机关事业单位基本养老保险缴费支出 446.11 446.11 0.00") == 2
    # printed as `2080505 机关事业单位基本养老保险缴\n费支出\n446.11 446.11` (收入决算表)
    assert "2080505 机关事业单位基本养老保险缴费支出 446.11 446.11" in ls
    assert "31007 信息网络及软件购置更新 0.00" in ls
    ls = lines(doc(SHEHUI))
    assert "201 一般公共服务支出 264.87 62.63 202.24" in ls      # `201 一般公共服务\n支出\n264.87 …`
    assert "30399 其他对个人和家庭的补助 0.00 30240 税金及附加费用 0.00" in ls


def test_letter_spaced_labels_closed_up():
    ls = lines(doc(CAIZHENG))
    assert "301 13 住房公积金 187.19 302 12 因公出国（境）费用" in ls   # `因 公 出 国 （ 境 ） 费\n用`
    assert "303 11 代缴社会保险费 302 31 公务用车运行维护费" in ls
    assert "302 99 其他商品和服务支出 11.53" in ls
    assert "目录" in ls


def test_narrative_wraps_rejoined():
    t = doc(CAIZHENG).text
    assert "政策；研究拟订本区财政发展战略" in t                              # `研\n究拟订`
    assert "完成预算的0%，其中：因公出国（境）费决算为0.00万元" in t           # `完成预算的\n0%`
    assert "\n（一）贯彻执行国家和本市有关财政工作的法律" in t                 # heading keeps its line
    assert "办公设备购置。\n七、财政拨款“三公”经费支出决算情况说明" in t
    t = doc(GUIHUA).text
    assert "年初预算为452.40万元，支出决算为446.11万元，完成年初预算的98.61%。" in t
    assert "\n第三部分 上海市普陀区规划和自然资源局2024年度部门决算情况说明\n" in t
    assert "比2023年度减少0.15万元" in t                                   # `减\n少 0.15 万元`


def test_no_line_starts_inside_a_number_or_with_a_unit():
    for path in (CAIZHENG, GUIHUA, SHEHUI):
        t = doc(path).text
        assert not re.search(r"[\d.,]\n[.,]|[.,]\n\d", t)
        assert not re.search(r"\n(?:万元|元|%|亿元)", t)
        assert not re.search(r"\d\n(?:万元|元|%)", t)


def test_numbers_survive_normalisation_intact():
    # every number printed in the Putuo table rows is still a whole token of the text
    d = doc(CAIZHENG)
    for printed in ("2,946.25", "1,511.89", "1,503.52", "2,995.39", "160.75", "603.14"):
        assert re.search(rf"(?<![\d.,]){re.escape(printed)}(?![\d.,])", d.text)


def test_page_furniture_dropped():
    t = doc(CORPUS / "pages" / "023.txt").text
    assert t.startswith("出决算中,因公出国(境)费支出决算0万元;")            # `—10—` line dropped
    for path in (CAIZHENG, GUIHUA, SHEHUI):
        assert "\f" not in doc(path).text
    d = document_from_text("第一段收入合计100万元，\n- 5 -\n\f\n继续说明。\n第 6 页\n\f\n7\n下一页内容。\n— 8 —")
    assert d.text == "第一段收入合计100万元，继续说明。\n下一页内容。"


def test_page_number_after_a_comma_dropped():
    """江苏省政协办公厅 2017 (pages/421.txt, page 18): "…公务用车购置及运行维护费支出 156.60 万元，\n18\n占“三公”经费的
    23.16%": the page number sits inside the sentence, after a comma."""
    t = doc(CORPUS / "pages" / "421.txt").text
    assert "公务用车购置及运行维护费支出156.60万元，占“三公”经费的23.16%" in t
    # 江苏省高级人民法院 2019 (pages/423.txt, page 24): "…5227.59 万元。其中拟采购货物\n24\n支出 1637.72 万元；…"
    assert "其中拟采购货物支出1637.72万元" in doc(CORPUS / "pages" / "423.txt").text
    d = document_from_text("这一行是一个足够长的句子，共有二十多个字符，\n18\n占全部的一半。\n合计\n18\n其他")
    assert d.text == "这一行是一个足够长的句子，共有二十多个字符，占全部的一半。\n合计\n18\n其他"


def test_full_width_spaces_and_units():
    d = document_from_text("２０２３年度收入５００．１２ 万 元，占 ３１．０６ ％；共有车辆 1 辆，2 台（套）。")
    assert d.text == "2023年度收入500.12万元，占31.06%；共有车辆1辆，2台（套）。"
    d = document_from_text("支出决算为1.5万\n元，比上年增加。")
    assert d.text == "支出决算为1.5万元，比上年增加。"
    d = document_from_text("资产总额1, 234.56万元；其中：（2023年）购置1辆。")
    assert d.text == "资产总额1,234.56万元；其中：（2023年）购置1辆。"
    d = document_from_text("合计\u3000\u30001，511.89\xa0\u200b万元")
    assert d.text == "合计1,511.89万元"


def test_chinese_punctuation_kept_as_printed():
    d = doc(SEED)
    assert "（一）收入决算说明" in d.text
    assert "占本年财政拨款支出31.06%；国防支出7.43万元" in d.text
    assert "2023年度国有资本经营预算拨款收入14.68万元,比上年度收入16.98万元" in d.text  # ASCII comma stays


def test_seed_lines_are_unchanged_apart_from_spaces():
    # the seed is clean narrative: normalisation must not join any of its lines except
    # `（七）其他需要说明的问题\n无`-like heading/answer pairs, which it must not join either
    raw_lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").split("\n") if ln.strip()]
    norm_lines = [ln for ln in lines(doc(SEED)) if ln.strip()]
    assert len(norm_lines) == len(raw_lines) == 251
    assert "（七）其他需要说明的问题" in norm_lines and "无" in norm_lines


def test_inline_heading_after_full_stop_starts_a_line():
    t = doc(CORPUS / "pages" / "019.txt").text
    assert "提供救助服务。\n2. 流浪乞讨人员的救助与管理。\n(二)机构设置" in t


def test_check_is_report_on_snippets():
    ok = document_from_text("本年收入合计25224.15万元，其中：财政拨款收入25224.15万元。", source="s.txt")
    assert check_is_report(ok) is ok
    news = document_from_text("市财政局今天召开会议，部署明年预算编制工作，要求各部门按时报送材料。", source="n.txt")
    with pytest.raises(errors.NotAReportError, match="^n.txt: "):
        check_is_report(news)


def test_a_page_of_three_public_figures_alone_is_a_report():
    # pages/556 (滑县, 2020): one paragraph of “三公”经费 figures, no 决算/预算/财政拨款 anywhere
    page = document_from_text("2020年“三公”经费支出431万元,比上年累计支出433万元减少2万元,下降0.46%。",
                              source="p.txt")
    assert check_is_report(page) is page
    talk = document_from_text("各单位要从严控制“三公”经费开支,厉行节约。", source="t.txt")
    with pytest.raises(errors.NotAReportError):
        check_is_report(talk)                # the word alone, without a figure, is not enough


def test_a_mirror_title_printing_the_year_as_a_dash():
    # pages/555: "岳阳县城建投资管理中心2016-度“三公”经费预算情况表 | |" (a mirror prints 年 as "-"); pages/560:
    # "2016-部门“三公”经费预算表": 部门 is no entity
    d = identify(document_from_text("岳阳县城建投资管理中心2016-度“三公”经费预算情况表 | |\n单位:万元 | |\n", "a.txt"))
    assert (d.entity, d.fiscal_year, d.doc_kind) == ("岳阳县城建投资管理中心", 2016, "预算")
    d = identify(document_from_text("2016三公经费预算说明\n三公经费:2016-公务接待费42万元。\n"
                                    "2016-部门“三公”经费预算表 | |||\n项目 | 2015-执行数 | 2016-预算数 | 备注 |\n", "b.txt"))
    assert (d.entity, d.fiscal_year) == (None, 2016)


def test_many_blank_lines_are_handled_linearly():
    d = document_from_text("\n" * 20000 + "2023年度部门决算\n\n\n\n说明。" + "\n \n" * 5000)
    assert d.text == "2023年度部门决算\n\n说明。"


# --- traditional characters (mirror sites) --------------------------------------------------------------

def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def test_traditional_mirror_of_a_real_report_reads_like_the_original():
    """pages/015 (四川 大英县, 2022) republished in traditional characters gives the same figures."""
    import jueshuan_data as jd

    simplified = (CORPUS / "pages" / "015.txt").read_text(encoding="utf-8")
    trad = _traditional(simplified)
    assert "財政撥款收入" in trad and "萬元" in trad
    a = jd.parse_text(simplified, source="015.txt").summary
    b = jd.parse_text(trad, source="015_trad.txt").summary
    cols = ["item", "amount_wan", "share_pct", "amount_text"]
    assert b[cols].reset_index(drop=True).equals(a[cols].reset_index(drop=True))


def test_traditional_text_keeps_its_span_map():
    trad = _traditional("2022年本年收入合计4125.49万元,其中:一般公共预算财政拨款收入3859.16万元,占93.54%")
    doc = document_from_text(trad, "t.txt")
    assert "一般公共预算财政拨款收入3859.16万元" in doc.text
    i = doc.text.index("3859.16")
    assert doc.raw[doc.offsets[i]:doc.offsets[i] + 7] == "3859.16"
    assert doc.raw == trad  # the raw text is kept as printed


def test_pinyin_glosses_of_mirror_sites_are_dropped():
    doc = document_from_text("2017年度,本单位事业(yè)收入170.81万元,一般公共预(yù)算财政拨款收入1486.64万元。", "m.txt")
    assert "事业收入170.81万元" in doc.text and "一般公共预算财政拨款收入" in doc.text


def test_a_simplified_report_is_not_folded():
    doc = document_from_text("乾坤著作皇后面条干部，一般公共服务支出7830.05万元。", "s.txt")
    assert doc.text.startswith("乾坤著作皇后面条干部")


def test_page_mark_between_box_drawing_rules_is_furniture():
    # pages/404 (江苏省人大常委会办公厅 2019): page marks print as “─ 11 ─” (U+2500) inside sentences
    from jueshuan_data.ingest import document_from_text

    raw = ("1．行政事业单位离退休（类）未归口管理的行政单位离退\n─ 11 ─\n"
           "休支出（项）271.45万元，与上年相比增加14.69万元，增加5.72%。\n")
    text = document_from_text(raw, "t.txt").text
    assert "─" not in text and "11" not in text.replace("271.45", "")


def test_a_blank_line_between_a_figure_and_its_unit_is_no_paragraph_break():
    # pages/652 (黔南州中医医院 2016): "2016年总收入40724.80万元,与去年同期相比增加1186.67\n\n万元,同比增长3%。"
    from jueshuan_data.ingest import normalise

    text, offs = normalise("2016年总收入40724.80万元,与去年同期相比增加1186.67\n\n万元,同比增长3%。\n\n二、支出")
    assert "增加1186.67万元,同比增长3%。" in text and "\n二、支出" in text
    assert len(offs) == len(text) + 1
    # a paragraph that ends on a figure and one that starts with another word stay apart
    assert "2.5\n" in normalise("本年支出合计2.5\n\n其他说明。")[0]
    import jueshuan_data as jd
    s = jd.parse(Path(__file__).parent / "corpus" / "pages" / "652.txt").summary
    row = s[s.printed_name == "总收入"].iloc[0]
    assert (row.amount_wan, row.change_wan, row.change_pct) == (40724.8, 1186.67, 3.0)


def test_a_public_units_own_accounts_are_a_report():
    # pages/658 (达州市达川区中医医院 2017 财务信息公示): no 决算/预算/财政拨款/万元, but "1. 财政补助收入 6909800
    # 55508400 …", "(一) 收入总计 …", "(二) 支出总计 …" (单位:元): a public hospital's accounts
    doc = document_from_text((Path(__file__).parent / "corpus" / "pages" / "658.txt").read_text(encoding="utf-8"),
                             source="658.txt")
    assert check_is_report(doc) is doc
    with pytest.raises(errors.NotAReportError):
        check_is_report(document_from_text("本市财政补助收入增加，居民生活改善。" * 3, source="news.txt"))


def test_a_hospitals_income_statement_with_total_income_is_a_report():
    # pages/703 (株洲市妇幼保健院 收支情况公示, 单位:元, a mirror's traditional text): "1、總收入 | 1 | 61625022.26 |
    # …", "財政撥款收入 | 3 | 12954900.00 | …", "2、總支出 | 5 | 65142258.61 | …": 财政拨款 and the statement's
    # own totals (总收入 / 总支出), no 决算/预算/万元
    doc = document_from_text((Path(__file__).parent / "corpus" / "pages" / "703.txt").read_text(encoding="utf-8"),
                             source="703.txt")
    assert "1、总收入 | 1 | 61625022.26 |" in doc.text and check_is_report(doc) is doc
    with pytest.raises(errors.NotAReportError):
        check_is_report(document_from_text("总收入增加，居民生活改善，消费总支出上升。" * 3, source="news.txt"))


def test_line_width_is_east_asian_width_on_every_corpus_line():
    """``ingest._width`` (narrow runs counted by a regex) gives 2 for each wide or full-width character and 1
    for any other, as ``unicodedata.east_asian_width`` says, on every line of the corpus pages and on
    characters beyond the BMP (a wide 𠀀, a narrow 𝟎) and the narrow punctuation the reports print."""
    import unicodedata

    from jueshuan_data import ingest

    def width(s):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    pages = Path(__file__).parent / "corpus" / "pages"
    lines = [ln for p in sorted(pages.glob("*.txt")) for ln in p.read_text(encoding="utf-8").split("\n")]
    assert len(lines) > 5000
    for s in lines + ["𠀀a", "𝟎１", "–·×℃Ⅰ", "ＡＢ１２", "\u3000x", ""]:
        assert ingest._width(s) == width(s), s
