"""Issue 8 item 1, red-teamed: rows altered around the program, and a rewritten audit chain, are seen.

Each case is written as the attacker wrote it: plain SQL on the opened database, ``updated_at``
kept so the old "is the current version logged?" test passes. Before content hashes every one of
them passed as 检查通过.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.db import integrity
from app.db.database import Database
from app.db.migrations import script
from app.db.repository import Repository
from app.db.schema import _statements, migrate
from app.db.store import GENESIS, Store, entry_hash, unlogged_changes
from app.domain.entities import Household, Member, Payment
from app.services import anchors
from app.services.integrity import check_report
from tests.factories import household, member


def _family(s, head="马学军", bank="6228480000000001"):
    h = household(bank_name="农业银行", bank_account=bank)
    saved = s.households.add(h, [member(head, date(1958, 3, 4))])
    return s.households.get(saved.id)


def _payment(s, hid, amount=60000, bulk=False):
    p = Payment(month="2026-01", household_id=hid, programme="低保", amount_fen=amount, persons=1)
    with s.store.transaction():
        if bulk:
            s.store.bulk_save([p], s.user.username)
            s.store.audit(s.user.username, "生成发放名册", "payments", "2026-01", {"lines": 1})
        else:
            s.store.save(p, s.user.username, "添加发放行")
    return p


def _tamper(s, sql, params=()):
    s.db.execute("PRAGMA foreign_keys = OFF")
    s.db.execute(sql, params)
    s.db.execute("PRAGMA foreign_keys = ON")


def _by_kind(problems):
    return {(p.table, p.row_id, p.kind): p for p in problems}


def test_a_fresh_register_written_by_the_program_has_no_content_problems(clerk):
    h, _members = _family(clerk)
    _payment(clerk, h.id)
    _payment(clerk, h.id, bulk=True)
    hh = clerk.store.repo(Household).get(h.id)
    clerk.households.update(hh, _members)
    assert integrity.content_problems(clerk.db) == []
    assert integrity.schema_problems(clerk.db) == []
    assert unlogged_changes(clerk.db) == {}


def test_payment_amount_times_ten_is_reported_with_its_column(clerk):
    h, _ = _family(clerk)
    p = _payment(clerk, h.id)
    _tamper(clerk, "UPDATE payments SET amount_fen = amount_fen * 10 WHERE id = ?", (p.id,))
    assert unlogged_changes(clerk.db) == {}  # the old check saw nothing
    found = _by_kind(integrity.content_problems(clerk.db))[("payments", p.id, "altered")]
    assert found.columns == {"amount_fen": [60000, 600000]}
    assert "amount_fen" in found.message and p.id in found.message


def test_a_payment_written_in_a_batch_is_checked_too(clerk):
    h, _ = _family(clerk)
    p = _payment(clerk, h.id, bulk=True)
    _tamper(clerk, "UPDATE payments SET amount_fen = amount_fen * 10 WHERE id = ?", (p.id,))
    found = _by_kind(integrity.content_problems(clerk.db))[("payments", p.id, "altered")]
    assert "最后记录的版本不同" in found.message


def test_a_changed_bank_account_is_reported(clerk):
    h, _ = _family(clerk)
    _tamper(clerk, "UPDATE households SET bank_account = '6228489999999999' WHERE id = ?", (h.id,))
    found = _by_kind(integrity.content_problems(clerk.db))[("households", h.id, "altered")]
    assert found.columns == {"bank_account": ["6228480000000001", "6228489999999999"]}


def test_a_renamed_person_is_reported(clerk):
    _h, members = _family(clerk)
    m = members[0]
    _tamper(clerk, "UPDATE members SET name = '马学兵' WHERE id = ?", (m.id,))
    found = _by_kind(integrity.content_problems(clerk.db))[("members", m.id, "altered")]
    assert set(found.columns) == {"name"}


def test_a_hard_deleted_household_is_reported(clerk):
    h, members = _family(clerk)
    _tamper(clerk, "DELETE FROM households WHERE id = ?", (h.id,))
    found = _by_kind(integrity.content_problems(clerk.db))
    assert ("households", h.id, "hard_deleted") in found
    assert "硬删除" in found[("households", h.id, "hard_deleted")].message
    assert ("members", members[0].id, "hard_deleted") not in found  # the member row is still there


def test_an_edited_tombstone_is_reported(clerk):
    h, _ = _family(clerk)
    p = _payment(clerk, h.id)
    deleted = Payment(**{**p.__dict__, "deleted": True})
    with clerk.store.transaction():
        clerk.store.save(deleted, "clerk1", "删除发放行", before=p)
    _tamper(clerk, "UPDATE payments SET deleted = 0 WHERE id = ?", (p.id,))
    assert ("payments", p.id, "altered") in _by_kind(integrity.content_problems(clerk.db))


def test_a_forged_change_log_entry_has_no_audit_entry_behind_it(clerk):
    """Altering a row and appending a change-log entry with the new hash is not enough."""
    h, _ = _family(clerk, bank="6228480000000001")
    forged = Household(**{**h.__dict__, "bank_account": "6228489999999999"})
    _tamper(clerk, "UPDATE households SET bank_account = '6228489999999999' WHERE id = ?", (h.id,))
    clerk.db.execute(
        "INSERT INTO change_log(entity, row_id, updated_at, op, content_hash) VALUES ('households', ?, ?, 'update', ?)",
        (h.id, h.updated_at, integrity.content_hash(forged)),
    )
    found = _by_kind(integrity.content_problems(clerk.db))
    assert ("households", h.id, "altered") not in found
    assert found[("households", h.id, "not_audited")].message.endswith("（绕过程序添加，或审计记录被删）。")


def test_a_batch_rolled_back_leaves_no_claim_behind(clerk):
    h, _ = _family(clerk)

    def half_done():
        with clerk.store.transaction():
            clerk.store.bulk_save([Payment(month="2026-01", household_id=h.id, amount_fen=1)], "clerk1")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        half_done()
    _payment(clerk, h.id)
    assert integrity.content_problems(clerk.db) == []


# --- an office from before content hashes ---------------------------------------------------


def _old_office(tmp_path):
    """A version-3 database written as the program before m0004 wrote it (no content hashes)."""
    db = Database(tmp_path / "old.db", b"\x07" * 32, create=True)
    with db.transaction():
        for number in (1, 2, 3):
            for statement in _statements(script(number)):
                db.execute(statement)
        db.execute("PRAGMA user_version = 3")
        h = household(bank_account="6228480000000001")
        h.id, h.owner_office, h.updated_at, h.updated_by = "h1", "640424100000", "0000000000001-00000-x", "clerk1"
        m = member("马学军", date(1958, 3, 4))
        m.id, m.household_id, m.owner_office, m.updated_at, m.updated_by = (
            "m1",
            "h1",
            "640424100000",
            "0000000000002-00000-x",
            "clerk1",
        )
        Repository(db, Household).upsert(h)
        Repository(db, Member).upsert(m)
        db.executemany(
            "INSERT INTO change_log(entity, row_id, updated_at, op) VALUES (?, ?, ?, 'insert')",
            [("households", "h1", h.updated_at), ("members", "m1", m.updated_at)],
        )
        old = Store(db, "640424100000")
        old.audit("clerk1", "新增户", "households", "h1", {"after": {}})
    return db


def test_an_upgraded_office_gets_a_baseline_and_is_then_checked(tmp_path):
    db = _old_office(tmp_path)
    migrate(db)
    Store(db, "640424100000")  # the first open by this program records the baseline
    assert db.scalar("SELECT value FROM meta WHERE key = 'content_baseline'") == "done"
    assert db.scalar("SELECT count(*) FROM change_log WHERE op = 'baseline'") == 2
    assert integrity.content_problems(db) == []
    assert unlogged_changes(db) == {}
    Store(db, "640424100000")  # a second open owes nothing more
    assert db.scalar("SELECT count(*) FROM change_log WHERE op = 'baseline'") == 2

    db.execute("UPDATE households SET bank_account = '6228489999999999' WHERE id = 'h1'")
    found = _by_kind(integrity.content_problems(db))
    assert ("households", "h1", "altered") in found
    db.close()


# --- schema, triggers, and a rewritten audit chain -----------------------------------------


def test_a_dropped_trigger_is_reported(clerk):
    clerk.db.execute("DROP TRIGGER audit_log_no_delete")
    problems = integrity.schema_problems(clerk.db)
    assert len(problems) == 1 and "audit_log_no_delete" in problems[0] and "不见了" in problems[0]


def test_an_added_or_changed_schema_object_is_reported(clerk):
    clerk.db.execute("CREATE INDEX sneaky ON households_rows(bank_account)")
    clerk.db.execute("DROP INDEX households_head")
    problems = integrity.schema_problems(clerk.db)
    assert any("sneaky" in p and "多出了" in p for p in problems)
    assert any("households_head" in p and "缺少" in p for p in problems)


def test_a_wiped_audit_log_is_reported(clerk):
    _family(clerk)
    clerk.db.execute("DROP TRIGGER audit_log_no_delete")
    clerk.db.execute("DELETE FROM audit_log")
    clerk.db.execute("DELETE FROM sqlite_sequence WHERE name = 'audit_log'")  # hide the numbering too
    assert clerk.store.verify_audit_chain() == []  # an empty chain is a valid chain
    assert integrity.schema_problems(clerk.db)
    kinds = {p.kind for p in integrity.content_problems(clerk.db)}
    assert "not_audited" in kinds  # every change-log entry lost its audit entry


def _rehash_chain(db):
    """What someone with the key does after dropping the triggers: recompute every hash."""
    prev = GENESIS
    rows = db.query("SELECT seq, at, username, action, entity, row_id, detail FROM audit_log ORDER BY seq")
    for seq, at, user, action, entity, row_id, detail in rows:
        digest = entry_hash(prev, at=at, username=user, action=action, entity=entity, row_id=row_id, detail=detail)
        db.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest


TRIGGER = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
)


def test_an_edited_and_rehashed_chain_with_its_trigger_put_back_breaks_the_anchor(office):
    session, _code, data_dir = office
    _family(session)
    anchors.record_anchor(data_dir, anchors.current_anchor(session), "备份 2026-01-01")
    _family(session, head="禹建国")

    session.db.execute("DROP TRIGGER audit_log_no_update")
    session.db.execute("UPDATE audit_log SET username = 'nobody' WHERE seq = 2")
    _rehash_chain(session.db)
    session.db.execute(TRIGGER)

    assert session.store.verify_audit_chain() == []
    assert integrity.schema_problems(session.db) == []
    report = check_report(session, data_dir, record=False)
    assert report["anchor"]["continues"] is False
    assert "备份 2026-01-01" in report["anchor"]["message"]
    assert not report["ok"] and report["anchor"]["message"] in report["problems"]


def test_a_trimmed_tail_past_the_anchor_is_reported(office):
    session, _code, data_dir = office
    _family(session)
    head = anchors.current_anchor(session)
    anchors.record_anchor(data_dir, head, "恢复单")
    session.db.execute("DROP TRIGGER audit_log_no_delete")
    session.db.execute("DELETE FROM audit_log WHERE seq >= ?", (head.seq - 1,))
    session.db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'", (head.seq - 2,))
    assert session.store.verify_audit_chain() == []
    report = check_report(session, data_dir, record=False)
    assert report["anchor"]["continues"] is False
    assert report["schema_problems"]


def test_check_report_on_a_demo_office_is_clean_and_records_an_anchor(tmp_path):
    from app.services.demo import create_demo

    session, _code, _counts = create_demo(tmp_path / "demo", "demo-pass-2021", households=12)
    try:
        report = check_report(session, tmp_path / "demo")
        assert report["ok"], report["problems"]
        assert report["content_problem_count"] == 0 and report["schema_problems"] == []
        assert report["chain_head"]["seq"] == session.db.scalar("SELECT max(seq) FROM audit_log")
        kept = anchors.known_anchors(tmp_path / "demo")
        assert kept[-1].seq == report["chain_head"]["seq"] and kept[-1].where == "检查"
        assert ((tmp_path / "demo" / anchors.ANCHORS_FILE).stat().st_mode & 0o777) == 0o600
        again = check_report(session, tmp_path / "demo", record=False)
        assert again["anchor"]["continues"] is True
    finally:
        session.close()


def test_anchors_from_backup_manifests_are_known(office, tmp_path):
    session, _code, data_dir = office
    head = anchors.current_anchor(session)
    backups = tmp_path / "usb"
    backups.mkdir()
    manifest = {"office": "640424100000", anchors.MANIFEST_KEY: anchors.record_anchor(data_dir, head, "u.db")}
    (backups / "u.manifest.json").write_text(json.dumps(manifest))
    (backups / "junk.manifest.json").write_text("{not json")
    found = anchors.known_anchors(tmp_path / "elsewhere", [backups])
    assert [(a.seq, a.hash, a.where) for a in found] == [(head.seq, head.hash, "u.db")]
    assert anchors.anchor_from_manifest(manifest) == found[0]
