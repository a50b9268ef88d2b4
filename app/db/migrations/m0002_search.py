"""Search as you type on a narrow table (DESIGN.md §8: p95 ≤ 30 ms on county-L).

``member_search`` gains copies of each member's name and ID number, so a search reads
one small table (that stays in the page cache) instead of the wide ``members`` rows, and
gets the household id without a second lookup. Triggers keep the copies right whoever
writes: a row added to ``member_search`` (by the household service or a bulk load) takes
the member's current name and number, and a changed member updates its row. Existing
writers need no change. Pinyin gets an index for prefix search, and the register's
default orders get covering indexes so listing 40,000 households reads no table rows.
"""

SQL = """
ALTER TABLE member_search ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE member_search ADD COLUMN id_number TEXT NOT NULL DEFAULT '';

UPDATE member_search SET
    name = coalesce((SELECT m.name FROM members m WHERE m.id = member_search.member_id), ''),
    id_number = coalesce((SELECT m.id_number FROM members m WHERE m.id = member_search.member_id), '');

CREATE INDEX member_search_pinyin ON member_search(pinyin);
-- covering indexes: a substring search scans these (small, cached) instead of the table
CREATE INDEX member_search_name_hh ON member_search(name, household_id);
CREATE INDEX member_search_idno_hh ON member_search(id_number, household_id);
CREATE INDEX member_search_household ON member_search(household_id);

CREATE TRIGGER member_search_fill AFTER INSERT ON member_search
BEGIN
    UPDATE member_search SET
        name = coalesce((SELECT m.name FROM members m WHERE m.id = new.member_id), ''),
        id_number = coalesce((SELECT m.id_number FROM members m WHERE m.id = new.member_id), '')
    WHERE member_id = new.member_id;
END;

CREATE TRIGGER member_search_follow AFTER UPDATE OF name, id_number ON members
BEGIN
    UPDATE member_search SET name = new.name, id_number = new.id_number WHERE member_id = new.id;
END;

CREATE INDEX households_list_village ON households(deleted, archived, village_code, head_name, id);
CREATE INDEX households_list_head ON households(deleted, archived, head_name, village_code, id);
"""
