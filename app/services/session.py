"""A :class:`Session` is an unlocked office database with its signed-in user.

The services hang off it (``session.households``, ``session.visits`` …). A session belongs to
one thread: its connection is refused to any other (``Session.db``), and a background op hands
its work the twin of the thread it runs on (``Session.for_thread``). After a re-key
(``session.keys.rekey``) each of these connections reopens itself with the new key on its own
thread, the next time a service asks for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..db import device_secret
from ..db.database import Database
from ..db.keyslots import KeySlotFile
from ..db.store import Store
from ..domain.entities import User
from ..errors import AuthFailed, InvalidInput, NotFound
from . import permissions
from .office_files import LoginThrottle, OfficePaths, load_office, password_problem

if TYPE_CHECKING:
    from .attachments import AttachmentService
    from .care import CareService
    from .comparison import ComparisonService
    from .comparison_links import ComparisonLinkService
    from .county import CountyService
    from .county_work import CountyWorkService
    from .dashboard import DashboardService
    from .enrolments import EnrolmentService
    from .exchange.hub_offices import HubOfficesService
    from .exchange.hub_sync import HubSyncService
    from .exchange.packages import PackageService
    from .exchange.trust import TrustService
    from .handovers import HandoverService
    from .households import HouseholdService
    from .income import IncomeService
    from .ledger_import import LedgerImportService
    from .monitoring import MonitoringService
    from .monthly_close import MonthlyCloseService
    from .payments import PaymentService
    from .policy_book import PolicyBookService
    from .register_queries import RegisterQueries
    from .rekey import KeyService
    from .reports import ReportService
    from .search_index import MemberSearchIndex
    from .users import UserService
    from .visits import VisitService
    from .what_if import WhatIfService


class WrongThread(RuntimeError):
    """A session's connection was asked for on a thread it does not belong to (a bug, not a user error)."""


