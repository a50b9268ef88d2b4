"""处理结果: one disposition and note for every finding of the rows selected.

A month's 公安 list can name a dozen deaths checked in one afternoon; one dialog records them all,
and the service refuses a step out of order (已处理 before 属实) in one sentence shown here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from ..widgets import FormDialog

__all__ = ["DISPOSITIONS", "DispositionDialog"]

try:
    from ...services.comparison import DISPOSITIONS
except ImportError:  # the service is being written beside this screen; its four steps are known
    DISPOSITIONS = ("待核实", "属实", "不属实", "已处理")


class DispositionDialog(FormDialog):
    def __init__(self, finding_ids: Sequence[str], rows: int, parent: QWidget | None = None):
        ids = list(finding_ids)
        self.choice = QComboBox()
        for d in DISPOSITIONS:
            self.choice.addItem(d, d)
        self.choice.setCurrentIndex(min(1, len(DISPOSITIONS) - 1))  # 属实: what a checked finding usually is
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What was checked, and what was done"))
        self.note.setFixedHeight(90)
        super().__init__(
            self.tr("Record the result"),
            parent,
            intro=self.tr("%1 findings in %2 rows.").replace("%1", str(len(ids))).replace("%2", str(rows)),
            read=lambda: (self.choice.currentData(), self.note.toPlainText().strip()),
            write=lambda s, value: s.comparison.dispose(ids, value[0], value[1]),
        )
        self.finding_ids = ids
        self.add_row(self.tr("Result"), self.choice, field="disposition")
        self.add_row(self.tr("Note"), self.note, field="note")
