"""The members being edited, as a table model: one row per person, one column per field.

The ID number is the one field that decides others: typing it fills birth date, sex and age at
once (``idnumber.parse``) and marks a bad number in red, so the clerk sees the mistake before
saving. A refusal from the service marks its row and cell (``mark``) from the error's ``item`` and
``field``.

Every field of a member is a column of the model, but only the columns that tell the members apart
are shown in the grid (``in_grid``), so it fits a 1366-pixel screen without scrolling sideways; the
rest are edited in the details pane below it (member_details.py), through the same model.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...domain import idnumber
from ...domain.entities import (
    DISABILITY_TYPES,
    ETHNICITIES,
    HEALTH,
    LABOUR_ABILITIES,
    LEFT_BEHIND,
    RELATIONS,
    SCHOOLING,
    SELF_CARE,
    Household,
    Member,
)
from ..i18n import QT_TRANSLATE_NOOP


@dataclasses.dataclass(frozen=True)
class MemberColumn:
    field: str
    kind: str = "text"  # text | id | choice | grade | check | date | derived
    choices: tuple = ()
    width: int = 70
    in_grid: bool = True  # False: edited in the details pane of the selected member


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
    MemberColumn("disability_type", "choice", DISABILITY_TYPES, 60, in_grid=False),
    MemberColumn("disability_grade", "grade", width=62, in_grid=False),
    MemberColumn("disability_cert", in_grid=False),
    MemberColumn("schooling", "choice", SCHOOLING, 80, in_grid=False),
    MemberColumn("self_care", "choice", SELF_CARE, 60, in_grid=False),
    MemberColumn("left_behind", "choice", LEFT_BEHIND, 70, in_grid=False),
    MemberColumn("medical_insurance", "check", width=40, in_grid=False),
    MemberColumn("pension_insurance", "check", width=64, in_grid=False),
    MemberColumn("employed", "check", width=45, in_grid=False),
    MemberColumn("deceased_on", "date", in_grid=False),
    MemberColumn("notes", in_grid=False),
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
    "disability_cert": QT_TRANSLATE_NOOP("MemberColumns", "Disability certificate"),
    "deceased_on": QT_TRANSLATE_NOOP("MemberColumns", "Died on"),
    "notes": QT_TRANSLATE_NOOP("MemberColumns", "Notes"),
}
DETAIL_FIELDS = tuple(c.field for c in MEMBER_COLUMNS if not c.in_grid)
ID_LENGTH = 18  # below it the number is still being typed: no verdict yet
LIVE_EDIT_ROLE = Qt.ItemDataRole.UserRole + 10  # ID text while still being typed
MASK_CHAR = "*"  # what app.domain.idnumber.mask puts in place of hidden digits
BAD = QColor("#f9d6d5")
BAD_ROW = QColor("#fdecea")


class MembersModel(QAbstractTableModel):
    """Members being edited (copies of the service's Member objects; ids kept)."""

    def __init__(self, members: list[Member], parent: QObject | None = None) -> None:
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
        if MASK_CHAR in text:  # masked for this role as the service gave it; the service keeps the stored number
            return
        if not final and len(text) < ID_LENGTH:  # still typing: no verdict yet
            m.sex, m.birth_date = "", None
            return
        try:
            info = idnumber.parse(text)
        except idnumber.IdNumberError as exc:
            m.sex, m.birth_date = "", None
            self.id_errors[row] = str(exc)
        else:
            m.sex, m.birth_date = info.sex, info.birth_date

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.members)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(MEMBER_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("MemberColumns", str(MEMBER_HEADERS[MEMBER_COLUMNS[section].field]))
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        col = MEMBER_COLUMNS[index.column()]
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if col.kind == "derived":
            return base
        if col.kind == "check":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def value(self, row: int, field: str) -> Any:
        m = self.members[row]
        if field == "age":
            return idnumber.age_on(m.birth_date, date.today()) if m.birth_date else None
        return getattr(m, field)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), MEMBER_COLUMNS[index.column()]
        value = self.value(row, col.field)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col.kind == "check":
                return None
            if col.field == "birth_date" or col.kind == "date":
                return value.isoformat() if value else ""
            if col.kind == "grade":
                if role == Qt.ItemDataRole.EditRole:
                    return value
                return (
                    QCoreApplication.translate("HouseholdEditor", "Grade %1").replace("%1", str(value)) if value else ""
                )
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

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid():
            return False
        row, col = index.row(), MEMBER_COLUMNS[index.column()]
        m = self.members[row]
        before = getattr(m, col.field, None)
        if col.kind == "check" and role == Qt.ItemDataRole.CheckStateRole:
            setattr(m, col.field, Qt.CheckState(value) == Qt.CheckState.Checked)
        elif col.kind == "id" and role in (Qt.ItemDataRole.EditRole, LIVE_EDIT_ROLE):
            m.id_number = str(value).strip()
            self._derive(row, final=role == Qt.ItemDataRole.EditRole)
            if role == Qt.ItemDataRole.EditRole and idnumber.is_valid(m.id_number):
                m.id_number = idnumber.normalize(m.id_number)
        elif col.kind == "grade" and role == Qt.ItemDataRole.EditRole:
            m.disability_grade = int(value or 0)
        elif col.kind == "date" and role == Qt.ItemDataRole.EditRole:
            setattr(m, col.field, _as_date(value))
        elif role == Qt.ItemDataRole.EditRole and col.kind in ("text", "choice"):
            setattr(m, col.field, str(value).strip() if col.kind == "text" else str(value))
        else:
            return False
        # A refusal's mark stays until the row is really changed: the view commits an open cell
        # editor, unchanged, when the cursor is moved to the marked cell.
        if row == self.bad_row and getattr(m, col.field, None) != before:
            self.bad_row = self.bad_field = None
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

    def head_row(self) -> int:
        """The row of the head (relation 本人), where the household's name is typed; 0 if none yet."""
        return next((i for i, m in enumerate(self.members) if m.relation == "本人"), 0)


def _as_date(value: Any) -> date | None:
    """A date from the details pane (a date or None), or typed as yyyy-mm-dd; empty or unreadable is none."""
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


MEMBER_FIELDS = frozenset(f.name for f in dataclasses.fields(Member)) - {f.name for f in dataclasses.fields(Household)}
"""Fields an error may name that are typed in the members table, not in the household's form."""
