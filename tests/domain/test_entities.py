"""Entity validation names the field at fault (so the UI can show the message beside it)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import entities as ent
from app.domain import vocab
from app.domain.entities import ValidationError

GOOD_ID = "11010519491231002X"


def field_of(obj) -> str:
    with pytest.raises(ValidationError) as err:
        obj.validate()
    assert err.value.message and str(err.value) == err.value.message
    return err.value.field


def member(**kw) -> ent.Member:
    base: dict[str, Any] = {"household_id": "h1", "name": "马秀英", "id_number": GOOD_ID, "relation": "本人"}
    base.update(kw)
    return ent.Member(**base)


def household(**kw) -> ent.Household:
    base: dict[str, Any] = {"village_code": "640424100200", "head_name": "马有福"}
    base.update(kw)
    return ent.Household(**base)


def enrolment(**kw) -> ent.Enrolment:
    base: dict[str, Any] = {"household_id": "h1", "programme": "低保", "status": "在保", "start_month": "2025-01"}
    base.update(kw)
    return ent.Enrolment(**base)


def test_validation_error_is_a_value_error_with_field():
    err = ValidationError("name", "姓名不能为空。")
    assert isinstance(err, ValueError)
    assert err.field == "name" and err.message == "姓名不能为空。"


# --- Member ---------------------------------------------------------------


def test_valid_member_derives_sex_and_birth_date_and_normalises_id():
    m = member(id_number="11010519491231002x")
    m.validate()
    assert m.id_number == GOOD_ID
    assert m.sex == "女" and m.birth_date == date(1949, 12, 31)
    assert m.age_on(date(2026, 11, 29)) == 76


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"id_number": "110105194912310021"}, "id_number"),
        ({"id_number": ""}, "id_number"),
        ({"name": "  "}, "name"),
        ({"name": "马" * 31}, "name"),
        ({"relation": "表哥"}, "relation"),
        ({"ethnicity": "蒙古"}, "ethnicity"),
        ({"labour_ability": "强"}, "labour_ability"),
        ({"health": "很好"}, "health"),
        ({"disability_type": "腿"}, "disability_type"),
        ({"disability_grade": 5, "disability_type": "肢体"}, "disability_grade"),
        ({"disability_type": "肢体", "disability_grade": 0}, "disability_grade"),
        ({"disability_type": "", "disability_grade": 2}, "disability_grade"),
        ({"schooling": "博士"}, "schooling"),
        ({"self_care": "还行"}, "self_care"),
        ({"left_behind": "留守青年"}, "left_behind"),
        ({"deceased_on": date(1940, 1, 1)}, "deceased_on"),
    ],
)
def test_member_errors_name_the_field(kw, field):
    assert field_of(member(**kw)) == field


def test_member_bad_id_message_mentions_id():
    with pytest.raises(ValidationError) as err:
        member(id_number="12345").validate()
    assert err.value.field == "id_number"
    assert "身份证号" in err.value.message


# --- Household --------------------------------------------------------------


def test_valid_household():
    household(categories=["低保", "脱贫户"], risk_level=2, phone="139 0954 1234").validate()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"head_name": ""}, "head_name"),
        ({"head_name": "   "}, "head_name"),
        ({"village_code": "640424100"}, "village_code"),
        ({"village_code": ""}, "village_code"),
        ({"categories": ["富裕户"]}, "categories"),
        ({"risk_level": 5}, "risk_level"),
        ({"phone": "call me"}, "phone"),
        ({"official_relative": True}, "official_relative_note"),
        ({"archived": True}, "archived_reason"),
    ],
)
def test_household_errors_name_the_field(kw, field):
    assert field_of(household(**kw)) == field


# --- Enrolment --------------------------------------------------------------


def test_valid_enrolment():
    enrolment(single_person=True, member_id="m1", end_month="2025-06").validate()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"single_person": True}, "member_id"),
        ({"household_id": ""}, "household_id"),
        ({"programme": "扶贫"}, "programme"),
        ({"status": "已发"}, "status"),
        ({"monthly_amount_fen": -1}, "monthly_amount_fen"),
        ({"start_month": "2025-13"}, "start_month"),
        ({"start_month": "2025/01"}, "start_month"),
        ({"end_month": "2024-11"}, "end_month"),  # 2024-12 means: stopped before the first payment
        ({"grace_until": "25-01"}, "grace_until"),
        ({"publicity_from": date(2025, 1, 10), "publicity_to": date(2025, 1, 3)}, "publicity_to"),
    ],
)
def test_enrolment_errors_name_the_field(kw, field):
    assert field_of(enrolment(**kw)) == field


# --- Visit, Payment, Alert, Office, User ------------------------------------


def test_visit_fields_and_concerns():
    v = ent.Visit(
        household_id="h1",
        visit_date=date(2026, 11, 3),
        visitors="马建国、李娟",
        housing_ok=False,
        water_ok=False,
        item_notes={"housing_ok": "房屋漏雨", "water_ok": "饮水靠拉运"},
    )
    v.validate()
    assert v.concerns == ["住房安全", "饮水安全"]
    assert v.kind == "常规核查"  # a visit is the month's routine check unless said otherwise
    assert field_of(ent.Visit(visit_date=date(2026, 11, 3), visitors="甲、乙")) == "household_id"
    assert field_of(ent.Visit(household_id="h1", visitors="甲、乙")) == "visit_date"
    assert field_of(ent.Visit(household_id="h1", visit_date=date(2026, 11, 3), visitors=" ")) == "visitors"
    assert (
        field_of(ent.Visit(household_id="h1", visit_date=date(2026, 11, 3), visitors="甲、乙", income_change="翻倍"))
        == "income_change"
    )
    assert (
        field_of(
            ent.Visit(household_id="h1", visit_date=date(2026, 11, 3), visitors="甲、乙", next_due=date(2026, 11, 3))
        )
        == "next_due"
    )


VISIT_DAY = date(2026, 11, 3)


def _visit(**kw) -> ent.Visit:
    return ent.Visit(household_id="h1", visit_date=VISIT_DAY, **{"visitors": "马建国、李娟", **kw})


@pytest.mark.parametrize("visitors", ["马建国", "马建国、", "马建国、马建国", "  马建国  "])
def test_a_visit_needs_two_investigators(visitors):
    with pytest.raises(ent.ValidationError) as exc:
        _visit(visitors=visitors).validate()
    assert exc.value.field == "visitors"
    assert "两名" in exc.value.message


@given(
    st.lists(st.text(alphabet="马李王建国娟芳", min_size=1, max_size=3), min_size=1, max_size=4, unique=True),
    st.sampled_from(["、", "，", ",", " ", " 、 "]),
)
def test_visitors_split_on_any_separator(names, sep):
    v = _visit(visitors=sep.join(names))
    assert v.visitor_names == names
    if len(names) >= 2:
        v.validate()
    else:
        assert field_of(v) == "visitors"


@given(st.sets(st.sampled_from(list(vocab.CONCERNS)), min_size=1), st.data())
def test_each_item_not_assured_needs_its_own_note(unassured, data):
    noted = data.draw(st.sets(st.sampled_from(sorted(unassured))))
    general = data.draw(st.sampled_from(["", "房屋漏雨，饮水靠拉运"]))
    v = _visit(**dict.fromkeys(unassured, False), item_notes=dict.fromkeys(noted, "情况说明"), notes=general)
    if noted == unassured:
        v.validate()
    else:
        # the general notes do not stand in for an item's own note
        with pytest.raises(ent.ValidationError) as exc:
            v.validate()
        assert exc.value.field == "item_notes"
        assert all(vocab.CONCERNS[a] in exc.value.message for a in unassured - noted)
        assert not any(vocab.CONCERNS[a] in exc.value.message for a in noted)


@pytest.mark.parametrize("note", ["", "   ", "\n"])
def test_a_blank_item_note_is_no_note(note):
    assert field_of(_visit(housing_ok=False, item_notes={"housing_ok": note})) == "item_notes"


def test_an_item_note_for_an_unknown_item_is_refused():
    assert field_of(_visit(item_notes={"roof_ok": "漏雨"})) == "item_notes"


@given(st.sampled_from(ent.Visit.KINDS))
def test_every_visit_kind_is_accepted(kind):
    _visit(kind=kind).validate()


@pytest.mark.parametrize("kind", ["", "不存在", "〔回访〕"])
def test_an_unknown_visit_kind_is_refused(kind):
    assert field_of(_visit(kind=kind)) == "kind"


def test_a_tombstone_of_an_old_one_visitor_visit_is_accepted():
    _visit(visitors="马建国", deleted=True).validate()


def test_payment_fields():
    ent.Payment(month="2026-10", household_id="h1", amount_fen=30000).validate()
    ent.Payment(month="2026-10", household_id="h1", kind="correction", amount_fen=-5000).validate()
    assert field_of(ent.Payment(month="", household_id="h1")) == "month"
    assert field_of(ent.Payment(month="2026-1", household_id="h1")) == "month"
    assert field_of(ent.Payment(month="2026-10")) == "household_id"
    assert field_of(ent.Payment(month="2026-10", household_id="h1", kind="bonus")) == "kind"
    assert field_of(ent.Payment(month="2026-10", household_id="h1", amount_fen=-1)) == "amount_fen"


def test_alert_fields():
    ent.Alert(rule="overdue_visit", level=2, status="closed", close_note="已补访").validate()
    assert field_of(ent.Alert(rule="")) == "rule"
    assert field_of(ent.Alert(rule="x", level=4)) == "level"
    assert field_of(ent.Alert(rule="x", status="done")) == "status"
    assert field_of(ent.Alert(rule="x", status="closed")) == "close_note"


def test_office_and_user_fields():
    ent.Office(code="640424100", name="香水镇民政办").validate()
    ent.Office(code="640424", name="泾源县民政局", kind="county").validate()
    assert field_of(ent.Office(code="64042", name="x")) == "code"
    assert field_of(ent.Office(code="640424100", name=" ")) == "name"
    assert field_of(ent.Office(code="640424100", name="x", kind="village")) == "kind"
    ent.User(username="王经办", role="clerk").validate()
    assert field_of(ent.User(username="bad name!")) == "username"
    assert field_of(ent.User(username="ok", role="boss")) == "role"


def test_every_syncable_type_has_a_table_and_bookkeeping_fields():
    for cls in ent.SYNCABLE_TYPES:
        row = cls()
        assert cls.TABLE
        assert (row.id, row.owner_office, row.updated_at, row.updated_by, row.deleted) == ("", "", "", "", False)
