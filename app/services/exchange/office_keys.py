"""The office's own exchange keys, kept only inside its encrypted database.

An office made before packages existed gets its keys the first time anything asks for them;
making them is audited, so a key change at the county or a township can be traced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...exchange.cards import Card, card_for
from ...exchange.keys import OfficeKeys, new_office_keys

if TYPE_CHECKING:
    from ...db.store import Store

META_KEY = "office_keys"


def ensure_office_keys(store: Store, username: str) -> OfficeKeys:
    """This office's keys, made and stored (audited) on first use."""
    text = store.db.scalar("SELECT value FROM meta WHERE key = ?", (META_KEY,))
    if text:
        return OfficeKeys.from_secret_text(str(text))
    with store.transaction():
        text = store.db.scalar("SELECT value FROM meta WHERE key = ?", (META_KEY,))
        if text:  # another connection made them meanwhile
            return OfficeKeys.from_secret_text(str(text))
        keys = new_office_keys()
        store.db.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (META_KEY, keys.to_secret_text()))
        store.audit(
            username, "生成单位交换密钥", "", "", {"sign_public": keys.sign_public, "box_public": keys.box_public}
        )
    return keys


def own_card(store: Store, username: str, office_code: str, office_name: str, kind: str) -> Card:
    return card_for(ensure_office_keys(store, username), office_code, office_name, kind)
