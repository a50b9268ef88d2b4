"""kill -9 in the middle of an export or an import: no package is left that imports, the county is
unchanged, and doing it again completes (DESIGN.md §9)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.errors import PackageDamaged
from app.exchange.package_file import SUFFIX

from .conftest import PASSWORD, digests, export_one

# Run in a child process with the test's credential store; patches one step to SIGKILL the child.
CHILD = textwrap.dedent(
    """
    import json, os, signal, sys
    from pathlib import Path
    import keyring
    from tests.conftest import MemoryKeyring

    secrets_file, data_dir, where, target = sys.argv[1:5]
    ring = MemoryKeyring()
    ring.items = {tuple(k.split("\\t")): v for k, v in json.loads(Path(secrets_file).read_text()).items()}
    keyring.set_keyring(ring)

    def die(*_a, **_k):
        os.kill(os.getpid(), signal.SIGKILL)

    import app.exchange.package_file as package_file
    import app.services.exchange.apply as apply
    import app.services.exchange.export as export

    if where == "export-before-commit":
        export.build_package = die
    elif where == "export-writing-file":
        real_fsync = os.fsync
        def fsync_then_die(fd):
            real_fsync(fd)
            if os.readlink(f"/proc/self/fd/{fd}").endswith(".partial"):  # the package, written but not renamed
                die()
        package_file.os.fsync = fsync_then_die
    elif where == "import-mid-rows":
        real = apply.Applier.apply_table
        def apply_then_die(self, table, rows):
            real(self, table, rows)
            if table == "members":
                die()
        apply.Applier.apply_table = apply_then_die

    from app.services.office import open_session
    s = open_session(data_dir, "admin", PASSWORD)
    if where.startswith("export"):
        s.packages.export(target)
    else:
        s.packages.import_file(target)
    print("finished")
    """
).replace("PASSWORD", repr(PASSWORD))


def _child(memory_keyring, tmp_path: Path, data_dir: Path, where: str, target: Path) -> subprocess.CompletedProcess:
    secrets = tmp_path / "test-secrets.json"
    secrets.write_text(json.dumps({"\t".join(k): v for k, v in memory_keyring.items.items()}))
    env = {**os.environ, "DOUDI_CONFIG_DIR": os.environ["DOUDI_CONFIG_DIR"], "DOUDI_KDF_PROFILE": "fast"}
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(secrets), str(data_dir), where, str(target)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to find the file being written")
@pytest.mark.parametrize("where", ["export-before-commit", "export-writing-file"])
def test_kill_during_export_leaves_no_package_that_imports(offices, memory_keyring, tmp_path, where):
    county, a, _b = offices
    usb = tmp_path / "usb"
    usb.mkdir()
    done = _child(memory_keyring, tmp_path, a.data_dir, where, usb)
    assert done.returncode == -9, done.stderr
    assert [p for p in usb.iterdir() if p.name.endswith(SUFFIX)] == []
    leftovers = list(usb.iterdir())
    assert len(leftovers) == (1 if where == "export-writing-file" else 0)
    for leftover in leftovers:  # a temporary file may remain: never taken for a package
        with pytest.raises(PackageDamaged):
            county.session.packages.import_file(leftover)
    # The next export covers everything, and the county ends up with the township's data.
    county.session.packages.import_file(export_one(a, county, usb))
    assert digests(county)[a.code] == digests(a)[a.code]


def test_kill_during_import_leaves_the_county_unchanged_and_a_retry_completes(offices, memory_keyring, tmp_path):
    county, a, _b = offices
    path = export_one(a, county, tmp_path / "usb")
    before = digests(county), county.session.db.scalar("SELECT count(*) FROM change_log")
    done = _child(memory_keyring, tmp_path, county.data_dir, "import-mid-rows", path)
    assert done.returncode == -9, done.stderr
    assert (digests(county), county.session.db.scalar("SELECT count(*) FROM change_log")) == before
    assert county.session.db.scalar("SELECT count(*) FROM packages WHERE direction = 'in'") == 0
    receipt = county.session.packages.import_file(path)
    assert not receipt.already_applied and receipt.applied["households"] == 25
    assert digests(county)[a.code] == digests(a)[a.code]
