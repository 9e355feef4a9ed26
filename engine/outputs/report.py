"""The run report: one JSON file beside each video (its analysis: engine/outputs/analysis.py).

A report holds everything needed to look at a run later: the settings (the request), the
environment (OS, Python, torch, CUDA, driver, GPU, attention backend and kernel, dtype,
offload mode), every event the engine emitted (previews summarised to their shape) and the
result.  The engine feeds events into a :class:`ReportBuilder` and calls ``write(path)``;
the file is written to a temp name and renamed, so a crash never leaves half a report.

``load_report`` is tolerant (older format versions and missing fields load) but refuses a
damaged or partial file with :class:`ReportError`, which the history panel lists as
"damaged".

Format versions:
  0 — the unversioned first layout: no ``format_version``; settings under ``request``, no
      ``result`` block (it is derived from the final event).
  1 — ``format_version``, ``app``, ``created``, ``settings``, ``environment``, ``events``,
      ``result``.

No torch at module level: ``collect_environment`` imports it only when called.
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from engine.errors import ArtifexError
from engine.events import (
    AttentionInfo,
    Event,
    RunStarted,
    event_from_dict,
    event_to_dict,
)

FORMAT_VERSION = 1


class ReportError(ArtifexError):
    """A run report cannot be read: damaged, partial or not a report."""

    kind = "bad_report"


# --------------------------------------------------------------------------- the report


@dataclass
class Report:
    """A loaded run report.  ``events`` are the stored dicts (see :meth:`typed_events`)."""

    format_version: int
    settings: dict[str, Any]
    environment: dict[str, Any]
    events: list[dict[str, Any]]
    result: dict[str, Any]
    created: str = ""
    app: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    notes: list[str] = field(default_factory=list)  # what loading had to tolerate

    @property
    def status(self) -> str:
        """``finished`` | ``failed`` | ``cancelled`` | ``incomplete``."""
        return str(self.result.get("status", "incomplete"))

    @property
    def label(self) -> str:
        """A short name for tables and legends: the file stem, else the creation time."""
        if self.path is not None:
            return self.path.stem
        return self.created or "run"

    def typed_events(self) -> list[Event]:
        """The events as dataclasses; previews and unknown types are left out."""
        out = []
        for data in self.events:
            event = event_from_dict(data)
            if event is not None:
                out.append(event)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "app": self.app,
            "created": self.created,
            "settings": self.settings,
            "environment": self.environment,
            "events": self.events,
            "result": self.result,
        }


def _jsonable(value: Any) -> Any:
    """Plain JSON data: tuples → lists, paths and other objects → str."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN/inf; a missing number reads back as None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _settings_dict(settings: Any) -> dict[str, Any]:
    if settings is None:
        return {}
    if hasattr(settings, "to_dict"):
        settings = settings.to_dict()
    return _jsonable(dict(settings))


def _result_from_events(events: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The ``result`` block from the final event, or ``incomplete`` when there is none."""
    result: dict[str, Any] = {"status": "incomplete"}
    for data in events:
        kind = data.get("type")
        if kind == "RunFinished":
            result = {
                "status": "finished",
                "output_path": data.get("output_path"),
                "report_path": data.get("report_path"),
                "total_seconds": data.get("total_seconds"),
                "seed": data.get("seed"),
            }
        elif kind == "RunFailed":
            result = {
                "status": "failed",
                "kind": data.get("kind"),
                "message": data.get("message"),
                "advice": data.get("advice"),
                "recovered_path": data.get("recovered_path"),
            }
        elif kind == "RunCancelled":
            result = {"status": "cancelled", "phase": data.get("phase")}
        if kind in ("RunFinished", "RunFailed") and data.get("latents_path"):
            result["latents_path"] = data["latents_path"]  # the kept latents (decode again)
    return result


class ReportBuilder:
    """Collects a run's events; ``write(path)`` saves the report atomically.

    ``settings`` is the :class:`~engine.request.GenerationRequest` (or its dict) and
    ``environment`` what :func:`collect_environment` returned, plus anything the engine
    knows (attention backend and kernel, dtype, offload mode are also filled in from the
    ``RunStarted`` and ``AttentionInfo`` events when missing).
    """

    def __init__(self, settings: Any = None, environment: Mapping[str, Any] | None = None) -> None:
        self.settings = _settings_dict(settings)
        self.environment: dict[str, Any] = _jsonable(dict(environment or {}))
        self.events: list[dict[str, Any]] = []
        self.created = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")

    def add(self, event: Event) -> None:
        """Record one event (any type of :mod:`engine.events`)."""
        data = _jsonable(event_to_dict(event))
        self.events.append(data)
        if isinstance(event, RunStarted):
            for key in ("attention_backend", "attention_kernel", "dtype", "device", "offload_mode"):
                self.environment.setdefault(key, getattr(event, key))
        elif isinstance(event, AttentionInfo):
            self.environment.setdefault("attention_kernel", event.kernel)

    def extend(self, events: Iterable[Event]) -> None:
        for event in events:
            self.add(event)

    def report(self) -> Report:
        from engine import __version__

        return Report(
            format_version=FORMAT_VERSION,
            settings=self.settings,
            environment=self.environment,
            events=list(self.events),
            result=_result_from_events(self.events),
            created=self.created,
            app={"name": "Artifex", "version": __version__},
        )

    def to_dict(self) -> dict[str, Any]:
        return self.report().to_dict()

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the report to ``path`` (UTF-8 JSON) through a temp file and a rename."""
        return write_report(self.report(), path)


def write_report(report: Report, path: str | os.PathLike[str]) -> Path:
    """Atomically write ``report`` to ``path``; returns the path.  Raises OSError."""
    from engine.outputs.video_files import write_atomically

    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=1, allow_nan=False)

    def write(part: Path) -> None:
        with open(part, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())

    return write_atomically(path, write)


