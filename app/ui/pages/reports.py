"""报表 page: pick a paper, see it exactly as it will print, then print it or save it as PDF or Excel.

The register is read and the PDF drawn in one read op (progress, cancel), and the PDF's bytes
stay in memory: a preview file would be the register in plaintext on disk. The preview, the
printer and 另存为 all use that one document, so what the clerk checked on screen is what the
bank or the county gets. The form shows only what the chosen report asks for (a programme, a
village, a household, its switches); the service decides what is allowed and says no in one
sentence, which is shown here with its field outlined.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.policy import months
from ...domain.report import Document, Orientation
from ...errors import InvalidInput
from ...reports import output
from ...services.reports import ReportKind, ReportRequest, default_file_name
from ..i18n import QT_TRANSLATE_NOOP
from ..reports.files import ask_save_path, open_file, remember_folder
from ..reports.preview import FIT_WIDTH, PdfPreview
from ..reports.printing import new_printer, print_pdf
from ..widgets import ERROR_COLOR, WARN_COLOR, MonthEdit, error_sentence, page_title, select_data, village_combo
from .base import Page

__all__ = ["OPTION_NAMES", "ReportsPage"]

# The report switches a builder declares (ReportKind.options), as the page names them.
OPTION_NAMES = {
    "masked_id": QT_TRANSLATE_NOOP("ReportsPage", "Show masked ID numbers on the public list"),
    "blank": QT_TRANSLATE_NOOP("ReportsPage", "Blank form"),
}
ZOOMS = (
    (QT_TRANSLATE_NOOP("ReportsPage", "Fit width"), FIT_WIDTH),
    ("50%", 0.5),
    ("75%", 0.75),
    ("100%", 1.0),
    ("150%", 1.5),
)
# How far back the page looks for the last locked roster (the bank's roster prints from it).
LOCKED_LOOKBACK = 24
# Left column: wide enough for 资金发放花名册 and a village's name at the largest text size.
FORM_WIDTH = 290


def load_catalogue(s: Any, current: str) -> dict[str, Any]:
    """Runs in a read op: the reports, and the last month whose roster is locked (approved or closed),
    the default for the bank's roster, which prints from a locked roster only."""
    last_locked = None
    month = current
    for _ in range(LOCKED_LOOKBACK):
        if s.monthly_close.closed(month) is not None or s.payments.is_approved(month):
            last_locked = month
            break
        month = months.add(month, -1)
    return {"kinds": s.reports.catalogue(), "last_locked": last_locked}


