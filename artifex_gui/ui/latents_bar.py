"""History's line about the selected run's kept latents: whether they are there, and the
**Decode again** and **Delete latents** actions.

A run keeps its final latents beside its report (``NAME.latents.safetensors``, ~21 MB at
1280×704×121) so that a decode that ran out of memory can be decoded again without the
denoising.  This bar says, for the one selected run, whether the file is there and how big,
and offers the two actions; the window runs the decode (``decode_requested``), the bar
deletes the file itself (after asking) and says so (``latents_deleted``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from artifex_gui.model.decode_job import kept_latents, remove_latents


def _size_text(nbytes: int) -> str:
    return f"{nbytes / 1e6:.1f} MB" if nbytes >= 1e6 else f"{max(1, round(nbytes / 1e3))} kB"


class LatentsBar(QFrame):
    decode_requested = Signal(str)  # the latents file to decode again
    latents_deleted = Signal(str)  # the latents file that was deleted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("latentsBar")
        self.report_path: Path | None = None
        self.latents_path: Path | None = None
        self.label = QLabel()
        self.label.setObjectName("hint")
        self.label.setWordWrap(True)
        self.decode_button = QPushButton(self.tr("Decode again"))
        self.decode_button.setObjectName("decodeAgainButton")
        self.decode_button.setToolTip(
            self.tr("Decode this run's kept latents into a video again, without the denoising steps")
        )
        self.decode_button.clicked.connect(self._decode)
        self.delete_button = QPushButton(self.tr("Delete latents"))
        self.delete_button.setObjectName("deleteLatentsButton")
        self.delete_button.clicked.connect(lambda: self.delete_latents())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.setSpacing(8)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.decode_button)
        layout.addWidget(self.delete_button)
        self.set_run(None)

    def set_run(self, report_path: Path | None, result: dict | None = None) -> None:
        """Show the kept latents of the run reported at ``report_path`` (None: no single run)."""
        self.report_path = Path(report_path) if report_path is not None else None
        self.latents_path = kept_latents(report_path, result) if report_path is not None else None
        kept = self.latents_path is not None
        if report_path is None:
            self.label.setText(self.tr("Select one run to see whether its latents are kept."))
        elif kept:
            size = _size_text(self.latents_path.stat().st_size)
            self.label.setText(
                self.tr("Latents kept: {0} ({1}). Decode again makes a video from them without the steps.").format(
                    self.latents_path.name, size
                )
            )
            self.label.setToolTip(str(self.latents_path))
        else:
            self.label.setText(self.tr("No latents kept for this run (deleted, or keep latents was off)."))
            self.label.setToolTip("")
        self.decode_button.setEnabled(kept)
        self.delete_button.setEnabled(kept)

    def _decode(self) -> None:
        if self.latents_path is not None:
            self.decode_requested.emit(str(self.latents_path))

    def delete_latents(self, confirm: bool = True) -> bool:
        """Delete the selected run's latents (asked first when ``confirm``); True when deleted."""
        path = self.latents_path
        if path is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Delete latents"),
                self.tr("Delete {0}? The run's video and report stay; it can no longer be decoded again.").format(
                    path.name
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            remove_latents(path)
        except OSError as exc:
            self.label.setText(self.tr("The latents cannot be deleted: {0}").format(exc))
            return False
        self.set_run(self.report_path)
        self.latents_deleted.emit(str(path))
        return True
