"""First run: create the office database (or a demo office) and show the recovery code once.

Pages: start (new office, a second PC of an office, or demo) → office (township or county, picked from the
division list, or any other code with a name) → first administrator (password twice,
live strength hint) → recovery code (shown once, large; "Save as PDF…"; a checkbox
that must be ticked to go on) → the office's card: a township adds the county's card,
checked by the fingerprint read out over the phone, so that its first package can go to the
county without a trip to the 数据交换 page; both kinds may save their own card for the other
side. Creating runs in an Op; after it the wizard cannot go back, and it cannot be closed until
the code is confirmed. A demo office ends at its recovery code (it has no county). A PC joining an
office that already uses Doudi goes start → join (the first PC's card and its fingerprint, checked
before anything is made) → administrator → code → card, where it saves its own card for the first
PC's administrator (docs/exchange.md §Two PCs in one office).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ..errors import DoudiError
from ..resource_files import divisions
from ..services import office as sessions
from .fonts import follow_text_size
from .ops import Op, Task
from .sign_in import ERROR_STYLE, PasswordStrength

if TYPE_CHECKING:
    from ..exchange.cards import Card
    from ..services.exchange.trust import Peer
    from ..services.office import SheetFields
    from ..services.session import Session

__all__ = ["SetupWizard"]

PAGE_START, PAGE_OFFICE, PAGE_ADMIN, PAGE_CODE, PAGE_CARD, PAGE_JOIN = range(6)
OTHER = "other"


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


class _SetupPage(QWizardPage):
    """A page of SetupWizard, which holds what is being created (session, recovery code)."""

    def setup(self) -> SetupWizard:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard), "the set-up pages are shown only inside SetupWizard"
        return wizard


class StartPage(_SetupPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Welcome to Doudi"))
        self.setSubTitle(
            self.tr(
                "Doudi keeps this office's register of households, visits and assistance in an "
                "encrypted database on this PC."
            )
        )
        layout = QVBoxLayout(self)
        self.new_office = QRadioButton(self.tr("&Set up this office's database"))
        self.new_office.setChecked(True)
        new_help = QLabel(
            self.tr(
                "For real work. You choose the office and the first administrator; "
                "you will get a recovery code to print and lock away."
            )
        )
        new_help.setWordWrap(True)
        new_help.setContentsMargins(24, 0, 0, 8)
        self.join = QRadioButton(self.tr("This PC &joins an office that already uses Doudi"))
        join_help = QLabel(
            self.tr(
                "For a second clerk's PC in the same office. You need the first PC's card (a file) and "
                "its fingerprint; this PC gets its own keys and users, and the register comes in the "
                "first PC's next package."
            )
        )
        join_help.setWordWrap(True)
        join_help.setContentsMargins(24, 0, 0, 8)
        self.demo = QRadioButton(self.tr("&Try a demo office"))
        demo_help = QLabel(
            self.tr(
                "A township filled with made-up people, to learn the program. User admin, "
                "password doudi-demo-2021. Nothing in it is real."
            )
        )
        demo_help.setWordWrap(True)
        demo_help.setContentsMargins(24, 0, 0, 8)
        group = QButtonGroup(self)
        group.addButton(self.new_office)
        group.addButton(self.join)
        group.addButton(self.demo)
        for w in (self.new_office, new_help, self.join, join_help, self.demo, demo_help):
            layout.addWidget(w)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.demo.toggled.connect(self.setCommitPage)

    def nextId(self) -> int:
        if self.demo.isChecked():
            return PAGE_CODE
        return PAGE_JOIN if self.join.isChecked() else PAGE_OFFICE

    def validatePage(self) -> bool:
        if not self.demo.isChecked():
            return True
        return self.setup().create_demo(self)


class OfficePage(_SetupPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Which office is this?"))
        self.setSubTitle(self.tr("Choose the township or the county bureau this PC works for."))
        self.tree = divisions()
        layout = QVBoxLayout(self)
        kinds = QHBoxLayout()
        self.township = QRadioButton(self.tr("&Township office (乡镇民政办)"))
        self.county = QRadioButton(self.tr("&County bureau (县民政局)"))
        self.township.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.township)
        group.addButton(self.county)
        kinds.addWidget(self.township)
        kinds.addWidget(self.county)
        kinds.addStretch(1)
        layout.addLayout(kinds)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.office = QComboBox()
        self.office.setMinimumWidth(320)
        form.addRow(self.tr("&Office:"), self.office)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("6, 9 or 12 digits"))
        self.code.setMaxLength(12)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. 某某镇人民政府民政办"))
        self.code_label = QLabel(self.tr("Division &code:"))
        self.code_label.setBuddy(self.code)
        self.name_label = QLabel(self.tr("Office &name:"))
        self.name_label.setBuddy(self.name)
        form.addRow(self.code_label, self.code)
        form.addRow(self.name_label, self.name)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)

        self.township.toggled.connect(self._fill)
        self.office.currentIndexChanged.connect(self._other_toggled)
        self.code.textChanged.connect(self.completeChanged)
        self.name.textChanged.connect(self.completeChanged)
        self._fill()

    def _fill(self) -> None:
        self.office.blockSignals(True)
        self.office.clear()
        if self.township.isChecked():
            for town in self.tree.townships():
                self.office.addItem(f"{town.name}（{town.code[:9]}）", town.code)
        else:
            county = self.tree.county
            self.office.addItem(f"{county.name}（{county.code[:6]}）", county.code)
        self.office.addItem(self.tr("Another office (type its code and name)"), OTHER)
        self.office.blockSignals(False)
        self._other_toggled()

    def _other_toggled(self, *_args) -> None:
        other = self.office.currentData() == OTHER
        for w in (self.code, self.name, self.code_label, self.name_label):
            w.setVisible(other)
        self.completeChanged.emit()

    def kind(self) -> str:
        return "township" if self.township.isChecked() else "county"

    def office_code(self) -> str:
        data = self.office.currentData()
        return self.code.text().strip() if data == OTHER else data

    def office_name(self) -> str:
        return self.name.text().strip() if self.office.currentData() == OTHER else ""

    def select_code(self, code: str) -> bool:
        """Pick a listed office by its code (for tests and for a preset)."""
        full = code.ljust(12, "0")
        index = self.office.findData(full)
        if index >= 0:
            self.office.setCurrentIndex(index)
        return index >= 0

    def isComplete(self) -> bool:
        if self.office.currentData() != OTHER:
            return self.office.count() > 1
        code = self.code.text().strip()
        return code.isdigit() and len(code) in (6, 9, 12) and bool(self.name.text().strip())


class JoinPage(_SetupPage):
    """The first PC's card and its fingerprint, checked before the administrator page (a wrong
    fingerprint is said here, where it can be corrected, and nothing is made)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.card: Card | None = None
        self.setTitle(self.tr("Join an office that already uses Doudi"))
        self.setSubTitle(
            self.tr(
                "On the first PC, the administrator saves its card (Data exchange page) and reads you its fingerprint."
            )
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        file_row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("the first PC's .json card file"))
        self.browse = QPushButton(self.tr("C&hoose…"))
        self.browse.clicked.connect(lambda _checked=False: self.choose_card())
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        path_label = QLabel(self.tr("First PC's card &file:"))
        path_label.setBuddy(self.path)
        form.addRow(path_label, file_row)
        self.fingerprint = QLineEdit()
        self.fingerprint.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        fingerprint_label = QLabel(self.tr("Its fin&gerprint:"))
        fingerprint_label.setBuddy(self.fingerprint)
        form.addRow(fingerprint_label, self.fingerprint)
        layout.addLayout(form)
        self.office = QLabel()
        self.office.setWordWrap(True)
        self.office.setStyleSheet("color: #1e8449;")
        layout.addWidget(self.office)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        for w in (self.path, self.fingerprint):
            w.textChanged.connect(self._typed)

    def _typed(self, *_args) -> None:
        self.card = None
        self.office.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.path.text().strip() and self.fingerprint.text().strip())

    def choose_card(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("The first PC's card"), "", self.tr("Office card (*.json)")
        )
        if path:
            self.path.setText(path)

    def nextId(self) -> int:
        return PAGE_ADMIN

    def validatePage(self) -> bool:
        """Read the card and check the fingerprint (in a Task: a file on a USB stick); True once done."""
        if self.card is not None:
            return True
        from ..services.exchange.join import checked_card

        source, typed = Path(self.path.text().strip()), self.fingerprint.text().strip()
        self.error.hide()
        state = {"running": True}

        def read(card: Card) -> None:
            self.card = card
            self.office.setText(
                self.tr("This PC will join %1 (%2).").replace("%1", card.office_name).replace("%2", card.office_code)
            )
            if not state["running"]:
                self.wizard().next()

        def refused(exc: BaseException) -> None:
            if not isinstance(exc, DoudiError):
                raise exc
            self.error.setText(str(exc))
            self.error.show()

        Task(self, lambda _progress: checked_card(source, typed)).success(read).failure(refused).run()
        state["running"] = False
        return self.card is not None


