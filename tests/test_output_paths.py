"""Output, picture and model paths: spaces and Korean, a file where a folder should be, an
unwritable folder — all said before any model work."""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

from engine import events as ev
from engine.run.runner import Engine
from tests.fixtures_cases import (
    _gradient,
)
from tests.fixtures_runs import leftovers, phases, request_for, run


def test_spaces_and_korean_in_image_checkpoint_and_output_paths(
    engine, tiny_checkpoint_dir, tmp_path
):
    from engine.outputs.report import load_report
    from engine.outputs.video import read_video_info

    root = tmp_path / "새 폴더"
    ckpt = root / "모델 폴더" / "Wan2.2 TI2V-5B"
    shutil.copytree(tiny_checkpoint_dir, ckpt)
    image = root / "그림 한 장.png"
    Image.fromarray(_gradient(160, 120)).save(image)
    out = root / "아직 없는 폴더" / "영상 하나.mp4"  # the folder does not exist yet: created
    final, _ = run(engine, request_for(ckpt, out, image_path=str(image)))
    assert isinstance(final, ev.RunFinished), final
    assert Path(final.output_path) == out and read_video_info(out)[:3] == (9, 128, 96)
    assert load_report(Path(final.report_path)).settings["image_path"] == str(image)
    assert [p.name for p in out.parent.iterdir() if ".part" in p.name] == []


def test_output_under_a_regular_file_is_refused_before_any_model_work(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x")
    loads = []
    monkeypatch.setattr(Engine, "models_for", lambda *a, **k: loads.append(1))
    final, events = run(engine, request_for(tiny_checkpoint_dir, blocker / "sub" / "clip.mp4"))
    assert isinstance(final, ev.RunFailed) and final.kind == "save_failed", final
    assert "cannot be created" in final.message and final.advice
    assert phases(events) == [] and loads == []


def test_unwritable_output_folder_is_refused_before_any_model_work(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    """As root permission bits do not bind: the write probe itself is made to fail."""
    import builtins

    import engine.outputs.video_files as video  # the output check lives there

    real_open = builtins.open

    def denying_open(file, mode="r", *a, **k):
        if "w" in mode and video.TEMP_MARKER in str(file):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(video, "open", denying_open, raising=False)
    loads = []
    monkeypatch.setattr(Engine, "models_for", lambda *a, **k: loads.append(1))
    out = tmp_path / "locked" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFailed) and final.kind == "save_failed", final
    assert "not writable" in final.message and "Permission denied" in final.message
    assert phases(events) == [] and loads == [] and leftovers(out.parent) == []
