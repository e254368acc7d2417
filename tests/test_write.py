"""The Parquet layout (write.py): types, partitions, replacement, atomicity, manifest, read_dataset, DuckDB."""

from __future__ import annotations

import json
import os
import types
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jueshuan_data import schemas, write

SEED = Path(__file__).resolve().parents[1] / "seeds" / "tianqiao_2023.txt"


def fake_report(source="a.txt", rid="0123456789abcdef", year=2023, amount=7894.78, path=None, n_facts=5):
    """A small report-like object with conformed frames (the shape ``jd.parse`` returns)."""
    keys = dict(report_id=rid, entity="北京市西城区人民政府天桥街道办事处", fiscal_year=year, source=source)
    ev = dict(section="第一部分/四/（二）", evidence="社会保障和就业支出7,894.78万元", char_start=10, char_end=20,
              amount_text="7,894.78万元", source_kind="narrative")
    t = {d: schemas.conform(d, []) for d in schemas.DATASETS}
    t["expenditure_by_function"] = schemas.conform("expenditure_by_function", [
        dict(keys, **ev, fund="一般公共预算", level="类", code="208", subject="社会保障和就业支出",
             printed_name="社会保障和就业支出", amount_wan=amount, share_pct=31.06),
        dict(keys, **{**ev, "char_start": 30, "char_end": 38}, fund="一般公共预算", level="款", code="20802",
             subject="民政管理事务", printed_name="民政管理事务", parent_code="208",
             parent_subject="社会保障和就业支出", amount_wan=12.5),
    ])
    t["asset_composition"] = schemas.conform("asset_composition", [
        dict(keys, **ev, item="资产总额", as_of=pd.Timestamp(f"{year or 2023}-12-31"), amount_wan=1.5, count=3,
             count_unit="辆"),
    ])
    t["facts"] = schemas.conform("facts", [
        dict(keys, section="第一部分", evidence="e", char_start=i, char_end=i + 1, text=str(i), value=float(i),
             kind="amount") for i in range(n_facts)
    ])
    t["issues"] = schemas.conform("issues", [
        dict(keys, rule="kuan_sum_le_lei", severity="warning", dataset="expenditure_by_function",
             message="款 larger than its 类", expected=1.0, actual=2.0),
    ])
    return types.SimpleNamespace(report_id=rid, entity=keys["entity"], fiscal_year=year, source=source,
                                 sha256="ab" * 32, tables=t, issues=t["issues"], path=path)


def parquet_files(out):
    return sorted(p for p in Path(out).rglob("*.parquet"))


def test_layout_types_and_compression(tmp_path):
    rows = write.write_report(fake_report(path=str(tmp_path / "in" / "a.txt")), tmp_path / "out")
    assert rows["expenditure_by_function"] == 2 and rows["facts"] == 5 and rows["summary"] == 0
    out = tmp_path / "out"
    (f,) = (out / "expenditure_by_function").glob("part-2023-*.parquet")
    assert not (out / "summary").exists()          # no rows, no file
    assert (out / write.MANIFEST_FILE).exists()
    meta = pq.ParquetFile(f).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    schema = pq.read_schema(f)
    assert schema.field("fiscal_year").type == pa.int16()     # a real column, not a hive folder
    assert schema.field("report_id").type == pa.string()
    assert schema.field("amount_wan").type == pa.float64()
    assert schema.field("char_start").type == pa.int32()
    (a,) = (out / "asset_composition").glob("part-2023-*.parquet")
    a = pq.read_schema(a)
    assert a.field("as_of").type == pa.date32() and a.field("count").type == pa.int64()
    assert schema.names == schemas.COLUMNS["expenditure_by_function"]
    # the footer says whose rows the file holds
    key = write.input_key(write.input_identity(tmp_path / "in" / "a.txt"))
    assert json.loads(schema.metadata[b"jueshuan.inputs"]) == [[key, 2]]


def test_read_dataset_dtypes_filters_and_empty(tmp_path):
    out = tmp_path / "out"
    write.write_report(fake_report(path="/x/a.txt", year=2022, rid="a" * 16, amount=1.0), out)
    write.write_report(fake_report(path="/x/b.txt", year=2023, rid="b" * 16), out)
    df = write.read_dataset(out, "expenditure_by_function")
    assert list(df.columns) == schemas.COLUMNS["expenditure_by_function"]
    assert str(df["fiscal_year"].dtype) == "Int16" and str(df["char_start"].dtype) == "Int32"
    assert df["amount_wan"].dtype == "float64"
    assert sorted(df["fiscal_year"].unique().tolist()) == [2022, 2023]
    assert len(df) == 4
    schemas.MODELS["expenditure_by_function"].validate(df)     # what comes back still passes the model
    y = write.read_dataset(out, "expenditure_by_function", fiscal_year=2023, level="类")
    assert y["amount_wan"].tolist() == [7894.78]
    assert len(write.read_dataset(out, "expenditure_by_function", fiscal_year=[2022, 2023], level="款")) == 2
    assert len(write.read_dataset(out, "expenditure_by_function", parent_code=None)) == 2
    assets = write.read_dataset(out, "asset_composition", fiscal_year=2022)
    assert assets["as_of"].iloc[0] == pd.Timestamp("2022-12-31") and assets["count"].iloc[0] == 3
    empty = write.read_dataset(out, "summary")
    assert len(empty) == 0 and list(empty.columns) == schemas.COLUMNS["summary"]
    with pytest.raises(ValueError):
        write.read_dataset(out, "no_such_dataset")
    with pytest.raises(ValueError):
        write.read_dataset(out, "summary", no_such_column=1)
    with pytest.raises(FileNotFoundError):
        write.read_dataset(tmp_path / "missing", "summary")


