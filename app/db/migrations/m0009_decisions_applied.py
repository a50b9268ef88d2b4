"""Which county decisions this township has applied, so that none is applied twice (an undo of the
resulting step, or a decision seen again in a later package, must not re-apply it)."""

SQL = """
CREATE TABLE decisions_applied (
    decision_id TEXT PRIMARY KEY, enrolment_id TEXT NOT NULL, applied_at TEXT NOT NULL
);
"""
