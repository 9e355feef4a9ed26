"""The stages of one run, in order: load, start, encode text, encode image, denoise, decode
and save.  Each reads the :class:`engine.run.plan.RunPlan` and works through the run object
of :mod:`engine.run.runner` (events, phases, cancel, peaks); each is short on purpose: a new
feature goes into the stage it belongs to, not into one long function.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch

from engine import events as ev
from engine.errors import CheckpointError
from engine.request import fp8_text
from engine.run.offload import placed, streaming_only


def load(run, plan):
    """Phase "load": the models of the plan (kept between runs when nothing changed)."""
    with run.phase_of("load"):
        from engine.nets.dit import can_compile

        device = plan.torch_device()
        req = plan.request
        use_compile = req.compile if req.compile is not None else (can_compile(device) and not getattr(sys, "frozen", False))
        if use_compile and not can_compile(device):
            run.emit(ev.LogMessage("warning", "torch.compile needs a CUDA GPU and Triton; running without it."))
            use_compile = False
        if use_compile:
            from engine.run.warmup import use_app_inductor_cache

            use_app_inductor_cache()
            if wants_background_compile(run, plan, use_compile):
                from engine.run.warmup import BackgroundCompile

                run.background_compile = BackgroundCompile(plan, lambda: _resolve_attention(plan)).start()
        models = run.engine.models_for(plan, run.emit, use_compile, cancel=run.cancel)
        run.lora_records = run.engine.set_loras(models, req.loras, run.emit)
        run.hooks.after_load(models, run.emit)
    run.cancel.raise_if_cancelled("load")
    if models.vae.config.z_dim != plan.latent_shape[0]:  # the plan's latent is the preset's
        raise CheckpointError(
            f"The VAE in {plan.folder} makes latents of {models.vae.config.z_dim} channels; "
            f"Wan2.2 TI2V-5B's DiT needs {plan.latent_shape[0]}.",
            "Use the Wan2.2_VAE.pth file of Wan-AI/Wan2.2-TI2V-5B.",
        )
    return models


def wants_background_compile(run, plan, use_compile: bool) -> bool:
    """Compile in a thread while the weights load: one GPU, compiling, a warm-up phase,
    models not already loaded (kept models were compiled by an earlier run), and room: the
    load phase with the throwaway block must stay under the run's predicted peak, so the
    low-memory modes compile in the warm-up phase instead."""
    from engine.run.warmup import wants_warmup

    models = run.engine.loaded
    fresh = models is None or not models.key[-1]  # key's last item: compiled
    if not (use_compile and run.dist is None and wants_warmup(plan) and fresh):
        return False
    return plan.memory is None or plan.memory.modes[plan.offload].compile_while_loading


def _resolve_attention(plan):
    from engine.nets.attention import resolve as resolve_attention

    req, cfg = plan.request, plan.spec.dit
    return resolve_attention(req.attention, plan.torch_device(), plan.torch_dtype(), cfg.num_heads, cfg.head_dim,
                             req.attention_chunk)


def start(run, plan, models):
    """Choose the attention kernel, fill the report's environment and announce the run."""
    from engine.outputs.report import collect_environment

    req, cfg, device = plan.request, models.dit.cfg, plan.torch_device()
    dtype = plan.torch_dtype()
    background = getattr(run, "background_compile", None)
    attn = background.resolved_attention() if background is not None else None
    if attn is None:  # several GPUs: rank 0 times and caches the choice
        attn = run.hooks.resolve_attention(lambda: _resolve_attention(plan))
    run.environment.update(collect_environment({
        "attention_backend": attn.backend, "attention_kernel": attn.kernel,
        "dtype": req.dtype + fp8_text(req.precision),
        "device": str(device), "offload_mode": plan.offload, "checkpoint": str(plan.folder or models.folder),
        "demo_model": plan.demo,
    }))
    from engine.weights.parts import loras_summary, part_record, parts_summary

    if models.parts is not None:  # each model file: format, size, a quick content hash
        run.environment["model_files"] = [part_record(p) for p in models.parts.parts.values()]
        run.environment["models"] = parts_summary(models.parts.parts)
    run.environment["loras"] = list(getattr(run, "lora_records", []))
    run.environment["lora_set"] = loras_summary(run.environment["loras"])
    dtype_text = str(dtype).replace("torch.", "")
    # fp8 compute is shown wherever the run's dtype is (CLI, window, report, comparison)
    run_dtype = dtype_text + fp8_text(plan.request.precision)
    tokens = plan.tokens
    sampling = plan.sampling
    run.emit(ev.RunStarted(plan.width, plan.height, plan.frames, plan.fps, plan.latent_shape, tokens,
                           attn.backend, attn.kernel, run_dtype, str(device), plan.offload, plan.seed,
                           plan.steps, plan.demo, plan.image_conditioned, **_sampling_fields(plan)))
    if sampling is not None:
        for line in sampling.notes:
            run.emit(ev.LogMessage("info", line))
        expected = _sampling_fields(plan)["expected_computed"]
        known = f" (this run: {sum(expected)} computed, known before the run)" if expected and -1 not in expected else ""
        run.emit(ev.LogMessage("info", f"sampling: {sampling.describe()}{known}"))
    run.emit(ev.AttentionInfo(attn.backend, attn.kernel, dtype_text, 0.0, tokens, tokens,
                              cfg.text_len, cfg.num_heads, cfg.head_dim))
    run.emit(ev.LogMessage("info", f"attention: {attn.kernel}, {dtype_text}, dropout 0, "
                           f"query/key length {tokens}/{tokens} (cross: {tokens}/{cfg.text_len}), "
                           f"{cfg.num_heads} heads × {cfg.head_dim}"))
    if plan.demo:
        run.emit(ev.LogMessage("warning", "Built-in DEMO model: tiny random weights, the video is not a real generation. "
                               "Set a Wan2.2-TI2V-5B model folder for real videos."))
    return attn


