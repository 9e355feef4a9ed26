"""The Wan2.2 DiT, lean: parameter names identical to the original checkpoint.

Differences from the original ``wan/modules/model.py`` that do not change the function:
- no padding to a fixed ``seq_len``: the real token count is used (padding only exists in
  the original for multi-GPU splitting and is masked out of attention there);
- per-token timesteps are given as *segments* of tokens sharing one timestep (image
  conditioning makes the first latent frame t=0, the rest t), so the 6·dim modulation is
  computed once per segment instead of once per token in float32 (~2 GiB at 27k tokens);
- the residual stream stays float32 as in the original (its autocast adds in float32); the
  linears, attention and FFN run in the model dtype; norms, modulation, RoPE and the head
  run in float32, like the original.

Shapes: B batch, L tokens (frame-major F·H/2·W/2), D dim, H heads, d head dim.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from engine.config import WanConfig

AttentionFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]
# (tokens [B, L, D], run_blocks(x, start, stop), number of blocks) → tokens after the blocks.
BlockCache = Callable[[torch.Tensor, Callable[[torch.Tensor, int, int], torch.Tensor], int], torch.Tensor]


def sdpa_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Default attention: q, k, v [B, H, L, d] → [B, H, Lq, d]."""
    return F.scaled_dot_product_attention(q, k, v)


# --------------------------------------------------------------------------- embeddings


def sinusoidal_embedding(dim: int, position: torch.Tensor) -> torch.Tensor:
    """[N] timesteps → [N, dim] float32 (cos half, then sin half), computed in float64."""
    half = dim // 2
    position = position.to(torch.float64)
    freqs = torch.pow(10000, -torch.arange(half, dtype=torch.float64, device=position.device).div(half))
    sinusoid = torch.outer(position, freqs)
    return torch.cat([torch.cos(sinusoid), torch.sin(sinusoid)], dim=1).float()


def rope_angles(cfg: WanConfig, grid: tuple[int, int, int], device: torch.device) -> torch.Tensor:
    """Rotation angles for each token and rotary pair: [L, d/2] float64.

    A head's d dims split into frame/height/width parts (44/42/42 at d=128), each rotated by
    position·θ^(-2i/part); pairs are adjacent dims (2i, 2i+1), as in the original."""
    f, h, w = grid
    parts = cfg.rope_split()
    positions = (f, h, w)
    per_axis = []
    for part, n in zip(parts, positions):
        inv = 1.0 / torch.pow(
            cfg.rope_theta, torch.arange(0, part, 2, dtype=torch.float64, device=device).div(part)
        )
        per_axis.append(torch.outer(torch.arange(n, dtype=torch.float64, device=device), inv))
    af, ah, aw = per_axis
    angles = torch.cat(
        [
            af[:, None, None, :].expand(f, h, w, -1),
            ah[None, :, None, :].expand(f, h, w, -1),
            aw[None, None, :, :].expand(f, h, w, -1),
        ],
        dim=-1,
    )
    return angles.reshape(f * h * w, -1)


class Rope:
    """Rotations for one token grid as complex64 [1, L, 1, d/2] (pairs are adjacent dims)."""

    def __init__(self, cfg: WanConfig, grid: tuple[int, int, int], device: torch.device) -> None:
        angles = rope_angles(cfg, grid, device)
        self.grid = grid
        self.device = device
        self.cis = torch.polar(torch.ones_like(angles), angles).to(torch.complex64)[None, :, None, :]
        self.cos = torch.cos(angles).float()[None, :, None, :]
        self.sin = torch.sin(angles).float()[None, :, None, :]

    def apply(self, x: torch.Tensor) -> torch.Tensor:
        """x [B, L, H, d] (any float dtype) → rotated in float32, returned float32.

        Eager: one complex multiply (fewer passes over the tensor than six real ones).
        Under torch.compile: real arithmetic, which Inductor fuses (it cannot fuse complex)."""
        if torch.compiler.is_compiling():
            pairs = x.float().unflatten(-1, (-1, 2))
            x0, x1 = pairs[..., 0], pairs[..., 1]
            return torch.stack([x0 * self.cos - x1 * self.sin, x0 * self.sin + x1 * self.cos], dim=-1).flatten(-2)
        xc = torch.view_as_complex(x.float().unflatten(-1, (-1, 2)))
        return torch.view_as_real(xc * self.cis).flatten(-2)


# --------------------------------------------------------------------------- segments


