"""The encrypted store as users rely on it: nothing in clear, nothing half-written, all audited."""

from datetime import date

import pytest
import sqlcipher3

from app.db.database import Database
from app.db.schema import current_version, latest_version, migrate
from app.domain.entities import Household
from app.errors import AuthFailed, DatabaseCorrupt, InvalidInput
from tests.factories import household, member


def _add_family(session, head="马学军", id_hint=None):
    h = household()
    members = [member(head, date(1958, 3, 4)), member("海秀兰", date(1960, 7, 9), "配偶", male=False)]
    return session.households.add(h, members), members


def test_database_and_wal_hold_no_plaintext_name_or_id(clerk):
    _saved, members = _add_family(clerk, head="禹建国")
    db_path = clerk.paths.db
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the test must look at a WAL that holds the write"
    secrets = ["禹建国".encode(), "海秀兰".encode(), members[0].id_number.encode(), members[0].id_number[:14].encode()]
    for path in (db_path, wal, clerk.paths.slots, clerk.paths.login_state):
        if path.exists():
            blob = path.read_bytes()
            for s in secrets:
                assert s not in blob, f"{s!r} found in clear in {path.name}"
    clerk.db.checkpoint()
    blob = db_path.read_bytes()
    assert all(s not in blob for s in secrets)
    assert not blob.startswith(b"SQLite format 3")


def test_plain_sqlite_cannot_read_the_file(clerk):
    import sqlite3

    _add_family(clerk)
    conn = sqlite3.connect(clerk.paths.db)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM households").fetchone()


def test_wrong_key_is_refused_quietly(clerk, capfd):
    with pytest.raises(AuthFailed):
        Database(clerk.paths.db, b"\x01" * 32)
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # SQLCipher's own log is silenced


def test_each_write_lands_with_its_change_log_and_audit_rows(clerk):
    before = {t: clerk.db.scalar(f"SELECT count(*) FROM {t}") for t in ("change_log", "audit_log")}
    saved, _ = _add_family(clerk)
    after = {t: clerk.db.scalar(f"SELECT count(*) FROM {t}") for t in ("change_log", "audit_log")}
    assert after["change_log"] - before["change_log"] == 3  # household + two members
    assert after["audit_log"] - before["audit_log"] == 3
    row = clerk.db.query("SELECT entity, row_id, op, updated_at FROM change_log ORDER BY seq DESC LIMIT 3")
    assert {r[0] for r in row} == {"households", "members"}
    h = clerk.store.repo(Household).get(saved.id)
    assert h.owner_office == "640424100000" and h.updated_by == "clerk1" and not h.deleted
    assert h.updated_at.endswith("-640424100000")


def test_a_failed_multi_step_write_changes_nothing(clerk):

    def counts() -> list[int]:
        return [
            clerk.db.scalar(f"SELECT count(*) FROM {t}") for t in ("households", "members", "audit_log", "change_log")
        ]

    start = counts()
    good = member("马学军", date(1958, 3, 4))
    bad = member("海秀兰", date(1960, 7, 9), "配偶", male=False)
    bad.id_number = bad.id_number[:-1] + ("0" if bad.id_number[-1] != "0" else "1")  # broken checksum
    with pytest.raises(InvalidInput) as exc:
        clerk.households.add(household(), [good, bad])
    assert "第 2 名成员" in str(exc.value) and "校验位" in str(exc.value)
    assert counts() == start


def test_a_crash_inside_the_transaction_rolls_back(clerk, monkeypatch):
    start = clerk.db.scalar("SELECT count(*) FROM members")
    original = clerk.store.save
    calls = {"n": 0}

    def failing_save(obj, *a, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return original(obj, *a, **kw)

    monkeypatch.setattr(clerk.store, "save", failing_save)
    with pytest.raises(RuntimeError):
        _add_family(clerk)
    assert clerk.db.scalar("SELECT count(*) FROM members") == start
    assert clerk.db.scalar("SELECT count(*) FROM households") == 0


def test_audit_log_and_change_log_refuse_edits(clerk):
    _add_family(clerk)
    with pytest.raises(sqlcipher3.IntegrityError):
        clerk.db.execute("UPDATE audit_log SET username = 'x' WHERE seq = 1")
    with pytest.raises(sqlcipher3.IntegrityError):
        clerk.db.execute("DELETE FROM audit_log WHERE seq = 1")
    with pytest.raises(sqlcipher3.IntegrityError):
        clerk.db.execute("UPDATE change_log SET op = 'x'")


def test_audit_chain_detects_a_changed_or_removed_entry(clerk):
    _add_family(clerk)
    assert clerk.store.verify_audit_chain() == []
    clerk.db.execute("DROP TRIGGER audit_log_no_update")  # someone with the key and a hex editor
    clerk.db.execute("UPDATE audit_log SET username = 'someone-else' WHERE seq = 3")
    problems = clerk.store.verify_audit_chain()
    assert any("3" in p and "改动" in p for p in problems)
    clerk.db.execute("DROP TRIGGER audit_log_no_delete")
    clerk.db.execute("DELETE FROM audit_log WHERE seq = 4")
    assert any("缺失" in p for p in clerk.store.verify_audit_chain())


def test_migrations_run_from_an_empty_database(tmp_path):
    db = Database(tmp_path / "new.db", b"\x02" * 32, create=True)
    assert current_version(db) == 0
    from app.db.migrations import MIGRATIONS

    assert migrate(db) == len(MIGRATIONS)
    assert current_version(db) == latest_version()
    tables = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "households",
        "members",
        "visits",
        "enrolments",
        "payments",
        "alerts",
        "users",
        "change_log",
        "audit_log",
        "meta",
        "divisions",
        "income_items",
        "care_records",
        "policy_periods",
        "month_closes",
    } <= tables
    assert migrate(db) == 0  # applying again changes nothing
    db.execute("PRAGMA user_version = 999")
    with pytest.raises(DatabaseCorrupt) as exc:
        migrate(db)
    assert "升级" in str(exc.value)


def test_pragmas_for_durability(clerk):
    assert clerk.db.scalar("PRAGMA journal_mode") == "wal"
    assert clerk.db.scalar("PRAGMA synchronous") == 2  # FULL
    assert clerk.db.scalar("PRAGMA foreign_keys") == 1
    assert clerk.db.scalar("PRAGMA cipher_version").startswith("4.")


def test_audit_chain_detects_entries_cut_off_the_end(clerk):
    _add_family(clerk)
    last = clerk.db.scalar("SELECT max(seq) FROM audit_log")
    clerk.db.execute("DROP TRIGGER audit_log_no_delete")
    clerk.db.execute("DELETE FROM audit_log WHERE seq >= ?", (last - 1,))
    problems = clerk.store.verify_audit_chain()
    assert any("末尾被删除" in p for p in problems), problems


def test_rows_changed_around_the_services_are_found(clerk):
    from app.db.store import unlogged_changes

    saved, _ = _add_family(clerk)
    assert unlogged_changes(clerk.db) == {}
    clerk.db.execute(
        "UPDATE households SET updated_at = '9999999999999-00000-x', phone = '1' WHERE id = ?", (saved.id,)
    )
    assert unlogged_changes(clerk.db) == {"households": 1}
