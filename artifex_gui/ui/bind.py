"""``bind(store, name, widget)``: one setting shown in one widget, both ways.

After krita-ai-diffusion's ``properties.bind``.  The widget writes the store when the user
edits it; the store's ``changed`` signal updates the widget — with the widget's signals
blocked, so showing a value never writes it back (no "updating" flag anywhere).
``show``/``read`` convert between the setting's value and the widget's (a seed of -1 is
an empty box, …).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSignalBlocker
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from artifex_gui.settings import SettingsStore


def _same(value: Any) -> Any:
    return value


def _accessors(widget: QWidget):
    """(signal the user's edits emit, getter, setter) for the widget kinds the app uses."""
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.valueChanged, widget.value, widget.setValue
    if isinstance(widget, QComboBox):

        def set_data(value: Any) -> None:
            index = widget.findData(value)
            if index < 0:  # a value the list does not hold (yet): keep it visible
                widget.addItem(str(value), value)
                index = widget.findData(value)
            widget.setCurrentIndex(index)

        return widget.currentIndexChanged, widget.currentData, set_data
    if isinstance(widget, QAbstractButton):
        return widget.toggled, widget.isChecked, widget.setChecked
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged, widget.toPlainText, widget.setPlainText
    if isinstance(widget, QLineEdit):
        return widget.textEdited, widget.text, widget.setText
    raise TypeError(f"bind() does not know {type(widget).__name__}")


class Binding(QObject):
    """Keeps ``widget`` and ``store.<name>`` equal; lives as long as the widget."""

    def __init__(
        self,
        store: SettingsStore,
        name: str,
        widget: QWidget,
        show: Callable[[Any], Any] = _same,
        read: Callable[[Any], Any] = _same,
    ) -> None:
        super().__init__(widget)
        self.store, self.name, self.widget = store, name, widget
        self._show, self._read = show, read
        edited, self._get, self._set = _accessors(widget)
        edited.connect(self._write)
        store.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        """Show the store's value (e.g. after the widget's choices were refilled)."""
        shown = self._show(self.store.get(self.name))
        if self._get() != shown:
            with QSignalBlocker(self.widget):
                self._set(shown)

    def _write(self, *_args: Any) -> None:
        self.store.set(self.name, self._read(self._get()))

    def _on_changed(self, name: str, _value: Any) -> None:
        if name == self.name:
            self.refresh()


def bind(
    store: SettingsStore,
    name: str,
    widget: QWidget,
    *,
    show: Callable[[Any], Any] = _same,
    read: Callable[[Any], Any] = _same,
) -> Binding:
    return Binding(store, name, widget, show, read)
