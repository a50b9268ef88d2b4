"""``python -m app`` — the same as the ``doudi`` command."""

import sys

# Absolute, so that the same line also works as a frozen entry script.
from app.cli import main

sys.exit(main())
