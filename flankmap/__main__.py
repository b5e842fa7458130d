"""``python -m flankmap``: see :mod:`flankmap.cli`."""

import sys

from flankmap.cli import main

sys.exit(main())
