"""``doudi simulate``: months of made-up township activity on a demo office, through the services.

The exchange between offices needs a second and a third package with something real in them, and
a demo needs a register that moves. So each simulated month does what a township office does,
through the same service calls a clerk's screens make (every change with its change-log and audit
rows): the monthly home visits, income changes, a birth, a death, a household registered, a few
applications moving 申请 → 入户调查 → 公示 → 审核审批 → 在保 or 不予批准 (now and then withdrawn),
the alerts run and followed up, the roster built and locked, and the month closed.

The clerk's work is done as the demo's clerk and the decisions as its reviewer (app/services/demo.py
DEMO_STAFF), because the services check roles. Each month's choices come from a ``random.Random``
seeded with the seed and the month, and every list is put in a fixed order before choosing, so the
same demo and seed give the same activity.

The services refuse a visit or a workflow step dated after today (the real clock), so only months
up to the current one can be played; in the current month, what falls after today is left out.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..demo import names
from ..domain import idnumber, months, vocab, workflow
from ..domain.entities import Household, IncomeRecord, Member, Visit
from ..domain.workflow import Status
from ..errors import AuthFailed, InvalidInput
from .demo import DEMO_STAFF, is_demo
from .session import Session

DEFAULT_SEED = 2021
MAX_MONTHS = 24

# Days of the month on which each kind of work is done; the month is closed by the 25th.
NEW_HOUSEHOLD_DAY, APPLY_DAY, INCOME_DAY, SURVEY_DAY = 3, 4, 5, 6
PUBLICITY_FROM_DAY, WITHDRAW_DAY, BIRTH_DAY, DEATH_DAY, DECISION_DAY = 8, 9, 10, 12, 16
VISITS_FROM_DAY, VISITS_TO_DAY = 2, 20
ALERTS_DAY, FOLLOW_UP_DAY, CLOSE_DAY = 21, 22, 24

VISIT_SHARE = (0.85, 1.0)  # of the households due, visited this month
NOT_ASSURED_SHARE = 0.08  # of visits finding an item of 两不愁三保障 not assured
FOLLOW_UPS = 2  # alerts followed by a 回访 and closed each month
OLD_AGE = 65  # a death is drawn among members at least this old
MOTHER_AGES = (20, 42)

ITEM_NOTES = {
    "food_ok": "家中存粮不足一个月，已联系村委会送米面油。",
    "clothing_ok": "冬衣不足，已登记冬季救助物资。",
    "schooling_ok": "子女辍学在家，已联系学校劝返。",
    "medical_ok": "慢性病药费负担重，未办门诊慢特病卡，已指导申请。",
    "housing_ok": "房屋后墙开裂，已报住建部门鉴定。",
    "water_ok": "自来水冬季冻管停水，已报村委会维修。",
}
WITHDRAW_NOTE = "申请人表示家中已有人外出务工，收入好转，自愿撤回申请。"


@dataclass
class Counts:
    """What the simulation did, as ``doudi simulate --json`` prints it."""

    months: list[str] = field(default_factory=list)
    visits: int = 0
    visits_not_assured: int = 0
    income_changes: int = 0
    births: int = 0
    deaths: int = 0
    households_added: int = 0
    applications: int = 0
    steps: int = 0
    approvals: int = 0
    refusals: int = 0
    withdrawals: int = 0
    alerts_raised: int = 0
    alerts_closed: int = 0
    roster_lines: int = 0
    months_closed: int = 0

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def refuse_unless_demo(session: Session) -> None:
    """Made-up activity is played on a demo township only: one sentence (exit 2) on any other office."""
    if not is_demo(session):
        raise InvalidInput(
            f"{session.office.name}（{session.office.code}）不是演示单位，模拟只能在 doudi demo 建的演示单位上运行。"
        )
    if session.office.kind != "township":
        raise InvalidInput("模拟的是乡镇的日常工作，不能在县级单位上运行。")


def open_staff(data_dir: Path | str, password: str) -> tuple[Session, Session]:
    """The demo's clerk and reviewer, signed in with the demo password (create_demo gives all three the same)."""
    from .office import open_session

    (clerk_name, _, _), (reviewer_name, _, _) = DEMO_STAFF
    refused = InvalidInput(
        f"模拟以演示单位的 {clerk_name} 和 {reviewer_name} 办理，它们的密码须与所给的密码相同（演示单位建成时即如此）。"
    )
    try:
        clerk = open_session(data_dir, clerk_name, password)
    except AuthFailed:
        raise refused from None
    try:
        reviewer = open_session(data_dir, reviewer_name, password)
    except AuthFailed:
        clerk.close()
        raise refused from None
    return clerk, reviewer


