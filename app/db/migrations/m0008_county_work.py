"""The county's decisions and tasks, and the townships' replies to tasks (county mode, issue 10)."""

_SYNC = """
    id TEXT PRIMARY KEY,
    owner_office TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
"""

SQL = f"""
CREATE TABLE county_decisions ({_SYNC}
    enrolment_id TEXT NOT NULL, household_id TEXT NOT NULL, township_code TEXT NOT NULL,
    approved INTEGER NOT NULL, class_code TEXT NOT NULL DEFAULT '', monthly_amount_fen INTEGER NOT NULL DEFAULT 0,
    persons_covered INTEGER NOT NULL DEFAULT 0, member_id TEXT NOT NULL DEFAULT '', start_month TEXT,
    decided_on TEXT, case_by_case_reason TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX county_decisions_enrolment ON county_decisions(enrolment_id);

CREATE TABLE county_tasks ({_SYNC}
    household_id TEXT NOT NULL, township_code TEXT NOT NULL, text TEXT NOT NULL,
    due_on TEXT, sent_on TEXT, withdrawn INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX county_tasks_township ON county_tasks(township_code, due_on);

CREATE TABLE task_replies ({_SYNC}
    task_id TEXT NOT NULL, household_id TEXT NOT NULL, done_on TEXT, note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_replies_task ON task_replies(task_id);
"""
