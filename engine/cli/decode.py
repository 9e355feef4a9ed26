"""``artifex-cli decode RUN.json``: a run's kept latents → a video again, loading only the VAE.

Where the video and its report go is the decode-only job's rule (:mod:`engine.run.decode_job`):
the run's own video path when the run's decode failed (its report is updated), else
``NAME-decoded.mp4`` with a new report beside it, or ``--save_file``.
"""

from __future__ import annotations

from engine.cli.common import EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_error
from engine.outputs.latents import DECODE_MODES


def add_decode_parser(sub) -> None:
    p = sub.add_parser(
        "decode",
        help="decode a run's kept latents into a video again (no denoising)",
        description="Decode the final latents a run kept beside its report (NAME.latents.safetensors) "
        "into a video again, without running the DiT or the text encoder: only the VAE is loaded. "
        "Use it after a decode ran out of memory, or to decode with another memory mode.",
    )
    p.add_argument("run", help="the run's report (NAME.json) or its NAME.latents.safetensors")
    p.add_argument("--save_file", default=None,
                   help="output .mp4 (default: the run's own video path when the run has no video, "
                        "else NAME-decoded.mp4 beside it)")
    p.add_argument("--decode_mode", choices=DECODE_MODES, default=None,
                   help="full: fastest, most GPU memory (~10 GiB at 1280x704); bands: the same frames, its "
                        "high-resolution part a frame at a time (6.2 GiB, 1.16x the time); tiled: spatial tiles, "
                        "~3 GiB, ~3x slower (default: the mode the run chose)")
    p.add_argument("--device", default=None, help="auto, cpu, cuda or cuda:N (default: the run's device)")
    p.add_argument("--quiet", action="store_true", help="print only the result")


def cmd_decode(args) -> int:
    from engine import events as ev
    from engine.cli.generate import _Printer
    from engine.errors import ArtifexError
    from engine.run.decode_job import DecodeRequest, decode_again, find_source
    from engine.run.runner import Engine

    try:
        find_source(args.run)  # a wrong path is a usage error, said before torch work starts
    except ArtifexError as exc:
        print_error(exc)
        return EXIT_USAGE
    request = DecodeRequest(args.run, args.save_file, args.decode_mode, args.device)
    final = decode_again(Engine(), request, _Printer(args.quiet))
    if isinstance(final, ev.RunFinished):
        return EXIT_OK
    if isinstance(final, ev.RunCancelled):
        return EXIT_CANCELLED
    if isinstance(final, ev.RunFailed) and final.kind == "bad_request":
        return EXIT_USAGE
    return EXIT_FAILED
