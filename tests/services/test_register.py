"""The register as a clerk uses it: add, edit, archive, search, visit."""

import dataclasses
from datetime import date

import pytest

from app.domain.entities import Visit
from app.errors import InvalidInput
from app.services.households import HouseholdQuery
from tests.factories import household, member


def _family(session, head="马学军", village="640424100200", **kw):
    h = household(village=village, **kw)
    ms = [
        member(head, date(1958, 3, 4)),
        member("海秀兰", date(1960, 7, 9), "配偶", male=False),
        member("马小军", date(2012, 1, 2), "子", schooling="小学"),
    ]
    return session.households.add(h, ms)


def test_add_sets_head_name_and_derives_birth_and_sex(clerk):
    h = _family(clerk)
    got, members = clerk.households.get(h.id)
    assert got.head_name == "马学军"
    assert [m.relation for m in members] == ["本人", "配偶", "子"]
    assert members[1].sex == "女" and members[1].birth_date == date(1960, 7, 9)


def test_household_needs_exactly_one_head(clerk):
    with pytest.raises(InvalidInput) as exc:
        clerk.households.add(household(), [member("甲", date(1980, 1, 1), "配偶")])
    assert "本人" in str(exc.value)


def test_same_id_number_cannot_be_in_two_households(clerk):
    h = _family(clerk)
    _, ms = clerk.households.get(h.id)
    dup = member("别人", date(1990, 1, 1))
    dup.id_number = ms[0].id_number
    with pytest.raises(InvalidInput) as exc:
        clerk.households.add(household(), [dup])
    assert "马学军" in str(exc.value)


def test_edit_updates_adds_and_removes_members_with_history(clerk):
    h = _family(clerk)
    got, ms = clerk.households.get(h.id)
    ms[0] = dataclasses.replace(ms[0], health="重病", serious_illness=True)
    ms = [*ms[:2], member("马小花", date(2015, 5, 5), "女", male=False)]  # 马小军 leaves, 马小花 is added
    got = dataclasses.replace(got, phone="13900000000")
    clerk.households.update(got, ms)
    again, members = clerk.households.get(h.id)
    assert again.phone == "13900000000"
    assert [m.name for m in members] == ["马学军", "海秀兰", "马小花"]
    assert members[0].serious_illness
    actions = [e.action for e in clerk.households.history(h.id)]
    assert actions.count("新增成员") == 4 and "修改户" in actions and "修改成员" in actions and "删除成员" in actions
    change = next(e for e in clerk.households.history(h.id) if e.action == "修改户")
    assert change.detail["changed"]["phone"] == ["", "13900000000"]


def test_archive_instead_of_delete(clerk):
    h = _family(clerk)
    with pytest.raises(InvalidInput):
        clerk.households.archive(h.id, "  ")
    clerk.households.archive(h.id, "全户迁出")
    assert clerk.households.ids(HouseholdQuery()) == []
    assert clerk.households.ids(HouseholdQuery(include_archived=True)) == [h.id]
    assert clerk.db.scalar("SELECT count(*) FROM households") == 1  # still there, archived


def test_search_by_name_pinyin_initials_and_id_fragment(clerk):
    a = _family(clerk, head="张三")
    b = _family(clerk, head="冶海燕", village="640424100201")
    _, ms = clerk.households.get(b.id)
    assert clerk.households.ids(HouseholdQuery(text="zs")) == [a.id]
    assert clerk.households.ids(HouseholdQuery(text="yhy")) == [b.id]
    assert clerk.households.ids(HouseholdQuery(text="海燕")) == [b.id]
    assert clerk.households.ids(HouseholdQuery(text=ms[0].id_number[-8:])) == [b.id]
    assert clerk.households.ids(HouseholdQuery(village_code="640424100201")) == [b.id]
    assert set(clerk.households.ids(HouseholdQuery(text="海秀兰"))) == {a.id, b.id}


def test_filters_by_category_and_risk(clerk):
    a = _family(clerk, categories=["特困"], risk_level=3)
    _family(clerk, head="张三", categories=["低保"], risk_level=1)
    assert clerk.households.ids(HouseholdQuery(category="特困")) == [a.id]
    assert clerk.households.ids(HouseholdQuery(min_risk=2)) == [a.id]
    assert clerk.households.count(HouseholdQuery()) == 2


def test_id_numbers_masked_for_roles_that_may_not_see_them(office, clerk):
    admin = office[0]
    h = _family(clerk)
    full = clerk.households.rows([h.id])[h.id].head_id_number
    masked = admin.households.rows([h.id])[h.id].head_id_number
    assert len(full) == 18 and "*" not in full
    assert masked == full[:6] + "********" + full[-4:]


def test_visit_shrinks_the_due_list(clerk):
    a = _family(clerk)
    b = _family(clerk, head="张三")
    month = date.today().strftime("%Y-%m")
    assert {d.household_id for d in clerk.visits.due(month)} == {a.id, b.id}
    clerk.visits.record(
        Visit(
            household_id=a.id,
            visit_date=date.today(),
            visitors="王五、赵六",
            medical_ok=False,
            notes="慢性病用药负担重",
        )
    )
    assert [d.household_id for d in clerk.visits.due(month)] == [b.id]
    assert clerk.visits.progress(month) == (1, 2)
    v = clerk.visits.for_household(a.id)[0]
    assert v.concerns == ["基本医疗"] and v.next_due > v.visit_date


def test_visit_validation_names_the_field(clerk):
    a = _family(clerk)
    with pytest.raises(InvalidInput) as exc:
        clerk.visits.record(Visit(household_id=a.id, visit_date=date.today(), visitors=""))
    assert exc.value.field == "visitors"
