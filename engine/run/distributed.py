"""More than one GPU: sequence-parallel (Ulysses) generation and FSDP on ``torch.distributed``.

Launched by ``torchrun --nproc_per_node N -m engine.cli generate ... --ulysses_size N``; one
process per GPU, NCCL between GPUs (gloo on the CPU, which is what the tests use).  See
``docs/DISTRIBUTED.md`` for the how and the why; in short:

**Sequence split.**  After the patch embedding the DiT's L tokens (frame-major) are cut into
N contiguous runs of ``C = ceil(L/N)`` tokens; rank r keeps tokens ``[r·C, (r+1)·C)``.  When N
does not divide L the sequence is padded at its end with ``N·C − L < N`` zero tokens, only
to make the split even.  Every per-token quantity is sliced with the same range: the RoPE
rotations (padding gets the identity rotation) and the per-token timestep *segments* (the
padding joins the last segment, so each rank's segments index the same rows of the time
embedding as the full sequence's).  Linears, norms, the FFN, the cross-attention (each rank
holds the whole text context, so it needs no exchange) and the head run on the local run.

**Exchange around self-attention.**  q, k, v leave the projections as [B, H, C, d] per rank;
one ``all_to_all_single`` (q, k and v in one message) turns them into [B, H/N, N·C, d]: every
rank now holds *all* tokens of H/N heads.  The padded tail (the last ``N·C − L`` positions)
is sliced off before the attention kernel runs, so attention sees exactly the L real tokens,
no mask is needed and every backend (cuDNN, flash, chunked, Sage...) works unchanged; padded
tokens are never attended, neither as keys nor as queries.  The output [B, H/N, L, d] is
padded back with zeros to N·C and a second all-to-all returns [B, H, C, d] to the owner of
each token.  The padded rows' outputs are zeros and are discarded at the final gather.

**Gather.**  After the head each rank holds [B, C, p·C_out]; one ``all_gather`` and a slice to
L give every rank the full prediction, so the solver step (elementwise, identical inputs)
stays in lock-step on all ranks without further communication.

``all_to_all_single`` exists on NCCL and, on the CPU, on gloo (torch ≥ 2.x; checked by
``tests/test_distributed.py``), so one code path serves both.  The gather uses the list
``all_gather`` which every backend has.

**FSDP** (``--dit_fsdp``, ``--t5_fsdp``): ``torch.distributed.fsdp.fully_shard`` (FSDP2) per
DiT block / per umT5 block, under a root that owns no DiT parameter (the DiT's small
non-block weights stay replicated: the pipeline calls ``embed_text`` outside ``forward``).
Every FSDP unit reshards after its forward, so a rank holds 1/N of the block weights plus
one block's all-gathered copy at a time.

The single-GPU path does not change: :class:`engine.nets.dit.WanModel` only consults its
``sequence_parallel`` attribute, which stays ``None`` unless :func:`prepare_models` sets it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.distributed as dist

from engine.errors import RequestError

try:  # traceable collectives (torch >= 2.2); the plain c10d calls otherwise
    import torch.distributed._functional_collectives as _funcol
except ImportError:  # pragma: no cover - depends on the torch build
    _funcol = None

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


_CURRENT: DistContext | None = None


def current() -> DistContext | None:
    """The job's context when this process was started by torchrun with multi-GPU flags."""
    return _CURRENT


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
    a sentence for the user when the platform, launch or sizes are wrong."""
    global _CURRENT
    check_platform()
    if _CURRENT is not None:
        return _CURRENT
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
    _CURRENT = DistContext(rank, world, local_rank, dev, backend, ulysses_size, dit_fsdp, t5_fsdp)
    return _CURRENT


def join_from_cli(args) -> DistContext | None:
    """``artifex-cli generate``: None on one GPU, else this process's place in the torchrun
    job (checked: platform, launch, heads of the model in ``--ckpt_dir``)."""
    ulysses, dit_fsdp, t5_fsdp = int(args.ulysses_size), bool(args.dit_fsdp), bool(args.t5_fsdp)
    if not wanted(ulysses, dit_fsdp, t5_fsdp):
        return None
    return init_from_env(args.device, ulysses, dit_fsdp, t5_fsdp, expected_heads(args.ckpt_dir))


def shutdown() -> None:
    """Leave the job (each process, at its end)."""
    global _CURRENT
    _CURRENT = None
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


# --------------------------------------------------------------------------- the exchange


def split_range(length: int, size: int, rank: int) -> tuple[int, int, int]:
    """(chunk, start, end) of ``rank``'s run in the sequence padded to ``size·chunk``."""
    chunk = -(-length // size)
    return chunk, rank * chunk, (rank + 1) * chunk


def _all_to_all(send: torch.Tensor, group=None) -> torch.Tensor:
    """Equal-split all-to-all along dim 0.  PyTorch's functional collective, so that a
    compiled block traces it (no graph break; the packing copies around it fuse with their
    producers); the plain c10d call where that module is missing."""
    group = group if group is not None else dist.group.WORLD
    if _funcol is not None:
        return _funcol.wait_tensor(_funcol.all_to_all_single(send, None, None, group))
    recv = torch.empty_like(send)
    dist.all_to_all_single(recv, send, group=group)
    return recv


def exchange_qkv(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, size: int, length: int, group=None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Sequence → heads: q, k, v [B, H, C, d] (this rank's C tokens, all heads) → q, k, v
    [B, H/N, L, d] (the L real tokens of all ranks, this rank's H/N heads), in one
    all-to-all.

    The message is token-major, [N, C, B, 3, H/N, d] (chunk j, heads j·H/N..., goes to rank
    j), so what arrives, [N·C, B, 3, H/N, d], already has every token at one stride: the
    padded tail is cut off and q, k, v are *views* in the packed "s b 3 h d" layout that the
    attention kernels read directly — one copy (the packing) instead of three."""
    b, h, c, d = q.shape
    hn = h // size
    parts = [t.transpose(1, 2).unflatten(2, (size, hn)).permute(2, 1, 0, 3, 4) for t in (q, k, v)]
    send = torch.stack(parts, dim=3)  # [N, C, B, 3, H/N, d]
    recv = _all_to_all(send, group).reshape(size * c, b, 3, hn, d)[:length]
    return tuple(recv[:, :, i].permute(1, 2, 0, 3) for i in range(3))  # type: ignore[return-value]


def exchange_out(out: torch.Tensor, size: int, chunk: int, group=None) -> torch.Tensor:
    """Heads → sequence: out [B, H/N, L, d] (L ≤ N·C real tokens) → [B, H, C, d], the
    padded positions (L..N·C) filled with zeros.  Token-major again: for kernels that
    write their output token-major (cuDNN, flash) the message needs no packing copy; the
    result is a transposed view of a [B, C, H, d] tensor, which the output projection
    reads without another copy."""
    b, hn, length, d = out.shape
    if length < size * chunk:
        out = torch.nn.functional.pad(out, (0, 0, 0, size * chunk - length))
    send = out.permute(2, 0, 1, 3).reshape(size, chunk, b, hn, d).contiguous()  # chunk j → rank j
    recv = _all_to_all(send, group)  # [N, C, B, H/N, d]: our tokens, rank i's heads
    return recv.permute(2, 1, 0, 3, 4).reshape(b, chunk, size * hn, d).transpose(1, 2)


def gather_sequence(x: torch.Tensor, length: int, size: int, group=None) -> torch.Tensor:
    """[B, C, ...] per rank → [B, L, ...] on every rank (padding dropped)."""
    parts = [torch.empty_like(x) for _ in range(size)]
    dist.all_gather(parts, x.contiguous(), group=group)
    return torch.cat(parts, dim=1)[:, :length]


class _LocalRope:
    """A :class:`engine.nets.dit.Rope` restricted to one rank's token run (same ``apply``)."""

    def __init__(self, rope, start: int, end: int) -> None:
        self.grid = rope.grid
        self.device = rope.device
        length = rope.cis.shape[1]
        pad = max(0, end - length)
        real = slice(min(start, length), min(end, length))
        self.cis = _pad_rows(rope.cis[:, real], pad, 1.0)
        self.cos = _pad_rows(rope.cos[:, real], pad, 1.0)
        self.sin = _pad_rows(rope.sin[:, real], pad, 0.0)

    def apply(self, x: torch.Tensor) -> torch.Tensor:
        from engine.nets.dit import Rope

        return Rope.apply(self, x)  # type: ignore[arg-type]


def _pad_rows(t: torch.Tensor, pad: int, value: float) -> torch.Tensor:
    if pad <= 0:
        return t.contiguous()
    filler = torch.full((t.shape[0], pad, *t.shape[2:]), value, dtype=t.dtype, device=t.device)
    return torch.cat([t, filler], dim=1)


def local_segments(
    lengths: list[int], total: int, padded: int, start: int, end: int
) -> tuple[list[int], list[int]]:
    """This rank's part of the timestep segments: (indices of the segments it touches,
    token counts in its run).  The padding (``padded − total`` tokens at the end) joins
    the last segment."""
    ext = list(lengths)
    ext[-1] += padded - total
    idx, counts = [], []
    pos = 0
    for s, n in enumerate(ext):
        lo, hi = max(pos, start), min(pos + n, end)
        if hi > lo:
            idx.append(s)
            counts.append(hi - lo)
        pos += n
    return idx, counts


class SequenceParallel:
    """Set as ``WanModel.sequence_parallel``: the model's forward calls :meth:`shard` after
    the embeddings and :meth:`gather` after the head."""

    def __init__(self, size: int, rank: int, group=None) -> None:
        self.size = size
        self.rank = rank
        self.group = group
        self._length = 0
        self._rope_key: tuple | None = None
        self._rope: _LocalRope | None = None
        self._attn_key: tuple | None = None
        self._attn = None

    def shard(self, x, segments, e, e0, rope, attention):
        """Full-sequence inputs → this rank's (x, segments, e, e0, rope, self_attention)."""
        from engine.nets.dit import Segments

        b, length, dim = x.shape
        chunk, start, end = split_range(length, self.size, self.rank)
        padded = chunk * self.size
        self._length = length
        local = x.new_zeros(b, chunk, dim)
        real = max(0, min(end, length) - start)
        if real:
            local[:, :real] = x[:, start : start + real]
        idx, counts = local_segments(segments.lengths, length, padded, start, end)
        if idx != list(range(len(segments.lengths))):
            e, e0 = e[:, idx], e0[:, idx]
        key = (rope.grid, rope.device, id(rope), self.size, self.rank)
        if self._rope_key != key:
            self._rope, self._rope_key = _LocalRope(rope, start, end), key
        return (
            local,
            Segments(counts),
            e,
            e0,
            self._rope,
            self._self_attention(attention, length, chunk),
        )

    def _self_attention(self, attention, length: int, chunk: int):
        # the same function object for the same inputs: a compiled block guards on it, so a
        # new closure every forward would recompile every step
        key = (attention, length, chunk)
        if self._attn_key != key:
            self._attn, self._attn_key = self._make_attention(attention, length, chunk), key
        return self._attn

    def _make_attention(self, attention, length: int, chunk: int):
        size, group = self.size, self.group

        def attn(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
            return exchange_out(
                attention(*exchange_qkv(q, k, v, size, length, group)), size, chunk, group
            )

        return attn

    def gather(self, x: torch.Tensor) -> torch.Tensor:
        return gather_sequence(x, self._length, self.size, self.group)


# --------------------------------------------------------------------------- FSDP


def _fully_shard():
    try:
        from torch.distributed.fsdp import fully_shard
    except ImportError:  # torch < 2.6
        from torch.distributed._composable.fsdp import fully_shard
    return fully_shard


def _mesh(ctx: DistContext):
    from torch.distributed.device_mesh import init_device_mesh

    return init_device_mesh(ctx.device.type, (ctx.world_size,))


def shard_dit(dit, ctx: DistContext) -> None:
    """FSDP2 over the DiT blocks; the non-block weights (embeddings, head: ~90 M of 5 B
    parameters) stay replicated because ``embed_text`` runs outside ``forward``."""
    if ctx.world_size < 2:  # nothing to shard (and FSDP2 on one rank fails under inference_mode)
        return
    fully_shard = _fully_shard()
    mesh = _mesh(ctx)
    for block in dit.blocks:
        fully_shard(block, mesh=mesh, reshard_after_forward=True)
    ignored = {p for name, p in dit.named_parameters() if not name.startswith("blocks.")}
    try:  # one root over the blocks, owning none of the remaining weights
        fully_shard(dit, mesh=mesh, reshard_after_forward=True, ignored_params=ignored)
    except TypeError:  # torch without ignored_params: every block is its own root
        return
    for a, b in zip(dit.blocks, list(dit.blocks)[1:]):  # all-gather block i+1 while block i runs
        a.set_modules_to_forward_prefetch([b])


def shard_t5(module, ctx: DistContext) -> None:
    """FSDP2 over the umT5 encoder blocks, then its root (the 1 B-parameter embedding)."""
    if ctx.world_size < 2:  # nothing to shard (and FSDP2 on one rank fails under inference_mode)
        return
    fully_shard = _fully_shard()
    mesh = _mesh(ctx)
    for block in module.encoder.block:
        fully_shard(block, mesh=mesh, reshard_after_forward=True)
    fully_shard(module, mesh=mesh, reshard_after_forward=True)


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


def after_denoise(run, ctx: DistContext, step_seconds: list[float], seed: int, tokens: int):
    """Gather every rank's step times into rank 0's report.  Returns the final event for
    ranks other than 0 (they stop here: rank 0 alone decodes and writes), None on rank 0."""
    from engine import events as ev

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
        run.builder.environment["distributed"] = info
        means = ", ".join(
            f"rank {r} {sum(s) / max(1, len(s)):.3f} s" for r, s in enumerate(per_rank)
        )
        run.emit(ev.LogMessage("info", f"mean step time per rank: {means}"))
        return None
    final = ev.RunFinished("", "", time.perf_counter() - run.started, seed)
    run.on_event(final)
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
