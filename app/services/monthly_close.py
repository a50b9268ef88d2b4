"""The monthly close by the 25th: checklist, 动态管理增减名单, and the month's figures frozen.

Checklist (the county's notice): every household under watch visited; every alert
followed (none left merely "open"); the comparison with the partner departments
done; the payment roster approved. A reviewer closes the month; an incomplete
checklist needs a written reason, which is kept with the frozen figures.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ..domain.entities import Enrolment, EnrolmentStep, MonthClose
from ..domain.policy import months
from ..domain.policy.payments import RosterLine, diff_rosters
from ..errors import InvalidInput
from . import permissions
from .base import Service
from .households import village_names
from .payments import report


@dataclass
class ChecklistItem:
    key: str
    label: str
    done: bool
    detail: str


@dataclass
class ChangeRow:
    change: str
    village: str
    head_name: str
    programme: str
    persons_before: int
    persons_after: int
    amount_before_fen: int
    amount_after_fen: int
    month: str
    reason: str
    # Which household: the printed 增减变动表 needs the head's ID number, which village + name
    # cannot always find (two 马玉兰 in one village).
    household_id: str = ""


@dataclass
class ChangeList:
    """The 增减名单 as the page shows it: ``rows``, or, when there is nothing to compare, why not."""

    rows: list[ChangeRow]
    # One sentence when the month's roster has not been generated: without it every beneficiary of
    # the previous month would look 停保, so no rows are listed at all.
    not_generated: str = ""


#: The steps :meth:`MonthlyCloseService.close` reports.
CLOSE_STEPS = 3


class MonthlyCloseService(Service):
    def checklist(self, month: str) -> list[ChecklistItem]:
        done, due = self.s.visits.progress(month)
        open_alerts = self.db.scalar("SELECT count(*) FROM alerts WHERE deleted = 0 AND status = 'open'")
        comparison_item = self._comparison_item(month)
        lines = self.s.payments.lines(month)
        approved = bool(lines) and all(p.locked for p in lines)
        return [
            ChecklistItem("visits", "入户核查", done >= due, f"{done}/{due} 户已核查"),
            ChecklistItem("alerts", "预警跟进", open_alerts == 0, f"{open_alerts} 条预警尚未处理"),
            comparison_item,
            ChecklistItem(
                "roster",
                "发放名册审核",
                approved,
                "已审核锁定" if approved else ("尚未生成" if not lines else "尚未审核锁定"),
            ),
        ]

    def _comparison_item(self, month: str) -> ChecklistItem:
        """数据比对: done with at least one list compared and every finding settled; the detail names
        the departments compared and not, so the reviewer sees which lists are missing."""
        compared, pending = self.s.comparison.month_status(month)
        if not compared:
            return ChecklistItem("comparison", "数据比对", False, "本月尚未比对部门名单（比对页）")
        done, missing = self.s.comparison.month_sources(month)
        sources = f"已比对：{'、'.join(done)}；未比对：{'、'.join(missing) or '无'}"
        state = f"{pending} 条结论待核实或待处理" if pending else "结论均已核实处理"
        return ChecklistItem("comparison", "数据比对", pending == 0, f"{sources}。已比对 {compared} 份名单，{state}")

    def change_list(self, month: str) -> ChangeList:
        """The month's 增减名单, or the sentence saying its roster has not been generated yet."""
        current = self.s.payments.roster_lines(month)
        if not current:
            return ChangeList([], f"{month} 的发放名册尚未生成，生成名册后才能列出增减名单。")
        return ChangeList(self._diff(month, current))

    def changes(self, month: str) -> list[ChangeRow]:
        """The month's additions and removals against the previous month's roster; none while the
        month has no roster (see :meth:`change_list` for the sentence saying so)."""
        current = self.s.payments.roster_lines(month)
        return self._diff(month, current) if current else []

    def _diff(self, month: str, cur: list[RosterLine]) -> list[ChangeRow]:
        prev = self.s.payments.roster_lines(months.add(month, -1))
        reasons = self._stop_reasons(month)
        names = village_names(self.db)
        heads = {hid: (v, head) for hid, v, head in self.db.query("SELECT id, village_code, head_name FROM households")}
        out = []
        for c in diff_rosters(prev, cur, reasons):
            v, head = heads.get(c.household_id, ("", ""))
            out.append(
                ChangeRow(
                    c.change,
                    names.get(v, v),
                    head,
                    c.programme,
                    c.persons_before,
                    c.persons_after,
                    c.amount_before_fen,
                    c.amount_after_fen,
                    c.month,
                    c.reason,
                    c.household_id,
                )
            )
        out.sort(key=lambda r: (r.change, r.village, r.head_name))
        return out

    def _stop_reasons(self, month: str) -> dict:
        """Reasons written at 停保 steps, keyed as the roster lines are."""
        out = {}
        for e in self.store.repo(Enrolment).where("status = '停保' AND end_month = ?", (months.add(month, -1),)):
            steps = self.store.repo(EnrolmentStep).where("enrolment_id = ? AND step = '停保'", (e.id,))
            if steps and steps[-1].note:
                out[(e.household_id, e.programme, e.member_id if (e.single_person or e.member_id) else "")] = steps[
                    -1
                ].note
        return out

    def figures(self, month: str) -> dict:
        return {
            "totals": self.s.payments.totals(month),
            "visits": dict(zip(("done", "due"), self.s.visits.progress(month), strict=True)),
        }

    def closed(self, month: str) -> MonthClose | None:
        found = self.store.repo(MonthClose).where("month = ?", (month,))
        return found[0] if found else None

    def close(self, month: str, note: str = "", on: date | None = None, progress: Any = None) -> MonthClose:
        """Freeze the month's checklist, figures and 增减名单. *progress* (``update(done, total,
        label)``) hears each step: on a county's register the close takes long enough to say so."""
        permissions.require(self.s.user, permissions.APPROVE_ENROLMENT)
        on = on or date.today()
        # Closing freezes what happened in the month: one that has not begun has nothing to freeze.
        if month > months.of(on):
            raise InvalidInput(f"{month} 尚未开始，不能月结。", field="month")
        if self.closed(month):
            raise InvalidInput(f"{month} 已经月结。")
        report(progress, 0, CLOSE_STEPS, f"正在核对 {month} 的月结清单…")
        items = self.checklist(month)
        missing = [i.label for i in items if not i.done]
        if not any(i.key == "roster" and i.done for i in items):
            raise InvalidInput("发放名册尚未审核锁定，不能月结。")
        if missing and not note.strip():
            raise InvalidInput(f"以下事项未完成：{'、'.join(missing)}；如仍要月结，请写明原因。")
        report(progress, 1, CLOSE_STEPS, f"正在与上月名册比对，列出 {month} 的增减名单…")
        changes = self.changes(month)
        report(progress, 2, CLOSE_STEPS, f"正在汇总并冻结 {month} 的数字…")
        figures = self.figures(month)
        record = MonthClose(
            month=month,
            closed_on=on,
            checklist_json=json.dumps([asdict(i) for i in items], ensure_ascii=False),
            figures_json=json.dumps(figures, ensure_ascii=False),
            changes_json=json.dumps([asdict(c) for c in changes], ensure_ascii=False),
            note=note.strip(),
        )
        with self.store.transaction():
            if self.closed(month):  # another PC closed it meanwhile
                raise InvalidInput(f"{month} 已经月结。")
            self.store.save(record, self.s.user.username, "月结")
        report(progress, CLOSE_STEPS, CLOSE_STEPS, "完成")
        return record
