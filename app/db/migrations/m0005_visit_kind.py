"""Visits get a kind column and a note per not-assured item.

Before this, an ad-hoc visit (临时救助入户, 回访) carried its kind as a 〔kind〕 prefix of its
notes; the prefix moves into the column here, and the whitespace after it goes too (as the
old ``plain_notes`` dropped it). A bracketed prefix that is not a known kind is the clerk's own
text and stays in the notes. Adding columns changes every visit's content hash,
so the table is listed for a new content baseline (app/db/store.py, docs/integrity.md).
"""

SQL = """
ALTER TABLE visits ADD COLUMN kind TEXT NOT NULL DEFAULT '常规核查';
ALTER TABLE visits ADD COLUMN item_notes TEXT NOT NULL DEFAULT '{}';

UPDATE visits
SET kind = substr(notes, 2, instr(notes, '〕') - 2),
    notes = ltrim(substr(notes, instr(notes, '〕') + 1), ' ' || char(9) || char(10) || char(13) || '　')
WHERE substr(notes, 1, 1) = '〔'
  AND substr(notes, 2, instr(notes, '〕') - 2) IN ('临时救助入户', '回访');

CREATE INDEX visits_kind ON visits(kind, visit_date);

INSERT INTO meta(key, value) VALUES ('content_baseline', 'pending')
ON CONFLICT(key) DO UPDATE SET value = 'pending';
INSERT INTO meta(key, value) VALUES ('content_rebaseline', 'visits')
ON CONFLICT(key) DO UPDATE SET value = value || ',visits';
"""
