"""Trust between offices: the office's own card, the peers whose cards were checked over the phone,
and revoking a peer whose PC was stolen (docs/exchange.md §Trust). Trust is per card, that is per
PC: an office with two PCs has two cards under one code, and this office's own other PC (its
sibling) is trusted by its card like any other.

There is no certificate authority: a peer is added only when the fingerprint a person read out
matches the card, and only the administrator manages the list. Every change is audited.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ...db.private_files import restrict
from ...db.store import now_text
from ...domain.divisions import DivisionError, normalize_code
from ...errors import AlreadyExists, FingerprintMismatch, InvalidInput, NotFound, StorageProblem, os_reason
from ...exchange.cards import Card, normalise_fingerprint, read_card, same_fingerprint
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


# The audit action of a card trusted as another PC of an office (``--another-pc``): such a card may
# sign only the node named after its own fingerprint, never the office's first PC's (apply.py).
ANOTHER_PC_ACTION = "添加信任单位的另一台电脑"

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
            raise StorageProblem(f"无法写入单位名片 {target}（{os_reason(exc)}）。") from exc
        restrict(target)
        return card

    def peers(self, *, include_revoked: bool = True) -> list[Peer]:
        """One Peer per trusted card: an office with two PCs (docs/exchange.md §Two PCs) has two."""
        rows = self.db.query(f"SELECT {_PEER_COLUMNS} FROM peers ORDER BY office_code, added_at, fingerprint")
        found = [Peer(*r) for r in rows]
        return found if include_revoked else [p for p in found if not p.revoked]

    def cards_of(self, office_code: str) -> list[Peer]:
        """Every card trusted for one office, its unrevoked ones first, oldest first."""
        rows = self.db.query(
            f"SELECT {_PEER_COLUMNS} FROM peers WHERE office_code = ? "
            "ORDER BY revoked_at IS NOT NULL, added_at, fingerprint",
            (office_code,),
        )
        return [Peer(*r) for r in rows]

    def peer(self, office_code: str) -> Peer | None:
        """The office's first unrevoked card (else its first revoked one); see cards_of for all."""
        cards = self.cards_of(office_code)
        return cards[0] if cards else None

    def card_by_fingerprint(self, fingerprint: str) -> Peer | None:
        wanted = normalise_fingerprint(fingerprint)
        return next((p for p in self.peers() if normalise_fingerprint(p.fingerprint) == wanted), None)

    def add(self, path: Path | str, fingerprint: str, *, another_pc: bool = False) -> tuple[Peer, bool]:
        """Register the card in *path* when *fingerprint* (as read over the phone) matches it.

        Returns the peer and whether anything changed (the same card twice is harmless). Another
        card of an office already trusted is either new keys of the same PC (revoke the old card
        first) or another PC of that office (*another_pc*: trusted beside the first); a person must
        say which. A card of this very office with other keys is this office's other PC (its sibling).
        """
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        source = Path(path)
        card = read_card(source)
        if not same_fingerprint(fingerprint, card.fingerprint):
            raise FingerprintMismatch(
                f"输入的指纹与单位名片 {source.name}（{card.office_name}）不符；没有添加。请与对方电话核对指纹。"
            )
        code = office_code_of(card.office_code)
        if code == self.s.office.code and card.fingerprint == self.card().fingerprint:
            raise InvalidInput(f"单位名片 {source.name} 是这台电脑自己的名片。", field="card")
        return self.add_card(card, source=source.name, another_pc=another_pc)

    def add_card(self, card: Card, *, source: str, another_pc: bool = False) -> tuple[Peer, bool]:
        """Trust a card whose fingerprint a person has already checked (``add``, or joining an office)."""
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        code = office_code_of(card.office_code)
        sibling = code == self.s.office.code
        if sibling and card.kind != self.s.office.kind:
            raise InvalidInput(f"单位名片 {source} 的单位类型与本单位不符。", field="card")
        user = self.s.user.username
        with self.store.transaction():
            known = self.card_by_fingerprint(card.fingerprint)
            if known is not None:
                if known.revoked:
                    raise AlreadyExists(
                        f"{card.office_name}（{code}）的这张名片已被吊销，不能再次添加；请对方生成新密钥。"
                    )
                return known, False
            others = [p for p in self.cards_of(code) if not p.revoked]
            if others and not sibling and not another_pc:
                raise AlreadyExists(
                    f"已信任 {others[0].office_name}（{code}）的另一张名片（指纹 {others[0].fingerprint}）；"
                    "若对方换了新密钥，请先吊销旧名片再添加新名片；若这是该单位的另一台电脑，"
                    "请注明“另一台电脑”再添加（命令行 --another-pc）。"
                )
            at = now_text()
            self.db.execute(
                f"INSERT INTO peers({_PEER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, '')",
                (code, card.office_name, card.kind, card.sign_public, card.box_public, card.fingerprint, at, user),
            )
            self.db.execute(
                "INSERT INTO channels(peer_fingerprint, peer_code) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (card.fingerprint, code),
            )
            if sibling:
                action = "添加本单位的另一台电脑"
            elif others:
                action = ANOTHER_PC_ACTION
            else:
                action = "添加信任单位"
            self.store.audit(
                user,
                action,
                "peers",
                code,
                {"name": card.office_name, "kind": card.kind, "fingerprint": card.fingerprint},
            )
        peer = self.card_by_fingerprint(card.fingerprint)
        assert peer is not None
        return peer, True

    def revoke(self, office_code: str, fingerprint: str | None = None) -> Peer:
        """Refuse the packages one card signs from now on (a stolen PC); audited. The office's other
        PCs stay trusted. Without *fingerprint* the office must have one unrevoked card."""
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        code = office_code_of(office_code)
        with self.store.transaction():
            cards = self.cards_of(code)
            if not cards:
                raise NotFound(f"没有信任过单位 {code}。")
            if fingerprint:
                chosen = [p for p in cards if same_fingerprint(fingerprint, p.fingerprint)]
                if not chosen:
                    raise NotFound(f"单位 {code} 没有指纹为 {fingerprint} 的名片。")
            else:
                chosen = [p for p in cards if not p.revoked] or cards[:1]
                if len(chosen) > 1:
                    listed = "、".join(p.fingerprint for p in chosen)
                    raise InvalidInput(
                        f"单位 {code} 有 {len(chosen)} 台电脑的名片（指纹 {listed}）；"
                        "请用 --fingerprint 指明吊销哪一台。",
                        field="fingerprint",
                    )
            known = chosen[0]
            if known.revoked:
                return known
            self.db.execute(
                "UPDATE peers SET revoked_at = ?, revoked_by = ? WHERE fingerprint = ?",
                (precise_now(), self.s.user.username, known.fingerprint),
            )
            self.store.audit(
                self.s.user.username,
                "吊销信任单位",
                "peers",
                code,
                {"name": known.office_name, "fingerprint": known.fingerprint},
            )
        peer = self.card_by_fingerprint(known.fingerprint)
        assert peer is not None
        return peer

    def ensure_keys(self) -> None:
        ensure_office_keys(self.store, self.s.user.username)
