"""The memory plan (issue 16, item 4): weight bytes from the configs, each phase's VRAM peak
per offload mode for a known shape worked out by hand here, RAM with and without the pinned
allocator's power-of-two rounding, auto's choice, and the text of ``--dry-run``."""

from __future__ import annotations

import json
import math
from pathlib import Path

from engine.config import PRESETS
from engine.run import memory_plan as mp
from engine.run.memory_plan import GiB, describe_memory, plan_memory
from engine.run.plan import make_plan
from tests.fixtures_runs import request_for

SPEC = PRESETS["ti2v-5B"]
MANIFEST = Path(__file__).resolve().parents[1] / "engine" / "data" / "checkpoint_manifest.json"


def _manifest_count(key_start: str) -> int:
    files = json.loads(MANIFEST.read_text())
    (tensors,) = [v for k, v in files.items() if k.startswith(key_start)]
    return sum(math.prod(shape) for shape in tensors.values())


def test_parameter_counts_match_the_official_checkpoint():
    assert (
        mp.dit_parameter_count(SPEC.dit)
        == _manifest_count("diffusion_pytorch_model")
        == 4_999_787_712
    )
    assert mp.t5_parameter_count(SPEC.t5) == _manifest_count("models_t5") == 5_680_910_336
    assert mp.WAN22_VAE_PARAMETERS == _manifest_count("Wan2.2_VAE")


# One DiT block by hand: self- and cross-attention q, k, v, o (weight + bias) and their two
# RMSNorms, norm3 (weight + bias), the FFN, the modulation.
D, FFN = 3072, 14336
DIT_BLOCK_PARAMS = 2 * (4 * (D * D + D) + 2 * D) + 2 * D + (FFN * D + FFN) + (D * FFN + D) + 6 * D
# One umT5 block: q, k, v, o (64 heads × 64), the relative position bias, two norms, the gated FFN.
T5_BLOCK_PARAMS = 4 * 4096 * 4096 + 32 * 64 + 2 * 4096 + 3 * 4096 * 10240


def test_one_block_by_hand():
    w = mp.model_bytes(SPEC)
    assert w.dit_block == DIT_BLOCK_PARAMS * 2 == 327_313_408
    assert w.t5_block == T5_BLOCK_PARAMS * 2
    assert (w.dit_blocks, w.t5_blocks) == (30, 24)


def test_phase_peaks_for_1280x704x121_by_hand():
    tokens = 31 * 22 * 40  # 27,280
    latent = 48 * 31 * 44 * 80 * 4  # one float32 latent
    plan = plan_memory(SPEC, width=1280, height=704, frames=121, tokens=tokens, latent_shape=(48, 31, 44, 80),
                       image_conditioned=True, cfg_batch=False, free_bytes=None)  # fmt: skip
    dit, t5, vae = 4_999_787_712 * 2, 5_680_910_336 * 2, 704_688_668 * 2
    dit_act = tokens * 73_000
    none = plan.modes["none"].phase_peaks
    assert none == {
        "load": dit + vae,
        "encode_text": dit + vae + t5 + int(0.55 * GiB),
        "encode_image": dit + vae + 1280 * 704 * 1405,
        "denoise": dit + vae + 6 * latent + dit_act,
        "decode": dit + vae + latent + 1280 * 704 * 11_844,
    }
    assert (plan.modes["none"].decode_mode, plan.modes["block"].decode_mode) == ("full", "tiled")  # no GPU to fit
    block_b, t5_b = DIT_BLOCK_PARAMS * 2, T5_BLOCK_PARAMS * 2
    # block mode: the VAE and the DiT outside its blocks all the time; each model's two
    # slots only in its own phases; the umT5's embedding in RAM
    resident = (dit - 30 * block_b) + vae
    block = plan.modes["block"].phase_peaks
    assert block["load"] == resident
    assert block["encode_text"] == resident + 2 * t5_b + int(0.55 * GiB)
    assert block["denoise"] == resident + 2 * block_b + 6 * latent + dit_act
    tiled_video = 2 * 3 * 121 * 704 * 1280 * 2  # the decoded video and its clamp, bf16
    assert block["decode"] == resident + latent + int(1.70 * GiB) + tiled_video
    model = plan.modes["model"].phase_peaks
    assert model["load"] == 0 and model["denoise"] == dit + 6 * latent + dit_act
    assert (
        plan.modes["block"].peak_phase == "decode"
        and plan.modes["none"].peak_phase == "encode_text"
    )
    # RAM: the blocks exactly (one page-locked buffer per block), the text encoder in "none"
    assert plan.modes["block"].ram_bytes == 30 * block_b + 24 * t5_b
    assert plan.modes["none"].ram_bytes == t5 and plan.modes["model"].ram_bytes == dit + t5 + vae


