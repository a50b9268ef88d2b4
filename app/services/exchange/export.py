"""Writing a package for a peer: everything it has not acknowledged, as the newest state of each row.

Content is cumulative since the peer's last acknowledgement (docs/exchange.md §Export): a lost or
unread package is covered by the next one, and overlap is harmless at the receiver. The package
is built from one consistent read inside the transaction that numbers it, and the file is
written only after that commits: a crash before leaves nothing, a crash after leaves a number
skipped, never two different packages under one number.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...db import blobs
from ...db.sync_rows import audit_after, changed_rows, last_audit_seq, last_change_seq, row_stamps
from ...domain import ownership
from ...domain.ids import uuid7
from ...exchange.canonical import canonical_json
from ...exchange.package_file import SUFFIX, build_package, write_package_file
from ..anchors import MANIFEST_KEY, Anchor, record_anchor
from . import precise_now
from .office_keys import ensure_office_keys
from .receipts import acks_for, receipts_for

if TYPE_CHECKING:
    from ..session import Session
    from .trust import Peer

# How many of the peer's latest receipts ride along in each package (the acks themselves are state
# and always complete; receipts only tell the peer what became of its rows).
RECEIPTS_CARRIED = 10


@dataclass(frozen=True)
class Exported:
    peer_code: str
    path: Path
    package_id: str
    seq: int
    counts: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "peer": self.peer_code,
            "path": str(self.path),
            "package_id": self.package_id,
            "seq": self.seq,
            "counts": self.counts,
        }


def package_file_name(sender: str, receiver: str, seq: int) -> str:
    return f"{sender}-{receiver}-{seq:06d}{SUFFIX}"


def _blobs_for(session: Session, rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, str]]:
    """The bytes of the attachments the rows reference, so the receiver holds what its rows point at."""
    wanted = sorted({r["sha256"] for r in rows.get("attachments", []) if not r.get("deleted")})
    if not wanted:
        return []
    return [
        {
            "sha256": digest,
            "data": base64.b64encode(data).decode("ascii"),
            "thumbnail": base64.b64encode(thumb).decode("ascii"),
        }
        for digest, (data, thumb) in sorted(blobs.blobs_for(session.db, wanted).items())
    ]


def _history(db: Any, rows: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, list[str]]]:
    """table -> id -> the earlier stamps this office held of each row, so the receiver can tell an
    edit made on top of a version from one made beside it (no false conflicts)."""
    out: dict[str, dict[str, list[str]]] = {}
    for table, found in rows.items():
        current = {r["id"]: r["updated_at"] for r in found}
        earlier = {
            row_id: sorted(stamps - {current[row_id]})
            for row_id, stamps in row_stamps(db, table, current).items()
            if stamps - {current[row_id]}
        }
        if earlier:
            out[table] = earlier
    return out


def export_for(session: Session, peer: Peer, folder: Path) -> Exported:
    """Number, build and write one package for *peer* into *folder*."""
    store, db = session.store, session.db
    office = session.office
    user = session.user.username
    keys = ensure_office_keys(store, user)
    tables = ownership.tables_owned_by(office.kind)
    with store.transaction():
        out_seq, acked_change, acked_audit = db.query(
            "SELECT out_seq, acked_change_seq, acked_audit_seq FROM channels WHERE peer_code = ?", (peer.office_code,)
        )[0]
        seq = int(out_seq) + 1
        package_id = uuid7()
        change_to = last_change_seq(db)
        rows = changed_rows(db, int(acked_change), change_to, office.code, tables)
        if office.kind == ownership.COUNTY:  # decisions and tasks about one township go to it alone
            rows = {
                table: kept
                for table, found in rows.items()
                if (kept := [r for r in found if ownership.addressed_to(table, r, peer.office_code)])
            }
        blobs = _blobs_for(session, rows)
        history = _history(db, rows)
        counts = {table: len(found) for table, found in rows.items()}
        store.audit(
            user,
            "导出数据包",
            "packages",
            package_id,
            {"peer": peer.office_code, "seq": seq, "rows": sum(counts.values())},
        )
        audit = [a.as_dict() for a in audit_after(db, int(acked_audit))]
        created_at = precise_now()
        name = package_file_name(office.code, peer.office_code, seq)
        # The export's own audit entry is the newest: the package anchors the chain head (noted in
        # the data folder only once the transaction commits, so no anchor points at a rolled-back entry).
        head = Anchor(audit[-1]["seq"], audit[-1]["hash"], created_at, name)
        manifest: dict[str, Any] = {
            "package_id": package_id,
            "sender": {
                "code": office.code,
                "name": office.name,
                "kind": office.kind,
                "fingerprint": _own_fingerprint(keys, office.code),
                "node": store.node,
            },
            "receiver": {"code": peer.office_code, "fingerprint": peer.fingerprint},
            "channel_seq": seq,
            "changes": {"from": int(acked_change) + 1, "to": change_to},
            "audit": {"from": int(acked_audit) + 1, "to": last_audit_seq(db), "head": head.hash},
            MANIFEST_KEY: head.as_dict(),
            "created_at": created_at,
            "counts": {**counts, "audit": len(audit), "blobs": len(blobs)},
        }
        payload = {
            "package_id": package_id,
            "rows": rows,
            "audit": audit,
            "blobs": blobs,
            "history": history,
            "acks": acks_for(db, peer.office_code),
            "receipts": receipts_for(db, peer.office_code, RECEIPTS_CARRIED),
        }
        data = build_package(manifest, canonical_json(payload), keys, peer.box_public)
        db.execute(
            "UPDATE channels SET out_seq = ?, last_out_at = ? WHERE peer_code = ?", (seq, created_at, peer.office_code)
        )
        db.execute(
            "INSERT INTO packages(package_id, direction, peer_code, node, seq, created_at, handled_at, file_name, "
            "rows, manifest) VALUES (?, 'out', ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                package_id,
                peer.office_code,
                store.node,
                seq,
                created_at,
                created_at,
                name,
                sum(counts.values()),
                json.dumps(manifest, ensure_ascii=False, sort_keys=True),
            ),
        )
    record_anchor(session.paths.data_dir, head, name)
    path = write_package_file(folder, name, data)
    return Exported(peer.office_code, path, package_id, seq, manifest["counts"])


def _own_fingerprint(keys: Any, code: str) -> str:
    from ...exchange.cards import fingerprint_of

    return fingerprint_of(code, keys.sign_public, keys.box_public)
