"""umT5-XXL text encoder: Wan's ``models_t5_umt5-xxl-enc-bf16.pth`` in
``transformers.UMT5EncoderModel``, and the ``google/umt5-xxl`` tokenizer.

The encoder is built on the ``meta`` device from a config inferred from the tensor shapes
(so the tiny test folder and the real one load alike) and filled tensor by tensor with
``assign``, cast to the run dtype. ``encode`` returns, per prompt, the hidden states of the
real tokens only (``[tokens, d_model]``, eos included), as Wan's ``T5EncoderModel`` does
(``u[:v]``); the DiT pads them back to 512 with zeros.

Text cleaning is Wan's ``clean='whitespace'``: ``ftfy.fix_text`` (mojibake repair, and also
curly quotes to straight ones and full-width letters to ASCII, so a prompt typed with “smart”
quotes gets the official tokens), ``html.unescape`` twice, collapse whitespace, strip.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.config import T5Config
from engine.errors import CheckpointError
from engine.weights.folder import T5_FILE, TOKENIZER_DIR, dit_tensor_shapes, shapes_guard
from engine.weights.formats.keys import t5_to_hf
from engine.weights.stream import load_mapped_pth_into, load_pth

if TYPE_CHECKING:  # pragma: no cover
    import torch

TEXT_LEN = 512  # tokens; Wan pads/truncates every prompt to this
TIED_KEYS = ("encoder.embed_tokens.weight",)  # tied to shared.weight in transformers
EMBEDDING_KEY = "token_embedding.weight"  # the embedding table in Wan's .pth

_BLOCK_RE = re.compile(r"^blocks\.(\d+)\.(.+)$")
map_t5_key = t5_to_hf  # Wan name → transformers name; the map is in engine/weights/formats/keys.py


def wan_t5_shapes(cfg: T5Config) -> dict[str, tuple[int, ...]]:
    """Names and shapes of Wan's umT5 encoder file for ``cfg`` (Wan key layout, file order)."""
    inner = cfg.num_heads * cfg.d_kv
    shapes: dict[str, tuple[int, ...]] = {"token_embedding.weight": (cfg.vocab_size, cfg.d_model)}
    for i in range(cfg.num_layers):
        b = f"blocks.{i}."
        shapes[b + "norm1.weight"] = (cfg.d_model,)
        for p in "qkv":
            shapes[b + f"attn.{p}.weight"] = (inner, cfg.d_model)
        shapes[b + "attn.o.weight"] = (cfg.d_model, inner)
        shapes[b + "norm2.weight"] = (cfg.d_model,)
        shapes[b + "ffn.gate.0.weight"] = (cfg.d_ff, cfg.d_model)
        shapes[b + "ffn.fc1.weight"] = (cfg.d_ff, cfg.d_model)
        shapes[b + "ffn.fc2.weight"] = (cfg.d_model, cfg.d_ff)
        shapes[b + "pos_embedding.embedding.weight"] = (
            cfg.relative_attention_num_buckets,
            cfg.num_heads,
        )
    shapes["norm.weight"] = (cfg.d_model,)
    return shapes


def t5_config_from_tensors(shapes: Mapping[str, Sequence[int]]) -> T5Config:
    """Infer the umT5 dimensions from Wan-layout tensor shapes.

    vocab/d_model from ``token_embedding [vocab, d_model]``; buckets/heads from
    ``pos_embedding [buckets, heads]``; ``d_kv = q.out / heads``; ``d_ff`` from ``fc1``.
    """
    if "pos_embedding.embedding.weight" in shapes:
        raise CheckpointError(
            f"{T5_FILE} has one shared position embedding: this is not the umT5 encoder of Wan2.2.",
            "Use the models_t5_umt5-xxl-enc-bf16.pth file of Wan-AI/Wan2.2-TI2V-5B.",
        )
    try:
        vocab, d_model = shapes["token_embedding.weight"]
        buckets, heads = shapes["blocks.0.pos_embedding.embedding.weight"]
        q_out = shapes["blocks.0.attn.q.weight"][0]
        d_ff = shapes["blocks.0.ffn.fc1.weight"][0]
    except (KeyError, ValueError) as e:
        raise CheckpointError(
            f"{T5_FILE} lacks the umT5 tensor {e}; it is not Wan's text encoder.",
            "Use the models_t5_umt5-xxl-enc-bf16.pth file of Wan-AI/Wan2.2-TI2V-5B.",
        ) from None
    layers = {int(m.group(1)) for k in shapes if (m := _BLOCK_RE.match(k))}
    return T5Config(
        vocab_size=int(vocab),
        d_model=int(d_model),
        d_kv=int(q_out) // int(heads),
        d_ff=int(d_ff),
        num_heads=int(heads),
        num_layers=len(layers),
        relative_attention_num_buckets=int(buckets),
    )


