"""``python -m suas_desktop``: same as the ``suas-desktop`` command."""

import sys

from suas_desktop.cli import main

sys.exit(main())
