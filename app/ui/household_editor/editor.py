"""Add or edit one household with its members; see its history and assistance; archive or restore it.

Validation is the service's. On Save the editor reads its widgets on the GUI thread (a member
row whose ID number is already known to be bad is marked at once, nothing is written), then
saves in a write op; Save is disabled while it runs. A refusal names where it is: ``exc.item`` is
the member row and ``exc.field`` the cell or household field, which is marked, keeping
everything typed. Other windows learn of the save from the op's changes, not from this dialog.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import vocab
from ...domain.entities import HOUSEHOLD_CATEGORIES, RISK_NAMES, Household, Member
from ...errors import ChangedMeanwhile, DoudiError, InvalidInput
from ...services import permissions
from .. import ops
from ..ops import Op, OpChanges
from ..widgets import CheckList, FieldError, error_sentence, open_dialog, select_data, village_combo
from ..widgets.palette import WARN_COLOR
from .archive_dialog import ArchiveDialog
from .county_tasks import CountyTasksBar
from .handover import HandoverBar
from .history import HistoryTable
from .member_delegate import MemberDelegate
from .member_details import MemberDetails
from .members_model import MEMBER_COLUMNS, MEMBER_FIELDS, MembersModel
from .rebase import rebase, rebase_members
from .visits_tab import VisitHistoryTable

if TYPE_CHECKING:
    from ...services.session import Session
    from ..ops import Progress

# Tables whose change can add a line to this household's history.
HISTORY_TABLES = ("households", "members", "enrolments", "enrolment_steps", "income_items")


class HouseholdEditor(QDialog):
    saved = Signal(str)  # household id, after a save or an archive committed

    def __init__(self, session: Session, household_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.household_id = household_id
        self.can_write = session.can(permissions.WRITE_REGISTER)
        # The version read: a save states it. A new household is not under watch until someone says so:
        # ticked by default, every registration joined the monthly visits.
        self.household = Household(village_code="", categories=[], under_watch=False)
        self.base_members: list[Member] = []  # the members as read, to tell the user's edits from others'
        self.dialog: ArchiveDialog | None = None
        self.saving = False
        self.loaded = not household_id
        self.confirm_discard = self._ask_discard  # tests replace this
        self.setWindowTitle(self.tr("New household"))
        self.resize(1280, 700)

        self.tabs = QTabWidget(self)
        main = QWidget()
        self.tabs.addTab(main, self.tr("Household and members"))
        self.history = HistoryTable()
        self.visits = VisitHistoryTable()
        self.programmes = None
        if household_id:
            from ..enrolments import EnrolmentsPanel

            # The household's enrolments, their workflow history, income items and assessment.
            self.programmes = EnrolmentsPanel(session, household_id, self)
            self.tabs.addTab(self.programmes, self.tr("Assistance"))
            self.tabs.addTab(self.visits, self.tr("Visits"))
            from ..attachments import AttachmentsPanel

            # Every paper of the household: its own, its members', its visits' and its steps'.
            self.attachments = AttachmentsPanel(self, "households", household_id, whole_household=True)
            self.tabs.addTab(self.attachments, self.tr("Attachments"))
            self.tabs.addTab(self.history, self.tr("History"))

        self._build_fields()
        self._build_members()
        fields = QGridLayout()
        fields.addLayout(self._left, 0, 0)
        fields.addLayout(self._right, 0, 1)
        fields.setColumnStretch(0, 1)
        fields.setColumnStretch(1, 1)
        fields.setHorizontalSpacing(24)
        main_layout = QVBoxLayout(main)
        main_layout.addLayout(fields)
        main_layout.addWidget(self._members_box, 1)

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
        self.archive_button.setVisible(False)
        # The way back for an archived household (opened from the list's archived view).
        self.restore_button = QPushButton(self.tr("&Restore"))
        self.restore_button.setAutoDefault(False)
        self.restore_button.setVisible(False)
        self.restore_button.clicked.connect(self.restore)
        self.save_button.setEnabled(self.can_write and self.loaded)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.archive_button.clicked.connect(self.archive)
        bottom = QHBoxLayout()
        bottom.addWidget(self.general_error, 1)
        bottom.addStretch(1)
        bottom.addWidget(self.archive_button)
        bottom.addWidget(self.restore_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.cancel_button)

        outer = QVBoxLayout(self)
        self._build_bars(session, household_id or "", outer)
        outer.addWidget(self.tabs, 1)
        outer.addLayout(bottom)

        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence("Ctrl+M"), self, self.add_member)

        ops.changes().changed.connect(self._on_changes)
        self.finished.connect(lambda _r: ops.changes().changed.disconnect(self._on_changes))
        if household_id:
            self._load()
            self.county_tasks.refresh()
            self.handover.refresh()
        else:
            self._show(self.household, [])

    # --- building ------------------------------------------------------------

    def _build_bars(self, session: Session, household_id: str, outer: QVBoxLayout) -> None:
        """What the county sent about this household, above everything (each hidden when empty)."""
        self.county_tasks = CountyTasksBar(session, household_id, self)
        outer.addWidget(self.county_tasks)
        # A move to another township the county approved, or the county's button to decide one.
        self.handover = HandoverBar(session, household_id, self)
        self.handover.moved_out_read.connect(self._lock_if_moved_out)
        outer.addWidget(self.handover)

    def _build_fields(self) -> None:
        self.errors: dict[str, FieldError] = {}
        self.village = QComboBox()
        village_combo(self.village, self.session.office.code)
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
        # 城乡 follows the village's 城乡分类代码 (1xx 城镇, 2xx 乡村) when the clerk picks the village;
        # a choice by hand is kept, and the note says it differs from the code, so nobody is assessed
        # against the wrong standard unnoticed.
        self.urban_note = QLabel()
        self.urban_note.setWordWrap(True)
        self.village.currentIndexChanged.connect(self._village_picked)
        self.urban.currentIndexChanged.connect(self._show_urban_note)
        self.under_watch = QCheckBox(self.tr("Under watch: visit every month"))
        self.poverty_causes = CheckList(vocab.POVERTY_CAUSES, columns=6)
        self.housing = QComboBox()
        self.housing.setEditable(True)
        self.housing.addItems(["", *vocab.HOUSING])
        self.bank_name = QLineEdit()
        self.bank_account = QLineEdit()
        self.official_relative = QCheckBox(self.tr("Relative of a village cadre or office staff (近亲属备案)"))
        self.official_relative_note = QLineEdit()
        self.official_relative_note.setPlaceholderText(self.tr("Name and post of the related official"))
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(46)
        self.notes.setTabChangesFocus(True)  # Tab goes on to the members, it never types a tab
        # Where the cursor goes when a refusal names the field.
        self.field_widgets: dict[str, QWidget] = {
            "village_code": self.village,
            "group_name": self.group_name,
            "address": self.address,
            "phone": self.phone,
            "categories": self.categories,
            "poverty_causes": self.poverty_causes,
            "housing": self.housing,
            "bank_account": self.bank_account,
            "official_relative_note": self.official_relative_note,
            "notes": self.notes,
        }

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
        left.addRow("", self.urban_note)
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
        self._left, self._right = left, right

    def village_urban(self) -> bool | None:
        """Whether the picked village is urban by its 城乡分类代码; None when the code is not known."""
        from ...resource_files import divisions

        d = divisions().get(self.village.currentData() or "")
        return d.urban if d is not None and d.ur_code else None

    def _village_picked(self) -> None:
        derived = self.village_urban()
        if derived is not None:
            select_data(self.urban, derived)
        self._show_urban_note()

    def _show_urban_note(self) -> None:
        derived = self.village_urban()
        chosen = bool(self.urban.currentData())
        if derived is None:
            text = ""
        elif derived == chosen:
            text = self.tr("Urban by its division code") if derived else self.tr("Rural by its division code")
        elif derived:
            text = self.tr("Urban by its division code; changed by hand to rural")
        else:
            text = self.tr("Rural by its division code; changed by hand to urban")
        self.urban_note.setText(text)
        # A choice against the code is a decision someone must stand by: shown in the warning colour.
        self.urban_note.setStyleSheet(f"color: {WARN_COLOR};" if derived is not None and derived != chosen else "")
        self.urban_note.setVisible(bool(text))

    def _build_members(self) -> None:
        self.members = MembersModel([], self)
        self.member_view = QTableView()
        self.member_view.setModel(self.members)
        self.member_view.setItemDelegate(MemberDelegate(self.member_view))
        self.member_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.member_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.member_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.member_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.member_view.horizontalHeader()
        pad = self.fontMetrics().horizontalAdvance("M") * 2  # the header's margins and sort arrow room
        for i, c in enumerate(MEMBER_COLUMNS):
            # The rest are edited in the details pane: the grid fits 1366 pixels without scrolling.
            self.member_view.setColumnHidden(i, not c.in_grid)
            title = str(self.members.headerData(i, Qt.Orientation.Horizontal))
            self.member_view.setColumnWidth(i, max(c.width, header.fontMetrics().horizontalAdvance(title) + pad))
        header.setStretchLastSection(True)
        self.member_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.details = MemberDetails(self.members, self)
        self.member_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.details.show_row(current.row() if current.isValid() else None)
        )
        self.add_member_button = QPushButton(self.tr("Add &member"))
        self.add_member_button.setToolTip(self.tr("Ctrl+M"))
        self.remove_member_button = QPushButton(self.tr("&Remove member"))
        self.add_member_button.clicked.connect(self.add_member)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.member_error = FieldError()
        # Offered beside a refusal naming the household that already holds a typed ID number.
        self.open_other_button = QPushButton(self.tr("Open that household"))
        self.open_other_button.setAutoDefault(False)
        self.open_other_button.setVisible(False)
        self.open_other_button.clicked.connect(self._open_other)
        self.other_household: str | None = None
        self._refusal_on_row = False
        self._live_id_error = False
        self.members.dataChanged.connect(lambda *_: self._show_id_error())
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.add_member_button)
        member_buttons.addWidget(self.remove_member_button)
        member_buttons.addWidget(self.member_error, 1)
        member_buttons.addWidget(self.open_other_button)
        member_buttons.addStretch(1)
        self._members_box = QGroupBox(
            self.tr("Members (the head's relation is 本人; birth date, sex and age come from the ID number)")
        )
        mb = QVBoxLayout(self._members_box)
        grid_and_details = QHBoxLayout()
        grid_and_details.addWidget(self.member_view, 1)
        # Wide enough for a certificate number or a note, whichever language labels it.
        self.details.setMinimumWidth(290)
        grid_and_details.addWidget(self.details)
        mb.addLayout(grid_and_details, 1)
        mb.addLayout(member_buttons)

    # --- loading -------------------------------------------------------------

    def _load(self) -> None:
        hid = self.household_id
        assert hid is not None
        (
            Op(self, lambda s, _p: (s.households.get(hid), s.households.history(hid)))
            .success(self._loaded)
            .failure(lambda exc: self.general_error.show_error(error_sentence(exc)))
            .run()
        )

    def _loaded(self, result: tuple[tuple[Household, list[Member]], list]) -> None:
        (household, members), history = result
        self.household = household
        self.base_members = [copy.deepcopy(m) for m in members]
        self.loaded = True
        self.setWindowTitle(self.tr("Household of %1").replace("%1", household.head_name))
        self._show_archived(household)
        self.save_button.setEnabled(self.can_write)
        self._lock_if_moved_out(self.handover.moved_out())  # whichever read came back first
        self._show(household, members)
        self._show_history(history)
        self._load_visits()
        if household.archived:
            self.general_error.show_error(self.tr("Archived: %1").replace("%1", household.archived_reason))

    def _show(self, h: Household, members: list[Member]) -> None:
        self._fill(h, members)
        self._snapshot = self._state()

    def _fill(self, h: Household, members: list[Member]) -> None:
        self.members.beginResetModel()
        fresh = MembersModel(members)
        self.members.members, self.members.id_errors = fresh.members, fresh.id_errors
        self.members.bad_row = self.members.bad_field = None
        self.members.endResetModel()
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
        if not h.village_code:
            self._village_picked()  # a new household: 城乡 from the village first offered
        self._show_urban_note()  # the combos' signals do not fire when nothing changed
        self.under_watch.setChecked(h.under_watch)
        self.poverty_causes.set_values(h.poverty_causes)
        self.housing.setCurrentText(h.housing)
        self.bank_name.setText(h.bank_name)
        self.bank_account.setText(h.bank_account)
        self.official_relative.setChecked(h.official_relative)
        self.official_relative_note.setText(h.official_relative_note)
        self.notes.setPlainText(h.notes)
        if not members:
            self.add_member()

    def _show_history(self, entries: list) -> None:
        self.history.show_entries(entries, {m.id: m.name for m in self.members.members})

    def _load_visits(self) -> None:
        hid = self.household_id
        if hid:
            Op(self, lambda s, _p: s.visits.for_household(hid)).success(self.visits.show_visits).run()

    def _on_changes(self, changes: OpChanges) -> None:
        # The assistance tab writes enrolments and income items; their audit lines belong here too.
        if not shiboken6.isValid(self) or not self.isVisible():  # closed: the bus outlives it
            return
        if self.household_id and self.loaded and changes.touches(*HISTORY_TABLES):
            hid = self.household_id
            Op(self, lambda s, _p: s.households.history(hid)).success(self._show_history).run()
        if self.household_id and self.loaded and changes.touches("visits"):
            self._load_visits()
        if self.household_id:
            self.county_tasks.on_changes(changes)
            self.handover.on_changes(changes)

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

    def _id_error_sentence(self, row: int) -> str:
        name = self.members.members[row].name or self.tr("no name yet")
        return (
            self.tr("Member %1 (%2): ID number: %3")
            .replace("%1", str(row + 1))
            .replace("%2", name)
            .replace("%3", self.members.id_errors[row])
        )

    def _show_id_error(self) -> None:
        """Say why an ID cell is red as soon as it is left, not only in its tooltip or at saving."""
        if self._refusal_on_row and self.members.bad_row is None:
            # The refused row was removed or its cell changed: the refusal no longer describes the form.
            self._refusal_on_row = False
            self.member_error.clear_error()
            self._show_other(None)
        errors = self.members.id_errors
        if errors:
            self.member_error.show_error(self._id_error_sentence(min(errors)))
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

    def read_form(self) -> tuple[Household, list[Member]]:
        """What is typed, read on the GUI thread; an ID number already shown red stops it here."""
        # Finish an edit in progress so its text is in the model.
        self.member_view.setFocus()
        self.member_view.clearFocus()
        if self.members.id_errors:
            row = min(self.members.id_errors)
            raise InvalidInput(self._id_error_sentence(row), field="id_number", item=row)
        return self.collect()

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
        self._refusal_on_row = False
        self._show_other(None)

    def save(self) -> Op[Any] | None:
        """Read the form, then save it in a write op (None when nothing was sent to be written)."""
        if not self.can_write or not self.loaded or self.saving:
            return None
        self.clear_errors()
        try:
            household, members = self.read_form()
        except InvalidInput as exc:
            self.show_error(exc)
            return None
        updating = bool(self.household_id)
        self._set_saving(True)

        def work(s: Session, _p: Progress) -> Household:
            return s.households.update(household, members) if updating else s.households.add(household, members)

        return Op(self, work, write=True).success(self._saved).failure(self._refused).run()

    def _set_saving(self, on: bool) -> None:
        self.saving = on
        self.save_button.setEnabled(self.can_write and not on)

    def _saved(self, household: Household) -> None:
        self._set_saving(False)
        self.household_id = household.id
        self._snapshot = self._state()
        self.saved.emit(household.id)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self._set_saving(False)
        if not isinstance(exc, DoudiError):
            raise exc
        if isinstance(exc, ChangedMeanwhile) and self.household_id:
            self.reload_keeping_edits(exc)
            return
        self.show_error(exc)

    def reload_keeping_edits(self, exc: DoudiError) -> None:
        """Someone saved this household since it was opened: load their version, keep what was typed.

        The form then shows the stored version with this user's own changes laid over it (see
        rebase.py) and says so; nothing was written. Saving again states the new version.
        """
        hid = self.household_id
        assert hid is not None
        message = (
            error_sentence(exc)
            + " "
            + self.tr(
                "Their version has been loaded. Your changes were not saved; they are still on screen. "
                "Check them and save again."
            )
        )
        self.general_error.show_error(message)
        (
            Op(self, lambda s, _p: (s.households.get(hid), s.households.history(hid)))
            .success(lambda result: self._rebased(result, message))
            .failure(lambda e: self.general_error.show_error(error_sentence(e)))
            .run()
        )

    def _rebased(self, result: tuple[tuple[Household, list[Member]], list], message: str) -> None:
        (stored, stored_members), history = result
        # Read what is typed now, on the GUI thread: the user may have gone on typing during the reload.
        mine, my_members = self.collect()
        shown = rebase(self.household, mine, stored)
        shown_members = rebase_members(self.base_members, my_members, stored_members)
        self.household = stored
        self.base_members = [copy.deepcopy(m) for m in stored_members]
        self._show(stored, stored_members)  # "unsaved changes" is measured against the stored version
        self._fill(shown, shown_members)
        self._show_history(history)
        self._show_archived(stored)
        self.general_error.show_error(message)

    def show_error(self, exc: DoudiError) -> None:
        """Show a refusal where it is: on the member row ``exc.item`` (the cell ``exc.field``), beside a
        household field, or under the members when it is about the list as a whole."""
        message = error_sentence(exc)
        field = exc.field or None
        row = exc.item
        if row is None and field == "head_name":  # the head's name is typed in the members table
            row, field = self.members.head_row(), "name"
        self.tabs.setCurrentIndex(0)
        if row is not None and 0 <= row < len(self.members.members):
            self.members.mark(row, field)
            col = self.members.column_of(field) if field else None
            in_grid = col is not None and not self.member_view.isColumnHidden(col)
            self.member_view.setCurrentIndex(self.members.index(row, col if in_grid and col is not None else 0))
            self.details.show_row(row)
            if in_grid or not (field and self.details.focus_field(field)):
                self.member_view.setFocus()
            self.member_error.show_error(message)
            self._refusal_on_row = True
            if field == "id_number":
                self._find_other(self.members.members[row].id_number)
        elif field in self.errors:
            self.errors[field].show_error(message)
            widget = self.field_widgets.get(field)
            if widget is not None:
                widget.setFocus()
        elif isinstance(exc, InvalidInput) and (field in (None, "members") or field in MEMBER_FIELDS):
            # No household field named: a rule about the members as a list (one head, no duplicates).
            self.member_error.show_error(message)
            self.member_view.setFocus()
        else:
            self.general_error.show_error(message)

    def _find_other(self, id_number: str) -> None:
        """Look up the household already holding this number, to offer opening it."""
        hid = self.household_id or ""
        (
            Op(self, lambda s, _p: s.households.registered_elsewhere(id_number, hid))
            .success(lambda found: self._show_other(found[0] if found else None))
            .run()
        )

    def _show_other(self, household_id: str | None) -> None:
        self.other_household = household_id
        self.open_other_button.setVisible(household_id is not None and self._refusal_on_row)

    def _open_other(self) -> HouseholdEditor | None:
        """Open the other household over this one; what is typed here stays as it is."""
        if not self.other_household:
            return None
        other = HouseholdEditor(self.session, self.other_household, self)
        other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        other.open()
        return other

    # --- archiving -----------------------------------------------------------

    def archive(self) -> ArchiveDialog | None:
        """Ask for the reason and archive in a write op; the editor closes once it is archived."""
        if not self.household_id or not self.can_write:
            return None
        dlg = ArchiveDialog(self.household_id, self, read_version=self.household.updated_at)
        dlg.saved.connect(self._archived)
        dlg.changed_meanwhile.connect(self.reload_keeping_edits)
        open_dialog(self, dlg)
        return dlg

    def _show_archived(self, household: Household) -> None:
        self.archive_button.setVisible(self.can_write and not household.archived)
        self.restore_button.setVisible(self.can_write and household.archived)

    def _lock_if_moved_out(self, moved_out: bool) -> None:
        """A household that moved to another township is history here: its people live on there."""
        if moved_out:
            self.save_button.setEnabled(False)
            self.archive_button.setVisible(False)
            self.restore_button.setVisible(False)

    def restore(self) -> Op[Any] | None:
        """Bring an archived household back into the lists; the service refuses when one of its people
        has been registered in another household meanwhile."""
        if not self.household_id or not self.can_write or not self.household.archived:
            return None
        hid, seen = self.household_id, self.household.updated_at
        self.restore_button.setEnabled(False)
        return (
            Op(self, lambda s, _p: s.households.restore(hid, read_version=seen), write=True)
            .success(self._restored)
            .failure(self._restore_refused)
            .run()
        )

    def _restored(self, household: Household) -> None:
        self.restore_button.setEnabled(True)
        self.general_error.clear_error()
        self.saved.emit(household.id)
        self._load()

    def _restore_refused(self, exc: BaseException) -> None:
        self.restore_button.setEnabled(True)
        if not isinstance(exc, DoudiError):
            raise exc
        if isinstance(exc, ChangedMeanwhile):
            self.reload_keeping_edits(exc)
            return
        self.general_error.show_error(error_sentence(exc))

    def _archived(self, household: Household) -> None:
        self.household = household
        self._snapshot = self._state()
        self.saved.emit(household.id)
        self.accept()

    # --- closing -------------------------------------------------------------

    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Discard changes?"),
            self.tr("This household has unsaved changes. Close without saving?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self.can_write and self.loaded and self.is_dirty() and not self.confirm_discard():
            return
        super().reject()


def _wrap(layout) -> QWidget:
    w = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w
