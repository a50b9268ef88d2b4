"""The bundle's log lines leave the office masked: no ID number, mobile, bank card or labelled name survives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.support_masking import NAME_LABELS, mask_support_text

ID18 = re.compile(r"\d{17}[\dXx]")
ID15 = re.compile(r"\d{15}")

id18 = st.builds(
    lambda body, last: body + last, st.text("0123456789", min_size=17, max_size=17), st.sampled_from("0123456789Xx")
)
id15 = st.text("0123456789", min_size=15, max_size=15)
mobile = st.builds(
    lambda a, rest: f"1{a}{rest}", st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9)
)
# Whatever a log line may hold around the number: letters, CJK, digits, separators, quotes.
filler = st.text(alphabet=st.sampled_from(list("abcXx0123456789 :=,;'\"-_/()[]{}户主姓名电话马学军\t")), max_size=12)


def _line(parts: list[str]) -> str:
    return "".join(parts)


@settings(max_examples=300)
@given(st.lists(st.tuples(filler, id18 | id15), min_size=1, max_size=4), filler)
def test_no_id_number_survives_wherever_it_stands(pieces, tail):
    text = _line([a + b for a, b in pieces]) + tail
    masked = mask_support_text(text)
    assert not ID18.search(masked)
    assert not ID15.search(masked)
    for _, number in pieces:
        assert number not in masked


@settings(max_examples=200)
@given(st.lists(st.tuples(st.text(alphabet=" :=,;户主电话（）()", max_size=4), mobile), min_size=1, max_size=3))
def test_no_mobile_number_survives_between_non_digits(pieces):
    text = " ".join(a + b for a, b in pieces) + " "
    masked = mask_support_text(text)
    for _, number in pieces:
        assert number not in masked
        assert number[-4:] in masked  # the last four are kept: support can still tell two apart


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_masking_keeps_the_lines_and_never_lengthens_them(text):
    masked = mask_support_text(text)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")


@given(
    st.sampled_from(NAME_LABELS),
    st.sampled_from(["：", ":", "=", " ", "： "]),
    st.text("马学军王秀英李建国杨", min_size=2, max_size=4),
)
def test_a_name_after_a_known_label_keeps_only_its_first_character(label, sep, name):
    masked = mask_support_text(f"保存{label}{sep}{name}，完成")
    assert name not in masked
    assert f"{label}{sep}{name[0]}{'*' * (len(name) - 1)}" in masked


def test_bank_cards_written_in_groups_and_field_values_are_masked():
    masked = mask_support_text("卡号 6222 0212 3456 7890 123；bank_account=6228480000000001；name=马学军")
    assert "6222 0212 3456 7890" not in masked and "6228480000000001" not in masked and "马学军" not in masked


def test_what_support_needs_is_left_alone():
    line = (
        "2026-11-30 14:45:08,123 WARNING [MainThread] app.services.office: office 640424100000 "
        "row 01a0f68e-934f-7589-884a-2878f6541e97 backup doudi-640424100000-20261130-144508"
    )
    assert mask_support_text(line) == line


# Labels a sentence may glue a name to; a lone 户 only when it stands as a word.
glued_label = st.sampled_from(["户主", "成员", "姓名", "申请人", "户主为"]).flatmap(
    lambda label: st.tuples(st.just(label), st.sampled_from(["", " ", "：", ":", "： "]))
) | st.tuples(st.just("户"), st.sampled_from([" ", "：", ":"]))
han_name = st.text("冯倩张晓梅马学军王秀英李建国杨", min_size=2, max_size=4)
not_han = st.text(alphabet=st.sampled_from(list("abc 0123456789（）(),.;-_")), max_size=8)


@settings(max_examples=300)
@given(not_han, glued_label, han_name, not_han)
def test_a_name_glued_to_or_spaced_from_its_label_is_masked(before, label_sep, name, after):
    label, sep = label_sep
    masked = mask_support_text(f"{before}{label}{sep}{name}{after}")
    assert name not in masked
    assert name[0] + "*" * (len(name) - 1) in masked


def test_free_text_names_after_household_and_member_are_masked_but_words_are_not():
    masked = mask_support_text("户 冯倩（110101199003074518）；第 2 名成员张晓梅；用户 管理员 打开户档案")
    assert "冯倩" not in masked and "张晓梅" not in masked and "110101199003074518" not in masked
    assert "用户 管理员 打开户档案" in masked


@settings(max_examples=200)
@given(st.uuids(), filler, filler)
def test_package_ids_stay_whole_so_support_can_match_the_hubs_log(uuid, before, after):
    package_id = str(uuid)
    text = f"{before} package {package_id} sent {after}"
    assert package_id in mask_support_text(text)
    assert "404bbd12-1234-4567-8912-123456789012" in mask_support_text("包 404bbd12-1234-4567-8912-123456789012 已上传")
