"""The form dialog every write goes through: read on the GUI thread, write in a write op."""

import threading
from datetime import date

import pytest
from PySide6.QtWidgets import QLineEdit, QWidget

from app.errors import InvalidInput
from app.ui import ops
from app.ui.widgets import FormDialog
from app.ui.widgets.form_dialog import BAD_FIELD_STYLE
from tests.factories import household, member

_KEEP: list[QWidget] = []


class Owner(QWidget):
    def __init__(self, session):
        super().__init__()
        self.session = session


def _dialog(qtbot, session, write):
    owner = Owner(session)
    qtbot.addWidget(owner)
    name = QLineEdit()

    def read() -> str:
        if not name.text().strip():
            raise InvalidInput("请填写户主姓名。", field="head_name")
        return name.text().strip()

    dlg = FormDialog("t", owner, read=read, write=write)
    dlg.add_row("户主", name, field="head_name")
    _KEEP.append(owner)  # qtbot keeps only a weak reference; the owner must outlive the test
    return dlg, name


def test_a_bad_field_is_marked_before_anything_is_written(qtbot, clerk):
    writes = []
    dlg, name = _dialog(qtbot, clerk, lambda s, v: writes.append(v))
    dlg.accept()
    assert writes == [] and dlg.error.text() == "请填写户主姓名。"
    assert name.styleSheet() == BAD_FIELD_STYLE and dlg.result() == 0


def test_a_refusal_shows_the_services_sentence_marks_its_field_and_keeps_the_text(qtbot, clerk):
    def write(s, _head):
        return s.households.add(household(), [member("", date(1980, 1, 1))])  # refused: no head's name

    dlg, name = _dialog(qtbot, clerk, write)
    name.setText("马某")
    dlg.accept()
    assert dlg.error.text() == "户主姓名不能为空。" and name.styleSheet() == BAD_FIELD_STYLE
    assert name.text() == "马某" and dlg.ok_button.isEnabled() and dlg.result_value is None


def test_a_write_that_commits_closes_the_dialog_and_reports_its_changes(qtbot, clerk):
    dlg, name = _dialog(qtbot, clerk, lambda s, head: s.households.add(household(), [member(head, date(1980, 1, 1))]))
    name.setText("马某")
    with qtbot.waitSignal(ops.changes().changed) as changed, qtbot.waitSignal(dlg.saved):
        dlg.accept()
    assert dlg.result_value.head_name == "马某"
    assert changed.args[0].touches("households", "members")


@pytest.mark.real_threads
def test_ok_is_disabled_while_the_write_runs_on_the_writer_thread(qtbot, clerk):
    release = threading.Event()
    seen = {}

    def write(s, head):
        seen["thread"] = threading.current_thread().name
        release.wait(5)
        return head

    dlg, name = _dialog(qtbot, clerk, write)
    name.setText("马某")
    dlg.accept()
    assert not dlg.ok_button.isEnabled()
    dlg.accept()  # a second click while it runs does nothing
    release.set()
    qtbot.waitUntil(lambda: dlg.result_value == "马某", timeout=5000)
    assert seen["thread"] == "doudi-db-writer"


def test_a_save_refused_because_someone_else_saved_first_reloads_every_page(qtbot, clerk, bus):
    from app.errors import ChangedMeanwhile
    from app.ui.pages.base import Page

    class Shown(Page):
        tables = frozenset({"visits"})
        loads = 0

        def refresh(self) -> None:
            self.loads += 1

    page = Shown(clerk)
    qtbot.addWidget(page)
    page.show()
    bus.append(page)

    def write(_s, _head):
        raise ChangedMeanwhile("这一户已被其他人修改，请重新打开。")

    dlg, name = _dialog(qtbot, clerk, write)
    name.setText("马某")
    dlg.accept()
    assert dlg.error.text() == "这一户已被其他人修改，请重新打开。" and name.text() == "马某"
    assert page.loads == 2  # shown, then reloaded: what it showed may be old
