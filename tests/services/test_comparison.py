"""s.comparison on a messy 公安 list: matches, findings, the record, dispositions and the month close."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import comparison as dc
from app.domain import idnumber
from app.domain.entities import Alert, Comparison, ComparisonFinding, Member, MonthClose
from app.errors import InvalidInput
from tests.factories import household, member
from tests.services.test_month_cycle import IN_NEXT, NEXT, TODAY
from tests.services.test_programmes import _poor_family, _to_review
from tests.sheets.messy import Messy, number_cell, write_csv, write_xlsx

HEADER = ["序号", "姓名", "公民身份号码", "出生日期", "死亡日期", "迁往地址"]


@pytest.fixture
def register(clerk, reviewer):
    """A 低保 family paid from NEXT, and a man in no programme with a son."""
    h = _poor_family(clerk)
    e = _to_review(clerk, h)
    reviewer.enrolments.advance(e.id, "在保", on=TODAY)
    other = clerk.households.add(
        household(categories=["一般户"]),
        [member("杨志强", date(1950, 5, 6)), member("杨小龙", date(1980, 2, 3), "子")],
    )
    people = {m.name: m for hid in (h.id, other.id) for m in clerk.households.members(hid)}
    return h, other, people


def damaged(pid):
    """The number a spreadsheet keeps of *pid* typed as a number (one ending in X: its first 17 digits,
    as a department's system exports it, which keep the same leading 15)."""
    return number_cell(pid if pid.isdigit() else pid[:17] + "0")


def police_list(tmp_path, people, name="公安.xlsx"):
    paid, wife, old, son = people["马学军"], people["海秀兰"], people["杨志强"], people["杨小龙"]
    stranger = idnumber.make("640424", date(1980, 1, 1), 11)
    m = Messy(
        HEADER,
        [
            [1, "马学军", paid.id_number, None, "2026-10-03", None],  # paid and dead
            [2, "海秀兰", damaged(wife.id_number), wife.birth_date, None, "固原市原州区"],  # damaged
            [3, "杨志强", old.id_number, None, "2026-09-30", None],  # dead, in no programme
            [4, "杨小龙", son.id_number, None, None, "银川市兴庆区"],  # moved out
            [5, "马某某", stranger, None, "2026-08-01", None],  # not ours
        ],
        title="2026年死亡注销和迁出人员名单",
        unit="填报单位：泾源县公安局（盖章）",
        total=True,
        signatures=True,
    )
    return write_xlsx(tmp_path / name, m), m


def test_a_police_list_gives_the_hand_labelled_matches_and_findings(clerk, register, tmp_path):
    h, other, people = register
    path, messy = police_list(tmp_path, people)
    result = clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT)
    assert [r.sheet_row for r in result.rows] == messy.expected().data_sheet_rows
    got = [(r.row, r.match, r.household_id, [f.code for f in r.findings]) for r in result.rows]
    assert got == [
        (1, "in_register", h.id, ["deceased_still_enrolled", "deceased_not_recorded"]),
        (2, "possible_match", h.id, ["confirm_match", "moved_out"]),  # to confirm, then to check
        (3, "in_register", other.id, ["deceased_not_recorded"]),
        (4, "in_register", other.id, ["moved_out"]),
        (5, "not_in_register", None, []),
    ]
    assert result.rows[1].id_number is None  # a damaged number is never "fixed"
    assert result.summary["in_register"] == 3 and result.summary["deceased_not_recorded"] == 2
    stored = clerk.comparison.result(result.comparison_id)
    assert [r.row for r in stored.rows] == [1, 2, 3, 4]  # only rows with findings are kept
    (summary,) = clerk.comparison.history(NEXT)
    assert summary.open_findings == 6
    assert summary.by == "王经办"  # the display name, not the sign-in name clerk1


def test_the_same_file_again_says_so_and_stores_nothing_new(clerk, register, tmp_path):
    _h, _o, people = register
    path, _ = police_list(tmp_path, people)
    first = clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT)
    again = clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT)
    assert again.repeated and again.comparison_id == first.comparison_id
    assert [f.id for r in again.rows for f in r.findings] == [f.id for r in first.rows for f in r.findings]
    assert clerk.db.scalar("SELECT count(*) FROM comparisons") == 1
    assert clerk.db.scalar("SELECT count(*) FROM comparison_findings") == 6


def test_an_unknown_source_is_one_sentence_listing_the_kinds(clerk, tmp_path):
    with pytest.raises(InvalidInput, match=r"没有比对来源“税务”；可选：.*公安"):
        clerk.comparison.run(tmp_path / "x.xlsx", "税务")


