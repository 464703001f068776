"""Start Network Designer: `python main.py` (see `python main.py --help`)."""

import sys

from designer.cli import main

if __name__ == "__main__":
    sys.exit(main())
