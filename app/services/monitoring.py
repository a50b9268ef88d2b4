"""Monitoring and early warning (监测预警): run the rules, raise alerts, follow each to a close.

An alert is raised once per household, rule and member while it is not closed;
it is acknowledged, followed by a visit, and closed with a note (docs/domain.md §6).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..db.bulk_reads import gc_paused, group_by
from ..domain import vocab, workflow
from ..domain.entities import Alert, Enrolment, Visit
from ..domain.policy.alerts import MonitoringSnapshot, evaluate, plain_message
from ..domain.policy.income import assess_income
from ..domain.policy.model import CurrentDibao, Deduction, HouseholdCase, IncomeItem, PersonCase, PropertySummary
from ..domain.policy.params import Params
from ..domain.workflow import HAS_PAID, IN_FORCE, TERMINAL
from ..errors import DoudiError, InvalidInput, NotFound
from . import permissions
from .base import Service
from .enrolments import in_force as _in_force
from .households import village_names
from .income import (
    DEDUCTION_KIND,
    FULL_TIME_SCHOOLING,  # the one list person_case uses
    grace_since,
)
from .policy_book import PolicyBookService

OPEN_STATUSES = ("open", "acknowledged", "followed")


@dataclass
class WatchedHousehold:
    """One household as the rules see it in a run."""

    household_id: str
    under_watch: bool
    income_known: bool  # any income item or deduction recorded: an unknown income is not zero
    snapshot: MonitoringSnapshot


class Watched(list[WatchedHousehold]):
    """The households the rules evaluate, and how many the run looked at (those with no members too)."""

    def __init__(self, households: int) -> None:
        super().__init__()
        self.households = households


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
        with gc_paused():
            watched = self.snapshots(month, as_of, params)
            for n, w in enumerate(watched, 1):
                for finding in evaluate(w.snapshot, params, income_known=w.income_known, under_watch=w.under_watch):
                    key = (w.household_id, finding.rule, finding.member_ref or "")
                    if key in existing or (finding.member_ref is None and key[:2] in existing_rules):
                        continue
                    existing.add(key)
                    existing_rules.add(key[:2])
                    message = finding.message
                    for m in w.snapshot.case.members:
                        message = message.replace(m.ref, m.name)
                    new_alerts.append(
                        Alert(
                            household_id=w.household_id,
                            member_id=finding.member_ref or "",
                            rule=finding.rule,
                            level=finding.level,
                            message=message,
                            raised_on=as_of,
                            status="open",
                        )
                    )
                if progress and n % 500 == 0:
                    progress(n, len(watched))
        with self.store.transaction():
            self.store.bulk_save(new_alerts, self.s.user.username)
            self.store.audit(
                self.s.user.username,
                "运行监测预警规则",
                "alerts",
                month,
                {"month": month, "households": watched.households, "new_alerts": len(new_alerts)},
            )
        return len(new_alerts)

    def snapshots(self, month: str, as_of: date, params: Params) -> Watched:
        """What the rules see of every household not archived that has members, read in one pass.

        The rules run over the whole register every month, so this reads the columns they use
        straight into the rules' types instead of through the register's entities: on a county
        that halves the time of the run. It must give exactly what
        :func:`app.services.income.build_case` gives from the entities (a property test holds it to that).
        """
        households = [
            (hid, bool(urban), bool(official), _FORMERLY_POOR in _json_list(categories), bool(watch))
            for hid, urban, official, categories, watch in self.db.execute(
                "SELECT id, urban, official_relative, categories, under_watch FROM households "
                "WHERE deleted = 0 AND archived = 0"
            )
        ]
        persons: dict[str, list[PersonCase]] = {}
        for row in self.db.execute(f"SELECT household_id, {', '.join(_PERSON_COLUMNS)} FROM members WHERE deleted = 0"):
            persons.setdefault(row[0], []).append(_person(row))
        items: dict[str, list[IncomeItem]] = {}
        deductions: dict[str, list[Deduction]] = {}
        for hid, mid, kind, subtype, amount, n_months, note in self.db.execute(
            "SELECT household_id, member_id, kind, subtype, amount_fen, months, note "
            "FROM income_items WHERE deleted = 0"
        ):
            if kind == DEDUCTION_KIND:
                deductions.setdefault(hid, []).append(Deduction(kind, amount, n_months, mid or None, note))
            else:
                items.setdefault(hid, []).append(IncomeItem(kind, amount, mid or None, n_months, subtype, note))
        # An application refused or withdrawn is no application: the household may be flagged again.
        ended = (workflow.Status.REFUSED.value, workflow.Status.WITHDRAWN.value)
        enrolments = group_by(self.store.repo(Enrolment).where("status NOT IN (?, ?)", ended), "household_id")
        last_visits: dict[str, tuple[date | None, list[str]]] = {}
        for hid, visited, signs in self.db.execute(
            "SELECT household_id, visit_date, risk_signs FROM visits WHERE deleted = 0 AND id IN "
            "(SELECT id FROM visits v WHERE v.visit_date = (SELECT max(visit_date) FROM visits w "
            "WHERE w.household_id = v.household_id AND w.deleted = 0))"
        ):
            last_visits[hid] = (date.fromisoformat(visited) if visited else None, _json_list(signs))
        out = Watched(households=len(households))
        for hid, urban, official, formerly_poor, under_watch in households:
            people = persons.get(hid)
            if not people:
                continue
            mine = enrolments.get(hid, [])
            in_force = [e for e in mine if e.status in _PAID and _in_force(e, month)]
            visit_date, signs = last_visits.get(hid, (None, []))
            dibao = next((e for e in in_force if e.programme == "低保" and e.status in workflow.IN_FORCE), None)
            case = HouseholdCase(
                urban=urban,
                members=tuple(people),
                income_items=tuple(items.get(hid, ())),
                deductions=tuple(deductions.get(hid, ())),
                property=PropertySummary(),
                disaster=vocab.DISASTER in signs,
                accident=vocab.ACCIDENT in signs,
                current_dibao=None if dibao is None else _current_dibao(dibao, params.grace_months),
                current_programmes=tuple(sorted({e.programme for e in in_force if e.status in workflow.IN_FORCE})),
                official_relative=official,
                formerly_poor=formerly_poor,
            )
            taper = next((e for e in in_force if e.programme == "低保" and e.status == "渐退"), None)
            snapshot = MonitoringSnapshot(
                case=case,
                month=month,
                as_of=as_of,
                last_visit=visit_date,
                grace_until=taper.grace_until if taper else None,
                open_applications=tuple(sorted({e.programme for e in mine if _pending(e, month)})),
                income=assess_income(case, month, params, explain=False),
            )
            out.append(WatchedHousehold(hid, under_watch, hid in items or hid in deductions, snapshot))
        return out

    def raise_alert(
        self, *, household_id: str, member_id: str, rule: str, level: int, message: str, on: date | None = None
    ) -> Alert:
        """Raise one alert found outside the rules (a comparison finding found true), inside the
        caller's transaction; an alert of the same rule for the same person still open is returned instead."""
        assert self.db.in_transaction, "raise_alert writes inside its caller's transaction"
        for a in self.store.repo(Alert).where(
            "household_id = ? AND rule = ? AND member_id = ? AND status != 'closed'", (household_id, rule, member_id)
        ):
            return a
        alert = Alert(
            household_id=household_id,
            member_id=member_id,
            rule=rule,
            level=level,
            message=message,
            raised_on=on or date.today(),
            status="open",
        )
        self.store.save(alert, self.s.user.username, "比对结论属实，提出预警")
        return alert

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

    def _move_many(self, picked: Sequence[tuple[str, str | None]], action: str, **changes) -> list[Alert]:
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

    def acknowledge_many(self, picked: Sequence[tuple[str, str | None]]) -> list[Alert]:
        """Acknowledge the selected open alerts ``(id, read_version)`` in one transaction."""
        return self._move_many(picked, "预警已知悉", status="acknowledged")

    def close_many(self, picked: Sequence[tuple[str, str | None]], note: str, on: date | None = None) -> list[Alert]:
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


