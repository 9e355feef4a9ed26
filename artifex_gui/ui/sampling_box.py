"""Sampling presets and the step cache, beside the sampler settings.

A preset fills steps, guidance, solver, cache and timesteps in the settings store in one go;
every value stays editable afterwards, and the preset shows "Custom" as soon as the values no
longer match one.  Presets (DESIGN.md §8–§9):

- Quality · 50 steps: UniPC, 50 steps, guidance 5, no cache (100 passes).
- Faster · step caching: the same with MagCache at its published threshold (about half the
  passes reused).
- Distilled model · few steps: the few-step sampler for FastWan (1000, 757, 522) or Turbo
  (1000, 750, 500, 250), guidance off: one pass per step.

No torch here: the window opens before the engine loads.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from artifex_gui.settings import Settings, SettingsStore
from engine.config import FASTWAN_TIMESTEPS as _FASTWAN
from engine.config import TURBO_TIMESTEPS as _TURBO
from engine.config import format_timesteps
from engine.request import CACHE_DEFAULT_THRESHOLDS as PUBLISHED_THRESHOLDS
from engine.request import CACHE_MODES

FASTWAN_TIMESTEPS = format_timesteps(_FASTWAN)
TURBO_TIMESTEPS = format_timesteps(_TURBO)
DISTILLED_TIMESTEPS = {"fastwan": FASTWAN_TIMESTEPS, "turbo": TURBO_TIMESTEPS}
CACHE_DEFAULT_THRESHOLDS = {"off": 0.0, **PUBLISHED_THRESHOLDS}
PRESET_FIELDS = ("solver", "steps", "guidance", "cache", "cache_threshold", "timesteps")


def preset_values(preset: str, distilled: str = "fastwan") -> dict[str, object]:
    """The settings a preset writes."""
    if preset == "quality":
        return {
            "solver": "unipc",
            "steps": 50,
            "guidance": 5.0,
            "cache": "off",
            "cache_threshold": 0.0,
        }
    if preset == "faster":
        return {
            "solver": "unipc",
            "steps": 50,
            "guidance": 5.0,
            "cache": "magcache",
            "cache_threshold": CACHE_DEFAULT_THRESHOLDS["magcache"],
        }
    if preset == "distilled":
        timesteps = DISTILLED_TIMESTEPS.get(distilled, FASTWAN_TIMESTEPS)
        return {
            "solver": "fewstep",
            "timesteps": timesteps,
            "steps": len(timesteps.split(",")),
            "guidance": 1.0,
            "cache": "off",
            "cache_threshold": 0.0,
        }
    raise ValueError(f"unknown preset {preset!r}")


def matching_preset(values: Settings) -> str:
    """The preset the current values equal, else ``"custom"``."""
    for preset in ("quality", "faster"):
        wanted = preset_values(preset)
        if all(getattr(values, k) == v for k, v in wanted.items()):
            return preset
    if values.solver == "fewstep" and values.guidance == 1.0 and values.cache == "off":
        return "distilled"
    return "custom"


def expected_passes_text(values: Settings) -> str:
    """A short English/translated-by-caller hint of the DiT passes a run will cost."""
    if values.solver == "fewstep":
        n = len([t for t in str(values.timesteps).split(",") if t.strip()])
        return f"{n}"
    per_step = 1 if values.guidance == 1.0 else 2
    return f"{values.steps * per_step}"


class SamplingPresetBox(QWidget):
    """Preset · step cache · threshold · few-step timesteps, bound to the store."""

    def __init__(self, store: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._updating = False
        self.preset_combo = QComboBox()
        self.preset_combo.addItem(self.tr("Quality · 50 steps"), "quality")
        self.preset_combo.addItem(self.tr("Faster · step caching"), "faster")
        self.preset_combo.addItem(self.tr("Distilled model · few steps"), "distilled")
        self.preset_combo.addItem(self.tr("Custom"), "custom")
        self.preset_combo.setToolTip(
            self.tr("Fills steps, guidance, solver and cache; every value stays editable")
        )
        self.preset_combo.currentIndexChanged.connect(self._on_preset_chosen)

        self.cache_combo = QComboBox()
        names = {
            "off": self.tr("off"),
            "magcache": "MagCache",
            "easycache": "EasyCache",
            "fbc": self.tr("first block"),
        }
        tips = {
            "off": self.tr("Every pass computed"),
            "magcache": self.tr(
                "Calibrated on TI2V-5B (published ratios): about half the passes reused at 0.06"
            ),
            "easycache": self.tr("No calibration: reuses while the predicted change stays small"),
            "fbc": self.tr(
                "First-block cache: runs block 0, reuses the rest while its change is small"
            ),
        }
        for mode in CACHE_MODES:
            self.cache_combo.addItem(names[mode], mode)
            self.cache_combo.setItemData(
                self.cache_combo.count() - 1, tips[mode], Qt.ItemDataRole.ToolTipRole
            )
        self.cache_combo.setToolTip(
            self.tr("Reuse a DiT pass when the published rule says it barely changes")
        )
        self.cache_combo.currentIndexChanged.connect(self._on_cache_chosen)
        self.threshold_spin = QDoubleSpinBox(minimum=0.0, maximum=1.0, singleStep=0.01, decimals=3)
        self.threshold_spin.setToolTip(
            self.tr("Higher reuses more passes (faster, further from the exact run); 0 reuses none")
        )
        self.threshold_spin.valueChanged.connect(lambda v: self._write("cache_threshold", float(v)))

        self.distilled_combo = QComboBox()
        self.distilled_combo.addItem(self.tr("FastWan · 3 steps"), "fastwan")
        self.distilled_combo.addItem(self.tr("Turbo · 4 steps"), "turbo")
        self.distilled_combo.setToolTip(
            self.tr("Which distilled checkpoint the model folder holds: sets its timesteps")
        )
        self.distilled_combo.currentIndexChanged.connect(self._on_distilled_chosen)
        self.timesteps_edit = QLineEdit()
        self.timesteps_edit.setPlaceholderText(FASTWAN_TIMESTEPS)
        self.timesteps_edit.setToolTip(
            self.tr("Few-step timesteps, highest first, e.g. 1000,757,522")
        )
        self.timesteps_edit.textEdited.connect(self._on_timesteps_edited)

        self.passes_label = QLabel(wordWrap=True)
        self.passes_label.setObjectName("hint")
        self.cache_label = QLabel(self.tr("Step cache"))
        self.threshold_label = QLabel(self.tr("threshold"))
        self.timesteps_label = QLabel(self.tr("Timesteps"))

        for combo in (self.preset_combo, self.cache_combo, self.distilled_combo):
            # long item texts must not widen the whole left column: elide instead
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
        self.timesteps_edit.setMinimumWidth(60)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.addWidget(QLabel(self.tr("Preset")), 0, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.preset_combo, 0, 1, 1, 3)
        grid.addWidget(self.cache_label, 1, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.cache_combo, 1, 1)
        grid.addWidget(self.threshold_label, 1, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.threshold_spin, 1, 3)
        grid.addWidget(self.timesteps_label, 2, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.distilled_combo, 2, 1)
        grid.addWidget(self.timesteps_edit, 2, 2, 1, 2)
        grid.addWidget(self.passes_label, 3, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        store.changed.connect(self._on_setting_changed)
        self.refresh()

    # ------------------------------------------------------------------------ user input
    def _write(self, name: str, value) -> None:
        if not self._updating:
            self.store.set(name, value)

    def apply_preset(self, preset: str) -> None:
        if preset == "custom":
            return
        for name, value in preset_values(preset, self.store.values.distilled).items():
            self.store.set(name, value)

    def _on_preset_chosen(self, _index: int) -> None:
        if not self._updating:
            self.apply_preset(self.preset_combo.currentData())

    def _on_cache_chosen(self, _index: int) -> None:
        if self._updating:
            return
        mode = self.cache_combo.currentData()
        self.store.set("cache", mode)
        self.store.set("cache_threshold", CACHE_DEFAULT_THRESHOLDS[mode])

    def _on_distilled_chosen(self, _index: int) -> None:
        if self._updating:
            return
        name = self.distilled_combo.currentData()
        self.store.set("distilled", name)
        timesteps = DISTILLED_TIMESTEPS[name]
        self.store.set("timesteps", timesteps)
        if self.store.values.solver == "fewstep":
            self.store.set("steps", len(timesteps.split(",")))

    def _on_timesteps_edited(self, text: str) -> None:
        self.store.set("timesteps", text)
        count = len([t for t in text.split(",") if t.strip()])
        if count and self.store.values.solver == "fewstep":
            self.store.set("steps", count)

    # -------------------------------------------------------------------------- showing
    def _on_setting_changed(self, name: str, _value) -> None:
        if name in PRESET_FIELDS or name == "distilled":
            self.refresh()

    def refresh(self) -> None:
        values = self.store.values
        self._updating = True
        try:
            self.preset_combo.setCurrentIndex(
                max(0, self.preset_combo.findData(matching_preset(values)))
            )
            self.cache_combo.setCurrentIndex(max(0, self.cache_combo.findData(values.cache)))
            self.threshold_spin.setValue(values.cache_threshold)
            self.distilled_combo.setCurrentIndex(
                max(0, self.distilled_combo.findData(values.distilled))
            )
            if self.timesteps_edit.text() != values.timesteps:
                self.timesteps_edit.setText(values.timesteps)
        finally:
            self._updating = False
        few = values.solver == "fewstep"
        for widget in (self.distilled_combo, self.timesteps_edit, self.timesteps_label):
            widget.setVisible(few)
        self.threshold_spin.setEnabled(values.cache != "off" and not few)
        self.cache_combo.setEnabled(not few)
        passes = expected_passes_text(values)
        if few:
            text = self.tr("{0} DiT passes: one per step, guidance off").format(passes)
        elif values.cache != "off":
            text = self.tr("up to {0} DiT passes; the cache reuses some of them").format(passes)
        elif values.guidance == 1.0:
            text = self.tr("{0} DiT passes: guidance 1.0 runs one pass per step").format(passes)
        else:
            text = self.tr("{0} DiT passes (two per step: with and without the prompt)").format(
                passes
            )
        self.passes_label.setText(text)