def test_dispositions_through_to_the_month_close(clerk, register, tmp_path):
    h, _o, people = register
    path, _ = police_list(tmp_path, people)
    result = clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT)
    item = next(i for i in clerk.monthly_close.checklist(NEXT) if i.key == "comparison")
    assert not item.done and "6 条结论待核实或待处理" in item.detail
    ids = {f.code + str(r.row): f.id for r in result.rows for f in r.findings}
    dead = ids["deceased_still_enrolled1"]
    with pytest.raises(InvalidInput, match="须先核实为属实"):
        clerk.comparison.dispose([dead], "已处理", note="已停保")
    assert clerk.comparison.dispose([dead], "属实") == 1
    (alert,) = clerk.store.repo(Alert).where("rule = ?", ("comparison:deceased_still_enrolled",))
    assert alert.household_id == h.id and alert.level == dc.ALERTING["deceased_still_enrolled"]
    finding = clerk.store.repo(ComparisonFinding).get(dead)
    assert (finding.link_kind, finding.link_id) == ("alert", alert.id)
    with pytest.raises(InvalidInput, match="须写明核实情况"):
        clerk.comparison.dispose([ids["moved_out4"]], "不属实")
    rest = [v for k, v in ids.items() if k != "deceased_still_enrolled1"]
    clerk.comparison.dispose(rest, "不属实", note="入户核实，人在本村")
    # Found true but not yet acted on: the month's comparison is not done.
    item = next(i for i in clerk.monthly_close.checklist(NEXT) if i.key == "comparison")
    assert not item.done and "1 条结论待核实或待处理" in item.detail
    clerk.comparison.dispose([dead], "已处理", link=("alert", alert.id))
    assert next(i for i in clerk.monthly_close.checklist(NEXT) if i.key == "comparison").done
    assert clerk.store.repo(ComparisonFinding).get(dead).disposition == "已处理"
    assert clerk.db.scalar("SELECT count(*) FROM audit_log WHERE action LIKE '比对结论核实为%'") == 7


def test_a_month_without_a_comparison_is_not_done(clerk):
    item = next(i for i in clerk.monthly_close.checklist(NEXT) if i.key == "comparison")
    assert not item.done and clerk.store.repo(Comparison).where("1") == []


def _ids(result):
    return {f.code + str(r.row): f.id for r in result.rows for f in r.findings}


def test_a_possible_match_is_confirmed_before_anything_else_of_its_row_is_found_true(clerk, register, tmp_path):
    _h, _o, people = register
    path, _ = police_list(tmp_path, people)
    ids = _ids(clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT))
    with pytest.raises(InvalidInput, match="身份尚未确认"):
        clerk.comparison.dispose([ids["moved_out2"]], "属实")
    assert clerk.store.repo(Alert).where("rule = ?", ("comparison:moved_out",)) == []
    clerk.comparison.dispose([ids["confirm_match2"]], "属实")
    assert clerk.comparison.dispose([ids["moved_out2"]], "属实") == 1
    assert clerk.store.repo(Alert).where("rule = ?", ("comparison:moved_out",))


def test_a_row_confirmed_in_the_same_batch_may_be_found_true_at_once(clerk, register, tmp_path):
    _h, _o, people = register
    path, _ = police_list(tmp_path, people)
    ids = _ids(clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT))
    assert clerk.comparison.dispose([ids["moved_out2"], ids["confirm_match2"]], "属实") == 2


def test_a_true_finding_is_corrected_only_by_a_reviewer_with_a_note_and_its_alert_closes(
    clerk, reviewer, register, tmp_path
):
    _h, _o, people = register
    path, _ = police_list(tmp_path, people)
    dead = _ids(clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT))["deceased_still_enrolled1"]
    clerk.comparison.dispose([dead], "属实")
    (alert,) = clerk.store.repo(Alert).where("rule = ?", ("comparison:deceased_still_enrolled",))
    with pytest.raises(InvalidInput, match="须由审核人更正"):
        clerk.comparison.dispose([dead], "不属实", note="人还在")
    reviewer.comparison.dispose([dead], "不属实", note="公安名单有误，本人健在")
    after = reviewer.store.repo(Alert).get(alert.id)
    assert after.status == "closed" and "公安名单有误" in after.close_note
    with pytest.raises(InvalidInput, match="须由审核人更正"):
        clerk.comparison.dispose([dead], "属实")  # no flipping back in a clerk's hands
    with pytest.raises(InvalidInput, match="更正理由"):
        reviewer.comparison.dispose([dead], "属实")
    reviewer.comparison.dispose([dead], "属实", note="复核：确已死亡")
    reopened = reviewer.store.repo(Alert).where("rule = ?", ("comparison:deceased_still_enrolled",))
    assert [a.status for a in reopened if a.id != alert.id] == ["open"]


def test_handled_links_only_a_record_of_the_finding_s_household(clerk, register, tmp_path):
    h, other, people = register
    path, _ = police_list(tmp_path, people)
    ids = _ids(clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT))
    dead = ids["deceased_still_enrolled1"]
    clerk.comparison.dispose([dead], "属实")
    with pytest.raises(InvalidInput, match="不属于"):
        clerk.comparison.dispose([dead], "已处理", link=("household", other.id))
    assert clerk.store.repo(ComparisonFinding).get(dead).disposition == "属实"
    clerk.comparison.dispose([dead], "已处理", link=("household", h.id))
    assert clerk.store.repo(ComparisonFinding).get(dead).link_id == h.id