def first_month(session: Session) -> str:
    """The month after the latest closed one; on a demo never closed, its first roster not yet locked."""
    db = session.db
    closed = db.scalar("SELECT max(month) FROM month_closes WHERE deleted = 0")
    if closed:
        return months.add(closed, 1)
    draft = db.scalar("SELECT min(month) FROM payments WHERE deleted = 0 AND locked = 0")
    if draft:
        return str(draft)
    paid = db.scalar("SELECT max(month) FROM payments WHERE deleted = 0")
    return months.add(paid, 1) if paid else months.of(date.today())


def simulate(
    clerk: Session,
    reviewer: Session,
    month_count: int,
    *,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Play ``month_count`` months from :func:`first_month`; returns the counts of what was done.

    *today* is the real date the services compare with (given by tests); no month after its month
    is played, and the refusal says so before anything is written.
    """
    refuse_unless_demo(clerk)
    if not 1 <= month_count <= MAX_MONTHS:
        raise InvalidInput(f"模拟月数应在 1–{MAX_MONTHS} 之间。", field="months")
    today = today or date.today()
    start = first_month(clerk)
    last = months.add(start, month_count - 1)
    if start > months.of(today):
        raise InvalidInput(
            f"{months.previous(start)} 及以前的月份都已月结，{start} 还没有到，没有可以模拟的月份。", field="months"
        )
    if last > months.of(today):
        raise InvalidInput(
            f"从 {start} 起模拟 {month_count} 个月要到 {last}，晚于本月（{months.of(today)}）："
            "入户核查和办理环节的日期不能晚于今天；请少模拟几个月，或建一个更早结束的演示单位。",
            field="months",
        )
    counts = Counts()
    for i in range(month_count):
        month = months.add(start, i)
        if progress:
            progress(f"正在模拟 {month}（第 {i + 1}/{month_count} 个月）…")
        _Month(clerk, reviewer, month, seed=seed, today=today, counts=counts, index=i).play()
        counts.months.append(month)
    return counts.as_dict()


class _Month:
    """One month of a township office's work; each act is dated on its own day of the month (the
    application steps in the order the workflow needs), and the month ends with its close."""

    def __init__(
        self, clerk: Session, reviewer: Session, month: str, *, seed: int, today: date, counts: Counts, index: int
    ):
        self.clerk, self.reviewer, self.month = clerk, reviewer, month
        self.rng = random.Random(f"{seed}:{month}")
        self.today, self.counts, self.index = today, counts, index
        self.visitors = _visitor_pairs(clerk)
        self.new_hid = ""  # the household registered this month, which applies for 低保

    def day(self, n: int) -> date | None:
        """The date of day *n* of the month, or None when it is still to come (after today)."""
        return self.not_before(n)

    def play(self) -> None:
        self.new_household()
        self.advance_applications()
        self.new_applications()
        self.income_changes()
        self.monthly_visits()
        self.birth()
        self.death()
        self.alerts()
        self.roster_and_close()

    # --- the register -----------------------------------------------------------------

    def _households(self, where: str = "1", params: tuple = ()) -> list[str]:
        """Living households, in the fixed order of their head's ID number."""
        return [
            r[0]
            for r in self.clerk.db.query(
                "SELECT h.id FROM households h JOIN members m ON m.household_id = h.id AND m.relation = '本人' "
                f"AND m.deleted = 0 WHERE h.deleted = 0 AND h.archived = 0 AND ({where}) ORDER BY m.id_number",
                params,
            )
        ]

    def _order(self) -> dict[str, int]:
        """Each living household's place in the fixed order (ids come from the clock, so never sort by them)."""
        return {hid: n for n, hid in enumerate(self._households())}

    def _villages(self) -> list[str]:
        return [r[0] for r in self.clerk.db.query("SELECT DISTINCT village_code FROM households ORDER BY 1")]

    def _free_id(self, born: date, male: bool) -> str:
        seq = self.rng.randrange(500) * 2 + (1 if male else 0)
        for _ in range(500):
            number = idnumber.make("640424", born, seq)
            if not self.clerk.db.scalar("SELECT 1 FROM members WHERE id_number = ?", (number,)):
                return number
            seq = (seq + 2) % 1000
        raise InvalidInput(f"{born} 出生的演示身份证号已用完。")  # pragma: no cover - 500 per day and sex

    def _given(self, male: bool, born: date) -> str:
        cohort = 0 if born.year < 1955 else 1 if born.year < 1980 else 2 if born.year < 2000 else 3  # noqa: PLR2004
        return self.rng.choice(names.GIVEN_NAMES[("男" if male else "女", cohort)])

    def new_household(self) -> None:
        """A young couple registered as a household of their own (分户), with what they earn."""
        on = self.day(NEW_HOUSEHOLD_DAY)
        if on is None:
            return
        rng = self.rng
        surname = rng.choice([s for s, _ in names.HUI_SURNAMES[:8]])
        husband_born = on.replace(year=on.year - rng.randint(24, 34), day=rng.randint(1, 28))
        wife_born = husband_born.replace(year=husband_born.year + rng.randint(0, 3))
        head = Member(
            name=surname + self._given(True, husband_born),
            id_number=self._free_id(husband_born, True),
            relation="本人",
            labour_ability="有",
        )
        wife = Member(
            name=rng.choice([s for s, _ in names.HUI_SURNAMES[:8]]) + self._given(False, wife_born),
            id_number=self._free_id(wife_born, False),
            relation="配偶",
            labour_ability="有",
            health=rng.choice(("健康", "慢性病")),
        )
        household = Household(
            village_code=rng.choice(self._villages()),
            group_name=f"{rng.choice(names.GROUP_NUMERALS[:6])}组",
            head_name=head.name,
            categories=["低收入"],
            risk_level=1,
            under_watch=True,
            poverty_causes=["缺乏劳动力"] if wife.health == "健康" else ["疾病"],
            notes="分户新立。",
        )
        added = self.clerk.households.add(household, [head, wife])
        self.new_hid = added.id
        yearly = rng.randint(30, 60) * 10000  # 元 3,000–6,000 a year, in fen
        self.clerk.income.set_income_items(
            added.id, [IncomeRecord(kind="工资性", subtype="务工", amount_fen=yearly, months=12, note="零星务工")]
        )
        self.counts.households_added += 1

    def income_changes(self) -> None:
        on = self.day(INCOME_DAY)
        if on is None:
            return
        with_income = self._households("h.id IN (SELECT household_id FROM income_items WHERE deleted = 0)")
        for hid in self.rng.sample(with_income, min(len(with_income), self.rng.randint(2, 3))):
            items = self.clerk.income.income_items(hid)
            version = self.clerk.income.income_version(hid)
            if self.rng.random() < 0.3:  # noqa: PLR2004 - a new source now and then
                items.append(IncomeRecord(kind="工资性", subtype="务工", amount_fen=self.rng.randint(20, 80) * 10000))
            else:
                # Ids are made from the clock: choose in an order of what the items say.
                item = self.rng.choice(sorted(items, key=lambda i: (i.kind, i.subtype, i.amount_fen, i.note)))
                factor = self.rng.uniform(0.6, 1.4)
                item.amount_fen = max(10000, round(item.amount_fen * factor / 10000) * 10000)
                item.note = f"{self.month} 核实变化"
            self.clerk.income.set_income_items(hid, items, read_version=version)
            self.counts.income_changes += 1

    def _members_where(self, where: str, params: tuple) -> list[tuple[str, str]]:
        """(household id, member id) of living members of living households, in ID-number order."""
        return [
            (r[0], r[1])
            for r in self.clerk.db.query(
                "SELECT m.household_id, m.id FROM members m JOIN households h ON h.id = m.household_id "
                "WHERE m.deleted = 0 AND m.deceased_on IS NULL AND h.deleted = 0 AND h.archived = 0 "
                f"AND ({where}) ORDER BY m.id_number",
                params,
            )
        ]

    def birth(self) -> None:
        on = self.day(BIRTH_DAY)
        if on is None:
            return
        youngest, oldest = (_years_before(on, MOTHER_AGES[0]), _years_before(on, MOTHER_AGES[1] + 1))
        mothers = self._members_where(
            "m.sex = '女' AND m.relation IN ('本人', '配偶', '儿媳') AND m.birth_date > ? AND m.birth_date <= ?",
            (oldest.isoformat(), youngest.isoformat()),
        )
        if not mothers:
            return
        hid, mother_id = self.rng.choice(mothers)
        household, members = self.clerk.households.get(hid)
        mother = next(m for m in members if m.id == mother_id)
        male = self.rng.random() < 0.5  # noqa: PLR2004
        born = on.replace(day=self.rng.randint(1, on.day))
        # A daughter-in-law's child is the head's grandchild; the head's or the spouse's, a child.
        relation = {"儿媳": "孙子" if male else "孙女"}.get(mother.relation, "子" if male else "女")
        baby = Member(
            name=household.head_name[0] + self._given(male, born),
            id_number=self._free_id(born, male),
            relation=relation,
            ethnicity=mother.ethnicity,
            labour_ability="无",
            schooling="学龄前",
            notes=f"{born} 出生，新增成员。",
        )
        self.clerk.households.update(household, [*members, baby])
        self.counts.births += 1

    def death(self) -> None:
        on = self.day(DEATH_DAY)
        if on is None:
            return
        # Not the last living member: a household left empty is archived, which is a clerk's decision.
        elders = self._members_where(
            "m.birth_date <= ? AND EXISTS (SELECT 1 FROM members o WHERE o.household_id = m.household_id "
            "AND o.id != m.id AND o.deleted = 0 AND o.deceased_on IS NULL)",
            (_years_before(on, OLD_AGE).isoformat(),),
        )
        if not elders:
            return
        hid, elder_id = self.rng.choice(elders)
        household, members = self.clerk.households.get(hid)
        died = on.replace(day=self.rng.randint(1, on.day))
        members = [dataclasses.replace(m, deceased_on=died) if m.id == elder_id else m for m in members]
        self.clerk.households.update(household, members)
        self.counts.deaths += 1

    # --- home visits ---------------------------------------------------------------------

    def _visit(
        self,
        hid: str,
        on: date,
        kind: str,
        *,
        not_assured: bool = False,
        notes: str = "",
        signs: list[str] | None = None,
    ) -> Visit:
        visit = Visit(
            household_id=hid,
            visit_date=on,
            visitors=self.rng.choice(self.visitors),
            kind=kind,
            notes=notes or self.rng.choice(names.VISIT_NOTES_OK),
            risk_signs=list(signs or []),
            income_change="大幅减少" if signs else "无变化",
        )
        if not_assured:
            attr = self.rng.choice(sorted(vocab.CONCERNS))
            setattr(visit, attr, False)
            visit.item_notes = {attr: ITEM_NOTES[attr]}
            visit.risk_signs = [self.rng.choice(vocab.RISK_SIGNS[:3])]
            visit.income_change = self.rng.choice(("减少", "大幅减少"))
            visit.notes = self.rng.choice(names.VISIT_NOTES_CONCERN)
            self.counts.visits_not_assured += 1
        self.counts.visits += 1
        return self.clerk.visits.record(visit)

    def monthly_visits(self) -> None:
        order = self._order()
        due = sorted(self.clerk.visits.due(self.month), key=lambda d: order.get(d.household_id, 0))
        if not due:
            return
        share = self.rng.uniform(*VISIT_SHARE)
        picked = sorted(self.rng.sample(range(len(due)), max(1, round(len(due) * share))))
        days = sorted(self.rng.randint(VISITS_FROM_DAY, VISITS_TO_DAY) for _ in picked)
        # Every month finds at least one item not assured, so a month's package always carries one.
        flagged = {self.rng.randrange(len(picked))}
        for n, (i, d) in enumerate(zip(picked, days, strict=True)):
            on = self.day(d)
            if on is None:
                continue
            concern = n in flagged or self.rng.random() < NOT_ASSURED_SHARE
            self._visit(due[i].household_id, on, "常规核查", not_assured=concern)

    # --- applications ----------------------------------------------------------------------

    def _open_applications(self) -> list:
        s = self.clerk
        open_ = tuple(workflow.OPEN_APPLICATION)
        marks = ",".join("?" * len(open_))
        ids = [
            r[0]
            for r in s.db.query(
                f"SELECT e.id FROM enrolments e JOIN members m ON m.household_id = e.household_id "
                f"AND m.relation = '本人' AND m.deleted = 0 WHERE e.deleted = 0 AND e.status IN ({marks}) "
                "ORDER BY e.applied_on, m.id_number, e.programme",
                tuple(str(x) for x in open_),
            )
        ]
        return [s.enrolments.get_enrolment(i) for i in ids]

    def new_applications(self) -> None:
        """Two to four applications: the household registered this month asks for 低保, households
        the assessment finds eligible next, and every other month a household hit by a disaster or an
        accident asks for 临时救助 (one not under watch, so its survey stays its latest visit)."""
        on = self.day(APPLY_DAY)
        if on is None:
            return
        s = self.clerk
        busy = {r[0] for r in s.db.query(_BUSY_SQL)}
        wanted = self.rng.randint(2, 3)
        temporary = None
        if self.index % 2 == 0 or self.rng.random() < 0.4:  # noqa: PLR2004
            unwatched = [h for h in self._households("h.under_watch = 0") if h not in busy]
            temporary = self.rng.choice(unwatched) if unwatched else None
        chosen = [h for h in (self.new_hid, temporary) if h]
        wanted += len(chosen) - 1  # the 低保 applications besides the new household's stay two or three
        candidates = [h for h in self._households() if h not in busy and h not in chosen]
        self.rng.shuffle(candidates)
        eligible: list[str] = []
        other: list[str] = []
        for hid in candidates[: 10 * wanted]:
            decision = s.enrolments.decision_for(hid, "低保", "", self.month)
            (eligible if decision is not None and decision.eligible else other).append(hid)
        chosen += (eligible + other)[: max(0, wanted - len(chosen))]
        for hid in chosen:
            programme = "临时救助" if hid == temporary else "低保"
            note = self.rng.choice(names.TEMP_AID_REASONS) if hid == temporary else "本人申请，村委会受理。"
            e = s.enrolments.apply(hid, programme, applied_on=on, note=note)
            self.counts.applications += 1
            survey = self.day(SURVEY_DAY)
            if survey is not None:
                self._step(e.id, Status.SURVEY, survey)

    def advance_applications(self) -> None:
        """Each open application from earlier months takes its next steps; one now and then is withdrawn."""
        first = months.first_day(self.month)
        pending = [e for e in self._open_applications() if e.applied_on is not None and e.applied_on < first]
        withdraw = None
        if pending and (self.rng.random() < 0.25 or (self.index == 1 and self.counts.withdrawals == 0)):  # noqa: PLR2004
            # Most often it is an applicant the survey found above the standard who withdraws.
            unlikely = [e for e in pending if not self._eligible(e, self.month)]
            withdraw = self.rng.choice(unlikely or pending).id
        for e in pending:
            if e.id == withdraw:
                on = self.day(WITHDRAW_DAY)
                if on is not None:
                    self._step(e.id, Status.WITHDRAWN, on, WITHDRAW_NOTE)
                    self.counts.withdrawals += 1
                continue
            status = e.status
            if status == Status.APPLIED:
                status = self._step(e.id, Status.SURVEY, self.day(SURVEY_DAY))
            if status in (Status.SURVEY, Status.REVIEW):
                start = self.not_before(PUBLICITY_FROM_DAY, self._last_step_on(e.id))
                end = start and self._within(workflow.publicity_end(start))
                if start is not None and end is not None:
                    status = self._step(e.id, Status.PUBLICITY, start, publicity=(start, end))
            if status == Status.PUBLICITY:
                # A notice put up late last month may still be up: the approval waits for its end.
                publicity_to = self.clerk.enrolments.get_enrolment(e.id).publicity_to
                after = publicity_to and date.fromordinal(publicity_to.toordinal() + 1)
                status = self._step(e.id, Status.APPROVAL, self.not_before(DECISION_DAY, after))
            if status == Status.APPROVAL:
                decided = self.not_before(DECISION_DAY + 1, self._last_step_on(e.id))
                self._decide(e.id, decided)

    def not_before(self, n: int, earliest: date | None = None) -> date | None:
        """Day *n* of the month, or *earliest* if later; None when that is past the month or still to come."""
        on = months.first_day(self.month).replace(day=n)
        return self._within(earliest if earliest is not None and earliest > on else on)

    def _within(self, on: date) -> date | None:
        """*on* if it falls in this month and is not after today, else None."""
        return on if months.of(on) == self.month and on <= self.today else None

    def _last_step_on(self, enrolment_id: str) -> date | None:
        last = self.clerk.db.scalar(
            "SELECT max(done_on) FROM enrolment_steps WHERE enrolment_id = ? AND deleted = 0", (enrolment_id,)
        )
        return date.fromisoformat(last) if last else None

    def _step(
        self, enrolment_id: str, step: Status, on: date | None, note: str = "", *, publicity: tuple | None = None
    ) -> str:
        """Record *step* on *on* as the clerk; returns the status after (unchanged when the day is to come)."""
        s = self.clerk
        if on is None:
            return s.enrolments.get_enrolment(enrolment_id).status
        if step == Status.SURVEY:
            e = s.enrolments.get_enrolment(enrolment_id)
            if e.programme == "临时救助":
                sign = vocab.DISASTER if "灾" in e.reason or "失火" in e.reason else vocab.ACCIDENT
                self._visit(e.household_id, on, "临时救助入户", notes=f"入户调查：{e.reason}，情况属实。", signs=[sign])
            else:
                self._visit(e.household_id, on, "常规核查", notes=f"{e.programme}申请入户调查，家庭情况属实。")
        kwargs = {"publicity_from": publicity[0], "publicity_to": publicity[1]} if publicity else {}
        e = s.enrolments.advance(enrolment_id, step, on=on, note=note, **kwargs)
        self.counts.steps += 1
        return e.status

    def _eligible(self, e, month: str) -> bool:
        decision = self.clerk.enrolments.decision_for(e.household_id, e.programme, e.member_id, month)
        return decision is not None and decision.eligible

    def _decide(self, enrolment_id: str, on: date | None) -> None:
        """The reviewer approves at the assessed amount, or refuses with the assessment's reasons."""
        if on is None:
            return
        r = self.reviewer
        e = r.enrolments.get_enrolment(enrolment_id)
        month = workflow.payment_start_month(on)
        decision = r.enrolments.decision_for(e.household_id, e.programme, e.member_id, month)
        if decision is not None and decision.eligible:
            r.enrolments.advance(enrolment_id, Status.ENROLLED, on=on, note="经审核，符合条件，予以批准。")
            self.counts.approvals += 1
        else:
            why = "；".join(decision.reasons[-2:]) if decision is not None else "不符合条件"
            r.enrolments.advance(enrolment_id, Status.REFUSED, on=on, note=f"经审核不予批准：{why}")
            self.counts.refusals += 1
        self.counts.steps += 1

    # --- the month's end ---------------------------------------------------------------------

    def alerts(self) -> None:
        on = self.day(ALERTS_DAY)
        if on is None:
            return
        m = self.clerk.monitoring
        self.counts.alerts_raised += m.run(self.month, as_of=on)
        order = self._order()
        rows = sorted(
            m.alerts(),
            key=lambda r: (r.alert.raised_on or on, order.get(r.alert.household_id, 0), r.alert.rule, r.alert.message),
        )
        fresh = [(r.alert.id, r.alert.updated_at) for r in rows if r.alert.status == "open"]
        if fresh:
            m.acknowledge_many(fresh)
        follow_on = self.day(FOLLOW_UP_DAY)
        if follow_on is None:
            return
        for row in rows[:FOLLOW_UPS]:
            visit = self._visit(row.alert.household_id, follow_on, "回访", notes=f"回访：{row.alert.rule}。")
            m.follow(row.alert.id, visit.id)
            m.close(row.alert.id, "已入户回访核实，情况已处置。", on=follow_on)
            self.counts.alerts_closed += 1

    def roster_and_close(self) -> None:
        # In the current month before the close day, the month is closed today with what fitted in it.
        on = self.day(CLOSE_DAY) or self.today
        summary = self.clerk.payments.build(self.month)
        self.counts.roster_lines += summary["lines"]
        self.reviewer.payments.approve(self.month)
        missing = [i.label for i in self.reviewer.monthly_close.checklist(self.month) if not i.done]
        note = f"{'、'.join(missing)}未全部完成，下月继续跟进。" if missing else ""
        self.reviewer.monthly_close.close(self.month, note, on=on)
        self.counts.months_closed += 1


# Households that already have a 低保 or 临时救助 application open or in force: no second one.
_BUSY_SQL = (
    "SELECT household_id FROM enrolments WHERE deleted = 0 AND programme IN ('低保', '临时救助', '特困') "
    "AND status NOT IN ('停保', '不予批准', '申请人撤回')"
)


def _years_before(d: date, years: int) -> date:
    """The same day *years* earlier (28 February for 29 February)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _visitor_pairs(session: Session) -> list[str]:
    """Two investigators per visit: the office's staff with a village cadre (names made up)."""
    staff = sorted(
        r[0] for r in session.db.query("SELECT display_name FROM users WHERE deleted = 0 AND display_name != ''")
    )
    staff = [n.replace("（演示）", "") for n in staff] or ["王经办"]
    cadres = ("马协理", "杨专干", "海主任", "兰文书")
    return [f"{a}、{b}" for a in staff for b in cadres]
