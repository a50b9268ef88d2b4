"""Importing a township's messy Excel ledger (issue 12, point 6), with hand-labelled answers.

The ledger below is written the way WPS writes them: a title and a 填报单位 line, a header merged
over two rows, a total and signature rows, one household per 户主 with its members under it, and the
ID-number messes (a number cell that lost digits, full width, lower-case x, spaces, 15 digits).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.db.integrity import content_problems
from app.db.store import unlogged_changes
from app.domain import idnumber
from app.domain.entities import Enrolment, EnrolmentStep, Household, Member
from app.domain.sheet_layout import Cell, DataRow
from app.errors import InvalidInput, PermissionDenied
from app.services.ledger import fields
from app.services.ledger.grouping import LedgerRow, group_rows, read_member
from app.services.ledger.matching import wishes
from tests.sheets.messy import Messy, full_width, legacy15, lower_x, number_cell, spaced, write_xls, write_xlsx

HEADER = ["序号", "户主姓名", "姓名", "身份证号码", "与户主关系", "行政村", "联系电话", "保障类别", "月保障金"]
GROUPS = (("家庭成员", 2, 4),)  # 家庭成员 merged over 姓名 | 身份证号码 | 与户主关系


def pid(seq: int, born: date = date(1970, 5, 1), region: str = "640424") -> str:
    return idnumber.make(region, born, seq)


MA = pid(11)  # 马建军, head of household A
MA_WIFE = pid(12)
MA_SON = pid(13, date(1996, 2, 3))
YANG = pid(21, date(1955, 1, 9))  # household B: its daughter's ID lost digits
YANG_DAUGHTER = pid(22, date(1984, 7, 7))
HAI = pid(31, date(1948, 3, 3), "642225")  # household C: a 15-digit number
OTHER = pid(41)  # household D: a village of another township
SU = pid(53)  # household E: full width / lower-case x / spaces
SU_WIFE = next(pid(s) for s in range(54, 999, 2) if pid(s).endswith("X"))

ROWS: list[list[Cell]] = [
    [1, "马建军", "马建军", MA, "户主", "大庄村", "13912345678", "一类", 1200],
    [2, "马建军", "李秀兰", MA_WIFE, "妻子", "大庄村", None, None, None],
    [3, "马建军", "马小明", MA_SON, "长子", "大庄村", None, None, None],
    [4, "杨桂花", "杨桂花", YANG, "户主", "永丰村", None, "二类", 900],
    [5, "杨桂花", "杨小丽", number_cell(YANG_DAUGHTER), "女儿", "永丰村", None, None, None],
    [6, "海德明", "海德明", legacy15(HAI), "本人", "香水镇永丰村", "0954-5012345", "二类", 600],
    [7, "王有福", "王有福", OTHER, "户主", "兰大庄村", None, "一类", 500],
    [8, "苏志刚", "苏志刚", full_width(spaced(SU)), "户主", "640424100202", None, "三类", 800],
    [9, "苏志刚", "马 兰", lower_x(SU_WIFE), "配偶", "640424100202", None, None, None],
]


def ledger(rows=ROWS, title="香水镇2024年农村低保花名册") -> Messy:
    return Messy(
        HEADER,
        rows,
        title=title,
        unit="填报单位：香水镇人民政府（盖章）",
        groups=GROUPS,
        total=True,
        signatures=True,
    )


@pytest.fixture
def clerk_import(clerk):
    return clerk.ledger_import


def snapshot(s) -> dict[str, list[tuple]]:
    """Every register row the import can touch, as stored (its digest, in effect)."""
    return {
        cls.TABLE: sorted(s.db.query(f"SELECT * FROM {cls.TABLE}"))
        for cls in (Household, Member, Enrolment, EnrolmentStep)
    }


def max_seq(s) -> int:
    return s.db.scalar("SELECT coalesce(max(seq), 0) FROM change_log")


def test_dry_run_names_every_bad_row_and_writes_nothing(reviewer, tmp_path):
    messy = ledger()
    path = write_xlsx(tmp_path / "花名册.xlsx", messy)
    before, seq = snapshot(reviewer), max_seq(reviewer)
    audit = reviewer.db.scalar("SELECT count(*) FROM audit_log")

    plan = reviewer.ledger_import.plan(path)

    assert snapshot(reviewer) == before and max_seq(reviewer) == seq
    assert reviewer.db.scalar("SELECT count(*) FROM audit_log") == audit
    sheet_rows = messy.expected().data_sheet_rows
    assert plan.programme == "低保"  # from the title
    assert (plan.households, plan.members) == (3, 6)  # A, C and E
    # 3 households + 6 members + 3 enrolments and their 3 在保 steps, nothing registered yet.
    assert (plan.would_create, plan.would_update) == (15, 0)
    assert plan.created == {"households": 3, "members": 6, "enrolments": 3, "enrolment_steps": 3}
    bad = {r.sheet_row: r for r in plan.invalid_rows}
    assert sorted(bad) == [sheet_rows[3], sheet_rows[4], sheet_rows[6]]
    assert [bad[s].row for s in sorted(bad)] == [4, 5, 7]  # data rows counted from 1
    assert "杨小丽身份证号已损坏" in bad[sheet_rows[4]].reason
    assert f"同户第 {sheet_rows[4]} 行有误" in bad[sheet_rows[3]].reason
    assert "属于泾河源镇" in bad[sheet_rows[6]].reason
    as_json = plan.as_dict()
    assert set(as_json) >= {"households", "members", "would_create", "would_update", "invalid_rows"}
    assert as_json["invalid_rows"][0] == {"row": 4, "sheet_row": sheet_rows[3], "reason": bad[sheet_rows[3]].reason}


def test_import_registers_households_members_and_enrolments_in_force(reviewer, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", ledger())

    plan = reviewer.ledger_import.apply(path)

    assert plan.done and plan.created == {"households": 3, "members": 6, "enrolments": 3, "enrolment_steps": 3}
    ma = _registered(reviewer, MA)
    household, members = reviewer.households.get(ma.household_id)
    assert household.head_name == "马建军" and household.village_code == "640424100200"
    assert household.phone == "13912345678"
    assert {m.name: m.relation for m in members} == {"马建军": "本人", "李秀兰": "配偶", "马小明": "子"}
    (e,) = reviewer.store.repo(Enrolment).where("household_id = ?", (ma.household_id,))
    assert (e.programme, e.status, e.class_code, e.monthly_amount_fen, e.persons_covered) == (
        "低保",
        "在保",
        "一类",
        120000,
        3,
    )
    assert e.reason == "导入" and e.start_month
    (step,) = reviewer.store.repo(EnrolmentStep).where("enrolment_id = ?", (e.id,))
    assert step.step == "在保" and step.note.startswith("导入")
    # The 15-digit number was converted; full width, lower-case x and spaces normalised.
    assert _registered(reviewer, HAI).name == "海德明"
    assert _registered(reviewer, SU_WIFE).name == "马兰"  # the space typed inside the name is gone
    assert _registered(reviewer, SU).household_id == _registered(reviewer, SU_WIFE).household_id
    assert _member(reviewer, YANG) is None  # its household had a bad row: not imported at all
    # Audited as one import, every row in the change log for sync, found by the search.
    assert reviewer.db.scalar("SELECT count(*) FROM audit_log WHERE action = '导入台账'") == 1
    assert unlogged_changes(reviewer.db) == {} and reviewer.store.verify_audit_chain() == []
    assert content_problems(reviewer.db) == []  # each row as its change-log entry says, vouched for
    assert [h for h, *_ in reviewer.households.find_people("马小明")] == [ma.household_id]
    # A person already registered cannot be entered twice by the household editor either.
    assert reviewer.households.registered_elsewhere(MA_SON) is not None


def test_importing_the_same_file_again_changes_nothing(reviewer, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", ledger())
    reviewer.ledger_import.apply(path)
    before, seq = snapshot(reviewer), max_seq(reviewer)

    again = reviewer.ledger_import.apply(path)

    assert (again.would_create, again.would_update, again.unchanged) == (0, 0, 12)
    assert snapshot(reviewer) == before and max_seq(reviewer) == seq
    assert reviewer.db.scalar("SELECT count(*) FROM households") == 3


def test_a_changed_phone_and_amount_update_the_registered_household(reviewer, tmp_path):
    reviewer.ledger_import.apply(write_xlsx(tmp_path / "v1.xlsx", ledger()))
    rows = [list(r) for r in ROWS]
    rows[0][6], rows[0][8] = "13800001111", 1300
    ma = _registered(reviewer, MA)

    plan = reviewer.ledger_import.apply(write_xlsx(tmp_path / "v2.xlsx", ledger(rows)))

    # The only row created is the step that records the new amount.
    assert plan.updated == {"households": 1, "enrolments": 1}
    assert plan.created == {"enrolment_steps": 1} and plan.would_create == 1
    household, _ = reviewer.households.get(ma.household_id)
    assert household.phone == "13800001111"
    (e,) = reviewer.store.repo(Enrolment).where("household_id = ?", (ma.household_id,))
    assert e.monthly_amount_fen == 130000
    steps = reviewer.store.repo(EnrolmentStep).where("enrolment_id = ?", (e.id,))
    (amended,) = [x for x in steps if x.note.startswith("台账导入")]
    assert amended.note == "台账导入：月保障金由 1200.00 元改为 1300.00 元"
    assert (amended.step, amended.done_by) == ("在保", reviewer.user.username)
    (change,) = plan.as_dict()["amount_changes"]
    assert change["fields"]["monthly_amount_fen"] == ["1200.00", "1300.00"] and change["programme"] == "低保"
    assert reviewer.db.scalar("SELECT count(*) FROM members WHERE deleted = 0") == 6


def test_invalid_rows_exported_by_the_administrator_have_masked_ids(office, tmp_path):
    admin, _code, _dir = office
    plan = admin.ledger_import.plan(write_xlsx(tmp_path / "花名册.xlsx", ledger()))

    out = admin.ledger_import.export_invalid(plan, tmp_path / "未导入.xlsx")

    grid = [[c.value for c in row] for row in openpyxl.load_workbook(out).active.iter_rows()]
    assert "隐去" in grid[0][0]
    assert grid[2][3] == idnumber.mask(YANG) and grid[4][3] == idnumber.mask(OTHER)
    assert YANG not in str(grid) and OTHER not in str(grid)


def test_invalid_rows_export_and_import_again_once_fixed(reviewer, tmp_path):
    first = reviewer.ledger_import.apply(write_xlsx(tmp_path / "花名册.xlsx", ledger()))
    out = reviewer.ledger_import.export_invalid(first, tmp_path / "未导入.xlsx")

    book = openpyxl.load_workbook(out)
    sheet = book.active
    grid = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "低保" in grid[0][0]
    assert grid[1][-1] == "未导入原因" and grid[1][3] == "身份证号码"
    assert [r[2] for r in grid[2:]] == ["杨桂花", "杨小丽", "王有福"]
    assert grid[3][3].endswith("E+17")  # the damaged number, shown as Excel showed it
    assert sheet.cell(row=3, column=4).number_format == "@"
    # The reviewer types the daughter's number as text and the right village, then imports the file again.
    sheet.cell(row=4, column=4).value = YANG_DAUGHTER
    sheet.cell(row=5, column=6).value = "杨家村"
    book.save(out)

    second = reviewer.ledger_import.apply(out)

    assert second.invalid_rows == [] and second.programme == "低保"
    assert second.created == {"households": 2, "members": 3, "enrolments": 2, "enrolment_steps": 2}
    assert _registered(reviewer, YANG_DAUGHTER).name == "杨小丽"
    assert reviewer.households.get(_registered(reviewer, OTHER).household_id)[0].village_code == "640424100207"
    with pytest.raises(InvalidInput):
        reviewer.ledger_import.export_invalid(second, tmp_path / "none.xlsx")


def test_old_xls_with_household_numbers_groups_by_number(reviewer, tmp_path):
    header = ["户编号", "姓名", "公民身份号码", "与户主关系", "村", "月保障金额", "救助项目"]
    rows: list[list[Cell]] = [
        ["H01", "马建军", MA, "户主", "大庄村", 300, "特困"],
        ["H02", "杨桂花", YANG, "户主", "永丰村", None, None],
        ["H01", "李秀兰", MA_WIFE, "配偶", "大庄村", None, None],
        ["H03", "马小明", MA_SON, "长子", "大庄村", None, None],
    ]
    path = write_xls(tmp_path / "old.xls", Messy(header, rows, title="香水镇台账"))

    plan = reviewer.ledger_import.apply(path)

    assert plan.households == 2 and plan.members == 3
    (bad,) = plan.invalid_rows
    assert bad.row == 4 and "没有户主行" in bad.reason
    ma, wife = _registered(reviewer, MA), _registered(reviewer, MA_WIFE)
    assert ma.household_id == wife.household_id
    (e,) = reviewer.store.repo(Enrolment).where("household_id = ?", (ma.household_id,))
    # 特困 supports the person: a personal enrolment of the head, 300 元.
    assert (e.programme, e.member_id, e.monthly_amount_fen, e.persons_covered) == ("特困", ma.id, 30000, 1)


def test_amounts_without_a_programme_are_refused_per_row_unless_one_is_given(clerk, tmp_path):
    path = write_xlsx(tmp_path / "台账.xlsx", ledger(ROWS[:3], title="香水镇花名册"))

    plan = clerk.ledger_import.plan(path)
    assert plan.households == 0 and "看不出是哪个救助项目" in plan.invalid_rows[0].reason

    given_programme = clerk.ledger_import.plan(path, programme="低保")
    assert given_programme.households == 1 and not given_programme.invalid_rows
    with pytest.raises(InvalidInput) as err:
        clerk.ledger_import.plan(path, programme="五保")
    assert err.value.field == "programme"


def test_a_clerk_imports_people_and_leaves_enrolments_to_a_reviewer(clerk, reviewer, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", ledger())

    dry = clerk.ledger_import.plan(path)
    done = clerk.ledger_import.apply(path)

    for plan in (dry, done):
        assert plan.created == {"households": 3, "members": 6}
        assert len(plan.withheld) == 3 and "请由审核人运行导入" in plan.notes[0]
    assert {w["programme"] for w in done.as_dict()["withheld_enrolments"]} == {"低保"}
    assert {w["amount"] for w in done.as_dict()["withheld_enrolments"]} == {"1200.00", "600.00", "800.00"}
    assert clerk.db.scalar("SELECT count(*) FROM enrolments") == 0
    # The reviewer runs the same file: the people are there, the enrolments are recorded now.
    second = reviewer.ledger_import.apply(path)
    assert second.created == {"enrolments": 3, "enrolment_steps": 3} and not second.withheld
    # A clerk's import never changes an approved amount either.
    rows = [list(r) for r in ROWS]
    rows[0][8] = 9999
    third = clerk.ledger_import.apply(write_xlsx(tmp_path / "v2.xlsx", ledger(rows)))
    assert third.updated == {} and third.withheld[0].fields == {"monthly_amount_fen": ["1200.00", "9999.00"]}
    assert clerk.db.scalar("SELECT monthly_amount_fen FROM enrolments WHERE class_code = '一类'") == 120000


def test_enrolments_are_never_written_without_the_approval_permission(clerk, tmp_path, monkeypatch):
    from app.services.ledger import matching

    # Even if the matcher failed to withhold them, the write refuses enrolments from a clerk.
    made = matching.Matcher.__init__

    def careless(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self.may_set_amounts = True

    monkeypatch.setattr(matching.Matcher, "__init__", careless)
    with pytest.raises(PermissionDenied):
        clerk.ledger_import.apply(write_xlsx(tmp_path / "花名册.xlsx", ledger()))
    assert clerk.db.scalar("SELECT count(*) FROM households") == 0


def test_a_stopped_household_is_not_enrolled_again_from_an_old_ledger(reviewer, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", ledger(ROWS[:3]))
    reviewer.ledger_import.apply(path)
    reviewer.db.execute("UPDATE enrolments SET status = '停保', end_month = '2024-05'")
    before = snapshot(reviewer)

    plan = reviewer.ledger_import.apply(path)

    assert plan.households == 0 and len(plan.invalid_rows) == 3
    reason = "马建军 户的低保已于 2024-05 停保，不能由台账重新纳入；如需纳入请走申请流程。"
    assert all(r.reason == reason for r in plan.invalid_rows)
    assert snapshot(reviewer) == before


def test_dry_run_lists_each_update_and_flags_a_renamed_member(reviewer, tmp_path):
    reviewer.ledger_import.apply(write_xlsx(tmp_path / "v1.xlsx", ledger(ROWS[:3])))
    rows = [list(r) for r in ROWS[:3]]
    rows[0][2] = "马建军改"  # a typo in the head's name
    rows[0][6] = "13800001111"

    plan = reviewer.ledger_import.plan(write_xlsx(tmp_path / "v2.xlsx", ledger(rows)))

    updates = plan.as_dict()["updates"]
    by_who = {u["who"]: u for u in updates}
    masked = idnumber.mask(MA)
    person = by_who[f"马建军（{masked}）"]
    assert person["fields"] == {"name": ["马建军", "马建军改"]} and "笔误" in person["warning"]
    assert person["sheet_row"] == plan.as_dict()["updates"][0]["sheet_row"] and person["row"] == 1
    household = by_who["户主 马建军 户"]
    assert household["fields"] == {"phone": ["13912345678", "13800001111"], "head_name": ["马建军", "马建军改"]}
    assert MA not in str(updates)  # ID numbers are masked
    assert len(updates) == 2 and plan.would_update == 2


def test_a_refused_household_does_not_claim_its_registered_household(reviewer, tmp_path):
    reviewer.ledger_import.apply(write_xlsx(tmp_path / "v1.xlsx", ledger(ROWS[:3])))
    # Two ledger households of one registered household: the first is refused for its phone number
    # (after it was matched), so the second's reason is its own, not "merge with the first".
    rows: list[list[Cell]] = [
        [1, "马建军", "马建军", MA, "户主", "大庄村", "123", "一类", 1200],
        [2, "李秀兰", "李秀兰", MA_WIFE, "户主", "大庄村", None, None, None],
    ]

    plan = reviewer.ledger_import.plan(write_xlsx(tmp_path / "v2.xlsx", ledger(rows)))

    first, second = plan.invalid_rows
    assert "联系电话“123”" in first.reason
    assert "导入后这一户会有 2 名户主" in second.reason, second.reason


def test_a_person_registered_in_an_archived_household_is_not_registered_again(reviewer, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", ledger(ROWS[5:6]))
    reviewer.ledger_import.apply(path)
    hai = _registered(reviewer, HAI)
    household, _ = reviewer.households.get(hai.household_id)
    reviewer.db.execute("UPDATE enrolments SET status = '停保', end_month = start_month")  # stopped, so it can go
    reviewer.households.archive(hai.household_id, "迁出本县")

    plan = reviewer.ledger_import.plan(path)

    assert plan.households == 0 and "已归档" in plan.invalid_rows[0].reason
    assert household.id == hai.household_id


def _member(s, number: str) -> Member | None:
    found = s.store.repo(Member).where("id_number = ?", (number,))
    return found[0] if found else None


def _registered(s, number: str) -> Member:
    member = _member(s, number)
    assert member is not None, f"{number} is not registered"
    return member


def _person(row: LedgerRow) -> Member:
    assert row.member is not None, row.reason
    return row.member


# --- the pure parts, without a file ----------------------------------------------------------------


def _rows(*values: dict) -> list:
    return [read_member(DataRow(i, i + 3, v), "relation" in values[0]) for i, v in enumerate(values, start=1)]


def test_a_household_starts_at_its_head_and_a_member_before_any_head_is_refused():
    rows = _rows(
        {"name": "李秀兰", "id_number": MA_WIFE, "relation": "妻"},
        {"name": "马建军", "id_number": MA, "relation": "户主"},
        {"name": "马小明", "id_number": MA_SON, "relation": "孙"},
        {"name": "杨桂花", "id_number": YANG, "relation": "本人"},
        {"name": "杨小丽", "id_number": YANG_DAUGHTER, "relation": "侄女"},
    )
    groups = group_rows(rows, ["name", "id_number", "relation"])
    assert [[r.data.row for r in g.rows] for g in groups] == [[1], [2, 3], [4, 5]]
    assert "之前没有户主行" in groups[0].rows[0].reason
    assert groups[1].valid and groups[2].valid
    niece = _person(groups[2].rows[1])
    assert niece.relation == "其他" and "侄女" in niece.notes  # what the ledger said is kept


def test_without_a_relation_column_the_head_name_column_decides():
    rows = _rows(
        {"name": "马建军", "id_number": MA, "head_name": "马建军"},
        {"name": "李秀兰", "id_number": MA_WIFE, "head_name": None},  # merged 户主姓名, read blank
        {"name": "杨桂花", "id_number": YANG, "head_name": "杨桂花"},
    )
    groups = group_rows(rows, ["name", "id_number", "head_name"])
    assert [[_person(r).relation for r in g.rows] for g in groups] == [["本人", "其他"], ["本人"]]


def test_two_heads_in_one_numbered_household_refuse_it_whole():
    rows = _rows(
        {"name": "马建军", "id_number": MA, "relation": "户主", "household_no": "7"},
        {"name": "李秀兰", "id_number": MA_WIFE, "relation": "本人", "household_no": "7"},
    )
    (group,) = group_rows(rows, ["name", "id_number", "relation", "household_no"])
    assert not group.valid and all("两名户主" in r.reason for r in group.rows)


def test_a_household_amount_merged_over_its_rows_is_counted_once():
    rows = _rows(
        {"name": "马建军", "id_number": MA, "relation": "户主", "amount": 900.0},
        {"name": "李秀兰", "id_number": MA_WIFE, "relation": "妻子", "amount": 900.0},
    )
    (group,) = group_rows(rows, ["name", "id_number", "relation", "amount"])
    (merged,) = wishes(group, "低保", "2024-05")
    assert merged.amount_fen == 90000 and merged.persons == 2
    rows[1].data.values["amount"] = 300
    (per_person,) = wishes(group, "低保", "2024-05")
    assert per_person.amount_fen == 120000
    (by_header,) = wishes(group, "低保", "2024-05", per_person=False)
    assert by_header.amount_fen == 90000


@given(st.decimals(min_value=0, max_value=100_000, places=2))
def test_an_amount_in_yuan_becomes_the_same_fen_whatever_the_cell(value):
    fen = int(value * 100)
    assert fields.amount_fen(float(value)) == fen
    assert fields.amount_fen(f"{value}元") == fen
    assert fields.amount_fen(f" ￥{value:,} ") == fen


@given(st.sampled_from(sorted(fields._RELATIONS)), st.text(alphabet="侄甥舅姑叔婶", min_size=1, max_size=3))
def test_every_relation_is_one_the_register_knows(known, unknown):
    from app.domain.entities import RELATIONS

    assert fields.relation(known)[0] in RELATIONS
    relation, note = fields.relation(unknown)
    assert relation == "其他" and unknown in note


def test_a_bank_account_stored_as_a_number_is_refused_not_guessed():
    with pytest.raises(fields.CellProblem, match="后几位已经丢失"):
        fields.account(6.228480012345679e18)
    assert fields.account("6228 4800 1234 5678 901") == "62284800123456789" + "01"


def test_ledger_plan_json_has_the_issue_keys():
    from app.services.ledger_import import InvalidRow, LedgerPlan

    plan = LedgerPlan("a.xlsx", 1, 2, 3, 0, [InvalidRow(1, 5, "理由")])
    assert dataclasses.asdict(plan)["invalid_rows"] == [{"row": 1, "sheet_row": 5, "reason": "理由"}]
    assert plan.as_dict()["invalid_rows"] == [{"row": 1, "sheet_row": 5, "reason": "理由"}]


def test_a_gbk_csv_with_merged_household_cells_read_blank_carries_them_down(reviewer, tmp_path):
    from tests.sheets.messy import write_csv

    header = ["户编号", "户主", "姓名", "身份证号", "村", "电话"]
    rows: list[list[Cell]] = [
        ["001", "马建军", "马建军", MA, "大庄村", "13912345678"],
        [None, None, "李秀兰", MA_WIFE, None, None],  # cells merged over the household: read blank
        ["002", "杨桂花", "杨桂花", YANG, "永丰村", None],
    ]
    path = write_csv(tmp_path / "台账.csv", Messy(header, rows, title="香水镇台账"), encoding="gbk")

    plan = reviewer.ledger_import.apply(path)

    assert (plan.households, plan.members, plan.invalid_rows) == (2, 3, [])
    ma, wife = _registered(reviewer, MA), _registered(reviewer, MA_WIFE)
    assert ma.household_id == wife.household_id and (ma.relation, wife.relation) == ("本人", "其他")
    assert reviewer.households.get(ma.household_id)[0].village_code == "640424100200"
    assert reviewer.store.repo(Enrolment).where("1") == []  # no amounts, no enrolments


def test_a_village_ledger_without_a_village_column_takes_the_village_from_its_title(reviewer, tmp_path):
    header = ["姓名", "身份证号码", "与户主关系", "月保障金"]
    rows: list[list[Cell]] = [["马建军", MA, "户主", 500], ["李秀兰", MA_WIFE, "妻子", None]]
    named = write_xlsx(tmp_path / "a.xlsx", Messy(header, rows, title="大庄村2024年低保花名册"))
    unnamed = write_xlsx(tmp_path / "b.xlsx", Messy(header, rows, title="香水镇2024年低保花名册"))

    assert "没有填写所在村" in reviewer.ledger_import.plan(unnamed).invalid_rows[0].reason
    plan = reviewer.ledger_import.apply(named)

    assert plan.households == 1
    assert reviewer.households.get(_registered(reviewer, MA).household_id)[0].village_code == "640424100200"


def test_a_programme_cell_naming_no_programme_is_not_read_as_the_title_s():
    rows = _rows({"name": "马建军", "id_number": MA, "relation": "户主", "amount": 300, "programme": "低保边缘"})
    (group,) = group_rows(rows, ["name", "id_number", "relation", "amount", "programme"])
    assert wishes(group, "低保", "2024-05") == []
    assert "不是可登记保障金的救助项目" in group.rows[0].reason
