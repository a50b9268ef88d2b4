"""A grid of check boxes over a vocabulary's stored values."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget


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
