"""Care-service ledgers named in the notice: 重度残疾人照料 and 三留守关爱 (docs/domain.md §7.2)."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from ..domain.entities import CareRecord, Member, ValidationError
from ..errors import InvalidInput
from . import permissions
from .base import Service
from .households import village_names


@dataclass
class CarePerson:
    member: Member
    village: str
    head_name: str
    last_record: CareRecord | None


class CareService(Service):
    def people(self, ledger: str) -> list[CarePerson]:
        """Who belongs in the ledger: grade 1–2 disability, or a 三留守 person; alive, not archived."""
        where = "disability_grade IN (1, 2)" if ledger == "重度残疾人照料" else "left_behind != ''"
        members = self.store.repo(Member).where(
            f"{where} AND deceased_on IS NULL AND household_id IN (SELECT id FROM households WHERE archived = 0)",
            order="household_id",
        )
        names = village_names(self.db)
        heads = {hid: (v, head) for hid, v, head in self.db.query("SELECT id, village_code, head_name FROM households")}
        latest: dict[str, CareRecord] = {}
        for r in self.store.repo(CareRecord).where("ledger = ?", (ledger,), order="visit_date"):
            latest[r.member_id] = r
        out = []
        for m in self.s.households._mask_members(members):
            v, head = heads.get(m.household_id, ("", ""))
            out.append(CarePerson(m, names.get(v, v), head, latest.get(m.id)))
        return out

    def add(self, record: CareRecord) -> CareRecord:
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        record = copy.deepcopy(record)
        record.id = ""
        member = self.store.repo(Member).get(record.member_id)
        if member is None:
            raise InvalidInput("所选对象不在户档案中。")
        record.household_id = member.household_id
        try:
            record.validate()
        except ValidationError as exc:
            raise InvalidInput(exc.message, field=exc.field) from None
        with self.store.transaction():
            self.store.save(record, self.s.user.username, f"{record.ledger}记录")
        return record

    def records(self, member_id: str) -> list[CareRecord]:
        return self.store.repo(CareRecord).where("member_id = ?", (member_id,), order="visit_date DESC")
