"""jd.panel on a folder converted from real reports (the seed and the dev corpus texts).

Expected values were read by hand from the texts (the file and the sentence or table row are named);
aliases and code changes from the Jiangsu PDFs named in the data files.
"""

from pathlib import Path

import pandas as pd
import pytest

import jueshuan_data as jd
from jueshuan_data.panels import _execution, _harmonise, code_changes, entity_aliases, entity_key

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT / "seeds", ROOT / "tests" / "corpus"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("panel") / "out"
    result = jd.convert(INPUTS, out)
    assert result.failed == 0
    return out


@pytest.fixture(scope="module")
def classes(out):
    return jd.panel(out, "expenditure_by_function", level="类", fund="一般公共预算")


def row(p, **where):
    sel = p
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{where}: {len(sel)} rows"
    return sel.iloc[0]


def test_one_row_per_unit_year_kind_and_subject(out):
    p = jd.panel(out, "expenditure_by_function")
    keys = ["entity_key", "fiscal_year", "document_kind", "fund", "level", "subject_key"]
    assert not p.duplicated(keys).any()
    assert "决算" in set(p["document_kind"]) and set(p["document_kind"].dropna()) <= {"决算", "预算"}
    raw = jd.read_dataset(out, "expenditure_by_function")
    assert p["statements"].sum() == raw["amount_wan"].notna().sum()   # every statement counted once


def test_values_as_printed(classes):
    # seeds/tianqiao_2023.txt 四（一）: 一般公共服务支出7830.05万元
    r = row(classes, entity_key="北京市西城区人民政府天桥街道办事处", fiscal_year=2023, code="201")
    assert r["amount_wan"] == 7830.05 and r["subject"] == "一般公共服务支出" and r["cofog"] == "01"
    assert not r["conflict"] and r["source"] == "tianqiao_2023.txt"
    # putuo_caizhengju_2024.txt: 社会保障和就业支出 326.72 in the narrative and its table row
    r = row(classes, entity_key="上海市普陀区财政局", fiscal_year=2024, code="208")
    assert r["amount_wan"] == 326.72 and r["cofog"] == "10"


def _table_is_primary(out) -> bool:
    """Whether extraction marks primary rows (the table's statement of a subject)."""
    return jd.read_dataset(out, "expenditure_by_function")["primary"].notna().any()


def test_two_statements_that_differ_are_a_conflict(out, classes):
    # putuo_guihuaziyuan_2024.txt: 卫生健康支出 236.63 in the narrative, 236.64 in the 一般公共预算 table
    r = row(classes, entity_key="上海市普陀区规划和自然资源局", fiscal_year=2024, code="210")
    assert r["conflict"] and r["values"] == "236.63|236.64" and r["statements"] >= 2
    if _table_is_primary(out):
        assert r["amount_wan"] == 236.64     # the table row, marked primary
    else:
        assert pd.isna(r["amount_wan"])     # nothing settles it: no value


def test_fund_keeps_the_total_table_apart(out):
    p = jd.panel(out, "expenditure_by_function", level="类")
    unit = p[(p["entity_key"] == "上海市普陀区财政局") & (p["code"] == "208") & (p["fiscal_year"] == 2024)]
    # 收入支出决算总表 (all funds) prints 326.71, the narrative and 一般公共预算 table 326.72
    assert dict(zip(unit["fund"].fillna("all"), unit["amount_wan"])) == {"一般公共预算": 326.72, "all": 326.71}


def test_wide_form(out):
    w = jd.panel(out, "expenditure_by_function", level="类", fund="一般公共预算", wide=True)
    r = row(w, entity_key="北京市西城区人民政府天桥街道办事处", subject_key="212")
    assert r[2023] == 7526.16 and r["subject"] == "城乡社区支出" and r["cofog"] == "06"
    r = row(w, entity_key="上海市普陀区规划和自然资源局", subject_key="210")
    assert r[2024] == 236.64 if _table_is_primary(out) else pd.isna(r[2024])   # the conflicting statements


def test_other_datasets(out):
    econ = jd.panel(out, "basic_expenditure_by_economic")
    # putuo_guihuaziyuan_2024.txt 一般公共预算财政拨款基本支出决算表: 30101 基本工资 537.64
    r = row(econ, entity_key="上海市普陀区规划和自然资源局", code="30101")
    assert r["amount_wan"] == 537.64 and r["subject"] == "基本工资"
    summary = jd.panel(out, "summary", value="amount_wan")
    assert "subject_key" in summary and "code" not in summary
    with pytest.raises(ValueError):
        jd.panel(out, "facts")
    with pytest.raises(ValueError):
        jd.panel(out, "expenditure_by_function", value="subject")


def test_execution_only_where_a_budget_meets_an_outcome(classes):
    has = classes["approved_wan"].notna()
    assert (classes.loc[has, "document_kind"] == "决算").all()
    assert classes.loc[classes["document_kind"] == "预算", "execution_pct"].isna().all()
    # 天桥街道 2023: the corpus has no 预算 of it
    seed = classes[classes["entity_key"] == "北京市西城区人民政府天桥街道办事处"]
    assert len(seed) == 11 and seed["approved_wan"].isna().all() and seed["execution_pct"].isna().all()


