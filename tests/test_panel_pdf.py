"""jd.panel, COFOG and the datapackage on published PDFs: 预算 beside 决算, renamed titles and subjects.

Every expected figure was read by hand from the rendered page named beside it (pypdfium2, scale 1.3);
none is computed by the library. The PDFs are in tests/corpus/raw/ (copies of ../shared/corpus/raw/,
see tests/corpus/README.md) and tests/corpus/putuo_caizhengju_2024.pdf.

What the corpus cannot give: a 预算 and a 决算 of one unit for one year. Its only 决算 are three Putuo
units' of 2024, and the only 2024 预算 are of other units (万里街道, 社会福利院), so execution (决算 / 预算) on
real reports stays untested here; tests/test_panel.py tests the join on rows shaped as panel() builds them.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import jueshuan_data as jd

CORPUS = Path(__file__).resolve().parent / "corpus"
RAW = CORPUS / "raw"

FINAL_2024 = CORPUS / "putuo_caizhengju_2024.pdf"                 # 上海市普陀区财政局 2024 年度部门决算
BUDGET_2025 = RAW / "上海市普陀区财政局部门25年预算.pdf"             # the same unit's 2025 部门预算, in 元
WELFARE_2024 = RAW / "1769321433314-826553525.pdf"                # 上海市普陀区社会福利院 2024 单位预算, in 元
PROCURATORATE = [RAW / "2017年省检察院部门预算.pdf", RAW / "2018年省检察院部门预算公开.pdf", RAW / "2019年度部门预算公开.pdf"]
PARTY_OFFICE = [RAW / "江苏省委办公厅2017年预算公开表格.pdf", RAW / "江苏省委办公厅2018年度部门预算公开表.pdf",
                RAW / "江苏省委办公厅2019年度部门预算公开表格.pdf"]
INPUTS = [FINAL_2024, BUDGET_2025, *PROCURATORATE, *PARTY_OFFICE]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("panel_pdf") / "out"
    result = jd.convert(INPUTS, out)
    assert result.failed == 0, result.failures
    return out


@pytest.fixture(scope="module")
def welfare(tmp_path_factory):
    """The 社会福利院's 2024 预算 alone: its economic codes are not the classification's (see the last test)."""
    out = tmp_path_factory.mktemp("panel_pdf_welfare") / "out"
    assert jd.convert([WELFARE_2024], out).failed == 0
    return out


@pytest.fixture(scope="module")
def gpb(out):
    """一般公共预算 rows of expenditure_by_function, every level."""
    return jd.panel(out, "expenditure_by_function", fund="一般公共预算")


def one(p, **where):
    sel = p
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{where}: {len(sel)} rows"
    return sel.iloc[0]


# --- 决算 and 预算 of one unit ------------------------------------------------------------------

# 上海市普陀区财政局: 2024 决算, 一般公共预算财政拨款支出决算表 p15 (万元); 2025 预算, 2025年部门一般公共预算支出
# 功能分类预算表 p15–16 (元: 22,186,440.80 is 2218.644080 万元)
FINAL = {"201": 2106.66, "20106": 2106.66, "208": 326.72, "20805": 326.72, "210": 60.99, "21011": 60.99,
         "221": 445.69, "22102": 445.69}
BUDGET = {"201": 2218.64408, "20106": 2218.64408, "208": 350.8644, "20805": 350.8644, "210": 78.2164,
          "21011": 78.2164, "221": 473.6957, "22102": 473.6957}


def test_final_accounts_and_budget_of_one_unit_are_distinct_rows(gpb):
    unit = gpb[(gpb["entity_key"] == "上海市普陀区财政局") & gpb["level"].isin(["类", "款"])]
    final = unit[unit["document_kind"] == "决算"].set_index("code")
    budget = unit[unit["document_kind"] == "预算"].set_index("code")
    assert final["amount_wan"].to_dict() == FINAL and set(final["fiscal_year"]) == {2024}
    assert budget["amount_wan"].to_dict() == BUDGET and set(budget["fiscal_year"]) == {2025}
    # one entity_key, one subject per code, two document kinds: 16 rows, none merged
    assert len(unit) == 16 and not unit.duplicated(["fiscal_year", "document_kind", "code"]).any()
    assert set(unit["entity"]) == {"上海市普陀区财政局"}
    assert (final["cofog"] == budget.loc[final.index, "cofog"]).all()   # same code, same division
    # no execution across years: the 2024 决算 has no 2024 预算 beside it (the 2025 one is not its budget)
    assert final["approved_wan"].isna().all() and final["execution_pct"].isna().all()


def test_document_kind_selects_and_the_wide_form_keeps_them_apart(out):
    w = jd.panel(out, "expenditure_by_function", level="类", fund="一般公共预算", wide=True)
    unit = w[w["entity_key"] == "上海市普陀区财政局"].set_index(["document_kind", "subject_key"])
    assert unit.loc[("决算", "210"), 2024] == 60.99 and pd.isna(unit.loc[("决算", "210"), 2025])
    assert unit.loc[("预算", "210"), 2025] == 78.2164 and pd.isna(unit.loc[("预算", "210"), 2024])
    only = jd.panel(out, "expenditure_by_function", level="类", document_kind="预算")
    assert set(only["document_kind"]) == {"预算"} and "上海市普陀区财政局" in set(only["entity_key"])


def test_a_budget_printed_in_yuan_is_exact_in_wan(out):
    raw = jd.read_dataset(out, "expenditure_by_function")
    r = one(raw[raw["source_kind"] == "table"], source=BUDGET_2025.name, code="2010601", fund="一般公共预算")
    # p15 (the 一般公共预算 table; p12's 支出预算总表 prints the same line for all funds): 行政运行 16,231,840.80 元; 16,231,840.80 × 1e-4 in floating point is 1623.1840800000002
    assert r["amount_text"] == "16,231,840.80" and r["amount_wan"] == 1623.18408 and r["project_wan"] == 13.85148


def test_a_restatement_to_fewer_places_is_no_conflict_but_a_misprint_is(gpb):
    unit = gpb[(gpb["entity_key"] == "上海市普陀区财政局") & (gpb["document_kind"] == "预算")].set_index("code")
    # p7 (编制说明) restates the table (p15–16) in 万元 to two places: 1,623.18 for 16,231,840.80 元 (rounded),
    # 87.70 for 877,080.00 元 (cut): the same figure, listed, not a conflict
    assert unit.loc["2010601", "values"] == "1623.18|1623.18408" and not unit.loc["2010601", "conflict"]
    assert unit.loc["2080501", "values"] == "87.7|87.708" and not unit.loc["2080501", "conflict"]
    assert unit.loc["2080501", "amount_wan"] == 87.708 and unit.loc["2080501", "statements"] == 2
    # p7 spells 2080599 其它行政事业单位养老支出 0.96万元 (the table, p15: 其他… 9,620.00 元): the same subject
    assert unit.loc["2080599", "values"] == "0.96|0.962" and not unit.loc["2080599", "conflict"]
    assert unit.index.notna().all()       # every statement found its code
    # but p7 prints 机关事业单位职业年金缴费支出 887.36万元 where the table has 873,617.00 元 (87.3617 万元)
    r = unit.loc["2080506"]
    assert r["conflict"] and r["values"] == "87.3617|887.36" and r["amount_wan"] == 87.3617   # the table's
    assert unit["conflict"].sum() == 1


def test_same_places_that_differ_are_a_conflict(welfare):
    # 社会福利院 2024 预算: p6 社会福利事业单位（项）738.66万元, p11 the table 2081005 6,964,796 元
    r = one(jd.panel(welfare, "expenditure_by_function", fund="一般公共预算"), code="2081005")
    assert r["conflict"] and r["values"] == "696.4796|738.66" and r["amount_wan"] == 696.4796


# --- renamed subjects and titles ---------------------------------------------------------------

def test_renamed_subject_keeps_one_code_across_years(gpb):
    # 江苏省人民检察院: 2040405 printed 公诉和审判监督 150.00 in 2017 (p14) and 公诉、审判、侦查、执行等检察监督支出
    # 1895.00 in 2018 (p17); 2019 (p18) has no 2040405 (it prints 2040410 检察监督 1,185.60)
    proc = gpb[gpb["entity_key"] == "江苏省人民检察院"]
    rows = proc[proc["subject_key"] == "2040405"].set_index("fiscal_year")
    assert rows["amount_wan"].to_dict() == {2017: 150.00, 2018: 1895.00}
    assert rows.loc[2017, "printed_name"] == "公诉和审判监督"
    assert rows.loc[2018, "printed_name"].split("|")[0] == "公诉、审判、侦查、执行等检察监督支出"
    assert rows["subject"].nunique() == 1 and rows["cofog"].tolist() == ["03", "03"]
    assert one(proc, fiscal_year=2019, code="2040410")["amount_wan"] == 1185.60


def test_health_printed_under_its_pre_2019_name_is_210(welfare):
    # 社会福利院 2024 预算 prints the 2018 name in its 收支预算总表 (p7: 三、医疗卫生与计划生育支出 503,724) and
    # the current one in its 一般公共预算 table (p11: 210 卫生健康支出 503,724); its 编制说明 (p6) names the chain
    # “医疗卫生与计划生育支出（类）行政事业单位医疗（款）事业单位医疗（项）”50.37万元
    p = jd.panel(welfare, "expenditure_by_function")
    assert set(p["entity_key"]) == {"上海市普陀区社会福利院"} and set(p["document_kind"]) == {"预算"}
    unit = p[p["code"].fillna("").str.startswith("210")]
    cls = unit[unit["code"] == "210"].set_index(unit.loc[unit["code"] == "210", "fund"].fillna("all"))
    assert cls.loc["all", "printed_name"] == "医疗卫生与计划生育支出" and cls.loc["all", "amount_wan"] == 50.3724
    assert cls.loc["一般公共预算", "printed_name"] == "卫生健康支出" and cls.loc["一般公共预算", "amount_wan"] == 50.3724
    assert set(cls["subject"]) == {"卫生健康支出"} and set(cls["cofog"]) == {"07"}
    assert one(unit, code="2101102")["amount_wan"] == 50.37
    # the table's 项 row is printed "7 | 11 | 02 事业单位医疗": no code is made of it (71102 would be a 款)
    assert not p["code"].fillna("").str.startswith("7").any()


def test_a_unit_titled_differently_keeps_one_entity_key(gpb):
    # 部门： 中国共产党江苏省委员会办公厅 on the 2017 tables (p1, p8), 中共江苏省委办公厅 on 2018 (p9) and 2019 (p7)
    unit = gpb[(gpb["entity_key"] == "中共江苏省委办公厅") & (gpb["level"] == "类")]
    assert unit.groupby("fiscal_year")["entity"].first().to_dict() == {
        2017: "中国共产党江苏省委员会办公厅", 2018: "中共江苏省委办公厅", 2019: "中共江苏省委办公厅"}
    wide = unit.pivot(index="code", columns="fiscal_year", values="amount_wan")
    assert wide.to_dict("index") == {
        "201": {2017: 16845.17, 2018: 20153.75, 2019: 22395.50},
        "208": {2017: 2000.39, 2018: 1289.52, 2019: 1374.63},
        "221": {2017: 1856.69, 2018: 3015.16, 2019: 3894.09},
    }


def test_all_funds_narrative_of_a_budget_is_not_general_budget(out):
    # 2017年省检察院部门预算 p19: “（二）支出预算总计17996.68万元。包括：1.公共安全（类）支出13656.34万元” —
    # every source of money (其他资金 15万元 included), as the 收支预算总表 (p10); the 一般公共预算支出预算表
    # (p14) has 204 公共安全支出 13,641.34
    p = jd.panel(out, "expenditure_by_function", level="类", years=[2017])
    r = p[(p["entity_key"] == "江苏省人民检察院") & (p["code"] == "204")].set_index(
        p.loc[(p["entity_key"] == "江苏省人民检察院") & (p["code"] == "204"), "fund"].fillna("all"))
    assert r.loc["一般公共预算", "amount_wan"] == 13641.34 and not r.loc["一般公共预算", "conflict"]
    assert r.loc["all", "amount_wan"] == 13656.34 and not r.loc["all", "conflict"]


# --- COFOG and the Fiscal Data Package ---------------------------------------------------------

def test_every_coded_function_row_of_the_pdfs_has_a_cofog_division(gpb):
    coded = gpb[gpb["code"].notna()]
    assert coded["cofog"].notna().all(), coded.loc[coded["cofog"].isna(), "code"].unique()
    # 204 公共安全 is public order and safety, 201 general public services, 221 housing
    assert {c: one(coded[coded["level"] == "类"], entity_key=e, fiscal_year=2019, code=c)["cofog"]
            for e, c in (("江苏省人民检察院", "204"), ("中共江苏省委办公厅", "201"), ("中共江苏省委办公厅", "221"))} \
        == {"204": "03", "201": "01", "221": "06"}


def _validate(out: Path) -> tuple[dict, int]:
    proc = subprocess.run([_frictionless(), "validate", "datapackage.json", "--json"], cwd=out,
                          capture_output=True, text=True, timeout=300)
    return json.loads(proc.stdout), proc.returncode


def _frictionless() -> str:
    exe = Path(sys.executable).parent / "frictionless"
    return str(exe) if exe.exists() else shutil.which("frictionless")


def test_frictionless_validate_passes_on_pdfs_of_both_kinds(out):
    pytest.importorskip("frictionless")
    report, rc = _validate(out)
    errors = [(t["name"], e["message"][:200]) for t in report["tasks"] for e in t["errors"]]
    assert report["valid"] and rc == 0, errors[:5]
    assert report["stats"]["tasks"] == len(list(out.glob("*/**/*.parquet"))) + 4
    # the 预算 tables' total row is printed 合计 alone: its item is 合计, not an empty (missing) string
    econ = jd.read_dataset(out, "basic_expenditure_by_economic")
    totals = econ[econ["printed_name"] == "合计"]
    assert set(totals["item"]) == {"合计"}
    # 2025 预算 p20 (基本支出 by economic class, 元): 合计 25,121,091.00; 2017 检察院 p14: 合计 12,308.48
    assert one(totals, source=BUDGET_2025.name)["amount_wan"] == 2512.1091
    assert one(totals, source=PROCURATORATE[0].name)["amount_wan"] == 12308.48


def test_phase_follows_document_kind(out, tmp_path):
    both = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["model"]["measures"]
    m = both["expenditure_by_function.amount_wan"]
    # a folder of 决算 and 预算: no single phase, the document_kind column says which row is which
    assert "phase" not in m and m["phaseBy"] == {"field": "document_kind", "map": {"决算": "executed", "预算": "approved"}}
    assert m["currency"] == "CNY" and m["factor"] == 10000 and m["direction"] == "expenditure"
    # the 年初预算 a 决算 prints (2010601: 1560.05 beside 1511.89) is approved on 决算 rows too: no phaseBy
    assert both["expenditure_by_function.budget_wan"]["phase"] == "approved"
    assert "phaseBy" not in both["expenditure_by_function.budget_wan"]
    kinds = set(jd.read_dataset(out, "expenditure_by_function")["document_kind"])
    assert kinds == {"决算", "预算"}
    for pdf, phase in ((BUDGET_2025, "approved"), (FINAL_2024, "executed")):
        one_kind = tmp_path / phase
        assert jd.convert([pdf], one_kind).failed == 0
        measures = json.loads((one_kind / "datapackage.json").read_text(encoding="utf-8"))["model"]["measures"]
        assert measures["expenditure_by_function.amount_wan"]["phase"] == phase


def test_a_code_outside_the_classification_fails_validation(welfare):
    # the 社会福利院 numbers its 商品和服务支出 款 in sequence (p14: 302 02 咨询费, 302 10 车辆运行费 …) where the
    # classification has 30202 印刷费, 30203 咨询费 and no 30210: the foreign key to economic_codes says so
    pytest.importorskip("frictionless")
    report, rc = _validate(welfare)
    errors = [e for t in report["tasks"] for e in t["errors"]]
    assert not report["valid"] and rc != 0
    assert {e["type"] for e in errors} == {"foreign-key"} and all('"30210"' in e["message"] for e in errors)
