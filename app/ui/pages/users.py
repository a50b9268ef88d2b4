"""用户 page: who may sign in to this office's database, and in which role.

The administrator adds users, resets their passwords and deactivates them (the services
refuse anyone else). A deactivated user's key slot is removed, so they can no longer
sign in; the row stays for the audit trail. Any user may set a new password for their own
account here. A forgotten administrator password needs the recovery code (doudi recover).
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import ROLE_NAMES, ROLES
from ...services import permissions
from ...services import session as sessions
from ..widgets import (CENTER, Col, FormDialog, ListTableModel, MessageBar, error_sentence, fit_columns,
                              open_dialog, page_title, setup_table)
from ..sign_in import PasswordStrength

__all__ = ["UsersPage"]

ACTIVE_COLOR = "#1e8449"
INACTIVE_COLOR = "#7f8c8d"


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


def _status(user) -> str:
    return (QCoreApplication.translate("UsersPage", "Active") if user.active
            else QCoreApplication.translate("UsersPage", "Deactivated"))


class UsersPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.dialog: FormDialog | None = None
        self.is_admin = session.can(permissions.MANAGE_USERS)

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
        for b in (self.add_button, self.reset_button, self.deactivate_button):
            bar.addWidget(b)
        layout.addLayout(bar)

        self.explain = QLabel(self.tr(
            "The administrator can reset any user's password here; a forgotten administrator password needs the "
            "recovery code printed when the office was set up."))
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        self.message = MessageBar()
        layout.addWidget(self.message)

        self.model = ListTableModel([
            Col(QT_TRANSLATE_NOOP("UsersPage", "Name"), lambda u: u.display_name, context="UsersPage"),
            Col(QT_TRANSLATE_NOOP("UsersPage", "User name"), lambda u: u.username, context="UsersPage"),
            Col(QT_TRANSLATE_NOOP("UsersPage", "Role"), lambda u: role_name(u.role), CENTER, context="UsersPage"),
            Col(QT_TRANSLATE_NOOP("UsersPage", "Status"), _status, CENTER, context="UsersPage",
                color=lambda u: ACTIVE_COLOR if u.active else INACTIVE_COLOR),
            Col(QT_TRANSLATE_NOOP("UsersPage", "Note"), self._note, context="UsersPage",
                color=lambda u: INACTIVE_COLOR),
        ])
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
        return "；".join(notes)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        current = self.selected()
        keep = current.username if current else None
        try:
            users = self.session.users.list()
        except Exception as exc:  # noqa: BLE001 - the service's sentence, shown as is
            self.message.error(error_sentence(exc))
            return
        # Active users first, then by user name.
        users = sorted(users, key=lambda u: (not u.active, u.username))
        self.model.set_rows(users)
        active = sum(1 for u in users if u.active)
        self.counts_label.setText(self.tr("%1 active, %2 deactivated").replace("%1", str(active))
                                  .replace("%2", str(len(users) - active)))
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
        dlg.add_row(self.tr("Password:"), password)
        dlg.add_row("", strength)
        dlg.add_row(self.tr("Repeat password:"), repeat)
        return password, repeat

    def _password_problem(self, password: QLineEdit, repeat: QLineEdit) -> str | None:
        problem = sessions.password_problem(password.text())
        if problem:
            return problem
        if password.text() != repeat.text():
            return self.tr("The two passwords are not the same.")
        return None

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
        dlg = FormDialog(self.tr("Add a user"), lambda: None, self,
                         intro=self.tr("The new user signs in with this user name and password on this PC."))
        dlg.add_row(self.tr("User name:"), username)
        dlg.add_row(self.tr("Full name:"), display)
        dlg.add_row(self.tr("Role:"), role)
        password, repeat = self._password_rows(dlg)

        def submit():
            problem = self._password_problem(password, repeat)
            if problem:
                raise ValueError(problem)
            user = self.session.users.add(username.text().strip(), role.currentData(), password.text(),
                                          display_name=display.text().strip())
            self.refresh()
            self.select_user(user.username)
            self.message.info(self.tr("User %1 (%2) was added.").replace("%1", user.display_name)
                              .replace("%2", role_name(user.role)))
            return user

        dlg.submit = submit
        dlg.fields = {"username": username, "display_name": display, "role": role, "password": password,
                      "repeat": repeat}
        return open_dialog(self, dlg)

    def open_reset_dialog(self) -> FormDialog | None:
        u = self.selected()
        if u is None or not self.reset_button.isEnabled():
            return None
        dlg = FormDialog(self.tr("Reset password"), lambda: None, self,
                         intro=self.tr("New password for %1 (%2). Tell the user in person; it is not shown again.")
                         .replace("%1", u.display_name).replace("%2", u.username))
        password, repeat = self._password_rows(dlg)

        def submit():
            problem = self._password_problem(password, repeat)
            if problem:
                raise ValueError(problem)
            self.session.users.reset_password(u.username, password.text())
            self.message.info(self.tr("The password of %1 was reset.").replace("%1", u.display_name))
            return u.username

        dlg.submit = submit
        dlg.fields = {"password": password, "repeat": repeat}
        return open_dialog(self, dlg)

    def open_deactivate_dialog(self) -> FormDialog | None:
        u = self.selected()
        if u is None or not self.deactivate_button.isEnabled():
            return None

        def submit():
            self.session.users.deactivate(u.username)
            self.refresh()
            self.message.info(self.tr("%1 was deactivated and can no longer sign in.").replace("%1", u.display_name))
            return u.username

        dlg = FormDialog(self.tr("Deactivate user"), submit, self,
                         intro=self.tr("Deactivate %1 (%2, %3)? They will no longer be able to sign in. "
                                       "Their past work stays in the records.")
                         .replace("%1", u.display_name).replace("%2", u.username).replace("%3", role_name(u.role)))
        dlg.buttons.button(dlg.buttons.StandardButton.Ok).setText(self.tr("Deactivate"))
        return open_dialog(self, dlg)
