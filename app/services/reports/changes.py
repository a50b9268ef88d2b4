"""动态管理增减变动表: the month's additions and removals, reported to the county by the 25th.

The rows are the monthly close's own 增减名单 (``s.monthly_close.changes``), so the paper and
the page can never disagree; the summary under them (new, exits, net, covered at month end,
per programme) is counted from the same two rosters the list compares, so it adds up with the
roster of the month. A month whose roster was never generated is refused with the list's own
sentence: without it every beneficiary of the previous month would look 停保.
"""

from __future__ import annotations

from ...domain import months
from ...domain.idnumber import mask as mask_id
from ...domain.policy.payments import RosterLine
from ...domain.report import Column, Document, Kind, Paragraph, Signatures, Table
from ...errors import InvalidInput
from .context import ReportContext, ReportKind
from .register_facts import HouseholdFacts, household_facts, subtitle, village_of_request

SUMMARY_COLUMNS = (
    Column("programme", "救助类型", Kind.TEXT, 1.6),
    Column("new_households", "当月新增户数", Kind.INT, 1.0, total=True),
    Column("new_persons", "当月新增人数", Kind.INT, 1.0, total=True),
    Column("exit_households", "当月退出户数", Kind.INT, 1.0, total=True),
    Column("exit_persons", "当月退出人数", Kind.INT, 1.0, total=True),
    Column("net_households", "净增减户数", Kind.INT, 1.0, total=True),
    Column("net_persons", "净增减人数", Kind.INT, 1.0, total=True),
    Column("end_households", "月末在保户数", Kind.INT, 1.0, total=True),
    Column("end_persons", "月末在保人数", Kind.INT, 1.0, total=True),
)


def _regular(lines: list[RosterLine], village: str, facts: dict[str, HouseholdFacts]) -> list[RosterLine]:
    out = [ln for ln in lines if ln.kind == "regular"]
    if village:
        out = [ln for ln in out if (f := facts.get(ln.household_id)) is not None and f.village_code == village]
    return out


def summary(cur: list[RosterLine], prev: list[RosterLine]) -> Table:
    """Per programme: households and persons that came in, left, the net, and those covered at month end."""
    table = Table(SUMMARY_COLUMNS, caption="汇总")
    programmes = sorted({ln.programme for ln in cur} | {ln.programme for ln in prev})
    for programme in programmes:
        now = [ln for ln in cur if ln.programme == programme]
        before = [ln for ln in prev if ln.programme == programme]
        now_keys = {ln.key for ln in now}
        before_keys = {ln.key for ln in before}
        now_hh = {ln.household_id for ln in now}
        before_hh = {ln.household_id for ln in before}
        end_persons = sum(ln.persons for ln in now)
        table.add(
            {
                "programme": programme,
                "new_households": len(now_hh - before_hh),
                "new_persons": sum(ln.persons for ln in now if ln.key not in before_keys),
                "exit_households": len(before_hh - now_hh),
                "exit_persons": sum(ln.persons for ln in before if ln.key not in now_keys),
                "net_households": len(now_hh) - len(before_hh),
                "net_persons": end_persons - sum(ln.persons for ln in before),
                "end_households": len(now_hh),
                "end_persons": end_persons,
            }
        )
    return table


def _last_visits(ctx: ReportContext, ids: set[str]) -> dict[str, tuple[str, str]]:
    """Each household's last visit up to the month's end: (date, visitors)."""
    _start, end = months.iso_bounds(ctx.request.month)
    out: dict[str, tuple[str, str]] = {}
    ordered = sorted(i for i in ids if i)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        for hid, day, who in ctx.s.db.query(
            f"SELECT household_id, visit_date, visitors FROM visits WHERE deleted = 0 AND household_id IN ({marks}) "
            "AND visit_date <= ? ORDER BY visit_date",
            (*chunk, end),
        ):
            out[hid] = (day, who)
    return out


def build_changes(ctx: ReportContext) -> Document:
    month = ctx.request.month
    ctx.step(0, 3, f"正在与上月名册比对 {month} 的增减…")
    listed = ctx.s.monthly_close.change_list(month)
    if listed.not_generated:
        raise InvalidInput(listed.not_generated, field="month")
    rows = listed.rows
    if ctx.request.programme:
        rows = [r for r in rows if r.programme == ctx.request.programme]
    cur_all = ctx.s.payments.roster_lines(month)
    prev_all = ctx.s.payments.roster_lines(months.add(month, -1))
    facts = household_facts(ctx, {ln.household_id for ln in cur_all} | {ln.household_id for ln in prev_all})
    village = ctx.request.village or ""
    resolved = [(r, r.household_id) for r in rows]
    if village:
        village_name = village_of_request(ctx)
        resolved = [
            (r, hid)
            for r, hid in resolved
            if (facts[hid].village_code == village if hid in facts else r.village == village_name)
        ]
    visits = _last_visits(ctx, {hid for _r, hid in resolved})
    ctx.step(1, 3, f"正在列出 {len(resolved)} 条增减…")
    doc = ctx.document(subtitle=subtitle(ctx, f"救助项目：{ctx.request.programme or '全部'}", village_of_request(ctx)))
    table = ctx.spec.table(caption="增减明细")
    for seq, (r, hid) in enumerate(resolved, 1):
        head = facts[hid].head if hid in facts else None
        day, who = visits.get(hid, ("", ""))
        table.add(
            {
                "seq": seq,
                "township": ctx.township,
                "village": r.village,
                "head": r.head_name,
                "id_masked": mask_id(head.id_number) if head else "",
                "programme": r.programme,
                "change": r.change,
                "reason": r.reason,
                "persons_before": r.persons_before,
                "persons_after": r.persons_after,
                "amount_before": r.amount_before_fen,
                "amount_after": r.amount_after_fen,
                "effective": r.month,
                "checked_on": day,
                "checkers": who,
            }
        )
    doc.blocks.append(table)
    if not resolved:
        doc.blocks.append(Paragraph("本月与上月相比没有增减变动。", "note"))
    programme = ctx.request.programme
    cur = [ln for ln in _regular(cur_all, village, facts) if not programme or ln.programme == programme]
    prev = [ln for ln in _regular(prev_all, village, facts) if not programme or ln.programme == programme]
    ctx.step(2, 3, "正在汇总…")
    doc.blocks.append(summary(cur, prev))
    doc.blocks.append(
        Paragraph("新增和停保自次月起生效；月末在保以本月发放名册的正常发放行计（不含更正和节日补助行）。", "note")
    )
    if ctx.spec.signatures:
        doc.blocks.append(Signatures(ctx.spec.signatures))
    ctx.step(3, 3, "完成")
    return doc


KINDS = (
    ReportKind(
        name="changes",
        label="动态管理增减变动表",
        build=build_changes,
        description="本月与上月发放名册相比的新增、停保、增发、减发等变动及汇总，每月25日前报县民政局。",
    ),
)
