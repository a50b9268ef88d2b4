"""Every fault a clerk or a script can meet ends in one sentence and its documented exit code (README).

Never raw Python or SQLite text, never a traceback, and never 密码错误 when the password was right.
Most run the command line as a person would; the faults that cannot be made for real in a test (a
full disk, a read-only disk) are raised where the operating system would raise them.
"""

import errno
import io
import os
import resource
import subprocess
import sys

import pytest
import sqlcipher3

from app import cli
from app.cli import common
from app.db.database import PAGE_SIZE, Database
from app.db.keyslots import KeySlotFile
from app.errors import InvalidInput

from .test_cli import PASSWORD, assert_one_sentence, doudi, env, office  # noqa: F401 - fixtures

SECRET = "Hunter2-secret-pw"


def _check(env, data, stdin=PASSWORD + "\n"):  # noqa: F811 - env is the fixture's value
    return doudi(env, "check", "--data-dir", str(data), "--password-stdin", stdin=stdin)


def _damage(path, offset, length=64):
    data = bytearray(path.read_bytes())
    data[offset : offset + length] = bytes(b ^ 0xFF for b in data[offset : offset + length])
    path.write_bytes(bytes(data))


# --- a damaged file: exit 8, and never 密码 ----------------------------------------------


@pytest.mark.parametrize("where", ["middle", "last"])
def test_a_damaged_page_is_one_sentence_pointing_to_restore(office, env, where):  # noqa: F811
    data, _ = office
    db = data / "office.db"
    pages = db.stat().st_size // PAGE_SIZE
    page = pages // 2 if where == "middle" else pages - 1
    _damage(db, page * PAGE_SIZE + 100)
    r = _check(env, data)
    sentence = assert_one_sentence(r)
    assert r.returncode in (1, 8), r.stderr  # 8 when opening hits the page, 1 when check's own scan does
    assert "已损坏" in sentence and "doudi restore" in sentence
    assert "密码" not in sentence and "malformed" not in r.stderr and "not a database" not in r.stderr


@pytest.mark.parametrize("offset", [0, 50], ids=["salt", "header"])
def test_a_damaged_first_page_is_not_a_wrong_password(office, env, offset):  # noqa: F811
    data, _ = office
    _damage(data / "office.db", offset)
    r = _check(env, data)
    sentence = assert_one_sentence(r)
    assert r.returncode == 8
    assert sentence.startswith("密码正确但数据库无法打开") and "doudi restore" in sentence


def test_a_wrong_password_is_still_a_wrong_password(office, env):  # noqa: F811
    data, _ = office
    r = _check(env, data, stdin="not-the-password\n")
    assert r.returncode == 5 and assert_one_sentence(r) == "用户名或密码不正确。"


# --- storage: exit 12, naming the folder --------------------------------------------------


def test_a_data_folder_that_is_a_file(tmp_path, env):  # noqa: F811
    target = tmp_path / "not-a-folder"
    target.write_text("a file where the data folder should be")
    for data in (target, target / "sub"):
        r = doudi(
            env, "init", "--office", "640424101", "--admin", "admin", "--data-dir", str(data),
            "--password-stdin", stdin=PASSWORD + "\n",
        )  # fmt: skip
        sentence = assert_one_sentence(r)
        assert r.returncode == 12, r.stderr
        assert str(target) in sentence and "Errno" not in sentence


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_data_folder(tmp_path, env):  # noqa: F811
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        r = doudi(
            env, "init", "--office", "640424101", "--admin", "admin", "--data-dir", str(locked / "office"),
            "--password-stdin", stdin=PASSWORD + "\n",
        )  # fmt: skip
        assert r.returncode == 12 and str(locked) in assert_one_sentence(r)
    finally:
        locked.chmod(0o700)


