"""How an enrolment is worded and coloured on screen (the workflow itself is the domain's).

Shared by the panel and the step dialogs, so a step is named the same on its button and in the
title of its dialog. Strings keep the ``EnrolmentsPanel`` translation context they were written in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ...domain.workflow import Status, is_approval
from ..widgets import ERROR_COLOR, OK_COLOR, WARN_COLOR, yuan

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...domain.entities import Member
    from ...services.enrolments import EnrolmentView

translate = QCoreApplication.translate

# Keyed by str: a Status is a str, and steps and statuses arrive as plain str from the services.
STATUS_COLORS: dict[str, str] = {
    Status.ENROLLED: OK_COLOR,
    Status.TAPER: WARN_COLOR,
    Status.STOPPED: "#777777",
    Status.REFUSED: ERROR_COLOR,
}


def status_color(status: str) -> str | None:
    return STATUS_COLORS.get(status)


def step_title(status: str, step: str) -> str:
    """The step dialog's title: the button's words without the ellipsis (a title names the dialog)."""
    return step_button_text(status, step).rstrip("…").rstrip(".").strip()


def step_button_text(status: str, step: str) -> str:
    if is_approval(step, status):
        return translate("EnrolmentsPanel", "Approve (在保)…")
    if step == Status.ENROLLED:
        return translate("EnrolmentsPanel", "Back to 在保…")
    return f"{step}…"


def decision_text(programme: str, decision) -> str:
    """The programme's assessment for the household in one line: eligible with the amount, or why not."""
    if decision is None:
        return translate("EnrolmentsPanel", "No assessment for %1 yet (enter the members and income).").replace(
            "%1", programme
        )
    if decision.eligible:
        return (
            translate("EnrolmentsPanel", "Eligible for %1 by the assessment: %2 yuan a month, %3 persons.")
            .replace("%1", programme)
            .replace("%2", yuan(decision.monthly_amount_fen))
            .replace("%3", str(decision.persons_covered))
        )
    return (
        translate("EnrolmentsPanel", "Not eligible for %1 by the assessment: %2")
        .replace("%1", programme)
        .replace("%2", "；".join(decision.reasons[-2:]))
    )


def covers_text(view: EnrolmentView, members: Sequence[Member]) -> str:
    """Whom an enrolment covers: the whole household, or one member (单人保)."""
    e = view.enrolment
    if e.member_id:
        name = view.member_name or next((m.name for m in members if m.id == e.member_id), "")
        return f"{name} · 单人保" if e.single_person else name
    return translate("EnrolmentsPanel", "Whole household")


def step_intro(view: EnrolmentView, members: Sequence[Member], step: str) -> str:
    e = view.enrolment
    return (
        translate("EnrolmentsPanel", "%1 (%2): record “%3”.")
        .replace("%1", e.programme)
        .replace("%2", covers_text(view, members))
        .replace("%3", step)
    )
