"""``artifex-cli``: the engine from a terminal.

``artifex-cli generate`` takes the flags of the official Wan2.2 ``generate.py`` (same names,
same defaults) plus ``--attention``, ``--device``, ``--dtype``, ``--offload`` and
``--dump-tensors``.  ``doctor`` reports what this machine can run; ``bench-attention``
times the attention kernels that work here; ``report`` analyses run reports.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from engine.request import ATTENTION_BACKENDS, DTYPES, OFFICIAL_SIZES, OFFLOAD_MODES, SOLVERS

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


def _str2bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1", "yes", "y", "on"):
        return True
    if value in ("false", "0", "no", "n", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected True or False, got {text!r}")


def _add_generate(sub) -> None:
    p = sub.add_parser(
        "generate",
        help="generate a video (flags of the official Wan2.2 generate.py)",
        description="Generate a video with Wan2.2 TI2V-5B.  Without --ckpt_dir the built-in tiny "
        "DEMO model is used (random weights: the result is not a real video).",
    )
    p.add_argument("--task", default="ti2v-5B", help="only ti2v-5B is supported (default: %(default)s)")
    p.add_argument("--size", default=None,
                   help=f"WIDTH*HEIGHT, {' or '.join(OFFICIAL_SIZES)} or any multiple of 32 "
                        "(default: 1280*704; the demo model: 256*160). With --image it bounds the area.")
    p.add_argument("--frame_num", type=int, default=None, help="frames, 4n+1 (default: 121; demo: 17)")
    p.add_argument("--ckpt_dir", default=None, help="the Wan2.2-TI2V-5B folder (default: built-in demo model)")
    p.add_argument("--offload_model", type=_str2bool, default=None,
                   help="True: move each model to the GPU only for its phase (the official behaviour); "
                        "False: keep all resident. Default: chosen from free GPU memory")
    p.add_argument("--offload", choices=OFFLOAD_MODES, default=None,
                   help="where weights live: none, model (swap per phase), block (stream DiT/T5 blocks from RAM, "
                        "least VRAM), auto. Overrides --offload_model")
    p.add_argument("--t5_cpu", action="store_true", help="run the text encoder on the CPU")
    p.add_argument("--convert_model_dtype", action="store_true",
                   help="accepted for compatibility: weights are always converted to --dtype")
    p.add_argument("--prompt", default=None, help="what the video shows")
    p.add_argument("--negative_prompt", "--neg_prompt", dest="negative_prompt", default="",
                   help="what to avoid (default: the model's own negative prompt)")
    p.add_argument("--image", default=None, help="first frame picture (image-to-video)")
    p.add_argument("--base_seed", type=int, default=-1, help="seed; -1 picks a random one (default: -1)")
    p.add_argument("--sample_solver", choices=SOLVERS, default="unipc")
    p.add_argument("--sample_steps", type=int, default=None, help="denoising steps (default: 50; demo: 8)")
    p.add_argument("--sample_shift", type=float, default=None, help="noise schedule shift (default: 5.0)")
    p.add_argument("--sample_guide_scale", type=float, default=None, help="classifier-free guidance (default: 5.0)")
    p.add_argument("--save_file", default=None, help="output .mp4 (default: a name like the official one, here)")
    p.add_argument("--attention", choices=ATTENTION_BACKENDS, default="auto")
    p.add_argument("--attention_chunk", type=int, default=None, help="query rows per chunk for --attention chunked")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    p.add_argument("--dtype", choices=DTYPES, default="bf16")
    p.add_argument("--compile", choices=("auto", "on", "off"), default="auto",
                   help="torch.compile the DiT blocks: auto = where Triton can build GPU kernels (Linux with CUDA); "
                        "the first step then includes ~1 minute of compiling (default: auto)")
    p.add_argument("--fps", type=int, default=None, help="frames per second of the mp4 (default: 24)")
    p.add_argument("--dump-tensors", "--dump_tensors", dest="dump_tensors", default=None, metavar="DIR",
                   help="also write DIR/latents.safetensors and DIR/video.safetensors (float32)")
    p.add_argument("--ulysses_size", type=int, default=1,
                   help="split the video tokens over N GPUs (sequence parallel, Ulysses); N must divide the 24 "
                        "attention heads; launch with torchrun --nproc_per_node N. Linux only (NCCL)")
    p.add_argument("--dit_fsdp", action="store_true", help="shard the DiT's weights over the GPUs (FSDP, torchrun)")
    p.add_argument("--t5_fsdp", action="store_true", help="shard the text encoder's weights over the GPUs (FSDP, torchrun)")
    p.add_argument("--quiet", action="store_true", help="print only the result")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="artifex-cli", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    _add_generate(sub)
    d = sub.add_parser("doctor", help="report Python, torch, CUDA, the GPU and the attention kernels that work")
    d.add_argument("--device", default="auto")
    b = sub.add_parser("bench-attention", help="time each working attention backend on this machine")
    b.add_argument("--size", default="1280*704")
    b.add_argument("--frame_num", type=int, default=121)
    b.add_argument("--tokens", type=int, default=None, help="override the token count")
    b.add_argument("--heads", type=int, default=24)
    b.add_argument("--head_dim", type=int, default=128)
    b.add_argument("--dtype", choices=DTYPES, default="bf16")
    b.add_argument("--device", default="auto")
    b.add_argument("--repeats", type=int, default=5)
    try:
        from engine.cli.report import add_report_parser

        add_report_parser(sub)
    except ImportError:  # pragma: no cover - report module is part of the package
        pass
    return parser


# --------------------------------------------------------------------------- generate


def _request_from_args(args):
    from engine.errors import RequestError
    from engine.request import GenerationRequest, check_request, parse_size

    if args.task != "ti2v-5B":
        raise RequestError(f"Task '{args.task}' is not supported.", "Artifex runs Wan2.2 TI2V-5B: use --task ti2v-5B.")
    if args.prompt is None:
        raise RequestError("No prompt given.", 'Add --prompt "what the video shows".')
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
        seed=args.base_seed,
        checkpoint_dir=args.ckpt_dir,
        attention=args.attention,
        attention_chunk=args.attention_chunk,
        dtype=args.dtype,
        device=args.device,
        offload_mode=offload,
        t5_cpu=args.t5_cpu,
        output_path=args.save_file,
        fps=args.fps,
        previews=False,
        dump_tensors_dir=args.dump_tensors,
        compile={"auto": None, "on": True, "off": False}[args.compile],
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
            out = f"step {event.index + 1}/{event.total}: {event.seconds:.2f} s (t={event.timestep:.0f}{extra}{peak})"
        elif isinstance(event, ev.TransferInfo):
            out = f"{event.what}: {event.bytes / 2**30:.2f} GiB in {event.seconds:.1f} s"
        elif isinstance(event, ev.RunFinished):
            print(f"saved {event.output_path}\nreport {event.report_path}\ntotal {event.total_seconds:.1f} s", flush=True)
            return
        elif isinstance(event, ev.RunFailed):
            print(f"error: {event.message}", file=sys.stderr)
            if event.advice:
                print(f"what to do: {event.advice}", file=sys.stderr)
            if event.recovered_path:
                print(f"the generated frames were kept in: {event.recovered_path}", file=sys.stderr)
            if event.details:
                print(event.details, file=sys.stderr)
            return
        elif isinstance(event, ev.RunCancelled):
            print(f"cancelled during {event.phase}; no video was written", file=sys.stderr)
            return
        if out and not self.quiet:
            print(out, flush=True)


def cmd_generate(args) -> int:
    from engine.cancel import CancelToken
    from engine.errors import ArtifexError

    try:
        req = _request_from_args(args)
        from engine.run.distributed import join_from_cli

        dctx = join_from_cli(args)  # None on one GPU; else this rank of the torchrun job
        if dctx is not None:
            req = req.replace(device=str(dctx.device))
    except ArtifexError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.advice:
            print(f"what to do: {exc.advice}", file=sys.stderr)
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
    try:
        final = Engine().run(req, printer, cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = previous_hook
        if dctx is not None:
            from engine.run.distributed import shutdown

            shutdown()
    if isinstance(final, ev.RunFinished):
        return EXIT_OK
    if isinstance(final, ev.RunCancelled):
        return EXIT_CANCELLED
    return EXIT_FAILED


# --------------------------------------------------------------------------- doctor


def cmd_doctor(args) -> int:
    import platform

    print(f"Artifex {__import__('engine').__version__}")
    print(f"Python {platform.python_version()} on {platform.platform()}")
    import torch

    print(f"torch {torch.__version__} (CUDA build: {torch.version.cuda or 'none'})")
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            print(f"GPU {i}: {props.name}, {props.total_memory / 2**30:.1f} GiB, compute {props.major}.{props.minor}")
        try:
            import pynvml

            pynvml.nvmlInit()
            print(f"driver {pynvml.nvmlSystemGetDriverVersion()}")
        except Exception:
            print("driver: NVML not available")
    else:
        print("GPU: no CUDA GPU available (generation runs on the CPU: only the demo model is practical)")
    from engine.nets.attention import available_backends

    dev = args.device
    for dtype in ("bf16", "fp32"):
        names = available_backends(dev, dtype)
        print(f"attention kernels that pass the self-test ({dtype}): {', '.join(names)}")
    try:
        import imageio_ffmpeg

        print(f"ffmpeg: {imageio_ffmpeg.get_ffmpeg_exe()}")
    except Exception as exc:
        print(f"ffmpeg: missing ({exc})")
    return EXIT_OK


# --------------------------------------------------------------------------- bench-attention


def cmd_bench_attention(args) -> int:
    import torch

    from engine.nets.attention import (
        attention_flops,
        chunked_fn,
        resolve_device,
        sdpa_fn,
        time_kernel,
        working_kernels,
    )
    from engine.request import parse_size

    device = resolve_device(args.device)
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[args.dtype]
    if args.tokens:
        tokens = args.tokens
    else:
        w, h = parse_size(args.size)
        tokens = ((args.frame_num - 1) // 4 + 1) * (h // 32) * (w // 32)
    if device.type == "cpu" and not args.tokens and tokens > 4096:
        print(f"note: {tokens} tokens would take minutes on the CPU; timing 4096 (use --tokens to force)")
        tokens = 4096
    kernels = dict(working_kernels(device, dtype, args.head_dim))
    kernels["sdpa"] = sdpa_fn(None)
    kernels["chunked"] = chunked_fn(kernels.get("cudnn") or kernels.get("flash") or sdpa_fn("math"), 8192)
    flops = attention_flops(1, args.heads, tokens, tokens, args.head_dim)
    print(f"device {device}, {args.dtype}, {args.heads} heads × {args.head_dim}, {tokens} tokens, non-causal")
    rows = []
    for name, fn in kernels.items():
        try:
            seconds = time_kernel(fn, device, dtype, args.heads, args.head_dim, tokens, repeats=args.repeats)
            rows.append((name, seconds))
        except Exception as exc:  # e.g. the math kernel out of memory at full size
            rows.append((name, f"failed: {str(exc).splitlines()[0][:60]}"))
        if device.type == "cuda":
            torch.cuda.empty_cache()
    print(f"{'backend':<12} {'ms':>10} {'TFLOP/s':>9}")
    for name, value in rows:
        if isinstance(value, float):
            print(f"{name:<12} {value * 1e3:>10.2f} {flops / value / 1e12:>9.3g}")
        else:
            print(f"{name:<12} {value}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    if os.name == "nt" or getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    for stream in (sys.stdout, sys.stderr):  # Korean prompts on a Windows console
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    handlers = {"generate": cmd_generate, "doctor": cmd_doctor, "bench-attention": cmd_bench_attention}
    if args.command == "report":
        from engine.cli.report import run_report

        return run_report(args)
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print(f"\ninterrupted after {time.perf_counter() - started:.0f} s", file=sys.stderr)
        return EXIT_CANCELLED


if __name__ == "__main__":
    sys.exit(main())
