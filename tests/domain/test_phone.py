"""Phone numbers: what a clerk types is accepted, and a refusal names what is wrong with the number."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.entities import ValidationError
from app.domain.phone import MOBILE_DIGITS, phone_problem
from tests.factories import household


def test_a_short_mobile_is_refused_for_its_length_not_its_characters() -> None:
    problem = phone_problem("1388")
    assert problem is not None and "4 位" in problem and "11 位" in problem and "只能包含" not in problem


def test_the_forms_offices_write_are_accepted() -> None:
    for text in (
        "13909541234",
        "139 0954 1234",
        "139-0954-1234",
        "+86 139 0954 1234",
        "0954-5012345",
        "(0954)5012345",
        "5012345",
        "50123456",
        "010-12345678",
    ):
        assert phone_problem(text) is None, text


def test_letters_are_refused_with_the_allowed_characters() -> None:
    assert "只能包含" in (phone_problem("139o9541234") or "")


@given(st.integers(min_value=1, max_value=20))
def test_a_number_starting_with_1_is_a_mobile_of_exactly_eleven_digits(n: int) -> None:
    number = "1" + "3" * (n - 1)
    assert (phone_problem(number) is None) == (n == MOBILE_DIGITS)


def test_the_household_refuses_a_bad_phone_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="11 位") as caught:
        household(head_name="马某", phone="1388").validate()
    assert caught.value.field == "phone"
