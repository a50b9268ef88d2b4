"""The township's 民政统计 monthly figures (DOMAIN.md §3.5.5) as 指标 / 单位 / 数量 / 上月 / 环比 tables.

The counts come from the month's payment roster (who was paid, and how much, in fen), the
members behind its lines, the 临时救助 approvals of the month and the register's categories.
The arithmetic that must add up (breakdowns of persons, causes, spending) is in
:mod:`app.domain.monthly_stats`; each block ends with its 校验 line, and a block whose total
does not equal its parts is named in the document's warnings before anybody sends it to the county.

A month that is not closed is printed as 草稿: its roster can still change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from ...domain import monthly_stats as ms
from ...domain.entities import Payment
from ...domain.months import add, alive_in, iso_bounds, last_day
from ...domain.policy.payments import diff_rosters
from ...domain.report import Document, Paragraph, Signatures, yuan
from ..households import village_names
from .context import ReportContext, ReportKind

CHECK_OK = "校验：合计等于分项之和。"
# Register categories counted as 低收入人口 (§3.6), with the names the platform uses.
LOW_INCOME_CATEGORIES = (
    ("低保", "低保对象"),
    ("特困", "特困人员"),
    ("监测户", "防止返贫监测对象"),
    ("低保边缘", "低保边缘家庭"),
    ("刚性支出困难", "刚性支出困难家庭"),
    ("低收入", "其他低收入家庭"),
)
SELF_CARE = ("全自理", "半失能", "全失能")
TEMPORARY_KINDS = ("急难型", "支出型")
PERSONAL_SUBSIDIES = ("高龄补贴", "困难残疾人生活补贴", "重度残疾人护理补贴")
MONEY_UNIT = "元"


@dataclass
class Row:
    indicator: str
    unit: str
    value: int
    # What the row is, month after month (the indicator of 1—3月累计 is 1—2月累计 the month before).
    key: str = ""

    @property
    def is_money(self) -> bool:
        return self.unit.startswith(MONEY_UNIT)


@dataclass
class Block:
    title: str
    rows: list[Row] = field(default_factory=list)
    tallies: list[ms.Tally] = field(default_factory=list)

    def add(self, indicator: str, unit: str, value: int, key: str = "") -> None:
        self.rows.append(Row(indicator, unit, value, key or indicator))

    def tally(self, t: ms.Tally, unit: str, prefix: str = "　其中：") -> None:
        """The tally's parts as rows under its total, and the tally kept for the check line."""
        for part, n in t.parts:
            self.add(f"{prefix}{part}", unit, n)
        self.tallies.append(t)


@dataclass
class Register:
    """What the figures read from the register, once per report (the roster is read per month)."""

    village: str | None
    households: dict[str, tuple[str, bool, list[str], list[str]]]  # id → village, urban, causes, categories
    members: dict[str, list[tuple[str, ms.Person, date | None]]]  # household → (member id, person, died)

    def wanted(self, household_id: str) -> bool:
        h = self.households.get(household_id)
        return h is not None and (not self.village or h[0] == self.village)

    def urban(self, household_id: str) -> bool:
        return self.households[household_id][1]

    def covered(self, line: Payment, month: str) -> list[ms.Person]:
        """The people behind a roster line: its member, or the living members, head first, up to its persons."""
        family = self.members.get(line.household_id, [])
        if line.member_id:
            return [p for mid, p, _ in family if mid == line.member_id]
        living = [p for _, p, died in family if alive_in(died, month)]
        return living[: line.persons]


def read_register(ctx: ReportContext) -> Register:
    db = ctx.s.db
    households = {
        hid: (village, bool(urban), json.loads(causes or "[]"), json.loads(categories or "[]"))
        for hid, village, urban, causes, categories in db.query(
            "SELECT id, village_code, urban, poverty_causes, categories FROM households "
            "WHERE deleted = 0 AND archived = 0"
        )
    }
    members: dict[str, list[tuple[str, ms.Person, date | None]]] = {}
    # Aggregates only: full birth dates are read here (not through households.get, which masks them for
    # some roles) because the form counts by age, and nothing personal is printed.
    for mid, hid, sex, born, labour, grade, died in db.query(
        "SELECT id, household_id, sex, birth_date, labour_ability, disability_grade, deceased_on FROM members "
        "WHERE deleted = 0 ORDER BY household_id, CASE relation WHEN '本人' THEN 0 WHEN '配偶' THEN 1 ELSE 2 END, "
        "birth_date"
    ):
        person = ms.Person(sex or "", _date(born), labour or "", bool(grade))
        members.setdefault(hid, []).append((mid, person, _date(died)))
    return Register(ctx.request.village, households, members)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _lines(ctx: ReportContext, reg: Register, month: str, programme: str) -> list[Payment]:
    return [p for p in ctx.s.payments.lines(month) if p.programme == programme and reg.wanted(p.household_id)]


