"""Frozen entry point of ``Artifex`` (the same function as pyproject's ``[project.gui-scripts]``).

``ARTIFEX_FROZEN_SMOKE_SECONDS=N`` (used by ``.ci/frozen_check.sh``): N seconds after the
event loop starts, print whether a main window is visible. If the window has an
``engine_state`` (idle | loading | ready | unavailable), wait up to
``ARTIFEX_FROZEN_SMOKE_ENGINE_SECONDS`` (default 180) more for the background engine load
(torch) to finish and print its state. Then quit: exit status 0 (window shown, engine ready
or not tracked), 3 (no window), 4 (engine unavailable or still loading).
Nothing changes when the variable is unset.
"""

import multiprocessing
import os
import sys


def _arm_smoke_test(seconds: float, engine_seconds: float) -> None:
    """Wrap ``QApplication.exec`` so that the running app reports its windows and quits."""
    import time

    from PySide6 import QtCore, QtWidgets

    original_exec = QtWidgets.QApplication.exec

    def say(text: str) -> None:
        print(f"frozen smoke test: {text}", flush=True)

    def exec_with_smoke_timer(*args, **kwargs):
        app = QtWidgets.QApplication.instance()
        deadline = time.monotonic() + seconds + engine_seconds

        def windows() -> list:
            return [
                w
                for w in app.topLevelWidgets()
                if isinstance(w, QtWidgets.QMainWindow) and w.isVisible()
            ]

        def wait_for_engine() -> None:
            states = [getattr(w, "engine_state", None) for w in windows()]
            state = next((s for s in states if s is not None), None)
            if state in ("ready", "unavailable") or time.monotonic() > deadline:
                say(f"engine state: {state}")
                app.exit(0 if state == "ready" else 4)
            else:
                QtCore.QTimer.singleShot(250, wait_for_engine)

        def report() -> None:
            shown = windows()
            if not shown:
                say("no main window shown")
                app.exit(3)
                return
            say("main window shown: " + ", ".join(repr(w.windowTitle()) for w in shown))
            if any(hasattr(w, "engine_state") for w in shown):
                wait_for_engine()
            else:
                app.exit(0)

        QtCore.QTimer.singleShot(int(seconds * 1000), report)
        say(f"event loop started, reporting in {seconds:g} s")
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
        _arm_smoke_test(
            float(_smoke_seconds),
            float(os.environ.get("ARTIFEX_FROZEN_SMOKE_ENGINE_SECONDS", "180")),
        )

    from artifex_gui.app import main

    sys.exit(main())