def test_low_ram_holds_no_text_encoder_between_runs():
    kw = dict(width=1280, height=704, frames=121, tokens=27280, latent_shape=(48, 31, 44, 80),
              image_conditioned=True, cfg_batch=False)  # fmt: skip
    normal, low = plan_memory(SPEC, **kw), plan_memory(SPEC, low_ram=True, **kw)
    t5, t5_blocks = 5_680_910_336 * 2, 24 * T5_BLOCK_PARAMS * 2
    assert normal.modes["none"].ram_bytes - low.modes["none"].ram_bytes == t5
    assert normal.modes["model"].ram_bytes - low.modes["model"].ram_bytes == t5
    assert normal.modes["block"].ram_bytes - low.modes["block"].ram_bytes == t5_blocks
    assert low.modes["block"].ram_bytes == 30 * DIT_BLOCK_PARAMS * 2  # the DiT's blocks alone
    for mode in ("none", "model", "block"):  # VRAM is the same
        assert low.modes[mode].phase_peaks == normal.modes[mode].phase_peaks


def test_the_decode_is_the_fastest_that_fits_the_free_memory():
    """auto: full, then one band (a frame a slice), then two bands, then tiles, by what is
    free beside the decode phase's residents; an asked mode is kept (bands: one or two)."""
    w, h, f = 1280, 704, 121
    px = w * h
    tiled = int(1.70 * GiB) + 2 * 3 * f * px * 2
    assert mp.decode_activation_bytes(w, h, f, "full") == px * 11_844
    assert mp.decode_activation_bytes(w, h, f, "bands", bands=1) == px * 7_387
    assert mp.decode_activation_bytes(w, h, f, "bands", bands=2) == px * 6_375
    assert mp.decode_activation_bytes(w, h, f, "tiled") == tiled
    choose = lambda asked, room: mp.choose_decode(asked, "block", room, w, h, f)  # noqa: E731
    assert choose("auto", px * 11_844) == ("full", 1)
    assert choose("auto", px * 11_844 - 1) == ("bands", 1)
    assert choose("auto", px * 7_387 - 1) == ("bands", 2)
    assert choose("auto", px * 6_375 - 1) == ("tiled", 1)
    assert choose("auto", tiled - 1) == ("tiled", 1)  # nothing fits: the least it can need
    assert choose("bands", px * 7_387 - 1) == ("bands", 2) and choose("bands", None) == ("bands", 1)
    assert choose("full", 0) == ("full", 1) and choose("tiled", 10**12) == ("tiled", 1)
    assert mp.choose_decode("auto", "none", None, w, h, f) == ("full", 1)
    assert mp.choose_decode("auto", "block", None, w, h, f) == ("tiled", 1)


def test_text_to_video_has_no_image_phase_and_batched_cfg_doubles_the_dit_activations():
    kw = dict(width=832, height=480, frames=81, tokens=21 * 15 * 26, latent_shape=(48, 21, 30, 52),
              image_conditioned=False)  # fmt: skip
    one, two = plan_memory(SPEC, cfg_batch=False, **kw), plan_memory(SPEC, cfg_batch=True, **kw)
    assert "encode_image" not in one.modes["none"].phase_peaks
    extra = two.modes["none"].phase_peaks["denoise"] - one.modes["none"].phase_peaks["denoise"]
    assert extra == 21 * 15 * 26 * 73_000


def test_warmup_phase_has_the_denoise_residency():
    plan = plan_memory(SPEC, width=1280, height=704, frames=121, tokens=27280, latent_shape=(48, 31, 44, 80),
                       image_conditioned=True, cfg_batch=False, warmup=True)  # fmt: skip
    for mode in plan.modes.values():
        assert list(mode.phase_peaks)[:2] == ["load", "warmup"]
        assert mode.phase_peaks["warmup"] == mode.phase_peaks["denoise"]


def test_compiling_while_loading_counts_in_the_load_peak_only_where_it_stays_under_the_run_peak():
    kw = dict(width=1280, height=704, frames=121, tokens=27280, latent_shape=(48, 31, 44, 80),
              image_conditioned=True, cfg_batch=False)  # fmt: skip
    plain, bg = plan_memory(SPEC, **kw), plan_memory(SPEC, compile_while_loading=True, **kw)
    extra = 327_313_408 + 27280 * 73_000  # the throwaway block and one block's activations
    assert mp.background_compile_bytes(SPEC, 27280) == extra
    for mode in ("none", "model", "block"):
        fits = plain.modes[mode].phase_peaks["load"] + extra <= plain.modes[mode].peak
        assert bg.modes[mode].compile_while_loading == fits
        assert bg.modes[mode].phase_peaks["load"] == plain.modes[mode].phase_peaks["load"] + (
            extra if fits else 0
        )


