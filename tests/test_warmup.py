"""The warm-up phase (issue 16, item 2): where it sits among the phases, that it leaves the
video unchanged, that it calls the DiT exactly as the first denoising step does (the shapes
compiled code is specialised on), Inductor's cache folder, and the compile thread's errors."""

from __future__ import annotations

import torch

from engine import events as ev
from engine.nets.dit import WanModel
from engine.run import warmup
from engine.run.plan import make_plan
from tests.fixtures_runs import phases, request_for, run


def test_warmup_phase_comes_right_after_loading(engine, tiny_checkpoint_dir, tmp_path):
    final, events = run(engine, request_for(tiny_checkpoint_dir, tmp_path / "a.mp4", warmup=True))
    assert isinstance(final, ev.RunFinished), final
    assert phases(events) == ["load", "warmup", "encode_text", "denoise", "decode", "save"]
    finished = [e.phase for e in events if isinstance(e, ev.PhaseFinished)]
    assert finished == phases(events)
    started = [
        i for i, e in enumerate(events) if isinstance(e, ev.PhaseStarted) and e.phase == "warmup"
    ][0]
    ended = [
        i for i, e in enumerate(events) if isinstance(e, ev.PhaseFinished) and e.phase == "warmup"
    ][0]
    assert any(
        isinstance(e, ev.LogMessage) and e.text.startswith("warm-up pass:")
        for e in events[started:ended]
    )
    # the report keeps the phase
    report = (tmp_path / "a.json").read_text()
    assert '"warmup"' in report


def test_no_warmup_on_the_cpu_unless_asked(engine, tiny_checkpoint_dir, tmp_path):
    _, events = run(
        engine, request_for(tiny_checkpoint_dir, tmp_path / "a.mp4")
    )  # warmup None: CUDA only
    assert "warmup" not in phases(events)
    _, events = run(engine, request_for(tiny_checkpoint_dir, tmp_path / "b.mp4", warmup=False))
    assert "warmup" not in phases(events)


def test_warmup_leaves_the_result_unchanged(engine, tiny_checkpoint_dir, tmp_path):
    from safetensors.torch import load_file

    latents = {}
    for flag in (False, True):
        dump = tmp_path / f"dump_{flag}"
        final, _ = run(engine, request_for(tiny_checkpoint_dir, tmp_path / f"{flag}.mp4", warmup=flag,
                                           dump_tensors_dir=str(dump)))  # fmt: skip
        assert isinstance(final, ev.RunFinished), final
        latents[flag] = load_file(str(dump / "latents.safetensors"))["latents"]
    torch.testing.assert_close(latents[True], latents[False], rtol=0, atol=0)


def _signature(args, kwargs) -> tuple:
    latents, timesteps, lengths, context = args[1:5]
    sig = lambda t: (tuple(t.shape), t.stride(), t.dtype, t.is_inference())  # noqa: E731
    return (
        sig(latents),
        sig(timesteps),
        tuple(lengths),
        sig(context),
        kwargs.get("context_embedded"),
    )


def test_warmup_calls_the_dit_as_the_first_step_does(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    calls = []
    original = WanModel.forward

    def recording(*args, **kwargs):
        calls.append(_signature(args, kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(WanModel, "forward", recording)
    for image in (False, True):
        calls.clear()
        extra = {}
        if image:
            from PIL import Image

            picture = tmp_path / "p.png"
            Image.new("RGB", (160, 120), (200, 40, 40)).save(picture)
            extra["image_path"] = str(picture)
        final, _ = run(engine, request_for(tiny_checkpoint_dir, tmp_path / f"i{image}.mp4", warmup=True,
                                           steps=1, **extra))  # fmt: skip
        assert isinstance(final, ev.RunFinished), final
        assert len(calls) == 3  # the warm-up pass, then cond and uncond of step 1
        assert calls[0] == calls[1] == calls[2]
        assert len(calls[0][2]) == (
            2 if image else 1
        )  # token segments: frame 0 at t=0 with an image


def test_inductor_cache_goes_to_the_app_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("TORCHINDUCTOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("ARTIFEX_CACHE_DIR", str(tmp_path / "cache"))
    path = warmup.use_app_inductor_cache()
    assert path == tmp_path / "cache" / "inductor" and path.is_dir()
    import os

    assert os.environ["TORCHINDUCTOR_CACHE_DIR"] == str(path)
    monkeypatch.setenv(
        "TORCHINDUCTOR_CACHE_DIR", str(tmp_path / "mine")
    )  # a person's own choice stays
    assert warmup.use_app_inductor_cache() == tmp_path / "mine"


def test_compile_thread_keeps_its_error_and_never_blocks(tmp_path):
    plan = make_plan(request_for(None, tmp_path / "a.mp4"), prepare=False)

    def broken():
        raise RuntimeError("no kernel")

    job = warmup.BackgroundCompile(plan, broken).start()
    assert job.resolved_attention() is None
    job.join()
    assert isinstance(job.error, RuntimeError) and "no kernel" in str(job.error)


def test_compile_thread_runs_the_block_with_the_run_shapes(tmp_path, monkeypatch):
    from engine.nets import dit
    from engine.nets.attention import Resolved

    plan = make_plan(request_for(None, tmp_path / "a.mp4"), prepare=False)
    seen = []

    def eager(block, x, e0, segments, rope, context, attention, self_attention):
        seen.append(
            (tuple(x.shape), x.stride(), x.is_inference(), segments.lengths, tuple(context.shape))
        )
        return dit.AttentionBlock.forward(
            block, x, e0, segments, rope, context, attention, self_attention
        )

    monkeypatch.setattr(dit, "compiled_block_forward", lambda mode=None: eager)
    resolved = Resolved(dit.sdpa_attention, "sdpa", "sdpa")
    job = warmup.BackgroundCompile(plan, lambda: resolved).start()
    job.join()
    assert job.error is None and job.resolved_attention() is resolved
    cfg = plan.spec.dit
    # the residual stream in the patch embedding's transposed layout, as WanModel.forward has it
    assert seen == [((1, plan.tokens, cfg.dim), (plan.tokens * cfg.dim, 1, plan.tokens), True, [plan.tokens],
                     (1, cfg.text_len, cfg.dim))]  # fmt: skip
