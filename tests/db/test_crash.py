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


INIT = textwrap.dedent("""
    import sys
    from app.services.office import create_office
    create_office(sys.argv[1], "640424100", "admin", "admin-pass-2021")
    print("done", flush=True)
""")


def _kill_init_after(data, delay, env):
    proc = subprocess.Popen(
        [sys.executable, "-c", INIT, str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return proc.returncode


def test_init_killed_at_any_moment_leaves_nothing_or_a_working_office_and_a_retry_works(tmp_path, monkeypatch):
    from app.errors import AlreadyExists, NoDatabase
    from app.services.office_files import half_made_office

    monkeypatch.setenv("DOUDI_KEYRING", "file")  # shared with the killed process
    env = os.environ.copy()
    outcomes = set()
    for i, delay in enumerate((0.05, 0.3, 0.6, 0.9, 1.2, 1.6, 2.5)):
        data = tmp_path / f"office{i}"
        killed = _kill_init_after(data, delay, env) == -signal.SIGKILL
        if (data / "office.db").exists():
            open_session(data, "admin", "admin-pass-2021").close()  # complete: it opens
            assert half_made_office(data) is None
            outcomes.add("office")
            try:
                create_office(data, "640424100", "admin", "admin-pass-2021")
                raise AssertionError("an office was overwritten")
            except AlreadyExists:
                pass
        else:
            try:
                open_session(data, "admin", "admin-pass-2021")
                raise AssertionError("no database, yet it opened")
            except NoDatabase:
                pass
            outcomes.add("nothing" if killed else "failed")
            session, _code = create_office(data, "640424100", "admin", "admin-pass-2021")  # the retry works
            session.close()
            open_session(data, "admin", "admin-pass-2021").close()
        assert not list(tmp_path.glob(f".office{i}.partial-*")), "the retry cleans up the build folder"
    assert "nothing" in outcomes, outcomes  # at least one kill landed mid-way


def test_a_half_made_folder_is_explained(tmp_path):
    from app.services.office_files import half_made_office

    data = tmp_path / "office"
    assert half_made_office(data) is None
    stale = tmp_path / ".office.partial-999999999"
    stale.mkdir()
    (stale / "office.db").write_bytes(b"x" * 4096)
    sentence = half_made_office(data)
    assert sentence is not None and "半成品" in sentence and "doudi init" in sentence
    data.mkdir()
    (data / "office.db").write_bytes(b"x" * 4096)  # what an older program left: a database without slots
    sentence = half_made_office(data)
    assert sentence is not None and "没有密钥槽文件" in sentence and "recover --sheet" in sentence
