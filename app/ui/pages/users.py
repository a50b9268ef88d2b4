"""用户 page: who may sign in to this office's database, and in which role.

The administrator adds users, resets their passwords and deactivates them (the services
refuse anyone else). A deactivated user's key slot is removed, so they can no longer
sign in; the row stays for the audit trail. Any user may set a new password for their own
account here (with their current password). A forgotten administrator password needs the
recovery code (doudi recover). Every change is a write op: Argon2id takes a moment, and the
window stays responsive while it runs; the list refreshes from the op's changes.

An old copy of the key-slot file still opens the database after a deactivation (the key is the
same), so the administrator can re-encrypt the database under a new key here. That rewrites
every page (a write op with progress), gives a new recovery code (shown once), and leaves every
other user waiting for a new password from the administrator: their passwords are not known
here, so their slots cannot be rewrapped. The page says so before anything starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ...domain.entities import ROLE_NAMES, ROLES, User
from ...errors import DoudiError, InvalidInput
from ...services import permissions
from ...services.office_files import password_problem
from ..fonts import follow_text_size
from ..i18n import QT_TRANSLATE_NOOP
from ..sign_in import ChangePasswordDialog, PasswordStrength
from ..widgets import (
    CENTER,
    Col,
    FormDialog,
    ListTableModel,
    error_sentence,
    fit_columns,
    open_dialog,
    page_title,
    setup_table,
)
from .base import Page

__all__ = ["UsersPage"]

ACTIVE_COLOR = "#1e8449"
INACTIVE_COLOR = "#7f8c8d"


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


def _status(user) -> str:
    return (
        QCoreApplication.translate("UsersPage", "Active")
        if user.active
        else QCoreApplication.translate("UsersPage", "Deactivated")
    )


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: str
    password: str


class UsersPage(Page):
    tables = frozenset({"users"})

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.dialog: FormDialog | None = None
        self.is_admin = session.can(permissions.MANAGE_USERS)
        self._select_next: str | None = None  # the user just added, selected once the list has them

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        bar = QHBoxLayout()
        title = page_title(self.tr("Users"))
        bar.addWidget(title)
        bar.addSpacing(16)
        self.counts_label = QLabel()
        bar.addWidget(self.counts_label)
        bar.addStretch(1)
        self.add_button = QPushButton(self.tr("Add user…"))
        self.add_button.clicked.connect(self.open_add_dialog)
        self.reset_button = QPushButton(self.tr("Reset password…"))
        self.reset_button.clicked.connect(self.open_reset_dialog)
        self.deactivate_button = QPushButton(self.tr("Deactivate…"))
        self.deactivate_button.clicked.connect(self.open_deactivate_dialog)
        self.rekey_button = QPushButton(self.tr("Re-encrypt database…"))
        self.rekey_button.clicked.connect(self.open_rekey_dialog)
        self.rekey_button.setVisible(self.is_admin)
        for b in (self.add_button, self.reset_button, self.deactivate_button, self.rekey_button):
            bar.addWidget(b)
        self.needing: set[str] = set()  # active users without a key slot since a re-key
        self.done_dialog: QDialog | None = None
        layout.addLayout(bar)

        self.explain = QLabel(
            self.tr(
                "The administrator can reset any user's password here; a forgotten administrator password needs the "
                "recovery code printed when the office was set up."
            )
        )
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        self.rekey_explain = QLabel(self.tr(REKEY_EXPLANATION))
        self.rekey_explain.setWordWrap(True)
        self.rekey_explain.setVisible(self.is_admin)
        layout.addWidget(self.rekey_explain)
        layout.addWidget(self.message)

        self.model = ListTableModel(
            [
                Col(QT_TRANSLATE_NOOP("UsersPage", "Name"), lambda u: u.display_name, context="UsersPage"),
                Col(QT_TRANSLATE_NOOP("UsersPage", "User name"), lambda u: u.username, context="UsersPage"),
                Col(QT_TRANSLATE_NOOP("UsersPage", "Role"), lambda u: role_name(u.role), CENTER, context="UsersPage"),
                Col(
                    QT_TRANSLATE_NOOP("UsersPage", "Status"),
                    _status,
                    CENTER,
                    context="UsersPage",
                    color=lambda u: ACTIVE_COLOR if u.active else INACTIVE_COLOR,
                ),
                Col(
                    QT_TRANSLATE_NOOP("UsersPage", "Note"),
                    self._note,
                    context="UsersPage",
                    color=lambda u: INACTIVE_COLOR,
                ),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        fit_columns(self.table, [180, 180, 120, 100])
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        layout.addWidget(self.table, 1)
        self._selected_changed()

    def _note(self, user) -> str:
        notes = []
        if user.username == self.session.user.username:
            notes.append(self.tr("You (signed in now)"))
        if user.role == "admin" and user.active:
            notes.append(self.tr("If this password is forgotten, use the recovery code"))
        if not user.active:
            notes.append(self.tr("Cannot sign in"))
        elif user.username in self.needing:
            notes.append(self.tr("Needs a new password from the administrator"))
        return "；".join(notes)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        self.read(lambda s, _p: (s.users.list(), s.users.needing_password())).success(self._loaded).failure(
            self._not_loaded
        ).run()

    def _not_loaded(self, exc: BaseException) -> None:
        if not isinstance(exc, DoudiError):
            raise exc
        self.message.error(error_sentence(exc))

    def _loaded(self, loaded: tuple[list[User], list[str]]) -> None:
        users, needing = loaded
        self.needing = set(needing)
        current = self.selected()
        keep = self._select_next or (current.username if current else None)
        self._select_next = None
        # Active users first, then by user name.
        users = sorted(users, key=lambda u: (not u.active, u.username))
        self.model.set_rows(users)
        active = sum(1 for u in users if u.active)
        self.counts_label.setText(
            self.tr("%1 active, %2 deactivated").replace("%1", str(active)).replace("%2", str(len(users) - active))
        )
        if keep is not None:
            self.select_user(keep)
        self._selected_changed()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_user(self, username: str) -> bool:
        row = next((i for i, u in enumerate(self.model.rows) if u.username == username), None)
        if row is not None:
            self.table.selectRow(row)
        return row is not None

    def _selected_changed(self) -> None:
        u = self.selected()
        me = self.session.user.username
        not_admin = self.tr("Only the administrator may manage users.")
        self.add_button.setEnabled(self.is_admin)
        self.add_button.setToolTip("" if self.is_admin else not_admin)
        # Reset: the administrator for anyone active; any user for their own account.
        if u is None:
            can_reset, why = False, self.tr("Select a user first.")
        elif not u.active:
            can_reset, why = False, self.tr("This user is deactivated.")
        elif self.is_admin or u.username == me:
            can_reset, why = True, ""
        else:
            can_reset, why = False, self.tr("Only the administrator may reset other users' passwords.")
        self.reset_button.setEnabled(can_reset)
        self.reset_button.setToolTip(why)
        if not self.is_admin:
            can_off, why = False, not_admin
        elif u is None:
            can_off, why = False, self.tr("Select a user first.")
        elif not u.active:
            can_off, why = False, self.tr("This user is already deactivated.")
        elif u.username == me:
            can_off, why = False, self.tr("You cannot deactivate your own account.")
        else:
            can_off, why = True, ""
        self.deactivate_button.setEnabled(can_off)
        self.deactivate_button.setToolTip(why)

    # ------------------------------------------------------------------ dialogs

    def _password_rows(self, dlg: FormDialog) -> tuple[QLineEdit, QLineEdit]:
        password = QLineEdit()
        password.setEchoMode(QLineEdit.EchoMode.Password)
        repeat = QLineEdit()
        repeat.setEchoMode(QLineEdit.EchoMode.Password)
        strength = PasswordStrength()
        password.textChanged.connect(strength.update_for)
        dlg.add_row(self.tr("Password:"), password, field="password")
        dlg.add_row("", strength)
        dlg.add_row(self.tr("Repeat password:"), repeat, field="repeat")
        return password, repeat

    def _read_password(self, password: QLineEdit, repeat: QLineEdit) -> str:
        """The new password, checked on the GUI thread before any slow key derivation starts."""
        problem = password_problem(password.text())
        if problem:
            raise InvalidInput(problem, field="password")
        if password.text() != repeat.text():
            raise InvalidInput(self.tr("The two passwords are not the same."), field="repeat")
        return password.text()

    def open_add_dialog(self) -> FormDialog | None:
        if not self.is_admin:
            return None
        username = QLineEdit()
        username.setPlaceholderText(self.tr("Letters, digits or Chinese, e.g. wangli"))
        display = QLineEdit()
        display.setPlaceholderText(self.tr("e.g. 王丽"))
        role = QComboBox()
        for r in ROLES:
            role.addItem(role_name(r), r)
        role.setCurrentIndex(role.findData("clerk"))

        def read() -> NewUser:
            return NewUser(
                username.text().strip(),
                display.text().strip(),
                role.currentData(),
                self._read_password(password, repeat),
            )

        dlg = FormDialog(
            self.tr("Add a user"),
            self,
            read=read,
            write=lambda s, new: s.users.add(new.username, new.role, new.password, display_name=new.display_name),
            intro=self.tr("The new user signs in with this user name and password on this PC."),
        )
        dlg.add_row(self.tr("User name:"), username, field="username")
        dlg.add_row(self.tr("Full name:"), display, field="display_name")
        dlg.add_row(self.tr("Role:"), role, field="role")
        password, repeat = self._password_rows(dlg)
        dlg.saved.connect(self._added)
        return open_dialog(self, dlg)

    def _added(self, user: User) -> None:
        self._select_next = user.username  # the list itself refreshes from the op's changes
        self.select_user(user.username)
        self.message.info(
            self.tr("User %1 (%2) was added.").replace("%1", user.display_name).replace("%2", role_name(user.role))
        )

    def open_reset_dialog(self) -> FormDialog | None:
        u = self.selected()
        if u is None or not self.reset_button.isEnabled():
            return None
        if u.username == self.session.user.username:
            # One's own password needs the current one (the service refuses a reset of oneself).
            own = ChangePasswordDialog(self.session, self)
            own.saved.connect(lambda _r: self.message.info(self.tr("Your password has been changed.")))
            return open_dialog(self, own)
        dlg = FormDialog(
            self.tr("Reset password"),
            self,
            read=lambda: self._read_password(password, repeat),
            write=lambda s, new: s.users.reset_password(u.username, new),
            intro=self.tr("New password for %1 (%2). Tell the user in person; it is not shown again.")
            .replace("%1", u.display_name)
            .replace("%2", u.username),
        )
        password, repeat = self._password_rows(dlg)
        dlg.saved.connect(
            lambda _r: self.message.info(self.tr("The password of %1 was reset.").replace("%1", u.display_name))
        )
        return open_dialog(self, dlg)

    def open_deactivate_dialog(self) -> FormDialog | None:
        u = self.selected()
        if u is None or not self.deactivate_button.isEnabled():
            return None
        dlg = FormDialog(
            self.tr("Deactivate user"),
            self,
            read=lambda: u.username,
            write=lambda s, username: s.users.deactivate(username),
            intro=self.tr(
                "Deactivate %1 (%2, %3)? They will no longer be able to sign in. Their past work stays in the records."
            )
            .replace("%1", u.display_name)
            .replace("%2", u.username)
            .replace("%3", role_name(u.role)),
        )
        dlg.ok_button.setText(self.tr("Deactivate"))
        dlg.saved.connect(
            lambda _r: self.message.info(
                self.tr("%1 was deactivated and can no longer sign in.").replace("%1", u.display_name)
            )
        )
        return open_dialog(self, dlg)

    # ------------------------------------------------------------------ re-key

    def open_rekey_dialog(self) -> FormDialog | None:
        """Ask for the administrator's password again, saying first what a re-key does to everyone."""
        if not self.is_admin:
            return None
        others = [u.display_name for u in self.model.rows if u.active and u.username != self.session.user.username]
        intro = self.tr(REKEY_EXPLANATION) + "\n\n"
        if others:
            intro += self.tr("These users will need a new password from you afterwards: %1.").replace(
                "%1", "、".join(others)
            )
        else:
            intro += self.tr("No other user is active, so nobody else needs a new password.")
        password = QLineEdit()
        password.setEchoMode(QLineEdit.EchoMode.Password)
        # The password is checked by the service, on the writer thread, as part of the re-key.
        dlg = FormDialog(self.tr("Re-encrypt the database"), self, read=password.text, intro=intro)
        dlg.add_row(self.tr("Your password:"), password, field="password")
        dlg.ok_button.setText(self.tr("Re-encrypt"))
        dlg.saved.connect(self._start_rekey)
        return open_dialog(self, dlg)

    def _start_rekey(self, password: str) -> None:
        self.write(lambda s, progress: s.keys.rekey(password, progress)).with_progress(
            self.tr("Re-encrypting the database…"), cancellable=False, delay_ms=0
        ).success(self._rekeyed).failure(self._rekey_failed).run()

    def _rekey_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, DoudiError):
            raise exc
        self.message.error(error_sentence(exc))

    def _rekeyed(self, result) -> None:
        self.message.info(self.tr("The database was re-encrypted. Old copies of the key-slot file no longer open it."))
        self.done_dialog = RekeyDoneDialog(result.recovery_code, result.users_to_reset, self)
        self.done_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.done_dialog.finished.connect(lambda _r: setattr(self, "done_dialog", None))
        self.done_dialog.open()


REKEY_EXPLANATION = QT_TRANSLATE_NOOP(
    "UsersPage",
    "Deactivating a user removes their key slot, but an old copy of the key-slot file (a backup, a USB stick) "
    "still opens the database. Re-encrypting the database under a new key makes every old copy useless. "
    "Afterwards you get a new recovery code (the old one stops working), and every other user needs a new "
    "password from you, because their passwords are not known to the program.",
)


class RekeyDoneDialog(QDialog):
    """The new recovery code, shown once, and who now waits for a new password."""

    def __init__(self, code: str, users_to_reset: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("The database was re-encrypted"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The new recovery code is shown only this once. Write it down or print a new recovery sheet, "
                "lock it away, and destroy the old sheet: its code no longer opens the database."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.code = QLabel(code)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setStyleSheet("padding: 10px;")
        follow_text_size(self.code, 2.2, bold=True, family="WenQuanYi Micro Hei Mono")
        layout.addWidget(self.code)
        self.users = QLabel(
            self.tr("Set a new password for each of these users with Reset password…: %1.").replace(
                "%1", "、".join(users_to_reset)
            )
            if users_to_reset
            else self.tr("No other user needs a new password.")
        )
        self.users.setWordWrap(True)
        layout.addWidget(self.users)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
