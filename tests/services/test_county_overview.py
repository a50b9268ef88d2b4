"""The county's overview of its townships, and when a township's package is late."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.deadline import package_overdue
from app.services.county import CountyService
from app.services.demo import load_synthetic
from app.services.office import create_office
from tests.conftest import ADMIN_PASSWORD

TODAY = date(2026, 11, 20)


@pytest.fixture
def county(tmp_path):
    session, _code = create_office(tmp_path / "county", "640424", "admin", ADMIN_PASSWORD, kind="county")
    load_synthetic(session, "small", households=80, seed=3, end_month="2026-11")
    yield session
    session.close()


def test_every_township_of_the_county_is_listed_with_its_households(county):
    overview = CountyService(county).overview(TODAY)
    names = {t.name for t in overview.townships}
    assert "香水镇" in names and len(overview.townships) >= 5
    assert sum(t.households for t in overview.townships) == county.db.scalar(
        "SELECT count(*) FROM households WHERE deleted = 0 AND archived = 0"
    )
    supported = sum(t.supported.get("低保", (0, 0))[0] for t in overview.townships)
    assert supported == county.db.scalar(
        "SELECT count(DISTINCT household_id) FROM enrolments WHERE deleted = 0 AND programme = '低保' "
        "AND status IN ('在保', '渐退')"
    )


def test_a_township_that_never_sent_a_package_is_late(county):
    overview = CountyService(county).overview(TODAY)
    assert overview.late == overview.townships  # nothing was ever received
    county.db.execute(
        "INSERT INTO packages(package_id, direction, peer_code, seq, created_at, handled_at, manifest) "
        "VALUES ('p1', 'in', '640424100000', 1, '2026-11-03T09:00:00+08:00', '2026-11-03T10:00:00+08:00', '{}')"
    )
    town = next(t for t in CountyService(county).overview(TODAY).townships if t.code == "640424100000")
    assert (town.packages, town.package_overdue) == (1, False)
    assert town.last_package_at.startswith("2026-11-03")


@given(st.dates(date(2024, 1, 1), date(2030, 12, 31)), st.integers(0, 120))
def test_a_package_is_late_exactly_when_none_came_since_the_month_it_was_due_for(today, age):
    received = today - timedelta(days=age)
    late = package_overdue(received, today)
    due_since = today.replace(day=1) if today.day > 25 else (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert late == (received < due_since)
    assert package_overdue(None, today)
