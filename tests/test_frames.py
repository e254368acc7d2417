"""``Report.tables`` makes each frame when it is first read (``frames.Tables``), on the seed report.

What the frames hold is held to the reference path by ``test_parse_equivalence.py`` (every frame of every
corpus report); these tests hold the mapping itself: nothing is made by ``parse``, a read makes exactly the
frame asked for, and the frames behave as those of a dict (copy, pickle, ``dict()``, assignment).
"""
from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest

import jueshuan_data as jd
from jueshuan_data.frames import Tables

SEED = Path(__file__).resolve().parents[1] / "seeds" / "tianqiao_2023.txt"


@pytest.fixture()
def report():
    return jd.parse(SEED)


def test_parse_makes_no_frame_and_knows_every_row_count(report):
    assert isinstance(report.tables, Tables)
    assert not any(report.tables.is_built(d) for d in report.tables)
    # counted in the seed: 20 三公 rows (合计, 因公出国（境）费 …), 13 findings
    assert report.tables.row_count("three_public") == 20
    assert report.tables.row_count("issues") == 13
    assert "three_public=20" in repr(report) and "issues=13" in repr(report)
    assert not any(report.tables.is_built(d) for d in report.tables)   # repr made none


def test_reading_one_dataset_makes_only_its_frame(report):
    tp = report.three_public
    assert isinstance(tp, pd.DataFrame) and len(tp) == 20
    total = tp[tp["item"] == "合计"].iloc[0]
    assert total["amount_wan"] == 0.62 and total["amount_text"] == "0.62万元"   # seed line 113
    assert report.tables.is_built("three_public")
    assert [d for d in report.tables if report.tables.is_built(d)] == ["three_public"]
    assert report.three_public is tp     # made once, then kept


def test_the_tables_behave_as_a_dict_of_frames(report):
    as_dict = dict(report.tables)
    assert list(as_dict) == list(report.tables) and all(isinstance(v, pd.DataFrame) for v in as_dict.values())
    again = pickle.loads(pickle.dumps(report.tables))
    assert isinstance(again, Tables) and all(again.is_built(d) for d in again)
    pd.testing.assert_frame_equal(again["three_public"], report.tables["three_public"])
    report.tables["extra"] = pd.DataFrame({"x": [1]})
    assert report.extra["x"].tolist() == [1]
    del report.tables["extra"]
    assert "extra" not in report.tables


def test_an_empty_dataset_of_two_reports_is_two_frames():
    # an empty dataset's frame is a copy of one frame made per process: a column added to one report's frame
    # must not appear in another report's
    a = jd.parse_text("某单位2023年度部门决算\n一般公共预算财政拨款支出100.00万元。", "a.txt")
    b = jd.parse_text("某单位2023年度部门决算\n一般公共预算财政拨款支出200.00万元。", "b.txt")
    empty = [d for d in a.tables if a.tables.row_count(d) == 0 and d != "issues"]
    assert empty
    a.tables[empty[0]]["added"] = pd.Series(dtype="float64")
    assert "added" not in b.tables[empty[0]].columns


def test_an_unread_report_keeps_its_columns_not_a_dict_per_row():
    # the checks and the rules read the built records during parse; afterwards only the columns the frames are
    # made from stay (a notebook holding many unread reports holds no dict per row)
    r = jd.parse(SEED)
    built = r.tables.lazy("facts").source
    assert built is not None and built.records is None and built.n == r.tables.row_count("facts") == 620
    assert len(r.facts) == 620 and r.facts["text"].notna().all()