_FORMERLY_POOR = "脱贫户"

# PersonCase fields read straight from the members table, in the order of _person's arguments.
_PERSON_COLUMNS = (
    "id",
    "name",
    "id_number",
    "birth_date",
    "sex",
    "relation",
    "deceased_on",
    "labour_ability",
    "disability_type",
    "disability_grade",
    "serious_illness",
    "schooling",
    "employed",
    "self_care",
    "left_behind",
)


def _person(row: tuple) -> PersonCase:
    """A members row (household id first, then _PERSON_COLUMNS) as :func:`.income.person_case` makes it."""
    _hid, mid, name, id_number, born, sex, relation, died, labour, dtype, dgrade, ill, school, employed, care, left = (
        row
    )
    return PersonCase(
        ref=mid,
        name=name,
        id_number=id_number,
        birth_date=date.fromisoformat(born) if born else None,
        sex=sex,
        relation=relation,
        deceased_on=date.fromisoformat(died) if died else None,
        labour_ability=labour,
        disability_type=dtype,
        disability_grade=dgrade,
        serious_illness=bool(ill),
        full_time_student=school in FULL_TIME_SCHOOLING,
        schooling=school,
        employed=bool(employed),
        self_care=care,
        left_behind=left,
    )


def _current_dibao(e: Enrolment, grace_months: int) -> CurrentDibao:
    return CurrentDibao(
        class_code=e.class_code,
        monthly_amount_fen=e.monthly_amount_fen,
        persons=e.persons_covered,
        grace_since=grace_since(e, grace_months),
        single_person_ref=e.member_id if e.single_person else None,
    )


def _json_list(text: str | None) -> list:
    return json.loads(text) if text and text != "[]" else []
