"""The household register: add, edit, archive; search and list for the UI.

Searching and sorting happen in the database; the list screen asks for ids
first and fetches only the rows it shows (docs/architecture.md §8).
"""

from __future__ import annotations

import copy
import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..db.store import AuditEntry
from ..domain import idnumber
from ..domain.entities import HOUSEHOLD_CATEGORIES, Household, Member, ValidationError
from ..domain.workflow import IN_FORCE, TERMINAL
from ..errors import ChangedMeanwhile, InvalidInput, NotFound
from . import permissions
from .base import CHANGED_MEANWHILE, Service
from .search_text import initials_and_pinyin


@dataclass
class HouseholdQuery:
    text: str = ""  # name, pinyin initials or any part of an ID number
    village_code: str = ""
    category: str = ""
    min_risk: int = 0
    overdue_on: date | None = None  # only households under watch with no visit in this month
    include_archived: bool = False
    only_archived: bool = False  # the 显示已归档 view: archived households alone, to look at or restore
    order: str = "village"  # village | head | risk | updated


@dataclass
class HouseholdRow:
    id: str
    village: str
    head_name: str
    head_id_number: str
    size: int
    categories: list[str]
    risk_level: int
    last_visit: str
    archived: bool


_ORDERS = {
    "village": "h.village_code, h.head_name",
    "head": "h.head_name, h.village_code",
    "risk": "h.risk_level DESC, h.village_code, h.head_name",
    "updated": "h.updated_at DESC",
}


def _invalid(exc: ValidationError, where: str = "", item: int | None = None) -> InvalidInput:
    return InvalidInput(f"{where}{exc.message}", field=exc.field, item=item)


