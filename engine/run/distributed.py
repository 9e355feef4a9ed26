"""More than one GPU: sequence-parallel (Ulysses) generation and FSDP on ``torch.distributed``.

Launched by ``torchrun --nproc_per_node N -m engine.cli generate ... --ulysses_size N``; one
process per GPU, NCCL between GPUs (gloo on the CPU, which is what the tests use).  See
``docs/DISTRIBUTED.md`` for the how and the why.  Here: the checks, the job's context
(:class:`DistContext`, made by the caller and handed to ``Engine(dist=ctx)``) and the run's
hooks (:class:`DistributedHooks`); the sequence split, the exchange around self-attention,
the gather and FSDP are :mod:`engine.run.sequence_parallel`.

The single-GPU path does not change: :class:`engine.nets.dit.WanModel` only consults its
``sequence_parallel`` attribute, which stays ``None`` unless :func:`prepare_models` sets it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import torch
import torch.distributed as dist

from engine.errors import RequestError
from engine.run.hooks import RunHooks, RunView
from engine.run.sequence_parallel import SequenceParallel, shard_dit, shard_t5

FLAG_NAMES = "--ulysses_size, --dit_fsdp and --t5_fsdp"
WINDOWS_MESSAGE = (
    f"Multi-GPU generation ({FLAG_NAMES}) needs Linux: NCCL, the library PyTorch uses to "
    "connect GPUs, does not exist on native Windows."
)
WINDOWS_ADVICE = (
    "Run without these flags on one GPU, or run Artifex on a Linux machine for several GPUs."
)
TORCHRUN_ADVICE = (
    "Start one process per GPU with torchrun, for example: torchrun --nproc_per_node 2 -m engine.cli "
    "generate --ulysses_size 2 ..."
)


# --------------------------------------------------------------------------- checks


def check_platform() -> None:
    """Refuse multi-GPU flags on native Windows (no NCCL there)."""
    if os.name == "nt":
        raise RequestError(WINDOWS_MESSAGE, WINDOWS_ADVICE)


def check_ulysses_size(num_heads: int, size: int, world_size: int | None = None) -> None:
    """``size`` processes must each get whole attention heads (24 for TI2V-5B); with
    ``world_size`` given, ``size`` must be 1 or the number of processes."""
    if size < 1:
        raise RequestError(
            f"--ulysses_size {size} must be at least 1.", "Use the number of GPUs, such as 2 or 4."
        )
    if num_heads % size:
        fits = [n for n in range(1, num_heads + 1) if num_heads % n == 0]
        raise RequestError(
            f"--ulysses_size {size} does not divide the model's {num_heads} attention heads: each GPU must "
            f"get whole heads ({num_heads} % {size} = {num_heads % size}).",
            f"Use a GPU count that divides {num_heads}: {', '.join(map(str, fits))}.",
        )
    if world_size is not None and size not in (1, world_size):
        raise RequestError(
            f"--ulysses_size {size} must equal the number of processes torchrun started ({world_size}).",
            f"Launch with torchrun --nproc_per_node {size}, or pass --ulysses_size {world_size}.",
        )


# --------------------------------------------------------------------------- context


@dataclass
class DistContext:
    """This process's place in the job, and what the job asked for."""

    rank: int
    world_size: int
    local_rank: int
    device: torch.device
    backend: str
    ulysses_size: int = 1
    dit_fsdp: bool = False
    t5_fsdp: bool = False
    group: Any = None  # the process group (None: the default group)
    prepared: set = field(default_factory=set)  # ids of model sets already prepared

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def barrier(self) -> None:
        if self.backend == "nccl":
            dist.barrier(group=self.group, device_ids=[self.device.index or 0])
        else:
            dist.barrier(group=self.group)

    def broadcast_object(self, obj: Any, src: int = 0) -> Any:
        box = [obj if self.rank == src else None]
        dist.broadcast_object_list(box, src=src, group=self.group)
        return box[0]

    def all_gather_object(self, obj: Any) -> list:
        out: list = [None] * self.world_size
        dist.all_gather_object(out, obj, group=self.group)
        return out

    def rank0_first(self, fn):
        """Run ``fn`` on rank 0, then on the others (e.g. so that only rank 0 times the
        attention kernels and writes the choice cache the others then read)."""
        if self.is_main:
            result = fn()
            self.barrier()
        else:
            self.barrier()
            result = fn()
        return result

    def resident_offload(self, mode: str, emit=None) -> str:
        """One GPU per process: the weights stay resident (offload 'none'); the memory
        relief on several GPUs comes from the split and from FSDP, not from streaming."""
        if mode not in ("none", "auto") and emit is not None:  # said only when asked for
            from engine import events as ev

            emit(
                ev.LogMessage(
                    "warning",
                    f"offload '{mode}' is not used with several GPUs; weights stay on each GPU "
                    "(use --dit_fsdp / --t5_fsdp to shard them).",
                )
            )
        return "none"

    def agreed_cancel(self, token):
        """The cancel flag as all ranks see it together: a rank asked to stop (Ctrl+C reaches
        each process on its own, maybe a step apart) makes every rank stop at the same check,
        so none is left waiting in a collective for a peer that already left."""
        return AgreedCancel(token, self)

    @staticmethod
    def failures_only(printer):
        """An event callback that passes on only RunFailed/RunCancelled (ranks other than 0)."""
        from engine import events as ev

        def on_event(event) -> None:
            if isinstance(event, (ev.RunFailed, ev.RunCancelled)):
                printer(event)

        return on_event

    def summary(self) -> dict:
        return {
            "world_size": self.world_size,
            "ulysses_size": self.ulysses_size,
            "dit_fsdp": self.dit_fsdp,
            "t5_fsdp": self.t5_fsdp,
            "backend": self.backend,
        }


