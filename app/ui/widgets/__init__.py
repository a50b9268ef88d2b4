"""The widgets every screen shares, one concern per module (after Picard's ``ui/widgets``).

Import from here: ``from ..widgets import MonthEdit, FormDialog, MessageBar``.
"""

from __future__ import annotations

from .checklist import CheckList
from .dates import DateEdit, MonthEdit, to_qdate
from .form_dialog import FormDialog, open_dialog
from .headings import month_header, page_title
from .messages import FieldError, MessageBar, error_sentence
from .money import YuanEdit, fen_from_yuan, yuan
from .palette import CENTER, ERROR_COLOR, ERROR_STYLE, LEFT, OK_COLOR, RIGHT, WARN_COLOR
from .tables import Col, ListTableModel, fit_columns, setup_table, table_item
from .villages import select_data, village_combo

__all__ = [
    "CENTER",
    "ERROR_COLOR",
    "ERROR_STYLE",
    "LEFT",
    "OK_COLOR",
    "RIGHT",
    "WARN_COLOR",
    "CheckList",
    "Col",
    "DateEdit",
    "FieldError",
    "FormDialog",
    "ListTableModel",
    "MessageBar",
    "MonthEdit",
    "YuanEdit",
    "error_sentence",
    "fen_from_yuan",
    "fit_columns",
    "month_header",
    "open_dialog",
    "page_title",
    "select_data",
    "setup_table",
    "table_item",
    "to_qdate",
    "village_combo",
    "yuan",
]