def _step_cache(plan):
    """The run's step cache (engine/sampling/cache.py), or None."""
    from engine.sampling.cache import make_step_cache

    s = plan.sampling
    if s is None or s.cache == "off":
        return None
    return make_step_cache(s.cache, s.cache_threshold, plan.steps, plan.image_conditioned)


def _sampling_fields(plan) -> dict:
    """RunStarted's sampling fields: solver, cache, DiT passes per step and, per step, the
    passes the cache expects to compute (-1 where it cannot know before the run)."""
    s = plan.sampling
    if s is None:
        return {"solver": plan.solver, "passes_per_step": 2}
    fields = {"solver": s.solver, "cache": s.cache, "cache_threshold": s.cache_threshold,
              "passes_per_step": s.passes_per_step}
    cache = _step_cache(plan)
    if cache is not None:
        from engine.sampling.cache import COND, UNCOND

        kinds = (COND,) if s.passes_per_step == 1 else (COND, UNCOND)
        fields["expected_computed"] = tuple(-1 if None in row else sum(row) for row in cache.expected_pattern(kinds))
    else:
        fields["expected_computed"] = ()
    return fields


def image_and_noise(plan):
    """Image-to-video: the picture as a tensor, and the noise drawn first (as the original
    i2v); text-to-video: (None, None) and the noise is drawn after the encoders."""
    if plan.image is None:
        return None, None
    from engine.imaging import prepare_image
    from engine.sampling.denoise import draw_noise

    image_tensor = torch.from_numpy(prepare_image(plan.image, plan.width, plan.height)).unsqueeze(1)  # [3, 1, H, W]
    return image_tensor, draw_noise(plan.latent_shape, plan.seed, plan.torch_device())


