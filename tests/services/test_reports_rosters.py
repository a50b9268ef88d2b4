"""花名册, 资金发放花名册 and 增减变动表, built on a demo office: what a clerk and the bank rely on."""

from __future__ import annotations

import json
import re

import pytest

from app.domain import months
from app.domain.report import Signatures
from app.errors import InvalidInput
from app.services.reports import ReportRequest
from app.services.reports.rosters import ROSTER_PROGRAMMES
from tests.services.reports_fixtures import CLOSED, ID18, NOT_BUILT, OPEN, column, demo, rendered_text, sql_sum

__all__ = ["demo"]  # the module fixture, imported for pytest

MASKED = re.compile(r"\d{6}\*{8}[\dX]{4}")


def _build(s, name, month, **kw):
    return s.reports.build(ReportRequest(name, month, **kw))


def _only_table(doc):
    tables = list(doc.tables())
    return tables[0]


# --- 保障对象花名册 ---------------------------------------------------------------------------


def test_roster_totals_equal_the_register_to_the_fen_for_every_programme(demo):
    s = demo.clerk
    totals = s.payments.totals(CLOSED)
    assert set(totals) - {"临时救助"}, "the demo pays some roster programme"
    for programme in ROSTER_PROGRAMMES:
        doc = _build(s, "roster", CLOSED, programme=programme)
        table = _only_table(doc)
        expected = totals.get(programme, {"amount_fen": 0, "persons": 0})
        assert table.totals()["amount"] == sql_sum(s, CLOSED, programme) == expected["amount_fen"]
        assert table.totals()["persons"] == expected["persons"]
        lines = s.db.scalar(
            "SELECT count(*) FROM payments WHERE month = ? AND programme = ? AND deleted = 0", (CLOSED, programme)
        )
        assert len(table.rows) == lines
        assert column(table, "seq") == list(range(1, lines + 1))


def test_roster_of_one_village_lists_that_village_only_and_adds_up(demo):
    s = demo.clerk
    village, name = s.db.query(
        "SELECT h.village_code, d.name FROM payments p JOIN households h ON h.id = p.household_id "
        "JOIN divisions d ON d.code = h.village_code WHERE p.month = ? AND p.programme = '低保' "
        "GROUP BY h.village_code ORDER BY count(*) DESC LIMIT 1",
        (CLOSED,),
    )[0]
    doc = _build(s, "roster", CLOSED, programme="低保", village=village)
    table = _only_table(doc)
    assert table.rows
    assert set(column(table, "village")) == {name.replace("村委会", "村")}
    assert table.totals()["amount"] == sql_sum(s, CLOSED, "低保", village)


def test_roster_prints_the_head_in_full_with_members_and_flags(demo):
    s = demo.clerk
    table = _only_table(_build(s, "roster", CLOSED, programme="低保"))
    for head_id in column(table, "head_id"):
        assert ID18.fullmatch(head_id)
    for members, size in zip(column(table, "members"), column(table, "household_size"), strict=True):
        assert len(members.split("、")) == size
    relatives = s.db.scalar(
        "SELECT count(*) FROM payments p JOIN households h ON h.id = p.household_id "
        "WHERE p.month = ? AND p.programme = '低保' AND h.official_relative = 1",
        (CLOSED,),
    )
    assert sum(1 for flag in column(table, "relative") if flag) == relatives


def test_roster_of_a_personal_programme_names_the_person_and_their_own_id(demo):
    s = demo.clerk
    expected = {
        (name, number)
        for name, number in s.db.query(
            "SELECT m.name, m.id_number FROM payments p JOIN members m ON m.id = p.member_id "
            "WHERE p.month = ? AND p.programme = '高龄补贴'",
            (CLOSED,),
        )
    }
    table = _only_table(_build(s, "roster", CLOSED, programme="高龄补贴"))
    assert expected and set(zip(column(table, "person"), column(table, "person_id"), strict=True)) == expected