class Session:
    """The signed-in user on one office database, for one thread.

    ``db`` and ``store`` are the services' business; the UI never touches them (a test checks).
    """

    def __init__(self, paths: OfficePaths, db: Database, key: bytes, slots: KeySlotFile, user: User):
        from .search_index import MemberSearchIndex

        self.paths = paths
        self._db = db
        self._key = key  # the key of this session's own connection; the root's is the current one
        self._key_generation = 0  # bumped on the root by a re-key
        self._db_generation = 0  # the generation this session's connection was opened at
        self._root = self
        self._slots = slots
        self._store = Store(db, slots.office_code)
        self.user = user
        self.office = load_office(db)
        self.search_index: MemberSearchIndex = MemberSearchIndex()  # built on the first search, then kept fresh
        self._services: dict[str, object] = {}
        self._threads = threading.local()
        self._twins: list[Session] = []
        self._twins_lock = threading.Lock()
        self._home_thread = threading.get_ident()

    @classmethod
    def _twin_of(cls, home: Session) -> Session:
        """*home*'s session for the calling thread: its own keyed connection, and the same user,
        office, key slots, clock and search index (those are shared, and safe to share)."""
        twin = cls.__new__(cls)
        twin.paths = home.paths
        root = home._root
        twin._key = root._key
        twin._db_generation = root._key_generation
        # A fresh connection with the current key (home's own one may still hold the old key).
        twin._db = home._db.reopen_for_thread() if home._key == root._key else Database(home.paths.db, root._key)
        twin._root = root
        twin._store = Store(twin._db, home.slots.office_code, clock=home._store.clock)
        twin.user = home.user
        twin.office = home.office
        twin.search_index = home.search_index
        twin._services = {}
        twin._threads = threading.local()
        twin._twins = []
        twin._twins_lock = threading.Lock()
        twin._home_thread = threading.get_ident()
        return twin

    @property
    def slots(self) -> KeySlotFile:
        """The key slots as last written by any thread of this session."""
        return self._root._slots

    @slots.setter
    def slots(self, value: KeySlotFile) -> None:
        self._root._slots = value

    # --- the connection: for the services, and only on the session's own thread -------

    def _check_thread(self) -> None:
        if threading.get_ident() != self._home_thread:
            raise WrongThread("this session belongs to another thread; use the session the op hands its work")
        if self._db_generation != self._root._key_generation:
            self._reopen_with_current_key()

    def _reopen_with_current_key(self) -> None:
        """After a re-key on another thread, this thread's connection still holds the old key (and
        fails on every page the re-key rewrote): close it and open one with the new key."""
        root = self._root
        clock = self._store.clock
        self._db.close()
        self._db = Database(self.paths.db, root._key)
        self._store = Store(self._db, self.slots.office_code, clock=clock)
        self._key = root._key
        self._db_generation = root._key_generation

    def _adopt_new_key(self, key: bytes) -> None:
        """Called by the re-key once the database is rewritten: every session of this office
        (this one, the root and each twin) reopens its connection with *key* at its next use."""
        root = self._root
        root._key = key
        root._key_generation += 1

    @property
    def db(self) -> Database:
        self._check_thread()
        return self._db

    @property
    def store(self) -> Store:
        self._check_thread()
        return self._store

    def take_touched(self) -> frozenset[str]:
        """The tables written on this session since the last call (for the ops that report them)."""
        return self.store.take_touched()

    # --- services, created on first use so a session stays cheap to open ------------

    def _service(self, name: str, factory: Callable[[Session], Any]) -> Any:
        if name not in self._services:
            self._services[name] = factory(self)
        return self._services[name]

    @property
    def households(self) -> HouseholdService:
        from .households import HouseholdService

        return self._service("households", HouseholdService)

    @property
    def register(self) -> RegisterQueries:
        from .register_queries import RegisterQueries

        return self._service("register", RegisterQueries)

    @property
    def visits(self) -> VisitService:
        from .visits import VisitService

        return self._service("visits", VisitService)

    @property
    def policy(self) -> PolicyBookService:
        from .policy_book import PolicyBookService

        return self._service("policy", PolicyBookService)

    @property
    def income(self) -> IncomeService:
        from .income import IncomeService

        return self._service("income", IncomeService)

    @property
    def enrolments(self) -> EnrolmentService:
        from .enrolments import EnrolmentService

        return self._service("enrolments", EnrolmentService)

    @property
    def payments(self) -> PaymentService:
        from .payments import PaymentService

        return self._service("payments", PaymentService)

    @property
    def monitoring(self) -> MonitoringService:
        from .monitoring import MonitoringService

        return self._service("monitoring", MonitoringService)

    @property
    def monthly_close(self) -> MonthlyCloseService:
        from .monthly_close import MonthlyCloseService

        return self._service("monthly_close", MonthlyCloseService)

    @property
    def care(self) -> CareService:
        from .care import CareService

        return self._service("care", CareService)

    @property
    def dashboard(self) -> DashboardService:
        from .dashboard import DashboardService

        return self._service("dashboard", DashboardService)

    @property
    def users(self) -> UserService:
        from .users import UserService

        return self._service("users", UserService)

    @property
    def county(self) -> CountyService:
        from .county import CountyService

        return self._service("county", CountyService)

    @property
    def county_work(self) -> CountyWorkService:
        from .county_work import CountyWorkService

        return self._service("county_work", CountyWorkService)

    @property
    def what_if(self) -> WhatIfService:
        from .what_if import WhatIfService

        return self._service("what_if", WhatIfService)

    @property
    def attachments(self) -> AttachmentService:
        from .attachments import AttachmentService

        return self._service("attachments", AttachmentService)

    @property
    def reports(self) -> ReportService:
        from .reports import ReportService

        return self._service("reports", ReportService)

    @property
    def handovers(self) -> HandoverService:
        from .handovers import HandoverService

        return self._service("handovers", HandoverService)

    @property
    def comparison(self) -> ComparisonService:
        from .comparison import ComparisonService

        return self._service("comparison", ComparisonService)

    @property
    def comparison_links(self) -> ComparisonLinkService:
        from .comparison_links import ComparisonLinkService

        return self._service("comparison_links", ComparisonLinkService)

    @property
    def ledger_import(self) -> LedgerImportService:
        from .ledger_import import LedgerImportService

        return self._service("ledger_import", LedgerImportService)

    @property
    def trust(self) -> TrustService:
        """This office's card and the peers it trusts (docs/exchange.md)."""
        from .exchange.trust import TrustService

        return self._service("trust", TrustService)

    @property
    def packages(self) -> PackageService:
        """Package files to and from the peers: export, inspect, import, quarantine, conflicts."""
        from .exchange.packages import PackageService

        return self._service("packages", PackageService)

    @property
    def hub_sync(self) -> HubSyncService:
        """Send and fetch packages through the county hub, and its settings and status (docs/hub.md)."""
        from .exchange.hub_sync import HubSyncService

        return self._service("hub_sync", HubSyncService)

    @property
    def hub_offices(self) -> HubOfficesService:
        """The county's signed list of offices that its hub accepts (docs/hub.md)."""
        from .exchange.hub_offices import HubOfficesService

        return self._service("hub_offices", HubOfficesService)

    @property
    def keys(self) -> KeyService:
        """The database key itself: re-keying it, exporting it for support (administrator only)."""
        from .rekey import KeyService

        return self._service("keys", KeyService)

    # --- threads -----------------------------------------------------------------------

    def adopt_thread(self) -> None:
        """Make the calling thread (the GUI thread) this session's home.

        Sign-in runs in a background op, so the session is born on a worker; the window that
        then uses it calls this, and every other thread gets a twin connection.
        """
        self._home_thread = threading.get_ident()
        if getattr(self._threads, "session", None) is not None:
            self._threads.session = None  # that twin belonged to this thread as a worker

    def for_thread(self) -> Session:
        """This session on the calling thread's own keyed connection.

        The home thread gets the session itself; each other thread gets, once, a twin with its
        own connection (see :meth:`_twin_of`).
        """
        if threading.get_ident() == self._home_thread:
            return self
        twin = getattr(self._threads, "session", None)
        if twin is None:
            twin = Session._twin_of(self)
            self._threads.session = twin
            with self._twins_lock:
                self._twins.append(twin)
        return twin

    def can(self, permission: str) -> bool:
        return permissions.allowed(self.user, permission)

    def verify_password(self, password: str) -> bool:
        """For the idle lock: the signed-in user's password, checked against their slot.

        Failures count towards the same back-off as signing in: a locked, unattended PC is no
        place to guess passwords at leisure.
        """
        throttle = LoginThrottle(self.paths.login_state)
        wait = throttle.wait_seconds(self.user.username)
        if wait:
            raise AuthFailed(f"密码错误次数过多，请 {wait} 秒后再试。")
        secret = device_secret.load(self.slots.store_id)
        try:
            self.slots.unlock_user(self.user.username, password, secret or b"")
        except AuthFailed:
            throttle.failed(self.user.username)
            return False
        throttle.succeeded(self.user.username)
        return True

    def change_password(self, old: str, new: str) -> None:
        if not self.verify_password(old):
            raise AuthFailed("原密码不正确。")
        self._set_password(self.user.username, new)

    def _set_password(self, username: str, new: str) -> None:
        """Wrap the database key for *username* under *new*.

        One's own password goes through :meth:`change_password` (with the old one); anyone
        else's needs the right to manage users, checked here too because this is the one place
        a slot is written: a clerk's session must not reach it with the administrator's name.
        """
        if username != self.user.username:
            permissions.require(self.user, permissions.MANAGE_USERS)
            found = self.store.repo(User).where("username = ?", (username,))
            if not found or not found[0].active:
                raise NotFound(f"没有在用的用户 {username}。")
        problem = password_problem(new)
        if problem:
            raise InvalidInput(problem)
        secret = device_secret.load(self.slots.store_id)
        if secret is None:
            secret = device_secret.create(self.slots.store_id)
        slot = self.slots.wrap_user(username, new, self._root._key, secret)
        with self.store.transaction():
            self.store.audit(self.user.username, "设置密码", "users", username, {"user": username})
            self.slots = KeySlotFile.modify(self.paths.slots, lambda f: f.put(slot))

    def close(self) -> None:
        with self._twins_lock:
            twins, self._twins = self._twins, []
        for twin in twins:
            twin._db.close()
        self._db.close()
