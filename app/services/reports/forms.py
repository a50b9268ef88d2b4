"""The paper forms of one household: the 入户调查表 (survey) and the 一户一档 cover sheet (household-file).

The survey is what two investigators carry into a home (DOMAIN.md §3.4): what the register
already knows, printed so they can check it, then ruled lines for what the visit must record,
and the signatures of both investigators and of the household. The blank form (option
``blank``) is the same paper with nothing of anybody on it, for a new applicant.

The household file lists the whole case on a few pages: facts, members, applications with
each workflow step, visits and what they found, and the attachments by name (never their
bytes). Both read through the services, so ID numbers are masked for a role that may not see
them, as on screen.

A spec holds the columns of several tables; each table takes the columns whose key starts
with its prefix (``member.``, ``income.``, ``enrolment.``, ``visit.``, ``attachment.``), so an
office's override can still choose and retitle them.
"""

from __future__ import annotations

from datetime import date

from ...domain import months, vocab
from ...domain.entities import Household, Member, Visit
from ...domain.idnumber import age_on
from ...domain.ids import uuid7_time_ms
from ...domain.report import BlankLines, Document, Fields, Paragraph, ReportSpec, Signatures, Table
from ..households import village_names
from .context import ReportContext, ReportKind

BLANK_MEMBER_ROWS = 6
BLANK_INCOME_ROWS = 4
STUDENT_SCHOOLING = ("小学", "初中", "高中", "中职", "大专及以上")
GRADES = "一二三四"


def section(spec: ReportSpec, prefix: str, **kwargs: object) -> Table:
    """The table of the spec's columns whose key starts with *prefix* (one spec, several tables)."""
    columns = tuple(c for c in spec.columns if c.key.startswith(prefix))
    return Table(columns=columns, **kwargs)  # type: ignore[arg-type]


def disability_text(m: Member) -> str:
    if not m.disability_type and not m.disability_grade:
        return ""
    grade = f"{GRADES[m.disability_grade - 1]}级" if 1 <= m.disability_grade <= len(GRADES) else ""
    return f"{m.disability_type}{grade}"


def health_text(m: Member) -> str:
    disability = disability_text(m)
    # 残疾 as health and a disability type would print 残疾 twice: the type says more.
    parts = [] if disability and m.health == "残疾" else [m.health]
    if m.serious_illness and m.health != "重病":
        parts.append("重特大疾病")
    if disability:
        parts.append(f"残疾（{disability}）")
    return "，".join(p for p in parts if p)


def work_text(m: Member, age: int | None) -> str:
    """职业状况 as the survey forms word it (S30's 从业状况), from what the register records."""
    if m.schooling == "学龄前":
        return "学龄前"
    if m.schooling in STUDENT_SCHOOLING and age is not None and age < 25:  # noqa: PLR2004 - school age
        return "在校学生"
    return "就业" if m.employed else "无业"


def age_of(m: Member, on: date) -> int | None:
    return age_on(m.birth_date, on) if m.birth_date else None


def _month_end(ctx: ReportContext) -> date:
    return months.last_day(ctx.request.month)


# --- 入户调查表 -------------------------------------------------------------------


def build_survey(ctx: ReportContext) -> Document:
    blank = "blank" in ctx.request.options or not ctx.request.household
    doc = ctx.document(title=f"{ctx.township}{ctx.spec.title}")
    if blank:
        _survey_blank(ctx, doc)
    else:
        _survey_filled(ctx, doc)
    doc.blocks.append(Paragraph("入户核实（调查人现场填写）", "heading"))
    for label in (
        "不愁吃、不愁穿",
        "义务教育、基本医疗、住房安全、饮水安全有无保障",
        "家庭财产（住房、机动车辆、存款及有价证券、大型农机具、养殖牲畜等）",
        "赡养、抚养、扶养义务人及其能力",
        "调查核实情况",
    ):
        doc.blocks.append(BlankLines(label, 3))
    doc.blocks.append(BlankLines("结论：是否符合救助条件（□符合 □不符合）及理由", 3))
    doc.blocks.append(Paragraph("调查人不少于两人；户主或在场家庭成员签字（或按手印）确认。", "note"))
    doc.blocks.append(Signatures(ctx.spec.signatures or ("调查人", "调查人", "户主（或家庭成员）"), dated=True))
    return doc


def _survey_blank(ctx: ReportContext, doc: Document) -> None:
    doc.subtitle = "乡镇：__________　村：__________　调查日期：____年__月__日"
    labels = (
        "户主姓名",
        "性别",
        "年龄",
        "家庭人口",
        "村/村民小组",
        "住址",
        "联系电话",
        "是否在保",
        "是否干部亲属（近亲属备案）",
        "住房情况",
    )
    doc.blocks.append(Fields([(label, "") for label in labels], per_row=2, caption="家庭基本情况"))
    members = section(ctx.spec, "member.", caption="家庭成员", grand_total=False)
    members.rows.extend(tuple(None for _ in members.columns) for _ in range(BLANK_MEMBER_ROWS))
    doc.blocks.append(members)
    income = section(ctx.spec, "income.", caption="家庭收入", grand_total=False)
    income.rows.extend(tuple(None for _ in income.columns) for _ in range(BLANK_INCOME_ROWS))
    doc.blocks.append(income)


