"""The comparison's fast paths say exactly what the plain code said (issue 12 point 8).

To compare a 100,000-row list in seconds, app/domain/comparison.py reads each rule's conditions
once into small functions, takes a short cut for the common text cell and name, and the service
builds the register's people as named tuples with the collector paused. The plain versions those
replaced are kept here, word for word, as the oracle: whatever a row, a person or a register,
both give the same answer.
"""

from __future__ import annotations

import gc
import json
import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import comparison as dc
from app.domain import workflow
from app.domain.sheet_layout import DataRow
from app.errors import InvalidInput
from app.services.households import village_names

SOURCES = Path(__file__).resolve().parents[2] / "app" / "resources" / "sources"
KINDS = [dc.parse_source(json.loads(p.read_text(encoding="utf-8")), p.name) for p in sorted(SOURCES.glob("*.json"))]

# --- the plain code, as it was before the fast paths ---------------------------------------------


def plain_text_of(cell):
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def plain_name_key(name):
    return "".join(name.split())


def plain_blank(cell):
    return plain_text_of(cell) == ""


def plain_reports_nothing(cell):
    """Blank, or a department's way of writing "none" there (否, 无, 没有, a dash or slash, zero)."""
    text = plain_text_of(cell).strip()
    return text in ("", "否", "无", "没有", "-", "—", "/", "\uff0f") or re.fullmatch(r"0+(\.0+)?", text) is not None


def plain_has_fact(p, fact):
    if fact == "serious_illness":
        return p.serious_illness or p.health == "重病"
    if fact == "disability":
        return bool(p.disability_type) or p.disability_grade > 0 or bool(p.disability_cert)
    if fact == "pension":
        return p.pension
    if fact == "employment":
        return p.employed
    return not p.alive


def plain_holds(cond, row, found):
    p = found.person
    if cond == "in_register":
        return p is not None
    if cond == "not_in_register":
        return found.kind == dc.NOT_IN_REGISTER
    if cond == "alive":
        return p is not None and p.alive
    if cond == "not_dead":
        return p is None or p.alive
    if cond == "enrolled":
        return p is not None and bool(p.programmes)
    if cond == "not_enrolled":
        return p is None or not p.programmes
    head, _, arg = cond.partition(":")
    if head == "row_has":
        return not plain_reports_nothing(row.values.get(arg))
    if head == "row_matches":
        fld, _, pattern = arg.partition("=")
        text = plain_text_of(row.values.get(fld))
        return bool(text) and re.search(pattern, text) is not None
    if head == "row_at_least":
        fld, _, bound = arg.partition("=")
        cell = row.values.get(fld)
        if isinstance(cell, int | float) and not isinstance(cell, bool):  # a number cell is its amount (1e16 too)
            return math.isfinite(cell) and Decimal(str(cell)) >= Decimal(bound)
        # The plain reading of an amount written as text: digits and one point, separators and units dropped.
        text = unicodedata.normalize("NFKC", plain_text_of(cell))
        digits = re.search(r"-?\d+(?:\.\d+)?", text.replace(",", "").replace(" ", ""))
        return digits is not None and Decimal(digits.group()) >= Decimal(bound)
    if head == "with":
        return p is not None and bool(p.programmes & set(arg.split("|")))
    if head == "without":
        return p is None or not (p.programmes & set(arg.split("|")))
    if head == "lacks":
        return p is not None and not plain_has_fact(p, arg)
    raise ValueError(cond)


def plain_findings(kind, row, found):
    out = []
    person = found.person
    who = person.name if person is not None else plain_text_of(row.values.get("name")) or f"第 {row.row} 行"

    def finding(code, p, value):
        programmes = "、".join(sorted(p.programmes)) if p is not None else ""
        household = p.household_label if p is not None else ""
        text = dc.FINDINGS[code][1].format(who=who, household=household, programmes=programmes, value=value or "—")
        return dc.Finding(code, text)

    if found.kind == dc.POSSIBLE_MATCH and person is not None:
        out.append(finding("confirm_match", person, found.note))
    elif found.kind in (dc.ID_DAMAGED, dc.ID_INVALID):
        out.append(finding("id_unusable", None, found.note))
    elif found.kind == dc.IN_REGISTER and person is not None:
        listed = plain_name_key(plain_text_of(row.values.get("name")))
        if listed and listed != plain_name_key(person.name):
            out.append(finding("name_differs", person, listed))
    seen = {f.code for f in out}
    for rule in kind.rules:
        if rule.finding in seen or not all(plain_holds(c, row, found) for c in rule.conditions):
            continue
        seen.add(rule.finding)
        value = plain_text_of(row.values.get(rule.value_field)) if rule.value_field else ""
        out.append(finding(rule.finding, person, value))
    return out


