"""使用指南: the short Chinese user guide shipped with the program, with the keyboard shortcuts beside it.

The guide is a Markdown file in ``app/resources/guide/`` shown in a QTextBrowser: no web browser,
no network, so it opens on an office PC that has neither. External links are not followed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...resource_files import resource

__all__ = ["GUIDE_FILE", "GuideDialog", "guide_text"]

GUIDE_FILE = ("guide", "guide.md")


def guide_text() -> str:
    """The guide's Markdown; a sentence when the file is missing from a broken installation."""
    try:
        return resource(*GUIDE_FILE).read_text(encoding="utf-8")
    except OSError:
        return "# 使用指南\n\n本程序的使用指南文件缺失，请重新安装兜底。"


class GuideDialog(QDialog):
    """The guide in one tab and the keyboard shortcuts in the other; not modal, it may stay open."""

    def __init__(self, shortcuts: Callable[[], list[tuple[str, str]]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("User guide"))
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # offline: nothing to follow
        self.browser.setMarkdown(guide_text())
        self.tabs.addTab(self.browser, self.tr("User guide"))

        keys_page = QWidget()
        keys_layout = QVBoxLayout(keys_page)
        intro = QLabel(self.tr("Doudi can be used from the keyboard. The shortcuts:"))
        intro.setWordWrap(True)
        keys_layout.addWidget(intro)
        rows = shortcuts()
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What it does")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        for i, (keys, what) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(keys))
            self.table.setItem(i, 1, QTableWidgetItem(what))
        self.table.resizeColumnToContents(0)
        keys_layout.addWidget(self.table)
        self.tabs.addTab(keys_page, self.tr("Keyboard shortcuts"))
        layout.addWidget(self.tabs)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 640)
