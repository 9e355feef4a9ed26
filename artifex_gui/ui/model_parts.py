"""Model parts: the three ComfyUI files (DiT, text encoder, VAE) and the tokenizer folder,
each with its own picker, and per part what was found (format, dtype, size) or missing.

Works with the folder chosen in the Model group (``model_dir``): files given here replace
that folder's parts, so a ComfyUI user picks three files, a Diffusers/original user picks only
the folder, and a mixed set is both. Detection reads headers only (torch-free, instant).
Every widget writes into the :class:`SettingsStore` and follows its ``changed`` signal.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from artifex_gui.engine_bridge import PartsCheck, check_model_parts
from artifex_gui.settings import SettingsStore

# setting name → detection part name
FILE_SETTINGS = {
    "dit_file": "dit",
    "t5_file": "text_encoder",
    "vae_file": "vae",
    "tokenizer_dir": "tokenizer",
}
PART_ORDER = ("dit", "text_encoder", "vae", "tokenizer")


class ModelPartsPanel(QGroupBox):
    """Pickers for single part files and the detected format of every part."""

    parts_changed = Signal(object)  # PartsCheck | None (None: the demo model)

    def __init__(self, store: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.check: PartsCheck | None = None
        self.setTitle(self.tr("Model files (ComfyUI or mixed)"))
        self.setObjectName("modelParts")
        self.edits: dict[str, QLineEdit] = {}
        self.status: dict[str, QLabel] = {}
        labels = {
            "dit_file": self.tr("DiT"),
            "t5_file": self.tr("Text encoder"),
            "vae_file": self.tr("VAE"),
            "tokenizer_dir": self.tr("Tokenizer"),
        }
        # Short enough for the box at a 1280-px window; the full file name is the tooltip.
        hints = {
            "dit_file": (self.tr("wan2.2_ti2v_5B_fp16"), "wan2.2_ti2v_5B_fp16.safetensors"),
            "t5_file": (self.tr("umt5_xxl_fp8_scaled"), "umt5_xxl_fp8_e4m3fn_scaled.safetensors"),
            "vae_file": (self.tr("wan2.2_vae"), "wan2.2_vae.safetensors"),
            "tokenizer_dir": (self.tr("beside the files"), ""),
        }
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, (name, part) in enumerate(FILE_SETTINGS.items()):
            edit = QLineEdit(readOnly=True)
            edit.setObjectName(f"edit_{name}")
            hint, example = hints[name]
            edit.setPlaceholderText(hint)
            edit.setToolTip(
                self.tr("For example {0}").format(example)
                if example
                else self.tr("Empty: the tokenizer is looked for next to the model files")
            )
            edit.setMinimumWidth(80)
            browse = QPushButton(self.tr("Choose…"))
            browse.setObjectName(f"browse_{name}")
            browse.clicked.connect(lambda _=False, n=name: self.browse(n))
            clear = QToolButton(text="✕")
            clear.setToolTip(self.tr("Use the folder's part"))
            clear.clicked.connect(lambda _=False, n=name: self.store.set(n, ""))
            status = QLabel(wordWrap=True)
            status.setObjectName(f"status_{part}")
            status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(QLabel(labels[name]), 2 * row, 0)
            grid.addWidget(edit, 2 * row, 1)
            grid.addWidget(browse, 2 * row, 2)
            grid.addWidget(clear, 2 * row, 3)
            grid.addWidget(status, 2 * row + 1, 1, 1, 3)
            self.edits[name] = edit
            self.status[part] = status
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("partsSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col = QVBoxLayout(self)
        col.addLayout(grid)
        col.addWidget(self.summary)
        store.changed.connect(self._on_setting_changed)
        self.refresh()

    # ------------------------------------------------------------------ actions
    def browse(self, name: str) -> None:
        current = self.store.get(name) or self.store.get("model_dir") or ""
        if name == "tokenizer_dir":
            path = QFileDialog.getExistingDirectory(
                self, self.tr("Choose the umT5 tokenizer folder"), current
            )
        else:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Choose the model file"),
                current,
                self.tr("Safetensors (*.safetensors)"),
            )
        if path:
            self.store.set(name, path)

    def _on_setting_changed(self, name: str, _value) -> None:
        if name in FILE_SETTINGS or name == "model_dir":
            self.refresh()

    # ------------------------------------------------------------------ showing
    def refresh(self) -> None:
        v = self.store.values
        for name, edit in self.edits.items():
            edit.setText(getattr(v, name))
        given = any(getattr(v, n) for n in ("dit_file", "t5_file", "vae_file"))
        if not v.model_dir and not given:
            self.check = None
            for label in self.status.values():
                label.setText("")
            self.summary.setText(self.tr("No model chosen: the built-in demo model runs."))
            self.parts_changed.emit(None)
            return
        self.check = check_model_parts(
            v.model_dir, v.dit_file, v.t5_file, v.vae_file, v.tokenizer_dir
        )
        self._show(self.check)
        self.parts_changed.emit(self.check)

    def _show(self, check: PartsCheck | None) -> None:
        if check is None:
            self.summary.setText(self.tr("The engine's format detection is not available."))
            return
        formats = {
            "original": self.tr("original"),
            "diffusers": self.tr("Diffusers"),
            "comfyui": self.tr("ComfyUI"),
            "given": self.tr("given"),
        }
        for part in PART_ORDER:
            label = self.status[part]
            if part in check.parts:
                what = formats.get(check.formats.get(part, ""), check.formats.get(part, ""))
                label.setText(self.tr("✓ {0}: {1}").format(what, _short(check.parts[part])))
                label.setProperty("state", "ok")
            elif part in check.missing:
                label.setText(self.tr("✗ missing: {0}").format(check.missing[part]))
                label.setProperty("state", "missing")
            else:
                label.setText("")
            label.style().unpolish(label)
            label.style().polish(label)
        if check.ok:
            self.summary.setText(self.tr("All four parts found."))
        else:
            lines = ([check.refused] if check.refused else []) + check.problems
            self.summary.setText("\n".join(lines) or self.tr("Some parts are missing (see above)."))


def _short(describe: str) -> str:
    """``"ComfyUI file x.safetensors, float16, 9.31 GiB, …"`` without the format word."""
    head, _, rest = describe.partition(" ")
    return rest if head in ("original", "Diffusers", "ComfyUI", "given") else describe


def file_name(path: str) -> str:
    return Path(path).name if path else ""
