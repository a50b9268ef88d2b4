"""Small widgets shared by the assistance screens (救助, 预警, 月结, 照料).

Only presentation: money is integer fen from the services and shown as yuan with two
decimals; typed yuan are turned back into fen here with Decimal, never float. Every
user-visible string is translated under the context "AssistWidgets".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QHBoxLayout,
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import DoudiError
from ..domain.policy import months

__all__ = [
    "Col", "FormDialog", "ListTableModel", "MessageBar", "MonthEdit", "DateEdit", "YuanEdit",
    "fen_from_yuan", "setup_table", "yuan",
]

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
ERROR_COLOR = "#b03a2e"
OK_COLOR = "#1e8449"
WARN_COLOR = "#b9770e"


def yuan(fen: int | None) -> str:
    """Integer fen → ``"1234.56"``; None → empty."""
    return "" if fen is None else months.yuan(int(fen))


def fen_from_yuan(text: str) -> int:
    """``"123.4"`` → 12340 fen. Raises ValueError with a sentence for the user."""
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        raise ValueError(QCoreApplication.translate("AssistWidgets", "Please enter an amount in yuan."))
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(QCoreApplication.translate("AssistWidgets", "The amount must be a number of yuan, e.g. 312.50.")) from None
    if value < 0:
        raise ValueError(QCoreApplication.translate("AssistWidgets", "The amount cannot be negative."))
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(QCoreApplication.translate("AssistWidgets", "The amount can have at most two decimals (fen)."))
    return int(value * 100)


def to_qdate(d: date | None) -> QDate:
    d = d or date.today()
    return QDate(d.year, d.month, d.day)


class YuanEdit(QLineEdit):
    """A yuan amount: digits with at most two decimals, right-aligned."""

    def __init__(self, parent=None):
        super().__init__(parent)
        from PySide6.QtCore import QRegularExpression
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}(\.\d{0,2})?"), self))
        self.setAlignment(RIGHT)
        self.setPlaceholderText("0.00")

    def set_fen(self, fen: int | None) -> None:
        self.setText(yuan(fen))

    def fen(self) -> int:
        return fen_from_yuan(self.text())


class DateEdit(QDateEdit):
    """A date typed as yyyy-MM-dd, with a calendar on F4/the arrow."""

    def __init__(self, value: date | None = None, parent=None):
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setDate(to_qdate(value))

    def value(self) -> date:
        return self.date().toPython()

    def set_value(self, d: date) -> None:
        self.setDate(to_qdate(d))


class MonthEdit(QDateEdit):
    """A month picker shown as yyyy-MM; ``month_changed(str)`` carries ``YYYY-MM``."""

    month_changed = Signal(str)

    def __init__(self, month: str | None = None, parent=None):
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM")
        self.setCalendarPopup(False)
        self.setCurrentSection(QDateEdit.Section.MonthSection)
        self.set_month(month or months.of(date.today()))
        self.dateChanged.connect(lambda _d: self.month_changed.emit(self.month()))
        self.setMinimumWidth(110)

    def month(self) -> str:
        d = self.date()
        return f"{d.year():04d}-{d.month():02d}"

    def set_month(self, month: str) -> None:
        d = months.first_day(month)
        self.setDate(QDate(d.year, d.month, 1))


class MessageBar(QLabel):
    """One line under a toolbar: the service's sentence on refusal, or a short confirmation."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def error(self, text: str) -> None:
        self._show(text, ERROR_COLOR, "#fdedec")

    def info(self, text: str) -> None:
        self._show(text, OK_COLOR, "#eafaf1")

    def _show(self, text: str, fg: str, bg: str) -> None:
        self.setText(text)
        self.setStyleSheet(f"QLabel {{ color: {fg}; background: {bg}; border-radius: 4px; padding: 4px 8px; }}")
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


