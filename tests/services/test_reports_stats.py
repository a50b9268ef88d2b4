"""民政统计月报: its figures equal the roster's, and every total equals the sum of its breakdown."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.domain import monthly_stats as ms
from app.domain import vocab
from app.domain.report import Paragraph
from app.services.reports import ReportRequest
from app.services.reports import stats as stats_module
from tests.services.reports_fixtures import CLOSED, OPEN, column, demo, rendered_text, sql_sum

__all__ = ["demo"]  # the module fixture, imported for pytest

DIBAO = ("农村低保", "城市低保")


def _build(s, month, **kw):
    return s.reports.build(ReportRequest("monthly-stats", month, **kw))


def _figures(doc, caption: str) -> dict[str, object]:
    table = next(t for t in doc.tables() if t.caption == caption)
    return dict(zip(column(table, "indicator"), column(table, "value"), strict=True))


def _roster_persons(s, month, village=None) -> int:
    """Persons paid for: each line's regular persons, or those of its latest correction (straight from the table)."""
    where = "month = ? AND programme = '低保' AND kind IN ('regular', 'correction') AND deleted = 0"
    params: list = [month]
    if village:
        where += " AND household_id IN (SELECT id FROM households WHERE village_code = ?)"
        params.append(village)
    persons: dict = {}
    for hid, eid, _kind, n in s.db.query(
        f"SELECT household_id, enrolment_id, kind, persons FROM payments WHERE {where} ORDER BY kind DESC, id",
        tuple(params),
    ):
        persons[(hid, eid)] = n  # regular first, then corrections oldest to newest
    return sum(persons.values())


def _fen(text: str) -> int:
    whole, cents = text.split(".")
    return int(whole) * 100 + int(cents)


def _count(figures: dict[str, object], indicator: str) -> int:
    """A count figure (persons, households) as printed: a whole number."""
    value = figures[indicator]
    assert isinstance(value, int), (indicator, value)
    return value


def _money(figures: dict[str, object], indicator: str) -> int:
    """A money figure as printed (yuan with two decimals), in fen."""
    value = figures[indicator]
    assert isinstance(value, str), (indicator, value)
    return _fen(value)


def test_dibao_persons_and_spending_equal_the_roster_and_every_check_holds(demo):
    s = demo.clerk
    dead = _roster_persons(s, OPEN) - s.db.scalar(
        "SELECT sum(persons) FROM payments WHERE month = ? AND programme = '低保' AND kind = 'regular'", (OPEN,)
    )
    assert dead == -1  # the fixture's death after approval: a correction line with one person fewer
    for month in (CLOSED, OPEN):
        doc = _build(s, month)
        figures = [_figures(doc, c) for c in DIBAO]
        assert sum(_count(f, "保障人数") for f in figures) == _roster_persons(s, month) > 0
        assert sum(_money(f, "当月支出") for f in figures) == sql_sum(s, month, "低保")
        assert doc.warnings == []
        checks = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("校验")]
        assert checks and all(c == stats_module.CHECK_OK for c in checks)


def test_each_printed_breakdown_adds_up_to_its_total(demo):
    doc = _build(demo.clerk, CLOSED)
    for caption in DIBAO:
        f = _figures(doc, caption)
        persons = _count(f, "保障人数")
        for prefix in ("　按性别：", "　按年龄：", "　劳动能力："):
            assert sum(_count(f, k) for k in f if k.startswith(prefix)) == persons, (caption, prefix)
        causes = sum(_count(f, k) for k in f if k.startswith("　致贫原因"))
        assert causes >= _count(f, "保障户数")
        assert _money(f, "当月支出") == _money(f, "　其中：低保金") + _money(f, "　其中：其他补贴（节日等）")


