"""The rows of one comparison, as a table that stays quick at 100,000 rows.

The rows live once, in the service's list; the model shows them through a list of indexes that
the filters (match, finding) rebuild, and formats a cell only when Qt paints it. An ID number is
shown whole only to a role that may see whole numbers, masked as on the register otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor

from ...domain.idnumber import mask
from ..i18n import QT_TRANSLATE_NOOP
from ..widgets import RIGHT
from .names import MATCH_COLORS, finding_name, match_name

__all__ = ["COLUMNS", "ResultsModel", "with_disposition"]

COLUMNS = (
    QT_TRANSLATE_NOOP("Columns", "Row"),
    QT_TRANSLATE_NOOP("Columns", "Sheet row"),
    QT_TRANSLATE_NOOP("Columns", "Name"),
    QT_TRANSLATE_NOOP("Columns", "ID number"),
    QT_TRANSLATE_NOOP("Columns", "Match"),
    QT_TRANSLATE_NOOP("Columns", "Findings"),
    QT_TRANSLATE_NOOP("Columns", "Household"),
    QT_TRANSLATE_NOOP("Columns", "Disposition"),
)
MATCH_COLUMN, FINDINGS_COLUMN, DISPOSITION_COLUMN = 4, 5, 7
NUMBER_COLUMNS = (0, 1)
OPEN = "待核实"  # a finding nobody has looked at yet
OPEN_COLOR = "#b00020"


def with_disposition(rows: Sequence[Any], finding_ids: Iterable[str], disposition: str, note: str) -> list[Any]:
    """*rows* with the dispositions just recorded, without reading the whole result again."""
    ids = set(finding_ids)
    out = []
    for r in rows:
        if any(f.id in ids for f in r.findings):
            findings = [replace(f, disposition=disposition, note=note) if f.id in ids else f for f in r.findings]
            out.append(replace(r, findings=findings))
        else:
            out.append(r)
    return out


class ResultsModel(QAbstractTableModel):
    def __init__(self, full_ids: bool, parent=None):
        super().__init__(parent)
        self.full_ids = full_ids
        self.rows: list[Any] = []
        self.visible: list[int] = []
        self.match_filter = ""
        self.finding_filter = ""

    # --- content ------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._apply_filters()
        self.endResetModel()

    def set_filters(self, match: str = "", finding: str = "") -> None:
        self.beginResetModel()
        self.match_filter, self.finding_filter = match, finding
        self._apply_filters()
        self.endResetModel()

    def _apply_filters(self) -> None:
        m, f = self.match_filter, self.finding_filter
        if not m and not f:
            self.visible = list(range(len(self.rows)))
            return
        self.visible = [
            i
            for i, r in enumerate(self.rows)
            if (not m or r.match == m) and (not f or any(x.code == f for x in r.findings))
        ]

    def update_rows(self, rows: list[Any]) -> None:
        """Same rows, new dispositions: repaint, keep the filters and the selection."""
        self.rows = rows
        if self.visible:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.visible) - 1, len(COLUMNS) - 1))

    def row_at(self, view_row: int) -> Any:
        return self.rows[self.visible[view_row]] if 0 <= view_row < len(self.visible) else None

    def match_counts(self) -> Counter[str]:
        return Counter(r.match for r in self.rows)

    def finding_counts(self) -> Counter[str]:
        return Counter(f.code for r in self.rows for f in r.findings)

    # --- Qt -----------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Columns", COLUMNS[section]) if 0 <= section < len(COLUMNS) else None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and col == FINDINGS_COLUMN:
                return "\n".join(f.text for f in r.findings)
            return self.text(r, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMBER_COLUMNS:
            return RIGHT
        if role == Qt.ItemDataRole.BackgroundRole and col == MATCH_COLUMN and r.match in MATCH_COLORS:
            return QColor(MATCH_COLORS[r.match])
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and col == DISPOSITION_COLUMN
            and any(f.disposition == OPEN for f in r.findings)
        ):
            return QColor(OPEN_COLOR)
        return None

    def text(self, r: Any, col: int) -> str:
        return self._cells[col](r) if 0 <= col < len(self._cells) else ""

    @property
    def _cells(self) -> tuple[Callable[[Any], str], ...]:
        return (
            lambda r: str(r.row),
            lambda r: str(r.sheet_row),
            lambda r: r.name or "",
            lambda r: self.id_text(r.id_number),
            lambda r: match_name(r.match),
            lambda r: "；".join(finding_name(f.code) for f in r.findings),
            lambda r: r.household_label or "",
            lambda r: "、".join(dict.fromkeys(f.disposition for f in r.findings)),
        )

    def id_text(self, number: str | None) -> str:
        if not number:
            return ""
        if self.full_ids or "*" in number:  # already masked by the service: never mask twice
            return number
        return mask(number)
