"""The household's home visits (入户核查), newest first, in the household file.

A reviewer checking a case reads here what the last visits found without leaving the file; the
visits themselves are recorded and corrected on the visits page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from ...domain.entities import Visit

# The 两不愁三保障 items of a visit, in the order of the visit form.
CHECKS = (
    ("food_ok", "不愁吃"),
    ("clothing_ok", "不愁穿"),
    ("schooling_ok", "义务教育"),
    ("medical_ok", "基本医疗"),
    ("housing_ok", "住房安全"),
    ("water_ok", "饮水安全"),
)
NOTES_COLUMN = 5


class VisitHistoryTable(QTableWidget):
    """One row per visit: date, visitors, the items not guaranteed, income change, risk signs, notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 6, parent)
        self.setHorizontalHeaderLabels(
            [
                self.tr("Date"),
                self.tr("Visitors"),
                self.tr("Not guaranteed"),
                self.tr("Income"),
                self.tr("Risk signs"),
                self.tr("Notes"),
            ]
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        for col, width in enumerate((100, 160, 200, 90, 180)):
            self.setColumnWidth(col, width)
        self.horizontalHeader().setStretchLastSection(True)
        self.setWordWrap(False)

    def show_visits(self, visits: list[Visit]) -> None:
        # Newest first whatever order they came in: the last visit is what a reviewer looks for.
        ordered = sorted(visits, key=lambda v: v.visit_date.isoformat() if v.visit_date else "", reverse=True)
        self.setRowCount(len(ordered))
        for row, v in enumerate(ordered):
            failed = [name for attr, name in CHECKS if not getattr(v, attr)]
            texts = (
                v.visit_date.isoformat() if v.visit_date else "",
                v.visitors,
                "、".join(failed) if failed else self.tr("all guaranteed"),
                v.income_change,
                "、".join(v.risk_signs),
                v.notes,
            )
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if col in (2, NOTES_COLUMN):
                    item.setToolTip(text)
                self.setItem(row, col, item)
