"""Settings → one frozen :class:`GenerationRequest` (the only thing that crosses to the engine)."""

from __future__ import annotations

import time
from pathlib import Path

from artifex_gui.settings import Settings
from artifex_gui.sizing import ImageReadError, image_output_size, load_picture, source_size
from engine.request import GenerationRequest, LoraChoice, check_request


def output_path_for(output_dir: Path) -> str:
    """A fresh, sortable file name; the engine writes the JSON report beside it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = output_dir / f"artifex_{stamp}.mp4"
    n = 2
    while path.exists():
        path = output_dir / f"artifex_{stamp}_{n}.mp4"
        n += 1
    return str(path)


def build_request(values: Settings, *, output_dir: Path) -> tuple[GenerationRequest, list[str]]:
    """Raises ``engine.errors.RequestError`` for what cannot be fixed; returns notes for what
    was adjusted (snapped sizes, frame counts)."""
    request = GenerationRequest(
        prompt=values.prompt.strip(),
        negative_prompt=values.negative_prompt.strip(),
        image_path=values.image_path or None,
        width=values.width,
        height=values.height,
        frames=values.frames,
        steps=values.steps,
        shift=values.shift,
        guidance=values.guidance,
        solver=values.solver,
        timesteps=values.timesteps if values.solver == "fewstep" else None,
        cache=values.cache if values.solver != "fewstep" else "off",
        cache_threshold=values.cache_threshold if values.cache != "off" else None,
        seed=-1 if values.random_seed or values.seed < 0 else values.seed,
        checkpoint_dir=values.model_dir or None,
        dit_file=values.dit_file or None,
        t5_file=values.t5_file or None,
        vae_file=values.vae_file or None,
        tokenizer_dir=values.tokenizer_dir or None,
        loras=tuple(
            LoraChoice(x["path"], float(x["strength"])) for x in values.loras if x.get("enabled", True)
        ),
        attention=values.attention,
        dtype=values.dtype,
        precision=values.precision,
        decode_mode=values.decode_mode,
        offload_mode=values.offload_mode,
        low_ram=values.low_ram,
        output_path=output_path_for(output_dir),
        previews=True,
        keep_latents=values.keep_latents,
    )
    return check_request(request, clamp=True)


def planned_output_size(request: GenerationRequest) -> tuple[int, int] | None:
    """The (width, height) the run will produce: an image run keeps the picture's shape
    within the asked area (the engine's own rule); None when it cannot be told."""
    if not (request.width and request.height):
        return None
    if not request.image_path:
        return request.width, request.height
    try:
        picture = load_picture(request.image_path)
    except ImageReadError:
        return None
    return image_output_size(source_size(picture), request.width, request.height)
