"""报表 page: the catalogue, a form that asks only what the chosen report needs, a preview of every page
of the PDF (kept in memory), refusals in one sentence, 另存为 PDF and Excel, printing, and the 救助 and
月结 pages' 打印 / 导出 opening it preselected.

The builders are replaced by a fake catalogue whose reports draw a hand-made three-page document, so
these tests follow the page and not the papers (those are tested with the builders and renderers).
"""

from __future__ import annotations

import builtins
import os
import tempfile
from datetime import date

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from app.domain.report import Block, Column, Document, Kind, PageBreak, Paragraph, ReportSpec, Table
from app.services import reports as report_service
from app.services.reports import ReportKind, ReportRequest, default_file_name
from app.ui.pages.reports import ReportsPage
from app.ui.reports import files
from app.ui.reports.printing import new_printer

TODAY = date(2026, 11, 20)
MONTH = "2026-11"


def three_pages(ctx) -> Document:
    columns = (Column("name", "姓名"), Column("id", "身份证号", Kind.ID), Column("fen", "金额", Kind.MONEY))
    table = Table(columns=columns)
    table.add({"name": "马学军", "id": "640424197003041234", "fen": 45600})
    blocks: list[Block] = [Paragraph("第一页"), PageBreak(), Paragraph("第二页"), PageBreak(), table]
    return Document(
        name=ctx.request.name,
        title=f"{ctx.township}{ctx.month_label}测试表",
        blocks=blocks,
        warnings=["「䶮」字体中没有，打印为空白。"],
    )


FAKE_KINDS = (
    ReportKind("roster", "保障对象花名册", three_pages, programmes=("低保", "特困")),
    ReportKind("payment-roster", "资金发放花名册", three_pages, programmes=("低保",), needs_closed_month=True),
    ReportKind("changes", "动态管理增减变动表", three_pages),
    ReportKind("publicity", "公示名单", three_pages, needs_village=True, options=("masked_id",)),
    ReportKind(
        "survey",
        "入户调查表",
        three_pages,
        uses_village=False,
        uses_household=True,
        needs_household=True,
        options=("blank",),
    ),
)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def fake_catalogue(monkeypatch):
    monkeypatch.setattr(report_service, "KINDS", {k.name: k for k in FAKE_KINDS})
    monkeypatch.setattr(
        report_service,
        "load_spec",
        lambda name, _data_dir=None: ReportSpec(name=name, title=name, columns=(Column("name", "姓名"),)),
    )


