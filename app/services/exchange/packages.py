"""``s.packages``: export, inspect and import package files, and what imports leave for a person:
the quarantine and the conflicts (docs/exchange.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...db.repository import to_dict
from ...db.store import now_text
from ...db.sync_rows import TYPES_BY_TABLE, row_from_dict
from ...errors import InvalidInput, NotFound, PackageDamaged, PermissionDenied, StorageProblem
from ...exchange import package_file
from ...exchange.keys import signature_holds
from ...exchange.package_file import parse_package, read_package_file
from ..base import Service
from .apply import Applier, Checked, Receipt, import_package
from .export import Exported, ProgressFn, export_all
from .trust import TrustService, office_code_of


@dataclass(frozen=True)
class Inspection:
    source: str
    manifest: dict[str, Any]
    sender_known: bool
    sender_name: str
    signature_ok: bool | None  # None: the sender is unknown, so nothing to check against
    revoked: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "manifest": self.manifest,
            "sender_known": self.sender_known,
            "sender_name": self.sender_name,
            "signature_ok": self.signature_ok,
            "sender_revoked": self.revoked,
        }


class PackageService(Service):
    # --- export ------------------------------------------------------------------------

    def export(
        self,
        folder: Path | str,
        *,
        for_code: str | None = None,
        for_card: str | None = None,
        progress: ProgressFn | None = None,
    ) -> list[Exported]:
        """One package per trusted, unrevoked card (or for the PCs of *for_code*, or the one PC whose
        card has the fingerprint *for_card*) into *folder*, all or none: *progress(done, total, label)*
        hears each step, and whatever it raises (a cancel) leaves no package written and no number taken."""
        target = Path(folder)
        if not target.is_dir():
            raise StorageProblem(f"文件夹 {target} 不存在或不是文件夹，无法写入数据包。")
        trust = TrustService(self.s)
        peers = trust.peers(include_revoked=False)
        if for_card is not None:
            card = trust.card_by_fingerprint(for_card)
            if card is None:
                raise NotFound(f"没有信任过指纹为 {for_card} 的名片。")
            if card.revoked:
                raise InvalidInput(f"{card.office_name}（指纹 {card.fingerprint}）的名片已被吊销，不再给它导出数据包。")
            peers = [card]
        elif for_code is not None:
            code = office_code_of(for_code)
            peers = [p for p in peers if p.office_code == code]
            if not peers:
                known = trust.peer(code)
                if known is not None and known.revoked:
                    raise InvalidInput(f"单位 {known.office_name}（{code}）的名片已被吊销，不再给它导出数据包。")
                raise NotFound(f"没有信任过单位 {code}；请先添加它的单位名片。")
        else:
            peers = [p for p in peers if self._has_something_for(p.office_code, p.fingerprint)]
        return export_all(self.s, peers, target, progress)

    def _has_something_for(self, peer_code: str, fingerprint: str) -> bool:
        """Rows or audit entries that PC has not acknowledged, or news of what we received from its office."""
        from ...db.sync_rows import count_own_changes, last_audit_seq
        from ...domain import ownership

        acked_change, acked_audit, last_out = self.db.query(
            "SELECT acked_change_seq, acked_audit_seq, last_out_at FROM channels WHERE peer_fingerprint = ?",
            (fingerprint,),
        )[0]
        if last_audit_seq(self.db) > int(acked_audit):
            return True
        if count_own_changes(self.db, int(acked_change), ownership.tables_owned_by(self.s.office.kind)):
            return True
        newer_in = self.db.scalar(
            "SELECT count(*) FROM inbound WHERE peer_code = ? AND (? IS NULL OR last_in_at > ?)",
            (peer_code, last_out, last_out),
        )
        return bool(newer_in)

    # --- inspect -----------------------------------------------------------------------

    def inspect(self, path: Path | str, *, max_bytes: int | None = None) -> Inspection:
        """The manifest and whether the signature holds, without decrypting anything."""
        source = Path(path)
        data = read_package_file(source, max_bytes=max_bytes or package_file.DEFAULT_MAX_BYTES)
        parsed = parse_package(data, source=source.name)
        sender = parsed.manifest.get("sender")
        code = str(sender.get("code", "")) if isinstance(sender, dict) else ""
        named = sender.get("fingerprint") if isinstance(sender, dict) else None
        trust = TrustService(self.s)
        peer = trust.peer(code) if code else None
        if isinstance(named, str) and named:
            peer = trust.card_by_fingerprint(named)
            peer = peer if peer is not None and peer.office_code == code else None
        if peer is None:
            return Inspection(source.name, parsed.manifest, False, "", None, False)
        ok = signature_holds(peer.sign_public, parsed.signature, parsed.manifest_bytes)
        return Inspection(source.name, parsed.manifest, True, peer.office_name, ok, peer.revoked)

    # --- import ------------------------------------------------------------------------

    def import_file(
        self, path: Path | str, *, max_bytes: int | None = None, progress: ProgressFn | None = None
    ) -> Receipt:
        """Apply one package in one transaction and return its receipt (see apply.py for the checks);
        whatever *progress* raises (a cancel) rolls it all back: nothing applied, nothing recorded."""
        source = Path(path)
        if source.name.endswith(".partial"):
            # A file an export was still writing (or was killed writing): never a package.
            raise PackageDamaged(f"{source.name} 是导出时未写完的临时文件，不是数据包。")
        return import_package(self.s, source, max_bytes=max_bytes or package_file.DEFAULT_MAX_BYTES, progress=progress)

    def history(self, limit: int = 200) -> list[dict[str, Any]]:
        rows = self.db.query(
            "SELECT package_id, direction, peer_code, node, seq, created_at, handled_at, file_name, rows, receipt "
            "FROM packages ORDER BY handled_at DESC, seq DESC LIMIT ?",
            (limit,),
        )
        keys = ("package_id", "direction", "peer", "node", "seq", "created_at", "handled_at", "file", "rows")
        return [{**dict(zip(keys, r[:-1], strict=True)), "receipt": json.loads(r[-1])} for r in rows]

    def channels(self) -> list[dict[str, Any]]:
        """Per trusted PC: what was sent and acknowledged, and what came in from its office (for the
        数据交换 page)."""
        out = []
        for code, fingerprint, out_seq, acked_change, acked_audit, last_out, last_ack in self.db.query(
            "SELECT peer_code, peer_fingerprint, out_seq, acked_change_seq, acked_audit_seq, last_out_at, "
            "last_ack_at FROM channels ORDER BY peer_code, peer_fingerprint"
        ):
            inbound = self.db.query(
                "SELECT node, in_seq, last_in_at FROM inbound WHERE peer_code = ? ORDER BY node", (code,)
            )
            out.append(
                {
                    "peer": code,
                    "fingerprint": fingerprint,
                    "out_seq": out_seq,
                    "acked_change_seq": acked_change,
                    "acked_audit_seq": acked_audit,
                    "last_out_at": last_out,
                    "last_ack_at": last_ack,
                    "inbound": [{"node": n, "in_seq": s, "last_in_at": at} for n, s, at in inbound],
                }
            )
        return out

    # --- quarantine --------------------------------------------------------------------

    def quarantine(self, *, include_resolved: bool = False) -> list[dict[str, Any]]:
        where = "" if include_resolved else "WHERE resolved_at IS NULL"
        rows = self.db.query(
            f"SELECT id, package_id, peer_code, entity, row_id, reason, at, resolved_at, resolution FROM quarantine "
            f"{where} ORDER BY id"
        )
        keys = ("id", "package_id", "peer", "entity", "row_id", "reason", "at", "resolved_at", "resolution")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def release(self, quarantine_id: int) -> Receipt:
        """Try a quarantined row again (its household may have arrived since); it applies only if it
        now passes every row check, else the refusal says why and nothing changes."""
        self._require_admin()
        with self.store.transaction():
            item = self._open_item("quarantine", quarantine_id)
            _id, package_id, peer_code, entity, row_id, row_json = item
            peer = TrustService(self.s).peer(peer_code)
            if peer is None:
                raise NotFound(f"单位 {peer_code} 已不在信任列表中，隔离的数据无法再核对。")
            checked = Checked(
                parsed=_NoManifest(),  # type: ignore[arg-type]
                peer=peer,
                payload={},
                package_id=package_id,
                seq=0,
                node="",
                source=f"隔离记录 {quarantine_id}",
            )
            applier = Applier(self.s, checked)
            applier.quarantine = _refuse  # type: ignore[method-assign,assignment]
            applier.apply_table(entity, [json.loads(row_json)])
            self.db.execute(
                "UPDATE quarantine SET resolved_at = ?, resolved_by = ?, resolution = 'released' WHERE id = ?",
                (now_text(), self.s.user.username, quarantine_id),
            )
            self.store.audit(
                self.s.user.username,
                "放行隔离数据",
                entity,
                row_id,
                {"quarantine": quarantine_id, "package": package_id},
            )
        return applier.receipt

    def dismiss(self, quarantine_id: int, note: str = "") -> None:
        """Set a quarantined row aside for good (the sender is told to correct it at source)."""
        self._require_admin()
        with self.store.transaction():
            _id, _package, _peer, entity, row_id, _row = self._open_item("quarantine", quarantine_id)
            self.db.execute(
                "UPDATE quarantine SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                (now_text(), self.s.user.username, f"dismissed {note}".strip(), quarantine_id),
            )
            self.store.audit(
                self.s.user.username, "驳回隔离数据", entity, row_id, {"quarantine": quarantine_id, "note": note}
            )

    # --- conflicts ---------------------------------------------------------------------

    def conflicts(self, *, include_resolved: bool = False) -> list[dict[str, Any]]:
        where = "" if include_resolved else "WHERE resolved_at IS NULL"
        rows = self.db.query(
            f"SELECT id, entity, row_id, kept_updated_at, lost_updated_at, lost_json, package_id, at, resolved_at, "
            f"resolution FROM conflicts {where} ORDER BY id"
        )
        keys = (
            "id",
            "entity",
            "row_id",
            "kept_updated_at",
            "lost_updated_at",
            "lost",
            "package_id",
            "at",
            "resolved_at",
            "resolution",
        )
        return [{**dict(zip(keys, r, strict=True)), "lost": json.loads(r[5])} for r in rows]

    def current_row(self, entity: str, row_id: str) -> dict[str, Any] | None:
        """The version of a row that stands now (to show beside a conflict's losing version)."""
        cls = TYPES_BY_TABLE.get(entity)
        row = self.store.repo(cls).get(row_id) if cls is not None else None
        return to_dict(row) if row is not None else None

    def resolve_conflict(self, conflict_id: int, keep: str) -> None:
        """``keep='stored'``: the standing version stays. ``keep='other'``: the losing version becomes
        the row again, as a new change of this office (so it wins everywhere); only the owner may."""
        if keep not in ("stored", "other"):
            raise InvalidInput("请选择保留现有版本（stored）或另一版本（other）。", field="keep")
        user = self.s.user.username
        with self.store.transaction():
            row = self.db.query(
                "SELECT entity, row_id, lost_json FROM conflicts WHERE id = ? AND resolved_at IS NULL", (conflict_id,)
            )
            if not row:
                raise NotFound(f"没有待处理的冲突 {conflict_id}。")
            entity, row_id, lost_json = row[0]
            if keep == "other":
                cls = TYPES_BY_TABLE[entity]
                current = self.store.repo(cls).get(row_id)
                owner = current.owner_office if current is not None else ""
                if owner != self.s.office.code:
                    raise PermissionDenied(
                        f"这一行属于单位 {owner}，只能由它决定保留哪个版本；本单位只能保留现有版本。"
                    )
                other = row_from_dict(cls, json.loads(lost_json))
                other.owner_office = owner
                self.store.save(other, user, "处理冲突：恢复另一版本", before=current)
            self.db.execute(
                "UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                (now_text(), user, keep, conflict_id),
            )
            self.store.audit(user, "处理同步冲突", entity, row_id, {"conflict": conflict_id, "keep": keep})

    # --- helpers -----------------------------------------------------------------------

    def _require_admin(self) -> None:
        from .. import permissions

        if not (self.s.can(permissions.MANAGE_USERS) or self.s.can(permissions.APPROVE_ENROLMENT)):
            permissions.require(self.s.user, permissions.APPROVE_ENROLMENT)

    def _open_item(self, table: str, item_id: int) -> tuple[Any, ...]:
        rows = self.db.query(
            f"SELECT id, package_id, peer_code, entity, row_id, row_json FROM {table} "
            "WHERE id = ? AND resolved_at IS NULL",
            (item_id,),
        )
        if not rows:
            raise NotFound(f"没有待处理的隔离记录 {item_id}。")
        return tuple(rows[0])


class _NoManifest:
    """A release re-checks one row; there is no package manifest behind it any more."""

    def __init__(self) -> None:
        self.manifest: dict[str, Any] = {}


def _refuse(_table: str, _row_id: str, reason: str, _row: Any) -> None:
    raise InvalidInput(f"仍不能放行：{reason}")
