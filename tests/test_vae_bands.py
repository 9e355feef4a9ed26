"""The banded decode (``--decode_mode bands``, ``WanVAE.decode_banded_stream``): the decoder's
high-resolution part in horizontal bands with halos must give exactly the untiled per-frame
decode's frames (every op after the split is local), for any band count and split; a halo
smaller than the convolutions' reach must not (so the check can fail); cancel and the run's
own choice of mode reach it.  Run with the newest diffusers and, through
scripts/oldest-deps.txt, with the oldest one pyproject admits."""

from __future__ import annotations

import json

import pytest
import torch

from engine.errors import Cancelled
from engine.nets import vae as vae_mod
from engine.nets.vae import WanVAE, band_halo
from tests.fixtures_cli import cli_args, run_cli


@pytest.fixture(scope="module")
def vae(tiny_checkpoint_dir) -> WanVAE:
    model = WanVAE.load(tiny_checkpoint_dir, torch.float32)
    model.module.eval()
    return model


@pytest.fixture(scope="module")
def latent() -> torch.Tensor:
    return torch.randn(48, 3, 10, 14, generator=torch.Generator().manual_seed(0))  # 3 latent frames


@pytest.fixture(scope="module")
def full(vae, latent) -> torch.Tensor:
    return torch.cat(list(vae.decode_stream(latent)), dim=1)


@pytest.mark.parametrize("bands,split", [(2, 2), (3, 2), (2, 1), (4, 3), (7, 2)])
def test_bands_give_the_untiled_frames(vae, latent, full, bands, split):
    chunks = list(vae.decode_banded_stream(latent, bands=bands, split=split))
    assert [c.shape[1] for c in chunks] == [1, 4, 4]  # the same 1-then-4-frame chunks
    video = torch.cat(chunks, dim=1)
    assert video.shape == full.shape == (3, 9, 160, 224)
    assert torch.equal(video, full), (video - full).abs().max().item()


def test_a_halo_short_of_the_convolutions_reach_shows(vae, latent, full, monkeypatch):
    assert band_halo(vae.module.decoder, 2) >= 10  # 6 + 0.5 + 3 + 0.5 rows, plus one
    monkeypatch.setattr(vae_mod, "band_halo", lambda decoder, split: 2)
    video = torch.cat(list(vae.decode_banded_stream(latent, bands=2, split=2)), dim=1)
    assert (video - full).abs().max().item() > 1e-3


def test_cancel_between_chunks(vae, latent):
    from engine.cancel import CancelToken

    cancel = CancelToken()
    stream = vae.decode_banded_stream(latent, cancel)
    next(stream)
    cancel.cancel()
    with pytest.raises(Cancelled):
        next(stream)


def test_generate_decodes_in_bands_when_asked_and_the_report_says_so(capsys, tmp_path):
    code, out, err = run_cli(capsys, cli_args(None, tmp_path / "b.mp4", "--decode_mode", "bands"))
    assert code == 0, err
    report = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert report["settings"]["decode_mode"] == "bands"
    from engine.outputs.latents import read_latents_facts

    assert read_latents_facts(tmp_path / "b.latents.safetensors").decode_mode == "bands"  # decode again: same


def test_unknown_decode_mode_is_refused():
    from engine.errors import RequestError
    from engine.request import GenerationRequest, check_request

    with pytest.raises(RequestError, match="Unknown decode mode"):
        check_request(GenerationRequest(prompt="x", decode_mode="half"))


@pytest.mark.parametrize("bands,split,per_slice", [(1, 2, 1), (1, 2, 2), (2, 2, 1), (1, 3, 1), (3, 2, 3), (1, 1, 1), (2, 1, 1)])
def test_frames_a_slice_at_a_time_give_the_untiled_frames(vae, latent, full, bands, split, per_slice):
    """The decoder's part after the split one (or a few) of the chunk's frames at a time, in
    time order: the causal caches carry the frames before (split 1 slices the input of a
    temporal upsampler too), so the frames are the untiled decode's, bit for bit."""
    video = torch.cat(list(vae.decode_banded_stream(latent, bands=bands, split=split,
                                                    frames_per_slice=per_slice)), dim=1)
    assert video.shape == full.shape
    assert torch.equal(video, full), (video - full).abs().max().item()


def test_slices_out_of_time_order_would_show(vae, latent, full, monkeypatch):
    """The check can fail: with the caches cleared before each slice (as if the slices were
    independent) the frames differ."""
    real = vae_mod._cached_conv
    calls = []

    def forgetful(conv, x, cache, idx):
        calls.append(1)
        cache[idx[0]] = None
        return real(conv, x, cache, idx)

    monkeypatch.setattr(vae_mod, "_cached_conv", forgetful)
    video = torch.cat(list(vae.decode_banded_stream(latent, bands=1, split=2, frames_per_slice=1)), dim=1)
    assert calls and (video - full).abs().max().item() > 1e-4


def test_background_writes_keep_order_raise_the_writers_error_and_drop_on_failure():
    """The decode's chunks are converted and piped to ffmpeg on a worker thread: in order,
    the write's own error reaches the decode's thread, and a failed decode writes no more."""
    import threading
    import time

    from engine.run.decoding import BackgroundWrites

    seen, threads = [], set()

    def slow_write(item):
        time.sleep(0.01)
        threads.add(threading.current_thread().name)
        seen.append(item)

    with BackgroundWrites(slow_write) as writes:
        for i in range(6):
            writes.put(i)
    assert seen == list(range(6)) and threads == {"artifex-video-writes"}

    def broken(item):
        raise OSError("pipe closed")

    with pytest.raises(OSError, match="pipe closed"):
        with BackgroundWrites(broken) as writes:
            writes.put(1)
            time.sleep(0.05)
            writes.put(2)  # the error of the first write surfaces here at the latest

    written, gate = [], threading.Event()

    def gated(item):
        gate.wait(5)
        written.append(item)

    with pytest.raises(RuntimeError, match="decode failed"):
        with BackgroundWrites(gated, depth=4) as writes:
            for i in range(4):
                writes.put(i)
            threading.Timer(1.0, gate.set).start()  # the first write finishes after the failure
            raise RuntimeError("decode failed")
    assert written == [0]  # the one in progress finished; the three waiting were dropped
