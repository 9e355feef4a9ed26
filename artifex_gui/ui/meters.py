"""VRAM and RAM meters, fed about four times a second with ``MemorySample`` data."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QSizePolicy, QWidget

VRAM_WARN_FRACTION = 0.92  # above this the Windows driver starts spilling into shared memory


def _gib(n: int | None) -> str:
    return "–" if n is None else f"{n / 2**30:.1f}"


class MemoryMeters(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last_sample = None
        self.vram_bar = QProgressBar(maximum=1000, textVisible=True)
        self.vram_bar.setObjectName("vramBar")
        self.vram_detail = QLabel(wordWrap=True)
        self.vram_detail.setObjectName("hint")
        self.vram_detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.ram_bar = QProgressBar(maximum=1000, textVisible=True)
        self.ram_bar.setObjectName("ramBar")
        self.ram_detail = QLabel(wordWrap=True)
        self.ram_detail.setObjectName("hint")
        self.ram_detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.warning = QLabel(wordWrap=True)
        self.warning.setObjectName("meterWarning")
        self.warning.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.addWidget(QLabel(self.tr("VRAM")), 0, 0)
        grid.addWidget(self.vram_bar, 0, 1)
        grid.addWidget(self.vram_detail, 1, 1)
        grid.addWidget(QLabel(self.tr("RAM")), 2, 0)
        grid.addWidget(self.ram_bar, 2, 1)
        grid.addWidget(self.ram_detail, 3, 1)
        grid.addWidget(self.warning, 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.vram_bar.setFormat(self.tr("waiting for the first sample…"))
        self.ram_bar.setFormat("")

    @property
    def vram_nearly_full(self) -> bool:
        s = self.last_sample
        return bool(s and s.vram_total_bytes and s.vram_used_bytes is not None
                    and s.vram_used_bytes / s.vram_total_bytes > VRAM_WARN_FRACTION)

    def update_sample(self, sample) -> None:
        """``sample``: engine.events.MemorySample (bytes)."""
        self.last_sample = sample
        if sample.vram_total_bytes:
            used = sample.vram_used_bytes or 0
            self.vram_bar.setEnabled(True)
            self.vram_bar.setValue(int(1000 * used / sample.vram_total_bytes))
            self.vram_bar.setFormat(self.tr("{0} / {1} GiB used on the card").format(_gib(used), _gib(sample.vram_total_bytes)))
            self.vram_detail.setText(
                self.tr("this app: allocated {0} GiB · reserved {1} GiB · source {2}").format(
                    _gib(sample.vram_allocated_bytes), _gib(sample.vram_reserved_bytes), sample.source
                )
            )
        else:
            self.vram_bar.setEnabled(False)
            self.vram_bar.setValue(0)
            self.vram_bar.setFormat(self.tr("no CUDA GPU"))  # short: fits a narrow bar
            self.vram_detail.setText(self.tr("running on the CPU"))
        self.ram_bar.setValue(int(1000 * sample.ram_used_bytes / max(1, sample.ram_total_bytes)))
        self.ram_bar.setFormat(self.tr("{0} / {1} GiB used").format(_gib(sample.ram_used_bytes), _gib(sample.ram_total_bytes)))
        self.ram_detail.setText(self.tr("this app: {0} GiB").format(_gib(sample.process_rss_bytes)))
        nearly_full = self.vram_nearly_full
        self.vram_bar.setProperty("warn", nearly_full)
        self.vram_bar.style().unpolish(self.vram_bar)
        self.vram_bar.style().polish(self.vram_bar)
        if nearly_full:
            self.warning.setText(
                self.tr("⚠ VRAM is nearly full: the driver may spill into slow shared memory. "
                        "Turn on offload or choose a smaller size.")
            )
        self.warning.setVisible(nearly_full)