def hf_config(cfg: T5Config) -> Any:
    """The ``transformers.UMT5Config`` equal to ``cfg`` (gated tanh-GELU, no dropout)."""
    from transformers import UMT5Config

    return UMT5Config(
        vocab_size=cfg.vocab_size,
        d_model=cfg.d_model,
        d_kv=cfg.d_kv,
        d_ff=cfg.d_ff,
        num_layers=cfg.num_layers,
        num_heads=cfg.num_heads,
        relative_attention_num_buckets=cfg.relative_attention_num_buckets,
        relative_attention_max_distance=cfg.relative_attention_max_distance,
        feed_forward_proj="gated-gelu",
        layer_norm_epsilon=cfg.eps,
        dropout_rate=0.0,
        tie_word_embeddings=False,
        pad_token_id=0,
        eos_token_id=1,
    )


def build_meta_encoder(cfg: T5Config) -> Any:
    """A ``UMT5EncoderModel`` with every tensor on ``meta`` (no memory), in eval mode."""
    import torch
    from transformers import UMT5EncoderModel

    with torch.device("meta"):
        model = UMT5EncoderModel(hf_config(cfg))
    return model.eval()


def clean_prompt(text: str) -> str:
    """Wan's ``whitespace_clean(basic_clean(text))``: ftfy.fix_text, unescape HTML twice,
    strip, collapse whitespace, strip."""
    import ftfy

    text = html.unescape(html.unescape(ftfy.fix_text(text))).strip()
    return re.sub(r"\s+", " ", text).strip()


def _check_fits_the_dit(folder: Path, cfg: T5Config) -> None:
    """The DiT's ``text_embedding`` takes the encoder's d_model-wide output: a text encoder
    of another width would only fail at the first denoising step.  Checked from the DiT's
    shard headers when the folder has them."""
    try:
        text_dim = dit_tensor_shapes(folder)["text_embedding.0.weight"][1]
    except CheckpointError:
        return  # no (usable) DiT here: the runner reports that on its own
    if text_dim != cfg.d_model:
        raise CheckpointError(
            f"{T5_FILE} gives {cfg.d_model}-wide text features but the DiT in {folder} expects "
            f"{text_dim}: the files come from different models.",
            "Use the models_t5_umt5-xxl-enc-bf16.pth file of Wan-AI/Wan2.2-TI2V-5B.",
        )


