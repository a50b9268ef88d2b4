"""How a member cell is edited: a combo box for a vocabulary, a spin box for the disability grade,
and an ID number checked as it is typed (the cell turns red before the clerk leaves it).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from .members_model import LIVE_EDIT_ROLE, MEMBER_COLUMNS, MembersModel

Index = QModelIndex | QPersistentModelIndex


def _members_of(index: Index) -> MembersModel:
    model = index.model()
    # The delegate is installed only on the members view, straight over its MembersModel.
    assert isinstance(model, MembersModel)
    return model


class MemberDelegate(QStyledItemDelegate):
    """Combo boxes for vocabularies, a spin box for the grade, live ID checking."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        col = MEMBER_COLUMNS[index.column()]
        if col.kind == "choice":
            combo = QComboBox(parent)
            for v in col.choices:
                combo.addItem(v or QCoreApplication.translate("HouseholdEditor", "(none)"), v)
            return combo
        if col.kind == "grade":
            spin = QSpinBox(parent)
            spin.setRange(0, 4)
            spin.setSpecialValueText(QCoreApplication.translate("HouseholdEditor", "none"))
            return spin
        editor = QLineEdit(parent)
        if col.kind == "id":
            editor.setMaxLength(20)
            model = _members_of(index)
            persistent = index

            def live(text: str, model: MembersModel = model, persistent: Index = persistent) -> None:
                model.setData(persistent, text, LIVE_EDIT_ROLE)
                bad = model.id_errors.get(persistent.row())
                editor.setStyleSheet("background: #f9d6d5;" if bad else "")
                editor.setToolTip(bad or "")

            editor.textEdited.connect(live)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        col = MEMBER_COLUMNS[index.column()]
        value = _members_of(index).value(index.row(), col.field)
        if isinstance(editor, QComboBox):
            i = editor.findData(value)
            editor.setCurrentIndex(max(0, i))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
        elif isinstance(editor, QLineEdit):  # createEditor's only other kind
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QSpinBox):
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
