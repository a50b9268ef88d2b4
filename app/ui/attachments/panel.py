"""The attachments of one record (a household, member, visit or application step) as thumbnails.

Add (a file dialog for several files at once, or files dropped on the panel), view, delete with a
reason. Every read and write goes through an op; the panel does not reload after its own writes but
listens to every write op's changes and reloads when ``attachments`` was written, so a second
window showing the same record follows too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import vocab
from ...errors import DoudiError, InvalidInput
from ...services import permissions
from .. import ops
from ..ops import Op
from ..pages.base import Page
from ..widgets import FormDialog, MessageBar, open_dialog
from .viewer import AttachmentViewer

if TYPE_CHECKING:
    from ...services.attachments import AttachmentView
    from ...services.session import Session
    from ..ops import Progress

ICON = QSize(128, 128)
GRID = QSize(172, 222)
FILE_FILTER = "*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.pdf"
# What a visit's photos usually are; elsewhere the clerk picks.
DEFAULT_KIND = {"visits": "入户照片"}


@dataclass
class AddResult:
    added: int = 0
    refused: list[str] = field(default_factory=list)


def attach_files(
    s: Session, subject: tuple[str, str], paths: list[str], described: tuple[str, str], progress: Progress
) -> AddResult:
    """Attach each file in turn (runs on the writer thread); one refused file does not stop the others."""
    (subject_table, subject_id), (kind, note) = subject, described
    result = AddResult()
    for i, path in enumerate(paths):
        progress.update(i, len(paths), path.rsplit("/", 1)[-1])
        try:
            s.attachments.add(subject_table, subject_id, path, kind=kind, note=note)
            result.added += 1
        except InvalidInput as exc:
            result.refused.append(str(exc))
    if not result.added and result.refused:
        # Nothing attached: the dialog stays open with the reasons.
        raise InvalidInput("\n".join(result.refused), field="file_name")
    return result


class AddAttachmentsDialog(FormDialog):
    """The kind and a note for the files chosen; the files are read and stored in one write op."""

    def __init__(self, parent: QWidget, subject_table: str, subject_id: str, paths: list[str]) -> None:
        self.paths = paths
        self.kind = QComboBox()
        self.kind.addItems(list(vocab.ATTACHMENT_KINDS))
        self.kind.setCurrentText(DEFAULT_KIND.get(subject_table, "证明材料"))
        self.note = QLineEdit()
        super().__init__(
            QCoreApplication.translate("AddAttachmentsDialog", "Add attachments"),
            parent,
            read=lambda: (self.kind.currentText(), self.note.text().strip()),
            write=lambda s, value, progress: attach_files(s, (subject_table, subject_id), paths, value, progress),
            progress_label=QCoreApplication.translate("AddAttachmentsDialog", "Attaching files…"),
        )
        names = QLabel("\n".join(p.replace("\\", "/").rsplit("/", 1)[-1] for p in paths))
        names.setWordWrap(True)
        self.add_row(self.tr("Files:"), names, field="file_name")
        self.add_row(self.tr("Kind:"), self.kind, field="kind")
        self.add_row(self.tr("Note:"), self.note, field="note")


class AttachmentsPanel(Page):
    """The papers of one record, as thumbnails; loads when shown and after a write to attachments,
    like a page (it sits inside a page or dialog that holds the session)."""

    tables = frozenset({"attachments"})

    def __init__(
        self,
        parent: QWidget | None,
        subject_table: str,
        subject_id: str,
        *,
        whole_household: bool = False,
        session: Session | None = None,
    ) -> None:
        super().__init__(session if session is not None else ops.session_of(parent), parent)
        self.subject_table = subject_table
        self.subject_id = subject_id
        # The household file shows the attachments of its members, visits and steps as well.
        self.whole_household = whole_household
        self.views: list[AttachmentView] = []
        self.dialog: FormDialog | None = None
        self.viewer: AttachmentViewer | None = None
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add attachments…"))
        self.view_button = QPushButton(self.tr("View"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.add_button.clicked.connect(self.choose_files)
        self.view_button.clicked.connect(self.view_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        for b in (self.add_button, self.view_button, self.delete_button):
            b.setAutoDefault(False)
            bar.addWidget(b)
        self.hint = QLabel(self.tr("You can also drop files here."))
        self.hint.setStyleSheet("color: palette(mid);")
        bar.addWidget(self.hint)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(ICON)
        self.list.setGridSize(GRID)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemDoubleClicked.connect(lambda _item: self.view_selected())
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.setAcceptDrops(False)  # the panel takes the drop
        layout.addWidget(self.list, 1)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.empty)
        self.message = MessageBar()
        layout.addWidget(self.message)
        ops.changes().changed.connect(self.on_changes)
        self._update_buttons()

    # ------------------------------------------------------------------ state

    @property
    def can_write(self) -> bool:
        return bool(self.subject_id) and ops.session_of(self).can(permissions.WRITE_REGISTER)

    def set_subject(self, subject_table: str, subject_id: str) -> None:
        """Show another record (a household saved for the first time has its id only now)."""
        self.subject_table, self.subject_id = subject_table, subject_id
        self.request_refresh()

    def selected(self) -> AttachmentView | None:
        row = self.list.currentRow()
        return self.views[row] if 0 <= row < len(self.views) and self.list.selectedItems() else None

    def _update_buttons(self) -> None:
        saved = bool(self.subject_id)
        try:
            write = self.can_write
        except RuntimeError:  # not placed under a session yet
            write = False
        self.add_button.setEnabled(write)
        self.hint.setVisible(write)
        chosen = self.selected() is not None
        self.view_button.setEnabled(chosen)
        self.delete_button.setEnabled(write and chosen)
        if not saved:
            self.add_button.setToolTip(self.tr("Save the record first, then attach files to it."))
        elif not write:
            self.add_button.setToolTip(self.tr("Your role may not change the register."))
        else:
            self.add_button.setToolTip("")

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        table, sid, whole = self.subject_table, self.subject_id, self.whole_household
        if not sid:
            self.show_views([])
            return

        def work(s: Session, _p: Progress) -> list[AttachmentView]:
            return s.attachments.list_for_household(sid) if whole else s.attachments.list_for(table, sid)

        Op(self, work).success(self.show_views).run()

    def show_views(self, views: list[AttachmentView]) -> None:
        chosen = self.selected()
        keep = chosen.attachment.id if chosen else None
        self.views = views
        self.list.clear()
        for v in views:
            a = v.attachment
            lines = [a.kind]
            if self.whole_household and v.subject:
                lines.append(v.subject)
            if a.note:
                lines.append(a.note)
            item = QListWidgetItem(_icon(v), "\n".join(lines))
            item.setToolTip(self._tooltip(v))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.list.addItem(item)
            if a.id == keep:
                self.list.setCurrentItem(item)
        if not self.subject_id:
            self.empty.setText(self.tr("Save the record first, then attach files to it."))
        else:
            self.empty.setText(self.tr("No attachments yet."))
        self.empty.setVisible(not views)
        self._update_buttons()

    def _tooltip(self, v: AttachmentView) -> str:
        a = v.attachment
        size = self.tr("%1 KB").replace("%1", str(max(1, round(a.size_bytes / 1024))))
        parts = [a.file_name, a.kind]
        if v.subject:
            parts.append(v.subject)
        parts.append(f"{a.width}×{a.height}, {size}" if a.width else size)
        if a.note:
            parts.append(a.note)
        return "\n".join(parts)

    # ------------------------------------------------------------------ adding

    def ask_files(self) -> list[str]:
        """The files to attach (tests replace this)."""
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add attachments"),
            "",
            self.tr("Pictures and PDF (%1)").replace("%1", FILE_FILTER) + ";;" + self.tr("All files (*)"),
        )
        return list(paths)

    def choose_files(self) -> None:
        paths = self.ask_files()
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        if not self.can_write:
            return
        self.message.clear_message()
        dlg = AddAttachmentsDialog(self, self.subject_table, self.subject_id, paths)
        dlg.saved.connect(self._added)
        open_dialog(self, dlg)

    def _added(self, result: AddResult) -> None:
        if result.refused:
            text = self.tr("Attached %1 file(s).").replace("%1", str(result.added)) + "\n" + "\n".join(result.refused)
            self.message.error(text)
        else:
            self.message.info(self.tr("Attached %1 file(s).").replace("%1", str(result.added)))

    def dragEnterEvent(self, event: Any) -> None:
        if self.can_write and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    # ------------------------------------------------------------------ viewing, deleting

    def view_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        a = chosen.attachment

        def opened(data: bytes) -> None:
            self.viewer = AttachmentViewer(self, a, data)
            self.viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.viewer.finished.connect(lambda _r: setattr(self, "viewer", None))
            self.viewer.open()

        def refused(exc: BaseException) -> None:
            if not isinstance(exc, DoudiError):
                raise exc
            self.message.error(str(exc))

        Op(self, lambda s, _p: s.attachments.data(a.id)).success(opened).failure(refused).run()

    def delete_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        a = chosen.attachment
        reason = QLineEdit()
        dlg = FormDialog(
            self.tr("Delete attachment"),
            self,
            intro=self.tr("Delete %1 (%2)? The reason is kept in the audit log.")
            .replace("%1", a.file_name)
            .replace("%2", a.kind),
            read=lambda: reason.text().strip(),
            write=lambda s, text: s.attachments.remove(a.id, text, read_version=a.updated_at),
        )
        dlg.add_row(self.tr("Reason (required):"), reason, field="reason")
        dlg.saved.connect(lambda _r: self.message.info(self.tr("Attachment deleted.")))
        open_dialog(self, dlg)


_PDF_ICON: QPixmap | None = None


def _icon(v: AttachmentView) -> QIcon:
    thumb = QPixmap()
    if not (v.thumbnail and thumb.loadFromData(v.thumbnail)):
        return QIcon(_pdf_icon())
    # Centred on a square, so that every caption starts at the same height whatever the picture's shape.
    thumb = thumb.scaled(ICON, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    square = QPixmap(ICON)
    square.fill(Qt.GlobalColor.transparent)
    p = QPainter(square)
    p.drawPixmap((ICON.width() - thumb.width()) // 2, (ICON.height() - thumb.height()) // 2, thumb)
    p.end()
    return QIcon(square)


def _pdf_icon() -> QPixmap:
    """A drawn page marked PDF: a PDF has no thumbnail, since rendering one would need a PDF reader."""
    global _PDF_ICON
    if _PDF_ICON is None:
        pm = QPixmap(ICON)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QColor("#8a8f98"))
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(22, 6, 84, 116, 4, 4)
        p.setBrush(QColor("#c0392b"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(30, 70, 68, 30, 3, 3)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(18)
        p.setFont(font)
        p.setPen(QColor("#ffffff"))
        p.drawText(30, 70, 68, 30, Qt.AlignmentFlag.AlignCenter, "PDF")
        p.end()
        _PDF_ICON = pm
    return _PDF_ICON
