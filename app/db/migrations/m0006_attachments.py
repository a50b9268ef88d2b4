"""Attachments: scans and photos, kept inside the encrypted database, never as plain files.

``attachments`` is a register row like any other (it syncs, it is audited, its content hash
covers the bytes' SHA-256). ``attachment_blobs`` holds the bytes once per content, with a small
thumbnail, so a list of attachments never reads the full images.
"""

_SYNC = """
    id TEXT PRIMARY KEY,
    owner_office TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
"""

SQL = f"""
CREATE TABLE attachments ({_SYNC}
    household_id TEXT NOT NULL REFERENCES households(id), subject_table TEXT NOT NULL,
    subject_id TEXT NOT NULL, kind TEXT NOT NULL, file_name TEXT NOT NULL DEFAULT '',
    media_type TEXT NOT NULL, size_bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,
    width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attachments_subject ON attachments(subject_table, subject_id);
CREATE INDEX attachments_household ON attachments(household_id);

CREATE TABLE attachment_blobs (
    sha256 TEXT PRIMARY KEY, data BLOB NOT NULL, thumbnail BLOB NOT NULL DEFAULT x''
);
"""