def open_dialog(owner, dlg: "FormDialog") -> "FormDialog":
    """Open ``dlg`` window-modal and keep it as ``owner.dialog`` while it is open (tests drive it there)."""
    owner.dialog = dlg
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.finished.connect(lambda _r: setattr(owner, "dialog", None))
    dlg.open()
    return dlg


def page_title(text: str) -> QLabel:
    """The bold heading at the top left of every page."""
    title = QLabel(text)
    f = title.font()
    f.setPointSizeF(f.pointSizeF() * 1.3)
    f.setBold(True)
    title.setFont(f)
    return title


def month_header(title: str, month_label: str) -> tuple[QHBoxLayout, "MonthEdit"]:
    """The top bar of a month-based page: its heading, then a labelled month picker."""
    bar = QHBoxLayout()
    bar.addWidget(page_title(title))
    bar.addSpacing(16)
    bar.addWidget(QLabel(month_label))
    month = MonthEdit()
    bar.addWidget(month)
    return bar, month


def error_sentence(exc: BaseException) -> str:
    """The one sentence a service error carries (InvalidInput, PermissionDenied …)."""
    text = str(exc).strip()
    return text or exc.__class__.__name__


class FormDialog(QDialog):
    """A form whose OK runs ``submit()``; a refusal shows the service's sentence and keeps the dialog open.

    ``submit`` may raise :class:`DoudiError` (the service's sentence) or ``ValueError``
    (input the form could not read); anything else propagates.
    """

    def __init__(self, title: str, submit: Callable[[], Any], parent=None, intro: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit = submit
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(self.form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(QCoreApplication.translate("AssistWidgets", "OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(QCoreApplication.translate("AssistWidgets", "Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(540)

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        if label:
            self.form.addRow(label, widget)
        else:
            self.form.addRow(widget)      # a note spanning the whole width
        return widget

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        # Tab in a note box moves on to the next field (and so to OK) instead of typing a tab.
        for box in self.findChildren(QPlainTextEdit):
            box.setTabChangesFocus(True)
        super().showEvent(event)

    def accept(self) -> None:  # noqa: D401 - Qt override
        try:
            self.result_value = self.submit()
        except (DoudiError, ValueError) as exc:
            self.show_error(error_sentence(exc))
            return
        super().accept()


@dataclass(frozen=True)
class Col:
    header: str                       # English source, translated with *context*
    value: Callable[[Any], Any]
    align: Qt.AlignmentFlag = LEFT
    context: str = "Columns"
    color: Callable[[Any], str | None] | None = None
    background: Callable[[Any], str | None] | None = None
    tooltip: Callable[[Any], str] | None = None


class ListTableModel(QAbstractTableModel):
    """A read-only table over an in-memory list of row objects (a month's roster, the open alerts …)."""

    def __init__(self, columns: Sequence[Col], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate(col.context, col.header)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return col.align
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return col.align
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            c = col.color(row)
            return QColor(c) if c else None
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            c = col.background(row)
            return QColor(c) if c else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.tooltip is not None:
                return col.tooltip(row)
            value = col.value(row)
            return "" if value is None else str(value)
        return None


def setup_table(view: QTableView | QTableWidget, stretch: int | None = None) -> None:
    """Read-only, whole-row selection, fixed row height, one column stretching."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    vh = view.verticalHeader()
    vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vh.setDefaultSectionSize(26)
    vh.setMinimumWidth(36)
    hh = view.horizontalHeader()
    hh.setHighlightSections(False)
    hh.setStretchLastSection(stretch is None)
    if stretch is not None:
        hh.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def fit_columns(view: QTableView, widths: Sequence[int]) -> None:
    for i, w in enumerate(widths):
        if w:
            view.setColumnWidth(i, w)


def table_item(text: str, align: Qt.AlignmentFlag = LEFT, color: str | None = None):
    from PySide6.QtWidgets import QTableWidgetItem
    item = QTableWidgetItem(text)
    item.setTextAlignment(align)
    item.setToolTip(text)
    if color:
        item.setForeground(QColor(color))
    return item
