"""Run status: step n/N, elapsed, ETA from measured step times, the current phase; while
the model loads, what is being read, how far (bytes and tensors of the whole load) and
the load's time estimate."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

from artifex_gui.model.names import kernel_text, part_name
from artifex_gui.model.run_state import RunState, RunStatus
from artifex_gui.ui.pass_counter import PassCounter


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ProgressPanel(QWidget):
    def __init__(self, state: RunState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.status_names = {
            RunStatus.IDLE: self.tr("Ready"),
            RunStatus.STARTING: self.tr("Starting…"),
            RunStatus.RUNNING: self.tr("Generating"),
            RunStatus.CANCELLING: self.tr("Cancelling…"),
            RunStatus.FINISHED: self.tr("Finished"),
            RunStatus.FAILED: self.tr("Failed"),
            RunStatus.CANCELLED: self.tr("Cancelled"),
        }
        self.phase_names = {
            "load": self.tr("loading the model"),
            "warmup": self.tr("warming up (compiling)"),
            "encode_text": self.tr("encoding the prompt"),
            "encode_image": self.tr("encoding the image"),
            "denoise": self.tr("denoising"),
            "decode": self.tr("decoding frames"),
            "save": self.tr("saving the video"),
        }
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.bar = QProgressBar(maximum=1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.step_label = QLabel()
        self.step_label.setObjectName("bigNumber")
        self.elapsed_label = QLabel()
        self.eta_label = QLabel()
        self.load_label = QLabel(wordWrap=True)
        self.load_label.setObjectName("loadLabel")
        self.load_label.hide()
        self.info_label = QLabel(wordWrap=True)
        self.info_label.setObjectName("hint")
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.status_label, 0, 0, 1, 3)
        grid.addWidget(self.bar, 1, 0, 1, 3)
        grid.addWidget(self.step_label, 2, 0)
        grid.addWidget(self.elapsed_label, 2, 1)
        grid.addWidget(self.eta_label, 2, 2)
        # The load line and the pass line share a row: one shows while loading, the other
        # after (the panel must fit a 1280×720 window).
        self.pass_counter = PassCounter(state)
        grid.addWidget(self.load_label, 3, 0, 1, 3)
        grid.addWidget(self.pass_counter, 3, 0, 1, 3)
        grid.addWidget(self.info_label, 4, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        state.progress_changed.connect(self.refresh)
        state.status_changed.connect(lambda _s: self.refresh())
        state.info_changed.connect(lambda _i: self.refresh())
        self.refresh()

    def step_text(self) -> str:
        total = self.state.total_steps
        if total:
            return self.tr("Step {0}/{1}").format(len(self.state.steps), total)
        load = self.state.load
        if self.state.loading and load is not None:
            return self.tr("Load {0}%").format(int(100 * load.fraction))
        return self.tr("Step –")

    def load_text(self) -> str:
        """``"DiT · diffusion…-00001-of-00003.safetensors\n3.20 / 9.50 GiB · 120 / 825 tensors"``."""
        load = self.state.load
        if load is None:
            return ""
        text = f"{part_name(load.part)} · {load.file}\n"
        text += self.tr("{0} / {1} GiB · {2} / {3} tensors").format(
            f"{load.done_bytes / 2**30:.2f}", f"{load.total_bytes / 2**30:.2f}",
            f"{load.done_tensors:,}", f"{load.total_tensors:,}",
        )  # fmt: skip
        if load.file_total_bytes:
            text += " · " + self.tr("this file {0}%").format(int(100 * load.file_done_bytes / load.file_total_bytes))
        return text

    def refresh(self) -> None:
        state = self.state
        status = self.status_names.get(state.status, str(state.status))
        if state.status.busy and state.current_phase:
            status += " — " + self.phase_names.get(state.current_phase, state.current_phase)
            if state.current_phase == "decode" and state.decode_total:
                status += f" ({state.decode_done}/{state.decode_total})"
        self.status_label.setText(status)
        loading = state.loading and state.load is not None
        self.bar.setValue(int(1000 * (state.load.fraction if loading else state.fraction_done)))
        self.load_label.setText(self.load_text() if loading else "")
        self.load_label.setVisible(loading)
        self.pass_counter.setVisible(not loading)
        self.step_label.setText(self.step_text())
        idle = state.status == RunStatus.IDLE
        self.elapsed_label.setText(self.tr("Elapsed {0}").format("–" if idle else format_duration(state.elapsed_seconds)))
        self.eta_label.setText(self.tr("ETA {0}").format(format_duration(state.eta_seconds)))
        info = state.info
        if info is not None:
            self.info_label.setText(
                self.tr("{0}×{1} · {2} frames ({3:.1f} s) · {4:,} tokens · {5} · {6} · seed {7}").format(
                    info.width, info.height, info.frames, info.frames / max(1, info.fps), info.token_count,
                    kernel_text(info.attention_kernel), info.dtype, state.seed if state.seed is not None else info.seed,
                )
            )
        elif idle:
            self.info_label.setText("")
