"""The register as the comparison sees it, read once per session and kept fresh from the change log.

A county's 133,000 members take a second to read and index under SQLCipher, more than the rest of a
comparison's own work on the register. :class:`RegisterCache` keeps the index between comparisons of
one session (shared with its worker threads' twins, as the search index is) and lays over it only
what the change log says was written since; a month change redoes only the people whose programmes
differ (issue 12 point 8).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from datetime import date
from typing import Any

from ..domain import comparison as dc
from ..domain import workflow
from .households import village_names

# Which rows the register index is made of; a change to any other table leaves it as it is.
_MEMBERS = (
    "SELECT id, household_id, id_number, name, birth_date, deceased_on, health, serious_illness, "
    "disability_type, disability_grade, disability_cert, employed, left_behind FROM members WHERE deleted = 0"
)
_HOUSEHOLDS = "SELECT id, village_code, head_name FROM households WHERE deleted = 0"
_ENROLMENTS = (
    "SELECT id, household_id, member_id, programme, status, start_month, end_month, grace_until "
    "FROM enrolments WHERE deleted = 0 AND status IN (?, ?)"
)
_IN_FORCE = tuple(sorted(s.value for s in workflow.IN_FORCE))
_PENSIONS = "SELECT id, member_id FROM income_items WHERE deleted = 0 AND member_id != '' AND subtype LIKE '%养老%'"
_REGISTER_TABLES = ("members", "households", "enrolments", "income_items")
_REREAD_LIMIT = 5000  # more changed rows than this since the last run: read it all again
_RESCAN_LIMIT = 50_000  # more change-log entries than this (an imported package): likewise
_IN_CHUNK = 500  # ids per "IN (…)": well under SQLite's limit on bound parameters
_NONE: frozenset[str] = frozenset()
Programmes = dict[str, frozenset[str]]


def _chunks(ids: list[str]) -> Iterator[tuple[list[str], str]]:
    for i in range(0, len(ids), _IN_CHUNK):
        part = ids[i : i + _IN_CHUNK]
        yield part, ",".join("?" * len(part))


def _paid(enrolments: dict[str, tuple[Any, ...]], month: str) -> tuple[Programmes, Programmes]:
    """(household → its programmes paid in *month*, member → their own programmes paid in *month*)."""
    whole: dict[str, set[str]] = {}
    own: dict[str, set[str]] = {}
    paid_in = workflow.paid_in
    for hid, mid, programme, status, start, end, grace in enrolments.values():
        if paid_in(status, start, end, grace, month):
            (own.setdefault(mid, set()) if mid else whole.setdefault(hid, set())).add(programme)
    return {h: frozenset(p) for h, p in whole.items()}, {m: frozenset(p) for m, p in own.items()}


def _differing(old: Programmes, new: Programmes) -> set[str]:
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


class RegisterCache:
    """The register index of one session, kept fresh from the change log (as the search index is).

    A county's 133,000 members cost a second to read and index under SQLCipher, more than the rest
    of a comparison's own work on the register; kept, a second run pays only for the rows written
    since (members, households, enrolments and pension income items, re-read by id) and, in
    another month, for the people whose programmes differ. What it hands out is never changed
    afterwards: a later refresh copies the index's dicts (milliseconds) before laying changes
    over them, so a run still matching on another thread keeps a consistent register.

    It holds exactly what a fresh read would give: the same people, the last of several members
    sharing a number (in table order) under that number, people of one name and birth date in
    table order — tests/services/test_comparison_perf_paths.py compares the two after changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq: int | None = None
        self._month = ""
        self._villages: dict[str, str] = {}
        self._households: dict[str, tuple[str, str, str]] = {}  # id → (village code, village name, head)
        self._enrolments: dict[str, tuple[Any, ...]] = {}
        self._pensions: dict[str, str] = {}  # income item → member
        self._pensioners: set[str] = set()
        self._whole: Programmes = {}
        self._own: Programmes = {}
        self._persons: dict[str, dc.Person] = {}  # every member of a living household, numbered or not
        self._by_household: dict[str, list[str]] | None = {}
        self._shared: dict[str, list[str]] = {}  # a number several members hold → their ids
        self._index = dc.RegisterIndex()

    @property
    def loaded(self) -> bool:
        """Whether the register has been read (a refresh costs milliseconds, a read seconds)."""
        return self._seq is not None

    def index(self, db: Any, month: str) -> dc.RegisterIndex:
        with self._lock:
            # The sequence first: a row written between it and the reads is read again next time.
            newest = int(db.scalar("SELECT coalesce(max(seq), 0) FROM change_log"))
            villages = village_names(db)
            if self._seq is None or newest < self._seq or villages != self._villages:
                self._load(db, newest, villages, month)
            elif newest > self._seq or month != self._month:
                self._refresh(db, newest, month)
            return self._index

    # --- reading it all -------------------------------------------------------------------------

    def _load(self, db: Any, seq: int, villages: dict[str, str], month: str) -> None:
        self._seq, self._month, self._villages = seq, month, villages
        self._enrolments = {r[0]: r[1:] for r in db.query(_ENROLMENTS, _IN_FORCE)}
        self._whole, self._own = _paid(self._enrolments, month)
        self._households = {
            hid: (village, villages.get(village, ""), head) for hid, village, head in db.query(_HOUSEHOLDS)
        }
        self._pensions = dict(db.query(_PENSIONS))
        self._pensioners = set(self._pensions.values())
        # In table order, so that the index is built exactly as a plain read would build it. The loop
        # is _person() written out with locals: a county's 133,000 members pass through it.
        households, whole, own, pensioners = self._households, self._whole, self._own, self._pensioners
        person = dc.Person
        # Kept for the session, so the values many people share are held once: a household's id,
        # a birth date, the few words of health, disability type and left-behind status.
        pool: dict[Any, Any] = {}
        one = pool.setdefault
        dates: dict[str, date] = {}
        persons: dict[str, dc.Person] = {}
        # The index is built in the same pass, as RegisterIndex.build would build it (the last
        # member of a shared number under it, people of a name and birth date in table order).
        by_id: dict[str, dc.Person] = {}
        by_name_birth: dict[tuple[str, date], list[dc.Person]] = {}
        name_key = dc.name_key
        numbered = 0
        for row in db.query(_MEMBERS + " ORDER BY rid"):
            mid, hid, number, name, born, died, health, ill, dtype, dgrade, cert, employed, left = row
            household = households.get(hid)
            if household is None:
                continue
            if born:
                birth = dates.get(born)
                if birth is None:
                    birth = dates[born] = date.fromisoformat(born)
            else:
                birth = None
            village, village_name, head = household
            alive = not died
            programmes = whole.get(hid, _NONE) if alive else _NONE
            if mid in own:
                programmes = programmes | own[mid]
            persons[mid] = p = person(
                mid,
                one(hid, hid),
                number or "",
                name,
                birth,
                village,
                village_name,
                head,
                alive,
                programmes,
                bool(ill),
                one(health, health),
                one(dtype, dtype),
                dgrade or 0,
                cert,
                bool(employed),
                mid in pensioners,
                one(left, left),
            )
            if number:
                numbered += 1
                by_id[number] = p
            if birth is not None:
                key = (name_key(name), birth)
                alike = by_name_birth.get(key)
                if alike is None:
                    by_name_birth[key] = [p]
                else:
                    alike.append(p)
        self._persons = persons
        self._by_household = None  # made when a refresh first needs it
        self._index = dc.RegisterIndex(by_id, by_name_birth)
        shared: dict[str, list[str]] = {}
        if numbered != len(self._index.by_id):
            holders: dict[str, list[str]] = {}
            for mid, p in persons.items():
                if p.id_number:
                    holders.setdefault(p.id_number, []).append(mid)
            shared = {n: mids for n, mids in holders.items() if len(mids) > 1}
        self._shared = shared

    def _members_of(self) -> dict[str, list[str]]:
        """household → the ids of its members in the index."""
        if self._by_household is None:
            self._by_household = {}
            for mid, p in self._persons.items():
                self._by_household.setdefault(p.household_id, []).append(mid)
        return self._by_household

    def _person(self, row: tuple[Any, ...]) -> dc.Person | None:
        mid, hid, number, name, born, died, health, ill, dtype, dgrade, cert, employed, left = row
        household = self._households.get(hid)
        if household is None:
            return None
        village, village_name, head = household
        alive = not died
        programmes = self._whole.get(hid, _NONE) if alive else _NONE
        own = self._own.get(mid)
        if own is not None:
            programmes = programmes | own
        return dc.Person(
            mid,
            hid,
            number or "",
            name,
            date.fromisoformat(born) if born else None,
            village,
            village_name,
            head,
            alive,
            programmes,
            bool(ill),
            health,
            dtype,
            dgrade or 0,
            cert,
            bool(employed),
            mid in self._pensioners,
            left,
        )

    # --- laying changes over it -----------------------------------------------------------------

    def _refresh(self, db: Any, newest: int, month: str) -> None:
        changed: dict[str, list[str]] = {t: [] for t in _REGISTER_TABLES}
        if newest > (self._seq or 0):
            # By sequence: asked for DISTINCT or by an indexed entity, SQLite walks the (entity,
            # row_id) index of the whole log instead, a quarter of a second on a county's. The entity
            # is tested unindexed (+entity), row by row in SQLite: the last run's 30,000 findings
            # logged since are passed over there, not handed to Python.
            if newest - (self._seq or 0) > _RESCAN_LIMIT:
                self._load(db, newest, self._villages, month)
                return
            rows = set(
                db.query(
                    "SELECT entity, row_id FROM change_log WHERE seq > ? "
                    f"AND +entity IN ({','.join('?' * len(_REGISTER_TABLES))})",
                    (self._seq, *_REGISTER_TABLES),
                )
            )
            wanted = [(entity, row_id) for entity, row_id in rows if entity in changed]
            if len(wanted) > _REREAD_LIMIT:
                self._load(db, newest, self._villages, month)
                return
            for entity, row_id in wanted:
                changed[entity].append(row_id)
        self._seq, self._month = newest, month
        reread = set(changed["members"])
        reread_households = set(changed["households"])
        for part, marks in _chunks(changed["households"]):
            for hid in part:
                self._households.pop(hid, None)
            for hid, village, head in db.query(f"{_HOUSEHOLDS} AND id IN ({marks})", part):
                self._households[hid] = (village, self._villages.get(village, ""), head)
        regrant: set[str] = set()  # people whose programmes or pension may differ
        for part, marks in _chunks(changed["income_items"]):
            for iid in part:
                if iid in self._pensions:
                    regrant.add(self._pensions.pop(iid))
            for iid, mid in db.query(f"{_PENSIONS} AND id IN ({marks})", part):
                self._pensions[iid] = mid
                regrant.add(mid)
        self._pensioners = set(self._pensions.values())
        for part, marks in _chunks(changed["enrolments"]):
            for eid in part:
                self._enrolments.pop(eid, None)
            for row in db.query(f"{_ENROLMENTS} AND id IN ({marks})", (*_IN_FORCE, *part)):
                self._enrolments[row[0]] = row[1:]
        whole, own = _paid(self._enrolments, month)
        for hid in _differing(self._whole, whole):
            regrant.update(self._members_of().get(hid, ()))
        regrant |= _differing(self._own, own)
        self._whole, self._own = whole, own
        self._patch(db, reread, reread_households, regrant)

    def _patch(self, db: Any, reread: set[str], households: set[str], regrant: set[str]) -> None:
        """Re-read the members *reread* and every member of *households*; give the people *regrant*
        their programmes and pension anew; replace each in a copy of the index."""
        rows: dict[str, tuple[Any, ...]] = {}
        for part, marks in _chunks(sorted(reread)):
            rows.update((r[0], r) for r in db.query(f"{_MEMBERS} AND id IN ({marks})", part))
        for part, marks in _chunks(sorted(households)):
            rows.update((r[0], r) for r in db.query(f"{_MEMBERS} AND household_id IN ({marks})", part))
        gone = set(reread)
        for hid in households:
            gone.update(self._members_of().get(hid, ()))
        new: dict[str, dc.Person | None] = dict.fromkeys(gone)
        for mid, row in rows.items():
            new[mid] = self._person(row)
        for mid in regrant - new.keys():
            p = self._persons.get(mid)
            if p is None:
                continue
            programmes = self._whole.get(p.household_id, _NONE) if p.alive else _NONE
            if mid in self._own:
                programmes = programmes | self._own[mid]
            pension = mid in self._pensioners
            if programmes != p.programmes or pension != p.pension:
                new[mid] = p._replace(programmes=programmes, pension=pension)
        if new:
            self._replace(db, new)

    def _replace(self, db: Any, new: dict[str, dc.Person | None]) -> None:
        by_id = dict(self._index.by_id)
        by_name_birth = dict(self._index.by_name_birth)
        persons = self._persons
        self._members_of()  # before any person leaves it
        order = _TableOrder(db)
        for mid, p in new.items():
            old = persons.pop(mid, None)
            if old is not None:
                self._leave_household(old)
                _drop_from(by_name_birth, old)
                if old.id_number:
                    self._release(by_id, old, order)
            if p is None:
                continue
            persons[mid] = p
            self._members_of().setdefault(p.household_id, []).append(mid)
            if p.birth_date is not None:
                key = (dc.name_key(p.name), p.birth_date)
                together = [*by_name_birth.get(key, ()), p]
                if len(together) > 1:
                    together.sort(key=lambda q: order.of(q.member_id))
                by_name_birth[key] = together
            if p.id_number:
                self._claim(by_id, p, order)
        self._index = dc.RegisterIndex(by_id, by_name_birth)

    def _leave_household(self, p: dc.Person) -> None:
        members = self._members_of()
        mids = members.get(p.household_id)
        if mids is not None:
            mids.remove(p.member_id)
            if not mids:
                del members[p.household_id]

    def _release(self, by_id: dict[str, dc.Person], old: dc.Person, order: _TableOrder) -> None:
        number = old.id_number
        holders = self._shared.get(number)
        if holders is None:
            if by_id.get(number) is old:
                del by_id[number]
            return
        holders.remove(old.member_id)
        if len(holders) == 1:
            del self._shared[number]
        by_id[number] = self._persons[max(holders, key=order.of)]

    def _claim(self, by_id: dict[str, dc.Person], p: dc.Person, order: _TableOrder) -> None:
        number = p.id_number
        held = by_id.get(number)
        if held is None or held.member_id == p.member_id:
            by_id[number] = p
            return
        holders = self._shared.setdefault(number, [held.member_id])
        holders.append(p.member_id)
        by_id[number] = self._persons[max(holders, key=order.of)]


