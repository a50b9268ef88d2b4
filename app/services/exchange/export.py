"""Writing a package for a peer: everything it has not acknowledged, as the newest state of each row.

Content is cumulative since the peer's last acknowledgement (docs/exchange.md §Export): a lost or
unread package is covered by the next one, and overlap is harmless at the receiver. The package
is built from one consistent read inside the transaction that numbers it and written under a
temporary name before that commits; it gets its package name only after the commit. A cancel or a
crash before the commit leaves no package and no number taken, a crash after it leaves a number
skipped, never two different packages under one number.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...db import blobs
from ...db.sync_rows import RowTable, audit_after, changed_row_tables, earlier_stamps, last_audit_seq, last_change_seq
from ...domain import ownership
from ...domain.ids import uuid7
from ...exchange.canonical import canonical_json
from ...exchange.canonical_rows import RowEncoder
from ...exchange.package_file import SUFFIX, build_package, publish, write_partial
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

# progress(done, total, label): reported at each step; whatever it raises (the GUI's Cancelled)
# stops the export with nothing written and nothing numbered.
ProgressFn = Callable[[int, int, str], None]
STEPS_PER_PACKAGE = 5  # reading rows, attachments and history, compressing and encrypting, writing, verifying
_ROWS_PER_PIECE = 2000  # about a megabyte of JSON


@dataclass(frozen=True)
class Exported:
    peer_code: str
    path: Path
    package_id: str
    seq: int
    counts: dict[str, int]
    peer_fingerprint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "peer": self.peer_code,
            "fingerprint": self.peer_fingerprint,
            "path": str(self.path),
            "package_id": self.package_id,
            "seq": self.seq,
            "counts": self.counts,
        }


def package_file_name(sender: str, receiver: str, seq: int) -> str:
    """``<sender>-<receiver>-<seq>``: the sender is its clock node (a second PC's has its suffix), the
    receiver its code, and when this office trusts several PCs of it, a dot and the first four
    characters of that PC's fingerprint, so that two packages never share a name on one stick."""
    return f"{sender}-{receiver}-{seq:06d}{SUFFIX}"


def receiver_label(session: Session, peer: Peer) -> str:
    """The receiver part of a package's name (see package_file_name)."""
    several = session.db.scalar("SELECT count(*) FROM peers WHERE office_code = ?", (peer.office_code,))
    if int(several or 0) > 1:
        return f"{peer.office_code}.{peer.fingerprint[:4]}"
    return peer.office_code


def _blobs_for(session: Session, rows: dict[str, RowTable]) -> list[dict[str, str]]:
    """The bytes of the attachments the rows reference, so the receiver holds what its rows point at."""
    attachments = rows["attachments"].dicts() if "attachments" in rows else []
    wanted = sorted({r["sha256"] for r in attachments if not r.get("deleted")})
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


def _history(db: Any, rows: dict[str, RowTable]) -> dict[str, dict[str, list[str]]]:
    """table -> id -> the earlier stamps this office held of each row, so the receiver can tell an
    edit made on top of a version from one made beside it (no false conflicts)."""
    current = {}
    for table, found in rows.items():
        ids, stamps = found.index("id"), found.index("updated_at")
        current[table] = {row[ids]: row[stamps] for row in found.rows}
    return earlier_stamps(db, current)


def _payload_pieces(head: dict[str, Any], rows: dict[str, RowTable], heard: Callable[[str], None]) -> Iterator[bytes]:
    """``canonical_json({**head, "rows": rows})`` in pieces of a few thousand rows, so that neither
    the whole text nor its UTF-8 copy is ever held (a first package is hundreds of MB of JSON).

    ``rows`` sorts after every other payload key, so the text is the head's object with the rows
    appended before its closing brace. *heard* is called before each table: a cancel is heard
    while the long compression runs. The rows are written by a :class:`RowEncoder` per table,
    the same bytes as ``canonical_json`` of them as dicts without a dict per row.
    """
    if not head or any(key >= "rows" for key in head):
        raise ValueError("the payload's other keys must all sort before rows")
    front = canonical_json(head)
    yield front[:-1] + b',"rows":{'
    for n, table in enumerate(sorted(rows)):
        heard(table)
        yield (b"," if n else b"") + canonical_json(table) + b":["
        found = rows[table].rows
        encoder = RowEncoder(rows[table].columns)
        for start in range(0, len(found), _ROWS_PER_PIECE):
            piece = encoder.text(found[start : start + _ROWS_PER_PIECE])
            yield (b"," if start else b"") + piece.encode("utf-8")
        yield b"]"
    yield b"}}"


@dataclass(frozen=True)
class _Pending:
    """A package built and written under its temporary name, waiting for its number to commit."""

    exported: Exported
    partial: Path
    head: Anchor


def export_all(session: Session, peers: list[Peer], folder: Path, progress: ProgressFn | None = None) -> list[Exported]:
    """Number, build and write one package for each of *peers* into *folder*, all or none.

    Every package is built and written under its temporary name inside the one transaction that
    numbers them all; only after that commits are the files renamed to their package names. So a
    cancel (an exception from *progress*) or a failure anywhere before the commit leaves no
    package, no temporary file and no number taken, and the next export uses the same numbers;
    a kill -9 before the commit leaves at most a temporary file that never imports; one after it
    leaves the numbers skipped, never two different packages under one number.
    """
    if not peers:
        return []
    report = progress or _quiet
    total = STEPS_PER_PACKAGE * len(peers) + 1
    pending: list[_Pending] = []
    try:
        with session.store.transaction():
            for i, peer in enumerate(peers):
                pending.append(_prepare(session, peer, folder, _Steps(report, i * STEPS_PER_PACKAGE, total)))
            # The last moment a cancel is heard: after the commit the packages exist.
            report(total - 1, total, "正在保存导出记录…")
    except BaseException:
        for p in pending:
            with contextlib.suppress(OSError):
                p.partial.unlink()
        raise
    done = []
    for p in pending:
        record_anchor(session.paths.data_dir, p.head, p.exported.path.name)
        publish(p.partial, p.exported.path)
        done.append(p.exported)
    return done


def export_for(session: Session, peer: Peer, folder: Path, progress: ProgressFn | None = None) -> Exported:
    """Number, build and write one package for *peer* into *folder*."""
    return export_all(session, [peer], folder, progress)[0]


class _Steps:
    """One package's share of the export's progress: its steps are numbered from *first*."""

    def __init__(self, report: ProgressFn, first: int, total: int) -> None:
        self.report, self.first, self.total = report, first, total

    def __call__(self, step: int, label: str) -> None:
        self.report(self.first + step, self.total, label)


def _prepare(session: Session, peer: Peer, folder: Path, step: _Steps) -> _Pending:
    """Build *peer*'s package and write it under its temporary name, inside the caller's transaction."""
    store, db = session.store, session.db
    office = session.office
    user = session.user.username
    who = peer.office_name  # short: the progress dialog shows one line
    keys = ensure_office_keys(store, user)
    tables = ownership.tables_owned_by(office.kind)
    step(0, f"正在读取给{who}的更改…")
    out_seq, acked_change, acked_audit = db.query(
        "SELECT out_seq, acked_change_seq, acked_audit_seq FROM channels WHERE peer_fingerprint = ?",
        (peer.fingerprint,),
    )[0]
    seq = int(out_seq) + 1
    package_id = uuid7()
    change_to = last_change_seq(db)
    rows = _own_versions(changed_row_tables(db, int(acked_change), change_to, office.code, tables), store.node)
    # Decisions and tasks about one township go to it alone; a county's own other PC gets them all.
    if office.kind == ownership.COUNTY and peer.office_code != office.code:
        rows = {
            table: kept for table, found in rows.items() if (kept := found.keep(_addressed(table, peer.office_code)))
        }
    step(1, f"正在读取给{who}的附件…")
    blobs = _blobs_for(session, rows)
    history = _history(db, rows)
    counts = {table: len(found) for table, found in rows.items()}
    store.audit(
        user,
        "导出数据包",
        "packages",
        package_id,
        {"peer": peer.office_code, "fingerprint": peer.fingerprint, "seq": seq, "rows": sum(counts.values())},
    )
    audit = [a.as_dict() for a in audit_after(db, int(acked_audit))]
    created_at = precise_now()
    name = package_file_name(store.node, receiver_label(session, peer), seq)
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
    rest = {  # the payload but its rows, which _payload_pieces appends
        "package_id": package_id,
        "audit": audit,
        "blobs": blobs,
        "history": history,
        "acks": acks_for(db, peer.office_code),
        "receipts": receipts_for(db, peer.office_code, RECEIPTS_CARRIED),
    }
    compressing = f"正在压缩、加密给{who}的数据包…"
    step(2, compressing)
    data = build_package(manifest, _payload_pieces(rest, rows, lambda _t: step(2, compressing)), keys, peer.box_public)
    del rest, rows, blobs, history
    db.execute(
        "UPDATE channels SET out_seq = ?, last_out_at = ? WHERE peer_fingerprint = ?",
        (seq, created_at, peer.fingerprint),
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
    final = folder / name
    partial = write_partial(
        folder,
        name,
        data,
        writing=lambda: step(3, f"正在写出给{who}的数据包…"),
        verifying=lambda: step(4, "正在核对写出的数据包…"),
    )
    exported = Exported(peer.office_code, final, package_id, seq, manifest["counts"], peer.fingerprint)
    return _Pending(exported, partial, head)


def _own_versions(rows: dict[str, RowTable], node: str) -> dict[str, RowTable]:
    """The rows whose current version this PC's node wrote. A row changed here and then overtaken
    by a sibling PC's newer version is the sibling's to send: the receiver refuses a package whose
    rows name another PC's node (apply.py check_row_nodes), and the sibling sends it itself."""
    out = {}
    for table, found in rows.items():
        stamps = found.index("updated_at")
        kept = [row for row in found.rows if _node_of(row[stamps]) == node]
        if len(kept) == len(found.rows):
            out[table] = found
        elif kept:
            out[table] = RowTable(found.table, found.columns, kept)
    return out


def _node_of(stamp: object) -> str:
    parts = stamp.split("-", 2) if isinstance(stamp, str) else []
    return parts[2] if len(parts) == 3 else ""  # noqa: PLR2004


def _addressed(table: str, township: str) -> Callable[[dict[str, Any]], bool]:
    return lambda row: ownership.addressed_to(table, row, township)


def _quiet(_done: int, _total: int, _label: str) -> None:
    pass


def _own_fingerprint(keys: Any, code: str) -> str:
    from ...exchange.cards import fingerprint_of

    return fingerprint_of(code, keys.sign_public, keys.box_public)
