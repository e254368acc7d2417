"""The patterns scanned over whole texts start with a lookahead naming the characters a match can start
with (a speed-up: see benchmarks/README.md). Each must find exactly what it finds without its lookahead,
over every corpus text: a character missing from a lookahead would silently lose matches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jueshuan_data import numbers
from jueshuan_data.rules import clauses, wording

CORPUS = Path(__file__).parent / "corpus"
TEXTS = sorted(CORPUS.glob("*.txt")) + sorted((CORPUS / "pages").glob("*.txt")) \
    + sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))
_LOOKAHEAD = re.compile(r"^\(\?=(?:\[[^\]]*\]|[^()]*)\)")

PATTERNS = {
    "numbers._AMOUNT_RE": numbers._AMOUNT_RE,
    "clauses._CHANGE": clauses._CHANGE,
    "clauses._RATE_ONLY": clauses._RATE_ONLY,
    "clauses._EXEC_BUDGET_FIRST": clauses._EXEC_BUDGET_FIRST,
    "wording._BUDGET_WORDING": wording._BUDGET_WORDING,
    "wording._BLANK": wording._BLANK,
    "wording._PLACEHOLDER": wording._PLACEHOLDER,
}


def _without_lookahead(rx: re.Pattern) -> re.Pattern:
    stripped = _LOOKAHEAD.sub("", rx.pattern, count=1)
    assert stripped != rx.pattern, "the pattern no longer starts with its lookahead"
    return re.compile(stripped, rx.flags)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    # the page texts as saved (each is also scanned line by line below: the rules scan some patterns per
    # line), and the copy of the 财政局 report with errors injected, the one text with a placeholder (XX局)
    from jueshuan_data.ingest import read_document

    injected = read_document(CORPUS / "raw" / "24年普陀区财政局（测试问题版本）.pdf").text
    return [p.read_text(encoding="utf-8") for p in TEXTS] + [injected]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_lookahead_loses_no_match(name, texts):
    rx = PATTERNS[name]
    plain = _without_lookahead(rx)
    assert len(texts) > 100
    found = 0
    for t in texts:
        for chunk in [t] + t.split("\n"):
            got = [(m.span(), m.groupdict()) for m in rx.finditer(chunk)]
            assert got == [(m.span(), m.groupdict()) for m in plain.finditer(chunk)]
            found += len(got)
    assert found > 0


def test_amount_lookahead_covers_every_direction_word():
    # the lookahead is built from the direction words: a new word starting with a new character is covered
    assert all(w[0] in numbers._FIRST_CHARS for w in numbers._DIR_WORDS)
    assert [a.text for a in numbers.find_amounts("缩减1.20万元，降幅3.5%")] == ["缩减1.20万元", "降幅3.5%"]


@pytest.fixture(scope="module")
def lines(texts) -> list[str]:
    """Every line of the corpus texts, as printed and as normalised (the joined lines ``ingest`` reads)."""
    from jueshuan_data.ingest import normalise

    out = []
    for t in texts:
        out += t.split("\n") + normalise(t)[0].split("\n")
    return out


EDGE_LINES = ["合计 1,234.56", "增长-3.08%", "比上年 12.5‰", "１２３", "编号\u0663\u0664", "2023 年", "预算数 ",
              "  ", "支出 121.973万元", "一、 1 万 元", "行政运行 8.37\n"]


def test_trailing_number_from_the_closing_run_is_the_search_from_the_start(lines):
    """``ingest._trailing_number`` searches only from the line's closing run of number characters: the same
    match (span and number) as ``_TRAILING_NUMBER.search`` over the whole line, on every corpus line."""
    from jueshuan_data import ingest

    found = 0
    for s in lines + EDGE_LINES:
        want = ingest._TRAILING_NUMBER.search(s)
        got = ingest._trailing_number(s)
        assert (got and (got.span(), got.group(1))) == (want and (want.span(), want.group(1))), s
        found += want is not None
    assert found > 1000


def test_space_step_prefilter_finds_every_line_a_step_would_change(lines):
    """A line ``ingest._ANY_SPACE_STEP`` does not find is a line none of the ``_SPACE_STEPS`` matches: the
    prefilter is a superset of the eight patterns, on every corpus line."""
    from jueshuan_data import ingest

    hits = 0
    for s in lines + EDGE_LINES:
        if any(p.search(s) for p, _, _ in ingest._SPACE_STEPS):
            hits += 1
            assert ingest._ANY_SPACE_STEP.search(s), s
    assert hits > 100


def test_execution_table_gate_finds_every_text_whose_squashed_text_has_a_title(texts):
    """``execution._TABLE_WORD`` (执行(情况)表 with blanks allowed) is found in every text whose squashed text holds an
    execution table's title: the gate before the squash loses no table."""
    from jueshuan_data.extract.tables import execution

    titled = 0
    for t in texts + ["2020年中庄镇一般公共预算收入执 行 情 况 表 | |||||"]:
        if execution._TITLE.search(re.sub(r"\s+", "", t)):
            titled += 1
            assert execution._TABLE_WORD.search(t), t[:80]
    assert titled > 0
