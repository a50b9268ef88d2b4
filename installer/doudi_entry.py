"""PyInstaller's entry script: it runs as ``__main__`` outside any package, so it imports absolutely.

``DOUDI_SCREENSHOT=FILE.png`` makes the program save its first window (the sign-in dialog, or the
first-start wizard) to FILE.png as soon as it is shown, write ``FILE.png.json`` with the wall-clock
time it was shown, and close it. This is how tests/frozen checks that a frozen build really opens its
window, and how the start-up time is measured, without a display or a change to the program.
"""

import os
import sys


def _shoot_first_window(target: str) -> None:
    import json
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

    class FirstWindow(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.done = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if (
                not self.done
                and event.type() == QEvent.Type.Show
                # A dialog or the main window: not a combo box's list that Qt shows while building one.
                and isinstance(watched, (QDialog, QMainWindow))
            ):
                self.done = True
                shown = time.time()
                # Grabbed once the window has been laid out and painted, then closed: a closed
                # sign-in dialog ends the program (exit 0) as if the user had cancelled.
                QTimer.singleShot(200, lambda: self.finish(watched, shown))
            return False

        def finish(self, window: QWidget, shown: float) -> None:
            ok = window.grab().save(target)
            with open(target + ".json", "w", encoding="utf-8") as out:
                json.dump({"shown_at": shown, "saved": ok, "title": window.windowTitle()}, out, ensure_ascii=False)
            if isinstance(window, QDialog):
                window.reject()
            window.close()
            QApplication.quit()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    watcher = FirstWindow()
    app.installEventFilter(watcher)
    app._doudi_screenshot = watcher  # kept alive as long as the application


if __name__ == "__main__":
    # The windowed doudi-gui.exe on Windows has no console: Python then has no standard streams, and
    # a sentence written to one would raise instead of being dropped. (Its log file has everything.)
    for stream in ("stdout", "stderr"):
        if getattr(sys, stream) is None:
            setattr(sys, stream, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (for the whole run)
    if os.environ.get("DOUDI_SCREENSHOT"):
        _shoot_first_window(os.environ["DOUDI_SCREENSHOT"])

    from app.cli import main

    sys.exit(main())
