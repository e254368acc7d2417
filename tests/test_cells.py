"""“三公” tables flattened one cell a line with the items as rows (district 数据解读 pages), read by
``extract/tables/cells.py``. Figures read by hand from the pages quoted."""

from pathlib import Path

import pandas as pd
import pytest

import jueshuan_data as jd
from jueshuan_data.extract.tables.cells import read_three_cell_tables

PAGES = Path(__file__).resolve().parent / "corpus" / "pages"

CASES = {
    # 311 (渝中区 2020 全区“三公”经费决算情况): "经费项目 |", "2020年度支出 (万元) |" … one cell a line, a rule after each;
    # the title re-joined with the first header cell by the text's normalisation
    "311": {"因公出国（境）费": 0.0, "公务接待费": 71.53, "公务用车购置及运行维护费": 1857.23, "公务用车购置费": 423.81,
            "公务用车运行维护费": 1433.42, "合计": 1928.76},
    # 510 (渝中区 2017): the same table with blank lines between the cells and no rules ("4,058.29", "-")
    "510": {"因公出国（境）费": 91.85, "公务接待费": 183.19, "公务用车购置及运行维护费": 4058.29, "公务用车购置费": 1471.69,
            "公务用车运行维护费": 2586.6, "合计": 4333.33},
}


@pytest.mark.parametrize("page", sorted(CASES))
def test_three_public_cell_table(page):
    t = jd.parse(PAGES / f"{page}.txt").tables["three_public"]
    rows = t[t["source_kind"] == "table"]
    assert dict(zip(rows["item"], rows["amount_wan"])) == CASES[page]
    assert set(rows.loc[rows["item"].isin(["公务用车购置费", "公务用车运行维护费"]), "parent_item"]) == {"公务用车购置及运行维护费"}
    assert rows["table"].str.contains("三公").all()


def test_change_columns_take_their_sign_from_their_header():
    # 311: 因公出国(境)费 | 0 | 0 | 0% under "支出减少情况(万元)", "支出减少率": no change; the other rows print "-"
    t = jd.parse(PAGES / "311.txt").tables["three_public"]
    abroad = t[(t["item"] == "因公出国（境）费") & (t["source_kind"] == "table")].iloc[0]
    assert (abroad["change_wan"], abroad["change_pct"]) == (0.0, 0.0)
    assert str(abroad["change_wan"]) == "0.0"          # not −0.0
    host = t[(t["item"] == "公务接待费") & (t["source_kind"] == "table")].iloc[0]
    assert pd.isna(host["change_wan"]) and pd.isna(host["change_pct"])
    # a decrease column's figure is a negative change
    text = ("2019年度某区“三公”经费决算情况\n经费项目 |\n2019年度支出 (万元) |\n支出减少情况(万元) |\n支出减少率 |\n"
            "公务接待费 |\n71.53 |\n12.50 |\n14.88% |\n公务用车运行维护费 |\n1433.42 |\n- |\n- |\n")
    row = next(r for r in read_three_cell_tables(text)[0].rows if r.label == "公务接待费")
    assert (row.cells["公务接待费|增减额"].value, row.cells["公务接待费|增减率"].value) == (-12.5, -14.88)


def test_a_row_short_of_cells_ends_the_table_and_counts_are_no_table():
    # 311's second table ("使用项目 | 2020年度数量或人次 |"): counts, no money unit: not read
    text = (PAGES / "311.txt").read_text(encoding="utf-8")
    grids = read_three_cell_tables(text)
    assert len(grids) == 1 and len(grids[0].rows) == 6
    cut = text.replace("公务接待费 |\n71.53 |\n- |\n- |", "公务接待费 |\n71.53 |")
    # the second row loses two cells: the table ends after its first row, too short to be one
    assert read_three_cell_tables(cut) == []
