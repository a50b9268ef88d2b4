"""救助 page: build the roster, totals equal the table, a reviewer locks it, holiday lines; writes
refresh the page through their OpChanges, and a refusal keeps what was typed."""

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QCheckBox, QMessageBox

from app.domain.money import yuan
from app.domain.policy import months
from app.ui import ops
from app.ui.ops import OpChanges
from app.ui.pages.programmes import ProgrammesPage
from tests.services.test_programmes import _poor_family, _to_review

TODAY = date.today()
NEXT = months.add(months.of(TODAY), 1)


@pytest.fixture
def enrolled(clerk, reviewer):
    h = _poor_family(clerk, official_relative=True, official_relative_note="户主为村文书马某之兄")
    from app.domain.entities import Visit

    clerk.visits.record(Visit(household_id=h.id, visit_date=TODAY, visitors="王五、赵六"))
    e = _to_review(clerk, h)
    return h, reviewer.enrolments.advance(e.id, "在保", on=TODAY)


@pytest.fixture
def asked(monkeypatch):
    """The confirmation before 审核锁定: answers with ``asked.answer`` and keeps each question's text."""

    class Asked(list):
        answer = QMessageBox.StandardButton.Yes

    questions = Asked()

    def question(_parent, _title, text, *_a, **_k):
        questions.append(text)
        return questions.answer

    monkeypatch.setattr(QMessageBox, "question", question)
    return questions


@pytest.fixture
def progress_seen(monkeypatch):
    """What the ops' progress dialogs would say: the op's own label, then each step the service reports."""
    seen: list[str] = []
    original = ops.Op.with_progress
    reported = ops.Op._show_progress

    def with_progress(self, label=None, *a, **k):
        seen.append(label)
        return original(self, label, *a, **k)

    def show_progress(self, done, total, label):
        seen.append(label)
        return reported(self, done, total, label)

    monkeypatch.setattr(ops.Op, "with_progress", with_progress)
    monkeypatch.setattr(ops.Op, "_show_progress", show_progress)
    return seen


def shown_page(qtbot, session, bus, month=NEXT):
    page = ProgrammesPage(session)
    qtbot.addWidget(page)
    page.month.set_month(month)
    page.show()  # a page loads when first shown
    bus.append(page)
    return page


def test_nothing_is_loaded_before_the_page_is_shown(qtbot, clerk, enrolled):
    clerk.payments.build(NEXT)
    page = ProgrammesPage(clerk)
    qtbot.addWidget(page)
    page.month.set_month(NEXT)
    assert page.model.rowCount() == 0 and page.stale
    page.show()
    assert page.model.rowCount() == 1 and not page.stale


@pytest.mark.usefixtures("asked")
def test_build_totals_and_lock(qtbot, clerk, reviewer, enrolled, bus):
    _h, e = enrolled
    page = shown_page(qtbot, clerk, bus)
    assert page.model.rowCount() == 0
    assert not page.approve_button.isEnabled() and page.approve_button.toolTip()
    page.build_button.click()
    assert page.model.rowCount() == 1
    row = page.model.rows[0]
    assert (row.head_name, row.payment.programme, row.payment.amount_fen) == ("马学军", "低保", e.monthly_amount_fen)
    assert page.total_fen() == sum(r.payment.amount_fen for r in page.model.rows) == e.monthly_amount_fen
    last = page.totals_table.rowCount() - 1
    assert page.totals_table.item(last, 3).text() == yuan(e.monthly_amount_fen)
    # Holiday subsidy: 60 元 per person for three.
    dlg = page.open_holiday_dialog()
    dlg.fields["name"].setText("春节一次性生活补贴")
    dlg.fields["per_person_fen"].setText("")
    dlg.accept()
    assert dlg.isVisible() and dlg.error.text()
    dlg.fields["per_person_fen"].setText("60")
    dlg.accept()
    assert not dlg.isVisible()
    assert NEXT in page.message.text()  # the confirmation names the month
    assert page.model.rowCount() == 2
    assert page.total_fen() == sum(r.payment.amount_fen for r in page.model.rows) == e.monthly_amount_fen + 18000
    # The 备案 register lists the official's relative, under the village's name.
    assert page.filing_table.rowCount() == 1 and page.filing_table.item(0, 1).text() == "马学军"
    assert not page.filing_table.item(0, 0).text().isdigit()

    rpage = shown_page(qtbot, reviewer, bus)
    assert rpage.approve_button.isEnabled()
    rpage.approve_button.click()
    assert all(r.payment.locked for r in rpage.model.rows)
    assert not rpage.approve_button.isEnabled()
    assert reviewer.payments.is_approved(NEXT)
    # The clerk's page, visible too, shows the lock without being asked.
    assert all(r.payment.locked for r in page.model.rows)


