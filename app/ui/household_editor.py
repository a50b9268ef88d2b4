"""Add or edit one household with its members; see its history; archive it.

Validation is the service's: on Save the dialog calls ``households.add``/``update`` and, on
``InvalidInput``, shows the sentence beside the field at fault (``exc.field``) or on the
member row it names ("第 N 名成员…"), keeping everything typed. Typing an ID number in the
members table fills birth date, sex and age at once and marks a bad number in red.
"""
from __future__ import annotations

import copy
import dataclasses
import re
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QPushButton, QSpinBox, QStyledItemDelegate, QTableView,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..errors import DoudiError, InvalidInput
from ..domain import idnumber
from ..domain.entities import (DISABILITY_TYPES, ETHNICITIES, HEALTH, HOUSEHOLD_CATEGORIES, LABOUR_ABILITIES,
                               LEFT_BEHIND, RELATIONS, RISK_NAMES, SCHOOLING, SELF_CARE, Household, Member)
from ..services import permissions
from .widgets import CheckList, FieldError, select_data, village_combo

POVERTY_CAUSES = ("疾病", "残疾", "因学", "灾害", "缺乏劳动力", "其他")   # DOMAIN.md §3.2.3 (S26)
HOUSING = ("砖混结构自建房", "砖木结构自建房", "土木结构老房", "易地搬迁安置房", "危房改造房", "租住",
           "楼房（自有）", "楼房（租住）", "平房（自有）", "公租房")

# Field names for messages and the history tab (context "Fields").
FIELD_NAMES = {
    "village_code": QT_TRANSLATE_NOOP("Fields", "Village"),
    "group_name": QT_TRANSLATE_NOOP("Fields", "Village group"),
    "address": QT_TRANSLATE_NOOP("Fields", "Address"),
    "phone": QT_TRANSLATE_NOOP("Fields", "Phone"),
    "head_name": QT_TRANSLATE_NOOP("Fields", "Head of household"),
    "categories": QT_TRANSLATE_NOOP("Fields", "Categories"),
    "risk_level": QT_TRANSLATE_NOOP("Fields", "Risk level"),
    "urban": QT_TRANSLATE_NOOP("Fields", "Urban or rural"),
    "under_watch": QT_TRANSLATE_NOOP("Fields", "Monthly watch"),
    "poverty_causes": QT_TRANSLATE_NOOP("Fields", "Causes of poverty"),
    "housing": QT_TRANSLATE_NOOP("Fields", "Housing"),
    "bank_name": QT_TRANSLATE_NOOP("Fields", "Bank"),
    "bank_account": QT_TRANSLATE_NOOP("Fields", "Bank account"),
    "official_relative": QT_TRANSLATE_NOOP("Fields", "Relative of an official"),
    "official_relative_note": QT_TRANSLATE_NOOP("Fields", "Relative-of-official note"),
    "notes": QT_TRANSLATE_NOOP("Fields", "Notes"),
    "archived": QT_TRANSLATE_NOOP("Fields", "Archived"),
    "archived_reason": QT_TRANSLATE_NOOP("Fields", "Reason for archiving"),
    "name": QT_TRANSLATE_NOOP("Fields", "Name"),
    "id_number": QT_TRANSLATE_NOOP("Fields", "ID number"),
    "relation": QT_TRANSLATE_NOOP("Fields", "Relation to head"),
    "sex": QT_TRANSLATE_NOOP("Fields", "Sex"),
    "birth_date": QT_TRANSLATE_NOOP("Fields", "Date of birth"),
    "ethnicity": QT_TRANSLATE_NOOP("Fields", "Ethnicity"),
    "labour_ability": QT_TRANSLATE_NOOP("Fields", "Labour ability"),
    "health": QT_TRANSLATE_NOOP("Fields", "Health"),
    "serious_illness": QT_TRANSLATE_NOOP("Fields", "Serious illness"),
    "disability_type": QT_TRANSLATE_NOOP("Fields", "Disability type"),
    "disability_grade": QT_TRANSLATE_NOOP("Fields", "Disability grade"),
    "disability_cert": QT_TRANSLATE_NOOP("Fields", "Disability certificate"),
    "schooling": QT_TRANSLATE_NOOP("Fields", "Schooling"),
    "medical_insurance": QT_TRANSLATE_NOOP("Fields", "Medical insurance"),
    "pension_insurance": QT_TRANSLATE_NOOP("Fields", "Pension insurance"),
    "self_care": QT_TRANSLATE_NOOP("Fields", "Self-care"),
    "left_behind": QT_TRANSLATE_NOOP("Fields", "Left behind"),
    "employed": QT_TRANSLATE_NOOP("Fields", "Employed"),
    "deceased_on": QT_TRANSLATE_NOOP("Fields", "Date of death"),
}


