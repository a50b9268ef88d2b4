"""Households formed from a ledger's rows, before anything is looked up in the register.

A ledger lists people one per row. A household starts at its head (与户主关系 户主/本人, or the
row whose name is the 户主姓名), and the rows after it with another relation belong to it; where
there is a 户编号 column, it groups the rows instead. WPS ledgers merge a household's cells (户编号,
户主姓名, 住址, 电话) over its rows, and a merged cell is read only on its first row, so a blank
household cell carries down from the row above within the household.

A household is imported whole or not at all: one bad row (a damaged ID number) keeps its whole
household out, each of its other rows naming the row at fault. Half a household would be saved
with the wrong size and the wrong persons covered, and the bad row could not be re-imported alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ...domain import idnumber
from ...domain.entities import Member, ValidationError
from ...domain.sheet_layout import Cell, DataRow
from . import fields as f

# Cells that describe the household rather than the person; blank ones carry down within it.
HOUSEHOLD_FIELDS = ("village", "group", "address", "phone", "bank", "account", "head_name", "household_no")


@dataclass
class LedgerRow:
    """One data row read into a member, or the reason it cannot be."""

    data: DataRow
    member: Member | None = None
    relation_note: str = ""
    reason: str = ""

    @property
    def values(self) -> dict[str, Cell]:
        return self.data.values

    def get(self, key: str) -> Cell:
        return self.data.values.get(key)


@dataclass
class LedgerHousehold:
    rows: list[LedgerRow] = field(default_factory=list)
    household: dict[str, Cell] = field(default_factory=dict)  # the household cells, carried down
    reason: str = ""  # why the whole household cannot be imported (besides its rows' own reasons)

    @property
    def head(self) -> LedgerRow | None:
        heads = [r for r in self.rows if r.member is not None and r.member.relation == f.HEAD_RELATION]
        return heads[0] if len(heads) == 1 else None

    def refuse(self, reason: str) -> None:
        """Keep the whole household out: each row gets its own reason, or the one at fault named."""
        self.reason = self.reason or reason
        for r in self.rows:
            r.reason = r.reason or reason

    def settle(self) -> None:
        """If any row is bad, the household is: its good rows name the first bad row."""
        bad = next((r for r in self.rows if r.reason), None)
        if bad is None:
            return
        for r in self.rows:
            if not r.reason:
                r.reason = f"同户第 {bad.data.sheet_row} 行有误（{bad.reason.rstrip('。')}），整户未导入。"
        self.reason = self.reason or bad.reason

    @property
    def valid(self) -> bool:
        return not any(r.reason for r in self.rows)


def read_member(row: DataRow, has_relation: bool, fixed: idnumber.IdRepair | None = None) -> LedgerRow:
    """The member a row describes, validated by the entity as the household editor does; *fixed* is
    the row's ID number as repaired with its column (``idnumber.repair_column``), when known."""
    out = LedgerRow(row)
    v = row.values
    who = f.name(v.get("name"))
    fixed = fixed or idnumber.repair(v.get("id_number"))
    if fixed.status != "ok" or fixed.number is None:
        what = {"empty": "没有身份证号", "id_damaged": "身份证号已损坏", "id_invalid": "身份证号无效"}[fixed.status]
        out.reason = f"{who or '（无姓名）'}{what}：{fixed.note}" if fixed.note else f"{who}{what}。"
        return out
    try:
        rel, note = f.relation(v.get("relation")) if has_relation else ("", "")
        kind = f.disability_type(v.get("disability_type"))
        grade = f.disability_grade(v.get("disability_grade"))
        cert = f.text(v.get("disability_cert")).replace(" ", "").upper()
        if cert and not kind and not grade:
            kind, grade = f.from_certificate(cert)
        member = Member(
            name=who,
            id_number=fixed.number,
            relation=rel or f.HEAD_RELATION,
            disability_type=kind,
            disability_grade=grade,
            disability_cert=cert,
            notes=note,
        )
        if v.get("ethnicity") is not None:
            member.ethnicity = f.ethnicity(v.get("ethnicity")) or member.ethnicity
        if f.health(v.get("health")):
            member.health = f.health(v.get("health"))
        if f.labour_ability(v.get("labour_ability")):
            member.labour_ability = f.labour_ability(v.get("labour_ability"))
        if member.disability_type and member.health == "健康":
            member.health = "残疾"
        member.validate()
    except f.CellProblem as exc:
        out.reason = f"{who}：{exc}"
        return out
    except ValidationError as exc:
        out.reason = f"{who or '（无姓名）'}：{exc.message}"
        return out
    out.member = member
    out.relation_note = note
    out.member.relation = rel  # "" when the ledger has no relation column; decided by grouping
    return out


