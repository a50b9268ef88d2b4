"""Signing in, recovering a lost password with the recovery code, changing a password.

Every check is the service's (``services.office``, ``services.office_files``): the dialogs only
show its one sentence. Key derivation is slow on purpose (Argon2id, 64 MiB), so it never runs on
the GUI thread: signing in and recovery are Tasks (they make the session), and changing one's
own password is a write op on the session's writer thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ..errors import AuthFailed, DeviceSecretMissing, DoudiError, InvalidInput
from ..services import backup as backups
from ..services import office as sessions
from ..services.office_files import office_code
from .fonts import follow_text_size
from .ops import Op, Task
from .ui_settings import ui_settings
from .widgets import FormDialog

if TYPE_CHECKING:
    from ..services.session import Session

__all__ = [
    "ChangePasswordDialog",
    "PasswordStrength",
    "RecoveryDialog",
    "SignInDialog",
    "last_user",
    "name_with_role",
    "office_label",
    "ui_settings",
]

LAST_USER_KEY = "sign_in/last_user"
ERROR_STYLE = "color: #b00020;"


def last_user() -> str:
    """The user name that last signed in on this PC ("" before the first sign-in)."""
    value = ui_settings().value(LAST_USER_KEY, "")
    return value if isinstance(value, str) else ""


def name_with_role(name: str, role: str) -> str:
    """ "王经办（经办人）"; a name that already ends in brackets gets the role inside them
    ("王经办（演示）" → "王经办（演示，经办人）"), never a second pair."""
    name = name.strip()
    for opening, closing in (("（", "）"), ("(", ")")):
        if name.endswith(closing) and opening in name:
            head, _, inside = name[: -len(closing)].rpartition(opening)
            if head.strip():
                return f"{head.strip()}（{inside.strip()}，{role}）"
    return f"{name}（{role}）"


def office_label(data_dir: Path | str) -> str:
    """ "香水镇（640424100000）" from the key-slot file, readable before sign-in; "" if unknown."""
    from ..resource_files import divisions

    code = office_code(data_dir)
    if not code:
        return ""
    known = divisions().get(code)
    return f"{known.name}（{code}）" if known else code


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setAccessibleName("error")
    label.hide()
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class PasswordStrength(QWidget):
    """A bar and one line under a new-password field: the service's own rules, live."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(120)
        self.bar.setFixedHeight(10)
        self.hint = QLabel()
        layout.addWidget(self.bar)
        layout.addWidget(self.hint, 1)
        self.update_for("")

    def update_for(self, password: str) -> None:
        score = sessions.password_strength(password)
        problem = sessions.password_problem(password) if password else None
        names = [self.tr("Too weak"), self.tr("Weak"), self.tr("Fair"), self.tr("Good"), self.tr("Strong")]
        colors = ["#b00020", "#d35400", "#b7950b", "#1e8449", "#196f3d"]
        self.bar.setValue(score)
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colors[score]}; }}")
        if not password:
            self.hint.setText(self.tr("At least 8 characters; longer is better."))
            self.hint.setStyleSheet("")
        elif problem:
            self.hint.setText(problem)
            self.hint.setStyleSheet(ERROR_STYLE)
        else:
            self.hint.setText(self.tr("Strength: %1").replace("%1", names[score]))
            self.hint.setStyleSheet("")


class _NewPasswordFields:
    """New password twice with the strength hint; ``problem()`` says what is still wrong."""

    def __init__(self, owner: QWidget, form: QFormLayout, first_label: str, second_label: str):
        self.owner = owner
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = PasswordStrength()
        form.addRow(first_label, self.password)
        form.addRow("", self.strength)
        form.addRow(second_label, self.repeat)
        self.password.textChanged.connect(self.strength.update_for)

    def check(self) -> None:
        """Raise the problem as an :class:`InvalidInput` naming the field at fault."""
        problem = self.problem()
        if problem:
            raise InvalidInput(problem, field="repeat" if problem == self._mismatch() else "password")

    @staticmethod
    def _mismatch() -> str:
        return QCoreApplication.translate("PasswordStrength", "The two passwords are not the same.")

    def problem(self) -> str | None:
        new = self.password.text()
        problem = sessions.password_problem(new)
        if problem:
            return problem
        if new != self.repeat.text():
            return self._mismatch()
        return None


