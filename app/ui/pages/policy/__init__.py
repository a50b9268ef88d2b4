"""政策参数 page, one class per file: the page, the add-period dialog, the one-figure editor, and
the table of figure titles and formatting."""

from .add_period_dialog import AddPeriodDialog
from .figures_table import TITLES, figure_name, format_value
from .page import PolicyPage

__all__ = ["TITLES", "AddPeriodDialog", "PolicyPage", "figure_name", "format_value"]