def _survey_filled(ctx: ReportContext, doc: Document) -> None:
    s, hid, on = ctx.s, ctx.request.household or "", _month_end(ctx)
    ctx.step(0, 3, "读取户档案")
    household, members = s.households.get(hid)
    living = [m for m in members if m.deceased_on is None]
    items = s.income.income_items(hid)
    in_force = s.enrolments.enrolments_in_force(hid, ctx.request.month)
    village = village_names(s.db).get(household.village_code, household.village_code)
    doc.subtitle = f"{village}　户编号：{household.id[:8]}　填表月份：{ctx.month_label}"
    head = next((m for m in living if m.relation == "本人"), None)
    head_age = age_of(head, on) if head else None
    programmes = "、".join(dict.fromkeys(e.programme for e in in_force)) or "否"
    relative = "是" if household.official_relative else "否"
    if household.official_relative and household.official_relative_note:
        relative += f"（{household.official_relative_note}）"
    doc.blocks.append(
        Fields(
            [
                ("户主姓名", household.head_name),
                ("性别", head.sex if head else ""),
                ("年龄", "" if head_age is None else str(head_age)),
                ("家庭人口", str(len(living))),
                ("村/村民小组", f"{village}{household.group_name}"),
                ("住址", household.address),
                ("联系电话", household.phone),
                ("户类别", "、".join(household.categories)),
                ("是否在保", programmes),
                ("是否干部亲属（近亲属备案）", relative),
                ("住房情况", household.housing),
                ("致贫原因", "、".join(household.poverty_causes)),
            ],
            per_row=2,
            caption="家庭基本情况",
        )
    )
    ctx.step(1, 3, "家庭成员")
    monthly: dict[str, int] = {}
    for item in items:
        if item.kind != "刚性支出" and item.member_id:
            monthly[item.member_id] = monthly.get(item.member_id, 0) + _monthly_fen(item.amount_fen, item.months)
    table = section(ctx.spec, "member.", caption="家庭成员", grand_total=False)
    for m in living:
        age = age_of(m, on)
        table.add(
            {
                "member.name": m.name,
                "member.id_number": m.id_number,
                "member.relation": m.relation,
                "member.age": age,
                "member.health": health_text(m),
                "member.labour": m.labour_ability,
                "member.work": work_text(m, age),
                "member.income": monthly.get(m.id, 0),
            }
        )
    doc.blocks.append(table)
    ctx.step(2, 3, "家庭收入")
    names = {m.id: m.name for m in members}
    income = section(ctx.spec, "income.", caption="家庭收入（登记在册）")
    for item in items:
        income.add(
            {
                "income.member": names.get(item.member_id, "全户"),
                "income.kind": item.kind,
                "income.subtype": item.subtype or item.note,
                "income.months": item.months,
                "income.amount": item.amount_fen,
                "income.monthly": _monthly_fen(item.amount_fen, item.months),
            }
        )
    if income.rows:
        doc.blocks.append(income)
    else:
        doc.blocks.append(Paragraph("家庭收入：登记中尚无收入项，请入户时逐项询问填写。", "body"))
    ctx.step(3, 3, "完成")


def _monthly_fen(amount_fen: int, n_months: int) -> int:
    return (2 * amount_fen + n_months) // (2 * n_months) if n_months > 0 else amount_fen


# --- 一户一档 ---------------------------------------------------------------------


