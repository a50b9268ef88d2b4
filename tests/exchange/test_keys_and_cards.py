"""Office keys and public cards: what a clerk relies on when two offices start to trust each other."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.exchange.cards import CROCKFORD, Card, card_for, fingerprint_of, same_fingerprint
from app.exchange.keys import OfficeKeys, new_office_keys, signature_holds


def test_secret_text_round_trips_and_never_shows_in_repr(township):
    again = OfficeKeys.from_secret_text(township.to_secret_text())
    assert again == township
    assert again.sign_public == township.sign_public and again.box_public == township.box_public
    shown = repr(township)
    assert township.age_identity not in shown and township.sign_seed.hex() not in shown


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '{"format": "something-else", "version": 1}',
        '{"format": "doudi-office-keys", "version": 1, "sign_seed": "AAAA", "age_identity": "x"}',
        '{"format": "doudi-office-keys", "version": 1, "sign_seed": "!!", "age_identity": "x"}',
    ],
)
def test_damaged_secret_text_is_refused_with_a_sentence(text):
    with pytest.raises(InvalidInput, match="交换密钥"):
        OfficeKeys.from_secret_text(text)


def test_secret_text_of_a_newer_version_says_so(township):
    value = json.loads(township.to_secret_text())
    value["version"] = 2
    with pytest.raises(InvalidInput, match="第 2 版"):
        OfficeKeys.from_secret_text(json.dumps(value))


def test_new_keys_differ_every_time():
    a, b = new_office_keys(), new_office_keys()
    assert a.sign_public != b.sign_public and a.box_public != b.box_public


def test_signature_holds_only_for_the_signer_and_the_exact_bytes(township, stranger):
    data = b"manifest"
    signature = township.sign(data)
    assert signature_holds(township.sign_public, signature, data)
    assert not signature_holds(stranger.sign_public, signature, data)
    assert not signature_holds(township.sign_public, signature, data + b" ")
    assert not signature_holds(township.sign_public, b"", data)
    assert not signature_holds("not base64!", signature, data)
    assert not signature_holds(township.sign_public[:-4], signature, data)


def _card(keys: OfficeKeys, code: str = "640424100000") -> Card:
    return card_for(keys, code, "示例镇人民政府", "township")


def test_card_round_trips_through_its_json(township):
    card = _card(township)
    assert Card.from_json(card.to_json(), source="a.json") == card


def test_card_with_a_fingerprint_that_disagrees_with_its_keys_is_refused(township, stranger):
    value = json.loads(_card(township).to_json())
    value["fingerprint"] = _card(stranger).fingerprint
    with pytest.raises(InvalidInput, match=r"a\.json.*指纹") as caught:
        Card.from_json(json.dumps(value), source="a.json")
    assert caught.value.field == "fingerprint"


def test_card_whose_key_was_swapped_keeps_no_matching_fingerprint(township, stranger):
    """Someone who replaces the key on a card cannot keep the fingerprint the phone call checks."""
    value = json.loads(_card(township).to_json())
    value["box_public"] = stranger.box_public
    with pytest.raises(InvalidInput, match="指纹"):
        Card.from_json(json.dumps(value), source="a.json")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"office_code": "6404"}, "office_code"),
        ({"office_name": "  "}, "office_name"),
        ({"kind": "province"}, "kind"),
        ({"sign_public": "AAAA"}, "sign_public"),
        ({"box_public": "age1notakey"}, "box_public"),
    ],
)
def test_card_with_a_bad_field_names_the_file_and_the_field(township, change, field):
    value = json.loads(_card(township).to_json())
    value.update(change)
    del value["fingerprint"]
    with pytest.raises(InvalidInput, match=r"县里\.json") as caught:
        Card.from_json(json.dumps(value, ensure_ascii=False), source="县里.json")
    assert caught.value.field == field


def test_a_township_card_edited_to_say_county_is_refused_though_its_fingerprint_holds(township):
    """The kind is not in the fingerprint: it must follow from the code, or a township could pose as
    the county and send policy periods and 审批 decisions."""
    value = json.loads(_card(township).to_json())
    value["kind"] = "county"
    with pytest.raises(InvalidInput, match="单位类型“county”与单位代码 640424100000 不符") as caught:
        Card.from_json(json.dumps(value, ensure_ascii=False), source="镇.json")
    assert caught.value.field == "kind"
    county = card_for(township, "640424000000", "泾源县民政局", "county")
    assert Card.from_json(county.to_json(), source="县.json").kind == "county"


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": "doudi-card", "version": 9}', '{"format": "x"}'])
def test_something_that_is_not_a_card_is_refused(text):
    with pytest.raises(InvalidInput, match=r"单位名片 x\.json"):
        Card.from_json(text, source="x.json")


def test_fingerprint_has_six_groups_of_four_readable_characters(township):
    fingerprint = _card(township).fingerprint
    groups = fingerprint.split("-")
    assert [len(g) for g in groups] == [4] * 6
    assert set("".join(groups)) <= set(CROCKFORD)
    assert not set("ILOU") & set(fingerprint)


_separators = st.lists(st.sampled_from(["", " ", "-", "  ", " - "]), min_size=24, max_size=24)


_fingerprints = st.text(alphabet=CROCKFORD, min_size=24, max_size=24).map(
    lambda t: "-".join(t[i : i + 4] for i in range(0, 24, 4))
)


@settings(max_examples=200)
@given(
    fingerprint=_fingerprints, seps=_separators, lower=st.lists(st.booleans(), min_size=24, max_size=24), data=st.data()
)
def test_same_fingerprint_ignores_case_spaces_dashes_and_misread_letters(fingerprint, seps, lower, data):
    typed = ""
    for ch, sep, low in zip(fingerprint.replace("-", ""), seps, lower, strict=True):
        said = ch
        if ch == "0":
            said = data.draw(st.sampled_from("0Oo"))
        elif ch == "1":
            said = data.draw(st.sampled_from("1IiLl"))
        typed += sep + (said.lower() if low else said)
    assert same_fingerprint(typed, fingerprint)


@settings(max_examples=200)
@given(position=st.integers(0, 23), replacement=st.sampled_from(CROCKFORD))
def test_same_fingerprint_refuses_any_other_character(township, position, replacement):
    fingerprint = _card(township).fingerprint
    chars = list(fingerprint.replace("-", ""))
    if chars[position] == replacement:
        return
    chars[position] = replacement
    assert not same_fingerprint("".join(chars), fingerprint)
    assert not same_fingerprint("".join(chars[:-1]), fingerprint)
    assert not same_fingerprint("", fingerprint)


@settings(max_examples=100)
@given(
    code=st.from_regex(r"\d{12}", fullmatch=True),
    other_code=st.from_regex(r"\d{12}", fullmatch=True),
)
def test_any_changed_code_or_key_changes_the_fingerprint(township, stranger, code, other_code):
    base = fingerprint_of(code, township.sign_public, township.box_public)
    if other_code != code:
        assert fingerprint_of(other_code, township.sign_public, township.box_public) != base
    assert fingerprint_of(code, stranger.sign_public, township.box_public) != base
    assert fingerprint_of(code, township.sign_public, stranger.box_public) != base


def test_card_for_refuses_a_code_that_is_not_a_division_code(township):
    with pytest.raises(InvalidInput, match="单位代码") as caught:
        card_for(township, "64-04", "示例镇", "township")
    assert caught.value.field == "office_code"
