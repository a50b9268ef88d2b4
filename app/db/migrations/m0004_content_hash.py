"""Content hashes: each change-log entry records the SHA-256 of its row as written.

``doudi check`` recomputes every row against it (docs/integrity.md). SQL cannot hash, so
rows written before this migration get their baseline from the store the first time the
database is opened by this program: the ``content_baseline`` mark says one is owed. The
change log also becomes delete-proof, like the audit log: a removed entry would hide a row
that was deleted around the program.
"""

SQL = """
ALTER TABLE change_log ADD COLUMN content_hash TEXT;

CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;

INSERT INTO meta(key, value) VALUES ('content_baseline', 'pending')
ON CONFLICT(key) DO UPDATE SET value = 'pending';
"""
