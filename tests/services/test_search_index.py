"""Search as you type: the in-memory index finds exactly what a plain substring scan finds, and stays fresh."""

import dataclasses
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.households import HouseholdQuery
from app.services.search_index import _Lines
from tests.factories import household, member


@given(
    st.lists(st.text(alphabet="马海杨张三兰学军", min_size=0, max_size=4), max_size=30),
    st.text(alphabet="马海杨张三兰学军", min_size=1, max_size=2),
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_lines_find_all_equals_a_plain_scan(values, needle, prefix):
    lines = _Lines(values)
    expected = [i for i, v in enumerate(values) if (v.startswith(needle) if prefix else needle in v)]
    assert list(lines.find_all(needle, prefix)) == expected


def _family(session, head, village="640424100200", born=date(1960, 1, 1)):
    return session.households.add(household(village=village), [member(head, born)])


def test_search_finds_by_name_initials_and_id_and_follows_edits(clerk):
    a = _family(clerk, "张三")
    b = _family(clerk, "冶海燕", born=date(1975, 6, 7))

    def ids(text: str) -> list[str]:
        return clerk.households.ids(HouseholdQuery(text=text))

    assert ids("zs") == [a.id] and ids("张") == [a.id] and ids("yehai") == [b.id]
    number = clerk.households.get(b.id)[1][0].id_number
    assert ids(number[8:14]) == [b.id]
    # A household added after the index was built is found at once …
    c = _family(clerk, "张四", born=date(1970, 2, 2))
    assert set(ids("张")) == {a.id, c.id}
    # … a renamed member under the new name only …
    h, ms = clerk.households.get(a.id)
    ms[0] = dataclasses.replace(ms[0], name="李三")
    clerk.households.update(h, ms)
    assert ids("张") == [c.id] and ids("李三") == [a.id] and ids("ls") == [a.id]
    # … and a removed member no more.
    h, ms = clerk.households.get(c.id)
    clerk.households.update(h, [*ms, member("张小四", date(2010, 3, 3), "子")])
    h, ms = clerk.households.get(c.id)
    clerk.households.update(h, [m for m in ms if m.name != "张小四"])
    assert ids("张小") == []


def test_search_agrees_with_sql_on_a_demo_office(tmp_path):
    from app.services.demo import create_demo

    s, _, _ = create_demo(tmp_path / "demo", "demo-pass-2021", households=300)
    try:
        names = [r[0] for r in s.db.query("SELECT name FROM members LIMIT 60")]
        for text in {n[:1] for n in names} | {n[-2:] for n in names}:
            want = {
                r[0]
                for r in s.db.query(
                    "SELECT DISTINCT household_id FROM members WHERE deleted = 0 AND instr(name, ?) > 0", (text,)
                )
            }
            assert set(s.households.ids(HouseholdQuery(text=text))) == want, text
        # Parts of ID numbers are searched by a role that sees them in full (the demo signs in the administrator).
        from app.services.office import open_session

        s.users.add("clerk9", "clerk", "clerk-pass-2021")
        clerk = open_session(tmp_path / "demo", "clerk9", "clerk-pass-2021")
        try:
            for number in [r[0] for r in s.db.query("SELECT id_number FROM members LIMIT 20")]:
                frag = number[9:15]
                want = {
                    r[0]
                    for r in s.db.query(
                        "SELECT DISTINCT household_id FROM members WHERE instr(id_number, ?) > 0", (frag,)
                    )
                }
                assert set(clerk.households.ids(HouseholdQuery(text=frag))) == want
                assert s.households.ids(HouseholdQuery(text=frag)) == []  # masked for the administrator
        finally:
            clerk.close()
    finally:
        s.close()


def test_spaces_in_the_search_text_are_dropped(clerk):
    from app.services.register_queries import RegisterQueries

    ma = _family(clerk, "马建军")
    _family(clerk, "马海")
    rq = RegisterQueries(clerk)
    for text in ("ma jian", "马 建", " ma  jian jun ", "m j j", "mjj"):
        assert rq.ids(HouseholdQuery(text=text)).ids == [ma.id], text
        assert [p[0] for p in rq.find_people(text)] == [ma.id], text
    number = clerk.households.get(ma.id)[1][0].id_number
    assert rq.ids(HouseholdQuery(text=f"{number[10:14]} {number[14:]}")).ids == [ma.id]


def test_the_list_knows_which_member_matched(clerk):
    from app.services.register_queries import RegisterQueries

    h = clerk.households.add(
        household(), [member("马建军", date(1960, 1, 1)), member("马小燕", date(1990, 1, 1), "女", male=False)]
    )
    result = RegisterQueries(clerk).ids(HouseholdQuery(text="小燕"))
    assert result.ids == [h.id] and result.matched == {h.id: ["马小燕"]}
    assert RegisterQueries(clerk).ids(HouseholdQuery(text="mxy")).matched == {h.id: ["马小燕"]}
    assert RegisterQueries(clerk).ids(HouseholdQuery(text="马")).matched == {h.id: ["马建军", "马小燕"]}
    assert RegisterQueries(clerk).ids(HouseholdQuery()).matched == {}


def test_find_people_through_the_index_agrees_with_the_household_service(tmp_path):
    from app.services.demo import create_demo
    from app.services.office import open_session
    from app.services.register_queries import RegisterQueries

    s, _, _ = create_demo(tmp_path / "demo", "demo-pass-2021", households=300)
    try:
        s.users.add("clerk9", "clerk", "clerk-pass-2021")
        gone = s.households.add(household(), [member("王迁", date(1970, 1, 1))])
        s.households.archive(gone.id, "迁出本县")  # its people are no longer offered
        clerk = open_session(tmp_path / "demo", "clerk9", "clerk-pass-2021")
        try:
            rows = clerk.db.query("SELECT name, id_number FROM members WHERE deleted = 0 LIMIT 40")
            texts = {n[:1] for n, _ in rows} | {n[-2:] for n, _ in rows} | {i[9:15] for _, i in rows}
            texts |= {"z", "zh", "wang", "ma", "王迁", rows[0][1]}
            for session in (s, clerk):  # the administrator sees masked numbers, the clerk full ones
                rq = RegisterQueries(session)
                for text in texts:
                    want = _people_by_sql(session, text)
                    got = rq.find_people(text, limit=10**6)
                    assert sorted(got) == sorted(want), text
                    short = rq.find_people(text, limit=5)
                    assert len(short) == min(5, len(want)) and set(short) <= set(want), text
        finally:
            clerk.close()
    finally:
        s.close()


def _people_by_sql(session, text: str) -> list[tuple[str, str, str, str]]:
    """The people finder as a plain LIKE scan of the register: the oracle the index must agree with."""
    from app.domain import idnumber
    from app.services import permissions
    from app.services.households import village_names
    from app.services.search_index import search_kind

    text = text.strip()
    if not text:
        return []
    full = session.can(permissions.VIEW_FULL_ID)
    kind = search_kind(text)
    if kind == "id" and not full:
        sub, params = "SELECT id FROM members WHERE deleted = 0 AND id_number = ?", [idnumber.clean(text)]
    elif kind == "id":
        sub, params = "SELECT id FROM members WHERE deleted = 0 AND id_number LIKE ?", [f"%{idnumber.clean(text)}%"]
    elif kind == "pinyin":
        low = text.lower()
        sub = "SELECT member_id FROM member_search WHERE initials LIKE ? OR pinyin LIKE ?"
        params = [f"{low}%", f"{low}%"]
    else:
        sub, params = "SELECT id FROM members WHERE deleted = 0 AND name LIKE ?", [f"%{text}%"]
    names = village_names(session.db)
    rows = session.db.query(
        f"SELECT m.household_id, m.name, m.id_number, h.village_code FROM members m "
        f"JOIN households h ON h.id = m.household_id WHERE m.id IN ({sub}) AND h.archived = 0",
        params,
    )
    return [(hid, name, num if full else idnumber.mask(num), names.get(v, v)) for hid, name, num, v in rows]
