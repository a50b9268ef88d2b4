"""What every service is: a view of one session, nothing more; and the one check against lost updates.

A service holds only its session. The connection and the store are looked up through the session
at each use, so a service can never be handed another thread's connection or have its ``db``
swapped from outside: the session refuses to give its connection to a thread that is not its own
(see ``Session.db``). Background ops hand their work the session of the thread they run on.

Two clerks (or two windows, or a window and a script) may open the same row. Whoever saves second
would silently overwrite the first, so every save of an existing row states the version it read:
the row's ``updated_at`` as the caller got it. :meth:`Service.current` compares it with the stored
row inside the write transaction (``BEGIN IMMEDIATE``, so nobody can write between the check and
the save) and refuses a mismatch with :class:`ChangedMeanwhile`, writing nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from ..errors import ChangedMeanwhile, NotFound

if TYPE_CHECKING:
    from ..db.database import Database
    from ..db.store import Store
    from ..domain.entities import Syncable
    from .session import Session

T = TypeVar("T", bound="Syncable")

CHANGED_MEANWHILE = "已被其他人修改，请重新打开。"


class Service:
    def __init__(self, session: Session) -> None:
        self.s = session

    @property
    def db(self) -> Database:
        return self.s.db

    @property
    def store(self) -> Store:
        return self.s.store

    def current(self, cls: type[T], row_id: str, read_version: str | None, what: str = "这条记录") -> T:
        """The stored row ``row_id``, refused if it is no longer the version the caller read.

        Call inside ``store.transaction()``. ``read_version`` is the ``updated_at`` the caller read;
        ``None`` only where the caller acts on the row as it is now (an id typed at the command
        line), and then the method's own earlier read should be passed instead. ``what`` names the
        row in the refusal ("这一户", "第 2 名成员（张三）").
        """
        assert self.db.in_transaction, "the version check must run inside the write transaction"
        row = self.store.repo(cls).get(row_id) if row_id else None
        if row is None:
            raise NotFound(f"没有找到{what}（可能已被删除）。")
        if read_version is not None and (row.deleted or row.updated_at != read_version):
            raise ChangedMeanwhile(f"{what}{CHANGED_MEANWHILE}")
        if row.deleted:
            raise NotFound(f"没有找到{what}（可能已被删除）。")
        # Two sessions have two clocks; one could hand out the very stamp this row already has, and an
        # equal stamp would hide the change from the next check. Past the stored stamp, it cannot.
        self.store.clock.observe(row.updated_at)
        return row

    def ensure_unchanged(self, obj: T, what: str = "这条记录") -> T:
        """:meth:`current` for an object the caller got from a service: its ``updated_at`` is the version read."""
        return self.current(type(obj), obj.id, obj.updated_at, what)
