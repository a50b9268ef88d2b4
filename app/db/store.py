"""The one way rows are written: stamped, saved, change-logged and audited together.

Services open ``store.transaction()`` and call :meth:`Store.save`; the row, its
change-log entry and its audit entry land in the same SQLite transaction, so
nothing can change without being audited and synced (docs/architecture.md §1).

The audit log is a hash chain: each entry's hash covers the previous hash and
the entry's own canonical JSON, so ``doudi check`` finds any edited or removed
entry. Each change-log entry records the SHA-256 of the row as written, and the audit
entry that made the change carries it (one row) or a digest of the batch's entries
(:meth:`Store.bulk_save`), so a row changed around the program no longer matches, and a
forged change-log entry has no audit entry behind it (app/db/integrity.py, docs/integrity.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from operator import itemgetter
from typing import Any, TypeVar

from ..domain.divisions import is_county_code
from ..domain.entities import Syncable
from ..domain.ids import HybridLogicalClock, uuid7
from ..domain.ownership import PARENTS, TOWNSHIP_TABLES, table_name
from ..errors import PermissionDenied
from .database import Database
from .integrity import (
    BASELINE_ACTION,
    CHANGE_SEQ,
    CONTENT_BATCH,
    CONTENT_HASH,
    content_hash,
    entry_line,
    hash_values,
    names_of,
)
from .migrations.m0013_integer_keys import ENTITY_CODES
from .repository import Repository, to_dict, to_row

T = TypeVar("T", bound=Syncable)

GENESIS = "0" * 64
CHINA = timezone(timedelta(hours=8))


def now_text() -> str:
    return datetime.now(CHINA).isoformat(timespec="seconds")


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(prev_hash: str, *, at: str, username: str, action: str, entity: str, row_id: str, detail: str) -> str:
    body = _canonical({"at": at, "user": username, "action": action, "entity": entity, "row": row_id, "detail": detail})
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@dataclass
class AuditEntry:
    seq: int
    at: str
    username: str
    action: str
    entity: str
    row_id: str
    detail: dict[str, Any]


class _Batch:
    """Change-log entries written by bulk_save and not yet vouched for by an audit entry."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.first = 0
        self.last = 0
        self.rows = 0
        self.digest = hashlib.sha256()

    def add(self, first_seq: int, lines: list[bytes]) -> None:
        if not self.rows:
            self.first = first_seq
        for line in lines:
            self.digest.update(line)
        self.rows += len(lines)
        self.last = first_seq + len(lines) - 1

    def detail(self) -> dict[str, Any]:
        return {"first": self.first, "last": self.last, "rows": self.rows, "digest": self.digest.hexdigest()}


