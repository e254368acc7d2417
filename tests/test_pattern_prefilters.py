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
