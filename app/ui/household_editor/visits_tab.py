"""The household's home visits (入户核查), newest first, in the household file.

A reviewer checking a case reads here what the last visits found without leaving the file; the
visits themselves are recorded and corrected on the visits page. Each item found not assured is
shown with its own note ("住房安全：房屋漏雨"), so the reviewer sees what was wrong, not only that
something was.
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
FINDINGS_COLUMN = 3
NOTES_COLUMN = 6


def findings(v: Visit) -> list[str]:
    """The items not assured, each with its note: ["住房安全：房屋漏雨", "饮水安全"].

    A note's closing full stop is dropped: the findings are joined with "；" into one line.
    """
    out = []
    for attr, name in CHECKS:
        if not getattr(v, attr):
            note = v.item_note(attr).rstrip("。；;.， ")
            out.append(f"{name}：{note}" if note else name)
    return out


class VisitHistoryTable(QTableWidget):
    """One row per visit: date, kind, visitors, the items not guaranteed, income change, risk signs, notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self.setHorizontalHeaderLabels(
            [
                self.tr("Date"),
                self.tr("Kind"),
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
        for col, width in enumerate((90, 90, 130, 260, 70, 150)):
            self.setColumnWidth(col, width)
        self.horizontalHeader().setStretchLastSection(True)
        self.setWordWrap(False)

    def show_visits(self, visits: list[Visit]) -> None:
        # Newest first whatever order they came in: the last visit is what a reviewer looks for.
        ordered = sorted(visits, key=lambda v: v.visit_date.isoformat() if v.visit_date else "", reverse=True)
        self.setRowCount(len(ordered))
        for row, v in enumerate(ordered):
            failed = findings(v)
            texts = (
                v.visit_date.isoformat() if v.visit_date else "",
                v.kind,
                v.visitors,
                "；".join(failed) if failed else self.tr("all guaranteed"),
                v.income_change,
                "、".join(v.risk_signs),
                v.notes,
            )
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if col in (FINDINGS_COLUMN, NOTES_COLUMN):
                    item.setToolTip("\n".join(failed) if col == FINDINGS_COLUMN and failed else text)
                self.setItem(row, col, item)
