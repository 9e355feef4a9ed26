"""The progress panel's pass line: DiT passes computed of those run so far, how many the step
cache reused, and the speed-up that means — live, one update per step."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from artifex_gui.model.pass_stats import pass_totals
from artifex_gui.ui.pass_marks import CACHED_COLOR


class PassCounter(QLabel):
    def __init__(self, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("hint")
        self.setWordWrap(True)
        state.steps_changed.connect(self.refresh)
        state.info_changed.connect(lambda _i: self.refresh())
        self.refresh()

    def text_for(self, steps, total_steps: int, passes_per_step: int) -> str:
        if not steps:
            if total_steps and passes_per_step:
                if passes_per_step == 1:
                    return self.tr("{0} steps × 1 pass").format(total_steps)
                return self.tr("{0} steps × {1} passes").format(total_steps, passes_per_step)
            return ""
        totals = pass_totals(steps)
        text = self.tr("Passes {0}/{1}").format(totals.computed, totals.total)
        if totals.reused:
            reused = self.tr("{0} reused").format(totals.reused)
            text += f' · <span style="color:{CACHED_COLOR}">{reused}</span> ({totals.speedup:.2f}×)'
        self.setToolTip(
            self.tr(
                "DiT passes computed of those run so far; reused passes came from the step "
                "cache, and the factor is how many fewer passes ran"
            )
        )
        return text

    def refresh(self) -> None:
        info = self.state.info
        per_step = int(getattr(info, "passes_per_step", 0) or 0) if info is not None else 0
        self.setText(self.text_for(self.state.steps, self.state.total_steps, per_step))
