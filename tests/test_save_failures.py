"""Saving fails after the generation: every frame kept, a missing ffmpeg said first, a
save failure after a cancel is a cancel."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from engine import events as ev
from engine.cancel import CancelToken
from engine.run.runner import Engine
from tests.fixtures_runs import leftovers, phases, request_for, run


@pytest.fixture
def recovery_folder(tmp_path, monkeypatch) -> Path:
    import engine.outputs.video as video

    folder = tmp_path / "recovered here"
    monkeypatch.setattr(video, "default_recovery_folders", lambda: [folder])
    return folder


def _short_file(monkeypatch, video) -> None:
    """The written file holds 4 frames whatever was sent: what a full disk looks like.  The
    writer checks the file with ``video_facts`` (the MP4 container, issue 12); patching
    ``count_video_frames`` as before no longer reaches that check."""
    real = video.video_facts
    monkeypatch.setattr(video, "video_facts", lambda path: dataclasses.replace(real(path), frames=4))


@pytest.mark.parametrize("how", ["file locked at the rename", "disk full (short file)"])
def test_save_failure_after_generation_keeps_every_frame(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch, recovery_folder, how
):
    import engine.outputs.video as video

    if how == "file locked at the rename":
        real_replace = video.os.replace

        def locked(src, dst, *a, **k):
            if str(dst).endswith(".mp4"):
                raise PermissionError(13, "The process cannot access the file", str(dst))
            return real_replace(src, dst, *a, **k)

        monkeypatch.setattr(video.os, "replace", locked)
    else:  # ffmpeg wrote fewer frames than it got: what a full disk looks like
        _short_file(monkeypatch, video)
    out = tmp_path / "out" / "clip.mp4"
    final, _ = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFailed) and final.kind == "save_failed", final
    assert final.recovered_path and Path(final.recovered_path).parent == recovery_folder
    assert final.recovered_path in final.message and final.advice and not final.details
    assert leftovers(out.parent) == []
    monkeypatch.undo()
    from engine.outputs.video import read_video_info, write_video
    from engine.outputs.video_files import load_recovered_frames

    frames, fps, metadata = load_recovered_frames(final.recovered_path)
    assert frames.shape == (9, 96, 128, 3) and fps == 24 and metadata["intended_path"] == str(out)
    elsewhere = write_video(frames, tmp_path / "다른 곳" / "saved.mp4", fps=fps)
    assert read_video_info(elsewhere)[:3] == (9, 128, 96)


def test_missing_ffmpeg_is_said_before_any_model_work(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    import imageio_ffmpeg

    def missing():
        raise RuntimeError("No ffmpeg exe could be found.")

    loads = []
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", missing)
    monkeypatch.setattr(Engine, "models_for", lambda *a, **k: loads.append(1))
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFailed) and final.kind == "save_failed", final
    assert "ffmpeg" in final.message and "IMAGEIO_FFMPEG_EXE" in final.advice
    assert phases(events) == [] and loads == [] and leftovers(out.parent) == []


def test_a_save_failure_after_cancel_is_a_cancel_and_keeps_the_frames(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch, recovery_folder
):
    """Ctrl+C reaches ffmpeg too (same process group): its death after the user's cancel is
    reported as the cancel, with the reason and the saved frames in the log."""
    import engine.outputs.video as video

    cancel = CancelToken()
    _short_file(monkeypatch, video)  # ffmpeg wrote too little
    real_close = video.VideoWriter.close

    def close_after_ctrl_c(self):
        cancel.cancel()  # the interrupt arrives while the file is being finished
        return real_close(self)

    monkeypatch.setattr(video.VideoWriter, "close", close_after_ctrl_c)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out), cancel)
    assert isinstance(final, ev.RunCancelled), final
    notes = [
        e.text
        for e in events
        if isinstance(e, ev.LogMessage) and "after the cancel request" in e.text
    ]
    assert len(notes) == 1 and str(recovery_folder) in notes[0], notes
    assert leftovers(out.parent) == []
