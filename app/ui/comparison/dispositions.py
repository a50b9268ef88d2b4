"""处理结果: one disposition and note for every finding of the rows selected.

A month's 公安 list can name a dozen deaths checked in one afternoon; one dialog records them all,
and the service refuses a step out of order (已处理 before 属实) in one sentence shown here. Nothing is
chosen until the person chooses: a result recorded by default would raise alerts nobody checked.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from ...errors import InvalidInput
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
        # No choice until the person makes one: a preselected 属实 raised alerts on findings nobody checked.
        self.choice.setPlaceholderText(self.tr("Choose…"))
        self.choice.setCurrentIndex(-1)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What was checked, and what was done"))
        self.note.setFixedHeight(90)
        super().__init__(
            self.tr("Record the result"),
            parent,
            intro=self.tr("%1 findings in %2 rows.").replace("%1", str(len(ids))).replace("%2", str(rows)),
            read=self._value,
            write=lambda s, value: s.comparison.dispose(ids, value[0], value[1]),
        )
        self.finding_ids = ids
        self.add_row(self.tr("Result"), self.choice, field="disposition")
        self.add_row(self.tr("Note"), self.note, field="note")

    def _value(self) -> tuple[str, str]:
        choice = self.choice.currentData()
        if not choice:
            raise InvalidInput(self.tr("Choose the result first."), field="disposition")
        return choice, self.note.toPlainText().strip()
