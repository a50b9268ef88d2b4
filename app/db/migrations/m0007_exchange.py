"""Exchange with other offices (docs/exchange.md, docs/package-format.md): trust, channels, package
history, quarantine and conflicts, and the copy of each peer's audit chain.

None of these tables syncs: they are this office's own view of its peers. Every change to them is
still audited by the services that write them.

What comes in is kept per sending *node* (the hybrid-logical-clock node of the sending database),
not only per office: a second PC of one office (a replica) continues its own audit chain and its
own package numbers, and must not be mistaken for a replay or a broken chain of the first.
"""

SQL = """
CREATE TABLE peers (
    office_code TEXT PRIMARY KEY, office_name TEXT NOT NULL, kind TEXT NOT NULL,
    sign_public TEXT NOT NULL, box_public TEXT NOT NULL, fingerprint TEXT NOT NULL,
    added_at TEXT NOT NULL, added_by TEXT NOT NULL,
    revoked_at TEXT, revoked_by TEXT NOT NULL DEFAULT ''
);

-- What we send to a peer: the package number and what they acknowledged of our logs.
CREATE TABLE channels (
    peer_code TEXT PRIMARY KEY REFERENCES peers(office_code),
    out_seq INTEGER NOT NULL DEFAULT 0,          -- last package number we wrote to them
    acked_change_seq INTEGER NOT NULL DEFAULT 0, -- our change_log seq they acknowledged
    acked_audit_seq INTEGER NOT NULL DEFAULT 0,  -- our audit_log seq they acknowledged
    last_out_at TEXT, last_ack_at TEXT
);

-- What a peer's node sent us: its package number, and how far we hold its change and audit logs.
CREATE TABLE inbound (
    peer_code TEXT NOT NULL, node TEXT NOT NULL,
    in_seq INTEGER NOT NULL DEFAULT 0,           -- last package number of theirs we applied
    in_change_seq INTEGER NOT NULL DEFAULT 0,    -- their change_log seq we hold up to
    in_audit_seq INTEGER NOT NULL DEFAULT 0,     -- their audit_log seq we hold up to
    in_audit_head TEXT NOT NULL DEFAULT '',      -- hash of their last audit entry we hold
    last_in_at TEXT,
    PRIMARY KEY (peer_code, node)
);

CREATE TABLE packages (
    package_id TEXT PRIMARY KEY, direction TEXT NOT NULL, peer_code TEXT NOT NULL,
    node TEXT NOT NULL DEFAULT '', seq INTEGER NOT NULL, created_at TEXT NOT NULL, handled_at TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '', rows INTEGER NOT NULL DEFAULT 0,
    manifest TEXT NOT NULL, receipt TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX packages_peer ON packages(peer_code, direction, seq);

CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT, package_id TEXT NOT NULL, peer_code TEXT NOT NULL,
    entity TEXT NOT NULL, row_id TEXT NOT NULL, reason TEXT NOT NULL, row_json TEXT NOT NULL,
    at TEXT NOT NULL, resolved_at TEXT, resolved_by TEXT NOT NULL DEFAULT '', resolution TEXT NOT NULL DEFAULT ''
);
CREATE INDEX quarantine_open ON quarantine(resolved_at, entity);

-- The losing version of a row that two writers changed; a person chooses which stands.
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL, row_id TEXT NOT NULL,
    kept_updated_at TEXT NOT NULL, lost_updated_at TEXT NOT NULL, lost_json TEXT NOT NULL,
    package_id TEXT NOT NULL DEFAULT '', at TEXT NOT NULL,
    resolved_at TEXT, resolved_by TEXT NOT NULL DEFAULT '', resolution TEXT NOT NULL DEFAULT ''
);
CREATE INDEX conflicts_open ON conflicts(resolved_at, entity, row_id);
CREATE UNIQUE INDEX conflicts_version ON conflicts(entity, row_id, lost_updated_at);

-- Each peer node's audit chain as it continues, so that a rewritten history shows at the receiver.
CREATE TABLE peer_audit (
    peer_code TEXT NOT NULL, node TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL,
    username TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, row_id TEXT NOT NULL,
    detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (peer_code, node, seq)
);
CREATE INDEX peer_audit_hash ON peer_audit(peer_code, hash);

-- Earlier versions of received rows, as their senders listed them: a version this office never
-- held can still be known as an ancestor, so it is stale when it comes late, not a conflict.
CREATE TABLE known_versions (
    entity TEXT NOT NULL, row_id TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (entity, row_id, updated_at)
) WITHOUT ROWID;

-- This office's own changes (not re-baselines, not rows received): counting what is unsent reads
-- only these, which at the county are few among the townships' rows.
CREATE INDEX change_log_own ON change_log(seq, entity) WHERE op IN ('insert', 'update', 'delete');
"""
