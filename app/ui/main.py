"""GUI entry point: start Qt, fonts, translations, error hook; then sign in and show the main window."""
from __future__ import annotations

import sys
from pathlib import Path


def run_gui(data_dir: Path, demo_if_empty: bool = False, user: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from ..services.session import OfficePaths
    from .errors import install_excepthook
    from .fonts import register_app_font
    from .i18n import install_translators

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Doudi")
    register_app_font(app)
    install_translators(app)
    install_excepthook()
    if demo_if_empty and not OfficePaths(Path(data_dir)).exists():
        from ..cli import DEFAULT_DEMO_PASSWORD
        from .. services.demo import create_demo
        session, _code, _counts = create_demo(data_dir, DEFAULT_DEMO_PASSWORD)
        session.close()
    window = QMainWindow()
    window.setWindowTitle(QApplication.translate("Main", "Doudi"))
    window.setCentralWidget(QLabel(str(data_dir)))
    window.resize(1366, 768)
    window.show()
    return app.exec()