def in_force(lines: Sequence[Payment]) -> list[Payment]:
    """The month's regular lines with the persons of their latest correction, if any, without those left at none.

    A correction after approval (a death, say) carries the persons the month should have paid
    for; counting the regular line's persons would count the dead.
    """
    corrected: dict[tuple[str, str, str], Payment] = {}
    for p in sorted((p for p in lines if p.kind == "correction"), key=lambda p: p.id):  # ids are time-ordered
        corrected[(p.household_id, p.enrolment_id, p.member_id)] = p
    out = []
    for p in lines:
        if p.kind != "regular":
            continue
        fix = corrected.get((p.household_id, p.enrolment_id, p.member_id))
        line = replace(p, persons=fix.persons) if fix is not None else p
        if line.persons > 0:
            out.append(line)
    return out


def _ytd(month: str, what: str) -> str:
    return f"1—{int(month[5:])}月{what}"


def _year_to_date(ctx: ReportContext, reg: Register, month: str, programme: str, keep=lambda p: True) -> int:
    year = month[:4]
    total, m = 0, f"{year}-01"
    while m <= month:
        total += sum(p.amount_fen for p in _lines(ctx, reg, m, programme) if keep(p))
        m = add(m, 1)
    return total


# --- the blocks ------------------------------------------------------------------


def dibao_block(ctx: ReportContext, reg: Register, month: str, urban: bool) -> Block:
    name = "城市低保" if urban else "农村低保"
    block = Block(name)
    on = last_day(month)
    lines = [p for p in _lines(ctx, reg, month, "低保") if reg.urban(p.household_id) == urban]
    regular = in_force(lines)
    households = sorted({p.household_id for p in regular})
    persons = sum(p.persons for p in regular)
    people = [person for p in regular for person in reg.covered(p, month)]
    block.add("保障户数", "户", len(households))
    block.add("保障人数", "人", persons)
    breakdown = ms.persons_breakdown(people, on, f"{name}人数", total=persons)
    block.tally(breakdown.by_sex, "人", "　按性别：")
    block.tally(breakdown.by_age, "人", "　按年龄：")
    block.tally(breakdown.by_labour, "人", "　劳动能力：")
    block.add("　其中：残疾人", "人", breakdown.disabled)
    causes = ms.causes_tally([reg.households[h][2] for h in households], f"{name}户数（按致贫原因）")
    block.tally(causes, "户", "　致贫原因（可多选）：")
    new, gone = _changes(ctx, reg, month, "低保", urban)
    block.add("当月新增户数", "户", len(new))
    block.add("当月新增人数", "人", sum(new))
    block.add("当月退出户数", "户", len(gone))
    block.add("当月退出人数", "人", sum(gone))
    benefit = sum(p.amount_fen for p in lines if p.kind != "holiday")
    other = sum(p.amount_fen for p in lines if p.kind == "holiday")
    spent = sum(p.amount_fen for p in lines)
    block.add("当月支出", MONEY_UNIT, spent)
    block.tally(ms.Tally(f"{name}当月支出", spent, (("低保金", benefit), ("其他补贴（节日等）", other))), MONEY_UNIT)
    keep = lambda p: reg.urban(p.household_id) == urban  # noqa: E731 - one filter, read once
    block.add(_ytd(month, "累计支出"), MONEY_UNIT, _year_to_date(ctx, reg, month, "低保", keep), "累计支出")
    block.add("月人均补助", MONEY_UNIT, ms.per_person_fen(sum(p.amount_fen for p in regular), persons))
    block.add("低保标准", "元/人·月", ctx.s.policy.for_month(month).standard_monthly_fen(urban))
    return block


def _changes(ctx: ReportContext, reg: Register, month: str, programme: str, urban: bool) -> tuple[list[int], list[int]]:
    """Persons of each household added to, and dropped from, the programme's roster this month."""

    def mine(lines: Iterable) -> list:
        return [
            ln
            for ln in lines
            if ln.programme == programme and reg.wanted(ln.household_id) and reg.urban(ln.household_id) == urban
        ]

    current = mine(ctx.s.payments.roster_lines(month))
    if not current:
        return [], []
    previous = mine(ctx.s.payments.roster_lines(add(month, -1)))
    changes = diff_rosters(previous, current, {})
    return (
        [c.persons_after for c in changes if c.change == "新增"],
        [c.persons_before for c in changes if c.change == "停保"],
    )


