"""The LoRAs of a run on the loaded DiT: set between runs without reading the model again.

:func:`set_loras` parses each LoRA file once (kept while its size and mtime stay), checks it
against the DiT's shapes before anything changes, and swaps what is applied
(engine/weights/lora.py: side factors for the block linears, the few merged tensors put
back first). With offload the block streamer / model swap is rebuilt around the new factor
tensors; weights already in pinned RAM are not copied again.
"""

from __future__ import annotations

import time
from pathlib import Path

from engine import events as ev


def lora_key(loras) -> tuple:
    """``(path, size, mtime_ns, strength)`` per LoRA, in order: what makes a LoRA set."""
    out = []
    for lora in loras:
        path = Path(lora.path)
        st = path.stat()
        out.append((str(path.resolve()), st.st_size, st.st_mtime_ns, float(lora.strength)))
    return tuple(out)


def set_loras(models, loras, parsed_cache: dict, meter, emit) -> list[dict]:
    """Make ``loras`` (``LoraChoice`` in order) the ones on ``models.dit``; returns the
    report's records (file, strength, style, ranks, tensors applied, size, quick hash)."""
    from engine.weights.formats.fingerprint import quick_hash
    from engine.weights.lora import LoraState, apply_loras, match_lora, parse_lora
    from engine.weights.parts import dit_adaptable

    key = lora_key(loras)
    if models.lora_state is None:
        models.lora_state = LoraState()
    parsed = []
    for k in key:
        if k[:3] not in parsed_cache:
            parsed_cache[k[:3]] = parse_lora(k[0])
        parsed.append((parsed_cache[k[:3]], k[3]))
    shapes = {n: tuple(v.shape) for n, v in models.dit.state_dict(keep_vars=True).items()}
    records = []
    for (lora, strength), k in zip(parsed, key):
        match = match_lora(lora, shapes)  # a LoRA of another model is refused before any change
        records.append({
            "path": k[0], "strength": strength, "style": lora.style, "ranks": lora.ranks(),
            "applied_tensors": match.applied_tensors, "tensors": lora.tensor_count,
            "size_bytes": k[1], "hash": quick_hash(k[0]),
        })  # fmt: skip
    if key == models.lora_key:
        return records
    start = time.perf_counter()
    rebuild_streamer = models.offload_mode == "block" and bool(models.streamers)
    if rebuild_streamer:
        models.streamers[0].remove()  # the DiT blocks' streamer: rebuilt with the new factors
    apply_loras(
        models.dit, parsed, models.lora_state, compute_dtype=models.dtype, side_path=dit_adaptable
    )
    if rebuild_streamer:
        from engine.run.offload import BlockStreamer

        models.streamers[0] = BlockStreamer(models.dit.blocks, models.device, meter)
    if "dit" in models.swaps:  # mode "model": the swap must know the new factor tensors
        from engine.run.offload import ModelSwap

        models.swaps["dit"] = ModelSwap(models.dit, models.device, meter)
    had = bool(models.lora_key)
    models.lora_key = key
    for message in models.lora_state.applied:
        emit(ev.LogMessage("info", "LoRA " + message))
    if loras or had:
        emit(
            ev.LogMessage(
                "info",
                f"LoRAs set in {time.perf_counter() - start:.2f} s without reloading the model",
            )
        )
    return records
