"""公示 / 公布 list: the right households, large print, and never a private field on the notice board."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import idnumber
from app.domain.idnumber import mask as mask_id
from app.errors import InvalidInput
from app.services.reports import ReportRequest
from tests.services.reports_fixtures import CLOSED, OPINION, column, demo, rendered_text

__all__ = ["demo"]  # the module fixture, imported for pytest

DIGIT_RUN = re.compile(r"\d{15,}")


# --- masking -------------------------------------------------------------------------------

regions = st.sampled_from(["640424", "642225", "110101", "440305"])
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31))


@given(regions, births, st.integers(min_value=0, max_value=999))
def test_a_masked_id_keeps_6_and_4_and_never_the_birth_date(region, born, seq):
    number = idnumber.make(region, born, seq)
    shown = mask_id(number)
    assert shown[:6] == number[:6] and shown[-4:] == number[-4:]
    assert shown[6:14] == "********" and len(shown) == 18
    assert f"{born:%Y%m%d}" not in shown


@given(regions, births, st.integers(min_value=0, max_value=999))
def test_a_lower_case_or_spaced_number_is_masked_the_same(region, born, seq):
    number = idnumber.make(region, born, seq)
    spaced = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
    assert mask_id(spaced) == mask_id(number)


@given(st.text(max_size=40))
def test_text_that_is_not_an_id_number_is_hidden_entirely(text):
    cleaned = idnumber.clean(text)
    if re.fullmatch(r"[0-9]{17}[0-9X]|[0-9]{15}", cleaned):
        return  # an ID number, covered above
    assert set(mask_id(text)) <= {"*"}


@given(st.from_regex(r"[1-9][0-9]{14}", fullmatch=True))
def test_an_old_15_digit_number_hides_its_6_birth_digits(number):
    shown = mask_id(number)
    assert shown == number[:6] + "******" + number[-3:]


# --- the list ------------------------------------------------------------------------------


def _build(s, month, village, *options, programme=None):
    return s.reports.build(
        ReportRequest("publicity", month, village=village, programme=programme, options=frozenset(options))
    )


def _facts(s, hid):
    household = s.db.query("SELECT head_name, phone, address, bank_account FROM households WHERE id = ?", (hid,))[0]
    ids = [r[0] for r in s.db.query("SELECT id_number FROM members WHERE household_id = ?", (hid,))]
    return household, ids


def _started(s, month):
    """(household, village) of enrolments first paid in *month*."""
    return s.db.query(
        "SELECT e.household_id, h.village_code FROM enrolments e JOIN households h ON h.id = e.household_id "
        "WHERE e.start_month = ? AND e.status IN ('在保', '渐退', '停保')",
        (month,),
    )


def test_the_list_shows_the_application_in_publicity_with_its_period_and_opinion(demo):
    s = demo.clerk
    doc = _build(s, CLOSED, demo.applicant_village)
    first = next(doc.tables())
    assert first.caption.startswith("一、初审公示")
    head = _facts(s, demo.applicant_household)[0][0]
    i = column(first, "applicant").index(head)
    assert column(first, "period")[i] == f"{CLOSED}-05至{CLOSED}-11"
    assert column(first, "opinion")[i] == "拟同意纳入低保"  # the standard opinion, never the step's note
    assert all(OPINION not in v for v in doc.text_values() if v)
    assert column(first, "household_size")[i] >= 1
    assert "监督电话" in doc.footer and doc.font_scale == pytest.approx(1.6)
    assert "公示名单" in doc.title and "草稿" not in doc.subtitle
    # Outside the month of its 公示 the application is not listed.
    later = _build(s, "2025-05", demo.applicant_village)
    assert all(head not in column(t, "applicant") for t in later.tables())


def test_the_list_publishes_the_households_first_paid_this_month(demo):
    s = demo.clerk
    started = _started(s, CLOSED)
    assert started, "the demo starts paying someone in its last month"
    hid, village = started[0]
    doc = _build(s, CLOSED, village)
    published = [t for t in doc.tables() if "审核确认后公布" in t.caption]
    assert published
    table = published[0]
    assert "opinion" not in [c.key for c in table.columns] and "period" not in [c.key for c in table.columns]
    amount = s.db.scalar(
        "SELECT monthly_amount_fen FROM enrolments WHERE household_id = ? AND start_month = ?", (hid, CLOSED)
    )
    assert amount in column(table, "amount")


def test_every_row_is_of_the_chosen_village(demo):
    s = demo.clerk
    name = s.db.scalar("SELECT name FROM divisions WHERE code = ?", (demo.applicant_village,))
    for table in _build(s, CLOSED, demo.applicant_village).tables():
        assert set(column(table, "village")) == {name.replace("村委会", "村")}


def test_no_id_number_account_phone_or_address_reaches_the_notice_board(demo):
    s = demo.clerk
    villages = {demo.applicant_village} | {v for _h, v in _started(s, CLOSED)}
    for village in villages:
        doc = _build(s, CLOSED, village)
        cells = [v for v in doc.text_values() if v]
        for table in doc.tables():
            cells += [str(v) for row in table.rows for v in row if v is not None]
            assert "id_masked" not in [c.key for c in table.columns]
        assert not any(DIGIT_RUN.search(v) for v in cells)
        listed = [demo.applicant_household] + [h for h, v in _started(s, CLOSED) if v == village]
        for hid in listed:
            (_head, phone, address, account), ids = _facts(s, hid)
            for secret in [phone, address, account, *ids]:
                assert not secret or all(secret not in v for v in cells), secret
        text = rendered_text(doc)
        if text is not None:  # the rendered page says the same (rerun once app/reports/pdf.py is there)
            assert not DIGIT_RUN.search(re.sub(r"\s", "", text))
            if village == demo.applicant_village:
                assert _facts(s, demo.applicant_household)[0][0] in text


def test_with_masked_id_the_list_shows_6_and_4(demo):
    s = demo.clerk
    doc = _build(s, CLOSED, demo.applicant_village, "masked_id")
    shown = column(next(doc.tables()), "id_masked")
    assert shown and all(re.fullmatch(r"\d{6}\*{8}[\dX]{4}", v) for v in shown)
    head_id = s.db.scalar(
        "SELECT id_number FROM members WHERE household_id = ? AND relation = '本人'", (demo.applicant_household,)
    )
    assert mask_id(head_id) in shown
    text = rendered_text(doc)
    if text is not None:
        assert mask_id(head_id) in text
        assert head_id not in text


def test_the_list_needs_a_village_of_this_township_and_knows_its_options(demo):
    s = demo.clerk
    with pytest.raises(InvalidInput, match="需要选定一个村"):
        s.reports.build(ReportRequest("publicity", CLOSED))
    with pytest.raises(InvalidInput, match="不属于"):
        _build(s, CLOSED, "640424101200")
    with pytest.raises(InvalidInput, match="没有「phone」这个选项"):
        _build(s, CLOSED, demo.applicant_village, "phone")


def test_a_county_sets_the_hotline_in_the_footer_but_cannot_add_a_private_column(demo):
    s = demo.clerk
    folder = demo.data / "reports"
    folder.mkdir(exist_ok=True)
    path = folder / "publicity.json"
    path.write_text(json.dumps({"footer": "监督电话：0954-5011234"}, ensure_ascii=False), encoding="utf-8")
    try:
        assert _build(s, CLOSED, demo.applicant_village).footer == "监督电话：0954-5011234"
        path.write_text(json.dumps({"columns": [{"key": "seq"}, {"key": "bank_account"}]}), encoding="utf-8")
        with pytest.raises(InvalidInput) as refused:
            _build(s, CLOSED, demo.applicant_village)
        assert str(path) in str(refused.value)
    finally:
        path.unlink()


def test_a_diagnosis_typed_in_the_publicity_note_never_reaches_the_notice_board(clerk):
    from datetime import timedelta

    from tests.factories import household, member

    saved = clerk.households.add(household(head_name="马玉兰"), [member("马玉兰", date(1970, 3, 1), male=False)])
    start = date(2026, 11, 2)
    e = clerk.enrolments.apply(saved.id, "低保", applied_on=start)
    clerk.enrolments.advance(e.id, "入户调查", on=start + timedelta(days=1))
    clerk.enrolments.advance(
        e.id,
        "公示",
        on=start + timedelta(days=3),
        note="户主患尿毒症，每周透析三次，拟同意纳入低保",
        publicity_from=start + timedelta(days=3),
        publicity_to=start + timedelta(days=9),
    )
    doc = _build(clerk, "2026-11", "640424100200")
    table = next(doc.tables())
    assert column(table, "applicant") == ["马玉兰"]
    assert column(table, "opinion") == ["拟同意纳入低保"]
    cells = [v for v in doc.text_values() if v] + [str(v) for row in table.rows for v in row if v is not None]
    assert not any("尿毒症" in v or "透析" in v for v in cells)
    text = rendered_text(doc)
    assert text is not None and "马玉兰" in text and "尿毒症" not in text
