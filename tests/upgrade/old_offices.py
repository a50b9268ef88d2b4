"""Offices as earlier versions of Doudi left them, built by the project's own code (issue 14 point 4).

No database file is committed: a current demo office is made once, then for each earlier schema
version *k* a database is built by running the migrations up to *k* only (``migrate(target=k)``)
and filled with that office's rows, as far as version *k* had tables and columns for them — what
an older program would have written. The key slots and the device secret are the template's, so
the old office opens with the template's password on this PC.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.db import device_secret
from app.db.database import Database
from app.db.integrity import CHANGE_SEQ, CONTENT_BATCH, CONTENT_HASH
from app.db.schema import migrate
from app.db.store import GENESIS, _canonical, entry_hash
from app.services.office_files import DB_NAME

PASSWORD = "upgrade-pass-2021"


@dataclass(frozen=True)
class Template:
    data_dir: Path
    key: bytes
    store_id: str
    secret: bytes
    counts: dict[str, int]


def make_template(folder: Path, households: int = 6) -> Template:
    """A small demo office at the current schema: the rows the old offices are filled with."""
    from app.services.demo import create_demo

    session, _code, _counts = create_demo(folder, PASSWORD, households=households, end_month="2026-10")
    try:
        key = session._key
        store_id = str(session.db.scalar("SELECT value FROM meta WHERE key = 'store_id'"))
        counts = {table: int(session.db.scalar(f"SELECT count(*) FROM {table}")) for table in _tables(session.db)}
    finally:
        session.close()
    secret = device_secret.load(store_id)
    assert secret is not None
    return Template(folder, key, store_id, secret, counts)


def template_with_own_keyring(tmp_path_factory, households: int) -> Template:
    """:func:`make_template` in a temporary folder of its own, its device secret in a keyring of its
    own (a fixture's template outlives any one test's keyring)."""
    import keyring
    import pytest

    from tests.conftest import MemoryKeyring

    folder = tmp_path_factory.mktemp("template")
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DOUDI_KEYRING", raising=False)
        mp.setenv("DOUDI_CONFIG_DIR", str(folder / "config"))
        mp.setenv("DOUDI_KDF_PROFILE", "fast")
        try:
            return make_template(folder / "office", households=households)
        finally:
            keyring.set_keyring(previous)


def _tables(db: Database) -> dict[str, list[str]]:
    """Each table by the name the program reads it by: since m0013 a register table is a view over
    its base table ``X_rows``, whose integer keys an older schema never had."""
    names = [
        r[0]
        for r in db.query(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
        )
        if not (r[1] == "table" and str(r[0]).endswith("_rows"))
    ]
    return {name: [c[1] for c in db.query(f"PRAGMA table_info({name})")] for name in names}


def make_old_office(template: Template, folder: Path, version: int) -> dict[str, int]:
    """An office in *folder* at schema *version* holding the template's rows; returns the row counts.

    The template's meta keys that version *k* did not yet know (written by later migrations or by
    the current program) are left out, as an older program would never have written them.
    """
    shutil.copytree(template.data_dir, folder, ignore=shutil.ignore_patterns(f"{DB_NAME}*", "backups"))
    device_secret.save(template.store_id, template.secret)
    source = Database(template.data_dir / DB_NAME, template.key)
    old = Database(folder / DB_NAME, template.key, create=True)
    try:
        migrate(old, target=version)
        made_by_migrations = {r[0] for r in old.query("SELECT key FROM meta")}
        old.execute("PRAGMA foreign_keys = OFF")  # rows are copied table by table, parents not first
        counts: dict[str, int] = {}
        with old.transaction():
            have = _tables(source)
            old_tables = _tables(old)
            for table, columns in old_tables.items():
                shared = [c for c in columns if c in have.get(table, [])]
                if not shared:
                    continue
                cols = ", ".join(shared)
                rows = source.query(f"SELECT {cols} FROM {table}")
                if table == "meta":
                    rows = [r for r in rows if r[shared.index("key")] not in made_by_migrations | _LATER_META]
                elif table == "change_log":  # an older program logged only the tables it had, in one run
                    kept = sorted((r for r in rows if r[shared.index("entity")] in old_tables), key=lambda r: r[0])
                    seq = shared.index("seq")
                    rows = [(*r[:seq], n, *r[seq + 1 :]) for n, r in enumerate(kept, start=1)]
                elif table == "audit_log" and "content_hash" not in old_tables["change_log"]:
                    rows = _unhashed_audit(shared, rows)
                marks = ", ".join("?" for _ in shared)
                old.executemany(f"INSERT OR REPLACE INTO {table} ({cols}) VALUES ({marks})", rows)
                counts[table] = int(old.scalar(f"SELECT count(*) FROM {table}"))
        old.execute("PRAGMA foreign_keys = ON")
        assert not old.query("PRAGMA foreign_key_check")
    finally:
        old.close()
        source.close()
    return counts


def _unhashed_audit(columns: list[str], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The audit chain as a program before content hashes (schema 4) wrote it: the same entries
    without the change-log hashes and digests, chained again with the store's own entry hash."""
    at = {name: i for i, name in enumerate(columns)}
    prev = GENESIS
    out = []
    for row in sorted(rows, key=lambda r: r[at["seq"]]):
        detail = {k: v for k, v in json.loads(row[at["detail"]]).items() if k not in _HASH_KEYS}
        values = list(row)
        values[at["detail"]] = _canonical(detail)
        values[at["prev_hash"]] = prev
        prev = values[at["hash"]] = entry_hash(
            prev,
            at=row[at["at"]],
            username=row[at["username"]],
            action=row[at["action"]],
            entity=row[at["entity"]],
            row_id=row[at["row_id"]],
            detail=values[at["detail"]],
        )
        out.append(tuple(values))
    return out


_HASH_KEYS = frozenset({CHANGE_SEQ, CONTENT_HASH, CONTENT_BATCH})
# Meta marks the current program sets once a one-off job is done; an older program had them pending.
_LATER_META = frozenset({"content_baseline", "content_rebaseline"})
