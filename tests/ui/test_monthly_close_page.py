"""月结 page: not offered before the roster is locked (and the page says why); closed with a reason
behind a progress dialog; the frozen figures shown whole with a total row; writes refresh the page
through their OpChanges."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from app.domain.money import yuan
from app.domain.policy import months
from app.ui import ops
from app.ui.ops import OpChanges
from app.ui.pages.monthly_close import MonthlyClosePage
from tests.services.test_month_cycle import compare_monitoring_list
from tests.services.test_programmes import _poor_family, _to_review

# The enrolment is approved today and paid from the month after: MONTH, the month closed. Every
# page is shown as if it were already MONTH (``today`` injected): a month is closed once it has
# begun, and the picker offers no later month.
TODAY = date.today()
MONTH = months.add(months.of(TODAY), 1)
ON = months.first_day(MONTH)
PREVIOUS = months.add(MONTH, -1)


@pytest.fixture
def roster(clerk, reviewer):
    h = _poor_family(clerk)
    e = reviewer.enrolments.advance(_to_review(clerk, h).id, "在保", on=TODAY)
    clerk.payments.build(MONTH)
    return e


def shown_page(qtbot, session, bus, **kw):
    kw.setdefault("today", lambda: ON)
    page = MonthlyClosePage(session, **kw)
    qtbot.addWidget(page)
    page.month.set_month(MONTH)
    page.show()  # a page loads when first shown
    bus.append(page)
    return page


def marks(page):
    return {
        page.checklist.item(r, 1).text(): page.checklist.item(r, 0).text() for r in range(page.checklist.rowCount())
    }


def test_close_refused_then_closed_with_reason(qtbot, clerk, reviewer, roster, bus, tmp_path):  # noqa: PLR0917
    e = roster
    cpage = shown_page(qtbot, clerk, bus)
    assert not cpage.close_button.isEnabled() and cpage.close_button.toolTip()

    page = shown_page(qtbot, reviewer, bus, today=lambda: ON)
    assert marks(page)["发放名册审核"] == "✗"
    assert "24" in page.countdown.text() and ON.replace(day=25).isoformat() in page.countdown.text()
    # The 动态管理增减名单 lists the new household.
    assert [(c.change, c.head_name, c.amount_after_fen) for c in page.changes_model.rows] == [
        ("新增", "马学军", e.monthly_amount_fen)
    ]

    # Until the roster is locked 月结… cannot be pressed, and the page says why, naming the month,
    # instead of taking a reason first and refusing afterwards.
    assert not page.close_button.isEnabled() and "locked" in page.close_button.toolTip()
    assert not page.close_blocked.isHidden() and MONTH in page.close_blocked.text()
    assert not cpage.close_blocked.isHidden()  # the clerk sees the month's blocker too
    assert page.open_close_dialog() is None and page.dialog is None

    reviewer.payments.approve(MONTH)
    page.refresh()
    assert page.close_button.isEnabled() and page.close_blocked.isHidden()
    dlg = page.open_close_dialog()
    assert dlg is not None
    dlg.accept()  # incomplete checklist, no reason → refused
    assert dlg.isVisible() and "原因" in dlg.error.text()

    # The clerk compares a list (as the 比对 page does, in a write op); the reviewer's visible page ticks it.
    head = clerk.households.members(roster.household_id)[0]
    ops.Op(
        cpage,
        lambda s, _p: compare_monitoring_list(s, MONTH, tmp_path, [(head.name, head.id_number)]),
        write=True,
    ).run()
    assert marks(page)["数据比对"] == "✓"

    dlg.fields["note"].setPlainText("入户核查下月补齐")
    dlg.accept()
    assert not dlg.isVisible()
    assert reviewer.monthly_close.closed(MONTH).note == "入户核查下月补齐"
    assert not page.frozen_box.isHidden()
    assert "入户核查下月补齐" in page.frozen_label.text()
    last = page.frozen_table.rowCount() - 1
    assert [page.frozen_table.item(last, c).text() for c in (1, 2, 3)] == ["1", "3", yuan(e.monthly_amount_fen)]
    assert not page.close_button.isEnabled()
    assert not cpage.comparison_button.isEnabled()  # the clerk's page saw the close too


def test_close_refreshes_through_the_changes_it_reports(qtbot, reviewer, roster):
    reviewer.payments.approve(MONTH)
    page = MonthlyClosePage(reviewer, today=lambda: ON)
    qtbot.addWidget(page)
    page.month.set_month(MONTH)
    page.show()
    reported: list[OpChanges] = []
    ops.changes().changed.connect(reported.append)
    try:
        dlg = page.open_close_dialog()
        assert dlg is not None
        note = dlg.fields["note"]
        assert isinstance(note, QPlainTextEdit)
        note.setPlainText("比对下月补做")
        dlg.accept()
    finally:
        ops.changes().changed.disconnect(reported.append)
    assert not dlg.isVisible() and MONTH in page.message.text()
    # No reload by hand: the page still shows the open month until the changes reach it.
    assert page.frozen_box.isHidden() and page.close_button.isEnabled()
    assert len(reported) == 1 and reported[0].touches(*page.tables)
    page.on_changes(reported[0])
    assert not page.frozen_box.isHidden() and not page.close_button.isEnabled()


def test_countdown_counts_to_the_25th(qtbot, reviewer, bus):
    page = shown_page(qtbot, reviewer, bus, today=lambda: ON.replace(day=25))
    assert page.countdown.text() == f"Due today ({ON.replace(day=25).isoformat()})"
    late = shown_page(qtbot, reviewer, bus, today=lambda: ON.replace(day=27))
    assert late.countdown.text().startswith("2 days past the 25th")


def test_money_columns_of_the_changes_say_yuan_and_fit(qtbot, reviewer, zh_translators):
    from PySide6.QtCore import Qt

    page = MonthlyClosePage(reviewer)
    qtbot.addWidget(page)
    model, view = page.changes_model, page.changes_table
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    money = [c for c, h in enumerate(headers) if "金额" in h]
    assert len(money) == 2
    for c in money:
        assert "元" in headers[c]
        assert view.columnWidth(c) >= view.fontMetrics().horizontalAdvance(headers[c])


def test_a_month_without_roster_says_so_and_lists_nobody(qtbot, clerk, roster, bus):
    page = shown_page(qtbot, clerk, bus)
    page.month.set_month(PREVIOUS)  # MONTH has a roster; the month before has none
    page.refresh()
    assert page.changes_model.rows == []
    assert "尚未生成" in page.changes_summary.text()
    assert page.changes_table.isHidden()
    page.month.set_month(MONTH)
    page.refresh()
    assert not page.changes_table.isHidden() and page.changes_model.rows


def test_the_last_months_message_goes_when_another_month_is_chosen(qtbot, clerk):
    page = MonthlyClosePage(clerk, today=lambda: ON)
    qtbot.addWidget(page)
    page.show()
    page.message.info("已月结。")
    page.month.set_month(PREVIOUS)
    assert page.message.isHidden()


def test_close_runs_behind_a_progress_dialog_following_its_steps(qtbot, reviewer, roster, bus, monkeypatch):
    seen: list[str] = []
    with_progress, show_progress = ops.Op.with_progress, ops.Op._show_progress

    def spy_label(self, label=None, *a, **k):
        seen.append(label)
        return with_progress(self, label, *a, **k)

    def spy_step(self, done, total, label):
        seen.append(label)
        return show_progress(self, done, total, label)

    monkeypatch.setattr(ops.Op, "with_progress", spy_label)
    monkeypatch.setattr(ops.Op, "_show_progress", spy_step)
    reviewer.payments.approve(MONTH)
    page = shown_page(qtbot, reviewer, bus, today=lambda: ON)
    dlg = page.open_close_dialog()
    assert dlg is not None
    dlg.fields["note"].setPlainText("比对下月补做")
    dlg.accept()
    assert not dlg.isVisible() and reviewer.monthly_close.closed(MONTH) is not None
    assert MONTH in seen[0]  # the dialog says which month it is closing
    assert any("增减名单" in (label or "") for label in seen) and seen[-1] == "完成"


def test_frozen_figures_are_shown_whole(qtbot, reviewer, roster, bus):
    reviewer.payments.approve(MONTH)
    reviewer.payments.add_holiday(MONTH, "春节一次性生活补贴", 6000, ("低保",))
    reviewer.payments.approve(MONTH)
    reviewer.monthly_close.close(MONTH, note="比对下月补做", on=ON)
    page = shown_page(qtbot, reviewer, bus)
    page.resize(1366, 700)
    qtbot.wait(10)
    t = page.frozen_table
    # Every row, the total included, is inside the table's visible area: nothing to scroll.
    totals = reviewer.payments.totals(MONTH)
    assert t.rowCount() == len(totals) + 1 >= 3
    assert t.item(t.rowCount() - 1, 3).text() == yuan(sum(v["amount_fen"] for v in totals.values()))
    bottom = t.rowViewportPosition(t.rowCount() - 1) + t.rowHeight(t.rowCount() - 1)
    assert bottom <= t.viewport().height()
    for c in range(t.columnCount()):
        for r in range(t.rowCount()):
            text = t.item(r, c).text()
            assert t.columnWidth(c) >= t.fontMetrics().horizontalAdvance(text), (r, c, text)


def test_a_county_sized_close_is_shown_whole_too(qtbot, reviewer, bus):
    import json

    from app.domain.entities import MonthClose

    page = shown_page(qtbot, reviewer, bus)
    page.resize(1366, 700)
    programmes = ["低保", "特困", "孤儿基本生活费", "高龄补贴", "临时救助", "困难残疾人生活补贴"]
    totals = {p: {"households": 12345, "persons": 23456, "amount_fen": 987654321} for p in programmes}
    closed = MonthClose(month=MONTH, closed_on=TODAY, figures_json=json.dumps({"totals": totals}), note="")
    page.frozen_box.show()
    page._show_frozen(closed)
    qtbot.wait(10)
    t = page.frozen_table
    assert t.rowCount() == len(programmes) + 1
    bottom = t.rowViewportPosition(t.rowCount() - 1) + t.rowHeight(t.rowCount() - 1)
    assert bottom <= t.viewport().height()
    total = [t.item(t.rowCount() - 1, c).text() for c in range(4)]
    assert total[1:] == [str(12345 * 6), str(23456 * 6), yuan(987654321 * 6)]
    for c in range(t.columnCount()):
        assert t.columnWidth(c) >= max(
            t.fontMetrics().horizontalAdvance(t.item(r, c).text()) for r in range(t.rowCount())
        )


@pytest.mark.parametrize("today", [ON, date(2025, 6, 30)])
def test_the_month_picker_stops_at_the_current_month(qtbot, reviewer, today):
    # A month that has not begun is not offered for closing, whatever today is.
    page = MonthlyClosePage(reviewer, today=lambda: today)
    qtbot.addWidget(page)
    current = months.of(today)
    assert page.month.month() == current  # it opens on the current month
    page.month.set_month(months.add(current, 1))
    assert page.month.month() == current
    page.month.stepUp()
    assert page.month.month() == current
    page.month.set_month(months.add(current, -1))  # earlier months stay open to a late close
    assert page.month.month() == months.add(current, -1)


def test_english_headers_of_the_changes_are_not_cut(qtbot, reviewer, roster, bus):
    # No zh translators: the English headers, longer than the Chinese the widths were chosen for.
    page = shown_page(qtbot, reviewer, bus)
    page.resize(1366, 768)
    qtbot.wait(10)
    view, hh = page.changes_table, page.changes_table.horizontalHeader()
    headers = [page.changes_model.headerData(c, Qt.Orientation.Horizontal) for c in range(hh.count())]
    assert "Persons before" in headers
    for c, text in enumerate(headers):
        # What the header needs to paint its text whole (font, margins), as Qt measures it.
        assert hh.sectionSize(c) >= hh.sectionSizeFromContents(c).width(), text
        assert hh.sectionSize(c) > hh.fontMetrics().horizontalAdvance(text), text
    # At 1366x768 the widened columns still fit: the last one (Reason) keeps room of its own.
    last = hh.count() - 1
    assert hh.sectionViewportPosition(last) + hh.sectionSizeFromContents(last).width() <= view.viewport().width()
