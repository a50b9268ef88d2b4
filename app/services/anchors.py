"""Anchors: the audit chain's head, written down outside the database.

Someone holding the key can rewrite the whole audit chain and re-hash it, and nothing inside
the database can tell. A copy of the head (its number and hash) kept elsewhere can: in
``anchors.jsonl`` beside the database, in every backup's manifest, in every package sent to
the county, on the printed recovery sheet. ``doudi check`` asks whether the chain still runs
through the newest anchor it knows (docs/integrity.md).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..db.private_files import PRIVATE_FILE, restrict
from ..db.store import now_text

if TYPE_CHECKING:
    from ..db.database import Database
    from .session import Session

ANCHORS_FILE = "anchors.jsonl"
# The key under which a backup manifest (or a county package) carries the anchor.
MANIFEST_KEY = "audit_chain_head"


@dataclass(frozen=True)
class Anchor:
    seq: int  # the audit entry's number (0: an empty chain)
    hash: str  # that entry's hash
    at: str = ""  # when the anchor was taken
    where: str = ""  # where it is kept: 数据文件夹, a backup's file name, 恢复单 …

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def chain_head(db: Database) -> Anchor:
    """The audit chain's head as *db* sees it (a backup reads it on its own snapshot)."""
    row = db.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    seq, digest = row[0] if row else (0, "")
    return Anchor(int(seq), str(digest), now_text())


def current_anchor(session: Session) -> Anchor:
    """The audit chain's head now."""
    return chain_head(session.db)


def record_anchor(data_dir: Path | str, anchor: Anchor, where: str) -> dict[str, Any]:
    """Append *anchor* to the data folder's owner-only ``anchors.jsonl`` and return it as the dict a
    backup manifest or a package carries under :data:`MANIFEST_KEY`."""
    kept = Anchor(anchor.seq, anchor.hash, anchor.at or now_text(), where)
    line = json.dumps(kept.as_dict(), ensure_ascii=False, sort_keys=True) + "\n"
    path = Path(data_dir) / ANCHORS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    restrict(path)
    return kept.as_dict()


def anchor_from_dict(data: Any, where: str = "") -> Anchor | None:
    if not isinstance(data, dict):
        return None
    seq, digest = data.get("seq"), data.get("hash")
    if not isinstance(seq, int) or not isinstance(digest, str):
        return None
    return Anchor(seq, digest, str(data.get("at", "")), str(data.get("where") or where))


def anchor_from_manifest(manifest: dict[str, Any], where: str = "") -> Anchor | None:
    """The anchor a backup manifest or package carries (None when it has none)."""
    for key in (MANIFEST_KEY, "anchor", "chain_head"):
        found = anchor_from_dict(manifest.get(key), where)
        if found is not None:
            return found
    return None


def known_anchors(data_dir: Path | str, extra_dirs: Iterable[Path | str] = ()) -> list[Anchor]:
    """The anchors in the data folder's ``anchors.jsonl`` and in the ``*.manifest.json`` backup
    manifests of *extra_dirs*, oldest chain position first. Unreadable lines are skipped: an
    anchor is evidence, and a damaged one is no evidence either way."""
    found: list[Anchor] = []
    path = Path(data_dir) / ANCHORS_FILE
    with contextlib.suppress(OSError):
        for line in path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                anchor = anchor_from_dict(json.loads(line))
                if anchor is not None:
                    found.append(anchor)
    for folder in extra_dirs:
        # A package's manifest beside it (``*.manifest.json``), or a backup folder's ``manifest.json``.
        manifests = [*Path(folder).glob("*.manifest.json"), *Path(folder).glob("*/manifest.json")]
        for manifest in sorted(manifests):
            with contextlib.suppress(OSError, ValueError):
                anchor = anchor_from_manifest(json.loads(manifest.read_text(encoding="utf-8")), manifest.name)
                if anchor is not None:
                    found.append(anchor)
    return sorted(found, key=lambda a: (a.seq, a.at))


def chain_continues(session: Session, anchor: Anchor) -> bool:
    """Whether the audit entry numbered ``anchor.seq`` still has the anchored hash."""
    if anchor.seq == 0:
        return True
    digest = session.db.scalar("SELECT hash FROM audit_log WHERE seq = ?", (anchor.seq,))
    return digest == anchor.hash
