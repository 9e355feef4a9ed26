"""Sequence-parallel (Ulysses) generation on torch.distributed, checked on the CPU with two
gloo processes against the one-process result (see engine/run/distributed.py and
docs/DISTRIBUTED.md)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from engine.config import WanConfig
from engine.errors import RequestError

REPO = Path(__file__).resolve().parents[1]
WORLD = 2

pytestmark = pytest.mark.skipif(
    not dist.is_available(), reason="torch.distributed is not available"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn(fn, *args) -> None:
    """Run fn(rank, *args) in WORLD processes joined by gloo on 127.0.0.1."""
    # The free port is only free when probed; another process can take it before gloo binds
    # (seen once in a full-suite run).  Rendezvous failures get a fresh port; a failed
    # assertion is never retried.
    for attempt in range(3):
        try:
            mp.spawn(_entry, args=(_free_port(), fn, args), nprocs=WORLD, join=True)
            return
        except (
            Exception
        ) as exc:  # torch.multiprocessing's ProcessRaisedException / ProcessExitedException
            if "AssertionError" in str(exc) or attempt == 2:
                raise


def _entry(rank: int, port: int, fn, args) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=WORLD)
    try:
        fn(rank, *args)
    except BaseException:
        traceback.print_exc()
        raise
    finally:
        if dist.is_initialized():  # a check may have left the job itself
            dist.destroy_process_group()


# --------------------------------------------------------------------------- pure pieces


def test_split_range_and_local_segments_cover_the_sequence_once():
    from engine.run.sequence_parallel import local_segments, split_range

    for length in (1, 2, 7, 27, 45, 100):
        for size in (1, 2, 3, 4):
            for lengths in ([length], [min(3, length), length - min(3, length)]):
                lengths = [n for n in lengths if n > 0]
                seen = []
                for rank in range(size):
                    chunk, start, end = split_range(length, size, rank)
                    assert chunk * size - length < size  # padding only to even the split
                    idx, counts = local_segments(lengths, length, chunk * size, start, end)
                    assert sum(counts) == chunk and idx == sorted(idx)
                    seen += [i for i, n in zip(idx, counts) for _ in range(n)]
                ext = [i for i, n in enumerate(lengths) for _ in range(n)]
                ext += [len(lengths) - 1] * (len(seen) - length)  # padding joins the last segment
                assert seen == ext


def test_heads_must_divide_with_a_clear_message():
    from engine.run.distributed import check_ulysses_size

    check_ulysses_size(24, 1)
    check_ulysses_size(24, 2, 2)
    check_ulysses_size(24, 4, 4)
    check_ulysses_size(24, 8, 8)
    with pytest.raises(RequestError) as err:
        check_ulysses_size(24, 5)
    assert (
        "24 attention heads" in err.value.message and "1, 2, 3, 4, 6, 8, 12, 24" in err.value.advice
    )
    with pytest.raises(RequestError) as err:
        check_ulysses_size(24, 16)
    assert "does not divide" in err.value.message
    with pytest.raises(RequestError) as err:
        check_ulysses_size(24, 4, 2)
    assert "number of processes" in err.value.message


def test_windows_is_refused_with_the_nccl_reason(monkeypatch):
    import engine.run.distributed as d

    monkeypatch.setattr(d.os, "name", "nt")
    with pytest.raises(RequestError) as err:
        d.init_from_env("cuda", 2)
    assert "NCCL" in err.value.message and "Windows" in err.value.message


def test_without_torchrun_the_flags_say_how_to_launch(monkeypatch):
    import engine.run.distributed as d

    for name in ("RANK", "WORLD_SIZE"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RequestError) as err:
        d.init_from_env("cpu", 2)
    assert "torchrun --nproc_per_node" in err.value.advice


def test_cli_refuses_heads_that_do_not_divide():
    env = dict(os.environ, RANK="0", WORLD_SIZE="3", LOCAL_RANK="0")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.cli",
            "generate",
            "--prompt",
            "x",
            "--device",
            "cpu",
            "--ulysses_size",
            "3",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 2, proc.stderr
    assert "does not divide the model's 2 attention heads" in proc.stderr, proc.stderr


def test_weights_stay_resident_on_several_gpus_and_only_an_explicit_offload_is_warned_about():
    from engine.run.distributed import DistContext

    ctx = DistContext(0, 2, 0, torch.device("cpu"), "gloo")
    for mode, warned in (("none", False), ("auto", False), ("model", True), ("block", True)):
        said = []
        assert ctx.resident_offload(mode, said.append) == "none"
        assert bool(said) is warned, (mode, said)
        if warned:
            assert f"offload '{mode}' is not used with several GPUs" in said[0].text


# --------------------------------------------------------------------------- collectives


def _check_exchange(rank: int) -> None:
    from engine.run.sequence_parallel import (
        exchange_out,
        exchange_qkv,
        gather_sequence,
        split_range,
    )

    b, h, d, length = 2, 4, 3, 7  # 7 tokens: 4 per rank, 1 padded
    g = torch.Generator().manual_seed(0)
    full = [torch.randn(b, h, length, d, generator=g) for _ in range(3)]
    chunk, start, end = split_range(length, WORLD, rank)
    padded = [torch.cat([t, t.new_zeros(b, h, chunk * WORLD - length, d)], dim=2) for t in full]
    local = [t[:, :, start:end] for t in padded]
    q, k, v = exchange_qkv(*local, WORLD, length, None)
    heads = slice(rank * h // WORLD, (rank + 1) * h // WORLD)
    for got, want in zip((q, k, v), full):
        assert torch.equal(got, want[:, heads])  # all real tokens, this rank's heads
    back = exchange_out(q * 2, WORLD, chunk, None)
    assert torch.equal(back, padded[0][:, :, start:end] * 2)  # our tokens, all heads; padding 0
    x = padded[1].transpose(1, 2)[:, start:end]  # [B, C, H, d]
    assert torch.equal(gather_sequence(x, length, WORLD), full[1].transpose(1, 2))


def test_all_to_all_layout_change_and_gather_on_gloo():
    _spawn(_check_exchange)


def _check_agreed_cancel(rank: int) -> None:
    from engine.cancel import CancelToken
    from engine.errors import Cancelled
    from engine.run.distributed import DistContext

    ctx = DistContext(rank, WORLD, rank, torch.device("cpu"), "gloo")
    token = CancelToken()
    agreed = ctx.agreed_cancel(token)
    stopped_at = None
    for step in range(5):
        if rank == 1 and step == 2:
            token.cancel()  # Ctrl+C reached only this process
        try:
            agreed.raise_if_cancelled("denoise")
        except Cancelled as exc:
            assert exc.phase == "denoise"
            stopped_at = step
            break
    assert stopped_at == 2, f"rank {rank} stopped at {stopped_at}"  # both ranks, same step
    assert token.cancelled  # later local checks see it too


def test_cancel_on_one_rank_stops_every_rank_at_the_same_step():
    _spawn(_check_agreed_cancel)


def _leave(rank: int, out_dir: str, finished: bool) -> None:
    import time

    from engine.run.distributed import DistContext, shutdown

    ctx = DistContext(rank, WORLD, 0, torch.device("cpu"), "gloo")
    if rank == 0:
        time.sleep(1.5)  # rank 0 still decoding and saving
        word = time.time()
        shutdown(ctx, finished=True)
    else:
        shutdown(ctx, finished=finished)
        word = time.time()
    assert not dist.is_initialized()
    (Path(out_dir) / f"rank{rank}.txt").write_text(repr(word))


@pytest.mark.parametrize("finished", [True, False], ids=["finished", "failed"])
def test_ranks_leave_together_after_a_finished_run_and_a_failed_rank_at_once(tmp_path, finished):
    # A rank that tore its connections down while rank 0 still decoded was aborted by gloo
    # now and then ("terminate called without an active exception"): the others wait.
    _spawn(_leave, str(tmp_path), finished)
    rank0_word = float((tmp_path / "rank0.txt").read_text())
    rank1_left = float((tmp_path / "rank1.txt").read_text())
    if finished:
        assert rank1_left >= rank0_word
    else:  # a failed rank does not wait (torchrun stops the rest)
        assert rank1_left < rank0_word - 0.5


def _tiny_cfg() -> WanConfig:
    return WanConfig(
        dim=64, ffn_dim=96, num_heads=4, num_layers=2, text_dim=32, freq_dim=32, in_dim=8, out_dim=8
    )


def _sp_forward(rank: int, out_dir: str, grid: tuple, lengths: list, cfg_batch: bool) -> None:
    from engine.nets.dit import WanModel
    from engine.run.sequence_parallel import SequenceParallel

    torch.manual_seed(0)
    model = WanModel(_tiny_cfg()).eval()  # identical weights on both ranks (same seed)
    f, hh, ww = grid
    g = torch.Generator().manual_seed(1)
    batch = 2 if cfg_batch else 1
    latents = torch.randn(1, 8, f, hh * 2, ww * 2, generator=g).expand(batch, -1, -1, -1, -1)
    context = torch.randn(batch, 5, 32, generator=g)
    ts = torch.tensor([[0.0, 700.0]])[:, -len(lengths) :]
    with torch.inference_mode():
        single = model(latents, ts, lengths, context)
        model.sequence_parallel = SequenceParallel(WORLD, rank)
        split = model(latents, ts, lengths, context)
        again = model(latents, ts, lengths, context)  # cached local RoPE reused
    torch.save({"single": single, "split": split, "again": again}, Path(out_dir) / f"rank{rank}.pt")


@pytest.mark.parametrize(
    "grid,lengths,cfg_batch",
    [
        ((3, 3, 3), [9, 18], False),  # 27 tokens: odd, padded to 28; image-conditioned segments
        ((2, 3, 2), [12], True),  # 12 tokens: even, no padding; batch 2 (CFG batch)
        ((3, 1, 1), [1, 2], False),  # 3 tokens: the second rank holds one real token and one pad
    ],
)
def test_sequence_parallel_forward_equals_one_process(tmp_path, grid, lengths, cfg_batch):
    _spawn(_sp_forward, str(tmp_path), grid, lengths, cfg_batch)
    outs = [torch.load(tmp_path / f"rank{r}.pt") for r in range(WORLD)]
    ref = outs[0]["single"]
    for out in outs:
        assert torch.equal(out["single"], ref)
        for key in ("split", "again"):
            err = (out[key] - ref).abs().max().item()
            assert err <= 1e-5 * max(1.0, ref.abs().max().item()), (key, err)


def _fsdp_forward(rank: int, out_dir: str) -> None:
    from engine.nets.dit import WanModel
    from engine.run.distributed import DistContext
    from engine.run.sequence_parallel import SequenceParallel, shard_dit

    torch.manual_seed(0)
    model = WanModel(_tiny_cfg()).eval()
    g = torch.Generator().manual_seed(1)
    latents = torch.randn(1, 8, 3, 6, 6, generator=g)
    context = torch.randn(1, 5, 32, generator=g)
    ts = torch.tensor([[0.0, 700.0]])
    with torch.inference_mode():
        single = model(latents, ts, [9, 18], context)
        ctx = DistContext(rank, WORLD, rank, torch.device("cpu"), "gloo", WORLD, True, False)
        shard_dit(model, ctx)
        model.sequence_parallel = SequenceParallel(WORLD, rank)
        ctx_emb = model.embed_text(context)  # outside forward: replicated weights
        split = model(latents, ts, [9, 18], ctx_emb, context_embedded=True)
        split2 = model(latents, ts, [9, 18], ctx_emb, context_embedded=True)
    local = sum(
        p.to_local().numel() if hasattr(p, "to_local") else p.numel()
        for p in model.blocks.parameters()
    )
    full = sum(p.numel() for p in WanModel(_tiny_cfg()).blocks.parameters())
    torch.save(
        {"single": single, "split": split, "split2": split2, "local": local, "full": full},
        Path(out_dir) / f"rank{rank}.pt",
    )


def test_dit_fsdp_with_sequence_parallel_equals_one_process(tmp_path):
    _spawn(_fsdp_forward, str(tmp_path))
    for r in range(WORLD):
        out = torch.load(tmp_path / f"rank{r}.pt")
        assert (
            out["local"] < 0.55 * out["full"]
        )  # about half the block weights (FSDP splits dim 0, padded)
        for key in ("split", "split2"):
            assert (out[key] - out["single"]).abs().max().item() <= 1e-5 * max(
                1.0, out["single"].abs().max().item()
            )


# --------------------------------------------------------------------------- end to end


def _generate(
    tmp: Path, ckpt: Path, name: str, nproc: int, extra: list[str]
) -> tuple[subprocess.CompletedProcess, Path]:
    dump = tmp / f"dump_{name}"
    out = tmp / f"{name}.mp4"
    args = [
        "generate",
        "--size",
        "160*96",
        "--frame_num",
        "9",
        "--sample_steps",
        "2",
        "--ckpt_dir",
        str(ckpt),
        "--prompt",
        "a fox runs through snow",
        "--base_seed",
        "7",
        "--device",
        "cpu",
        "--dtype",
        "fp32",
        "--offload_model",
        "False",
        "--attention",
        "sdpa",
        "--save_file",
        str(out),
        "--dump-tensors",
        str(dump),
        *extra,
    ]
    if nproc == 1:
        cmd = [sys.executable, "-m", "engine.cli", *args]
    else:
        cmd = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--nproc_per_node",
            str(nproc),
            "--master_addr",
            "127.0.0.1",
            "--master_port",
            str(_free_port()),
            "-m",
            "engine.cli",
            *args,
        ]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=240, env=env)
    return proc, dump


@pytest.mark.parametrize("image,fsdp", [(False, True), (True, False)], ids=["t2v-fsdp", "i2v"])
def test_two_process_generate_equals_one_process(tiny_checkpoint_dir, tmp_path, image, fsdp):
    import json

    import numpy as np
    from PIL import Image
    from safetensors.torch import load_file

    extra = []
    if image:  # image-to-video: per-token timesteps (first latent frame t=0) cross the split
        pixels = np.random.default_rng(0).integers(0, 256, (120, 200, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(tmp_path / "first.png")
        extra = ["--image", str(tmp_path / "first.png")]
    one, dump1 = _generate(tmp_path, tiny_checkpoint_dir, "one", 1, extra)
    assert one.returncode == 0, one.stderr
    extra += ["--ulysses_size", "2"] + (["--dit_fsdp", "--t5_fsdp"] if fsdp else [])
    two, dump2 = _generate(tmp_path, tiny_checkpoint_dir, "two", 2, extra)
    assert two.returncode == 0, two.stdout + two.stderr
    assert two.stdout.count("saved ") == 1  # rank 0 alone writes
    lat1 = load_file(dump1 / "latents.safetensors")["latents"]
    lat2 = load_file(dump2 / "latents.safetensors")["latents"]
    assert lat1.shape == lat2.shape == (48, 3, 6, 10)  # 3·3·5 = 45 tokens: odd, padded to 46
    assert (lat1 - lat2).abs().max().item() <= 1e-4, (lat1 - lat2).abs().max().item()
    vid1 = load_file(dump1 / "video.safetensors")["video"]
    vid2 = load_file(dump2 / "video.safetensors")["video"]
    assert (vid1 - vid2).abs().max().item() <= 1e-3
    report = json.loads((tmp_path / "two.json").read_text(encoding="utf-8"))
    info = report["environment"]["distributed"]
    assert (
        info["world_size"] == 2
        and info["ulysses_size"] == 2
        and info["dit_fsdp"] == fsdp
        and info["t5_fsdp"] == fsdp
    )
    assert info["tokens"] == 45 and info["padding"] == 1
    assert len(info["per_rank_step_seconds"]) == 2 and all(
        len(s) == 2 for s in info["per_rank_step_seconds"]
    )
