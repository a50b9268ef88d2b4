"""Monthly payment rosters, holiday one-offs, the 增减名单 diff, and corrections of locked months.

Pure calculation. The service layer turns :class:`RosterLine` into ``entities.Payment`` rows.

* A line is paid for ``month`` when ``start_month ≤ month ≤ end_month`` and at least one covered
  member is alive on the 1st of the month (the month of death is paid; later months never).
* 低保 差额: when the enrolment carries its assessed per-capita income, the amount is recomputed with the
  standard in force that month: (standard − income) × living persons. Otherwise the approved amount is
  scaled to the living persons (rounded down to the fen). 定额 / 标准×比例 classes use the month's figures.
* 渐退: paid at the approved amount (scaled to living persons) for ``grace_months`` months from
  ``grace_since``; from the next month no line is produced.
* 特困, 高龄, 孤儿, and the two disability subsidies use the month's figures for the enrolled person.
* Locked lines are never changed: :func:`corrections` produces new ``correction`` lines (± difference).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from .. import money, months
from .eligibility import per_person_amount
from .model import ORPHAN_AGE_LIMIT
from .params import Params

KEY = tuple[str, str, str]  # (household_id, programme, member_id or "")


@dataclass(frozen=True)
class CoveredMember:
    member_id: str
    birth_date: date | None = None
    deceased_on: date | None = None


@dataclass(frozen=True)
class EnrolmentInForce:
    enrolment_id: str
    household_id: str
    programme: str
    start_month: str
    members: tuple[CoveredMember, ...]
    class_code: str = ""
    urban: bool = False
    single_person: bool = False
    monthly_amount_fen: int = 0  # approved amount
    approved_persons: int = 0  # persons the approved amount was for (0 = len(members))
    per_capita_income_fen: int | None = None  # 低保: assessed per-capita monthly income
    end_month: str | None = None
    grace_since: str | None = None  # 渐退期 first month


@dataclass(frozen=True)
class RosterLine:
    month: str
    household_id: str
    programme: str
    amount_fen: int
    persons: int
    enrolment_id: str = ""
    class_code: str = ""
    member_id: str = ""  # set for personal programmes and 单人保
    member_ids: tuple[str, ...] = ()  # everyone this line pays for
    kind: str = "regular"  # regular / holiday / correction
    flags: tuple[str, ...] = ()
    note: str = ""

    @property
    def key(self) -> KEY:
        return (self.household_id, self.programme, self.member_id)


PERSONAL = ("特困", "高龄补贴", "孤儿基本生活费", "困难残疾人生活补贴", "重度残疾人护理补贴")


def _line_for(e: EnrolmentInForce, month: str, params: Params) -> RosterLine | None:
    if months.diff(month, e.start_month) < 0 or (e.end_month and months.diff(month, e.end_month) > 0):
        return None
    living = [m for m in e.members if months.alive_in(m.deceased_on, month)]
    if not living:
        return None
    line = RosterLine(
        month=month,
        household_id=e.household_id,
        programme=e.programme,
        amount_fen=0,
        persons=0,
        enrolment_id=e.enrolment_id,
        class_code=e.class_code,
        member_id=living[0].member_id if (e.single_person or e.programme in PERSONAL) else "",
        member_ids=tuple(m.member_id for m in living),
    )
    if e.programme == "低保":
        return _dibao_line(e, month, params, len(living), line)
    amt = _personal_amount(e, living[0], month, params)
    return replace(line, amount_fen=amt, persons=1) if amt is not None and amt > 0 else None


def _dibao_line(e: EnrolmentInForce, month: str, params: Params, n: int, line: RosterLine) -> RosterLine | None:
    """The household's 低保 line for ``month`` with ``n`` members alive; ``line`` holds everything but the amount."""
    approved_n = e.approved_persons or len(e.members)
    if e.grace_since:
        k = months.diff(month, e.grace_since) + 1
        if k > params.grace_months or k < 1:
            return None
        amt = money.div_floor(e.monthly_amount_fen * min(n, approved_n), approved_n) if approved_n else 0
        return replace(
            line,
            amount_fen=amt,
            persons=min(n, approved_n),
            flags=("渐退",),
            note=f"渐退期第 {k}/{params.grace_months} 个月",
        )
    standard = params.standard_monthly_fen(e.urban)
    cls = params.class_or_default(e.class_code)
    if cls.rule != "差额" or e.per_capita_income_fen is not None:
        per, _ = per_person_amount(cls, e.per_capita_income_fen or 0, standard, params, e.urban)
        amt = per * n
    else:
        amt = money.div_floor(e.monthly_amount_fen * min(n, approved_n), approved_n) if approved_n else 0
    flags = ("单人保",) if e.single_person else ()
    return replace(line, amount_fen=max(0, amt), persons=n, flags=flags) if amt > 0 else None


