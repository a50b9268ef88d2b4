"""保障对象花名册 and 资金发放花名册: the month's payment roster printed for the file and for the bank.

Both read the roster the office built (``s.payments``), never recompute it: the paper must
add up to the register to the fen. The 花名册 shows every line of the month, corrections and
holiday lines on their own rows, and is a draft until the month is closed; the bank's list is
printed from the locked roster of a closed month only, one row per payee, with full ID numbers
and accounts (the bank pays by them) and a subtotal on every page (the bank counts by page).
"""

from __future__ import annotations

from typing import Any

from ...domain import workflow
from ...domain.entities import Enrolment
from ...domain.report import Document, Signatures
from ...errors import InvalidInput
from ..payments import RosterRow
from ..policy_book import PolicyBookService
from .context import ReportContext, ReportKind
from .register_facts import HouseholdFacts, IdShown, household_facts, subtitle, village_of_request

ROSTER_PROGRAMMES = ("低保", "特困", "孤儿基本生活费", "高龄补贴", "困难残疾人生活补贴", "重度残疾人护理补贴")
PAID_PROGRAMMES = ("低保", "特困", "临时救助", "高龄补贴", "孤儿基本生活费", "困难残疾人生活补贴", "重度残疾人护理补贴")
KIND_NOTES = {"correction": "更正", "holiday": "节日补助"}


def month_rows(ctx: ReportContext) -> list[RosterRow]:
    """The month's roster rows for the request's programme and village; refused when never generated."""
    month = ctx.request.month
    rows = ctx.s.payments.roster(month)
    if not rows:
        raise InvalidInput(f"{month} 的发放名册尚未生成，请先在“发放名册”中生成。", field="month")
    if ctx.request.programme:
        rows = [r for r in rows if r.payment.programme == ctx.request.programme]
    return rows


def _in_village(ctx: ReportContext, rows: list[RosterRow], facts: dict[str, HouseholdFacts]) -> list[RosterRow]:
    village = ctx.request.village
    if not village:
        return rows
    return [r for r in rows if (f := facts.get(r.payment.household_id)) is not None and f.village_code == village]


def _enrolments(ctx: ReportContext, ids: set[str]) -> dict[str, Enrolment]:
    out: dict[str, Enrolment] = {}
    ordered = sorted(i for i in ids if i)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        for e in ctx.s.store.repo(Enrolment).where(f"id IN ({marks})", tuple(chunk)):
            out[e.id] = e
    return out


def _note(row: RosterRow) -> str:
    p = row.payment
    label = KIND_NOTES.get(p.kind, "")
    parts = [label] if label else []
    if p.note and p.note != label:
        parts.append(p.note)
    if "单人保" in p.flags:
        parts.append("单人保")
    return "；".join(parts)


def build_roster(ctx: ReportContext) -> Document:
    month = ctx.request.month
    ctx.step(0, 3, f"正在读取 {month} 的发放名册…")
    rows = month_rows(ctx)
    facts = household_facts(ctx, (r.payment.household_id for r in rows))
    rows = _in_village(ctx, rows, facts)
    enrolments = _enrolments(ctx, {r.payment.enrolment_id for r in rows})
    ctx.step(1, 3, f"正在排列 {len(rows)} 行…")
    doc = ctx.document(subtitle=subtitle(ctx, f"救助项目：{ctx.request.programme}", village_of_request(ctx)))
    table = ctx.spec.table()
    shown = IdShown(ctx)
    grace: int | None = None
    for seq, r in enumerate(rows, 1):
        p = r.payment
        f = facts.get(p.household_id)
        e = enrolments.get(p.enrolment_id)
        living = f.living(month) if f else []
        personal = bool(p.member_id)
        regular = p.kind == "regular"
        taper_since = ""
        if "渐退" in p.flags and e is not None and e.grace_until:
            grace = grace if grace is not None else PolicyBookService(ctx.s).for_month(month).grace_months
            taper_since = workflow.taper_since(e.grace_until, grace)
        head = f.head if f else None
        person = f.member(p.member_id) if f and personal else None
        table.add(
            {
                "seq": seq,
                "village": r.village,
                "head": r.head_name,
                "head_id": shown(head.id_number, doc.warnings) if head else "",
                "person": r.member_name if personal else "全户",
                "person_id": shown(person.id_number, doc.warnings) if person else "",
                "household_size": len(living),
                # Persons are counted on the regular line only: a correction or holiday line pays the same people again.
                "persons": p.persons if regular else None,
                "class": p.class_code,
                "amount": p.amount_fen,
                "taper": f"{taper_since}起" if taper_since else ("是" if "渐退" in p.flags else ""),
                "relative": bool(f and f.official_relative),
                "since": e.start_month if e else "",
                "members": "、".join(m.name for m in living) if not personal else r.member_name,
                "note": _note(r),
            }
        )
    doc.blocks.append(table)
    if ctx.spec.signatures:
        doc.blocks.append(Signatures(ctx.spec.signatures))
    if not rows:
        doc.warnings.append("所选项目和村在本月名册中没有发放行。")
    ctx.step(3, 3, "完成")
    return doc


