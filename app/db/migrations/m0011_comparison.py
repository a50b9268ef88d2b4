"""Comparisons with partner departments' lists and their findings (issue 12): syncable township rows
that replace the month's ``comparison:<month>`` note in ``meta``. New tables only, so no row's
content hash changes."""

_SYNC = """
    id TEXT PRIMARY KEY,
    owner_office TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
"""

SQL = f"""
CREATE TABLE comparisons ({_SYNC}
    month TEXT NOT NULL, source TEXT NOT NULL, file_name TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL,
    sheet TEXT NOT NULL DEFAULT '', rows_read INTEGER NOT NULL DEFAULT 0, summary TEXT NOT NULL DEFAULT '{{}}',
    compared_on TEXT
);
CREATE INDEX comparisons_month ON comparisons(month, source);

CREATE TABLE comparison_findings ({_SYNC}
    comparison_id TEXT NOT NULL, household_id TEXT NOT NULL DEFAULT '', member_id TEXT NOT NULL DEFAULT '',
    row INTEGER NOT NULL DEFAULT 0, sheet_row INTEGER NOT NULL DEFAULT 0, id_number TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '', match TEXT NOT NULL DEFAULT '', code TEXT NOT NULL, text TEXT NOT NULL DEFAULT '',
    disposition TEXT NOT NULL DEFAULT '待核实', note TEXT NOT NULL DEFAULT '', link_kind TEXT NOT NULL DEFAULT '',
    link_id TEXT NOT NULL DEFAULT '', disposed_on TEXT
);
CREATE INDEX comparison_findings_comparison ON comparison_findings(comparison_id);
CREATE INDEX comparison_findings_household ON comparison_findings(household_id);
"""
