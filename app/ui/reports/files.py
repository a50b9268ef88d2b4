"""另存为 and 打开: where a report is saved (PDF or Excel, by the filter chosen) and opening it afterwards.

The folder last saved to is remembered on this PC, because a clerk saves the month's papers to
the same USB stick or folder every time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from ..ui_settings import ui_settings

__all__ = ["ask_save_path", "open_file", "remember_folder"]

FOLDER_KEY = "reports/folder"


def _filters() -> dict[str, str]:
    return {
        QCoreApplication.translate("ReportFiles", "PDF document (*.pdf)"): ".pdf",
        QCoreApplication.translate("ReportFiles", "Excel workbook (*.xlsx)"): ".xlsx",
    }


def last_folder() -> Path:
    saved = ui_settings().value(FOLDER_KEY)
    folder = Path(str(saved)) if saved else Path.home()
    return folder if folder.is_dir() else Path.home()


def remember_folder(path: Path) -> None:
    ui_settings().setValue(FOLDER_KEY, str(path.parent))


def ask_save_path(parent: QWidget, file_name: str) -> Path | None:
    """The file the clerk chose for *file_name* (``roster-2026-11.pdf``); the format is the suffix
    she typed, else the filter she chose. None when she cancelled."""
    filters = _filters()
    suffix = Path(file_name).suffix
    selected = next((f for f, s in filters.items() if s == suffix), next(iter(filters)))
    path, chosen = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ReportFiles", "Save report as"),
        str(last_folder() / file_name),
        ";;".join(filters),
        selected,
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() in filters.values():
        return target  # a suffix typed by hand says the format
    return target.with_name(target.name + filters.get(chosen, ".pdf"))


def open_file(path: Path) -> bool:
    """Open a saved report in the system's viewer (a PDF reader, WPS or Excel)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
