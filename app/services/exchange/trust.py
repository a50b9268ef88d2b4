"""Trust between offices: the office's own card, the peers whose cards were checked over the phone,
and revoking a peer whose PC was stolen (docs/exchange.md §Trust).

There is no certificate authority: a peer is added only when the fingerprint a person read out
matches the card, and only the administrator manages the list. Every change is audited.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ...db.private_files import restrict
from ...db.store import now_text
from ...domain.divisions import DivisionError, normalize_code
from ...errors import AlreadyExists, FingerprintMismatch, InvalidInput, NotFound, StorageProblem
from ...exchange.cards import Card, same_fingerprint
from .. import permissions
from ..base import Service
from . import precise_now
from .office_keys import ensure_office_keys, own_card


@dataclass(frozen=True)
class Peer:
    office_code: str
    office_name: str
    kind: str
    sign_public: str
    box_public: str
    fingerprint: str
    added_at: str
    added_by: str
    revoked_at: str | None
    revoked_by: str

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


_PEER_COLUMNS = (
    "office_code, office_name, kind, sign_public, box_public, fingerprint, added_at, added_by, revoked_at, revoked_by"
)


def office_code_of(text: str, what: str = "单位代码") -> str:
    """A 6-, 9- or 12-digit code as the 12 digits offices are kept under."""
    try:
        return normalize_code(text)
    except DivisionError:
        raise InvalidInput(f"{what}“{text}”应为 6、9 或 12 位数字的区划代码。", field="code") from None


class TrustService(Service):
    def card(self) -> Card:
        """This office's public card (its keys are made on first use)."""
        office = self.s.office
        return own_card(self.store, self.s.user.username, office.code, office.name, office.kind)

    def write_card(self, path: Path | str) -> Card:
        card = self.card()
        target = Path(path)
        try:
            target.write_text(card.to_json(), encoding="utf-8")
        except OSError as exc:
            raise StorageProblem(f"无法写入单位名片 {target}（{exc.strerror or exc}）。") from exc
        restrict(target)
        return card

    def peers(self, *, include_revoked: bool = True) -> list[Peer]:
        rows = self.db.query(f"SELECT {_PEER_COLUMNS} FROM peers ORDER BY office_code")
        found = [Peer(*r) for r in rows]
        return found if include_revoked else [p for p in found if not p.revoked]

    def peer(self, office_code: str) -> Peer | None:
        rows = self.db.query(f"SELECT {_PEER_COLUMNS} FROM peers WHERE office_code = ?", (office_code,))
        return Peer(*rows[0]) if rows else None

    def add(self, path: Path | str, fingerprint: str) -> tuple[Peer, bool]:
        """Register the card in *path* when *fingerprint* (as read over the phone) matches it.

        Returns the peer and whether anything changed (the same card twice is harmless). A new
        card for an office already trusted is refused until the old one is revoked.
        """
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        source = Path(path)
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as exc:
            raise NotFound(f"无法读取单位名片 {source}（{exc.strerror or exc}）。") from exc
        except UnicodeDecodeError:
            raise InvalidInput(f"单位名片 {source.name} 无法使用：不是 UTF-8 文本。") from None
        card = Card.from_json(text, source=source.name)
        if not same_fingerprint(fingerprint, card.fingerprint):
            raise FingerprintMismatch(
                f"输入的指纹与单位名片 {source.name}（{card.office_name}）不符；没有添加。请与对方电话核对指纹。"
            )
        code = office_code_of(card.office_code)
        if code == self.s.office.code:
            raise InvalidInput(f"单位名片 {source.name} 是本单位自己的名片。", field="card")
        user = self.s.user.username
        with self.store.transaction():
            known = self.peer(code)
            if known is not None and known.sign_public == card.sign_public and known.box_public == card.box_public:
                if known.revoked:
                    raise AlreadyExists(
                        f"{card.office_name}（{code}）的这张名片已被吊销，不能再次添加；请对方生成新密钥。"
                    )
                return known, False
            if known is not None and not known.revoked:
                raise AlreadyExists(
                    f"已信任 {known.office_name}（{code}）的另一张名片（指纹 {known.fingerprint}）；"
                    "请先吊销旧名片再添加新名片。"
                )
            at = now_text()
            self.db.execute(
                f"INSERT INTO peers({_PEER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, '') "
                "ON CONFLICT(office_code) DO UPDATE SET office_name = excluded.office_name, kind = excluded.kind, "
                "sign_public = excluded.sign_public, box_public = excluded.box_public, "
                "fingerprint = excluded.fingerprint, added_at = excluded.added_at, added_by = excluded.added_by, "
                "revoked_at = NULL, revoked_by = ''",
                (code, card.office_name, card.kind, card.sign_public, card.box_public, card.fingerprint, at, user),
            )
            self.db.execute("INSERT INTO channels(peer_code) VALUES (?) ON CONFLICT DO NOTHING", (code,))
            self.store.audit(
                user,
                "添加信任单位" if known is None else "更换信任单位名片",
                "peers",
                code,
                {"name": card.office_name, "kind": card.kind, "fingerprint": card.fingerprint},
            )
        peer = self.peer(code)
        assert peer is not None
        return peer, True

    def revoke(self, office_code: str) -> Peer:
        """Refuse this office's packages signed from now on (a stolen PC); audited."""
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        code = office_code_of(office_code)
        with self.store.transaction():
            known = self.peer(code)
            if known is None:
                raise NotFound(f"没有信任过单位 {code}。")
            if known.revoked:
                return known
            self.db.execute(
                "UPDATE peers SET revoked_at = ?, revoked_by = ? WHERE office_code = ?",
                (precise_now(), self.s.user.username, code),
            )
            self.store.audit(
                self.s.user.username,
                "吊销信任单位",
                "peers",
                code,
                {"name": known.office_name, "fingerprint": known.fingerprint},
            )
        peer = self.peer(code)
        assert peer is not None
        return peer

    def ensure_keys(self) -> None:
        ensure_office_keys(self.store, self.s.user.username)