def test_units_keep_their_title_when_no_alias_is_recorded(out):
    p = jd.panel(out, "summary")
    keys = set(p["entity_key"].dropna())
    assert {"北京市西城区人民政府天桥街道办事处", "上海市普陀区财政局", "中共上海市普陀区委社会工作部"} <= keys
    # a report whose unit was not read keeps a null key: it is merged with nobody
    assert p["entity_key"].isna().sum() == p["entity"].isna().sum()


# --- the data behind the keys ------------------------------------------------------------------

def test_aliases_of_the_jiangsu_units():
    # names printed on the Jiangsu 预算 PDFs 2017–2019 (see entity_aliases.csv for page and file)
    assert entity_key("江苏省人大办公厅") == entity_key("江苏省人大常委会办公厅") == "江苏省人大常委会办公厅"
    assert entity_key("省人大办公厅") == "江苏省人大常委会办公厅"
    assert {entity_key(n) for n in ("江苏省委办公厅", "中共江苏省委办公厅", "中国共产党江苏省委员会办公厅",
                                     "中共江苏省委 办公厅")} == {"中共江苏省委办公厅"}
    assert entity_key("省法院") == entity_key("江苏省高级人民法院") == "江苏省高级人民法院"
    assert entity_key("省检察院") == "江苏省人民检察院"
    assert entity_key("上海市普陀区人民政府石泉路街道办事处（本级）") != entity_key("上海市普陀区人民政府石泉路街道办事处")
    a = entity_aliases()
    assert a["why"].str.len().min() > 20 and a["source"].str.startswith("pdf:").all()
    assert a["alias"].is_unique


def test_code_changes_are_year_aware():
    codes = pd.Series(["30311", "30311", "30113", "20115", "20138", "20138", "20706", "20706", "20101"])
    years = pd.Series([2017, 2018, 2018, 2018, 2018, 2019, 2018, 2019, 2017])
    new, note = _harmonise(codes, years, "function")
    assert list(new) == ["30311", "30311", "30113", "20138", "20138", "20138", "20706", "20706", "20101"]
    econ, econ_note = _harmonise(codes[:3], years[:3], "economic")
    # 2017 30311 住房公积金 is 30113 from 2018; in 2018 30311 is 代缴社会保险费 and stays
    assert list(econ) == ["30113", "30311", "30113"]
    assert econ_note[0].startswith("move") and pd.isna(econ_note[1])
    assert note[5].startswith("merge from 2019") and note[6].startswith("split")
    c = code_changes()
    assert set(c["relation"]) <= {"move", "merge", "split", "ended"}
    assert (c.loc[c["status"] == "documented", "source"].str.contains("pdf:")).all()
    assert c["source"].str.len().min() > 10


def test_renamed_subject_keeps_its_code_and_takes_the_latest_name():
    # the catalogue resolves a name of either era to the one code (Jiangsu 2017 prints the old name)
    assert jd.lookup("医疗卫生与计划生育支出", year=2017).code == jd.lookup("卫生健康支出", year=2023).code == "210"
    assert jd.lookup("行政事业单位离退休", year=2018).code == "20805"
    from jueshuan_data.panels import _latest_names

    assert _latest_names("function")["210"] == "卫生健康支出"
    assert _latest_names("function")["20805"] == "行政事业单位养老支出"


def test_execution_joins_the_budget_of_the_same_unit_year_and_subject():
    # the join itself, on rows shaped as panel() builds them: the corpus holds no 预算 and 决算 of one
    # unit and year yet. Figures of putuo_caizhengju_2024.txt, 2010601 行政运行: 决算 1511.89, 年初预算 1560.05
    keys = ["entity_key", "fiscal_year", "document_kind", "fund", "level", "subject_key"]
    long = pd.DataFrame({
        "entity_key": ["上海市普陀区财政局"] * 3, "fiscal_year": [2024, 2024, 2024],
        "document_kind": ["决算", "预算", "决算"], "fund": ["一般公共预算"] * 3, "level": ["项"] * 3,
        "subject_key": ["2010601", "2010601", "2010602"], "amount_wan": [1511.89, 1560.05, 10.0],
    })
    got = _execution(long.copy(), keys, "amount_wan")
    assert len(got) == 3                        # 决算 and 预算 stay distinct rows
    assert got.loc[0, "approved_wan"] == 1560.05
    assert got.loc[0, "execution_pct"] == pytest.approx(96.9129, abs=1e-4)   # 1511.89 / 1560.05
    assert pd.isna(got.loc[1, "approved_wan"]) and pd.isna(got.loc[1, "execution_pct"])   # on 决算 rows only
    assert pd.isna(got.loc[2, "approved_wan"])  # no budget row for 2010602
