"""Labels are noun phrases: every label column of every dataset of every corpus report (issue 12).

A row names its subject (``item``, ``subject``, ``printed_name``, ``parent_*``, ``share_of``, ``topic``). A
label that is a clause (``根据财政定额以及街道实际情况确定…经费成本``), a fragment (``度支出``, ``级补助收入``), a
measure word (``增支``, ``累计``) or that holds a stray number (``…项目172个占部门项目总数的100%涉及金额``) is noise
a researcher would have to clean by hand. The checks below are written here, independently of the library's
own label code, from what a name in these reports looks like.
"""

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import jueshuan_data as jd

ROOT = Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
FORMS = sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.pdf"), *(CORPUS / "pages").glob("*.txt"),
                *(CORPUS / "pages").glob("*.html"), *(CORPUS / "pages").glob("*.pdf"),
                ROOT.parent / "seeds" / "tianqiao_2023.txt"])

LABEL_COLUMNS = {
    "summary": ("item", "printed_name"),
    "expenditure_by_function": ("subject", "printed_name", "parent_subject", "share_of"),
    "basic_expenditure_by_economic": ("item", "printed_name", "share_of"),
    "livelihood_spending": ("item",),
    "asset_composition": ("item", "parent_item", "share_of"),
    "three_public": ("item", "parent_item"),
    "other_figures": ("topic", "item"),
}

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．])")  # a row's enumeration
# a number that is part of a name: a price threshold of an asset class, a score band of an evaluation
_THRESHOLD = re.compile(r"\d+(?:\.\d+)?(?:[（(](?:含|不含)[）)])?(?:万元|万|元|分)(?:[（(](?:含|不含)[）)])?"
                        r"(?:以上|以下|以内|-)?")
_DIGIT = re.compile(r"[0-9０-９]")
_PUNCT = re.compile(r"[，,。；;：:！？!?]")
_CLAUSE_WORDS = ("根据", "确定", "批准", "涉及", "比上年", "较上年", "与上年", "相比", "增加", "减少", "增长", "下降",
                 "具体包括", "主要用于", "实施绩效", "其中", "分别")
_FRAGMENT_START = ("度", "级", "的", "和", "及", "与", "或", "等", "了", "为", "加上", "加")
_MEASURE_ONLY = {"累计", "共计", "增支", "减支", "增收", "减收", "差值", "差额", "接待", "团组数", "项目", "批次",
                 "人次", "支出", "收入", "决算数", "调整"}


def problem(label: str, printed: bool = False) -> str | None:
    """Why ``label`` is not a subject's name, or None. A printed name may be a bare measure word the
    report printed for the item (``…收入合计42.5亿元，支出19.43亿元``: item 支出合计, printed 支出)."""
    s = _ORDINAL.sub("", re.sub(r"\s+", "", label))
    if not s:
        return "empty"
    if len(s) > 40:
        return "longer than a name"
    if _DIGIT.search(_THRESHOLD.sub("", s)):
        return "a stray number"
    if _PUNCT.search(s):
        return "a clause break"
    hit = next((w for w in _CLAUSE_WORDS if w in s), None)
    if hit:
        return f"a clause ({hit})"
    if s.startswith(_FRAGMENT_START):
        return "a fragment"
    if s in _MEASURE_ONLY and not printed:
        return "a measure word, no subject"
    return None


def test_the_check_knows_noise_when_it_sees_it():
    # the examples of issue 12, and names that must pass
    for bad in ("度支出", "具体包括一级指标", "增支", "级补助收入",
                "根据财政定额以及街道实际情况确定社区党组织服务群众项目经费成本",
                "2023年天桥街道办事处对2023年度部门项目支出实施绩效评价评价项目172个占部门项目总数的100%涉及金额"):
        assert problem(bad), bad
    for good in ("社会保障和就业支出", "一、一般公共预算财政拨款收入", "单价100万元（含）以上设备（不含车辆）",
                 "政府办公厅（室）及相关机构事务", "动用预算稳定调节基金、上年结转等", "用于社会福利的彩票公益金支出",
                 "自评得分90（含）分-100（不含）分的项目", "科研类因公出国（境）团组"):
        assert problem(good) is None, good


_reports = {}


def _report(path):
    if path not in _reports:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _reports[path] = jd.parse(path)
    return _reports[path]


@pytest.mark.parametrize("path", FORMS, ids=[f"{p.parent.name}/{p.name}" for p in FORMS])
def test_every_label_is_a_name(path):
    report = _report(path)
    bad = []
    for dataset, cols in LABEL_COLUMNS.items():
        df = report.tables[dataset]
        for col in cols:
            if col not in df.columns:
                continue
            for value in df[col].dropna().unique():
                why = problem(str(value), printed=col == "printed_name")
                if why:
                    bad.append(f"{dataset}.{col}: {value!r} ({why})")
    assert bad == []


def test_the_corpus_is_all_there():
    assert len(FORMS) >= 70
    assert all(isinstance(_report(p).tables["summary"], pd.DataFrame) for p in FORMS[:1])
