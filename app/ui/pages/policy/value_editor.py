"""The editor for one figure's new value, shaped by the figure's declaration in the domain.

Which widgets it shows (an amount, per-tier amounts, a number, a choice, a table of bands or
classes) and whether "no figure" may be ticked follow :func:`app.domain.policy.figures.figure`;
this module only reads the widgets into the ``values`` entry the service expects.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ....domain.policy import months
from ....domain.policy.figures import figure
from ....domain.policy.params import RULE_TYPES
from ...widgets import RIGHT, YuanEdit, fen_from_yuan, table_item
from .figures_table import map_key_name, option_name, unit_suffix

__all__ = ["_ValueEditor", "yuan_number"]


# The class keeps its leading underscore: it is the translation context the .ts file holds.
class _ValueEditor(QWidget):
    """Reads one figure's new value as the ``values`` entry the service expects (without source/flags)."""

    def __init__(self, key: str, current: Any, class_codes: tuple[str, ...] = (), parent=None):
        super().__init__(parent)
        self.key = key
        self.figure = figure(key)
        self.class_codes = class_codes
        self.kind = self.figure.kind
        self.unit = self.figure.unit
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.none_box: QCheckBox | None = None
        self._build(layout, current)
        if self.figure.nullable:
            self.none_box = QCheckBox(
                QCoreApplication.translate("AddPeriodDialog", "No figure (the test is not applied)")
            )
            self.none_box.toggled.connect(lambda on: self.body.setEnabled(not on))
            self.none_box.setChecked(current is None)
            layout.addWidget(self.none_box)
        self.initial = self._entry_or_none()

    def _entry_or_none(self) -> dict | None:
        try:
            return self.entry()
        except ValueError:
            return None

    def changed(self) -> bool:
        """Whether the user changed the value shown (it starts as the figure in force)."""
        return self._entry_or_none() != self.initial

    def _build(self, layout: QVBoxLayout, current: Any) -> None:
        self.body = QWidget()
        form = QFormLayout(self.body)
        form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body)
        builders = {
            "money": self._build_money,
            "money_map": self._build_money_map,
            "ratio": self._build_number,
            "int": self._build_number,
            "bool": self._build_bool,
            "choice": self._build_choice,
            "choices": self._build_choices,
            "text": self._build_choice,
            "bands": self._build_bands,
            "classes": self._build_classes,
        }
        builders[self.kind](form, current)

    def _build_money(self, form: QFormLayout, current: Any) -> None:
        amount = YuanEdit()
        if current is not None:
            amount.set_fen(current)
        self.edit: QLineEdit = amount
        form.addRow(self.tr("Amount (%1):").replace("%1", unit_suffix(self.unit)), self.edit)

    def _build_money_map(self, form: QFormLayout, current: Any) -> None:
        self.edits: dict[str, YuanEdit] = {}
        offered = self.figure.keys
        subs = list(offered) + [s for s in (current or {}) if s not in offered]
        for sub in subs:
            e = YuanEdit()
            if current and sub in current:
                e.set_fen(current[sub])
            self.edits[sub] = e
            form.addRow(f"{map_key_name(self.key, sub)}（{unit_suffix(self.unit)}）", e)

    def _build_number(self, form: QFormLayout, current: Any) -> None:
        self.edit = QLineEdit()
        self.edit.setAlignment(RIGHT)
        if current is not None:
            self.edit.setText(f"{Decimal(str(current)).normalize():f}" if self.kind == "ratio" else str(current))
        suffix = unit_suffix(self.unit)
        hint = {"times": self.tr("Multiple, e.g. 1.5"), "share": self.tr("Share as a decimal, e.g. 0.3 for 30%")}.get(
            self.unit, self.tr("Whole number") + (f"（{suffix}）" if suffix else "")
        )
        form.addRow(self.tr("Value:"), self.edit)
        form.addRow("", QLabel(hint))

    def _build_bool(self, form: QFormLayout, current: Any) -> None:
        self.combo = QComboBox()
        self.combo.addItem(QCoreApplication.translate("PolicyFigures", "Yes"), True)
        self.combo.addItem(QCoreApplication.translate("PolicyFigures", "No"), False)
        self.combo.setCurrentIndex(0 if current else 1)
        form.addRow(self.tr("Value:"), self.combo)

    def _build_choice(self, form: QFormLayout, current: Any) -> None:
        self.combo = QComboBox()
        if self.kind == "choice":
            options = [(v, option_name(self.key, v)) for v in self.figure.options]
        else:
            # The only text figure is the default class: one of the classes in force.
            options = [(c, c) for c in self.class_codes]
            if current and current not in self.class_codes:
                options.append((current, current))
        for value, name in options:
            self.combo.addItem(name, value)
        i = self.combo.findData(current)
        if i >= 0:
            self.combo.setCurrentIndex(i)
        form.addRow(self.tr("Value:"), self.combo)

    def _build_choices(self, form: QFormLayout, current: Any) -> None:
        # The options are the domain's income-item names (Chinese vocabulary), shown as they are.
        self.boxes: dict[str, QCheckBox] = {}
        for option in self.figure.options:
            box = QCheckBox(option)
            box.setChecked(option in (current or ()))
            self.boxes[option] = box
            form.addRow("", box)

    def _build_bands(self, form: QFormLayout, current: Any) -> None:
        self.grid = QTableWidget(0, 2)
        self.grid.setHorizontalHeaderLabels([self.tr("From age"), self.tr("Yuan per month")])
        for b in current or ():
            self._add_grid_row([str(b.min_age), months.yuan(b.amount_fen)])
        self._grid_buttons(form, 2)

    def _build_classes(self, form: QFormLayout, current: Any) -> None:
        self.grid = QTableWidget(0, 5)
        self.grid.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("Name"), self.tr("Rule"), self.tr("Yuan (fixed)"), self.tr("Ratio")]
        )
        for c in current or ():
            self._add_grid_row(
                [
                    c.code,
                    c.name,
                    c.rule,
                    "" if c.amount_fen is None else months.yuan(c.amount_fen),
                    "" if c.ratio is None else f"{c.ratio.normalize():f}",
                ]
            )
        self._grid_buttons(form, 5)
        form.addRow("", QLabel(self.tr("Rule is one of: %1").replace("%1", "、".join(RULE_TYPES))))

    def _add_grid_row(self, cells: list[str]) -> None:
        r = self.grid.rowCount()
        self.grid.insertRow(r)
        for c, text in enumerate(cells):
            self.grid.setItem(r, c, table_item(text))

    def _grid_buttons(self, form: QFormLayout, ncols: int) -> None:
        self.grid.setMinimumHeight(130)
        self.grid.horizontalHeader().setStretchLastSection(True)
        form.addRow(self.grid)
        row = QHBoxLayout()
        add = QPushButton(self.tr("Add row"))
        add.clicked.connect(lambda: self._add_grid_row([""] * ncols))
        remove = QPushButton(self.tr("Remove row"))
        remove.clicked.connect(
            lambda: self.grid.removeRow(self.grid.currentRow()) if self.grid.currentRow() >= 0 else None
        )
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        form.addRow(row)

    def _cell(self, r: int, c: int) -> str:
        item = self.grid.item(r, c)
        return item.text().strip() if item else ""

    def entry(self) -> dict:
        """``{"yuan": …}`` or ``{"value": …}``; raises ValueError with a sentence."""
        k = self.kind
        if self.none_box is not None and self.none_box.isChecked():
            return {"yuan": None} if k in ("money", "money_map") else {"value": None}
        if k == "money":
            return {"yuan": yuan_number(self.edit.text())}
        readers = {
            "money_map": self._read_money_map,
            "ratio": self._read_ratio,
            "int": self._read_int,
            "bool": self.combo_value,
            "choice": self.combo_value,
            "choices": lambda: {"value": [o for o, box in self.boxes.items() if box.isChecked()]},
            "text": self.combo_value,
            "bands": self._read_bands,
            "classes": self._read_classes,
        }
        if k not in readers:
            raise ValueError(k)
        return readers[k]()

    def combo_value(self) -> dict:
        return {"value": self.combo.currentData()}

    def _read_money_map(self) -> dict:
        out = {sub: yuan_number(e.text()) for sub, e in self.edits.items() if e.text().strip()}
        if not out:
            raise ValueError(self.tr("Please enter at least one amount."))
        return {"yuan": out}

    def _read_ratio(self) -> dict:
        text = self.edit.text().strip()
        if not text:
            raise ValueError(self.tr("Please enter a value."))
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise ValueError(self.tr("The value must be a number, e.g. 1.5.")) from None
        return {"value": float(d) if d != d.to_integral_value() else int(d)}

    def _read_int(self) -> dict:
        text = self.edit.text().strip()
        if not text.isdigit():
            raise ValueError(self.tr("The value must be a whole number."))
        return {"value": int(text)}

    def _read_bands(self) -> dict:
        bands = []
        for r in range(self.grid.rowCount()):
            age, amount = self._cell(r, 0), self._cell(r, 1)
            if not age and not amount:
                continue
            if not age.isdigit():
                raise ValueError(self.tr("Row %1: the age must be a whole number.").replace("%1", str(r + 1)))
            bands.append({"min_age": int(age), "yuan": yuan_number(amount)})
        return {"value": bands}

    def _read_classes(self) -> dict:
        classes = []
        for r in range(self.grid.rowCount()):
            code, name, rule, amount, ratio = (self._cell(r, c) for c in range(5))
            if not code and not name:
                continue
            c: dict[str, Any] = {"code": code, "name": name or code, "rule": rule or "差额"}
            if amount:
                c["yuan"] = yuan_number(amount)
            if ratio:
                try:
                    c["ratio"] = float(Decimal(ratio))
                except InvalidOperation:
                    raise ValueError(self.tr("Row %1: the ratio must be a number.").replace("%1", str(r + 1))) from None
            classes.append(c)
        return {"value": classes}


def yuan_number(text: str) -> int | float:
    """The typed yuan as the JSON number the policy file holds (checked to two decimals)."""
    fen = fen_from_yuan(text)
    return fen // 100 if fen % 100 == 0 else float(Decimal(fen) / 100)