def field_name(field: str) -> str:
    return QCoreApplication.translate("Fields", FIELD_NAMES[field]) if field in FIELD_NAMES else field


# --- the members table ----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class MemberColumn:
    field: str
    kind: str = "text"          # text | id | choice | grade | check | derived
    choices: tuple = ()
    width: int = 70


MEMBER_COLUMNS = [
    MemberColumn("name", width=80),
    MemberColumn("id_number", "id", width=165),
    MemberColumn("relation", "choice", RELATIONS, 70),
    MemberColumn("sex", "derived", width=40),
    MemberColumn("birth_date", "derived", width=90),
    MemberColumn("age", "derived", width=40),
    MemberColumn("ethnicity", "choice", ETHNICITIES, 55),
    MemberColumn("labour_ability", "choice", LABOUR_ABILITIES, 75),
    MemberColumn("health", "choice", HEALTH, 60),
    MemberColumn("serious_illness", "check", width=76),
    MemberColumn("disability_type", "choice", DISABILITY_TYPES, 60),
    MemberColumn("disability_grade", "grade", width=62),
    MemberColumn("schooling", "choice", SCHOOLING, 80),
    MemberColumn("self_care", "choice", SELF_CARE, 60),
    MemberColumn("left_behind", "choice", LEFT_BEHIND, 70),
    MemberColumn("medical_insurance", "check", width=40),
    MemberColumn("pension_insurance", "check", width=64),
    MemberColumn("employed", "check", width=45),
]
MEMBER_HEADERS = {
    "age": QT_TRANSLATE_NOOP("MemberColumns", "Age"),
    "name": QT_TRANSLATE_NOOP("MemberColumns", "Name"),
    "id_number": QT_TRANSLATE_NOOP("MemberColumns", "ID number"),
    "relation": QT_TRANSLATE_NOOP("MemberColumns", "Relation"),
    "sex": QT_TRANSLATE_NOOP("MemberColumns", "Sex"),
    "birth_date": QT_TRANSLATE_NOOP("MemberColumns", "Born"),
    "ethnicity": QT_TRANSLATE_NOOP("MemberColumns", "Ethnicity"),
    "labour_ability": QT_TRANSLATE_NOOP("MemberColumns", "Labour"),
    "health": QT_TRANSLATE_NOOP("MemberColumns", "Health"),
    "serious_illness": QT_TRANSLATE_NOOP("MemberColumns", "Serious illness"),
    "disability_type": QT_TRANSLATE_NOOP("MemberColumns", "Disability"),
    "disability_grade": QT_TRANSLATE_NOOP("MemberColumns", "Grade"),
    "schooling": QT_TRANSLATE_NOOP("MemberColumns", "Schooling"),
    "self_care": QT_TRANSLATE_NOOP("MemberColumns", "Self-care"),
    "left_behind": QT_TRANSLATE_NOOP("MemberColumns", "Left behind"),
    "medical_insurance": QT_TRANSLATE_NOOP("MemberColumns", "Medical ins."),
    "pension_insurance": QT_TRANSLATE_NOOP("MemberColumns", "Pension ins."),
    "employed": QT_TRANSLATE_NOOP("MemberColumns", "Employed"),
}
LIVE_EDIT_ROLE = Qt.ItemDataRole.UserRole + 10   # ID text while still being typed
BAD = QColor("#f9d6d5")
BAD_ROW = QColor("#fdecea")