def build_household_file(ctx: ReportContext) -> Document:
    s, hid = ctx.s, ctx.request.household or ""
    ctx.step(0, 5, "读取户档案")
    household, members = s.households.get(hid)
    village = village_names(s.db).get(household.village_code, household.village_code)
    doc = ctx.document(
        title=f"{ctx.township}{ctx.spec.title}",
        subtitle=f"{village}　户主：{household.head_name}　户编号：{household.id[:8]}　打印月份：{ctx.month_label}",
    )
    doc.blocks.append(Fields(_household_facts(household, village, members), per_row=2, caption="家庭基本情况"))
    ctx.step(1, 5, "家庭成员")
    table = section(ctx.spec, "member.", caption="家庭成员", grand_total=False)
    for m in members:
        name = m.name if m.deceased_on is None else f"{m.name}（{m.deceased_on.isoformat()} 去世）"
        table.add(
            {
                "member.name": name,
                "member.id_number": m.id_number,
                "member.relation": m.relation,
                "member.sex": m.sex,
                "member.health": m.health,
                "member.disability": disability_text(m),
                "member.labour": m.labour_ability,
                "member.left_behind": m.left_behind,
            }
        )
    doc.blocks.append(table)
    ctx.step(2, 5, "救助认定")
    views = s.enrolments.enrolments(hid)
    enrolments = section(ctx.spec, "enrolment.", caption="救助认定及办理环节", grand_total=False)
    for v in views:
        e = v.enrolment
        programme = e.programme + (f"（{v.member_name}）" if v.member_name else "")
        period = f"{e.start_month or ''}—{e.end_month or ''}" if e.start_month else ""
        steps = "；".join(
            f"{st.step} {st.done_on.isoformat() if st.done_on else ''}{f'（{st.note}）' if st.note else ''}".strip()
            for st in v.steps
        )
        enrolments.add(
            {
                "enrolment.programme": programme,
                "enrolment.class": e.class_code,
                "enrolment.status": e.status,
                "enrolment.persons": e.persons_covered or None,
                "enrolment.amount": e.monthly_amount_fen or None,
                "enrolment.period": period,
                "enrolment.steps": steps or (f"申请 {e.applied_on.isoformat()}" if e.applied_on else ""),
            }
        )
    _table_or_none(doc, enrolments, "救助认定：无。")
    ctx.step(3, 5, "入户核查")
    visits = section(ctx.spec, "visit.", caption="入户核查记录", grand_total=False)
    for visit in s.visits.for_household(hid):
        visits.add(
            {
                "visit.date": visit.visit_date.isoformat() if visit.visit_date else "",
                "visit.kind": visit.kind,
                "visit.visitors": visit.visitors,
                "visit.findings": findings(visit),
            }
        )
    _table_or_none(doc, visits, "入户核查记录：无。")
    ctx.step(4, 5, "附件")
    attachments = section(ctx.spec, "attachment.", caption="附件材料（仅列目录）", grand_total=False)
    for view in s.attachments.list_for_household(hid):
        a = view.attachment
        attachments.add(
            {
                "attachment.kind": a.kind,
                "attachment.name": a.file_name,
                "attachment.subject": view.subject,
                "attachment.date": _created_on(a.id),
            }
        )
    _table_or_none(doc, attachments, "附件材料：无。")
    doc.blocks.append(Signatures(ctx.spec.signatures, dated=True))
    ctx.step(5, 5, "完成")
    return doc


def _household_facts(h: Household, village: str, members: list[Member]) -> list[tuple[str, str]]:
    living = [m for m in members if m.deceased_on is None]
    return [
        ("户主姓名", h.head_name),
        ("家庭人口", str(len(living))),
        ("村/村民小组", f"{village}{h.group_name}"),
        ("住址", h.address),
        ("联系电话", h.phone),
        ("户类别", "、".join(h.categories)),
        ("城乡", "城市" if h.urban else "农村"),
        ("住房情况", h.housing),
        ("致贫原因", "、".join(h.poverty_causes)),
        ("每月入户核查", "是" if h.under_watch else "否"),
        ("干部近亲属备案", ("是：" + h.official_relative_note) if h.official_relative else "否"),
        ("状态", f"已归档（{h.archived_reason}）" if h.archived else "在册"),
    ]


def findings(visit: Visit) -> str:
    """What a visit found, in one cell: the items not assured (with their notes), income, risks, notes."""
    parts = []
    concerns = [
        f"{label}：{visit.item_note(attr)}" if visit.item_note(attr) else label
        for attr, label in vocab.CONCERNS.items()
        if not getattr(visit, attr)
    ]
    parts.append("两不愁三保障未保障：" + "；".join(concerns) if concerns else "两不愁三保障均有保障")
    if visit.income_change and visit.income_change != "无变化":
        parts.append(f"收入{visit.income_change}")
    if visit.risk_signs:
        parts.append("风险：" + "、".join(visit.risk_signs))
    if visit.notes:
        parts.append(visit.notes)
    return "。".join(p.rstrip("。；; ") for p in parts if p.strip()) + "。"


def _created_on(row_id: str) -> str:
    """The date a row was made, from its time-ordered id (attachments carry no date of their own)."""
    try:
        return date.fromtimestamp(uuid7_time_ms(row_id) / 1000).isoformat()
    except (ValueError, OverflowError, OSError):
        return ""


def _table_or_none(doc: Document, table: Table, none: str) -> None:
    doc.blocks.append(table if table.rows else Paragraph(none, "body"))


KINDS = (
    ReportKind(
        uses_programme=False,
        name="survey",
        label="入户调查表",
        build=build_survey,
        uses_village=False,
        uses_household=True,
        needs_household=True,
        options=("blank",),
        description="一户的入户调查表：登记信息供核对，留空待入户填写；blank 选项打印无个人信息的空白表。",
    ),
    ReportKind(
        uses_programme=False,
        name="household-file",
        label="一户一档",
        build=build_household_file,
        uses_village=False,
        uses_household=True,
        needs_household=True,
        description="一户的档案封面：家庭情况、成员、救助认定及办理环节、入户核查、附件目录。",
    ),
)
