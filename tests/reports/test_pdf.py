"""The PDF renderer, read back as a clerk and a bank would: pdftotext, pdffonts, pdfinfo."""

from __future__ import annotations

import math
import re
import subprocess

import pytest

from app.domain.report import Column, Document, Kind, Orientation, Paragraph, Table
from app.reports.pdf import frame_size, pdf_bytes, table_look
from tests.reports.pdf_samples import form_doc, id_number, payment_doc, publicity_doc, roster_doc


def pages_text(data: bytes, tmp_path, layout: bool = True) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


def page_count(data: bytes, tmp_path) -> int:
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match is not None, info
    return int(match.group(1))


def fen(text: str) -> int:
    whole, cents = text.split(".")
    return int(whole) * 100 + int(cents)


ROW = re.compile(r"^\s*(\d+)\s+\S+村\s")
MONEY = re.compile(r"(?<![\d.])(\d+\.\d\d)(?![\d.])")


def table_only(doc: Document) -> Document:
    doc.blocks = [b for b in doc.blocks if isinstance(b, Table)]
    return doc


def test_title_on_page_one_header_and_running_head_repeat_with_page_numbers(tmp_path):
    doc = payment_doc(120)
    pages = pages_text(pdf_bytes(doc), tmp_path)
    n = len(pages)
    assert n >= 3
    assert doc.title in pages[0]
    assert "填报单位：香水镇民政办" in pages[0]
    for k, page in enumerate(pages, 1):
        assert f"第{k}页共{n}页" in "".join(page.split())  # pdftotext drops the thin spaces
        assert "内部资料" in page
        assert re.search(r"序号\s+村\s+姓名\s+身份证号", page), f"no header row on page {k}"
    assert doc.title in pages[1]  # the running head


def test_the_bundled_font_is_embedded(tmp_path):
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf_bytes(payment_doc(10)))
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    fonts = out.splitlines()[2:]
    assert any("WenQuanYiMicroHei-" in line for line in fonts)
    assert any("WenQuanYiMicroHeiMono" in line for line in fonts)  # the ID numbers
    for line in fonts:
        assert line.split()[-5] == "yes", line  # the "emb" column


def test_landscape_and_portrait_pages(tmp_path):
    for doc, size in ((roster_doc(3), "841.89 x 595.276"), (form_doc(), "595.276 x 841.89")):
        path = tmp_path / "o.pdf"
        path.write_bytes(pdf_bytes(doc))
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
        assert size in info


def test_5000_rows_fill_every_page_and_none_is_lost(tmp_path):
    doc = table_only(payment_doc(5000))
    data = pdf_bytes(doc)
    pages = pages_text(data, tmp_path)
    seqs = [[int(m.group(1)) for line in page.splitlines() if (m := ROW.match(line))] for page in pages]
    assert [s for page in seqs for s in page] == list(range(1, 5001))
    # Rows are one line each; a full page holds the header, its rows and the 本页小计.
    look = table_look(1.0)
    _, height = frame_size(Orientation.LANDSCAPE)
    per_page = math.floor((height + 1e-3) / look.line_row) - 2
    assert all(len(s) == per_page for s in seqs[1:-1])
    left = 5000 - len(seqs[0])
    assert len(pages) == page_count(data, tmp_path) == 1 + math.ceil((left + 1) / per_page)  # +1: the 合计 row


def test_page_subtotals_add_up_to_the_grand_total_to_the_fen(tmp_path):
    doc = payment_doc(400, seed=3)
    pages = pages_text(pdf_bytes(doc), tmp_path)
    subtotals, grand = [], None
    for page in pages:
        rows = [fen(MONEY.findall(line)[-1]) for line in page.splitlines() if ROW.match(line)]
        (subtotal,) = [fen(MONEY.findall(line)[-1]) for line in page.splitlines() if "本页小计" in line]
        assert sum(rows) == subtotal
        subtotals.append(subtotal)
        grand_lines = [line for line in page.splitlines() if line.strip().startswith("合计")]
        if grand_lines:
            grand = fen(MONEY.findall(grand_lines[0])[-1])
    assert len(subtotals) == len(pages) >= 2
    table = doc.blocks[0]
    assert isinstance(table, Table)
    assert sum(subtotals) == grand == sum(r[table.index("amount")] for r in table.rows)


def test_an_id_number_is_never_split_even_in_a_narrow_column(tmp_path):
    number = id_number(__import__("random").Random(1))
    columns = (
        Column("name", "姓名", width=1),
        Column("id", "身份证号", Kind.ID, width=0.6),  # far too narrow for 18 digits at 9 pt
        Column("note", "备注", width=3),
    )
    table = Table(columns, grand_total=False)
    table.add({"name": "马有福", "id": number, "note": "说明" * 60})
    doc = Document("t", "身份证号测试", blocks=[table])
    text = "\n".join(pages_text(pdf_bytes(doc), tmp_path, layout=False))
    assert number in text.split()


