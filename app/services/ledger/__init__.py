"""Importing the Excel ledgers (花名册, 台账) a township keeps today (issue 12, point 6).

Split by what each part knows: ``fields`` turns a ledger's cells into the register's values,
``grouping`` forms households from rows (no database), ``matching`` decides what each household
would create or update in the register, ``export`` writes the rows that could not be imported
to a workbook to fix and import again. ``app/services/ledger_import.py`` is the service.
"""
