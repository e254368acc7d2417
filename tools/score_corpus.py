#!/usr/bin/env python3
"""Score the project's extraction against hand-made answer keys: figures, and findings.

usage: python tools/score_corpus.py [-v] [--with-other] [--by province|form|report]
                                                     (the repo's corpus: tests/corpus and tests/corpus/pages)
       python tools/score_corpus.py --dir FOLDER... [-v] (every NNN.gold.json with NNN.txt / .pdf / .html beside it)
       python tools/score_corpus.py GOLD.json INPUT [-v] [--json]

A copy of ../shared/tools/score_corpus.py (same figure scores) extended with:

* **findings**: where a key lists its report's true contradictions (``contradictions``, an empty list
  meaning "checked, none"), every error-level finding of the library is matched against them: a finding
  matches a contradiction of a compatible kind whose printed literals include the finding's expected or
  actual value (or appear in its message). Precision = matched error findings / error findings, per rule;
  recall = material contradictions matched by an error-level finding / material contradictions, per
  kind. Findings about reading rather than about the report (a cut-off excerpt, a table the reader could
  not read) are not counted either way.
* **groups**: ``--by province`` / ``--by form`` (txt, pdf, html) / ``--by report`` print the overall
  figure scores per group (province from the key, or from the corpus MANIFEST).

Each key scores every published form of its report that lies beside it (NNN.txt, NNN.pdf, NNN.html):
a form the library cannot read counts as failed, with all its keyed figures missed. Rows are matched
by code where the key has one, else by normalised name (item, subject, printed_name).

"fabricated" counts amounts whose printed literal (amount_text) is not in the text or does not
convert to the row's amount_wan, over every figure dataset of the report.

Runs the project's public API (jueshuan_data.parse) on the input, matches each gold row to an
extracted row by its normalised name, and counts the rows whose amount (and, where the key has
them, share and change) agree. It prints one line per dataset and a last line
`recall=R value_errors=E fabricated=F` over all datasets.
"""
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

GROUPS = {  # gold group -> (datasets searched, name columns tried)
    "summary": (("summary",), ("item", "printed_name")),
    "expenditure_by_function": (("expenditure_by_function",), ("subject", "printed_name")),
    "basic_expenditure_by_economic": (("basic_expenditure_by_economic",), ("item", "printed_name")),
    "livelihood_spending": (("livelihood_spending",), ("item", "printed_name")),
    "asset_composition": (("asset_composition",), ("item", "printed_name")),
    "three_public": (("three_public",), ("item", "printed_name")),
    "other": (("three_public", "other_figures", "summary"), ("item", "printed_name")),
}
try:  # gold keys keep a page's traditional characters; the library may fold them
    import opencc
    _T2S = opencc.OpenCC("t2s").convert
except Exception:  # noqa: BLE001
    _T2S = lambda s: s  # noqa: E731
FIELDS = ("amount_wan", "share_pct", "change_wan", "change_pct", "prior_year_wan", "yoy_pct")
_PUNCT = re.compile(r"[\s\u3000（）()“”\"'、，,。：:；;·]")


_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|其中[:：]?)+\s*")


def norm(name):
    s = _T2S(_PUNCT.sub("", _ENUM.sub("", str(name or ""))))
    for suffix in ("支出", "费用", "经费", "费"):
        if s.endswith(suffix) and len(s) > len(suffix) + 1:
            s = s[: -len(suffix)]
    return s


def close(a, b, tol=0.006):
    if a is None or b is None:
        return False
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(a) or math.isnan(b):
        return False
    return abs(a - b) <= tol


def gold_name(row):
    return row.get("subject") or row.get("item") or row.get("printed_name")


def invented(records, text_digits, table_units=None):
    """Amounts whose printed literal is not in the text, or does not convert to the stated 万元 value.

    A table cell is printed without its unit: the unit line of its table (``单位：元``) says it
    (``table_units``: table title -> unit, from the report's grids)."""
    n = 0
    for r in records:
        v = r.get("amount_wan")
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        lit = r.get("amount_text")
        if isinstance(lit, str) and lit:
            lit = unicodedata.normalize("NFKC", lit)
            m = re.search(r"\d[\d,]*(?:\.\d+)?", lit)
            digits = re.sub(r",", "", m.group(0)) if m else ""
            unit = (table_units or {}).get(r.get("table")) if not re.search(r"[元万亿]", lit) else None
            if unit:
                lit = lit + unit
            factor = 1e4 if "亿" in lit else (1e-4 if re.search(r"(?<![万亿千])元", lit) else (0.1 if "千元" in lit else 1.0))
            ok = m is not None and abs(float(digits) * factor - abs(float(v))) <= 1e-6 * max(1.0, abs(float(v)))
            n += not ok or digits not in text_digits
            continue
        lit = f"{abs(float(v)):.6f}".rstrip("0").rstrip(".")
        n += lit not in text_digits
    return n


