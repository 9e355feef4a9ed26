"""The left column: model folder, image, prompts and every generation option.

Every widget writes straight into the :class:`SettingsStore` and listens to its ``changed``
signal, so the store is the single source of truth: a restored session, "reuse last seed" or
"quick demo settings" are just ``store.set(...)`` calls.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QGuiApplication, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from artifex_gui.engine_bridge import FolderCheck, check_model_folder
from artifex_gui.settings import SettingsStore
from artifex_gui.sizing import clip_seconds, image_output_size, snap_frames, snap_side
from artifex_gui.ui.drop_zone import ImageDropZone
from artifex_gui.ui.sampling_box import SamplingPresetBox
from engine.config import default_negative_prompt
from engine.request import DTYPES, OFFLOAD_MODES, SOLVERS

SIZE_PRESETS = ("1280*704", "704*1280")


class InputsPanel(QWidget):
    model_dir_changed = Signal(object)  # FolderCheck | None (None: demo model)

    def __init__(self, store: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.folder_check: FolderCheck | None = None
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(10)
        layout.addWidget(self._build_model_group())
        layout.addWidget(self._build_image_group())
        layout.addWidget(self._build_prompt_group())
        layout.addWidget(self._build_video_group())
        layout.addWidget(self._build_advanced_group())
        layout.addStretch(1)
        store.changed.connect(self._on_setting_changed)
        self.load_from_store()

    # ------------------------------------------------------------------------ building
    def _build_model_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Model"))
        self.model_path = QLineEdit(readOnly=True)
        self.model_path.setMinimumWidth(80)
        self.model_path.setPlaceholderText(self.tr("Built-in demo model (no folder chosen)"))
        self.model_browse = QPushButton(self.tr("Choose folder…"))
        self.model_browse.clicked.connect(self.browse_model_dir)
        self.model_clear = QToolButton(text="✕")
        self.model_clear.setToolTip(self.tr("Use the built-in demo model"))
        self.model_clear.clicked.connect(lambda: self.set_model_dir(""))
        self.model_status = QLabel(wordWrap=True)
        self.model_status.setObjectName("modelStatus")
        self.model_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.model_path, 1)
        row.addWidget(self.model_browse)
        row.addWidget(self.model_clear)
        col = QVBoxLayout(box)
        col.addLayout(row)
        col.addWidget(self.model_status)
        return box

    def _build_image_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Start image"))
        self.drop_zone = ImageDropZone()
        self.drop_zone.image_changed.connect(self._on_image_changed)
        self.output_size_label = QLabel(wordWrap=True)
        self.output_size_label.setObjectName("outputSize")
        col = QVBoxLayout(box)
        col.addWidget(self.drop_zone)
        col.addWidget(self.output_size_label)
        return box

    def _build_prompt_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Prompt"))
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText(self.tr("Describe the video: subject, motion, camera, light…"))
        self.prompt.setMinimumHeight(70)
        self.prompt.setMaximumHeight(120)
        self.prompt.textChanged.connect(lambda: self._write("prompt", self.prompt.toPlainText()))
        self.negative = QPlainTextEdit()
        self.negative.setPlaceholderText(
            self.tr("Empty: the model's default negative prompt —") + " " + default_negative_prompt()
        )
        self.negative.setMaximumHeight(64)
        self.negative.textChanged.connect(lambda: self._write("negative_prompt", self.negative.toPlainText()))
        col = QVBoxLayout(box)
        col.addWidget(self.prompt)
        col.addWidget(QLabel(self.tr("Negative prompt")))
        col.addWidget(self.negative)
        return box

    def _build_video_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Video"))
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.size_preset = QComboBox()
        self.size_preset.addItem(self.tr("1280×704 landscape"), "1280*704")
        self.size_preset.addItem(self.tr("704×1280 portrait"), "704*1280")
        self.size_preset.addItem(self.tr("Custom"), "custom")
        self.size_preset.currentIndexChanged.connect(self._on_preset_chosen)
        self.width_spin = self._side_spin("width")
        self.height_spin = self._side_spin("height")
        size_row = QHBoxLayout()
        size_row.setSpacing(4)
        size_row.addWidget(self.width_spin, 1)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_spin, 1)
        form.addRow(self.tr("Size"), self.size_preset)
        form.addRow("", size_row)

        self.frames_spin = QSpinBox(minimum=1, maximum=1001, singleStep=4)
        self.frames_spin.setToolTip(self.tr("4n+1 frames (81, 121 …); other values snap to the nearest"))
        self.frames_spin.valueChanged.connect(lambda v: self._write("frames", v))
        self.frames_spin.editingFinished.connect(
            lambda: self.frames_spin.setValue(snap_frames(self.frames_spin.value()))
        )
        self.clip_label = QLabel()
        self.clip_label.setObjectName("hint")
        frames_row = QHBoxLayout()
        frames_row.addWidget(self.frames_spin)
        frames_row.addWidget(self.clip_label, 1)
        form.addRow(self.tr("Frames"), frames_row)

        self.steps_spin = QSpinBox(minimum=1, maximum=1000)
        self.steps_spin.valueChanged.connect(lambda v: self._write("steps", v))
        self.guidance_spin = QDoubleSpinBox(minimum=0.0, maximum=30.0, singleStep=0.5, decimals=1)
        self.guidance_spin.valueChanged.connect(lambda v: self._write("guidance", float(v)))
        self.shift_spin = QDoubleSpinBox(minimum=0.1, maximum=30.0, singleStep=0.5, decimals=1)
        self.shift_spin.valueChanged.connect(lambda v: self._write("shift", float(v)))
        numbers = QHBoxLayout()
        for label, widget in (
            (self.tr("Steps"), self.steps_spin),
            (self.tr("Guidance"), self.guidance_spin),
            (self.tr("Shift"), self.shift_spin),
        ):
            numbers.addWidget(QLabel(label))
            numbers.addWidget(widget, 1)
        form.addRow(self.tr("Sampling"), numbers)
        self.sampling_box = SamplingPresetBox(self.store)
        form.addRow(self.tr("Speed"), self.sampling_box)

        self.seed_edit = QLineEdit()
        self.seed_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,18}$")))
        self.seed_edit.setPlaceholderText(self.tr("random"))
        self.seed_edit.textEdited.connect(self._on_seed_edited)
        self.seed_random = QCheckBox(self.tr("Random"))
        self.seed_random.toggled.connect(lambda on: self._write("random_seed", on))
        self.seed_copy = QToolButton(text=self.tr("Copy"))
        self.seed_copy.setToolTip(self.tr("Copy the seed of the last run"))
        self.seed_copy.clicked.connect(self.copy_seed)
        self.seed_reuse = QToolButton(text=self.tr("Reuse last"))
        self.seed_reuse.setToolTip(self.tr("Use the seed of the last run again"))
        self.seed_reuse.clicked.connect(self.reuse_last_seed)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed_edit, 1)
        seed_row.addWidget(self.seed_random)
        seed_row.addWidget(self.seed_copy)
        seed_row.addWidget(self.seed_reuse)
        form.addRow(self.tr("Seed"), seed_row)
        return box

    def _build_advanced_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Engine"))
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        solver_names = {"unipc": "UniPC", "dpm++": "DPM++", "fewstep": self.tr("few-step")}
        self.solver_combo = self._choice_combo("solver", [(s, solver_names.get(s, s)) for s in SOLVERS])
        self.attention_combo = self._choice_combo("attention", [("auto", self.tr("auto (fastest that works)"))])
        self.attention_combo.setToolTip(self.tr("Filled in with the backends that work on this machine once the engine has loaded"))
        self.dtype_combo = self._choice_combo("dtype", [(d, d) for d in DTYPES])
        offload_names = {
            "auto": self.tr("auto (as needed for the card)"),
            "none": self.tr("off (everything on the GPU)"),
            "model": self.tr("per model (swap encoder / DiT / VAE)"),
            "block": self.tr("per block (stream DiT blocks from RAM)"),
        }
        self.offload_combo = self._choice_combo("offload_mode", [(m, offload_names.get(m, m)) for m in OFFLOAD_MODES])
        self.offload_combo.setToolTip(self.tr("Keep weights in system RAM and copy them to the GPU when needed: slower, fits smaller cards"))
        pair = QHBoxLayout()
        pair.addWidget(QLabel(self.tr("Solver")))
        pair.addWidget(self.solver_combo, 1)
        pair.addWidget(QLabel(self.tr("Precision")))
        pair.addWidget(self.dtype_combo, 1)
        form.addRow(pair)
        form.addRow(self.tr("Attention"), self.attention_combo)
        form.addRow(self.tr("Offload"), self.offload_combo)
        return box

    def _side_spin(self, name: str) -> QSpinBox:
        spin = QSpinBox(minimum=32, maximum=4096, singleStep=32)
        spin.setSuffix(" px")
        spin.setToolTip(self.tr("Multiples of 32; other values snap to the nearest"))
        spin.valueChanged.connect(lambda v: self._write(name, v))
        spin.editingFinished.connect(lambda: spin.setValue(snap_side(spin.value())))
        return spin

    def _choice_combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        for value, text in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self._write(name, combo.currentData()))
        return combo

    # ------------------------------------------------------------------------- binding
    def _write(self, name: str, value) -> None:
        if not self._updating:
            self.store.set(name, value)

    def load_from_store(self) -> None:
        values = self.store.values
        for name in ("model_dir", "image_path", "prompt", "negative_prompt", "width", "height", "frames",
                     "steps", "guidance", "shift", "seed", "random_seed", "solver", "attention", "dtype",
                     "offload_mode"):
            self._on_setting_changed(name, getattr(values, name))

    def _on_setting_changed(self, name: str, value) -> None:
        self._updating = True
        try:
            self._show_setting(name, value)
        finally:
            self._updating = False
        if name in ("width", "height", "image_path"):
            self._update_output_size()

    def _show_setting(self, name: str, value) -> None:  # noqa: C901 — a plain switch
        if name == "prompt" and self.prompt.toPlainText() != value:
            self.prompt.setPlainText(value)
        elif name == "negative_prompt" and self.negative.toPlainText() != value:
            self.negative.setPlainText(value)
        elif name in ("width", "height"):
            spin = self.width_spin if name == "width" else self.height_spin
            if spin.value() != value:
                spin.setValue(value)
            key = f"{self.width_spin.value()}*{self.height_spin.value()}"
            index = self.size_preset.findData(key if key in SIZE_PRESETS else "custom")
            self.size_preset.setCurrentIndex(index)
        elif name == "frames":
            if self.frames_spin.value() != value:
                self.frames_spin.setValue(value)
            self.clip_label.setText(self.tr("{0:.2f} s at 24 fps").format(clip_seconds(value)))
        elif name == "steps" and self.steps_spin.value() != value:
            self.steps_spin.setValue(value)
        elif name == "guidance":
            self.guidance_spin.setValue(value)
        elif name == "shift":
            self.shift_spin.setValue(value)
        elif name == "seed":
            text = str(value) if value >= 0 else ""
            if self.seed_edit.text() != text:
                self.seed_edit.setText(text)
        elif name == "random_seed":
            self.seed_random.setChecked(value)
            self.seed_edit.setEnabled(not value)
        elif name in ("solver", "attention", "dtype", "offload_mode"):
            combo = {"solver": self.solver_combo, "attention": self.attention_combo,
                     "dtype": self.dtype_combo, "offload_mode": self.offload_combo}[name]
            index = combo.findData(value)
            if index < 0 and name == "attention":  # not probed yet: keep the choice visible
                combo.addItem(value, value)
                index = combo.findData(value)
            combo.setCurrentIndex(max(0, index))
        elif name == "image_path":
            if value != self.drop_zone.path:
                if value and not self.drop_zone.set_image(value):
                    self.store.set("image_path", "")
                elif not value:
                    self.drop_zone.clear()
        elif name == "model_dir":
            self._show_model_dir(value)

    def _on_preset_chosen(self, _index: int) -> None:
        key = self.size_preset.currentData()
        if self._updating or key == "custom":
            return
        width, height = (int(p) for p in key.split("*"))
        self.store.set("width", width)
        self.store.set("height", height)

    def _on_seed_edited(self, text: str) -> None:
        self.store.set("seed", int(text) if text else -1)

    def _on_image_changed(self, path: str) -> None:
        self._write("image_path", path)
        self._update_output_size()

    def _update_output_size(self) -> None:
        width, height = self.store.values.width, self.store.values.height
        if self.drop_zone.image_size:
            ow, oh = image_output_size(self.drop_zone.image_size, width, height)
            self.output_size_label.setText(
                self.tr("Output {0}×{1} — the picture's aspect ratio within {2}×{3}").format(ow, oh, width, height)
            )
        else:
            self.output_size_label.setText(self.tr("No picture: text-to-video at {0}×{1}").format(width, height))

    # ----------------------------------------------------------------------- seed tools
    def copy_seed(self) -> None:
        seed = self.store.values.last_seed
        if seed < 0 and self.store.values.seed >= 0:
            seed = self.store.values.seed
        if seed >= 0:
            QGuiApplication.clipboard().setText(str(seed))

    def reuse_last_seed(self) -> None:
        if self.store.values.last_seed >= 0:
            self.store.set("seed", self.store.values.last_seed)
            self.store.set("random_seed", False)

    # --------------------------------------------------------------------- model folder
    def browse_model_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the Wan2.2-TI2V-5B folder"), self.store.values.model_dir
        )
        if path:
            self.set_model_dir(path)

    def set_model_dir(self, path: str) -> None:
        self.store.set("model_dir", path)

    def _show_model_dir(self, path: str) -> None:
        self.model_path.setText(path)
        self.model_clear.setEnabled(bool(path))
        if not path:
            self.folder_check = None
            self.model_status.setProperty("state", "demo")
            self.model_status.setText(self.tr("Demo model: random weights, for trying the app — not real video."))
        else:
            self.folder_check = check = check_model_folder(path)
            self.model_status.setProperty("state", "ok" if check.ok else "bad")
            if check.ok:
                self.model_status.setText(self.tr("✓ Complete: {0}").format(check.model_name or "Wan2.2-TI2V-5B"))
            else:
                lines = []
                if check.recognised_other_model:
                    lines.append(self.tr("This is {0}, not Wan2.2-TI2V-5B.").format(check.recognised_other_model))
                if check.missing:
                    lines.append(self.tr("Missing: {0}").format(", ".join(check.missing)))
                lines.extend(check.problems)
                self.model_status.setText("✗ " + "\n".join(lines))
        self.model_status.style().unpolish(self.model_status)
        self.model_status.style().polish(self.model_status)
        self.model_dir_changed.emit(self.folder_check)

    # ------------------------------------------------------------------------- engine info
    def set_attention_backends(self, backends: list[str]) -> None:
        current = self.store.values.attention
        self._updating = True
        try:
            self.attention_combo.clear()
            for name in backends:
                self.attention_combo.addItem(self.tr("auto (fastest that works)") if name == "auto" else name, name)
        finally:
            self._updating = False
        self._on_setting_changed("attention", current if current in backends else "auto")
        if current not in backends:
            self.store.set("attention", "auto")

    def set_running(self, busy: bool) -> None:
        """While a job runs, the model folder is locked: changing it would reload the engine
        under the running job.  The other inputs stay editable — the running job has its own
        frozen copy, and edits go to the next job (queued with Generate)."""
        self.model_browse.setEnabled(not busy)
        self.model_clear.setEnabled(not busy and bool(self.store.values.model_dir))
        self.dtype_combo.setEnabled(not busy)
