"""帮助 → 生成技术支持包…: the same bundle as ``doudi support bundle``, with the check run on the
signed-in session (no password asked again) and Qt's own version. From the crash dialog at sign-in,
with no session, the bundle is made without the check, as the command does without a password."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ...services.support_bundle import BundleResult, check_not_run, run_check, write_support_bundle
from ..ops import Op, Task

__all__ = ["default_bundle_name", "last_message", "make_support_bundle"]

_last_message: QMessageBox | None = None


def last_message() -> QMessageBox | None:
    """The message that said where the last bundle went (tests and screenshots look at it)."""
    return _last_message


def default_bundle_name(now: datetime | None = None) -> str:
    return f"兜底技术支持包-{(now or datetime.now()).strftime('%Y%m%d-%H%M')}.zip"


def make_support_bundle(
    parent: QWidget, path: str | Path | None = None, *, data_dir: Path | None = None
) -> Op[BundleResult] | None:
    """Ask where to save (unless *path* is given), then write the bundle in the background; with
    *data_dir* (no one signed in) without the database check."""
    if path is None:
        chosen, _filter = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("SupportBundle", "Save the support bundle"),
            str(Path.home() / default_bundle_name()),
            QCoreApplication.translate("SupportBundle", "Zip files (*.zip)"),
        )
        if not chosen:
            return None
        path = chosen if chosen.lower().endswith(".zip") else chosen + ".zip"
    out = Path(path)

    def work(s, _progress) -> BundleResult:
        return write_support_bundle(out, s.paths.data_dir, run_check(s, s.paths.data_dir), qt_version=qVersion())

    def work_signed_out(_progress) -> BundleResult:
        assert data_dir is not None
        not_run = check_not_run("未运行检查：生成时没有用户登录（检查数据库需要密码）。")
        return write_support_bundle(out, data_dir, not_run, qt_version=qVersion())

    def done(result: BundleResult) -> None:
        global _last_message
        box = QMessageBox(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("SupportBundle", "Support bundle"),
            QCoreApplication.translate(
                "SupportBundle",
                "The support bundle was saved to %1.\nIt holds no household records, keys or backups: "
                "send it to the county's support staff.",
            ).replace("%1", str(result.path)),
            QMessageBox.StandardButton.Close,
            parent,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not modal: the bundle is made, the work goes on
        _last_message = box

    op: Op[BundleResult] = Op(parent, work) if data_dir is None else Task(parent, work_signed_out)
    return (
        op.with_progress(QCoreApplication.translate("SupportBundle", "Making the support bundle…")).success(done).run()
    )
