"""County mode: the county's own navigation, its townships overview and the policy what-if."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from app.services.demo import load_synthetic
from app.services.office import create_office
from tests.conftest import ADMIN_PASSWORD


@pytest.fixture
def county(tmp_path):
    session, _code = create_office(tmp_path / "county", "640424", "admin", ADMIN_PASSWORD, kind="county")
    load_synthetic(session, "small", households=40, seed=5, end_month="2026-11")
    yield session
    session.close()


def test_the_county_gets_its_own_pages(qtbot, county):
    from app.ui.main_window import MainWindow

    w = MainWindow(county, today=lambda: date(2026, 11, 20))
    qtbot.addWidget(w)
    keys = [w.nav.item(i).data(0x0100) for i in range(w.nav.count())]
    assert keys[0] == "county_overview" and "what_if" in keys
    assert "visits" not in keys and "monthly_close" not in keys and "care" not in keys
    w.show()
    page: Any = w.page("county_overview")
    assert page.model.rowCount() >= 5
    assert "late" in page.summary.text() or "逾期" in page.summary.text()


def test_what_if_calculates_and_exports(qtbot, county, tmp_path):
    from app.ui.pages.what_if import WhatIfPage

    page = WhatIfPage(county)
    qtbot.addWidget(page)
    page.show()
    assert page.rural.text()  # prefilled with the standard in force
    current = Decimal(page.rural.text())
    page.rural.setText(str(current * 2))
    page.calculate()
    assert page.result is not None and page.result.households > 0
    assert page.model.rowCount() == len(page.result.townships) + 2  # two programmes' totals
    assert page.export_button.isEnabled()
    page.export(tmp_path / "what-if.xlsx")
    rows = list(load_workbook(tmp_path / "what-if.xlsx").active.iter_rows(values_only=True))
    assert rows[-1][0] == "合计"


def test_what_if_refuses_a_bad_amount_with_a_sentence(qtbot, county):
    from app.ui.pages.what_if import WhatIfPage

    page = WhatIfPage(county)
    qtbot.addWidget(page)
    page.show()
    page.rural.setText("")
    page.urban.setText("")
    page.calculate()
    assert page.result is None
    assert "至少填写一项" in page.message.text()
