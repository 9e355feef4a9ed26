"""The left column: model folder, image, prompts and every generation option.

Every field is tied to its setting with :func:`artifex_gui.ui.bind.bind`, so the store is
the single source of truth: a restored session, "reuse last seed" or "quick demo settings"
are just ``store.set(...)`` calls.  Number boxes and lists ignore the mouse wheel unless
they have the focus (:func:`guard_wheel`): scrolling the column never changes a value.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRegularExpression,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractScrollArea,
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
from artifex_gui.ui.bind import Binding, bind
from artifex_gui.ui.drop_zone import ImageDropZone
from artifex_gui.ui.lora_panel import LoraPanel
from artifex_gui.ui.model_parts import ModelPartsPanel
from artifex_gui.ui.sampling_box import SamplingPresetBox
from engine.config import default_negative_prompt
from engine.request import DECODE_CHOICES, DTYPES, OFFLOAD_MODES, PRECISIONS, SOLVERS

SIZE_PRESETS = ("1280*704", "704*1280")


class _WheelGuard(QObject):
    """Hands the wheel to the scrolling column while the field has no focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if event.type() != QEvent.Type.Wheel or watched.hasFocus():
            return False
        area = watched.parent()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parent()
        if area is not None:  # the column scrolls as if the field were not there
            QCoreApplication.sendEvent(area.verticalScrollBar(), event)
        return True  # never the field's value


_WHEEL_GUARD: _WheelGuard | None = None


def guard_wheel(widget: QWidget) -> QWidget:
    """The wheel changes ``widget``'s value only once it was clicked or tabbed into."""
    global _WHEEL_GUARD
    if _WHEEL_GUARD is None:
        _WHEEL_GUARD = _WheelGuard()
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_WHEEL_GUARD)
    return widget


def compact(widget: QWidget) -> QWidget:
    """Number boxes and lists ask for little width (their longest possible text would make
    the column wider than a 1280 px window can give); the layout stretches them."""
    if isinstance(widget, QComboBox):
        widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        widget.setMinimumContentsLength(8)
    else:
        widget.setMinimumWidth(64)
    return widget


