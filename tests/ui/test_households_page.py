"""The register page: search by pinyin initials, filter by category, lazy rows, export."""

from datetime import date

import pytest
from openpyxl import load_workbook

from app.services.households import HouseholdQuery
from app.services.register_queries import RegisterQueries
from app.ui import ops
from app.ui.ops import Op
from app.ui.pages.households import HouseholdsPage
from tests.factories import household, member


def _add(session, name, village="640424100200", categories=("低保",), born=date(1970, 5, 1)):
    return session.households.add(household(village=village, categories=list(categories)), [member(name, born)]).id


@pytest.fixture
def page(qtbot, clerk):
    _add(clerk, "张三丰")
    _add(clerk, "李四", categories=("特困",))
    _add(clerk, "王五", categories=("低保", "监测户"))
    p = HouseholdsPage(clerk)
    qtbot.addWidget(p)
    # as the main window does: every write op's changes reach the page
    ops.changes().changed.connect(p.on_changes)
    p.show()
    yield p
    ops.changes().changed.disconnect(p.on_changes)


def test_nothing_is_loaded_until_the_page_is_shown(qtbot, clerk):
    _add(clerk, "张三丰")
    p = HouseholdsPage(clerk)
    qtbot.addWidget(p)
    assert len(p.model.ids()) == 0
    p.show()
    assert len(p.model.ids()) == 1


def test_lists_every_household(page):
    assert len(page.model.ids()) == 3
    assert "3" in page.count_label.text()


def test_search_by_pinyin_initials_finds_the_person(page, qtbot):
    page.search.setText("zs")
    page.reload()
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 1)) == "张三丰"


def test_search_by_id_fragment_and_name(page, clerk):
    hid = page.model.ids()[0]
    head = clerk.households.get(hid)[1][0]
    page.search.setText(head.id_number[8:14])
    page.reload()
    assert hid in page.model.ids()
    page.search.setText("李")
    page.reload()
    assert [page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())] == ["李四"]


def test_filter_by_category(page):
    page.category.setCurrentIndex(page.category.findData("特困"))
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 1)) == "李四"
    page.category.setCurrentIndex(page.category.findData("低保"))
    assert page.model.rowCount() == 2


def test_sort_by_header_happens_in_the_database(page):
    page.model.sort(1, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.SortOrder.DescendingOrder)
    page.reload()
    heads = [page.model.data(page.model.index(r, 1)) for r in range(3)]
    assert heads == sorted(heads, reverse=True)


def test_export_writes_id_numbers_as_text(page, tmp_path, clerk):
    out = tmp_path / "list.xlsx"
    page.export(out)
    assert page.last_export == out and out.exists()
    ws = load_workbook(out, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][3] == "户主身份证号"
    assert len(rows) == 4
    assert all(isinstance(r[3], str) and len(r[3]) == 18 for r in rows[1:])


def test_archive_removes_it_from_the_list(page, clerk):
    page.view.selectRow(0)
    hid = page.selected_id()
    assert page.archive_selected("迁出本县")
    assert hid not in page.model.ids()
    assert clerk.households.get(hid)[0].archived
    assert page.message.isVisible() and page.message.text()


def test_archive_refused_says_why_and_keeps_the_row(page, clerk):
    page.view.selectRow(0)
    hid = page.selected_id()
    page.archive_selected("")  # the service wants a reason
    assert hid in page.model.ids()
    assert not clerk.households.get(hid)[0].archived
    assert page.message.isVisible() and page.message.text()


def test_a_write_made_elsewhere_refreshes_the_visible_list(page, clerk):
    hid = page.model.ids()[0]
    Op(None, lambda s, _p: s.households.archive(hid, "迁出本县"), write=True, session=clerk).run()
    assert hid not in page.model.ids()
    assert "2" in page.count_label.text()
    Op(
        None, lambda s, _p: s.households.add(household(), [member("赵六", date(1980, 1, 1))]), write=True, session=clerk
    ).run()
    assert len(page.model.ids()) == 3


def test_a_hidden_page_reloads_when_shown_again(page, clerk):
    page.hide()
    hid = page.model.ids()[0]
    Op(None, lambda s, _p: s.households.archive(hid, "迁出本县"), write=True, session=clerk).run()
    assert hid in page.model.ids() and page.stale  # not reloaded while nobody looks
    page.show()
    assert hid not in page.model.ids()


def test_lazy_model_never_fetches_all_rows(qtbot, clerk, monkeypatch):
    from app.domain import idnumber
    from app.domain.entities import Household, Member
    from app.services.households import HouseholdRow

    with clerk.store.transaction():
        objs, search = [], []
        for i in range(300):
            h = Household(village_code="640424100200", head_name=f"户主{i}", categories=["低保"])
            h.id = f"h{i:04d}"
            m = Member(name=f"户主{i}", id_number=idnumber.make("640424", date(1960, 1, 1), i), household_id=h.id)
            m.id = f"m{i:04d}"
            objs += [h, m]
            search.append((m.id, h.id, "hz", "huzhu"))
        clerk.store.bulk_insert(objs, "clerk1")
        clerk.db.executemany(
            "INSERT INTO member_search(member_id, household_id, initials, pinyin) VALUES (?, ?, ?, ?)", search
        )
    asked: list[int] = []
    p = HouseholdsPage(clerk)
    qtbot.addWidget(p)
    real = p.session.households.rows

    def counting_rows(ids: list[str]) -> dict[str, HouseholdRow]:
        asked.append(len(ids))
        return real(ids)

    monkeypatch.setattr(p.session.households, "rows", counting_rows)
    p.resize(1000, 600)
    p.show()  # loads the ids, then paints the rows on screen
    qtbot.wait(20)
    assert p.model.rowCount() == 300
    assert asked and max(asked) <= p.model.page_size
    assert sum(asked) < 300


