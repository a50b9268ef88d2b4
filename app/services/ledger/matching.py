"""What a ledger's households would create or change in the register, worked out in a few bulk reads.

Members are found by ID number, and their household through them: importing the same ledger again
finds every person it created and changes nothing, and a changed phone number changes only that.
A person is never registered twice: a ledger household whose people are already in two households,
or in an archived one, is refused with the reason, for a person to sort out.

The drafts hold the entities as they would be saved; :meth:`Drafts.write` saves the changed ones with
``store.bulk_save`` (a 6,000-household ledger in seconds), parents first so that a new member gets
its new household's id.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from ...domain import months, workflow
from ...domain.divisions import normalize_code, short_name
from ...domain.entities import PROGRAMMES, Enrolment, EnrolmentStep, Household, Member, Syncable, ValidationError
from ...domain.idnumber import mask
from ...domain.phone import phone_problem
from ...domain.report import yuan
from ...domain.sheet_layout import Cell
from .. import permissions
from ..enrolments import HOUSEHOLD_PROGRAMMES
from ..search_text import initials_and_pinyin
from . import fields as f
from .grouping import LedgerHousehold, LedgerRow

IMPORT_NOTE = "导入"  # the flag an imported enrolment carries (its reason and its step's note)
_SKIP = {"updated_at", "updated_by"}
# Not what a person changed: ids and links are set by the import itself, the search text follows the name.
_NOT_SHOWN = _SKIP | {"id", "household_id", "member_id", "created_at", "created_by", "version", "deleted"}


S = TypeVar("S", bound=Syncable)


def _copy(obj: S) -> S:
    """A copy to edit: a household's, member's or enrolment's only mutable fields are lists of text
    (deepcopy is ten times slower)."""
    out = copy.copy(obj)
    for x in dataclasses.fields(obj):
        value = getattr(obj, x.name)
        if isinstance(value, list):
            setattr(out, x.name, list(value))
    return out


def changed(before: Syncable | None, after: Syncable) -> bool:
    if before is None:
        return True
    return any(
        getattr(before, x.name) != getattr(after, x.name) for x in dataclasses.fields(before) if x.name not in _SKIP
    )


@dataclass
class Draft:
    obj: Syncable
    before: Syncable | None = None

    @property
    def creates(self) -> bool:
        return self.before is None

    @functools.cached_property
    def changes(self) -> bool:
        """Asked once the draft is complete (its parent's id is set later, not compared)."""
        return changed(self.before, self.obj)


def differences(draft: Draft) -> dict[str, list[object]]:
    """An updated row's changed fields, ``{field: [old, new]}``, as a person would read them."""
    if draft.before is None:
        return {}
    out: dict[str, list[object]] = {}
    for x in dataclasses.fields(draft.before):
        if x.name in _NOT_SHOWN:
            continue
        old, new = getattr(draft.before, x.name), getattr(draft.obj, x.name)
        if old != new:
            out[x.name] = [_shown(x.name, old), _shown(x.name, new)]
    return out


def _shown(name: str, value: object) -> object:
    if name in {"id_number", "disability_cert"} and isinstance(value, str) and value:
        return mask(value)
    if name == "monthly_amount_fen" and isinstance(value, int):
        return yuan(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def amount_note(before: Enrolment, after: Enrolment) -> str:
    """The step an import records when it changes an approved amount (amounts are set at 审批)."""
    return f"台账导入：月保障金由 {yuan(before.monthly_amount_fen)} 元改为 {yuan(after.monthly_amount_fen)} 元"


@dataclass
class HouseholdDraft:
    household: Draft
    members: list[tuple[Draft, LedgerRow]] = field(default_factory=list)
    # (enrolment, the member draft it covers or None for the household's)
    enrolments: list[tuple[Draft, Draft | None]] = field(default_factory=list)
    # Enrolments the ledger asks for that this user may not record (amounts are set at 审批).
    withheld: list[tuple[Draft, LedgerRow]] = field(default_factory=list)
    first_row: LedgerRow | None = None


@dataclass
class Drafts:
    households: list[HouseholdDraft] = field(default_factory=list)

    def counts(self) -> tuple[dict[str, int], dict[str, int], int]:
        """(rows created per table, rows updated per table, rows left as they are): what
        :meth:`write` writes, the enrolment steps included."""
        create: dict[str, int] = {}
        update: dict[str, int] = {}
        same = 0
        for d in self._all():
            table = d.obj.TABLE
            if d.creates:
                create[table] = create.get(table, 0) + 1
            elif d.changes:
                update[table] = update.get(table, 0) + 1
            else:
                same += 1
        steps = sum(1 for e in self._enrolments() if e.creates or _amount_changed(e))
        if steps:
            create[EnrolmentStep.TABLE] = steps
        return create, update, same

    def _enrolments(self) -> Iterable[Draft]:
        for h in self.households:
            yield from (e for e, _ in h.enrolments)

    def updates(self) -> list[tuple[LedgerRow, Draft]]:
        """Every existing row the import changes, with the ledger row it comes from."""
        out: list[tuple[LedgerRow, Draft]] = []
        for h in self.households:
            first = h.first_row if h.first_row is not None else h.members[0][1]
            if not h.household.creates and h.household.changes:
                out.append((first, h.household))
            out.extend((row, m) for m, row in h.members if not m.creates and m.changes)
            rows = {id(m): row for m, row in h.members}
            out.extend((rows.get(id(covered), first), e) for e, covered in h.enrolments if not e.creates and e.changes)
        return out

    @property
    def withheld(self) -> list[tuple[Draft, LedgerRow]]:
        return [w for h in self.households for w in h.withheld]

    def _all(self) -> Iterable[Draft]:
        for h in self.households:
            yield h.household
            yield from (m for m, _ in h.members)
            yield from (e for e, _ in h.enrolments)

    @property
    def touches_enrolments(self) -> bool:
        return any(e.changes for e in self._enrolments())

    def write(self, store, username: str, file_label: str) -> None:
        """Save every changed row, parents before children (call inside ``store.transaction()``)."""
        # Every draft was validated when it was made (a refusal there names its row instead of
        # failing the whole import here), so the store need not validate them again.
        store.bulk_save([h.household.obj for h in self.households if h.household.changes], username, validate=False)
        members: list[Syncable] = []
        for h in self.households:
            for m, _row in h.members:
                m.obj.household_id = h.household.obj.id  # type: ignore[attr-defined]
                if m.changes:
                    members.append(m.obj)
        store.bulk_save(members, username, validate=False)
        store.db.executemany(
            "INSERT INTO member_search(member_id, household_id, initials, pinyin) VALUES (?, ?, ?, ?)",
            [(m.id, m.household_id, *initials_and_pinyin(m.name)) for m in members],  # type: ignore[attr-defined]
        )
        enrolments: list[Enrolment] = []
        for h in self.households:
            for e, covered in h.enrolments:
                enrolment: Enrolment = e.obj  # type: ignore[assignment]
                enrolment.household_id = h.household.obj.id
                enrolment.member_id = covered.obj.id if covered is not None else ""
                if e.changes:
                    enrolments.append(enrolment)
        created = [e for e in enrolments if not e.id]
        # An approved amount never changes without a step saying who changed it, from what to what.
        amended = [
            (e.obj, amount_note(e.before, e.obj))  # type: ignore[arg-type]
            for e in self._enrolments()
            if _amount_changed(e)
        ]
        store.bulk_save(enrolments, username, validate=False)
        today = date.today()
        steps = [
            EnrolmentStep(
                enrolment_id=e.id,
                step=workflow.Status.ENROLLED.value,
                done_on=today,
                done_by=username,
                note=f"{IMPORT_NOTE}：{file_label}",
            )
            for e in created
        ]
        steps.extend(
            EnrolmentStep(enrolment_id=e.id, step=e.status, done_on=today, done_by=username, note=note)  # type: ignore[attr-defined]
            for e, note in amended
        )
        store.bulk_save(steps, username)


def _amount_changed(draft: Draft) -> bool:
    before = draft.before
    return (
        isinstance(before, Enrolment) and before.monthly_amount_fen != draft.obj.monthly_amount_fen  # type: ignore[attr-defined]
    )


class _Refused(Exception):
    """A ledger household that cannot be imported; the message is the reason its rows get."""


class VillageBook:
    """The villages of this township by code and by the names a ledger writes (大湾村委会, 大湾村, 大湾)."""

    def __init__(self, db, office_code: str) -> None:
        self.township = normalize_code(office_code)
        self.names: dict[str, str] = {}  # code → name, every village of the county
        self.parents: dict[str, str] = {}
        self.urban: dict[str, bool] = {}
        by_name: dict[str, set[str]] = {}
        for code, parent, name, ur in db.query(
            "SELECT code, parent, name, ur_code FROM divisions WHERE level = 'village'"
        ):
            self.names[code] = name
            self.parents[code] = parent
            self.urban[code] = str(ur or "").startswith("1")
            short = short_name(name)
            for key in {name, short, short.removesuffix("村").removesuffix("居")}:
                if key:
                    by_name.setdefault(key, set()).add(code)
        self.by_name = by_name
        self.township_names = dict(db.query("SELECT code, name FROM divisions WHERE level != 'village'"))

    def resolve(self, cell: Cell) -> tuple[str, str]:
        """(village code, "") or ("", the reason the village cannot be used)."""
        raw = f.name(cell)
        if not raw:
            return "", "没有填写所在村。"
        if raw.isdigit() and len(raw) == 12:  # noqa: PLR2004 - a 12-digit division code
            if raw not in self.names:
                return "", f"村代码“{raw}”不在区划表中。"
            return self._own(raw, raw)
        for prefix in sorted(self.township_names.values(), key=len, reverse=True):
            if raw.startswith(prefix) and len(raw) > len(prefix):
                raw = raw[len(prefix) :]  # 香水镇大湾村 → 大湾村
                break
        codes = self.by_name.get(raw, set())
        mine = sorted(c for c in codes if self.parents[c] == self.township)
        if len(mine) == 1:
            return mine[0], ""
        if len(mine) > 1:
            return "", f"本乡镇有不止一个名为“{raw}”的村，请改填 12 位村代码。"
        if codes:
            return self._own(min(codes), raw)
        return "", f"本乡镇没有名为“{raw}”的村。"

    def named_in(self, text: str) -> str:
        """The one village of this township a title names (大庄村2024年低保花名册), or ""."""
        found = {
            code
            for code, name in self.names.items()
            if self.parents[code] == self.township and short_name(name) in text
        }
        return found.pop() if len(found) == 1 else ""

    def _own(self, code: str, shown: str) -> tuple[str, str]:
        if self.parents.get(code) != self.township:
            other = self.township_names.get(self.parents.get(code, ""), "其他乡镇")
            return "", f"村“{shown}”属于{other}，不属于本乡镇。"
        return code, ""


@dataclass
class EnrolmentWish:
    """What a ledger household's rows say about a programme: one household or personal enrolment."""

    programme: str
    amount_fen: int
    class_code: str
    start_month: str
    persons: int
    row: LedgerRow | None  # the person covered (personal programmes); None for the household


def amount_is_per_person(header: str) -> bool | None:
    """What a household programme's amount column holds, when its header says: 户月保障金额 is the
    household's, 人均 / 每人 / 个人 amounts add up. None: the header does not say."""
    if "户" in header:
        return False
    if any(w in header for w in ("人均", "每人", "个人", "人月")):
        return True
    return None


def wishes(
    group: LedgerHousehold, default_programme: str, this_month: str, per_person: bool | None = None
) -> list[EnrolmentWish]:
    """The enrolments a household's rows ask for; a row whose cells cannot say gets its reason.

    A household programme (低保) is paid to the household. Its amount is the household's when the
    header says so, or when every row carries the same figure (a 户月保障金 cell merged over the
    household's rows is read on each of them); per-person amounts that differ are added up.
    """
    household: dict[str, tuple[EnrolmentWish, list[int]]] = {}
    out: list[EnrolmentWish] = []
    for row in group.rows:
        try:
            amount = f.amount_fen(row.get("amount"))
            klass = f.name(row.get("class"))
            prog = f.programme(row.get("programme"))
            if klass and f.programme(klass) and not prog:
                prog, klass = f.programme(klass), ""  # a 类别 column holding 农村低保 names the programme
            if amount is None and not klass:
                continue
            if amount is None:
                raise f.CellProblem(f"有保障类别“{klass}”，但没有月保障金额。")
            named = f.name(row.get("programme"))
            if named and not prog:
                raise f.CellProblem(f"救助项目“{named}”不是可登记保障金的救助项目（可选：{'、'.join(PROGRAMMES)}）。")
            prog = prog or default_programme
            if not prog:
                raise f.CellProblem("看不出是哪个救助项目：请加一列“救助项目”，或在导入时指定项目。")
            start = f.month(row.get("start_date")) or this_month
        except f.CellProblem as exc:
            row.reason = row.reason or f"{f.name(row.get('name'))}：{exc}"
            continue
        if prog in HOUSEHOLD_PROGRAMMES:
            if prog not in household:
                wish = EnrolmentWish(prog, 0, klass, start, len(group.rows), None)
                household[prog] = (wish, [])
                out.append(wish)
            wish, amounts = household[prog]
            amounts.append(amount)
            wish.class_code = wish.class_code or klass
        else:
            out.append(EnrolmentWish(prog, amount, klass, start, 1, row))
    for wish, amounts in household.values():
        adds_up = per_person if per_person is not None else len(set(amounts)) > 1
        wish.amount_fen = sum(amounts) if adds_up else amounts[0]
    return out


class Matcher:
    """Turns valid ledger households into drafts against what the register holds now."""

    def __init__(
        self, s, default_programme: str, columns: Iterable[str], amount_header: str = "", title: str = ""
    ) -> None:
        self.s = s
        self.default_programme = default_programme
        self.columns = set(columns)
        self.per_person = amount_is_per_person(amount_header)
        self.villages = VillageBook(s.db, s.office.code)
        # A village's own ledger has no village column: its title names the village.
        self.title_village = self.villages.named_in(title)
        self.this_month = months.of(date.today())
        self._class_codes: dict[str, list[str]] = {}
        # Amounts are set at 审批: a clerk's import registers people; enrolments wait for a reviewer.
        self.may_set_amounts = permissions.allowed(s.user, permissions.APPROVE_ENROLMENT)

    def drafts(self, groups: list[LedgerHousehold]) -> Drafts:
        valid = [g for g in groups if g.valid]
        ids = [r.member.id_number for g in valid for r in g.rows if r.member is not None]
        repo_m = self.s.store.repo(Member)
        repo_h = self.s.store.repo(Household)
        by_id = {
            m.id_number: m for m in repo_m.where("id_number IN (SELECT value FROM json_each(?))", (json.dumps(ids),))
        }
        hids = sorted({m.household_id for m in by_id.values()})
        households = {h.id: h for h in repo_h.where("id IN (SELECT value FROM json_each(?))", (json.dumps(hids),))}
        family: dict[str, list[Member]] = {}
        for m in repo_m.where("household_id IN (SELECT value FROM json_each(?))", (json.dumps(hids),)):
            family.setdefault(m.household_id, []).append(m)
        # Every enrolment, ended ones too: a 停保 household must not come back 在保 from an old ledger.
        open_enrolments: dict[tuple[str, str, str], Enrolment] = {}
        stopped: dict[tuple[str, str, str], Enrolment] = {}
        for e in self.s.store.repo(Enrolment).where(
            "household_id IN (SELECT value FROM json_each(?))", (json.dumps(hids),)
        ):
            key = (e.household_id, e.programme, e.member_id)
            if e.status not in workflow.TERMINAL:
                open_enrolments[key] = e
            elif e.status == workflow.Status.STOPPED and (e.end_month or "") >= (stopped.get(key, e).end_month or ""):
                stopped[key] = e
        out = Drafts()
        seen_ids: dict[str, int] = {}
        claimed: dict[str, int] = {}  # existing household → the sheet row of the ledger household that took it
        for group in valid:
            draft = self._household(group, by_id, households, family, (open_enrolments, stopped), seen_ids, claimed)
            group.settle()
            if draft is not None and group.valid:
                out.households.append(draft)
                # Claimed only once accepted: a refused household leaves it to a later one.
                if draft.household.before is not None:
                    claimed[draft.household.before.id] = group.rows[0].data.sheet_row
        return out

    def _household(  # noqa: PLR0917 - the bulk reads, passed down from drafts()
        self, group, by_id, households, family, enrolments, seen_ids, claimed
    ) -> HouseholdDraft | None:
        for r in group.rows:
            assert r.member is not None
            if r.member.id_number in seen_ids:
                r.reason = f"{r.member.name}的身份证号与第 {seen_ids[r.member.id_number]} 行相同（在另一户中）。"
            else:
                seen_ids[r.member.id_number] = r.data.sheet_row
        if not group.valid:
            return None
        try:
            cell = group.household.get("village")
            code, problem = (
                self.villages.resolve(cell) if f.text(cell) or not self.title_village else (self.title_village, "")
            )
            if problem:
                raise _Refused(problem)
            before = self._existing(group, by_id, households, claimed)
            household = _copy(before) if before is not None else Household(urban=self.villages.urban.get(code, False))
            self._fill_household(household, group, code)
            draft = HouseholdDraft(Draft(household, before), first_row=group.rows[0])
            by_row = self._members(group, draft, by_id, family.get(before.id, []) if before is not None else [])
            household.validate()
        except _Refused as exc:
            group.refuse(str(exc))
            return None
        except (f.CellProblem, ValidationError) as exc:
            group.refuse(getattr(exc, "message", str(exc)))
            return None
        for wish in wishes(group, self.default_programme, self.this_month, self.per_person):
            member_draft = by_row[wish.row.data.row] if wish.row is not None else None
            try:
                problem = self._enrolment(draft, wish, member_draft, before, enrolments)
            except _Refused as exc:
                group.refuse(str(exc))
                return None
            if problem:
                (wish.row or group.rows[0]).reason = problem
        return draft

    def _existing(self, group, by_id, households, claimed) -> Household | None:
        """The registered household this ledger household's people are in, if any."""
        existing_ids = {by_id[r.member.id_number].household_id for r in group.rows if r.member.id_number in by_id}
        if len(existing_ids) > 1:
            heads = "、".join(sorted(households[h].head_name for h in existing_ids if h in households))
            raise _Refused(f"这一户的成员已分别登记在户主为 {heads} 的几户中，请先在户档案中核对。")
        before = households.get(next(iter(existing_ids))) if existing_ids else None
        if before is not None:
            problem = self._cannot_update(before, claimed, group.rows[0].data.sheet_row)
            if problem:
                raise _Refused(problem)
        return before

    def _members(self, group, draft: HouseholdDraft, by_id, family: list[Member]) -> dict[int, Draft]:
        """The member drafts (by data row); the household ends with exactly one living head."""
        kept = {m.id: m for m in family}
        by_row: dict[int, Draft] = {}
        for r in group.rows:
            old = by_id.get(r.member.id_number)
            member = self._member(r, old)
            if old is not None and changed(old, member):
                try:
                    member.validate()
                except ValidationError as exc:
                    raise _Refused(f"{member.name}：{exc.message}") from None
                kept[old.id] = member
            d = Draft(member, old)
            draft.members.append((d, r))
            by_row[r.data.row] = d
        new_heads = [d.obj for d, _ in draft.members if d.creates]
        heads = [
            m
            for m in [*kept.values(), *new_heads]
            if m.relation == f.HEAD_RELATION and m.deceased_on is None  # type: ignore[attr-defined]
        ]
        if len(heads) != 1:
            names = "、".join(m.name for m in heads)  # type: ignore[attr-defined]
            raise _Refused(f"导入后这一户会有 {len(heads)} 名户主（{names}），请核对与户主关系。")
        draft.household.obj.head_name = heads[0].name  # type: ignore[attr-defined]
        return by_row

    def _cannot_update(self, before: Household, claimed: dict[str, int], first: int) -> str:
        if before.archived:
            return f"这一户已登记在户主为 {before.head_name} 的已归档户中，请先在户档案中恢复或核对。"
        if before.owner_office != self.s.office.code:
            return f"这一户登记在户主为 {before.head_name} 的户中，属于其他单位，本单位不能修改。"
        if before.id in claimed:
            return f"与第 {claimed[before.id]} 行开始的户对应同一已登记的户（户主 {before.head_name}），请合并为一户。"
        return ""

    def _fill_household(self, household: Household, group: LedgerHousehold, village: str) -> None:
        cells = group.household
        household.village_code = village
        if "group" in self.columns and f.text(cells.get("group")):
            household.group_name = f.text(cells.get("group"))
        if "address" in self.columns and f.text(cells.get("address")):
            household.address = f.text(cells.get("address"))
        if "phone" in self.columns and f.text(cells.get("phone")):
            phone = f.name(cells.get("phone"))
            problem = phone_problem(phone)
            if problem:
                raise f.CellProblem(f"联系电话“{phone}”：{problem}")
            household.phone = phone
        if "bank" in self.columns and f.text(cells.get("bank")):
            household.bank_name = f.text(cells.get("bank"))
        if "account" in self.columns and f.text(cells.get("account")):
            household.bank_account = f.account(cells.get("account"))
        for row in group.rows:
            says = f.urban(row.get("programme"))
            if says is not None:
                household.urban = says

    def _member(self, row: LedgerRow, old: Member | None) -> Member:
        new = row.member
        assert new is not None
        if old is None:
            return _copy(new)
        member = _copy(old)
        member.name = new.name
        if "relation" in self.columns:
            member.relation = new.relation
            if row.relation_note and row.relation_note not in member.notes:
                member.notes = "；".join(x for x in (member.notes, row.relation_note) if x)
        if self.columns & {"disability_type", "disability_grade", "disability_cert"}:
            member.disability_type = new.disability_type
            member.disability_grade = new.disability_grade
            member.disability_cert = new.disability_cert or member.disability_cert
        for attr in ("ethnicity", "health", "labour_ability"):
            if f.text(row.get(attr)):
                setattr(member, attr, getattr(new, attr))
        if member.disability_type and member.health == "健康":
            member.health = "残疾"
        return member

    def _enrolment(self, draft, wish, member_draft, before, enrolments) -> str:
        """Adds the enrolment draft, or returns the reason its row cannot be imported; raises
        :class:`_Refused` when the whole household must stay out."""
        open_enrolments, stopped = enrolments
        who = wish.row.member.name if wish.row is not None and wish.row.member is not None else ""
        if wish.programme == "低保" and wish.class_code:
            codes = self._codes(wish.start_month)
            if wish.class_code not in codes:
                listed = "、".join(codes)
                where = f"{wish.start_month} 政策参数的类别表"
                return f"{who or '该户'}：保障类别“{wish.class_code}”不在{where}中（可选：{listed}）。"
        old = None
        if before is not None:
            member_id = member_draft.obj.id if member_draft is not None and not member_draft.creates else ""
            if wish.row is None or member_id:
                key = (before.id, wish.programme, member_id)
                old = open_enrolments.get(key)
                ended = stopped.get(key)
                if old is None and ended is not None:
                    when = ended.end_month or ended.start_month or "此前"
                    raise _Refused(
                        f"{before.head_name} 户的{wish.programme}已于 {when} 停保，不能由台账重新纳入；"
                        "如需纳入请走申请流程。"
                    )
        if old is not None and old.status not in workflow.IN_FORCE:
            return f"{who or '该户'}已有一条{wish.programme}申请（{old.status}），请先办结，再导入保障金额。"
        if old is None:
            enrolment = Enrolment(
                programme=wish.programme,
                status=workflow.Status.ENROLLED.value,
                start_month=wish.start_month,
                monthly_amount_fen=wish.amount_fen,
                class_code=wish.class_code,
                persons_covered=wish.persons,
                reason=IMPORT_NOTE,
            )
        else:
            enrolment = _copy(old)
            enrolment.monthly_amount_fen = wish.amount_fen
            enrolment.class_code = wish.class_code or enrolment.class_code
            enrolment.persons_covered = wish.persons
        enrolment.household_id = before.id if before is not None else "pending"
        try:
            enrolment.validate()
        except ValidationError as exc:
            return f"{who or '该户'}：{exc.message}"
        made = Draft(enrolment, old)
        if made.changes and not self.may_set_amounts:
            draft.withheld.append((made, wish.row or draft.first_row))
        else:
            draft.enrolments.append((made, member_draft))
        return ""

    def _codes(self, month: str) -> list[str]:
        if month not in self._class_codes:
            self._class_codes[month] = self.s.enrolments.class_codes(month)
        return self._class_codes[month]
