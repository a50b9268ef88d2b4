"""Monitoring and early warning (监测预警): run the rules, raise alerts, follow each to a close.

An alert is raised once per household, rule and member while it is not closed;
it is acknowledged, followed by a visit, and closed with a note (docs/domain.md §6).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from ..domain import workflow
from ..domain.entities import Alert, Enrolment, Household, IncomeRecord, Member, Visit
from ..domain.policy.alerts import MonitoringSnapshot, evaluate, plain_message
from ..domain.workflow import HAS_PAID, IN_FORCE, TERMINAL
from ..errors import DoudiError, InvalidInput, NotFound
from . import permissions
from .base import Service
from .enrolments import in_force as _in_force
from .households import village_names
from .income import build_case
from .policy_book import PolicyBookService

OPEN_STATUSES = ("open", "acknowledged", "followed")


@dataclass
class AlertRow:
    alert: Alert
    village: str
    head_name: str


class MonitoringService(Service):
    def run(self, month: str, as_of: date | None = None, progress=None) -> int:
        """Evaluate every household under watch; returns the number of new alerts raised."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        as_of = as_of or date.today()
        params = PolicyBookService(self.s).for_month(month)
        households = self.store.repo(Household).where("archived = 0")
        grouped = _group(self.store.repo(Member).where("1"), "household_id")
        income = _group(self.store.repo(IncomeRecord).where("1"), "household_id")
        # An application refused or withdrawn is no application: the household may be flagged again.
        ended = (workflow.Status.REFUSED.value, workflow.Status.WITHDRAWN.value)
        enrolments = _group(self.store.repo(Enrolment).where("status NOT IN (?, ?)", ended), "household_id")
        last_visits: dict[str, Visit] = {}
        for v in self.store.repo(Visit).where(
            "id IN (SELECT id FROM visits v WHERE v.visit_date = (SELECT max(visit_date) FROM visits w "
            "WHERE w.household_id = v.household_id AND w.deleted = 0))"
        ):
            last_visits[v.household_id] = v
        existing = {
            (hid, rule, mid)
            for hid, rule, mid in self.db.query(
                "SELECT household_id, rule, member_id FROM alerts WHERE deleted = 0 AND status != 'closed'"
            )
        }
        # A household-wide finding is already raised if the rule has any open alert for the household,
        # e.g. the per-member 三留守 alerts raised before they became one per household.
        existing_rules = {(hid, rule) for hid, rule, _mid in existing}
        new_alerts = []
        for n, h in enumerate(households, 1):
            members = grouped.get(h.id, [])
            if not members:
                continue
            mine = enrolments.get(h.id, [])
            in_force = [e for e in mine if e.status in _PAID and _in_force(e, month)]
            asked = tuple(sorted({e.programme for e in mine if _pending(e, month)}))
            visit = last_visits.get(h.id)
            case = build_case(h, members, income.get(h.id, []), in_force, visit, grace_months=params.grace_months)
            dibao = next((e for e in in_force if e.programme == "低保" and e.status == "渐退"), None)
            snapshot = MonitoringSnapshot(
                case=case,
                month=month,
                as_of=as_of,
                last_visit=visit.visit_date if visit else None,
                grace_until=dibao.grace_until if dibao else None,
                open_applications=asked,
            )
            names = {m.id: m.name for m in members}
            for finding in evaluate(snapshot, params, income_known=bool(income.get(h.id)), under_watch=h.under_watch):
                key = (h.id, finding.rule, finding.member_ref or "")
                if key in existing or (finding.member_ref is None and key[:2] in existing_rules):
                    continue
                existing.add(key)
                existing_rules.add(key[:2])
                message = finding.message
                for ref, name in names.items():
                    message = message.replace(ref, name)
                new_alerts.append(
                    Alert(
                        household_id=h.id,
                        member_id=finding.member_ref or "",
                        rule=finding.rule,
                        level=finding.level,
                        message=message,
                        raised_on=as_of,
                        status="open",
                    )
                )
            if progress and n % 500 == 0:
                progress(n, len(households))
        with self.store.transaction():
            self.store.bulk_save(new_alerts, self.s.user.username)
            self.store.audit(
                self.s.user.username,
                "运行监测预警规则",
                "alerts",
                month,
                {"month": month, "households": len(households), "new_alerts": len(new_alerts)},
            )
        return len(new_alerts)

    def _get(self, alert_id: str) -> Alert:
        a = self.store.repo(Alert).get(alert_id)
        if a is None or a.deleted:
            raise NotFound("没有找到这条预警。")
        return a

    def _move(
        self, alert_id: str, action: str, read_version: str | None, what: str = "这条预警", item=None, **changes
    ) -> Alert:
        """Move the alert on; ``read_version`` is its ``updated_at`` as the page showed it."""
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        seen = self._get(alert_id)
        with self.store.transaction():
            before = self.current(Alert, alert_id, read_version or seen.updated_at, what)
            if before.status == "closed":
                raise InvalidInput(f"{what}已关闭。", item=item)
            if changes.get("status") == "acknowledged" and before.status != "open":
                # Acknowledging would set a followed alert back a step.
                raise InvalidInput(f"{what}已知悉或已跟进，不必再知悉。", item=item)
            after = dataclasses.replace(before, **changes)
            try:
                after.validate()
            except Exception as exc:  # noqa: BLE001 - whatever validate() refuses reaches the clerk as one sentence
                raise InvalidInput(getattr(exc, "message", str(exc)), item=item) from None
            self.store.save(after, self.s.user.username, action, before=before)
        return after

    def _move_many(self, picked: list[tuple[str, str | None]], action: str, **changes) -> list[Alert]:
        """Move every picked alert ``(id, read_version)`` in one transaction: all of them or, on a refusal, none.

        The refusal names the alert by its place in the selection and its household, so the clerk
        can find it after the list reloads.
        """
        permissions.require(self.s.user, permissions.WRITE_REGISTER)
        if not picked:
            raise InvalidInput("请先选择预警。")
        heads = dict(self.db.query("SELECT id, head_name FROM households"))
        out = []
        with self.store.transaction():
            for i, (alert_id, version) in enumerate(picked):
                a = self.store.repo(Alert).get(alert_id)
                head = heads.get(a.household_id, "") if a is not None else ""
                what = f"所选第 {i + 1} 条预警（{head}户 {a.rule}）" if a is not None else f"所选第 {i + 1} 条预警"
                try:
                    out.append(self._move(alert_id, action, version, what, item=i, **changes))
                except DoudiError as exc:
                    exc.item = i  # the row of the selection at fault (ChangedMeanwhile, NotFound carry none)
                    raise
        return out

    def acknowledge(self, alert_id: str, read_version: str | None = None) -> Alert:
        return self._move(alert_id, "预警已知悉", read_version, status="acknowledged")

    def follow(self, alert_id: str, visit_id: str, read_version: str | None = None) -> Alert:
        alert = self._get(alert_id)
        visit = self.store.repo(Visit).get(visit_id)
        if visit is None or visit.deleted or visit.household_id != alert.household_id:
            raise InvalidInput("跟进的入户核查须是同一户的记录。", field="follow_visit_id")
        return self._move(
            alert_id, "预警已入户跟进", read_version or alert.updated_at, status="followed", follow_visit_id=visit_id
        )

    def close(self, alert_id: str, note: str, on: date | None = None, read_version: str | None = None) -> Alert:
        if not note.strip():
            raise InvalidInput("关闭预警须写明处理结果。", field="close_note")
        return self._move(
            alert_id, "预警关闭", read_version, status="closed", close_note=note.strip(), closed_on=on or date.today()
        )

    def acknowledge_many(self, picked: list[tuple[str, str | None]]) -> list[Alert]:
        """Acknowledge the selected open alerts ``(id, read_version)`` in one transaction."""
        return self._move_many(picked, "预警已知悉", status="acknowledged")

    def close_many(self, picked: list[tuple[str, str | None]], note: str, on: date | None = None) -> list[Alert]:
        """Close the selected alerts with one note, in one transaction."""
        if not note.strip():
            raise InvalidInput("关闭预警须写明处理结果。", field="close_note")
        return self._move_many(
            picked, "预警关闭", status="closed", close_note=note.strip(), closed_on=on or date.today()
        )

    def open_alerts(self, level: int = 0, village_code: str = "") -> list[AlertRow]:
        return self.alerts(level, village_code)

    def alerts(self, level: int = 0, village_code: str = "", status: str = "") -> list[AlertRow]:
        """Alerts by level and village: ``status`` "" the ones not closed, "all" every one, or one status."""
        clauses = ["a.deleted = 0"]
        params: list[object] = []
        if status == "":
            clauses.append("a.status != 'closed'")
        elif status != "all":
            clauses.append("a.status = ?")
            params.append(status)
        if level:
            clauses.append("a.level = ?")
            params.append(level)
        if village_code:
            clauses.append("h.village_code = ?")
            params.append(village_code)
        ids = [
            r[0]
            for r in self.db.query(
                f"SELECT a.id FROM alerts a JOIN households h ON h.id = a.household_id WHERE {' AND '.join(clauses)} "
                f"ORDER BY a.level DESC, h.village_code, a.raised_on",
                params,
            )
        ]
        names = village_names(self.db)
        heads = {hid: (v, head) for hid, v, head in self.db.query("SELECT id, village_code, head_name FROM households")}
        out = []
        repo = self.store.repo(Alert)
        for aid in ids:
            a = repo.get(aid)
            assert a is not None  # the id was just read from the same table
            v, head = heads.get(a.household_id, ("", ""))
            # Alerts raised by older versions cite source codes (S15); show them in words.
            a = dataclasses.replace(a, message=plain_message(a.message))
            out.append(AlertRow(a, names.get(v, v), head))
        return out

    def counts(self) -> dict[str, int]:
        return dict(self.db.query("SELECT status, count(*) FROM alerts WHERE deleted = 0 GROUP BY status"))


_PAID = HAS_PAID


def _pending(e: Enrolment, month: str) -> bool:
    """An application under way, or an approval whose payments have not started by ``month``."""
    if e.status in TERMINAL:
        return False
    if e.status in IN_FORCE:
        return not e.start_month or e.start_month > month
    return True


def _group(rows, attr: str) -> dict:
    out: dict = {}
    for r in rows:
        out.setdefault(getattr(r, attr), []).append(r)
    return out
