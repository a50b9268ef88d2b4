"""Small widgets shared by the register screens."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QGridLayout, QLabel, QWidget

ERROR_STYLE = "color: #b3261e;"


class FieldError(QLabel):
    """A one-sentence error shown beside (or under) the field at fault; hidden when empty."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_error(self) -> None:
        self.show_error("")


class CheckList(QWidget):
    """A grid of check boxes over stored vocabulary values (shown as they are)."""

    changed = Signal()

    def __init__(self, values, columns: int = 5, parent=None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for i, value in enumerate(values):
            box = QCheckBox(value, self)
            box.toggled.connect(self.changed)
            grid.addWidget(box, i // columns, i % columns)
            self.boxes[value] = box

    def values(self) -> list[str]:
        return [v for v, box in self.boxes.items() if box.isChecked()]

    def set_values(self, values) -> None:
        chosen = set(values or ())
        for v, box in self.boxes.items():
            box.setChecked(v in chosen)


def date_edit(value: date | None = None, parent=None, maximum: date | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if maximum is not None:
        edit.setMaximumDate(QDate(maximum.year, maximum.month, maximum.day))
    day = value or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def to_date(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class MonthEdit(QDateEdit):
    """Picks a month; ``month()`` is 'YYYY-MM'."""

    def __init__(self, month: str | None = None, parent=None):
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM")
        self.setCalendarPopup(True)
        today = date.today()
        y, m = (int(month[:4]), int(month[5:7])) if month else (today.year, today.month)
        self.setDate(QDate(y, m, 1))
        self.setMaximumDate(QDate(today.year, today.month, 28))

    def month(self) -> str:
        d = self.date()
        return f"{d.year():04d}-{d.month():02d}"


def village_combo(combo: QComboBox, office_code: str, all_label: str | None = None) -> None:
    """Fill ``combo`` with the office's villages grouped under their township headings.

    Township rows are headings (not selectable); each village's data is its 12-digit code.
    With ``all_label`` an "all villages" row (data "") comes first.
    """
    from ..resource_files import divisions
    tree = divisions()
    model = QStandardItemModel(combo)
    if all_label is not None:
        item = QStandardItem(all_label)
        item.setData("", Qt.ItemDataRole.UserRole)
        model.appendRow(item)
    villages = tree.villages_under(office_code) if tree.get(office_code) else tree.all_villages()
    current_town = None
    for v in villages:
        if v.parent != current_town:
            current_town = v.parent
            town = tree.get(v.parent)
            head = QStandardItem(town.name if town else v.parent)
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            model.appendRow(head)
        item = QStandardItem("\u3000" + v.short_name)
        item.setData(v.code, Qt.ItemDataRole.UserRole)
        item.setToolTip(tree.full_name(v.code))
        model.appendRow(item)
    combo.setModel(model)


def select_data(combo: QComboBox, value) -> None:
    i = combo.findData(value, Qt.ItemDataRole.UserRole)
    if i >= 0:
        combo.setCurrentIndex(i)
