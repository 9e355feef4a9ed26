"""Sequence-parallel (Ulysses) generation and FSDP on ``torch.distributed``: the math of
several GPUs (:mod:`engine.run.distributed` holds the job's context and the run's hooks).

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
"""

from __future__ import annotations

from typing import Any

import torch
import torch.distributed as dist

try:  # traceable collectives (torch >= 2.2); the plain c10d calls otherwise
    import torch.distributed._functional_collectives as _funcol
except ImportError:  # pragma: no cover - depends on the torch build
    _funcol = None


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


def _mesh(ctx: Any):
    from torch.distributed.device_mesh import init_device_mesh

    return init_device_mesh(ctx.device.type, (ctx.world_size,))


def shard_dit(dit, ctx: Any) -> None:
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


def shard_t5(module, ctx: Any) -> None:
    """FSDP2 over the umT5 encoder blocks, then its root (the 1 B-parameter embedding)."""
    if ctx.world_size < 2:  # nothing to shard (and FSDP2 on one rank fails under inference_mode)
        return
    fully_shard = _fully_shard()
    mesh = _mesh(ctx)
    for block in module.encoder.block:
        fully_shard(block, mesh=mesh, reshard_after_forward=True)
    fully_shard(module, mesh=mesh, reshard_after_forward=True)
