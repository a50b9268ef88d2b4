"""A newer program backs up an older office before it changes the schema (issue 8, item 4)."""

from app.db import schema
from app.db.migrations import MIGRATIONS
from app.services.backup import backup_folder, read_manifest
from app.services.office import create_office, open_session


def test_opening_an_older_office_backs_it_up_before_migrating(tmp_path, monkeypatch):
    data = tmp_path / "office"
    session, _code = create_office(data, "640424100", "admin", "admin-pass-2021")
    session.close()
    # A newer program: one migration more than the one that made the office.
    older = MIGRATIONS[-1][0]
    newest = older + 1
    monkeypatch.setattr(schema, "MIGRATIONS", [*MIGRATIONS, (newest, "CREATE TABLE later_feature (x TEXT);")])

    session = open_session(data, "admin", "admin-pass-2021")
    try:
        assert session.db.scalar("PRAGMA user_version") == newest
    finally:
        session.close()
    made = [p for p in backup_folder(data).iterdir() if p.name.endswith(f"-before-v{newest}-from-v{older}")]
    assert len(made) == 1, list(backup_folder(data).iterdir())
    manifest = read_manifest(made[0])
    assert manifest["schema_version"] == older


def test_an_office_of_this_version_is_not_backed_up_at_sign_in(office):
    _session, _code, data = office
    open_session(data, "admin", "admin-pass-2021").close()
    folder = backup_folder(data)
    assert not folder.exists() or not [p for p in folder.iterdir() if "-before-v" in p.name]