class MembersModel(QAbstractTableModel):
    """Members being edited (copies of the service's Member objects; ids kept)."""

    def __init__(self, members: list[Member], parent=None):
        super().__init__(parent)
        self.members = [copy.deepcopy(m) for m in members]
        self.id_errors: dict[int, str] = {}
        self.bad_row: int | None = None
        self.bad_field: str | None = None
        for row in range(len(self.members)):
            self._derive(row, final=True)

    # derived values
    def _derive(self, row: int, final: bool) -> None:
        m = self.members[row]
        text = idnumber.clean(m.id_number)
        self.id_errors.pop(row, None)
        if not text:
            m.sex, m.birth_date = "", None
            return
        if not final and len(text) < 18:        # still typing: no verdict yet
            m.sex, m.birth_date = "", None
            return
        try:
            info = idnumber.parse(text)
        except idnumber.IdNumberError as exc:
            m.sex, m.birth_date = "", None
            self.id_errors[row] = str(exc)
        else:
            m.sex, m.birth_date = info.sex, info.birth_date

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.members)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(MEMBER_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("MemberColumns", MEMBER_HEADERS[MEMBER_COLUMNS[section].field])
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index):
        col = MEMBER_COLUMNS[index.column()]
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if col.kind == "derived":
            return base
        if col.kind == "check":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def value(self, row: int, field: str):
        m = self.members[row]
        if field == "age":
            return idnumber.age_on(m.birth_date, date.today()) if m.birth_date else None
        return getattr(m, field)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), MEMBER_COLUMNS[index.column()]
        value = self.value(row, col.field)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col.kind == "check":
                return None
            if col.field == "birth_date":
                return value.isoformat() if value else ""
            if col.kind == "grade":
                if role == Qt.ItemDataRole.EditRole:
                    return value
                return QCoreApplication.translate("HouseholdEditor", "Grade %1").replace("%1", str(value)) \
                    if value else ""
            return "" if value is None else value
        if role == Qt.ItemDataRole.CheckStateRole and col.kind == "check":
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            if col.field == "id_number" and row in self.id_errors:
                return QBrush(BAD)
            if row == self.bad_row:
                return QBrush(BAD if col.field == self.bad_field else BAD_ROW)
            if col.kind == "derived":
                return QBrush(QColor("#f2f2f2"))
        if role == Qt.ItemDataRole.ToolTipRole and col.field == "id_number" and row in self.id_errors:
            return self.id_errors[row]
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind in ("derived", "grade"):
            return Qt.AlignmentFlag.AlignCenter
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if not index.isValid():
            return False
        row, col = index.row(), MEMBER_COLUMNS[index.column()]
        m = self.members[row]
        if col.kind == "check" and role == Qt.ItemDataRole.CheckStateRole:
            setattr(m, col.field, Qt.CheckState(value) == Qt.CheckState.Checked)
        elif col.kind == "id" and role in (Qt.ItemDataRole.EditRole, LIVE_EDIT_ROLE):
            m.id_number = str(value).strip()
            self._derive(row, final=role == Qt.ItemDataRole.EditRole)
            if role == Qt.ItemDataRole.EditRole and idnumber.is_valid(m.id_number):
                m.id_number = idnumber.normalize(m.id_number)
        elif col.kind == "grade" and role == Qt.ItemDataRole.EditRole:
            m.disability_grade = int(value or 0)
        elif role == Qt.ItemDataRole.EditRole and col.kind in ("text", "choice"):
            setattr(m, col.field, str(value).strip() if col.kind == "text" else str(value))
        else:
            return False
        if row == self.bad_row:
            self.bad_row = self.bad_field = None
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(MEMBER_COLUMNS) - 1))
        else:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(MEMBER_COLUMNS) - 1))
        return True

    def add(self, member: Member) -> int:
        row = len(self.members)
        self.beginInsertRows(QModelIndex(), row, row)
        self.members.append(member)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.members):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.members[row]
            self.id_errors = {r - (r > row): e for r, e in self.id_errors.items() if r != row}
            self.bad_row = self.bad_field = None
            self.endRemoveRows()

    def mark(self, row: int | None, field: str | None) -> None:
        self.bad_row, self.bad_field = row, field
        self.dataChanged.emit(self.index(0, 0), self.index(max(0, len(self.members) - 1), len(MEMBER_COLUMNS) - 1))

    def column_of(self, field: str) -> int | None:
        for i, c in enumerate(MEMBER_COLUMNS):
            if c.field == field:
                return i
        return None