def score_report(gold, path, keep=None):
    import jueshuan_data as jd

    report = jd.parse(path)
    if keep is not None:
        keep.append(report)
    tables = report.tables
    text_digits = re.sub(r"[,\s]", "", unicodedata.normalize("NFKC", report.text))
    out = {}
    for group, rows in gold.items():
        if group not in GROUPS or not isinstance(rows, list) or not rows or (group == "other" and not WITH_OTHER):
            continue
        datasets, name_cols = GROUPS[group]
        dataset = "+".join(datasets)
        records = [rec for d in datasets if tables.get(d) is not None for rec in tables[d].to_dict("records")]
        hit = wrong = 0
        misses = []
        for g in rows:
            want = g.get("amount_wan")
            if want is None:
                continue
            keys = {norm(g.get(k)) for k in ("subject", "item", "printed_name", "label_in_text") if g.get(k)}
            cands = [r for r in records if any(norm(r.get(c)) in keys for c in name_cols if r.get(c) is not None)]
            code = str(g.get("code") or "").replace(" ", "")
            if code and any(str(r.get("code") or "") == code for r in cands):
                cands = [r for r in cands if str(r.get("code") or "") == code]  # 行政运行 sits under many 款
            if "fund" in g and g.get("fund"):
                cands = [r for r in cands if r.get("fund") in (None, g["fund"])] or cands
            good = [r for r in cands if close(r.get("amount_wan"), want)]
            if good:
                # every other field the key states must agree too; a field the library left empty
                # is a miss, a field it filled with another value is an error
                stated = [f for f in FIELDS if f != "amount_wan" and g.get(f) is not None]
                def filled(c, f):
                    v = c.get(f)
                    return v is not None and not (isinstance(v, float) and math.isnan(v))
                if any(all(close(c.get(f), g[f]) for f in stated) for c in good):
                    hit += 1
                elif any(all(close(c.get(f), g[f]) for f in stated if filled(c, f)) for c in good):
                    missing = sorted({f for c in good for f in stated if not filled(c, f)})
                    misses.append(f"{gold_name(g)}: {'/'.join(missing)} missing")
                else:
                    wrong += 1
                    diff = sorted({f"{f}={c.get(f)}!={g[f]}" for c in good for f in stated
                                   if filled(c, f) and not close(c.get(f), g[f])})
                    misses.append(f"{gold_name(g)}: {'; '.join(diff[:2])}")
            elif cands:
                wrong += 1
                misses.append(f"{gold_name(g)}: amount {[r.get('amount_wan') for r in cands][:3]} != {want}")
            else:
                misses.append(f"{gold_name(g)}: missing")
        fabricated = 0
        total = sum(1 for g in rows if g.get("amount_wan") is not None)
        out[dataset] = dict(total=total, hit=hit, wrong=wrong, rows=len(records), fabricated=fabricated, misses=misses)
    for name, df in tables.items():
        if name in ("facts", "issues") or df is None or "amount_wan" not in df:
            continue
        out.setdefault(name, dict(total=0, hit=0, wrong=0, rows=len(df), misses=[]))["fabricated"] = invented(
            df.to_dict("records"), text_digits,
            {g.title: g.unit for g in getattr(report, "grids", None) or [] if getattr(g, "unit", None)})
    return out


# ------------------------------------------------------------------------------------------------ findings

RULE_KIND = {
    "lei_sum_vs_fund_total": "parts_vs_total", "basic_project_vs_total": "parts_vs_total",
    "budget_parts_vs_total": "parts_vs_total", "headcount_parts_vs_total": "parts_vs_total",
    "income_parts_vs_total": "parts_vs_total", "procurement_parts_vs_total": "parts_vs_total",
    "three_public_parts_vs_total": "parts_vs_total", "economic_vs_basic": "parts_vs_total",
    "table_row_sum": "parts_vs_total", "asset_parts_vs_parent": "parts_vs_total", "net_assets": "parts_vs_total",
    "kuan_sum_vs_lei": "hierarchy_sum", "xiang_sum_vs_kuan": "hierarchy_sum", "subject_exceeds_parent": "hierarchy_sum",
    "fund_class_vs_all_funds": "hierarchy_sum", "table_column_sum": "hierarchy_sum",
    "income_expenditure_balance": "balance",
    "shares_sum_100": "share", "share_vs_amount": "share",
    "change_vs_prior": "change", "change_pct_vs_amounts": "change", "change_parts_vs_total": "change",
    "execution_rate": "execution_rate",
    "duplicate_conflict": "same_subject_conflict", "same_name_conflict": "same_subject_conflict",
    "item_restated": "same_subject_conflict",
    "narrative_vs_table": "narrative_vs_table", "table_vs_table": "cross_table",
    "subject_name_vs_table": "narrative_vs_table",
    "budget_wording": "wording", "change_direction": "wording", "flat_wording": "wording",
    "reception_persons_vs_batches": "other", "unit_misprint": "other", "blank_figure": "other",
    "template_choice": "other", "percent_sign_missing": "other", "listed_count": "other",
    "wrong_year": "other", "placeholder_text": "other", "missing_table": "other",
    "empty_table_without_note": "other", "project_funds_vs_total": "parts_vs_total", "empty_note_with_figures": "other", "reason_direction": "wording", "unit_outlier": "other", "excess_decimals": "other",
}
# kinds that describe one disagreement seen from two sides: a finding of either kind may match it
KIND_FAMILY = {"same_subject_conflict": "restated", "narrative_vs_table": "restated", "cross_table": "restated",
               "parts_vs_total": "sum", "hierarchy_sum": "sum", "balance": "sum"}
