"""Acknowledgements and receipts: what a package tells its receiver about the receiver's own packages.

An acknowledgement is state (how far this office holds each of the peer's nodes' logs), so every
package carries all of them and a lost package costs nothing. The peer then sends only what came
after. A receipt is the report of one applied package (rows applied, quarantined with reasons,
conflicts); the latest few travel back so the sender can see what became of its rows.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ...db.store import now_text
from ...db.sync_rows import SQLITE_MAX
from ...errors import PackageDamaged

if TYPE_CHECKING:
    from ...db.database import Database


def acks_for(db: Database, peer_code: str) -> list[dict[str, Any]]:
    """How far this office holds each of *peer_code*'s nodes (sent back to that peer)."""
    return [
        {"node": node, "seq": seq, "change_seq": change_seq, "audit_seq": audit_seq, "audit_head": head}
        for node, seq, change_seq, audit_seq, head in db.execute(
            "SELECT node, in_seq, in_change_seq, in_audit_seq, in_audit_head FROM inbound WHERE peer_code = ? "
            "ORDER BY node",
            (peer_code,),
        )
    ]


def receipts_for(db: Database, peer_code: str, limit: int) -> list[dict[str, Any]]:
    """The receipts of the latest *limit* packages applied from *peer_code*, oldest first."""
    rows = db.query(
        "SELECT receipt FROM packages WHERE peer_code = ? AND direction = 'in' ORDER BY handled_at DESC, seq DESC "
        "LIMIT ?",
        (peer_code, limit),
    )
    return [json.loads(r[0]) for r in reversed(rows)]


def checked_acks(acks: Any, source: str) -> list[dict[str, Any]]:
    """The package's acknowledgements, each with a node and two counters an office could have written;
    PackageDamaged otherwise (a signed package of the wrong shape is damaged, not half-applied)."""
    if not isinstance(acks, list):
        raise PackageDamaged(f"数据包 {source} 的确认格式不对。")
    for ack in acks:
        if not isinstance(ack, dict) or not isinstance(ack.get("node"), str):
            raise PackageDamaged(f"数据包 {source} 的确认格式不对。")
        for key in ("change_seq", "audit_seq"):
            value = ack.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SQLITE_MAX:
                raise PackageDamaged(f"数据包 {source} 中对节点 {ack['node'][:40]} 的确认序号不对。")
    return acks


def sent_points(db: Database, peer_fingerprint: str, own_node: str) -> tuple[int, int]:
    """How far this node's change log and audit log have gone out to the PC holding the card
    *peer_fingerprint* (the highest ``changes.to`` and ``audit.to`` of the packages it sent to
    that card): more cannot have been received."""
    row = db.query(
        "SELECT coalesce(max(json_extract(manifest, '$.changes.to')), 0), "
        "coalesce(max(json_extract(manifest, '$.audit.to')), 0) "
        "FROM packages WHERE direction = 'out' AND json_extract(manifest, '$.receiver.fingerprint') = ? AND node = ?",
        (peer_fingerprint, own_node),
    )
    return int(row[0][0]), int(row[0][1])


def apply_acks(
    db: Database, peer_fingerprint: str, acks: Any, own_node: str, *, peer_code: str = ""
) -> dict[str, int] | None:
    """Take what the PC holding the card *peer_fingerprint* acknowledged of this node's logs; the
    acknowledged point only moves forward, and never past what this node sent that PC
    (docs/exchange.md: an ack beyond it is clamped). Each PC of a peer office acknowledges for
    itself: one PC's acknowledgement says nothing of what its sibling holds.

    Returns the new (change, audit) acknowledgement, or None when the package carried none for this node.
    """
    if not isinstance(acks, list):
        return None
    for ack in acks:
        if not isinstance(ack, dict) or ack.get("node") != own_node:
            continue
        change_seq, audit_seq = ack.get("change_seq"), ack.get("audit_seq")
        if not isinstance(change_seq, int) or not isinstance(audit_seq, int):
            return None
        sent_change, sent_audit = sent_points(db, peer_fingerprint, own_node)
        db.execute(
            "INSERT INTO channels(peer_fingerprint, peer_code) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (peer_fingerprint, peer_code),
        )
        db.execute(
            "UPDATE channels SET acked_change_seq = max(acked_change_seq, ?), "
            "acked_audit_seq = max(acked_audit_seq, ?), last_ack_at = ? WHERE peer_fingerprint = ?",
            (min(change_seq, sent_change), min(audit_seq, sent_audit), now_text(), peer_fingerprint),
        )
        row = db.query(
            "SELECT acked_change_seq, acked_audit_seq FROM channels WHERE peer_fingerprint = ?", (peer_fingerprint,)
        )
        return {"change_seq": int(row[0][0]), "audit_seq": int(row[0][1])} if row else None
    return None
