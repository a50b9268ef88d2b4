"""月结 page: refused before the roster is approved; closed with a reason; frozen figures shown."""
from datetime import date

import pytest

from app.domain.policy import months
from app.services.office import open_session
from app.ui.pages.monthly_close import MonthlyClosePage
from tests.services.test_programmes import _poor_family, _to_review

TODAY = date.today()
NEXT = months.add(months.of(TODAY), 1)


def test_close_refused_then_closed_with_reason(qtbot, clerk, reviewer):
    h = _poor_family(clerk)
    e = reviewer.programmes.advance(_to_review(clerk, h).id, "在保", on=TODAY)
    clerk.payments.build(NEXT)

    cpage = MonthlyClosePage(clerk)
    qtbot.addWidget(cpage)
    assert not cpage.close_button.isEnabled() and cpage.close_button.toolTip()

    page = MonthlyClosePage(reviewer, today=lambda: months.first_day(NEXT))
    qtbot.addWidget(page)
    page.month.set_month(NEXT)
    marks = {page.checklist.item(r, 1).text(): page.checklist.item(r, 0).text()
             for r in range(page.checklist.rowCount())}
    assert marks["发放名册审核"] == "✗"
    assert "24" in page.countdown.text()
    # The 动态管理增减名单 lists the new household.
    assert [(c.change, c.head_name, c.amount_after_fen) for c in page.changes_model.rows] == \
        [("新增", "马学军", e.monthly_amount_fen)]

    dlg = page.open_close_dialog()
    dlg.fields["note"].setPlainText("入户核查下月补齐")
    dlg.accept()
    assert dlg.isVisible() and "审核锁定" in dlg.error.text()
    dlg.reject()

    reviewer.payments.approve(NEXT)
    page.refresh()
    dlg = page.open_close_dialog()
    dlg.accept()                                   # incomplete checklist, no reason → refused
    assert dlg.isVisible() and "原因" in dlg.error.text()

    # Comparison recorded through the clerk's page.
    cpage.month.set_month(NEXT)
    cdlg = cpage.open_comparison_dialog()
    cdlg.fields["note"].setPlainText("与乡村振兴局监测户名单比对，无新增")
    cdlg.accept()
    assert not cdlg.isVisible()

    dlg.fields["note"].setPlainText("入户核查下月补齐")
    dlg.accept()
    assert not dlg.isVisible()
    assert reviewer.monthly_close.closed(NEXT).note == "入户核查下月补齐"
    assert not page.frozen_box.isHidden()
    assert "入户核查下月补齐" in page.frozen_label.text()
    last = page.frozen_table.rowCount() - 1
    assert page.frozen_table.item(last, 3).text() == months.yuan(e.monthly_amount_fen)
    assert not page.close_button.isEnabled()


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
