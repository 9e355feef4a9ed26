"""English and Korean.  English is the source language; Korean comes from
``resources/i18n/artifex_ko.qm`` (compiled from ``artifex_ko.ts`` with pyside6-lrelease)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from artifex_gui.paths import resource

LANGUAGES = {"system": "System", "en": "English", "ko": "한국어"}


def resolve_language(setting: str, system_locale: str | None = None) -> str:
    """``"system"`` follows the OS locale; anything we don't ship falls back to English."""
    if setting in ("en", "ko"):
        return setting
    name = system_locale if system_locale is not None else QLocale.system().name()
    return "ko" if name.lower().startswith("ko") else "en"


def install_translators(app: QApplication, setting: str) -> str:
    """Install the translators for ``setting``; returns the language actually used."""
    language = resolve_language(setting)
    for old in getattr(app, "_artifex_translators", []):
        app.removeTranslator(old)
    app._artifex_translators = []  # type: ignore[attr-defined]  # keep them alive
    if language == "en":
        return language
    ours = QTranslator(app)
    if ours.load(str(resource("i18n", f"artifex_{language}.qm"))):
        app.installTranslator(ours)
        app._artifex_translators.append(ours)  # type: ignore[attr-defined]
    else:
        return "en"
    qt_base = QTranslator(app)  # standard dialogs (file picker, message boxes)
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        app._artifex_translators.append(qt_base)  # type: ignore[attr-defined]
    return language