def report_path_for(video_path: str | os.PathLike[str]) -> Path:
    """The report beside a video: same folder, same stem, ``.json``."""
    return Path(video_path).with_suffix(".json")


def load_report(path: str | os.PathLike[str]) -> Report:
    """Read a report; older versions and missing fields are tolerated (see ``notes``).

    Raises :class:`ReportError` when the file cannot be read, is not complete JSON (a
    partial write) or is not a run report.
    """
    source = Path(path)
    try:
        raw_text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(
            f"The run report '{source}' cannot be read: {exc}.",
            "Check that the file exists and is not open in another program.",
        ) from exc
    try:
        data = json.loads(raw_text)
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"The run report '{source.name}' is damaged or incomplete "
            f"(invalid JSON at line {exc.lineno}, column {exc.colno}).",
            "It is skipped; the video beside it is not affected.",
        ) from exc
    return report_from_dict(data, path=source)


def report_from_dict(data: Any, *, path: Path | None = None) -> Report:
    """Build a :class:`Report` from parsed JSON, migrating older versions."""
    name = path.name if path is not None else "report"
    if not isinstance(data, dict):
        raise ReportError(f"'{name}' is not a run report (no JSON object).", "It is skipped.")
    notes: list[str] = []
    version = data.get("format_version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ReportError(f"'{name}' has an invalid format version {version!r}.", "It is skipped.")
    if version > FORMAT_VERSION:
        notes.append(
            f"written by a newer Artifex (format {version}, this one reads {FORMAT_VERSION}); "
            "unknown fields are ignored"
        )
    if version == 0:
        if "events" not in data and "request" not in data and "settings" not in data:
            raise ReportError(f"'{name}' is not a run report.", "It is skipped.")
        settings = data.get("settings", data.get("request", {}))
        notes.append("format 0 (unversioned) report, migrated")
    else:
        settings = data.get("settings", {})
    environment = data.get("environment", {})
    events = data.get("events", [])
    for key, value in (("settings", settings), ("environment", environment)):
        if value is None:
            notes.append(f"no {key}")
        elif not isinstance(value, dict):
            raise ReportError(f"'{name}' is damaged: '{key}' is not an object.", "It is skipped.")
    if not isinstance(events, list):
        raise ReportError(f"'{name}' is damaged: 'events' is not a list.", "It is skipped.")
    clean_events = [e for e in events if isinstance(e, dict) and isinstance(e.get("type"), str)]
    if len(clean_events) != len(events):
        notes.append(f"{len(events) - len(clean_events)} malformed events skipped")
    for event in clean_events:
        # A wrong type inside a step (e.g. seconds as text) would break every chart later.
        if event["type"] == "StepFinished" and not _is_number(event.get("seconds")):
            raise ReportError(
                f"'{name}' is damaged: step {event.get('index')} has no valid duration.",
                "It is skipped.",
            )
    result = data.get("result")
    if not isinstance(result, dict):
        if result is not None:
            notes.append("result block unreadable, derived from events")
        result = _result_from_events(clean_events)
    return Report(
        format_version=version,
        settings=dict(settings or {}),
        environment=dict(environment or {}),
        events=clean_events,
        result=result,
        created=str(data.get("created", "")),
        app=data.get("app") if isinstance(data.get("app"), dict) else {},
        path=path,
        notes=notes,
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --------------------------------------------------------------------------- environment


def collect_environment(extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """OS, Python, torch, CUDA, cuDNN, GPU name and memory, driver, CPU and RAM.

    torch, NVML and psutil are imported here, lazily, and each may be missing: their
    entries are then ``None``.  ``extra`` (attention backend and kernel, dtype, offload
    mode …) is merged over the result.
    """
    from engine import __version__

    env: dict[str, Any] = {
        "app_version": __version__,
        "os": platform.platform(),
        "machine": platform.machine(),
        "cpu": platform.processor() or None,
        "python": sys.version.split()[0],
        "torch": None,
        "torch_cuda": None,
        "cudnn": None,
        "cuda_available": False,
        "gpu_name": None,
        "gpu_total_memory_bytes": None,
        "gpu_capability": None,
        "driver": None,
        "ram_total_bytes": None,
    }
    try:
        import numpy

        env["numpy"] = numpy.__version__
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    try:
        import torch

        env["torch"] = torch.__version__
        env["torch_cuda"] = torch.version.cuda
        if torch.cuda.is_available():
            env["cuda_available"] = True
            props = torch.cuda.get_device_properties(torch.cuda.current_device())
            env["gpu_name"] = props.name
            env["gpu_total_memory_bytes"] = int(props.total_memory)
            env["gpu_capability"] = f"{props.major}.{props.minor}"
            env["cudnn"] = torch.backends.cudnn.version()
    except Exception:  # a broken torch install must not stop the report
        pass
    if env["cuda_available"]:
        try:
            import pynvml

            pynvml.nvmlInit()
            try:
                driver = pynvml.nvmlSystemGetDriverVersion()
                env["driver"] = driver.decode() if isinstance(driver, bytes) else str(driver)
            finally:
                pynvml.nvmlShutdown()
        except Exception:
            pass
    try:
        import psutil

        env["ram_total_bytes"] = int(psutil.virtual_memory().total)
    except Exception:
        pass
    env.update(_jsonable(dict(extra or {})))
    return env