def tekun_block(ctx: ReportContext, reg: Register, month: str) -> Block:
    block = Block("特困人员救助供养")
    lines = _lines(ctx, reg, month, "特困")
    regular = in_force(lines)
    modes = _support_modes(ctx, [p.enrolment_id for p in regular])
    households = {p.household_id for p in regular}
    persons = sum(p.persons for p in regular)
    block.add("供养户数", "户", len(households))
    by_household: dict[str, str] = {}
    for p in regular:
        by_household.setdefault(p.household_id, modes.get(p.enrolment_id, "分散"))
    block.tally(ms.split_tally("特困户数", by_household.values(), ("集中", "分散")), "户", "　供养方式：")
    block.add("供养人数", "人", persons)
    per_person = [modes.get(p.enrolment_id, "分散") for p in regular for _ in range(p.persons)]
    block.tally(ms.split_tally("特困人数", per_person, ("集中", "分散")), "人", "　供养方式：")
    care = [p.class_code for p in regular for _ in range(p.persons)]
    block.tally(ms.split_tally("特困人数（按自理能力）", care, SELF_CARE), "人", "　自理能力：")
    params = ctx.s.policy.for_month(month)
    care_fen = sum(min(p.amount_fen, params.tekun_care_monthly_fen.get(p.class_code, 0)) for p in regular)
    spent = sum(p.amount_fen for p in lines)
    block.add("当月支出", MONEY_UNIT, spent)
    parts = (("基本生活费", spent - care_fen), ("照料护理费", care_fen))
    block.tally(ms.Tally("特困当月支出", spent, parts), MONEY_UNIT)
    block.add(_ytd(month, "累计支出"), MONEY_UNIT, _year_to_date(ctx, reg, month, "特困"), "累计支出")
    return block