class HouseholdService(Service):
    # --- writing ---------------------------------------------------------------

    def add(self, household: Household, members: list[Member], *, moved_in: bool = False) -> Household:
        """Create a household with its members, in one transaction. ``moved_in``: a family the
        county moved here (HandoverService.accept), who may be people this township once released."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        household = copy.deepcopy(household)
        members = [copy.deepcopy(m) for m in members]
        household.id = ""
        self._check(household, members)
        if not moved_in:
            self._not_moved_away(members)
        with self.store.transaction():
            self.store.save(household, self.s.user.username, "新增户")
            for m in members:
                m.id = ""
                m.household_id = household.id
                self.store.save(m, self.s.user.username, "新增成员")
                self._index(m)
        return household

    def update(self, household: Household, members: list[Member]) -> Household:
        """Save the household and its full member list; members left out are marked deleted.

        ``household`` and ``members`` are what :meth:`get` returned, edited: their ``updated_at`` is
        the version read. If anyone saved this household or one of these members since, nothing is
        written and :class:`ChangedMeanwhile` says so. A change to the members also moves the
        household's own version, so a member added or removed elsewhere is caught here too.
        """
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        household = copy.deepcopy(household)
        members = [copy.deepcopy(m) for m in members]
        full = self.s.can(permissions.VIEW_FULL_ID)
        with self.store.transaction():
            # The members first: a refusal that names the member someone else changed says the most.
            old_members = {m.id: m for m in self._members(household.id)} if household.id else {}
            for i, m in enumerate(members):
                if not m.id:
                    continue
                what = f"第 {i + 1} 名成员（{m.name or '未填姓名'}）"
                old = old_members.get(m.id)
                if old is None or old.updated_at != m.updated_at:
                    raise ChangedMeanwhile(f"{what}{CHANGED_MEANWHILE}", item=i)
                self.store.clock.observe(old.updated_at)
                if not full and m.id_number == idnumber.mask(old.id_number):
                    # This role was shown the masked number; unchanged, it stands for the stored one.
                    m.id_number = old.id_number
            before = self.current(Household, household.id, household.updated_at, "这一户")
            self._check(household, members)
            self._not_moved_away(members, only_new=True)
            members_changed = False
            keep = set()
            for m in members:
                m.household_id = household.id
                old = old_members.get(m.id)
                if old is None:
                    m.id = ""
                    self.store.save(m, self.s.user.username, "新增成员")
                    members_changed = True
                elif _changed(old, m):
                    self.store.save(m, self.s.user.username, "修改成员", before=old)
                    members_changed = True
                keep.add(m.id)
                self._index(m)
            for mid, old in old_members.items():
                if mid not in keep:
                    gone = dataclasses.replace(old, deleted=True)
                    self.store.save(gone, self.s.user.username, "删除成员", before=old)
                    self.db.execute("DELETE FROM member_search WHERE member_id = ?", (mid,))
                    members_changed = True
            if _changed(before, household) or members_changed:
                # The household's version covers its member list (and the list's "recently updated" order).
                action = "修改户" if _changed(before, household) else "修改户成员"
                self.store.save(household, self.s.user.username, action, before=before)
            else:
                household = before
        return self._masked(household)

    def archive(self, household_id: str, reason: str, read_version: str | None = None) -> Household:
        """Archive the household; ``read_version`` is the ``updated_at`` the user saw (see :meth:`update`)."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        seen, _ = self._unmasked(household_id)
        if not reason.strip():
            raise InvalidInput("归档需写明原因。", field="archived_reason")
        with self.store.transaction():
            before = self.current(Household, household_id, read_version or seen.updated_at, "这一户")
            open_ = self.db.query(
                "SELECT programme, status FROM enrolments WHERE household_id = ? AND deleted = 0 "
                f"AND status NOT IN ({','.join('?' for _ in TERMINAL)}) ORDER BY programme",
                (household_id, *sorted(TERMINAL)),
            )
            paying = sorted({p for p, st in open_ if st in IN_FORCE})
            if paying:
                raise InvalidInput(f"该户仍在享受{'、'.join(paying)}，请先办理停保（写明理由）再归档。")
            if open_:
                # An application under way (e.g. in 公示) would be lost from every list with the household.
                steps = "、".join(f"{p}（{st}）" for p, st in open_)
                raise InvalidInput(f"该户有尚未办结的申请：{steps}；请先办结（批准或不予批准）再归档。")
            after = dataclasses.replace(before, archived=True, archived_reason=reason.strip())
            self.store.save(after, self.s.user.username, "归档户", before=before)
        return self._masked(after)

    def restore(self, household_id: str, read_version: str | None = None) -> Household:
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        seen, _ = self._unmasked(household_id)
        with self.store.transaction():
            before = self.current(Household, household_id, read_version or seen.updated_at, "这一户")
            if not before.archived:
                raise InvalidInput(f"户主为 {before.head_name} 的户没有归档，无需恢复。")
            # A family handed over to another township lives there now; bringing it back here would
            # make two live records of the same people in two offices, where no check can see both.
            if self.db.scalar(
                "SELECT 1 FROM handover_replies WHERE household_id = ? AND side = '迁出' AND deleted = 0",
                (household_id,),
            ):
                raise InvalidInput(f"户主为 {before.head_name} 的户已迁往其他乡镇，不能恢复。")
            after = dataclasses.replace(before, archived=False, archived_reason="")
            # While archived, its people may have been registered elsewhere; never two live records.
            for m in self._members(household_id):
                other = self.db.scalar(
                    "SELECT h.head_name FROM members m JOIN households h ON h.id = m.household_id "
                    "WHERE m.id_number = ? AND m.deleted = 0 AND m.household_id != ? "
                    "AND h.archived = 0 AND h.deleted = 0",
                    (m.id_number, household_id),
                )
                if other is not None:
                    raise InvalidInput(f"{m.name} 已登记在户主为 {other} 的户中，不能恢复这一户；请先核对。")
            self.store.save(after, self.s.user.username, "恢复户", before=before)
        return self._masked(after)

    def _check(self, household: Household, members: list[Member]) -> None:
        if not members:
            raise InvalidInput("一户至少要有一名成员（户主）。", field="members")
        heads = [m for m in members if m.relation == "本人"]
        if len(heads) != 1:
            raise InvalidInput(
                "每户须有且只有一名与户主关系为“本人”的成员。",
                field="relation",
                item=members.index(heads[1]) if len(heads) > 1 else None,
            )
        household.head_name = heads[0].name.strip()
        try:
            household.validate()
        except ValidationError as exc:
            raise _invalid(exc) from None
        seen: dict[str, int] = {}
        for i, m in enumerate(members, start=1):
            try:
                m.validate()
            except ValidationError as exc:
                raise _invalid(exc, f"第 {i} 名成员（{m.name or '未填姓名'}）：", item=i - 1) from None
            if m.id_number in seen:
                raise InvalidInput(
                    f"第 {i} 名成员的身份证号与第 {seen[m.id_number]} 名相同。", field="id_number", item=i - 1
                )
            seen[m.id_number] = i
            other = self._holder(m.id_number, household.id or "")
            if other is not None:
                _hid, head, village = other
                raise InvalidInput(
                    f"第 {i} 名成员 {m.name} 的身份证号已登记在{village}户主为 {head} 的户中。",
                    field="id_number",
                    item=i - 1,
                )

    def _not_moved_away(self, members: list[Member], *, only_new: bool = False) -> None:
        """Refuse to register anew a person this township released with their household through a
        hand-over: they live in the other township now, and a record here would make them live in
        two offices, where no check sees both. ``only_new``: members already saved are not checked."""
        # A database opened before its hand-over tables exist (a migration's own test) released nobody.
        if not self.db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'handover_replies'"):
            return
        for i, m in enumerate(members):
            if only_new and m.id:
                continue
            found = self.db.query(
                "SELECT ho.township_code FROM members m "
                "JOIN handover_replies r ON r.household_id = m.household_id AND r.side = '迁出' AND r.deleted = 0 "
                "JOIN handovers ho ON ho.id = r.handover_id AND ho.household_id = r.household_id "
                "WHERE m.id_number = ? AND m.deleted = 0 AND r.owner_office = ? "
                "ORDER BY r.done_on DESC LIMIT 1",
                (m.id_number, self.s.office.code),
            )
            if found:
                township = self.store.office_name(str(found[0][0]))
                raise InvalidInput(
                    f"{m.name} 已随户迁往{township}，不能在本乡镇重新登记。",
                    field="id_number",
                    item=i,
                )

    def _holder(self, id_number: str, household_id: str) -> tuple[str, str, str] | None:
        row = self.db.query(
            "SELECT h.id, h.head_name, h.village_code FROM members m JOIN households h ON h.id = m.household_id "
            "WHERE m.id_number = ? AND m.deleted = 0 AND m.household_id != ? AND h.archived = 0 AND h.deleted = 0 "
            "LIMIT 1",
            (id_number, household_id),
        )
        if not row:
            return None
        hid, head, vcode = row[0]
        return hid, head, village_names(self.db).get(vcode, vcode)

    def registered_elsewhere(self, id_number: str, household_id: str = "") -> tuple[str, str, str] | None:
        """(household id, head, village) of the living household other than ``household_id`` that
        already holds this ID number, so the editor can offer to open it; None when there is none."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        return self._holder(idnumber.clean(id_number), household_id)

    def _index(self, m: Member) -> None:
        initials, pinyin = initials_and_pinyin(m.name)
        self.db.execute(
            "INSERT INTO member_search(member_id, household_id, initials, pinyin) VALUES (?, ?, ?, ?)",
            (m.id, m.household_id, initials, pinyin),
        )

    # --- reading ---------------------------------------------------------------

    def get(self, household_id: str) -> tuple[Household, list[Member]]:
        """The household and its members as this role may see them (ID numbers masked unless allowed)."""
        household, members = self._unmasked(household_id)
        return self._masked(household), self._mask_members(members)

    def members(self, household_id: str) -> list[Member]:
        """The living members, ID numbers masked unless the role may see them in full."""
        return self._mask_members(self._members(household_id))

    def _unmasked(self, household_id: str) -> tuple[Household, list[Member]]:
        """Full ID numbers, for the services' own use (the rules read birth dates from them).

        Never hand these to a caller: :meth:`get` is what leaves the services.
        """
        household = self.store.repo(Household).get(household_id)
        if household is None or household.deleted:
            raise NotFound("没有找到这一户（可能已被删除）。")
        return household, self._members(household_id)

    def _members(self, household_id: str) -> list[Member]:
        return self.store.repo(Member).where(
            "household_id = ?",
            (household_id,),
            order="CASE relation WHEN '本人' THEN 0 WHEN '配偶' THEN 1 ELSE 2 END, birth_date",
        )

    def _masked(self, household: Household) -> Household:
        return household  # the household row holds no ID number; kept so every way out is one place

    def _mask_members(self, members: list[Member]) -> list[Member]:
        if self.s.can(permissions.VIEW_FULL_ID):
            return members
        # The birth date goes too: with the region and the last four shown, it would complete the number.
        return [dataclasses.replace(m, id_number=idnumber.mask(m.id_number), birth_date=None) for m in members]

    def history(self, household_id: str) -> list[AuditEntry]:
        """The audit lines of the household, its members, income items, enrolments and their steps.

        ``username`` carries the user's display name (王经办, not clerk1): this is what a reviewer reads
        to see who did it. ID numbers are masked as in :meth:`get`.
        """
        row_ids = [
            r[0]
            for r in self.db.query(
                "SELECT id FROM members WHERE household_id = ? "
                "UNION ALL SELECT id FROM income_items WHERE household_id = ? "
                "UNION ALL SELECT id FROM enrolments WHERE household_id = ? "
                "UNION ALL SELECT st.id FROM enrolment_steps st JOIN enrolments e ON e.id = st.enrolment_id "
                "WHERE e.household_id = ?",
                (household_id,) * 4,
            )
        ]
        entries = self.store.history([household_id, *row_ids])
        names = dict(self.db.query("SELECT username, display_name FROM users WHERE display_name != ''"))
        entries = [dataclasses.replace(e, username=names.get(e.username, e.username)) for e in entries]
        if self.s.can(permissions.VIEW_FULL_ID):
            return entries
        return [dataclasses.replace(e, detail=_mask_detail(e.detail)) for e in entries]

    def _where(self, q: HouseholdQuery) -> tuple[str, list]:
        clauses = ["h.deleted = 0"]
        params: list[object] = []
        if q.only_archived:
            clauses.append("h.archived = 1")
        elif not q.include_archived:
            clauses.append("h.archived = 0")
        if q.village_code:
            clauses.append("h.village_code = ?")
            params.append(q.village_code)
        if q.category:
            # The category as the list shows it (see _shown_categories): stored, or a programme in force.
            in_force = (
                "EXISTS (SELECT 1 FROM enrolments e WHERE e.household_id = h.id AND e.deleted = 0 "
                f"AND e.status IN ({','.join('?' for _ in IN_FORCE)})"
            )
            stored = "EXISTS (SELECT 1 FROM json_each(h.categories) WHERE value = ?)"
            if q.category == GENERAL:
                clauses.append(f"{stored} AND NOT {in_force} AND e.programme IN (SELECT value FROM json_each(?)))")
                params += [q.category, *sorted(IN_FORCE), json.dumps(PROGRAMME_CATEGORIES)]
            elif q.category in PROGRAMME_CATEGORIES:
                clauses.append(f"({stored} OR {in_force} AND e.programme = ?))")
                params += [q.category, *sorted(IN_FORCE), q.category]
            else:
                clauses.append(stored)
                params.append(q.category)
        if q.min_risk:
            clauses.append("h.risk_level >= ?")
            params.append(q.min_risk)
        if q.overdue_on is not None:
            month_start = q.overdue_on.replace(day=1).isoformat()
            clauses.append(
                "h.under_watch = 1 AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id "
                "AND v.deleted = 0 AND v.visit_date >= ?)"
            )
            params.append(month_start)
        text = q.text.strip()
        if text:
            matched, _capped = self.s.search_index.households(
                self.db, text, cap=10**9, full_ids=self.s.can(permissions.VIEW_FULL_ID)
            )
            clauses.append("h.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(matched))
        return " AND ".join(clauses), params

    def ids(self, q: HouseholdQuery) -> list[str]:
        """The households of the register list's search, in its order (capped as the list is)."""
        return self.s.register.ids(q, q.order).ids

    def count(self, q: HouseholdQuery) -> int:
        where, params = self._where(q)
        return self.db.scalar(f"SELECT count(*) FROM households h WHERE {where}", params)

    def rows(self, ids: list[str]) -> dict[str, HouseholdRow]:
        """The list columns for these households; ID numbers masked unless the role may see them."""
        if not ids:
            return {}
        full = self.s.can(permissions.VIEW_FULL_ID)
        names = village_names(self.db)
        marks = ",".join("?" for _ in ids)
        paid = self._programmes_in_force(ids)
        out = {}
        for hid, vcode, head, cats, risk, archived, head_id, size, last in self.db.execute(
            f"SELECT h.id, h.village_code, h.head_name, h.categories, h.risk_level, h.archived, "
            f"(SELECT id_number FROM members m WHERE m.household_id = h.id AND m.relation = '本人' "
            f" AND m.deleted = 0 LIMIT 1), "
            f"(SELECT count(*) FROM members m WHERE m.household_id = h.id AND m.deleted = 0 "
            f" AND m.deceased_on IS NULL), "
            f"(SELECT max(visit_date) FROM visits v WHERE v.household_id = h.id AND v.deleted = 0) "
            f"FROM households h WHERE h.id IN ({marks})",
            ids,
        ):
            out[hid] = HouseholdRow(
                id=hid,
                village=names.get(vcode, vcode),
                head_name=head,
                head_id_number=(head_id or "") if full else idnumber.mask(head_id or ""),
                size=size,
                categories=shown_categories(json.loads(cats), paid.get(hid, ())),
                risk_level=risk,
                last_visit=last or "",
                archived=bool(archived),
            )
        return out

    def _programmes_in_force(self, ids: list[str]) -> dict[str, list[str]]:
        """Per household, the programmes it is paid under now (在保 or 渐退), that are also 户类别."""
        out: dict[str, list[str]] = {}
        for hid, programme in self.db.query(
            f"SELECT DISTINCT household_id, programme FROM enrolments WHERE deleted = 0 "
            f"AND household_id IN ({','.join('?' for _ in ids)}) "
            f"AND status IN ({','.join('?' for _ in IN_FORCE)}) ORDER BY programme",
            (*ids, *sorted(IN_FORCE)),
        ):
            if programme in PROGRAMME_CATEGORIES:
                out.setdefault(hid, []).append(programme)
        return out

    def categories(self, household_id: str) -> list[str]:
        """The household's 户类别 as shown: what was recorded, with the programmes in force."""
        household, _ = self._unmasked(household_id)
        return shown_categories(household.categories, self._programmes_in_force([household_id]).get(household_id, ()))

    def find_people(self, text: str, limit: int = 20) -> list[tuple[str, str, str, str]]:
        """(household id, member name, masked-or-full ID, village) for a search-as-you-type box,
        through the in-memory search index (see RegisterQueries.find_people)."""
        return self.s.register.find_people(text, limit)