def encode_text(run, plan, models):
    """Phase "encode_text": prompt and negative prompt → contexts on the run device.  In
    low-RAM mode the text encoder is read from its file here (unless the prompts are the
    last run's: their contexts are kept) and let go right after."""
    device = plan.torch_device()
    prompts = (plan.request.prompt, plan.negative_prompt)
    with run.phase_of("encode_text"):
        cached = models.text_cache.get(prompts) if models.low_ram else None
        if cached is not None:
            run.emit(ev.LogMessage("info", "text encoder not read: the same prompts as the last run (low RAM)"))
            context, context_null = cached
        else:
            _text_encoder_ready(run, plan, models)
            streaming_only(models, "text_encoder")
            with placed(models.swaps, "text_encoder"):
                context, context_null = models.text_encoder.encode(list(prompts))
            streaming_only(models, None)  # block mode: the umT5's slots back before the next phase
            if models.low_ram:
                from engine.run.offload import drop_text_encoder

                models.text_cache = {prompts: (context.cpu(), context_null.cpu())}  # the last only
                drop_text_encoder(models)
                run.emit(ev.LogMessage("info", "text encoder let go after the encode (low RAM): "
                                       "a new prompt reads it again"))
        context, context_null = context.to(device), context_null.to(device)
    run.cancel.raise_if_cancelled("encode_text")
    shape = plan.latent_shape
    run.emit(ev.LogMessage("info", f"text tokens: prompt {context.shape[0]}, negative {context_null.shape[0]}; "
                           f"video tokens {plan.tokens} ({shape[1]}×{shape[2]}×{shape[3]} latent)"))
    return context, context_null


def _text_encoder_ready(run, plan, models) -> None:
    """Low RAM: read the text encoder now (it is not kept between runs)."""
    if models.text_encoder is not None:
        return
    import time

    from engine.run.models import load_text_encoder
    from engine.run.offload import place_text_encoder

    start = time.perf_counter()
    models.text_encoder = load_text_encoder(plan, models.parts, models.dit.cfg.text_dim)
    place_text_encoder(models, run.engine.meter)
    run.emit(ev.LogMessage("info", f"text encoder read from its file in {time.perf_counter() - start:.1f} s "
                           "(low RAM: it is let go after the encode)"))


def encode_image(run, plan, models, image_tensor):
    """Phase "encode_image" (image-to-video only): the picture's normalised latent."""
    if image_tensor is None:
        return None
    device = plan.torch_device()
    with run.phase_of("encode_image"):
        streaming_only(models, None)
        with placed(models.swaps, "vae"):
            image_latent = models.vae.encode_image(image_tensor.to(device)).to(device)
    run.cancel.raise_if_cancelled("encode_image")
    return image_latent


def warmup(run, plan, models, attn):
    """Phase "warmup" (right after loading, CUDA by default): waits for the background
    compile, then one DiT pass with the run's shapes, so step 1 carries no compile or
    first-use cost (engine/run/warmup.py)."""
    from engine.run.warmup import wants_warmup, warm_up

    if not wants_warmup(plan):
        return
    background = getattr(run, "background_compile", None)
    with run.phase_of("warmup"):
        if background is not None:
            background.join()
            if background.error is not None:
                run.emit(ev.LogMessage("warning", f"compiling while loading failed ({type(background.error).__name__}: "
                                       f"{background.error}); compiling now"))
            else:
                run.emit(ev.LogMessage("info", f"DiT block compiled for this run's shapes while loading "
                                       f"({background.seconds:.1f} s, in a thread)"))
            run.background_compile = None
        streaming_only(models, "dit")
        with placed(models.swaps, "dit"):
            seconds = warm_up(plan, models.dit, attn.fn)
        for streamer in models.streamers:
            streamer.flush_timings()
        run.engine.meter.take()  # the warm-up's copies are not step 1's
        run.emit(ev.LogMessage("info", f"warm-up pass: {seconds:.2f} s"))
    run.cancel.raise_if_cancelled("warmup")


