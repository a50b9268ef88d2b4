"""The register as a clerk uses it: add, edit, archive, search, visit."""

import dataclasses
import json
from datetime import date

import pytest

from app.domain.entities import Visit
from app.errors import InvalidInput
from app.services.households import HouseholdQuery
from tests.factories import household, member


def _family(session, head="马学军", village="640424100200", disabled=False, **kw):
    h = household(village=village, **kw)
    ms = [
        member(
            head, date(1958, 3, 4), disability_type="肢体" if disabled else "", disability_grade=1 if disabled else 0
        ),
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
            item_notes={"medical_ok": "慢性病用药负担重"},
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


# --- full ID numbers only for the roles that handle cases (issue 8, item 8) -------------------

ROLE_PASSWORDS = {"clerk": "clerk-pass-2021", "reviewer": "review-pass-2021", "county": "county-pass-2021"}


@pytest.fixture
def sessions(office, clerk):
    """One signed-in session per role: the clerk's, a reviewer's, a county user's and the administrator's."""
    from app.services.office import open_session

    admin, _code, data_dir = office
    out = {"clerk": clerk, "admin": admin}
    for role, name in (("reviewer", "head1"), ("county", "county1")):
        admin.users.add(name, role, ROLE_PASSWORDS[role])
        out[role] = open_session(data_dir, name, ROLE_PASSWORDS[role])
    yield out
    for role in ("reviewer", "county"):
        out[role].close()


def test_only_clerk_and_reviewer_are_granted_full_id_numbers():
    from app.domain.entities import ROLE_NAMES, User
    from app.services import permissions

    granted = {r for r in ROLE_NAMES if permissions.allowed(User(username="x", role=r), permissions.VIEW_FULL_ID)}
    assert granted == {"clerk", "reviewer"}


@pytest.mark.parametrize(("role", "full"), [("clerk", True), ("reviewer", True), ("county", False), ("admin", False)])
def test_id_numbers_leave_the_services_in_full_only_for_roles_that_need_them(sessions, role, full):
    from app.domain import idnumber

    h = _family(sessions["clerk"], disabled=True)
    stored = {m.name: m.id_number for m in sessions["clerk"].households.members(h.id)}
    s = sessions[role]

    def shown_as(value: str, name: str) -> bool:
        return value == (stored[name] if full else idnumber.mask(stored[name]))

    _, members = s.households.get(h.id)
    assert all(shown_as(m.id_number, m.name) for m in members)
    assert all((m.birth_date is not None) == full for m in members)  # a birth date would complete a masked number
    assert all(shown_as(m.id_number, m.name) for m in s.households.members(h.id))
    assert shown_as(s.households.rows([h.id])[h.id].head_id_number, "马学军")
    assert [shown_as(r.head_id_number, "马学军") for r in s.register.export_rows([h.id])] == [True]
    assert all(shown_as(num, name) for _hid, name, num, _v in s.households.find_people("马"))
    cared = [p.member for p in s.care.people("重度残疾人照料")]
    assert cared and all(shown_as(m.id_number, m.name) for m in cared)
    details = json.dumps([e.detail for e in s.households.history(h.id)], ensure_ascii=False)
    assert (stored["海秀兰"] in details) == full


@pytest.mark.parametrize("role", ["county", "admin"])
def test_a_masked_role_finds_a_person_by_the_whole_number_only(sessions, role):
    h = _family(sessions["clerk"])
    number = sessions["clerk"].households.members(h.id)[0].id_number
    s = sessions[role]
    whole = HouseholdQuery(text=number)
    part = HouseholdQuery(text=number[6:14])  # the birth date, hidden by the mask
    assert s.households.ids(whole) == [h.id] and s.register.ids(whole).ids == [h.id]
    assert s.households.ids(part) == [] and s.register.ids(part).ids == []
    assert s.households.find_people(number[6:14]) == []
    assert sessions["clerk"].households.ids(part) == [h.id]  # the clerk searches by any part


def test_a_role_shown_masked_numbers_can_save_without_replacing_them(sessions):
    h = _family(sessions["clerk"])
    admin = sessions["admin"]
    got, members = admin.households.get(h.id)
    admin.households.update(dataclasses.replace(got, phone="13900000009"), members)
    _, stored = sessions["clerk"].households.get(h.id)
    full = {m.name: m.id_number for m in stored}
    assert all("*" not in n for n in full.values()) and sessions["clerk"].households.get(h.id)[0].phone == "13900000009"


def test_an_approved_dibao_household_is_listed_as_dibao_not_general(clerk, reviewer):
    from tests.services.test_programmes import _poor_family, _to_review

    h = _poor_family(clerk)
    stored, ms = clerk.households.get(h.id)
    stored.categories = ["一般户"]
    clerk.households.update(stored, ms)
    assert clerk.households.rows([h.id])[h.id].categories == ["一般户"]  # applied, not yet approved
    e = _to_review(clerk, h)
    reviewer.enrolments.advance(e.id, "在保", on=date.today())
    assert clerk.households.rows([h.id])[h.id].categories == ["低保"]
    assert clerk.households.categories(h.id) == ["低保"]
    # The category filter agrees with what the list shows.
    assert h.id in clerk.households.ids(HouseholdQuery(category="低保"))
    assert h.id not in clerk.households.ids(HouseholdQuery(category="一般户"))


def test_a_new_household_not_under_watch_is_not_due_for_the_monthly_visit(clerk):
    from app.domain.policy import months

    month = months.of(date.today())
    watched = _family(clerk, under_watch=True)
    other = _family(clerk, head="李四", under_watch=False)
    due = {d.household_id for d in clerk.visits.due(month)}
    assert watched.id in due and other.id not in due


def test_history_names_users_and_includes_income_and_steps(clerk):
    from app.domain.entities import IncomeRecord
    from tests.services.test_programmes import _poor_family, _to_review

    h = _poor_family(clerk)
    clerk.income.set_income_items(h.id, [IncomeRecord(kind="经营净收入", subtype="种植", amount_fen=240000, months=12)])
    _to_review(clerk, h)
    entries = clerk.households.history(h.id)
    assert {e.entity for e in entries} >= {"households", "members", "income_items", "enrolments", "enrolment_steps"}
    assert {e.username for e in entries} == {"王经办"}