def test_register_queries_cap(clerk):
    for name in ("张一", "张二", "张三"):
        _add(clerk, name)
    rq = RegisterQueries(clerk)
    import app.services.register_queries as rqm

    old, rqm.SEARCH_CAP = rqm.SEARCH_CAP, 2
    try:
        res = rq.ids(HouseholdQuery(text="张"))
    finally:
        rqm.SEARCH_CAP = old
    assert res.capped and len(res.ids) == 2


def test_ctrl_f_in_the_main_window_focuses_the_household_search(qtbot, clerk, tmp_path):
    # The real window and the real page: a second Ctrl+F on the page made the key ambiguous,
    # and Qt then fired neither.
    from PySide6.QtCore import QSettings, Qt

    from app.ui.main_window import MainWindow

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    w = MainWindow(clerk, today=lambda: date(2026, 3, 20))
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    households = w.pages["households"]
    assert isinstance(households, HouseholdsPage) and w.current_key() == "households"
    qtbot.waitUntil(households.search.hasFocus)
    w.nav.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # again, now on the page
    qtbot.waitUntil(households.search.hasFocus)
    w.idle_lock.stop()


def test_enter_on_a_single_search_result_opens_it(page, qtbot):
    from PySide6.QtCore import Qt

    opened: list[str] = []
    page.household_opened.connect(opened.append)
    qtbot.keyClicks(page.search, "zs")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # before the debounce: searches, then opens
    assert page.model.rowCount() == 1
    assert opened == [page.model.ids()[0]]
    page.editor.reject()


def test_enter_on_several_results_moves_into_the_list(page, qtbot):
    from PySide6.QtCore import Qt

    opened: list[str] = []
    page.household_opened.connect(opened.append)
    assert page.model.rowCount() == 3
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened == []
    assert page.selected_id() == page.model.ids()[0]


def test_a_search_shows_which_member_matched(page, clerk):
    from app.ui.pages.households import MATCHED_COLUMN

    clerk.households.add(household(), [member("马建军", date(1960, 1, 1)), member("马小燕", date(1990, 1, 1), "女")])
    assert page.view.isColumnHidden(MATCHED_COLUMN)  # nothing searched, nothing to show
    page.search.setText("ma xiao")
    page.reload()
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 1)) == "马建军"
    assert page.model.data(page.model.index(0, MATCHED_COLUMN)) == "马小燕"
    assert not page.view.isColumnHidden(MATCHED_COLUMN)
    page.search.clear()
    page.reload()
    assert page.view.isColumnHidden(MATCHED_COLUMN)


def test_archive_asks_for_a_reason_in_a_dialog_that_stays_open_when_refused(page, clerk):
    page.view.selectRow(0)
    hid = page.selected_id()
    assert page.archive_selected()  # opens the dialog; nothing written yet
    dlg = page.dialog
    dlg.accept()  # no reason typed
    assert dlg.isVisible() and dlg.error.text()  # refused in the dialog, which stays open
    dlg.reason.setText("迁出本县")
    dlg.accept()
    assert clerk.households.get(hid)[0].archived


def test_show_archived_lists_the_archived_households_only(page, clerk):
    page.view.selectRow(0)
    hid = page.selected_id()
    assert page.archive_selected("迁出本县")
    page.archived.setChecked(True)
    assert page.model.ids() == [hid]
    assert not page.archive_button.isEnabled()
    page.archived.setChecked(False)
    assert hid not in page.model.ids()


def test_a_new_household_saved_from_the_page_is_selected_with_a_saved_message(page, clerk):
    from app.domain import idnumber

    ed = page.open_editor(None)
    ed.confirm_discard = lambda: True
    name_col = ed.members.column_of("name")
    id_col = ed.members.column_of("id_number")
    ed.members.setData(ed.members.index(0, name_col), "赵六")
    ed.members.setData(ed.members.index(0, id_col), idnumber.make("640424", date(1981, 2, 3), 15))
    saved: list[str] = []
    ed.saved.connect(saved.append)
    ed.save()
    assert saved and page.selected_id() == saved[0]
    assert "赵六" in page.message.text()


def test_an_approved_dibao_household_shows_dibao_in_the_list(qtbot, clerk, reviewer):
    from tests.services.test_programmes import _poor_family, _to_review

    h = _poor_family(clerk)
    stored, ms = clerk.households.get(h.id)
    stored.categories = ["一般户"]
    clerk.households.update(stored, ms)
    e = _to_review(clerk, h)
    reviewer.enrolments.advance(e.id, "在保", on=date.today())
    p = HouseholdsPage(clerk)
    qtbot.addWidget(p)
    p.show()
    row = p.model.row_of(h.id)
    shown = p.model.row_tuple(row) if row is not None else None
    assert shown is not None and shown[4] == "低保"
