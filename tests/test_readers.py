"""Every reader reads every dataset folder of a converted batch (issue 13 item 8, issue 14): plain pandas,
pyarrow, Polars, DuckDB (per dataset and one glob over OUT) and Spark (when pyspark is installed), a
report without a fiscal year included; and a batch writes a bounded number of files per dataset and year."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import jueshuan_data as jd
from jueshuan_data import schemas, write

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tianqiao_2023.txt"
CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The seed, the three Putuo texts and the seed without its years (a report with no fiscal year)."""
    tmp = tmp_path_factory.mktemp("readers")
    inp = tmp / "in"
    inp.mkdir()
    shutil.copyfile(SEED, inp / "tianqiao_2023.txt")
    for p in sorted(CORPUS.glob("putuo_*.txt")):
        shutil.copyfile(p, inp / p.name)
    text = SEED.read_text(encoding="utf-8")
    (inp / "no_year.txt").write_text(re.sub(r"20\d\d(?=\s*年)", "本", text), encoding="utf-8")
    res = jd.convert([inp], tmp / "out")
    assert (res.converted, res.failed) == (5, 0), res.summary()
    return tmp / "out"


@pytest.fixture(scope="module")
def expected(out) -> dict[str, pd.DataFrame]:
    return {d: jd.read_dataset(out, d) for d in schemas.DATASETS}


def test_the_fixture_has_a_report_without_a_year(out, expected):
    m = jd.read_manifest(out).set_index("source")
    assert pd.isna(m.loc["no_year.txt", "fiscal_year"]) and m.loc["tianqiao_2023.txt", "fiscal_year"] == 2023
    assert list((out / "facts").glob(f"part-{write.NO_YEAR}-*.parquet")) and list((out / "facts").glob("part-2024-*"))
    assert expected["facts"]["fiscal_year"].isna().sum() == m.loc["no_year.txt", "rows_facts"] > 100


def test_plain_pandas_reads_every_dataset_folder(out, expected):
    for d, want in expected.items():
        if not len(want):
            continue
        got = pd.read_parquet(out / d)
        assert len(got) == len(want), d
        assert list(got.columns) == schemas.COLUMNS[d], d
        assert str(got["fiscal_year"].dtype) == "Int16", d                 # not a category
        assert got["fiscal_year"].isna().sum() == want["fiscal_year"].isna().sum() > 0, d
        assert set(got["fiscal_year"].dropna()) == set(want["fiscal_year"].dropna()) <= {2023, 2024}, d


def test_pyarrow_reads_every_dataset_folder(out, expected):
    for d, want in expected.items():
        if len(want):
            t = pq.read_table(out / d)
            assert t.num_rows == len(want) and str(t.schema.field("fiscal_year").type) == "int16", d


def test_polars_reads_every_dataset_folder(out, expected):
    pl = pytest.importorskip("polars")
    for d, want in expected.items():
        if not len(want):
            continue
        df = pl.read_parquet(f"{out}/{d}/*.parquet")
        assert df.height == len(want) and df.schema["fiscal_year"] == pl.Int16, d
        assert df["fiscal_year"].null_count() == want["fiscal_year"].isna().sum(), d
        assert pl.scan_parquet(out / d).select(pl.len()).collect().item() == len(want), d


def test_duckdb_reads_each_dataset_and_the_whole_folder(out, expected):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    total = 0
    for d, want in expected.items():
        if not len(want):
            continue
        n, nulls, typ = con.execute(
            f"SELECT count(*), count(*) - count(fiscal_year), any_value(typeof(fiscal_year)) "
            f"FROM read_parquet('{out}/{d}/*.parquet')").fetchone()
        assert (n, nulls, typ) == (len(want), want["fiscal_year"].isna().sum(), "SMALLINT"), d
        total += n
    # one glob over OUT reads the datasets and nothing else (the manifest is not a .parquet file)
    for extra in ("", ", union_by_name=true"):
        (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true{extra})"
                           ).fetchone()
        assert n == total
    rows = con.execute(f"SELECT status, count(*) FROM read_json('{out}/{write.MANIFEST_FILE}') GROUP BY 1").fetchall()
    assert rows == [("ok", 5)]


def test_spark_reads_every_dataset_folder(out, expected):
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[1]").appName("jueshuan-readers").getOrCreate()
    try:
        for d, want in expected.items():
            if not len(want):
                continue
            df = spark.read.parquet(str(out / d))
            assert df.count() == len(want), d
            assert dict(df.dtypes)["fiscal_year"] == "smallint", d
            assert df.filter(df.fiscal_year.isNull()).count() == want["fiscal_year"].isna().sum(), d
    finally:
        spark.stop()


def test_a_batch_writes_a_bounded_number_of_files_per_dataset_and_year(tmp_path):
    """40 reports in batches of 4: not 40 files per dataset and year (one per input, as in 0.1.0), but a few;
    a changed input still replaces exactly its rows."""
    inp = tmp_path / "in"
    inp.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(40):     # 40 different texts (their title differs), not copies
        (inp / f"r{i:02d}.txt").write_text(text.replace("天桥街道办事处", f"天桥街道办事处第{i}分处", 1), encoding="utf-8")
    out = tmp_path / "out"
    res = jd.convert([inp], out, batch_size=4)
    assert res.converted == 40
    per_folder = {}      # per dataset and year
    for f in out.rglob("part-*.parquet"):
        per_folder.setdefault((f.parent.name, f.name.split("-")[1]), []).append(f)
    assert per_folder and max(len(v) for v in per_folder.values()) <= 2 * (write.MERGE_FACTOR - 1)
    facts = jd.read_dataset(out, "facts")
    n_facts = facts.groupby("source").size()
    assert len(n_facts) == 40 and n_facts.nunique() == 1
    # change one input: exactly its rows are replaced, nobody else's
    (inp / "r07.txt").write_text(text.replace("国防支出7.43万元", "国防支出9.43万元"), encoding="utf-8")
    res = jd.convert([inp], out, batch_size=4)
    assert (res.converted, res.unchanged) == (1, 39)
    efs = jd.read_dataset(out, "expenditure_by_function")
    guofang = efs[(efs["level"] == "类") & (efs["subject"] == "国防支出")].groupby("source")["amount_wan"]
    amounts = guofang.apply(lambda s: sorted(set(s.round(2))))
    assert amounts["r07.txt"] == [9.43] and all(v == [7.43] for k, v in amounts.items() if k != "r07.txt")
    after = jd.read_dataset(out, "facts")
    assert after.groupby("source").size().drop("r07.txt").equals(n_facts.drop("r07.txt"))
    assert len(pd.read_parquet(out / "facts")) == len(after)          # the folder holds no old copy
    assert len(list((out / "facts").glob("part-2023-*.parquet"))) <= 2 * (write.MERGE_FACTOR - 1)
