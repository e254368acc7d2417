"""The COFOG crosswalk: coverage of the catalogue, a reason on every line, and the division real rows get.

The divisions asserted on report rows are literals decided when the crosswalk was written (see the reason
of each line), not read back from the code.
"""

from pathlib import Path

import pandas as pd
import pytest

import jueshuan_data as jd
from jueshuan_data import cofog

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "tianqiao_2023.txt"
CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="module")
def cw():
    return cofog.crosswalk()


def test_every_class_of_the_catalogue_has_a_division(cw):
    cat = jd.catalogue("function")
    classes = set(cat.loc[cat["level"] == "类", "code"])
    assert len(classes) >= 30
    lines = cw.set_index("code")
    missing = sorted(classes - set(lines.index))
    assert not missing, f"类 without a COFOG line: {missing}"
    for code in classes:
        assert lines.loc[code, "cofog"] in cofog.DIVISIONS
        assert lines.loc[code, "level"] == "类"


def test_every_line_has_a_reason_a_confidence_and_sources(cw):
    assert cw["code"].is_unique
    for r in cw.itertuples():
        assert r.cofog in cofog.DIVISIONS, r.code
        assert pd.isna(r.cofog_group) or r.cofog_group.startswith(r.cofog + "."), r.code
        assert r.confidence in ("high", "medium", "low"), r.code
        assert len(r.reason) >= 20, r.code
        assert r.level == {3: "类", 5: "款", 7: "项"}[len(r.code)], r.code
        sources = r.source.split(";")
        assert f"mof:{r.code}" in sources and any(s.startswith("cofog:") for s in sources), r.code
        if r.confidence == "low":   # a judgement says so, and where the rest belongs
            assert "udgement" in r.reason, r.code


def test_lines_flagged_by_unit_function_cite_the_gfs_rule(cw):
    flagged = cw[cw["by_unit_function"]]
    assert set(flagged["code"]) == {"2050803", "2080505", "2080506", "21011", "22102"}
    assert all("gfs:function-of-unit" in s for s in flagged["source"])


def test_names_agree_with_the_catalogue(cw):
    cat = jd.catalogue("function")
    names = cat.groupby("code")["name"].agg(set)
    for r in cw.itertuples():
        if r.code in names.index:
            assert r.name in names[r.code], (r.code, r.name, names[r.code])


def test_parents_of_lines_are_lines(cw):
    codes = set(cw["code"])
    for code in codes:
        if len(code) > 3:
            assert code[:3] in codes, code


def test_most_specific_line_wins():
    assert cofog.division("201") == "01"
    assert cofog.division("20113") == "04"          # 商贸事务 leaves its 类
    assert cofog.division("2011301") == "04"        # a 项 without a line takes its 款's
    assert cofog.division("2010101") == "01"        # … or its 类's
    assert cofog.division("229") == "01"
    assert cofog.division("2296003") == "08"        # lottery funds for sport
    assert cofog.division("2296099") == "10"        # an unlisted lottery 项: the 款 line
    assert cofog.division("250") is None and cofog.division(None) is None and cofog.division("") is None


def test_seed_rows_get_the_division_decided(tmp_path):
    df = jd.parse(SEED).expenditure_by_function
    got = {(r.level, r.code): r.cofog for r in df.itertuples()}
    expected = {
        ("类", "201"): "01", ("类", "203"): "02", ("类", "204"): "03", ("类", "205"): "09",
        ("类", "206"): "04", ("类", "207"): "08", ("类", "208"): "10", ("类", "210"): "07",
        ("类", "211"): "05", ("类", "212"): "06", ("类", "221"): "06",
        ("款", "20129"): "08",    # 群众团体事务: civic organisations, 08.4
        ("款", "20807"): "04",    # 就业补助: general labour affairs, 04.1.2
        ("款", "21013"): "07",    # 医疗救助: health care of the poor stays in health
        ("款", "21205"): "05",    # 城乡社区环境卫生: street sweeping is waste management
        ("款", "21201"): "06",
        ("项", "2296002"): "10",  # 用于社会福利的彩票公益金支出 (政府性基金)
    }
    for key, division in expected.items():
        assert got[key] == division, key
    assert df["cofog"].notna().all()


def test_corpus_report_rows_get_the_division_decided():
    df = jd.parse(CORPUS / "putuo_guihuaziyuan_2024.txt").expenditure_by_function
    def div(level, code):
        found = set(df.loc[(df["level"] == level) & (df["code"] == code), "cofog"])
        assert len(found) == 1, (level, code, found)
        return found.pop()
    assert div("类", "220") == "06"          # 自然资源海洋气象等支出, land-use planning in this unit
    assert div("项", "2120201") == "06"      # 城乡社区规划与管理
    assert div("项", "2080501") == "10"      # 行政单位离退休: pensions, 10.2
    assert div("项", "2080505") == "10"      # employer contribution: 10 by the 科目, flagged by_unit_function
    assert div("项", "2101102") == "07"
    assert div("项", "2210201") == "06"
    assert div("款", "22001") == "06"
    # a 项 the catalogue does not know (printed 其他国土资源事务支出) takes its parent's division
    unknown = df[df["code"].isna()]
    assert set(zip(unknown["parent_code"], unknown["cofog"])) == {("20805", "10"), ("22001", "06")}
    df2 = jd.parse(CORPUS / "putuo_shehuigongzuobu_2024.txt").expenditure_by_function
    assert set(df2.loc[df2["code"].str.startswith("20139", na=False), "cofog"]) == {"01"}


def test_cofog_column_is_validated():
    from jueshuan_data.schemas import ExpenditureByFunction

    df = jd.parse(SEED).expenditure_by_function.copy()
    df.loc[0, "cofog"] = "11"
    with pytest.raises(Exception):
        ExpenditureByFunction.validate(df)


def test_code_changes_cited_by_the_crosswalk_exist(cw):
    from jueshuan_data.panels import code_changes

    changes = code_changes()
    recorded = set(zip(changes["old_code"], changes["new_code"].fillna("")))
    cited = {tuple(s[len("changes:"):].split(">")) for src in cw["source"] for s in src.split(";")
             if s.startswith("changes:")}
    assert cited and cited <= recorded
