"""The attachments panel: thumbnails after adding through the op, the viewer, delete with a reason,
PDFs only by export, and a clerk's refused file named in the dialog."""

from __future__ import annotations

from datetime import date

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from app.ui.attachments import AttachmentsPanel
from tests.factories import household, member


class Holder(QWidget):
    """Stands for the household editor or visit form: a dialog that holds the session."""

    def __init__(self, session):
        super().__init__()
        self.session = session


def _photo(path, size=(900, 600)):
    Image.new("RGB", size, (30, 120, 200)).save(path, "JPEG")
    return str(path)


@pytest.fixture
def hid(clerk):
    return clerk.households.add(household(), [member("马学军", date(1958, 3, 4))]).id


@pytest.fixture
def holder(qtbot, clerk):
    h = Holder(clerk)
    qtbot.addWidget(h)
    return h


@pytest.fixture
def panel(holder, hid):
    p = AttachmentsPanel(holder, "households", hid)
    p.resize(900, 500)
    holder.show()
    p.show()
    return p


def _add(panel, paths, kind="证明材料", note=""):
    panel.add_files(paths)
    dlg = panel.dialog
    dlg.kind.setCurrentText(kind)
    dlg.note.setText(note)
    dlg.accept()
    return dlg


def test_added_files_show_as_thumbnails_with_their_kind_and_note(panel, clerk, hid, tmp_path):
    assert panel.list.count() == 0 and panel.empty.isVisible()
    _add(panel, [_photo(tmp_path / "残疾证正面.jpg"), _photo(tmp_path / "残疾证背面.jpg")], "残疾证", "二级肢体")
    assert panel.list.count() == 2 and not panel.empty.isVisible()
    item = panel.list.item(0)
    assert item.text() == "残疾证\n二级肢体" and not item.icon().isNull()
    assert "残疾证正面.jpg" in item.toolTip()
    assert panel.message.text() == "Attached 2 file(s)."
    assert [v.attachment.file_name for v in clerk.attachments.list_for("households", hid)] == [
        "残疾证正面.jpg",
        "残疾证背面.jpg",
    ]


def test_a_refused_file_is_named_and_the_others_are_attached(panel, tmp_path):
    bad = tmp_path / "合同.jpg"
    bad.write_bytes(b"PK\x03\x04 not a picture")
    _add(panel, [_photo(tmp_path / "证明.jpg"), str(bad)])
    assert panel.list.count() == 1
    assert "合同.jpg 不是图片或 PDF 文件" in panel.message.text()


def test_when_every_file_is_refused_the_dialog_stays_open_with_the_reason(panel, tmp_path):
    bad = tmp_path / "合同.jpg"
    bad.write_bytes(b"not a picture")
    dlg = _add(panel, [str(bad)])
    assert panel.dialog is dlg and dlg.isVisible()
    assert dlg.error.text().startswith("合同.jpg 不是图片或 PDF 文件")
    assert panel.list.count() == 0


def test_dropping_files_on_the_panel_offers_to_attach_them(panel, tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(_photo(tmp_path / "照片.jpg"))])
    event = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    panel.dropEvent(event)
    assert panel.dialog is not None and panel.dialog.paths[0].endswith("照片.jpg")
    panel.dialog.accept()
    assert panel.list.count() == 1


def test_the_viewer_shows_the_picture_and_zooms(panel, tmp_path):
    _add(panel, [_photo(tmp_path / "房屋.jpg", size=(1600, 1200))], "入户照片")
    panel.list.setCurrentRow(0)
    panel.view_selected()
    viewer = panel.viewer
    assert viewer is not None and viewer.pixmap.size().width() == 1600
    viewer.set_zoom(1.0)
    assert viewer.image.pixmap().width() == 1600
    viewer.zoom_out_button.click()
    assert viewer.image.pixmap().width() == 1280
    viewer.fit_to_window()
    assert viewer.image.pixmap().width() <= viewer.area.viewport().width()


def test_a_pdf_is_not_opened_but_exported_where_the_clerk_chooses(panel, clerk, tmp_path):
    pdf = tmp_path / "低保申请书.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 3 >> endobj\n")
    _add(panel, [str(pdf)])
    assert not panel.list.item(0).icon().isNull()  # the drawn PDF page
    panel.list.setCurrentRow(0)
    panel.view_selected()
    viewer = panel.viewer
    assert "3 page(s)" in viewer.image.text() and not viewer.zoom_in_button.isVisible()
    target = tmp_path / "out" / "申请书.pdf"
    target.parent.mkdir()
    viewer.ask_export_path = lambda: str(target)
    viewer.export()
    assert target.read_bytes() == pdf.read_bytes()
    assert "申请书.pdf" in viewer.message.text()


def test_delete_needs_a_reason_and_the_thumbnail_goes(panel, tmp_path):
    _add(panel, [_photo(tmp_path / "错.jpg")])
    panel.list.setCurrentRow(0)
    panel.delete_selected()
    dlg = panel.dialog
    dlg.accept()
    assert dlg.error.text() == "删除附件需写明原因。" and panel.list.count() == 1
    dlg.findChild(QLineEdit).setText("传错了户")
    dlg.accept()
    assert panel.list.count() == 0 and panel.message.text() == "Attachment deleted."


def test_a_panel_of_another_window_follows_the_change(qtbot, panel, clerk, hid, tmp_path):
    other_holder = Holder(clerk)
    qtbot.addWidget(other_holder)
    other = AttachmentsPanel(other_holder, "households", hid, whole_household=True)
    other_holder.show()
    other.show()
    _add(panel, [_photo(tmp_path / "一.jpg")])
    assert other.list.count() == 1 and other.list.item(0).text() == "证明材料\n本户"


def test_an_unsaved_record_offers_no_add(qtbot, clerk):
    holder = Holder(clerk)
    qtbot.addWidget(holder)
    p = AttachmentsPanel(holder, "households", "")
    holder.show()
    p.show()
    assert not p.add_button.isEnabled() and p.empty.text() == "Save the record first, then attach files to it."
