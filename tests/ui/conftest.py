"""Shared set-up for UI tests: offscreen Qt, and background ops run synchronously.

Every test here runs ``app.ui.ops`` work synchronously in the test's thread (Picard's
FakeThreadPool idea), so a test can call ``Op(...).run()`` and assert right after it. An op
that fails without a ``.failure()`` callback re-raises into the test instead of opening
the error dialog. Mark a test ``@pytest.mark.real_threads`` to use the real thread pools.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from app.ui import ops


def pytest_configure(config):
    config.addinivalue_line("markers", "real_threads: run app.ui.ops work on real worker threads")


def _reraise(exc, _parent):
    raise exc


@pytest.fixture(autouse=True)
def sync_ops(request):
    """Synchronous ops (unless the test is marked real_threads); failures re-raise."""
    real = request.node.get_closest_marker("real_threads") is not None
    ops.set_synchronous(not real)
    ops.set_default_failure_handler(_reraise)
    yield
    if real:
        ops.shutdown(5000)
    ops.set_synchronous(False)
    ops.set_default_failure_handler(None)


@pytest.fixture
def zh_translators(qapp):
    """Chinese translators installed for the test, removed afterwards."""
    from app.tools import translations
    from app.ui import i18n

    translations.build(quiet=True)
    i18n.install_translators(qapp, "zh_CN")
    yield qapp
    i18n.remove_translators(qapp)


@pytest.fixture
def bus():
    """The main window's part in a page test: every write op's changes go to the pages appended here."""
    pages: list = []

    def deliver(changes):
        for page in pages:
            page.on_changes(changes)

    ops.changes().changed.connect(deliver)
    yield pages
    ops.changes().changed.disconnect(deliver)