class InputsPanel(QWidget):
    model_dir_changed = Signal(object)  # FolderCheck | None (None: demo model)

    def __init__(self, store: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.folder_check: FolderCheck | None = None
        self.bindings: dict[str, Binding] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(10)
        layout.addWidget(self._build_model_group())
        self.model_parts = ModelPartsPanel(store)
        layout.addWidget(self.model_parts)
        self.lora_panel = LoraPanel(store)
        layout.addWidget(self.lora_panel)
        layout.addWidget(self._build_image_group())
        layout.addWidget(self._build_prompt_group())
        layout.addWidget(self._build_video_group())
        layout.addWidget(self._build_advanced_group())
        layout.addStretch(1)
        self._bind_all()
        store.changed.connect(self._on_setting_changed)
        for name in ("width", "frames", "random_seed", "image_path", "model_dir"):
            self._on_setting_changed(name, store.get(name))

    # ------------------------------------------------------------------------ building
    def _build_model_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Model"))
        self.model_path = QLineEdit(readOnly=True)
        self.model_path.setMinimumWidth(80)
        self.model_path.setPlaceholderText(self.tr("Demo model"))
        self.model_path.setToolTip(self.tr("No folder chosen: the built-in demo model is used"))
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
        self.negative = QPlainTextEdit()
        self.negative.setPlaceholderText(self.tr("Empty: the model's default (hover to read it)"))
        self.negative.setToolTip(
            self.tr("Empty: the model's default negative prompt —") + " " + default_negative_prompt()
        )
        self.negative.setMaximumHeight(64)
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
        compact(guard_wheel(self.size_preset))
        self.width_spin = self._side_spin("width")
        self.height_spin = self._side_spin("height")
        size_row = QHBoxLayout()
        size_row.setSpacing(4)
        size_row.addWidget(self.width_spin, 1)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_spin, 1)
        form.addRow(self.tr("Size"), self.size_preset)
        form.addRow("", size_row)

        self.frames_spin = compact(guard_wheel(QSpinBox(minimum=1, maximum=1001, singleStep=4)))
        self.frames_spin.setToolTip(self.tr("4n+1 frames (81, 121 …); other values snap to the nearest"))
        self.frames_spin.editingFinished.connect(
            lambda: self.frames_spin.setValue(snap_frames(self.frames_spin.value()))
        )
        self.clip_label = QLabel()
        self.clip_label.setObjectName("hint")
        frames_row = QHBoxLayout()
        frames_row.addWidget(self.frames_spin)
        frames_row.addWidget(self.clip_label, 1)
        form.addRow(self.tr("Frames"), frames_row)

        self.steps_spin = compact(guard_wheel(QSpinBox(minimum=1, maximum=1000)))
        self.guidance_spin = compact(guard_wheel(QDoubleSpinBox(minimum=0.0, maximum=30.0, singleStep=0.5, decimals=1)))
        self.shift_spin = compact(guard_wheel(QDoubleSpinBox(minimum=0.1, maximum=30.0, singleStep=0.5, decimals=1)))
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
        self.seed_random = QCheckBox(self.tr("Random"))
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
        precision_names = {
            "dtype": self.tr("in the precision above"),
            "fp8": self.tr("fp8 attention q/k/v (less memory)"),
            "fp8-all": self.tr("fp8 everywhere (faster, more error)"),
        }
        self.precision_combo = self._choice_combo("precision", [(p, precision_names.get(p, p)) for p in PRECISIONS])
        self.precision_combo.setToolTip(self.tr(
            "The DiT's block linears can multiply in 8-bit floats on GPUs with fp8 tensor cores "
            "(RTX 40/50 series, L4, L40, H100, H200, B200; refused on others). Measured on an H200 "
            "with random weights: attention q/k/v in fp8 holds a 2% error against bf16, 17% less DiT "
            "memory, about as fast; everywhere: half the DiT's memory, 11% faster steps, 7% error."))
        decode_names = {
            "auto": self.tr("auto (the fastest that fits)"),
            "full": self.tr("full (fastest, most memory)"),
            "bands": self.tr("in bands (same frames, less memory)"),
            "tiled": self.tr("tiled (least memory, slower)"),
        }
        self.decode_combo = self._choice_combo("decode_mode", [(m, decode_names.get(m, m)) for m in DECODE_CHOICES])
        self.decode_combo.setToolTip(self.tr(
            "How the VAE turns the latents into frames (measured on an H200 at 1280×704). Full: 9.9 GiB, "
            "the fastest. In bands: the same frames, the large high-resolution part a frame at a time "
            "(6.2 GiB, 1.16× the time; in two bands 5.4 GiB). Tiled: 2.9 GiB, about 3× slower, tiles "
            "blended. Auto takes the fastest that fits the free GPU memory; a decode that runs out of "
            "memory is retried at once in the next mode down."))
        offload_names = {
            "auto": self.tr("auto (as needed for the card)"),
            "none": self.tr("off (everything on the GPU)"),
            "model": self.tr("per model (swap encoder / DiT / VAE)"),
            "block": self.tr("per block (stream DiT blocks from RAM)"),
        }
        self.offload_combo = self._choice_combo("offload_mode", [(m, offload_names.get(m, m)) for m in OFFLOAD_MODES])
        self.offload_combo.setToolTip(self.tr("Keep weights in system RAM and copy them to the GPU when needed: slower, fits smaller cards"))
        self.low_ram_check = QCheckBox(self.tr("Low RAM"))
        self.low_ram_check.setToolTip(self.tr(
            "For PCs with 16 GB of RAM: the text encoder (11 GB) is not kept between runs. It is read "
            "from its file when a new prompt needs it and let go after the text encode; the same prompt "
            "again reuses its encoding."))
        pair = QHBoxLayout()
        pair.addWidget(QLabel(self.tr("Solver")))
        pair.addWidget(self.solver_combo, 1)
        pair.addWidget(QLabel(self.tr("Precision")))
        pair.addWidget(self.dtype_combo, 1)
        form.addRow(pair)
        form.addRow(self.tr("DiT linears"), self.precision_combo)
        form.addRow(self.tr("Attention"), self.attention_combo)
        offload_row = QHBoxLayout()
        offload_row.addWidget(self.offload_combo, 1)
        offload_row.addWidget(self.low_ram_check)
        form.addRow(self.tr("Offload"), offload_row)
        form.addRow(self.tr("VAE decode"), self.decode_combo)
        return box

    def _side_spin(self, name: str) -> QSpinBox:
        spin = compact(guard_wheel(QSpinBox(minimum=32, maximum=4096, singleStep=32)))
        spin.setSuffix(" px")
        spin.setToolTip(self.tr("Multiples of 32; other values snap to the nearest"))
        spin.editingFinished.connect(lambda: spin.setValue(snap_side(spin.value())))
        return spin

    def _choice_combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = compact(guard_wheel(QComboBox()))
        for value, text in items:
            combo.addItem(text, value)
        return combo

    # ------------------------------------------------------------------------- binding
    def _bind_all(self) -> None:
        store = self.store
        fields = {
            "prompt": self.prompt,
            "negative_prompt": self.negative,
            "width": self.width_spin,
            "height": self.height_spin,
            "frames": self.frames_spin,
            "steps": self.steps_spin,
            "random_seed": self.seed_random,
            "solver": self.solver_combo,
            "attention": self.attention_combo,
            "dtype": self.dtype_combo,
            "precision": self.precision_combo,
            "decode_mode": self.decode_combo,
            "offload_mode": self.offload_combo,
            "low_ram": self.low_ram_check,
        }
        self.bindings = {name: bind(store, name, widget) for name, widget in fields.items()}
        for name, spin in (("guidance", self.guidance_spin), ("shift", self.shift_spin)):
            self.bindings[name] = bind(store, name, spin, read=float)
        self.bindings["seed"] = bind(
            store,
            "seed",
            self.seed_edit,
            show=lambda seed: str(seed) if seed >= 0 else "",
            read=lambda text: int(text) if text else -1,
        )

    def _on_setting_changed(self, name: str, value) -> None:
        """What a setting changes besides its own field."""
        if name in ("width", "height"):
            key = f"{self.store.values.width}*{self.store.values.height}"
            with QSignalBlocker(self.size_preset):
                self.size_preset.setCurrentIndex(self.size_preset.findData(key if key in SIZE_PRESETS else "custom"))
        elif name == "frames":
            self.clip_label.setText(self.tr("{0:.2f} s at 24 fps").format(clip_seconds(value)))
        elif name == "random_seed":
            self.seed_edit.setEnabled(not value)
        elif name == "image_path" and value != self.drop_zone.path:
            if value and not self.drop_zone.set_image(value):
                self.store.set("image_path", "")
            elif not value:
                self.drop_zone.clear()
        elif name == "model_dir":
            self._show_model_dir(value)
        if name in ("width", "height", "image_path"):
            self._update_output_size()
        if name in ("dit_file", "t5_file", "vae_file") and not self.store.values.model_dir:
            self._show_model_dir("")

    def _on_preset_chosen(self, _index: int) -> None:
        key = self.size_preset.currentData()
        if key == "custom":
            return
        width, height = (int(p) for p in key.split("*"))
        self.store.set("width", width)
        self.store.set("height", height)

    def _on_image_changed(self, path: str) -> None:
        self.store.set("image_path", path)
        self._update_output_size()

    def _update_output_size(self) -> None:
        width, height = self.store.values.width, self.store.values.height
        if self.drop_zone.image_size:
            ow, oh = image_output_size(self.drop_zone.image_size, width, height)
            self.output_size_label.setText(
                self.tr("Output {0}×{1}: the picture's shape, with at most the pixels of {2}×{3}").format(
                    ow, oh, width, height
                )
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
        v = self.store.values
        if not path and any((v.dit_file, v.t5_file, v.vae_file)):
            self.folder_check = None
            self.model_status.setProperty("state", "ok")
            self.model_status.setText(self.tr("No folder: the model files below are used."))
        elif not path:
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
        with QSignalBlocker(self.attention_combo):
            self.attention_combo.clear()
            for name in backends:
                self.attention_combo.addItem(self.tr("auto (fastest that works)") if name == "auto" else name, name)
        if current not in backends:
            self.store.set("attention", "auto")
        self.bindings["attention"].refresh()

    def set_running(self, busy: bool) -> None:
        """While a job runs, the model folder is locked: changing it would reload the engine
        under the running job.  The other inputs stay editable — the running job has its own
        frozen copy, and edits go to the next job (queued with Generate)."""
        self.model_browse.setEnabled(not busy)
        self.model_clear.setEnabled(not busy and bool(self.store.values.model_dir))
        self.dtype_combo.setEnabled(not busy)
        self.precision_combo.setEnabled(not busy)