GENERAL = "一般户"
# Programmes that are also a 户类别: a household paid under one of them is of that category.
PROGRAMME_CATEGORIES = sorted({"低保", "特困"} & set(HOUSEHOLD_CATEGORIES))


def shown_categories(stored: list[str], in_force) -> list[str]:
    """The 户类别 a clerk sees: the recorded ones plus the programmes in force, in the vocabulary's
    order; 一般户 goes once a programme makes the household something else (an approved 低保
    household showed 一般户 while its category was typed only at registration)."""
    cats = set(stored) | set(in_force)
    if set(in_force):
        cats.discard(GENERAL)
    return [c for c in HOUSEHOLD_CATEGORIES if c in cats] + sorted(cats - set(HOUSEHOLD_CATEGORIES))


def village_names(db) -> dict[str, str]:
    return {
        code: name.replace("村委会", "村").replace("居委会", "居")
        for code, name in db.query("SELECT code, name FROM divisions WHERE level = 'village'")
    }


def _changed(before, after) -> bool:
    skip = {"updated_at", "updated_by"}
    return any(
        getattr(before, f.name) != getattr(after, f.name) for f in dataclasses.fields(before) if f.name not in skip
    )


def _mask_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """An audit entry's fields with every ``id_number`` value masked, however deep."""
    return {k: (_mask_value(v) if k == "id_number" else _mask_nested(v)) for k, v in detail.items()}


def _mask_nested(detail: object) -> object:
    if isinstance(detail, dict):
        return _mask_detail(detail)
    if isinstance(detail, list):
        return [_mask_nested(v) for v in detail]
    return detail


def _mask_value(value: object) -> object:
    if isinstance(value, str):
        return idnumber.mask(value)
    if isinstance(value, list):  # a change: [before, after]
        return [_mask_value(v) for v in value]
    return value
