"""The few colours and alignments every screen shares, so a refusal looks the same everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
ERROR_COLOR = "#b03a2e"
OK_COLOR = "#1e8449"
WARN_COLOR = "#b9770e"
ERROR_STYLE = f"color: {ERROR_COLOR};"
ERROR_BACKGROUND = "#fdedec"
OK_BACKGROUND = "#eafaf1"