def shown_page(qtbot, session):
    page = ReportsPage(session, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()  # the catalogue is read when the page is first shown
    qtbot.waitExposed(page)
    return page


def choose(page, name):
    page.kind_list.setCurrentRow([k.name for k in page.kinds].index(name))


def generated(qtbot, page, name="roster"):
    choose(page, name)
    page.generate()
    qtbot.waitUntil(lambda: bool(page.preview.rendered_pages()))
    return page


def test_the_page_lists_the_catalogue(qtbot, clerk, fake_catalogue):
    page = shown_page(qtbot, clerk)
    labels = [page.kind_list.item(i).text() for i in range(page.kind_list.count())]
    assert labels == [k.label for k in FAKE_KINDS]
    assert page.current_kind().name == "roster" and page.generate_button.isEnabled()
    assert page.month.month() == MONTH  # no month is closed: the current one


def test_choosing_a_report_shows_only_its_fields(qtbot, clerk, fake_catalogue):
    page = shown_page(qtbot, clerk)
    visible = page.form.isRowVisible

    assert visible(page.programme) and visible(page.village) and not visible(page.household_row)
    assert [page.programme.itemText(i) for i in range(page.programme.count())] == ["All programmes", "低保", "特困"]
    assert page.village.itemData(0) == ""  # the whole township, when a village is optional
    assert not page.option_boxes

    choose(page, "publicity")
    assert not visible(page.programme) and visible(page.village)
    assert page.village.findData("") < 0  # one village is required
    assert page.option_boxes["masked_id"].text() == "Show masked ID numbers on the public list"

    choose(page, "survey")
    assert visible(page.household_row) and not visible(page.village) and not visible(page.programme)
    assert list(page.option_boxes) == ["blank"] and page.option_boxes["blank"].text() == "Blank form"
    page.option_boxes["blank"].setChecked(True)
    assert page.current_request() == ReportRequest("survey", MONTH, options=frozenset({"blank"}))


def test_generating_previews_every_page_lazily_and_shows_the_warnings(qtbot, clerk, fake_catalogue):
    page = generated(qtbot, shown_page(qtbot, clerk))
    assert page.preview.page_count() == 3 and len(page.preview.sheets) == 3
    assert "pages: 3" in page.pages_label.text() and "香水镇2026年11月测试表" in page.pages_label.text()
    # At the width of the view one A4 page fills it: the third is not drawn until scrolled to.
    assert 0 in page.preview.rendered_pages() and 2 not in page.preview.rendered_pages()
    page.preview.show_page(2)
    qtbot.waitUntil(lambda: 2 in page.preview.rendered_pages())
    assert 0 not in page.preview.rendered_pages()  # far away again: its pixels are let go
    assert page.warnings.isVisible() and "䶮" in page.warnings.text()
    assert page.print_button.isEnabled() and page.save_button.isEnabled() and not page.open_button.isEnabled()
    # 100% is the paper's size on this screen (A4 is 595 points wide).
    page.zoom.setCurrentIndex(page.zoom.findData(1.0))
    assert page.preview.sheets[0].width() == round(595.28 * page.preview.logicalDpiX() / 72)


def test_a_refused_request_shows_its_sentence_marks_the_field_and_no_preview(qtbot, clerk, fake_catalogue):
    page = generated(qtbot, shown_page(qtbot, clerk))
    choose(page, "payment-roster")
    page.generate()
    assert "尚未审核锁定" in page.message.text() and page.message.isVisible()
    assert page.marked() is page.form.labelForField(page.month) and "color" in page.marked().styleSheet()
    assert page.preview.page_count() == 0 and page.pdf is None
    assert not page.print_button.isEnabled() and not page.save_button.isEnabled()
    choose(page, "roster")  # another report: the mark goes
    assert page.marked() is None and page.form.labelForField(page.month).styleSheet() == ""


def test_save_as_pdf_and_excel_writes_the_files_and_opens_them(qtbot, clerk, fake_catalogue, tmp_path, monkeypatch):
    page = generated(qtbot, shown_page(qtbot, clerk))
    asked = []

    def get_save_file_name(_parent, _title, suggested, filters, selected):
        asked.append((suggested, selected))
        return str(tmp_path / "名册"), "Excel workbook (*.xlsx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
    page.ask_save()
    name = default_file_name(page.request, ".pdf")
    assert asked[0][0].endswith(name) and asked[0][1] == "PDF document (*.pdf)"
    assert (tmp_path / "名册.xlsx").read_bytes()[:2] == b"PK"  # the filter chose the format

    page.save_to(tmp_path / "roster.pdf")
    data = (tmp_path / "roster.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(pdfium.PdfDocument(data)) == 3
    assert page.saved_path == tmp_path / "roster.pdf" and page.open_button.isEnabled()
    assert "roster.pdf" in page.message.text()
    assert files.last_folder() == tmp_path  # the next 另存为 starts here

    opened: list[str] = []

    def open_url(url) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(files.QDesktopServices, "openUrl", open_url)
    assert page.open_saved() and opened == [str(tmp_path / "roster.pdf")]


def test_printing_to_a_pdf_printer_prints_every_page(qtbot, clerk, fake_catalogue, tmp_path):
    page = generated(qtbot, shown_page(qtbot, clerk))
    printer = new_printer(landscape=False)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)  # the test's pages are drawn small, and fast
    assert page.print_to(printer) == 3
    printed = pdfium.PdfDocument(str(tmp_path / "printed.pdf"))
    assert len(printed) == 3
    width, height = printed.get_page_size(0)
    assert round(width) == 595 and round(height) == 842  # A4, portrait as the document
    assert "3 pages sent to the printer" in page.message.text()


def test_previewing_writes_no_file_anywhere(qtbot, clerk, fake_catalogue, tmp_path, monkeypatch):
    """The preview is the register in plaintext: it is drawn from bytes in memory, never from a file."""
    page = shown_page(qtbot, clerk)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    written = []
    real_open, real_os_open = builtins.open, os.open

    def watched_open(file, mode="r", *a, **k):
        if any(c in mode for c in "wax+"):
            written.append(file)
        return real_open(file, mode, *a, **k)

    def watched_os_open(path, flags, *a, **k):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            written.append(path)
        return real_os_open(path, flags, *a, **k)

    monkeypatch.setattr(builtins, "open", watched_open)
    monkeypatch.setattr(os, "open", watched_os_open)
    generated(qtbot, page)
    monkeypatch.undo()
    assert page.preview.page_count() == 3
    assert written == [] and list(temp.iterdir()) == []


def _window(qtbot, session):
    from app.ui.main_window import MainWindow

    w = MainWindow(session, today=lambda: TODAY)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_the_programmes_print_button_opens_the_roster_preselected(qtbot, clerk, fake_catalogue, monkeypatch):
    asked = []
    monkeypatch.setattr(ReportsPage, "ask_print", lambda self: asked.append(("print", self.request)))
    monkeypatch.setattr(ReportsPage, "ask_save", lambda self: asked.append(("save", self.request)))
    w = _window(qtbot, clerk)
    w.nav.setCurrentRow([p[0] for p in w.page_list].index("programmes"))
    programmes = w.pages["programmes"]
    programmes.month.set_month("2026-10")
    programmes.print_button.click()
    assert w.current_key() == "reports"
    reports = w.pages["reports"]
    # October's roster is not locked, so the roster, not the bank's payment roster (which needs a locked one).
    assert reports.current_kind().name == "roster" and reports.month.month() == "2026-10"
    assert reports.preview.page_count() == 3
    assert asked == [("print", ReportRequest("roster", "2026-10"))]

    w.nav.setCurrentRow([p[0] for p in w.page_list].index("monthly_close"))
    w.pages["monthly_close"].export_button.click()
    assert w.current_key() == "reports" and reports.current_kind().name == "changes"
    assert asked[-1] == ("save", ReportRequest("changes", MONTH))
    w.idle_lock.stop()


def test_enter_generates_and_a_household_is_found_by_name(qtbot, clerk, fake_catalogue):
    from tests.factories import household, member

    h = clerk.households.add(household(), [member("马学军", date(1970, 3, 4))])
    page = shown_page(qtbot, clerk)
    choose(page, "survey")
    page.household.setEditText("马学军")
    page.find_button.click()
    assert page.household.itemData(0) == h.id and page.household_id() == h.id
    qtbot.keyClick(page.month, Qt.Key.Key_Return)
    assert page.request == ReportRequest("survey", MONTH, household=h.id)
    assert page.preview.page_count() == 3