class AdminPage(_SetupPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("The first administrator"))
        self.setSubTitle(
            self.tr(
                "The administrator adds the other users later. Choose a password that only you "
                "know; it cannot be read back from the database."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Create the office"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.username = QLineEdit("admin")
        self.username.setMaxLength(32)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(self.tr("e.g. 马建国"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = PasswordStrength()
        self.match = QLabel()
        form.addRow(self.tr("&User name:"), self.username)
        form.addRow(self.tr("Full &name:"), self.display_name)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow("", self.strength)
        form.addRow(self.tr("&Repeat password:"), self.repeat)
        form.addRow("", self.match)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.password.textChanged.connect(self.strength.update_for)
        for w in (self.username, self.password, self.repeat):
            w.textChanged.connect(self._changed)

    def _changed(self, *_args) -> None:
        if self.repeat.text() and self.repeat.text() != self.password.text():
            self.match.setText(self.tr("The two passwords are not the same."))
            self.match.setStyleSheet(ERROR_STYLE)
        else:
            self.match.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return (
            bool(self.username.text().strip())
            and sessions.password_problem(self.password.text()) is None
            and self.password.text() == self.repeat.text()
        )

    def validatePage(self) -> bool:
        return self.setup().create_office(self)


class RecoveryCodePage(_SetupPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("The recovery code"))
        self.setSubTitle(
            self.tr(
                "Shown only this once. Without it nobody can open the database if every password "
                "is forgotten or the data is moved to another PC."
            )
        )
        layout = QVBoxLayout(self)
        self.office = QLabel()
        layout.addWidget(self.office)
        self.code = QLabel()
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The recovery code in the bundled monospace face, growing with the text size in Settings.
        follow_text_size(self.code, 2.2, bold=True, family="WenQuanYi Micro Hei Mono")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setStyleSheet("background: white; border: 2px solid #2c3e50; border-radius: 6px; padding: 14px;")
        layout.addWidget(self.code)
        advice = QLabel(
            self.tr(
                "Print it or write it down, and lock it away with the head of the office. Do not "
                'photograph it or send it by WeChat, QQ or e-mail. Use it with "Forgot '
                'password…" on the sign-in window. The printed sheet also carries the recovery '
                "slot: with the sheet and the code the database opens even if its key-slot files are lost."
            )
        )
        advice.setWordWrap(True)
        layout.addWidget(advice)
        row = QHBoxLayout()
        self.save_pdf = QPushButton(self.tr("Save as &PDF…"))
        self.save_pdf.clicked.connect(self.save_as_pdf)
        row.addWidget(self.save_pdf)
        self.saved = QLabel()
        self.saved.setStyleSheet("color: #1e8449;")
        row.addWidget(self.saved, 1)
        layout.addLayout(row)
        self.demo_note = QLabel()
        self.demo_note.setWordWrap(True)
        self.demo_note.setStyleSheet("color: #566573;")
        layout.addWidget(self.demo_note)
        self.confirmed = QCheckBox(self.tr("I have &written down or printed the recovery code"))
        self.confirmed.toggled.connect(self.completeChanged)
        layout.addWidget(self.confirmed)
        layout.addStretch(1)

    def initializePage(self) -> None:
        w = self.setup()
        self.code.setText(w.recovery_code)
        office = w.session.office if w.session is not None else None
        self.office.setText(self.tr("Office: %1").replace("%1", f"{office.name}（{office.code}）") if office else "")
        if w.is_demo:
            self.demo_note.setText(
                self.tr("This is a demo office: sign in as admin with the password doudi-demo-2021.")
            )
        self.demo_note.setVisible(w.is_demo)

    def isComplete(self) -> bool:
        wizard = self.wizard()
        return isinstance(wizard, SetupWizard) and (wizard.is_demo or self.confirmed.isChecked())

    def nextId(self) -> int:
        wizard = self.wizard()
        return -1 if isinstance(wizard, SetupWizard) and wizard.is_demo else PAGE_CARD

    def _session(self) -> Session:
        session = self.setup().session
        assert session is not None, "the recovery-code page is reached only after the office was created"
        return session

    def default_pdf_name(self) -> str:
        office = self._session().office
        return f"兜底恢复码-{office.name or office.code}.pdf"

    def save_as_pdf(self) -> None:
        start = Path.home() / self.default_pdf_name()
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the recovery sheet"), str(start), self.tr("PDF files (*.pdf)")
        )
        if path:
            self.write_pdf(path)

    def write_pdf(self, path: str | Path) -> Path | None:
        from ..reports.recovery_sheet import write_recovery_sheet

        w = self.setup()
        session = self._session()
        office = session.office
        path = Path(path)
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            write_recovery_sheet(
                path,
                office.name,
                office.code,
                session.user.username,
                w.recovery_code,
                w.created_at or datetime.now(),
                **w.sheet_fields,
            )
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Not saved"),
                self.tr("The file could not be written: %1").replace("%1", exc.strerror or str(exc)),
            )
            return None
        self.saved.setText(self.tr("Saved: %1. Print it, then delete the file.").replace("%1", str(path)))
        return path


class CardPage(_SetupPage):
    """The office's card: a township adds the county's card; either kind saves its own card.

    Trust is added only when the fingerprint typed matches the card (the service checks it), so
    a card swapped on the USB stick is refused here as it would be on the 数据交换 page.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.card: Card | None = None
        self.peer: Peer | None = None
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        self.county_box = QGroupBox(self.tr("The card from the county"))
        form = QFormLayout(self.county_box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        file_row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("the .json file the county gave you"))
        self.browse = QPushButton(self.tr("C&hoose…"))
        self.browse.clicked.connect(lambda _checked=False: self.choose_card())
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        path_label = QLabel(self.tr("Card &file:"))
        path_label.setBuddy(self.path)
        form.addRow(path_label, file_row)
        self.fingerprint = QLineEdit()
        self.fingerprint.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        fingerprint_label = QLabel(self.tr("Fin&gerprint read over the phone:"))  # &f is the card file's
        fingerprint_label.setBuddy(self.fingerprint)
        form.addRow(fingerprint_label, self.fingerprint)
        add_row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add the county's card"))
        self.add_button.clicked.connect(lambda _checked=False: self.add_card())
        add_row.addWidget(self.add_button)
        self.added = QLabel()
        self.added.setWordWrap(True)
        self.added.setStyleSheet("color: #1e8449;")
        add_row.addWidget(self.added, 1)
        form.addRow("", add_row)
        self.error = _error_label()
        form.addRow(self.error)
        layout.addWidget(self.county_box)

        own_box = self.own_box = QGroupBox(self.tr("This office's card"))
        own = QVBoxLayout(own_box)
        self.own_office = QLabel()
        self.own_office.setWordWrap(True)
        own.addWidget(self.own_office)
        self.own_fingerprint = QLabel()
        self.own_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        follow_text_size(self.own_fingerprint, 1.5, bold=True, family="WenQuanYi Micro Hei Mono")
        own.addWidget(self.own_fingerprint)
        save_row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("&Save this office's card…"))
        self.save_button.clicked.connect(lambda _checked=False: self.save_own_card())
        save_row.addWidget(self.save_button)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        self.saved.setStyleSheet("color: #1e8449;")
        save_row.addWidget(self.saved, 1)
        own.addLayout(save_row)
        self.own_error = _error_label()
        own.addWidget(self.own_error)
        layout.addWidget(own_box)
        layout.addStretch(1)

        self.path.textChanged.connect(self._typed)
        self.fingerprint.textChanged.connect(self._typed)

    def is_county(self) -> bool:
        session = self.setup().session
        return session is not None and session.office.kind == "county"

    def nextId(self) -> int:
        return -1  # the last page, though the join page is numbered after it

    def initializePage(self) -> None:
        county = self.is_county()
        if self.setup().is_joining:
            self.setTitle(self.tr("This PC's card"))
            self.setSubTitle(self.tr("The first PC sends the register only to a PC whose card it trusts."))
            told = self.tr(
                "Save this PC's card below and give it to the first PC's administrator (and to the county), "
                "then read them its fingerprint: they add it on the Data exchange page. The register "
                "arrives in the first PC's next package."
            )
            if not county:
                more = self.tr("Add the county's card here too, so that this PC can send it packages.")
                told += (
                    "" if told.endswith(("。", "\uff01", "\uff1f")) else " "
                ) + more  # no space between Chinese sentences
            self.intro.setText(told)
            self.own_box.setTitle(self.tr("This PC's card"))
            self.save_button.setText(self.tr("&Save this PC's card…"))
        elif county:
            self.setTitle(self.tr("This office's card"))
            self.setSubTitle(self.tr("Townships send their packages only to an office whose card they trust."))
            self.intro.setText(
                self.tr(
                    "Each township adds the county's card before its first package: save the card below "
                    "on a USB stick, give it to the townships, and read them the fingerprint over the "
                    "phone. The townships' cards are added on the Data exchange page."
                )
            )
        else:
            self.setTitle(self.tr("The county bureau's card"))
            self.setSubTitle(
                self.tr("Packages go to the county only once its card is added and checked by its fingerprint.")
            )
            self.intro.setText(
                self.tr(
                    "Choose the card file from the USB stick the county gave you, call the county and "
                    "type the fingerprint they read out. You can also do this later on the Data exchange page."
                )
            )
        self.county_box.setVisible(not county)
        self._typed()
        Op(self, lambda s, _p: s.trust.card()).success(self._show_card).failure(self._own_refused).run()

    def _show_card(self, card: Card) -> None:
        self.card = card
        said = (
            self.tr("%1 (%2). This PC's fingerprint, to read out over the phone:")
            if self.setup().is_joining
            else self.tr("%1 (%2). Its fingerprint, to read out over the phone:")
        )
        self.own_office.setText(said.replace("%1", card.office_name).replace("%2", card.office_code))
        self.own_fingerprint.setText(card.fingerprint)

    def _typed(self, *_args) -> None:
        """The finish button says what it will do: skip, add and finish, or finish."""
        if self.is_county() or self.peer is not None:
            text = self.tr("&Finish")
        elif self._filled():
            text = self.tr("Add and &finish")
        else:
            text = self.tr("&Later")
        self.setButtonText(QWizard.WizardButton.FinishButton, text)

    def _filled(self) -> bool:
        return bool(self.path.text().strip() and self.fingerprint.text().strip())

    def choose_card(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("The county bureau's card"), "", self.tr("Office card (*.json)")
        )
        if path:
            self.path.setText(path)

    def add_card(self, then=None) -> bool:
        """Add the card in the fields through the trust service; True if it already finished."""
        self.error.hide()
        if not self._filled():
            self.error.setText(self.tr("Choose the card file and type the fingerprint first."))
            self.error.show()
            return False
        source, typed = Path(self.path.text().strip()), self.fingerprint.text().strip()
        state = {"running": True}
        self._busy(True)

        def added(result: tuple[Peer, bool]) -> None:
            self._busy(False)
            peer, _changed = result
            self.peer = peer
            self.added.setText(
                self.tr("%1 is now trusted (fingerprint %2).")
                .replace("%1", peer.office_name)
                .replace("%2", peer.fingerprint)
            )
            self._typed()
            if then is not None and not state["running"]:
                then()

        def refused(exc: BaseException) -> None:
            self._busy(False)
            if not isinstance(exc, DoudiError):
                raise exc
            self.added.setText("")
            self.error.setText(str(exc))
            self.error.show()

        Op(self, lambda s, _p: s.trust.add(source, typed), write=True).success(added).failure(refused).run()
        state["running"] = False
        return self.peer is not None

    def _busy(self, busy: bool) -> None:
        """While the card is being added, neither button starts it again."""
        self.add_button.setEnabled(not busy)
        wizard = self.wizard()
        if wizard is not None:
            wizard.button(QWizard.WizardButton.FinishButton).setEnabled(not busy)

    def default_card_name(self) -> str:
        card = self.card
        return f"{card.office_name or card.office_code}.card.json" if card else "card.json"

    def save_own_card(self) -> None:
        start = Path.home() / self.default_card_name()
        title = self.tr("Save this PC's card") if self.setup().is_joining else self.tr("Save this office's card")
        path, _filter = QFileDialog.getSaveFileName(self, title, str(start), self.tr("Office card (*.json)"))
        if path:
            self.write_own_card(path)

    def write_own_card(self, path: str | Path) -> None:
        target = Path(path)
        if target.suffix.lower() != ".json":
            target = target.with_suffix(".json")
        self.own_error.hide()

        def saved(card: Card) -> None:
            self.saved.setText(
                self.tr("Saved: %1. Give it to the other office and read them the fingerprint.").replace(
                    "%1", str(target)
                )
            )

        Op(self, lambda s, _p: s.trust.write_card(target), write=True).success(saved).failure(self._own_refused).run()

    def _own_refused(self, exc: BaseException) -> None:
        if not isinstance(exc, DoudiError):
            raise exc
        self.own_error.setText(str(exc))
        self.own_error.show()

    def validatePage(self) -> bool:
        # Fields filled but not added: the button said "Add and finish", so add (a mismatch stays here).
        if self.is_county() or self.peer is not None or not self._filled():
            return True
        return self.add_card(then=self.wizard().accept)


class SetupWizard(QWizard):
    """After ``exec()``: ``session`` (open), ``recovery_code``, ``is_demo``; ``username`` to sign in with."""

    def __init__(self, data_dir: Path | str, parent=None, demo_password: str | None = None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.demo_password = demo_password
        self.session: Session | None = None
        self.recovery_code = ""
        self.is_demo = False
        self.created_at: datetime | None = None
        # The recovery slot and the audit chain head, printed on the sheet (read where the office was made).
        self.sheet_fields: SheetFields = {"slot_lines": [], "slot_qr": "", "chain_head": ""}
        self.username = ""
        self.setWindowTitle(self.tr("Set up Doudi"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        # After the office exists, closing the last page means "later", not "undo" (see done()).
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(720, 520)
        self.start_page = StartPage()
        self.office_page = OfficePage()
        self.admin_page = AdminPage()
        self.code_page = RecoveryCodePage()
        self.card_page = CardPage()
        self.setPage(PAGE_START, self.start_page)
        self.setPage(PAGE_OFFICE, self.office_page)
        self.setPage(PAGE_ADMIN, self.admin_page)
        self.setPage(PAGE_CODE, self.code_page)
        self.setPage(PAGE_CARD, self.card_page)
        self.join_page = JoinPage()
        self.setPage(PAGE_JOIN, self.join_page)
        self.setStartId(PAGE_START)

    @property
    def is_joining(self) -> bool:
        return self.start_page.join.isChecked()

    # --- creating (in an Op) ----------------------------------------------------------

    def _run(self, page: StartPage | AdminPage, work, label: str) -> bool:
        """Run *work* in an Op; True if it already finished (synchronous), else advance when done."""
        if self.session is not None:
            return True
        error = page.error
        error.hide()
        self.button(QWizard.WizardButton.CommitButton).setEnabled(False)
        self.button(QWizard.WizardButton.NextButton).setEnabled(False)
        state = {"running": True}

        def done(result) -> None:
            session, code, fields = result
            self.session, self.recovery_code, self.sheet_fields = session, code, fields
            self.created_at = datetime.now()
            self.username = session.user.username
            if not state["running"]:
                self.next()

        def failed(exc: BaseException) -> None:
            self.button(QWizard.WizardButton.CommitButton).setEnabled(True)
            self.button(QWizard.WizardButton.NextButton).setEnabled(True)
            if isinstance(exc, DoudiError):
                error.setText(str(exc))
                error.show()
                return
            raise exc

        Task(self, work, write=True).with_progress(label, cancellable=False).success(done).failure(failed).run()
        state["running"] = False
        return self.session is not None

    def create_office(self, page: AdminPage) -> bool:
        if self.is_joining:
            return self.join_office(page)
        office = self.office_page
        data_dir, code, name, kind = self.data_dir, office.office_code(), office.office_name(), office.kind()
        username, display = page.username.text().strip(), page.display_name.text().strip()
        password = page.password.text()

        def work(progress):
            session, recovery = sessions.create_office(
                data_dir, code, username, password, office_name=name, kind=kind, admin_display_name=display
            )
            return session, recovery, sessions.recovery_sheet_fields(session)

        return self._run(page, work, self.tr("Creating the encrypted office database…"))

    def join_office(self, page: AdminPage) -> bool:
        """This PC's database as another PC of the office whose card the join page checked."""
        from ..services.exchange.join import join_office

        data_dir, card, typed = (
            self.data_dir,
            Path(self.join_page.path.text().strip()),
            self.join_page.fingerprint.text(),
        )
        username, display = page.username.text().strip(), page.display_name.text().strip()
        password = page.password.text()

        def work(progress):
            session, recovery = join_office(data_dir, card, typed, username, password, admin_display_name=display)
            return session, recovery, sessions.recovery_sheet_fields(session)

        return self._run(page, work, self.tr("Creating this PC's encrypted database…"))

    def create_demo(self, page: StartPage) -> bool:
        from ..services.demo import create_demo

        if self.demo_password is None:
            from ..demo_defaults import DEFAULT_DEMO_PASSWORD

            self.demo_password = DEFAULT_DEMO_PASSWORD
        self.is_demo = True
        data_dir, password = self.data_dir, self.demo_password

        def work(progress):
            session, code, _counts = create_demo(data_dir, password, progress=lambda n: progress.update(n, 300))
            return session, code, sessions.recovery_sheet_fields(session)

        return self._run(page, work, self.tr("Creating a demo office with made-up households…"))

    # --- leaving -------------------------------------------------------------------

    def reject(self) -> None:
        if self.session is not None and not self.code_page.isComplete():
            QMessageBox.information(
                self,
                self.tr("Recovery code"),
                self.tr(
                    "The office has been created. Please write down or print the recovery "
                    "code and tick the box before closing."
                ),
            )
            return
        super().reject()

    def done(self, result: int) -> None:
        if result == QWizard.DialogCode.Rejected and self.session is not None:
            if not self.code_page.isComplete():
                return
            # The office is made and its code kept: closing now skips the card, it undoes nothing.
            result = QWizard.DialogCode.Accepted
        super().done(result)
