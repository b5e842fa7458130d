"""``python -m flankmap``: see :mod:`flankmap.cli.commands`."""

import sys

from flankmap.cli.commands import main

sys.exit(main())
