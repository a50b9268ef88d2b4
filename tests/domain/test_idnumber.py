"""Resident ID numbers (docs/domain.md §8.1): checksum, normalisation, 15→18, masking, ages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import idnumber
from app.domain.idnumber import IdNumberError

TODAY = date(2026, 11, 29)

regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
births = st.dates(min_value=date(idnumber.OLDEST_PLAUSIBLE_YEAR, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


@st.composite
def valid_numbers(draw):
    return idnumber.make(draw(regions), draw(births), draw(sequences))


# --- properties ------------------------------------------------------------


@given(regions, births, sequences)
def test_make_then_parse_roundtrip(region, born, seq):
    number = idnumber.make(region, born, seq)
    info = idnumber.parse(number, today=TODAY)
    assert info.number == number
    assert len(number) == 18
    assert info.region_code == region
    assert info.birth_date == born
    assert info.sex == ("男" if seq % 2 == 1 else "女")
    assert number[-1] == idnumber.check_digit(number[:17])


@given(valid_numbers(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_in_first_17_breaks_it(number, position, delta):
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    assert changed != number
    # MOD 11-2 weights are all non-zero mod 11, so the check digit no longer fits
    assert idnumber.check_digit(changed[:17]) != changed[17]
    with pytest.raises(IdNumberError):
        idnumber.parse(changed, today=TODAY)


@given(valid_numbers(), st.sampled_from(["plain", "lower", "spaces", "fullwidth", "dashes"]))
def test_normalize_is_idempotent_and_undoes_formatting(number, style):
    raw = number
    if style == "lower":
        raw = number.lower()
    elif style == "spaces":
        raw = f" {number[:6]} {number[6:14]} {number[14:]} "
    elif style == "fullwidth":
        raw = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    elif style == "dashes":
        raw = f"{number[:6]}-{number[6:14]}-{number[14:]}"
    once = idnumber.normalize(raw, today=TODAY)
    assert once == number
    assert idnumber.normalize(once, today=TODAY) == once


@given(valid_numbers())
def test_mask_keeps_first_six_and_last_four(number):
    masked = idnumber.mask(number)
    assert len(masked) == 18
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert masked[6:14] == "*" * 8  # the birth date is hidden


@given(births, st.dates(min_value=date(1890, 1, 1), max_value=date(2100, 12, 31)))
def test_age_on_matches_counting_birthdays(born, on):
    age = idnumber.age_on(born, on)

    # the last birthday reached (29 February counts on 1 March in common years)
    def birthday(year: int) -> date:
        try:
            return born.replace(year=year)
        except ValueError:
            return date(year, 3, 1)

    expected = on.year - born.year - (1 if on < birthday(on.year) else 0)
    assert age == expected


# --- examples --------------------------------------------------------------


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "34052419800101001X"])
def test_known_examples_have_the_right_check_digit(number):
    assert idnumber.check_digit(number[:17]) == number[17]


@pytest.mark.parametrize("number", ["11010519491231002X", "34052419800101001X"])
def test_known_valid_examples(number):
    assert idnumber.is_valid(number, today=TODAY)
    assert idnumber.normalize(number, today=TODAY) == number


def test_known_example_details():
    info = idnumber.parse("11010519491231002X", today=TODAY)
    assert info.birth_date == date(1949, 12, 31)
    assert info.sex == "女"
    assert info.region_code == "110105"
    assert idnumber.parse("34052419800101001X", today=TODAY).sex == "男"


def test_standard_example_born_1880_is_refused_as_implausibly_old():
    # 440524188001010014 is the standard's own worked example: its check digit is right,
    # but 1880 is before idnumber.OLDEST_PLAUSIBLE_YEAR, and the register holds living people.
    with pytest.raises(IdNumberError) as err:
        idnumber.parse("440524188001010014", today=TODAY)
    assert "1880" in str(err.value)


def test_fifteen_digit_number_is_converted():
    assert idnumber.normalize("110105491231002", today=TODAY) == "11010519491231002X"
    info = idnumber.parse("110105491231002", today=TODAY)
    assert info.birth_date == date(1949, 12, 31)


def test_lower_case_x_full_width_and_spaces_are_accepted():
    assert idnumber.normalize("11010519491231002x", today=TODAY) == "11010519491231002X"
    assert idnumber.normalize("１１０１０５１９４９１２３１００２Ｘ", today=TODAY) == "11010519491231002X"
    assert idnumber.normalize("１１０１０５１９４９１２３１００２ｘ", today=TODAY) == "11010519491231002X"
    assert idnumber.normalize(" 110105 19491231 002X ", today=TODAY) == "11010519491231002X"
    assert idnumber.normalize("110105\u300019491231002X", today=TODAY) == "11010519491231002X"


def test_former_county_code_is_accepted():
    number = idnumber.make("642225", date(1975, 3, 8), 123)
    info = idnumber.parse(number, today=TODAY)
    assert info.region_code == "642225"
    assert info.current_region_code == "640424"


def test_mask_short_input_hides_everything():
    assert idnumber.mask("12345") == "*****"
    assert idnumber.mask("11010519491231002x") == "110105********002X"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "为空"),
        ("1101051949123100", "应为 18 位"),
        ("1101051949123100211", "应为 18 位"),
        ("11010519491231002Y", "第 18 位"),
        ("1101051949A231002X", "前 17 位"),
        ("110105194912310021", "校验位不符"),
        ("11010549123100A", "15 位"),
    ],
)
def test_bad_numbers_get_a_clear_message(raw, fragment):
    with pytest.raises(IdNumberError) as err:
        idnumber.parse(raw, today=TODAY)
    assert fragment in str(err.value)


def test_bad_date_is_rejected_with_the_date_in_the_message():
    first17 = "11010519490230002"  # 30 February
    number = first17 + idnumber.check_digit(first17)
    with pytest.raises(IdNumberError) as err:
        idnumber.parse(number, today=TODAY)
    assert "19490230" in str(err.value) and "不是有效日期" in str(err.value)


def test_future_birth_date_is_rejected():
    tomorrow = TODAY + timedelta(days=1)
    number = idnumber.make("640424", tomorrow, 11)
    with pytest.raises(IdNumberError) as err:
        idnumber.parse(number, today=TODAY)
    assert "晚于今天" in str(err.value)
    assert idnumber.is_valid(number, today=tomorrow)


def test_implausibly_old_birth_year_is_rejected():
    number = idnumber.make("640424", date(1850, 1, 1), 11)
    with pytest.raises(IdNumberError) as err:
        idnumber.parse(number, today=TODAY)
    assert "1850" in str(err.value)


def test_make_rejects_bad_arguments():
    with pytest.raises(IdNumberError):
        idnumber.make("64042", date(1980, 1, 1), 1)
    with pytest.raises(IdNumberError):
        idnumber.make("640424", date(1980, 1, 1), 1000)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1980, 6, 15), date(2020, 6, 14), 39),
        (date(1980, 6, 15), date(2020, 6, 15), 40),
        (date(1980, 6, 15), date(2020, 6, 16), 40),
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 28), 3),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(1946, 11, 29), date(2026, 11, 29), 80),
        (date(1946, 11, 30), date(2026, 11, 29), 79),
    ],
)
def test_age_on_around_birthdays(born, on, age):
    assert idnumber.age_on(born, on) == age


@settings(max_examples=50)
@given(valid_numbers())
def test_is_valid_agrees_with_parse(number):
    assert idnumber.is_valid(number, today=TODAY)
    assert not idnumber.is_valid(number[:17], today=TODAY)


# --- digits that are not 0–9 (issue 9 point 19) ------------------------------

# Every Unicode decimal digit or digit-like character other than ASCII and full-width 0–9: superscripts,
# Arabic-Indic, Devanagari, circled … str.isdigit() accepts many of them, int() reads some of them.
foreign_digits = st.characters(categories=("Nd", "No")).filter(
    lambda ch: ch not in "0123456789" and not "０" <= ch <= "９"
)


@settings(max_examples=200)
@given(valid_numbers(), foreign_digits, st.integers(min_value=0, max_value=17))
def test_a_foreign_digit_is_refused_by_name_and_position(number, ch, pos):
    typed = number[:pos] + ch + number[pos + 1 :]
    with pytest.raises(IdNumberError) as err:
        idnumber.parse(typed, today=TODAY)
    message = str(err.value)
    assert f"第 {pos + 1} 个字符“{ch}”" in message
    assert "校验位" not in message
    assert not idnumber.is_valid(typed, today=TODAY)


@given(valid_numbers())
def test_full_width_digits_are_still_accepted(number):
    wide = number.translate({ord(d): ord("０") + int(d) for d in "0123456789"}).replace("X", "ｘ")
    assert idnumber.parse(wide, today=TODAY).number == number


@pytest.mark.parametrize("ch", ["¹", "²", "³", "٣", "۳", "३", "①"])
def test_superscript_and_arabic_indic_digits_name_the_character(ch):
    number = idnumber.make("640424", date(1980, 1, 1), 123)
    typed = number[:3] + ch + number[4:]
    with pytest.raises(IdNumberError, match=f"第 4 个字符“{ch}”"):
        idnumber.parse(typed, today=TODAY)
