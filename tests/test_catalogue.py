"""Catalogue of classification codes (issue 6).

Expected codes are written by hand (MOF 政府收支分类科目) or read from the code printed next to the
name in a real report; none is computed by the code under test. Uses only package data, the seed,
tests/corpus and the excerpts in tests/data/catalogue (never ../shared).
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pandera.errors
import pytest

import jueshuan_data as jd
cat = importlib.import_module("jueshuan_data.classification")

HERE = Path(__file__).parent
ROOT = HERE.parent
SEED = ROOT / "seeds" / "tianqiao_2023.txt"
DATA = HERE / "data" / "catalogue"
CORPUS = HERE / "corpus"

# Seed (Beijing 天桥街道 2023), section 四: printed name -> official code, by hand.
SEED_CLASSES = {
    "一般公共服务支出": "201", "国防支出": "203", "公共安全支出": "204", "教育支出": "205",
    "科学技术支出": "206", "文化旅游体育与传媒支出": "207", "社会保障和就业支出": "208",
    "卫生健康支出": "210", "节能环保支出": "211", "城乡社区支出": "212", "城乡社区事务支出": "212",
    "住房保障支出": "221", "住房保障及其他支出": "221",
}
SEED_KUAN = {
    "人大事务支出": "20101", "政府办公厅（室）及相关机构事务支出": "20103", "统计信息支出": "20105",
    "财政事务支出": "20106", "纪检监察事务支出": "20111", "群众团体事务支出": "20129",
    "组织事务支出": "20132", "宣传事务支出": "20133", "统战事务支出": "20134",
    "民政管理事务支出": "20802", "行政事业单位养老支出": "20805", "就业补助": "20807", "抚恤支出": "20808",
    "退役安置支出": "20809", "社会福利支出": "20810", "残疾人事业支出": "20811",
    "最低生活保障支出": "20819", "临时救助支出": "20820", "特困人员救助供养支出": "20821",
    "其他生活救助支出": "20825", "其他社会保障和就业支出": "20899",
    "计划生育事务支出": "21007", "行政事业单位医疗支出": "21011", "医疗救助支出": "21013",
    "优抚对象医疗支出": "21014", "其他卫生健康支出": "21099",
    "城乡社区管理事务支出": "21201", "城乡社区规划与管理支出": "21202", "城乡社区环境卫生支出": "21205",
    "其他城乡社区事务支出": "21299",
}


@pytest.fixture(scope="module")
def seed_text():
    return SEED.read_text(encoding="utf-8")


# --- the catalogue itself -----------------------------------------------------------------------

def test_catalogue_frame_and_kinds():
    df = jd.catalogue()
    assert {"kind", "code", "level", "name", "parent_code", "aliases", "first_year", "last_year",
            "status", "source"} <= set(df.columns)
    assert set(df["kind"]) == {"function", "economic"}
    assert set(jd.catalogue("economic")["kind"]) == {"economic"}
    assert set(jd.catalogue("economic")["level"]) == {"类", "款"}
    assert str(df["first_year"].dtype) == "Int16" and str(df["last_year"].dtype) == "Int16"
    with pytest.raises(ValueError):
        jd.catalogue("revenue")
    # a copy: callers cannot corrupt the cache
    df.loc[0, "name"] = "x"
    assert jd.catalogue().loc[0, "name"] != "x"


def test_full_list_of_function_classes():
    classes = set(jd.catalogue("function").query("level == '类'")["code"])
    # by hand, the 类 of the functional classification (2019+ editions)
    expected = {"201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213",
                "214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "227", "229", "230",
                "231", "232"}
    assert expected <= classes
    assert {"301", "302", "303", "310", "399"} <= set(jd.catalogue("economic").query("level == '类'")["code"])


def test_every_official_row_has_a_source():
    df = jd.catalogue()
    official = df[df["status"] == "official"]
    assert len(official) > 100
    assert official["source"].notna().all()
    for src in official["source"]:
        parts = src.split(";")
        assert all(p.startswith(("pdf:", "text:", "reference:")) for p in parts), src
        assert "/" not in src          # the folders of the collection the catalogue was built from stay out
    # pdf sources name a real report of the corpus, never the template, a draft or the altered copy
    for src in official["source"]:
        assert "模板" not in src and "draft_" not in src and "测试问题版本" not in src


def test_unverified_rows_are_marked_as_knowledge():
    df = jd.catalogue()
    unv = df[df["status"] == "unverified"]
    assert len(unv) > 0
    assert (unv["source"] == "knowledge").all()
    # codes that no source we hold prints with their name stay unverified (国防支出, 纪检监察事务)
    for code in ("203", "20111", "20819"):
        assert set(df[df["code"] == code]["status"]) == {"unverified"}


def test_catalogue_data_validates_and_is_consistent():
    df = cat.validate_catalogue(jd.catalogue())
    codes = set(zip(df["kind"], df["code"]))
    for kind, code, parent in zip(df["kind"], df["code"], df["parent_code"]):
        if len(code) == 3:
            assert pd.isna(parent)
        else:
            assert parent == code[:-2] and (kind, parent) in codes


@pytest.mark.parametrize("corrupt, message", [
    (lambda d: d.assign(parent_code=d["parent_code"].where(d["code"] != "20808", "201")), "parent"),
    (lambda d: d.assign(code=d["code"].where(d["code"] != "20808", "2080")), "code"),
    (lambda d: d.assign(source=d["source"].where(d["code"] != "20808", "knowledge")), "source"),
    (lambda d: pd.concat([d, d[d["code"] == "20808"]], ignore_index=True), "unique"),
    (lambda d: d[d["code"] != "208"], "exist"),
    (lambda d: d.assign(level=d["level"].where(d["code"] != "20808", "类")), "level"),
    (lambda d: d.assign(status=d["status"].where(d["code"] != "20808", "probable")), "status"),
    # 医疗卫生与计划生育支出 (210 until 2018) made to last until 2020, past 卫生健康支出's start in 2019
    (lambda d: d.assign(last_year=d["last_year"].mask((d["code"] == "210") & (d["last_year"] == 2018), 2020)),
     "overlap"),
])
def test_schema_rejects_corrupted_catalogue(corrupt, message):
    bad = corrupt(jd.catalogue())
    with pytest.raises(pandera.errors.SchemaError, match=message):   # and for the reason meant
        cat.validate_catalogue(bad)


def test_schema_is_a_dataframe_model():
    import pandera.pandas as pa
    assert issubclass(cat.CatalogueSchema, pa.DataFrameModel)


# --- lookup --------------------------------------------------------------------------------------

def test_fuxu_zhichu_2023():
    m = jd.lookup("抚恤支出", year=2023)
    assert m is not None
    assert (m.code, m.level, m.name, m.parent_code) == ("20808", "款", "抚恤", "208")
    assert m.how in ("alias", "normalised")
    assert "20808" in repr(m) and m.how in repr(m)


def test_seed_names_are_printed_in_the_seed(seed_text):
    for name in [*SEED_CLASSES, *SEED_KUAN]:
        assert name in seed_text, name


@pytest.mark.parametrize("name, code", sorted(SEED_CLASSES.items()))
def test_seed_classes_resolve(name, code):
    m = cat.resolve_function(name, 2023, level="类")
    assert m is not None and m.code == code and m.level == "类"
    assert jd.lookup(name, year=2023).code == code  # also without a level


@pytest.mark.parametrize("name, code", sorted(SEED_KUAN.items()))
def test_seed_kuan_resolve(name, code):
    m = cat.resolve_function(name, 2023, level="款")
    assert m is not None and (m.code, m.level, m.parent_code) == (code, "款", code[:3])
    assert cat.resolve_function(name, 2023, level="款", parent_code=code[:3]).code == code


def test_seed_government_fund_and_economic(seed_text):
    assert "“其他支出”（类）彩票公益金安排的支出（款）用于社会福利的彩票公益金支出（项）" in seed_text
    assert cat.resolve_function("其他支出", 2023, level="类").code == "229"
    assert cat.resolve_function("彩票公益金安排的支出", 2023, level="款", parent_code="229").code == "22960"
    assert cat.resolve_function("用于社会福利的彩票公益金支出", 2023, level="项").code == "2296002"
    for printed, code in [("工资福利支出", "301"), ("商品和服务支出", "302"), ("对个人和家庭补助支出", "303")]:
        assert printed in seed_text
        m = cat.resolve_economic(printed, 2023, level="类")
        assert m is not None and m.code == code
    assert cat.resolve_economic("对个人和家庭补助支出", 2023).name == "对个人和家庭的补助"


def test_exact_match_and_printed_code_in_dev_corpus():
    """Every complete 'code name amount' row of the 2024 Putuo tables resolves to the printed code."""
    row = re.compile(r"^(2\d\d)(?: (\d\d))?(?: (\d\d))? ([\u4e00-\u9fff（）]+) [\d,]+\.\d\d")
    checked = 0
    for path in sorted(CORPUS.glob("putuo_*_2024.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = row.match(line)
            if not m:
                continue
            code = "".join(g for g in m.groups()[:3] if g)
            level = {3: "类", 5: "款", 7: "项"}[len(code)]
            parent = code[:-2] if level != "类" else None
            hit = cat.resolve_function(m.group(4), 2024, level=level, parent_code=parent)
            assert hit is not None and hit.code == code, (path.name, line)
            checked += 1
    assert checked > 40


def test_renamed_classes_resolve_to_same_code_across_years():
    old = (DATA / "jiangsu_zhengxie_2017.txt").read_text(encoding="utf-8")
    new = (CORPUS / "putuo_guihuaziyuan_2024.txt").read_text(encoding="utf-8")
    seed = SEED.read_text(encoding="utf-8")
    for old_name, new_name, code in [("文化体育与传媒支出", "文化旅游体育与传媒支出", "207"),
                                     ("医疗卫生与计划生育支出", "卫生健康支出", "210"),
                                     ("国土海洋气象等支出", "自然资源海洋气象等支出", "220")]:
        assert old_name in old and new_name in new
        m_old, m_new = jd.lookup(old_name, year=2017), jd.lookup(new_name, year=2024)
        assert m_old.code == m_new.code == code
        assert m_old.how == "exact" and m_new.how == "exact"
        assert m_old.name == old_name and m_new.name == new_name
    assert "卫生健康支出" in seed and jd.lookup("卫生健康支出", year=2023).code == "210"
    # the 2017 table prints 20805 行政事业单位离退休; 2024 reports print 行政事业单位养老支出
    assert "20805 行政事业单位离退休" in old
    assert jd.lookup("行政事业单位离退休", year=2017).code == "20805"
    assert jd.lookup("行政事业单位养老支出", year=2024).code == "20805"


def test_former_name_in_a_later_report_is_renamed():
    text = (DATA / "putuo_sifaju_2026_narrative.txt").read_text(encoding="utf-8")
    m = re.search(r"(医疗卫生与计划生育支出)（(\d{3})类）", text)
    assert m, "excerpt changed"
    hit = jd.lookup(m.group(1), year=2026)
    assert hit.code == m.group(2) == "210"
    assert hit.how == "renamed" and hit.name == "卫生健康支出"
    # and the other way round: the new name in a 2017 report
    back = jd.lookup("卫生健康支出", year=2017)
    assert back.code == "210" and back.how == "renamed" and back.name == "医疗卫生与计划生育支出"


def test_narrative_code_triples_in_2026_excerpt():
    text = (DATA / "putuo_sifaju_2026_narrative.txt").read_text(encoding="utf-8")
    trip = re.compile(r"([\u4e00-\u9fff]+)（(\d{3})类）([\u4e00-\u9fff]+)（(\d\d)款）([\u4e00-\u9fff]+)（(\d\d)项）")
    n = 0
    for m in trip.finditer(text):
        lei, kuan = m.group(2), m.group(2) + m.group(4)
        assert jd.lookup(m.group(1), year=2026, level="类").code == lei
        assert jd.lookup(m.group(3), year=2026, level="款", parent_code=lei).code == kuan
        assert jd.lookup(m.group(5), year=2026, level="项", parent_code=kuan).code == kuan + m.group(6)
        n += 1
    assert n >= 10


def test_xiang_name_is_ambiguous_without_parent():
    # not None (as if the name were unknown): the candidates, and a clear word that it is ambiguous
    m = jd.lookup("行政运行", year=2024)
    assert not m and m.code is None and "give parent_code" in repr(m)
    codes = [c.code for c in m.candidates]
    assert {"2010101", "2010601", "2120101"} <= set(codes) and all(c.endswith("01") and len(c) == 7 for c in codes)
    assert all(c.name == "行政运行" for c in m.candidates)
    assert not jd.lookup("一般行政管理事务", year=2024) and jd.lookup("一般行政管理事务", year=2024).candidates
    assert jd.lookup("行政运行", year=2024, parent_code="20106").code == "2010601"
    assert jd.lookup("行政运行", year=2024, parent_code="21201").code == "2120101"


def test_unknown_name_returns_none():
    assert jd.lookup("天桥演艺区建设专项支出", year=2023) is None
    assert jd.lookup("", year=2023) is None
    assert jd.lookup("抚恤支出", year=2023, kind="economic") is None
    with pytest.raises(ValueError):
        jd.lookup("抚恤", kind="revenue")


def test_normalisation_brackets_width_suffix_enumeration():
    assert jd.lookup("政府办公厅(室)及相关机构事务", year=2023).code == "20103"      # half-width brackets
    assert jd.lookup("政府办公厅（室）及相关机构事务支出", year=2023).code == "20103"
    assert jd.lookup(" 6.城乡社区环境卫生支出 ", year=2023).code == "21205"
    assert jd.lookup("“卫生健康支出（类）”", year=2023).code == "210"
    assert jd.lookup("社会福利支出", year=2023).how == "normalised"


def test_name_printed_at_two_levels_prefers_the_higher_level():
    # 其他支出 is 类 229 and 款 22999; 其他卫生健康支出 is 款 21099 and 项 2109999
    assert jd.lookup("其他支出", year=2023).code == "229"
    assert jd.lookup("其他支出", year=2023, level="款", parent_code="229").code == "22999"
    assert jd.lookup("其他卫生健康支出", year=2023).code == "21099"
    assert jd.lookup("其他卫生健康支出", year=2023, level="项").code == "2109999"


# --- fill_codes for extractors ------------------------------------------------------------------

def test_fill_codes_keeps_printed_name_and_warns_unknown():
    frame = pd.DataFrame({
        "fund": ["一般公共预算"] * 5,
        "level": ["类", "款", "款", "类", "款"],
        "subject": ["社会保障和就业支出", "抚恤支出", "民政管理事务支出", "城乡社区事务支出", "天桥特色事务支出"],
        "printed_name": ["社会保障和就业支出", "抚恤支出", "民政管理事务支出", "城乡社区事务支出", "天桥特色事务支出"],
        "evidence": ["e1", "e2", "e3", "e4", "e5"],
    })
    out, issues = cat.fill_codes(frame, 2023)
    assert out["code"].tolist()[:4] == ["208", "20808", "20802", "212"]
    assert pd.isna(out["code"].iloc[4])
    assert out["parent_code"].tolist()[1:3] == ["208", "208"]
    assert out["printed_name"].tolist() == frame["printed_name"].tolist()
    assert out["subject"].iloc[1] == "抚恤" and out["subject"].iloc[3] == "城乡社区支出"
    assert out["subject"].iloc[4] == "天桥特色事务支出"
    assert len(issues) == 1 and issues[0]["rule"] == "unknown_subject" and issues[0]["severity"] == "warning"
    assert issues[0]["actual"] == "天桥特色事务支出" and issues[0]["evidence"] == "e5"


def test_fill_codes_never_takes_a_same_named_code_under_another_parent():
    # 其他支出 is 款 22999 under 类 229 only: printed as a 款 right after 类 221 it is not 22999
    frame = pd.DataFrame({
        "fund": ["一般公共预算"] * 3,
        "level": ["类", "款", "款"],
        "printed_name": ["住房保障支出", "其他支出", "住房改革支出"],
        "subject": ["住房保障支出", "其他支出", "住房改革支出"],
        "evidence": ["e1", "e2", "e3"],
    })
    out, issues = cat.fill_codes(frame, 2023)
    assert out["code"].iloc[0] == "221" and out["code"].iloc[2] == "22102"
    assert pd.isna(out["code"].iloc[1]) and out["parent_code"].iloc[1] == "221"
    assert [i["actual"] for i in issues] == ["其他支出"] and "under 221" in issues[0]["message"]
    # without a 类 before it, the name alone decides (22999 is the only 款 of that name)
    alone, _ = cat.fill_codes(frame.iloc[[1]], 2023)
    assert alone["code"].tolist() == ["22999"]


def test_import_is_cheap():
    # importing loads nothing; a lookup reads the shipped rows without pandas (parse imports none); the frame
    # is made, and validated, when ``catalogue()`` is asked for
    code = ("import sys, jueshuan_data.classification as c; "
            "assert c._frame.cache_info().currsize == 0; assert c.lookup('抚恤支出', 2023).code == '20808'; "
            "assert c._frame.cache_info().currsize == 0 and 'pandas' not in sys.modules; c.catalogue(); "
            "assert c._frame.cache_info().currsize == 1")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_rows_read_without_pandas_are_the_validated_frame():
    # catalogue_rows() (what lookups read) against the frame catalogue() validates: the same rows, in order
    frame = pd.concat([cat.catalogue("function"), cat.catalogue("economic")], ignore_index=True)
    rows = cat.catalogue_rows()
    assert len(rows) == len(frame) >= 300     # 223 + 77 rows in the shipped files now
    public = {"source": cat._public_source, "alias_source": cat._public_source}
    for row, (_, want) in zip(rows, frame.iterrows()):
        for col, value in want.items():
            got = row[col]
            if col in public and got is not None:
                got = public[col](got)
            assert (got is None and pd.isna(value)) or got == value, (row["code"], col, got, value)
    assert [r["code"] for r in rows if r["name"] == "抚恤" and r["kind"] == "function"][:1] == ["20808"]


@pytest.mark.parametrize("printed, code", [
    # pages/955 (蕉城区 2022 区本级财政总决算说明, under （一）一般公共服务支出): "9.海關事務20萬元,較上年減支20萬元,下降50%",
    # "14.港澳臺事務12萬元,較上年增支12萬元,上年無支出" -- two 款 of 一般公共服务支出 every 台办 and customs-area report prints
    ("海关事务", "20109"), ("港澳台事务", "20125"),
])
def test_the_kuan_of_general_public_services_for_customs_and_hong_kong_macao_taiwan(printed, code):
    m = jd.lookup(printed, year=2022)
    assert m.code == code and m.parent_code == "201"
