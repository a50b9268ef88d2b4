"""``python -m app`` — the same as the ``doudi`` command."""
import sys

from .cli import main

sys.exit(main())