class AgreedCancel:
    """A :class:`engine.cancel.CancelToken` whose checks OR the flag over all ranks (one
    4-byte all-reduce per check: once per denoising step)."""

    def __init__(self, token, ctx: DistContext) -> None:
        self.token = token
        self.ctx = ctx

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        flag = torch.tensor([int(self.token.cancelled)], dtype=torch.int32, device=self.ctx.device)
        dist.all_reduce(flag, op=dist.ReduceOp.MAX, group=self.ctx.group)
        agreed = bool(flag.item())
        if agreed and not self.token.cancelled:
            self.token.cancel()  # later checks (decode, save) see it without another collective
        return agreed

    def raise_if_cancelled(self, phase: str = "") -> None:
        from engine.errors import Cancelled

        if self.cancelled:
            raise Cancelled(phase)


def wanted(ulysses_size: int = 1, dit_fsdp: bool = False, t5_fsdp: bool = False) -> bool:
    """True when the flags or the environment (torchrun, WORLD_SIZE > 1) ask for a job."""
    return (
        ulysses_size != 1 or dit_fsdp or t5_fsdp or int(os.environ.get("WORLD_SIZE", "1") or 1) > 1
    )


def init_from_env(
    device: str = "auto",
    ulysses_size: int = 1,
    dit_fsdp: bool = False,
    t5_fsdp: bool = False,
    num_heads: int | None = None,
) -> DistContext:
    """Join the job torchrun started (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR/PORT): NCCL
    with one GPU per process (cuda:LOCAL_RANK), gloo on the CPU.  Raises RequestError with
    a sentence for the user when the platform, launch or sizes are wrong.  The caller keeps
    the context and hands it to :meth:`engine.run.runner.Engine.run`."""
    check_platform()
    if "RANK" not in os.environ or "WORLD_SIZE" not in os.environ:
        raise RequestError(
            f"{FLAG_NAMES} need one process per GPU, started by torchrun.", TORCHRUN_ADVICE
        )
    rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    local_rank = int(os.environ.get("LOCAL_RANK", rank))
    if num_heads is not None:
        check_ulysses_size(num_heads, ulysses_size, world)
    elif ulysses_size not in (1, world):
        check_ulysses_size(ulysses_size, ulysses_size, world)
    wants_cuda = device != "cpu" and torch.cuda.is_available()
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise RequestError(
            "No CUDA GPU is available here.",
            "Choose --device cpu (gloo) or run on a machine with GPUs.",
        )
    if wants_cuda:
        if local_rank >= torch.cuda.device_count():
            raise RequestError(
                f"Process {rank} wants GPU {local_rank} but only {torch.cuda.device_count()} are visible.",
                "Use --nproc_per_node at most the number of GPUs.",
            )
        dev = torch.device("cuda", local_rank)
        torch.cuda.set_device(dev)
        backend = "nccl"
    else:
        dev = torch.device("cpu")
        backend = "gloo"
    if not dist.is_initialized():
        kwargs = {"device_id": dev} if backend == "nccl" else {}
        try:
            dist.init_process_group(backend=backend, rank=rank, world_size=world, **kwargs)
        except TypeError:  # torch without device_id
            dist.init_process_group(backend=backend, rank=rank, world_size=world)
    return DistContext(rank, world, local_rank, dev, backend, ulysses_size, dit_fsdp, t5_fsdp)


LEAVE_KEY = "artifex/rank0_leaving"
LEAVE_WAIT = timedelta(hours=6)  # rank 0's decode and save, however slow the card


