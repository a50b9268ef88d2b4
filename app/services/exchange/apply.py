"""Applying a package: every check in its order, then the rows, all in one transaction.

The order (docs/exchange.md §Import) goes from what costs nothing to what costs most, and from
"is this a package for us at all" to "is each row acceptable": size, structure, sender known and
not revoked, signature, addressee, seen before (then nothing changes and the receipt says so), an
older number than one applied (a replay), the sender's audit chain continuing the one held, and
only then the rows. A bad row is quarantined with its reason and the rest applies; a refused
package changes nothing at all, and neither does a cancelled one: the progress callback is heard
only before the commit, and whatever it raises rolls the transaction back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...db.integrity import content_hash
from ...db.repository import to_dict
from ...db.store import now_text
from ...db.sync_rows import TYPES_BY_TABLE, in_sqlite_range, row_from_dict, row_stamps, stored_versions
from ...domain import ownership
from ...domain.entities import Syncable, ValidationError
from ...domain.ids import Timestamp
from ...errors import NotAddressedToUs, PackageDamaged, PackageRefused, PackageReplayed, SenderRevoked, UnknownSender
from ...exchange.cards import fingerprint_of, same_fingerprint
from ...exchange.keys import signature_holds
from ...exchange.package_file import (
    DEFAULT_MAX_BYTES,
    ParsedPackage,
    check_signature,
    open_payload,
    parse_package,
    read_package_file,
)
from ..county_work import CountyWorkService
from ..handovers import HandoverService
from . import precise_now
from .carried_blobs import Carried, content_problem, decode_blobs
from .office_keys import ensure_office_keys
from .receipts import apply_acks, checked_acks
from .trust import ANOTHER_PC_ACTION, Peer, TrustService

if TYPE_CHECKING:
    from ..session import Session

_BOOKKEEPING = ("updated_at", "updated_by")
_LOOKUP_CHUNK = 500  # ids bound per query: well under SQLite's limit on parameters
_LONGEST_INT = 20  # digits and sign of the widest SQLite INTEGER
_PART_NAMES = {"audit": "审计记录", "acks": "确认", "receipts": "回执"}
# Raised by a payload of a shape no check foresaw: the package is damaged, not the program.
_MALFORMED = (TypeError, AttributeError, OverflowError, ValueError, KeyError, IndexError)

# progress(done, total, label), as for an export; whatever it raises (the GUI's Cancelled) stops the import.
ProgressFn = Callable[[int, int, str], None]
CHECK_STEPS = 4  # reading the file, the signature, decrypting, the sender's audit chain
_APPLY_CHUNK = 5000  # rows applied between two progress reports (and two chances to cancel)


def _quiet(_done: int, _total: int, _label: str) -> None:
    pass


@dataclass
class Receipt:
    package_id: str
    sender: str
    seq: int
    node: str = ""
    already_applied: bool = False
    applied: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    stale: int = 0
    quarantined: list[dict[str, str]] = field(default_factory=list)
    conflicts: int = 0
    audit_entries_verified: int = 0
    acknowledged: dict[str, int] | None = None  # what the sender acknowledged of our logs
    decisions_applied: int = 0  # county 审批 decisions applied to this township's applications

    def as_dict(self) -> dict[str, Any]:
        return {
            "package_id": self.package_id,
            "sender": self.sender,
            "node": self.node,
            "seq": self.seq,
            "already_applied": self.already_applied,
            "applied": self.applied,
            "unchanged": self.unchanged,
            "stale": self.stale,
            "quarantined": self.quarantined,
            "conflicts": self.conflicts,
            "audit_entries_verified": self.audit_entries_verified,
            "acknowledged": self.acknowledged,
            "decisions_applied": self.decisions_applied,
        }


def content_digest(row: dict[str, Any]) -> str:
    """A row's content without who stamped it when: equal for two versions saying the same thing."""
    body = {k: v for k, v in row.items() if k not in _BOOKKEEPING}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _json(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def _text(value: Any, source: str, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise PackageDamaged(f"数据包 {source} 的清单缺少{what}。")
    return value


def _int(value: Any, source: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or not in_sqlite_range(value):
        raise PackageDamaged(f"数据包 {source} 的清单中{what}不是合理范围内的非负整数。")
    return value


def _bounded_int_parser(source: str) -> Callable[[str], int]:
    """json's ``parse_int``: a number no SQLite INTEGER can hold cannot come from an office's
    database, so the whole package is damaged (and Python never builds a 10,000-digit int)."""

    def parse(text: str) -> int:
        value = int(text) if len(text) <= _LONGEST_INT else None
        if value is None or not in_sqlite_range(value):
            raise PackageDamaged(f"数据包 {source} 的内容中有超出范围的整数 {text[:24]}。")
        return value

    return parse


def _section(manifest: dict[str, Any], key: str) -> dict[str, Any]:
    value = manifest.get(key)
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class _Parent:
    """A held parent row, as far as its children are judged by it (``ownership.parent_problem``)."""

    owner: str
    township: str = ""
    from_township: str = ""
    household: str = ""  # a hand-over's household: the one its 迁出 must name
    withdrawn: bool = False


@dataclass(frozen=True)
class Checked:
    """A package that passed every check up to its rows."""

    parsed: ParsedPackage
    peer: Peer
    payload: dict[str, Any]
    package_id: str
    seq: int
    node: str
    source: str


def read_and_check(
    session: Session, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, progress: ProgressFn | None = None
) -> Checked | Receipt:
    """Every check before the rows; a Receipt (already applied) when the package was seen before."""
    report = progress or _quiet
    source = path.name
    report(0, 0, "正在读取数据包…")
    data = read_package_file(path, max_bytes=max_bytes)
    parsed = parse_package(data, source=source)
    manifest = parsed.manifest
    sender = _section(manifest, "sender")
    receiver = _section(manifest, "receiver")
    sender_code = _text(sender.get("code"), source, "发送单位")
    peer = _sender_card(session, parsed, sender, sender_code, source)
    created_at = _text(manifest.get("created_at"), source, "生成时间")
    if peer.revoked_at is not None and created_at >= peer.revoked_at:
        raise SenderRevoked(
            f"数据包 {source} 由 {peer.office_name}（{sender_code}）在其名片被吊销"
            f"（{peer.revoked_at[:19]}）之后签发，拒绝导入。"
        )
    report(1, 0, "正在核对签名…")
    check_signature(parsed, peer.sign_public, source=source)
    office = session.office
    if receiver.get("code") != office.code:
        raise NotAddressedToUs(
            f"数据包 {source} 是发给单位 {receiver.get('code', '（空）')} 的，不是发给本单位（{office.code}）的。"
        )
    keys = ensure_office_keys(session.store, session.user.username)
    addressed = receiver.get("fingerprint")
    own = fingerprint_of(office.code, keys.sign_public, keys.box_public)
    if isinstance(addressed, str) and addressed and not same_fingerprint(addressed, own):
        raise NotAddressedToUs(
            f"数据包 {source} 是发给本单位另一台电脑（指纹 {addressed}）的，不是发给这台电脑（指纹 {own}）的。"
        )
    package_id = _text(manifest.get("package_id"), source, "数据包编号")
    seq = _int(manifest.get("channel_seq"), source, "序号")
    changes = manifest.get("changes", {})
    if not isinstance(changes, dict):
        raise PackageDamaged(f"数据包 {source} 的清单中变更范围格式不对。")
    _int(changes.get("to", 0), source, "变更序号")
    node = _text(sender.get("node"), source, "发送节点")
    if node != sender_code and not node.startswith(f"{sender_code}-"):
        raise PackageDamaged(f"数据包 {source} 的发送节点 {node[:40]} 不属于发送单位 {sender_code}。")
    if node == session.store.node:
        raise PackageDamaged(f"数据包 {source} 的发送节点 {node} 是这台电脑自己的节点。")
    _check_node_card(session, peer, node, source)
    if not NodeRule(session, peer).allows(node):
        raise PackageRefused(
            f"数据包 {source} 以节点 {node} 的名义发出，而签发它的 {peer.office_name} 的电脑（指纹 {peer.fingerprint}）"
            "不能以这个节点的名义写，拒绝导入。"
        )
    report(2, 0, "正在解密…")
    plain = open_payload(parsed, keys, source=source, max_bytes=max_bytes)
    seen = session.db.query("SELECT receipt FROM packages WHERE package_id = ? AND direction = 'in'", (package_id,))
    if seen:
        receipt = Receipt(**{k: v for k, v in json.loads(seen[0][0]).items() if k in Receipt.__dataclass_fields__})
        receipt.already_applied = True
        return receipt
    held = session.db.query("SELECT in_seq FROM inbound WHERE peer_code = ? AND node = ?", (sender_code, node))
    if held and seq < int(held[0][0]):
        raise PackageReplayed(
            f"数据包 {source} 是 {peer.office_name} 的第 {seq} 号包，比已导入的第 {held[0][0]} 号旧（重放）；"
            "较新的包已包含其全部内容，不再导入。"
        )
    try:
        payload = json.loads(plain, parse_int=_bounded_int_parser(source))
    except ValueError:
        raise PackageDamaged(f"数据包 {source} 的内容不是有效的 JSON。") from None
    if not isinstance(payload, dict) or payload.get("package_id") != package_id:
        raise PackageDamaged(f"数据包 {source} 的内容与其清单不属于同一个包。")
    return Checked(parsed, peer, payload, package_id, seq, node, source)


def _sender_card(session: Session, parsed: ParsedPackage, sender: dict[str, Any], code: str, source: str) -> Peer:
    """The trusted card that signed the package: the one the manifest names by fingerprint (signed
    with the rest), or, when it names none, the one whose key the signature holds under."""
    cards = TrustService(session).cards_of(code)
    if not cards:
        raise UnknownSender(
            f"数据包 {source} 来自未信任的单位 {sender.get('name', '')}（{code}）；请先核对指纹并添加其单位名片。"
        )
    named = sender.get("fingerprint")
    if isinstance(named, str) and named:
        for card in cards:
            if same_fingerprint(named, card.fingerprint):
                return card
        raise UnknownSender(
            f"数据包 {source} 由 {cards[0].office_name}（{code}）的一台未信任的电脑（指纹 {named[:40]}）签发；"
            "请先核对指纹并添加这台电脑的单位名片。"
        )
    for card in cards:
        if signature_holds(card.sign_public, parsed.signature, parsed.manifest_bytes):
            return card
    return cards[0]  # the signature check refuses it


def _check_node_card(session: Session, peer: Peer, node: str, source: str) -> None:
    """A node's packages come from one PC: once its chain is held, a package in its name signed by
    another, unrevoked card of the office is refused (one PC cannot write as its sibling). A node
    whose card was revoked may go on under a new card: the same PC with new keys."""
    bound = session.db.scalar("SELECT card FROM inbound WHERE peer_code = ? AND node = ?", (peer.office_code, node))
    if not bound or same_fingerprint(str(bound), peer.fingerprint):
        return
    holder = TrustService(session).card_by_fingerprint(str(bound))
    if holder is not None and not holder.revoked:
        raise PackageRefused(
            f"数据包 {source} 以节点 {node} 的名义发出，却由 {peer.office_name} 的另一台电脑（指纹 {peer.fingerprint}）"
            f"签发；这个节点的数据包一直由指纹 {bound} 的电脑签发，拒绝导入。"
        )


class NodeRule:
    """Which clock nodes one card of a peer office may write under. A joined PC's node is its
    code and ``pc`` + its own fingerprint's start (join.py replica_name), so that name belongs to that
    card alone; the plain code (and a copied folder's node) belongs to the office's first PC, never
    to a card trusted as another PC: at a county, one added with ``--another-pc``; at a joined PC,
    every sibling but the first PC's it joined by (the earliest sibling card); at the first PC,
    every sibling (the plain node is its own). Without this a joined PC could claim its first
    PC's node and have the first PC's own packages refused."""

    def __init__(self, session: Session, signer: Peer) -> None:
        from .join import replica_name

        self.signer = signer
        code = signer.office_code
        cards = session.db.query(
            "SELECT fingerprint FROM peers WHERE office_code = ? ORDER BY added_at, rowid", (code,)
        )
        self.named = {f"{code}-{replica_name(str(fp))}": str(fp) for (fp,) in cards}
        self.another_pc = _another_pc_cards(session, code, [str(fp) for (fp,) in cards])

    def allows(self, node: str) -> bool:
        owner = self.named.get(node)
        if owner is not None:
            return same_fingerprint(owner, self.signer.fingerprint)
        return not any(same_fingerprint(fp, self.signer.fingerprint) for fp in self.another_pc)


def _another_pc_cards(session: Session, code: str, cards: list[str]) -> list[str]:
    if code == session.office.code:  # siblings
        from .join import replica_of

        first = cards[:1] if replica_of(session) else []
        return [fp for fp in cards if fp not in first]
    found = []
    for (detail,) in session.db.query(
        "SELECT detail FROM audit_log WHERE entity = 'peers' AND row_id = ? AND action = ?", (code, ANOTHER_PC_ACTION)
    ):
        try:
            fingerprint = json.loads(str(detail)).get("fingerprint")
        except (ValueError, AttributeError):
            continue
        if isinstance(fingerprint, str):
            found.append(fingerprint)
    return found


class Applier:
    """Applies one checked package inside the caller's transaction."""

    def __init__(self, session: Session, checked: Checked, progress: ProgressFn | None = None) -> None:
        self.s = session
        self.c = checked
        self.report = progress or _quiet
        self._rows_total = 0
        self._rows_done = 0
        self.db = session.db
        self.store = session.store
        self.receipt = Receipt(checked.package_id, checked.peer.office_code, checked.seq, checked.node)
        self._villages: set[str] | None = None
        self._carried: dict[str, Carried] = {}
        self._kept_blobs: set[str] = set()  # contents referenced by attachment rows that passed every check

    # --- shapes ------------------------------------------------------------------------------

    def check_shapes(self) -> None:
        """Every part of the payload other than the rows has the shape an office writes, or the whole
        package is damaged: the signature says the sender wrote it so, not that it is sound."""
        c = self.c
        payload = c.payload
        for key in ("audit", "acks", "receipts"):
            if not isinstance(payload.get(key, []), list):
                raise PackageDamaged(f"数据包 {c.source} 的{_PART_NAMES[key]}格式不对。")
        if not all(isinstance(e, dict) for e in payload.get("audit", [])):
            raise PackageDamaged(f"数据包 {c.source} 的审计记录格式不对。")
        history = payload.get("history", {})
        if not isinstance(history, dict) or not all(
            isinstance(by_id, dict)
            and all(isinstance(stamps, list) and all(isinstance(x, str) for x in stamps) for stamps in by_id.values())
            for by_id in history.values()
        ):
            raise PackageDamaged(f"数据包 {c.source} 的版本历史格式不对。")
        checked_acks(payload.get("acks", []), c.source)
        self._carried = decode_blobs(payload.get("blobs", []), c.source)

    def check_row_nodes(self) -> None:
        """Each row's stamp names the node that wrote that version; one naming a node the signing
        card may not write under (a sibling's) refuses the whole package, as its manifest would.
        A sender sends only versions its own node wrote (export.py); unreadable stamps are left to
        the row checks, which quarantine them."""
        c = self.c
        rows = c.payload.get("rows", {})
        if not isinstance(rows, dict):
            return
        rule: NodeRule | None = None
        for table, found in sorted(rows.items()):
            for row in found if isinstance(found, list) else []:
                stamp = row.get("updated_at") if isinstance(row, dict) else None
                try:
                    node = Timestamp.decode(stamp).node if isinstance(stamp, str) else c.node
                except ValueError:
                    continue
                code = c.peer.office_code
                if node == c.node or not (node == code or node.startswith(f"{code}-")):
                    continue  # another office's node: the ownership rules quarantine its rows
                rule = rule or NodeRule(self.s, c.peer)
                if not rule.allows(node):
                    row_id = str(row.get("id", ""))[:40]
                    raise PackageRefused(
                        f"数据包 {c.source} 中{ownership.table_name(str(table))}的一行（{row_id}）"
                        f"记为节点 {node[:60]} 所写，而签发它的 {c.peer.office_name} 的电脑"
                        f"（指纹 {c.peer.fingerprint}）不能以这个节点的名义写，拒绝导入。"
                    )

    # --- the audit chain ---------------------------------------------------------------

    def verify_audit(self) -> None:
        """The sender's audit entries must continue the chain held for that node, entry by entry."""
        c = self.c
        entries = c.payload.get("audit", [])
        if not isinstance(entries, list):
            raise PackageDamaged(f"数据包 {c.source} 的审计记录格式不对。")
        held = self.db.query(
            "SELECT in_audit_seq, in_audit_head FROM inbound WHERE peer_code = ? AND node = ?",
            (c.peer.office_code, c.node),
        )
        held_seq, head = (int(held[0][0]), str(held[0][1])) if held else (0, "")
        from ...db.store import GENESIS, entry_hash

        new = []
        prev_hash: str | None = None
        for e in entries:
            try:
                seq, digest, prev = int(e["seq"]), str(e["hash"]), str(e["prev_hash"])
                expected = entry_hash(
                    prev,
                    at=str(e["at"]),
                    username=str(e["username"]),
                    action=str(e["action"]),
                    entity=str(e["entity"]),
                    row_id=str(e["row_id"]),
                    detail=str(e["detail"]),
                )
            except (KeyError, TypeError, ValueError):
                raise PackageDamaged(f"数据包 {c.source} 的审计记录格式不对。") from None
            if expected != digest:
                raise PackageDamaged(f"数据包 {c.source} 的审计记录第 {seq} 条内容与其哈希不符。")
            if prev_hash is not None and prev != prev_hash:
                raise PackageDamaged(f"数据包 {c.source} 的审计记录在第 {seq} 条处断开。")
            prev_hash = digest
            if seq <= held_seq:
                if seq == held_seq and digest != head:
                    raise PackageDamaged(
                        f"数据包 {c.source} 中 {c.peer.office_name} 的审计记录第 {seq} 条与本单位已收到的不同："
                        "对方的历史被改写过。"
                    )
                continue
            new.append((seq, e))
        if new:
            first_seq, first = new[0]
            starts = str(first["prev_hash"])
            if held_seq and (first_seq != held_seq + 1 or starts != head):
                raise PackageDamaged(
                    f"数据包 {c.source} 中 {c.peer.office_name} 的审计记录从第 {first_seq} 条起接不上本单位已收到的"
                    f"第 {held_seq} 条：审计链断开。"
                )
            if not held_seq and not self._fork_point_known(first_seq, starts, GENESIS):
                raise PackageDamaged(
                    f"数据包 {c.source} 中 {c.peer.office_name} 的审计记录从第 {first_seq} 条开始，"
                    "前面的记录本单位没有收到过：审计链接不上。"
                )
            self.db.executemany(
                "INSERT OR REPLACE INTO peer_audit(peer_code, node, seq, at, username, action, entity, row_id, "
                "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        c.peer.office_code,
                        c.node,
                        seq,
                        e["at"],
                        e["username"],
                        e["action"],
                        e["entity"],
                        e["row_id"],
                        e["detail"],
                        e["prev_hash"],
                        e["hash"],
                    )
                    for seq, e in new
                ],
            )
            last_seq, last = new[-1]
            self._inbound_update(in_audit_seq=last_seq, in_audit_head=str(last["hash"]))
        self.receipt.audit_entries_verified = len(entries)

    def _fork_point_known(self, first_seq: int, prev_hash: str, genesis: str) -> bool:
        """A node seen for the first time: its chain starts at the beginning, or branches off a chain
        already held for this office (a replica made by copying the office's data folder)."""
        if first_seq == 1:
            return prev_hash == genesis
        return bool(
            self.db.scalar(
                "SELECT count(*) FROM peer_audit WHERE peer_code = ? AND seq = ? AND hash = ?",
                (self.c.peer.office_code, first_seq - 1, prev_hash),
            )
        )

    def _inbound_update(self, **values: Any) -> None:
        c = self.c
        self.db.execute(
            "INSERT INTO inbound(peer_code, node) VALUES (?, ?) ON CONFLICT DO NOTHING", (c.peer.office_code, c.node)
        )
        sets = ", ".join(f"{k} = ?" for k in values)
        self.db.execute(
            f"UPDATE inbound SET {sets} WHERE peer_code = ? AND node = ?",
            (*values.values(), c.peer.office_code, c.node),
        )

    # --- rows ------------------------------------------------------------------------------

    def villages(self) -> set[str]:
        if self._villages is None:
            from ...resource_files import divisions

            self._villages = {d.code for d in divisions() if d.level == "village"}
        return self._villages

    def quarantine(self, table: str, row_id: str, reason: str, row: Any) -> None:
        c = self.c
        self.db.execute(
            "INSERT INTO quarantine(package_id, peer_code, entity, row_id, reason, row_json, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (c.package_id, c.peer.office_code, table, row_id, reason, json.dumps(row, ensure_ascii=False), now_text()),
        )
        self.receipt.quarantined.append({"entity": table, "row_id": row_id, "reason": reason})

    def _progress(self, label: str) -> None:
        self.report(CHECK_STEPS + self._rows_done, CHECK_STEPS + self._rows_total + 1, label)

    def apply_rows(self) -> None:
        rows = self.c.payload.get("rows", {})
        if not isinstance(rows, dict):
            raise PackageDamaged(f"数据包 {self.c.source} 的数据行格式不对。")
        self._rows_total = sum(len(found) for found in rows.values() if isinstance(found, list))
        for table in sorted(set(rows) - set(ownership.APPLY_ORDER)):
            for row in rows[table] if isinstance(rows[table], list) else []:
                row_id = str(row.get("id", "")) if isinstance(row, dict) else ""
                self.quarantine(table, row_id, f"表 {table} 不在单位之间交换。", row)
        for table in ownership.APPLY_ORDER:
            found = rows.get(table)
            if found is None:
                continue
            if not isinstance(found, list):
                raise PackageDamaged(f"数据包 {self.c.source} 的表 {table} 格式不对。")
            # In chunks, so a large table reports as it goes and a cancel is heard within it; a chunk
            # is applied as the whole table would be (a package holds each row once, parents come first).
            for start in range(0, len(found), _APPLY_CHUNK):
                self._progress(f"正在导入{ownership.table_name(table)}（{start}/{len(found)} 行）…")
                chunk = found[start : start + _APPLY_CHUNK]
                self.apply_table(table, chunk)
                self._rows_done += len(chunk)

    def apply_table(self, table: str, rows: list[Any]) -> None:
        cls = TYPES_BY_TABLE[table]
        c = self.c
        ids = [str(r.get("id")) for r in rows if isinstance(r, dict) and isinstance(r.get("id"), str)]
        stored = stored_versions(self.db, table, ids)
        parent = ownership.PARENTS.get(table)
        candidates: list[tuple[Syncable, dict[str, Any]]] = []
        for row in rows:
            row_id = str(row.get("id", "")) if isinstance(row, dict) else ""
            if not isinstance(row, dict) or not row_id:
                self.quarantine(table, row_id, f"{ownership.table_name(table)}：行格式不对（没有编号）。", row)
                continue
            try:
                obj = row_from_dict(cls, row)
                Timestamp.decode(obj.updated_at)
            except ValueError as exc:
                self.quarantine(table, row_id, f"{ownership.table_name(table)} {row_id}：{exc}。", row)
                continue
            held = stored.get(row_id)
            problem = ownership.ownership_problem(
                table,
                row,
                sender_code=c.peer.office_code,
                sender_kind=ownership.kind_of_code(c.peer.office_code),
                stored_owner=held.owner_office if held else None,
                known_villages=self.villages(),
                receiver_code=self.s.office.code if self.s.office.kind == ownership.TOWNSHIP else "",
            )
            if problem:
                self.quarantine(table, row_id, problem, row)
                continue
            if not obj.deleted:
                try:
                    obj.validate()
                except ValidationError as exc:
                    self.quarantine(table, row_id, f"{ownership.table_name(table)} {row_id}：{exc.message}", row)
                    continue
            if table == "attachments":
                what = f"{ownership.table_name(table)} {row_id}"
                problem = content_problem(obj, self._carried.get(str(getattr(obj, "sha256", ""))), what)
                if problem:
                    self.quarantine(table, row_id, problem, row)
                    continue
            candidates.append((obj, row))
        if parent is not None:
            candidates = self._with_parents(table, parent, candidates)
        self._apply_versions(table, candidates, stored)

    def _with_parents(
        self, table: str, parent: tuple[str, str], candidates: list[tuple[Syncable, dict[str, Any]]]
    ) -> list[tuple[Syncable, dict[str, Any]]]:
        """The candidates whose parent row is held here (parents come first in a package) and may
        carry them: the sender's own, or for a task reply, a task addressed to the sender."""
        field_name, parent_table = parent
        sender = self.c.peer.office_code
        held = self._parent_owners(parent_table, {getattr(o, field_name) for o, _ in candidates})
        kept = []
        for obj, row in candidates:
            parent_id = getattr(obj, field_name)
            if parent_id not in held:
                self.quarantine(
                    table,
                    obj.id,
                    f"{ownership.table_name(table)} {obj.id}：所属的{ownership.table_name(parent_table)} "
                    f"{parent_id} 本单位没有，包中也没有。",
                    row,
                )
                continue
            found = held[parent_id]
            problem = ownership.parent_problem(
                table,
                row,
                sender_code=sender,
                parent_owner=found.owner,
                parent_township=found.township,
                parent_from_township=found.from_township,
                parent_household=found.household,
                parent_withdrawn=found.withdrawn,
            )
            if problem:
                self.quarantine(table, obj.id, problem, row)
                continue
            kept.append((obj, row))
        return kept

    def _parent_owners(self, table: str, ids: set[str]) -> dict[str, _Parent]:
        """id -> what a child row is judged against, of the held rows among *ids*: a county task
        carries the township a reply must come from, a hand-over its two sides and its household."""
        township = "township_code" if table in ("county_tasks", "handovers") else "''"
        two_sided = table == "handovers"
        extra = "from_township, household_id, withdrawn" if two_sided else "'', '', 0"
        wanted = sorted(ids)
        found: dict[str, _Parent] = {}
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" for _ in chunk)
            sql = f"SELECT id, owner_office, {township}, {extra} FROM {table} WHERE id IN ({marks})"
            found.update(
                (r[0], _Parent(str(r[1]), str(r[2]), str(r[3]), str(r[4]), bool(r[5])))
                for r in self.db.execute(sql, tuple(chunk))
            )
        return found

    def _apply_versions(
        self, table: str, candidates: list[tuple[Syncable, dict[str, Any]]], stored: dict[str, Syncable]
    ) -> None:
        to_write: list[Syncable] = []
        lost: list[tuple[str, str, str, str]] = []  # (row id, kept stamp, lost stamp, lost row as JSON)
        known: list[tuple[str, str, str]] = []  # earlier versions of what now stands, as the sender listed them
        for obj, row in candidates:
            held = stored.get(obj.id)
            sent_history = self._sent_history(table, obj.id)
            if held is None:
                to_write.append(obj)
            elif held.updated_at == obj.updated_at:  # the common case of a cumulative package
                if content_hash(obj) != content_hash(held):
                    # One stamp names one version: the sender (or this office's copy) was altered.
                    self.quarantine(
                        table,
                        obj.id,
                        f"{ownership.table_name(table)} {obj.id}：同一版本内容不同（版本 {obj.updated_at} 与本单位"
                        "保存的内容不一致），未导入。",
                        row,
                    )
                    continue
                self.receipt.unchanged += 1
            else:
                held_row = to_dict(held)
                verdict = ownership.decide(
                    ownership.Version(obj.updated_at, content_digest(row)),
                    ownership.Version(held.updated_at, content_digest(held_row)),
                    incoming_history=sent_history,
                    stored_history=row_stamps(self.db, table, [obj.id]).get(obj.id, set()),
                )
                if verdict is ownership.Verdict.STALE:
                    self.receipt.stale += 1
                    continue
                if verdict is ownership.Verdict.CONFLICT_STORED_WINS:
                    lost.append((obj.id, held.updated_at, obj.updated_at, _json(row)))
                    continue
                if verdict is ownership.Verdict.CONFLICT_INCOMING_WINS:
                    lost.append((obj.id, obj.updated_at, held.updated_at, _json(held_row)))
                to_write.append(obj)
            known.extend((table, obj.id, stamp) for stamp in sent_history)
            if table == "attachments" and not obj.deleted:
                self._kept_blobs.add(str(getattr(obj, "sha256", "")))
        if known:
            self.db.executemany(
                "INSERT OR IGNORE INTO known_versions(entity, row_id, updated_at) VALUES (?, ?, ?)", known
            )
        if lost:
            now = now_text()
            for row_id, kept_at, lost_at, lost_json in lost:
                inserted = self.db.execute(
                    "INSERT OR IGNORE INTO conflicts(entity, row_id, kept_updated_at, lost_updated_at, lost_json, "
                    "package_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (table, row_id, kept_at, lost_at, lost_json, self.c.package_id, now),
                ).rowcount
                self.receipt.conflicts += int(inserted or 0)
        if to_write:
            self.store.save_remote(to_write, self.s.user.username)
            self.receipt.applied[table] = self.receipt.applied.get(table, 0) + len(to_write)
            if table == "members":
                self._index_members(to_write)

    def _sent_history(self, table: str, row_id: str) -> frozenset[str]:
        history = self.c.payload.get("history")
        stamps = history.get(table, {}).get(row_id, []) if isinstance(history, dict) else []
        if not isinstance(stamps, list):
            return frozenset()
        return frozenset(s for s in stamps if isinstance(s, str))

    def _index_members(self, members: list[Syncable]) -> None:
        """Keep the search table in step, as the household service does for members typed in."""
        from ..search_text import initials_and_pinyin

        gone = [(m.id,) for m in members if m.deleted]
        living = [m for m in members if not m.deleted]
        if gone:
            self.db.executemany("DELETE FROM member_search WHERE member_id = ?", gone)
        rows = []
        for m in living:
            initials, pinyin = initials_and_pinyin(getattr(m, "name", ""))
            rows.append((m.id, getattr(m, "household_id", ""), initials, pinyin))
        self.db.executemany(
            "INSERT INTO member_search(member_id, household_id, initials, pinyin) VALUES (?, ?, ?, ?)",
            rows,
        )

    def put_blobs(self) -> None:
        """Keep the carried contents that an accepted attachment row points at; drop the rest."""
        from ...db import blobs as blob_store

        for sha in sorted(self._kept_blobs & set(self._carried)):
            carried = self._carried[sha]
            blob_store.put_blob(self.db, sha, carried.data, carried.thumbnail)

    # --- the whole ---------------------------------------------------------------------------

    def run(self) -> Receipt:
        c = self.c
        changes = c.parsed.manifest.get("changes", {})
        change_to = changes.get("to", 0) if isinstance(changes, dict) else 0
        self.report(CHECK_STEPS - 1, 0, "正在核对对方的审计记录…")
        self.check_shapes()
        self.check_row_nodes()
        self.verify_audit()
        self.apply_rows()
        self.put_blobs()
        # The county's 审批 decisions that came in are applied to this township's own applications.
        self.receipt.decisions_applied = CountyWorkService(self.s).apply_decisions()
        # At the county: the townships' parts that came in move the hand-overs' status, on the
        # county's own rows, so that each township learns of the other's part in the next package.
        HandoverService(self.s).record_progress()
        self.receipt.acknowledged = apply_acks(
            self.db, c.peer.fingerprint, c.payload.get("acks"), self.store.node, peer_code=c.peer.office_code
        )
        now = precise_now()
        self._inbound_update(in_seq=c.seq, last_in_at=now, card=c.peer.fingerprint)
        if isinstance(change_to, int):
            self.db.execute(
                "UPDATE inbound SET in_change_seq = max(in_change_seq, ?) WHERE peer_code = ? AND node = ?",
                (change_to, c.peer.office_code, c.node),
            )
        receipt = self.receipt.as_dict()
        manifest = c.parsed.manifest
        self.db.execute(
            "INSERT INTO packages(package_id, direction, peer_code, node, seq, created_at, handled_at, file_name, "
            "rows, manifest, receipt) VALUES (?, 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                c.package_id,
                c.peer.office_code,
                c.node,
                c.seq,
                str(manifest.get("created_at", "")),
                now,
                c.source,
                sum(self.receipt.applied.values()),
                json.dumps(manifest, ensure_ascii=False, sort_keys=True),
                json.dumps(receipt, ensure_ascii=False, sort_keys=True),
            ),
        )
        self.store.audit(
            self.s.user.username,
            "导入数据包",
            "packages",
            c.package_id,
            {
                "peer": c.peer.office_code,
                "node": c.node,
                "seq": c.seq,
                "applied": self.receipt.applied,
                "quarantined": len(self.receipt.quarantined),
                "conflicts": self.receipt.conflicts,
            },
        )
        # The last moment a cancel is heard: the caller commits right after.
        self._rows_done = self._rows_total
        self._progress("正在保存导入结果…")
        return self.receipt


def import_package(
    session: Session, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, progress: ProgressFn | None = None
) -> Receipt:
    checked = read_and_check(session, path, max_bytes=max_bytes, progress=progress)
    if isinstance(checked, Receipt):
        return checked
    with session.store.transaction():
        # Seen by another connection meanwhile? Then this one is the duplicate.
        again = session.db.query(
            "SELECT receipt FROM packages WHERE package_id = ? AND direction = 'in'", (checked.package_id,)
        )
        if again:
            fields = Receipt.__dataclass_fields__
            receipt = Receipt(**{k: v for k, v in json.loads(again[0][0]).items() if k in fields})
            receipt.already_applied = True
            return receipt
        try:
            return Applier(session, checked, progress).run()
        except _MALFORMED as exc:
            # The transaction rolls back as the error leaves it; the package is what was wrong.
            raise PackageDamaged(f"数据包 {checked.source} 的内容格式不对，无法导入（{type(exc).__name__}）。") from exc