def test_build_refreshes_through_the_changes_it_reports(qtbot, clerk, enrolled):
    page = ProgrammesPage(clerk)
    qtbot.addWidget(page)
    page.month.set_month(NEXT)
    page.show()
    reported: list[OpChanges] = []
    ops.changes().changed.connect(reported.append)
    try:
        page.build_button.click()
    finally:
        ops.changes().changed.disconnect(reported.append)
    # The page confirms but does not reload by hand: until the changes reach it, it shows what it had.
    assert NEXT in page.message.text()
    assert page.model.rowCount() == 0
    assert len(reported) == 1 and reported[0].touches(*page.tables)
    page.on_changes(reported[0])
    assert page.model.rowCount() == 1


def test_holiday_refusal_keeps_what_was_typed(qtbot, clerk, enrolled, bus):
    page = shown_page(qtbot, clerk, bus)
    page.build_button.click()
    first = page.open_holiday_dialog()
    first.fields["name"].setText("春节一次性生活补贴")
    first.fields["per_person_fen"].setText("60")
    first.accept()
    assert not first.isVisible()
    again = page.open_holiday_dialog()
    again.fields["name"].setText("春节一次性生活补贴")
    again.fields["per_person_fen"].setText("80")
    again.accept()
    # The service's one sentence, in the dialog, with everything still typed.
    assert again.isVisible() and "不能重复生成" in again.error.text()
    assert again.fields["name"].text() == "春节一次性生活补贴"
    assert again.fields["per_person_fen"].text() == "80"
    assert again.ok_button.isEnabled()
    again.reject()


def test_no_programme_chosen_is_refused_in_the_dialog(qtbot, clerk, enrolled, bus):
    page = shown_page(qtbot, clerk, bus)
    dlg = page.open_holiday_dialog()
    dlg.fields["name"].setText("中秋补贴")
    dlg.fields["per_person_fen"].setText("50")
    for box in dlg.fields["programmes"].findChildren(QCheckBox):
        box.setChecked(False)
    dlg.accept()
    assert dlg.isVisible() and dlg.error.text()
    dlg.reject()


def test_refusal_sentence_shown(qtbot, clerk, bus, asked):
    page = shown_page(qtbot, clerk, bus)
    # Nothing to lock, and the clerk may not anyway: the service's sentence is shown.
    page.approve()
    assert not page.message.isHidden() and "无权" in page.message.text()


def test_lock_asks_first_naming_month_and_total(qtbot, reviewer, enrolled, bus, asked):
    _h, e = enrolled
    reviewer.payments.build(NEXT)
    page = shown_page(qtbot, reviewer, bus)
    asked.answer = QMessageBox.StandardButton.Cancel
    page.approve_button.click()
    # Cannot be undone, so asked first; the question names the month and what would be locked.
    assert len(asked) == 1 and NEXT in asked[0] and yuan(e.monthly_amount_fen) in asked[0]
    assert not reviewer.payments.is_approved(NEXT)
    assert not any(r.payment.locked for r in page.model.rows) and page.approve_button.isEnabled()

    asked.answer = QMessageBox.StandardButton.Yes
    page.approve_button.click()
    assert len(asked) == 2 and reviewer.payments.is_approved(NEXT)
    assert all(r.payment.locked for r in page.model.rows)


@pytest.mark.usefixtures("enrolled", "asked")
def test_build_and_lock_show_progress_with_each_step(qtbot, clerk, reviewer, bus, progress_seen):
    page = shown_page(qtbot, clerk, bus)
    page.build_button.click()
    # The op's dialog names the month, then follows the service's steps to the end.
    assert NEXT in progress_seen[0]
    assert any("计算" in (label or "") for label in progress_seen) and progress_seen[-1] == "完成"
    progress_seen.clear()
    rpage = shown_page(qtbot, reviewer, bus)
    rpage.approve_button.click()
    assert NEXT in progress_seen[0]
    assert any("锁定" in (label or "") for label in progress_seen) and progress_seen[-1] == "完成"


