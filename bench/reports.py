"""Report rendering against the bare library doing the same (issue 11 point 7, DESIGN.md §8).

Two ratios, measured in one run, each the median of several interleaved runs:

- pdf: ``app.reports.pdf.pdf_bytes`` of a 5,000-row 资金发放花名册 (payment-roster columns,
  synthetic names, 18-digit IDs, 19-digit accounts, amounts in fen; page subtotals and 合计)
  ÷ bare reportlab drawing the same cells: one platypus ``Table`` with ``repeatRows=1``, the
  same column widths, the same fonts (mono for IDs), grid and alignment, no subtotals, built
  with ``SimpleDocTemplate`` into memory; budget ≤ 1.2×.
- xlsx: ``app.reports.xlsx.xlsx_bytes`` of a county-L-sized 保障对象花名册 (about 12,000 lines ×
  the roster's 14 columns) ÷ bare openpyxl write-only appending the same cell values; budget ≤ 1.2×.

The documents are made up here (no office needed): the renderers only see a Document.
Nothing is written to disk but the result JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from typing import Any

from .common import median, save

PDF_ROWS = 5_000
XLSX_ROWS = 12_000
BUDGET = 1.2

VILLAGES = ("大庄村", "兴盛村", "杨岭村", "红旗村", "什字村", "南庄村", "新民村", "沙南村", "白面村")
PROGRAMMES = ("城乡低保", "特困供养", "孤儿基本生活费", "高龄津贴", "残疾人两项补贴")


def _spec(name: str) -> Any:
    from app.domain.report import parse_spec
    from app.resource_files import resource_path

    path = resource_path("reports", f"{name}.json")
    return parse_spec(json.loads(path.read_text(encoding="utf-8")), path.name)


def _people(rng: random.Random) -> Any:
    from app.demo import names
    from app.domain.idnumber import check_digit

    given = [g for pool in names.GIVEN_NAMES.values() for g in pool]
    surnames = [s for s, _ in names.HUI_SURNAMES + names.HAN_SURNAMES]

    def name() -> str:
        return rng.choice(surnames) + rng.choice(given)

    def id_number() -> str:
        body = (
            f"640424{rng.randint(1935, 2015)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        )
        return body + check_digit(body)

    return name, id_number, names.BANKS


def payment_document(rows: int = PDF_ROWS, seed: int = 2021) -> Any:
    from app.domain.report import Document, Signatures

    rng = random.Random(seed)
    name, id_number, banks = _people(rng)
    spec = _spec("payment-roster")
    table = spec.table(page_subtotals=True)
    for i in range(1, rows + 1):
        table.add(
            {
                "seq": i,
                "village": rng.choice(VILLAGES),
                "name": name(),
                "id_number": id_number(),
                "programme": rng.choice(PROGRAMMES),
                "bank": rng.choice(banks),
                "account": "6229" + "".join(rng.choice("0123456789") for _ in range(15)),
                "amount": rng.randint(5_000, 150_000),
                "note": rng.choice(("", "", "", "渐退", "新增")),
            }
        )
    return Document(
        name=spec.name,
        title="泾源县香水镇 2026年11月 资金发放花名册",
        subtitle="填报单位：香水镇民政办　项目：城乡低保",
        orientation=spec.orientation,
        blocks=[table, Signatures(spec.signatures)],
        footer=spec.footer,
    )


def roster_document(rows: int = XLSX_ROWS, seed: int = 2026) -> Any:
    from app.domain.report import Document, Signatures

    rng = random.Random(seed)
    name, id_number, _banks = _people(rng)
    spec = _spec("roster")
    table = spec.table()
    for i in range(1, rows + 1):
        size = rng.randint(1, 7)
        table.add(
            {
                "seq": i,
                "village": rng.choice(VILLAGES),
                "head": name(),
                "head_id": id_number(),
                "person": name(),
                "members": "、".join(name() for _ in range(size)),
                "household_size": size,
                "persons": rng.randint(1, size),
                "class": rng.choice(("A类", "B类", "C类", "特困")),
                "amount": rng.randint(20_000, 200_000),
                "taper": rng.choice(("", "", "", "2027-02止")),
                "relative": rng.randrange(20) == 0,
                "since": f"20{rng.randint(10, 26)}-{rng.randint(1, 12):02d}",
                "note": rng.choice(("", "", "", "重病，已报县民政局备案。")),
            }
        )
    return Document(
        name=spec.name,
        title="泾源县 2026年11月 保障对象花名册（城乡低保）",
        orientation=spec.orientation,
        blocks=[table, Signatures(spec.signatures)],
        footer=spec.footer,
    )


# --- the bare libraries -------------------------------------------------------------------------


def bare_reportlab(doc: Any) -> bytes:
    """The same table's cells, drawn by one platypus Table with the same fonts and widths."""
    from reportlab.lib import colors
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus import Table as RLTable

    from app.domain.report import Kind, cell_text
    from app.reports import pdf

    (table,) = doc.tables()
    look = pdf.table_look(doc.font_scale)
    width, _ = pdf.frame_size(doc.orientation)
    share = sum(c.width for c in table.columns)
    widths = [width * c.width / share for c in table.columns]
    data = [[c.title for c in table.columns]]
    data += [[cell_text(c, v) for c, v in zip(table.columns, row, strict=True)] for row in table.rows]
    align = {Kind.MONEY: "RIGHT", Kind.INT: "RIGHT", Kind.DATE: "CENTER", Kind.FLAG: "CENTER"}
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), look.font, look.size, look.leading),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for i, c in enumerate(table.columns):
        if c.kind == Kind.ID:
            style.append(("FONTNAME", (i, 1), (i, -1), look.mono))
        style.append(("ALIGN", (i, 1), (i, -1), align.get(c.kind, "LEFT")))
    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf,
        pagesize=pdf.page_size(doc.orientation),
        leftMargin=pdf.MARGIN_SIDE,
        rightMargin=pdf.MARGIN_SIDE,
        topMargin=pdf.MARGIN_TOP,
        bottomMargin=pdf.MARGIN_BOTTOM,
        invariant=1,
        pageCompression=1,
    )
    template.build([RLTable(data, colWidths=widths, repeatRows=1, style=style)])
    return buf.getvalue()


