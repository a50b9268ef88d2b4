"""Numbered schema migrations, applied in order at open (``PRAGMA user_version`` holds the number).

Add a migration by adding ``mNNNN_<what>.py`` with a ``SQL`` string and listing it
below; never edit one that has shipped.
"""

from . import m0001_initial, m0002_search, m0003_programmes

MIGRATIONS: list[tuple[int, str]] = [
    (1, m0001_initial.SQL),
    (2, m0002_search.SQL),
    (3, m0003_programmes.SQL),
]