def test_roster_marks_an_open_month_as_a_draft_and_shows_corrections_on_their_own_rows(demo):
    s = demo.clerk
    closed = _build(s, "roster", CLOSED, programme="低保")
    assert "草稿" not in closed.subtitle
    doc = _build(s, "roster", OPEN, programme="低保")
    assert "草稿（本月未月结）" in doc.subtitle
    table = _only_table(doc)
    notes = column(table, "note")
    corrections = [i for i, note in enumerate(notes) if note.startswith("更正")]
    assert len(corrections) == 1
    assert column(table, "amount")[corrections[0]] < 0
    assert column(table, "persons")[corrections[0]] is None  # persons are counted on the regular line
    assert table.totals()["amount"] == sql_sum(s, OPEN, "低保") == s.payments.totals(OPEN)["低保"]["amount_fen"]


def test_roster_needs_a_programme_and_a_generated_roster(demo):
    s = demo.clerk
    with pytest.raises(InvalidInput, match="需要选定救助项目"):
        _build(s, "roster", CLOSED)
    with pytest.raises(InvalidInput, match="发放名册尚未生成"):
        _build(s, "roster", NOT_BUILT, programme="低保")


# --- 资金发放花名册 ---------------------------------------------------------------------------


def test_payment_roster_is_refused_while_the_month_has_lines_not_locked(demo):
    # OPEN was approved, then a death added a correction line that nobody has approved yet.
    assert not demo.reviewer.payments.is_approved(OPEN)
    with pytest.raises(InvalidInput) as refused:
        _build(demo.reviewer, "payment-roster", OPEN)
    assert str(refused.value).startswith(f"{OPEN} 的发放名册尚未审核锁定：资金发放花名册只能从锁定的名册打印")
    assert refused.value.field == "month"


def test_payment_roster_adds_up_to_the_locked_roster_page_by_page(demo):
    s = demo.reviewer
    doc = _build(s, "payment-roster", CLOSED)
    table = _only_table(doc)
    locked = s.db.scalar(
        "SELECT sum(amount_fen) FROM payments WHERE month = ? AND deleted = 0 AND locked = 1", (CLOSED,)
    )
    assert table.totals()["amount"] == locked == sql_sum(s, CLOSED)
    assert table.page_subtotals
    assert "草稿" not in doc.subtitle
    signatures = [b for b in doc.blocks if isinstance(b, Signatures)]
    assert signatures and signatures[0].labels == ("制表人", "审核人", "负责人", "盖章")
    # The bank pays by full numbers, kept as text.
    assert all(ID18.fullmatch(v) for v in column(table, "id_number"))
    accounts = dict(s.db.query("SELECT id, bank_account FROM households"))
    assert set(column(table, "account")) <= set(accounts.values())


def test_payment_roster_of_one_programme_pays_the_member_of_a_personal_programme(demo):
    s = demo.reviewer
    programme, member, amount = s.db.query(
        "SELECT p.programme, m.name, p.amount_fen FROM payments p JOIN members m ON m.id = p.member_id "
        "WHERE p.month = ? AND p.programme = '高龄补贴' ORDER BY p.household_id LIMIT 1",
        (CLOSED,),
    )[0]
    table = _only_table(_build(s, "payment-roster", CLOSED, programme=programme))
    assert member in column(table, "name")
    assert set(column(table, "programme")) == {programme}
    assert table.totals()["amount"] == sql_sum(s, CLOSED, programme)
    assert amount in column(table, "amount")


def test_payment_roster_for_a_role_without_full_ids_is_masked_and_says_so(demo):
    doc = _build(demo.admin, "payment-roster", CLOSED)
    table = _only_table(doc)
    assert all(MASKED.fullmatch(v) for v in column(table, "id_number"))
    assert not any(re.search(r"\d{8}", v) for v in column(table, "account"))
    assert any("无权查看完整身份证号" in w for w in doc.warnings)


