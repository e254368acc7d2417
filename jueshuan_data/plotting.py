"""Matplotlib helpers: a CJK font shipped with the package, so Chinese labels render anywhere.

>>> from jueshuan_data.plotting import use_cjk_font     # doctest: +SKIP
>>> use_cjk_font()                                      # doctest: +SKIP
'Jueshuan Noto Sans SC'

The font is a GB 2312 subset of Noto Sans CJK SC (SIL OFL 1.1, see ``data/fonts/OFL.txt``). Nothing here
imports matplotlib until a function is called, and ``import jueshuan_data`` never imports this module.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

FONT_FILE = "JueshuanNotoSansSC-Regular.otf"
FONT_NAME = "Jueshuan Noto Sans SC"
FALLBACK = ("DejaVu Sans",)  # ships with matplotlib: Latin, Greek, symbols the subset lacks


def font_path() -> Path:
    """Path of the bundled CJK font file."""
    return Path(str(resources.files("jueshuan_data").joinpath("data", "fonts", FONT_FILE)))


@lru_cache(maxsize=1)
def _charmap() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(str(font_path())).get_charmap())


def missing_glyphs(*texts: str) -> set[str]:
    """Characters of ``texts`` (whitespace aside) that the bundled font has no glyph for."""
    cmap = _charmap()
    return {ch for text in texts for ch in str(text) if not ch.isspace() and ord(ch) not in cmap}


def use_cjk_font(size: float | None = None) -> str:
    """Register the bundled CJK font with matplotlib and make it the default; return its family name.

    Sets ``font.family`` to the CJK font followed by DejaVu Sans (matplotlib falls back glyph by glyph),
    puts it first in ``font.sans-serif`` too, and keeps ``axes.unicode_minus`` (the font has U+2212).
    ``size`` optionally sets ``font.size``. Safe to call more than once.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    path = str(font_path())
    if not any(Path(f.fname) == Path(path) for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    mpl.rcParams["font.family"] = [name, *FALLBACK]
    mpl.rcParams["font.sans-serif"] = [name, *(f for f in mpl.rcParams["font.sans-serif"] if f != name)]
    if size is not None:
        mpl.rcParams["font.size"] = size
    return name
