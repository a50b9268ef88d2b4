"""救助 page: build the roster, totals equal the table, a reviewer locks it, holiday lines."""
from datetime import date

import pytest

from app.domain.policy import months
from app.services.office import open_session
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
    return h, reviewer.programmes.advance(e.id, "在保", on=TODAY)


def test_build_totals_and_lock(qtbot, clerk, reviewer, enrolled):
    h, e = enrolled
    page = ProgrammesPage(clerk)
    qtbot.addWidget(page)
    page.month.set_month(NEXT)
    assert page.model.rowCount() == 0
    assert not page.approve_button.isEnabled() and page.approve_button.toolTip()
    page.build_button.click()
    assert page.model.rowCount() == 1
    row = page.model.rows[0]
    assert (row.head_name, row.payment.programme, row.payment.amount_fen) == ("马学军", "低保", e.monthly_amount_fen)
    assert page.total_fen() == sum(r.payment.amount_fen for r in page.model.rows) == e.monthly_amount_fen
    last = page.totals_table.rowCount() - 1
    assert page.totals_table.item(last, 3).text() == months.yuan(e.monthly_amount_fen)
    # Holiday subsidy: 60 元 per person for three.
    dlg = page.open_holiday_dialog()
    dlg.fields["name"].setText("春节一次性生活补贴")
    dlg.fields["amount"].setText("abc")
    dlg.fields["amount"].setText("")
    dlg.accept()
    assert dlg.isVisible() and dlg.error.text()
    dlg.fields["amount"].setText("60")
    dlg.accept()
    assert not dlg.isVisible()
    assert page.model.rowCount() == 2
    assert page.total_fen() == sum(r.payment.amount_fen for r in page.model.rows) == e.monthly_amount_fen + 18000
    # The 备案 register lists the official's relative.
    assert page.filing_table.rowCount() == 1 and page.filing_table.item(0, 1).text() == "马学军"

    rpage = ProgrammesPage(reviewer)
    qtbot.addWidget(rpage)
    rpage.month.set_month(NEXT)
    assert rpage.approve_button.isEnabled()
    rpage.approve_button.click()
    assert all(r.payment.locked for r in rpage.model.rows)
    assert not rpage.approve_button.isEnabled()
    assert reviewer.payments.is_approved(NEXT)


def test_refusal_sentence_shown(qtbot, clerk):
    page = ProgrammesPage(clerk)
    qtbot.addWidget(page)
    # Nothing to lock, and the clerk may not anyway: the service's sentence is shown.
    page.approve()
    assert not page.message.isHidden() and "无权" in page.message.text()