def test_payment_roster_renders_to_pdf_with_its_total(demo):
    doc = _build(demo.reviewer, "payment-roster", CLOSED, programme="低保")
    text = rendered_text(doc)
    if text is None:
        pytest.skip("app/reports/pdf.py is not there yet (the lead reruns this)")
    total = _only_table(doc).totals()["amount"]
    assert f"{total // 100}.{total % 100:02d}" in text
    assert "资金发放花名册" in text


# --- 动态管理增减变动表 -------------------------------------------------------------------------


def test_changes_are_refused_for_a_month_whose_roster_was_not_generated(demo):
    s = demo.clerk
    with pytest.raises(InvalidInput) as refused:
        _build(s, "changes", NOT_BUILT)
    assert str(refused.value) == s.monthly_close.change_list(NOT_BUILT).not_generated


def test_changes_list_the_close_rows_with_masked_ids_and_a_summary_that_adds_up(demo):
    s = demo.clerk
    for month in (CLOSED, OPEN):
        doc = _build(s, "changes", month)
        detail, summary = list(doc.tables())
        rows = s.monthly_close.changes(month)
        assert column(detail, "change") == [r.change for r in rows]
        assert column(detail, "amount_after") == [r.amount_after_fen for r in rows]
        for shown in column(detail, "id_masked"):
            assert MASKED.fullmatch(shown), shown
        totals = s.payments.totals(month)
        prev = s.payments.totals(months.add(month, -1))
        by_programme = {row[0]: dict(zip([c.key for c in summary.columns], row, strict=True)) for row in summary.rows}
        for programme, t in totals.items():
            got = by_programme[programme]
            assert (got["end_households"], got["end_persons"]) == (t["households"], t["persons"])
            before = prev.get(programme, {"households": 0, "persons": 0})
            assert got["end_persons"] - got["net_persons"] == before["persons"]
            assert got["end_households"] - got["net_households"] == before["households"]
            assert got["net_households"] == got["new_households"] - got["exit_households"]
            new_rows = [r for r in rows if r.programme == programme and r.change == "新增"]
            assert got["new_persons"] == sum(r.persons_after for r in new_rows)


def test_no_full_id_number_in_the_changes(demo):
    doc = _build(demo.clerk, "changes", CLOSED)
    assert not any(ID18.search(v) for v in doc.text_values() if v)


# --- the county's override -----------------------------------------------------------------


def _override(demo, name, data):
    folder = demo.data / "reports"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_override_drops_a_column_and_renames_the_title(demo):
    s = demo.clerk
    path = _override(
        demo,
        "roster",
        {
            "title": "低保对象名册（县定格式）",
            "columns": [
                {"key": "seq"},
                {"key": "village"},
                {"key": "head", "title": "户主"},
                {"key": "amount"},
                {"key": "note"},
            ],
        },
    )
    try:
        doc = _build(s, "roster", CLOSED, programme="低保")
    finally:
        path.unlink()
    table = _only_table(doc)
    assert doc.title.endswith("低保对象名册（县定格式）")
    assert [c.key for c in table.columns] == ["seq", "village", "head", "amount", "note"]
    assert [c.title for c in table.columns][2] == "户主"
    assert table.totals()["amount"] == sql_sum(s, CLOSED, "低保")
    # Without the file the shipped layout is back.
    assert "head_id" in [c.key for c in _only_table(_build(s, "roster", CLOSED, programme="低保")).columns]


def test_an_override_naming_an_unknown_column_is_refused_naming_the_file(demo):
    path = _override(demo, "payment-roster", {"columns": [{"key": "seq"}, {"key": "phone"}]})
    try:
        with pytest.raises(InvalidInput) as refused:
            _build(demo.reviewer, "payment-roster", CLOSED)
    finally:
        path.unlink()
    assert str(path) in str(refused.value) and "phone" in str(refused.value)
