"""Typed errors. Every one names the source it concerns and the reason."""

from __future__ import annotations


class ReportError(Exception):
    """Base class: a document could not be turned into a report.

    >>> str(ReportError("a.txt", "empty file"))
    'a.txt: empty file'
    """

    reason = "cannot read report"

    def __init__(self, source: str | None, reason: str | None = None):
        self.source = str(source) if source is not None else "<text>"
        self.reason = reason or self.reason
        super().__init__(f"{self.source}: {self.reason}")


class UnreadableFileError(ReportError):
    """The file could not be opened or read (missing, a directory, no permission)."""

    reason = "file cannot be read"


class EmptyDocumentError(ReportError):
    """The file is empty or holds only whitespace."""

    reason = "empty document"


class BinaryFileError(ReportError):
    """The bytes are not text (NUL bytes, control characters, an image, a zip …)."""

    reason = "binary content, not a text document"


class DecodeError(ReportError):
    """The bytes are text in no encoding we recognise (UTF-8/16, GB18030)."""

    reason = "undecodable text"


class NotAReportError(ReportError):
    """The text is readable but is not a 决算/预算 report (English text, a news article …)."""

    reason = "not a 决算/预算 report"


class NoTitleError(ReportError):
    """A report whose title line gives no reporting unit or no fiscal year."""

    reason = "no title with unit and fiscal year found"


class TruncatedDocumentError(ReportError):
    """The document stops in the middle (cut mid-number or mid-sentence before any figure)."""

    reason = "document is truncated"


class ValidationError(ReportError):
    """Raised by ``parse(..., strict=True)`` when error-level findings exist.

    ``findings`` holds the error rows of ``report.issues``.
    """

    reason = "validation failed"

    def __init__(self, source, reason=None, findings=None):
        super().__init__(source, reason)
        self.findings = findings


class NoTextLayerError(ReportError):
    """A PDF with no text to read: a scan (images only) or fonts without a Unicode mapping."""

    reason = "PDF has no text layer"


class EncryptedPdfError(UnreadableFileError):
    """A PDF that needs a password (or an unsupported security handler) to open."""

    reason = "encrypted PDF"


class CorruptPdfError(UnreadableFileError):
    """A file that claims to be a PDF but cannot be read as one (damaged, truncated)."""

    reason = "damaged PDF"


class FileTooLargeError(UnreadableFileError):
    """The file is larger than the cap (:data:`jueshuan_data.ingest.MAX_TEXT_BYTES` for text, ``MAX_PDF_BYTES``
    for a PDF); it is not read: a report is far smaller, and reading it whole would exhaust memory."""

    reason = "file too large"


class ReportTimeoutError(ReportError):
    """Parsing the report took longer than the batch's per-report time budget (``convert(time_budget=…)``)."""

    reason = "time budget exceeded"


class OutputLockedError(RuntimeError):
    """Another process is writing into the same output folder (``jueshuan convert`` exits 3)."""


class OutputError(RuntimeError):
    """The output folder cannot be written (disk full, read-only, no permission) or the workers cannot be
    reached (a Dask scheduler): no input is to blame, and ``jueshuan convert`` exits 3.

    ``written`` / ``pending``: inputs written before it happened / not written.

    >>> str(OutputError("out: no space left on the device", written=3, pending=30))
    'out: no space left on the device'
    """

    def __init__(self, message: str, written: int = 0, pending: int = 0):
        super().__init__(message)
        self.written = written
        self.pending = pending