@pytest.fixture
def in_process(tmp_path, monkeypatch, env):  # noqa: F811
    """Run cli.main in this process (to raise a fault where the OS would), with the test's folders."""
    for k in ("DOUDI_KEYRING", "DOUDI_CONFIG_DIR", "DOUDI_KDF_PROFILE", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(k, env[k])

    def run(*argv, stdin=""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        return cli.main(list(argv))

    return run


@pytest.mark.parametrize(
    "case",
    [
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘已满"),
        (OSError(errno.EROFS, "Read-only file system"), "只读"),
        (OSError(errno.EACCES, "Permission denied"), "没有写入权限"),
        (sqlcipher3.OperationalError("database or disk is full"), "磁盘已满"),
        (sqlcipher3.OperationalError("attempt to write a readonly database"), "只读"),
        (sqlcipher3.OperationalError("disk I/O error"), "读写出错"),
    ],
)
def test_storage_faults_reaching_main_are_exit_12(in_process, tmp_path, capsys, monkeypatch, case):
    import app.services.office as office_service

    fault, words = case

    def fail(*_a, **_k):
        raise fault

    monkeypatch.setattr(office_service, "create_office", fail)
    data = tmp_path / "data"
    code = in_process(
        "init", "--office", "640424101", "--admin", "admin", "--data-dir", str(data), "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 12, err
    assert words in err and str(fault) not in err and "内部错误" not in err


# --- input, locks, arguments --------------------------------------------------------------


def test_a_password_that_is_not_utf8(office, env):  # noqa: F811
    data, _ = office
    r = subprocess.run(
        [sys.executable, "-m", "app.cli", "check", "--data-dir", str(data), "--password-stdin"],
        input=b"caf\xe9-\xff\xfe\n",
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("密码中有无法识别的字符") and "Traceback" not in err


def test_a_recovery_code_that_is_not_utf8(office, env):  # noqa: F811
    data, _ = office
    r = subprocess.run(
        [sys.executable, "-m", "app.cli", "recover", "--data-dir", str(data)],
        input=b"\xff\xfe\xfd\nnew-password-2021\n",
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and "无法识别的字符" in err and "Traceback" not in err


def test_a_lock_held_past_the_wait_is_exit_13(office, env, in_process, capsys, monkeypatch):  # noqa: F811
    from app.db import database

    data, out = office
    key = KeySlotFile.load(data / "keyslots.json").unlock_recovery(out["recovery_code"])
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    holder = Database(data / "office.db", key)
    try:
        holder.execute("BEGIN IMMEDIATE")
        code = in_process(
            "recover", "--data-dir", str(data), "--user", "admin", stdin=f"{out['recovery_code']}\nnew-pass-2021x\n"
        )
    finally:
        holder.close()
    err = capsys.readouterr().err
    assert code == 13, err
    assert "正被另一个程序使用" in err and "locked" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["init", "--office", "640424101", "--admin", "a", SECRET],
        ["init", "--office", "640424101", "--admin", "a", "--password", SECRET],
        ["init", "--office", "640424101", "--admin", "a", f"--password={SECRET}"],
        ["init", "--office", "640424101", "--admin", "a", "--kind", SECRET],
        ["check", f"--password-stdin={SECRET}"],
        [SECRET],
    ],
)
def test_a_password_typed_as_an_argument_is_never_repeated(env, argv):  # noqa: F811
    r = doudi(env, *argv)
    assert r.returncode == 2
    assert SECRET not in r.stderr and SECRET not in r.stdout
    assert "Traceback" not in r.stderr


def test_core_dumps_are_off_once_the_command_line_starts(tmp_path, env):  # noqa: F811
    code = (
        "import resource, sys; from app.cli import main; "
        f"main(['check', '--data-dir', {str(tmp_path / 'none')!r}, '--password-stdin']); "
        "print(resource.getrlimit(resource.RLIMIT_CORE)[0])"
    )
    r = subprocess.run([sys.executable, "-c", code], input="x\n", capture_output=True, text=True, env=env, check=False)
    assert r.stdout.strip().splitlines()[-1] == "0", r.stderr
    assert resource.RLIM_INFINITY != 0  # the check above is not vacuous


# --- secrets typed at a terminal -----------------------------------------------------------


@pytest.fixture
def terminal(monkeypatch):
    """A terminal on standard input whose hidden prompts answer from *answers* (and record the prompts)."""
    typed: dict[str, list[str]] = {"answers": [], "prompts": []}

    class Tty(io.StringIO):
        def isatty(self):
            return True

    def getpass(prompt=""):
        typed["prompts"].append(prompt)
        return typed["answers"].pop(0)

    import getpass as getpass_module

    monkeypatch.setattr(sys, "stdin", Tty(""))
    monkeypatch.setattr(getpass_module, "getpass", getpass)
    monkeypatch.delenv("DOUDI_PASSWORD", raising=False)
    return typed


def _args(**kw):
    import argparse

    return argparse.Namespace(**{"password_stdin": False, **kw})


def test_a_new_password_is_asked_twice_without_echo(terminal):
    terminal["answers"] = ["new-pass-2021", "new-pass-2021"]
    assert common.read_new_password(_args()) == "new-pass-2021"
    assert len(terminal["prompts"]) == 2


def test_two_different_new_passwords_are_refused(terminal):
    terminal["answers"] = ["new-pass-2021", "new-pass-2O21"]
    with pytest.raises(InvalidInput, match="两次输入的密码不一致"):
        common.read_new_password(_args())


def test_recovery_at_a_terminal_hides_the_code_and_asks_the_password_twice(terminal):
    terminal["answers"] = [" ABCD-EFGH ", "new-pass-2021", "new-pass-2021"]
    assert common.read_recovery(_args()) == ("ABCD-EFGH", "new-pass-2021")
    assert len(terminal["prompts"]) == 3 and "恢复码" in terminal["prompts"][0]


def test_scripts_still_give_the_new_password_once_on_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("from-a-script-2021\n"))
    assert common.read_new_password(_args(password_stdin=True)) == "from-a-script-2021"
    monkeypatch.setattr(sys, "stdin", io.StringIO("CODE-1234\nnew-pass-2021\n"))
    assert common.read_recovery(_args()) == ("CODE-1234", "new-pass-2021")
