"""``python -m capexmodel``: the same as the ``capexmodel`` command."""

import sys

from capexmodel._present.cli import main

if __name__ == "__main__":
    sys.exit(main())
