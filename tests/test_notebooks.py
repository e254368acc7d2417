"""The notebooks are living documentation: they run top to bottom from a fresh kernel, and every chart
they draw (and any chart drawn with ``use_cjk_font()``) has real glyphs for its Chinese labels.

Notebook outputs (Parquet, PNG) go to pytest's tmp_path through JD_OUT_DIR / JD_FIG_DIR, never into
the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
SEED = ROOT / "seeds" / "tianqiao_2023.txt"
CORPUS = ROOT / "tests" / "corpus"

# notebook -> (working directory of its kernel, PNGs it must save). The two cwds cover both ways of
# opening the notebooks: from notebooks/ (Jupyter's default) and from the repository root.
NOTEBOOKS = {
    "01_seed_report.ipynb": (NB_DIR, [
        "seed_functional_classes.png", "seed_largest_class_kuan.png", "seed_livelihood.png", "seed_fixed_assets.png",
    ]),
    "02_batch_to_parquet.ipynb": (ROOT, ["batch_social_security_share.png", "batch_basic_vs_project.png"]),
    "03_panels_cofog.ipynb": (NB_DIR, ["jiangsu_panel.png", "caizhengju_final_vs_budget.png", "cofog_shares.png"]),
}
CELL_TIMEOUT = 300  # seconds per cell; each notebook takes well under a minute on 2 cores


def _outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


def _text_of(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return str(data.get("text/plain", "")) + str(output.get("evalue", ""))


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_is_stored_without_outputs(name):
    nb = json.loads((NB_DIR / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, f"{name} has no code cells"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), (
        f"{name} is stored with outputs; clear them (Kernel > Restart & Clear Output) before committing"
    )
    assert (NB_DIR / name).stat().st_size < 100_000


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_runs_from_a_fresh_kernel(name, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    if name.startswith("02"):
        pytest.importorskip("duckdb")

    cwd, pngs = NOTEBOOKS[name]
    fig_dir, out_dir = tmp_path / "figs", tmp_path / "out"
    monkeypatch.setenv("JD_FIG_DIR", str(fig_dir))
    monkeypatch.setenv("JD_OUT_DIR", str(out_dir))
    monkeypatch.setenv("MPLBACKEND", "Agg")  # headless, whatever the machine

    nb = nbformat.read(NB_DIR / name, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error

    errors = [o for o in _outputs(nb) if o.get("output_type") == "error"]
    assert not errors, errors
    texts = "\n".join(_text_of(o) for o in _outputs(nb))
    assert "missing from font" not in texts and "Glyph" not in texts, (
        f"{name}: matplotlib drew tofu boxes:\n{texts[texts.find('Glyph') - 200:][:600]}"
    )
    for png in pngs:
        path = fig_dir / png
        assert path.exists(), f"{name} did not save {png}"
        head = path.read_bytes()[:8]
        assert head == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5_000, f"{png} is not a real chart"
    if name.startswith("02"):
        assert (out_dir / "_manifest.jsonl").exists()


def _labels_of_real_reports() -> list[str]:
    """Every label the notebooks can put on a chart: subjects, items and entities of real reports."""
    import jueshuan_data as jd

    labels: set[str] = set()
    for path in [SEED, *sorted(CORPUS.glob("putuo_*.txt"))]:
        r = jd.parse(path)
        labels.add(r.entity or "")
        for name, df in r.tables.items():
            for col in ("subject", "printed_name", "parent_subject", "item", "parent_item", "fund", "level"):
                if col in df.columns:
                    labels.update(str(v) for v in df[col].dropna().unique())
    return sorted(l for l in labels if l)


def test_cjk_font_has_glyphs_for_every_label():
    pytest.importorskip("matplotlib")
    from jueshuan_data.plotting import missing_glyphs

    labels = _labels_of_real_reports()
    assert len(labels) > 100
    assert missing_glyphs(*labels) == set()
    assert missing_glyphs("𠀀") == {"𠀀"}  # the check does look: a CJK Extension B character is not in the subset


def test_chart_with_chinese_labels_renders_with_the_bundled_font(tmp_path):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from jueshuan_data.plotting import FONT_NAME, font_path, use_cjk_font

    labels = ["社会保障和就业支出", "城乡社区支出", "一般公共服务支出", "重庆市璧山区人民政府来凤街道办事处", "固定资产（账面净值）"]
    title = "北京市西城区人民政府天桥街道办事处 2023年：一般公共预算财政拨款支出（万元）−5%"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "Glyph … missing from font(s)" becomes a failure
        assert use_cjk_font() == FONT_NAME
        assert use_cjk_font() == FONT_NAME  # idempotent
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.barh(labels, [5, 4, 3, 2, 1])
        ax.set_title(title)
        ax.set_xlabel("决算数（万元）")
        out = tmp_path / "chart.png"
        fig.savefig(out, dpi=60)
        plt.close(fig)
    assert out.read_bytes()[:4] == b"\x89PNG"

    # the tick labels resolve to the bundled file, and its character map holds every character drawn
    tick = ax.get_yticklabels()[0]
    assert Path(font_manager.findfont(tick.get_fontproperties(), fallback_to_default=False)) == font_path()
    cmap = FT2Font(str(font_path())).get_charmap()
    drawn = "".join(labels) + title + "决算数（万元）"
    assert [ch for ch in drawn if not ch.isspace() and ord(ch) not in cmap] == []


def test_plotting_is_lazy():
    """``import jueshuan_data`` (and even ``jueshuan_data.plotting``) loads no matplotlib."""
    code = (
        "import sys, jueshuan_data, jueshuan_data.plotting as p; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported eagerly'; "
        "assert p.font_path().is_file(); print('ok')"
    )
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_font_ships_with_its_licence():
    from jueshuan_data.plotting import font_path

    ofl = font_path().with_name("OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in ofl and "Copyright" in ofl
    assert font_path().stat().st_size < 3_000_000
