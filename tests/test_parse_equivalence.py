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

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jueshuan_data import contract, extract, ingest, report, schemas, segment
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
        b = contract.build(name, [{**r, **keys} for r in rows.get(name, [])])
        from_frame = Context({name: b.frame}).records(name)
        assert len(from_frame) == len(b.records)
        for got, want in zip(b.records, from_frame):
            assert got == want
            # a date is a datetime in the records (made without pandas), a Timestamp in the frame: the rules
            # compare and print them (str) alike
            kinds = [type(v) for v in want.values()]
            assert [type(v) for v in got.values()] == [datetime if k is pd.Timestamp else k for k in kinds], name
            assert [str(v) for v in got.values()] == [str(v) for v in want.values()], name


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
    b = contract.build("expenditure_by_function", rows)
    assert not _pandera_passes("expenditure_by_function", b.frame), f"{what}: pandera must fail this frame"
    assert contract.passes(b) is None, f"{what}: the compiled checks passed a frame pandera fails"
    # and the findings are pandera's own
    _, rows_new = validate_built({"expenditure_by_function": b})
    _, rows_ref = validate_tables({"expenditure_by_function": schemas.conform("expenditure_by_function", rows)})
    assert rows_new == rows_ref and any(r["rule"] == "schema" for r in rows_new)


@pytest.mark.parametrize("what", list(EDGE))
def test_compiled_checks_agree_with_pandera_at_the_edges(what):
    b = contract.build("expenditure_by_function", _perturbed(EDGE[what]))
    assert bool(contract.passes(b)) == _pandera_passes("expenditure_by_function", b.frame), what


def test_every_dataset_has_compiled_checks():
    # a check the compiler does not know sends every frame of the dataset to pandera: slow, not wrong
    assert all(contract._compiled(d) is not None for d in schemas.DATASETS)


def test_a_value_the_fast_cast_does_not_know_goes_through_conform():
    rows = _good_function_rows()
    rows[0] = {**rows[0], "amount_wan": np.float64(100.0), "code": 201}   # not str: conform makes it '201'
    b = contract.build("expenditure_by_function", rows)
    assert b.columns is None and contract.passes(b) is None
    pd.testing.assert_frame_equal(b.frame, schemas.conform("expenditure_by_function", rows))


@pytest.mark.parametrize("values", [["2023-12-31", None], [None, None], []])
def test_date_column_as_conform_makes_it(values):
    rows = [dict(KEYS, evidence="e", char_start=i, char_end=i + 1, source_kind="table", item="资产总额",
                 as_of=v, amount_wan=1.5) for i, v in enumerate(values)]
    b = contract.build("asset_composition", rows)
    ref = schemas.conform("asset_composition", rows)
    pd.testing.assert_frame_equal(b.frame, ref)
    assert contract.passes(b) is True
    pd.testing.assert_frame_equal(contract.coerced(b), schemas.MODELS["asset_composition"].validate(ref))


def test_float32_and_integer_values_as_conform_casts_them():
    rows = _good_function_rows()
    rows[0] = {**rows[0], "x0": 0.1, "y0": 123456.789, "x1": 7, "page": 3, "amount_wan": 5}
    b = contract.build("expenditure_by_function", rows)
    assert b.columns is not None
    pd.testing.assert_frame_equal(b.frame, schemas.conform("expenditure_by_function", rows))
    assert b.records[0]["x0"] == float(np.float32(0.1)) and b.records[0]["amount_wan"] == 5.0


def test_repeated_keys_finds_what_check_keys_finds():
    rows = _good_function_rows()
    b = contract.build("expenditure_by_function", rows)
    assert not repeated_keys("expenditure_by_function", b.records)
    assert check_keys("expenditure_by_function", b.frame) == []
    twice = contract.build("expenditure_by_function", rows + [rows[1]])
    assert repeated_keys("expenditure_by_function", twice.records)
    found = check_keys("expenditure_by_function", twice.frame)
    assert len(found) == 1 and found[0]["rule"] == "row_key"
    # None in a key: pandas' groupby (dropna=False) counts two nulls as the same key; so do tuples
    nulls = [dict(r, parent_subject=None, char_start=5, char_end=6) for r in rows[:1]] * 2
    nb = contract.build("expenditure_by_function", nulls)
    assert repeated_keys("expenditure_by_function", nb.records) and check_keys("expenditure_by_function", nb.frame)
    # by columns (what validate_built passes): the same answers
    for built, want in ((b, False), (twice, True), (nb, True)):
        assert repeated_keys("expenditure_by_function", built.records, built.columns) is want