def test_public_read_dataset_is_write_read_dataset():
    import jueshuan_data as jd

    assert jd.read_dataset is write.read_dataset


def test_rewrite_replaces_and_new_adds(tmp_path):
    out = tmp_path / "out"
    write.write_report(fake_report(path="/x/a.txt", rid="a" * 16), out)
    write.write_report(fake_report(path="/x/a.txt", rid="a" * 16), out)     # same again: no duplicates
    assert len(write.read_dataset(out, "facts")) == 5
    write.write_report(fake_report(path="/x/a.txt", rid="c" * 16, amount=1.0, n_facts=3), out)  # changed
    facts = write.read_dataset(out, "facts")
    assert len(facts) == 3 and set(facts["report_id"]) == {"c" * 16}
    assert write.read_dataset(out, "expenditure_by_function", level="类")["amount_wan"].tolist() == [1.0]
    write.write_report(fake_report(path="/x/b.txt", rid="b" * 16, source="b.txt"), out)   # a new input adds
    assert len(write.read_dataset(out, "facts")) == 8
    m = write.read_manifest(out)
    assert sorted(m["path"]) == ["/x/a.txt", "/x/b.txt"]
    assert m.set_index("path").loc["/x/a.txt", "report_id"] == "c" * 16
    assert m.set_index("path").loc["/x/a.txt", "rows_facts"] == 3


def test_year_change_moves_the_part_file(tmp_path):
    out = tmp_path / "out"
    write.write_report(fake_report(path="/x/a.txt", year=2022), out)
    write.write_report(fake_report(path="/x/a.txt", year=2023, rid="d" * 16), out)
    df = write.read_dataset(out, "facts")
    assert df["fiscal_year"].unique().tolist() == [2023] and len(df) == 5
    assert not list((out / "facts").glob("part-2022-*.parquet"))


def test_missing_year_is_a_null_year(tmp_path):
    out = tmp_path / "out"
    write.write_report(fake_report(path="/x/a.txt", year=None), out)
    write.write_report(fake_report(path="/x/b.txt", year=2023), out)
    assert list((out / "facts").glob(f"part-{write.NO_YEAR}-*.parquet"))
    df = write.read_dataset(out, "facts")
    assert df["fiscal_year"].isna().sum() == 5 and (df["fiscal_year"] == 2023).sum() == 5
    plain = pd.read_parquet(out / "facts")                     # plain pandas: no crash, no category
    assert str(plain["fiscal_year"].dtype) == "Int16" and plain["fiscal_year"].isna().sum() == 5


