"""PyInstaller's entry script: it runs as ``__main__`` outside any package, so it imports absolutely."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
