"""The care ledgers the notice names (DOMAIN.md §3.2.5): 重度残疾人照料台账 and 三留守关爱台账, one report.

One row per person the ledger covers (grade 1–2 disability; a 留守 child, woman or elder), who
may have no visit recorded yet: a ledger that listed only those visited would hide exactly the
people nobody has been to see. The row carries every visit date and what the latest visit found.
The people come from :meth:`CareService.people`, so ID numbers are masked as on screen.

Option ``disabled`` or ``left-behind`` prints only that ledger; without either, both.
"""

from __future__ import annotations

from ...domain.entities import CareRecord
from ...domain.report import Document, Paragraph, Signatures, Table
from ..care import CarePerson
from ..households import village_names
from .context import ReportContext, ReportKind
from .forms import disability_text, section

DISABLED, LEFT_BEHIND = "重度残疾人照料", "三留守关爱"
LEFT_BEHIND_ORDER = ("留守儿童", "留守妇女", "留守老人")


def _people(ctx: ReportContext, ledger: str) -> list[tuple[CarePerson, list[CareRecord]]]:
    people = ctx.s.care.people(ledger)
    if ctx.request.village:
        households = {
            hid
            for (hid,) in ctx.s.db.query(
                "SELECT id FROM households WHERE village_code = ? AND deleted = 0", (ctx.request.village,)
            )
        }
        people = [p for p in people if p.member.household_id in households]
    out = []
    for p in people:
        records = [r for r in ctx.s.care.records(p.member.id) if r.ledger == ledger]
        out.append((p, sorted(records, key=lambda r: r.visit_date or r.updated_at)))
    return out


def _dates(records: list[CareRecord]) -> str:
    return "、".join(r.visit_date.isoformat() for r in records if r.visit_date)


def _disabled_table(ctx: ReportContext, rows: list[tuple[CarePerson, list[CareRecord]]]) -> Table:
    table = section(ctx.spec, "care.", caption="重度残疾人照料台账")
    rows.sort(key=lambda pr: (pr[0].village, pr[0].head_name, pr[0].member.name))
    for p, records in rows:
        last = records[-1] if records else None
        m = p.member
        table.add(
            {
                "care.village": p.village,
                "care.name": m.name,
                "care.id_number": m.id_number,
                "care.disability": disability_text(m),
                "care.self_care": m.self_care,
                "care.mode": last.care_mode if last else "",
                "care.carer": last.carer_name if last else "",
                "care.carer_phone": last.carer_phone if last else "",
                "care.visit_date": _dates(records) or "未走访",
                "care.problems": last.problems if last else "",
                "care.follow_up": last.follow_up if last else "",
                "care.persons": 1,
            }
        )
    return table


def _left_behind_table(ctx: ReportContext, rows: list[tuple[CarePerson, list[CareRecord]]]) -> Table:
    table = section(ctx.spec, "lb.", caption="三留守关爱台账")

    def order(pr: tuple[CarePerson, list[CareRecord]]) -> tuple[int, str, str]:
        kind = pr[0].member.left_behind
        rank = LEFT_BEHIND_ORDER.index(kind) if kind in LEFT_BEHIND_ORDER else len(LEFT_BEHIND_ORDER)
        return rank, pr[0].village, pr[0].member.name

    for p, records in sorted(rows, key=order):
        last = records[-1] if records else None
        m = p.member
        findings = "；".join(x for x in ((last.problems, last.follow_up) if last else ()) if x)
        table.add(
            {
                "lb.village": p.village,
                "lb.kind": m.left_behind,
                "lb.name": m.name,
                "lb.id_number": m.id_number,
                "lb.head": p.head_name,
                "lb.absent": last.absent_member if last else "",
                "lb.carer": last.carer_name if last else "",
                "lb.carer_phone": last.carer_phone if last else "",
                "lb.visit_date": _dates(records) or "未走访",
                "lb.problems": findings,
                "lb.persons": 1,
            }
        )
    return table


def build_care(ctx: ReportContext) -> Document:
    options = ctx.request.options
    wanted = [
        ledger
        for ledger, option in ((DISABLED, "disabled"), (LEFT_BEHIND, "left-behind"))
        if option in options or not ({"disabled", "left-behind"} & options)
    ]
    doc = ctx.document(title=f"{ctx.township}{ctx.month_label}{ctx.spec.title}")
    if ctx.request.village:
        doc.subtitle = village_names(ctx.s.db).get(ctx.request.village, ctx.request.village)
    for i, ledger in enumerate(wanted):
        ctx.step(i, len(wanted), ledger)
        rows = _people(ctx, ledger)
        table = _disabled_table(ctx, rows) if ledger == DISABLED else _left_behind_table(ctx, rows)
        doc.blocks.append(table if table.rows else Paragraph(f"{table.caption}：无在册对象。", "body"))
    doc.blocks.append(
        Paragraph(
            "重度残疾人：持证一、二级残疾人；三留守：登记为留守儿童、留守妇女、留守老人的家庭成员。"
            "走访日期列出全部走访，发现问题和跟进措施取最近一次走访。",
            "note",
        )
    )
    doc.blocks.append(Signatures(ctx.spec.signatures, dated=True))
    ctx.step(len(wanted), len(wanted), "完成")
    return doc


KINDS = (
    ReportKind(
        uses_programme=False,
        name="care",
        label="照料与三留守台账",
        build=build_care,
        options=("disabled", "left-behind"),
        description="重度残疾人照料台账和三留守关爱台账（可按村）；选项 disabled 或 left-behind 只打印其中一本。",
    ),
)
