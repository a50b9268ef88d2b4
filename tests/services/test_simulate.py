"""``simulate``: months of a township's work played through the services, on demo offices only."""

from datetime import date

import pytest

from app.domain import months, vocab
from app.domain.entities import Visit
from app.errors import InvalidInput
from app.services.demo import create_demo
from app.services.integrity import check_report
from app.services.office import open_session
from app.services.simulate import first_month, open_staff, refuse_unless_demo, simulate
from tests.conftest import ADMIN_PASSWORD

PASSWORD = "demo-pass-2021"
# A fixed past month: the demo, and so what is simulated on it, does not depend on the day the tests run.
END = "2025-03"
# Every kind of change a package to the county carries; each happens within two months.
KINDS = (
    "visits",
    "visits_not_assured",
    "income_changes",
    "births",
    "deaths",
    "households_added",
    "applications",
    "approvals",
    "withdrawals",
    "alerts_raised",
    "alerts_closed",
    "roster_lines",
)


def _demo(tmp_path, name="demo", households=30):
    data = tmp_path / name
    admin, _code, _counts = create_demo(data, PASSWORD, households=households, end_month=END)
    clerk, reviewer = open_staff(data, PASSWORD)
    return data, admin, clerk, reviewer


@pytest.fixture
def demo(tmp_path):
    data, admin, clerk, reviewer = _demo(tmp_path)
    yield data, admin, clerk, reviewer
    for s in (clerk, reviewer, admin):
        s.close()


def _count(session, sql, params=()):
    return session.db.scalar(sql, params)


def test_a_real_office_is_refused_and_left_as_it_was(office):
    session, _code, data = office
    session.users.add("clerk", "clerk", ADMIN_PASSWORD)
    session.users.add("reviewer", "reviewer", ADMIN_PASSWORD)
    clerk, reviewer = open_staff(data, ADMIN_PASSWORD)
    before = _count(session, "SELECT count(*) FROM audit_log")
    try:
        with pytest.raises(InvalidInput) as refused:
            refuse_unless_demo(session)
        assert "不是演示单位" in str(refused.value) and refused.value.exit_code == 2
        with pytest.raises(InvalidInput, match="不是演示单位"):
            simulate(clerk, reviewer, 1)
    finally:
        clerk.close()
        reviewer.close()
    assert _count(session, "SELECT count(*) FROM audit_log") == before


def test_two_months_play_every_kind_of_change_and_close_each_month(demo):
    data, admin, clerk, reviewer = demo
    assert first_month(admin) == END  # the demo's last month has a draft roster: it is played first
    households = _count(admin, "SELECT count(*) FROM households")
    members = _count(admin, "SELECT count(*) FROM members")
    visits = _count(admin, "SELECT count(*) FROM visits")
    applications = _count(admin, "SELECT count(*) FROM enrolments")
    log_start = _count(admin, "SELECT max(seq) FROM change_log")

    counts = simulate(clerk, reviewer, 2)

    played = [END, months.add(END, 1)]
    assert counts["months"] == played and counts["months_closed"] == 2
    assert [kind for kind in KINDS if counts[kind] == 0] == []
    assert _count(admin, "SELECT count(*) FROM households") == households + counts["households_added"]
    assert _count(admin, "SELECT count(*) FROM members") == members + counts["births"] + 2 * counts["households_added"]
    assert _count(admin, "SELECT count(*) FROM members WHERE deceased_on IS NOT NULL") >= counts["deaths"]
    assert _count(admin, "SELECT count(*) FROM visits") == visits + counts["visits"]
    assert _count(admin, "SELECT count(*) FROM enrolments") == applications + counts["applications"]
    for month in played:
        assert admin.monthly_close.closed(month) is not None
        assert admin.payments.is_approved(month)
    assert first_month(admin) == months.add(END, 2)
    # Every change went through the store: each table a package carries has new change-log rows.
    changed = {r[0] for r in admin.db.query("SELECT DISTINCT entity FROM change_log WHERE seq > ?", (log_start,))}
    assert {
        "households",
        "members",
        "visits",
        "income_items",
        "enrolments",
        "enrolment_steps",
        "alerts",
        "payments",
        "month_closes",
    } <= changed
    # The clerk recorded and the reviewer decided, as in the office.
    who = {r[0] for r in admin.db.query("SELECT DISTINCT username FROM audit_log WHERE action = '月结'")}
    assert who == {"reviewer"}
    assert _count(admin, "SELECT count(*) FROM audit_log WHERE action = '入户核查' AND username = 'clerk'") > 0
    report = check_report(admin, data)
    assert report["problems"] == []


