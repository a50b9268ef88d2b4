"""Migration 12: an office that already exchanged packages keeps its trust and channels, now per card."""

from app.db.database import Database
from app.db.integrity import schema_problems
from app.db.migrations import MIGRATIONS
from app.db.schema import migrate


def test_trusted_offices_and_their_channels_survive_the_move_to_one_card_per_pc(tmp_path):
    db = Database(tmp_path / "v11.db", b"\x07" * 32, create=True)
    migrate(db, target=11)
    with db.transaction():
        db.execute(
            "INSERT INTO peers(office_code, office_name, kind, sign_public, box_public, fingerprint, added_at, "
            "added_by, revoked_at, revoked_by) VALUES ('640424000000', '泾源县民政局', 'county', 's', 'b', "
            "'AMS8-RD17-78NA-ANM3-KX83-209A', 't', 'admin', NULL, '')"
        )
        db.execute(
            "INSERT INTO channels(peer_code, out_seq, acked_change_seq, acked_audit_seq, last_out_at, last_ack_at) "
            "VALUES ('640424000000', 7, 120, 88, 'o', 'a')"
        )
    assert migrate(db) == len(MIGRATIONS) - 11
    assert db.query("SELECT office_code, fingerprint, revoked_at FROM peers") == [
        ("640424000000", "AMS8-RD17-78NA-ANM3-KX83-209A", None)
    ]
    # The county's package numbers and what it acknowledged carry on: no package is sent twice.
    assert db.query("SELECT peer_fingerprint, peer_code, out_seq, acked_change_seq, acked_audit_seq FROM channels") == [
        ("AMS8-RD17-78NA-ANM3-KX83-209A", "640424000000", 7, 120, 88)
    ]
    assert schema_problems(db) == []  # the rebuilt tables are what a new database gets
    db.close()
