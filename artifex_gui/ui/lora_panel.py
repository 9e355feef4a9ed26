"""The LoRA list: add by file dialog or by dropping ``.safetensors`` files onto it; per LoRA
an enable toggle, a strength slider with its number box, and remove. The list lives in the
:class:`SettingsStore` (``loras``: ``[{path, strength, enabled}]``), so it is remembered
when the app restarts; each row shows what the file is (style, rank, alpha) from its header.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from artifex_gui.engine_bridge import describe_lora
from artifex_gui.settings import SettingsStore

MAX_STRENGTH = 4.0  # engine.request.MAX_LORA_STRENGTH (not imported: no engine import here)
SLIDER_STEPS = 100  # slider units per 1.0 of strength; the slider spans 0..2, the box -4..4


class LoraRow(QWidget):
    """One LoRA: enabled, name, strength slider + box, remove; what the file is below."""

    changed = Signal()
    remove_requested = Signal()

    def __init__(self, entry: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = entry["path"]
        self.enabled = QCheckBox(Path(self.path).name)
        self.enabled.setObjectName("loraEnabled")
        self.enabled.setToolTip(self.path)
        self.enabled.setChecked(bool(entry.get("enabled", True)))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("loraSlider")
        self.slider.setRange(0, 2 * SLIDER_STEPS)
        self.box = QDoubleSpinBox()
        self.box.setObjectName("loraStrength")
        self.box.setRange(-MAX_STRENGTH, MAX_STRENGTH)
        self.box.setSingleStep(0.05)
        self.box.setDecimals(2)
        self.remove = QToolButton(text="✕")
        self.remove.setObjectName("loraRemove")
        self.remove.setToolTip(self.tr("Remove this LoRA"))
        self.info = QLabel(wordWrap=True)
        self.info.setObjectName("loraInfo")
        usable, text = describe_lora(self.path)
        self.info.setText(text if usable else self.tr("✗ {0}").format(text))
        self.info.setProperty("state", "ok" if usable else "missing")
        self.set_strength(float(entry.get("strength", 1.0)))
        self.enabled.toggled.connect(lambda _: self.changed.emit())
        self.slider.valueChanged.connect(self._from_slider)
        self.box.valueChanged.connect(self._from_box)
        self.remove.clicked.connect(self.remove_requested.emit)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.enabled, 1)
        top.addWidget(self.slider, 1)
        top.addWidget(self.box)
        top.addWidget(self.remove)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 4)
        col.setSpacing(1)
        col.addLayout(top)
        col.addWidget(self.info)

    def strength(self) -> float:
        return round(self.box.value(), 2)

    def set_strength(self, value: float) -> None:
        self.box.blockSignals(True)
        self.slider.blockSignals(True)
        self.box.setValue(value)
        self.slider.setValue(round(min(max(value, 0.0), 2.0) * SLIDER_STEPS))
        self.box.blockSignals(False)
        self.slider.blockSignals(False)

    def entry(self) -> dict:
        return {"path": self.path, "strength": self.strength(), "enabled": self.enabled.isChecked()}

    def _from_slider(self, value: int) -> None:
        self.box.blockSignals(True)
        self.box.setValue(value / SLIDER_STEPS)
        self.box.blockSignals(False)
        self.changed.emit()

    def _from_box(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(round(min(max(value, 0.0), 2.0) * SLIDER_STEPS))
        self.slider.blockSignals(False)
        self.changed.emit()


class LoraPanel(QGroupBox):
    """The list of LoRAs of the next run, in order; drop ``.safetensors`` files onto it."""

    def __init__(self, store: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setTitle(self.tr("LoRAs"))
        self.setObjectName("loraPanel")
        self.setAcceptDrops(True)
        self.rows: list[LoraRow] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel(self.tr("No LoRA. Add one, or drop .safetensors files here."))
        self.empty.setObjectName("loraEmpty")
        self.empty.setWordWrap(True)
        self.add_button = QPushButton(self.tr("Add LoRA…"))
        self.add_button.setObjectName("loraAdd")
        self.add_button.clicked.connect(self.browse)
        col = QVBoxLayout(self)
        col.addLayout(self.rows_box)
        col.addWidget(self.empty)
        col.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        store.changed.connect(self._on_setting_changed)
        self._rebuild(store.values.loras)

    # ------------------------------------------------------------------ editing
    def browse(self) -> None:
        start = str(Path(self.rows[-1].path).parent) if self.rows else ""
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Choose LoRA files"), start, self.tr("LoRA (*.safetensors)")
        )
        self.add_paths(paths)

    def add_paths(self, paths) -> int:
        """Append the ``.safetensors`` among ``paths`` not yet listed; returns how many."""
        current = list(self.store.values.loras)
        known = {x["path"] for x in current}
        added = 0
        for p in paths:
            p = str(p)
            if p.lower().endswith(".safetensors") and p not in known:
                current.append({"path": p, "strength": 1.0, "enabled": True})
                known.add(p)
                added += 1
        if added:
            self.store.set("loras", current)
        return added

    def _write(self) -> None:
        self.store.set("loras", [row.entry() for row in self.rows])

    def _remove(self, row: LoraRow) -> None:
        self.store.set("loras", [r.entry() for r in self.rows if r is not row])

    # ------------------------------------------------------------------ drops
    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if any(u.toLocalFile().lower().endswith(".safetensors") for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802
        if self.add_paths(u.toLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    # ------------------------------------------------------------------ showing
    def _on_setting_changed(self, name: str, value) -> None:
        if name == "loras" and value != [row.entry() for row in self.rows]:
            self._rebuild(value)

    def _rebuild(self, entries: list[dict]) -> None:
        for row in self.rows:
            self.rows_box.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for entry in entries:
            row = LoraRow(entry, self)
            row.changed.connect(self._write)
            row.remove_requested.connect(lambda r=row: self._remove(r))
            self.rows_box.addWidget(row)
            self.rows.append(row)
        self.empty.setVisible(not self.rows)
