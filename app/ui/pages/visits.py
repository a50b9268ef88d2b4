"""This month's home visits (入户核查): who is due, the visit form, and a quick mode.

The due list comes from ``VisitService.due(month)`` (overdue and riskiest first), loaded
off the GUI thread; saving is a write op through ``VisitService.record`` and the household
leaves the list. Quick mode walks the list: Ctrl+Enter saves and moves to the next household,
Skip moves on without saving. A visit recorded anywhere (here, or from another page) reaches
this page as the op's changes; the list reloads without touching a form being filled in.

Each 两不愁三保障 item starts unanswered and must be marked assured or not (a careless save
must not record "all assured"); an item marked not assured opens its own one-line note, which
is required (what is wrong with the housing, not only that something is);
"Visit another household…" records an ad-hoc visit
(临时救助入户, 回访) of any household; a recent visit opens in the form to be corrected or deleted.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import vocab
from ...domain.entities import RISK_NAMES, ValidationError, Visit, split_names
from ...domain.months import next_month_start
from ...errors import ChangedMeanwhile, DoudiError
from ...services import permissions
from ..fonts import follow_text_size
from ..household_editor.visits_tab import findings
from ..i18n import QT_TRANSLATE_NOOP
from ..ops import Op
from ..widgets import CheckList, DateEdit, FieldError, MonthEdit, error_sentence
from ..widgets.form_dialog import BAD_FIELD_STYLE, FormDialog, open_dialog
from ..widgets.tables import fit_headers
from .base import Page

DUE_HEADERS = (
    QT_TRANSLATE_NOOP("Columns", "Village"),
    QT_TRANSLATE_NOOP("Columns", "Head of household"),
    QT_TRANSLATE_NOOP("Columns", "Risk"),
    QT_TRANSLATE_NOOP("Columns", "Last visit"),
)
CHECKLIST = (
    ("food_ok", QT_TRANSLATE_NOOP("VisitsPage", "Enough to eat (吃)")),
    ("clothing_ok", QT_TRANSLATE_NOOP("VisitsPage", "Enough to wear (穿)")),
    ("schooling_ok", QT_TRANSLATE_NOOP("VisitsPage", "Compulsory schooling (义务教育)")),
    ("medical_ok", QT_TRANSLATE_NOOP("VisitsPage", "Basic medical care (基本医疗)")),
    ("housing_ok", QT_TRANSLATE_NOOP("VisitsPage", "Safe housing (住房安全)")),
    ("water_ok", QT_TRANSLATE_NOOP("VisitsPage", "Safe drinking water (饮水安全)")),
)
OVERDUE = QColor("#fdecea")


class DueModel(QAbstractTableModel):
    """The due households (a plain list: thousands of small dataclasses, no widgets)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items = []

    def set_items(self, items) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def remove_id(self, household_id: str) -> int | None:
        for row, d in enumerate(self.items):
            if d.household_id == household_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.items[row]
                self.endRemoveRows()
                return row
        return None

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(DUE_HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Columns", DUE_HEADERS[section])
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        d = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                d.village,
                d.head_name,
                RISK_NAMES.get(d.risk_level, ""),
                d.last_visit or QCoreApplication.translate("VisitsPage", "never"),
            )[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and d.overdue:
            return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.ToolTipRole and d.overdue:
            return QCoreApplication.translate("VisitsPage", "Overdue: not visited last month either")
        return None


class Assurance(QWidget):
    """One 两不愁三保障 item: unanswered until the visitor marks it assured or not assured.

    Not assured opens the item's own note line under it (required); what is typed there stays
    if the visitor flips back and forth, but only a not-assured item's note is saved.
    """

    def __init__(self, label: str, parent=None):
        super().__init__(parent)
        self.label = QLabel(label, self)
        self.yes = QRadioButton(QCoreApplication.translate("VisitsPage", "Assured"), self)
        self.no = QRadioButton(QCoreApplication.translate("VisitsPage", "Not assured"), self)
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(QCoreApplication.translate("VisitsPage", "What is wrong (required)"))
        self.note.setAccessibleName(QCoreApplication.translate("VisitsPage", "Note on %1").replace("%1", label))
        self.note.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addLayout(row)
        lay.addWidget(self.note)
        self.no.toggled.connect(self._show_note)
        self.note.textChanged.connect(lambda _t: self.mark_missing(False))

    def value(self) -> bool | None:
        return True if self.yes.isChecked() else (False if self.no.isChecked() else None)

    def set_value(self, value: bool | None, note: str = "") -> None:
        # An exclusive group cannot uncheck its checked button: lift the rule for a moment.
        self.group.setExclusive(False)
        self.yes.setChecked(value is True)
        self.no.setChecked(value is False)
        self.group.setExclusive(True)
        self.note.setText(note)
        self._show_note(value is False)

    def note_text(self) -> str:
        """The note, if this item is marked not assured ("" otherwise)."""
        return self.note.text().strip() if self.value() is False else ""

    def needs_note(self) -> bool:
        return self.value() is False and not self.note_text()

    def mark_missing(self, on: bool) -> None:
        self.note.setStyleSheet(BAD_FIELD_STYLE if on else "")

    def _show_note(self, on: bool) -> None:
        self.note.setVisible(on)
        self.note.setEnabled(on and self.no.isEnabled())
        if not on:
            self.mark_missing(False)


class HouseholdPicker(QDialog):
    """Find any household by a member's name, ID or pinyin, for an ad-hoc visit."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Visit another household"))
        self.chosen: tuple[str, str] | None = None  # (household id, title)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Name, ID number or pinyin initials of anyone in the household"))
        self.results = QListWidget(self)
        self.hint = QLabel(self.tr("Type at least one character."), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Visit this household"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.search)
        lay.addWidget(self.hint)
        lay.addWidget(self.results, 1)
        lay.addWidget(buttons)
        self.setMinimumSize(480, 360)
        self.search.textChanged.connect(self._find)
        self.results.itemDoubleClicked.connect(lambda _i: self.accept())

    def _find(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.results.clear()
            self.hint.setText(self.tr("Type at least one character."))
            return
        (
            Op(self, lambda s, _p: s.register.find_people(text, 30))
            .success(lambda people: self._show(text, people))
            .failure(lambda exc: self.hint.setText(error_sentence(exc)))
            .run()
        )

    def _show(self, text: str, people) -> None:
        if text != self.search.text().strip():
            return  # typed on meanwhile: a newer search is coming
        self.results.clear()
        for hid, name, id_number, village in people:
            item = QListWidgetItem(f"{village}　{name}　{id_number}")
            item.setData(Qt.ItemDataRole.UserRole, (hid, f"{village}　{name}"))
            self.results.addItem(item)
        self.hint.setText(self.tr("No one found.") if not people else "")
        if people:
            self.results.setCurrentRow(0)

    def accept(self) -> None:
        item = self.results.currentItem()
        if item is None:
            self.hint.setText(self.tr("Choose a household from the list."))
            return
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        super().accept()


class VisitsPage(Page):
    tables = frozenset({"visits", "households"})

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.can_write = session.can(permissions.WRITE_REGISTER)
        self._loading = False
        self._reload_pending = False
        self._saving = False
        self._choose_first = True  # the first load, and a new month, start on the first household
        self._adhoc: tuple[str, str] | None = None  # (household id, title) of a household not on the list
        self._editing: Visit | None = None  # a saved visit open for correction
        self._recent_visits: list[Visit] = []
        self.dialog: QDialog | None = None

        left = self._build_due_list()
        right = self._build_form()
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([460, 860])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.message)
        layout.addWidget(split)
        self._wire()
        self._set_form_enabled(False)

    def _build_due_list(self) -> QWidget:
        """Left side: month, progress, and the households due."""
        self.month = MonthEdit(parent=self, latest="now")
        self.progress_label = QLabel(self)
        self.quick = QCheckBox(self.tr("&Quick mode: after saving, go to the next household"), self)
        self.due_model = DueModel(self)
        self.due_view = QTableView(self)
        self.due_view.setModel(self.due_model)
        self.due_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.due_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.due_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.due_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.due_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.due_view.horizontalHeader().setStretchLastSection(True)
        for i, width in enumerate((120, 90, 50)):
            self.due_view.setColumnWidth(i, width)
        fit_headers(self.due_view)  # the English headers are longer than the widths chosen for Chinese
        self.due_view.setWordWrap(False)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Month")))
        top.addWidget(self.month)
        top.addWidget(self.progress_label, 1)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(top)
        ll.addWidget(self.due_view, 1)
        ll.addWidget(self.quick)
        self.other_button = QPushButton(self.tr("&Visit another household…"), self)
        self.other_button.setToolTip(
            self.tr("An ad-hoc visit (临时救助入户, 回访) of a household that is not on this month's list")
        )
        self.other_button.setVisible(self.can_write)
        ll.addWidget(self.other_button)
        return left

    def _build_form(self) -> QWidget:
        """Right side: the visit form, its buttons, and the household's recent visits."""
        self.title = QLabel(self)
        follow_text_size(self.title, 1.2, bold=True)
        self.visit_date = DateEdit(date.today(), self, maximum=date.today())
        self.visitors = QLineEdit(self)
        self.visitors.setPlaceholderText(self.tr("At least two names, separated by 、"))
        self.visitors_hint = QLabel(self)
        self.visitors_hint.setStyleSheet("color: #8a5a00;")
        self.kind = QComboBox(self)
        self.kind.addItems(Visit.KINDS)
        self.checks: dict[str, Assurance] = {}
        checklist = QGroupBox(self.tr("两不愁三保障 — mark each item"), self)
        cl = QGridLayout(checklist)
        cl.setVerticalSpacing(2)
        cl.setHorizontalSpacing(24)
        for i, (attr, label) in enumerate(CHECKLIST):
            item = Assurance(QCoreApplication.translate("VisitsPage", label), checklist)
            self.checks[attr] = item
            cl.addWidget(item, i // 2, i % 2)
        self.all_assured = QPushButton(self.tr("&All assured"), checklist)
        self.all_assured.setToolTip(self.tr("Mark all six items assured, after checking each of them"))
        cl.addWidget(self.all_assured, 3, 1, Qt.AlignmentFlag.AlignRight)
        self.income_change = QComboBox(self)
        self.income_change.addItems(vocab.INCOME_CHANGES)
        self.risk_signs = CheckList(vocab.RISK_SIGNS, columns=4, parent=self)
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(60)
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("Anything else worth recording (each item not assured has its own note)"))
        self.next_due = DateEdit(next_month_start(date.today()), self)
        for w in (self.visit_date, self.next_due, self.income_change, self.kind):
            w.setMaximumWidth(180)
        self.errors = {
            f: FieldError(self)
            for f in (
                "visit_date",
                "visitors",
                "kind",
                "checklist",
                "item_notes",
                "income_change",
                "notes",
                "next_due",
                "",
            )
        }

        form = QFormLayout()
        form.addRow(self.tr("Visit date"), _stack(self.visit_date, self.errors["visit_date"]))
        form.addRow(self.tr("Visitors"), _stack(self.visitors, self.visitors_hint, self.errors["visitors"]))
        form.addRow(self.tr("Kind of visit"), _stack(self.kind, self.errors["kind"]))
        form.addRow(_stack(checklist, self.errors["checklist"], self.errors["item_notes"]))
        form.addRow(self.tr("Income change"), _stack(self.income_change, self.errors["income_change"]))
        form.addRow(self.tr("Risk signs"), self.risk_signs)
        form.addRow(self.tr("Notes"), _stack(self.notes, self.errors["notes"]))
        form.addRow(self.tr("Next visit due"), _stack(self.next_due, self.errors["next_due"]))

        self.save_button = QPushButton(self.tr("&Save visit"), self)
        self.save_button.setToolTip(self.tr("Ctrl+S: save; Ctrl+Enter: save and go to the next household"))
        self.skip_button = QPushButton(self.tr("S&kip"), self)
        self.skip_button.setToolTip(self.tr("Go to the next household without saving"))
        self.save_button.setVisible(self.can_write)
        self.delete_button = QPushButton(self.tr("&Delete visit…"), self)
        self.delete_button.setToolTip(self.tr("Delete this visit, recorded by mistake (a reason is asked)"))
        self.cancel_edit_button = QPushButton(self.tr("Cancel correction"), self)
        # Photos of the home and papers seen there, for a visit once it is saved.
        self.photos_button = QPushButton(self.tr("&Photos and papers…"), self)
        self.photos_button.setToolTip(self.tr("Attach photos or scans to this visit"))
        self.photos_button.clicked.connect(lambda _checked=False: self.open_photos())
        self.photos_button.hide()
        self._photos_of: Visit | None = None
        self.photos: QDialog | None = None
        self.delete_button.hide()
        self.cancel_edit_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.errors[""], 1)
        buttons.addStretch(1)
        buttons.addWidget(self.photos_button)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.cancel_edit_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)

        recent_head = self._build_recent()

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.title)
        rl.addLayout(form)
        rl.addLayout(buttons)
        rl.addLayout(recent_head)
        rl.addWidget(self.recent)
        rl.addStretch(1)
        return right

    def _build_recent(self) -> QHBoxLayout:
        """The household's recent visits, each one open to correction."""
        self.recent = QTableWidget(0, 5, self)
        self.recent.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Kind"), self.tr("Visitors"), self.tr("Income"), self.tr("Concerns")]
        )
        self.recent.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.recent.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.recent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent.verticalHeader().setVisible(False)
        self.recent.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((90, 90, 120, 70)):
            self.recent.setColumnWidth(col, width)
        self.recent.setMaximumHeight(150)
        self.recent.setWordWrap(False)
        self.recent.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recent.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.recent.setToolTip(self.tr("Double-click a visit to correct or delete it"))
        self.open_visit_button = QPushButton(self.tr("C&orrect or delete…"), self)
        self.open_visit_button.setToolTip(self.tr("Open the selected visit in the form above"))
        self.open_visit_button.setVisible(self.can_write)
        self.open_visit_button.setEnabled(False)
        recent_head = QHBoxLayout()
        recent_head.addWidget(QLabel(self.tr("Recent visits to this household")), 1)
        recent_head.addWidget(self.open_visit_button)
        return recent_head

    def _wire(self) -> None:
        self.month.dateChanged.connect(lambda _d: self._month_changed())
        self.due_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select(cur.row()))
        self.visitors.textChanged.connect(self._check_visitors)
        self.save_button.clicked.connect(lambda: self.save(advance=self.quick.isChecked()))
        self.skip_button.clicked.connect(self.skip)
        self.other_button.clicked.connect(self.visit_other)
        self.all_assured.clicked.connect(self.mark_all_assured)
        self.delete_button.clicked.connect(self.delete_visit)
        self.cancel_edit_button.clicked.connect(self.cancel_correction)
        self.open_visit_button.clicked.connect(lambda: self.open_visit(self.recent.currentRow()))
        self.recent.cellDoubleClicked.connect(lambda row, _col: self.open_visit(row))
        self.recent.itemSelectionChanged.connect(
            lambda: self.open_visit_button.setEnabled(self.can_write and self.recent.currentRow() >= 0)
        )
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self).activated.connect(lambda: self.save(advance=True))
        QShortcut(QKeySequence("Ctrl+K"), self).activated.connect(self.skip)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(
            lambda: self.save(advance=self.quick.isChecked())
        )
        # Tab walks the form top to bottom, then the buttons (the widgets are made in another order).
        order = [
            self.visit_date,
            self.visitors,
            self.kind,
            *(w for c in self.checks.values() for w in (c.yes, c.no, c.note)),
            self.all_assured,
            self.income_change,
            *self.risk_signs.boxes.values(),
            self.notes,
            self.next_due,
            self.photos_button,
            self.delete_button,
            self.cancel_edit_button,
            self.skip_button,
            self.save_button,
            self.recent,
            self.open_visit_button,
            self.due_view,
            self.quick,
            self.other_button,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- loading ---------------------------------------------------------------

    def current_month(self) -> str:
        return self.month.month()

    def _month_changed(self) -> None:
        self._choose_first = True
        self.refresh()

    def refresh(self) -> None:
        if self._loading:  # one load at a time; the last request wins
            self._reload_pending = True
            return
        self._loading = True
        month = self.current_month()

        def work(s, _progress):
            return s.visits.due(month), s.visits.progress(month)

        self.read(work).success(self._loaded).failure(self._load_failed).run()

    def _loaded(self, result) -> None:
        self._loading = False
        if self._reload_pending:
            self._reload_pending = False
            self.refresh()
            return
        due, progress = result
        keep = self.current_id()
        choose_first, self._choose_first = self._choose_first, False
        self.due_model.set_items(due)
        self._show_progress(progress)
        if self._adhoc is not None:
            # An ad-hoc visit is being filled in: the list changed beside it, the form stays.
            self._load_recent(self._adhoc[0])
            return
        row = next((i for i, d in enumerate(due) if d.household_id == keep), None)
        if row is not None:
            # Still due: select it again without resetting what is typed in the form.
            self._reselect(row)
        elif keep is not None or choose_first:
            self._go(0 if due else None)
        # else nothing was selected on purpose (just after a save): keep the "saved" title

    def _reselect(self, row: int) -> None:
        index = self.due_model.index(row, 0)
        selection = self.due_view.selectionModel()
        selection.blockSignals(True)
        try:
            self.due_view.setCurrentIndex(index)
            self.due_view.selectRow(row)
        finally:
            selection.blockSignals(False)
        self.due_view.viewport().update()
        self._load_recent(self.due_model.items[row].household_id)

    def _load_failed(self, exc) -> None:
        self._loading = False
        self._reload_pending = False
        self.progress_label.setText(
            error_sentence(exc) if isinstance(exc, DoudiError) else self.tr("Could not load the list.")
        )
        if not isinstance(exc, DoudiError):
            raise exc

    def _show_progress(self, progress) -> None:
        done, total = progress
        self.progress_label.setText(
            self.tr("Visited %1 of %2; %3 still due")
            .replace("%1", str(done))
            .replace("%2", str(total))
            .replace("%3", str(len(self.due_model.items)))
        )

    # --- selection -------------------------------------------------------------

    def current_id(self) -> str | None:
        if self._adhoc is not None:
            return self._adhoc[0]
        row = self.due_view.currentIndex().row()
        return self.due_model.items[row].household_id if 0 <= row < len(self.due_model.items) else None

    def _go(self, row: int | None) -> None:
        if row is None or not self.due_model.items:
            self.due_view.setCurrentIndex(QModelIndex())
            self._select(-1)
            return
        row = max(0, min(row, len(self.due_model.items) - 1))
        index = self.due_model.index(row, 0)
        self.due_view.setCurrentIndex(index)
        self.due_view.selectRow(row)
        self.due_view.scrollTo(index)
        self._select(row)

    def _select(self, row: int) -> None:
        items = self.due_model.items
        self._adhoc = None
        self._editing = None
        if not 0 <= row < len(items):
            self.title.setText(
                self.tr("No household selected")
                if items
                else self.tr("Every household under watch has been visited this month.")
            )
            self.recent.setRowCount(0)
            self._recent_visits = []
            self._set_form_enabled(False)
            return
        self._reset_form()
        self._set_form_enabled(self.can_write and not self._saving)
        self.recent.setRowCount(0)
        self._load_recent(items[row].household_id)

    def _load_recent(self, household_id: str) -> None:
        (
            self.read(lambda s, _p: s.visits.for_household(household_id)[:6])
            .success(lambda visits: self._show_recent(household_id, visits))
            .failure(lambda exc: self.message.error(error_sentence(exc)))
            .run()
        )

    def _show_recent(self, household_id: str, visits) -> None:
        if household_id != self.current_id():
            return  # the clerk has moved on meanwhile
        self._recent_visits = list(visits)
        self.recent.setRowCount(len(visits))
        for r, v in enumerate(visits):
            concerns = "；".join(findings(v) + v.risk_signs) or self.tr("none")
            when = v.visit_date.isoformat() if v.visit_date else ""
            for c, text in enumerate((when, v.kind, v.visitors, v.income_change, concerns)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.recent.setItem(r, c, item)

    def _set_form_enabled(self, on: bool) -> None:
        for w in (
            self.visit_date,
            self.visitors,
            self.kind,
            self.income_change,
            self.risk_signs,
            self.notes,
            self.next_due,
            self.save_button,
            self.skip_button,
            self.all_assured,
            *self.checks.values(),
        ):
            w.setEnabled(on)
        for item in self.checks.values():
            item.note.setEnabled(on and item.value() is False)

    def _reset_form(self) -> None:
        """A fresh visit; the date and visitors stay (the same team visits the next house).

        Every checklist item starts unanswered: only what the visitors marked is recorded.
        """
        self._editing = None
        self._show_editing(False)
        for item in self.checks.values():
            item.set_value(None)
        self.kind.setCurrentIndex(0)
        self.income_change.setCurrentIndex(0)
        self.risk_signs.set_values([])
        self.notes.clear()
        self.next_due.set_value(next_month_start(self.visit_date.value()))
        for err in self.errors.values():
            err.clear_error()

    def _check_visitors(self) -> None:
        names = split_names(self.visitors.text())
        self.visitors_hint.setText(
            "" if len(names) != 1 else self.tr("The rules ask for at least two visitors; separate names with 、")
        )
        self.visitors_hint.setVisible(len(names) == 1)

    # --- saving ----------------------------------------------------------------

    def visit_from_form(self) -> Visit:
        """The visit as typed (GUI thread); the service checks it again when it records it."""
        v = Visit(
            id=self._editing.id if self._editing else "",
            updated_at=self._editing.updated_at if self._editing else "",
            household_id=self.current_id() or "",
            visit_date=self.visit_date.value(),
            visitors=self.visitors.text().strip(),
            income_change=self.income_change.currentText(),
            risk_signs=self.risk_signs.values(),
            notes=self.notes.toPlainText().strip(),
            next_due=self.next_due.value(),
            kind=self.kind.currentText(),
            item_notes={attr: item.note_text() for attr, item in self.checks.items() if item.note_text()},
        )
        for attr, item in self.checks.items():
            setattr(v, attr, item.value() is not False)  # unanswered is refused by save() before this counts
        return v

    def unanswered(self) -> list[str]:
        """The checklist items not yet marked, by their labels."""
        return [item.label.text() for item in self.checks.values() if item.value() is None]

    def save(self, advance: bool = False) -> bool:
        """Check the form here (a bad field is marked at once), then record the visit in a write op.

        False when nothing was sent (no household, no right, a bad field, a save still running).
        The due list and the progress line reload from the op's changes.
        """
        if not self.can_write or self.current_id() is None or self._saving:
            return False
        for err in self.errors.values():
            err.clear_error()
        missing = self.unanswered()
        if missing:
            self.errors["checklist"].show_error(
                self.tr("Mark each item assured or not assured; not yet marked: %1").replace("%1", "、".join(missing))
            )
        visit = self.visit_from_form()
        try:
            visit.validate()
        except ValidationError as exc:
            self._show_refusal(exc)
            return False
        if missing:
            return False
        saved_title = self.title.text()
        self._set_saving(True)
        if self._editing is not None:
            read_version = self._editing.updated_at
            (
                self.write(lambda s, _p: s.visits.correct(visit, read_version=read_version))
                .success(self._corrected)
                .failure(self._save_refused)
                .run()
            )
            return True
        (
            self.write(lambda s, _p: s.visits.record(visit))
            .success(lambda v: self._saved(visit.household_id, saved_title, advance, v))
            .failure(self._save_refused)
            .run()
        )
        return True

    def _set_saving(self, on: bool) -> None:
        self._saving = on
        self.save_button.setEnabled(self.can_write and not on and self.current_id() is not None)

    def _saved(self, household_id: str, saved_title: str, advance: bool, visit: Visit | None = None) -> None:
        self._set_saving(False)
        if self._adhoc is not None:
            self._adhoc = None
            self._go(None)
            self.title.setText(self.tr("Visit to %1 saved.").replace("%1", saved_title))
            self._offer_photos(visit)
            return
        row = self.due_model.remove_id(household_id)
        # the list shrank: the household that followed is now at the same row
        self._go(row if advance else None)
        # Photos go with the visit just saved, unless quick mode moved on to the next household.
        self._offer_photos(None if advance else visit)
        if advance and self.current_id() is not None:
            next(iter(self.checks.values())).yes.setFocus()  # date and visitors stay: the checklist is next
        elif self.due_model.items:
            self.title.setText(
                self.tr("Visit to %1 saved. Choose the next household on the left.").replace("%1", saved_title)
            )

    def _save_refused(self, exc: BaseException) -> None:
        self._set_saving(False)
        if not isinstance(exc, DoudiError):
            raise exc
        self._show_refusal(exc)
        if isinstance(exc, ChangedMeanwhile):
            self._load_recent(self.current_id() or "")  # show what is stored now; the form keeps what was typed

    def _show_refusal(self, exc: BaseException) -> None:
        field = getattr(exc, "field", "") or ""
        text = exc.message if isinstance(exc, ValidationError) else error_sentence(exc)
        self.errors[field if field in self.errors else ""].show_error(text)
        if field == "item_notes":
            missing = [item for item in self.checks.values() if item.needs_note()]
            for item in missing:
                item.mark_missing(True)
            if missing:
                missing[0].note.setFocus()

    # --- ad-hoc visits, corrections --------------------------------------------

    def visit_other(self) -> None:
        """Pick any household by search, for an ad-hoc visit (临时救助入户 unless changed)."""
        if not self.can_write:
            return
        picker = HouseholdPicker(self)
        self.dialog = picker
        picker.finished.connect(lambda _r: setattr(self, "dialog", None))
        picker.accepted.connect(lambda: self._picked(picker.chosen))
        picker.open()

    def _picked(self, chosen: tuple[str, str] | None) -> None:
        if chosen is not None:
            self.start_adhoc(*chosen)

    def mark_all_assured(self) -> None:
        for item in self.checks.values():
            item.set_value(True)

    def start_adhoc(self, household_id: str, title: str) -> None:
        selection = self.due_view.selectionModel()
        selection.blockSignals(True)
        try:
            self.due_view.setCurrentIndex(QModelIndex())
            self.due_view.clearSelection()
        finally:
            selection.blockSignals(False)
        self._adhoc = (household_id, title)
        self._reset_form()
        self.kind.setCurrentText(Visit.KINDS[1])
        self._set_form_enabled(not self._saving)
        self.recent.setRowCount(0)
        self._load_recent(household_id)
        self.visitors.setFocus()

    def open_visit(self, row: int) -> None:
        """Put a recent visit in the form, to correct it or delete it."""
        if not self.can_write or not 0 <= row < min(len(self._recent_visits), self.recent.rowCount()):
            return
        v = self._recent_visits[row]
        self._reset_form()
        self._editing = v
        if v.visit_date is not None:
            self.visit_date.set_value(v.visit_date)
        self.visitors.setText(v.visitors)
        self.kind.setCurrentText(v.kind)
        for attr, item in self.checks.items():
            item.set_value(bool(getattr(v, attr)), v.item_note(attr))
        self.income_change.setCurrentText(v.income_change)
        self.risk_signs.set_values(list(v.risk_signs))
        self.notes.setPlainText(v.notes)
        if v.next_due is not None:
            self.next_due.set_value(v.next_due)
        self._set_form_enabled(not self._saving)
        self._show_editing(True)

    def _offer_photos(self, visit: Visit | None) -> None:
        """Offer the photos of *visit* (one just saved, or open for correction); None hides the offer."""
        self._photos_of = visit if visit is not None and visit.id else None
        self.photos_button.setVisible(self._photos_of is not None)

    def open_photos(self) -> QDialog | None:
        from ..attachments import open_attachments

        v = self._photos_of
        if v is None:
            return None
        when = v.visit_date.isoformat() if v.visit_date else ""
        self.photos = open_attachments(
            self, "visits", v.id, self.tr("Photos and papers of the visit of %1").replace("%1", when)
        )
        return self.photos

    def _show_editing(self, on: bool) -> None:
        self._offer_photos(self._editing if on else None)
        self.save_button.setText(self.tr("&Save correction") if on else self.tr("&Save visit"))
        self.delete_button.setVisible(on and self.can_write)
        self.cancel_edit_button.setVisible(on)
        self.skip_button.setVisible(not on)
        if on and self._editing is not None and self._editing.visit_date is not None:
            self.title.setText(
                self.tr("%1 — correcting the visit of %2")
                .replace("%1", self.household_title())
                .replace("%2", self._editing.visit_date.isoformat())
            )
        elif self.current_id() is not None:
            self.title.setText(self.household_title())

    def household_title(self) -> str:
        if self._adhoc is not None:
            return self.tr("%1 — a visit outside this month's list").replace("%1", self._adhoc[1])
        row = self.due_view.currentIndex().row()
        if not 0 <= row < len(self.due_model.items):
            return ""
        d = self.due_model.items[row]
        return f"{d.village}　{d.head_name}"

    def cancel_correction(self) -> None:
        self._reset_form()
        if self.current_id() is None:
            self._set_form_enabled(False)

    def _corrected(self, _visit) -> None:
        self._set_saving(False)
        self.cancel_correction()
        self.title.setText(self.tr("Correction saved."))

    def delete_visit(self) -> None:
        """Ask the reason, then delete the visit open for correction (a refusal keeps the dialog)."""
        v = self._editing
        if v is None or not self.can_write:
            return
        reason = QPlainTextEdit()
        reason.setFixedHeight(70)
        when = v.visit_date.isoformat() if v.visit_date else ""
        dlg = FormDialog(
            self.tr("Delete the visit"),
            self,
            read=lambda: reason.toPlainText().strip(),
            write=lambda s, text: s.visits.delete(v.id, text, read_version=v.updated_at),
            intro=self.tr("The visit of %1 by %2 will be deleted. The reason is kept in the change log.")
            .replace("%1", when)
            .replace("%2", v.visitors),
        )
        dlg.add_row(self.tr("Reason"), reason, field="reason")
        dlg.saved.connect(lambda _r: self._deleted(when))
        open_dialog(self, dlg)
        reason.setFocus()

    def _deleted(self, when: str) -> None:
        self.cancel_correction()
        self.title.setText(self.tr("The visit of %1 was deleted.").replace("%1", when))
        hid = self.current_id()
        if hid is not None:
            self._load_recent(hid)

    def skip(self) -> None:
        row = self.due_view.currentIndex().row()
        if row + 1 < len(self.due_model.items):
            self._go(row + 1)


def _stack(*widgets) -> QWidget:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    for w in widgets:
        lay.addWidget(w)
        if isinstance(w, (FieldError,)) or (isinstance(w, QLabel) and not w.text()):
            w.hide()
    return box


def _qdate(d: date):
    from PySide6.QtCore import QDate

    return QDate(d.year, d.month, d.day)
