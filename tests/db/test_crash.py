"""Pull the plug mid-write: committed rows survive, the file stays sound."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from app.services.office import create_office, open_session

WRITER = textwrap.dedent("""
    import sys
    from datetime import date
    from app.services.office import open_session
    from tests.factories import household, member
    s = open_session(sys.argv[1], "admin", "admin-pass-2021")
    i = 0
    while True:
        i += 1
        h = s.households.add(household(), [member(f"测试{i}", date(1970, 1, 1 + i % 28))])
        print(h.id, flush=True)
""")


def test_kill_during_writes_loses_no_committed_row(tmp_path, monkeypatch):
    monkeypatch.setenv("DOUDI_KEYRING", "file")  # the writer process must find the device secret
    data = tmp_path / "office"
    session, _ = create_office(data, "640424100", "admin", "admin-pass-2021")
    session.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
        cwd=os.getcwd(),
    )
    assert proc.stdout is not None and proc.stderr is not None  # both are pipes
    committed: list[str] = []
    deadline = time.time() + 60
    while len(committed) < 40 and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(committed) >= 40, proc.stderr.read()

    s = open_session(data, "admin", "admin-pass-2021")
    try:
        stored = {r[0] for r in s.db.query("SELECT id FROM households")}
        assert set(committed) <= stored
        assert s.db.integrity_problems() == []
        assert s.store.verify_audit_chain() == []
        # Each stored household still has its member: no half-written household.
        orphans = s.db.scalar(
            "SELECT count(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id)"
        )
        assert orphans == 0
    finally:
        s.close()
