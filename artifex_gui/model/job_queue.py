"""Jobs waiting for the engine.  Pressing Generate while a run is busy adds one here."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal

from engine.request import GenerationRequest


@dataclass(frozen=True)
class Job:
    job_id: int
    request: GenerationRequest
    output_size: tuple[int, int] | None = None  # what it will produce (an image keeps its shape)

    @property
    def summary(self) -> str:
        r = self.request
        prompt = " ".join(r.prompt.split())
        prompt = prompt if len(prompt) <= 48 else prompt[:47] + "…"
        if self.output_size is not None:
            size = f"{self.output_size[0]}×{self.output_size[1]}"
        elif r.width and r.height:
            size = f"{r.width}×{r.height}"
        else:
            size = QCoreApplication.translate("Job", "default size")
        image = QCoreApplication.translate("Job", " · image") if r.image_path else ""
        return QCoreApplication.translate("Job", "#{0} {1} · {2}f · {3} steps{4} — {5}").format(
            self.job_id,
            size,
            r.frames or "?",
            r.steps or "?",
            image,
            prompt or QCoreApplication.translate("Job", "(no prompt)"),
        )


class JobQueue(QObject):
    jobs_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []
        self._ids = itertools.count(1)

    def __len__(self) -> int:
        return len(self._jobs)

    @property
    def jobs(self) -> tuple[Job, ...]:
        return tuple(self._jobs)

    def next_id(self) -> int:
        return next(self._ids)

    def add(self, request: GenerationRequest, output_size: tuple[int, int] | None = None) -> Job:
        job = Job(self.next_id(), request, output_size)
        self._jobs.append(job)
        self.jobs_changed.emit()
        return job

    def remove(self, job_id: int) -> None:
        before = len(self._jobs)
        self._jobs = [j for j in self._jobs if j.job_id != job_id]
        if len(self._jobs) != before:
            self.jobs_changed.emit()

    def clear(self) -> None:
        if self._jobs:
            self._jobs.clear()
            self.jobs_changed.emit()

    def pop_next(self) -> Job | None:
        if not self._jobs:
            return None
        job = self._jobs.pop(0)
        self.jobs_changed.emit()
        return job