class TextEncoder:
    """umT5 encoder + tokenizer. ``encode(texts)`` → ``[tokens_i, d_model]`` per text."""

    def __init__(self, module: Any, tokenizer: Any, config: T5Config, text_len: int = TEXT_LEN):
        self.module = module
        self.tokenizer = tokenizer
        self.config = config
        self.text_len = text_len
        self.embedding_in_ram = False  # block streaming: rows looked up in RAM (keep_all_but_blocks_on)
        # the .pth whose memory map the embedding is a view of (loaded without a cast), if any
        self.mapped_file: Path | None = None

    @property
    def device(self) -> torch.device:
        return self.module.shared.weight.device

    @property
    def compute_device(self) -> torch.device:
        """Where the encoder computes: the embedding's device, except with block streaming,
        where the embedding table stays in RAM and the rest computes on the GPU."""
        return self.module.encoder.final_layer_norm.weight.device

    @property
    def dtype(self) -> torch.dtype:
        return self.module.shared.weight.dtype

    @classmethod
    def load(cls, folder: str | Path, dtype: torch.dtype, device: Any = "cpu") -> TextEncoder:
        """Load ``<folder>/models_t5_umt5-xxl-enc-bf16.pth`` and the tokenizer folder."""
        from engine.weights.formats import Part

        folder = Path(folder)
        part = Part("text_encoder", "original", (folder / T5_FILE,))
        return cls.load_part(part, folder / TOKENIZER_DIR, dtype, device, dit_folder=folder)

    @classmethod
    def load_part(
        cls,
        part: Any,
        tokenizer_dir: str | Path,
        dtype: torch.dtype,
        device: Any = "cpu",
        *,
        dit_folder: Path | None = None,
        dit_text_dim: int | None = None,
        progress: Any = None,
    ) -> TextEncoder:
        """Load a text-encoder part of any format (engine.weights.formats) and a tokenizer.

        Float8 linears (a ComfyUI fp8 file) stay float8, dequantized at use, except ``wo``:
        transformers casts the hidden states to ``wo``'s dtype, so it is dequantized now.
        """
        from transformers import AutoTokenizer

        from engine.weights.formats.readers import part_shapes
        from engine.weights.parts import load_mapped_part_into

        path = Path(part.files[0])
        if path.suffix == ".pth":
            state = load_pth(path)  # memory-mapped: nothing read yet beyond the pickle
            shapes = {k: tuple(v.shape) for k, v in state.items()}
        else:
            state = None
            shapes = part_shapes(part)
        with shapes_guard(path, "text encoder"):
            cfg = t5_config_from_tensors(shapes)
            module = build_meta_encoder(cfg)
        if dit_folder is not None:
            _check_fits_the_dit(dit_folder, cfg)
        if dit_text_dim is not None and dit_text_dim != cfg.d_model:
            raise CheckpointError(
                f"{path.name} gives {cfg.d_model}-wide text features but the DiT expects "
                f"{dit_text_dim}: the files come from different models.",
                "Use the umT5-XXL encoder of Wan2.2-TI2V-5B (see README, Models and LoRAs).",
            )
        mapped = None
        if state is not None:
            embedding = state.get(EMBEDDING_KEY)
            if embedding is not None and embedding.dtype == dtype and str(device) == "cpu":
                mapped = path  # the loaded embedding stays a view of the file's memory map
            del embedding
            load_mapped_pth_into(
                module, path, map_t5_key, dtype, device, what="text encoder",
                skip_expected=TIED_KEYS, state=state, progress=progress,
            )  # fmt: skip
            del state
        else:
            load_mapped_part_into(
                module, part, map_t5_key, dtype, device, what="text encoder",
                skip_expected=TIED_KEYS, keep_fp8=lambda name: not name.endswith(".wo"),
                progress=progress,
            )  # fmt: skip
        module.encoder.embed_tokens.weight = module.shared.weight  # the one embedding, tied
        tok_dir = Path(tokenizer_dir)
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(tok_dir))
        except Exception as e:  # transformers raises many kinds here
            raise CheckpointError(
                f"The tokenizer in {tok_dir} cannot be loaded ({type(e).__name__}: {e}).",
                "Download the google/umt5-xxl folder of Wan-AI/Wan2.2-TI2V-5B again.",
            ) from None
        if len(tokenizer) > cfg.vocab_size:
            raise CheckpointError(
                f"The tokenizer in {tok_dir} knows {len(tokenizer)} tokens, but {path.name} embeds only "
                f"{cfg.vocab_size}: they do not belong together.",
                "Download the google/umt5-xxl folder and the text encoder of Wan-AI/Wan2.2-TI2V-5B again.",
            )
        encoder = cls(module, tokenizer, cfg)
        encoder.mapped_file = mapped
        return encoder

    def tokenize(self, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """``(ids, mask)``, both int64 ``[len(texts), text_len]`` on CPU, eos appended."""
        batch = self.tokenizer(
            [clean_prompt(t) for t in texts],
            padding="max_length",
            truncation=True,
            max_length=self.text_len,
            add_special_tokens=True,
            return_tensors="pt",
        )
        return batch["input_ids"], batch["attention_mask"]

    def encode(self, texts: Sequence[str]) -> list[torch.Tensor]:
        """Hidden states per text, trimmed to its real token count: ``[n_i, d_model]``."""
        import torch

        ids, mask = self.tokenize(texts)
        device = self.compute_device
        mask = mask.to(device)
        with torch.inference_mode():
            embedding = self.module.shared
            if not self.embedding_in_ram:
                hidden = self.module(input_ids=ids.to(device), attention_mask=mask).last_hidden_state
            else:  # block streaming: the 2 GiB table stays in RAM, its rows are looked up there
                embeds = embedding(ids.to(embedding.weight.device)).to(device)
                hidden = self.module(inputs_embeds=embeds, attention_mask=mask).last_hidden_state
        lengths = mask.gt(0).sum(dim=1).tolist()
        return [h[:n] for h, n in zip(hidden, lengths)]

    def to(self, device: Any) -> TextEncoder:
        """Move the weights (e.g. to CPU between runs to free VRAM); returns self."""
        self.module.to(device)
        self.module.encoder.embed_tokens.weight = self.module.shared.weight
        self.embedding_in_ram = False
        return self

    def keep_all_but_blocks_on(self, device: Any) -> Any:
        """Block streaming: the final norm goes to ``device``; the shared embedding (256k ×
        4096, 2 GiB in bf16, of which a prompt reads 512 rows) stays in RAM and
        :meth:`encode` looks its rows up there.  Returns the umT5 blocks, which stay in RAM
        for a :class:`engine.run.offload.BlockStreamer` to stream."""
        import torch

        enc = self.module
        enc.encoder.final_layer_norm.to(device)
        if self.mapped_file is not None:
            # A view of the .pth's memory map keeps the whole 11 GB map alive, with every
            # page the load touched counted in the process's RAM (RSS rose from 19.7 to
            # 29.4 GiB on the H200): take the table from a fresh map, where only the rows
            # a prompt reads are ever paged in.
            fresh = load_pth(self.mapped_file).get(EMBEDDING_KEY)
            if fresh is not None and fresh.shape == enc.shared.weight.shape and fresh.dtype == enc.shared.weight.dtype:
                enc.shared.weight = torch.nn.Parameter(fresh, requires_grad=False)
        enc.encoder.embed_tokens.weight = enc.shared.weight
        self.embedding_in_ram = True
        return enc.encoder.block
