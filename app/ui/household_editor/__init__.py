"""The household editor: one household with its members, its history, its assistance and archiving.

``HouseholdEditor`` is the dialog; the members table, its cell editors, the history and the
archive dialog each live in their own module.
"""

from __future__ import annotations

from .archive_dialog import ArchiveDialog
from .editor import HouseholdEditor
from .history import FIELD_NAMES, describe_change, field_name
from .members_model import LIVE_EDIT_ROLE, MEMBER_COLUMNS, MembersModel

__all__ = [
    "FIELD_NAMES",
    "LIVE_EDIT_ROLE",
    "MEMBER_COLUMNS",
    "ArchiveDialog",
    "HouseholdEditor",
    "MembersModel",
    "describe_change",
    "field_name",
]
