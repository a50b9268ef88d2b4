"""A demo office filled with the project's own synthetic data (never real people).

The data is loaded while the office is still in its build folder (``create_office(fill=...)``):
a demo killed half-way leaves no office whose recovery code was never shown.

Loading synthetic people marks the office as a demo (meta ``demo`` = ``1``): ``doudi simulate``
plays months of made-up activity only where that mark is, never on a real register.
"""

from __future__ import annotations

from pathlib import Path

from ..demo.generator import generate
from ..domain.entities import Syncable
from .office import create_office
from .session import Session

BATCH = 2000
# More than a county has; above this a demo only fills the disk.
MAX_DEMO_HOUSEHOLDS = 100_000
DEMO_MARK = "demo"
# The audit action of the load: demo offices made before the meta mark existed still carry it.
LOAD_ACTION = "载入演示数据"
DEMO_STAFF = (("clerk", "clerk", "王经办（演示）"), ("reviewer", "reviewer", "李主任（演示）"))


def create_demo(
    data_dir: Path | str,
    password: str,
    *,
    profile: str = "small",
    households: int | None = None,
    office_code: str = "640424100",
    seed: int = 2021,
    end_month: str | None = None,
    progress=None,
) -> tuple[Session, str, dict]:
    """Create an office with an ``admin`` user and fill it; returns (session, recovery code, counts)."""
    from datetime import date

    from ..demo.generator import PROFILES
    from ..errors import InvalidInput

    if households is not None and households < 0:
        raise InvalidInput("演示户数不能为负。", field="households")
    if households is not None and households > MAX_DEMO_HOUSEHOLDS:
        raise InvalidInput(f"演示户数最多 {MAX_DEMO_HOUSEHOLDS} 户，{households} 户太多了。", field="households")
    if profile not in PROFILES:
        raise InvalidInput(f"没有“{profile}”这种演示规模，可选：{'、'.join(PROFILES)}。")
    month = end_month or date.today().strftime("%Y-%m")
    counts: dict = {}

    def fill(session: Session) -> None:
        # A clerk and a reviewer too, so every screen can be tried (the administrator manages users only).
        for username, role, name in DEMO_STAFF:
            session.users.add(username, role, password, display_name=name)
        counts.update(
            load_synthetic(session, profile, households=households, seed=seed, end_month=month, progress=progress)
        )

    session, code = create_office(data_dir, office_code, "admin", password, admin_display_name="演示管理员", fill=fill)
    return session, code, counts


def load_synthetic(
    session: Session, profile: str, *, households: int | None = None, seed: int = 2021, end_month: str, progress=None
) -> dict:
    """Insert generated bundles in one transaction, with change-log rows and one audit entry."""
    counts = {"households": 0, "members": 0, "visits": 0, "enrolments": 0, "payments": 0, "income_items": 0}
    store = session.store
    with store.transaction():
        batch: list[Syncable] = []
        search_rows = []
        from .search_text import initials_and_pinyin

        for bundle in generate(profile, session.office.code, seed=seed, end_month=end_month, households=households):
            batch.append(bundle.household)
            batch.extend(bundle.members)
            batch.extend(bundle.visits)
            batch.extend(bundle.enrolments)
            batch.extend(bundle.payments)
            batch.extend(bundle.income)
            for m in bundle.members:
                initials, pinyin = initials_and_pinyin(m.name)
                search_rows.append((m.id, m.household_id, initials, pinyin))
            counts["households"] += 1
            counts["members"] += len(bundle.members)
            counts["visits"] += len(bundle.visits)
            counts["enrolments"] += len(bundle.enrolments)
            counts["payments"] += len(bundle.payments)
            counts["income_items"] += len(bundle.income)
            if len(batch) >= BATCH:
                store.bulk_insert(batch, session.user.username)
                batch.clear()
                if progress:
                    progress(counts["households"])
        store.bulk_insert(batch, session.user.username)
        session.db.executemany(
            "INSERT INTO member_search(member_id, household_id, initials, pinyin) VALUES (?, ?, ?, ?)", search_rows
        )
        session.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (DEMO_MARK,),
        )
        store.audit(session.user.username, LOAD_ACTION, "", "", {"profile": profile, "seed": seed, **counts})
    return counts


def is_demo(session: Session) -> bool:
    """Whether the office holds synthetic people only (a demo), so made-up activity may be played on it."""
    db = session.db
    if db.scalar("SELECT value FROM meta WHERE key = ?", (DEMO_MARK,)) == "1":
        return True
    return bool(db.scalar("SELECT 1 FROM audit_log WHERE action = ? LIMIT 1", (LOAD_ACTION,)))
