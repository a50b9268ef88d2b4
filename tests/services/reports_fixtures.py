"""One demo office for the report builders' tests, made once per test module.

150 synthetic households (seed 2021) whose last generated month is ``CLOSED`` (approved and
closed here), then ``OPEN``: built, approved, and corrected after a death, but not closed. One
household with no enrolment applies for 低保 and is put up for 公示 in ``CLOSED``, so the
公示 list has an application with its period and opinion. Reading tests share it; a test that
writes an override file removes it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.domain import months
from app.services.session import Session

PASSWORD = "demo-pass-2021"
CLOSED = "2025-03"
OPEN = "2025-04"
NOT_BUILT = "2025-05"
OPINION = "经入户调查，家庭人均收入低于低保标准，拟同意纳入低保"
ID18 = re.compile(r"\d{17}[\dXx]")


@dataclass
class Demo:
    data: Path
    admin: Session
    clerk: Session
    reviewer: Session
    applicant_household: str
    applicant_village: str


def _apply_and_publicise(clerk: Session) -> tuple[str, str]:
    hid, village = clerk.db.query(
        "SELECT id, village_code FROM households WHERE deleted = 0 AND archived = 0 "
        "AND id NOT IN (SELECT household_id FROM enrolments) ORDER BY id LIMIT 1"
    )[0]
    start = months.first_day(CLOSED)
    e = clerk.enrolments.apply(hid, "低保", applied_on=start)
    clerk.enrolments.advance(e.id, "入户调查", on=start + timedelta(days=1))
    clerk.enrolments.advance(
        e.id,
        "公示",
        on=start + timedelta(days=4),
        note=OPINION,
        publicity_from=start + timedelta(days=4),
        publicity_to=start + timedelta(days=10),
    )
    return hid, village


def _death_after_approval(clerk: Session) -> None:
    """A 低保 member dies before OPEN begins, after OPEN was approved: the rebuild adds a correction line."""
    hid = clerk.db.scalar(
        "SELECT household_id FROM payments WHERE month = ? AND programme = '低保' AND kind = 'regular' "
        "AND persons >= 3 ORDER BY household_id LIMIT 1",
        (OPEN,),
    )
    household, members = clerk.households.get(hid)
    youngest = max((m for m in members if m.relation != "本人"), key=lambda m: m.birth_date or date.min)
    youngest.deceased_on = months.first_day(OPEN) - timedelta(days=1)
    clerk.households.update(household, members)
    clerk.payments.build(OPEN)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    import keyring

    from app.services.demo import create_demo
    from app.services.simulate import open_staff
    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    root = tmp_path_factory.mktemp("reports-demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOUDI_CONFIG_DIR", str(root / "config"))
        data = root / "office"
        admin, _code, _counts = create_demo(data, PASSWORD, households=150, end_month=CLOSED)
        clerk, reviewer = open_staff(data, PASSWORD)
        applicant, village = _apply_and_publicise(clerk)
        reviewer.payments.approve(CLOSED)
        reviewer.monthly_close.close(CLOSED, note="测试：比对另行登记", on=months.last_day(CLOSED))
        clerk.payments.build(OPEN)
        reviewer.payments.approve(OPEN)
        _death_after_approval(clerk)
    try:
        yield Demo(data, admin, clerk, reviewer, applicant, village)
    finally:
        for s in (clerk, reviewer, admin):
            s.close()
        keyring.set_keyring(previous)


def sql_sum(s: Session, month: str, programme: str | None = None, village: str | None = None) -> int:
    """The month's payments straight from the table, independent of every service."""
    where, params = "month = ? AND deleted = 0", [month]
    if programme:
        where += " AND programme = ?"
        params.append(programme)
    if village:
        where += " AND household_id IN (SELECT id FROM households WHERE village_code = ?)"
        params.append(village)
    return int(s.db.scalar(f"SELECT coalesce(sum(amount_fen), 0) FROM payments WHERE {where}", tuple(params)))


def column(table, key: str) -> list:
    i = table.index(key)
    return [row[i] for row in table.rows]


def rendered_text(doc) -> str | None:
    """The PDF's text, page by page, or None while the PDF renderer (app/reports/pdf.py) is not there."""
    try:
        import app.reports.pdf  # noqa: F401
    except ImportError:
        return None
    import pypdfium2

    from app.reports.output import render

    pdf = pypdfium2.PdfDocument(render(doc, ".pdf", None))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
