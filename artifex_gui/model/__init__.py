"""Observable state: plain data behind ``<name>_changed`` signals; widgets bind to it."""

from __future__ import annotations

from artifex_gui.model.job_queue import Job, JobQueue
from artifex_gui.model.request_builder import build_request
from artifex_gui.model.run_state import PhaseSpan, RunState, RunStatus, StepRecord

__all__ = ["Job", "JobQueue", "build_request", "PhaseSpan", "RunState", "RunStatus", "StepRecord"]
