"""The ``jueshuan`` command line.

::

    jueshuan convert INPUT... -o OUT [--workers N] [--engine processes|dask] [--scheduler ADDRESS] [--force]
    jueshuan inspect FILE [--rows N] [--dataset NAME]

``convert`` exit codes: 0 when every input is converted (or unchanged since the last run), 1 when any
input failed (each failure is listed and is in ``OUT/_manifest.jsonl`` with its reason), 2 for a usage
error, 3 when OUT cannot be written (disk full, read-only, another run writing into it) or the Dask
scheduler cannot be reached (one line says which; the manifest records what was written and what was
not), 130 when interrupted (Ctrl-C; what was finished is kept, rerun to complete).
``inspect`` exits 1 when the file cannot be parsed (the typed error is printed).
"""

from __future__ import annotations

import sys

import click

from . import __version__


EXIT_OUTPUT = 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jueshuan")
def main():
    """Chinese departmental final-accounts reports (部门决算) -> validated tables."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=str),
              help="Output folder: OUT/<dataset>/<year>/part-*.parquet and OUT/_manifest.jsonl.")
@click.option("-w", "--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Reports parsed in parallel (processes, or Dask workers of the local cluster).")
@click.option("--engine", type=click.Choice(["processes", "dask"]), default="processes", show_default=True,
              help="Where the per-report work runs; 'dask' needs the extra jueshuan_data[dask].")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786); a LocalCluster when not given.")
@click.option("--force", is_flag=True, help="Convert inputs again even when unchanged since the last run.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: only when stderr is a terminal).")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(min=1),
              help="Reports validated together and written between two manifest updates.")
@click.option("--time-budget", default=120.0, show_default=True, type=click.FloatRange(min=0),
              metavar="SECONDS", help="Seconds one report may take to parse (0: no limit); a report over it "
                                      "fails with ReportTimeoutError and the batch goes on.")
@click.option("-q", "--quiet", is_flag=True, help="No summary; failures still go to stderr.")
def convert(inputs, out_dir, workers, engine, scheduler, force, progress, batch_size, time_budget, quiet):
    """Convert report files and folders (recursive) into Parquet datasets.

    Reads 部门决算/部门预算 reports as text (.txt, .text: UTF-8 with or without BOM, UTF-16, GB18030/GBK),
    HTML pages (.htm, .html) and PDFs with a text layer (.pdf); in folders, files with these suffixes.

    Exit code 0 when all inputs converted (or were unchanged), 1 when any failed, 2 on a usage error,
    3 when OUT cannot be written or the Dask scheduler cannot be reached, 130 when interrupted.
    """
    from rich.console import Console

    from .batch import REPORT_SUFFIXES
    from .batch import convert as run
    from .errors import OutputError, OutputLockedError

    if engine != "dask" and scheduler:
        raise click.UsageError("--scheduler needs --engine dask")
    err = Console(stderr=True)
    try:
        result = run(list(inputs), out_dir, workers=workers, engine=engine, scheduler=scheduler, force=force,
                     progress=progress, batch_size=batch_size, time_budget=time_budget or None)
    except (OutputLockedError, OutputError) as e:
        from rich.markup import escape

        err.print(f"[red]error:[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
        sys.exit(EXIT_OUTPUT)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/yellow]: finished reports are written; run again to complete")
        sys.exit(130)
    if result.total == 0:   # an empty folder or a folder of other files: say so, nothing failed
        err.print(f"[yellow]warning:[/yellow] no report files ({', '.join(REPORT_SUFFIXES)}) in "
                  f"{', '.join(inputs)}", highlight=False, soft_wrap=True)
    if not quiet:
        _print_summary(result, Console())
    elif result.failed:
        for r in result.failures.itertuples():
            err.print(f"failed: {r.error}", markup=False, highlight=False)
    sys.exit(result.exit_code)


def _print_summary(result, console) -> None:
    from rich.table import Table

    from .schemas import DATASETS

    rate = result.converted / result.seconds if result.seconds > 0 else 0.0
    console.print(
        f"[bold]{result.total}[/bold] inputs: [green]{result.converted} converted[/green], "
        f"{result.unchanged} unchanged, "
        + (f"[red]{result.failed} failed[/red]" if result.failed else "0 failed")
        + f" in {result.seconds:.1f} s ({rate:.1f} reports/s) -> {result.out_dir}"
    )
    t = Table(title="rows per dataset", title_justify="left")
    t.add_column("dataset")
    t.add_column("rows", justify="right")
    t.add_column("written now", justify="right")
    for d in DATASETS:
        t.add_row(d, str(result.rows.get(d, 0)), str(result.rows_written.get(d, 0)))
    console.print(t)
    if result.failed:
        f = Table(title="failed", title_justify="left")
        f.add_column("source")
        f.add_column("error type")
        f.add_column("reason", overflow="fold")
        for r in result.failures.itertuples():
            f.add_row(str(r.source), str(r.error_type), str(r.error))
        console.print(f)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("-n", "--rows", default=5, show_default=True, type=click.IntRange(min=0),
              help="Rows shown per table.")
@click.option("-d", "--dataset", "datasets", multiple=True, help="Only these datasets (repeatable).")
@click.option("--strict", is_flag=True, help="Fail (exit 1) when a cross-check finds an error.")
def inspect(file, rows, datasets, strict):
    """Show a report's section tree, its tables (row counts and first rows) and its findings."""
    from rich.console import Console

    from .errors import ReportError
    from .report import parse
    from .schemas import DATASETS

    unknown = [d for d in datasets if d not in DATASETS]
    if unknown:
        raise click.UsageError(f"unknown dataset(s) {', '.join(unknown)}; one of {', '.join(DATASETS)}")
    # piped into a file or a pager, rich would wrap at 80 columns: give the findings' messages room
    console = Console() if sys.stdout.isatty() else Console(width=160)
    try:
        report = parse(file, strict=strict)
    except ReportError as e:
        Console(stderr=True).print(f"[red]error[/red] ({type(e).__name__}): {e}", highlight=False)
        sys.exit(1)
    render_report(report, console, rows=rows, datasets=list(datasets) or None)


