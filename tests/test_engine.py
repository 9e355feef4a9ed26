"""The engine end to end on a tiny original-layout folder: events, files, determinism,
the original algorithm, cancel and failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file

from engine import events as ev
from engine.cancel import CancelToken
from engine.request import GenerationRequest
from engine.run.runner import Engine

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _request(ckpt: Path, out: Path, **kw) -> GenerationRequest:
    base = dict(prompt="a red fox running in snow", checkpoint_dir=str(ckpt), width=128, height=96, frames=9,
                steps=4, seed=7, device="cpu", dtype="fp32", output_path=str(out))
    base.update(kw)
    return GenerationRequest(**base)


def _run(engine: Engine, req: GenerationRequest, cancel: CancelToken | None = None):
    events: list = []
    final = engine.run(req, events.append, cancel)
    return final, events


def test_t2v_run_events_files_and_report(engine, tiny_checkpoint_dir, tmp_path):
    from engine.outputs.report import load_report
    from engine.outputs.video import read_video_info

    out = tmp_path / "fox.mp4"
    final, events = _run(engine, _request(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFinished), final
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "PhaseStarted" and kinds[-1] == "RunFinished"
    phases = [e.phase for e in events if isinstance(e, ev.PhaseStarted)]
    assert phases == ["load", "encode_text", "denoise", "decode", "save"]
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    assert (started.width, started.height, started.frames) == (128, 96, 9)
    assert started.latent_shape == (48, 3, 6, 8) and started.token_count == 3 * 3 * 4
    steps = [e for e in events if isinstance(e, ev.StepFinished)]
    assert [s.index for s in steps] == [0, 1, 2, 3] and all(s.seconds > 0 for s in steps)
    assert len(steps[0].pass_seconds) == 2
    assert any(isinstance(e, ev.AttentionInfo) and e.dropout == 0.0 and e.query_len == 36 for e in events)
    assert any(isinstance(e, ev.Preview) and e.frames.dtype == np.uint8 for e in events)
    frames, width, height, fps = read_video_info(out)
    assert (frames, width, height, fps) == (9, 128, 96, 24)
    report = load_report(Path(final.report_path))
    assert report.settings["prompt"] == "a red fox running in snow"
    assert report.environment["attention_kernel"] and report.environment["offload_mode"] == "none"
    assert sum(1 for e in report.events if e["type"] == "StepFinished") == 4
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name]


def test_same_seed_same_video_bit_for_bit_and_seed_matters(engine, tiny_checkpoint_dir, tmp_path):
    runs = []
    for i, seed in enumerate((11, 11, 12)):
        dump = tmp_path / f"dump{i}"
        final, _ = _run(engine, _request(tiny_checkpoint_dir, tmp_path / f"v{i}.mp4", seed=seed, dump_tensors_dir=str(dump)))
        assert isinstance(final, ev.RunFinished)
        runs.append((load_file(dump / "latents.safetensors")["latents"], load_file(dump / "video.safetensors")["video"]))
    (lat_a, vid_a), (lat_b, vid_b), (lat_c, _) = runs
    assert lat_a.shape == (48, 3, 6, 8) and vid_a.shape == (3, 9, 96, 128) and vid_a.dtype == torch.float32
    assert float(vid_a.min()) >= -1.0 and float(vid_a.max()) <= 1.0
    assert torch.equal(lat_a, lat_b) and torch.equal(vid_a, vid_b)
    assert not torch.equal(lat_a, lat_c)
    assert (tmp_path / "v0.mp4").read_bytes() == (tmp_path / "v1.mp4").read_bytes()


def test_chunked_attention_gives_the_sdpa_video(engine, tiny_checkpoint_dir, tmp_path):
    lats = {}
    for backend, chunk in (("sdpa", None), ("chunked", 5), ("math", None)):
        dump = tmp_path / backend
        final, events = _run(engine, _request(tiny_checkpoint_dir, tmp_path / f"{backend}.mp4", attention=backend,
                                              attention_chunk=chunk, dump_tensors_dir=str(dump)))
        assert isinstance(final, ev.RunFinished)
        lats[backend] = load_file(dump / "latents.safetensors")["latents"]
    torch.testing.assert_close(lats["chunked"], lats["sdpa"], rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(lats["math"], lats["sdpa"], rtol=1e-4, atol=1e-5)


def _reference_original_loop(folder: Path, prompt: str, seed: int, steps: int, image_latent, frames, w, h):
    """The original textimage2video loop, written from its source, with diffusers'
    independent WanTransformer3DModel as the DiT (padded seq_len, per-token timesteps)."""
    from diffusers import UniPCMultistepScheduler, WanTransformer3DModel
    from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers

    from engine.config import default_negative_prompt
    from engine.nets.text_encoder import TextEncoder
    from engine.weights.stream import iter_dit_tensors

    state = {name: t for _, name, t in iter_dit_tensors(folder, torch.float32, "cpu")}
    cfg_dim = state["patch_embedding.weight"].shape[0]
    twin = WanTransformer3DModel(
        patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=cfg_dim // 2, in_channels=48, out_channels=48,
        text_dim=state["text_embedding.0.weight"].shape[1], freq_dim=256, ffn_dim=state["blocks.0.ffn.0.weight"].shape[0],
        num_layers=len({k.split(".")[1] for k in state if k.startswith("blocks.")}), cross_attn_norm=True,
        qk_norm="rms_norm_across_heads", eps=1e-6, rope_max_seq_len=1024,
    ).eval()
    twin.load_state_dict(convert_wan_transformer_to_diffusers(state), strict=True)
    t5 = TextEncoder.load(folder, torch.float32, "cpu")
    target = (48, (frames - 1) // 4 + 1, h // 16, w // 16)
    seq_len = target[1] * target[2] * target[3] // 4 + 3  # padded like the multi-GPU original
    ctx, ctx_null = t5.encode([prompt, default_negative_prompt()])
    pad = lambda c: torch.cat([c, c.new_zeros(512 - c.shape[0], c.shape[1])])[None]  # noqa: E731
    g = torch.Generator(device="cpu")
    g.manual_seed(seed)
    noise = torch.randn(*target, dtype=torch.float32, generator=g, device="cpu")
    sigmas = np.linspace(float(np.float32(0.999)), 0, steps + 1)[:-1]
    sched = UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=5.0,
                                    solver_order=2, solver_type="bh2", predict_x0=True, lower_order_final=True)
    sched.set_timesteps(sigmas=sigmas)
    mask2 = torch.ones_like(noise)
    if image_latent is not None:
        mask2[:, 0] = 0
        latent = (1.0 - mask2) * image_latent + mask2 * noise
    else:
        latent = noise
    with torch.no_grad():
        for t in sched.timesteps:
            temp_ts = (mask2[0][:, ::2, ::2] * t).flatten()
            temp_ts = torch.cat([temp_ts, temp_ts.new_ones(seq_len - temp_ts.size(0)) * t])[None]
            # diffusers' model takes the real tokens; padded positions are masked in the original
            real = temp_ts[:, : target[1] * target[2] * target[3] // 4]
            cond = twin(hidden_states=latent[None], timestep=real, encoder_hidden_states=pad(ctx), return_dict=False)[0][0]
            unc = twin(hidden_states=latent[None], timestep=real, encoder_hidden_states=pad(ctx_null), return_dict=False)[0][0]
            pred = unc + 5.0 * (cond - unc)
            latent = sched.step(pred[None], t, latent[None], return_dict=False)[0][0]
            if image_latent is not None:
                latent = (1.0 - mask2) * image_latent + mask2 * latent
    return latent


@pytest.mark.parametrize("with_image", [False, True])
def test_engine_follows_the_original_algorithm(engine, tiny_checkpoint_dir, tmp_path, with_image):
    image_latent = None
    kw = {}
    if with_image:
        from engine.imaging import open_image, prepare_image
        from engine.nets.vae import WanVAE

        path = tmp_path / "pic.png"
        rng = np.random.default_rng(0)
        Image.fromarray((rng.random((120, 200, 3)) * 255).astype(np.uint8)).save(path)
        kw["image_path"] = str(path)
        vae = WanVAE.load(tiny_checkpoint_dir, torch.float32, "cpu")
        # 200×120 at a 128×96 area → the original's best_output_size
        from engine.imaging import output_size_for_image

        w, h = output_size_for_image((200, 120), 128, 96)
        image_latent = vae.encode_image(torch.from_numpy(prepare_image(open_image(path), w, h)).unsqueeze(1))
    else:
        w, h = 128, 96
    dump = tmp_path / "dump"
    final, events = _run(engine, _request(tiny_checkpoint_dir, tmp_path / "o.mp4", dump_tensors_dir=str(dump), **kw))
    assert isinstance(final, ev.RunFinished), final
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    assert (started.width, started.height) == (w, h)
    ours = load_file(dump / "latents.safetensors")["latents"]
    ref = _reference_original_loop(tiny_checkpoint_dir, "a red fox running in snow", 7, 4, image_latent, 9, w, h)
    assert ours.shape == ref.shape
    assert ((ours - ref).norm() / ref.norm()).item() <= 1e-5
    if with_image:
        torch.testing.assert_close(ours[:, :1], image_latent, rtol=0, atol=0)


def test_cancel_mid_denoise_leaves_no_file_and_engine_still_works(engine, tiny_checkpoint_dir, tmp_path):
    out = tmp_path / "cancelled.mp4"
    cancel = CancelToken()
    seen = []

    def on_event(e):
        seen.append(e)
        if isinstance(e, ev.StepFinished) and e.index == 1:
            cancel.cancel()

    final = engine.run(_request(tiny_checkpoint_dir, out, steps=6), on_event, cancel)
    assert isinstance(final, ev.RunCancelled) and final.phase == "denoise"
    assert sum(isinstance(e, ev.StepFinished) for e in seen) == 2
    assert list(tmp_path.iterdir()) == []
    final, _ = _run(engine, _request(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFinished) and out.exists()


def test_cancel_during_decode_leaves_no_file(engine, tiny_checkpoint_dir, tmp_path):
    out = tmp_path / "d.mp4"
    cancel = CancelToken()

    def on_event(e):
        if isinstance(e, ev.DecodeProgress):
            cancel.cancel()

    final = engine.run(_request(tiny_checkpoint_dir, out), on_event, cancel)
    assert isinstance(final, ev.RunCancelled) and final.phase == "decode"
    assert list(tmp_path.iterdir()) == []


def test_out_of_memory_is_reported_with_advice_and_next_run_works(engine, tiny_checkpoint_dir, tmp_path, monkeypatch):
    import engine.sampling.denoise as pipeline

    real = pipeline.denoise

    def boom(*a, **k):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    monkeypatch.setattr(pipeline, "denoise", boom)
    final, _ = _run(engine, _request(tiny_checkpoint_dir, tmp_path / "x.mp4"))
    assert isinstance(final, ev.RunFailed) and final.kind == "out_of_memory"
    assert "offload" in final.advice and "denoising" in final.message
    monkeypatch.setattr(pipeline, "denoise", real)
    final, _ = _run(engine, _request(tiny_checkpoint_dir, tmp_path / "x.mp4"))
    assert isinstance(final, ev.RunFinished)


def test_bad_folder_fails_with_a_message_not_an_exception(engine, tmp_path):
    folder = tmp_path / "Wan2.2-TI2V-5B"
    folder.mkdir()
    final, _ = _run(engine, _request(folder, tmp_path / "x.mp4"))
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_checkpoint"
    assert "config.json" in final.message + final.advice


def test_cli_generate_writes_the_video(tiny_checkpoint_dir, tmp_path):
    from engine.outputs.video import read_video_info

    out = tmp_path / "새 폴더" / "clip one.mp4"
    dump = tmp_path / "dump"
    cmd = [sys.executable, "-m", "engine.cli", "generate", "--task", "ti2v-5B", "--size", "128*96", "--frame_num", "13",
           "--ckpt_dir", str(tiny_checkpoint_dir), "--prompt", "여우가 눈 속을 달린다", "--base_seed", "5",
           "--sample_steps", "3", "--sample_solver", "dpm++", "--device", "cpu", "--dtype", "fp32",
           "--offload_model", "False", "--save_file", str(out), "--dump-tensors", str(dump)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "step 3/3" in proc.stdout and "saved" in proc.stdout
    assert read_video_info(out) == (13, 128, 96, 24)
    assert load_file(dump / "latents.safetensors")["latents"].shape == (48, 4, 6, 8)
    assert load_file(dump / "video.safetensors")["video"].shape == (3, 13, 96, 128)


def test_cli_refuses_bad_flags_clearly(tmp_path):
    for args, words in ((["--size", "1000*704"], "multiple of 32"), (["--frame_num", "120"], "4n+1"),
                        (["--task", "t2v-A14B"], "ti2v-5B")):
        proc = subprocess.run([sys.executable, "-m", "engine.cli", "generate", "--prompt", "x", *args],
                              cwd=REPO, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and words in proc.stderr, proc.stderr


def test_engine_never_imports_qt():
    code = (
        "import sys, pkgutil, importlib, engine\n"
        "names = [m.name for m in pkgutil.walk_packages(engine.__path__, 'engine.')]\n"
        "assert 'engine.run.runner' in names and 'engine.nets.dit' in names, names\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'pyqtgraph')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_light_engine_modules_do_not_import_torch():
    code = (
        "import sys\n"
        "import engine, engine.request, engine.events, engine.config, engine.weights.folder, engine.telemetry, engine.imaging\n"
        "sys.exit(1 if 'torch' in sys.modules else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, "a light engine module imported torch"


def test_batched_cfg_equals_two_passes(engine, tiny_checkpoint_dir, tmp_path):
    lats = []
    for batched in (False, True):
        dump = tmp_path / f"b{batched}"
        final, events = _run(engine, _request(tiny_checkpoint_dir, tmp_path / f"b{batched}.mp4", cfg_batch=batched,
                                              dump_tensors_dir=str(dump)))
        assert isinstance(final, ev.RunFinished)
        step = next(e for e in events if isinstance(e, ev.StepFinished))
        assert len(step.pass_seconds) == (1 if batched else 2)
        lats.append(load_file(dump / "latents.safetensors")["latents"])
    torch.testing.assert_close(lats[1], lats[0], rtol=1e-4, atol=1e-5)


def test_cancel_while_loading_stops_the_load(tiny_checkpoint_dir, tmp_path):
    """A cancel during the (for the real model, minute-long) weight load ends the run in the
    load phase, before any later phase starts, and leaves no model half-loaded."""
    fresh = Engine()
    cancel = CancelToken()
    import engine.weights.parts as ckpt  # the DiT reader every format goes through

    real = ckpt.iter_tensors
    seen = []

    def slow_iter(*a, **k):
        for i, item in enumerate(real(*a, **k)):
            if i == 3:
                cancel.cancel()
            seen.append(item[0])
            yield item

    ckpt.iter_tensors = slow_iter
    try:
        events: list = []
        final = fresh.run(_request(tiny_checkpoint_dir, tmp_path / "l.mp4"), events.append, cancel)
    finally:
        ckpt.iter_tensors = real
    assert isinstance(final, ev.RunCancelled) and final.phase == "load"
    assert len(seen) < 10  # stopped within a few tensors, not after all of them
    assert not any(isinstance(e, ev.PhaseStarted) and e.phase != "load" for e in events)
    assert fresh.loaded is None and list(tmp_path.iterdir()) == []
    final = fresh.run(_request(tiny_checkpoint_dir, tmp_path / "l.mp4"), lambda e: None)
    assert isinstance(final, ev.RunFinished)
