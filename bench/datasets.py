"""The reference offices of docs/architecture.md §7, made once by the project's generator and reused.

They live under bench/results/ (ignored by git) with a fixed benchmark password and a
file-kept device secret, so every benchmark process can open them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .common import RESULTS

PASSWORD = "bench-password-2021"
OFFICES = {"township-M": "640424100", "county-L": "640424", "small": "640424100"}
END_MONTH = "2026-11"


def _env() -> None:
    os.environ["DOUDI_KEYRING"] = "file"
    os.environ.setdefault("DOUDI_CONFIG_DIR", str(RESULTS / "config"))


def offices_root() -> Path:
    """Where the reference offices are: bench/results, or DOUDI_BENCH_OFFICES (another folder of
    them: the same office at another schema, say)."""
    return Path(os.environ.get("DOUDI_BENCH_OFFICES") or RESULTS)


def office_dir(profile: str) -> Path:
    """Data folder of the reference office, created on first use (county-L takes a minute or two)."""
    _env()
    from app.services.office import OfficePaths

    data = offices_root() / f"office-{profile}"
    if (data / ".complete").exists() and OfficePaths(data).exists():
        return data
    shutil.rmtree(data, ignore_errors=True)
    from app.services.demo import create_demo

    session, _code, counts = create_demo(
        data, PASSWORD, profile=profile, office_code=OFFICES[profile], end_month=END_MONTH
    )
    session.db.checkpoint()
    session.close()
    (data / ".complete").write_text(repr(counts))
    return data


STAFF = {"clerk": "clerk", "reviewer": "reviewer"}


def open_office(profile: str, user: str = "admin"):
    """Open the reference office as ``user`` (admin, clerk or reviewer; the last two made on first use)."""
    from app.services.office import open_session

    data = office_dir(profile)
    if user != "admin":
        admin = open_session(data, "admin", PASSWORD)
        try:
            if not any(u.username == user for u in admin.users.list()):
                admin.users.add(user, STAFF[user], PASSWORD)
        finally:
            admin.close()
    return open_session(data, user, PASSWORD)


if __name__ == "__main__":
    import sys
    import time

    for name in sys.argv[1:] or ["township-M"]:
        t = time.perf_counter()
        print(name, office_dir(name), f"{time.perf_counter() - t:.1f}s")
