"""The Report: what ``jd.parse`` returns — the document, its section tree and one validated frame per dataset.

>>> import jueshuan_data as jd
>>> r = jd.parse("seeds/tianqiao_2023.txt")                       # doctest: +SKIP
>>> r.entity, r.fiscal_year                                        # doctest: +SKIP
('北京市西城区人民政府天桥街道办事处', 2023)
>>> r.expenditure_by_function.query("level == '类'")[["subject", "amount_wan", "share_pct"]].head(2)  # doctest: +SKIP
        subject  amount_wan  share_pct
0  一般公共服务支出     7830.05      31.06
1        国防支出        7.43       0.03
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import contract
from .frames import Tables

if TYPE_CHECKING:   # parsing imports no pandas: a frame is made when first read (frames.Tables)
    import pandas as pd

KEYS = ("report_id", "entity", "fiscal_year", "source", "document_kind")


@dataclass
class Report:
    """One parsed report. ``tables`` maps each dataset name of DESIGN.md to its frame (a
    :class:`~jueshuan_data.frames.Tables`: each frame is made when first read)."""

    document: object
    sections: object
    tables: Tables | dict[str, pd.DataFrame] = field(default_factory=Tables)
    grids: list = field(default_factory=list, repr=False)   # the standard tables as read (extract.tables.Grid)

    @property
    def report_id(self) -> str:
        return self.document.report_id

    @property
    def entity(self) -> str | None:
        return self.document.entity

    @property
    def fiscal_year(self) -> int | None:
        return self.document.fiscal_year

    @property
    def source(self) -> str:
        return self.document.source

    @property
    def sha256(self) -> str:
        return self.document.sha256

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def issues(self) -> pd.DataFrame:
        return self.tables["issues"]

    def __getattr__(self, name: str):
        # report.expenditure_by_function etc.; only called when normal lookup fails
        tables = self.__dict__.get("tables") or {}
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self) -> str:
        tables = self.tables
        counts = ", ".join(f"{k}={tables.row_count(k) if isinstance(tables, Tables) else len(tables[k])}"
                           for k in tables)
        return f"<Report {self.source} {self.entity} {self.fiscal_year} id={self.report_id} {counts}>"

    def write_parquet(self, out_dir: str | Path):
        """Write this report into the dataset layout under ``out_dir`` (see ``write.write_report``)."""
        from .write import write_report

        return write_report(self, out_dir)


def _keys(doc) -> dict:
    kind = doc.doc_kind if doc.doc_kind in contract.document_kinds() else None
    return {"report_id": doc.report_id, "entity": doc.entity, "fiscal_year": doc.fiscal_year, "source": doc.source,
            "document_kind": kind}


def build_tables(doc, root, validate: bool | str = True, grids: list | None = None) -> Tables:
    """Extract every dataset from a document, add the keys, conform the dtypes and (optionally) validate.

    Returns the frames as :class:`~jueshuan_data.frames.Tables`: each made when first read.

    ``grids``, when given, receives the standard tables as read (:class:`~jueshuan_data.extract.tables.Grid`).
    """
    from . import extract

    rows = extract.run(doc.text, root, doc.fiscal_year, document=doc)
    grids_out = rows.get("_grids") or []
    if getattr(doc.layout, "boxes", None):
        _add_boxes(doc, rows)
    keys = _keys(doc)
    # contract.build and validate_built: schemas.conform and validate_tables without pandera and without
    # reading each frame back (the same frames and findings: tests/test_parse_equivalence.py)
    built = {name: contract.build(name, rows.get(name, []), keys)
             for name in contract.datasets() if name != "issues"}
    # each frame is made when first read (frames.Tables): the checks and the rules read the built records
    tables = {name: b.lazy() for name, b in built.items()}
    issue_rows: list[dict] = []
    if validate == "rules":
        # the cross-checks of this report only; pandera runs once per batch elsewhere (batch.convert)
        from .rules import run_rules

        issue_rows = run_rules(tables, text=doc.text, grids=rows.get("_grids"), document=doc,
                               records=built, sections=root)
    elif validate:
        from .validate import validate_built

        tables, issue_rows = validate_built(built, text=doc.text, grids=rows.get("_grids"), document=doc,
                                            sections=root)
    issue_rows = list(rows.get("_findings", [])) + list(issue_rows)
    issues = contract.build("issues", [{**keys, **r} for r in issue_rows])
    tables["issues"] = issues.lazy()
    for b in (*built.values(), issues):
        b.release_records()     # read by the checks and the rules; the frames are made from the columns
    if grids is not None:
        grids.extend(grids_out)
    return Tables(tables)


def _add_boxes(doc, rows: dict[str, list[dict]]) -> None:
    """Page and box (PDF points) of every figure read from a PDF, from the span of its literal."""
    for name, dataset_rows in rows.items():
        if name.startswith("_"):
            continue
        for r in dataset_rows:
            cs, ce = r.get("char_start"), r.get("char_end")
            if cs is None or ce is None:
                continue
            box = doc.box(cs, ce)
            if box is not None:
                r["page"], r["x0"], r["y0"], r["x1"], r["y1"] = box


def _finish(doc, strict: bool, validate: bool | str) -> Report:
    from . import ingest, segment

    ingest.check_is_report(doc)
    root = segment.section_tree(doc.text)
    grids: list = []
    report = Report(document=doc, sections=root, tables=build_tables(doc, root, validate=validate, grids=grids),
                    grids=grids)
    if strict:
        from .errors import TruncatedDocumentError
        from .rules import truncation
        from .validate import raise_if_errors

        why = truncation(doc.text)
        if why:
            raise TruncatedDocumentError(doc.source, why)
        raise_if_errors(doc.source, report.issues)
    return report


def parse(path: str | Path, *, strict: bool = False, validate: bool | str = True) -> Report:
    """Read a report file (txt, any common encoding) into validated tables.

    ``strict=True`` raises ``jd.ValidationError`` when a cross-check finds an error. ``validate=False``
    skips pandera and the cross-checks; ``validate="rules"`` runs the cross-checks but not pandera (batch
    conversion validates many reports' frames at once instead).
    """
    from . import ingest

    doc = ingest.read_document(path)
    return _finish(doc, strict, validate)


def parse_text(text: str, source: str | None = None, *, strict: bool = False,
               validate: bool | str = True) -> Report:
    """Like ``parse`` for text already in memory; ``source`` names it in errors and in the datasets."""
    from . import ingest

    doc = ingest.document_from_text(text, source)
    return _finish(doc, strict, validate)