class Segments:
    """Runs of consecutive tokens sharing one timestep: lengths [n_0, n_1, ...] summing to L."""

    def __init__(self, lengths: Sequence[int]) -> None:
        self.lengths = [int(n) for n in lengths if n > 0]
        self.total = sum(self.lengths)

    def modulate(self, x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
        """x [B, L, D] float32; shift/scale [B, S, D] → x·(1+scale)+shift per segment."""
        if len(self.lengths) == 1:
            return torch.addcmul(shift[:, :1], x, 1 + scale[:, :1])
        out = torch.empty_like(x)
        start = 0
        for s, n in enumerate(self.lengths):
            sl = slice(start, start + n)
            torch.addcmul(shift[:, s : s + 1], x[:, sl], 1 + scale[:, s : s + 1], out=out[:, sl])
            start += n
        return out

    def norm_modulate(self, x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor, eps: float) -> torch.Tensor:
        """LayerNorm(x)·(1+scale)+shift in one pass per segment, float32 [B, L, D].

        The modulation is LayerNorm's own affine (weight 1+scale, bias shift), so the
        normalised tensor is never written and read back.  Needs shift/scale shared by the
        batch ([1, S, D]); the last segment covers all tokens, the others overwrite theirs."""
        d = x.shape[-1]
        x = x.float()
        if shift.shape[0] != 1:
            return self.modulate(F.layer_norm(x, (d,), eps=eps), shift, scale)
        out = F.layer_norm(x, (d,), 1 + scale[0, -1], shift[0, -1], eps)
        start = 0
        for s, n in enumerate(self.lengths[:-1]):
            sl = slice(start, start + n)
            out[:, sl] = F.layer_norm(x[:, sl], (d,), 1 + scale[0, s], shift[0, s], eps)
            start += n
        return out

    def gated_add_(self, x: torch.Tensor, y: torch.Tensor, gate: torch.Tensor) -> torch.Tensor:
        """x += y·gate per segment, in place (x float32 [B, L, D], y any dtype)."""
        if len(self.lengths) == 1:
            return x.addcmul_(y, gate[:, :1])
        start = 0
        for s, n in enumerate(self.lengths):
            x[:, start : start + n].addcmul_(y[:, start : start + n], gate[:, s : s + 1])
            start += n
        return x


# --------------------------------------------------------------------------- layers


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """RMS over the last dim, accumulated in float32, returned in x's dtype (the
        original also casts the normalised value back to x's dtype before the weight)."""
        return F.rms_norm(x, (x.shape[-1],), self.weight.to(x.dtype), self.eps)


class LayerNorm(nn.LayerNorm):
    """LayerNorm computed in float32, returning float32."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = None if self.weight is None else self.weight.float()
        bias = None if self.bias is None else self.bias.float()
        return F.layer_norm(x.float(), self.normalized_shape, weight, bias, self.eps)


class SelfAttention(nn.Module):
    def __init__(self, dim: int, num_heads: int, eps: float) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.o = nn.Linear(dim, dim)
        self.norm_q = RMSNorm(dim, eps)
        self.norm_k = RMSNorm(dim, eps)

    def forward(self, x: torch.Tensor, rope: Rope, attention: AttentionFn) -> torch.Tensor:
        """x [B, L, D] model dtype → [B, L, D] model dtype."""
        b, n, dtype = x.shape[0], self.num_heads, x.dtype
        q = rope.apply(self.norm_q(self.q(x)).unflatten(-1, (n, -1))).to(dtype)
        k = rope.apply(self.norm_k(self.k(x)).unflatten(-1, (n, -1))).to(dtype)
        v = self.v(x).unflatten(-1, (n, -1))
        out = attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))  # [B, H, L, d]
        return self.o(out.transpose(1, 2).reshape(b, -1, n * q.shape[-1]))


class CrossAttention(SelfAttention):
    def forward(self, x: torch.Tensor, context: torch.Tensor, attention: AttentionFn) -> torch.Tensor:  # type: ignore[override]
        """x [B, L, D], context [B, 512, D] (both model dtype) → [B, L, D].  No mask: the
        model was trained attending to all 512 (zero-padded) text slots."""
        b, n, dtype = x.shape[0], self.num_heads, x.dtype
        q = self.norm_q(self.q(x)).to(dtype).unflatten(-1, (n, -1))
        k = self.norm_k(self.k(context)).to(dtype).unflatten(-1, (n, -1))
        v = self.v(context).unflatten(-1, (n, -1))
        out = attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        return self.o(out.transpose(1, 2).reshape(b, -1, n * q.shape[-1]))


class AttentionBlock(nn.Module):
    def __init__(self, cfg: WanConfig) -> None:
        super().__init__()
        dim = cfg.dim
        self.norm1 = LayerNorm(dim, eps=cfg.eps, elementwise_affine=False)
        self.self_attn = SelfAttention(dim, cfg.num_heads, cfg.eps)
        self.norm3 = LayerNorm(dim, eps=cfg.eps, elementwise_affine=True)
        self.cross_attn = CrossAttention(dim, cfg.num_heads, cfg.eps)
        self.norm2 = LayerNorm(dim, eps=cfg.eps, elementwise_affine=False)
        self.ffn = nn.Sequential(nn.Linear(dim, cfg.ffn_dim), nn.GELU(approximate="tanh"), nn.Linear(cfg.ffn_dim, dim))
        self.modulation = nn.Parameter(torch.randn(1, 6, dim) / dim**0.5)

    def forward(
        self,
        x: torch.Tensor,
        e0: torch.Tensor,
        segments: Segments,
        rope: Rope,
        context: torch.Tensor,
        attention: AttentionFn,
        self_attention: AttentionFn | None = None,
    ) -> torch.Tensor:
        """x [B, L, D] float32 (updated in place and returned); e0 [B, S, 6, D] float32.
        ``self_attention``: used for the self-attention instead of ``attention`` when given
        (the sequence-parallel exchange of engine/run/distributed.py)."""
        dtype = context.dtype
        mod = self.modulation.float().unsqueeze(0) + e0  # [B, S, 6, D]
        shift_sa, scale_sa, gate_sa, shift_ff, scale_ff, gate_ff = mod.unbind(2)
        eps = self.norm1.eps
        h = segments.norm_modulate(x, shift_sa, scale_sa, eps).to(dtype)
        segments.gated_add_(x, self.self_attn(h, rope, self_attention or attention), gate_sa)
        x.add_(self.cross_attn(self.norm3(x).to(dtype), context, attention))
        h = segments.norm_modulate(x, shift_ff, scale_ff, eps).to(dtype)
        segments.gated_add_(x, self.ffn(h), gate_ff)
        return x


class Head(nn.Module):
    def __init__(self, cfg: WanConfig) -> None:
        super().__init__()
        out = math.prod(cfg.patch_size) * cfg.out_dim
        self.norm = LayerNorm(cfg.dim, eps=cfg.eps, elementwise_affine=False)
        self.head = nn.Linear(cfg.dim, out)
        self.modulation = nn.Parameter(torch.randn(1, 2, cfg.dim) / cfg.dim**0.5)

    def forward(self, x: torch.Tensor, e: torch.Tensor, segments: Segments) -> torch.Tensor:
        """x [B, L, D] float32, e [B, S, D] float32 → [B, L, prod(patch)·C] float32."""
        mod = self.modulation.float().unsqueeze(0) + e.unsqueeze(2)  # [B, S, 2, D]
        h = segments.norm_modulate(x, mod[:, :, 0], mod[:, :, 1], self.norm.eps)
        return F.linear(h, self.head.weight.float(), self.head.bias.float())


# --------------------------------------------------------------------------- model


class WanModel(nn.Module):
    """The Wan2.2 TI2V DiT.  ``state_dict()`` names equal the checkpoint's."""

    def __init__(self, cfg: WanConfig) -> None:
        super().__init__()
        self.cfg = cfg
        dim = cfg.dim
        self.patch_embedding = nn.Conv3d(cfg.in_dim, dim, kernel_size=cfg.patch_size, stride=cfg.patch_size)
        self.text_embedding = nn.Sequential(nn.Linear(cfg.text_dim, dim), nn.GELU(approximate="tanh"), nn.Linear(dim, dim))
        self.time_embedding = nn.Sequential(nn.Linear(cfg.freq_dim, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.time_projection = nn.Sequential(nn.SiLU(), nn.Linear(dim, dim * 6))
        self.blocks = nn.ModuleList([AttentionBlock(cfg) for _ in range(cfg.num_layers)])
        self.head = Head(cfg)
        # Called around each block (weight streaming, timing); see engine/run/offload.py.
        self.block_hook: Callable[[int], object] | None = None
        self._rope: Rope | None = None
        # engine.run.distributed.SequenceParallel when this process holds one run of the tokens.
        self.sequence_parallel = None

    @property
    def dtype(self) -> torch.dtype:
        return self.patch_embedding.weight.dtype

    def rope_for(self, grid: tuple[int, int, int], device: torch.device) -> Rope:
        if self._rope is None or self._rope.grid != grid or self._rope.device != device:
            self._rope = Rope(self.cfg, grid, device)
        return self._rope

    def embed_text(self, context: torch.Tensor) -> torch.Tensor:
        """[B, Lt, text_dim] → zero-padded to text_len → [B, text_len, D] in model dtype."""
        b, lt, c = context.shape
        if lt < self.cfg.text_len:
            context = torch.cat([context, context.new_zeros(b, self.cfg.text_len - lt, c)], dim=1)
        return self.text_embedding(context.to(self.dtype))

    def embed_time(self, timesteps: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """timesteps [B, S] → e [B, S, D] and e0 [B, S, 6, D], float32."""
        b, s = timesteps.shape
        sin = sinusoidal_embedding(self.cfg.freq_dim, timesteps.flatten())
        lin1, lin2 = self.time_embedding[0], self.time_embedding[2]
        e = F.linear(F.silu(F.linear(sin, lin1.weight.float(), lin1.bias.float())), lin2.weight.float(), lin2.bias.float())
        proj = self.time_projection[1]
        e0 = F.linear(F.silu(e), proj.weight.float(), proj.bias.float())
        return e.view(b, s, -1), e0.view(b, s, 6, -1)

    def forward(
        self,
        latents: torch.Tensor,
        timesteps: torch.Tensor,
        segment_lengths: Sequence[int],
        context: torch.Tensor,
        attention: AttentionFn = sdpa_attention,
        context_embedded: bool = False,
        block_cache: BlockCache | None = None,
    ) -> torch.Tensor:
        """latents [B, C_in, F, H, W] (float32) → flow prediction [B, C_out, F, H, W] float32.

        timesteps [B, S] or [1, S] (shared by the batch, e.g. CFG): one timestep per token segment; ``segment_lengths`` gives the S
        token counts (frame-major order) and must sum to F·(H/ph)·(W/pw).
        context: [B, Lt, text_dim] text-encoder output (or, with ``context_embedded``,
        the result of :meth:`embed_text`, so it is computed once per run).
        block_cache: a step cache's call (engine/sampling/cache.py): given the tokens before
        the blocks and a function running a range of blocks, it returns the tokens after
        them — computed, or the cached residual added.  Without it the blocks run as always."""
        cfg = self.cfg
        pt, ph, pw = cfg.patch_size
        b, _, f, h, w = latents.shape
        grid = (f // pt, h // ph, w // pw)
        x = self.patch_embedding(latents.to(self.dtype))  # [B, D, f, h, w]
        x = x.flatten(2).transpose(1, 2).float()  # [B, L, D] float32 residual stream
        segments = Segments(segment_lengths)
        assert segments.total == x.shape[1], (segments.lengths, x.shape)
        assert timesteps.shape[0] in (1, b) and timesteps.shape[1] == len(segments.lengths), (timesteps.shape, segments.lengths)
        e, e0 = self.embed_time(timesteps)
        ctx = context if context_embedded else self.embed_text(context)
        rope = self.rope_for(grid, x.device)
        self_attention = None
        if self.sequence_parallel is not None:  # keep this rank's tokens (engine/run/distributed.py)
            x, segments, e, e0, rope, self_attention = self.sequence_parallel.shard(x, segments, e, e0, rope, attention)

        def run_blocks(x: torch.Tensor, start: int, stop: int) -> torch.Tensor:
            for i in range(start, stop):
                block = self.blocks[i]
                if self.block_hook is not None:
                    with self.block_hook(i):  # type: ignore[attr-defined]
                        x = block(x, e0, segments, rope, ctx, attention, self_attention)
                else:
                    x = block(x, e0, segments, rope, ctx, attention, self_attention)
            return x

        if block_cache is None:
            x = run_blocks(x, 0, len(self.blocks))
        else:
            x = block_cache(x, run_blocks, len(self.blocks))
        x = self.head(x, e, segments)
        if self.sequence_parallel is not None:
            x = self.sequence_parallel.gather(x)
        return self.unpatchify(x, grid)

    def unpatchify(self, x: torch.Tensor, grid: tuple[int, int, int]) -> torch.Tensor:
        """[B, L, pt·ph·pw·C] → [B, C, F, H, W] (the original's 'fhwpqrc->cfphqwr')."""
        b = x.shape[0]
        c = self.cfg.out_dim
        pt, ph, pw = self.cfg.patch_size
        f, h, w = grid
        x = x.view(b, f, h, w, pt, ph, pw, c)
        x = torch.einsum("bfhwpqrc->bcfphqwr", x)
        return x.reshape(b, c, f * pt, h * ph, w * pw)


def compile_blocks(model: WanModel, mode: str | None = None) -> None:
    """Compile each block's forward with torch.compile (fuses the float32 norm, modulation,
    RoPE and gating elementwise work around the matmuls).  Optional: the eager model is
    always correct; this needs Triton (present in CUDA builds of torch on Linux, usually
    not on Windows)."""
    for block in model.blocks:
        block.forward = torch.compile(block.forward, mode=mode, dynamic=False)


def can_compile(device: torch.device) -> bool:
    """True when torch.compile can generate GPU kernels here (CUDA + Triton importable)."""
    if device.type != "cuda":
        return False
    try:
        import triton  # noqa: F401
    except Exception:
        return False
    return True
