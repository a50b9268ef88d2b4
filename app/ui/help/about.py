"""关于: which Doudi this is and where its data and backups are — what support asks first."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ...build_info import version_lines

__all__ = ["AboutDialog"]


class AboutDialog(QMessageBox):
    """Version, schema version, build date; the data folder, and where backups go once known."""

    def __init__(self, data_dir: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.info = version_lines()
        self.data_dir = data_dir
        self.backup_dir = ""
        self.setWindowTitle(self.tr("About Doudi"))
        self.setIcon(QMessageBox.Icon.Information)
        self.setText(self.tr("Doudi %1").replace("%1", self.info["version"]))
        self.setStandardButtons(QMessageBox.StandardButton.Close)
        self._fill()

    def set_backup_folder(self, folder: str) -> None:
        self.backup_dir = folder
        self._fill()

    def _fill(self) -> None:
        lines = [
            self.tr("Offline register of social assistance for township civil-affairs offices."),
            "",
            self.tr("Database version: %1").replace("%1", self.info["schema_version"]),
            self.tr("Build date: %1").replace("%1", self.info["build_date"]),
        ]
        if self.info["commit"]:
            lines.append(self.tr("Commit: %1").replace("%1", self.info["commit"]))
        lines += [
            self.tr("Data folder: %1").replace("%1", self.data_dir),
            self.tr("Backups go to: %1").replace("%1", self.backup_dir or "…"),
        ]
        self.setInformativeText("\n".join(lines))