def test_rebuilding_a_draft_says_what_changed_in_its_total(qtbot, clerk, reviewer, enrolled, bus):
    _h, e = enrolled
    page = shown_page(qtbot, clerk, bus)
    page.build_button.click()
    assert "→" not in page.message.text()  # a first build has nothing to compare with
    persons = page.model.rows[0].payment.persons
    page.build_button.click()
    text = page.message.text()
    assert NEXT in text and f"{persons} → {persons}" in text
    assert f"{yuan(e.monthly_amount_fen)} → {yuan(e.monthly_amount_fen)}" in text
    # The son dies before the month: the rebuilt draft pays two persons, and says so.
    h, ms = clerk.households.get(_h.id)
    next(m for m in ms if m.name == "马小军").deceased_on = months.first_day(NEXT) - timedelta(days=1)
    clerk.households.update(h, ms)
    page.build_button.click()
    after = e.monthly_amount_fen * 2 // 3
    text = page.message.text()
    assert "3 → 2" in text and f"{yuan(e.monthly_amount_fen)} → {yuan(after)}" in text
    assert yuan(after - e.monthly_amount_fen) in text  # the difference, signed


V1, V2 = "640424100001", "640424100002"


@pytest.fixture
def waiting(clerk):
    """Two applications with the reviewer, one in each of two villages; nobody visited this month."""
    a = _poor_family(clerk, village=V1)
    b = _poor_family(clerk, village=V2)
    for h in (a, b):
        _to_review(clerk, h)
    return a, b


def _queue_heads(page):
    table = page.work_queues.table
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def test_work_queues_tab_lists_the_households_waiting_and_opens_one(qtbot, clerk, waiting, bus):
    from PySide6.QtCore import Qt

    from app.services.queues import APPROVAL, VISITS, WorkQueueService

    a, b = waiting
    page = shown_page(qtbot, clerk, bus)
    queues = page.work_queues
    expected = WorkQueueService(clerk).queues(TODAY)
    assert queues.queue_buttons[APPROVAL].text().endswith(f"  {expected.count(APPROVAL)}")
    assert expected.count(APPROVAL) == 2
    assert str(queues.total()) in page.tabs.tabText(page.tabs.indexOf(page.queues_tab))
    queues.show_queue(APPROVAL)
    ids = [queues.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(queues.table.rowCount())]
    assert set(ids) == {a.id, b.id}
    queues.show_queue(VISITS)
    assert queues.table.rowCount() == expected.count(VISITS)

    page.tabs.setCurrentWidget(page.queues_tab)
    queues.show_queue(APPROVAL)
    row = ids.index(b.id)
    rect = queues.table.visualRect(queues.table.model().index(row, 1))
    qtbot.mouseClick(queues.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(queues.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.editor is not None and page.editor.household_id == b.id
    page.editor.reject()


def test_village_filter_gives_a_village_cadre_one_village(qtbot, clerk, waiting, bus):
    from PySide6.QtCore import Qt

    from app.services.queues import APPROVAL

    _a, b = waiting
    page = shown_page(qtbot, clerk, bus)
    queues = page.work_queues
    queues.show_queue(APPROVAL)
    assert queues.table.rowCount() == 2
    queues.village_filter.setCurrentIndex(queues.village_filter.findData(V2))
    assert queues.village_code() == V2
    assert [queues.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(queues.table.rowCount())] == [b.id]
    assert queues.queue_buttons[APPROVAL].text().endswith("  1")


def test_a_visit_recorded_elsewhere_leaves_the_visit_queue_without_reloading_the_roster(
    qtbot, clerk, waiting, bus, monkeypatch
):
    from app.domain.entities import Visit
    from app.services.queues import VISITS
    from app.ui.ops import Op

    a, _b = waiting
    page = shown_page(qtbot, clerk, bus)
    before = page.work_queues.queues.count(VISITS)
    assert a.id in {i.household_id for i in page.work_queues.queues.queues[VISITS]}
    roster_reads: list[str] = []
    monkeypatch.setattr(page, "refresh", lambda: roster_reads.append("roster"))
    Op(
        None,
        lambda s, _p: s.visits.record(Visit(household_id=a.id, visit_date=TODAY, visitors="王五、赵六")),
        write=True,
        session=clerk,
    ).run()
    assert page.work_queues.queues.count(VISITS) == before - 1
    assert a.id not in {i.household_id for i in page.work_queues.queues.queues[VISITS]}
    assert roster_reads == []