def _drop_from(by_name_birth: dict[tuple[str, date], list[dc.Person]], p: dc.Person) -> None:
    if p.birth_date is None:
        return
    key = (dc.name_key(p.name), p.birth_date)
    rest = [q for q in by_name_birth.get(key, ()) if q.member_id != p.member_id]
    if rest:
        by_name_birth[key] = rest
    else:
        by_name_birth.pop(key, None)


class _TableOrder:
    """Members' places in their table (rid), read only for the few a patch has to order."""

    def __init__(self, db: Any) -> None:
        self._db = db
        self._known: dict[str, int] = {}

    def of(self, mid: str) -> int:
        if mid not in self._known:
            self._known[mid] = int(self._db.scalar("SELECT rid FROM members WHERE id = ?", (mid,)) or 0)
        return self._known[mid]


_REGISTERS: weakref.WeakKeyDictionary[Any, RegisterCache] = weakref.WeakKeyDictionary()
_REGISTERS_LOCK = threading.Lock()


def kept_for(root: Any) -> RegisterCache:
    """The register index kept for the session *root* (made empty on first use)."""
    with _REGISTERS_LOCK:
        kept = _REGISTERS.get(root)
        if kept is None:
            kept = _REGISTERS[root] = RegisterCache()
    return kept


def forget(root: Any) -> None:
    """Let go of the index kept for the session *root*."""
    with _REGISTERS_LOCK:
        _REGISTERS.pop(root, None)
