"""Several PCs of one office (docs/exchange.md §Two PCs in one office): a trusted card per PC.

Before, an office had one card, and ``peers`` and ``channels`` were keyed by the office code. A
township with two PCs has two cards under one code, each with its own keys: the county must trust
both, revoke one (a stolen PC) without the other, and number and acknowledge what it sends to each
PC on its own. So a card is keyed by its fingerprint, and a channel by the card it writes to;
and each sending node is bound to the card that signs its packages.
Neither table syncs, so no row's content hash changes.
"""

SQL = """
CREATE TABLE peer_cards (
    fingerprint TEXT PRIMARY KEY, office_code TEXT NOT NULL, office_name TEXT NOT NULL, kind TEXT NOT NULL,
    sign_public TEXT NOT NULL, box_public TEXT NOT NULL,
    added_at TEXT NOT NULL, added_by TEXT NOT NULL,
    revoked_at TEXT, revoked_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO peer_cards(fingerprint, office_code, office_name, kind, sign_public, box_public, added_at, added_by,
                       revoked_at, revoked_by)
    SELECT fingerprint, office_code, office_name, kind, sign_public, box_public, added_at, added_by, revoked_at,
           revoked_by FROM peers;

-- What we send to one PC of a peer office: its package number and what it acknowledged of our logs.
CREATE TABLE card_channels (
    peer_fingerprint TEXT PRIMARY KEY,
    peer_code TEXT NOT NULL,
    out_seq INTEGER NOT NULL DEFAULT 0,
    acked_change_seq INTEGER NOT NULL DEFAULT 0,
    acked_audit_seq INTEGER NOT NULL DEFAULT 0,
    last_out_at TEXT, last_ack_at TEXT
);
INSERT INTO card_channels(peer_fingerprint, peer_code, out_seq, acked_change_seq, acked_audit_seq, last_out_at,
                          last_ack_at)
    SELECT p.fingerprint, c.peer_code, c.out_seq, c.acked_change_seq, c.acked_audit_seq, c.last_out_at, c.last_ack_at
    FROM channels c JOIN peers p ON p.office_code = c.peer_code;

DROP TABLE channels;
DROP TABLE peers;
ALTER TABLE peer_cards RENAME TO peers;
ALTER TABLE card_channels RENAME TO channels;
CREATE INDEX peers_office ON peers(office_code);
CREATE INDEX channels_office ON channels(peer_code);

-- The card whose packages a sending node's chain continues: another PC's card cannot write as it.
ALTER TABLE inbound ADD COLUMN card TEXT NOT NULL DEFAULT '';
"""
