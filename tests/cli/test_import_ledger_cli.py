"""``doudi import-ledger`` as a script runs it: the dry run's JSON of issue 12, the import, the rows
left out written to a workbook, and refusals as one sentence."""

from __future__ import annotations

import json
import sys

import openpyxl
import pytest

from app import cli
from tests.services.test_ledger_import import ROWS, ledger
from tests.sheets.messy import write_xlsx

CLERK_PASSWORD = "clerk-pass-2021"
REVIEWER_PASSWORD = "review-pass-2021"


@pytest.fixture
def run(office, monkeypatch, tmp_path, capsys):
    """cli.main in this process, as the office's clerk (``run.as_user`` for another); returns
    (exit code, stdout, stderr)."""
    admin, _code, data_dir = office
    admin.users.add("clerk1", "clerk", CLERK_PASSWORD, display_name="王经办")
    admin.users.add("head1", "reviewer", REVIEWER_PASSWORD, display_name="李主任")
    monkeypatch.setenv("DOUDI_PASSWORD", CLERK_PASSWORD)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))

    return _Run(admin, monkeypatch, capsys, data_dir)


class _Run:
    """What the ``run`` fixture returns: call it with the arguments; ``session`` is the office's admin."""

    def __init__(self, session, monkeypatch, capsys, data_dir) -> None:
        self.session = session
        self._monkeypatch = monkeypatch
        self._capsys = capsys
        self._data_dir = data_dir

    def __call__(self, *argv, user="clerk1", password=CLERK_PASSWORD):
        self._capsys.readouterr()
        self._monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(""))
        self._monkeypatch.setenv("DOUDI_PASSWORD", password)
        code = cli.main(["import-ledger", *argv, "--data-dir", str(self._data_dir), "--user", user])
        out, err = self._capsys.readouterr()
        return code, out, err


def reviewer(run, *argv):
    return run(*argv, user="head1", password=REVIEWER_PASSWORD)


def test_dry_run_json_then_import_then_nothing_left_to_do(run, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", ledger())
    households = "SELECT count(*) FROM households"

    code, out, err = reviewer(run, str(path), "--dry-run", "--json")

    assert code == 0, err
    plan = json.loads(out)
    assert {k: plan[k] for k in ("households", "members", "would_create", "would_update")} == {
        "households": 3,
        "members": 6,
        "would_create": 15,  # 3 households, 6 members, 3 enrolments and their 3 steps
        "would_update": 0,
    }
    assert [(r["row"], r["sheet_row"]) for r in plan["invalid_rows"]] == [(4, 8), (5, 9), (7, 11)]
    assert not plan["done"] and run.session.db.scalar(households) == 0

    code, out, err = reviewer(run, str(path), "--invalid-out", str(tmp_path / "bad.xlsx"))
    assert code == 0, err
    assert "已新增 15 条" in out and "第 9 行：杨小丽身份证号已损坏" in out and "bad.xlsx" in out
    rows = list(openpyxl.load_workbook(tmp_path / "bad.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == 2 + 3  # title, header, the three rows left out
    assert run.session.db.scalar(households) == 3

    code, out, _ = reviewer(run, str(path), "--json")
    again = json.loads(out)
    assert code == 0 and (again["would_create"], again["would_update"], again["done"]) == (0, 0, True)


def test_the_programme_argument_and_refusals_are_one_sentence(run, tmp_path):
    path = write_xlsx(tmp_path / "台账.xlsx", ledger(ROWS[:3], title="香水镇花名册"))

    code, out, _ = run(str(path), "--dry-run", "--json", "--programme", "低保")
    assert code == 0 and json.loads(out)["households"] == 1

    for argv, words in (
        ([str(path), "--programme", "五保"], "没有“五保”这个救助项目"),
        ([str(tmp_path / "missing.xlsx")], "找不到文件"),
        ([str(path), "--invalid-out", str(tmp_path / "bad.csv")], ".xlsx"),
    ):
        code, _, err = run(*argv)
        lines = [line for line in err.strip().splitlines() if line.strip()]
        assert code == 2 and len(lines) == 1 and words in lines[0], err


def test_a_clerk_is_told_the_enrolments_wait_for_a_reviewer_and_sees_each_change(run, tmp_path):
    code, out, err = run(str(write_xlsx(tmp_path / "v1.xlsx", ledger(ROWS[:3]))))

    assert code == 0, err
    assert "未导入的救助登记（1 条）" in out and "月保障金 1200.00 元" in out
    assert "请由审核人运行导入来登记" in out
    assert run.session.db.scalar("SELECT count(*) FROM enrolments") == 0
    rows = [list(r) for r in ROWS[:3]]
    rows[0][2] = "马建军改"

    code, out, err = run(str(write_xlsx(tmp_path / "v2.xlsx", ledger(rows))), "--dry-run")

    assert code == 0, err
    assert "姓名：马建军 → 马建军改" in out and "多半是笔误" in out
    assert "640424********" in out and ROWS[0][3] not in out  # the ID number is masked
