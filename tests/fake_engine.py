"""A scripted stand-in for ``engine.run.runner.Engine``: same ``run(request, on_event, cancel)``.

It emits the event stream a real run does (with made-up numbers), honours the cancel token
between steps and decode chunks, and on success writes a real tiny mp4 (imageio-ffmpeg) and a
JSON report.  Tests script failures (``fail_at_step``, ``raise_at_step``), delays and a
``pause_at_step`` gate to freeze a run mid-way (for screenshots).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine import events as ev
from engine.cancel import CancelToken
from engine.request import GenerationRequest


@dataclass
class FakeEngine:
    steps: int | None = None  # None: the request's steps (or 6)
    step_seconds: float = 0.005
    spike_steps: tuple[int, ...] = (3,)  # these steps take 2× (offload-like spike)
    step_factors: dict[int, float] = field(default_factory=dict)  # step → × step_seconds
    load_seconds: float = 0.01  # the model load, reported with LoadProgress events
    fail_at_step: int | None = None  # emit RunFailed(out_of_memory) at this step
    raise_at_step: int | None = None  # raise RuntimeError (an engine bug) at this step
    pause_at_step: int | None = None  # wait for ``resume`` before this step
    preview_size: tuple[int, int] = (40, 64)  # h, w
    output_dir: Path | None = None
    runs: int = 0
    resume: threading.Event = field(default_factory=threading.Event)
    paused: threading.Event = field(default_factory=threading.Event)

    def unload(self) -> None:
        pass

    def run(self, request: GenerationRequest, on_event, cancel: CancelToken):
        self.runs += 1
        t_start = time.time()
        width, height = request.width or 256, request.height or 160
        frames = request.frames or 17
        steps = self.steps or request.steps or 6
        seed = request.seed if request.seed >= 0 else 1234567
        demo = request.checkpoint_dir is None

        def emit(event):
            on_event(event)
            return event

        def phase(name: str, seconds: float = 0.002) -> None:
            emit(ev.PhaseStarted(name))
            time.sleep(seconds)
            emit(ev.PhaseFinished(name, seconds))

        emit(ev.LogMessage("info", "fake engine: loading the demo model" if demo else "fake engine: loading"))
        emit(ev.PhaseStarted("load"))
        files = [("dit", f"diffusion_pytorch_model-0000{n}-of-00003.safetensors", 3 * 2**30) for n in (1, 2, 3)]
        files += [("text_encoder", "models_t5_umt5-xxl-enc-bf16.pth", 2 * 2**30), ("vae", "Wan2.2_VAE.pth", 2**29)]
        total = sum(size for _p, _f, size in files)
        done = 0
        chunks = 4
        for part, name, size in files:
            for k in range(1, chunks + 1):
                if cancel.cancelled:
                    return emit(ev.RunCancelled("load"))
                time.sleep(self.load_seconds / (chunks * len(files)))
                emit(
                    ev.LoadProgress(
                        part, name, done + size * k // chunks, total, int(825 * (done + size * k // chunks) / total),
                        825, size * k // chunks, size,
                    )
                )
            done += size
        emit(ev.PhaseFinished("load", self.load_seconds))
        emit(
            ev.RunStarted(
                width=width, height=height, frames=frames, fps=request.fps or 24,
                latent_shape=(48, (frames - 1) // 4 + 1, height // 16, width // 16),
                token_count=((frames - 1) // 4 + 1) * (height // 32) * (width // 32),
                attention_backend=request.attention, attention_kernel="sdpa-math",
                dtype=request.dtype, device="cpu", offload_mode="none", seed=seed,
                steps=steps, demo_model=demo, image_conditioned=request.image_path is not None,
            )
        )
        emit(ev.AttentionInfo("auto", "sdpa-math", request.dtype, 0.0, 100, 100, 512, 2, 32))
        phase("encode_text")
        if request.image_path:
            phase("encode_image")
        emit(ev.PhaseStarted("denoise"))
        rng = np.random.default_rng(seed)
        for index in range(steps):
            if self.pause_at_step is not None and index == self.pause_at_step:
                self.paused.set()
                self.resume.wait(30)
            if cancel.cancelled:
                return emit(ev.RunCancelled("denoise"))
            if self.raise_at_step is not None and index == self.raise_at_step:
                raise RuntimeError("fake engine bug")
            if self.fail_at_step is not None and index == self.fail_at_step:
                return emit(
                    ev.RunFailed(
                        kind="out_of_memory",
                        message=f"The GPU ran out of memory at step {index + 1}.",
                        advice="Turn on offload or choose a smaller size.",
                    )
                )
            seconds = self.step_seconds * self.step_factors.get(index, 2.0 if index in self.spike_steps else 1.0)
            time.sleep(seconds)
            emit(
                ev.StepFinished(
                    index=index, total=steps, seconds=seconds, pass_seconds=(seconds / 2, seconds / 2),
                    timestep=999.0 * (1 - index / steps),
                    h2d_bytes=(index % 3) * 200 * 2**20, h2d_seconds=0.001 * (index % 3),
                    vram_allocated_bytes=3 * 2**30, vram_reserved_bytes=4 * 2**30,
                    vram_peak_bytes=5 * 2**30,
                )
            )
            emit(
                ev.MemorySample(
                    vram_used_bytes=None, vram_total_bytes=None, vram_allocated_bytes=None,
                    vram_reserved_bytes=None, ram_used_bytes=8 * 2**30, ram_total_bytes=32 * 2**30,
                    process_rss_bytes=2 * 2**30, source="none",
                )
            )
            h, w = self.preview_size
            ramp = np.linspace(0, 255, w, dtype=np.float32)[None, :, None]
            noise = rng.integers(0, 255, (3, h, w, 3)) * (1 - (index + 1) / steps)
            frames_rgb = np.clip(ramp * (index + 1) / steps + noise, 0, 255).astype(np.uint8)
            emit(ev.Preview(step=index, frames=frames_rgb))
        emit(ev.PhaseFinished("denoise", time.time() - t_start))
        emit(ev.PhaseStarted("decode"))
        for done in range(1, frames + 1, 4):
            if cancel.cancelled:
                return emit(ev.RunCancelled("decode"))
            emit(ev.DecodeProgress(done, frames))
        emit(ev.DecodeProgress(frames, frames))
        emit(ev.PhaseFinished("decode", 0.001))
        emit(ev.PhaseStarted("save"))
        output = Path(request.output_path or (self.output_dir or Path("outputs")) / f"fake_{seed}.mp4")
        output.parent.mkdir(parents=True, exist_ok=True)
        write_tiny_mp4(output, width=64, height=48, frames=8)
        report = output.with_suffix(".json")
        report.write_text(json.dumps({"request": request.to_dict(), "seed": seed}, default=str))
        emit(ev.PhaseFinished("save", 0.001))
        return emit(ev.RunFinished(str(output), str(report), time.time() - t_start, seed))


def write_tiny_mp4(path: Path, *, width: int = 64, height: int = 48, frames: int = 8, fps: int = 24) -> None:
    import imageio_ffmpeg

    writer = imageio_ffmpeg.write_frames(
        str(path), (width, height), fps=fps, codec="libx264", pix_fmt_out="yuv420p",
        macro_block_size=16, ffmpeg_log_level="error",
    )
    writer.send(None)
    for i in range(frames):
        frame = np.zeros((height, width, 3), np.uint8)
        frame[..., 0] = (i * 255) // max(1, frames - 1)
        frame[:, : (i + 1) * width // frames, 1] = 200
        writer.send(frame.tobytes())
    writer.close()
