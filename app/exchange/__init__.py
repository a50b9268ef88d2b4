"""Packages between offices: keys, public cards and the package file (docs/package-format.md).

A layer beside app.db: pure bytes in and out, no Qt and no database, so that the format can be
tested, fuzzed and read by a script without an office to open.
"""
