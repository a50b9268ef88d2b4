"""数据交换: packages to and from the other offices (docs/exchange.md).

The top says who we are (our card's fingerprint, to read out over the phone) and how many changes
the county has not acknowledged yet. Export writes one package per peer into a folder, offering
removable drives first; import takes a file chosen or dropped on the page. The tabs list the
peers, every package sent and received with its receipt, the rows held in quarantine and the
conflicts a person must decide. Every step is an op: export and import are write ops with a
progress dialog that names each step and can be cancelled; a cancel leaves no package written and
nothing imported (the services hear it only before they commit).

Under the buttons, the county hub (app/ui/exchange/hub_panel.py): its address and the automatic-sync
interval, set by the administrator, and 立即同步; the 数据包记录 tab marks what went through the hub.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...exchange.package_file import SUFFIX
from ...services import permissions
from ..exchange.drives import removable_drives
from ..exchange.hub_panel import HubPanel
from ..i18n import QT_TRANSLATE_NOOP
from ..widgets import CENTER, RIGHT, Col, ListTableModel, error_sentence, page_title, setup_table
from ..widgets.tables import fit_headers
from .base import Page

__all__ = ["ExchangePage", "receipt_summary"]

C = "ExchangePage"
WARN = "#b03a2e"


def receipt_summary(receipt: dict[str, Any]) -> str:
    """One line a clerk reads: what a package did here (or at the peer, for one we sent)."""
    if not receipt:
        return ""
    if receipt.get("already_applied"):
        return "此前已导入，未作更改"
    applied = sum((receipt.get("applied") or {}).values())
    parts = [f"更新 {applied} 行"]
    if receipt.get("unchanged"):
        parts.append(f"未变 {receipt['unchanged']} 行")
    if receipt.get("quarantined"):
        parts.append(f"隔离 {len(receipt['quarantined'])} 行")
    if receipt.get("conflicts"):
        parts.append(f"冲突 {receipt['conflicts']} 处")
    if receipt.get("decisions_applied"):
        parts.append(f"办理县级审批决定 {receipt['decisions_applied']} 项")
    return "，".join(parts)


def _later_pcs(peers: list[Any]) -> set[str]:
    """The fingerprints of an office's cards trusted after another card of it that is still trusted:
    its second (third…) PC. A card that replaced a revoked one is that office's PC, not another."""
    later: set[str] = set()
    for p in peers:
        if any(
            q.office_code == p.office_code
            and not q.revoked
            and q.fingerprint != p.fingerprint
            and (q.added_at, q.fingerprint) < (p.added_at, p.fingerprint)
            for q in peers
        ):
            later.add(p.fingerprint)
    return later


