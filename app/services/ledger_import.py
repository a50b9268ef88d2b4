"""Placeholder: import of the Excel ledgers townships keep today (issue 12)."""

from __future__ import annotations

from .base import Service


class LedgerImportService(Service):
    pass