def _personal_amount(e: EnrolmentInForce, m: CoveredMember, month: str, params: Params) -> int | None:
    """The month's amount of a personal programme for ``m``; ``None`` when the programme pays nothing monthly."""
    first = months.first_day(month)
    if e.programme == "特困":
        basic = params.tekun_basic_monthly_fen(e.urban) or 0
        return basic + params.tekun_care_monthly_fen.get(e.class_code, 0)
    if e.programme == "高龄补贴":
        if m.birth_date is None:
            return e.monthly_amount_fen
        on = months.last_day(month) if params.gaoling_count_birthday_month else first
        return params.gaoling_amount_fen(months_age(m.birth_date, on))
    if e.programme == "孤儿基本生活费":
        if m.birth_date is not None and months_age(m.birth_date, first) >= ORPHAN_AGE_LIMIT:
            return None
        return params.orphan_monthly_fen.get(e.class_code, e.monthly_amount_fen)
    if e.programme == "困难残疾人生活补贴":
        return params.disability_living_monthly_fen or 0
    if e.programme == "重度残疾人护理补贴":
        return params.disability_care_monthly_fen.get(e.class_code.rstrip("级"), 0)
    return None  # 临时救助 and 低收入 are not monthly payments


def months_age(birth: date, on: date) -> int:
    from ..idnumber import age_on

    return age_on(birth, on)


def roster_for_month(enrolments_in_force: Iterable[EnrolmentInForce], month: str, params: Params) -> list[RosterLine]:
    """The month's regular payment lines, ordered by household, programme and member."""
    lines = [ln for e in enrolments_in_force if (ln := _line_for(e, month, params)) is not None]
    return sorted(lines, key=lambda ln: (ln.household_id, ln.programme, ln.member_id, ln.enrolment_id))


# --- holiday one-offs ----------------------------------------------------------


@dataclass(frozen=True)
class HolidayBatch:
    """An ad-hoc holiday payment (docs/domain.md §2.10): amount per person (or per household) for listed programmes."""

    name: str
    month: str
    amount_fen: int
    programmes: tuple[str, ...] = ("低保", "特困")
    per_person: bool = True


def holiday_lines(batch: HolidayBatch, eligible: Iterable[RosterLine]) -> list[RosterLine]:
    """One holiday line per household; a person covered by several programmes is paid once."""
    if batch.amount_fen < 0:
        raise ValueError("节日补贴金额不能为负。")
    people: dict[str, set[str]] = {}
    for ln in eligible:
        if ln.kind != "regular" or ln.programme not in batch.programmes or ln.amount_fen <= 0:
            continue
        ids = ln.member_ids or (ln.member_id or f"{ln.household_id}#{ln.programme}",)
        people.setdefault(ln.household_id, set()).update(ids)
    out = []
    for hh, covered in sorted(people.items()):
        n = len(covered)
        amt = batch.amount_fen * n if batch.per_person else batch.amount_fen
        out.append(
            RosterLine(
                month=batch.month,
                household_id=hh,
                programme=batch.name,
                amount_fen=amt,
                persons=n,
                member_ids=tuple(sorted(covered)),
                kind="holiday",
                note=f"{batch.name}：{money.yuan(batch.amount_fen)} 元" + (f" × {n} 人" if batch.per_person else "/户"),
            )
        )
    return out


