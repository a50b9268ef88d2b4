"""``doudi support``: the raw key for a SQLCipher 4 shell (administrator only, audited) and a re-key."""

import json
import re
import subprocess
import sys

import pytest

from tests.cli.test_cli import PASSWORD, assert_one_sentence, doudi, env, office  # noqa: F401 - fixtures


def _sqlcipher_opens(db, lines):
    import sqlcipher3

    conn = sqlcipher3.connect(str(db))
    try:
        for line in lines:
            conn.execute(line.rstrip(";"))
        return conn.execute("SELECT count(*) FROM users").fetchone()[0]
    except sqlcipher3.DatabaseError:
        return None
    finally:
        conn.close()


def test_export_key_prints_what_a_sqlcipher4_shell_takes_and_is_audited(env, office):  # noqa: F811
    data, _out = office
    r = doudi(env, "support", "export-key", "--data-dir", str(data), "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert re.fullmatch(r"PRAGMA key = \"x'[0-9a-f]{64}'\";", lines[0])
    assert lines[1] == "PRAGMA cipher_compatibility = 4;"
    assert "警告" in r.stderr and "审计" in r.stderr
    assert _sqlcipher_opens(data / "office.db", lines) == 1
    # the export is in the audit log
    shown = subprocess.run(
        [sys.executable, "-c", _AUDIT, str(data), PASSWORD], capture_output=True, text=True, env=env, check=False
    )
    assert "导出数据库密钥" in shown.stdout, shown.stderr


_AUDIT = (
    "import sys\n"
    "from app.services.office import open_session\n"
    "s = open_session(sys.argv[1], 'admin', sys.argv[2])\n"
    "print([r[0] for r in s.db.query('SELECT action FROM audit_log')])\n"
    "s.close()\n"
)


def test_export_key_needs_the_right_password(env, office):  # noqa: F811
    data, _out = office
    r = doudi(env, "support", "export-key", "--data-dir", str(data), "--password-stdin", stdin="wrong-pass-2031\n")
    assert_one_sentence(r)
    assert r.returncode == 5 and "x'" not in r.stdout


def test_a_clerk_cannot_export_the_key(env, office):  # noqa: F811
    data, _out = office
    add = (
        "import sys\n"
        "from app.services.office import open_session\n"
        "s = open_session(sys.argv[1], 'admin', sys.argv[2])\n"
        "s.users.add('clerk1', 'clerk', 'clerk-pass-2031')\n"
        "s.close()\n"
    )
    subprocess.run([sys.executable, "-c", add, str(data), PASSWORD], env=env, check=True)
    r = doudi(
        env,
        "support",
        "export-key",
        "--data-dir",
        str(data),
        "--user",
        "clerk1",
        "--password-stdin",
        stdin="clerk-pass-2031\n",
    )
    sentence = assert_one_sentence(r)
    assert r.returncode == 9 and "管理用户" in sentence and "x'" not in r.stdout


def test_rekey_retires_an_exported_key(env, office):  # noqa: F811
    data, _out = office
    r = doudi(env, "support", "export-key", "--data-dir", str(data), "--password-stdin", stdin=PASSWORD + "\n")
    lines = r.stdout.strip().splitlines()
    r = doudi(env, "support", "rekey", "--data-dir", str(data), "--json", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert len(out["recovery_code"]) == 29 and out["users_to_reset"] == []
    assert _sqlcipher_opens(data / "office.db", lines) is None  # the exported key opens nothing now
    r = doudi(env, "support", "export-key", "--data-dir", str(data), "--password-stdin", stdin=PASSWORD + "\n")
    assert _sqlcipher_opens(data / "office.db", r.stdout.strip().splitlines()) == 1


@pytest.mark.parametrize("sub", ["export-key", "rekey"])
def test_support_commands_are_listed(env, sub):  # noqa: F811
    r = doudi(env, "support", "--help")
    assert r.returncode == 0 and sub in r.stdout