class Store:
    def __init__(self, db: Database, office_code: str, clock: HybridLogicalClock | None = None) -> None:
        self.db = db
        self.office_code = office_code
        marks = (
            dict(db.query("SELECT key, value FROM meta WHERE key IN ('hlc', 'content_baseline', 'replica')"))
            if _has_meta(db)
            else {}
        )
        if clock is None:
            clock = HybridLogicalClock(node_name(office_code, marks.get("replica", "")), marks.get("hlc"))
        self.clock = clock
        self._repos: dict[type[Syncable], Repository[Any]] = {}
        self._touched: set[str] = set()
        self._batch: _Batch | None = None
        if marks.get("content_baseline") == "pending":
            self._record_baseline()

    @property
    def node(self) -> str:
        """This database's name in the clock's stamps: the office code, and a replica's own suffix."""
        return self.clock.node

    def take_touched(self) -> frozenset[str]:
        """The tables written through this store since the last call (a write op reports them,
        so that the pages showing those tables refresh)."""
        touched, self._touched = frozenset(self._touched), set()
        return touched

    def repo(self, cls: type[T]) -> Repository[T]:
        if cls not in self._repos:
            self._repos[cls] = Repository(self.db, cls)
        return self._repos[cls]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        outer = not self.db.in_transaction
        with self.db.transaction():
            try:
                yield self
                if outer and self._batch is not None:
                    # A batch no audit entry took up: vouch for it here, before the commit.
                    self.audit(self._batch.username, "批量写入", "", "", {})
            except BaseException:
                if outer:
                    self._batch = None  # rolled back: those entries never existed
                raise

    def _tick(self) -> str:
        stamp = self.clock.tick()
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (stamp,),
        )
        return stamp

    # --- writing ---------------------------------------------------------------

    def save(self, obj: Syncable, username: str, action: str, *, before: Syncable | None = None) -> Syncable:
        """Insert or update ``obj``; must be called inside :meth:`transaction`."""
        assert self.db.in_transaction, "Store.save outside a transaction"
        obj.validate()
        created = not obj.id
        if created:
            obj.id = uuid7()
        if not obj.owner_office:
            obj.owner_office = self.office_code
        elif obj.owner_office != self.office_code:
            # Only the owner writes a row (docs/exchange.md): another office's rows came in a package
            # and are read-only here, whichever service or screen tries.
            raise PermissionDenied(f"这条记录属于{self.office_name(obj.owner_office)}，本单位只能查看，不能修改。")
        self._refuse_under_another_owner(obj)
        obj.updated_at = self._tick()
        obj.updated_by = username
        self.repo(type(obj)).upsert(obj)
        op = "delete" if obj.deleted else ("insert" if created else "update")
        digest = content_hash(obj)
        seq = self.db.execute(_log_entry(obj.TABLE), (obj.TABLE, obj.id, obj.updated_at, op, digest)).lastrowid
        detail = _diff(before, obj)
        detail[CHANGE_SEQ], detail[CONTENT_HASH] = seq, digest
        self.audit(username, action, obj.TABLE, obj.id, detail)
        return obj

    def bulk_save(self, objs: Iterable[Syncable], username: str, *, validate: bool = True) -> int:
        """Insert or update many rows at once (demo data, rosters, rule runs).

        Each row still gets its change-log entry with its content hash; the caller writes one
        audit entry that summarises the batch, so the audit log stays readable, and that entry
        (the next :meth:`audit` call, or one made at the end of :meth:`transaction`) carries
        a digest of the batch's change-log entries.
        """
        assert self.db.in_transaction, "Store.bulk_save outside a transaction"
        # Each row is turned into its column values once, for both its hash and its upsert.
        by_type: dict[type[Syncable], list[tuple[Any, ...]]] = {}
        changes = []
        for obj in objs:
            if validate:
                obj.validate()
            op = "update" if obj.id else "insert"
            if not obj.id:
                obj.id = uuid7()
            if obj.deleted:
                op = "delete"
            if not obj.owner_office:
                obj.owner_office = self.office_code
            elif obj.owner_office != self.office_code:
                raise PermissionDenied(f"这条记录属于{self.office_name(obj.owner_office)}，本单位只能查看，不能修改。")
            obj.updated_at = self.clock.tick()
            obj.updated_by = username
            values = to_row(obj)
            by_type.setdefault(type(obj), []).append(values)
            changes.append((obj.TABLE, obj.id, obj.updated_at, op, hash_values(names_of(type(obj)), values)))
            self._touched.add(obj.TABLE)
        if self._holds_others:
            self._refuse_batch_under_others(by_type)
        for cls, rows in by_type.items():
            self.repo(cls).upsert_rows(rows)
        self._log_batch(changes, username)
        if changes:
            self.db.execute(
                "INSERT INTO meta(key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (changes[-1][2],),
            )
        return len(changes)

    def save_remote(self, objs: Iterable[Syncable], username: str) -> int:
        """Write rows as another office sent them (sync import): their ``updated_at``, ``updated_by``
        and ``owner_office`` are kept, so that every office holds the very same version.

        Each row gets a change-log entry with op ``remote`` and its content hash; as with
        :meth:`bulk_save`, the caller's next audit entry vouches for the batch. The clock observes
        the incoming stamps, so this office's next own stamp is later than anything it has seen.
        """
        assert self.db.in_transaction, "Store.save_remote outside a transaction"
        by_type: dict[type[Syncable], list[tuple[Any, ...]]] = {}
        changes = []
        newest = ""
        for obj in objs:
            row = to_row(obj)  # once, for the hash and the write alike
            by_type.setdefault(type(obj), []).append(row)
            changes.append((obj.TABLE, obj.id, obj.updated_at, "remote", hash_values(names_of(type(obj)), row)))
            newest = max(newest, obj.updated_at)
            self._touched.add(obj.TABLE)
        for cls, rows in by_type.items():
            # The rows are already in column order: the repository's own upsert statement takes them as they are.
            self.repo(cls).upsert_rows(rows)
        self._log_batch(changes, username)
        if newest:
            self.observe(newest)
        return len(changes)

    def observe(self, stamp: str) -> None:
        """Merge a clock reading from another office into this one's clock (kept in meta)."""
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (self.clock.observe(stamp),),
        )

    def _log_batch(self, changes: list[tuple[str, str, str, str, str]], username: str) -> None:
        if not changes:
            return
        # In the order given (the batch digest numbers them so), one statement per run of one table.
        for entity, run in itertools.groupby(changes, key=itemgetter(0)):
            self.db.executemany(_log_entry(entity), run)
        # One writer, inside one transaction: the entries just written are the last len(changes) numbers.
        last = int(self.db.scalar(LAST_ENTRY))
        first = last - len(changes) + 1
        if self._batch is not None and self._batch.last + 1 != first:
            # Something else wrote in between: vouch for the batch so far before starting another.
            self.audit(self._batch.username, "批量写入", "", "", {})
        if self._batch is None:
            self._batch = _Batch(username)
        self._batch.add(first, [entry_line(first + i, c) for i, c in enumerate(changes)])

    def _record_baseline(self) -> None:
        """Hash every row whose latest change-log entry predates content hashes (an office upgraded
        to m0004), as a batch of ``baseline`` entries that one audit entry vouches for.

        A migration that adds a column to a register table changes the hash of every row of that
        table: it lists the table in the ``content_rebaseline`` mark (comma-separated), and every
        row of it is owed a new baseline too.
        """
        from ..domain.entities import SYNCABLE_TYPES
        from .integrity import hash_values, names_of

        with self.transaction():
            if self.db.scalar("SELECT value FROM meta WHERE key = 'content_baseline'") != "pending":
                return  # another connection got there first
            owed = {
                (e, r)
                for e, r, h in self.db.execute(
                    "SELECT c.entity, c.row_id, c.content_hash FROM change_log c "
                    "JOIN (SELECT max(seq) AS m FROM change_log GROUP BY entity, row_id) l ON c.seq = l.m"
                )
                if h is None
            }
            rebased = set((self.db.scalar("SELECT value FROM meta WHERE key = 'content_rebaseline'") or "").split(","))
            changes: list[tuple[str, str, str, str, str]] = []
            for cls in SYNCABLE_TYPES:
                names = names_of(cls)
                rows = self.db.execute(f"SELECT {', '.join(names)} FROM {cls.TABLE}")
                changes.extend(
                    (cls.TABLE, row[0], row[2], "baseline", hash_values(names, row))
                    for row in rows
                    if cls.TABLE in rebased or (cls.TABLE, row[0]) in owed
                )
            self._log_batch(changes, "")
            if changes:
                self.audit("", BASELINE_ACTION, "", "", {"rows": len(changes)})
            self.db.execute("UPDATE meta SET value = 'done' WHERE key = 'content_baseline'")
            self.db.execute("DELETE FROM meta WHERE key = 'content_rebaseline'")

    @property
    def _holds_others(self) -> bool:
        """Whether this office holds other offices' registers (the county does; a township holds only
        its own and the county's decisions): only then can a batch land under another's household."""
        return is_county_code(self.office_code)

    def _refuse_batch_under_others(self, by_type: dict[type[Syncable], list[tuple[Any, ...]]]) -> None:
        """:meth:`_refuse_under_another_owner` for a batch: one read of the other offices' parents."""
        foreign: dict[str, dict[str, str]] = {}
        for cls, rows in by_type.items():
            link = PARENTS.get(cls.TABLE)
            if link is None or cls.TABLE not in TOWNSHIP_TABLES or link[1] not in ("households", "enrolments"):
                continue
            field, parent_table = link
            if parent_table not in foreign:
                foreign[parent_table] = dict(
                    self.db.query(
                        f"SELECT id, owner_office FROM {parent_table} WHERE owner_office != ?", (self.office_code,)
                    )
                )
            others = foreign[parent_table]
            if not others:
                continue
            at = names_of(cls).index(field)
            for row in rows:
                owner = others.get(row[at])
                if owner:
                    raise PermissionDenied(
                        f"这一户属于{self.office_name(owner)}，本单位只能查看，不能为它登记{table_name(cls.TABLE)}。"
                    )

    def _refuse_under_another_owner(self, obj: Syncable) -> None:
        """A row hangs off its household (or application); nothing may be added under another
        office's household: its visits, members and papers are that office's to record."""
        link = PARENTS.get(obj.TABLE)
        # The county's decisions and tasks are about a township's rows by design; a reply to a task
        # hangs off the county's task. Only the register's own rows follow their household's owner.
        if link is None or obj.TABLE not in TOWNSHIP_TABLES or link[1] not in ("households", "enrolments"):
            return
        field, parent_table = link
        owner = self.db.scalar(f"SELECT owner_office FROM {parent_table} WHERE id = ?", (getattr(obj, field, ""),))
        if owner and owner != self.office_code:
            raise PermissionDenied(
                f"这一户属于{self.office_name(str(owner))}，本单位只能查看，不能为它登记{table_name(obj.TABLE)}。"
            )

    def office_name(self, code: str) -> str:
        """An office's name from the division table (its code when the table does not know it)."""
        return str(self.db.scalar("SELECT name FROM divisions WHERE code = ?", (code,)) or code)

    def bulk_insert(self, objs: Iterable[Syncable], username: str) -> int:
        """New rows from a trusted generator or import (already validated)."""
        return self.bulk_save(objs, username, validate=False)

    def audit(
        self, username: str, action: str, entity: str = "", row_id: str = "", detail: dict[str, Any] | None = None
    ) -> None:
        assert self.db.in_transaction, "Store.audit outside a transaction"
        self._touched.add(entity or "audit_log")
        prev = self.db.scalar("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1") or GENESIS
        at = now_text()
        if self._batch is not None:
            detail = {**(detail or {}), CONTENT_BATCH: self._batch.detail()}
            self._batch = None
        detail_text = _canonical(detail or {})
        digest = entry_hash(
            prev, at=at, username=username, action=action, entity=entity, row_id=row_id, detail=detail_text
        )
        self.db.execute(
            "INSERT INTO audit_log(at, username, action, entity, row_id, detail, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (at, username, action, entity, row_id, detail_text, prev, digest),
        )

    # --- reading the logs ------------------------------------------------------

    def history(self, row_ids: list[str]) -> list[AuditEntry]:
        if not row_ids:
            return []
        marks = ",".join("?" for _ in row_ids)
        rows = self.db.query(
            f"SELECT seq, at, username, action, entity, row_id, detail FROM audit_log "
            f"WHERE row_id IN ({marks}) ORDER BY seq",
            tuple(row_ids),
        )
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]

    def verify_audit_chain(self) -> list[str]:
        """Problems found in the audit chain (empty when intact)."""
        problems = []
        prev = GENESIS
        expected_seq = None
        for seq, at, user, action, entity, row_id, detail, prev_hash, digest in self.db.execute(
            "SELECT seq, at, username, action, entity, row_id, detail, prev_hash, hash FROM audit_log ORDER BY seq"
        ):
            if expected_seq is not None and seq != expected_seq:
                problems.append(f"审计记录 {expected_seq}–{seq - 1} 缺失。")
            expected_seq = seq + 1
            if prev_hash != prev:
                problems.append(f"审计记录 {seq} 与前一条接不上（链条断开）。")
            expected = entry_hash(
                prev_hash, at=at, username=user, action=action, entity=entity, row_id=row_id, detail=detail
            )
            if expected != digest:
                problems.append(f"审计记录 {seq} 的内容被改动过（哈希不符）。")
            prev = digest
        # AUTOINCREMENT remembers the highest number ever used: entries cut off the end show here.
        highest = self.db.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'") or 0
        last = (expected_seq or 1) - 1
        if highest > last:
            problems.append(f"审计记录 {last + 1}–{highest} 缺失（末尾被删除）。")
        return problems