def bare_openpyxl(doc: Any) -> bytes:
    """The same cells appended by openpyxl in write-only mode (IDs as text, money in 元)."""
    from openpyxl import Workbook

    from app.domain.report import Kind

    (table,) = doc.tables()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(doc.name)
    ws.append([c.title for c in table.columns])
    money = [i for i, c in enumerate(table.columns) if c.kind == Kind.MONEY]
    for row in table.rows:
        values = list(row)
        for i in money:
            values[i] = None if values[i] is None else values[i] / 100
        ws.append(values)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- the run ------------------------------------------------------------------------------------


def _time(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


def _ratio(name: str, ours: Any, bare: Any, doc: Any, repeats: int) -> dict[str, Any]:
    ours(doc)  # fonts registered, modules loaded: neither side pays that inside the timing
    bare(doc)
    ours_s, bare_s = [], []
    size = bare_size = 0
    for _ in range(repeats):  # interleaved, so drift on the machine hits both sides alike
        t, data = _time(ours, doc)
        ours_s.append(t)
        size = len(data)
        t, data = _time(bare, doc)
        bare_s.append(t)
        bare_size = len(data)
    seconds, bare_seconds = median(ours_s), median(bare_s)
    out: dict[str, Any] = {
        "seconds": seconds,
        "bare_seconds": bare_seconds,
        "samples": ours_s,
        "bare_samples": bare_s,
        "bytes": size,
        "bare_bytes": bare_size,
        "ratio": seconds / bare_seconds,
    }
    print(name, json.dumps(out), flush=True)
    return out


def run(repeats: int = 3, pdf_rows: int = PDF_ROWS, xlsx_rows: int = XLSX_ROWS) -> dict[str, Any]:
    from app.reports.pdf import pdf_bytes

    result: dict[str, Any] = {"repeats": repeats, "budget": BUDGET}
    doc = payment_document(pdf_rows)
    result["pdf"] = {"rows": pdf_rows, **_ratio("pdf", pdf_bytes, bare_reportlab, doc, repeats)}
    try:
        from app.reports.xlsx import xlsx_bytes
    except ImportError as e:  # another helper's module, not there yet
        result["xlsx"] = {"rows": xlsx_rows, "skipped": f"app.reports.xlsx not available: {e}"}
    else:
        roster = roster_document(xlsx_rows)
        result["xlsx"] = {"rows": xlsx_rows, **_ratio("xlsx", xlsx_bytes, bare_openpyxl, roster, repeats)}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pdf-rows", type=int, default=PDF_ROWS)
    parser.add_argument("--xlsx-rows", type=int, default=XLSX_ROWS)
    args = parser.parse_args(argv)
    out = run(args.repeats, args.pdf_rows, args.xlsx_rows)
    full = args.pdf_rows == PDF_ROWS and args.xlsx_rows == XLSX_ROWS
    path = save("reports", out) if full else "(a try-out: not saved)"
    pdf = out["pdf"]
    line = (
        f"PDF {pdf['rows']} rows {pdf['seconds']:.2f}s ÷ bare reportlab {pdf['bare_seconds']:.2f}s = "
        f"{pdf['ratio']:.2f}×"
    )
    xlsx = out["xlsx"]
    if "ratio" in xlsx:
        line += (
            f"; xlsx {xlsx['rows']} rows {xlsx['seconds']:.2f}s ÷ bare openpyxl {xlsx['bare_seconds']:.2f}s = "
            f"{xlsx['ratio']:.2f}×"
        )
    else:
        line += f"; xlsx skipped ({xlsx['skipped']})"
    print(f"{line} (budget ≤ {BUDGET}×)  → {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
