"""The one door: ops hand their work the session of their thread, write ops say what changed, and the
pages that show those tables refresh."""

import threading
from datetime import date

import pytest
from PySide6.QtWidgets import QWidget

from app.ui import ops
from app.ui.ops import Op, OpChanges, read_now
from app.ui.pages.base import Page
from tests.factories import household, member


class Holder(QWidget):
    def __init__(self, session):
        super().__init__()
        self.session = session


class CountingPage(Page):
    tables = frozenset({"households"})

    def __init__(self, session):
        super().__init__(session)
        self.loads = 0

    def refresh(self):
        self.loads += 1


def _add(s, _p):
    return s.households.add(household(), [member("门户", date(1980, 1, 1))])


def test_work_is_handed_the_session_found_on_the_parent(qtbot, clerk):
    parent = Holder(clerk)
    qtbot.addWidget(parent)
    seen = []
    Op(parent, lambda s, _p: seen.append(s)).run()
    assert seen == [clerk]  # synchronous in tests: the calling thread is the session's home


@pytest.mark.real_threads
def test_on_a_worker_the_work_gets_that_threads_own_connection(qtbot, clerk):
    parent = Holder(clerk)
    qtbot.addWidget(parent)
    seen = {}

    def work(s, _p):
        seen["thread"] = threading.get_ident()
        seen["twin"] = s is not clerk and s.user.username == clerk.user.username
        return s.households.get(_add(s, _p).id)[0].head_name

    with qtbot.waitSignal(ops.changes().changed, timeout=10000):
        op = Op(parent, work, write=True).run()
    qtbot.waitUntil(lambda: op.is_done, timeout=10000)
    assert seen["thread"] != threading.get_ident() and seen["twin"]
    assert op.changes is not None and op.changes.touches("households")


def test_a_write_op_reports_the_tables_it_wrote(qtbot, clerk):
    parent = Holder(clerk)
    qtbot.addWidget(parent)
    with qtbot.waitSignal(ops.changes().changed) as blocker:
        op = Op(parent, _add, write=True).run()
    changes = blocker.args[0]
    assert isinstance(changes, OpChanges) and changes is op.changes
    assert changes.touches("households") and changes.touches("members")
    assert not changes.touches("visits")


def test_a_read_op_that_writes_fails(qtbot, clerk):
    parent = Holder(clerk)
    qtbot.addWidget(parent)
    failures: list[BaseException] = []
    Op(parent, _add).failure(failures.append).run()
    assert failures and "write" in str(failures[0])


def test_read_now_refuses_a_write(clerk):
    assert read_now(lambda s: s.user.username, owner=clerk) == clerk.user.username
    with pytest.raises(RuntimeError):
        read_now(lambda s: _add(s, None), owner=clerk)


def test_a_visible_page_refreshes_on_its_tables_and_a_hidden_one_when_shown(qtbot, clerk):
    page = CountingPage(clerk)
    qtbot.addWidget(page)
    page.show()
    assert page.loads == 1  # loaded when first shown, not when built
    page.on_changes(OpChanges(frozenset({"visits"})))
    assert page.loads == 1  # not a table it shows
    page.on_changes(OpChanges(frozenset({"households", "members"})))
    assert page.loads == 2
    page.hide()
    page.on_changes(OpChanges(frozenset({"households"})))
    assert page.loads == 2 and page.stale
    page.show()
    assert page.loads == 3 and not page.stale


def test_the_main_window_passes_a_write_on_to_the_pages(qtbot, clerk):
    from app.ui.main_window import MainWindow

    page = CountingPage(clerk)
    window = MainWindow(clerk, page_factories={"households": lambda s: page})
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(1)
    assert window.page("households") is page and page.loads == 1
    Op(window, _add, write=True).run()
    assert page.loads == 2
    assert window.unsent_label.text().endswith(str(clerk.dashboard.unsent_changes()))