def node_name(office_code: str, replica: str = "") -> str:
    """The clock node of a database: its office code, with a replica's suffix when it is a second PC."""
    return f"{office_code}-{replica}" if replica else office_code


def unlogged_changes(db: Database) -> dict[str, int]:
    """Rows whose current version has no change-log entry: written around the services, so sync would miss them."""
    from ..domain.entities import SYNCABLE_TYPES

    out = {}
    for cls in SYNCABLE_TYPES:
        n = db.scalar(
            f"SELECT count(*) FROM {cls.TABLE}_rows t WHERE NOT EXISTS (SELECT 1 FROM change_log_rows c "
            "WHERE c.entity_code = ? AND c.row_rid = t.rid AND c.updated_at = t.updated_at AND c.op != 'baseline')",
            (ENTITY_CODES[cls.TABLE],),
        )
        if n:
            out[cls.TABLE] = n
    return out


LAST_ENTRY = "SELECT max(seq) FROM change_log_rows"


def _log_entry(table: str) -> str:
    """The change-log insert for a row of *table*, straight into the base table (through the
    ``change_log`` view, ``lastrowid`` would not be the entry's number): the row named by its rid,
    its table by number, the hash kept as bytes. It binds an entry as the batch digest reads it,
    (table, row id, stamp, op, hash); the table's name (?1) is in the statement already."""
    return (
        "INSERT INTO change_log_rows(entity_code, row_rid, updated_at, op, content_hash) "
        f"VALUES ({ENTITY_CODES[table]}, (SELECT rid FROM {table}_rows WHERE id = ?2), ?3, ?4, unhex(?5))"
    )


def _has_meta(db: Database) -> bool:
    return bool(db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'meta'"))


_BOOKKEEPING = {"updated_at", "updated_by"}


def _diff(before: Syncable | None, after: Syncable) -> dict[str, Any]:
    new = {k: v for k, v in to_dict(after).items() if k not in _BOOKKEEPING}
    if before is None:
        return {"after": new}
    old = {k: v for k, v in to_dict(before).items() if k not in _BOOKKEEPING}
    changed = {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
    return {"changed": changed}