def test_manifest_columns_and_types(tmp_path):
    out = tmp_path / "out"
    write.write_report(fake_report(path="/x/a.txt"), out)
    lines = (out / write.MANIFEST_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and list(json.loads(lines[0])) == write.MANIFEST_COLUMNS
    m = write.read_manifest(out)
    assert str(m["fiscal_year"].dtype) == "Int16" and str(m["rows_facts"].dtype) == "Int64"
    assert str(m["converted_at"].dtype).startswith("datetime64")
    row = m.iloc[0]
    import jueshuan_data as jd

    assert row["status"] == "ok" and row["library_version"] == jd.__version__ and row["sha256"] == "ab" * 32
    assert row["rows_expenditure_by_function"] == 2 and row["rows_issues"] == 1
    assert row["key"] == write.input_key("/x/a.txt")
    assert len(write.read_manifest(tmp_path / "nothing")) == 0


def test_merge_manifest_keeps_one_row_per_path():
    old = write.merge_manifest(write.empty_manifest(), [write.manifest_row(path="/x/a.txt", source="a.txt", status="ok")])
    rows = [write.manifest_row(path="/x/b.txt", source="b.txt", status="failed", error="b.txt: broken"),
            write.manifest_row(path="/x/a.txt", source="a.txt", status="failed", error="a.txt: broken"),
            write.manifest_row(path="/x/a.txt", source="a.txt", status="ok", report_id="f" * 16)]
    m = write.merge_manifest(old, rows).set_index("path")
    assert sorted(m.index) == ["/x/a.txt", "/x/b.txt"]
    assert m.loc["/x/a.txt", "status"] == "ok" and m.loc["/x/a.txt", "report_id"] == "f" * 16   # the last one
    assert m.loc["/x/b.txt", "status"] == "failed"


def test_atomic_write_leaves_old_file_on_failure(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write.write_report(fake_report(path="/x/a.txt"), out)
    before = {p: p.read_bytes() for p in parquet_files(out)}

    def crash_midway(where, *args, **kw):
        with open(where, "wb") as fh:          # half a file under the temporary name, then die
            fh.write(b"PAR1 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(pq, "ParquetWriter", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        write.write_report(fake_report(path="/x/a.txt", rid="e" * 16, n_facts=9), out)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in parquet_files(out)} == before       # nothing visible changed
    assert not list(out.rglob("*.tmp"))
    for p in parquet_files(out):
        pq.read_table(p)
    assert len(write.read_dataset(out, "facts")) == 5


def test_stale_temp_files_are_invisible_and_cleaned(tmp_path):
    out = tmp_path / "out"
    write.write_report(fake_report(path="/x/a.txt"), out)
    junk = out / "facts" / ".part-2023-000099.parquet.999.tmp"
    junk.write_bytes(b"PAR1 half written")
    assert len(write.read_dataset(out, "facts")) == 5                 # readers ignore it
    assert len(pd.read_parquet(out / "facts")) == 5
    import pyarrow.dataset as ds

    assert ds.dataset(out / "facts", format="parquet").to_table().num_rows == 5
    write.write_report(fake_report(path="/x/b.txt"), out)              # the next writer removes it
    assert not junk.exists()


def test_lock_refuses_a_second_writer(tmp_path):
    out = tmp_path / "out"
    with write.output_lock(out):
        pid = os.fork()
        if pid == 0:  # child: must not get the lock
            try:
                with write.output_lock(out):
                    os._exit(1)
            except write.OutputLockedError:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_duckdb_and_pyarrow_read_the_layout(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    import pyarrow.dataset as ds

    out = tmp_path / "out"
    write.write_report(fake_report(path="/x/a.txt", year=2022, rid="a" * 16), out)
    write.write_report(fake_report(path="/x/b.txt", year=2023, rid="b" * 16), out)
    rows = duckdb.sql(
        f"SELECT fiscal_year, subject, amount_wan FROM read_parquet('{out}/expenditure_by_function/*.parquet') "
        "WHERE level = '类' ORDER BY fiscal_year"
    ).fetchall()
    assert rows == [(2022, "社会保障和就业支出", 7894.78), (2023, "社会保障和就业支出", 7894.78)]
    t = ds.dataset(out / "facts", format="parquet").to_table()
    assert t.num_rows == 10 and t.schema.field("fiscal_year").type == pa.int16()


def test_report_write_parquet_is_the_batch_layout(tmp_path):
    """``Report.write_parquet`` (one real report) writes what ``convert`` writes; a convert after it skips."""
    import jueshuan_data as jd

    report = jd.parse(SEED)
    out = tmp_path / "out"
    rows = report.write_parquet(out)
    assert rows == {d: len(report.tables[d]) for d in schemas.DATASETS}
    efs = write.read_dataset(out, "expenditure_by_function", level="类")
    assert 7894.78 in efs.loc[efs["subject"] == "社会保障和就业支出", "amount_wan"].round(2).tolist()
    m = write.read_manifest(out).iloc[0]
    assert m["report_id"] == report.report_id and m["path"] == SEED.resolve().as_posix()
    res = jd.convert([SEED], out)
    assert (res.converted, res.unchanged) == (0, 1)
    assert len(write.read_dataset(out, "facts")) == len(report.tables["facts"])


def test_killed_between_the_new_rows_and_the_removal_of_the_old(tmp_path, monkeypatch):
    """kill -9 after a changed input's new rows are written and before its old ones are removed: the folder
    holds both until the next writer, which keeps the newest; read_dataset never shows both."""
    out = tmp_path / "out"
    write.write_report(fake_report(path="/x/a.txt", rid="a" * 16, n_facts=5), out)
    write.write_report(fake_report(path="/x/b.txt", rid="b" * 16, source="b.txt", n_facts=4), out)

    def killed(self, *args, **kw):
        raise SystemExit("killed")          # what the process would not survive: nothing after this runs

    monkeypatch.setattr(write.Store, "remove_inputs", killed)
    with pytest.raises(SystemExit):
        write.write_report(fake_report(path="/x/a.txt", rid="c" * 16, n_facts=3), out)
    monkeypatch.undo()
    assert len(pd.read_parquet(out / "facts")) == 5 + 4 + 3              # the folder: old and new rows of a
    facts = write.read_dataset(out, "facts")
    assert sorted(facts.groupby("report_id").size().to_dict().items()) == [("b" * 16, 4), ("c" * 16, 3)]
    with write.output_lock(out):
        write.Store(out)                                                  # the next writer repairs
    assert len(pd.read_parquet(out / "facts")) == 4 + 3
    assert write.read_dataset(out, "facts").equals(facts)
