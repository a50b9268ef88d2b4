"""``python -m app.cli``: the same command line as ``doudi``."""

import sys

from . import main

sys.exit(main())