class ExchangePage(Page):
    tables = frozenset({"packages", "peers", "quarantine", "conflicts", "channels", "hub"})

    def __init__(self, session, parent=None):
        super().__init__(session, parent)
        self.setAcceptDrops(True)
        self.last_folder = ""
        self._admin = session.can(permissions.MANAGE_USERS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        bar = QHBoxLayout()
        bar.addWidget(page_title(self.tr("Data exchange")))
        bar.addSpacing(16)
        self.identity = QLabel()
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.identity, 1)
        layout.addLayout(bar)

        actions = QHBoxLayout()
        self.unsent = QLabel()
        actions.addWidget(self.unsent)
        actions.addStretch(1)
        self.export_button = QPushButton(self.tr("Export packages…"))
        self.export_button.clicked.connect(lambda _checked=False: self.export_packages())
        self.import_button = QPushButton(self.tr("Import a package…"))
        self.import_button.clicked.connect(lambda _checked=False: self.import_package())
        self.card_button = QPushButton(self.tr("Save our card…"))
        self.card_button.clicked.connect(lambda _checked=False: self.save_card())
        self.add_button = QPushButton(self.tr("Add an office's card…"))
        self.add_button.clicked.connect(lambda _checked=False: self.add_peer())
        for b in (self.export_button, self.import_button, self.card_button, self.add_button):
            actions.addWidget(b)
        if not self._admin:
            self.add_button.setEnabled(False)
            self.add_button.setToolTip(self.tr("Only the administrator adds or revokes offices."))
        layout.addLayout(actions)
        self.hub = HubPanel(session, self.message)
        layout.addWidget(self.hub)
        layout.addWidget(self.message)
        hint = QLabel(self.tr("Drop a package file (%1) anywhere on this page to import it.").replace("%1", SUFFIX))
        hint.setStyleSheet("color: palette(mid);")
        layout.addWidget(hint)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.peers_model = ListTableModel(
            [
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Office"), lambda p: p.office_name, context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Code"), lambda p: p.office_code, CENTER, context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Kind"), self._peer_kind, CENTER, context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Fingerprint"), lambda p: p.fingerprint, CENTER, context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Added"), lambda p: p.added_at[:10], CENTER, context=C),
                Col(
                    QT_TRANSLATE_NOOP("ExchangePage", "State"),
                    lambda p: (
                        self.tr("revoked %1").replace("%1", p.revoked_at[:10]) if p.revoked else self.tr("trusted")
                    ),
                    CENTER,
                    context=C,
                    color=lambda p: WARN if p.revoked else None,
                ),
            ]
        )
        self.peers_table, peers_tab = self._tab(self.peers_model, self.tr("Offices"))
        self.revoke_button = QPushButton(self.tr("Revoke…"))
        self.revoke_button.setEnabled(self._admin)
        self.revoke_button.clicked.connect(lambda _checked=False: self.revoke_selected())
        peers_tab.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignRight)

        self.history_model = ListTableModel(
            [
                Col(
                    QT_TRANSLATE_NOOP("ExchangePage", "When"),
                    lambda h: (h["handled_at"] or "")[:16].replace("T", " "),
                    CENTER,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("ExchangePage", "Direction"),
                    lambda h: self.tr("received") if h["direction"] == "in" else self.tr("sent"),
                    CENTER,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("ExchangePage", "Office"),
                    lambda h: self.names.get(h["peer"], h["peer"]),
                    context=C,
                ),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "No."), lambda h: h["seq"], RIGHT, context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Rows"), lambda h: h["rows"], RIGHT, context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Hub"), self._via_hub, CENTER, context=C),
                Col(
                    QT_TRANSLATE_NOOP("ExchangePage", "Receipt"),
                    lambda h: receipt_summary(h.get("receipt") or {}),
                    context=C,
                ),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "File"), lambda h: h["file"], context=C),
            ]
        )
        self.history_table, _history_tab = self._tab(self.history_model, self.tr("Packages"))

        self.quarantine_model = ListTableModel(
            [
                Col(
                    QT_TRANSLATE_NOOP("ExchangePage", "When"),
                    lambda q: (q["at"] or "")[:16].replace("T", " "),
                    CENTER,
                    context=C,
                ),
                Col(
                    QT_TRANSLATE_NOOP("ExchangePage", "From"), lambda q: self.names.get(q["peer"], q["peer"]), context=C
                ),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Table"), lambda q: q["entity"], context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Reason"), lambda q: q["reason"], context=C),
            ]
        )
        self.quarantine_table, q_tab = self._tab(self.quarantine_model, self.tr("Quarantine"))
        q_buttons = QHBoxLayout()
        q_buttons.addStretch(1)
        self.release_button = QPushButton(self.tr("Try again"))
        self.release_button.clicked.connect(lambda _checked=False: self.release_selected())
        self.dismiss_button = QPushButton(self.tr("Set aside…"))
        self.dismiss_button.clicked.connect(lambda _checked=False: self.dismiss_selected())
        for b in (self.release_button, self.dismiss_button):
            b.setEnabled(self._admin)
            q_buttons.addWidget(b)
        q_tab.addLayout(q_buttons)

        self.conflicts_model = ListTableModel(
            [
                Col(
                    QT_TRANSLATE_NOOP("ExchangePage", "When"),
                    lambda c: (c["at"] or "")[:16].replace("T", " "),
                    CENTER,
                    context=C,
                ),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Table"), lambda c: c["entity"], context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Kept version"), lambda c: c["kept_updated_at"], context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "Other version"), lambda c: c["lost_updated_at"], context=C),
                Col(QT_TRANSLATE_NOOP("ExchangePage", "What differs"), self._difference, context=C),
            ]
        )
        self.conflicts_table, c_tab = self._tab(self.conflicts_model, self.tr("Conflicts"))
        c_buttons = QHBoxLayout()
        c_buttons.addStretch(1)
        self.keep_button = QPushButton(self.tr("Keep this version"))
        self.keep_button.clicked.connect(lambda: self.resolve_selected("stored"))
        self.other_button = QPushButton(self.tr("Take the other version"))
        self.other_button.clicked.connect(lambda: self.resolve_selected("other"))
        c_buttons.addWidget(self.keep_button)
        c_buttons.addWidget(self.other_button)
        c_tab.addLayout(c_buttons)
        self.names: dict[str, str] = {}
        self.own_code = ""
        self.later_pcs: set[str] = set()
        self.hub_journal: dict[str, dict[str, Any]] = {}
        self.current_rows: dict[tuple[str, str], dict[str, Any]] = {}

    def _tab(self, model: ListTableModel, title: str) -> tuple[QTableView, QVBoxLayout]:
        tab = QWidget()
        box = QVBoxLayout(tab)
        box.setContentsMargins(4, 4, 4, 4)
        table = QTableView()
        table.setModel(model)
        setup_table(table)
        box.addWidget(table, 1)
        self.tabs.addTab(tab, title)
        return table, box

    def _via_hub(self, h: dict[str, Any]) -> str:
        entry = self.hub_journal.get(h["package_id"])
        if entry is None:
            return ""
        when = (entry.get("at") or "")[11:16]
        return (self.tr("uploaded %1") if entry["direction"] == "up" else self.tr("downloaded %1")).replace("%1", when)

    def _kind(self, kind: str) -> str:
        return self.tr("county") if kind == "county" else self.tr("township")

    def _peer_kind(self, peer: Any) -> str:
        """A sibling PC is not another office; a second PC of one office is told from its first."""
        if peer.office_code == self.own_code:
            return self.tr("this office's other PC")
        if peer.fingerprint in self.later_pcs:
            return self.tr("%1, another PC").replace("%1", self._kind(peer.kind))
        return self._kind(peer.kind)

    def _difference(self, conflict: dict[str, Any]) -> str:
        current = self.current_rows.get((conflict["entity"], conflict["row_id"])) or {}
        lost = conflict.get("lost") or {}
        skip = {"updated_at", "updated_by"}
        changed = [k for k, v in lost.items() if k not in skip and current.get(k) != v]
        return "、".join(changed[:6])

    # --- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        def work(s, _p):
            card = s.trust.card()
            conflicts = s.packages.conflicts()
            current = {}
            for c in conflicts:
                current[(c["entity"], c["row_id"])] = s.packages.current_row(c["entity"], c["row_id"])
            return {
                "card": card,
                "unsent": s.dashboard.unsent_changes(),
                "peers": s.trust.peers(),
                "history": s.packages.history(),
                "quarantine": s.packages.quarantine(),
                "conflicts": conflicts,
                "current": current,
                "hub_journal": s.hub_sync.journal(),
            }

        self.hub.reload()
        self.read(work).success(self._show).failure(lambda exc: self.message.error(error_sentence(exc))).run()

    def _show(self, data: dict[str, Any]) -> None:
        card = data["card"]
        self.identity.setText(
            self.tr("%1 (%2) — our fingerprint: %3")
            .replace("%1", card.office_name)
            .replace("%2", card.office_code)
            .replace("%3", card.fingerprint)
        )
        self.unsent.setText(self.tr("Changes not yet acknowledged: %1").replace("%1", str(data["unsent"])))
        self.names = {p.office_code: p.office_name for p in data["peers"]}
        self.own_code = card.office_code
        self.later_pcs = _later_pcs(data["peers"])
        self.current_rows = data["current"]
        self.hub_journal = {}
        for entry in reversed(data["hub_journal"]):  # oldest first, so the latest word on a package wins
            if entry.get("result") != "refused":
                self.hub_journal[entry["package_id"]] = entry
        self.peers_model.set_rows(data["peers"])
        self.history_model.set_rows(data["history"])
        self.quarantine_model.set_rows(data["quarantine"])
        self.conflicts_model.set_rows(data["conflicts"])
        for table in (self.peers_table, self.history_table, self.quarantine_table, self.conflicts_table):
            table.resizeColumnsToContents()  # a fingerprint or a reason is read whole, not guessed at
            fit_headers(table)
        for index, (title, rows) in enumerate(
            (
                (self.tr("Offices"), data["peers"]),
                (self.tr("Packages"), data["history"]),
                (self.tr("Quarantine"), data["quarantine"]),
                (self.tr("Conflicts"), data["conflicts"]),
            )
        ):
            self.tabs.setTabText(index, f"{title} ({len(rows)})" if index >= 2 and rows else title)  # noqa: PLR2004

    # --- export and import ------------------------------------------------------------

    def export_packages(self, folder: str | Path | None = None) -> None:
        if folder is None:
            folder = ExportTarget.ask(self, self.last_folder)
            if not folder:
                return
        target = Path(folder)
        self.last_folder = str(target)

        def work(s, progress):
            return s.packages.export(target, progress=progress.update)

        self.write(work).with_progress(self.tr("Writing packages…"), cancellable=True).success(
            self._exported
        ).on_cancelled(lambda: self.message.info(self.tr("Cancelled: no package was written."))).failure(
            lambda exc: self.message.error(error_sentence(exc))
        ).run()

    def _exported(self, written: list) -> None:
        if not written:
            self.message.info(self.tr("No trusted office to send to: add the county's card first."))
            return
        names = "、".join(f"{self.names.get(e.peer_code, e.peer_code)}（{e.path.name}）" for e in written)
        self.message.info(self.tr("Written: %1").replace("%1", names))

    def import_package(self, path: str | Path | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Import a package"),
                self.last_folder,
                self.tr("Doudi packages (*%1)").replace("%1", SUFFIX),
            )
            if not path:
                return
        source = Path(path)

        def work(s, progress):
            return s.packages.import_file(source, progress=progress.update)

        self.write(work).with_progress(
            self.tr("Checking and applying %1…").replace("%1", source.name), cancellable=True
        ).success(lambda r: self._imported(source, r)).on_cancelled(
            lambda: self.message.info(self.tr("Cancelled: nothing was imported."))
        ).failure(lambda exc: self.message.error(error_sentence(exc))).run()

    def _imported(self, source: Path, receipt: Any) -> None:
        summary = receipt_summary(receipt.as_dict())
        self.message.info(self.tr("%1: %2").replace("%1", source.name).replace("%2", summary))

    def dragEnterEvent(self, event: Any) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if any(u.toLocalFile().endswith(SUFFIX) for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        for url in event.mimeData().urls():
            local = url.toLocalFile()
            if local.endswith(SUFFIX):
                self.import_package(local)
        event.acceptProposedAction()

    # --- trust -------------------------------------------------------------------------

    def save_card(self, path: str | Path | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save our card"), self.tr("card") + ".json", self.tr("Office card (*.json)")
            )
            if not path:
                return
        target = Path(path)
        self.write(lambda s, _p: s.trust.write_card(target)).success(
            lambda card: self.message.info(
                self.tr("Card saved to %1. Give it to the other office and read them the fingerprint %2.")
                .replace("%1", str(target))
                .replace("%2", card.fingerprint)
            )
        ).failure(lambda exc: self.message.error(error_sentence(exc))).run()

    def add_peer(
        self, path: str | Path | None = None, fingerprint: str | None = None, *, another_pc: bool = False
    ) -> None:
        if path is None or fingerprint is None:
            dialog = AddCardDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            path, fingerprint = dialog.path.text(), dialog.fingerprint.text()
            another_pc = dialog.another_pc.isChecked()
        source, typed = Path(path), fingerprint
        self.write(lambda s, _p: s.trust.add(source, typed, another_pc=another_pc)).success(self._added).failure(
            lambda exc: self.message.error(error_sentence(exc))
        ).run()

    def _added(self, result: tuple) -> None:
        peer, changed = result
        text = self.tr("%1 is now trusted.") if changed else self.tr("%1 was already trusted.")
        self.message.info(text.replace("%1", peer.office_name))

    def _selected(self, table: QTableView, model: ListTableModel) -> Any:
        rows = table.selectionModel().selectedRows()
        return model.row_at(rows[0].row()) if rows else None

    def revoke_selected(self) -> None:
        peer = self._selected(self.peers_table, self.peers_model)
        if peer is None or peer.revoked:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Revoke"),
            self.tr("Refuse every package %1 signs from now on (for example, its PC was stolen)?").replace(
                "%1", peer.office_name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        code, card = peer.office_code, peer.fingerprint  # this PC's card alone: its sibling stays trusted
        self.write(lambda s, _p: s.trust.revoke(code, card)).success(
            lambda p: self.message.info(self.tr("%1 is revoked.").replace("%1", p.office_name))
        ).failure(lambda exc: self.message.error(error_sentence(exc))).run()

    # --- quarantine and conflicts ---------------------------------------------------------

    def release_selected(self) -> None:
        item = self._selected(self.quarantine_table, self.quarantine_model)
        if item is None:
            return
        qid = item["id"]
        self.write(lambda s, _p: s.packages.release(qid)).success(
            lambda _r: self.message.info(self.tr("The row was applied."))
        ).failure(lambda exc: self.message.error(error_sentence(exc))).run()

    def dismiss_selected(self, note: str | None = None) -> None:
        item = self._selected(self.quarantine_table, self.quarantine_model)
        if item is None:
            return
        if note is None:
            note, ok = QInputDialog.getText(
                self, self.tr("Set aside"), self.tr("Why (the sender corrects it at source):")
            )
            if not ok:
                return
        qid, text = item["id"], note
        self.write(lambda s, _p: s.packages.dismiss(qid, text)).success(
            lambda _r: self.message.info(self.tr("Set aside."))
        ).failure(lambda exc: self.message.error(error_sentence(exc))).run()

    def resolve_selected(self, keep: str) -> None:
        item = self._selected(self.conflicts_table, self.conflicts_model)
        if item is None:
            return
        cid = item["id"]
        self.write(lambda s, _p: s.packages.resolve_conflict(cid, keep)).success(
            lambda _r: self.message.info(self.tr("The conflict is settled."))
        ).failure(lambda exc: self.message.error(error_sentence(exc))).run()


class ExportTarget(QDialog):
    """Where to write the packages: removable drives first, then the last folder, or any other."""

    def __init__(self, parent: QWidget | None, last: str = ""):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export packages"))
        self.chosen = ""
        box = QVBoxLayout(self)
        box.addWidget(QLabel(self.tr("Write the packages to:")))
        self.list = QListWidget()
        for drive in removable_drives():
            item = QListWidgetItem(self.tr("USB drive %1 (%2)").replace("%1", drive.label).replace("%2", drive.path))
            item.setData(Qt.ItemDataRole.UserRole, drive.path)
            self.list.addItem(item)
        if last:
            item = QListWidgetItem(self.tr("Last folder: %1").replace("%1", last))
            item.setData(Qt.ItemDataRole.UserRole, last)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.list.addItem(self.tr("No USB drive found: plug one in, or choose a folder."))
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        box.addWidget(self.list)
        other = QPushButton(self.tr("Another folder…"))
        other.clicked.connect(self._browse)
        box.addWidget(other, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder"))
        if folder:
            self.chosen = folder
            self.accept()

    def accept(self) -> None:
        if not self.chosen:
            item = self.list.currentItem()
            self.chosen = str(item.data(Qt.ItemDataRole.UserRole) or "") if item else ""
        if self.chosen:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, last: str = "") -> str:
        dialog = cls(parent, last)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else ""


class AddCardDialog(QDialog):
    """A peer's card file and the fingerprint a person read out over the phone."""

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add an office's card"))
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Card file"), row)
        self.fingerprint = QLineEdit()
        self.fingerprint.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        form.addRow(self.tr("Fingerprint read over the phone"), self.fingerprint)
        note = QLabel(
            self.tr(
                "Call the other office and have them read their fingerprint; type what you hear. "
                "A card is added only when it matches."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.another_pc = QCheckBox(self.tr("This is &another PC of an office already trusted"))
        form.addRow(self.another_pc)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Card file"), "", self.tr("Office card (*.json)"))
        if path:
            self.path.setText(path)
