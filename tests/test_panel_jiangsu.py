"""A panel of the Jiangsu provincial 部门预算 PDFs 2017–2019 (ae86jack/open-budget, jszwfw.gov.cn).

Each unit must stay on one entity_key although its reports title it differently, and each subject on one
code although the classification changed between editions (names of 2017–2018 printed beside those of
2019; 30311 住房公积金 of 2017 printed as 30113 from 2018). Figures were read by hand from the pages named.

The PDFs are copies of ../shared/corpus/raw/ae86jack__open-budget/ in tests/corpus/raw/ (three units: the
Jiangsu 人大常委会办公厅, 政协办公厅 (its tables) and 人民检察院).
"""

from pathlib import Path

import pytest

import jueshuan_data as jd

PDFS = Path(__file__).resolve().parent / "corpus" / "raw"

# unit -> the key its aliases share (entity_aliases.csv) and the files of 2017, 2018, 2019
UNITS = {
    "江苏省人大常委会办公厅": ["江苏省人大办公厅2017年度预算公开.pdf", "省人大办公厅2018预算公开.pdf",
                      "江苏省人大常委会2019年度部门预算公开.pdf", "江苏省人大常委会办公厅2019年部门预算公开表.pdf"],
    "江苏省政协办公厅": ["2017年度部门预算公开表.pdf", "江苏省政协办公厅2018度部门预算公开表.pdf",
                  "江苏省政协办公厅2019年预算公开表.pdf"],
    "江苏省人民检察院": ["2017年省检察院部门预算.pdf", "2018年省检察院部门预算公开.pdf", "2019年度部门预算公开.pdf"],
}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("jiangsu") / "out"
    files = [PDFS / f for fs in UNITS.values() for f in fs]
    result = jd.convert(files, out)
    assert result.failed == 0, result.failures
    return out


def test_each_unit_on_one_entity_key(out):
    m = jd.read_dataset(out, "facts", columns=["source", "entity", "fiscal_year", "document_kind"])
    by_source = m.drop_duplicates("source").set_index("source")
    from jueshuan_data.panels import entity_key

    for key, files in UNITS.items():
        for f in files:
            assert entity_key(by_source.loc[f, "entity"]) == key, (f, by_source.loc[f, "entity"])
        assert set(by_source.loc[files, "fiscal_year"]) == {2017, 2018, 2019}, key
    assert set(m["document_kind"]) == {"预算"}


def test_each_subject_on_one_code(out):
    p = jd.panel(out, "expenditure_by_function", level="款", fund="一般公共预算")
    proc = p[p["entity_key"] == "江苏省人民检察院"]
    # 20805 printed 行政事业单位离退休 in all three years (the 2019 edition renamed it in 2020)
    row = proc[proc["subject_key"] == "20805"].set_index("fiscal_year")
    assert row["amount_wan"].to_dict() == {2017: 2021.18, 2018: 1836.22, 2019: 1890.27}   # p12, p16, p16
    assert set(row["subject"]) == {"行政事业单位养老支出"}
    # every 款 of the unit has one code and one subject across the years
    assert (proc.groupby("subject_key")["subject"].nunique() == 1).all()


def test_moved_economic_code_is_followed(out):
    p = jd.panel(out, "basic_expenditure_by_economic")
    fund = p[(p["entity_key"] == "江苏省人民检察院") & (p["code"] == "30113")].set_index("fiscal_year")
    # 2017 p13 prints 30311 住房公积金 784.22; 2018 p16 30113 1,073.77; 2019 p17 30113 1,442.74
    assert fund["amount_wan"].to_dict() == {2017: 784.22, 2018: 1073.77, 2019: 1442.74}
    assert fund.loc[2017, "code_read"] == "30311" and fund.loc[2017, "code_change"].startswith("move")
