"""``doudi support bundle``: what support asks first, in one zip — never the register, keys or backups."""

from __future__ import annotations

import json
import zipfile
from datetime import date

from app.db.schema import latest_version
from app.services.support_bundle import check_not_run, run_check, write_support_bundle
from tests.conftest import ADMIN_PASSWORD
from tests.factories import household, member

NAMES = ["README.txt", "summary.json", "check.json", "files.txt", "log-tail.txt"]


def _read(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _log_with_personal_data(folder, id_number: str) -> None:
    folder.mkdir()
    lines = [f"2026-11-30 09:00:{n:02d},000 INFO app: step {n}\n" for n in range(40)]
    lines.append(f"2026-11-30 09:01:00,000 ERROR app: 户主：马学军 证件 {id_number} 电话 13912345678\n")
    (folder / "doudi.log").write_text("".join(lines), encoding="utf-8")


def test_the_bundle_holds_versions_check_listing_and_masked_log_and_no_secrets(office, tmp_path):
    session, recovery_code, data = office
    h = session.households.add(household(phone="13912345678"), [member("马学军", date(1958, 3, 4))])
    id_number = session.db.scalar("SELECT id_number FROM members WHERE household_id = ?", (h.id,))
    logs = tmp_path / "logs"
    _log_with_personal_data(logs, id_number)

    result = write_support_bundle(tmp_path / "support.zip", data, run_check(session, data), log_dir=logs, log_lines=10)

    inside = _read(result.path)
    assert list(inside) == NAMES and result.check_run
    summary = json.loads(inside["summary.json"])
    assert summary["schema_version"] == latest_version() and summary["version"] and summary["python"]
    assert json.loads(inside["check.json"])["ok"] is True
    listing = inside["files.txt"].decode()
    assert f"office.db\t{(data / 'office.db').stat().st_size}" in listing
    log = inside["log-tail.txt"].decode()
    assert log.count("\n") == 11  # the header, then the last 10 lines
    assert "户主：马**" in log and id_number[-4:] in log
    everything = b"".join(inside.values())
    for secret in (id_number, "马学军", "13912345678", ADMIN_PASSWORD, recovery_code, session._key.hex()):
        assert secret.encode() not in everything, secret
    assert (data / "office.db").read_bytes()[:4096] not in everything
    assert (data / "keyslots.json").read_bytes() not in everything
    assert result.path.stat().st_mode & 0o077 == 0  # owner-only, like the logs


def test_without_a_password_the_bundle_says_check_was_not_run(tmp_path):
    result = write_support_bundle(
        tmp_path / "b.zip",
        tmp_path / "no-office",
        check_not_run("未运行检查：没有提供密码。"),
        log_dir=tmp_path / "none",
    )
    inside = _read(result.path)
    assert not result.check_run
    assert json.loads(inside["check.json"]) == {"run": False, "reason": "未运行检查：没有提供密码。"}
    assert "不存在" in inside["files.txt"].decode()


def test_the_summary_names_the_data_and_log_folders_without_the_os_users_home(tmp_path, monkeypatch):
    home = tmp_path / "zhangsan"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    result = write_support_bundle(
        tmp_path / "b.zip", home / "兜底数据", check_not_run("未运行"), log_dir=home / ".local" / "logs"
    )
    summary = json.loads(_read(result.path)["summary.json"])
    assert summary["data_dir"].replace("\\", "/") == "~/兜底数据"
    assert summary["log_dir"].replace("\\", "/") == "~/.local/logs"
    assert "zhangsan" not in json.dumps(summary, ensure_ascii=False)


def test_the_readme_says_names_in_free_text_may_remain():
    from app.services.support_bundle import README

    assert "其他位置的姓名可能仍然完整" in README
