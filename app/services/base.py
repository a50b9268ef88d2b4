"""What every service is: a view of one session, nothing more.

A service holds only its session. The connection and the store are looked up through the session
at each use, so a service can never be handed another thread's connection or have its ``db``
swapped from outside: the session refuses to give its connection to a thread that is not its own
(see ``Session.db``). Background ops hand their work the session of the thread they run on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..db.database import Database
    from ..db.store import Store
    from .session import Session


class Service:
    def __init__(self, session: Session) -> None:
        self.s = session

    @property
    def db(self) -> Database:
        return self.s.db

    @property
    def store(self) -> Store:
        return self.s.store
