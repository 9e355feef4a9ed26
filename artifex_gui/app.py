"""``artifex`` entry point: the window first, the engine (and torch) afterwards.

Order matters for how fast the window appears: Qt, settings, style and the window are cheap;
``engine.run.runner`` imports torch and is only touched by ``EngineWarmup`` in a thread after
``window.show()``.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QEvent, QLockFile, QSysInfo, QTimer
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from artifex_gui.paths import APP_NAME, ORG_NAME, data_dir, log_file, resource

log = logging.getLogger("artifex")


def setup_logging() -> Path:
    path = log_file()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("artifex")
    if not any(isinstance(h, logging.FileHandler) and h.baseFilename == str(path) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def handle_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
                     *, show_dialog: bool = True) -> None:
    """Uncaught exceptions: written to the log file, then shown in a dialog."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    try:
        log.error("Uncaught exception\n%s", text)
    except Exception:
        pass
    sys.__stderr__ and sys.__stderr__.write(text)
    app = QApplication.instance()
    if not show_dialog or app is None or threading.current_thread() is not threading.main_thread():
        return
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME,
                      QCoreApplication.translate("App", "Something went wrong inside Artifex."))
    box.setInformativeText(
        QCoreApplication.translate("App", "{0}\n\nThe details were written to {1}. Artifex keeps running; "
                                          "if something looks wrong, restart it.").format(exc, log_file())
    )
    box.setDetailedText(text)
    box.exec()


def install_excepthook() -> None:
    sys.excepthook = handle_exception

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        handle_exception(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    threading.excepthook = thread_hook


# Lock files this process has taken: a lock naming our own process id is ours only if here.
_LOCKED_HERE: set[str] = set()


def acquire_single_instance(folder: Path | None = None) -> QLockFile | None:
    """A lock in the data folder; None when another Artifex holds it (stale locks of a
    crashed instance are taken over by QLockFile).

    QLockFile sees a lock as live while a process with its id and program name runs. A
    crashed Artifex whose id the next Artifex happens to get (Windows reuses ids; under Wine
    the first program always gets the same one) would then lock the user out for good with
    "already running": a lock naming this very process, which this process never took, is
    stale and is taken over."""
    path = str((folder or data_dir()) / "artifex.lock")
    lock = QLockFile(path)
    lock.setStaleLockTime(0)
    if not lock.tryLock(200) and not _left_by_our_process_id(lock, path):
        return None
    if not lock.isLocked() and not (lock.removeStaleLockFile() and lock.tryLock(0)):
        return None
    _LOCKED_HERE.add(path)
    return lock


def _left_by_our_process_id(lock: QLockFile, path: str) -> bool:
    if path in _LOCKED_HERE:
        return False
    info = lock.getLockInfo()
    if not info or len(info) < 2:
        return False
    pid, hostname = info[0], info[1]
    return pid == QCoreApplication.applicationPid() and hostname == QSysInfo.machineHostName()


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#1b1e24",
        QPalette.ColorRole.WindowText: "#d8dee9",
        QPalette.ColorRole.Base: "#14171c",
        QPalette.ColorRole.AlternateBase: "#1f232a",
        QPalette.ColorRole.Text: "#e5e9f0",
        QPalette.ColorRole.Button: "#262b33",
        QPalette.ColorRole.ButtonText: "#e5e9f0",
        QPalette.ColorRole.Highlight: "#3b82f6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#262b33",
        QPalette.ColorRole.ToolTipText: "#e5e9f0",
        QPalette.ColorRole.PlaceholderText: "#6b7380",
        QPalette.ColorRole.Link: "#60a5fa",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#5c6370"))
    app.setPalette(palette)
    qss = resource("style.qss")
    if qss.is_file():
        icons = resource("icons").resolve().as_posix()  # the sheet's url()s, wherever we run from
        app.setStyleSheet(qss.read_text(encoding="utf-8").replace("@ICONS@", icons))
    icon = resource("icons", "artifex.svg")
    png = resource("icons", "artifex.png")
    app.setWindowIcon(QIcon(str(png if png.is_file() else icon)))


def main(argv: list[str] | None = None) -> int:
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    setup_logging()
    install_excepthook()
    apply_style(app)

    from artifex_gui.i18n import install_translators
    from artifex_gui.settings import SettingsStore

    store = SettingsStore()
    store.load()
    install_translators(app, store.values.language)

    lock = acquire_single_instance()
    if lock is None:
        QMessageBox.information(
            None, APP_NAME,
            QCoreApplication.translate("App", "Artifex is already running. Switch to its window "
                                              "(it may be minimised or on another screen)."),
        )
        return 0

    from artifex_gui.ui.main_window import MainWindow  # no torch import behind this line

    window = MainWindow(store)
    window.show()
    if store.load_message:
        window.show_notice(store.load_message)
    QTimer.singleShot(0, window.start_engine_warmup)
    log.info("window shown; engine warming up in the background")
    try:
        return app.exec()
    finally:
        # Delete the window while QApplication still exists: leaving it to interpreter
        # shutdown crashes in PySide6's garbage collection.
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del window
        lock.unlock()


if __name__ == "__main__":
    sys.exit(main())
