"""Migration 2 (search copies on member_search) applies to a version-1 database and keeps up."""

from datetime import date

from app.db.database import Database
from app.db.migrations import MIGRATIONS, script
from app.db.schema import _statements, current_version, latest_version, migrate
from app.domain import idnumber


def test_applies_from_version_1_and_follows_changes(tmp_path):
    db = Database(tmp_path / "v1.db", b"\x05" * 32, create=True)
    with db.transaction():
        for statement in _statements(script(1)):
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")
    number = idnumber.make("640424", date(1970, 1, 1), 11)
    db.execute(
        "INSERT INTO households(id, owner_office, updated_at, updated_by, village_code, head_name, categories, "
        "poverty_causes) VALUES ('h1', 'o', 't', 'u', '640424100200', '张三', '[]', '[]')"
    )
    db.execute(
        "INSERT INTO members(id, owner_office, updated_at, updated_by, household_id, name, id_number, relation, "
        "sex, ethnicity, labour_ability, health) VALUES ('m1', 'o', 't', 'u', 'h1', '张三', ?, '本人', '男', "
        "'汉族', '有', '健康')",
        (number,),
    )
    db.execute(
        "INSERT INTO member_search(member_id, household_id, initials, pinyin) VALUES ('m1', 'h1', 'zs', 'zhangsan')"
    )

    assert migrate(db) == len(MIGRATIONS) - 1
    assert current_version(db) == latest_version()
    assert db.query("SELECT name, id_number FROM member_search") == [("张三", number)]

    db.execute("UPDATE members SET name = '张三丰' WHERE id = 'm1'")  # the trigger follows edits
    assert db.scalar("SELECT name FROM member_search WHERE member_id = 'm1'") == "张三丰"
    db.execute(
        "INSERT INTO members(id, owner_office, updated_at, updated_by, household_id, name, id_number, relation, "
        "sex, ethnicity, labour_ability, health) VALUES ('m2', 'o', 't', 'u', 'h1', '李四', '1', '配偶', '女', "
        "'汉族', '有', '健康')"
    )
    db.execute("INSERT INTO member_search(member_id, household_id, initials, pinyin) VALUES ('m2', 'h1', 'ls', 'lisi')")
    assert db.scalar("SELECT name FROM member_search WHERE member_id = 'm2'") == "李四"  # filled on insert
    db.close()