NOT_ABOUT_THE_REPORT = {"truncated_document", "table_reader_failed", "table_unread", "table_incomplete", "schema",
                        "row_key", "unknown_subject", "rules"}
_NUM = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _compatible(rule, kind):
    rk = RULE_KIND.get(rule, "other")
    return rk == kind or (KIND_FAMILY.get(rk) is not None and KIND_FAMILY.get(rk) == KIND_FAMILY.get(kind))


def _values(c):
    out = set()
    for lit in c.get("literals") or []:
        m = _NUM.search(str(lit))
        if m:
            out.add(round(abs(float(m.group().replace(",", ""))), 6))
    return out


def _matches(f, c):
    if not _compatible(f["rule"], c.get("kind")):
        return False
    vals = _values(c)
    for k in ("expected", "actual"):
        v = f.get(k)
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            if any(abs(abs(float(v)) - x) <= 0.006 for x in vals):
                return True
    msg = unicodedata.normalize("NFKC", str(f.get("message") or "")) + str(f.get("evidence") or "")
    found = {round(float(m.group().replace(",", "")), 6) for m in _NUM.finditer(msg)}
    return len(vals & found) >= min(2, len(vals))


def score_findings(gold, report):
    """(per-rule [tp, n] of error findings, per-kind [hit, n] of material contradictions, misses) or None."""
    if not isinstance(gold.get("contradictions"), list):
        return None
    keyed = [c for c in gold["contradictions"] if isinstance(c, dict)]
    errs = [f for f in report.issues.to_dict("records") if f.get("severity") == "error"
            and f.get("rule") not in NOT_ABOUT_THE_REPORT]
    rules, kinds, misses = {}, {}, []
    for f in errs:
        ok = any(_matches(f, c) for c in keyed)
        r = rules.setdefault(f["rule"], [0, 0])
        r[0] += ok
        r[1] += 1
        if not ok:
            misses.append(f"false {f['rule']}: {str(f.get('message'))[:90]}")
    for c in keyed:
        if not c.get("material", True):
            continue
        hit = any(_matches(f, c) for f in errs)
        k = kinds.setdefault(c.get("kind"), [0, 0])
        k[0] += hit
        k[1] += 1
        if not hit:
            misses.append(f"missed {c.get('kind')}: {', '.join(map(str, c.get('subjects') or []))[:60]} "
                          f"{c.get('literals')}")
    return rules, kinds, misses


def _manifest_provinces(folders):
    out = {}
    for folder in folders:
        for m in sorted(set(Path(folder).glob("MANIFEST*.tsv")) | set(Path(folder).parent.glob("MANIFEST*.tsv"))):
            lines = m.read_text(encoding="utf-8").splitlines()
            if not lines:
                continue
            head = lines[0].split("\t")
            for line in lines[1:]:
                row = dict(zip(head, line.split("\t")))
                f = row.get("file", "")
                if row.get("province"):
                    out[Path(f).name.split(".")[0]] = row["province"]
                elif row.get("region"):
                    out[Path(f).name.split(".")[0]] = row["region"][:3]
    return out


HERE = Path(__file__).resolve().parent
INPUTS = (".txt", ".pdf", ".html", ".htm")
WITH_OTHER = False  # --with-other: also score the loosely named "other" group (三公 lines, 采购, 机关运行经费 …)


