"""What ``doudi check`` recomputes from the database itself: row content and schema.

The audit chain proves the log was not edited; it says nothing about the rows. So each
change-log entry carries the SHA-256 of its row's content as stored, and the audit entry
that made the change carries that hash (or, for a batch, a digest of the batch's entries),
so changing a row, or forging a change-log entry, means rewriting the audit chain too. The
schema is compared with what the migrations make on an empty database, so a dropped
append-only trigger is seen even after it was put back in another form.
See docs/integrity.md for what this can and cannot prove.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..domain.entities import SYNCABLE_TYPES, Syncable
from .database import Database
from .migrations.m0013_integer_keys import ENTITY_CODES, HASH_TEXT
from .repository import _columns, to_row

# The audit detail keys that tie change-log entries to the audit chain.
CHANGE_SEQ = "change_seq"
CONTENT_HASH = "content_hash"
CONTENT_BATCH = "content_batch"

# Triggers that make the two logs append-only (m0001, m0004).
APPEND_ONLY_TRIGGERS = {
    "change_log_no_update": 1,
    "audit_log_no_update": 1,
    "audit_log_no_delete": 1,
    "change_log_no_delete": 4,
}

# Problems of one kind listed one by one up to this many; the rest are counted.
LIST_AT_MOST = 50


def _stored(value: Any) -> Any:
    """A value as SQLite hands it back: booleans are integers, whole floats in INTEGER columns too."""
    if value is True or value is False:
        return int(value)
    return value


def names_of(cls: type[Syncable]) -> tuple[str, ...]:
    return tuple(name for name, _kind in _columns(cls))


def hash_values(names: Sequence[str], values: Iterable[Any]) -> str:
    """SHA-256 of a row as canonical JSON: one object, keys sorted, no spaces, UTF-8."""
    body = json.dumps(
        {n: _stored(v) for n, v in zip(names, values, strict=True)},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def content_hash(obj: Syncable) -> str:
    """The hash of ``obj`` as the store writes it (the same value check recomputes from the row)."""
    return hash_values(names_of(type(obj)), to_row(obj))


def entry_line(seq: int, change: Sequence[Any]) -> bytes:
    """One change-log entry (entity, row id, updated_at, op, content hash) as it enters a batch digest."""
    entity, row_id, updated_at, op, digest = change
    return f"{seq}\t{entity}\t{row_id}\t{updated_at}\t{op}\t{digest or ''}\n".encode()


def batch_digest(db: Database, first: int, last: int) -> str:
    h = hashlib.sha256()
    sql = "SELECT seq, entity, row_id, updated_at, op, content_hash FROM change_log WHERE seq BETWEEN ? AND ?"
    for row in db.execute(sql + " ORDER BY seq", (first, last)):
        h.update(entry_line(row[0], row[1:]))
    return h.hexdigest()


# --- content -------------------------------------------------------------------


@dataclass
class ContentProblem:
    table: str
    row_id: str
    kind: str  # altered | hard_deleted | no_hash | not_audited | log_gap
    message: str
    columns: dict[str, list[Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row_id,
            "kind": self.kind,
            "columns": sorted(self.columns),
            "message": self.message,
        }


@dataclass
class _Latest:
    seq: int
    updated_at: str
    op: str
    digest: str | None


def content_problems(db: Database) -> list[ContentProblem]:
    """Every live row and tombstone against its latest change-log entry, and the change log against the audit log."""
    if not _has_column(db, "change_log", "content_hash"):
        return []
    # The log names rows by rid (m0013): read from the base table, no UUID looked up per entry.
    latest: dict[tuple[str, int], _Latest] = {}
    tables_by_code = {code: table for table, code in ENTITY_CODES.items()}
    for seq, code, row_rid, updated_at, op, digest in db.execute(
        f"SELECT seq, entity_code, row_rid, updated_at, op, {HASH_TEXT.format('content_hash')} FROM change_log_rows "
        "ORDER BY seq"
    ):
        latest[(tables_by_code.get(code, ""), row_rid)] = _Latest(seq, updated_at, op, digest)
    boundary = hash_boundary(db)
    problems: list[ContentProblem] = []
    for cls in SYNCABLE_TYPES:
        names = names_of(cls)
        for stored in db.execute(f"SELECT {', '.join(names)}, rid FROM {cls.TABLE}"):
            row, row_id = stored[:-1], stored[0]
            entry = latest.pop((cls.TABLE, stored[-1]), None)
            if entry is None:
                continue  # no entry at all: unlogged_changes reports it
            if entry.digest is None:
                if entry.seq >= boundary:
                    problems.append(
                        ContentProblem(
                            cls.TABLE,
                            row_id,
                            "no_hash",
                            f"表 {cls.TABLE} 的行 {row_id} 的最后一条变更记录没有内容哈希（不是本程序写的）。",
                        )
                    )
                continue
            if hash_values(names, row) != entry.digest:
                columns = _differing_columns(db, cls, row, entry)
                what = f"（{'、'.join(sorted(columns))} 不同）" if columns else ""
                problems.append(
                    ContentProblem(
                        cls.TABLE,
                        row_id,
                        "altered",
                        f"表 {cls.TABLE} 的行 {row_id} 的内容与最后记录的版本不同{what}：有人绕过程序改过它。",
                        columns,
                    )
                )
    tables = {cls.TABLE for cls in SYNCABLE_TYPES}
    for (entity, row_rid), entry in latest.items():
        if entity in tables:
            row = _deleted_row_id(db, entity, row_rid, entry.seq)
            problems.append(
                ContentProblem(
                    entity,
                    row,
                    "hard_deleted",
                    f"表 {entity} 的行 {row} 在变更日志中存在（第 {entry.seq} 条），但已从数据库中删除（硬删除）。",
                )
            )
    problems += _coverage_problems(db, boundary)
    return problems


def _deleted_row_id(db: Database, entity: str, row_rid: int, seq: int) -> str:
    """A vanished row's UUID went with it (the log names it by rid): the audit entry that made its last
    change names it when it was saved alone; a row written in a batch is left with its row number."""
    found = db.scalar(
        "SELECT row_id FROM audit_log WHERE entity = ? AND json_valid(detail) "
        "AND json_extract(detail, '$.' || ?) = ? ORDER BY seq DESC LIMIT 1",
        (entity, CHANGE_SEQ, seq),
    )
    return str(found) if found else f"#{row_rid}"


def hash_boundary(db: Database) -> int:
    """The first change-log entry that must carry a content hash: the start of the baseline batch
    of an office upgraded from before content hashes, else the first entry of all."""
    for (detail,) in db.execute(
        "SELECT detail FROM audit_log WHERE action = ? ORDER BY seq LIMIT 1", (BASELINE_ACTION,)
    ):
        batch = json.loads(detail).get(CONTENT_BATCH) or {}
        first = batch.get("first")
        if isinstance(first, int):
            return first
    return 1


BASELINE_ACTION = "记录内容基线"


def _coverage_problems(db: Database, boundary: int) -> list[ContentProblem]:
    """Each change-log entry from the boundary on must be vouched for by an audit entry."""
    single: dict[int, tuple[str, str]] = {}  # change seq -> (content hash, row id) its audit entry names
    batches: list[tuple[int, int, str, int]] = []
    for audit_seq, audited_row, detail in db.execute(
        "SELECT seq, row_id, detail FROM audit_log WHERE instr(detail, ?) > 0 OR instr(detail, ?) > 0",
        (f'"{CHANGE_SEQ}"', f'"{CONTENT_BATCH}"'),
    ):
        d = json.loads(detail)
        if isinstance(d.get(CHANGE_SEQ), int):
            single[d[CHANGE_SEQ]] = (str(d.get(CONTENT_HASH, "")), str(audited_row))
        b = d.get(CONTENT_BATCH)
        if isinstance(b, dict) and isinstance(b.get("first"), int) and isinstance(b.get("last"), int):
            batches.append((b["first"], b["last"], str(b.get("digest", "")), audit_seq))
    covered_by_batch: list[tuple[int, int]] = []
    problems: list[ContentProblem] = []
    for first, last, digest, audit_seq in batches:
        covered_by_batch.append((first, last))
        if batch_digest(db, first, last) != digest:
            # The log names its rows by number (m0013): an entry whose row was deleted no longer reads
            # its UUID, so the digest cannot match although no entry was changed.
            vanished = db.scalar(
                "SELECT count(*) FROM change_log WHERE seq BETWEEN ? AND ? AND row_id = ''", (first, last)
            )
            why = f"其中 {vanished} 条所记的行已被硬删除（见上）" if vanished else "变更日志被改过"
            problems.append(
                ContentProblem(
                    "change_log",
                    f"{first}–{last}",
                    "not_audited",
                    f"变更日志第 {first}–{last} 条与审计记录 {audit_seq} 中的摘要不符（{why}）。",
                )
            )
    covered_by_batch.sort()
    uncovered: list[tuple[int, str, str]] = []
    for seq, entity, row_id, digest in db.execute(
        "SELECT seq, entity, row_id, content_hash FROM change_log WHERE seq >= ? ORDER BY seq", (boundary,)
    ):
        if seq in single:
            audited_hash, audited_row = single[seq]
            if row_id and row_id != audited_row:
                # The log names its row by number (m0013): a number given again after a deletion
                # would pass the deleted row's history, and its deletion, to another row.
                problems.append(
                    ContentProblem(
                        entity,
                        audited_row,
                        "hard_deleted",
                        f"变更日志第 {seq} 条记的是表 {entity} 的行 {audited_row}，如今却指向行 {row_id}："
                        f"行 {audited_row} 已从数据库中删除（硬删除），其编号又被用了。",
                    )
                )
            elif audited_hash != (digest or ""):
                problems.append(
                    ContentProblem(
                        entity,
                        row_id,
                        "not_audited",
                        f"变更日志第 {seq} 条（表 {entity} 的行 {row_id}）与审计记录中的内容哈希不符。",
                    )
                )
            continue
        if not any(a <= seq <= b for a, b in covered_by_batch):
            uncovered.append((seq, entity, row_id))
    for seq, entity, row_id in uncovered:
        problems.append(
            ContentProblem(
                entity,
                row_id,
                "not_audited",
                f"变更日志第 {seq} 条（表 {entity} 的行 {row_id}）没有对应的审计记录（绕过程序添加，或审计记录被删）。",
            )
        )
    problems += _gap_problems(db)
    return problems


def _gap_problems(db: Database) -> list[ContentProblem]:
    """Change-log entries removed from the middle or the end (the numbers are never reused)."""
    problems = []
    expected = 1
    for (seq,) in db.execute("SELECT seq FROM change_log ORDER BY seq"):
        if seq != expected:
            problems.append(
                ContentProblem(
                    "change_log", f"{expected}–{seq - 1}", "log_gap", f"变更日志第 {expected}–{seq - 1} 条缺失。"
                )
            )
        expected = seq + 1
    highest = db.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'change_log_rows'") or 0
    if highest >= expected:
        problems.append(
            ContentProblem(
                "change_log",
                f"{expected}–{highest}",
                "log_gap",
                f"变更日志第 {expected}–{highest} 条缺失（末尾被删除）。",
            )
        )
    return problems


def _differing_columns(db: Database, cls: type[Syncable], row: Sequence[Any], entry: _Latest) -> dict[str, list[Any]]:
    """Which columns differ from the last recorded version, when the audit log can rebuild that version.

    The version is rebuilt from the row's audit entries (the full row when created, the changed
    columns after that) and trusted only if it hashes to the recorded hash; a row last written
    in a batch has no per-row copy, and then only the hash says that it differs.
    """
    names = names_of(cls)
    kinds = dict(_columns(cls))
    state: dict[str, Any] = {}
    username = ""
    for user, detail in db.execute(
        "SELECT username, detail FROM audit_log WHERE entity = ? AND row_id = ? ORDER BY seq", (cls.TABLE, row[0])
    ):
        d = json.loads(detail)
        if isinstance(d.get("after"), dict):
            state = dict(d["after"])
        elif isinstance(d.get("changed"), dict):
            for k, pair in d["changed"].items():
                if isinstance(pair, list) and pair:
                    state[k] = pair[-1]  # [before, after]
        if d.get(CHANGE_SEQ) == entry.seq:
            username = user
    state.update(id=row[0], updated_at=entry.updated_at, updated_by=username)
    try:
        recorded = [_as_stored(kinds[n], state[n]) for n in names]
    except KeyError:
        return {}
    if hash_values(names, recorded) != entry.digest:
        return {}
    now = [_stored(v) for v in row]
    return {n: [a, b] for n, a, b in zip(names, recorded, now, strict=True) if _stored(a) != b}


def _as_stored(kind: str, value: Any) -> Any:
    if kind == "list":
        return json.dumps(list(value), ensure_ascii=False)
    return _stored(value)


def _has_column(db: Database, table: str, column: str) -> bool:
    return any(r[1] == column for r in db.query(f"PRAGMA table_info({table})"))


# --- schema --------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def _normalise(sql: str | None) -> str:
    return _SPACE.sub(" ", sql or "").strip()


def _schema_of(rows: Iterable[tuple[Any, ...]]) -> dict[str, tuple[str, str, str]]:
    return {
        name: (kind, table, _normalise(sql))
        for kind, name, table, sql in rows
        if not str(name).startswith("sqlite_stat")
    }


def expected_schema(version: int) -> dict[str, tuple[str, str, str]]:
    """What migrations 1…version make on an empty database (built in memory, unencrypted: no data)."""
    import sqlcipher3

    from .migrations import MIGRATIONS
    from .schema import statements_of

    conn = sqlcipher3.connect(":memory:", isolation_level=None)
    try:
        for number, step in MIGRATIONS:
            if number > version:
                break
            for statement in list(statements_of(step, lambda sql: conn.execute(sql).fetchall())):
                conn.execute(statement)
        return _schema_of(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def unreadable_tables(db: Database) -> list[str]:
    """The register tables (and the change log) whose view or base table is gone (m0013): the content
    pass reads both and would stop at the first; :func:`schema_problems` names each missing object."""
    present = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    names = [cls.TABLE for cls in SYNCABLE_TYPES] + ["change_log"]
    return [n for n in names if n not in present or f"{n}_rows" not in present]


_KIND_NAMES = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}


def schema_problems(db: Database) -> list[str]:
    """The append-only triggers, then every table, index and trigger, against what the migrations made."""
    version = int(db.scalar("PRAGMA user_version"))
    actual = _schema_of(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    expected = expected_schema(version)
    problems = []
    for name, since in APPEND_ONLY_TRIGGERS.items():
        if version >= since and (name not in actual or actual[name] != expected.get(name)):
            log = name.split("_no_")[0]
            state = "不见了" if name not in actual else "被改过"
            problems.append(f"{log} 的只追加保护（触发器 {name}）{state}：有人直接改过数据库结构，日志可能被改写。")
    for name in sorted(set(expected) | set(actual)):
        if name in APPEND_ONLY_TRIGGERS:
            continue
        want, have = expected.get(name), actual.get(name)
        if want == have:
            continue
        kind = _KIND_NAMES.get((want or have or ("",))[0], "对象")
        if have is None:
            problems.append(f"数据库结构中缺少{kind} {name}（迁移 {version} 之后应有）。")
        elif want is None:
            problems.append(f"数据库结构中多出了{kind} {name}，不是本程序的迁移建的。")
        else:
            problems.append(f"{kind} {name} 的定义与本程序的迁移不同。")
    return problems
