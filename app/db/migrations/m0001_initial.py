"""The first schema: the register, the change log and the audit chain."""

_SYNC = """
    id TEXT PRIMARY KEY,
    owner_office TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
"""

SQL = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE divisions (
    code TEXT PRIMARY KEY, parent TEXT NOT NULL, name TEXT NOT NULL,
    level TEXT NOT NULL, ur_code TEXT NOT NULL DEFAULT ''
);

CREATE TABLE users ({_SYNC}
    username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE households ({_SYNC}
    village_code TEXT NOT NULL, group_name TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '', head_name TEXT NOT NULL, categories TEXT NOT NULL DEFAULT '[]',
    risk_level INTEGER NOT NULL DEFAULT 0, urban INTEGER NOT NULL DEFAULT 0,
    under_watch INTEGER NOT NULL DEFAULT 1, poverty_causes TEXT NOT NULL DEFAULT '[]',
    housing TEXT NOT NULL DEFAULT '', bank_name TEXT NOT NULL DEFAULT '', bank_account TEXT NOT NULL DEFAULT '',
    official_relative INTEGER NOT NULL DEFAULT 0, official_relative_note TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '', archived INTEGER NOT NULL DEFAULT 0, archived_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX households_village ON households(village_code, head_name);
CREATE INDEX households_head ON households(head_name);

CREATE TABLE members ({_SYNC}
    household_id TEXT NOT NULL REFERENCES households(id),
    name TEXT NOT NULL, id_number TEXT NOT NULL, relation TEXT NOT NULL, sex TEXT NOT NULL,
    birth_date TEXT, ethnicity TEXT NOT NULL, labour_ability TEXT NOT NULL, health TEXT NOT NULL,
    serious_illness INTEGER NOT NULL DEFAULT 0, disability_type TEXT NOT NULL DEFAULT '',
    disability_grade INTEGER NOT NULL DEFAULT 0, disability_cert TEXT NOT NULL DEFAULT '',
    schooling TEXT NOT NULL DEFAULT '', medical_insurance INTEGER NOT NULL DEFAULT 1,
    pension_insurance INTEGER NOT NULL DEFAULT 0, self_care TEXT NOT NULL DEFAULT '全自理',
    left_behind TEXT NOT NULL DEFAULT '', employed INTEGER NOT NULL DEFAULT 0,
    deceased_on TEXT, notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX members_household ON members(household_id);
CREATE INDEX members_id_number ON members(id_number);
CREATE INDEX members_name ON members(name);

-- Search helpers kept beside the members (pinyin initials, full pinyin), rebuilt by the service.
CREATE TABLE member_search (
    member_id TEXT PRIMARY KEY REFERENCES members(id),
    household_id TEXT NOT NULL,
    initials TEXT NOT NULL,
    pinyin TEXT NOT NULL
);
CREATE INDEX member_search_initials ON member_search(initials);

CREATE TABLE visits ({_SYNC}
    household_id TEXT NOT NULL REFERENCES households(id), visit_date TEXT NOT NULL,
    visitors TEXT NOT NULL, food_ok INTEGER NOT NULL, clothing_ok INTEGER NOT NULL,
    schooling_ok INTEGER NOT NULL, medical_ok INTEGER NOT NULL, housing_ok INTEGER NOT NULL,
    water_ok INTEGER NOT NULL, income_change TEXT NOT NULL, risk_signs TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '', next_due TEXT
);
CREATE INDEX visits_household ON visits(household_id, visit_date);
CREATE INDEX visits_date ON visits(visit_date);

CREATE TABLE enrolments ({_SYNC}
    household_id TEXT NOT NULL REFERENCES households(id), member_id TEXT NOT NULL DEFAULT '',
    programme TEXT NOT NULL, class_code TEXT NOT NULL DEFAULT '', single_person INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL, applied_on TEXT, publicity_from TEXT, publicity_to TEXT, approved_on TEXT,
    start_month TEXT, end_month TEXT, grace_until TEXT, monthly_amount_fen INTEGER NOT NULL DEFAULT 0,
    persons_covered INTEGER NOT NULL DEFAULT 0, case_by_case_reason TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enrolments_household ON enrolments(household_id);
CREATE INDEX enrolments_status ON enrolments(programme, status);

CREATE TABLE enrolment_steps ({_SYNC}
    enrolment_id TEXT NOT NULL REFERENCES enrolments(id), step TEXT NOT NULL, done_on TEXT,
    done_by TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enrolment_steps_enrolment ON enrolment_steps(enrolment_id);

CREATE TABLE payments ({_SYNC}
    month TEXT NOT NULL, household_id TEXT NOT NULL REFERENCES households(id),
    member_id TEXT NOT NULL DEFAULT '', enrolment_id TEXT NOT NULL DEFAULT '', programme TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL, amount_fen INTEGER NOT NULL, persons INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '', locked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX payments_month ON payments(month, programme);
CREATE INDEX payments_household ON payments(household_id);

CREATE TABLE alerts ({_SYNC}
    household_id TEXT NOT NULL REFERENCES households(id), member_id TEXT NOT NULL DEFAULT '',
    rule TEXT NOT NULL, level INTEGER NOT NULL, message TEXT NOT NULL DEFAULT '', raised_on TEXT,
    status TEXT NOT NULL, follow_visit_id TEXT NOT NULL DEFAULT '', closed_on TEXT,
    close_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alerts_status ON alerts(status, level);
CREATE INDEX alerts_household ON alerts(household_id);

-- Append-only: every change to a syncable row, for sync packages.
CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL, row_id TEXT NOT NULL, updated_at TEXT NOT NULL, op TEXT NOT NULL
);
CREATE INDEX change_log_row ON change_log(entity, row_id);

-- Append-only and hash-chained: who did what, with the row before and after.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, username TEXT NOT NULL, action TEXT NOT NULL,
    entity TEXT NOT NULL DEFAULT '', row_id TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{{}}',
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX audit_row ON audit_log(entity, row_id);

CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"""
