"""``demo_lists``: the sample department lists say what comparing them finds, and that is what is found."""

from collections import Counter

import keyring
import pytest

from app.errors import InvalidInput, PermissionDenied
from app.services.demo import create_demo
from app.services.demo_lists import write_demo_lists
from app.services.simulate import open_staff
from tests.conftest import ADMIN_PASSWORD, MemoryKeyring

PASSWORD = "demo-lists-2021"
MONTH = "2026-10"  # fixed: the demo, and so the lists, do not depend on the day the tests run
SOURCES = ("公安", "乡村振兴", "卫健", "残联", "人社", "医保", "市场监管", "车管", "不动产")
# The finding each department's list exists to show a clerk.
HEADLINE = {
    "公安": "deceased_still_enrolled",
    "乡村振兴": "missed_candidate",
    "卫健": "illness_not_recorded",
    "残联": "disability_subsidy_missing",
    "人社": "pension_not_recorded",
    "医保": "medical_expense_high",
    "市场监管": "business_owner_enrolled",
    "车管": "vehicle_owner_enrolled",
    "不动产": "property_owner_enrolled",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A 60-household demo (built once: a few seconds) and its clerk."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    root = tmp_path_factory.mktemp("demo-lists")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOUDI_CONFIG_DIR", str(root / "config"))
        admin, _code, _counts = create_demo(root / "office", PASSWORD, households=60, end_month=MONTH)
        clerk, reviewer = open_staff(root / "office", PASSWORD)
        reviewer.close()
        try:
            yield admin, clerk
        finally:
            clerk.close()
            admin.close()
            keyring.set_keyring(previous)


@pytest.fixture(scope="module")
def written(demo, tmp_path_factory):
    _admin, clerk = demo
    return write_demo_lists(clerk, tmp_path_factory.mktemp("lists"), month=MONTH, seed=5)


def test_one_list_per_department_named_as_the_department_names_it(written):
    assert [w.source for w in written] == list(SOURCES)
    assert written[0].path.name == "泾源县公安局2026年10月死亡注销人员名单.xlsx"
    assert Counter(w.path.suffix for w in written) == {".xlsx": 8, ".csv": 1}
    # The CSV is GBK, as department systems export it: it is not UTF-8.
    csv_bytes = next(w for w in written if w.path.suffix == ".csv").path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        csv_bytes.decode("utf-8")
    assert "患者姓名" in csv_bytes.decode("gbk")


@pytest.mark.parametrize("source", SOURCES)
def test_comparing_each_list_finds_exactly_what_the_command_said(demo, written, source):
    _admin, clerk = demo
    listed = next(w for w in written if w.source == source)
    result = clerk.comparison.run(listed.path, source, month=MONTH)
    found = {r.row: sorted(f.code for f in r.findings) for r in result.rows}
    assert found == {e.row: sorted(e.codes) for e in listed.rows}
    assert HEADLINE[source] in {code for e in listed.rows for code in e.codes}, listed.gaps
    assert listed.gaps == ()


def test_the_lists_hold_the_messes_the_reader_must_cope_with(demo, written):
    _admin, clerk = demo
    by = {w.source: w for w in written}
    rural = clerk.comparison.layout(by["乡村振兴"].path, "乡村振兴")
    assert len(rural.header_rows) == 2  # 监测对象 over 姓名 | 身份证号码
    police = clerk.comparison.run(by["公安"].path, "公安", month=MONTH)
    assert police.summary["not_in_register"] == 1  # the lower-case x read as a valid number
    hrss = clerk.comparison.run(by["人社"].path, "人社", month=MONTH)
    assert [r.match for r in hrss.rows][-2:] == ["possible_match", "id_damaged"]  # IDs stored as numbers


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_people(demo, written, tmp_path):
    _admin, clerk = demo
    again = write_demo_lists(clerk, tmp_path / "again", month=MONTH, seed=5)
    assert [w.path.read_bytes() for w in again] == [w.path.read_bytes() for w in written]
    other = write_demo_lists(clerk, tmp_path / "other", month=MONTH, seed=6)
    assert [w.path.read_bytes() for w in other] != [w.path.read_bytes() for w in written]


def test_the_administrator_may_not_write_whole_id_numbers(demo, tmp_path):
    admin, _clerk = demo
    with pytest.raises(PermissionDenied):
        write_demo_lists(admin, tmp_path / "out", month=MONTH)
    assert not (tmp_path / "out").exists()


def test_a_real_office_is_refused_and_nothing_is_written(office, tmp_path):
    session, _code, data = office
    session.users.add("clerk", "clerk", ADMIN_PASSWORD)
    session.users.add("reviewer", "reviewer", ADMIN_PASSWORD)
    clerk, reviewer = open_staff(data, ADMIN_PASSWORD)
    try:
        with pytest.raises(InvalidInput) as refused:
            write_demo_lists(clerk, tmp_path / "out", month=MONTH)
    finally:
        clerk.close()
        reviewer.close()
    assert "不是演示单位" in str(refused.value) and refused.value.exit_code == 2
    assert not (tmp_path / "out").exists()