def denoise(run, plan, models, attn, noise, context, context_null, image_latent):
    """Phase "denoise": the sampler, one StepFinished (and memory sample, preview) per step.
    Returns the final latent and the step times."""
    from engine.sampling.denoise import denoise as run_sampler
    from engine.sampling.denoise import preview_frames
    from engine.telemetry import vram_numbers

    device, req, meter = plan.torch_device(), plan.request, run.engine.meter
    for streamer in models.streamers:  # the text encoder's streamed copies are not step 1's
        streamer.flush_timings()
    meter.take()
    step_seconds: list[float] = []

    def on_step(stats, preview_x0):
        step_seconds.append(stats.seconds)
        for streamer in models.streamers:
            streamer.flush_timings()
        moved = meter.take()
        alloc, reserved, peak = vram_numbers(device)
        run.fold_peak("denoise")  # per-step peaks: reset after each step
        run.emit(ev.StepFinished(stats.index, stats.total, stats.seconds, stats.pass_seconds, stats.timestep,
                                 moved.bytes, moved.seconds, alloc, reserved, peak,
                                 passes=stats.passes, pass_reused=stats.pass_reused))
        run.emit(run.engine.sampler.sample())
        if preview_x0 is not None:
            run.emit(ev.Preview(stats.index, preview_frames(preview_x0)))

    sampling = plan.sampling
    generator = None
    if plan.solver == "fewstep":
        from engine.sampling.fewstep import generator_after_first_noise

        generator = generator_after_first_noise(plan.seed, plan.latent_shape, device)
    with run.phase_of("denoise"):
        streaming_only(models, "dit")
        with placed(models.swaps, "dit"):
            latent = run_sampler(models.dit, noise=noise, context=context, context_null=context_null,
                                 image_latent=image_latent, steps=plan.steps, shift=plan.shift,
                                 guidance=plan.guidance, solver=plan.solver, attention=attn.fn,
                                 on_step=on_step, cancel=run.hooks.denoise_cancel(run.cancel),
                                 want_preview=lambda i: req.previews, cfg_batch=plan.cfg_batch,
                                 timesteps=sampling.timesteps if sampling is not None else None,
                                 generator=generator, cache=_step_cache(plan))
    return latent, step_seconds


def decode(run, plan, models, latent) -> list[torch.Tensor]:
    """Phase "decode": first the final latents are kept beside the report (unless turned
    off), then the latent → frames streamed into the mp4 (written when the writer closes),
    retried in a lower-memory mode on running out of memory (:mod:`engine.run.decoding`).
    Returns the decoded chunks when the request asks for a tensor dump."""
    from engine.outputs.report import report_path_for
    from engine.run.decoding import decode_to_video, facts_for, keep_latents

    req = plan.request
    dump: list[torch.Tensor] = []
    mode, bands = plan.decode  # chosen by the memory plan from free VRAM
    facts = facts_for(plan, models.vae, latent, mode)
    run.latents_path = keep_latents(run, plan, latent, facts)
    report_path = run.report_path_on_failure = report_path_for(plan.output)
    with run.phase_of("decode"):
        streaming_only(models, None)  # block mode: the DiT's slots back to the decode
        with placed(models.swaps, "vae"):
            used = decode_to_video(run, models.vae, latent, facts, plan.output, mode=mode, bands=bands,
                                   latents_path=run.latents_path, report_path=report_path,
                                   dump=dump if req.dump_tensors_dir else None)
        run.environment["vae_decode"] = f"{used} ×{bands}" if used == "bands" and bands > 1 else used
    return dump


def save(run, plan, latent, dump: list[torch.Tensor]):
    """Phase "save": the tensors (if asked), the peaks, then the report.  Returns RunFinished."""
    from engine.outputs.report import report_path_for

    with run.phase_of("save"):
        if plan.request.dump_tensors_dir:
            dump_tensors(Path(plan.request.dump_tensors_dir), latent, torch.cat(dump, dim=1))
        report_path = report_path_for(plan.output)
        run.fold_peak("save")
        if run.phase_peaks:
            run.emit(ev.LogMessage("info", "VRAM peak per phase: " + ", ".join(
                f"{k} {v / 2**30:.2f} GiB" for k, v in run.phase_peaks.items())))
        final = ev.RunFinished(str(plan.output), str(report_path), run.elapsed(), plan.seed,
                               vram_peak_bytes=run.job_peak,
                               vram_reserved_peak_bytes=run.job_reserved_peak,
                               latents_path=run.latents_path)
    run.finish(final, report_path)
    return final


def dump_tensors(folder: Path, latent: torch.Tensor, video: torch.Tensor) -> None:
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    save_file({"latents": latent.float().cpu().contiguous()}, str(folder / "latents.safetensors"))
    save_file({"video": video.float().contiguous()}, str(folder / "video.safetensors"))
