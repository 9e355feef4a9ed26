"""App-level behaviour: window before torch, crash log, single instance, languages."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLockFile
from PySide6.QtWidgets import QApplication, QMessageBox

from artifex_gui import app as app_module
from artifex_gui.i18n import install_translators, resolve_language
from artifex_gui.paths import resource

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[1]


def test_window_opens_without_importing_torch(data_dir):
    """In a fresh interpreter (this one may already hold torch from other tests)."""
    code = textwrap.dedent(
        """
        import sys
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from artifex_gui.app import apply_style
        from artifex_gui.settings import SettingsStore
        from artifex_gui.ui.main_window import MainWindow
        apply_style(app)
        store = SettingsStore(); store.load()
        window = MainWindow(store)
        window.show(); app.processEvents(); window.sample_memory()
        print("TORCH", "torch" in sys.modules)
        window.shutdown(); window.deleteLater(); app.processEvents()
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ARTIFEX_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, cwd=REPO)
    assert "TORCH False" in out.stdout, out.stdout + out.stderr


def test_uncaught_exception_is_logged(qapp, data_dir, monkeypatch):
    shown = []
    monkeypatch.setattr(app_module.QMessageBox, "exec", lambda self: shown.append(self.informativeText()))
    log_path = app_module.setup_logging()
    try:
        raise ValueError("boom from a slot")
    except ValueError as exc:
        app_module.handle_exception(type(exc), exc, exc.__traceback__)
    for handler in app_module.log.handlers:
        handler.flush()
    text = log_path.read_text(encoding="utf-8")
    assert "boom from a slot" in text and "Traceback" in text
    assert log_path.parent == data_dir
    assert shown and "boom from a slot" in shown[0]


def test_second_instance_gets_a_message_not_a_crash(qapp, data_dir, monkeypatch):
    first = app_module.acquire_single_instance(data_dir)
    assert first is not None
    try:
        assert app_module.acquire_single_instance(data_dir) is None
        messages = []
        monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: messages.append(a[2])))
        monkeypatch.setattr(sys, "excepthook", sys.excepthook)
        import threading

        monkeypatch.setattr(threading, "excepthook", threading.excepthook)
        assert app_module.main([]) == 0
        assert messages and "already running" in messages[0]
    finally:
        first.unlock()
        install_translators(QApplication.instance(), "en")
        QApplication.instance().setStyleSheet("")


def test_language_follows_the_system_and_settings():
    assert resolve_language("system", "ko_KR") == "ko"
    assert resolve_language("system", "de_DE") == "en"
    assert resolve_language("ko", "en_US") == "ko" and resolve_language("en", "ko_KR") == "en"


def test_korean_translation_loads_and_is_complete(qtbot):
    app = QApplication.instance()
    try:
        assert install_translators(app, "ko") == "ko"
        assert QCoreApplication.translate("ProgressPanel", "Ready") == "준비"
        assert QCoreApplication.translate("MainWindow", "Generate") == "생성"
    finally:
        install_translators(app, "en")
    assert QCoreApplication.translate("MainWindow", "Generate") == "Generate"
    tree = ET.parse(resource("i18n", "artifex_ko.ts"))
    unfinished = [m.find("source").text for m in tree.iter("message")
                  if m.find("translation").get("type") == "unfinished" or not m.find("translation").text]
    assert not unfinished, f"untranslated strings: {unfinished}"
    assert resource("i18n", "artifex_ko.qm").stat().st_mtime >= resource("i18n", "artifex_ko.ts").stat().st_mtime - 1


def test_resources_are_there():
    for name in ("style.qss", "icons/artifex.svg", "icons/artifex.png", "icons/artifex.ico", "i18n/artifex_ko.qm"):
        assert resource(*name.split("/")).is_file(), name


def test_a_stale_lock_with_our_own_process_id_is_taken_over(qapp, tmp_path):
    # A crashed Artifex left its lock; this process got the same id (Wine always gives the
    # first program the same one; Windows reuses ids). Qt alone would say "already running".
    folder = tmp_path / "data"
    folder.mkdir()
    earlier = QLockFile(str(folder / "artifex.lock"))
    assert earlier.tryLock(0)
    content = (folder / "artifex.lock").read_bytes()  # our pid, host and program name
    earlier.unlock()
    (folder / "artifex.lock").write_bytes(content)
    assert not QLockFile(str(folder / "artifex.lock")).tryLock(0), "Qt itself sees it as live"
    lock = app_module.acquire_single_instance(folder)
    assert lock is not None and lock.isLocked()
    try:
        assert app_module.acquire_single_instance(folder) is None  # now it is ours: held
    finally:
        lock.unlock()
