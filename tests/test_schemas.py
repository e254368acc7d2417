"""The pandera models and their machine-readable copies in schemas/ stay in step."""

import json
from pathlib import Path

import pandas as pd
import pandera.errors as pe
import pytest

from jueshuan_data import schemas

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@pytest.mark.parametrize("dataset", schemas.DATASETS)
def test_exported_schema_matches_model(dataset):
    on_disk = json.loads((SCHEMAS / f"{dataset}.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(schemas.to_json_schema(dataset), ensure_ascii=False)), (
        f"schemas/{dataset}.json is stale: run python -m jueshuan_data.schemas")


def test_every_dataset_of_the_design_has_a_schema_file():
    assert sorted(p.stem for p in SCHEMAS.glob("*.json")) == sorted(schemas.DATASETS)


def test_keys_and_types_follow_the_design():
    for dataset in schemas.DATASETS:
        assert schemas.COLUMNS[dataset][:4] == ["report_id", "entity", "fiscal_year", "source"]
        frame = schemas.empty_frame(dataset)
        assert str(frame["fiscal_year"].dtype) == "Int16"
        for col in frame.columns:
            if col.endswith("_wan") or col.endswith("_pct"):
                assert frame[col].dtype == "float64", (dataset, col)


def _row(**over):
    row = dict(report_id="a6b15af2109c2691", entity="北京市西城区人民政府天桥街道办事处", fiscal_year=2023,
               source="tianqiao_2023.txt", section="第一部分/四/（二）/4", evidence="抚恤支出286.17万元",
               char_start=2630, char_end=2638, amount_text="286.17万元", source_kind="narrative",
               fund="一般公共预算", level="款", code="20808", subject="抚恤", printed_name="抚恤支出",
               parent_code="208", parent_subject="社会保障和就业支出", amount_wan=286.17)
    row.update(over)
    return row


def test_a_seed_row_validates():
    df = schemas.conform("expenditure_by_function", [_row()])
    schemas.ExpenditureByFunction.validate(df, lazy=True)


@pytest.mark.parametrize("bad", [
    {"level": "目"},                # not 类/款/项
    {"fund": "社保基金"},            # not one of the three funds
    {"code": "2080"},              # not 3/5/7 digits
    {"share_pct": 131.32},         # a share above 100 %
    {"char_end": 10},              # a span that runs backwards
    {"fiscal_year": 1890},
])
def test_bad_rows_fail_with_every_failure_reported(bad):
    df = schemas.conform("expenditure_by_function", [_row(**bad), _row(level="项", code="2080")])
    with pytest.raises(pe.SchemaErrors) as err:
        schemas.ExpenditureByFunction.validate(df, lazy=True)
    assert len(err.value.failure_cases) >= 1
