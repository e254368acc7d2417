"""The fast parse path of issue 14 against the reference path it replaced, on every corpus report.

``report.build_tables`` builds each frame column by column (``schemas.build``), passes it with checks
compiled from the pandera models (``schemas.passes``), compares row keys as tuples and hands the rules the
records it built. The reference path below is ``build_tables`` as it was before: ``schemas.conform``, then
``validate.validate_tables`` (pandera on every frame, ``check_keys`` by groupby, the rules reading every frame
back with ``to_dict``). Both run on the same document and section tree; every frame, dtype and finding must
be the same. The compiled checks are also held against pandera on good and deliberately broken frames:
whenever they pass a frame, pandera must pass it too (where they are unsure, pandera runs anyway).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jueshuan_data import extract, ingest, report, schemas, segment
from jueshuan_data.rules import Context, run_rules
from jueshuan_data.validate import check_keys, repeated_keys, validate_built, validate_tables

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
INPUTS = sorted([ROOT / "seeds" / "tianqiao_2023.txt", *CORPUS.glob("putuo_*.txt"), *CORPUS.glob("putuo_*.pdf"),
                 *(CORPUS / "pages").glob("*.txt"), *(CORPUS / "raw").glob("*.pdf")])


def reference_tables(doc, root, validate=True):
    """``report.build_tables`` before issue 14's fast path (kept here as the test's reference)."""
    rows = extract.run(doc.text, root, doc.fiscal_year, document=doc)
    if getattr(doc.layout, "boxes", None):
        report._add_boxes(doc, rows)
    keys = report._keys(doc)
    tables = {}
    for name in schemas.DATASETS:
        if name == "issues":
            continue
        tables[name] = schemas.conform(name, [{**r, **keys} for r in rows.get(name, [])])
    issue_rows: list[dict] = []
    if validate == "rules":
        issue_rows = run_rules(tables, text=doc.text, grids=rows.get("_grids"), document=doc)
    elif validate:
        tables, issue_rows = validate_tables(tables, text=doc.text, grids=rows.get("_grids"), document=doc)
    issue_rows = list(rows.get("_findings", [])) + list(issue_rows)
    tables["issues"] = schemas.conform("issues", [{**keys, **r} for r in issue_rows])
    return tables


def _document(path: Path):
    doc = ingest.read_document(path)
    ingest.check_is_report(doc)
    return doc, segment.section_tree(doc.text)


def _same_frames(new: dict, ref: dict, where: str):
    assert list(new) == list(ref), where
    for name in ref:
        pd.testing.assert_frame_equal(new[name], ref[name], check_exact=True, obj=f"{where}: {name}")


def test_the_corpus_is_there():
    assert len(INPUTS) >= 100, [p.name for p in INPUTS]


@pytest.mark.parametrize("path", INPUTS, ids=[str(p.relative_to(ROOT)) for p in INPUTS])
def test_fast_path_gives_the_reference_frames_and_findings(path):
    doc, root = _document(path)
    for validate in (True, "rules", False):
        new = report.build_tables(doc, root, validate=validate)
        ref = reference_tables(doc, root, validate=validate)
        _same_frames(new, ref, f"{path.name} validate={validate!r}")


@pytest.mark.parametrize("path", INPUTS[::7], ids=[str(p.relative_to(ROOT)) for p in INPUTS[::7]])
def test_built_records_are_what_the_rules_read_from_the_frames(path):
    doc, root = _document(path)
    rows = extract.run(doc.text, root, doc.fiscal_year, document=doc)
    keys = report._keys(doc)
    for name in schemas.DATASETS[:-1]:
        b = schemas.build(name, [{**r, **keys} for r in rows.get(name, [])])
        from_frame = Context({name: b.frame}).records(name)
        assert len(from_frame) == len(b.records)
        for got, want in zip(b.records, from_frame):
            assert got == want
            assert [type(v) for v in got.values()] == [type(v) for v in want.values()], name


# ------------------------------------------------------------------------ the compiled checks vs pandera

def _pandera_passes(dataset: str, df: pd.DataFrame) -> bool:
    import pandera.errors as pe

    try:
        schemas.MODELS[dataset].validate(df, lazy=True)
        return True
    except (pe.SchemaErrors, pe.SchemaError):
        return False


KEYS = {"report_id": "0123456789abcdef", "entity": "某单位", "fiscal_year": 2023, "source": "x.txt",
        "document_kind": "决算"}


def _good_function_rows():
    base = dict(KEYS, section="一", evidence="一般公共服务支出100万元", char_start=10, char_end=16,
                amount_text="100万元", source_kind="narrative", fund="一般公共预算", level="类", code="201",
                subject="一般公共服务支出", printed_name="一般公共服务支出", amount_wan=100.0, share_pct=12.5,
                cofog="01", page=None, x0=None, primary=True)
    return [base, dict(base, level="款", code="20101", subject="人大事务", printed_name="人大事务",
                       parent_code="201", char_start=20, char_end=26, share_pct=None)]


BROKEN = {
    "a code that is not one": {"code": "2010"},
    "a code with a letter": {"code": "20A"},
    "a level outside the list": {"level": "目"},
    "a share above 100": {"share_pct": 100.5},
    "a negative share": {"share_pct": -0.01},
    "a negative span": {"char_start": -1},
    "a span running backwards": {"char_start": 30, "char_end": 29},
    "a report id of 15 chars": {"report_id": "0123456789abcde"},
    "a year before 1990": {"fiscal_year": 1989},
    "a page 0": {"page": 0},
    "a null subject": {"subject": None},
    "a null evidence": {"evidence": None},
    "an unknown fund": {"fund": "社保基金"},
    "an unknown document kind": {"document_kind": "决算草案"},
    "an unknown COFOG division": {"cofog": "11"},
    "a null report id": {"report_id": None},
    "a null char_start": {"char_start": None},
    "an unknown source kind": {"source_kind": "scan"},
}
# where regex engines differ (pandas matches with pyarrow's RE2, Python's re would not say the same): the
# compiled check must agree with pandera, whichever way pandera goes
EDGE = {
    "a code with a trailing newline": {"code": "201\n"},
    "full-width digits in a code": {"code": "２０１"},
    "Arabic-Indic digits in a code": {"code": "٢٠١"},
    "a code with a leading space": {"code": " 201"},
    "a share of exactly 100": {"share_pct": 100.0},
    "a share of NaN": {"share_pct": float("nan")},
}


def _perturbed(change: dict):
    rows = _good_function_rows()
    rows[1] = {**rows[1], **change}
    return rows


@pytest.mark.parametrize("what", list(BROKEN))
def test_compiled_checks_never_pass_a_frame_pandera_fails(what):
    rows = _perturbed(BROKEN[what])
    b = schemas.build("expenditure_by_function", rows)
    assert not _pandera_passes("expenditure_by_function", b.frame), f"{what}: pandera must fail this frame"
    assert schemas.passes(b) is None, f"{what}: the compiled checks passed a frame pandera fails"
    # and the findings are pandera's own
    _, rows_new = validate_built({"expenditure_by_function": b})
    _, rows_ref = validate_tables({"expenditure_by_function": schemas.conform("expenditure_by_function", rows)})
    assert rows_new == rows_ref and any(r["rule"] == "schema" for r in rows_new)


@pytest.mark.parametrize("what", list(EDGE))
def test_compiled_checks_agree_with_pandera_at_the_edges(what):
    b = schemas.build("expenditure_by_function", _perturbed(EDGE[what]))
    assert bool(schemas.passes(b)) == _pandera_passes("expenditure_by_function", b.frame), what


def test_every_dataset_has_compiled_checks():
    # a check the compiler does not know sends every frame of the dataset to pandera: slow, not wrong
    assert all(schemas._compiled(d) is not None for d in schemas.DATASETS)


def test_a_value_the_fast_cast_does_not_know_goes_through_conform():
    rows = _good_function_rows()
    rows[0] = {**rows[0], "amount_wan": np.float64(100.0), "code": 201}   # not str: conform makes it '201'
    b = schemas.build("expenditure_by_function", rows)
    assert b.columns is None and schemas.passes(b) is None
    pd.testing.assert_frame_equal(b.frame, schemas.conform("expenditure_by_function", rows))


@pytest.mark.parametrize("values", [["2023-12-31", None], [None, None], []])
def test_date_column_as_conform_makes_it(values):
    rows = [dict(KEYS, evidence="e", char_start=i, char_end=i + 1, source_kind="table", item="资产总额",
                 as_of=v, amount_wan=1.5) for i, v in enumerate(values)]
    b = schemas.build("asset_composition", rows)
    ref = schemas.conform("asset_composition", rows)
    pd.testing.assert_frame_equal(b.frame, ref)
    assert schemas.passes(b) is True
    pd.testing.assert_frame_equal(schemas.coerced(b), schemas.MODELS["asset_composition"].validate(ref))


def test_float32_and_integer_values_as_conform_casts_them():
    rows = _good_function_rows()
    rows[0] = {**rows[0], "x0": 0.1, "y0": 123456.789, "x1": 7, "page": 3, "amount_wan": 5}
    b = schemas.build("expenditure_by_function", rows)
    assert b.columns is not None
    pd.testing.assert_frame_equal(b.frame, schemas.conform("expenditure_by_function", rows))
    assert b.records[0]["x0"] == float(np.float32(0.1)) and b.records[0]["amount_wan"] == 5.0


def test_repeated_keys_finds_what_check_keys_finds():
    rows = _good_function_rows()
    b = schemas.build("expenditure_by_function", rows)
    assert not repeated_keys("expenditure_by_function", b.records)
    assert check_keys("expenditure_by_function", b.frame) == []
    twice = schemas.build("expenditure_by_function", rows + [rows[1]])
    assert repeated_keys("expenditure_by_function", twice.records)
    found = check_keys("expenditure_by_function", twice.frame)
    assert len(found) == 1 and found[0]["rule"] == "row_key"
    # None in a key: pandas' groupby (dropna=False) counts two nulls as the same key; so do tuples
    nulls = [dict(r, parent_subject=None, char_start=5, char_end=6) for r in rows[:1]] * 2
    nb = schemas.build("expenditure_by_function", nulls)
    assert repeated_keys("expenditure_by_function", nb.records) and check_keys("expenditure_by_function", nb.frame)


def test_row_keys_hold_no_float_column():
    # repeated_keys compares tuples: exact for strings and integers; a float column in a key would need
    # pandas' NaN rules
    for d, keys in schemas.ROW_KEYS.items():
        plan = {c: name for c, name, _, _ in schemas._column_plan(d)}
        assert all(plan[k] in ("str", "Int16", "Int32", "Int64") for k in keys), d


def test_the_catalogue_validated_by_the_compiled_checks_is_what_pandera_returns():
    from jueshuan_data import classification

    raw = classification._read()
    pd.testing.assert_frame_equal(schemas.validate_fast(classification.CatalogueSchema, raw),
                                  classification.CatalogueSchema.validate(raw))


@pytest.mark.parametrize("change", ["a duplicate row", "a code of 4 digits", "overlapping eras", "a year 1989"])
def test_a_broken_catalogue_fails_as_pandera_fails_it(change):
    import pandera.errors as pe

    from jueshuan_data import classification

    df = classification._read()
    if change == "a duplicate row":
        df = pd.concat([df, df.iloc[[5]]], ignore_index=True)
    elif change == "a code of 4 digits":
        df.loc[3, "code"] = "2010"
    elif change == "overlapping eras":
        twin = df.iloc[[7]].copy()
        twin["first_year"] = pd.array([2000], dtype="Int16")
        twin["last_year"] = pd.array([2100], dtype="Int16")
        df = pd.concat([df, twin], ignore_index=True)
    else:
        df["first_year"] = df["first_year"].fillna(1989)
    with pytest.raises((pe.SchemaError, pe.SchemaErrors)) as ref:
        classification.CatalogueSchema.validate(df)
    with pytest.raises(type(ref.value)) as got:
        schemas.validate_fast(classification.CatalogueSchema, df)
    assert str(got.value) == str(ref.value)