def test_one_village_counts_only_its_roster(demo):
    s = demo.clerk
    village = s.db.scalar(
        "SELECT h.village_code FROM payments p JOIN households h ON h.id = p.household_id "
        "WHERE p.month = ? AND p.programme = '低保' GROUP BY h.village_code ORDER BY count(*) DESC LIMIT 1",
        (CLOSED,),
    )
    doc = _build(s, CLOSED, village=village)
    persons = sum(_count(_figures(doc, c), "保障人数") for c in DIBAO)
    assert persons == _roster_persons(s, CLOSED, village) < _roster_persons(s, CLOSED)
    assert doc.warnings == []


def test_an_open_month_is_marked_draft_and_a_closed_one_is_not(demo):
    assert "草稿" in _build(demo.clerk, OPEN).subtitle
    assert "草稿" not in _build(demo.clerk, CLOSED).subtitle


def test_a_breakdown_that_does_not_add_up_is_a_warning_naming_its_block(demo, monkeypatch):
    # Members missing behind a roster line (e.g. a member row deleted by hand) must not pass silently.
    original = stats_module.Register.covered
    monkeypatch.setattr(stats_module.Register, "covered", lambda self, line, month: original(self, line, month)[1:])
    doc = _build(demo.clerk, CLOSED)
    assert any("农村低保" in w and "不等于分项之和" in w for w in doc.warnings)
    assert any(isinstance(b, Paragraph) and "不等于分项之和" in b.text for b in doc.blocks)


def test_the_printed_report_shows_the_figures(demo):
    doc = _build(demo.clerk, CLOSED)
    text = rendered_text(doc)
    if text is not None:
        assert "农村低保" in text and "校验：合计等于分项之和" in text and "指标名称" in text


# --- the arithmetic (app/domain/monthly_stats.py) ------------------------------------------

ON = date(2025, 3, 31)
people = st.lists(
    st.builds(
        ms.Person,
        sex=st.sampled_from(("男", "女", "")),
        birth_date=st.none() | st.dates(date(1920, 1, 1), ON),
        labour_ability=st.sampled_from((*ms.LABOUR, "", "不详")),
        disabled=st.booleans(),
    ),
    max_size=60,
)


@given(people)
def test_every_persons_total_equals_the_sum_of_its_breakdown(folks):
    b = ms.persons_breakdown(folks, ON)
    assert b.total == len(folks)
    for tally in b.tallies():
        assert tally.holds() and tally.parts_sum == b.total and tally.problem() == ""
    assert 0 <= b.disabled <= b.total


@given(people)
def test_nobody_under_18_or_over_60_is_counted_as_able_to_work(folks):
    for p in folks:
        if p.birth_date is not None:
            age = ON.year - p.birth_date.year - ((ON.month, ON.day) < (p.birth_date.month, p.birth_date.day))
            if age < ms.ADULT_AGE or age >= ms.ELDERLY_AGE:
                assert ms.labour_class(p, ON) == "无"


@given(st.lists(st.lists(st.sampled_from((*vocab.POVERTY_CAUSES, "不在词表")), max_size=4), max_size=40))
def test_households_never_exceed_the_causes_they_are_counted_under(households):
    t = ms.causes_tally(households)
    assert t.total == len(households) and t.holds()


@given(people, st.integers(min_value=1, max_value=5))
def test_a_total_from_elsewhere_that_differs_fails_its_check(folks, extra):
    b = ms.persons_breakdown(folks, ON, "农村低保人数", total=len(folks) + extra)
    assert not b.by_sex.holds() and "农村低保人数" in b.by_sex.problem()


@given(st.integers(0, 10**9), st.integers(1, 10**4))
def test_per_person_benefit_is_the_fen_average_rounded_half_up(total, persons):
    got = ms.per_person_fen(total, persons)
    assert abs(got * persons - total) * 2 <= persons


def test_change_against_last_month():
    assert ms.change_text(110, 100) == "+10.0%"
    assert ms.change_text(90, 100) == "-10.0%"
    assert ms.change_text(5, 0) == "—" and ms.change_text(0, 0) == ""