def test_no_wrapped_line_starts_with_closing_punctuation_in_the_pdf(tmp_path):
    # At 10.5 pt a portrait line holds 53 characters; the comma falls exactly at the break.
    text = "根" * 53 + "，" + "据" * 52 + "。" + "之后" * 30
    doc = Document("p", "标点测试", blocks=[Paragraph(text)])
    lines = [ln.strip() for ln in pages_text(pdf_bytes(doc), tmp_path, layout=False)[0].splitlines()]
    body = [ln for ln in lines if ln and ln != "标点测试" and not re.fullmatch(r"第\d+页共\d+页", ln)]
    assert len(body) >= 3
    assert "".join(body) == text
    assert not any(ln[0] in "，。" for ln in body)


def test_a_character_the_font_lacks_is_a_warning_not_a_silent_blank():
    table = Table((Column("seq", "序号", Kind.INT), Column("name", "姓名")), grand_total=False)
    table.add({"seq": 1, "name": "王明"})
    table.add({"seq": 2, "name": "刘䶮"})
    doc = Document("w", "生僻字测试", blocks=[table])
    pdf_bytes(doc)
    assert doc.warnings == ["「䶮」字库中没有，打印出来会是空白：第 2 行 姓名。"]
    pdf_bytes(doc)  # a preview, then a save: still one sentence
    assert len(doc.warnings) == 1


def test_large_print_takes_more_pages(tmp_path):
    small = page_count(pdf_bytes(publicity_doc(60, scale=1.0)), tmp_path)
    large = page_count(pdf_bytes(publicity_doc(60, scale=1.6)), tmp_path)
    assert large > small


def test_a_form_prints_fields_blank_lines_signatures_and_page_break(tmp_path):
    pages = pages_text(pdf_bytes(form_doc()), tmp_path)
    assert len(pages) == 2
    first = pages[0]
    for text in ("户主姓名", "马有福", "640424195203120017", "家庭收入情况", "调查人：", "申请人（户主）：", "日期："):
        assert text in first
    assert "调查须知" in pages[1]


def test_an_empty_table_says_so_with_a_zero_total(tmp_path):
    doc = payment_doc(0)
    page = pages_text(pdf_bytes(doc), tmp_path)[0]
    assert "（无）" in page
    assert re.search(r"合计\s+0\.00", page)


class Recorder:
    def __init__(self, stop_after: int | None = None) -> None:
        self.calls: list[tuple[int | None, int | None, str | None]] = []
        self.stop_after = stop_after

    def update(self, done=None, total=None, label=None) -> None:
        self.calls.append((done, total, label))
        if self.stop_after is not None and len(self.calls) >= self.stop_after:
            raise KeyboardInterrupt  # stands for Cancelled: any exception must come through


def test_progress_goes_to_the_end_and_a_cancel_stops_the_build():
    doc = payment_doc(200)
    progress = Recorder()
    pdf_bytes(doc, progress)
    dones = [d for d, _t, _l in progress.calls if d is not None]
    assert len(dones) == len(progress.calls)  # every update says how far it got
    assert dones == sorted(dones)
    assert progress.calls[-1][:2] == (200, 200)
    assert any(label and "第 3 页" in label for _d, _t, label in progress.calls)
    with pytest.raises(KeyboardInterrupt):
        pdf_bytes(doc, Recorder(stop_after=3))


def test_a_long_note_under_a_table_carries_over_to_the_next_page_whole(tmp_path):
    table = Table((Column("seq", "序号", Kind.INT, 1.0), Column("name", "姓名", Kind.TEXT, 3.0)), grand_total=False)
    for i in range(16):
        table.add({"seq": i + 1, "name": f"马{i}"})
    words = [f"第{i:04d}条说明，" for i in range(600)]
    doc = Document("roster", "香水镇说明", blocks=[table, Paragraph("".join(words), "note")])
    pages = pages_text(pdf_bytes(doc), tmp_path, layout=False)
    assert len(pages) >= 2
    # Without the running head and the page numbers, which fall between the two halves.
    text = re.sub(r"\s", "", "".join(pages)).replace(doc.title, "")
    text = re.sub(r"第\d+页共\d+页", "", text)
    assert all(text.count(w) == 1 for w in words)


def test_a_title_of_40000_characters_still_prints(tmp_path):
    doc = Document("roster", "很长的标题" * 8000, blocks=[Paragraph("正文")])
    assert page_count(pdf_bytes(doc), tmp_path) >= 2


def test_a_layout_that_cannot_fit_is_one_sentence_naming_the_override():
    from app.errors import InvalidInput

    doc = roster_doc(30)
    doc.font_scale = 3.0
    doc.source = "/office/reports/roster.json"
    with pytest.raises(InvalidInput) as refused:
        pdf_bytes(doc)
    message = str(refused.value)
    assert message.startswith("报表版式无法排下：") and "/office/reports/roster.json 的字号和列宽" in message


def test_the_narrowest_column_an_override_may_set_prints_or_is_refused_never_crashes():
    from dataclasses import replace

    from app.errors import InvalidInput

    doc = publicity_doc(5, scale=3.0)
    for table in doc.tables():
        # 2 % of the table, the floor of app.domain.report: narrower than its own padding at 3×.
        narrow = sum(20 for c in table.columns if c.key != "village") * 0.0205
        table.columns = tuple(replace(c, width=narrow if c.key == "village" else 20) for c in table.columns)
    try:
        outcome = pdf_bytes(doc)[:4].decode()
    except InvalidInput as refused:
        outcome = str(refused)
    assert outcome == "%PDF" or outcome.startswith("报表版式无法排下：")
