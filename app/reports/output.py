"""Saving a report: the format follows the file's suffix, and the file appears whole or not at all.

The page's preview and printer use :func:`app.reports.pdf.pdf_bytes` in memory (a preview
never leaves a plaintext copy of the register on disk); a file is written only where a person
chose to save one (另存为, or ``doudi report --out``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..db.private_files import write_atomic
from ..domain.report import Document
from ..errors import InvalidInput

__all__ = ["FORMATS", "render", "save"]

FORMATS = (".pdf", ".xlsx")


def render(doc: Document, suffix: str, progress: Any = None) -> bytes:
    """*doc* as the bytes of a ``.pdf`` or ``.xlsx`` file."""
    suffix = suffix.lower()
    if suffix == ".pdf":
        from .pdf import pdf_bytes

        return pdf_bytes(doc, progress)
    if suffix == ".xlsx":
        from .xlsx import xlsx_bytes

        return xlsx_bytes(doc, progress)
    raise InvalidInput(
        f"报表只能保存为 PDF（.pdf）或 Excel（.xlsx），不能保存为「{suffix or '无扩展名'}」。", field="out"
    )


def save(doc: Document, path: Path, progress: Any = None, pdf: bytes | None = None) -> Path:
    """Write *doc* to *path* (format by suffix), replacing it atomically; returns *path*.

    *pdf*, the bytes already drawn for the preview, is written as is to a ``.pdf``: the file is then
    byte for byte the pages the clerk looked at.
    """
    data = pdf if pdf is not None and path.suffix.lower() == ".pdf" else render(doc, path.suffix, progress)
    try:
        write_atomic(path, data)
    except OSError as e:
        raise InvalidInput(f"无法写入 {path}：{e.strerror or e}。", field="out") from e
    return path
