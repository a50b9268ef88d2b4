"""The village picker: the office's villages under their township headings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox


def village_combo(combo: QComboBox, office_code: str, all_label: str | None = None) -> None:
    """Fill ``combo`` with the office's villages grouped under their township headings.

    Township rows are headings (not selectable); each village's data is its 12-digit code.
    With ``all_label`` an "all villages" row (data "") comes first.
    """
    from ...resource_files import divisions

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