def shutdown(ctx: DistContext | None = None, *, finished: bool = True) -> None:
    """Leave the job (each process, at its end).

    After a finished run the ranks leave together: rank 0 decodes and saves while the
    others are already done, and a process that tore its connections down while another
    still held the group could be aborted by gloo ("terminate called without an active
    exception", seen about once in a dozen loaded CPU runs).  The others wait on the
    launcher's store for rank 0's word (no collective is pending, so no NCCL watchdog fires
    however long the decode takes), then every rank destroys the group at about the same
    time, with nothing in flight.  Rank 0 gives its word whether or not its own run
    finished; a rank whose run failed leaves at once (torchrun then stops the rest)."""
    if not (dist.is_available() and dist.is_initialized()):
        return
    if ctx is not None and ctx.world_size > 1:
        try:
            store = dist.distributed_c10d._get_default_store()
            if ctx.is_main:
                store.set(LEAVE_KEY, "1")  # always: the others may be waiting for it
            elif finished:
                store.wait([LEAVE_KEY], LEAVE_WAIT)
        except Exception as exc:  # a peer gone already: nothing left to agree on
            print(f"distributed: leaving without the others ({exc})", file=sys.stderr, flush=True)
    dist.destroy_process_group()


# --------------------------------------------------------------------------- the engine's hooks


def prepare_models(models, ctx: DistContext, emit=None) -> None:
    """Called by the runner after loading: installs the sequence split and the FSDP shards
    once per loaded model set."""
    if id(models) in ctx.prepared:
        return
    dit = models.dit
    if ctx.ulysses_size > 1:
        check_ulysses_size(dit.cfg.num_heads, ctx.ulysses_size, ctx.world_size)
        dit.sequence_parallel = SequenceParallel(ctx.ulysses_size, ctx.rank, ctx.group)
    if ctx.dit_fsdp:
        models.swaps.pop("dit", None)
        shard_dit(dit, ctx)
    if ctx.t5_fsdp:
        models.swaps.pop("text_encoder", None)
        shard_t5(models.text_encoder.module, ctx)
    ctx.prepared.add(id(models))
    if emit is not None:
        from engine import events as ev

        emit(
            ev.LogMessage(
                "info",
                f"distributed: rank {ctx.rank} of {ctx.world_size} on {ctx.device} ({ctx.backend}), "
                f"ulysses_size {ctx.ulysses_size}, dit_fsdp {ctx.dit_fsdp}, t5_fsdp {ctx.t5_fsdp}",
            )
        )


class DistributedHooks(RunHooks):
    """The run's hooks on several GPUs: shard after loading, rank 0 picks the attention
    kernel first, the cancel is agreed between ranks, and after denoising every rank's
    step times go into rank 0's report while the other ranks stop (rank 0 alone decodes)."""

    def __init__(self, ctx: DistContext) -> None:
        self.ctx = ctx

    def after_load(self, models, emit) -> None:
        prepare_models(models, self.ctx, emit)

    def resolve_attention(self, resolve):
        return self.ctx.rank0_first(resolve)  # rank 0 times and caches the choice

    def denoise_cancel(self, cancel):
        return self.ctx.agreed_cancel(cancel)

    def after_denoise(self, run: RunView, step_seconds: list[float]):
        """Returns the final event for ranks other than 0, None on rank 0."""
        from engine import events as ev

        ctx, tokens = self.ctx, run.plan.tokens
        per_rank = ctx.all_gather_object([float(s) for s in step_seconds])
        info = ctx.summary()
        chunk = -(-tokens // max(1, ctx.ulysses_size))
        info.update(
            tokens=tokens,
            tokens_per_rank=chunk,
            padding=chunk * ctx.ulysses_size - tokens,
            per_rank_step_seconds=per_rank,
        )
        if ctx.is_main:
            run.environment["distributed"] = info
            means = ", ".join(
                f"rank {r} {sum(s) / max(1, len(s)):.3f} s" for r, s in enumerate(per_rank)
            )
            run.emit(ev.LogMessage("info", f"mean step time per rank: {means}"))
            return None
        final = ev.RunFinished("", "", run.elapsed(), run.plan.seed)
        run.notify(final)
        return final


def expected_heads(ckpt_dir: str | None) -> int | None:
    """Attention heads of the model the CLI will load (for an early, cheap check)."""
    import json
    from pathlib import Path

    if ckpt_dir is None:
        from engine.config import PRESETS

        return PRESETS["tiny"].dit.num_heads
    try:
        data = json.loads((Path(ckpt_dir) / "config.json").read_text(encoding="utf-8"))
        return int(data.get("num_heads") or 24)
    except (OSError, ValueError, TypeError):
        return None