def test_the_month_close_names_the_sources_compared_and_missing(clerk, register, tmp_path):
    _h, _o, people = register
    path, _ = police_list(tmp_path, people)
    clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT)
    item = next(i for i in clerk.monthly_close.checklist(NEXT) if i.key == "comparison")
    assert "已比对：公安；未比对：" in item.detail and "乡村振兴" in item.detail and "残联" in item.detail


def test_a_closed_month_or_one_not_begun_is_refused(clerk, register, tmp_path):
    _h, _o, people = register
    path, _ = police_list(tmp_path, people)
    with pytest.raises(InvalidInput, match=f"{NEXT} 尚未开始"):
        clerk.comparison.run(path, "公安", month=NEXT, on=TODAY.replace(day=1))
    with clerk.store.transaction():
        clerk.store.save(MonthClose(month=NEXT, closed_on=IN_NEXT), "head1", "月结")
    with pytest.raises(InvalidInput, match=f"{NEXT} 已月结，比对请记入下个月。"):
        clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT)
    assert clerk.db.scalar("SELECT count(*) FROM comparisons") == 0


def test_a_role_without_the_right_sees_masked_numbers_in_the_result_and_workbook(office, clerk, register, tmp_path):
    from openpyxl import load_workbook

    admin = office[0]
    _h, _o, people = register
    path, _ = police_list(tmp_path, people)
    result = admin.comparison.run(path, "公安", month=NEXT, on=IN_NEXT)
    whole = people["马学军"].id_number
    assert result.rows[0].id_number == idnumber.mask(whole)
    assert admin.comparison.result(result.comparison_id).rows[0].id_number == idnumber.mask(whole)
    admin.comparison.export(result.comparison_id, tmp_path / "a.xlsx", result=result)
    admin.comparison.export(result.comparison_id, tmp_path / "b.xlsx")
    for name in ("a.xlsx", "b.xlsx"):
        rows = load_workbook(tmp_path / name).active.iter_rows(values_only=True)
        cells = [str(c) for row in rows for c in row if c is not None]
        assert idnumber.mask(whole) in cells and not any(whole in c for c in cells)
    assert clerk.comparison.result(result.comparison_id).rows[0].id_number == whole  # a clerk sees it whole


def test_findings_new_since_the_stored_run_are_added_to_it_and_can_be_disposed(clerk, register, tmp_path):
    _h, _o, people = register
    path, _ = police_list(tmp_path, people)
    first = clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT)
    # The stranger of row 5 moves in: the same list now says something about the register.
    stranger = member("马某某", date(1980, 1, 1))
    stranger.id_number = idnumber.make("640424", date(1980, 1, 1), 11)
    clerk.households.add(household(categories=["一般户"]), [stranger])
    again = clerk.comparison.run(path, "公安", month=NEXT, on=IN_NEXT)
    assert again.repeated and again.comparison_id == first.comparison_id
    (new,) = [f for r in again.rows if r.row == 5 for f in r.findings]
    assert new.code == "deceased_not_recorded" and new.id
    assert clerk.comparison.dispose([new.id], "不属实", note="户籍登记有误") == 1
    assert len(clerk.comparison.result(first.comparison_id).rows) == 5
    assert clerk.db.scalar("SELECT count(*) FROM audit_log WHERE action = '补记比对结论'") == 1


def _number_ending_000() -> tuple[str, date]:
    """A valid ID number that ends in 000 (sequence x00 whose check digit is 0), and its birth date."""
    for day in range(1, 29):
        born = date(1962, 5, day)
        for seq in range(0, 1000, 100):
            number = idnumber.make("640424", born, seq)
            if number.endswith("000"):
                return number, born
    raise AssertionError("no such number in May 1962")


def test_a_csv_number_ending_in_000_is_damaged_not_matched(clerk, tmp_path):
    """A CSV holds what the spreadsheet showed: an 18-digit number that ends in 000 there is a number
    cell whose last digits were lost, even when it passes the check digit and names someone."""
    number, _born = _number_ending_000()
    clerk.households.add(household(categories=["一般户"]), [Member(name="马德明", id_number=number)])
    m = Messy(["序号", "姓名", "公民身份号码", "死亡日期"], [[1, "马德明", number, "2026-10-01"]])
    result = clerk.comparison.run(write_csv(tmp_path / "公安.csv", m), "公安", month=NEXT, on=IN_NEXT)
    (row,) = result.rows
    assert row.match != dc.IN_REGISTER and row.id_number is None
    # The same number typed as text in an .xlsx is believed: only a CSV (or a column that shows other
    # damaged numbers) makes a trailing 000 suspect.
    typed = clerk.comparison.run(write_xlsx(tmp_path / "公安.xlsx", m), "公安", month=NEXT, on=IN_NEXT)
    assert typed.rows[0].match == dc.IN_REGISTER