# --- what rows, people and matches look like ----------------------------------------------------

PROGRAMMES = ("低保", "特困", "临时救助", "困难残疾人生活补贴", "重度残疾人护理补贴", "高龄津贴")
FIELDS = (
    "death_date",
    "moved_to",
    "cancel_reason",
    "disability_grade",
    "plate",
    "illness",
    "monitor_type",
    "note",
    # Every other cell a shipped kind's rules test, so that a kind's gate (no rule without one of
    # its cells filled) is checked against the plain code for every kind.
    "disability_cert",
    "pension",
    "employer",
    "business_name",
    "expense",
    "property",
)
words = st.sampled_from(
    [
        "",
        " ",
        "死亡",
        "迁出",
        "一级",
        "2",
        "宁D12345",
        "肺癌",
        "边缘易致贫户",
        "马 文华",
        "马文华",
        "8,600元",
        "64042419580402001142",
    ]
)
cells = st.one_of(
    st.none(),
    words,
    st.text(max_size=6),
    st.booleans(),
    st.integers(-10, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
)


class Text(str):
    """A str subclass (what a library might hand over): it must take the general path."""


people = st.builds(
    dc.Person,
    member_id=st.just("m1"),
    household_id=st.just("h1"),
    id_number=st.just("640424195804020011"),
    name=st.sampled_from(["马文华", "马 文华", "海秀兰"]),
    birth_date=st.none() | st.just(date(1958, 4, 2)),
    village_name=st.sampled_from(["", "大庄村委会"]),
    head_name=st.sampled_from(["", "马文华"]),
    alive=st.booleans(),
    programmes=st.frozensets(st.sampled_from(PROGRAMMES)),
    serious_illness=st.booleans(),
    health=st.sampled_from(["", "健康", "重病"]),
    disability_type=st.sampled_from(["", "肢体"]),
    disability_grade=st.integers(0, 4),
    disability_cert=st.sampled_from(["", "64042419580402001142"]),
    employed=st.booleans(),
    pension=st.booleans(),
)
matches = st.builds(
    dc.Match,
    kind=st.sampled_from(dc.MATCHES),
    person=st.none() | people,
    id_number=st.none() | st.just("640424195804020011"),
    note=st.sampled_from(["", "身份证号为空"]),
)
rows = st.builds(
    lambda n, values: DataRow(row=n, sheet_row=n + 3, values=values),
    st.integers(1, 9),
    st.dictionaries(st.sampled_from(("name", *FIELDS)), cells, max_size=6),
)
conditions = st.one_of(
    st.sampled_from(["in_register", "not_in_register", "alive", "enrolled", "not_enrolled"]),
    st.sampled_from(FIELDS).map(lambda f: f"row_has:{f}"),
    st.tuples(st.sampled_from(FIELDS), st.sampled_from(["死亡", "[一二12]", "^宁", ".*"])).map(
        lambda t: f"row_matches:{t[0]}={t[1]}"
    ),
    st.tuples(st.sampled_from(["with", "without"]), st.lists(st.sampled_from(PROGRAMMES), min_size=1)).map(
        lambda t: f"{t[0]}:{'|'.join(t[1])}"
    ),
    st.sampled_from(["serious_illness", "disability", "pension", "employment", "death"]).map(lambda f: f"lacks:{f}"),
)


# --- the properties -------------------------------------------------------------------------------


@given(st.one_of(cells, st.text().map(Text)))
def test_a_cell_reads_as_the_plain_code_read_it(cell):
    assert dc.text_of(cell) == plain_text_of(cell)


@given(st.text() | st.sampled_from(["马文华", "马 文华", "马\u3000文华", "马\xa0文华", "马\t文华\n", "\u2028"]))
def test_a_name_key_is_the_name_without_whitespace_as_before(name):
    assert dc.name_key(name) == plain_name_key(name)


@given(conditions, rows, matches)
def test_a_compiled_condition_holds_exactly_when_the_plain_one_did(cond, row, found):
    (check,) = dc.Rule("moved_out", (cond,)).checks
    assert check(row.values, found) == plain_holds(cond, row, found)


@given(st.sampled_from(KINDS), rows, matches)
def test_every_shipped_kind_gives_the_plain_findings_in_the_plain_order(kind, row, found):
    assert dc.findings(kind, row, found) == plain_findings(kind, row, found)


# --- the register as the service reads it -------------------------------------------------------


def plain_register(db, month):
    """register_index's four queries, read into one dict per person the way the plain code did."""
    villages = village_names(db)
    households = {
        hid: (v, head)
        for hid, v, head in db.query("SELECT id, village_code, head_name FROM households WHERE deleted = 0")
    }
    whole: dict[str, set[str]] = {}
    own: dict[str, set[str]] = {}
    for hid, mid, programme, status, start, end, grace in db.query(
        "SELECT household_id, member_id, programme, status, start_month, end_month, grace_until "
        "FROM enrolments WHERE deleted = 0 AND status IN (?, ?)",
        tuple(s.value for s in workflow.IN_FORCE),
    ):
        if workflow.paid_in(status, start, end, grace, month):
            (own.setdefault(mid, set()) if mid else whole.setdefault(hid, set())).add(programme)
    pensioners = {
        mid
        for (mid,) in db.query(
            "SELECT member_id FROM income_items WHERE deleted = 0 AND member_id != '' AND subtype LIKE '%养老%'"
        )
    }
    out = {}
    for mid, hid, number, name, born, died, health, ill, dtype, dgrade, cert, employed, left in db.query(
        "SELECT id, household_id, id_number, name, birth_date, deceased_on, health, serious_illness, "
        "disability_type, disability_grade, disability_cert, employed, left_behind FROM members WHERE deleted = 0"
    ):
        if hid not in households:
            continue
        village, head = households[hid]
        alive = died is None or died == ""
        out[mid] = {
            "member_id": mid,
            "household_id": hid,
            "id_number": number or "",
            "name": name,
            "birth_date": date.fromisoformat(born) if born else None,
            "village_code": village,
            "village_name": villages.get(village, ""),
            "head_name": head,
            "alive": alive,
            "programmes": frozenset((whole.get(hid, set()) if alive else set()) | own.get(mid, set())),
            "serious_illness": bool(ill),
            "health": health,
            "disability_type": dtype,
            "disability_grade": dgrade or 0,
            "disability_cert": cert,
            "employed": bool(employed),
            "pension": mid in pensioners,
            "left_behind": left,
        }
    return out


def own_programme_members(db):
    return {mid for (mid,) in db.query("SELECT member_id FROM enrolments WHERE deleted = 0 AND member_id != ''")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    import keyring

    from app.services.demo import create_demo
    from app.services.simulate import open_staff
    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    root = tmp_path_factory.mktemp("perf-paths-demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOUDI_CONFIG_DIR", str(root / "config"))
        admin, _code, _counts = create_demo(root / "office", "perf-paths-2021", households=60, end_month="2026-10")
        clerk, reviewer = open_staff(root / "office", "perf-paths-2021")
        reviewer.close()
    try:
        # A death in a household paid as a whole: the dead member keeps only their own programmes.
        hid = clerk.db.scalar("SELECT household_id FROM enrolments WHERE member_id = '' AND status = '在保' LIMIT 1")
        household, members = clerk.households.get(hid)
        members[-1].deceased_on = date(2026, 9, 30)
        clerk.households.update(household, members)
        yield clerk
    finally:
        for s in (clerk, admin):
            s.close()
        keyring.set_keyring(previous)


@pytest.mark.parametrize("month", ["2025-06", "2026-10", "2026-11"])
def test_the_register_index_holds_every_person_as_the_plain_reading_did(demo, month):
    expected = plain_register(demo.db, month)
    index = demo.comparison.register_index(month)
    got = {p.member_id: p._asdict() for p in index.by_id.values()}
    assert got == {mid: p for mid, p in expected.items() if p["id_number"]}
    # The demo must exercise what the fast reading shares or skips: deaths, programmes, pensions.
    assert any(not p["alive"] for p in expected.values())
    assert any(p["programmes"] for p in expected.values())
    assert any(p["pension"] for p in expected.values())
    assert any(p["programmes"] for p in expected.values() if p["member_id"] in own_programme_members(demo.db))
    plain_index = dc.RegisterIndex.build(dc.Person(**p) for p in expected.values())
    assert index.by_name_birth == plain_index.by_name_birth


def test_a_run_leaves_the_collector_as_it_found_it_even_when_refused(demo, tmp_path):
    assert gc.isenabled()
    with pytest.raises(InvalidInput):
        demo.comparison.run(tmp_path / "missing.xlsx", "公安", month="2026-11")
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(InvalidInput):
            demo.comparison.run(tmp_path / "missing.xlsx", "公安", month="2026-11")
        assert not gc.isenabled()  # paused by someone else: still theirs to resume
    finally:
        gc.enable()


# --- the register kept between runs -------------------------------------------------------------


def _rewrite(s, obj, **changes):
    """A row written the way a service writes it (with its change-log entry), changed as given."""
    from dataclasses import replace

    with s.store.transaction():
        s.store.save(replace(obj, **changes), s.user.username, "测试")


def _any(s, cls, rng, where="deleted = 0"):
    rows = s.store.repo(cls).where(where, ())
    return rng.choice(sorted(rows, key=lambda r: r.id)) if rows else None


def _edit_member(s, rng):
    from app.domain.entities import Member

    m = _any(s, Member, rng)
    other = _any(s, Member, rng)
    choice = rng.randrange(5)
    if choice == 0:  # a new name: another (name, birth date) key
        _rewrite(s, m, name=rng.choice(["马文华", "海秀兰", m.name + "一"]))
    elif choice == 1:  # another member's number: two people share it, the later in the table wins
        _rewrite(s, m, id_number=other.id_number)
    elif choice == 2:
        _rewrite(s, m, deceased_on=None if m.deceased_on else date(2026, 9, 1))
    elif choice == 3:  # moved to another household
        _rewrite(s, m, household_id=other.household_id)
    else:
        _rewrite(s, m, birth_date=other.birth_date, name=other.name)


def _delete_or_restore_member(s, rng):
    from app.domain.entities import Member

    m = _any(s, Member, rng, "deleted = 1") if rng.random() < 0.5 else None
    if m is None:
        m = _any(s, Member, rng)
        _rewrite(s, m, deleted=True)
    else:
        _rewrite(s, m, deleted=False)


def _edit_household(s, rng):
    from app.domain.entities import Household

    h = _any(s, Household, rng, "deleted = 1") if rng.random() < 0.4 else None
    if h is not None:
        _rewrite(s, h, deleted=False)
        return
    h = _any(s, Household, rng)
    if rng.random() < 0.5:
        _rewrite(s, h, deleted=True)
    else:
        _rewrite(s, h, head_name=h.head_name + "改")


def _edit_enrolment(s, rng):
    from app.domain.entities import Enrolment

    e = _any(s, Enrolment, rng)
    choice = rng.randrange(3)
    if choice == 0:
        _rewrite(s, e, status="在保" if e.status != "在保" else "停保")
    elif choice == 1:  # stopped in June (or never stopped)
        _rewrite(s, e, end_month=None if e.end_month else max(e.start_month or "", "2026-06"))
    else:  # begun only in November
        _rewrite(s, e, start_month="2026-11", end_month=None)


def _edit_pension(s, rng):
    from app.domain.entities import IncomeRecord, Member

    item = _any(s, IncomeRecord, rng, "deleted = 0 AND subtype LIKE '%养老%'")
    if item is not None and rng.random() < 0.5:
        _rewrite(s, item, deleted=True)
        return
    m = _any(s, Member, rng)
    with s.store.transaction():
        s.store.save(
            IncomeRecord(household_id=m.household_id, member_id=m.id, kind="转移净收入", subtype="城乡居民基础养老金"),
            s.user.username,
            "测试",
        )


EDITS = [_edit_member, _delete_or_restore_member, _edit_household, _edit_enrolment, _edit_pension]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 10**6)), min_size=1, max_size=4),
    st.sampled_from(["2026-06", "2026-10", "2026-11"]),
)
def test_the_register_kept_between_runs_is_the_one_a_fresh_read_gives(demo_copy, edits, month):
    import random

    s = demo_copy
    s.comparison.register_index("2026-10")  # kept from an earlier run
    for edit, seed in edits:
        edit(s, random.Random(seed))
    kept = s.comparison.register_index(month)
    fresh = s.comparison.register_index(month, fresh=True)
    assert kept.by_id == fresh.by_id
    assert kept.by_name_birth == fresh.by_name_birth  # the same people in the same (table) order


