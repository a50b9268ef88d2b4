"""The reader and the layout together on random messy files in every format and encoding (issue 12
point 7): no crash, every data row found with its spreadsheet row number and its ID's status."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.idnumber import repair
from app.domain.sheet_layout import FIELD_SYNONYMS, data_rows, detect_layout
from app.sheets.reader import read_sheet
from tests.domain.test_sheet_layout import TODAY, expected_status, messy_sheets
from tests.sheets.messy import write_csv, write_xls, write_xlsx

FORMATS = {
    "xlsx": lambda p, m: write_xlsx(p.with_suffix(".xlsx"), m),
    "xls": lambda p, m: write_xls(p.with_suffix(".xls"), m),
    "csv-gbk": lambda p, m: write_csv(p.with_suffix(".csv"), m, encoding="gbk"),
    "csv-gb18030-tab": lambda p, m: write_csv(p.with_suffix(".csv"), m, encoding="gb18030", delimiter="\t"),
    "csv-utf8-bom": lambda p, m: write_csv(p.with_suffix(".csv"), m, encoding="utf-8", bom=True),
    "csv-utf8": lambda p, m: write_csv(p.with_suffix(".csv"), m, encoding="utf-8"),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_sheets(), st.sampled_from(sorted(FORMATS)))
def test_fuzz_files_read_whole(case, fmt):
    messy, _fields, _offset, kinds = case
    with tempfile.TemporaryDirectory() as tmp:
        sheet = read_sheet(FORMATS[fmt](Path(tmp) / "名单", messy))
    layout = detect_layout(sheet.rows, FIELD_SYNONYMS, required=("name", "id_number"))
    expected = messy.expected()
    assert layout.header_rows == expected.header_rows
    got = list(data_rows(sheet.rows, layout))
    assert [(r.row, r.sheet_row) for r in got] == list(enumerate(expected.data_sheet_rows, start=1))
    for r, kind in zip(got, kinds, strict=True):
        assert repair(r.values["id_number"], TODAY).status == expected_status(kind), (fmt, r.sheet_row)
