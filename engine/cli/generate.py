"""``artifex-cli generate``: the flags of the official Wan2.2 ``generate.py`` (same names, same
defaults) plus ``--attention``, ``--device``, ``--dtype``, ``--offload`` and ``--dump-tensors``.
"""

from __future__ import annotations

import argparse
import signal
import sys

from engine.cli.common import EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_error
from engine.config import EXAMPLE_PROMPT, PRESETS
from engine.request import (
    ATTENTION_BACKENDS,
    CACHE_MODES,
    DECODE_CHOICES,
    DISTILLED_KINDS,
    DTYPES,
    OFFICIAL_SIZES,
    OFFLOAD_MODES,
    PRECISIONS,
    SOLVERS,
)

_REAL, _DEMO = PRESETS["ti2v-5B"].defaults, PRESETS["tiny"].defaults  # the one home of the defaults


def _str2bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1", "yes", "y", "on"):
        return True
    if value in ("false", "0", "no", "n", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected True or False, got {text!r}")


def add_generate_parser(sub) -> None:
    p = sub.add_parser(
        "generate",
        help="generate a video (flags of the official Wan2.2 generate.py)",
        description="Generate a video with Wan2.2 TI2V-5B.  Without --ckpt_dir the built-in tiny "
        "DEMO model is used (random weights: the result is not a real video).",
    )
    p.add_argument("--task", default="ti2v-5B", help="only ti2v-5B is supported (default: %(default)s)")
    p.add_argument("--size", default=None,
                   help=f"WIDTH*HEIGHT, {' or '.join(OFFICIAL_SIZES)} or any multiple of 32 "
                        f"(default: {_REAL.width}*{_REAL.height}; the demo model: {_DEMO.width}*{_DEMO.height}). "
                        "With --image it bounds the area.")
    p.add_argument("--frame_num", type=int, default=None, help=f"frames, 4n+1 (default: {_REAL.frames}; demo: {_DEMO.frames})")
    p.add_argument("--ckpt_dir", default=None,
                   help="the model folder: original Wan2.2-TI2V-5B, the -Diffusers one, or a folder of "
                        "ComfyUI files (default: built-in demo model)")
    p.add_argument("--dit_file", default=None, help="the DiT as one .safetensors (ComfyUI; fp16/bf16/fp32/fp8)")
    p.add_argument("--t5_file", default=None, help="the umT5 text encoder as one file (ComfyUI; fp16/bf16/fp8 scaled)")
    p.add_argument("--vae_file", default=None, help="the Wan2.2 VAE as one file (wan2.2_vae.safetensors)")
    p.add_argument("--tokenizer_dir", default=None, help="the umT5 tokenizer folder (google/umt5-xxl)")
    p.add_argument("--lora", action="append", default=[], metavar="FILE[:STRENGTH]",
                   help="a LoRA .safetensors with its strength (default 1.0; after the last colon); repeatable")
    p.add_argument("--offload_model", type=_str2bool, default=None,
                   help="True: move each model to the GPU only for its phase (the official behaviour); "
                        "False: keep all resident. Default: chosen from free GPU memory")
    p.add_argument("--offload", choices=OFFLOAD_MODES, default=None,
                   help="where weights live: none, model (swap per phase), block (stream DiT/T5 blocks from RAM, "
                        "least VRAM), auto. Overrides --offload_model")
    p.add_argument("--t5_cpu", action="store_true", help="run the text encoder on the CPU")
    p.add_argument("--low_ram", action="store_true",
                   help="for 16 GB PCs: do not keep the text encoder (11 GB) in RAM; read it from its file "
                        "for each new prompt (memory-mapped where the file allows) and let it go after")
    p.add_argument("--convert_model_dtype", action="store_true",
                   help="accepted for compatibility: weights are always converted to --dtype")
    p.add_argument("--prompt", default=None,
                   help="what the video shows (default, as in the official generate.py: its example "
                        f"prompt, \"{EXAMPLE_PROMPT}\")")
    p.add_argument("--negative_prompt", "--neg_prompt", dest="negative_prompt", default="",
                   help="what to avoid (default: the model's own negative prompt)")
    p.add_argument("--image", default=None, help="first frame picture (image-to-video)")
    p.add_argument("--base_seed", type=int, default=-1, help="seed; -1 picks a random one (default: -1)")
    p.add_argument("--sample_solver", choices=SOLVERS, default="unipc",
                   help="unipc, dpm++, or fewstep for FastWan/Turbo distilled models (default: %(default)s)")
    p.add_argument("--timesteps", default=None, metavar="T1,T2,...",
                   help="few-step timesteps, highest first (default: the distilled model's, FastWan 1000,757,522)")
    p.add_argument("--distilled", choices=DISTILLED_KINDS, default=None,
                   help="the checkpoint is this distilled model: few-step sampler with its timesteps, guidance off")
    p.add_argument("--cache", choices=CACHE_MODES, default="off",
                   help="step cache: reuse a DiT pass the published rule finds redundant (default: off)")
    p.add_argument("--cache_threshold", type=float, default=None,
                   help="cache threshold; higher reuses more, 0 reuses nothing (default: the published value)")
    p.add_argument("--sample_steps", type=int, default=None, help=f"denoising steps (default: {_REAL.steps}; demo: {_DEMO.steps})")
    p.add_argument("--sample_shift", type=float, default=None, help=f"noise schedule shift (default: {_REAL.shift})")
    p.add_argument("--sample_guide_scale", type=float, default=None, help=f"classifier-free guidance (default: {_REAL.guidance})")
    p.add_argument("--save_file", default=None, help="output .mp4 (default: a name like the official one, here)")
    p.add_argument("--attention", choices=ATTENTION_BACKENDS, default="auto")
    p.add_argument("--attention_chunk", type=int, default=None, help="query rows per chunk for --attention chunked")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    p.add_argument("--dtype", choices=DTYPES, default="bf16")
    p.add_argument("--decode_mode", choices=DECODE_CHOICES, default="auto",
                   help="the VAE decode: full (fastest, ~10 GiB at 1280x704), bands (the same frames, its "
                        "high-resolution part a frame at a time, in two bands when short of memory: 6.2 GiB, "
                        "1.16x the time), tiled (~3 GiB, ~3x slower, blended seams); auto: the fastest that fits "
                        "the free GPU memory (the memory plan, see --dry-run); an out-of-memory decode is retried "
                        "at once in the next mode down")
    p.add_argument("--precision", choices=PRECISIONS, default="dtype",
                   help="fp8: the DiT blocks' linears multiply in float8 with row-wise scales (GPUs with fp8 "
                        "tensor cores: Ada, Hopper, Blackwell; faster, with a small measured error, see "
                        "docs/PERFORMANCE.md); dtype: every matmul in --dtype (default)")
    p.add_argument("--compile", choices=("auto", "on", "off"), default="auto",
                   help="torch.compile the DiT blocks: auto = where Triton can build GPU kernels (Linux with CUDA); "
                        "the compiling happens in the warm-up phase, cached in the app's cache folder (default: auto)")
    p.add_argument("--fps", type=int, default=None, help=f"frames per second of the mp4 (default: {_REAL.fps})")
    p.add_argument("--dump-tensors", "--dump_tensors", dest="dump_tensors", default=None, metavar="DIR",
                   help="also write DIR/latents.safetensors and DIR/video.safetensors (float32)")
    p.add_argument("--keep_latents", type=_str2bool, default=True,
                   help="keep the final latents beside the report (NAME.latents.safetensors, ~21 MB at "
                        "1280*704*121) so `artifex-cli decode NAME.json` can decode them again, e.g. after "
                        "the decode ran out of memory (default: True)")
    p.add_argument("--ulysses_size", type=int, default=1,
                   help="split the video tokens over N GPUs (sequence parallel, Ulysses); N must divide the 24 "
                        "attention heads; launch with torchrun --nproc_per_node N. Linux only (NCCL)")
    p.add_argument("--dit_fsdp", action="store_true", help="shard the DiT's weights over the GPUs (FSDP, torchrun)")
    p.add_argument("--t5_fsdp", action="store_true", help="shard the text encoder's weights over the GPUs (FSDP, torchrun)")
    p.add_argument("--quiet", action="store_true", help="print only the result")
    p.add_argument("--warmup", choices=("auto", "on", "off"), default="auto",
                   help="a warm-up phase before denoising (compile and first-use costs out of step 1); "
                   "auto = on CUDA GPUs")
    p.add_argument("--dry-run", "--dry_run", dest="dry_run", action="store_true",
                   help="print what would run (sizes, tokens, device, offload, output) and exit; loads no weights")


def _request_from_args(args):
    from engine.errors import RequestError
    from engine.request import GenerationRequest, check_request, parse_lora_arg, parse_size

    if args.task != "ti2v-5B":
        raise RequestError(f"Task '{args.task}' is not supported.", "Artifex runs Wan2.2 TI2V-5B: use --task ti2v-5B.")
    if args.prompt is None:  # the official script's behaviour: its example prompt for the task
        args.prompt = EXAMPLE_PROMPT
        print(f'No --prompt given: using the official example prompt "{EXAMPLE_PROMPT}".', file=sys.stderr)
    width = height = None
    if args.size:
        width, height = parse_size(args.size)
    offload = args.offload or {True: "model", False: "none", None: "auto"}[args.offload_model]
    req = GenerationRequest(
        prompt=args.prompt,
        negative_prompt=args.negative_prompt,
        image_path=args.image,
        width=width,
        height=height,
        frames=args.frame_num,
        steps=args.sample_steps,
        shift=args.sample_shift,
        guidance=args.sample_guide_scale,
        solver=args.sample_solver,
        timesteps=args.timesteps,
        distilled=args.distilled,
        cache=args.cache,
        cache_threshold=args.cache_threshold,
        seed=args.base_seed,
        checkpoint_dir=args.ckpt_dir,
        dit_file=args.dit_file,
        t5_file=args.t5_file,
        vae_file=args.vae_file,
        tokenizer_dir=args.tokenizer_dir,
        loras=tuple(parse_lora_arg(text) for text in args.lora),
        attention=args.attention,
        attention_chunk=args.attention_chunk,
        dtype=args.dtype,
        precision=args.precision,
        decode_mode=args.decode_mode,
        device=args.device,
        offload_mode=offload,
        t5_cpu=args.t5_cpu,
        low_ram=args.low_ram,
        output_path=args.save_file,
        fps=args.fps,
        previews=False,
        dump_tensors_dir=args.dump_tensors,
        keep_latents=args.keep_latents,
        compile={"auto": None, "on": True, "off": False}[args.compile],
        warmup={"auto": None, "on": True, "off": False}[args.warmup],
    )
    req, _ = check_request(req, clamp=False)
    return req


class _Printer:
    """Turns engine events into terminal lines."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.step_seconds: list[float] = []

    def __call__(self, event) -> None:
        from engine import events as ev

        out = None
        if isinstance(event, ev.RunStarted):
            kind = "image-to-video" if event.image_conditioned else "text-to-video"
            model = "DEMO model (tiny random weights)" if event.demo_model else "Wan2.2 TI2V-5B"
            out = (f"{model}: {kind} {event.width}x{event.height}, {event.frames} frames at {event.fps} fps, "
                   f"{event.steps} steps, seed {event.seed}\n"
                   f"  device {event.device}, {event.dtype}, offload {event.offload_mode}, "
                   f"attention {event.attention_kernel}, {event.token_count} tokens")
        elif isinstance(event, ev.LogMessage):
            out = ("warning: " if event.level == "warning" else "") + event.text
        elif isinstance(event, ev.PhaseFinished):
            out = f"{event.phase} done in {event.seconds:.2f} s"
        elif isinstance(event, ev.StepFinished):
            self.step_seconds.append(event.seconds)
            mib = event.h2d_bytes / 2**20
            extra = f", copied {mib:.0f} MiB" if event.h2d_bytes else ""
            peak = f", VRAM peak {event.vram_peak_bytes / 2**30:.1f} GiB" if event.vram_peak_bytes else ""
            passes = ""
            if event.passes:  # which passes ran and which the step cache reused
                shown = [f"{k} {'reused' if r else 'computed'}" for k, r in zip(event.passes, event.pass_reused)]
                passes = ", " + ", ".join(shown)
            out = (f"step {event.index + 1}/{event.total}: {event.seconds:.2f} s "
                   f"(t={event.timestep:.0f}{passes}{extra}{peak})")
        elif isinstance(event, ev.TransferInfo):
            out = f"{event.what}: {event.bytes / 2**30:.2f} GiB in {event.seconds:.1f} s"
        elif isinstance(event, ev.RunFinished):
            print(f"saved {event.output_path}\nreport {event.report_path}\ntotal {event.total_seconds:.1f} s", flush=True)
            if event.latents_path and not self.quiet:
                print(f"latents {event.latents_path}", flush=True)
            return
        elif isinstance(event, ev.RunFailed):
            print(f"error: {event.message}", file=sys.stderr)
            if event.advice:
                print(f"what to do: {event.advice}", file=sys.stderr)
            if event.recovered_path:
                print(f"the generated frames were kept in: {event.recovered_path}", file=sys.stderr)
            if event.latents_path:
                print(f"the denoised latents were kept in: {event.latents_path}", file=sys.stderr)
            if event.details:
                print(event.details, file=sys.stderr)
            return
        elif isinstance(event, ev.RunCancelled):
            print(f"cancelled during {event.phase}; no video was written", file=sys.stderr)
            return
        if out and not self.quiet:
            print(out, flush=True)


def join_job(args):
    """None on one GPU, else this process's place in the torchrun job (checked: platform,
    launch, heads of the model in ``--ckpt_dir``)."""
    from engine.run.distributed import expected_heads, init_from_env, wanted

    ulysses, dit_fsdp, t5_fsdp = int(args.ulysses_size), bool(args.dit_fsdp), bool(args.t5_fsdp)
    if not wanted(ulysses, dit_fsdp, t5_fsdp):
        return None
    return init_from_env(args.device, ulysses, dit_fsdp, t5_fsdp, expected_heads(args.ckpt_dir))


def cmd_generate(args) -> int:
    from engine.cancel import CancelToken
    from engine.errors import ArtifexError

    try:
        req = _request_from_args(args)
        if args.dry_run:
            from engine.run.plan import describe_plan

            print(describe_plan(req))
            return EXIT_OK
        dctx = join_job(args)  # None on one GPU; else this rank of the torchrun job
        if dctx is not None:
            req = req.replace(device=str(dctx.device))
    except ArtifexError as exc:
        print_error(exc)
        return EXIT_USAGE
    from engine import events as ev
    from engine.run.runner import Engine

    cancel = CancelToken()

    def on_sigint(signum, frame):
        if cancel.cancelled:  # second Ctrl+C: stop now
            raise KeyboardInterrupt
        cancel.cancel()
        print("\ncancelling at the next safe point (Ctrl+C again to stop at once)…", file=sys.stderr, flush=True)

    def quiet_interrupt_in_finalizer(unraisable):
        # The second Ctrl+C's KeyboardInterrupt can land inside an object's __del__, where
        # Python swallows it and prints a traceback; the run still stops at the next safe
        # point (the first press set the flag), so that traceback is noise.
        if isinstance(unraisable.exc_value, KeyboardInterrupt) and cancel.cancelled:
            return
        previous_hook(unraisable)

    previous = signal.signal(signal.SIGINT, on_sigint)
    previous_hook, sys.unraisablehook = sys.unraisablehook, quiet_interrupt_in_finalizer
    printer = _Printer(args.quiet)
    if dctx is not None and not dctx.is_main:  # rank 0 prints; the others only their failures
        printer = dctx.failures_only(printer)
    final = None
    try:
        final = Engine(dist=dctx).run(req, printer, cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = previous_hook
        if dctx is not None:
            from engine.run.distributed import shutdown

            shutdown(dctx, finished=isinstance(final, ev.RunFinished))
    if isinstance(final, ev.RunFinished):
        return EXIT_OK
    if isinstance(final, ev.RunCancelled):
        return EXIT_CANCELLED
    return EXIT_FAILED
