"""Screenshots of the real main window driving the real engine on the built-in demo model.

    QT_QPA_PLATFORM=offscreen python -m scripts.gui_screenshots --size 1280x720 --lang en OUT_DIR

Writes ``<lang>_<w>x<h>_{idle,engine,running,history,history_settings}.png``: the window idle, its settings
scrolled to the Engine box, during a run of the quick demo settings (8 steps, held after step 5
so the chart is mid-run), and after a second run (image-to-video from a portrait picture, fp8
linears) with the History comparison of the two open.
A private data folder is used (ARTIFEX_DATA_DIR), never the user's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path


def _wait(app, condition, timeout_s: float) -> None:
    deadline = time.time() + timeout_s
    while not condition():
        if time.time() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def _settle(app, seconds: float = 0.4) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.02)


class HeldEngine:
    """The real engine, held after step ``hold_after`` of the next run until released."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.hold_after: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()

    def unload(self) -> None:
        self.engine.unload()

    def run(self, request, on_event, cancel):
        from engine.events import StepFinished

        def forward(event) -> None:
            on_event(event)
            if isinstance(event, StepFinished) and event.index + 1 == self.hold_after:
                self.held.set()
                self.release.wait(60)

        return self.engine.run(request, forward, cancel)


def _shrink(path: Path) -> None:
    """A 256-colour PNG: the flat UI survives it and the file is a fraction of the size."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--lang", default="en", choices=("en", "ko"))
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    work = Path(tempfile.mkdtemp(prefix="artifex-shots-"))
    os.environ["ARTIFEX_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from artifex_gui.app import apply_style
    from artifex_gui.engine_bridge import EngineHost
    from artifex_gui.i18n import install_translators
    from artifex_gui.settings import SettingsStore
    from artifex_gui.ui.main_window import MainWindow
    from engine.run.runner import Engine
    from tests.gui_conftest import make_picture

    app = QApplication.instance() or QApplication(sys.argv)
    apply_style(app)
    store = SettingsStore()
    store.load()
    store.set("language", args.lang)
    store.set("output_dir", str(work / "videos"))
    install_translators(app, args.lang)
    held = HeldEngine(Engine())
    window = MainWindow(store, EngineHost(lambda: held))
    window.resize(width, height)
    window.show()
    window.start_engine_warmup()
    _wait(app, lambda: window.engine_state in ("ready", "unavailable"), 120)
    prefix = f"{args.lang}_{width}x{height}"
    args.out.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        _settle(app)
        path = args.out / f"{prefix}_{name}.png"
        window.grab().save(str(path))
        _shrink(path)
        print(path)

    store.set("prompt", "A lighthouse on a cliff at sunset, waves crashing, slow aerial orbit")
    shot("idle")

    held.hold_after = 5
    window.generate()
    assert held.held.wait(120), "the run never reached step 5"
    _wait(app, lambda: len(window.run_state.steps) >= 5, 10)
    shot("running")
    held.release.set()
    _wait(app, lambda: not window.is_busy, 300)
    held.hold_after = None

    from PySide6.QtWidgets import QScrollArea

    store.set("precision", "fp8-all")  # shown in the Engine box, then compared in History
    inputs_scroll = window.findChild(QScrollArea, "inputsScroll")
    inputs_scroll.ensureWidgetVisible(window.inputs.precision_combo, 50, 120)
    shot("engine")
    inputs_scroll.verticalScrollBar().setValue(0)
    store.set("prompt", "A lighthouse keeper climbing the stairs, portrait")
    window.inputs.drop_zone.set_image(str(make_picture(work / "portrait.png", (480, 768))))
    window.generate()
    _wait(app, lambda: not window.is_busy, 300)
    window.main_tabs.setCurrentWidget(window.history)
    _wait(app, lambda: len([e for e in window.history.entries if not e.damaged]) >= 2, 60)
    window.history.select([e.key for e in window.history.entries[:2]])
    shot("history")
    view = window.history.compare_view  # the settings part of the table: fp8 linears compared
    row = view.row_for("setting.precision")
    if row is not None:
        view.table.scrollToItem(view.table.item(row, 0))
        shot("history_settings")
    window.shutdown(30_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
