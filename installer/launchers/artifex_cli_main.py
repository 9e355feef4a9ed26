"""Frozen entry point of ``artifex-cli`` (the same function as pyproject's ``[project.scripts]``).

PyInstaller runs this file as ``__main__``; the ``engine.cli`` package itself cannot be the script
because the engine package uses package-relative imports.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    # Must run first: a child process started with the "spawn" method (always on Windows)
    # re-executes this program, and freeze_support() turns it into the worker it should be.
    multiprocessing.freeze_support()

    from engine.cli import main

    sys.exit(main())
