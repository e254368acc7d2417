"""A report's datasets, each built as a pandas frame the first time it is read.

``parse`` reads every dataset, checks it and runs the cross-checks on plain Python rows; making the pandas
frames is a cost of its own (pandas' constructors: about 15 µs a column, 270 columns a report, and most
datasets of a short page are empty), which a caller who reads two datasets of a report should not pay for
nine. :class:`Tables` is the mapping ``Report.tables``: a dataset's frame is made when it is first read
(``report.tables["three_public"]``, ``report.three_public``, ``.items()``…), then kept; what it holds is the
same frame, dtypes and values, as building it at once (``tests/test_parse_equivalence.py``).

>>> import pandas as pd
>>> t = Tables({"a": LazyFrame(lambda: pd.DataFrame({"x": [1, 2]}), 2)})
>>> t.row_count("a"), t.is_built("a")
(2, False)
>>> t["a"]["x"].tolist(), t.is_built("a")
([1, 2], True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class LazyFrame:
    """A frame to be made by ``make()`` on first use (then kept), with its row count known before."""

    __slots__ = ("_make", "_frame", "rows", "source")

    def __init__(self, make: Callable[[], pd.DataFrame], rows: int, source=None):
        self._make = make
        self._frame: pd.DataFrame | None = None
        self.rows = rows
        self.source = source    # what the frame is made from (a contract.Built), for a caller that can use it

    def get(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = self._make()
            self._make = None
        return self._frame

    @property
    def built(self) -> bool:
        return self._frame is not None

    def __len__(self) -> int:
        return self.rows


def materialise(value):
    """The frame of a :class:`LazyFrame` (made now if need be); any other value as it is."""
    return value.get() if isinstance(value, LazyFrame) else value


class Tables(MutableMapping):
    """Dataset name -> frame, each frame made on first read (see the module's docstring).

    A mutable mapping like a dict: ``dict(report.tables)``, ``tables["extra"] = df`` and ``del`` work, and a
    pickled copy carries the frames themselves.
    """

    def __init__(self, data=None):
        self._d: dict = {}
        if isinstance(data, Tables):
            self._d.update(data._d)     # its frames not made yet stay so (``items()`` would make them all)
        elif data:
            self._d.update(data.items() if hasattr(data, "items") else data)

    def __getitem__(self, name: str) -> pd.DataFrame:
        value = self._d[name]
        if isinstance(value, LazyFrame):
            value = self._d[name] = value.get()
        return value

    def __setitem__(self, name: str, value) -> None:
        self._d[name] = value

    def __delitem__(self, name: str) -> None:
        del self._d[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __contains__(self, name) -> bool:
        return name in self._d

    def row_count(self, name: str) -> int:
        """Rows of a dataset without making its frame."""
        return len(self._d[name])

    def is_built(self, name: str) -> bool:
        value = self._d[name]
        return not isinstance(value, LazyFrame) or value.built

    def lazy(self, name: str):
        """The stored value: a :class:`LazyFrame` not yet made, or the frame (for code that can use either)."""
        return self._d[name]

    def copy(self) -> "Tables":
        return Tables(self)

    def __reduce__(self):
        return (Tables, (dict(self),))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k!r}: <{len(v)} rows>" for k, v in self._d.items())
        return f"Tables({{{inner}}})"
