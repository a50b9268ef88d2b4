"""What the report service refuses before any builder runs, and what it resolves for the clerk."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.domain.report import Document, Paragraph
from app.errors import InvalidInput
from app.services import reports
from app.services.reports import ReportKind, ReportRequest, default_file_name
from tests.factories import household, member


def _echo(ctx) -> Document:
    doc = ctx.document()
    doc.blocks.append(Paragraph(f"{ctx.request.programme}|{ctx.request.village}|{ctx.request.household}"))
    return doc


FAKE = ReportKind(
    name="payment-roster",  # a shipped spec, so spec loading is real
    label="资金发放花名册",
    build=_echo,
    programmes=("低保", "特困"),
    needs_programme=True,
    uses_household=True,
    needs_closed_month=True,
    options=("masked_id",),
)


@pytest.fixture
def fake_catalogue(monkeypatch):
    monkeypatch.setattr(
        reports, "KINDS", {FAKE.name: FAKE, "publicity": ReportKind("publicity", "公示", _echo, needs_village=True)}
    )


def _refusal(session, **kw) -> str:
    with pytest.raises(InvalidInput) as e:
        session.reports.build(
            ReportRequest(**{"name": "payment-roster", "month": "2026-11", "programme": "低保", **kw})
        )
    return str(e.value)


def test_an_unknown_report_is_refused_listing_the_ones_there_are(office, fake_catalogue):
    session, _code, _dir = office
    message = _refusal(session, name="rooster")
    assert "rooster" in message and "payment-roster" in message


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"month": "2026-13"}, "YYYY-MM"),
        ({"month": "11/2026"}, "YYYY-MM"),
        ({"programme": "救济粮"}, "救济粮"),
        ({"programme": "高龄补贴"}, "不用于高龄补贴"),
        ({"programme": None}, "需要选定救助项目"),
        ({"village": "640424101200"}, "不属于"),
        ({"village": "640424999999"}, "没有代码为"),
        ({"household": "no-such-household"}, "没有编号为"),
        ({"options": frozenset({"blank"})}, "blank"),
    ],
)
def test_a_request_it_cannot_honour_is_refused_in_one_sentence(office, fake_catalogue, change, words):
    session, _code, _dir = office
    assert words in _refusal(session, **change)


def test_the_bank_roster_waits_for_the_month_to_be_closed(office, fake_catalogue):
    session, _code, _dir = office
    assert "尚未审核锁定" in _refusal(session)


def test_a_village_report_needs_its_village(office, fake_catalogue):
    session, _code, _dir = office
    with pytest.raises(InvalidInput, match="需要选定一个村"):
        session.reports.build(ReportRequest("publicity", "2026-11"))
    doc = session.reports.build(ReportRequest("publicity", "2026-11", village="640424100200"))
    assert doc.blocks[0].text.endswith("|640424100200|None")


def test_a_household_is_found_by_a_members_id_number(office, fake_catalogue, monkeypatch):
    session, _code, _dir = office
    head = member("马玉兰", date(1970, 3, 1), male=False)
    saved = session.households.add(household(head_name="马玉兰"), [head])
    monkeypatch.setattr(session.payments, "is_approved", lambda month: True)
    doc = session.reports.build(
        ReportRequest("payment-roster", "2026-11", programme="低保", household=head.id_number.lower())
    )
    assert doc.blocks[0].text == f"低保|None|{saved.id}"
    assert "香水镇" in doc.title or session.office.name in doc.title
    assert "2026年11月" in doc.title


def test_an_office_override_changes_the_spec_and_a_broken_one_is_named(office):
    session, _code, data_dir = office
    folder = data_dir / "reports"
    folder.mkdir()
    (folder / "payment-roster.json").write_text(json.dumps({"title": "县定发放表"}), encoding="utf-8")
    assert session.reports.spec("payment-roster").title == "县定发放表"
    (folder / "payment-roster.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"payment-roster\.json"):
        session.reports.spec("payment-roster")


def test_default_file_names_say_what_the_file_is():
    request = ReportRequest("publicity", "2026-11", village="640424100200", options=frozenset({"masked_id"}))
    assert default_file_name(request, ".pdf") == "publicity-2026-11-640424100200.pdf"
    assert default_file_name(ReportRequest("survey", "2026-11", options=frozenset({"blank"})), ".xlsx") == (
        "survey-2026-11-blank.xlsx"
    )
