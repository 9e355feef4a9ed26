"""Preferences that are not generation options: language, output folder, keep latents."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from artifex_gui.i18n import LANGUAGES
from artifex_gui.paths import default_output_dir
from artifex_gui.settings import SettingsStore


class SettingsDialog(QDialog):
    def __init__(self, store: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(self.tr("Settings"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(self.tr("System language") if code == "system" else name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(store.values.language)))
        self.output_dir = QLineEdit(store.values.output_dir)
        self.output_dir.setPlaceholderText(str(default_output_dir()))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.output_dir, 1)
        row.addWidget(browse)
        note = QLabel(self.tr("A new language applies the next time Artifex starts."))
        note.setObjectName("hint")
        self.keep_latents = QCheckBox(QCoreApplication.translate(
            "LatentsBar", "Keep each run's final latents (about 21 MB at 1280×704, 121 frames)"))
        self.keep_latents.setToolTip(QCoreApplication.translate(
            "LatentsBar", "If the decode runs out of memory, Decode again makes the video from them without the steps. "
            "History can delete them."))
        self.keep_latents.setChecked(store.values.keep_latents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", note)
        form.addRow(self.tr("Save videos in"), row)
        form.addRow("", self.keep_latents)
        form.addRow(buttons)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Save videos in"), self.output_dir.text())
        if path:
            self.output_dir.setText(path)

    def apply(self) -> bool:
        """Write the choices into the store; True if the language changed (restart needed)."""
        language = self.language.currentData()
        changed = language != self.store.values.language
        self.store.set("language", language)
        self.store.set("output_dir", self.output_dir.text().strip())
        self.store.set("keep_latents", self.keep_latents.isChecked())
        return changed