def build_payment_roster(ctx: ReportContext) -> Document:
    month = ctx.request.month
    ctx.step(0, 3, f"正在读取 {month} 锁定的发放名册…")
    rows = month_rows(ctx)
    facts = household_facts(ctx, (r.payment.household_id for r in rows))
    rows = _in_village(ctx, rows, facts)
    doc = ctx.document(
        subtitle=subtitle(ctx, f"救助项目：{ctx.request.programme or '全部'}", village_of_request(ctx), draft=False)
    )
    unlocked = [r for r in rows if not r.payment.locked]
    if unlocked:
        doc.warnings.append(f"有 {len(unlocked)} 行尚未审核锁定，未列入银行发放花名册。")
    rows = [r for r in rows if r.payment.locked]
    ctx.step(1, 3, "正在按收款人合并…")
    # One row per payee and programme: the bank transfers the net of the regular, holiday and
    # correction lines, never a negative amount on its own.
    payees: dict[tuple[str, str, str], dict[str, Any]] = {}
    shown = IdShown(ctx)
    for r in rows:
        p = r.payment
        key = (p.household_id, p.member_id, p.programme)
        entry = payees.get(key)
        if entry is None:
            f = facts.get(p.household_id)
            person = (f.member(p.member_id) if p.member_id else f.head) if f else None
            entry = payees[key] = {
                "village": r.village,
                "name": person.name if person else (r.member_name or r.head_name),
                "id_number": shown(person.id_number, doc.warnings) if person else "",
                "bank": f.bank_name if f else "",
                "account": shown(f.bank_account, doc.warnings) if f else "",
                "programme": p.programme,
                "amount": 0,
                "notes": [],
            }
        entry["amount"] += p.amount_fen
        note = _note(r)
        if note:
            entry["notes"].append(note)
    table = ctx.spec.table(page_subtotals=True)
    missing = 0
    for seq, entry in enumerate(sorted(payees.values(), key=lambda x: (x["village"], x["name"])), 1):
        if not entry["account"]:
            missing += 1
        table.add({**entry, "seq": seq, "note": "；".join(entry["notes"])})
    if missing:
        doc.warnings.append(f"有 {missing} 名收款人没有登记银行账号，请补登后再交银行。")
    doc.blocks.append(table)
    doc.blocks.append(Signatures(ctx.spec.signatures or ("制表人", "审核人", "负责人", "盖章")))
    ctx.step(3, 3, "完成")
    return doc


KINDS = (
    ReportKind(
        name="roster",
        label="保障对象花名册",
        build=build_roster,
        programmes=ROSTER_PROGRAMMES,
        needs_programme=True,
        description="一个救助项目本月的保障对象：户主、成员、保障人数、类别、月保障金、渐退和近亲属备案。",
    ),
    ReportKind(
        name="payment-roster",
        label="资金发放花名册",
        build=build_payment_roster,
        programmes=PAID_PROGRAMMES,
        needs_closed_month=True,
        description="交银行的发放名单：收款人、身份证号、开户行、账号和金额，每页小计；只从已审核锁定的名册打印。",
    ),
)
