"""ID numbers as department spreadsheets hold them (issue 12 point 2): repaired when the number is
all there, reported — never guessed back — when a number cell lost its last digits."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import idnumber
from app.domain.idnumber import repair
from tests.sheets.messy import full_width

TODAY = date(2026, 11, 29)
PID = idnumber.make("642225", date(1990, 1, 1), 123)  # 642225199001011239
OLD = idnumber.make("642225", date(1950, 6, 1), 7)

births = st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31))
numbers = st.builds(lambda b, s: idnumber.make("640424", b, s), births, st.integers(0, 999))


@pytest.mark.parametrize(
    ("cell", "number", "status"),
    [
        (PID, PID, "ok"),
        (PID.lower(), PID, "ok"),
        ("６４２２２５１９９００１０１１２３９", PID, "ok"),  # noqa: RUF001 — full-width, as WPS pastes
        ("642225 19900101 1239", PID, "ok"),
        (f" {PID}\n", PID, "ok"),
        ("642225-19900101-1239", PID, "ok"),
        (PID[:6] + PID[8:17], PID, "ok"),  # the 15-digit legacy number
        (int(PID[:6] + PID[8:17]), PID, "ok"),  # 15 digits fit a number cell exactly
        (float(PID[:6] + PID[8:17]), PID, "ok"),
        (PID + "42", PID, "ok"),  # 残疾人证号 = ID + type + grade
        (PID + "4201", PID, "ok"),  # the 22-character form
        (None, None, "empty"),
        ("", None, "empty"),
        ("   ", None, "empty"),
        ("无", None, "empty"),
        (6.42225e17, None, "id_damaged"),  # how Excel shows an ID typed into a number cell
        (float(PID), None, "id_damaged"),
        (int(PID), None, "id_damaged"),  # an int this large came from a double: digits lost
        ("6.42225E+17", None, "id_damaged"),  # a CSV exported from that cell
        (f"{float(PID):.1f}", None, "id_damaged"),
        (PID[:15] + "000", None, "id_damaged"),  # Excel's 15 digits then zeros, checksum broken
        (PID[:17] + "0", None, "id_invalid"),  # wrong check digit
        ("642225199002301231", None, "id_invalid"),  # 30 February
        ("64222519900101", None, "id_invalid"),
        ("1" + PID[1:17] + "X" + "42", None, "id_invalid"),  # certificate whose ID part is wrong
        (date(1990, 1, 1), None, "id_invalid"),
        (datetime(1990, 1, 1, 8, 0), None, "id_invalid"),
        (True, None, "id_invalid"),
        (12.5, None, "id_invalid"),
        (-642225199001011.0, None, "id_invalid"),
    ],
)
def test_repair_by_example(cell, number, status):
    got = repair(cell, TODAY)
    assert (got.number, got.status) == (number, status)
    if status in ("id_damaged", "id_invalid"):
        assert got.note, "a bad number always says why"


def test_damaged_note_shows_the_number_as_the_clerk_sees_it():
    assert "6.42225E+17" in repair(6.42225e17, TODAY).note
    assert "末几位已丢失" in repair(6.42225e17, TODAY).note


def test_legacy_and_certificate_conversions_are_noted():
    assert "15 位" in repair(PID[:6] + PID[8:17], TODAY).note
    assert "残疾证号" in repair(PID + "42", TODAY).note


@given(numbers)
def test_any_valid_number_is_ok_in_every_typed_form(pid):
    forms = [
        pid,
        pid.lower(),
        f"{pid[:6]} {pid[6:14]} {pid[14:]}",
        full_width(pid),
    ]
    for form in forms:
        assert repair(form, TODAY) == idnumber.IdRepair(pid, "ok", "")


@given(numbers)
def test_an_18_digit_number_cell_is_never_ok(pid):
    """Whatever digits a number cell kept, an 18-digit ID read back from it is damaged, never "fixed"."""
    if pid.endswith("X"):
        return  # cannot be typed into a number cell
    for cell in (float(pid), float(f"{float(pid):.15g}"), int(float(pid)), f"{float(pid):.5E}"):
        got = repair(cell, TODAY)
        assert got.status == "id_damaged"
        assert got.number is None


@given(st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.dates()))
def test_repair_never_raises_and_ok_means_valid(cell):
    got = repair(cell, TODAY)
    assert got.status in ("ok", "empty", "id_damaged", "id_invalid")
    assert (got.number is not None) == (got.status == "ok")
    if got.number is not None:
        assert idnumber.is_valid(got.number, TODAY)


@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
def test_fast_path_agrees_with_parse(text):
    """The 18-character fast path says ok exactly when parse() accepts the number."""
    assert (repair(text, TODAY).status == "ok") == idnumber.is_valid(text, TODAY)


@given(numbers)
def test_fast_path_accepts_every_valid_number(pid):
    assert repair(pid, TODAY).status == "ok"


def test_a_birth_after_today_is_invalid_on_the_fast_path_too():
    tomorrow = idnumber.make("640424", TODAY.replace(day=30), 1)
    assert repair(tomorrow, TODAY).status == "id_invalid"
    assert repair(idnumber.make("640424", date(2020, 5, 1), 1)).status == "ok"


# --- the column as a whole (review of issue 12): a 000 ending that passes its check digit ---------

TRAILING_000 = "640424198001090000"  # passes the check digit by chance, as one damaged number in eleven does


def test_trailing_000_alone_is_ok_but_not_beside_damaged_numbers():
    assert idnumber.repair(TRAILING_000).status == "ok"
    whole = idnumber.make("640424", date(1958, 4, 2), 17)
    results = idnumber.repair_column([whole, "6.40424E+17", TRAILING_000, None])
    assert [r.status for r in results] == ["ok", "id_damaged", "id_damaged", "empty"]
    assert results[2].number is None and "000" in results[2].note
    assert [r.status for r in idnumber.repair_column([whole, TRAILING_000])] == ["ok", "ok"]


def test_trailing_000_in_a_csv_is_damaged():
    whole = idnumber.make("640424", date(1958, 4, 2), 17)
    results = idnumber.repair_column([whole, TRAILING_000], text_file=True)
    assert [r.status for r in results] == ["ok", "id_damaged"]


@given(st.lists(st.integers(0, 999), min_size=1, max_size=20), st.booleans())
def test_repair_column_agrees_with_repair_except_on_000_endings(seqs, text_file):
    cells = [idnumber.make("640424", date(1970, 1, 1), n) for n in seqs] + [6.40424e17]
    for cell, single, whole in zip(
        cells, map(repair, cells), idnumber.repair_column(cells, text_file=text_file), strict=True
    ):
        if single.status == "ok" and single.number is not None and single.number.endswith("000"):
            assert whole.status == "id_damaged"
        else:
            assert whole == single, cell
