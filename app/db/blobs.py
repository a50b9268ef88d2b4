"""The bytes of attachments, inside the encrypted database (``attachment_blobs``, m0006).

A scan or photo is stored once per content, keyed by its SHA-256, whatever number of rows point
at it; the row (``attachments``) is what syncs and is audited, and its content hash covers the
SHA-256, so the row vouches for the bytes. This module is the only code that reads or writes
the blob table: the attachment service, packages (which carry blobs beside their rows) and
``doudi check`` (which re-hashes every blob) all come through here.

Blobs are never written to a plain file: keeping them in the database keeps them under the
office's key, in its backups, and out of temp folders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from ..errors import InvalidInput
from .database import Database

# Blobs and rows looked up per query: well under SQLite's limit on bound parameters.
CHUNK = 500

MB = 1024 * 1024
# The most a stored attachment may weigh, after downscaling: the attachment service refuses more,
# and an import quarantines an attachment whose carried content is larger.
MAX_STORED_BYTES = 5 * MB


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_blob(db: Database, sha256: str, data: bytes, thumbnail: bytes = b"") -> bool:
    """Store ``data`` under ``sha256`` unless that content is already there; True when it was new.

    ``data`` must hash to ``sha256`` (a package's blob is checked here, not trusted). A stored blob
    whose bytes no longer match is replaced by the good copy, so receiving the content again
    repairs it. Call inside the transaction that writes the row pointing at it.
    """
    assert db.in_transaction, "put_blob outside a transaction"
    if sha256_of(data) != sha256:
        raise InvalidInput(f"附件内容与其摘要 {sha256[:12]}… 不符，内容在传递中损坏，未保存。", field="sha256")
    row = db.execute("SELECT data, length(thumbnail) FROM attachment_blobs WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        db.execute("INSERT INTO attachment_blobs(sha256, data, thumbnail) VALUES (?, ?, ?)", (sha256, data, thumbnail))
        return True
    stored, thumb_len = row
    if sha256_of(bytes(stored)) != sha256:
        db.execute("UPDATE attachment_blobs SET data = ? WHERE sha256 = ?", (data, sha256))
    if thumbnail and not thumb_len:
        db.execute("UPDATE attachment_blobs SET thumbnail = ? WHERE sha256 = ?", (thumbnail, sha256))
    return False


def blob_data(db: Database, sha256: str) -> bytes | None:
    """The stored bytes of one content, or None when there is no such blob (not checked here)."""
    value = db.scalar("SELECT data FROM attachment_blobs WHERE sha256 = ?", (sha256,))
    return None if value is None else bytes(value)


def thumbnails(db: Database, sha256s: Iterable[str]) -> dict[str, bytes]:
    """The thumbnails of these contents (empty bytes for a PDF); a list never reads full images."""
    out: dict[str, bytes] = {}
    wanted = sorted(set(sha256s))
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start : start + CHUNK]
        marks = ", ".join("?" for _ in part)
        for sha, thumb in db.query(f"SELECT sha256, thumbnail FROM attachment_blobs WHERE sha256 IN ({marks})", part):
            out[sha] = bytes(thumb)
    return out


def blobs_for(db: Database, sha256s: Iterable[str]) -> dict[str, tuple[bytes, bytes]]:
    """``sha256 -> (data, thumbnail)`` of the contents that exist, for a package to carry."""
    out: dict[str, tuple[bytes, bytes]] = {}
    wanted = sorted(set(sha256s))
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start : start + CHUNK]
        marks = ", ".join("?" for _ in part)
        sql = f"SELECT sha256, data, thumbnail FROM attachment_blobs WHERE sha256 IN ({marks})"
        for sha, data, thumb in db.query(sql, part):
            out[sha] = (bytes(data), bytes(thumb))
    return out


def blob_problems(db: Database) -> list[str]:
    """What ``doudi check`` says about attachment contents: one sentence per damaged blob (its bytes
    no longer hash to their SHA-256) and per attachment whose content is missing."""
    names: dict[str, list[str]] = {}
    for sha, file_name in db.query("SELECT sha256, file_name FROM attachments WHERE deleted = 0 ORDER BY file_name"):
        names.setdefault(sha, []).append(file_name or "（无文件名）")
    problems: list[str] = []
    # One blob at a time: the table may hold gigabytes, the check must not.
    for (sha,) in db.query("SELECT sha256 FROM attachment_blobs ORDER BY sha256"):
        data = blob_data(db, sha)
        if data is not None and sha256_of(data) != sha:
            used = "、".join(names.get(sha, [])) or "已删除的附件"
            problems.append(f"附件内容 {sha[:12]}…（{used}）已损坏：内容与其摘要不符。")
    missing = db.query(
        "SELECT a.id, a.file_name, a.sha256 FROM attachments a WHERE a.deleted = 0 "
        "AND NOT EXISTS (SELECT 1 FROM attachment_blobs b WHERE b.sha256 = a.sha256) ORDER BY a.file_name"
    )
    problems += [
        f"附件「{name or '（无文件名）'}」（{row_id}）缺少内容：没有摘要为 {sha[:12]}… 的附件内容。"
        for row_id, name, sha in missing
    ]
    return problems
