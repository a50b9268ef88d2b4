"""Read-only tables over in-memory rows, set up the same way on every page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTableWidget, QTableWidgetItem

from .palette import LEFT


@dataclass(frozen=True)
class Col:
    header: str  # English source, translated with *context*
    value: Callable[[Any], Any]
    align: Qt.AlignmentFlag = LEFT
    context: str = "Columns"
    color: Callable[[Any], str | None] | None = None
    background: Callable[[Any], str | None] | None = None
    tooltip: Callable[[Any], str] | None = None


class ListTableModel(QAbstractTableModel):
    """A read-only table over an in-memory list of row objects (a month's roster, the open alerts …)."""

    def __init__(self, columns: Sequence[Col], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate(col.context, col.header)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return col.align
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return col.align
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            c = col.color(row)
            return QColor(c) if c else None
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            c = col.background(row)
            return QColor(c) if c else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.tooltip is not None:
                return col.tooltip(row)
            value = col.value(row)
            return "" if value is None else str(value)
        return None


def setup_table(view: QTableView | QTableWidget, stretch: int | None = None) -> None:
    """Read-only, whole-row selection, fixed row height, one column stretching."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    vh = view.verticalHeader()
    vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vh.setDefaultSectionSize(26)
    vh.setMinimumWidth(36)
    hh = view.horizontalHeader()
    hh.setHighlightSections(False)
    hh.setStretchLastSection(stretch is None)
    if stretch is not None:
        hh.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    fit_headers(view)  # the headers are known here when the model was set first


def fit_columns(view: QTableView, widths: Sequence[int]) -> None:
    """The page's chosen column widths (0: keep the default), each widened to its header's text."""
    for i, w in enumerate(widths):
        if w:
            view.setColumnWidth(i, w)
    fit_headers(view)


def fit_headers(view: QTableView) -> None:
    """Widen every column narrower than its header's text. Widths are chosen for the Chinese
    headers; the English ones ("Persons before") are longer and would otherwise be cut."""
    hh = view.horizontalHeader()
    sized_by_hand = (QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Fixed)
    for i in range(hh.count()):
        if hh.isSectionHidden(i) or hh.sectionResizeMode(i) not in sized_by_hand:
            continue
        # The header's own measure of its text (font, margins, sort indicator), as Qt paints it.
        wanted = hh.sectionSizeHint(i)
        if hh.sectionSize(i) < wanted:
            hh.resizeSection(i, wanted)


def table_item(text: str, align: Qt.AlignmentFlag = LEFT, color: str | None = None):
    item = QTableWidgetItem(text)
    item.setTextAlignment(align)
    item.setToolTip(text)
    if color:
        item.setForeground(QColor(color))
    return item
