#!/usr/bin/env python3
"""Score jueshuan_data.extract.tables against the table rows of the dev answer keys.

usage: python tools/table_score.py [-v] [--raw]      (--raw: run on the raw text, not ingest's)

Every gold row with source_kind == 'table' in summary / expenditure_by_function /
basic_expenditure_by_economic / three_public is matched to an extracted row of the same dataset
(same table; same code where the key has one, else same item name) and its amount_wan, basic_wan,
project_wan, budget_wan compared.  Prints hits, misses and wrong values per report and dataset.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jueshuan_data.extract.tables import extract_tables  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
GROUPS = ["summary", "expenditure_by_function", "basic_expenditure_by_economic", "three_public"]
FIELDS = ["amount_wan", "basic_wan", "project_wan", "budget_wan"]
_P = re.compile(r"[\s（）()“”\"]")


def norm(s):
    return _P.sub("", str(s or ""))


def get_text(raw: str, use_raw: bool) -> str:
    if use_raw:
        return raw
    try:
        from jueshuan_data.ingest import document_from_text
    except Exception:
        return raw
    return document_from_text(raw, "x.txt").text


def key_match(g, r, group):
    if norm(g.get("table")) != norm(r.get("table")):
        return False
    if g.get("code"):
        return g["code"] == r.get("code")
    if group == "expenditure_by_function":
        return False
    return norm(g.get("item")) == norm(r.get("item"))


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 0.006


def score(name, use_raw=False, verbose=False):
    raw = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    text = get_text(raw, use_raw)
    gold = json.loads((CORPUS / f"{name}.gold.json").read_text(encoding="utf-8"))
    got = extract_tables(text)
    res = {}
    for group in GROUPS:
        rows = got.get(group, [])
        # spans must point at the literal
        for r in rows:
            assert text[r["char_start"]:r["char_end"]] == r["amount_text"], r
            assert r["evidence"] in text, r
        hit = miss = wrong = 0
        notes = []
        for g in gold.get(group, []):
            if g.get("source_kind") != "table":
                continue
            cands = [r for r in rows if key_match(g, r, group)]
            if not cands:
                miss += 1
                notes.append(f"MISS {g.get('code') or g.get('item')} {g.get('amount_wan')}")
                continue
            fields = [f for f in FIELDS if f in g and (f in ("amount_wan", "budget_wan") or group != "summary")]
            if any(all(close(c.get(f), g.get(f)) for f in fields) for c in cands):
                hit += 1
            else:
                wrong += 1
                c = cands[0]
                notes.append(f"WRONG {g.get('code') or g.get('item')}: "
                             + ", ".join(f"{f} {c.get(f)} != {g.get(f)}" for f in fields if not close(c.get(f), g.get(f))))
        res[group] = (hit, miss, wrong, len(rows))
        if verbose and notes:
            for n in notes:
                print(f"   {name} {group}: {n}")
    return res


def main(argv):
    verbose = "-v" in argv
    use_raw = "--raw" in argv
    tot = [0, 0, 0]
    for g in sorted(CORPUS.glob("*.gold.json")):
        name = g.name.replace(".gold.json", "")
        res = score(name, use_raw, verbose)
        for group, (h, m, w, n) in res.items():
            print(f"{name:32s} {group:30s} hit={h:3d} miss={m:3d} wrong={w:3d} rows={n}")
            tot[0] += h
            tot[1] += m
            tot[2] += w
    print(f"TOTAL hit={tot[0]} miss={tot[1]} wrong={tot[2]}")


if __name__ == "__main__":
    main(sys.argv[1:])
