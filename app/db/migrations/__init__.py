"""Numbered schema migrations, applied in order at open (``PRAGMA user_version`` holds the number).

Add a migration by adding ``mNNNN_<what>.py`` with a ``SQL`` string and listing it
below; never edit one that has shipped. A migration that adds a column to a register
table changes every row's content hash (docs/integrity.md): it must also owe a new
baseline, as m0004 does.
"""

from . import m0001_initial, m0002_search, m0003_programmes, m0004_content_hash

MIGRATIONS: list[tuple[int, str]] = [
    (1, m0001_initial.SQL),
    (2, m0002_search.SQL),
    (3, m0003_programmes.SQL),
    (4, m0004_content_hash.SQL),
]
