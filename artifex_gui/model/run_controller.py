"""The run controller: generate, cancel, the queue, the worker's life, the engine's state.

After krita-ai-diffusion's ``DocumentModel``: the window lays out widgets and binds them to
this object; everything that decides whether and how a run starts lives here.  No widgets:
it talks through signals, and the window shows what they carry.

    generate() → [refused: errored(RunFailed)] | [queued: job_queued(Job)] |
                 busy_changed(True) → run_state events … → finished(final) → busy_changed(False)

``is_busy`` is the one busy state (a worker exists); ``RunState.status`` says which part of
a run is going on.  Every line shown in the log panel also goes to the log file (logger
``artifex.run``), with each run's settings, so the file is what a user can send for help.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from artifex_gui.engine_bridge import (
    EngineHost,
    check_model_folder,
    check_model_parts,
    make_memory_sampler,
    plan_text,
)
from artifex_gui.model.decode_job import DecodeRequest, is_decode_job, make_worker
from artifex_gui.model.job_queue import Job, JobQueue
from artifex_gui.model.request_builder import build_request, planned_output_size
from artifex_gui.model.run_state import RunState
from artifex_gui.paths import default_output_dir
from artifex_gui.settings import DEMO_PRESET, REAL_PRESET, SettingsStore, preset_defaults
from artifex_gui.worker import EngineWarmup, GenerationWorker
from engine import events as ev
from engine.errors import ArtifexError
from engine.request import GenerationRequest

file_log = logging.getLogger("artifex.run")
_FILE_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING}

MEMORY_INTERVAL_MS = 250  # ~4 Hz
TICK_INTERVAL_MS = 500

# Settings whose change removes the reason a refused request was refused.
REQUEST_SETTINGS = frozenset(
    (
        "prompt", "negative_prompt", "image_path", "width", "height", "frames", "steps",
        "guidance", "shift", "seed", "random_seed", "solver", "attention", "dtype",
        "precision", "decode_mode", "offload_mode", "low_ram", "model_dir",
    )
)  # fmt: skip


class RunController(QObject):
    busy_changed = Signal(bool)
    engine_changed = Signal(str, str)  # state (idle|loading|ready|unavailable), detail
    backends_found = Signal(object)  # list[str]: attention backends that work here
    errored = Signal(object, object)  # RunFailed, frozenset of settings that caused it
    notice = Signal(str)  # something adjusted or worth a glance (a banner)
    logged = Signal(str, str)  # level, text: the log panel
    job_queued = Signal(object)  # Job
    run_started = Signal(object)  # GenerationRequest
    finished = Signal(object)  # RunFinished | RunFailed | RunCancelled
    tick = Signal()  # twice a second while busy: clocks move

    def __init__(
        self,
        store: SettingsStore,
        host: EngineHost | None = None,
        *,
        sampler=None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.host = host or EngineHost()
        self.run_state = RunState(self)
        self.queue = JobQueue(self)
        self.worker: GenerationWorker | None = None
        self.warmup: EngineWarmup | None = None
        self.engine_state = "idle"  # idle | loading | ready | unavailable
        self._sampler = sampler
        self._sampler_failed = False
        self.run_state.log_added.connect(self.log)
        store.changed.connect(self._on_setting_changed)
        self.queue.jobs_changed.connect(lambda: self.busy_changed.emit(self.is_busy))
        self.memory_timer = QTimer(self, interval=MEMORY_INTERVAL_MS)
        self.memory_timer.timeout.connect(self.sample_memory)
        self.tick_timer = QTimer(self, interval=TICK_INTERVAL_MS)
        self.tick_timer.timeout.connect(self.tick)

    # ------------------------------------------------------------------------- state
    @property
    def is_busy(self) -> bool:
        return self.worker is not None

    def output_dir(self) -> Path:
        folder = self.store.values.output_dir
        return Path(folder) if folder else default_output_dir()

    def log(self, level: str, text: str) -> None:
        """One line for the log panel and the log file."""
        self.logged.emit(level, text)
        file_log.log(_FILE_LEVELS.get(level, logging.INFO), "%s", text)

    def fail(self, failure: ev.RunFailed, causes: frozenset[str] = frozenset()) -> None:
        """Send a failure to the window's one error place; ``causes`` are the settings whose
        change makes it stale (the window then takes it down)."""
        self.log("error", f"{failure.message} {failure.advice}".strip())
        if failure.details:
            file_log.error("%s: %s\n%s", failure.kind, failure.message, failure.details)
        self.errored.emit(failure, causes)

    def _on_setting_changed(self, name: str, value) -> None:
        """Choosing a model folder moves untouched demo settings to the real model's
        defaults, and clearing it moves untouched real-model settings back to the demo's."""
        if name != "model_dir":
            return
        old, new = (DEMO_PRESET, REAL_PRESET) if value else (REAL_PRESET, DEMO_PRESET)
        if not self.store.values.has_preset(old):
            return  # the user chose these values: keep them
        defaults = preset_defaults(new)
        for key, default in defaults.items():
            self.store.set(key, default)
        size = (defaults["width"], defaults["height"], defaults["frames"], defaults["steps"])
        if value:
            text = self.tr("Model folder chosen: the model's own defaults are set ({0}×{1}, {2} frames, {3} steps).")
        else:
            text = self.tr("Demo model: quick settings are set ({0}×{1}, {2} frames, {3} steps); a run takes seconds.")
        self.notice.emit(text.format(*size))

    # ---------------------------------------------------------------------- engine
    def start_engine_warmup(self) -> None:
        """Import the engine (and torch) in the background; the window is already up."""
        if self.warmup is not None or self.host.loaded:
            return
        self._set_engine("loading", "")
        self.warmup = EngineWarmup(self.host)
        self.warmup.signals.loaded.connect(self._on_engine_loaded)
        self.warmup.signals.failed.connect(self._on_engine_failed)
        self.warmup.start()

    def _on_engine_loaded(self, backends: list[str]) -> None:
        self._finish_warmup()
        self.backends_found.emit(backends)
        self._set_engine("ready", ", ".join(backends))
        self.log("app", self.tr("Engine ready. Attention backends that work here: {0}").format(", ".join(backends)))

    def _on_engine_failed(self, message: str) -> None:
        self._finish_warmup()
        self._set_engine("unavailable", message)
        self.log("error", message)

    def _finish_warmup(self) -> None:
        if self.warmup is not None:
            self.warmup.wait(5000)
            self.warmup = None

    def _set_engine(self, state: str, detail: str) -> None:
        self.engine_state = state
        self.engine_changed.emit(state, detail)

    # ---------------------------------------------------------------------- memory
    def start_sampling(self) -> None:
        if not self.memory_timer.isActive():
            self.memory_timer.start()
            QTimer.singleShot(0, self.sample_memory)

    def sample_memory(self) -> None:
        """The timer's sample takes the same road as the engine's: into ``run_state``."""
        if self._sampler_failed:
            return
        try:
            if self._sampler is None:
                self._sampler = make_memory_sampler()
            sample = self._sampler.sample()
        except Exception as exc:  # a broken sampler must not flood the log 4× a second
            self._sampler_failed = True
            self.log("warning", self.tr("Memory meters stopped: {0}").format(exc))
            return
        self.run_state.apply(sample)

    # -------------------------------------------------------------------- generation
    def generate(self) -> None:
        """Generate now, queue the job when a run is busy, or say why it cannot run."""
        request = self._checked_request()
        if request is None:
            return
        if self.is_busy:
            job = self.queue.add(request, planned_output_size(request))
            self.log("app", self.tr("Queued job #{0}; it starts when the current run ends.").format(job.job_id))
            self.job_queued.emit(job)
            return
        self.start_job(request)

    def _checked_request(self) -> GenerationRequest | None:
        v = self.store.values
        model_dir = v.model_dir
        if any((v.dit_file, v.t5_file, v.vae_file, v.tokenizer_dir)):
            # single part files given: the whole set decides (folder + files)
            parts = check_model_parts(model_dir, v.dit_file, v.t5_file, v.vae_file, v.tokenizer_dir)
            if parts is not None and not parts.ok:
                self.fail(
                    ev.RunFailed("bad_checkpoint", parts.summary, parts.advice),
                    frozenset({"model_dir", "dit_file", "t5_file", "vae_file", "tokenizer_dir"}),
                )
                return None
        elif model_dir:
            check = check_model_folder(model_dir)
            if not check.ok:
                if check.recognised_other_model:  # e.g. a 14B folder: say which model it is
                    failure = ev.RunFailed("bad_checkpoint", check.summary, check.advice)
                else:
                    missing = ", ".join(check.missing) or "; ".join(check.problems)
                    failure = ev.RunFailed(
                        "bad_checkpoint",
                        self.tr("The model folder is incomplete: {0}").format(missing),
                        self.tr("Download the missing files into the folder, choose another folder, or clear it to use the demo model."),
                    )
                self.fail(failure, frozenset({"model_dir"}))
                return None
        try:
            output_dir = self.output_dir()
            output_dir.mkdir(parents=True, exist_ok=True)
            request, notes = build_request(self.store.values, output_dir=output_dir)
        except ArtifexError as exc:
            self.fail(ev.RunFailed(exc.kind, exc.message, exc.advice), REQUEST_SETTINGS)
            return None
        except OSError as exc:
            failure = ev.RunFailed(
                "save_failed",
                self.tr("The output folder cannot be created: {0}").format(exc),
                self.tr("Choose another folder in Settings."),
            )
            self.fail(failure, frozenset({"output_dir"}))
            return None
        if notes:  # values check_request adjusted: said where it is seen, not only in the log
            text = " ".join(notes)
            self.notice.emit(text)
            self.log("warning", text)
        return request

    def plan_preview(self) -> tuple[bool, str]:
        """``(ok, text)``: what Generate would run now — the engine's plan text, the same as
        ``artifex-cli generate --dry-run`` (sizes, tokens, passes, offload, memory plan) — or
        why it could not run.  Loads no weights and writes nothing."""
        try:
            request, notes = build_request(self.store.values, output_dir=self.output_dir())
            text = plan_text(request)
        except ArtifexError as exc:
            return False, f"{exc.message}\n{exc.advice}"
        return True, text + "".join(f"\nnote: {n}" for n in notes if n not in text)

    def decode_again(self, latents_path: str) -> None:
        """Decode a run's kept latents into a video again (History, error panel): a decode-only
        job in the worker thread; its progress and result show like a generation's."""
        if self.is_busy:
            text = QCoreApplication.translate(
                "LatentsBar", "Decode again waits for the current run: press it when the run has ended.")
            self.notice.emit(text)
            self.log("warning", text)
            return
        self.start_job(DecodeRequest(str(latents_path)))

    def start_job(self, request: GenerationRequest | DecodeRequest) -> None:
        self.run_state.begin()
        worker = make_worker(request, self.host)  # a generation, or a decode again
        worker.signals.started.connect(self._on_worker_started)
        worker.signals.event.connect(self._on_event)
        worker.signals.errored.connect(self.fail)
        worker.signals.finished.connect(self._on_finished)
        self.worker = worker
        self.busy_changed.emit(True)
        self.tick_timer.start()
        worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.run_state.mark_cancelling()
            self.log("app", self.tr("Cancelling: the engine stops after the current step."))

    def _on_worker_started(self, request: GenerationRequest | DecodeRequest) -> None:
        if is_decode_job(request):
            self.log("app", QCoreApplication.translate("LatentsBar", "Decoding again from {0}").format(request.source))
            file_log.info("decode again: %s", json.dumps(request.to_dict(), ensure_ascii=False, default=str))
            return
        mode = self.tr("image-to-video") if request.image_path else self.tr("text-to-video")
        model = request.checkpoint_dir or self.tr("demo model")
        self.log("app", self.tr("Starting {0} with {1} → {2}").format(mode, model, request.output_path))
        file_log.info("settings: %s", json.dumps(request.to_dict(), ensure_ascii=False, default=str))
        self.run_started.emit(request)

    def _on_event(self, event) -> None:
        self.run_state.apply(event)
        if isinstance(event, ev.RunStarted):
            self.store.set("last_seed", int(event.seed))

    def _on_finished(self, final) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait(5000)
        self.tick_timer.stop()
        if isinstance(final, ev.RunFinished):
            self.store.set("last_seed", int(final.seed))
        try:
            self.store.save()
        except OSError:
            pass
        self.finished.emit(final)
        self.busy_changed.emit(False)
        if len(self.queue):
            QTimer.singleShot(0, self._start_next_job)

    def _start_next_job(self) -> None:
        if self.is_busy:
            return
        job: Job | None = self.queue.pop_next()
        if job is not None:
            self.log("app", self.tr("Starting queued job #{0}").format(job.job_id))
            self.start_job(job.request)

    # -------------------------------------------------------------------- shutdown
    def shutdown(self, timeout_ms: int = 60_000) -> None:
        """Stop the timers, empty the queue, cancel and join the worker threads."""
        from PySide6.QtCore import QEventLoop

        self.memory_timer.stop()
        self.tick_timer.stop()
        self.queue.clear()
        for runner in (self.worker, self.warmup):
            if runner is None:
                continue
            if isinstance(runner, GenerationWorker):
                runner.cancel()
            deadline = QTimer(singleShot=True, interval=timeout_ms)
            deadline.start()
            while runner.is_running() and deadline.isActive():  # keep painting while it stops
                runner.wait(50)
                QEventLoop().processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
