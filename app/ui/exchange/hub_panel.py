"""The county hub on the 数据交换 page: its address and the automatic-sync interval (the administrator
sets them), a 立即同步 button, and a line saying how the last sync went.

Sync now is a chain of ops (hub_sync_run.py: the transfers on a reader thread, the imports and the
journal on the writer) with one progress dialog that names each package and can be cancelled between
packages; the button stays disabled while it or an automatic sync runs. A refusal is shown as its
one sentence, and the indicator and the automatic sync hear of every outcome through the hub bus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.sync_schedule import MAX_INTERVAL_MINUTES
from ...services import permissions
from ..ops import Op
from ..widgets import MessageBar, error_sentence
from .hub_events import hub_events
from .hub_sync_run import HubSyncRun

WARN = "color: #b03a2e;"


def _when(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


class HubPanel(QGroupBox):
    synced = Signal(object)  # the SyncReport of a sync started here, after it ended well

    def __init__(self, session: Any, message: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("County hub"))
        self.session = session  # for the ops: they run with this window's session
        self.message = message
        self.admin = session.can(permissions.MANAGE_USERS)
        self.url_set = False
        self.auto_busy = False
        self.running: HubSyncRun | None = None

        box = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Address")))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://192.168.1.10:8443")
        self.url.setMinimumWidth(280)
        row.addWidget(self.url, 2)
        row.addSpacing(12)
        row.addWidget(QLabel(self.tr("Sync automatically every")))
        self.interval = QSpinBox()
        self.interval.setRange(0, MAX_INTERVAL_MINUTES)
        self.interval.setSuffix(self.tr(" min"))
        self.interval.setSpecialValueText(self.tr("off"))
        row.addWidget(self.interval)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(lambda _checked=False: self.save_settings())
        row.addWidget(self.save_button)
        self.cert_button = QPushButton(self.tr("Certificate…"))
        self.cert_button.clicked.connect(lambda _checked=False: self.choose_certificate())
        row.addWidget(self.cert_button)
        row.addStretch(1)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setDefault(False)
        self.sync_button.clicked.connect(lambda _checked=False: self.sync_now())
        row.addWidget(self.sync_button)
        box.addLayout(row)
        self.last = QLabel()
        self.last.setWordWrap(True)
        box.addWidget(self.last)

        if not self.admin:
            self.url.setReadOnly(True)
            self.interval.setEnabled(False)
            self.save_button.setVisible(False)
            self.cert_button.setVisible(False)
            self.url.setToolTip(self.tr("Only the administrator sets the county hub."))
        hub_events().changed.connect(self.reload)
        hub_events().busy.connect(self._auto_busy)
        self._update_buttons()

    # --- loading ---------------------------------------------------------------------

    def reload(self) -> None:
        Op(self, lambda s, _p: (s.hub_sync.settings(), s.hub_sync.status())).success(
            lambda r: self.show_hub(*r)
        ).failure(lambda exc: self.message.error(error_sentence(exc))).run()

    def show_hub(self, settings: Any, status: Any) -> None:
        self.url.setText(settings.url)
        self.interval.setValue(settings.interval_minutes)
        self.url_set = bool(settings.url)
        self.cert_button.setToolTip(
            self.tr("The county's own TLS certificate, SHA-256 %1").replace("%1", settings.certificate)
            if settings.certificate
            else self.tr("Only for an https address whose certificate the county made itself.")
        )
        self.show_status(status)
        self._update_buttons()

    def show_status(self, status: Any) -> None:
        if not status.url:
            self.last.setText(self.tr("No county hub is set: packages travel by USB drive or shared folder."))
            self.last.setStyleSheet("color: palette(mid);")
            return
        parts = [
            self.tr("Last successful sync: %1").replace("%1", _when(status.last_success_at))
            if status.last_success_at
            else self.tr("Not synced yet.")
        ]
        failed = bool(status.last_error) or status.reachable is False
        if failed and status.last_attempt_at:
            parts[0] = parts[0].rstrip("。.")  # "尚未同步；上次尝试…", not "尚未同步。；…"
            parts.append(self.tr("last attempt: %1").replace("%1", _when(status.last_attempt_at)))
        text = "；".join(parts)
        if status.last_error:
            text += "\n" + status.last_error
        self.last.setText(text)
        self.last.setStyleSheet(WARN if failed else "")

    def _auto_busy(self, busy: bool) -> None:
        self.auto_busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = self.running is None and not self.auto_busy
        self.sync_button.setEnabled(idle and self.url_set)
        self.save_button.setEnabled(idle and self.admin)
        self.cert_button.setEnabled(idle and self.admin and self.url_set)
        if not self.url_set:
            self.sync_button.setToolTip(self.tr("Set the county hub's address first."))
        else:
            self.sync_button.setToolTip("")

    # --- actions ---------------------------------------------------------------------

    def save_settings(self) -> None:
        url, minutes = self.url.text(), self.interval.value()
        self.url.setStyleSheet("")
        Op(self, lambda s, _p: s.hub_sync.save_settings(url, minutes), write=True).success(self._saved).failure(
            self._refused
        ).run()

    def _saved(self, settings: Any) -> None:
        if not settings.url:
            self.message.info(self.tr("County hub removed: automatic sync is off."))
        elif settings.interval_minutes <= 0:
            self.message.info(
                self.tr(
                    "County hub saved: %1. Automatic sync is off: to turn it on, set “Sync automatically "
                    "every” to a number of minutes and press Save."
                ).replace("%1", settings.url)
            )
        else:
            self.message.info(self.tr("County hub saved: %1").replace("%1", settings.url))
        hub_events().changed.emit()

    def _refused(self, exc: BaseException) -> None:
        if getattr(exc, "field", None) == "hub_url":
            self.url.setStyleSheet("border: 1px solid #b03a2e;")
            self.url.setFocus()
        self.message.error(error_sentence(exc))

    def choose_certificate(self, path: str | Path | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("The county hub's certificate"), "", self.tr("Certificates (*.pem *.crt *.cer)")
            )
            if not path:
                return
        source = Path(path)
        Op(self, lambda s, _p: s.hub_sync.set_certificate(source), write=True).success(self._certificate_saved).failure(
            lambda exc: self.message.error(error_sentence(exc))
        ).run()

    def _certificate_saved(self, settings: Any) -> None:
        self.message.info(
            self.tr("Certificate saved. Read its fingerprint to the county to compare: %1").replace(
                "%1", settings.certificate
            )
        )
        hub_events().changed.emit()

    def sync_now(self) -> None:
        if self.running is not None:
            return
        self.running = (
            HubSyncRun(self, progress_label=self.tr("Syncing with the county hub…"))
            .success(self._synced)
            .failure(self._sync_failed)
            .on_cancelled(self._sync_cancelled)
        )
        self._update_buttons()
        self.running.run()

    def _synced(self, report: Any) -> None:
        self._sync_ended()
        if report.refused:
            self.message.clear_message()  # the hub line below says which package and why, once
        else:
            self.message.info(
                self.tr("Synced with the county hub: %1 received, %2 sent.")
                .replace("%1", str(len(report.fetched)))
                .replace("%2", str(len(report.sent)))
            )
        self.synced.emit(report)

    def _sync_failed(self, exc: BaseException) -> None:
        from ...hub.client import HubError

        self._sync_ended()
        if isinstance(exc, HubError):  # recorded: the hub line below shows the sentence, once
            self.message.clear_message()
        else:
            self.message.error(error_sentence(exc))

    def _sync_cancelled(self) -> None:
        self._sync_ended()
        self.message.info(self.tr("Sync cancelled: what was already sent or imported stays; the rest goes next time."))

    def _sync_ended(self) -> None:
        self.running = None
        self._update_buttons()
        hub_events().changed.emit()
