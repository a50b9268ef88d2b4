"""Programmes: income items, care ledgers, policy periods added locally, monthly closes."""

_SYNC = """
    id TEXT PRIMARY KEY,
    owner_office TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
"""

SQL = f"""
CREATE TABLE income_items ({_SYNC}
    household_id TEXT NOT NULL REFERENCES households(id), member_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL, subtype TEXT NOT NULL DEFAULT '', amount_fen INTEGER NOT NULL,
    months INTEGER NOT NULL DEFAULT 12, note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX income_items_household ON income_items(household_id);

CREATE TABLE care_records ({_SYNC}
    household_id TEXT NOT NULL DEFAULT '', member_id TEXT NOT NULL, ledger TEXT NOT NULL,
    care_mode TEXT NOT NULL DEFAULT '', carer_name TEXT NOT NULL DEFAULT '', carer_phone TEXT NOT NULL DEFAULT '',
    absent_member TEXT NOT NULL DEFAULT '', visit_date TEXT, problems TEXT NOT NULL DEFAULT '',
    follow_up TEXT NOT NULL DEFAULT ''
);
CREATE INDEX care_records_member ON care_records(member_id, visit_date);

CREATE TABLE policy_periods ({_SYNC}
    effective_from TEXT NOT NULL, values_json TEXT NOT NULL, source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '', unconfirmed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE month_closes ({_SYNC}
    month TEXT NOT NULL, closed_on TEXT, checklist_json TEXT NOT NULL DEFAULT '{{}}',
    figures_json TEXT NOT NULL DEFAULT '{{}}', changes_json TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX month_closes_month ON month_closes(month);
ALTER TABLE payments ADD COLUMN class_code TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
CREATE INDEX payments_enrolment ON payments(enrolment_id, month);
CREATE INDEX alerts_rule ON alerts(household_id, rule, status);
"""