class ReportsPage(Page):
    # The catalogue does not change with the register; a preview is a snapshot the clerk renews.
    tables: frozenset[str] = frozenset()

    def __init__(self, session: Any, parent: QWidget | None = None, today: Any = date.today) -> None:
        super().__init__(session, parent)
        self.today = today
        self.kinds: list[ReportKind] = []
        self.last_locked: str | None = None
        self.month_chosen = False  # the clerk (or a preselected request) set the month
        self.pending: ReportRequest | None = None  # asked for before the catalogue was read
        self.pending_then = ""
        self.then = ""  # what to do once the preview is drawn: "", "print" or "save"
        self.request: ReportRequest | None = None  # what the preview shows
        self.document: Document | None = None
        self.pdf: bytes | None = None
        self.saved_path: Path | None = None
        self._marked: QWidget | None = None
        self._loading_kind = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(page_title(self.tr("Reports")))
        row = QHBoxLayout()
        layout.addLayout(row, 1)
        row.addWidget(self._build_form())
        row.addLayout(self._build_preview(), 1)

    # ------------------------------------------------------------------ building the screen

    def _build_form(self) -> QWidget:
        box = QWidget()
        box.setFixedWidth(FORM_WIDTH)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 8, 0)
        v.addWidget(QLabel(self.tr("Report")))
        self.kind_list = QListWidget()
        self.kind_list.setMinimumHeight(150)
        self.kind_list.currentRowChanged.connect(lambda _row: self._kind_changed())
        self.kind_list.itemActivated.connect(lambda _item: self.generate())
        v.addWidget(self.kind_list, 1)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #555;")
        self.description.hide()
        v.addWidget(self.description)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.month = MonthEdit()
        self.month.month_changed.connect(lambda _m: self._month_touched())
        self.form.addRow(self.tr("Month"), self.month)
        self.programme = QComboBox()
        self.form.addRow(self.tr("Programme"), self.programme)
        self.village = QComboBox()
        self.village.setMinimumContentsLength(8)
        self.form.addRow(self.tr("Village"), self.village)
        self.household = QComboBox()
        self.household.setEditable(True)
        self.household.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.household.setMinimumContentsLength(8)
        line = self.household.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("Name, ID number or household no."))
        line.returnPressed.connect(self.find_households)
        self.find_button = QPushButton(self.tr("Find"))
        self.find_button.clicked.connect(self.find_households)
        self.household_row = QWidget()
        hr = QHBoxLayout(self.household_row)
        hr.setContentsMargins(0, 0, 0, 0)
        hr.addWidget(self.household, 1)
        hr.addWidget(self.find_button)
        self.form.addRow(self.tr("Household"), self.household_row)
        v.addLayout(self.form)
        self.options_box = QVBoxLayout()
        v.addLayout(self.options_box)
        self.option_boxes: dict[str, QCheckBox] = {}
        self.fields: dict[str, QWidget] = {
            "name": self.kind_list,
            "month": self.month,
            "programme": self.programme,
            "village": self.village,
            "household": self.household,
        }

        self.generate_button = QPushButton(self.tr("Generate preview"))
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip(self.tr("Read the register and draw the report (Enter)"))
        self.generate_button.clicked.connect(lambda _checked=False: self.generate())
        self.generate_button.setEnabled(False)
        v.addWidget(self.generate_button)
        for key in ("programme", "village", "household"):
            self._show_row(key, False)
        return box

    def _build_preview(self) -> QVBoxLayout:
        v = QVBoxLayout()
        v.addWidget(self.message)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings.setStyleSheet(f"QLabel {{ color: {WARN_COLOR}; }}")
        self.warnings.hide()
        v.addWidget(self.warnings)
        bar = QHBoxLayout()
        self.pages_label = QLabel(self.tr("No preview yet"))
        bar.addWidget(self.pages_label)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("Zoom")))
        self.zoom = QComboBox()
        for label, factor in ZOOMS:
            self.zoom.addItem(QCoreApplication.translate("ReportsPage", label), factor)
        self.zoom.currentIndexChanged.connect(lambda _i: self.preview.set_zoom(float(self.zoom.currentData())))
        bar.addWidget(self.zoom)
        bar.addSpacing(12)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.clicked.connect(lambda _checked=False: self.ask_print())
        self.save_button = QPushButton(self.tr("Save as…"))
        self.save_button.clicked.connect(lambda _checked=False: self.ask_save())
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Open the saved file in the system's viewer"))
        self.open_button.clicked.connect(lambda _checked=False: self.open_saved())
        for b in (self.print_button, self.save_button, self.open_button):
            b.setEnabled(False)
            bar.addWidget(b)
        v.addLayout(bar)
        self.preview: PdfPreview = PdfPreview()
        v.addWidget(self.preview, 1)
        return v

    def _show_row(self, key: str, visible: bool) -> None:
        widget = self.household_row if key == "household" else self.fields[key]
        self.form.setRowVisible(widget, visible)

    # ------------------------------------------------------------------ the catalogue

    def refresh(self) -> None:
        current = months.of(self.today())
        self.read(lambda s, _p: load_catalogue(s, current)).success(self._catalogue_loaded).failure(
            lambda exc: self.message.error(error_sentence(exc))
        ).run()

    def _catalogue_loaded(self, data: dict[str, Any]) -> None:
        self.kinds = list(data["kinds"])
        self.last_locked = data["last_locked"]
        chosen = self.current_kind()
        self.kind_list.blockSignals(True)
        self.kind_list.clear()
        for kind in self.kinds:
            item = QListWidgetItem(kind.label)
            item.setData(Qt.ItemDataRole.UserRole, kind.name)
            item.setToolTip(kind.description or kind.name)
            self.kind_list.addItem(item)
        self.kind_list.blockSignals(False)
        self.generate_button.setEnabled(bool(self.kinds))
        if not self.kinds:
            self.message.error(self.tr("No report is available yet."))
            return
        names = [k.name for k in self.kinds]
        self.kind_list.setCurrentRow(names.index(chosen.name) if chosen and chosen.name in names else 0)
        self._kind_changed()
        if self.pending is not None:
            request, self.pending = self.pending, None
            self.open_request(request, self.pending_then)

    def current_kind(self) -> ReportKind | None:
        row = self.kind_list.currentRow()
        if 0 <= row < len(self.kinds):
            return self.kinds[row]
        return None

    def _kind_changed(self) -> None:
        """Show only what the chosen report asks for."""
        kind = self.current_kind()
        if kind is None:
            return
        self._loading_kind = True
        self._unmark()
        self.description.setText(kind.description)
        self.description.setVisible(bool(kind.description))
        self.programme.clear()
        if not kind.needs_programme:
            self.programme.addItem(self.tr("All programmes"), "")
        for p in kind.programmes:
            self.programme.addItem(p, p)
        self._show_row("programme", bool(kind.programmes))
        previous = self.village.currentData()
        village_combo(self.village, self.session.office.code, None if kind.needs_village else self.tr("Whole township"))
        if previous:
            select_data(self.village, previous)
        self._show_row("village", kind.uses_village)
        self._show_row("household", kind.uses_household)
        for box in self.option_boxes.values():
            self.options_box.removeWidget(box)
            box.hide()
            box.deleteLater()
        self.option_boxes = {}
        for option in kind.options:
            name = OPTION_NAMES.get(option)
            box = QCheckBox(QCoreApplication.translate("ReportsPage", name) if name else option)
            box.setToolTip(option)
            self.options_box.addWidget(box)
            self.option_boxes[option] = box
        if not self.month_chosen:
            default = self.last_locked if kind.needs_closed_month and self.last_locked else months.of(self.today())
            self.month.set_month(default)
        self._loading_kind = False

    def _month_touched(self) -> None:
        if not self._loading_kind:
            self.month_chosen = True

    # ------------------------------------------------------------------ a household

    def find_households(self) -> None:
        text = self.household.currentText().strip()
        if len(text) < 1:
            return

        def found(rows: list[tuple[str, str, str, str]]) -> None:
            self.household.blockSignals(True)
            self.household.clear()
            for household_id, name, id_number, village in rows:
                self.household.addItem(f"{name}　{village}　{id_number}", household_id)
            self.household.blockSignals(False)
            if rows:
                self.household.setCurrentIndex(0)
                self.household.showPopup()
            else:
                self.household.setEditText(text)
                self.message.error(self.tr("No one in the register matches “%1”.").replace("%1", text))

        self.read(lambda s, _p: s.households.find_people(text)).success(found).failure(
            lambda exc: self.message.error(error_sentence(exc))
        ).run()

    def household_id(self) -> str | None:
        """The household chosen in the list, or an id typed as it is."""
        index = self.household.currentIndex()
        if index >= 0 and self.household.itemText(index) == self.household.currentText():
            return str(self.household.itemData(index))
        return self.household.currentText().strip() or None

    # ------------------------------------------------------------------ the request

    def current_request(self) -> ReportRequest | None:
        kind = self.current_kind()
        if kind is None:
            return None
        return ReportRequest(
            name=kind.name,
            month=self.month.month(),
            programme=(self.programme.currentData() or None) if kind.programmes else None,
            village=(self.village.currentData() or None) if kind.uses_village else None,
            household=self.household_id() if kind.uses_household else None,
            options=frozenset(o for o, box in self.option_boxes.items() if box.isChecked()),
        )

    def open_request(self, request: ReportRequest, then: str = "") -> None:
        """Preselect *request* (from the 救助 or 月结 page) and draw it; *then* ``"print"`` or ``"save"``
        opens the printer or the save dialog once the preview is there."""
        if not self.kinds:
            # Drawn once the catalogue is read (it is read when the page shows).
            self.pending, self.pending_then = request, then
            return
        names = [k.name for k in self.kinds]
        if request.name not in names:
            self.message.error(self.tr("No report named “%1”.").replace("%1", request.name))
            return
        self.kind_list.setCurrentRow(names.index(request.name))
        self.month.set_month(request.month)
        self.month_chosen = True
        # What the request leaves out is "all" (when the report allows it), not the last choice made here.
        select_data(self.programme, request.programme or "")
        select_data(self.village, request.village or "")
        if request.household:
            self.household.clear()
            self.household.setEditText(request.household)
        for option, box in self.option_boxes.items():
            box.setChecked(option in request.options)
        self.then = then
        self.generate()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.generate()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ generating

    def generate(self) -> None:
        request = self.current_request()
        if request is None:
            return
        self._unmark()
        self.message.clear_message()
        self.generate_button.setEnabled(False)

        def work(s: Any, progress: Any) -> tuple[ReportRequest, Document, bytes]:
            # The checked request names the household by its id (not by what was typed, which may be
            # an ID number): 另存为 takes its default file name from it.
            checked = s.reports.checked(request)
            document = s.reports.build(checked, progress)
            progress.update(label=QCoreApplication.translate("ReportsPage", "Drawing the pages…"))
            return checked, document, output.render(document, ".pdf", progress)

        (
            self.read(work)
            .with_progress(self.tr("Reading the register for the report…"), cancellable=True)
            .success(self._generated)
            .failure(self._refused)
            .on_cancelled(self._generation_cancelled)
            .run()
        )

    def _generation_cancelled(self) -> None:
        self.generate_button.setEnabled(True)
        self.then = ""

    def _generated(self, result: tuple[ReportRequest, Document, bytes]) -> None:
        self.generate_button.setEnabled(True)
        self.request, self.document, self.pdf = result
        self.saved_path = None
        self.preview.set_pdf(self.pdf)
        self._show_pages()
        warnings = self.document.warnings
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))
        for b in (self.print_button, self.save_button):
            b.setEnabled(True)
        self.open_button.setEnabled(False)
        then, self.then = self.then, ""
        if then == "print":
            self.ask_print()
        elif then == "save":
            self.ask_save()

    def _show_pages(self) -> None:
        count = self.preview.page_count()
        title = self.document.title if self.document else ""
        self.pages_label.setText(self.tr("%1 · pages: %2").replace("%1", title).replace("%2", str(count)))

    def _refused(self, exc: BaseException) -> None:
        self.generate_button.setEnabled(True)
        self.then = ""
        self.clear_preview()
        self.message.error(error_sentence(exc))
        if isinstance(exc, InvalidInput):
            self._mark(exc.field or "")

    def clear_preview(self) -> None:
        self.request, self.document, self.pdf, self.saved_path = None, None, None, None
        self.preview.clear()
        self.pages_label.setText(self.tr("No preview yet"))
        self.warnings.hide()
        for b in (self.print_button, self.save_button, self.open_button):
            b.setEnabled(False)

    def _mark(self, field: str) -> None:
        """Say which field the refusal is about: its label in red (an outline drawn on a month or a
        combo box by a style sheet loses their arrows), and the cursor there."""
        widget = self.fields.get(field)
        if widget is None and field == "options" and self.option_boxes:
            widget = next(iter(self.option_boxes.values()))
        if widget is None:
            return
        row = self.household_row if widget is self.household else widget
        label = self.form.labelForField(row)
        shown = label if isinstance(label, QLabel) else widget
        shown.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;")
        widget.setFocus()
        self._marked = shown

    def marked(self) -> QWidget | None:
        """The label (or widget) marked by the last refusal."""
        return self._marked

    def _unmark(self) -> None:
        if self._marked is not None:
            self._marked.setStyleSheet("")
            self._marked = None

    # ------------------------------------------------------------------ printing

    def ask_print(self) -> None:
        if self.pdf is None or self.document is None:
            return
        printer = new_printer(self.document.orientation == Orientation.LANDSCAPE)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print %1").replace("%1", self.document.title))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print the previewed PDF on *printer* with a progress dialog; returns the pages sent."""
        if self.pdf is None:
            return 0
        total = self.preview.page_count()
        dialog = QProgressDialog(self.tr("Printing…"), self.tr("Cancel"), 0, total, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def step(done: int, total: int) -> bool:
            dialog.setValue(done)
            label = self.tr("Printing page %1 of %2…").replace("%1", str(min(done + 1, total)))
            dialog.setLabelText(label.replace("%2", str(total)))
            QCoreApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            printed = print_pdf(self.pdf, printer, step)
        except OSError as exc:
            self.message.error(self.tr("The printer could not be opened: %1").replace("%1", str(exc)))
            return 0
        finally:
            dialog.close()
        if printed < total:
            text = self.tr("Printing cancelled after %1 of %2 pages.").replace("%1", str(printed))
            self.message.error(text.replace("%2", str(total)))
        else:
            self.message.info(self.tr("%1 pages sent to the printer.").replace("%1", str(printed)))
        return printed

    # ------------------------------------------------------------------ saving

    def ask_save(self) -> None:
        if self.request is None:
            return
        path = ask_save_path(self, default_file_name(self.request, ".pdf"))
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        """Write the previewed report to *path*, PDF or Excel by its suffix, in an op."""
        document, pdf = self.document, self.pdf
        if document is None:
            return
        self.save_button.setEnabled(False)
        (
            self.read(lambda _s, progress: output.save(document, path, progress, pdf=pdf))
            .with_progress(self.tr("Saving %1…").replace("%1", path.name), cancellable=True)
            .success(self._saved)
            .failure(self._save_failed)
            .on_cancelled(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _saved(self, path: Path) -> None:
        self.save_button.setEnabled(True)
        self.saved_path = path
        remember_folder(path)
        self.open_button.setEnabled(True)
        self.message.info(self.tr("Saved to %1").replace("%1", str(path)))

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.error(error_sentence(exc))

    def open_saved(self) -> bool:
        if self.saved_path is None:
            return False
        opened = open_file(self.saved_path)
        if not opened:
            self.message.error(self.tr("No program on this PC opens %1.").replace("%1", self.saved_path.name))
        return opened
