"""``python -m landopt.cli``: run the command line and exit with its code."""

import sys

from landopt.cli import main

sys.exit(main())
