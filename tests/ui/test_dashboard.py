"""Dashboard numbers against counts worked out independently here."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTableWidgetItem

from app.domain import deadline
from app.domain.deadline import days_until_deadline, deadline_for
from app.domain.entities import Visit
from app.domain.months import previous as previous_month
from app.services.dashboard import DashboardService
from app.ui import ops
from app.ui.ops import Op
from app.ui.pages.dashboard import DashboardPage
from tests.factories import household, member

V1, V2 = "640424100001", "640424100002"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def _visit(session, hid, day):
    session.visits.record(Visit(household_id=hid, visit_date=day, visitors="马、李"))


@pytest.fixture
def register(office):
    session, _code, _dir = office
    today = date.today()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    add = session.households.add
    h1 = add(household(V1, categories=["低保", "监测户"]), [member("张一", date(1960, 1, 1))])
    h2 = add(household(V1, categories=["特困"]), [member("张二", date(1950, 2, 2))])
    h3 = add(household(V2, categories=["脱贫户"]), [member("马三", date(1970, 3, 3))])
    add(household(V2, categories=["低保"], under_watch=False), [member("马四", date(1980, 4, 4))])
    h5 = add(household(V2, categories=["低保"]), [member("马五", date(1990, 5, 5))])
    session.households.archive(h5.id, "迁出")
    _visit(session, h1.id, this_month)
    _visit(session, h1.id, last_month)
    _visit(session, h2.id, last_month)
    return session, today, (h1, h2, h3)


def test_summary_matches_independent_counts(register):
    session, today, _ = register
    month = today.strftime("%Y-%m")
    s = DashboardService(session).summary(month, today)
    assert s.households == 4 and s.under_watch == 3  # h5 archived; h4 not under watch
    cats = dict(s.categories)
    assert cats["低保"] == 2 and cats["监测户"] == 1 and cats["特困"] == 1 and cats["脱贫户"] == 1
    assert cats["低收入"] == 0
    assert (s.visits_done, s.visits_due) == (1, 3) == session.visits.progress(month)
    assert s.overdue == 1 == sum(d.overdue for d in session.visits.due(month))  # h3: never visited
    villages = {v.code: (v.households, v.under_watch, v.visited) for v in s.villages}
    assert villages == {V1: (2, 2, 1), V2: (2, 1, 0)}
    assert len(s.series) == 12 and s.series[-1].month == month
    assert s.series[-2].month == previous_month(month) and s.series[-2].done == 2
    assert all(m.due == 3 for m in s.series)
    # Every write to the register appended change-log rows; no peer has acknowledged any yet.
    # (The local user accounts never travel, so they are not counted.)
    written = session.db.scalar("SELECT count(*) FROM change_log WHERE entity IN ('households', 'members', 'visits')")
    assert s.unsent_changes == written > 0
    assert s.days_left == days_until_deadline(today)


@pytest.mark.parametrize(
    ("today", "closed", "deadline", "days"),
    [
        (date(2026, 3, 20), False, date(2026, 3, 25), 5),
        (date(2026, 3, 25), False, date(2026, 3, 25), 0),
        (date(2026, 3, 26), False, date(2026, 3, 25), -1),  # the close is overdue
        (date(2026, 3, 26), True, date(2026, 4, 25), 30),
        (date(2026, 12, 31), True, date(2027, 1, 25), 25),
    ],
)
def test_deadline(today, closed, deadline, days):
    assert deadline_for(today, closed) == deadline and days_until_deadline(today, closed) == days


def test_page_shows_the_numbers(qtbot, register):
    session, today, _ = register
    page = DashboardPage(session, today=lambda: today)
    qtbot.addWidget(page)
    assert page.summary is None  # nothing is read before the page is shown
    page.resize(1200, 700)
    page.show()
    assert page.households_card.value.text() == "4"
    assert page.visits_card.value.text() == "1 / 3"
    assert (page.visits_bar.value(), page.visits_bar.maximum()) == (1, 3)
    assert page.overdue_card.value.text() == "1"
    assert len(page.chart.series) == 12
    assert page.villages.rowCount() == 2

    def cell(row: int, column: int) -> QTableWidgetItem:
        item = page.villages.item(row, column)
        assert item is not None, (row, column)
        return item

    rows = {cell(r, 0).text(): [cell(r, c).data(0) for c in range(1, 5)] for r in range(2)}
    assert rows == {"香水街居": [2, 2, 1, 50], "百泉街居": [2, 1, 0, 0]}
    qtbot.waitExposed(page)
    page.chart.grab()  # paints without error


def _shown(qtbot, session, today):
    page = DashboardPage(session, today=lambda: today)
    qtbot.addWidget(page)
    ops.changes().changed.connect(page.on_changes)  # as the main window does
    page.show()
    return page


def test_a_visit_recorded_elsewhere_updates_the_shown_numbers(qtbot, register):
    session, today, (_h1, _h2, h3) = register
    page = _shown(qtbot, session, today)
    try:
        unsent = int(page.unsent_card.value.text())
        Op(
            None,
            lambda s, _p: s.visits.record(Visit(household_id=h3.id, visit_date=today, visitors="马、李")),
            write=True,
            session=session,
        ).run()
        assert page.visits_card.value.text() == "2 / 3"
        assert page.overdue_card.value.text() == "0"
        assert int(page.unsent_card.value.text()) > unsent
    finally:
        ops.changes().changed.disconnect(page.on_changes)


@pytest.mark.parametrize(
    ("day", "value"),
    [
        (20, "5 days"),
        (25, "Today"),
        (27, "Overdue by 2 days"),  # this month's close is still to do: its 25th stays the deadline
    ],
)
def test_deadline_card_follows_the_domain(qtbot, office, day, value):
    session, _code, _dir = office
    today = date(2026, 3, day)
    page = _shown(qtbot, session, today)
    ops.changes().changed.disconnect(page.on_changes)
    assert page.deadline_card.value.text() == value
    assert page.deadline_card.detail.text() == "2026-03-25" == deadline.deadline_for(today).isoformat()


def test_warns_when_the_last_backup_is_more_than_7_days_old(qtbot, office):
    from datetime import datetime

    from app.services.backup import BackupService

    session, _code, _dir = office
    page = DashboardPage(session)
    qtbot.addWidget(page)
    page.refresh()
    assert page.summary is not None and page.summary.last_backup is None
    assert not page.backup_warning.isHidden() and "never been backed up" in page.backup_warning.text()

    eight_days_ago = datetime.now() - timedelta(days=8)
    BackupService(session).backup_now(now=eight_days_ago)
    page.refresh()
    assert page.summary is not None and page.summary.last_backup == eight_days_ago.replace(microsecond=0)
    assert not page.backup_warning.isHidden()
    assert eight_days_ago.strftime("%Y-%m-%d") in page.backup_warning.text()

    BackupService(session).backup_now()
    page.refresh()
    assert page.backup_warning.isHidden()


def test_work_queue_lists_households_and_opens_one_on_double_click(qtbot, register):
    from PySide6.QtCore import Qt

    from app.services.queues import VISITS

    session, today, (_h1, _h2, h3) = register
    page = _shown(qtbot, session, today)
    ops.changes().changed.disconnect(page.on_changes)
    queues = page.work_queues
    # h2 and h3 are under watch and not visited this month (h1 was).
    assert queues.queue_buttons[VISITS].text().endswith("  2")
    qtbot.mouseClick(queues.queue_buttons[VISITS], Qt.MouseButton.LeftButton)
    assert queues.table.rowCount() == 2
    heads = {queues.table.item(r, 1).text(): r for r in range(2)}
    assert set(heads) == {"张二", "马三"}
    row = heads["马三"]
    rect = queues.table.visualRect(queues.table.model().index(row, 1))
    qtbot.mouseClick(queues.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(queues.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.editor is not None and page.editor.household_id == h3.id
    page.editor.reject()


def test_village_filter_narrows_the_queues(qtbot, register):
    from app.services.queues import VISITS

    session, today, _ = register
    page = _shown(qtbot, session, today)
    ops.changes().changed.disconnect(page.on_changes)
    queues = page.work_queues
    queues.show_queue(VISITS)
    assert queues.table.rowCount() == 2  # 张二 in V1, 马三 in V2
    queues.village_filter.setCurrentIndex(queues.village_filter.findData(V2))
    assert page.queues is not None and page.queues.village_code == V2
    assert [queues.table.item(r, 1).text() for r in range(queues.table.rowCount())] == ["马三"]


def test_figures_and_title_grow_with_the_text_size_at_once(qtbot, office, qapp):
    from app.ui import fonts

    session, _code, _dir = office
    page = DashboardPage(session)
    qtbot.addWidget(page)
    before = qapp.font()
    title, figure = page.title.font().pointSizeF(), page.households_card.value.font().pointSizeF()
    try:
        fonts.apply_font_size("xlarge", qapp)
        assert page.title.font().pointSizeF() > title
        assert page.households_card.value.font().pointSizeF() == pytest.approx(qapp.font().pointSizeF() * 1.9)
        assert page.households_card.value.font().bold()
    finally:
        qapp.setFont(before)
    # Back to the standard size: the figure follows down again.
    assert page.households_card.value.font().pointSizeF() == pytest.approx(figure)
