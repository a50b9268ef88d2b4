"""Reading spreadsheets and CSV files from disk into cells (issue 12): the one place that opens them.

``read_sheet(path, sheet=None, *, as_read=False) -> RawSheet`` (app/sheets/reader.py). Beside app.db and app.exchange:
no database, no Qt; the layout of what was read is app.domain.sheet_layout's.
"""
