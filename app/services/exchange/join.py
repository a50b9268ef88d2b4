"""A second PC joins an office that already uses Doudi (docs/exchange.md §Two PCs in one office).

The new PC is not a copy of the first: it makes its own database under the office's code and name,
with its own keys, its own users and its own clock node (the ``replica`` mark), and trusts the
first PC's card once a person has checked its fingerprint. The first PC's administrator then trusts
the new PC's card the same way, and the first package from the first PC brings the register.
A copy of the data folder would carry the first PC's keys, so revoking one PC would revoke both.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import FingerprintMismatch
from ...exchange.cards import Card, read_card, same_fingerprint

if TYPE_CHECKING:
    from ..session import Session

REPLICA_KEY = "replica"


def checked_card(path: Path | str, fingerprint: str) -> Card:
    """The first PC's card, when the fingerprint a person read off that PC matches it."""
    card = read_card(path)
    if not same_fingerprint(fingerprint, card.fingerprint):
        raise FingerprintMismatch(
            f"输入的指纹与单位名片 {Path(path).name}（{card.office_name}）不符；没有建立数据库。"
            "请在第一台电脑的“数据交换”页（或用 doudi trust list）核对指纹。"
        )
    return card


def replica_name(own_fingerprint: str) -> str:
    """The new PC's clock-node suffix, from its own fingerprint: unique without asking the first PC,
    and a person can tell from a stamp's node which card made it."""
    return "pc" + own_fingerprint.replace("-", "")[:6].lower()


def join_office(
    data_dir: Path | str,
    card_path: Path | str,
    fingerprint: str,
    admin_username: str,
    admin_password: str,
    *,
    admin_display_name: str = "",
) -> tuple[Session, str]:
    """Make this PC's database as another PC of the office whose card is at *card_path*.

    Returns the open session and the recovery code (shown once), as ``create_office`` does.
    """
    from ..office import create_office

    card = checked_card(card_path, fingerprint)
    source = Path(card_path).name

    def enrol(s: Session) -> None:
        own = s.trust.card()
        replica = replica_name(own.fingerprint)
        with s.store.transaction():
            s.db.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (REPLICA_KEY, replica))
            s.store.audit(
                admin_username,
                "作为本单位的另一台电脑加入",
                "",
                "",
                {"replica": replica, "first_pc": card.fingerprint, "own": own.fingerprint},
            )
        s.trust.add_card(card, source=source)

    return create_office(
        data_dir,
        card.office_code,
        admin_username,
        admin_password,
        office_name=card.office_name,
        kind=card.kind,
        admin_display_name=admin_display_name,
        fill=enrol,
    )


def replica_of(session: Session) -> str:
    """This PC's replica suffix ('' on the office's first PC)."""
    value = session.db.scalar("SELECT value FROM meta WHERE key = ?", (REPLICA_KEY,))
    return str(value or "")