def test_power_of_two_rounding_of_per_tensor_pinning():
    assert mp.pow2_pinned_bytes([(3072, 3072)], 2) == 2**25  # 18.9 MB takes 32 MiB
    assert mp.pow2_pinned_bytes([(14336, 3072)], 2) == 2**27  # 88 MB takes 128 MiB
    assert mp.pow2_pinned_bytes([(4096,)], 2) == 8192
    w = mp.model_bytes(SPEC)
    old = 30 * mp.pow2_pinned_bytes(w.dit_tensor_shapes, 2) + 24 * mp.pow2_pinned_bytes(
        w.t5_tensor_shapes, 2
    )
    new = 30 * w.dit_block + 24 * w.t5_block
    assert 1.5 < old / new < 1.6  # 27.0 GiB against 17.8 GiB


def _plan(free_gib: float):
    return plan_memory(SPEC, width=1280, height=704, frames=121, tokens=27280, latent_shape=(48, 31, 44, 80),
                       image_conditioned=True, cfg_batch=False, free_bytes=int(free_gib * GiB))  # fmt: skip


def test_auto_picks_the_first_mode_that_fits():
    peaks = {m: v.peak / GiB for m, v in _plan(80).modes.items()}
    assert 21 < peaks["none"] < 23 and 11 < peaks["model"] < 12.5
    assert 11 < peaks["block"] < 12  # with room, block mode decodes in full too
    assert _plan(40).auto_mode() == "none"
    assert _plan(20).auto_mode() == "model"  # none needs ~22.8 with the margin
    assert _plan(12).auto_mode() == "block"  # model needs ~12.3
    six = _plan(6)  # block fits 6 GiB: slots only in their phases, the tiled decode
    assert six.fitting() == ["block"] and six.modes["block"].decode_mode == "tiled"
    assert 4 < six.modes["block"].peak / GiB < 5
    assert _plan(10).modes["block"].decode_mode == "bands"  # 1.5 + 6.2 + margin fits 10
    assert _plan(3).fitting() == [] and _plan(3).auto_mode() == "block"  # the least it can need


def test_describe_says_fits_or_not_per_mode():
    text = describe_memory(_plan(12), chosen="block")
    lines = text.splitlines()
    assert "12.0 GiB free" in lines[0]
    assert lines[1].startswith("  none: peak 2") and "in text encode — does not fit" in lines[1]
    assert "model: peak" in lines[2] and "— does not fit" in lines[2]
    assert (
        "block: peak 7." in lines[3] and "in decode — fits" in lines[3] and "← chosen" in lines[3]
    )
    assert "no CUDA GPU" in describe_memory(_plan(12).__class__(_plan(12).modes, None))


def test_the_plan_and_dry_run_carry_the_memory_plan(tiny_checkpoint_dir, tmp_path):
    demo = make_plan(request_for(None, tmp_path / "a.mp4"), prepare=False)
    assert demo.memory is None and "memory plan" not in demo.describe()
    plan = make_plan(request_for(tiny_checkpoint_dir, tmp_path / "a.mp4"), prepare=False)
    assert plan.memory is not None and plan.memory.free_bytes is None  # CPU: no VRAM to fit
    assert plan.offload == "none"  # auto on the CPU
    assert plan.describe_memory() in plan.describe() and "block: peak" in plan.describe_memory()


def test_cli_dry_run_prints_the_memory_plan(tiny_checkpoint_dir, tmp_path):
    import os
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "engine.cli", "generate", "--prompt", "x", "--ckpt_dir", str(tiny_checkpoint_dir),
         "--size", "128*96", "--frame_num", "9", "--device", "cpu", "--save_file", str(tmp_path / "c.mp4"),
         "--dry-run"],
        cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=120,
        env={**os.environ, "ARTIFEX_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("memory plan (no CUDA GPU"))
    assert [line.split(":")[0].strip() for line in lines[start + 1 : start + 4]] == [
        "none",
        "model",
        "block",
    ]
    assert "← chosen" in lines[start + 1]  # auto on the CPU: none
    assert not (tmp_path / "c.mp4").exists()
