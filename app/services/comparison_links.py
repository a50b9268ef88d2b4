"""What a comparison finding can be linked to: the visit, alert, stop or application it led to.

Issue 12 asks that a finding found true and handled says what was done about it, as a record a
reviewer can open, not only a note. :meth:`ComparisonService.dispose` accepts ``link=(kind, id)`` and
checks that the record is the finding's household's; this service lists those records so the 比对
page can offer them, newest first. It reads only, by the same household rule as ``dispose``: the
household matched, or, for a person not in the register, the household that has since taken in the
finding's ID number (a stranger found and registered after the list came).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain import comparison as dc
from ..domain import workflow
from ..domain.entities import Alert, ComparisonFinding, Enrolment, EnrolmentStep, Member, Visit
from ..errors import InvalidInput, NotFound
from .base import Service
from .comparison import ALERT_RULE_PREFIX

__all__ = ["MAX_CHOICES", "ComparisonLinkService", "LinkChoice"]

MAX_CHOICES = 30  # a household with years of monthly visits: the recent ones are the ones a finding led to

_LEVELS = {1: "黄", 2: "橙", 3: "红"}
_ALERT_STATUSES = {"open": "未处理", "acknowledged": "已知悉", "followed": "已走访", "closed": "已关闭"}


@dataclass(frozen=True)
class LinkChoice:
    kind: str  # a key of comparison.LINK_TABLES: visit, alert, stop, application
    id: str
    label: str  # one Chinese line: what it is, when, and its state
    on: date | None = None


class ComparisonLinkService(Service):
    def household_of(self, finding_ids: list[str]) -> str:
        """The one household the findings belong to, "" when none of them names a registered person;
        refused when they span households (one link cannot be a record of two)."""
        households: set[str] = set()
        for i, fid in enumerate(finding_ids, 1):
            f = self.store.repo(ComparisonFinding).get(fid)
            if f is None or f.deleted:
                raise NotFound(f"所选第 {i} 条比对结论已不存在。")
            households.add(f.household_id or self._household_by_number(f.id_number))
        households.discard("")
        if len(households) > 1:
            raise InvalidInput(
                f"所选比对结论分属 {len(households)} 户，不能关联同一条记录；请按户分别处理。", field="link"
            )
        return households.pop() if households else ""

    def for_findings(self, finding_ids: list[str]) -> list[LinkChoice]:
        """The household's visits, alerts, stops and applications, newest first, at most MAX_CHOICES."""
        household = self.household_of(list(finding_ids))
        if not household:
            return []
        names = {m.id: m.name for m in self.store.repo(Member).where("household_id = ?", (household,))}
        choices = self._visits(household) + self._alerts(household, names) + self._enrolments(household, names)
        choices.sort(key=lambda c: (c.on or date.min, c.kind, c.id), reverse=True)
        return choices[:MAX_CHOICES]

    def _household_by_number(self, id_number: str) -> str:
        if not id_number:
            return ""
        found = self.db.scalar(
            "SELECT household_id FROM members WHERE deleted = 0 AND id_number = ? LIMIT 1", (id_number,)
        )
        return str(found or "")

    def _visits(self, household: str) -> list[LinkChoice]:
        return [
            LinkChoice("visit", v.id, f"走访 {_day(v.visit_date)} {v.kind}（{v.visitors}）", v.visit_date)
            for v in self.store.repo(Visit).where("household_id = ?", (household,))
        ]

    def _alerts(self, household: str, names: dict[str, str]) -> list[LinkChoice]:
        out = []
        for a in self.store.repo(Alert).where("household_id = ?", (household,)):
            rule = a.rule
            if rule.startswith(ALERT_RULE_PREFIX):
                code = rule[len(ALERT_RULE_PREFIX) :]
                rule = "比对：" + (dc.FINDINGS[code][0] if code in dc.FINDINGS else code)
            who = f"{names[a.member_id]} " if a.member_id in names else ""
            state = f"{_LEVELS.get(a.level, a.level)}色，{_ALERT_STATUSES.get(a.status, a.status)}"
            out.append(LinkChoice("alert", a.id, f"预警 {_day(a.raised_on)} {who}{rule}（{state}）", a.raised_on))
        return out

    def _enrolments(self, household: str, names: dict[str, str]) -> list[LinkChoice]:
        enrolments = self.store.repo(Enrolment).where("household_id = ?", (household,))
        if not enrolments:
            return []
        marks = ",".join("?" * len(enrolments))
        steps = self.store.repo(EnrolmentStep).where(
            f"enrolment_id IN ({marks})", tuple(e.id for e in enrolments), order="done_on"
        )
        # The day the enrolment reached its present status (its latest step): the stop's date, or the
        # application's last move, which is what "newest" means to the person linking.
        reached = {st.enrolment_id: st.done_on for st in steps}
        out = []
        for e in enrolments:
            on = reached.get(e.id) or e.applied_on
            who = f"{names[e.member_id]} " if e.member_id in names else ""
            if e.status == workflow.Status.STOPPED:
                out.append(LinkChoice("stop", e.id, f"停保 {_day(on)} {who}{e.programme}", on))
            else:
                out.append(LinkChoice("application", e.id, f"申请 {_day(on)} {who}{e.programme}（{e.status}）", on))
        return out


def _day(d: date | None) -> str:
    return d.isoformat() if d else "日期不详"
