"""The one-page recovery sheet printed (or saved) once at set-up.

A4, Chinese, with the bundled CJK font embedded; the recovery code large and
monospaced so it can be read back without confusing characters. The code is the
only way into the office database when every password is lost or the data folder
is moved to another PC, so the sheet says plainly where to keep it and how to use it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .fonts import PDF_MONO_FONT_NAME, register_pdf_fonts

__all__ = ["write_recovery_sheet"]

# The code is set as large as fits the box, but never below this (it must stay legible on paper).
MIN_CODE_SIZE = 12


def write_recovery_sheet(  # noqa: PLR0917 - the sheet's fields in print order; the wizard and tests pass them so
    path: Path | str, office_name: str, office_code: str, admin: str, code: str, created: datetime
) -> Path:
    """Write the sheet to *path* (written to a temporary name first, then renamed)."""
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
    y -= box_h + 12 * mm

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
            ],
        ),
    ]
    for title, lines in sections:
        c.setFont(font, 13)
        c.drawString(left, y, title)
        y -= 7 * mm
        c.setFont(font, 10.5)
        for line in lines:
            c.drawString(left + 4 * mm, y, "·  " + line)
            y -= 6 * mm
        y -= 4 * mm

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