class MemberDelegate(QStyledItemDelegate):
    """Combo boxes for vocabularies, a spin box for the grade, live ID checking."""

    def createEditor(self, parent, option, index):
        col = MEMBER_COLUMNS[index.column()]
        if col.kind == "choice":
            combo = QComboBox(parent)
            for v in col.choices:
                combo.addItem(v if v else QCoreApplication.translate("HouseholdEditor", "(none)"), v)
            return combo
        if col.kind == "grade":
            spin = QSpinBox(parent)
            spin.setRange(0, 4)
            spin.setSpecialValueText(QCoreApplication.translate("HouseholdEditor", "none"))
            return spin
        editor = QLineEdit(parent)
        if col.kind == "id":
            editor.setMaxLength(20)
            model = index.model()
            persistent = index

            def live(text, model=model, persistent=persistent):
                model.setData(persistent, text, LIVE_EDIT_ROLE)
                bad = model.id_errors.get(persistent.row())
                editor.setStyleSheet("background: #f9d6d5;" if bad else "")
                editor.setToolTip(bad or "")

            editor.textEdited.connect(live)
        return editor

    def setEditorData(self, editor, index):
        col = MEMBER_COLUMNS[index.column()]
        value = index.model().value(index.row(), col.field)
        if isinstance(editor, QComboBox):
            i = editor.findData(value)
            editor.setCurrentIndex(max(0, i))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
        else:
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QSpinBox):
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        else:
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


# --- the dialog -------------------------------------------------------------------------

_MEMBER_ERROR = re.compile(r"^第\s*(\d+)\s*名")