# --- 动态管理增减名单 -------------------------------------------------------------

CHANGE_TYPES = ("新增", "停保", "增发", "减发", "户内增人", "户内减人", "类别调整", "渐退")


@dataclass(frozen=True)
class ChangeEntry:
    change: str
    household_id: str
    programme: str
    member_id: str
    month: str
    persons_before: int
    persons_after: int
    amount_before_fen: int
    amount_after_fen: int
    class_before: str = ""
    class_after: str = ""
    reason: str = ""


def diff_rosters(
    prev_lines: Iterable[RosterLine], new_lines: Iterable[RosterLine], reasons: Mapping[KEY, str] | None = None
) -> list[ChangeEntry]:
    """The 增减名单 between two months' regular rosters. ``reasons`` may give a reason per line key."""
    reasons = reasons or {}
    prev = {ln.key: ln for ln in prev_lines if ln.kind == "regular"}
    new = {ln.key: ln for ln in new_lines if ln.kind == "regular"}
    out: list[ChangeEntry] = []
    for key in sorted(set(prev) | set(new)):
        a, b = prev.get(key), new.get(key)
        if a is None:
            assert b is not None  # the key is in one roster at least
            kind, why = "新增", "新纳入保障"
            month = b.month
        elif b is None:
            kind, why = "停保", "停止保障"
            month = months.add(a.month, 1)
        else:
            month = b.month
            if "渐退" in b.flags and "渐退" not in a.flags:
                kind, why = "渐退", "收入超过低保标准，进入渐退期"
            elif a.class_code != b.class_code:
                kind, why = "类别调整", f"类别由“{a.class_code}”调整为“{b.class_code}”"
            elif b.persons > a.persons:
                kind, why = "户内增人", f"保障人数 {a.persons} → {b.persons}"
            elif b.persons < a.persons:
                kind, why = "户内减人", f"保障人数 {a.persons} → {b.persons}"
            elif b.amount_fen > a.amount_fen:
                kind, why = "增发", "金额增加（标准或收入变化）"
            elif b.amount_fen < a.amount_fen:
                kind, why = "减发", "金额减少（标准或收入变化）"
            else:
                continue
        out.append(
            ChangeEntry(
                kind,
                key[0],
                key[1],
                key[2],
                month,
                a.persons if a else 0,
                b.persons if b else 0,
                a.amount_fen if a else 0,
                b.amount_fen if b else 0,
                a.class_code if a else "",
                b.class_code if b else "",
                reasons.get(key, why),
            )
        )
    return out


def corrections(
    locked_lines: Iterable[RosterLine], recomputed: Iterable[RosterLine], note: str = ""
) -> list[RosterLine]:
    """Correction lines (new rows, ± difference) for a locked month; the locked lines are left as they are.

    What was already paid for a key is its regular line plus every correction locked since, so a
    second rebuild after an approved correction adds nothing more.
    """
    paid: dict[KEY, int] = {}
    locked: dict[KEY, RosterLine] = {}
    for ln in locked_lines:
        if ln.kind not in ("regular", "correction"):
            continue
        paid[ln.key] = paid.get(ln.key, 0) + ln.amount_fen
        if ln.kind == "regular" or ln.key not in locked:
            locked[ln.key] = ln
    again = {ln.key: ln for ln in recomputed if ln.kind == "regular"}
    out: list[RosterLine] = []
    for key in sorted(set(locked) | set(again)):
        a, b = locked.get(key), again.get(key)
        before = paid.get(key, 0)
        after = b.amount_fen if b else 0
        if before == after:
            continue
        src = b or a
        assert src is not None  # the key is in one of the two at least
        out.append(
            replace(
                src,
                amount_fen=after - before,
                kind="correction",
                flags=("更正",),
                persons=b.persons if b else 0,
                note=f"更正 {src.month}：原发 {money.yuan(before)} 元，应发 {money.yuan(after)} 元"
                + (f"；{note}" if note else ""),
            )
        )
    return out
