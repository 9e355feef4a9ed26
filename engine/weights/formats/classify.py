"""What a single weights file is, from its tensor names and shapes only (no data read).

Each ``classify_*`` returns ``None`` when the names are not of that part at all, or a
:class:`Recognised` saying how the names are spelled (and any reason to refuse it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Shapes = Mapping[str, tuple[int, ...]]

DIT_PREFIXES = ("model.diffusion_model.", "diffusion_model.")
LORA_MARKERS = (".lora_A.", ".lora_B.", ".lora_down.", ".lora_up.", "lora_unet_")
LORA_SUFFIXES = (".diff", ".diff_b", ".alpha")
FP8_MARKER = "scaled_fp8"
SCALE_SUFFIX = ".scale_weight"
INPUT_SCALE_SUFFIX = ".scale_input"
TI2V_LATENT_CHANNELS = 48
TI2V_PATCH = (1, 2, 2)
_DIT_SIZES = {5120: "14B", 1536: "1.3B", 3072: "5B"}


@dataclass(frozen=True)
class Recognised:
    part: str  # "dit" | "text_encoder" | "vae" | "lora"
    names: str  # how names are spelled: "original" | "diffusers" | "hf"
    prefix: str = ""  # a prefix to strip from every name (ComfyUI DiT)
    refused: str | None = None  # "a Wan 14B text-to-video DiT" etc.


def strip_prefix(shapes: Shapes) -> tuple[str, dict[str, tuple[int, ...]]]:
    """Remove a ComfyUI/ai-toolkit DiT prefix when every DiT-looking name has it."""
    for p in DIT_PREFIXES:
        if any(k.startswith(p) for k in shapes):
            return p, {(k[len(p) :] if k.startswith(p) else k): v for k, v in shapes.items()}
    return "", dict(shapes)


def is_lora(names: list[str] | set[str] | Mapping[str, object]) -> bool:
    """True when the names are those of a LoRA (low-rank pairs or diff tensors)."""
    keys = list(names)
    if any(m in k for k in keys for m in LORA_MARKERS):
        return True
    # a diff-only LoRA: every tensor a .diff/.diff_b/.alpha
    return bool(keys) and all(k.endswith(LORA_SUFFIXES) for k in keys)


def dit_refusal(shapes: Shapes) -> str | None:
    """Why these original-named DiT tensors are not a Wan2.2 TI2V-5B DiT, else None."""
    pe = shapes.get("patch_embedding.weight")
    if pe is None or len(pe) != 5:
        return "a DiT without a 5-D patch_embedding.weight (not a Wan DiT)"
    dim, in_dim, patch = pe[0], pe[1], tuple(pe[2:])
    size = _DIT_SIZES.get(dim)
    if any(k.startswith("vace_blocks.") for k in shapes):
        return f"a Wan VACE {size or ''} DiT".replace("  ", " ")
    if dim == 1536:
        return "a Wan2.1 1.3B DiT (T2V-1.3B)"
    if dim == 5120:
        kind = {16: "text-to-video", 36: "image-to-video"}.get(in_dim, f"{in_dim}-channel")
        return f"a Wan 14B {kind} DiT (Wan2.1 14B or one expert of Wan2.2 A14B)"
    if any(".k_img." in k for k in shapes) or "img_emb.proj.0.weight" in shapes:
        return "a Wan2.1 image-to-video DiT (with a CLIP image branch)"
    if in_dim != TI2V_LATENT_CHANNELS:
        return (
            f"a Wan2.1-family DiT (its patch_embedding.weight takes {in_dim} latent channels; "
            "Wan2.2 TI2V-5B has 48)"
        )
    if patch != TI2V_PATCH:
        return f"a DiT with patch {list(patch)} in patch_embedding.weight (Wan2.2 TI2V-5B has [1, 2, 2])"
    head = shapes.get("head.modulation")
    if head is None or head[-1] != dim:
        return "a DiT whose head.modulation does not fit its width"
    return None


def classify_dit(shapes: Shapes) -> Recognised | None:
    prefix, bare = strip_prefix(shapes)
    if (
        "head.modulation" in bare
        or "patch_embedding.weight" in bare
        and any(k.startswith("blocks.0.self_attn.") for k in bare)
    ):
        return Recognised("dit", "original", prefix, dit_refusal(bare))
    if "scale_shift_table" in bare and "proj_out.weight" in bare:
        from engine.weights.formats.keys import dit_from_diffusers

        try:
            mapped = {dit_from_diffusers(k): v for k, v in bare.items()}
        except KeyError as e:
            return Recognised(
                "dit", "diffusers", prefix, f"a diffusers DiT with the foreign tensor {e.args[0]}"
            )
        return Recognised("dit", "diffusers", prefix, dit_refusal(mapped))
    return None


def classify_text_encoder(shapes: Shapes) -> Recognised | None:
    names = set(shapes)
    if "encoder.block.0.layer.0.SelfAttention.q.weight" in names:
        layers = {k.split(".")[2] for k in names if k.startswith("encoder.block.")}
        if len(layers) > 1 and not any(
            k.startswith("encoder.block.1.") and "relative_attention_bias" in k for k in names
        ):
            return Recognised(
                "text_encoder",
                "hf",
                refused="a T5 v1.1 encoder (the Flux/SD3 t5xxl, one shared position bias), not umT5",
            )
        return Recognised("text_encoder", "hf")
    if "blocks.0.attn.q.weight" in names and "token_embedding.weight" in names:
        if "pos_embedding.embedding.weight" in names:
            return Recognised(
                "text_encoder",
                "original",
                refused="a T5 encoder with one shared position bias, not umT5",
            )
        return Recognised("text_encoder", "original")
    if any(k.startswith(("text_model.", "visual.", "vision_model.")) for k in names) or any(
        "textual.transformer" in k or "visual.transformer" in k for k in names
    ):
        return Recognised(
            "text_encoder",
            "hf",
            refused="a CLIP model (Wan2.1 image-to-video uses it; TI2V-5B does not)",
        )
    return None


def classify_vae(shapes: Shapes) -> Recognised | None:
    names = set(shapes)
    if "decoder.upsamples.0.upsamples.0.residual.2.weight" in names:
        z = shapes.get("conv2.weight", (0,))[0]
        if z and z != TI2V_LATENT_CHANNELS:
            return Recognised(
                "vae", "original", refused=f"a VAE with {z} latent channels, not Wan2.2's 48"
            )
        return Recognised("vae", "original")
    if (
        "decoder.upsamples.0.residual.2.weight" in names
        or "decoder.upsamples.0.residual.0.gamma" in names
    ):
        return Recognised(
            "vae",
            "original",
            refused="the Wan2.1 VAE (16 latent channels; TI2V-5B needs the Wan2.2 VAE)",
        )
    if "decoder.up_blocks.0.resnets.0.conv1.weight" in names and "quant_conv.weight" in names:
        z = shapes["quant_conv.weight"][0] // 2
        if z != TI2V_LATENT_CHANNELS:
            return Recognised(
                "vae",
                "diffusers",
                refused=f"a Wan VAE with {z} latent channels (Wan2.1's), not Wan2.2's 48",
            )
        return Recognised("vae", "diffusers")
    return None


def classify(shapes: Shapes) -> Recognised | None:
    """The part a file's tensors make, checked in the order LoRA, DiT, text encoder, VAE."""
    if is_lora(shapes):
        return Recognised("lora", "lora")
    for fn in (classify_dit, classify_text_encoder, classify_vae):
        found = fn(shapes)
        if found is not None:
            return found
    return None


def fp8_scale_problem(dtypes: Mapping[str, str], names: set[str]) -> str | None:
    """For a file marked ``scaled_fp8``: the first fp8 weight without its ``scale_weight``."""
    if FP8_MARKER not in names:
        return None
    for k, code in dtypes.items():
        if code.startswith("F8") and k != FP8_MARKER and k.endswith(".weight"):
            if k[: -len(".weight")] + SCALE_SUFFIX not in names:
                return k
    return None
