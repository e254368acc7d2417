"""OUT/datapackage.json on a batch converted from real reports, validated with frictionless-py."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jueshuan_data as jd
from jueshuan_data.schemas import DATASETS, ROW_KEYS

frictionless = pytest.importorskip("frictionless")

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT / "seeds" / "tianqiao_2023.txt", ROOT / "tests" / "corpus" / "putuo_caizhengju_2024.txt",
          ROOT / "tests" / "corpus" / "putuo_guihuaziyuan_2024.txt"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("dp") / "out"
    result = jd.convert(INPUTS, out)
    assert result.failed == 0
    return out


@pytest.fixture(scope="module")
def descriptor(out):
    return json.loads((out / "datapackage.json").read_text(encoding="utf-8"))


def _cli() -> str:
    exe = Path(sys.executable).parent / "frictionless"
    return str(exe) if exe.exists() else shutil.which("frictionless")


def test_frictionless_validate_passes(out):
    proc = subprocess.run([_cli(), "validate", "datapackage.json", "--json"], cwd=out, capture_output=True,
                          text=True, timeout=300)
    report = json.loads(proc.stdout)
    errors = [(t["name"], e["message"]) for t in report["tasks"] for e in t["errors"]]
    assert report["valid"], errors[:5]
    assert proc.returncode == 0
    # every data file was read, with its rows: the tasks cover the files and the reference resources
    assert report["stats"]["tasks"] == len(list(out.glob("*/**/*.parquet"))) + 4


def test_resources_are_the_files_present(out, descriptor):
    files = {p.relative_to(out).as_posix() for d in DATASETS for p in (out / d).rglob("*.parquet")}
    data = [r for r in descriptor["resources"] if "path" in r]
    assert {r["path"] for r in data} == files
    seed = [r for r in data if r["group"] == "expenditure_by_function" and r.get("fiscalYear") == 2023]
    assert len(seed) == 1 and seed[0]["format"] == "parquet"
    names = [r["name"] for r in descriptor["resources"]]
    assert len(names) == len(set(names))


def test_schemas_come_from_the_models(out):
    schema = json.loads((out / "_datapackage" / "expenditure_by_function.schema.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in schema["fields"]}
    import pyarrow.parquet as pq

    a_file = next((out / "expenditure_by_function").rglob("*.parquet"))
    assert list(fields) == pq.read_schema(a_file).names   # the file's columns (fiscal_year only if stored)
    assert fields["amount_wan"]["type"] == "number"
    assert fields["char_start"]["type"] == "integer" and fields["char_start"]["constraints"]["minimum"] == 0
    assert fields["report_id"]["constraints"] == {"required": True, "minLength": 16, "maxLength": 16}
    assert fields["level"]["constraints"]["enum"] == ["类", "款", "项"]
    assert fields["code"]["constraints"]["pattern"] == r"\d{3}(\d{2}){0,2}"
    assert fields["cofog"]["constraints"]["enum"][0] == "01"
    assert "≤ 100" in fields["share_pct"]["description"]
    assert schema["primaryKey"] == ["source", *ROW_KEYS["expenditure_by_function"]]
    issues = json.loads((out / "_datapackage" / "issues.schema.json").read_text(encoding="utf-8"))
    assert "primaryKey" not in issues
    refs = {fk["fields"]: fk["reference"]["resource"] for fk in schema["foreignKeys"]}
    assert refs == {"report_id": "reports", "code": "function_codes", "parent_code": "function_codes",
                    "cofog": "cofog_divisions"}


def test_fiscal_model(descriptor):
    measures = descriptor["model"]["measures"]
    m = measures["expenditure_by_function.amount_wan"]
    assert (m["currency"], m["factor"], m["direction"], m["phase"]) == ("CNY", 10000, "expenditure", "executed")
    assert m["phaseBy"] == {"field": "document_kind", "map": {"决算": "executed", "预算": "approved"}}
    assert measures["expenditure_by_function.budget_wan"]["phase"] == "approved"
    assert "direction" not in measures["summary.amount_wan"]   # income and spending items together
    fc = descriptor["model"]["dimensions"]["functional-classification"]
    assert fc["attributes"]["parent_code"]["parent"] == "code" and fc["levels"] == ["类", "款", "项"]
    codes = next(r for r in descriptor["resources"] if r["name"] == "function_codes")
    by_code = {row[0]: row for row in codes["data"][1:]}
    assert by_code["210"][2] == "卫生健康支出" and by_code["20805"][3] == "208"


def test_a_row_of_an_unknown_report_fails_validation(out, descriptor, tmp_path):
    # drop one report from the inline reports resource: its rows' foreign keys no longer resolve
    broken = json.loads(json.dumps(descriptor))
    reports = next(r for r in broken["resources"] if r["name"] == "reports")
    dropped = reports["data"].pop(1)[0]
    (out / "broken.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    try:
        report = frictionless.Package(str(out / "broken.json")).validate()
    finally:
        (out / "broken.json").unlink()
    assert not report.valid
    types = {e.type for t in report.tasks for e in t.errors}
    assert types == {"foreign-key"}
    assert len({t.name.split("-")[-1] for t in report.tasks if not t.valid}) == 1   # that report's files only
    assert dropped


def test_written_for_an_existing_folder(out, descriptor):
    (out / "datapackage.json").unlink()
    path = jd.write_datapackage(out)
    assert path == out / "datapackage.json"
    assert json.loads(path.read_text(encoding="utf-8")) == descriptor