def _support_modes(ctx: ReportContext, enrolment_ids: Sequence[str]) -> dict[str, str]:
    """集中 or 分散 per enrolment. The register has no field for it yet: an enrolment whose reason says
    集中供养 is counted 集中, every other 分散 (the usual case in a township)."""
    out: dict[str, str] = {}
    ids = sorted(set(enrolment_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        for eid, reason in ctx.s.db.query(f"SELECT id, reason FROM enrolments WHERE id IN ({marks})", tuple(chunk)):
            out[eid] = "集中" if "集中" in (reason or "") else "分散"
    return out


def temporary_block(ctx: ReportContext, reg: Register, month: str) -> Block:
    block = Block("临时救助")
    cases = _temporary_cases(ctx, reg, f"{month[:4]}-01", month)
    this_month = [c for c in cases if c[0] == month]
    block.add("救助户次", "户次", len(this_month))
    block.tally(ms.split_tally("临时救助户次", (c[1] for c in this_month), TEMPORARY_KINDS), "户次", "　")
    block.add("救助人次", "人次", sum(c[2] for c in this_month))
    block.add("当月救助金额", MONEY_UNIT, sum(c[3] for c in this_month))
    block.add(_ytd(month, "累计户次"), "户次", len(cases), "累计户次")
    block.add(_ytd(month, "累计金额"), MONEY_UNIT, sum(c[3] for c in cases), "累计金额")
    return block


def _temporary_cases(ctx: ReportContext, reg: Register, first: str, last: str) -> list[tuple[str, str, int, int]]:
    """(month, kind, persons, fen) of each 临时救助 granted in first..last, dated by approval or start month."""
    start, _ = iso_bounds(first)
    _, end = iso_bounds(last)
    out = []
    for hid, kind, persons, fen, approved, start_month in ctx.s.db.query(
        "SELECT household_id, class_code, persons_covered, monthly_amount_fen, approved_on, start_month "
        "FROM enrolments WHERE deleted = 0 AND programme = '临时救助' AND status IN ('在保', '停保') "
        "AND ((approved_on >= ? AND approved_on < ?) OR (approved_on IS NULL AND start_month BETWEEN ? AND ?))",
        (start, end, first, last),
    ):
        if reg.wanted(hid):
            month = approved[:7] if approved else start_month
            out.append((month, kind or "", persons or 1, fen or 0))
    return out


def subsidies_block(ctx: ReportContext, reg: Register, month: str) -> Block:
    block = Block("孤儿、高龄补贴、残疾人两项补贴")
    orphans = [p for p in _lines(ctx, reg, month, "孤儿基本生活费") if p.kind == "regular"]
    block.add("孤儿及事实无人抚养儿童人数", "人", sum(p.persons for p in orphans))
    categories = [p.class_code for p in orphans for _ in range(p.persons)]
    block.tally(ms.split_tally("孤儿人数", categories, ("机构养育", "社会散居", "事实无人抚养")), "人")
    block.add("孤儿基本生活费支出", MONEY_UNIT, sum(p.amount_fen for p in _lines(ctx, reg, month, "孤儿基本生活费")))
    for programme in PERSONAL_SUBSIDIES:
        lines = _lines(ctx, reg, month, programme)
        block.add(f"{programme}人数", "人", sum(p.persons for p in lines if p.kind == "regular"))
        block.add(f"{programme}支出", MONEY_UNIT, sum(p.amount_fen for p in lines))
    return block


def low_income_block(ctx: ReportContext, reg: Register, month: str) -> Block:
    block = Block("低收入人口动态监测")
    for category, label in LOW_INCOME_CATEGORIES:
        ids = [h for h, v in reg.households.items() if category in v[3] and reg.wanted(h)]
        persons = sum(1 for h in ids for _, _, died in reg.members.get(h, []) if alive_in(died, month))
        block.add(f"{label}户数", "户", len(ids))
        block.add(f"{label}人数", "人", persons)
    start, end = iso_bounds(month)
    raised = closed = 0
    for hid, raised_on, closed_on in ctx.s.db.query(
        "SELECT household_id, raised_on, closed_on FROM alerts WHERE deleted = 0 "
        "AND ((raised_on >= ? AND raised_on < ?) OR (closed_on >= ? AND closed_on < ?))",
        (start, end, start, end),
    ):
        if reg.wanted(hid):
            raised += bool(raised_on and start <= raised_on < end)
            closed += bool(closed_on and start <= closed_on < end)
    block.add("当月新发预警", "条", raised)
    block.add("当月处置完毕预警", "条", closed)
    return block


def blocks_for(ctx: ReportContext, reg: Register, month: str) -> list[Block]:
    return [
        dibao_block(ctx, reg, month, urban=False),
        dibao_block(ctx, reg, month, urban=True),
        tekun_block(ctx, reg, month),
        temporary_block(ctx, reg, month),
        subsidies_block(ctx, reg, month),
        low_income_block(ctx, reg, month),
    ]


# --- the document ----------------------------------------------------------------


def build_monthly_stats(ctx: ReportContext) -> Document:
    month = ctx.request.month
    ctx.step(0, 3, "读取登记")
    reg = read_register(ctx)
    ctx.step(1, 3, "本月数字")
    blocks = blocks_for(ctx, reg, month)
    ctx.step(2, 3, "上月数字")
    previous = {(b.title, r.key): r.value for b in blocks_for(ctx, reg, add(month, -1)) for r in b.rows}
    closed = ctx.s.monthly_close.closed(month) is not None
    where = ctx.township
    if ctx.request.village:
        where += village_names(ctx.s.db).get(ctx.request.village, ctx.request.village)
    doc = ctx.document(
        title=f"{ctx.township}{ctx.month_label}{ctx.spec.title}",
        subtitle=f"填报单位：{where}" + ("" if closed else "　（草稿：本月尚未月结，数字可能变动）"),
    )
    for block in blocks:
        table = ctx.spec.table(caption=block.title, grand_total=False)
        for row in block.rows:
            before = previous.get((block.title, row.key), 0)
            table.add(
                {
                    "indicator": row.indicator,
                    "unit": row.unit,
                    "value": yuan(row.value) if row.is_money else row.value,
                    "previous": yuan(before) if row.is_money else before,
                    "change": ms.change_text(row.value, before),
                }
            )
        doc.blocks.append(table)
        problems = [t.problem() for t in block.tallies if not t.holds()]
        if problems:
            doc.warnings.append(f"「{block.title}」校验不通过：" + "".join(problems))
            doc.blocks.append(Paragraph("校验：" + "".join(problems), "note"))
        elif block.tallies:
            doc.blocks.append(Paragraph(CHECK_OK, "note"))
    doc.blocks.append(
        Paragraph(
            "说明：人数、户数、支出取自本月发放名册（金额按分计算，人数以更正后为准）；劳动能力按统计表口径，未满18周岁或60周岁及以上计为「无」；"
            "致贫原因可多选，未登记的计为「其他」；特困供养方式以认定理由为准，未注明集中供养的计为分散。",
            "note",
        )
    )
    doc.blocks.append(Signatures(ctx.spec.signatures, dated=True))
    ctx.step(3, 3, "完成")
    return doc


def checks(doc_blocks: Sequence[Block]) -> list[ms.Tally]:
    """Every check of the blocks (for tests and for a caller that wants them without the document)."""
    return [t for b in doc_blocks for t in b.tallies]


KINDS = (
    ReportKind(
        uses_programme=False,
        name="monthly-stats",
        label="民政统计月报",
        build=build_monthly_stats,
        description="全镇（或一个村）当月的低保、特困、临时救助、孤儿、高龄、残疾两项和低收入人口统计数字，逐栏校验。",
    ),
)