def main(argv):
    global WITH_OTHER
    WITH_OTHER = "--with-other" in argv
    argv = [a for a in argv if a != "--with-other"]
    by = None
    if "--by" in argv:
        k = argv.index("--by")
        by = argv[k + 1]
        argv = argv[:k] + argv[k + 2:]
    flags = {a for a in argv if a.startswith("-") and a != "--dir"}
    args = [a for a in argv if a not in flags]
    pairs = []
    if not args:  # the repo's corpus
        root = HERE.parent / "tests" / "corpus"
        args = ["--dir", str(root), str(root / "pages")]
    folders = args[1:] if args[0] == "--dir" else [str(Path(args[0]).parent)]
    if args[0] == "--dir":
        for folder in map(Path, args[1:]):
            for g in sorted(folder.glob("*.gold.json")):
                stem = g.name[: -len(".gold.json")]
                for ext in INPUTS:  # the same key scores every published form of the report
                    t = g.with_name(stem + ext)
                    if t.exists():
                        pairs.append((g, t))
    else:
        pairs.append((Path(args[0]), Path(args[1])))
    show_json = "--json" in argv
    verbose = "-v" in argv
    provinces = _manifest_provinces(folders)
    tot = dict(total=0, hit=0, wrong=0, fabricated=0, failed=0)
    per = {}
    groups = {}
    rules, kinds = {}, {}
    checked = 0
    for g, t in pairs:
        gold = json.loads(g.read_text(encoding="utf-8"))
        stem = g.name[: -len(".gold.json")]
        group = {"province": gold.get("province") or provinces.get(stem, "?"), "form": t.suffix.lstrip("."),
                 "report": t.name}.get(by)
        grp = groups.setdefault(group, dict(total=0, hit=0, wrong=0, fabricated=0, failed=0, reports=0))
        grp["reports"] += 1
        kept = []
        try:
            res = score_report(gold, t, kept)
        except Exception as e:  # a report that cannot be parsed scores zero
            n = sum(len([r for r in v if isinstance(r, dict) and r.get("amount_wan") is not None])
                    for k, v in gold.items() if k in GROUPS and isinstance(v, list) and (k != "other" or WITH_OTHER))
            for d in (tot, grp):
                d["failed"] += 1
                d["total"] += n
            print(f"{t.name}: FAILED {type(e).__name__}: {str(e)[:150]}")
            continue
        for ds, r in res.items():
            p = per.setdefault(ds, dict(total=0, hit=0, wrong=0, fabricated=0))
            for k in p:
                p[k] += r[k]
                tot[k] += r[k]
                grp[k] += r[k]
            if verbose and r["misses"]:
                print(f"{t.name} {ds}: " + "; ".join(r["misses"][:12]))
        fs = score_findings(gold, kept[0]) if kept else None
        if fs is not None:
            checked += 1
            for rule, (tp, n) in fs[0].items():
                x = rules.setdefault(rule, [0, 0])
                x[0] += tp
                x[1] += n
            for kind, (hit, n) in fs[1].items():
                x = kinds.setdefault(kind, [0, 0])
                x[0] += hit
                x[1] += n
            if verbose and fs[2]:
                print(f"{t.name} findings: " + "; ".join(fs[2][:8]))
    for ds, p in per.items():
        rec = p["hit"] / p["total"] if p["total"] else float("nan")
        print(f"{ds:32s} recall={rec:.3f} ({p['hit']}/{p['total']}) value_errors={p['wrong']} fabricated={p['fabricated']}")
    if by:
        print(f"-- by {by}")
        for name, d in sorted(groups.items(), key=lambda kv: str(kv[0])):
            rec = d["hit"] / d["total"] if d["total"] else float("nan")
            print(f"{str(name):32s} reports={d['reports']:3d} recall={rec:.3f} ({d['hit']}/{d['total']}) "
                  f"value_errors={d['wrong']} fabricated={d['fabricated']} failed={d['failed']}")
    tp = sum(v[0] for v in rules.values())
    n = sum(v[1] for v in rules.values())
    hit = sum(v[0] for v in kinds.values())
    m = sum(v[1] for v in kinds.values())
    print(f"-- findings on {checked} reports with keyed contradictions")
    for rule, (a, b) in sorted(rules.items()):
        print(f"  rule {rule:30s} precision={a / b:.3f} ({a}/{b})")
    for kind, (a, b) in sorted(kinds.items()):
        print(f"  kind {kind:30s} recall={a / b:.3f} ({a}/{b})")
    prec = tp / n if n else float("nan")
    rcl = hit / m if m else float("nan")
    print(f"findings precision={prec:.3f} ({tp}/{n}) recall={rcl:.3f} ({hit}/{m})")
    rec = tot["hit"] / tot["total"] if tot["total"] else 0.0
    if show_json:
        print(json.dumps(dict(per=per, total=tot, groups=groups, rules=rules, kinds=kinds)))
    print(f"reports={len(pairs)} failed={tot['failed']} recall={rec:.3f} value_errors={tot['wrong']} fabricated={tot['fabricated']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