class HouseholdEditor(QDialog):
    saved = Signal(str)      # household id

    def __init__(self, session, household_id: str | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.household_id = household_id
        self.can_write = session.can(permissions.WRITE_REGISTER)
        if household_id:
            household, members = session.households.get(household_id)
        else:
            household, members = Household(village_code="", categories=[]), []
        self.household = household
        self.confirm_discard = self._ask_discard     # tests replace this
        self.setWindowTitle(self.tr("Household of %1").replace("%1", household.head_name) if household_id
                            else self.tr("New household"))
        self.resize(1280, 700)

        self.tabs = QTabWidget(self)
        main = QWidget()
        self.tabs.addTab(main, self.tr("Household and members"))
        self.history = QTableWidget(0, 4)
        self.programmes = None
        if household_id:
            from .enrolments_panel import EnrolmentsPanel
            # The household's enrolments, their workflow history, income items and assessment.
            self.programmes = EnrolmentsPanel(session, household_id, self)
            self.programmes.changed.connect(self._load_history)
            self.tabs.addTab(self.programmes, self.tr("Assistance"))
            self.tabs.addTab(self.history, self.tr("History"))

        # household fields
        self.errors: dict[str, FieldError] = {}
        self.village = QComboBox()
        village_combo(self.village, session.office.code)
        self.group_name = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.categories = CheckList(HOUSEHOLD_CATEGORIES, columns=5)
        self.risk = QComboBox()
        for level, name in RISK_NAMES.items():
            self.risk.addItem(name, level)
        self.urban = QComboBox()
        self.urban.addItem(self.tr("Rural"), False)
        self.urban.addItem(self.tr("Urban"), True)
        self.under_watch = QCheckBox(self.tr("Under watch: visit every month"))
        self.poverty_causes = CheckList(POVERTY_CAUSES, columns=6)
        self.housing = QComboBox()
        self.housing.setEditable(True)
        self.housing.addItems(("",) + HOUSING)
        self.bank_name = QLineEdit()
        self.bank_account = QLineEdit()
        self.official_relative = QCheckBox(self.tr("Relative of a village cadre or office staff (近亲属备案)"))
        self.official_relative_note = QLineEdit()
        self.official_relative_note.setPlaceholderText(self.tr("Name and post of the related official"))
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(46)
        self.notes.setTabChangesFocus(True)     # Tab goes on to the members, it never types a tab

        def with_error(field: str, widget: QWidget) -> QWidget:
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(0)
            lay.addWidget(widget)
            err = FieldError()
            lay.addWidget(err)
            self.errors[field] = err
            return box

        left = QFormLayout()
        left.setHorizontalSpacing(10)
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left.addRow(self.tr("Village"), with_error("village_code", self.village))
        left.addRow(self.tr("Village group"), with_error("group_name", self.group_name))
        left.addRow(self.tr("Address"), with_error("address", self.address))
        left.addRow(self.tr("Phone"), with_error("phone", self.phone))
        urban_row = QHBoxLayout()
        urban_row.addWidget(self.urban)
        urban_row.addWidget(QLabel(self.tr("Risk")))
        urban_row.addWidget(self.risk)
        urban_row.addWidget(self.under_watch)
        urban_row.addStretch(1)
        left.addRow(self.tr("Standard"), urban_row)
        bank_row = QHBoxLayout()
        bank_row.addWidget(self.bank_name, 2)
        bank_row.addWidget(self.bank_account, 3)
        self.bank_name.setPlaceholderText(self.tr("Bank"))
        self.bank_account.setPlaceholderText(self.tr("Account number"))
        left.addRow(self.tr("Bank"), with_error("bank_account", _wrap(bank_row)))

        right = QFormLayout()
        right.setHorizontalSpacing(10)
        right.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        right.addRow(self.tr("Categories"), with_error("categories", self.categories))
        right.addRow(self.tr("Causes of poverty"), with_error("poverty_causes", self.poverty_causes))
        right.addRow(self.tr("Housing"), with_error("housing", self.housing))
        rel = QVBoxLayout()
        rel.setContentsMargins(0, 0, 0, 0)
        rel.addWidget(self.official_relative)
        rel.addWidget(with_error("official_relative_note", self.official_relative_note))
        right.addRow(self.tr("Registration"), _wrap(rel))
        right.addRow(self.tr("Notes"), with_error("notes", self.notes))

        fields = QGridLayout()
        fields.addLayout(left, 0, 0)
        fields.addLayout(right, 0, 1)
        fields.setColumnStretch(0, 1)
        fields.setColumnStretch(1, 1)
        fields.setHorizontalSpacing(24)

        # members
        self.members = MembersModel(members, self)
        self.member_view = QTableView()
        self.member_view.setModel(self.members)
        self.member_view.setItemDelegate(MemberDelegate(self.member_view))
        self.member_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.member_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.member_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.member_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        for i, c in enumerate(MEMBER_COLUMNS):
            self.member_view.setColumnWidth(i, c.width)
        self.member_view.horizontalHeader().setStretchLastSection(True)
        self.add_member_button = QPushButton(self.tr("Add &member"))
        self.add_member_button.setToolTip(self.tr("Ctrl+M"))
        self.remove_member_button = QPushButton(self.tr("&Remove member"))
        self.add_member_button.clicked.connect(self.add_member)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.member_error = FieldError()
        self._live_id_error = False
        self.members.dataChanged.connect(lambda *_: self._show_id_error())
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.add_member_button)
        member_buttons.addWidget(self.remove_member_button)
        member_buttons.addWidget(self.member_error, 1)
        member_buttons.addStretch(1)
        members_box = QGroupBox(self.tr("Members (the head's relation is 本人; birth date, sex and age come "
                                         "from the ID number)"))
        mb = QVBoxLayout(members_box)
        mb.addWidget(self.member_view, 1)
        mb.addLayout(member_buttons)

        main_layout = QVBoxLayout(main)
        main_layout.addLayout(fields)
        main_layout.addWidget(members_box, 1)

        # bottom buttons
        self.general_error = FieldError()
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setToolTip(self.tr("Ctrl+S"))
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.cancel_button = QPushButton(self.tr("Close"))
        self.cancel_button.setAutoDefault(False)
        self.archive_button = QPushButton(self.tr("&Archive…"))
        self.archive_button.setAutoDefault(False)
        self.archive_button.setVisible(bool(household_id) and self.can_write and not household.archived)
        self.save_button.setEnabled(self.can_write)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.archive_button.clicked.connect(lambda: self.archive())
        bottom = QHBoxLayout()
        bottom.addWidget(self.general_error, 1)
        bottom.addStretch(1)
        bottom.addWidget(self.archive_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.cancel_button)

        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs, 1)
        outer.addLayout(bottom)

        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+M"), self, activated=self.add_member)

        self._load(household)
        if household.archived:
            self.general_error.show_error(self.tr("Archived: %1").replace("%1", household.archived_reason))
        if household_id:
            self._load_history()
        if not members:
            self.add_member()
        self._snapshot = self._state()

    # --- loading -------------------------------------------------------------

    def _load(self, h: Household) -> None:
        select_data(self.village, h.village_code)
        if not h.village_code:
            for i in range(self.village.count()):
                if self.village.itemData(i):
                    self.village.setCurrentIndex(i)
                    break
        self.group_name.setText(h.group_name)
        self.address.setText(h.address)
        self.phone.setText(h.phone)
        self.categories.set_values(h.categories)
        select_data(self.risk, h.risk_level)
        select_data(self.urban, h.urban)
        self.under_watch.setChecked(h.under_watch)
        self.poverty_causes.set_values(h.poverty_causes)
        self.housing.setCurrentText(h.housing)
        self.bank_name.setText(h.bank_name)
        self.bank_account.setText(h.bank_account)
        self.official_relative.setChecked(h.official_relative)
        self.official_relative_note.setText(h.official_relative_note)
        self.notes.setPlainText(h.notes)

    def _load_history(self) -> None:
        entries = self.session.households.history(self.household_id)
        names = {m.id: m.name for m in self.members.members}
        self.history.setHorizontalHeaderLabels([self.tr("Time"), self.tr("User"), self.tr("Action"),
                                                self.tr("Changes")])
        self.history.setRowCount(len(entries))
        for row, e in enumerate(reversed(entries)):
            who = names.get(e.row_id, "")
            action = f"{e.action}（{who}）" if who and e.entity == "members" else e.action
            for col, text in enumerate((e.at[:19].replace("T", " "), e.username, action, describe_change(e.detail))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if col == 3:
                    item.setToolTip(text)
                self.history.setItem(row, col, item)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.setColumnWidth(0, 150)
        self.history.setColumnWidth(1, 90)
        self.history.setColumnWidth(2, 160)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setWordWrap(False)

    # --- members -------------------------------------------------------------

    def add_member(self) -> None:
        relation = "本人" if not self.members.members else "其他"
        row = self.members.add(Member(relation=relation))
        self.member_view.setCurrentIndex(self.members.index(row, 0))
        self.member_view.setFocus()
        self.member_view.edit(self.members.index(row, 0))

    def remove_member(self) -> None:
        index = self.member_view.currentIndex()
        if index.isValid():
            self.members.remove(index.row())
            self._show_id_error()

    def _show_id_error(self) -> None:
        """Say why an ID cell is red as soon as it is left, not only in its tooltip or at saving."""
        errors = self.members.id_errors
        if errors:
            row = min(errors)
            name = self.members.members[row].name or self.tr("no name yet")
            self.member_error.show_error(self.tr("Member %1 (%2): ID number: %3")
                                         .replace("%1", str(row + 1)).replace("%2", name)
                                         .replace("%3", errors[row]))
            self._live_id_error = True
        elif self._live_id_error:
            self.member_error.clear_error()
            self._live_id_error = False

    # --- saving --------------------------------------------------------------

    def collect(self) -> tuple[Household, list[Member]]:
        h = copy.deepcopy(self.household)
        h.village_code = self.village.currentData() or ""
        h.group_name = self.group_name.text().strip()
        h.address = self.address.text().strip()
        h.phone = self.phone.text().strip()
        h.categories = self.categories.values()
        h.risk_level = int(self.risk.currentData() or 0)
        h.urban = bool(self.urban.currentData())
        h.under_watch = self.under_watch.isChecked()
        h.poverty_causes = self.poverty_causes.values()
        h.housing = self.housing.currentText().strip()
        h.bank_name = self.bank_name.text().strip()
        h.bank_account = self.bank_account.text().strip()
        h.official_relative = self.official_relative.isChecked()
        h.official_relative_note = self.official_relative_note.text().strip()
        h.notes = self.notes.toPlainText().strip()
        return h, [copy.deepcopy(m) for m in self.members.members]

    def _state(self) -> str:
        h, members = self.collect()
        return repr((h, members))

    def is_dirty(self) -> bool:
        return self._state() != self._snapshot

    def clear_errors(self) -> None:
        for err in self.errors.values():
            err.clear_error()
        self.member_error.clear_error()
        self.general_error.clear_error()
        self.members.mark(None, None)

    def save(self) -> bool:
        if not self.can_write:
            return False
        # finish an edit in progress so its text is in the model
        self.member_view.setFocus()
        self.member_view.clearFocus()
        self.clear_errors()
        household, members = self.collect()
        try:
            if self.household_id:
                saved = self.session.households.update(household, members)
            else:
                saved = self.session.households.add(household, members)
        except InvalidInput as exc:
            self.show_error(exc)
            return False
        except DoudiError as exc:
            self.general_error.show_error(str(exc))
            return False
        self.household_id = saved.id
        self._snapshot = self._state()
        self.saved.emit(saved.id)
        self.accept()
        return True

    def show_error(self, exc: InvalidInput) -> None:
        message = str(exc)
        field = getattr(exc, "field", None)
        member = _MEMBER_ERROR.match(message)
        if member:
            row = int(member.group(1)) - 1
            self.members.mark(row, field)
            col = self.members.column_of(field) if field else None
            self.member_view.setCurrentIndex(self.members.index(row, col if col is not None else 0))
            self.member_view.setFocus()
            self.member_error.show_error(message)
        elif field == "head_name":          # the head's name is typed in the members table
            row = next((i for i, m in enumerate(self.members.members) if m.relation == "本人"), 0)
            self.members.mark(row, "name")
            self.member_view.setCurrentIndex(self.members.index(row, 0))
            self.member_view.setFocus()
            self.member_error.show_error(message)
        elif "本人" in message or "成员" in message:
            self.member_error.show_error(message)
            self.member_view.setFocus()
        elif field in self.errors:
            self.errors[field].show_error(message)
            widget = {"village_code": self.village, "phone": self.phone, "categories": self.categories,
                      "official_relative_note": self.official_relative_note}.get(field)
            if widget is not None:
                widget.setFocus()
        else:
            self.general_error.show_error(message)
        self.tabs.setCurrentIndex(0)

    def archive(self, reason: str | None = None) -> bool:
        if not self.household_id:
            return False
        if reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("Archive household"),
                                              self.tr("Reason for archiving (required):"))
            if not ok:
                return False
        try:
            self.session.households.archive(self.household_id, reason)
        except DoudiError as exc:
            self.general_error.show_error(str(exc))
            return False
        self._snapshot = self._state()
        self.saved.emit(self.household_id)
        self.accept()
        return True

    # --- closing -------------------------------------------------------------

    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(self, self.tr("Discard changes?"),
                                      self.tr("This household has unsaved changes. Close without saving?"),
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self.can_write and self.is_dirty() and not self.confirm_discard():
            return
        super().reject()


def _wrap(layout) -> QWidget:
    w = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w


def _short(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return QCoreApplication.translate("HouseholdEditor", "yes") if value else \
            QCoreApplication.translate("HouseholdEditor", "no")
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def describe_change(detail: dict) -> str:
    """'所在村：A → B；电话：— → 139…' from an audit entry's detail."""
    if not isinstance(detail, dict):
        return ""
    changed = detail.get("changed")
    if isinstance(changed, dict):
        parts = []
        for f, pair in changed.items():
            if f in ("updated_at", "updated_by"):
                continue
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            if f == "id_number":
                old, new = idnumber.mask(old or ""), idnumber.mask(new or "")
            parts.append(f"{field_name(f)}：{_short(old)} → {_short(new)}")
        return "；".join(parts)
    after = detail.get("after")
    if isinstance(after, dict):
        label = after.get("name") or after.get("head_name") or ""
        return label
    return ""