def group_rows(rows: Iterable[LedgerRow], columns: Iterable[str]) -> list[LedgerHousehold]:
    """The ledger's households, in the order they appear; rows that fit none form refused ones."""
    have = set(columns)
    by_number = "household_no" in have
    has_relation = "relation" in have
    has_head_name = "head_name" in have
    groups: list[LedgerHousehold] = []
    numbered: dict[str, LedgerHousehold] = {}
    current: LedgerHousehold | None = None
    number = ""
    for row in rows:
        cells = {k: row.get(k) for k in HOUSEHOLD_FIELDS if f.text(row.get(k))}
        who = f.name(row.get("name"))
        head_name = f.name(cells.get("head_name"))
        starts = _starts_household(row, who, head_name, has_relation, has_head_name)
        if by_number:
            # A merged 户编号 is read on the household's first row only: a blank one carries down.
            number = f.text(cells.get("household_no")) or ("" if starts else number)
            if not number:
                groups.append(_refused(row, f"{who}：户编号为空。"))
                continue
            group = numbered.get(number)
            if group is None:
                group = numbered[number] = LedgerHousehold()
                groups.append(group)
        elif starts or not (has_relation or has_head_name):
            group = LedgerHousehold()
            groups.append(group)
        elif current is not None and (not head_name or head_name == _head_name(current)):
            group = current
        else:
            groups.append(_refused(row, f"{who}：这一行之前没有户主行（与户主关系为“户主”或“本人”的行）。"))
            current = None
            continue
        for key, value in cells.items():
            group.household.setdefault(key, value)
        group.rows.append(row)
        current = group
        if row.member is not None and not row.member.relation:
            # No relation given: the 户主姓名 names the head, or, with neither column, each row is one.
            if not (has_relation or has_head_name) or (has_head_name and who == _head_name(group)):
                row.member.relation = f.HEAD_RELATION
            else:
                row.member.relation = "其他"
                row.member.notes = row.member.notes or "台账未填与户主关系。"
    for group in groups:
        _check_heads(group)
        group.settle()
    return groups


def _refused(row: LedgerRow, reason: str) -> LedgerHousehold:
    group = LedgerHousehold([row])
    group.refuse(reason)
    return group


def _head_name(group: LedgerHousehold) -> str:
    given = f.name(group.household.get("head_name"))
    if given:
        return given
    head = group.head
    return head.member.name if head is not None and head.member is not None else ""


def _starts_household(row: LedgerRow, who: str, head_name: str, has_relation: bool, has_head_name: bool) -> bool:
    if has_relation:
        rel, _ = f.relation(row.get("relation"))
        if rel == f.HEAD_RELATION:
            return True
        if rel:
            return False
    return has_head_name and bool(head_name) and who == head_name


def _check_heads(group: LedgerHousehold) -> None:
    heads = [r for r in group.rows if r.member is not None and r.member.relation == f.HEAD_RELATION]
    if len(heads) > 1:
        rows = "、".join(str(r.data.sheet_row) for r in heads)
        group.refuse(f"同一户有两名户主（第 {rows} 行），请核对与户主关系。")
    elif not heads and all(r.member is not None for r in group.rows):
        group.refuse("这一户没有户主行（与户主关系为“户主”或“本人”的行）。")
    seen: dict[str, int] = {}
    for r in group.rows:
        if r.member is None:
            continue
        if r.member.id_number in seen and not r.reason:
            r.reason = f"{r.member.name}的身份证号与同户第 {seen[r.member.id_number]} 行相同。"
        seen.setdefault(r.member.id_number, r.data.sheet_row)
