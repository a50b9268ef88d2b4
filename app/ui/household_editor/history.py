"""The household's change history, read from the audit log and shown as "field: old → new".

Kept apart from the editor because the sentence-making (``describe_change``) is also what a
reviewer reads when checking who changed what, and it needs the field names in plain words.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from ...domain import idnumber
from ..i18n import QT_TRANSLATE_NOOP

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
    return QCoreApplication.translate("Fields", str(FIELD_NAMES[field])) if field in FIELD_NAMES else field


def _short(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("HouseholdEditor", "yes")
            if value
            else QCoreApplication.translate("HouseholdEditor", "no")
        )
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def describe_change(detail: dict[str, Any]) -> str:
    """'所在村：A → B；电话：— → 139…' from an audit entry's detail."""
    if not isinstance(detail, dict):
        return ""
    changed = detail.get("changed")
    if isinstance(changed, dict):
        parts = []
        for f, pair in changed.items():
            if f in ("updated_at", "updated_by"):
                continue
            old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
            if f == "id_number":
                # ID numbers are masked in the history: it is read over people's shoulders.
                old, new = idnumber.mask(old or ""), idnumber.mask(new or "")
            parts.append(f"{field_name(f)}：{_short(old)} → {_short(new)}")
        return "；".join(parts)
    after = detail.get("after")
    if isinstance(after, dict):
        return after.get("name") or after.get("head_name") or ""
    return ""


CHANGES_COLUMN = 3  # long: its full text is also the tooltip


class HistoryTable(QTableWidget):
    """Newest first: when, who, what, and the changed fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        # The editor's translation context, where these headers were first written.
        self.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("HouseholdEditor", "Time"),
                QCoreApplication.translate("HouseholdEditor", "User"),
                QCoreApplication.translate("HouseholdEditor", "Action"),
                QCoreApplication.translate("HouseholdEditor", "Changes"),
            ]
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setColumnWidth(0, 150)
        self.setColumnWidth(1, 90)
        self.setColumnWidth(2, 160)
        self.horizontalHeader().setStretchLastSection(True)
        self.setWordWrap(False)

    def show_entries(self, entries: list, member_names: dict[str, str]) -> None:
        self.setRowCount(len(entries))
        for row, e in enumerate(reversed(entries)):
            who = member_names.get(e.row_id, "")
            action = f"{e.action}（{who}）" if who and e.entity == "members" else e.action
            for col, text in enumerate((e.at[:19].replace("T", " "), e.username, action, describe_change(e.detail))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if col == CHANGES_COLUMN:
                    item.setToolTip(text)
                self.setItem(row, col, item)
