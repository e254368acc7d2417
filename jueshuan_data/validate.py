"""Validation stage: pandera models per dataset (lazily, never a crash), then the cross-check rules.

>>> import pandas as pd
>>> tables, rows = validate_tables({}, lazy=True)
>>> rows
[]

``validate_tables`` returns the frames (coerced by their model when valid, as given otherwise — never
silently fixed) and the issue rows: one row with rule ``schema`` per failing column/check, then the rows of
``rules.run_rules``. ``raise_if_errors`` is the ``strict=True`` helper; ``issues_frame`` builds the
``issues`` dataset; ``format_issues`` renders findings for ``jueshuan inspect``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import contract
from .errors import ValidationError
from .frames import LazyFrame, materialise
from .rules import ISSUE_KEYS, run_rules, unique_messages

if TYPE_CHECKING:   # pandas is imported by what reads or makes a frame: a report that passes needs none
    import pandas as pd

__all__ = ["validate_tables", "validate_built", "repeated_keys", "schema_issues", "failure_rows", "check_keys", "raise_if_errors", "issues_frame", "format_issues"]

_EXAMPLES = 3


def _clean(v: Any):
    import pandas as pd

    try:
        return None if pd.isna(v) else v
    except (TypeError, ValueError):
        return v


def schema_issues(dataset: str, df: pd.DataFrame, lazy: bool = True) -> tuple[pd.DataFrame, list[dict]]:
    """Validate one frame with its pandera model. Returns (frame, issue rows); never raises."""
    import pandas as pd
    import pandera.errors as pe

    from . import schemas

    model = schemas.MODELS.get(dataset)
    if model is None:
        return df, []
    try:
        return model.validate(df, lazy=lazy), []
    except pe.SchemaErrors as e:
        return df, failure_rows(dataset, df, e.failure_cases)
    except pe.SchemaError as e:
        fc = getattr(e, "failure_cases", None)
        col = getattr(getattr(e, "schema", None), "name", None)
        check = getattr(e, "check", None)
        if isinstance(fc, pd.DataFrame) and len(fc):
            fc = fc.assign(column=col, check=str(check))
            if "index" not in fc.columns:
                fc["index"] = None
            return df, failure_rows(dataset, df, fc)
        return df, [_row(dataset, f"{dataset}: {e}")]
    except Exception as e:  # a broken frame (wrong types that cannot be coerced …) is a finding, not a crash
        return df, [_row(dataset, f"{dataset}: schema validation could not run: {type(e).__name__}: {e}")]


def _row(dataset: str, message: str, at: dict | None = None) -> dict:
    at = at or {}
    cs, ce = _clean(at.get("char_start")), _clean(at.get("char_end"))
    return {"rule": "schema", "severity": "error", "dataset": dataset, "message": message, "expected": None,
            "actual": None, "evidence": _clean(at.get("evidence")), "section": _clean(at.get("section")),
            "char_start": None if cs is None else int(cs), "char_end": None if ce is None else int(ce)}


def failure_rows(dataset: str, df: pd.DataFrame, fc: pd.DataFrame) -> list[dict]:
    out = []
    fc = fc.copy()
    for c in ("column", "check", "failure_case", "index"):
        if c not in fc.columns:
            fc[c] = None
    fc["column"] = fc["column"].astype(object).where(fc["column"].notna(), "<frame>")
    fc["check"] = fc["check"].astype(str)
    for (col, check), g in fc.groupby(["column", "check"], sort=False, dropna=False):
        cases = [str(_clean(v)) for v in g["failure_case"].tolist()[:_EXAMPLES]]
        idx = [i for i in g["index"].tolist() if _clean(i) is not None]
        at = None
        if idx:
            try:
                at = df.loc[idx[0]].to_dict()
            except (KeyError, TypeError):
                at = None
        more = f" (+{len(g) - _EXAMPLES} more)" if len(g) > _EXAMPLES else ""
        msg = f"{dataset}.{col} fails {check}: {len(g)} value(s), e.g. {', '.join(cases)}{more}"
        out.append(_row(dataset, msg, at))
    return out


def check_keys(dataset: str, df: pd.DataFrame) -> list[dict]:
    """Rows sharing their dataset's row key (``schemas.ROW_KEYS``): one ``row_key`` error per duplicated key."""
    keys = [k for k in contract.row_keys().get(dataset, []) if k in getattr(df, "columns", [])]
    if not keys or not len(df) or len(keys) < len(contract.row_keys()[dataset]):
        return []
    dup = df[df.duplicated(keys, keep=False)]
    out = []
    for key, g in dup.groupby(keys, dropna=False, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        shown = ", ".join(f"{k}={_clean(v)}" for k, v in zip(keys, key) if k != "report_id")
        row = _row(dataset, f"{dataset}: {len(g)} rows share the row key ({shown})", g.iloc[0].to_dict())
        row["rule"] = "row_key"
        out.append(row)
    return out


def _key_findings(name: str, checked, built: "contract.Built | None" = None) -> list[dict]:
    """``check_keys``, after the cheap test of the built rows where given (``checked``: the frame, or a
    :class:`~jueshuan_data.frames.LazyFrame` of it, made only when a key repeats)."""
    try:
        if built is not None and not (repeated_keys(name, None, built.columns) if built.columns is not None
                                      else repeated_keys(name, built.records)):
            return []
        return check_keys(name, materialise(checked))
    except Exception as e:  # pragma: no cover - defensive
        return [_row(name, f"{name}: row keys could not be checked: {type(e).__name__}: {e}")]


def _rule_findings(tables: dict[str, pd.DataFrame], **kw) -> list[dict]:
    try:
        return run_rules(tables, **kw)
    except Exception as e:  # run_rules guards each rule; this is the last net
        return [{**_row(None, f"rules could not run: {type(e).__name__}: {e}"), "rule": "rules",
                 "severity": "warning"}]


def validate_tables(tables: dict[str, pd.DataFrame], lazy: bool = True, *, text: str | None = None,
                    facts: pd.DataFrame | None = None, rules: list[str] | None = None, grids: list | None = None,
                    document=None) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Schema-check every frame, then run the cross-check rules. Returns (tables, issue rows)."""
    import pandas as pd

    out: dict[str, pd.DataFrame] = {}
    rows: list[dict] = []
    for name, df in (tables or {}).items():
        if name == "issues" or not isinstance(df, pd.DataFrame):
            out[name] = df
            continue
        checked, found = schema_issues(name, df, lazy=lazy)
        out[name] = checked
        rows += found
        rows += _key_findings(name, checked)
    rows += _rule_findings(out, facts=facts, text=text, rules=rules, grids=grids, document=document)
    return out, unique_messages(rows)


def repeated_keys(dataset: str, records: list[dict], columns: dict[str, list] | None = None) -> bool:
    """Whether two records share their dataset's row key: what ``check_keys`` looks for, as a set of tuples
    (pandas' groupby costs 40 times as much on a report that has none, as every report should). ``columns``:
    the same values by column (``contract.Built.columns``), zipped instead of read record by record."""
    keys = contract.row_keys().get(dataset)
    if not keys:
        return False
    if columns is not None:     # records may then be None: the columns hold the same values
        if any(k not in columns for k in keys):
            return False
        tuples = list(zip(*(columns[k] for k in keys)))
        return len(set(tuples)) < len(tuples)
    if not records or any(k not in records[0] for k in keys):
        return False
    seen = {tuple(r[k] for k in keys) for r in records}
    return len(seen) < len(records)


def validate_built(built: dict[str, "contract.Built"], *, text: str | None = None, grids: list | None = None,
                   document=None, sections=None) -> tuple[dict[str, pd.DataFrame | LazyFrame], list[dict]]:
    """``validate_tables`` for frames made by :func:`contract.build`: the same frames and the same rows.

    The checks compiled from each model (``contract.passes``) go first; only a frame they cannot pass goes to
    pandera, which words its findings as ``validate_tables`` does. The row keys are compared as tuples, and
    ``check_keys`` words the findings of a report that repeats one. The rules read the records ``build``
    kept instead of reading them back from the frames. A frame that passed is returned as a
    :class:`~jueshuan_data.frames.LazyFrame`: made when first read.
    """
    out: dict[str, pd.DataFrame | LazyFrame] = {}
    records: dict[str, contract.Built | None] = {}
    rows: list[dict] = []
    for name, b in built.items():
        if name == "issues":
            continue
        if contract.passes(b):
            # the frame as the model returns it, made when first read (frames.Tables)
            checked, found, fast = LazyFrame(lambda b=b: contract.coerced(b), b.n, b), [], True
        else:
            checked, found = schema_issues(name, b.frame)
            fast = checked is b.frame    # a frame pandera returned (coerced) is read as it is
        records[name] = b if fast else None    # the rules read its columns, or its records made when asked
        out[name] = checked
        rows += found
        rows += _key_findings(name, checked, b if fast else None)
    rows += _rule_findings(out, text=text, grids=grids, document=document, records=records, sections=sections)
    return out, unique_messages(rows)


def issues_frame(rows: list[dict], **keys) -> pd.DataFrame:
    """The ``issues`` dataset from issue rows plus the report keys (report_id, entity, fiscal_year, source)."""
    from . import schemas

    return schemas.conform("issues", [{**keys, **{k: r.get(k) for k in ISSUE_KEYS}} for r in rows])


def raise_if_errors(source: str | None, issues: pd.DataFrame | list[dict]) -> None:
    """``strict=True``: raise ``ValidationError`` listing the error-level findings (``findings`` = those rows)."""
    import pandas as pd

    df = issues if isinstance(issues, pd.DataFrame) else pd.DataFrame(list(issues), columns=list(ISSUE_KEYS))
    if df is None or not len(df) or "severity" not in df.columns:
        return
    errors = df[df["severity"] == "error"]
    if not len(errors):
        return
    lines = "; ".join(f"[{r}] {m}" for r, m in zip(errors["rule"].astype(str), errors["message"].astype(str)))
    raise ValidationError(source, f"{len(errors)} error-level finding(s): {lines}", findings=errors.reset_index(drop=True))


def format_issues(issues: pd.DataFrame | list[dict], console=None, max_width: int = 90) -> str:
    """Findings as a readable table (rich when available). Returns the rendered text; prints to ``console``."""
    import pandas as pd

    df = issues if isinstance(issues, pd.DataFrame) else pd.DataFrame(list(issues), columns=list(ISSUE_KEYS))
    if df is None or not len(df):
        text = "No findings: every cross-check holds within rounding."
        if console is not None:
            console.print(text)
        return text
    order = {"error": 0, "warning": 1, "info": 2}
    df = df.assign(_o=df["severity"].map(order).fillna(3)).sort_values(["_o", "char_start"], kind="stable")
    counts = df["severity"].value_counts().to_dict()
    title = "Findings: " + ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info") if s in counts)
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover - rich is a dependency
        lines = [title] + [f"{r.severity:<8} {r.rule:<28} {r.message}  [{r.section or ''}]" for r in df.itertuples()]
        text = "\n".join(lines)
        if console is not None:
            console.print(text)
        return text
    table = Table(title=title, show_lines=False, expand=False)
    for name, kw in (("severity", {}), ("rule", {}), ("message", {"overflow": "fold", "max_width": max_width}),
                     ("section", {}), ("at", {"justify": "right"})):
        table.add_column(name, **kw)
    style = {"error": "bold red", "warning": "yellow", "info": "dim"}
    for r in df.itertuples():
        at = "" if pd.isna(r.char_start) else str(int(r.char_start))
        table.add_row(f"[{style.get(r.severity, '')}]{r.severity}[/]", str(r.rule), str(r.message),
                      "" if pd.isna(r.section) else str(r.section), at)
    rec = Console(record=True, width=max(120, max_width + 60), force_terminal=False)
    rec.print(table)
    text = rec.export_text()
    if console is not None:
        console.print(table)
    return text
