"""The few register facts the printed lists need about a household, read in one pass.

The roster, the bank's list, the 增减变动表 and the 公示 list all print a payment or an
application next to its household: village, head, head's ID number, members, bank. No
service returns those for a whole month at once, so they are read here in chunks (a county
pays some ten thousand households), and only by the report builders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ...domain import months
from ...domain.idnumber import mask as mask_id
from .. import permissions
from ..households import village_names

if TYPE_CHECKING:
    from .context import ReportContext

CHUNK = 500
DRAFT = "草稿（本月未月结）"


@dataclass
class MemberFacts:
    id: str
    name: str
    id_number: str
    relation: str
    deceased_on: date | None


@dataclass
class HouseholdFacts:
    id: str
    village_code: str
    village: str
    head_name: str
    bank_name: str
    bank_account: str
    official_relative: bool
    members: list[MemberFacts] = field(default_factory=list)

    @property
    def head(self) -> MemberFacts | None:
        return next((m for m in self.members if m.relation == "本人"), None)

    def living(self, month: str) -> list[MemberFacts]:
        """Members counted for *month* (alive on its 1st, as the roster counts them)."""
        return [m for m in self.members if months.alive_in(m.deceased_on, month)]

    def member(self, member_id: str) -> MemberFacts | None:
        return next((m for m in self.members if m.id == member_id), None)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def household_facts(ctx: ReportContext, ids: Iterable[str]) -> dict[str, HouseholdFacts]:
    """Facts for the households *ids* (deleted ones included: a paid line still names its household)."""
    db = ctx.s.db
    names = village_names(db)
    wanted = sorted(set(ids))
    out: dict[str, HouseholdFacts] = {}
    for chunk in _chunks(wanted):
        marks = ",".join("?" for _ in chunk)
        for hid, village, head, bank, account, relative in db.query(
            "SELECT id, village_code, head_name, bank_name, bank_account, official_relative "
            f"FROM households WHERE id IN ({marks})",
            tuple(chunk),
        ):
            out[hid] = HouseholdFacts(
                hid, village, names.get(village, village), head, bank or "", account or "", bool(relative)
            )
        for mid, hid, name, number, relation, died in db.query(
            "SELECT id, household_id, name, id_number, relation, deceased_on FROM members "
            f"WHERE deleted = 0 AND household_id IN ({marks}) "
            "ORDER BY CASE relation WHEN '本人' THEN 0 WHEN '配偶' THEN 1 ELSE 2 END, birth_date",
            tuple(chunk),
        ):
            if hid in out:
                out[hid].members.append(
                    MemberFacts(mid, name, number or "", relation, date.fromisoformat(died) if died else None)
                )
    return out


def village_of_request(ctx: ReportContext) -> str:
    """The chosen village's printed name, or ""."""
    code = ctx.request.village
    return village_names(ctx.s.db).get(code, code) if code else ""


def subtitle(ctx: ReportContext, *parts: str, draft: bool | None = None) -> str:
    """填报单位 and the request's programme and village, then 草稿 while the month is open
    (or when *draft* says so: a list printed from locked lines only is no draft)."""
    items = [f"填报单位：{ctx.township}", *(p for p in parts if p)]
    if draft is None:
        draft = not ctx.s.monthly_close.closed(ctx.request.month)
    if draft:
        items.append(DRAFT)
    return "　".join(items)


class IdShown:
    """Full ID numbers and accounts for a role allowed to see them; masked, and said once, otherwise."""

    def __init__(self, ctx: ReportContext):
        self.full = ctx.s.can(permissions.VIEW_FULL_ID)
        self.warned = False
        self.ctx = ctx

    def __call__(self, number: str, warnings: list[str]) -> str:
        if self.full or not number:
            return number
        if not self.warned:
            warnings.append("当前用户无权查看完整身份证号和账号，表中已遮挡；请由经办人或审核人打印。")
            self.warned = True
        return mask_id(number)
