"""A household that moves to another township: an audited hand-over through the county (issue 10).

A township owns its households and nobody else may write them, so a move cannot be an edit of the
household. The county decides it instead, as a :class:`Handover` row it owns, carrying what the
receiving township needs to register the family (the household's facts and its living members) and
travelling in the county's packages to both townships (``ownership.addressed_to``). Each township
then does its own part on its own rows and says so in a :class:`HandoverReply` it owns, which
travels back to the county:

- the receiver *accepts*: it registers a new household of its own (new ids) in one of its villages;
- the sender *releases*: it stops the household's assistance from the next month and archives it
  with the reason 迁出.

So the person ends up once as a living member (at the receiver), the sender's record stays as
history, and the county sees both sides arrive.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..db.repository import to_dict
from ..db.sync_rows import row_from_dict
from ..domain import ownership
from ..domain.divisions import DivisionError, normalize_code, township_code_of
from ..domain.entities import (
    HANDOVER_ACCEPTED,
    HANDOVER_DONE,
    HANDOVER_RELEASED,
    HANDOVER_WITHDRAWN,
    PROGRAMMES,
    Enrolment,
    Handover,
    HandoverReply,
    Household,
    Member,
    ValidationError,
    handover_sides,
    handover_status,
)
from ..domain.workflow import IN_FORCE, TERMINAL, Status
from ..errors import AlreadyExists, InvalidInput, NotFound, PermissionDenied
from . import permissions
from .base import Service

COUNTY_NAME = "县民政局"
RELEASED_REASON = "迁出"  # the archive reason starts with it: the county's lists read it so

# The household's facts that move with it. Not its village, group or address (the receiver gives
# new ones), not the 近亲属备案 (it names the old village's cadres), and not the bookkeeping.
HOUSEHOLD_FACTS = (
    "head_name",
    "phone",
    "categories",
    "risk_level",
    "urban",
    "under_watch",
    "poverty_causes",
    "housing",
    "bank_name",
    "bank_account",
    "notes",
)
_MEMBER_SKIPPED = frozenset({"id", "owner_office", "updated_at", "updated_by", "deleted", "household_id"})


@dataclass(frozen=True)
class HandoverView:
    """A hand-over with the names a person reads and what each township has done about it.

    ``accepted`` and ``released`` are the parts this office can vouch for: at the county, a reply
    borne out by the rows it holds (the receiver's new household; the sender's household archived
    as 迁出); at a township, its own reply. ``status`` is the whole: at the county what it holds, at
    a township the county's recorded status with the township's own part added.
    """

    handover: Handover
    from_name: str
    to_name: str
    head_name: str
    accepted: HandoverReply | None
    released: HandoverReply | None
    status: str


def snapshot_of(household: Household, members: list[Member]) -> dict[str, Any]:
    """What the receiver needs to register the family: the household's facts and its living members."""
    facts = to_dict(household)
    living = [m for m in members if not m.deleted and m.deceased_on is None]
    return {
        "household": {k: facts[k] for k in HOUSEHOLD_FACTS},
        "members": [{k: v for k, v in to_dict(m).items() if k not in _MEMBER_SKIPPED} for m in living],
    }


def registered_from(snapshot: dict[str, Any], village_code: str, note: str) -> tuple[Household, list[Member]]:
    """A new household (no id, no owner yet) in *village_code* with the snapshot's members."""
    facts = dict(snapshot.get("household", {}))
    # A programme's category follows an enrolment, and the receiver has none yet.
    facts["categories"] = [c for c in facts.get("categories", []) if c not in PROGRAMMES]
    facts["notes"] = "\n".join(t for t in (note, str(facts.get("notes", "")).strip()) if t)
    household = _fresh(Household, {**facts, "village_code": village_code})
    members = [_fresh(Member, m) for m in snapshot.get("members", [])]
    return household, members  # type: ignore[return-value]


def _fresh(cls: type[Household] | type[Member], values: dict[str, Any]) -> Household | Member:
    """An entity of *cls* from the snapshot's values over the defaults, dates read back from ISO text."""
    data = {**to_dict(cls()), **{k: v for k, v in values.items() if k not in _MEMBER_SKIPPED}}
    try:
        return row_from_dict(cls, data)  # type: ignore[return-value]
    except ValueError as exc:
        raise InvalidInput(f"迁移资料不完整，无法登记：{exc}。") from None


