"""The small demo office every upgrade test builds its older offices from, made once for the folder."""

from __future__ import annotations

import pytest

from tests.upgrade.old_offices import template_with_own_keyring


@pytest.fixture(scope="package")
def template(tmp_path_factory):
    """One small demo office at the current schema, made once for the folder with its own keyring."""
    return template_with_own_keyring(tmp_path_factory, households=20)