# --------------------------------------------------------------------------------------- rendering

#: columns shown by ``inspect`` per dataset (the keys and provenance are left out)
SHOWN = {
    "summary": ["item", "fund", "amount_wan", "share_pct", "prior_year_wan", "change_wan", "change_pct"],
    "expenditure_by_function": ["fund", "level", "code", "subject", "amount_wan", "share_pct", "change_pct"],
    "basic_expenditure_by_economic": ["level", "code", "item", "amount_wan", "share_pct"],
    "livelihood_spending": ["item", "amount_wan", "prior_year_wan", "change_wan"],
    "asset_composition": ["item", "parent_item", "basis", "amount_wan", "share_pct", "count", "count_unit"],
    "three_public": ["item", "parent_item", "amount_wan", "budget_wan", "prior_year_wan", "change_wan"],
    "other_figures": ["topic", "item", "value", "unit", "amount_wan"],
    "facts": ["section", "text", "value", "unit", "kind", "subject", "dataset"],
    "issues": ["severity", "rule", "dataset", "message", "expected", "actual"],
}


def _fmt(v) -> str:
    import pandas as pd

    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)


def _section_tree(root, label: str):
    from rich.tree import Tree

    tree = Tree(label)

    def add(node, branch):
        for child in getattr(node, "children", []) or []:
            title = (getattr(child, "title", "") or "").strip()
            if len(title) > 40:
                title = title[:39] + "…"
            sub = branch.add(f"[bold]{getattr(child, 'marker', '')}[/bold] {title}", highlight=False)
            add(child, sub)

    if root is not None:
        add(root, tree)
    return tree


def _frame_table(df, columns, title, rows):
    from rich.table import Table

    cols = [c for c in columns if c in df.columns]
    t = Table(title=title, title_justify="left", show_lines=False)
    for c in cols:
        t.add_column(c, overflow="fold", justify="right" if df[c].dtype.kind in "fiu" else "left")
    for rec in df[cols].head(rows).itertuples(index=False):
        t.add_row(*[_fmt(v) for v in rec])
    return t


def render_report(report, console, rows: int = 5, datasets: list[str] | None = None) -> None:
    """Print a report for people: header, section tree, tables, findings (all with rich)."""
    from rich.table import Table

    from .schemas import DATASETS

    console.print(f"[bold]{report.entity or '?'}[/bold]  {report.fiscal_year or '?'}  "
                  f"source={report.source}  report_id={report.report_id}", highlight=False)
    console.print(_section_tree(getattr(report, "sections", None), f"[bold]sections[/bold] of {report.source}"))

    tables = getattr(report, "tables", {}) or {}
    counts = Table(title="tables", title_justify="left")
    counts.add_column("dataset")
    counts.add_column("rows", justify="right")
    for d in DATASETS:
        counts.add_row(d, str(len(tables[d]) if tables.get(d) is not None else 0))
    console.print(counts)
    for d in datasets or DATASETS:
        df = tables.get(d)
        if d == "issues" or df is None or not len(df):   # the findings have their own table below
            continue
        console.print(_frame_table(df, SHOWN.get(d, list(df.columns)[4:10]), f"{d} ({len(df)} rows)", rows))

    issues = tables.get("issues")
    if issues is None or not len(issues):
        console.print("[green]findings: none[/green]")
        return
    order = {"error": 0, "warning": 1, "info": 2}
    issues = issues.assign(_o=issues["severity"].map(order)).sort_values("_o", kind="stable")
    n = issues["severity"].value_counts().to_dict()
    title = "findings: " + ", ".join(f"{n.get(s, 0)} {s}" for s in ("error", "warning", "info"))
    t = Table(title=title, title_justify="left")
    for c in ("severity", "rule", "dataset", "message", "expected", "actual"):
        t.add_column(c, overflow="fold", ratio=6 if c == "message" else None,
                     no_wrap=c in ("severity", "rule", "dataset"))
    style = {"error": "red", "warning": "yellow", "info": "dim"}
    for r in issues.itertuples(index=False):
        t.add_row(_fmt(r.severity), _fmt(r.rule), _fmt(r.dataset), _fmt(r.message), _fmt(r.expected),
                  _fmt(r.actual), style=style.get(r.severity))
    console.print(t)


if __name__ == "__main__":  # pragma: no cover
    main()
