"""Cross-checks of a report against itself: a registry of named rules -> rows of the ``issues`` dataset.

Every rule has an id, a one-line description, the datasets it reads, the severity of a clear violation and
a description of its rounding tolerance. ``run_rules(tables, facts, text)`` runs them all and returns the
issue rows (keys rule, severity, dataset, message, expected, actual, evidence, section, char_start,
char_end; the caller adds report_id/entity/fiscal_year/source). A rule never fixes a figure and never
raises: a rule that crashes becomes a warning row of its own.

The rules live in one module per family: :mod:`.hierarchy` (类/款/项 against their parents),
:mod:`.totals` (parts against printed totals), :mod:`.ratios` (shares, execution rates, changes),
:mod:`.assets`, :mod:`.document` (cut-off text, unknown subjects), :mod:`.consistency` (one figure stated
twice, narrative against table), :mod:`.units` (odd units and precision), :mod:`.tables` (each standard table
against itself: row and column sums, incomplete, empty and missing tables), :mod:`.crosstable` (one figure in
two tables), :mod:`.wording` (大于/小于 claims, change words against their signs, wrong years, placeholders and
blank template figures); :mod:`.core` holds what they share (tolerances from the printed precision, the Context
they read, and the :class:`~.core.Binding` of a narrative statement), :mod:`.clauses` the statements whose
figures one clause ties together (a change and its rate, a budget, its outcome and its rate, staff and their
parts, receptions and persons), read from the text.

An error is a contradiction of the printed report. A rule never treats an unread figure as zero, and where the
binding of a figure is uncertain (a 基本支出 that is the part of another figure, two statements naming
another area, year or phase, a change the sentence could give to two amounts, a 款 whose level the grammar
guessed) the finding is a warning that says so, or there is none.

Findings are graded by how the difference can be explained:

- within the rounding tolerance: no finding;
- within twice that (every figure truncated instead of rounded, i.e. off by less than one unit in its
  last place): ``warning``;
- beyond: the rule's severity (``error`` for arithmetic that cannot hold).

>>> sorted(RULES)[:3]
['asset_parts_vs_parent', 'basic_project_vs_total', 'blank_figure']
>>> tolerance_of("7830.05万元"), tolerance_of("2.05元"), tolerance_of("6.5万元")
(0.005, 5e-07, 0.05)
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:   # the rules read records: running them imports no pandas
    import pandas as pd

# the families register their rules on import, in this order (the order findings of one place are listed in)
from . import hierarchy as _hierarchy  # noqa: F401
from . import totals as _totals  # noqa: F401
from . import ratios as _ratios  # noqa: F401
from . import assets as _assets  # noqa: F401
from . import document as _document  # noqa: F401
from . import consistency as _consistency  # noqa: F401
from . import units as _units  # noqa: F401
from . import tables as _tables  # noqa: F401
from . import crosstable as _crosstable  # noqa: F401
from . import wording as _wording  # noqa: F401
from .core import RULES, Context, Rule, decimals_of, issue, rule, tolerance_of
from .document import truncation


__all__ = ["Rule", "RULES", "rule", "run_rules", "unique_messages", "tolerance_of", "decimals_of", "Context",
           "truncation", "ISSUE_KEYS", "describe"]

# running


ISSUE_KEYS = ("rule", "severity", "dataset", "message", "expected", "actual", "evidence", "section", "char_start",
              "char_end")


def run_rules(tables: dict[str, pd.DataFrame], facts: pd.DataFrame | None = None, text: str | None = None,
              rules: Iterable[str] | None = None, grids: list | None = None, document=None,
              records: dict[str, Any] | None = None, sections=None) -> list[dict]:
    """Run the registered rules (all, or the ids in ``rules``) and return issue rows, in text order.

    ``grids`` (the standard tables as read) and ``document`` feed the rules on tables, wording and titles;
    without them those rules find nothing. A caller that has them may pass the frames' rows as dicts with
    NA as None, or each dataset's :class:`~jueshuan_data.contract.Built` (``records``), and the section tree
    of ``text`` (``sections``), which the rules would otherwise rebuild.
    """
    ctx = Context(tables, facts, text, grids=grids, document=document, records=records, sections=sections)
    out: list[dict] = []
    for rid in (rules if rules is not None else list(RULES)):
        r = RULES[rid]
        try:
            rows = r.run(ctx)
        except Exception as e:  # a rule bug must not lose the report: it becomes a finding of its own
            rows = [issue("warning", None, f"rule {rid} could not run: {type(e).__name__}: {e}", rule=rid)]
        for row in rows:
            row["rule"] = rid
            out.append({k: row.get(k) for k in ISSUE_KEYS})
    # one row per distinct finding
    uniq, seen = [], set()
    for row in out:
        k = (row["rule"], row["message"], row["char_start"])
        if k not in seen:
            seen.add(k)
            uniq.append(row)
    uniq.sort(key=lambda r: (r["char_start"] is None, r["char_start"] or 0))
    return unique_messages(uniq)


def unique_messages(rows: list[dict]) -> list[dict]:
    """The issues row key is (report_id, rule, message): a message repeated for another place of the text
    (the same odd literal printed three times) gets that place appended."""
    seen: Counter = Counter()
    for row in rows:
        k = (row.get("rule"), row.get("message"))
        seen[k] += 1
        if seen[k] > 1:
            where = row.get("section") or ""
            at = row.get("char_start")
            row["message"] = f"{row['message']}（{where}{'，' if where and at is not None else ''}" \
                             f"{'位置 ' + str(at) if at is not None else '#' + str(seen[k])}）"
    return rows


def describe() -> pd.DataFrame:
    """The registry as a table (id, severity, datasets, description, tolerance)."""
    import pandas as pd

    return pd.DataFrame([{"rule": r.id, "severity": r.severity, "datasets": ", ".join(r.datasets),
                          "description": r.description, "tolerance": r.tolerance} for r in RULES.values()])

