"""导入台账: a township's own Excel ledger into the register, in four steps.

1 the file (and the programme, when neither a column nor the title says it); 2 the columns, with
the same mapping step as the 比对 page; 3 the dry run — what would be created and updated, and every
row that cannot be imported with its reason, exportable to fix and import again; 4 the import itself,
one write op with progress, and what it did. Nothing is written before step 4, and going back from
the dry run changes nothing. Each step's reading runs in an op, so the window never blocks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import PROGRAMMES
from ...errors import DoudiError
from ...services import permissions
from ..ops import Op
from ..widgets import MessageBar, error_sentence, setup_table, table_item
from .mapping import MappingWidget

__all__ = ["LedgerImportWizard", "open_ledger_wizard"]

FILE, COLUMNS, DRY_RUN, DONE = range(4)
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


class LedgerImportWizard(QDialog):
    def __init__(self, session: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Import a ledger"))
        self.path: Path | None = None
        self.mapping_widget: MappingWidget | None = None
        self.plan: Any = None
        self.imported: Any = None
        self.setAcceptDrops(True)

        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-weight: bold;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_file_step())
        self.stack.addWidget(QWidget())  # the columns step, built once the file's layout is read
        self.stack.addWidget(self._build_dry_run_step())
        self.stack.addWidget(self._build_done_step())
        self.message = MessageBar()

        self.back_button = QPushButton(self.tr("< Back"))
        self.back_button.clicked.connect(lambda _c=False: self.back())
        self.next_button = QPushButton(self.tr("Next >"))
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(lambda _c=False: self.next())
        self.close_button = QPushButton()
        self.close_button.clicked.connect(lambda _c=False: self.reject())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(900, 620)
        self.go(FILE)

    # --- the steps ----------------------------------------------------------------------

    def _build_file_step(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        intro = QLabel(
            self.tr(
                "Choose the Excel, WPS or CSV ledger (花名册, 台账) to import. Households are formed from the "
                "head of household and relation columns; nothing is written before the last step."
            )
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("or drop the file on this window"))
        choose = QPushButton(self.tr("Choose file…"))
        choose.clicked.connect(lambda _c=False: self.choose_file())
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(choose)
        form.addRow(self.tr("File:"), row)
        self.programme = QComboBox()
        self.programme.addItem(self.tr("From a column or the title"), "")
        for p in PROGRAMMES:
            self.programme.addItem(p, p)
        self.programme.setToolTip(self.tr("The programme of the enrolments, when the file has no programme column"))
        form.addRow(self.tr("Programme:"), self.programme)
        return page

    def _build_dry_run_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        layout.addWidget(self.plan_label)
        # A dry run must show what an update would change: a typo in a name renames a registered person.
        self.changes_label = QLabel(self.tr("Registered records this import would change:"))
        layout.addWidget(self.changes_label)
        self.changes = _changes_table()
        layout.addWidget(self.changes, 1)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        layout.addWidget(self.notes_label)
        self.invalid = _invalid_table()
        layout.addWidget(self.invalid, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.export_button = QPushButton(self.tr("Export invalid rows…"))
        self.export_button.setToolTip(self.tr("An Excel file of these rows, to fix and import again"))
        self.export_button.clicked.connect(lambda _c=False: self.export_invalid())
        row.addWidget(self.export_button)
        layout.addLayout(row)
        return page

    def _build_done_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        layout.addWidget(self.done_label)
        self.done_notes = QLabel()
        self.done_notes.setWordWrap(True)
        layout.addWidget(self.done_notes)
        self.done_invalid = _invalid_table()
        layout.addWidget(self.done_invalid, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.done_export_button = QPushButton(self.tr("Export invalid rows…"))
        self.done_export_button.clicked.connect(lambda _c=False: self.export_invalid())
        row.addWidget(self.done_export_button)
        layout.addLayout(row)
        return page

    def go(self, step: int) -> None:
        titles = (
            self.tr("Step 1 of 4: the file"),
            self.tr("Step 2 of 4: the columns"),
            self.tr("Step 3 of 4: dry run (nothing written yet)"),
            self.tr("Step 4 of 4: imported"),
        )
        self.stack.setCurrentIndex(step)
        self.step_label.setText(titles[step])
        self.back_button.setEnabled(step in (COLUMNS, DRY_RUN))
        self.next_button.setVisible(step != DONE)
        self.next_button.setText(self.tr("Import") if step == DRY_RUN else self.tr("Next >"))
        self.next_button.setEnabled(step != FILE or self.path is not None)
        if step == DRY_RUN and self.plan is not None:
            self.next_button.setEnabled(self.plan.households > 0 or self.plan.members > 0)
        self.close_button.setText(
            self.tr("Close") if step == DONE else QCoreApplication.translate("AssistWidgets", "Cancel")
        )

    def back(self) -> None:
        self.message.clear_message()
        self.go(max(FILE, self.stack.currentIndex() - 1))

    def next(self) -> None:
        self.message.clear_message()
        step = self.stack.currentIndex()
        if step == FILE:
            self.read_layout()
        elif step == COLUMNS:
            self.dry_run()
        elif step == DRY_RUN:
            self.apply()

    # --- step 1: the file ---------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a ledger"),
            str(Path.home()),
            self.tr("Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv)"),
        )
        if path:
            self.set_file(Path(path))

    def set_file(self, path: Path) -> None:
        self.path = path
        self.file_edit.setText(str(path))
        self.plan = None
        self.go(FILE)

    def dragEnterEvent(self, event: Any) -> None:
        if any(u.toLocalFile().lower().endswith(SUFFIXES) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.toLocalFile().lower().endswith(SUFFIXES)]
        if files and self.stack.currentIndex() == FILE:
            self.set_file(Path(files[0]))
        event.acceptProposedAction()

    def read_layout(self) -> None:
        path = self.path
        if path is None:
            return
        self.next_button.setEnabled(False)
        Op(self, lambda s, _p: (s.ledger_import.layout(path), ledger_labels())).success(self._layout_read).failure(
            self._refused
        ).run()

    def _layout_read(self, read: tuple[Any, dict[str, str]]) -> None:
        view, labels = read
        path = self._file()
        old = self.stack.widget(COLUMNS)
        assert old is not None, "the stack always holds a columns step"
        self.mapping_widget = MappingWidget(
            view,
            labels,
            lambda s, sheet: s.ledger_import.layout(path, sheet),
            full_ids=self.session.can(permissions.VIEW_FULL_ID),
        )
        self.stack.removeWidget(old)
        old.deleteLater()
        self.stack.insertWidget(COLUMNS, self.mapping_widget)
        self.go(COLUMNS)

    # --- step 2 → 3: the dry run --------------------------------------------------------

    def _file(self) -> Path:
        path = self.path
        assert path is not None, "the file step comes before the others"
        return path

    def _arguments(self) -> dict[str, Any]:
        widget = self.mapping_widget
        assert widget is not None, "the columns step comes before the dry run"
        return {
            "sheet": widget.sheet_name(),
            "mapping": widget.mapping(),
            "programme": self.programme.currentData() or None,
        }

    def dry_run(self) -> None:
        if self.mapping_widget is None or not self.mapping_widget.check():
            return
        path, args = self._file(), self._arguments()
        self.next_button.setEnabled(False)
        (
            Op(self, lambda s, progress: s.ledger_import.plan(path, progress=progress, **args))
            .with_progress(self.tr("Reading the ledger…"), cancellable=True)
            .success(self._planned)
            .on_cancelled(lambda: self.go(COLUMNS))
            .failure(self._refused)
            .run()
        )

    def _planned(self, plan: Any) -> None:
        self.plan = plan
        self.plan_label.setText(
            self.tr(
                "%1 households and %2 members can be imported: %3 records would be created and %4 updated. "
                "%5 rows cannot be imported (listed below); the others are imported without them."
            )
            .replace("%1", str(plan.households))
            .replace("%2", str(plan.members))
            .replace("%3", str(plan.would_create))
            .replace("%4", str(plan.would_update))
            .replace("%5", str(len(plan.invalid_rows)))
        )
        _fill_changes(self.changes, plan.updates)
        self.changes.setVisible(bool(plan.updates))
        self.changes_label.setVisible(bool(plan.updates))
        self.notes_label.setText("\n".join(plan.notes))
        self.notes_label.setVisible(bool(plan.notes))
        _fill_invalid(self.invalid, plan.invalid_rows)
        self.export_button.setEnabled(bool(plan.invalid_rows))
        self.go(DRY_RUN)

    # --- step 3 → 4: the import ---------------------------------------------------------

    def apply(self) -> None:
        path, args = self._file(), self._arguments()
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(False)
        (
            Op(self, lambda s, progress: s.ledger_import.apply(path, progress=progress, **args), write=True)
            .with_progress(self.tr("Importing the ledger…"), cancellable=True)
            .success(self._applied)
            .on_cancelled(self._apply_cancelled)
            .failure(self._refused)
            .run()
        )

    def _apply_cancelled(self) -> None:
        self.go(DRY_RUN)
        self.message.info(self.tr("Cancelled: nothing was imported."))

    def _applied(self, plan: Any) -> None:
        self.imported = plan
        self.plan = plan
        self.done_label.setText(
            self.tr("Imported %1 households and %2 members: %3 records created, %4 updated. %5 rows were not imported.")
            .replace("%1", str(plan.households))
            .replace("%2", str(plan.members))
            .replace("%3", str(plan.would_create))
            .replace("%4", str(plan.would_update))
            .replace("%5", str(len(plan.invalid_rows)))
        )
        self.done_notes.setText("\n".join(plan.notes))
        self.done_notes.setVisible(bool(plan.notes))
        _fill_invalid(self.done_invalid, plan.invalid_rows)
        self.done_invalid.setVisible(bool(plan.invalid_rows))
        self.done_export_button.setVisible(bool(plan.invalid_rows))
        self.go(DONE)

    # --- invalid rows -------------------------------------------------------------------

    def export_invalid(self, path: str | Path | None = None) -> None:
        plan = self.plan
        if plan is None or not plan.invalid_rows:
            return
        if path is None:
            source = self.path or Path("ledger.xlsx")
            suffix = self.tr("invalid rows")
            suggested = source.with_name(f"{source.stem}-{suffix}.xlsx")
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export invalid rows"), str(suggested), self.tr("Excel workbook (*.xlsx)")
            )
            if not path:
                return
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        # A write op: the rows carry personal data leaving the register, which the service may audit.
        Op(self, lambda s, _p: s.ledger_import.export_invalid(plan, target), write=True).success(
            lambda p: self.message.info(self.tr("Exported to %1").replace("%1", str(p)))
        ).failure(self._refused).run()

    def _refused(self, exc: BaseException) -> None:
        self.go(self.stack.currentIndex())  # buttons back as they were
        if not isinstance(exc, DoudiError):
            raise exc
        self.message.error(error_sentence(exc))


def ledger_labels() -> dict[str, str]:
    """Every column a ledger may have, by its usual header (the first synonym), so the clerk can
    point one the guess missed; read in the op with the layout."""
    from ...services.ledger_import import ledger_synonyms

    return {f: words[0] for f, words in ledger_synonyms().items() if words}


def _invalid_table() -> QTableWidget:
    table = QTableWidget(0, 3)
    setup_table(table, stretch=2)
    table.verticalHeader().hide()  # the rows carry their own numbers
    return table


def _fill_invalid(table: QTableWidget, rows: list[Any]) -> None:
    table.setHorizontalHeaderLabels(
        [
            QCoreApplication.translate("Columns", "Row"),
            QCoreApplication.translate("Columns", "Sheet row"),
            QCoreApplication.translate("Columns", "Reason"),
        ]
    )
    table.setRowCount(len(rows))
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for i, r in enumerate(rows):
        table.setItem(i, 0, table_item(str(r.row), right))
        table.setItem(i, 1, table_item(str(r.sheet_row), right))
        table.setItem(i, 2, table_item(r.reason))


def _changes_table() -> QTableWidget:
    table = QTableWidget(0, 2)
    setup_table(table, stretch=1)
    table.verticalHeader().hide()
    return table


def _fill_changes(table: QTableWidget, updates: list[Any]) -> None:
    """Each registered row the import changes, old → new; a renamed person stands out (a typo, usually)."""
    table.setHorizontalHeaderLabels(
        [
            QCoreApplication.translate("Columns", "Sheet row"),
            QCoreApplication.translate("Columns", "Change"),
        ]
    )
    table.setRowCount(len(updates))
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for i, u in enumerate(updates):
        table.setItem(i, 0, table_item(str(u.sheet_row), right))
        item = table_item(u.describe())
        if u.warning:
            item.setForeground(QBrush(QColor("#b00020")))
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            item.setToolTip(u.warning)
        table.setItem(i, 1, item)


def open_ledger_wizard(session: Any, parent: QWidget) -> LedgerImportWizard:
    """The 导入台账 wizard over *parent*, deleted when closed (the main window's menu and the
    户档案 page open it)."""
    wizard = LedgerImportWizard(session, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