def test_a_kept_register_handed_out_is_never_changed_afterwards(demo_copy):
    s = demo_copy
    before = s.comparison.register_index("2026-11")
    snapshot = (dict(before.by_id), {k: list(v) for k, v in before.by_name_birth.items()})
    _edit_member(s, __import__("random").Random(3))
    after = s.comparison.register_index("2026-10")
    assert after is not before
    assert (before.by_id, before.by_name_birth) == snapshot
    assert s.comparison.register_index("2026-10") is after  # nothing written since: the same index
    s.comparison.forget_register()
    again = s.comparison.register_index("2026-10")
    assert again is not after and (again.by_id, again.by_name_birth) == (after.by_id, after.by_name_birth)


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    """A small demo office of its own: these tests write to it."""
    import keyring

    from app.services.demo import create_demo
    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    root = tmp_path_factory.mktemp("perf-paths-kept")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOUDI_CONFIG_DIR", str(root / "config"))
        admin, _code, _counts = create_demo(root / "office", "perf-paths-2021", households=30, end_month="2026-10")
    try:
        yield admin
    finally:
        admin.close()
        keyring.set_keyring(previous)


@given(
    st.one_of(
        st.text(max_size=20),
        st.text(alphabet="0123456789Xx -０１٣", min_size=17, max_size=19),
        st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True),
    )
)
def test_a_number_is_masked_in_a_run_exactly_as_mask_does(number):
    from app.domain import idnumber
    from app.services.comparison import _masked

    assert _masked(number) == idnumber.mask(number)