class SignInDialog(QDialog):
    """User name and password; on success ``self.session`` is the open session.

    The user name field offers *username* if given, else the last user who signed in here. With
    *choose_user* (after signing out, to switch user) that name is selected, so typing replaces it.
    """

    def __init__(
        self,
        data_dir: Path | str,
        username: str | None = None,
        hint: str = "",
        parent=None,
        choose_user: bool = False,
    ):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.session: Session | None = None
        self._op: Op[Session] | None = None
        self.setWindowTitle(self.tr("Doudi — sign in"))
        self.setMinimumWidth(440)

        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Doudi"))
        follow_text_size(title, 1.8, bold=True)
        layout.addWidget(title)
        office = office_label(self.data_dir)
        self.office_label = QLabel(office)
        self.office_label.setVisible(bool(office))
        layout.addWidget(self.office_label)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setStyleSheet("color: #555;")
            layout.addWidget(hint_label)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.user = QLineEdit(username or last_user())
        self.user.setMaxLength(32)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("&User name:"), self.user)
        form.addRow(self.tr("&Password:"), self.password)
        layout.addLayout(form)

        self.error = _error_label()
        layout.addWidget(self.error)

        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton(self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.forgot_button = buttons.addButton(self.tr("Forgot password…"), QDialogButtonBox.ButtonRole.ResetRole)
        self.restore_button = buttons.addButton(self.tr("Restore from backup…"), QDialogButtonBox.ButtonRole.ResetRole)
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore_from_backup)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.forgot_button.setAutoDefault(False)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.forgot_button.clicked.connect(self.forgot_password)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(1000)
        self._wait_timer.timeout.connect(self._tick_wait)
        if choose_user or not self.user.text():
            self.user.selectAll()
            self.user.setFocus()
        else:
            self.password.setFocus()
        self._check_wait()

    # --- back-off -----------------------------------------------------------------

    def _throttle(self) -> sessions.LoginThrottle:
        return sessions.LoginThrottle(sessions.OfficePaths(self.data_dir).login_state)

    def wait_seconds(self) -> int:
        name = self.user.text().strip()
        return self._throttle().wait_seconds(name) if name else 0

    def _check_wait(self) -> None:
        if self.wait_seconds() > 0:
            self._tick_wait()
            self._wait_timer.start()

    def _tick_wait(self) -> None:
        wait = self.wait_seconds()
        if wait <= 0:
            self._wait_timer.stop()
            self.sign_in_button.setEnabled(True)
            _show_error(self.error, "")
            self.password.setFocus()
            return
        self.sign_in_button.setEnabled(False)
        _show_error(
            self.error, self.tr("Too many failed attempts. Please try again in %1 seconds.").replace("%1", str(wait))
        )

    # --- actions ------------------------------------------------------------------

    def sign_in(self) -> None:
        username, password = self.user.text().strip(), self.password.text()
        if not username:
            _show_error(self.error, self.tr("Please enter your user name."))
            self.user.setFocus()
            return
        if not password:
            _show_error(self.error, self.tr("Please enter your password."))
            self.password.setFocus()
            return
        if self.wait_seconds() > 0:
            self._check_wait()
            return
        self.sign_in_button.setEnabled(False)
        _show_error(self.error, "")
        data_dir = self.data_dir
        self._op = (
            Task(
                self,
                lambda progress: sessions.open_session(
                    data_dir, username, password, progress=lambda label: progress.update(label=label)
                ),
            )
            .with_progress(self.tr("Unlocking the office database…"), cancellable=False)
            .success(self._signed_in)
            .failure(self._failed)
            .run()
        )

    def _signed_in(self, session) -> None:
        self.session = session
        settings = ui_settings()
        settings.setValue(LAST_USER_KEY, session.user.username)
        settings.sync()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.sign_in_button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        if isinstance(exc, DeviceSecretMissing):
            _show_error(
                self.error,
                self.tr(
                    "This PC does not hold the key for this office database (the data "
                    'folder may have been copied from another PC). Use "Forgot '
                    'password…" with the recovery code.'
                ),
            )
            self.forgot_button.setDefault(True)
            self.forgot_button.setFocus()
            return
        if isinstance(exc, DoudiError):
            _show_error(self.error, str(exc))
            if isinstance(exc, AuthFailed):
                self._check_wait()
            return
        raise exc

    def forgot_password(self) -> None:
        dialog = RecoveryDialog(self.data_dir, self.user.text().strip(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.session is not None:
            self._signed_in(dialog.session)

    def reject(self) -> None:
        self._wait_timer.stop()
        super().reject()

    # --- restoring a backup ----------------------------------------------------------

    def restore_from_backup(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a backup (its manifest.json)"), "", self.tr("Backup manifest (manifest.json)")
        )
        if path:
            self.restore_backup(Path(path))

    def restore_backup(self, path: Path) -> None:
        """Check the backup, ask the secret that opens it here, then put it in place."""
        _show_error(self.error, "")

        def check(_progress):
            backups.read_manifest(path)  # a damaged backup is refused before any question
            return backups.restore_needs(path)

        Task(self, check).success(lambda kind: self._ask_and_restore(path, kind)).failure(self._restore_failed).run()

    def _ask_and_restore(self, path: Path, kind: str) -> None:
        username = self.user.text().strip()
        if kind == "password":
            if not username:
                _show_error(self.error, self.tr("Please enter your user name."))
                self.user.setFocus()
                return
            label = self.tr("Password of %1:").replace("%1", username)
        else:
            label = self.tr("This PC does not hold the key of this backup. Recovery code:")
        secret, ok = QInputDialog.getText(self, self.tr("Restore from backup"), label, QLineEdit.EchoMode.Password)
        if not ok or not secret:
            return
        if sessions.OfficePaths(self.data_dir).exists():
            answer = QMessageBox.question(
                self,
                self.tr("Restore from backup"),
                self.tr(
                    "The office now in %1 will be moved aside (kept, not deleted) and replaced by the backup."
                ).replace("%1", str(self.data_dir)),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        data_dir = self.data_dir
        if kind == "password":
            work = lambda _p: backups.restore(path, data_dir, username=username, password=secret)  # noqa: E731
        else:
            work = lambda _p: backups.restore(path, data_dir, recovery_code=secret)  # noqa: E731
        self.restore_button.setEnabled(False)
        (
            Task(self, work)
            .with_progress(self.tr("Restoring the backup…"), cancellable=False)
            .success(self._restored)
            .failure(self._restore_failed)
            .run()
        )

    def _restored(self, result) -> None:
        self.restore_button.setEnabled(True)
        office = office_label(self.data_dir)
        self.office_label.setText(office)
        self.office_label.setVisible(bool(office))
        text = self.tr("The backup has been restored.")
        if result.aside is not None:
            text += " " + self.tr("The office it replaced is kept in %1.").replace("%1", str(result.aside))
        if result.needs_recover:
            text += " " + self.tr("This PC does not hold the key: set a new password with the recovery code.")
        QMessageBox.information(self, self.tr("Restore from backup"), text)
        if result.needs_recover:
            self.forgot_password()
        else:
            self.password.setFocus()

    def _restore_failed(self, exc: BaseException) -> None:
        self.restore_button.setEnabled(True)
        if isinstance(exc, DoudiError):
            _show_error(self.error, str(exc))
            return
        raise exc


class RecoveryDialog(QDialog):
    """A new password with the recovery code (also on a PC without the device secret)."""

    def __init__(self, data_dir: Path | str, username: str = "", parent=None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.session: Session | None = None
        self.setWindowTitle(self.tr("Set a new password with the recovery code"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The recovery code was shown once when the office was set up, and printed on "
                "the recovery sheet. It sets a new password for one user."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.user = QLineEdit(username)
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        mono = QFont("WenQuanYi Micro Hei Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.code.setFont(mono)
        form.addRow(self.tr("&User name:"), self.user)
        form.addRow(self.tr("&Recovery code:"), self.code)
        self.new = _NewPasswordFields(self, form, self.tr("&New password:"), self.tr("&Repeat it:"))
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Set new password"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.code if username else self.user).setFocus()

    def submit(self) -> None:
        username, code = self.user.text().strip(), self.code.text().strip()
        if not username:
            _show_error(self.error, self.tr("Please enter your user name."))
            return
        if not code:
            _show_error(self.error, self.tr("Please enter the recovery code."))
            return
        problem = self.new.problem()
        if problem:
            _show_error(self.error, problem)
            return
        new, data_dir = self.new.password.text(), self.data_dir
        self.ok_button.setEnabled(False)
        (
            Task(self, lambda progress: sessions.recover(data_dir, username, code, new))
            .with_progress(self.tr("Checking the recovery code…"), cancellable=False)
            .success(self._done)
            .failure(self._failed)
            .run()
        )

    def _done(self, session) -> None:
        self.session = session
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, DoudiError):
            _show_error(self.error, str(exc))
            return
        raise exc


class ChangePasswordDialog(FormDialog):
    """The signed-in user's own password: old one, new one twice.

    The new password is checked on the GUI thread; the change itself (two slow key derivations and
    the audit row) is a write op on the session's writer thread, with OK disabled while it runs.
    A wrong current password keeps the dialog open with the service's sentence.
    """

    def __init__(self, session, parent=None):
        self.session = session  # the ops of this dialog run on it (it may have no parent)
        super().__init__(
            self.tr("Change password"),
            parent,
            read=self.read_passwords,
            write=lambda s, passwords: s.change_password(*passwords),
        )
        self.setMinimumWidth(480)
        self.old = QLineEdit()
        self.old.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_row(self.tr("&Current password:"), self.old, field="old")
        self.new = _NewPasswordFields(self, self.form, self.tr("&New password:"), self.tr("&Repeat it:"))
        self.fields["password"] = self.new.password
        self.fields["repeat"] = self.new.repeat
        self.old.setFocus()

    def read_passwords(self) -> tuple[str, str]:
        if not self.old.text():
            raise InvalidInput(self.tr("Please enter your current password."), field="old")
        self.new.check()
        return self.old.text(), self.new.password.text()

    def _refused(self, exc: BaseException) -> None:
        # A wrong current password (or the back-off after several) is about the first field.
        field = getattr(exc, "field", "") or ("old" if isinstance(exc, AuthFailed) else "")
        self.show_error(str(exc), field)
        if isinstance(exc, AuthFailed):
            self.old.selectAll()