def test_visits_are_two_person_and_explain_each_item_not_assured(demo):
    _data, admin, clerk, reviewer = demo
    simulate(clerk, reviewer, 2)
    start, _ = months.iso_bounds(END)
    found = admin.store.repo(Visit).where("visit_date >= ?", (start,))
    assert {v.kind for v in found} == set(vocab.VISIT_KINDS)
    for v in found:
        assert len(set(v.visitor_names)) >= 2
        assert all(v.item_note(attr) for attr in vocab.CONCERNS if not getattr(v, attr))
    assert any(v.concerns for v in found)


def test_the_same_seed_gives_the_same_activity(tmp_path):
    runs = []
    for name in ("a", "b"):
        _data, admin, clerk, reviewer = _demo(tmp_path, name, households=20)
        try:
            runs.append(simulate(clerk, reviewer, 2, seed=7))
        finally:
            for s in (clerk, reviewer, admin):
                s.close()
    assert runs[0] == runs[1]


def test_a_month_after_this_one_is_refused_before_anything_is_written(tmp_path):
    data = tmp_path / "now"
    this_month = months.of(date.today())
    admin, _code, _counts = create_demo(data, PASSWORD, households=8, end_month=this_month)
    clerk, reviewer = open_staff(data, PASSWORD)
    try:
        before = _count(admin, "SELECT count(*) FROM audit_log")
        with pytest.raises(InvalidInput, match="晚于本月"):
            simulate(clerk, reviewer, 2)
        with pytest.raises(InvalidInput, match="模拟月数"):
            simulate(clerk, reviewer, 0)
        assert _count(admin, "SELECT count(*) FROM audit_log") == before
    finally:
        for s in (clerk, reviewer, admin):
            s.close()


def test_staff_with_another_password_are_refused_in_one_sentence(tmp_path):
    data = tmp_path / "demo"
    admin, _code, _counts = create_demo(data, PASSWORD, households=5, end_month=END)
    admin.close()
    with pytest.raises(InvalidInput, match="密码须与所给的密码相同"):
        open_staff(data, "another-pass-2021")
    clerk = open_session(data, "clerk", PASSWORD)  # the demo's own password still signs the clerk in
    assert clerk.user.role == "clerk"
    clerk.close()


def test_in_the_current_month_only_what_has_happened_by_today_is_played(demo):
    _data, admin, clerk, reviewer = demo
    today = months.first_day(END).replace(day=10)
    counts = simulate(clerk, reviewer, 1, today=today)
    assert counts["months_closed"] == 1
    assert admin.monthly_close.closed(END).closed_on == today  # closed today, with what fitted in the month
    # What the simulation recorded (the demo's own rows are the administrator's load).
    assert _count(admin, "SELECT max(visit_date) FROM visits WHERE updated_by = 'clerk'") <= today.isoformat()
    assert _count(admin, "SELECT max(done_on) FROM enrolment_steps WHERE done_by = 'clerk'") <= today.isoformat()
    assert _count(admin, "SELECT count(*) FROM visits WHERE updated_by = 'clerk'") > 0
    with pytest.raises(InvalidInput, match="没有可以模拟的月份"):
        simulate(clerk, reviewer, 1, today=today)
