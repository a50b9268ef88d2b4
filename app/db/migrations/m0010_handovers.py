"""A household moving to another township: the county's hand-over and the townships' parts in it
(issue 10 point 3). New tables only, so no row's content hash changes."""

_SYNC = """
    id TEXT PRIMARY KEY,
    owner_office TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
"""

SQL = f"""
CREATE TABLE handovers ({_SYNC}
    household_id TEXT NOT NULL, from_township TEXT NOT NULL, township_code TEXT NOT NULL,
    snapshot TEXT NOT NULL DEFAULT '{{}}', reason TEXT NOT NULL DEFAULT '', decided_on TEXT,
    withdrawn INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT '待办理'
);
CREATE INDEX handovers_household ON handovers(household_id);
CREATE INDEX handovers_township ON handovers(township_code);

CREATE TABLE handover_replies ({_SYNC}
    handover_id TEXT NOT NULL, household_id TEXT NOT NULL, side TEXT NOT NULL,
    done_on TEXT, note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX handover_replies_handover ON handover_replies(handover_id);
"""
