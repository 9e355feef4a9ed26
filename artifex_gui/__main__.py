"""``python -m artifex_gui``."""

import sys

from artifex_gui.app import main

sys.exit(main())
