"""Fuzzing real texts (issue 13): the seed and the corpus, cut anywhere and with bytes changed, spliced
or doubled. Whatever comes in, parse either raises a typed ReportError or returns rows whose literals
are what their spans hold, and no number that touches the cut carries a value. Bounded in time: a fixed
number of examples, no deadline per example (parse times vary with the machine's load)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jueshuan_data as jd

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [p.read_text(encoding="utf-8") for p in
         [ROOT / "seeds" / "tianqiao_2023.txt", *sorted((ROOT / "tests" / "corpus").glob("putuo_*.txt"))]]
# what a damaged text is made of: digits and separators, units, brackets, line breaks, table words
PIECES = ["1", "0", ".", ",", "，", "。", "\n", " ", "万元", "%", "（", "）", "(", "合计", "201 01", "增加", "减少",
          "-", "\f", "\u3000", "２", "．"]


@st.composite
def damaged(draw):
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "double"]))
        if kind == "insert":
            text = text[:at] + "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6))) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        else:
            n = draw(st.integers(1, 400))
            text = text[:at + n] + text[at:at + n] + text[at + n:]
    return text[:draw(st.integers(len(text) // 3, len(text)))]      # and cut somewhere past the title


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged())
def test_damaged_real_texts_give_typed_errors_or_honest_rows(text):
    try:
        r = jd.parse_text(text, source="fuzz.txt", validate="rules")
    except jd.ReportError:
        return
    norm = r.text
    end = len(norm.rstrip())
    for d, df in r.tables.items():
        if "char_start" not in df.columns or not len(df):
            continue
        literal = "amount_text" if "amount_text" in df.columns else ("text" if "text" in df.columns else None)
        spans = df[df["char_start"].notna() & df["char_end"].notna()]
        if literal:
            for cs, ce, lit in zip(spans["char_start"], spans["char_end"], spans[literal]):
                if isinstance(lit, str):
                    assert norm[int(cs):int(ce)] == lit, (d, cs, ce, lit)
        touching = spans[spans["char_end"] >= end]
        for c in ("amount_wan", "value"):
            if c in touching.columns and len(touching):
                # a number that touches the cut may be the start of a longer one: unknown, never a value
                cut_values = touching[c][touching[literal].astype(str).str[-1:].str.isdigit()] if literal else touching[c]
                assert cut_values.isna().all(), (d, touching[[literal, c]].to_dict("records"), norm[-40:])