def test_row_keys_hold_no_float_column():
    # repeated_keys compares tuples: exact for strings and integers; a float column in a key would need
    # pandas' NaN rules
    for d, keys in schemas.ROW_KEYS.items():
        plan = {c: name for c, name, _, _ in contract._column_plan(d)}
        assert all(plan[k] in ("str", "Int16", "Int32", "Int64") for k in keys), d


def test_the_catalogue_validated_by_the_compiled_checks_is_what_pandera_returns():
    from jueshuan_data import classification

    raw = classification._read()
    pd.testing.assert_frame_equal(classification.validate_catalogue(raw),
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
        classification.validate_catalogue(df)
    assert str(got.value) == str(ref.value)


# ------------------------------------------------------------ the pieces made faster, against their old form

def _texts():
    from jueshuan_data.errors import ReportError

    out = []
    for p in INPUTS:
        try:
            out.append(ingest.read_document(p))
        except ReportError:
            pass
    return out


@pytest.fixture(scope="module")
def docs():
    return _texts()


def _stage2_reference(chars, offs):
    """ingest._stage2_line before issue 14: every step applied to every line."""
    chars, offs = ingest._apply(chars, offs, ingest._PINYIN_GLOSS, None)
    s = "".join(chars)
    if "，" in s:
        for a, b in [m.span() for m in ingest._FW_COMMA_IN_NUM.finditer(s)]:
            for k in range(a, b):
                if chars[k] == "，":
                    chars[k] = ","
    for pattern, repl, group in ((ingest._HEAD_AFTER_STOP, "\n", 0), (ingest._SPACE_IN_NUM, None, 0),
                                 (ingest._SPACE_NUM_MONEY, None, 0), (ingest._SPACE_WAN_YUAN, None, 0),
                                 (ingest._SPACE_YEAR, None, 1), (ingest._SPACE_NUM_COUNT, None, 0),
                                 (ingest._SPACE_CJK_NUMUNIT, None, 0), (ingest._SPACE_AROUND_PUNCT, None, 0)):
        chars, offs = ingest._apply(chars, offs, pattern, repl, group)
    s = "".join(chars)
    if ingest._NARRATIVE_MARK.search(s) or s.count("，") >= 2:
        chars, offs = ingest._apply(chars, offs, ingest._SPACE_CJK_CJK, None)
    return chars, offs


def test_stage2_skips_only_steps_that_find_nothing(docs):
    lines = [ln for d in docs for ln in (d.raw.split("\n") + d.text.split("\n"))]
    lines += ["事業(yè)收入 1，234．5 万 元", "2024 年 收入 12,345. 67 万元；其中 ： 基本支出 3 辆", "合计 1 234.5"]
    assert len(lines) > 5000
    for s in lines:
        want = _stage2_reference(list(s), list(range(len(s))))
        assert ingest._stage2_line(list(s), list(range(len(s)))) == want, s


def test_width_and_traditional_folding_as_before(docs):
    import unicodedata

    for d in docs:
        for s in d.raw.split("\n")[:200]:
            assert ingest._width(s) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
    folded = [d for d in docs if ingest._fold_traditional(d.raw) != d.raw]
    assert folded, "the corpus has a traditional-character reprint (pages/216)"


def test_clause_helpers_find_what_their_regexes_found(docs):
    import re

    from jueshuan_data.rules import clauses

    def sentence_ref(text, pos):
        lo = 0
        for m in clauses._SENT_END.finditer(text, 0, pos):
            lo = m.end()
        m = clauses._SENT_END.search(text, pos)
        return lo, (m.end() if m else len(text))

    staff = "本单位编制人数10人，其中：行政编制5人，事业编制5人。在职人员8人其中行政3人、事业5人"
    for text in [d.text for d in docs] + [staff]:
        for pos in range(0, len(text), 37):
            assert clauses._sentence(text, pos) == sentence_ref(text, pos)
        assert [m.span() for m in clauses._staff_totals(text)] == \
            [m.span() for m in clauses._STAFF_TOTAL.finditer(text)]
        runs = [m.span() for m in clauses._CLAUSE_RUN.finditer(text) if "接待" in m.group(0)]
        assert runs == [m.span() for m in re.finditer(r"[^。；;\n]*接待[^。；;\n]*", text)]
    assert list(clauses._staff_totals(staff))


def test_section_chains_by_bisection_are_the_scans(docs):
    for d in docs[::5]:
        root = segment.section_tree(d.text)
        chains = extract._Chains(root)
        positions = list(range(0, len(d.text) + 1, 7))
        for pos in positions + positions[::-3] + [p + 1 for p in positions[::5]]:   # in order, back, jumps
            assert [id(s) for s in chains(pos)] == [id(s) for s in extract._chain(root, pos)]


def test_batch_validation_with_the_compiled_checks_is_pandera_s(monkeypatch):
    """batch._validate_batch over reports of the corpus, one of them with a broken frame: the same frames,
    owners and findings as with pandera on every concatenated frame."""
    from jueshuan_data import batch, write

    paths = [p for p in INPUTS if p.suffix == ".txt" and "pages" in p.parts][:10] + [ROOT / "seeds" / "tianqiao_2023.txt"]
    parsed = [batch._parse_one(batch._Task(str(p), str(p), write.input_key(str(p)), p.name)) for p in paths]
    assert all(p.ok for p in parsed)
    # a worker's datasets are built rows (one frame per chunk is made of them) or frames: batch._frame of either
    i = max(range(len(parsed)), key=lambda k: batch._rows(parsed[k].tables["expenditure_by_function"]))
    broken = batch._frame(parsed[i].tables["expenditure_by_function"])
    assert len(broken) and i > 0
    parsed[i].tables["expenditure_by_function"] = broken.assign(code="2010A")       # fails str_matches
    fast = batch._validate_batch(parsed)
    monkeypatch.setattr(batch, "validate_fast", lambda model, df, lazy=False: model.validate(df, lazy=lazy))
    ref = batch._validate_batch(parsed)
    for d in ref[0]:
        pd.testing.assert_frame_equal(fast[0][d], ref[0][d], obj=d)
        assert (fast[1][d] == ref[1][d]).all()
    assert set(fast[0]) == set(ref[0])
    assert fast[0]["issues"]["rule"].eq("schema").any()


def test_page_objects_are_what_pypdfium2_walks():
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    from jueshuan_data.pdf import glyphs

    pdfs = [p for p in INPUTS if p.suffix == ".pdf"]
    assert pdfs
    for path in pdfs:
        pdf = pdfium.PdfDocument(str(path))
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                want = [(o.type, o.get_bounds() if o.type == c.FPDF_PAGEOBJ_PATH else None)
                        for o in page.get_objects(max_depth=6)]
                got = []
                for raw, kind in glyphs._page_objects(c, page.raw, False, 0, 6):
                    bounds = None
                    if kind == c.FPDF_PAGEOBJ_PATH:
                        box = [ctypes.c_float() for _ in range(4)]
                        assert c.FPDFPageObj_GetBounds(raw, *box)
                        bounds = tuple(v.value for v in box)
                    got.append((kind, bounds))
                assert got == want, (path.name, i)
                page.close()
        finally:
            pdf.close()


def test_the_shipped_plan_is_the_models_as_they_are():
    """data/schema_plan.json is what the models say now (else parsing reads them, with pandera): after a change
    to schemas.py, classification.py or catalogue_model.py, ``python -m jueshuan_data.schemas`` writes it."""
    import json
    from importlib import resources

    shipped = json.loads(resources.files("jueshuan_data").joinpath("data", contract.PLAN_FILE).read_text("utf-8"))
    assert shipped == json.loads(json.dumps(contract.generate(), ensure_ascii=False)), \
        "stale: run python -m jueshuan_data.schemas"


def test_parsing_needs_no_pandera():
    import subprocess
    import sys

    code = ("import sys, jueshuan_data as jd; jd.parse(sys.argv[1]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandera', 'dask', 'hypothesis')))")
    p = subprocess.run([sys.executable, "-c", code, str(ROOT / "seeds" / "tianqiao_2023.txt")],
                       capture_output=True, text=True, cwd=ROOT.parent)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]"


def test_control_characters_are_category_cc_less_the_allowed():
    import unicodedata

    every = "".join(map(chr, range(0x110000 - 0x800)))        # up to the last plane, less its tail
    bad = [c for c in every if unicodedata.category(c) == "Cc" and c not in ingest._ALLOWED_CONTROLS]
    assert ingest._BAD_CONTROL.findall(every) == bad
