"""GenerationWorker: signal order on the success, error and cancel roads (fake engine)."""

from __future__ import annotations

import re

import pytest

from artifex_gui.engine_bridge import EngineHost, EngineUnavailable
from artifex_gui.worker import ErrorReport, GenerationWorker, running_threads
from engine import events as ev
from engine.cancel import CancelToken
from engine.request import GenerationRequest
from tests.fake_engine import FakeEngine

pytestmark = pytest.mark.gui


def _request(tmp_path, **changes) -> GenerationRequest:
    base = GenerationRequest(prompt="a cat", width=256, height=160, frames=17, steps=6,
                             output_path=str(tmp_path / "out.mp4"))
    return base.replace(**changes)


class Recorder:
    """Names of every worker signal in the order they arrived."""

    def __init__(self, worker: GenerationWorker) -> None:
        self.names: list[str] = []
        self.events: list[object] = []
        s = worker.signals
        s.started.connect(lambda _r: self.names.append("started"))
        s.event.connect(lambda e: (self.names.append("event"), self.events.append(e)))
        s.errored.connect(lambda r: (self.names.append("errored"), setattr(self, "report", r)))
        s.finished.connect(lambda f: (self.names.append("finished"), setattr(self, "final", f)))
        self.report = self.final = None

    @property
    def pattern(self) -> str:
        return " ".join(self.names)


def test_success_order_is_strict(qtbot, tmp_path):
    engine = FakeEngine(step_seconds=0.001)
    expected_events: list[object] = []
    engine.run(_request(tmp_path / "dry"), expected_events.append, CancelToken())  # count them
    worker = GenerationWorker(_request(tmp_path), EngineHost(lambda: engine))
    recorder = Recorder(worker)
    s = worker.signals
    expected = [s.started] + [s.event] * len(expected_events) + [s.finished]
    with qtbot.waitSignals(expected, order="strict", timeout=10_000):
        worker.start()
    assert worker.wait(5000)
    final = recorder.final
    assert isinstance(final, ev.RunFinished)
    assert (tmp_path / "out.mp4").stat().st_size > 0
    assert re.fullmatch(r"started( event)+ finished", recorder.pattern)
    kinds = [type(e).__name__ for e in recorder.events]
    assert kinds[-1] == "RunFinished" and kinds.count("StepFinished") == 6
    assert kinds.index("RunStarted") < kinds.index("StepFinished") < kinds.index("DecodeProgress")
    assert not running_threads()


def test_engine_failure_goes_through_errored(qtbot, tmp_path):
    worker = GenerationWorker(_request(tmp_path), EngineHost(lambda: FakeEngine(fail_at_step=2)))
    recorder = Recorder(worker)
    s = worker.signals
    with qtbot.waitSignals([s.started, s.errored, s.finished], order="strict", timeout=10_000):
        worker.start()
    worker.wait(5000)
    report = recorder.report
    assert isinstance(report, ErrorReport) and report.kind == "out_of_memory"
    assert "offload" in report.advice
    assert isinstance(recorder.final, ev.RunFailed)
    assert re.fullmatch(r"started( event)+ errored finished", recorder.pattern)


def test_engine_exception_is_caught_and_reported(qtbot, tmp_path):
    worker = GenerationWorker(_request(tmp_path), EngineHost(lambda: FakeEngine(raise_at_step=1)))
    recorder = Recorder(worker)
    s = worker.signals
    with qtbot.waitSignals([s.started, s.errored, s.finished], order="strict", timeout=10_000):
        worker.start()
    worker.wait(5000)
    report = recorder.report
    assert report.kind == "internal" and "fake engine bug" in report.message
    assert "Traceback" in report.details
    assert recorder.names[-2:] == ["errored", "finished"]


def test_missing_engine_is_an_error_not_a_crash(qtbot, tmp_path):
    def factory():
        raise EngineUnavailable("The generation engine is not available in this build.")

    worker = GenerationWorker(_request(tmp_path), EngineHost(factory))
    recorder = Recorder(worker)
    s = worker.signals
    with qtbot.waitSignals([s.started, s.errored, s.finished], order="strict", timeout=5000):
        worker.start()
    worker.wait(5000)
    assert recorder.report.kind == "engine_unavailable"


def test_cancel_stops_within_a_step(qtbot, tmp_path):
    engine = FakeEngine(step_seconds=0.001, pause_at_step=3)
    worker = GenerationWorker(_request(tmp_path, steps=50), EngineHost(lambda: engine))
    recorder = Recorder(worker)
    s = worker.signals
    with qtbot.waitSignals([s.started, s.finished], order="strict", timeout=10_000):
        worker.start()
        assert engine.paused.wait(5)
        worker.cancel()
        engine.resume.set()
    worker.wait(5000)
    final = recorder.final
    assert isinstance(final, ev.RunCancelled) and final.phase == "denoise"
    steps = [e for e in recorder.events if isinstance(e, ev.StepFinished)]
    assert len(steps) == 3  # stopped before step 4 began
    assert "errored" not in recorder.names
    assert not (tmp_path / "out.mp4").exists()


def test_engine_is_kept_between_runs(qtbot, tmp_path):
    made: list[FakeEngine] = []

    def factory():
        made.append(FakeEngine(step_seconds=0.0))
        return made[-1]

    host = EngineHost(factory)
    for i in range(2):
        worker = GenerationWorker(_request(tmp_path, output_path=str(tmp_path / f"{i}.mp4")), host)
        with qtbot.waitSignal(worker.signals.finished, timeout=10_000):
            worker.start()
        worker.wait(5000)
    assert len(made) == 1 and made[0].runs == 2