class HandoverService(Service):
    # --- the county decides --------------------------------------------------------------

    def start(self, household_id: str, to_township: str, on: date, reason: str) -> Handover:
        """The county approves a household's move to *to_township* (9- or 12-digit code)."""
        permissions.require(self.s.user, permissions.COUNTY_DECIDE)
        if self.s.office.kind != ownership.COUNTY:
            raise PermissionDenied("跨乡镇迁移只能由县民政局批准。")
        household, members = self.s.households._unmasked(household_id)
        if household.archived:
            raise InvalidInput(f"户主为 {household.head_name} 的户已归档，不能迁移。")
        open_ = self._open_for(household_id)
        if open_ is not None:
            raise AlreadyExists(
                f"户主为 {household.head_name} 的户已在办理迁往{self._name(open_.township_code)}的手续。"
            )
        target = self._township(to_township)
        source = township_code_of(household.village_code)
        if target == source:
            raise InvalidInput(f"迁入乡镇不能是该户现在所在的{self._name(source)}。", field="township_code")
        if on > date.today():
            raise InvalidInput("批准日期不能晚于今天。", field="decided_on")
        if not reason.strip():
            raise InvalidInput("请写明迁移原因。", field="reason")
        snapshot = snapshot_of(household, members)
        if not any(m.get("relation") == "本人" for m in snapshot["members"]):
            raise InvalidInput(f"户主为 {household.head_name} 的户没有在世的户主（本人），请乡镇先变更户主再迁移。")
        handover = Handover(
            household_id=household.id,
            from_township=source,
            township_code=target,
            snapshot=snapshot,
            reason=reason.strip(),
            decided_on=on,
        )
        try:
            handover.validate()
        except ValidationError as exc:
            raise InvalidInput(exc.message, field=exc.field) from None
        with self.store.transaction():
            self.store.save(
                handover, self.s.user.username, f"批准跨乡镇迁移：{self._name(source)}→{self._name(target)}"
            )
        return handover

    def withdraw(self, handover_id: str, reason: str) -> Handover:
        """The county takes back a move neither township has acted on yet. Its own row, withdrawn and
        with the reason noted, goes to both townships in the next package and leaves their queues."""
        permissions.require(self.s.user, permissions.COUNTY_DECIDE)
        if self.s.office.kind != ownership.COUNTY:
            raise PermissionDenied("跨乡镇迁移只能由县民政局撤回。")
        before = self.store.repo(Handover).get(handover_id)
        if before is None or before.deleted:
            raise NotFound("找不到这项跨乡镇迁移。")
        if before.owner_office != self.s.office.code:
            raise PermissionDenied("这项跨乡镇迁移不是本单位批准的，不能撤回。")
        if before.withdrawn:
            raise InvalidInput("这项跨乡镇迁移已经撤回过了。")
        if not reason.strip():
            raise InvalidInput("请写明撤回原因。", field="reason")
        with self.store.transaction():
            # Under the write lock: a township's part may have arrived with an import meanwhile.
            current = self.store.repo(Handover).get(handover_id) or before
            (view,) = self._views("id = ?", (handover_id,))
            # What the county recorded, or what the rows it holds already bear out.
            accepted, released = handover_sides(current.status)
            if accepted or released or view.accepted or view.released:
                done = current.status if accepted or released else view.status
                raise InvalidInput(
                    f"户主为 {view.head_name} 的户迁往{view.to_name}的手续{done}，乡镇已经办理，不能再撤回。"
                )
            after = dataclasses.replace(
                current,
                withdrawn=True,
                status=HANDOVER_WITHDRAWN,
                reason=f"{current.reason}（{COUNTY_NAME}撤回：{reason.strip()}）",
            )
            self.store.save(after, self.s.user.username, "撤回跨乡镇迁移", before=current)
        return after

    # --- reading ----------------------------------------------------------------------------

    def views(self) -> list[HandoverView]:
        """Every hand-over this office holds (at the county all; at a township those about it),
        newest first, with what each township has done."""
        return self._views("deleted = 0")

    def for_household(self, household_id: str) -> HandoverView | None:
        """The hand-over of this household not withdrawn (the sender's banner, the county's line)."""
        found = self._views("deleted = 0 AND withdrawn = 0 AND household_id = ?", (household_id,))
        return found[0] if found else None

    def incoming(self) -> list[HandoverView]:
        """At a receiving township: the households the county moved here, not yet registered."""
        found = self._views("deleted = 0 AND withdrawn = 0 AND township_code = ?", (self.s.office.code,))
        return [v for v in found if v.accepted is None]

    def outgoing(self) -> list[HandoverView]:
        """At a sending township: the households the county moved away, not yet released."""
        found = self._views("deleted = 0 AND withdrawn = 0 AND from_township = ?", (self.s.office.code,))
        return [v for v in found if v.released is None]

    def _views(self, where: str, params: tuple[str, ...] = ()) -> list[HandoverView]:
        found = self.store.repo(Handover).where(where, params, order="decided_on DESC, id DESC")
        if not found:
            return []
        at_county = self.s.office.kind == ownership.COUNTY
        out = []
        for h in found:
            held = self.db.scalar("SELECT head_name FROM households WHERE id = ?", (h.household_id,))
            head = str(held or h.snapshot.get("household", {}).get("head_name", ""))
            accepted, released = self._borne_out(h) if at_county else self._own_parts(h)
            if at_county:
                status = handover_status(accepted=bool(accepted), released=bool(released), withdrawn=h.withdrawn)
            else:
                county_accepted, county_released = handover_sides(h.status)
                status = handover_status(
                    accepted=county_accepted or accepted is not None,
                    released=county_released or released is not None,
                    withdrawn=h.withdrawn,
                )
            out.append(
                HandoverView(
                    h, self._name(h.from_township), self._name(h.township_code), head, accepted, released, status
                )
            )
        return out

    def _own_parts(self, h: Handover) -> tuple[HandoverReply | None, HandoverReply | None]:
        """At a township: its own 接收 (as the receiver) and 迁出 of this very household (as the sender)."""
        me = self.s.office.code
        accepted = self._reply(h.id, HANDOVER_ACCEPTED, owner=me) if h.township_code == me else None
        released = self._released(h) if h.from_township == me else None
        return accepted, released

    def _borne_out(self, h: Handover) -> tuple[HandoverReply | None, HandoverReply | None]:
        """At the county: each township's reply, only when the rows the county holds bear it out."""
        accepted = self._reply(h.id, HANDOVER_ACCEPTED, owner=h.township_code)
        if accepted is not None and not self.db.scalar(
            "SELECT 1 FROM households WHERE id = ? AND owner_office = ? AND deleted = 0",
            (accepted.household_id, h.township_code),
        ):
            accepted = None  # the receiver's new household has not arrived
        released = self._reply(h.id, HANDOVER_RELEASED, owner=h.from_township, household_id=h.household_id)
        if released is not None and not self.db.scalar(
            "SELECT 1 FROM households WHERE id = ? AND owner_office = ? AND archived = 1 AND deleted = 0 "
            "AND archived_reason LIKE ?",
            (h.household_id, h.from_township, f"{RELEASED_REASON}%"),
        ):
            released = None  # the household archived as 迁出 has not arrived (or is not so)
        return accepted, released

    # --- the county records where each stands ------------------------------------------------

    def record_progress(self) -> int:
        """At the county, after an import: write on each hand-over's own row the status its rows bear
        out, so that the next package tells each township of the other's part. Audited like any
        write; run inside the import's transaction. Returns how many rows changed."""
        if self.s.office.kind != ownership.COUNTY:
            return 0
        changed = 0
        with self.store.transaction():
            for view in self._views("deleted = 0 AND status != ?", (HANDOVER_DONE,)):
                before = view.handover
                if view.status == before.status:
                    continue
                after = dataclasses.replace(before, status=view.status)
                self.store.save(after, self.s.user.username, f"跨乡镇迁移：{view.status}", before=before)
                changed += 1
        return changed

    # --- the townships' parts ---------------------------------------------------------------

    def accept(self, handover_id: str, village_code: str, on: date | None = None) -> Household:
        """At the receiver: register the family as a new household of this township, in one transaction."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        handover = self._handover(handover_id)
        if handover.township_code != self.s.office.code:
            raise PermissionDenied(f"这项迁移是迁入{self._name(handover.township_code)}的，不是迁入本乡镇的。")
        on = on or date.today()
        if on > date.today():
            raise InvalidInput("接收日期不能晚于今天。", field="done_on")
        village = normalize_code(village_code) if village_code.isdigit() else village_code
        known = self.db.scalar("SELECT 1 FROM divisions WHERE code = ? AND level = 'village'", (village,))
        if not known or not ownership.village_in_township(village, self.s.office.code):
            raise InvalidInput(f"请选择本乡镇的村（{village_code or '未选'}不在本乡镇）。", field="village_code")
        note = (
            f"由{self._name(handover.from_township)}迁入（原户编号 {handover.household_id}，"
            f"{COUNTY_NAME}{handover.decided_on}批准：{handover.reason}）。"
        )
        household, members = registered_from(copy.deepcopy(handover.snapshot), village, note)
        with self.store.transaction():
            # Checked under the write lock: two clerks accepting at once must not register the family twice.
            if self._reply(handover.id, HANDOVER_ACCEPTED, owner=self.s.office.code) is not None:
                raise AlreadyExists("这一户已经接收过了，不能再次接收。")
            created = self.s.households.add(household, members, moved_in=True)
            reply = HandoverReply(
                handover_id=handover.id,
                household_id=created.id,
                side=HANDOVER_ACCEPTED,
                done_on=on,
                note=f"已登记在{self._name(village)}",
            )
            self.store.save(reply, self.s.user.username, "接收迁入户")
        return created

    def release(self, handover_id: str, on: date | None = None) -> Household:
        """At the sender: stop the household's assistance from the next month and archive it (迁出),
        through the enrolment and household services, in one transaction."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        handover = self._handover(handover_id)
        if handover.from_township != self.s.office.code:
            raise PermissionDenied(f"这一户属于{self._name(handover.from_township)}，不能由本乡镇办理迁出。")
        if self._released(handover) is not None:
            raise AlreadyExists("这一户已经办理过迁出了。")
        household, _members = self.s.households._unmasked(handover.household_id)
        if household.archived:
            raise InvalidInput(f"户主为 {household.head_name} 的户已归档（{household.archived_reason}），无需再迁出。")
        on = on or date.today()
        if on > date.today():
            raise InvalidInput("迁出日期不能晚于今天。", field="done_on")
        to = self._name(handover.township_code)
        why = f"户迁往{to}（{COUNTY_NAME}{handover.decided_on}批准：{handover.reason}）"
        with self.store.transaction():
            if self._released(handover) is not None:  # again, under the write lock
                raise AlreadyExists("这一户已经办理过迁出了。")
            open_ = self.store.repo(Enrolment).where(
                f"household_id = ? AND deleted = 0 AND status NOT IN ({','.join('?' for _ in TERMINAL)})",
                (household.id, *sorted(TERMINAL)),
            )
            for e in open_:
                # Paid ones stop from the next month; an application not decided is withdrawn.
                step = Status.STOPPED if e.status in IN_FORCE else Status.WITHDRAWN
                self.s.enrolments.advance(e.id, step, on=on, note=why)
            archived = self.s.households.archive(household.id, f"{RELEASED_REASON}：{why}")
            reply = HandoverReply(
                handover_id=handover.id,
                household_id=household.id,
                side=HANDOVER_RELEASED,
                done_on=on,
                note=f"已停保并归档（{RELEASED_REASON}）",
            )
            self.store.save(reply, self.s.user.username, "办理迁出")
        return archived

    # --- helpers ----------------------------------------------------------------------------

    def _handover(self, handover_id: str) -> Handover:
        handover = self.store.repo(Handover).get(handover_id)
        if handover is None or handover.deleted:
            raise NotFound("找不到这项跨乡镇迁移。")
        if handover.withdrawn:
            raise InvalidInput("这项跨乡镇迁移已被县民政局撤回。")
        return handover

    def _open_for(self, household_id: str) -> Handover | None:
        found = self.store.repo(Handover).where("household_id = ? AND deleted = 0 AND withdrawn = 0", (household_id,))
        return found[0] if found else None

    def _released(self, handover: Handover) -> HandoverReply | None:
        """This township's 迁出 of the hand-over's own household (a reply naming another does not count)."""
        return self._reply(handover.id, HANDOVER_RELEASED, owner=self.s.office.code, household_id=handover.household_id)

    def _reply(self, handover_id: str, side: str, *, owner: str, household_id: str = "") -> HandoverReply | None:
        """The newest reply on *side* by *owner* (about *household_id*, when given)."""
        where = "handover_id = ? AND side = ? AND owner_office = ? AND deleted = 0"
        params: tuple[str, ...] = (handover_id, side, owner)
        if household_id:
            where, params = f"{where} AND household_id = ?", (*params, household_id)
        found = self.store.repo(HandoverReply).where(where, params, order="updated_at DESC")
        return found[0] if found else None

    def _township(self, code: str) -> str:
        try:
            full = township_code_of(code)
        except DivisionError:
            full = ""
        if not full or not self.db.scalar("SELECT 1 FROM divisions WHERE code = ? AND level = 'town'", (full,)):
            raise InvalidInput(f"迁入乡镇“{code}”不在本县的区划表中。", field="township_code")
        return full

    def _name(self, code: str) -> str:
        return self.store.office_name(code)
