"""照料 page: the two care ledgers of the notice — 重度残疾人照料 and 三留守关爱 (docs/domain.md §7.2).

Pick a ledger, pick a person (with the last record beside each), read their records,
add a record: care mode (disability ledger), carer and phone, the absent family member
(三留守), date, problems found, follow-up.

Reads and the add go through the one door; adding a record refreshes the page through its
:class:`OpChanges` (see ``tables``), never by hand.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
)

from ...domain.entities import CARE_LEDGERS, CARE_MODES, CareRecord
from ...services import permissions
from ..i18n import QT_TRANSLATE_NOOP
from ..widgets import (
    CENTER,
    Col,
    DateEdit,
    FormDialog,
    ListTableModel,
    error_sentence,
    fit_columns,
    open_dialog,
    page_title,
    setup_table,
)
from .base import Page

__all__ = ["CarePage"]

DISABILITY, LEFT_BEHIND = CARE_LEDGERS


def _age(m) -> str:
    try:
        return str(m.age_on(date.today()))
    except Exception:  # noqa: BLE001 - a bad ID never breaks the list
        return ""


class CarePage(Page):
    # The records, the members they are about (disability, left-behind) and their households' names.
    tables = frozenset({"care_records", "members", "households"})

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.people = []
        self.records = []
        self.dialog: FormDialog | None = None
        self.ledger = DISABILITY

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        bar = QHBoxLayout()
        title = page_title(self.tr("Care ledgers"))
        bar.addWidget(title)
        bar.addSpacing(16)
        self.ledger_group = QButtonGroup(self)
        self.ledger_buttons = {}
        for name in CARE_LEDGERS:
            b = QRadioButton(name)
            self.ledger_group.addButton(b)
            self.ledger_buttons[name] = b
            bar.addWidget(b)
        self.ledger_buttons[DISABILITY].setChecked(True)
        self.ledger_group.buttonToggled.connect(self._ledger_toggled)
        bar.addSpacing(12)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter by name, head or village"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._apply_filter())
        self.search.setMinimumWidth(200)
        bar.addWidget(self.search)
        bar.addStretch(1)
        self.add_button = QPushButton(self.tr("Add record…"))
        self.add_button.clicked.connect(self.open_add_dialog)
        bar.addWidget(self.add_button)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        self._can_write = session.can(permissions.WRITE_REGISTER)
        if not self._can_write:
            self.add_button.setEnabled(False)
            self.add_button.setToolTip(self.tr("Your role may not add care records."))

        split = QSplitter(Qt.Orientation.Vertical)
        self.people_model = ListTableModel(
            [
                Col(QT_TRANSLATE_NOOP("CarePage", "Village"), lambda p: p.village, context="CarePage"),
                Col(QT_TRANSLATE_NOOP("CarePage", "Head"), lambda p: p.head_name, context="CarePage"),
                Col(QT_TRANSLATE_NOOP("CarePage", "Name"), lambda p: p.member.name, context="CarePage"),
                Col(QT_TRANSLATE_NOOP("CarePage", "Sex"), lambda p: p.member.sex, CENTER, context="CarePage"),
                Col(QT_TRANSLATE_NOOP("CarePage", "Age"), lambda p: _age(p.member), CENTER, context="CarePage"),
                Col(QT_TRANSLATE_NOOP("CarePage", "Situation"), self._situation, context="CarePage"),
                Col(
                    QT_TRANSLATE_NOOP("CarePage", "Last record"),
                    lambda p: p.last_record.visit_date if p.last_record else self.tr("none yet"),
                    CENTER,
                    context="CarePage",
                    color=lambda p: None if p.last_record else "#b03a2e",
                ),
                Col(QT_TRANSLATE_NOOP("CarePage", "Last carer / mode"), self._last_carer, context="CarePage"),
            ]
        )
        self.people_table = QTableView()
        self.people_table.setModel(self.people_model)
        setup_table(self.people_table)
        fit_columns(self.people_table, [90, 80, 80, 40, 40, 170, 95])
        self.people_table.selectionModel().selectionChanged.connect(lambda *_: self._load_records())
        self.people_table.doubleClicked.connect(lambda _i: self.open_add_dialog())
        split.addWidget(self.people_table)

        self.records_box = QGroupBox(self.tr("Records"))
        rv = QVBoxLayout(self.records_box)
        self.records_model = ListTableModel(
            [
                Col(QT_TRANSLATE_NOOP("CarePage", "Date"), lambda r: r.visit_date, CENTER, context="CarePage"),
                Col(
                    QT_TRANSLATE_NOOP("CarePage", "Care mode"),
                    lambda r: r.care_mode if r.ledger == DISABILITY else "",
                    CENTER,
                    context="CarePage",
                ),
                Col(QT_TRANSLATE_NOOP("CarePage", "Carer"), lambda r: r.carer_name, context="CarePage"),
                Col(QT_TRANSLATE_NOOP("CarePage", "Phone"), lambda r: r.carer_phone, context="CarePage"),
                Col(QT_TRANSLATE_NOOP("CarePage", "Family member away"), lambda r: r.absent_member, context="CarePage"),
                Col(QT_TRANSLATE_NOOP("CarePage", "Problems found"), lambda r: r.problems, context="CarePage"),
                Col(QT_TRANSLATE_NOOP("CarePage", "Follow-up"), lambda r: r.follow_up, context="CarePage"),
            ]
        )
        self.records_table = QTableView()
        self.records_table.setModel(self.records_model)
        setup_table(self.records_table)
        fit_columns(self.records_table, [95, 80, 80, 110, 150, 220])
        rv.addWidget(self.records_table)
        split.addWidget(self.records_box)
        split.setSizes([380, 240])
        layout.addWidget(split, 1)
        self._update_columns()

    # ------------------------------------------------------------------ texts

    def _situation(self, p) -> str:
        m = p.member
        if self.ledger == DISABILITY:
            return (
                self.tr("%1 disability, grade %2, %3")
                .replace("%1", m.disability_type)
                .replace("%2", str(m.disability_grade))
                .replace("%3", m.self_care)
            )
        return m.left_behind

    def _last_carer(self, p) -> str:
        r = p.last_record
        if r is None:
            return ""
        if r.ledger == DISABILITY:
            return "·".join(x for x in (r.carer_name, r.care_mode) if x)
        return "·".join(x for x in (r.carer_name, r.absent_member) if x)

    # ------------------------------------------------------------------ loading

    def _ledger_toggled(self, button, checked: bool) -> None:
        if checked:
            self.ledger = button.text()
            self._update_columns()
            self.request_refresh()

    def set_ledger(self, ledger: str) -> None:
        self.ledger_buttons[ledger].setChecked(True)

    def _update_columns(self) -> None:
        disability = self.ledger == DISABILITY
        self.records_table.setColumnHidden(1, not disability)
        self.records_table.setColumnHidden(4, disability)

    def refresh(self) -> None:
        ledger = self.ledger
        current = self.selected()
        keep = current.member.id if current else None
        (
            self.read(lambda s, _progress: s.care.people(ledger))
            .success(lambda people: self._loaded(ledger, people, keep))
            .failure(lambda exc: self.message.error(error_sentence(exc)))
            .run()
        )

    def _loaded(self, ledger: str, people, keep: str | None) -> None:
        if ledger != self.ledger:
            return
        self.people = sorted(people, key=lambda p: (p.village, p.head_name, p.member.name))
        self._apply_filter(keep)

    def _apply_filter(self, keep: str | None = None) -> None:
        text = self.search.text().strip()
        rows = [p for p in self.people if not text or text in p.member.name or text in p.head_name or text in p.village]
        if keep is None and self.selected() is not None:
            keep = self.selected().member.id
        self.people_model.set_rows(rows)
        row = next((i for i, p in enumerate(rows) if p.member.id == keep), 0 if rows else None)
        if row is not None:
            self.people_table.selectRow(row)
        self.records_box.setTitle(self.tr("Records") + f"（{len(rows)} / {len(self.people)}）")
        self._load_records()

    def selected(self):
        rows = self.people_table.selectionModel().selectedRows()
        return self.people_model.row_at(rows[0].row()) if rows else None

    def select_member(self, member_id: str) -> None:
        row = next((i for i, p in enumerate(self.people_model.rows) if p.member.id == member_id), None)
        if row is not None:
            self.people_table.selectRow(row)

    def _load_records(self) -> None:
        p = self.selected()
        if p is None:
            self.records = []
            self.records_model.set_rows([])
            self.records_box.setTitle(self.tr("Records"))
            self.add_button.setEnabled(False)
            return
        self.add_button.setEnabled(self._can_write)
        member_id, ledger = p.member.id, self.ledger
        (
            self.read(lambda s, _progress: s.care.records(member_id))
            .success(lambda records: self._records_loaded(member_id, ledger, records))
            .failure(lambda exc: self.message.error(error_sentence(exc)))
            .run()
        )

    def _records_loaded(self, member_id: str, ledger: str, records) -> None:
        p = self.selected()
        if p is None or p.member.id != member_id or ledger != self.ledger:
            return  # the selection moved on while this was read
        self.records = [r for r in records if r.ledger == ledger]
        self.records_model.set_rows(self.records)
        self.records_box.setTitle(
            self.tr("Records of %1 (%2)").replace("%1", p.member.name).replace("%2", str(len(self.records)))
        )

    # ------------------------------------------------------------------ adding

    def open_add_dialog(self) -> FormDialog | None:
        p = self.selected()
        if p is None or not self._can_write:
            return None
        ledger = self.ledger
        visit_date = DateEdit(date.today())
        mode = QComboBox()
        mode.addItems(list(CARE_MODES))
        if p.last_record is not None and p.last_record.care_mode in CARE_MODES:
            mode.setCurrentText(p.last_record.care_mode)
        carer = QLineEdit(p.last_record.carer_name if p.last_record else "")
        phone = QLineEdit(p.last_record.carer_phone if p.last_record else "")
        phone.setPlaceholderText(self.tr("digits, spaces, + and - only"))
        absent = QLineEdit(p.last_record.absent_member if p.last_record else "")
        absent.setPlaceholderText(self.tr("who is away, where, and how to reach them"))
        problems = QPlainTextEdit()
        problems.setFixedHeight(60)
        follow = QPlainTextEdit()
        follow.setFixedHeight(60)

        def read() -> CareRecord:
            return CareRecord(
                member_id=p.member.id,
                ledger=ledger,
                care_mode=mode.currentText() if ledger == DISABILITY else "",
                carer_name=carer.text().strip(),
                carer_phone=phone.text().strip(),
                absent_member=absent.text().strip() if ledger == LEFT_BEHIND else "",
                visit_date=visit_date.value(),
                problems=problems.toPlainText().strip(),
                follow_up=follow.toPlainText().strip(),
            )

        who = f"{p.village} {p.head_name}户 · {p.member.name}（{self._situation(p)}）"
        dlg = FormDialog(
            self.tr("Add a %1 record").replace("%1", ledger),
            self,
            read=read,
            write=lambda s, record: s.care.add(record),
            intro=who,
        )
        # Field names are CareRecord's, so a refusal naming one marks its widget.
        dlg.add_row(self.tr("Date"), visit_date, field="visit_date")
        if ledger == DISABILITY:
            dlg.add_row(self.tr("Care mode"), mode, field="care_mode")
        dlg.add_row(self.tr("Carer / guardian"), carer, field="carer_name")
        dlg.add_row(self.tr("Phone"), phone, field="carer_phone")
        if ledger == LEFT_BEHIND:
            dlg.add_row(self.tr("Family member away"), absent, field="absent_member")
        dlg.add_row(self.tr("Problems found"), problems, field="problems")
        dlg.add_row(self.tr("Follow-up"), follow, field="follow_up")
        dlg.saved.connect(lambda _r: self.message.info(self.tr("Record added for %1.").replace("%1", p.member.name)))
        return open_dialog(self, dlg)
