"""Out of memory in any phase: advice, memory freed, the next run works."""

from __future__ import annotations

import gc
import weakref

import pytest
import torch
from PIL import Image

from engine import events as ev
from tests.fixtures_cases import (
    _gradient,
)
from tests.fixtures_runs import leftovers, request_for, run


def _oom_points():
    import engine.nets.text_encoder as text_encoder
    import engine.nets.vae as vae
    import engine.sampling.denoise as pipeline

    return {
        "load": (vae.WanVAE, "load_part", "loading the model"),  # what the load stage calls
        "encode_text": (text_encoder.TextEncoder, "encode", "encoding the prompt"),
        "encode_image": (vae.WanVAE, "encode_image", "encoding the image"),
        "denoise": (pipeline, "denoise", "denoising"),
        "decode": (vae.WanVAE, "_decode_latent_frame", "decoding the video"),
    }


@pytest.mark.parametrize("error", ["OutOfMemoryError", "cuBLAS RuntimeError"])
@pytest.mark.parametrize("phase", ["load", "encode_text", "encode_image", "denoise", "decode"])
def test_out_of_memory_in_any_phase_gives_advice_frees_memory_and_the_next_run_works(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch, phase, error
):
    owner, name, words = _oom_points()[phase]
    freed: list[weakref.ref] = []
    emptied: list[int] = []

    def boom(*args, **kwargs):
        freed.extend(
            weakref.ref(a) for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor)
        )
        # From here on pretend a CUDA device is there, to see the cache being emptied.
        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "empty_cache", lambda: emptied.append(1))
        if error == "OutOfMemoryError":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")
        raise RuntimeError(
            "CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`"
        )

    monkeypatch.setattr(owner, name, staticmethod(boom) if phase == "load" else boom)
    if phase == "load":
        engine.unload()  # make the next run load
    image = tmp_path / "pic.png"
    Image.fromarray(_gradient(160, 120)).save(image)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out, image_path=str(image)))
    assert isinstance(final, ev.RunFailed) and final.kind == "out_of_memory", final
    assert words in final.message and "offload" in final.advice and "smaller size" in final.advice
    assert not final.details and leftovers(out.parent) == []
    assert emptied, "GPU cache not emptied after the failure"
    gc.collect()
    assert all(r() is None for r in freed), "tensors of the failed run are still alive"
    monkeypatch.undo()
    final, _ = run(engine, request_for(tiny_checkpoint_dir, out, image_path=str(image)))
    assert isinstance(final, ev.RunFinished), final
