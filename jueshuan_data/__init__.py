"""jueshuan_data: Chinese departmental final-accounts reports (部门决算) as validated tables.

>>> import jueshuan_data as jd
>>> r = jd.parse("seeds/tianqiao_2023.txt")          # doctest: +SKIP
>>> r.entity, r.fiscal_year                          # doctest: +SKIP
('北京市西城区人民政府天桥街道办事处', 2023)

Heavy modules (pandas, pandera, jieba) load on first use, so ``import jueshuan_data`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module

from .errors import (
    BinaryFileError,
    CorruptPdfError,
    DecodeError,
    EmptyDocumentError,
    EncryptedPdfError,
    FileTooLargeError,
    NoTextLayerError,
    NoTitleError,
    NotAReportError,
    OutputError,
    OutputLockedError,
    ReportError,
    ReportTimeoutError,
    TruncatedDocumentError,
    UnreadableFileError,
    ValidationError,
)

__version__ = "0.1.0"

_LAZY = {
    "parse": ("report", "parse"),
    "parse_text": ("report", "parse_text"),
    "Report": ("report", "Report"),
    "convert": ("batch", "convert"),
    "ConvertResult": ("batch", "ConvertResult"),
    "read_dataset": ("write", "read_dataset"),
    "read_manifest": ("write", "read_manifest"),
    "panel": ("panels", "panel"),
    "write_datapackage": ("datapackage", "write_datapackage"),
    "catalogue": ("classification", "catalogue"),
    "lookup": ("classification", "lookup"),
    "Amount": ("numbers", "Amount"),
    "parse_amount": ("numbers", "parse_amount"),
    "DATASETS": ("schemas", "DATASETS"),
    "RULES": ("rules", "RULES"),
}

__all__ = [
    "BinaryFileError", "CorruptPdfError", "DecodeError", "EmptyDocumentError", "EncryptedPdfError", "FileTooLargeError",
    "NoTextLayerError", "NoTitleError", "NotAReportError", "OutputError", "OutputLockedError", "ReportError", "ReportTimeoutError",
    "TruncatedDocumentError", "UnreadableFileError", "ValidationError", "__version__", *_LAZY,
]


def __getattr__(name: str):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'jueshuan_data' has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
