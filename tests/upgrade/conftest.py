"""The small demo office every upgrade test builds its older offices from, made once for the folder."""

from __future__ import annotations

import keyring
import pytest

from tests.conftest import MemoryKeyring
from tests.upgrade.old_offices import make_template


@pytest.fixture(scope="package")
def template(tmp_path_factory):
    """One small demo office at the current schema, made once for the folder with its own keyring."""
    folder = tmp_path_factory.mktemp("template")
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DOUDI_KEYRING", raising=False)
        mp.setenv("DOUDI_CONFIG_DIR", str(folder / "config"))
        mp.setenv("DOUDI_KDF_PROFILE", "fast")
        try:
            made = make_template(folder / "office", households=20)
        finally:
            keyring.set_keyring(previous)
    return made
