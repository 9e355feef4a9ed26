"""Frozen entry point of ``Artifex`` (the same function as pyproject's ``[project.gui-scripts]``).

``ARTIFEX_FROZEN_SMOKE_SECONDS=N`` (used by ``.ci/frozen_check.sh``): N seconds after the
event loop starts, print whether a main window is visible, then quit with exit status 0
(shown) or 3 (not shown). Nothing changes when the variable is unset.
"""

import multiprocessing
import os
import sys


def _arm_smoke_test(seconds: float) -> None:
    """Wrap ``QApplication.exec`` so that the running app reports its windows and quits."""
    from PySide6 import QtCore, QtWidgets

    original_exec = QtWidgets.QApplication.exec

    def exec_with_smoke_timer(*args, **kwargs):
        app = QtWidgets.QApplication.instance()

        def report_and_quit() -> None:
            shown = [
                w
                for w in app.topLevelWidgets()
                if isinstance(w, QtWidgets.QMainWindow) and w.isVisible()
            ]
            titles = ", ".join(repr(w.windowTitle()) for w in shown)
            status = f"main window shown: {titles}" if shown else "no main window shown"
            print(f"frozen smoke test: {status}", flush=True)
            app.exit(0 if shown else 3)

        QtCore.QTimer.singleShot(int(seconds * 1000), report_and_quit)
        print(f"frozen smoke test: event loop started, quitting in {seconds:g} s", flush=True)
        return original_exec(*args, **kwargs)

    # exec is a static method in PySide6: keep it one, whether called on the class or the app.
    QtWidgets.QApplication.exec = staticmethod(exec_with_smoke_timer)


if __name__ == "__main__":
    multiprocessing.freeze_support()

    # A windowed program on Windows has no console: sys.stdout/stderr are None, and any
    # library that writes to them (tqdm progress bars, warnings) would raise.
    for _name in ("stdout", "stderr"):
        if getattr(sys, _name) is None:
            setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

    _smoke_seconds = os.environ.get("ARTIFEX_FROZEN_SMOKE_SECONDS")
    if _smoke_seconds:
        _arm_smoke_test(float(_smoke_seconds))

    from artifex_gui.app import main

    sys.exit(main())
