"""Wan2.2 VAE: ``Wan2.2_VAE.pth`` (Wan key layout) in ``diffusers.AutoencoderKLWan``.

diffusers ships no converter for this file, so :func:`map_vae_key` is ours; the structures
match one to one (196 tensors at full size). The config is inferred from the tensor shapes,
so the tiny test folder and the real one load alike.

Latents are normalised with the 48 per-channel mean/std of Wan2.2
(``engine.config.model_constants()``): ``z = (mu − mean) / std`` after encoding (``mu`` is
the posterior mean), ``mu = z·std + mean`` before decoding.

Decoding is causal in time: latent frame 0 gives 1 video frame, every later latent frame 4.
:meth:`WanVAE.decode_stream` runs diffusers' own per-frame decoder loop with its feature
cache and yields each chunk to the CPU at once, so the device never holds the whole video.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.config import VAEConfig, model_constants
from engine.errors import CheckpointError
from engine.weights.folder import VAE_FILE, shapes_guard
from engine.weights.formats.keys import vae_from_diffusers, vae_to_diffusers
from engine.weights.stream import load_mapped_pth_into, load_pth

if TYPE_CHECKING:  # pragma: no cover
    import torch

    from engine.cancel import CancelToken

# Wan name ↔ diffusers name: one map, in engine/weights/formats/keys.py
map_vae_key = vae_to_diffusers
unmap_vae_key = vae_from_diffusers
_SAMPLE_RE = re.compile(
    r"^(encoder|decoder)\.(down|up)samples\.(\d+)\.(?:down|up)samples\.(\d+)\.(.+)$"
)


def vae_config_from_tensors(shapes: Mapping[str, Sequence[int]]) -> VAEConfig:
    """Infer :class:`VAEConfig` from ``Wan2.2_VAE.pth`` shapes (Wan key layout)."""
    try:
        base_dim, in_channels = shapes["encoder.conv1.weight"][:2]
        z_dim = shapes["conv2.weight"][0]
        out_channels, dec_first = shapes["decoder.head.2.weight"][:2]
        levels = sorted(
            {
                int(m.group(3))
                for k in shapes
                if (m := _SAMPLE_RE.match(k)) and m.group(1) == "encoder"
            }
        )
        dim_mult = tuple(
            shapes[f"encoder.downsamples.{i}.downsamples.0.residual.2.weight"][0] // base_dim
            for i in levels
        )
    except (KeyError, ValueError, IndexError, ZeroDivisionError) as e:
        raise CheckpointError(
            f"{VAE_FILE} lacks the Wan2.2 VAE tensor {e}; it is not the Wan2.2 VAE.",
            "Use the Wan2.2_VAE.pth file of Wan-AI/Wan2.2-TI2V-5B (Wan2.1_VAE.pth does not fit).",
        ) from None
    res = {
        int(m.group(4))
        for k in shapes
        if (m := _SAMPLE_RE.match(k))
        and m.group(1) == "encoder"
        and m.group(3) == "0"
        and "residual" in k
    }
    nrb = len(res)
    temporal = tuple(
        f"encoder.downsamples.{i}.downsamples.{nrb}.time_conv.weight" in shapes for i in levels[:-1]
    )
    patch = int(round((in_channels / 3) ** 0.5))
    return VAEConfig(
        base_dim=int(base_dim),
        decoder_base_dim=int(dec_first) // dim_mult[0],
        z_dim=int(z_dim),
        dim_mult=tuple(int(d) for d in dim_mult),
        num_res_blocks=nrb,
        temperal_downsample=temporal,
        in_channels=int(in_channels),
        out_channels=int(out_channels),
        patch_size=patch,
        scale_factor_temporal=2 ** sum(temporal),
        scale_factor_spatial=patch * 2 ** (len(dim_mult) - 1),
    )


def build_diffusers_vae(cfg: VAEConfig, device: Any = "meta") -> Any:
    """``AutoencoderKLWan`` for ``cfg`` (on ``meta`` by default: no memory), eval mode."""
    import torch
    from diffusers import AutoencoderKLWan

    consts = model_constants()
    extra = {}
    if cfg.z_dim == len(consts["vae_latents_mean"]):
        extra = {
            "latents_mean": list(consts["vae_latents_mean"]),
            "latents_std": list(consts["vae_latents_std"]),
        }
    with torch.device(device):
        vae = AutoencoderKLWan(
            base_dim=cfg.base_dim,
            decoder_base_dim=cfg.decoder_base_dim,
            z_dim=cfg.z_dim,
            dim_mult=list(cfg.dim_mult),
            num_res_blocks=cfg.num_res_blocks,
            temperal_downsample=list(cfg.temperal_downsample),
            is_residual=True,
            in_channels=cfg.in_channels,
            out_channels=cfg.out_channels,
            patch_size=cfg.patch_size,
            scale_factor_temporal=cfg.scale_factor_temporal,
            scale_factor_spatial=cfg.scale_factor_spatial,
            **extra,
        )
    return vae.eval()


class WanVAE:
    """Encode one image to a normalised latent; decode latents to frames, streamed."""

    def __init__(self, module: Any, config: VAEConfig):
        import torch

        self.module = module
        self.config = config
        consts = model_constants()
        # [z_dim, 1, 1, 1] float32, broadcast over (frames, h, w)
        self.latents_mean = torch.tensor(consts["vae_latents_mean"], dtype=torch.float32).view(
            -1, 1, 1, 1
        )
        self.latents_std = torch.tensor(consts["vae_latents_std"], dtype=torch.float32).view(
            -1, 1, 1, 1
        )
        if self.latents_mean.shape[0] != config.z_dim:
            raise CheckpointError(
                f"{VAE_FILE} has {config.z_dim} latent channels, Wan2.2 has {self.latents_mean.shape[0]}.",
                "Use the Wan2.2_VAE.pth file of Wan-AI/Wan2.2-TI2V-5B.",
            )

    @classmethod
    def load(cls, folder: str | Path, dtype: torch.dtype, device: Any = "cpu") -> WanVAE:
        """Load ``<folder>/Wan2.2_VAE.pth`` strictly, cast per tensor to ``dtype``."""
        from engine.weights.formats import Part

        return cls.load_part(Part("vae", "original", (Path(folder) / VAE_FILE,)), dtype, device)

    @classmethod
    def load_part(
        cls, part: Any, dtype: torch.dtype, device: Any = "cpu", *, progress: Any = None
    ) -> WanVAE:
        """Load a VAE part of any format (``.pth``, ComfyUI or Diffusers safetensors)."""
        from engine.weights.formats.readers import part_shapes
        from engine.weights.parts import load_mapped_part_into

        path = Path(part.files[0])
        state = load_pth(path) if path.suffix == ".pth" else None
        shapes = {k: tuple(v.shape) for k, v in state.items()} if state is not None else part_shapes(part)
        with shapes_guard(path, "VAE"):
            cfg = vae_config_from_tensors(shapes)
            if cfg.in_channels != 3 * cfg.patch_size**2 or cfg.out_channels != cfg.in_channels:
                raise CheckpointError(
                    f"{path.name} takes {cfg.in_channels} and gives {cfg.out_channels} channels; the "
                    f"Wan2.2 VAE takes and gives {3 * cfg.patch_size**2} (RGB in 2×2 patches).",
                    "Use the Wan2.2_VAE.pth file of Wan-AI/Wan2.2-TI2V-5B.",
                )
            module = build_diffusers_vae(cfg)
        if state is not None:
            load_mapped_pth_into(
                module, path, map_vae_key, dtype, device, what="VAE", state=state, progress=progress
            )
        else:
            load_mapped_part_into(
                module, part, map_vae_key, dtype, device, what="VAE", progress=progress
            )
        return cls(module, cfg)

    @property
    def device(self) -> torch.device:
        return self.module.decoder.conv_in.weight.device

    @property
    def dtype(self) -> torch.dtype:
        return self.module.decoder.conv_in.weight.dtype

    def to(self, device: Any) -> WanVAE:
        self.module.to(device)
        return self

    def _stats(self, device: Any) -> tuple[torch.Tensor, torch.Tensor]:
        return self.latents_mean.to(device), self.latents_std.to(device)

    def encode_image(self, img: torch.Tensor) -> torch.Tensor:
        """``img [3, 1, H, W]`` in [−1, 1] → normalised latent ``[z_dim, 1, H/16, W/16]`` float32.

        Uses the posterior mean (no sampling), as Wan does. Returned on the VAE's device.
        """
        import torch

        if img.dim() != 4 or img.shape[0] != 3:
            raise ValueError(f"expected an image tensor [3, F, H, W], got {list(img.shape)}")
        with torch.inference_mode():
            x = img.unsqueeze(0).to(self.device, self.dtype)
            mu = self.module.encode(x).latent_dist.mean[0].float()  # [z_dim, F_lat, h, w]
        mean, std = self._stats(mu.device)
        return (mu - mean) / std

    def decode_stream(
        self, z: torch.Tensor, cancel: CancelToken | None = None
    ) -> Iterator[torch.Tensor]:
        """Decode normalised latents ``z [z_dim, F_lat, h, w]`` chunk by chunk.

        Yields float32 CPU tensors ``[3, n, H, W]`` in [−1, 1] with ``n = 1`` for the first
        latent frame and ``n = 4`` for each later one (``H = 16·h``). Checks ``cancel``
        between chunks (raises :class:`engine.errors.Cancelled`).
        """
        vae = self.module
        return self._stream_frames(
            z, cancel, lambda x, i: self._decode_latent_frame(vae.post_quant_conv(x), first=(i == 0)))

    def _stream_frames(self, z: torch.Tensor, cancel: CancelToken | None, decode_frame) -> Iterator[torch.Tensor]:
        """The causal per-latent-frame loop both streamed decodes share: ``decode_frame(x, i)``
        turns latent frame ``i`` (``[1, z_dim, 1, h, w]`` on the VAE's device and dtype) into
        the decoder's output; here it is unpatchified, clamped and moved to the CPU."""
        import torch
        from diffusers.models.autoencoders.autoencoder_kl_wan import unpatchify

        vae = self.module
        mean, std = self._stats(z.device)
        mu = (z.float() * std + mean).unsqueeze(0)  # [1, z_dim, F_lat, h, w] float32
        vae.clear_cache()
        try:
            for i in range(mu.shape[2]):
                if cancel is not None:
                    cancel.raise_if_cancelled("decode")
                # Not under inference_mode across the yield: grad mode is thread-local and
                # would leak into the caller while this generator is suspended.
                with torch.inference_mode():
                    out = decode_frame(mu[:, :, i : i + 1].to(self.device, self.dtype), i)
                    if vae.config.patch_size is not None:
                        out = unpatchify(out, patch_size=vae.config.patch_size)
                    chunk = out.clamp(-1.0, 1.0)[0].float().cpu()
                yield chunk
        finally:
            vae.clear_cache()  # drop the feature cache (device memory) even when cancelled

    def _decode_latent_frame(self, x: torch.Tensor, *, first: bool) -> torch.Tensor:
        """One latent frame ``[1, z_dim, 1, h, w]`` → ``[1, C·p², n, h·8, w·8]`` (cache kept).

        Hook for spatial tiling (not implemented yet): a tiled version would keep one
        feature cache per tile and blend overlaps, the way diffusers' ``tiled_decode`` does.
        """
        vae = self.module
        vae._conv_idx = [0]
        return vae.decoder(x, feat_cache=vae._feat_map, feat_idx=vae._conv_idx, first_chunk=first)

    def decode_banded_stream(
        self, z: torch.Tensor, cancel: CancelToken | None = None, bands: int = 2, split: int = 2,
        frames_per_slice: int = 0,
    ) -> Iterator[torch.Tensor]:
        """Low-VRAM decode that gives :meth:`decode_stream`'s frames: the same causal
        per-frame loop, but the decoder's high-resolution part (``up_blocks[split:]`` and the
        head, where the activations are largest) runs on ``bands`` horizontal bands, each
        with a halo of the rows its convolutions reach (:func:`band_halo`) and its own causal
        caches; each band's own rows are kept.  Every op there is local (3×3 convolutions,
        per-pixel norms, nearest upsampling; the mid-block's attention runs before the
        split, on the whole frame), so the result equals the untiled decode up to float
        rounding.  ``frames_per_slice`` (> 0): that part also runs on that many of the
        chunk's frames at a time, in time order — the same frames, because its causal
        convolutions (and diffusers' temporal upsamplers) carry the frames before in their
        caches, as between latent frames (tested for splits 1–3); unlike more bands it adds
        no halo and duplicates no cache.  Same chunks and cancel checks as
        :meth:`decode_stream`."""
        vae = self.module
        vae.clear_cache()  # makes _feat_map, whose length the bands' caches take
        band_caches: list[list] = [[None] * len(vae._feat_map) for _ in range(max(1, bands))]
        halo = band_halo(vae.decoder, split)  # once per video, not per frame

        def decode_frame(x, i):
            return self._decode_frame_banded(vae.post_quant_conv(x), i == 0, band_caches, split, halo,
                                             frames_per_slice)

        return self._stream_frames(z, cancel, decode_frame)

    def _decode_frame_banded(
        self, x: torch.Tensor, first: bool, band_caches: list[list], split: int, halo: int,
        frames_per_slice: int = 0,
    ):
        """One latent frame through the decoder as ``decoder.forward`` does, bands (and
        slices of frames) after ``split``."""
        import torch

        dec = self.module.decoder
        cache, idx = self.module._feat_map, [0]
        x = _cached_conv(dec.conv_in, x, cache, idx)
        x = dec.mid_block(x, feat_cache=cache, feat_idx=idx)
        for up in dec.up_blocks[:split]:
            x = up(x, feat_cache=cache, feat_idx=idx, first_chunk=first)
        start, rows = idx[0], x.shape[3]
        edges = [round(b * rows / len(band_caches)) for b in range(len(band_caches) + 1)]
        outs = []
        for band, (r0, r1) in zip(band_caches, zip(edges, edges[1:])):
            if r1 <= r0:
                continue
            a0, a1 = max(0, r0 - halo), min(rows, r1 + halo)
            frames = x.shape[2]
            step = frames_per_slice if frames_per_slice > 0 else frames
            pieces = []
            for t0 in range(0, frames, step):  # in time order: each slice's caches feed the next
                y, bidx = x[:, :, t0 : t0 + step, a0:a1], [start]
                for up in dec.up_blocks[split:]:
                    y = up(y, feat_cache=band, feat_idx=bidx, first_chunk=first)
                y = _cached_conv(dec.conv_out, dec.nonlinearity(dec.norm_out(y)), band, bidx)
                scale = y.shape[3] // (a1 - a0)
                pieces.append(y[:, :, :, (r0 - a0) * scale : (r1 - a0) * scale])
            outs.append(pieces[0] if len(pieces) == 1 else torch.cat(pieces, dim=2))
        return torch.cat(outs, dim=3)

    def decode_tiled_stream(
        self, z: torch.Tensor, cancel: CancelToken | None = None, tile: int = 256
    ) -> Iterator[torch.Tensor]:
        """Low-VRAM decode: diffusers' spatially tiled decode (``tile`` px tiles, ¼ overlap
        blended), about 3 GiB peak at 1280×704 instead of ~10, and ~3× slower.  The video is
        decoded whole, then yielded in the same 1-then-4-frame chunks as
        :meth:`decode_stream`; ``cancel`` is checked before and between chunks."""
        import torch

        if cancel is not None:
            cancel.raise_if_cancelled("decode")
        vae = self.module
        mean, std = self._stats(z.device)
        mu = (z.float() * std + mean).unsqueeze(0).to(self.device, self.dtype)
        vae.enable_tiling(
            tile_sample_min_height=tile,
            tile_sample_min_width=tile,
            tile_sample_stride_height=tile * 3 // 4,
            tile_sample_stride_width=tile * 3 // 4,
        )
        try:
            with torch.inference_mode():
                video = vae.decode(mu).sample[0].clamp(-1.0, 1.0)  # [3, F, H, W] on the device
        finally:
            vae.disable_tiling()
        start = 0
        while start < video.shape[1]:
            if cancel is not None:
                cancel.raise_if_cancelled("decode")
            n = 1 if start == 0 else 4
            yield video[:, start : start + n].float().cpu()
            start += n

    def decode(self, z: torch.Tensor, cancel: CancelToken | None = None) -> torch.Tensor:
        """All of :meth:`decode_stream` concatenated: ``[3, F, H, W]`` float32 on CPU."""
        import torch

        return torch.cat(list(self.decode_stream(z, cancel)), dim=1)


def _cached_conv(conv, x: torch.Tensor, cache: list, idx: list[int]) -> torch.Tensor:
    """A causal convolution with its cache entry, exactly as diffusers' ``WanDecoder3d``
    runs ``conv_in``/``conv_out``: the last two frames (with the previous chunk's last one
    when this chunk has one) become the next chunk's cache."""
    import torch
    from diffusers.models.autoencoders.autoencoder_kl_wan import CACHE_T

    i = idx[0]
    keep = x[:, :, -CACHE_T:, :, :].clone()
    if keep.shape[2] < 2 and cache[i] is not None:
        keep = torch.cat([cache[i][:, :, -1, :, :].unsqueeze(2).to(keep.device), keep], dim=2)
    x = conv(x, cache[i])
    cache[i] = keep
    idx[0] += 1
    return x


def band_halo(decoder, split: int) -> int:
    """Rows (at the resolution of ``up_blocks[split]``'s input) that the rest of the decoder's
    spatial convolutions reach: each k×k convolution reaches (k−1)/2 rows at its own
    resolution, which each ×2 upsampling halves in these units; rounded up, plus one."""
    import math

    from torch import nn

    def reach(module) -> float:
        return sum((m.kernel_size[-1] - 1) / 2 for m in module.modules()
                   if isinstance(m, (nn.Conv2d, nn.Conv3d)) and m.kernel_size[-1] > 1)

    need, scale = 0.0, 1
    for up in decoder.up_blocks[split:]:
        need += reach(up.resnets) / scale
        upsampler = getattr(up, "upsampler", None)
        if upsampler is not None:
            scale *= 2  # nearest ×2, then its convolution at the new size
            need += reach(upsampler) / scale
    need += reach(decoder.conv_out) / scale
    return math.ceil(need) + 1
