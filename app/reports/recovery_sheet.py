"""The one-page recovery sheet printed (or saved) once at set-up.

A4, Chinese, with the bundled CJK font embedded; the recovery code large and
monospaced so it can be read back without confusing characters. The code is the
only way into the office database when every password is lost or the data folder
is moved to another PC, so the sheet says plainly where to keep it and how to use it.

It also carries the recovery slot (the database key sealed by the recovery code, so printing it
gives nothing away without the code) as numbered base32 lines with a check each and as a QR code:
with the sheet and the code the database opens even when the key-slot files are lost. And the
audit chain's head at set-up, an anchor kept outside the database that a rewritten history
cannot match.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from .fonts import PDF_MONO_FONT_NAME, register_pdf_fonts

__all__ = ["write_recovery_sheet"]

# The code is set as large as fits the box, but never below this (it must stay legible on paper).
MIN_CODE_SIZE = 12


def write_recovery_sheet(  # noqa: PLR0913, PLR0917 - the sheet's fields in print order; the wizard and tests pass them so
    path: Path | str,
    office_name: str,
    office_code: str,
    admin: str,
    code: str,
    created: datetime,
    *,
    slot_lines: Sequence[str] = (),
    slot_qr: str = "",
    chain_head: str = "",
) -> Path:
    """Write the sheet to *path* (written to a temporary name first, then renamed).

    ``slot_lines`` and ``slot_qr`` are the recovery slot (KeySlotFile.recovery_sheet_lines and
    recovery_sheet_payload); ``chain_head`` is the audit chain's newest hash.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    font = register_pdf_fonts()
    mono = PDF_MONO_FONT_NAME
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    width, height = A4
    left, right = 22 * mm, width - 22 * mm

    c = canvas.Canvas(str(tmp), pagesize=A4, pageCompression=1, initialFontName=font, initialFontSize=11)
    c.setTitle("兜底 恢复码")
    c.setAuthor("兜底 Doudi")
    c.setSubject(f"{office_name} {office_code}")

    y = height - 30 * mm
    c.setFont(font, 22)
    c.drawString(left, y, "兜底 · 单位数据库恢复码")
    y -= 9 * mm
    c.setFont(font, 11)
    c.setFillColor(colors.HexColor("#b00020"))
    c.drawString(left, y, "机密  请锁入保险柜或档案柜，不要拍照，不要发到微信、QQ 或邮箱。")
    c.setFillColor(colors.black)

    y -= 12 * mm
    rows = [
        ("单位", office_name),
        ("区划代码", office_code),
        ("首位管理员", admin),
        ("生成时间", created.strftime("%Y-%m-%d %H:%M")),
    ]
    c.setFont(font, 12)
    for label, value in rows:
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(left, y, label)
        c.setFillColor(colors.black)
        c.drawString(left + 30 * mm, y, value)
        y -= 7.5 * mm

    # The code, in a framed box, big and monospaced.
    y -= 6 * mm
    box_h = 34 * mm
    c.setStrokeColor(colors.black)
    c.setLineWidth(1.5)
    c.roundRect(left, y - box_h, right - left, box_h, 4 * mm)
    c.setFont(font, 11)
    c.drawString(left + 6 * mm, y - 8 * mm, "恢复码")
    size = 26
    while size > MIN_CODE_SIZE and c.stringWidth(code, mono, size) > (right - left) - 12 * mm:
        size -= 1
    c.setFont(mono, size)
    c.drawCentredString((left + right) / 2, y - box_h + 11 * mm, code)
    y -= box_h + (6 if slot_lines else 12) * mm
    if slot_lines or chain_head:
        y = _slot_box(c, y, left, right, font, list(slot_lines), slot_qr, chain_head)

    sections = [
        (
            "这是什么",
            [
                "恢复码是打开本单位加密数据库的备用钥匙，只在建立单位时显示这一次，程序里不保存。",
                "所有人都忘了密码，或者把数据文件夹搬到另一台电脑时，没有它就打不开数据库。",
            ],
        ),
        (
            "怎样保管",
            [
                "打印或抄写后锁入保险柜或档案柜，由民政办负责人保管；不要贴在电脑上。",
                "不要拍照，不要存在电脑、U 盘或手机里，不要通过微信、QQ、邮箱发送。",
                "如怀疑恢复码泄露，请联系县民政局信息员重新设置。",
            ],
        ),
        (
            "什么时候用",
            [
                "在登录窗口点“忘记密码”，输入用户名、恢复码和两次新密码。",
                "或在命令行运行：doudi recover --user 用户名（依次输入恢复码和新密码）。",
                "换了电脑（提示“没有此数据库的设备密钥”）时，也用同样的办法。",
                "密钥槽文件丢失或损坏时：把上面的恢复槽逐行抄入（或扫码存入）一个文本文件，",
                "再运行 doudi recover --sheet 该文件 --user 用户名（依次输入恢复码和新密码）。",
            ],
        ),
    ]
    # With the slot box the page is fuller: the same text, set a little closer.
    step = 5.2 * mm if slot_lines else 6 * mm
    for title, lines in sections:
        c.setFont(font, 13)
        c.drawString(left, y, title)
        y -= step + 1 * mm
        c.setFont(font, 10.5)
        for line in lines:
            c.drawString(left + 4 * mm, y, "·  " + line)
            y -= step
        y -= step - 2 * mm

    # Signature line for the person who keeps it.
    y -= 6 * mm
    c.setFont(font, 11)
    c.drawString(left, y, "保管人签字：")
    c.line(left + 26 * mm, y - 1 * mm, left + 80 * mm, y - 1 * mm)
    c.drawString(left + 90 * mm, y, "日期：")
    c.line(left + 104 * mm, y - 1 * mm, right, y - 1 * mm)

    c.setFont(font, 9)
    c.setFillColor(colors.HexColor("#777777"))
    c.drawString(left, 15 * mm, "兜底 Doudi — 乡镇民政离线台账。本页只打印一份。")
    c.showPage()
    c.save()
    tmp.replace(path)
    return path


