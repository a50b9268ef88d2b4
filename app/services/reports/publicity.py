"""公示 / 公布 list for one village, printed large for the notice board (DOMAIN.md §2.12, §3.1).

Two kinds of household appear: applications whose 7-day 初审公示 runs in the month (with the
township's 初审意见), and enrolments that start being paid that month (审核确认后公布). The
law allows name, household size and amount to be published and nothing unrelated, so this
builder never hands out an ID number, a bank account, a phone, an address or a diagnosis:
a county override can only choose among the keys below. With the ``masked_id`` option an ID
column shows the first 6 and last 4 characters, the birth date hidden.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...domain import months, workflow
from ...domain.entities import Enrolment
from ...domain.idnumber import mask as mask_id
from ...domain.report import Document, Paragraph, Signatures
from ..income import IncomeService
from .context import ReportContext, ReportKind
from .register_facts import HouseholdFacts, household_facts, village_of_request

MASKED_ID = "masked_id"
# Only for 初审公示: a 公布 list publishes a decision, not a period or an opinion.
PUBLICITY_ONLY = ("period", "opinion")
PUBLISHED = (workflow.Status.ENROLLED, workflow.Status.TAPER, workflow.Status.STOPPED)


def _in_village(ctx: ReportContext, where: str, params: tuple[Any, ...]) -> list[Enrolment]:
    found = ctx.s.store.repo(Enrolment).where(
        f"({where}) AND household_id IN (SELECT id FROM households WHERE village_code = ? AND deleted = 0)",
        (*params, ctx.request.village),
        order="applied_on, id",
    )
    if ctx.request.programme:
        found = [e for e in found if e.programme == ctx.request.programme]
    return found


def _opinion(e: Enrolment) -> str:
    """The township's standard 初审意见: putting an application up for 公示 means it proposes to enrol.

    Never the note typed at the 公示 step: it is free text (a clerk's reasons, a diagnosis, an
    income) and this sheet hangs on the village notice board (DOMAIN.md §2.12).
    """
    return f"拟同意纳入{e.programme}"


def _proposed(ctx: ReportContext, e: Enrolment) -> tuple[int | None, str, int]:
    """(amount, class, persons) proposed for an application in 公示: the amount already set, else the assessment's."""
    if e.monthly_amount_fen:
        return e.monthly_amount_fen, e.class_code, e.persons_covered
    try:
        decision = IncomeService(ctx.s).assess(e.household_id, ctx.request.month)
    except Exception:  # noqa: BLE001 - an incomplete household still belongs on the list, without an amount
        return None, e.class_code, e.persons_covered
    for d in decision.decisions:
        covers = not e.member_id or e.member_id in (d.covered_refs or ()) or d.single_person_member == e.member_id
        if d.programme == e.programme and d.eligible and d.payment == "monthly" and covers:
            return d.monthly_amount_fen, e.class_code or d.class_code, e.persons_covered or d.persons_covered
    return None, e.class_code, e.persons_covered


def _row(ctx: ReportContext, e: Enrolment, f: HouseholdFacts, masked: bool) -> dict[str, Any]:
    """The publishable facts of one enrolment. Nothing else ever leaves here."""
    month = ctx.request.month
    person = f.member(e.member_id) if e.member_id else f.head
    living = f.living(month)
    row: dict[str, Any] = {
        "village": f.village,
        "applicant": person.name if person else f.head_name,
        "household_size": len(living),
        "persons": e.persons_covered or (1 if e.member_id else len(living)),
        "category": " ".join(x for x in (e.programme, e.class_code) if x),
        "amount": e.monthly_amount_fen or None,
    }
    if masked and person:
        row["id_masked"] = mask_id(person.id_number)
    return row


def build_publicity(ctx: ReportContext) -> Document:
    month = ctx.request.month
    first, last = months.iso_bounds(month)
    masked = MASKED_ID in ctx.request.options
    ctx.step(0, 3, "正在查找本月公示和公布的对象…")
    shown = _in_village(
        ctx,
        "publicity_from IS NOT NULL AND publicity_from <= ? AND coalesce(publicity_to, publicity_from) >= ?",
        (last, first),
    )
    published = _in_village(
        ctx, f"start_month = ? AND status IN ({','.join('?' * len(PUBLISHED))})", (month, *PUBLISHED)
    )
    facts = household_facts(ctx, {e.household_id for e in shown + published})
    village = village_of_request(ctx)
    programme = ctx.request.programme or ""
    spec_title = ctx.spec.title
    if published and not shown:
        # Nothing is up for 公示 this month: the sheet announces decisions only (公布).
        spec_title = spec_title.replace("公示", "公布")
    doc = ctx.document(title=f"{ctx.township}{village}{ctx.month_label}{programme}{spec_title}")
    doc.subtitle = f"{ctx.township}人民政府"
    columns = tuple(c for c in ctx.spec.columns if masked or c.key != "id_masked")
    ctx.step(1, 3, f"正在列出 {len(shown)} 户初审公示…")
    if shown:
        table = replace(ctx.spec.table(), columns=columns, caption="一、初审公示（公示期 7 天）", grand_total=False)
        for seq, e in enumerate(shown, 1):
            f = facts.get(e.household_id)
            if f is None:
                continue
            row = _row(ctx, e, f, masked)
            amount, cls, persons = _proposed(ctx, e)
            row.update(
                seq=seq,
                amount=amount,
                category=" ".join(x for x in (e.programme, cls) if x),
                persons=persons or row["persons"],
                period=f"{e.publicity_from}至{e.publicity_to or ''}",
                opinion=_opinion(e),
            )
            table.add(row)
        doc.blocks.append(table)
    ctx.step(2, 3, f"正在列出 {len(published)} 户审核确认后公布…")
    if published:
        kept = tuple(c for c in columns if c.key not in PUBLICITY_ONLY)
        caption = ("二、" if shown else "") + f"审核确认后公布（自{ctx.month_label}起享受）"
        table = replace(ctx.spec.table(), columns=kept, caption=caption, grand_total=False)
        for seq, e in enumerate(published, 1):
            f = facts.get(e.household_id)
            if f is not None:
                table.add({**_row(ctx, e, f, masked), "seq": seq})
        doc.blocks.append(table)
    if not shown and not published:
        doc.blocks.append(Paragraph(f"{village}{ctx.month_label}没有需要公示或公布的救助对象。", "body"))
        doc.warnings.append("本月该村没有公示或公布的对象。")
    doc.blocks.append(
        Paragraph(
            "公示期内对名单有异议的，可向乡镇人民政府或县民政局实名反映，我们将及时核实并反馈。"
            "本名单依法保护个人隐私，仅公布姓名、家庭人数和保障金额。",
            "note",
        )
    )
    if ctx.spec.signatures:
        doc.blocks.append(Signatures(ctx.spec.signatures))
    ctx.step(3, 3, "完成")
    return doc


KINDS = (
    ReportKind(
        name="publicity",
        label="公示公布名单",
        build=build_publicity,
        needs_village=True,
        options=(MASKED_ID,),
        description="一个村本月初审公示和审核确认后公布的对象（大字，张贴用）；不含身份证号、账号、电话、住址和病情。",
    ),
)
