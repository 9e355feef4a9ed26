"""``artifex-cli doctor``: what this machine can run (Python, torch, CUDA, GPUs, kernels)."""

from __future__ import annotations

from engine.cli.common import EXIT_FAILED, EXIT_OK


def add_doctor_parser(sub) -> None:
    d = sub.add_parser("doctor", help="report Python, torch, CUDA, the GPU and the attention kernels that work")
    d.add_argument("--device", default="auto")
    d.add_argument("--model", nargs="+", action="extend", default=[], metavar="PATH",
                   help="say what these model folders/files or LoRAs hold (format, dtype, size, "
                        "parameters; a LoRA's style, rank, alpha and targets), then stop")


def cmd_doctor(args) -> int:
    import platform

    if args.model:
        return _describe_models(args.model)

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


def _describe_models(paths: list[str]) -> int:
    from engine.weights.describe import describe_path

    ok = True
    for path in paths:
        usable, lines = describe_path(path)
        ok = ok and usable
        print("\n".join(lines))
    return EXIT_OK if ok else EXIT_FAILED