def _slot_box(  # noqa: PLR0917 - one drawing step of write_recovery_sheet, in its own terms
    c, y: float, left: float, right: float, font: str, lines: list[str], qr: str, head: str
) -> float:
    """The recovery slot (lines on the left, QR code on the right) and the chain head; returns the new y."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    mono = PDF_MONO_FONT_NAME
    qr_size = 36 * mm if qr else 0
    line_h = 5.2 * mm
    text_h = 10 * mm + len(lines) * line_h
    box_h = max(text_h, qr_size + 6 * mm) + (9 * mm if head else 0)
    c.setLineWidth(0.8)
    c.setStrokeColor(colors.HexColor("#555555"))
    c.roundRect(left, y - box_h, right - left, box_h, 3 * mm)
    c.setFillColor(colors.black)
    c.setFont(font, 10.5)
    c.drawString(left + 5 * mm, y - 6.5 * mm, "恢复槽（密钥槽文件丢失时，连同恢复码使用）")
    ty = y - 12.5 * mm
    size = 10.5
    room = (right - left) - 14 * mm - qr_size
    while lines and size > 7 and max(c.stringWidth(t, mono, size) for t in lines) > room:  # noqa: PLR2004 - legible floor
        size -= 0.5
    c.setFont(mono, size)
    for text in lines:
        c.drawString(left + 5 * mm, ty, text)
        ty -= line_h
    if qr:
        widget = QrCodeWidget(qr, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, c, right - qr_size - 3 * mm, y - qr_size - 3 * mm)
    if head:
        c.setFont(font, 9)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(left + 5 * mm, y - box_h + 4.5 * mm, "审计链起点：")
        c.setFont(mono, 7.5)
        c.drawString(left + 25 * mm, y - box_h + 4.5 * mm, head)
        c.setFillColor(colors.black)
    return y - box_h - 8 * mm
