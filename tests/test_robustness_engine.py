"""Issue 6 through ``Engine.run``: bad pictures, odd paths, damaged model folders, settings
out of range, out of memory, cancel at every phase, failed saves, no CUDA, and a soak.

Every case ends in RunFinished, or in RunFailed/RunCancelled with a message that says what
happened and what to do — never an exception, never a half-written video, and the same
Engine keeps working afterwards.  The tiny original-layout folder keeps each run well under
a second (128×96, 9 frames, 2 steps, fp32 on the CPU).
"""

from __future__ import annotations

import gc
import json
import pickle
import shutil
import struct
import subprocess
import sys
import weakref
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file, save_file

from engine import events as ev
from engine.cancel import CancelToken
from engine.errors import RequestError
from engine.imaging import open_image, output_size_for_image, source_size
from engine.request import GenerationRequest, check_request
from engine.run.runner import Engine
from engine.weights.folder import (
    CONFIG_FILE,
    DIT_INDEX_FILE,
    T5_FILE,
    TOKENIZER_DIR,
    VAE_FILE,
    dit_shard_name,
)

REPO = Path(__file__).resolve().parents[1]
LFS_STUB = (
    "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab" * 32 + "\nsize 9999999999\n"
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def request_for(ckpt: Path | None, out: Path, **changes) -> GenerationRequest:
    base = dict(
        prompt="a red fox running in snow",
        checkpoint_dir=str(ckpt) if ckpt else None,
        width=128,
        height=96,
        frames=9,
        steps=2,
        seed=3,
        device="cpu",
        dtype="fp32",
        output_path=str(out),
    )
    base.update(changes)
    return GenerationRequest(**base)


def run(engine: Engine, req: GenerationRequest, cancel: CancelToken | None = None, on_event=None):
    events: list = []

    def record(e):
        events.append(e)
        if on_event is not None:
            on_event(e)

    final = engine.run(req, record, cancel)
    return final, events


def phases(events) -> list[str]:
    return [e.phase for e in events if isinstance(e, ev.PhaseStarted)]


def leftovers(folder: Path) -> list[str]:
    """Everything in ``folder`` (videos, reports, ``.part`` temp files)."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --------------------------------------------------------------------------- pictures


# name → (maker(path), expected displayed size or None when refused)
def _gradient(w: int, h: int) -> np.ndarray:
    x = np.linspace(0, 255, w)[None, :, None]
    y = np.linspace(0, 255, h)[:, None, None]
    return np.concatenate([x + 0 * y, y + 0 * x, 128 + 0 * x + 0 * y], axis=2).astype(np.uint8)


def _make_exif(path: Path) -> None:
    arr = np.zeros((40, 60, 3), np.uint8)
    arr[:, :30] = (255, 0, 0)  # left half red, right half blue, as stored
    arr[:, 30:] = (0, 0, 255)
    img = Image.fromarray(arr)
    exif = img.getexif()
    exif[0x0112] = 6  # shown rotated 90° clockwise: the stored left is the shown top
    img.save(path, exif=exif, quality=95)


def _make_truncated(path: Path, fmt: str) -> None:
    rng = np.random.default_rng(0)
    Image.fromarray((rng.random((300, 400, 3)) * 255).astype(np.uint8)).save(path, format=fmt)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _make_gif(path: Path) -> None:
    first = Image.new("RGB", (60, 40), (0, 204, 0)).convert("P")
    second = Image.new("RGB", (60, 40), (204, 0, 0)).convert("P")
    first.save(path, save_all=True, append_images=[second], duration=100, loop=0)


def _make_too_many_pixels(path: Path) -> None:
    """A PNG whose header claims 20000×15000 (300 MP) with almost no data: it must be
    refused from the header, in milliseconds, without allocating the pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 20000, 15000, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


IMAGES = {
    # accepted: (maker, shown size)
    "tiny 3x2.png": (lambda p: Image.new("RGB", (3, 2), (10, 20, 30)).save(p), (3, 2)),
    "animated.gif": (_make_gif, (60, 40)),
    "cmyk.jpg": (lambda p: Image.new("CMYK", (60, 40), (0, 255, 255, 0)).save(p), (60, 40)),
    "deep 16-bit.png": (
        lambda p: Image.fromarray(np.full((40, 60), 40000, np.uint16)).save(p),
        (60, 40),
    ),
    "alpha.png": (lambda p: Image.new("RGBA", (60, 40), (0, 255, 0, 60)).save(p), (60, 40)),
    "exif rotated.jpg": (_make_exif, (40, 60)),
    "grayscale.png": (lambda p: Image.new("L", (60, 40), 77).save(p), (60, 40)),
    # refused: (maker, None)
    "not an image.png": (lambda p: p.write_text("hello, I am text"), None),
    "empty.jpg": (lambda p: p.write_bytes(b""), None),
    "truncated.jpg": (lambda p: _make_truncated(p, "JPEG"), None),
    "truncated.png": (lambda p: _make_truncated(p, "PNG"), None),
    "one pixel.png": (lambda p: Image.new("RGB", (1, 1)).save(p), None),
    "bomb.png": (_make_too_many_pixels, None),
}
ACCEPTED = [name for name, (_, size) in IMAGES.items() if size]
REFUSED = [name for name, (_, size) in IMAGES.items() if not size]


def make_image(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    IMAGES[name][0](path)
    return path


def test_pictures_are_decoded_as_the_person_sees_them(tmp_path):
    """Pixel content, not just the mode: EXIF honoured, first GIF frame, CMYK/16-bit/gray
    converted right; alpha dropped exactly like the original ``convert("RGB")``."""
    pix = lambda name: np.asarray(open_image(make_image(tmp_path, name)))  # noqa: E731
    rotated = pix("exif rotated.jpg")
    assert rotated.shape == (60, 40, 3)
    assert rotated[5, 20, 0] > 200 and rotated[5, 20, 2] < 60  # shown top: red
    assert rotated[55, 20, 2] > 200 and rotated[55, 20, 0] < 60  # shown bottom: blue
    assert tuple(pix("animated.gif")[0, 0]) == (0, 204, 0)
    assert tuple(pix("cmyk.jpg")[0, 0]) == pytest.approx((255, 0, 0), abs=3)
    assert tuple(pix("deep 16-bit.png")[0, 0]) == (156, 156, 156)  # 40000/65535·255
    assert tuple(pix("grayscale.png")[0, 0]) == (77, 77, 77)
    assert tuple(pix("alpha.png")[0, 0]) == (0, 255, 0)


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_pictures_make_a_video_of_the_right_size(
    engine, tiny_checkpoint_dir, tmp_path, name
):
    image = make_image(tmp_path / "pictures", name)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out, image_path=str(image)))
    assert isinstance(final, ev.RunFinished), final
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    assert started.image_conditioned
    assert (started.width, started.height) == output_size_for_image(IMAGES[name][1], 128, 96)
    assert out.is_file()


@pytest.mark.parametrize("name", REFUSED)
def test_refused_pictures_name_the_file_before_any_model_work(
    engine, tiny_checkpoint_dir, tmp_path, name
):
    image = make_image(tmp_path / "pictures", name)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out, image_path=str(image)))
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_image", final
    assert name in final.message and final.advice and not final.details
    assert phases(events) == [] and leftovers(out.parent) == []


def _peak_rss_of(code: str) -> tuple[int, str]:
    """Peak RSS (MiB) of a fresh interpreter running ``code`` — the test process's own
    high-water mark is shared with every other test."""
    # VmHWM belongs to the address space, so unlike ru_maxrss it does not inherit the
    # forking pytest process's high-water mark across exec.
    wrapped = code + (
        "\nhwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]"
        "\nprint('RSS', int(hwm.split()[1]) // 1024)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapped], cwd=REPO, capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.split("RSS")[-1]), proc.stdout


@pytest.mark.skipif(
    not Path("/proc/self/status").is_file(), reason="peak memory read from /proc (Linux)"
)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_12000x8000_picture_costs_neither_minutes_nor_gigabytes(tmp_path, fmt):
    """Without the reduction a 12000×8000 picture peaks above 1.1 GB (decoded RGB, the
    EXIF copy, the conversion copy); with it JPEG decodes at half scale and PNG is reduced
    right after decoding."""
    path = tmp_path / f"huge 큰 사진.{fmt.lower()}"
    small = Image.fromarray(_gradient(120, 80))
    small.resize((12000, 8000), Image.BILINEAR).save(
        path, format=fmt, **({"compress_level": 1} if fmt == "PNG" else {})
    )
    code = (
        "import time; from engine.imaging import open_image, prepare_image, output_size_for_image, source_size\n"
        f"t = time.perf_counter(); img = open_image({str(path)!r})\n"
        "w, h = output_size_for_image(source_size(img), 1280, 704); arr = prepare_image(img, w, h)\n"
        "print('SECONDS', time.perf_counter() - t, 'SIZE', source_size(img), 'OUT', (w, h), arr.shape)\n"
    )
    peak_mib, out = _peak_rss_of(code)
    expected = output_size_for_image((12000, 8000), 1280, 704)
    assert "SIZE (12000, 8000)" in out and f"OUT {expected}" in out, (
        out
    )  # the full picture's size decides
    assert peak_mib < (400 if fmt == "JPEG" else 800), f"peak RSS {peak_mib} MiB"
    assert float(out.split("SECONDS")[1].split()[0]) < 60


def test_a_huge_picture_through_the_engine_keeps_the_output_size_exact(
    engine, tiny_checkpoint_dir, tmp_path
):
    path = tmp_path / "huge.jpg"
    Image.fromarray(_gradient(120, 80)).resize((12000, 8000)).save(path, quality=80)
    img = open_image(path)
    assert img.size == (6000, 4000) and source_size(img) == (12000, 8000)  # decoded at half scale
    final, events = run(
        engine, request_for(tiny_checkpoint_dir, tmp_path / "o.mp4", image_path=str(path))
    )
    assert isinstance(final, ev.RunFinished), final
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    assert (started.width, started.height) == output_size_for_image((12000, 8000), 128, 96)


# --------------------------------------------------------------------------- paths


def test_spaces_and_korean_in_image_checkpoint_and_output_paths(
    engine, tiny_checkpoint_dir, tmp_path
):
    from engine.outputs.report import load_report
    from engine.outputs.video import read_video_info

    root = tmp_path / "새 폴더"
    ckpt = root / "모델 폴더" / "Wan2.2 TI2V-5B"
    shutil.copytree(tiny_checkpoint_dir, ckpt)
    image = root / "그림 한 장.png"
    Image.fromarray(_gradient(160, 120)).save(image)
    out = root / "아직 없는 폴더" / "영상 하나.mp4"  # the folder does not exist yet: created
    final, _ = run(engine, request_for(ckpt, out, image_path=str(image)))
    assert isinstance(final, ev.RunFinished), final
    assert Path(final.output_path) == out and read_video_info(out)[:3] == (9, 128, 96)
    assert load_report(Path(final.report_path)).settings["image_path"] == str(image)
    assert [p.name for p in out.parent.iterdir() if ".part" in p.name] == []


def test_output_under_a_regular_file_is_refused_before_any_model_work(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x")
    loads = []
    monkeypatch.setattr(Engine, "models_for", lambda *a, **k: loads.append(1))
    final, events = run(engine, request_for(tiny_checkpoint_dir, blocker / "sub" / "clip.mp4"))
    assert isinstance(final, ev.RunFailed) and final.kind == "save_failed", final
    assert "cannot be created" in final.message and final.advice
    assert phases(events) == [] and loads == []


def test_unwritable_output_folder_is_refused_before_any_model_work(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    """As root permission bits do not bind: the write probe itself is made to fail."""
    import builtins

    import engine.outputs.video as video

    real_open = builtins.open

    def denying_open(file, mode="r", *a, **k):
        if "w" in mode and video.TEMP_MARKER in str(file):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(video, "open", denying_open, raising=False)
    loads = []
    monkeypatch.setattr(Engine, "models_for", lambda *a, **k: loads.append(1))
    out = tmp_path / "locked" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFailed) and final.kind == "save_failed", final
    assert "not writable" in final.message and "Permission denied" in final.message
    assert phases(events) == [] and loads == [] and leftovers(out.parent) == []


# --------------------------------------------------------------------------- checkpoints


def _rewrite_dit(folder: Path, name: str, change) -> str:
    index = json.loads((folder / DIT_INDEX_FILE).read_text())["weight_map"]
    shard = folder / index[name]
    tensors = load_file(shard)
    tensors[name] = change(tensors[name])
    save_file(tensors, shard)
    return index[name]


def _rewrite_pth(path: Path, name: str, change) -> None:
    state = torch.load(path, weights_only=True)
    state[name] = change(state[name])
    torch.save(state, path)


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _damage(folder: Path, case: str, marker: Path) -> str:
    """Damage ``folder`` the way ``case`` says; return a word the message must contain."""
    shard2 = dit_shard_name(2, 3)
    if case.startswith("missing "):
        rel = case.removeprefix("missing ")
        target = folder / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
        return rel.split("/")[-1] if "/" not in rel else rel.split("/")[0]
    if case == "truncated shard":
        data = (folder / shard2).read_bytes()
        (folder / shard2).write_bytes(data[:-1000])
        return "truncated"
    if case == "wrong shape in the DiT":
        return _rewrite_dit(
            folder, "blocks.1.self_attn.q.weight", lambda t: torch.zeros(t.shape[0], t.shape[1] + 1)
        )
    if case == "wrong shape that sets the DiT's size":
        _rewrite_dit(
            folder, "patch_embedding.weight", lambda t: torch.zeros(t.shape[0], 16, *t.shape[2:])
        )
        return "patch_embedding.weight"
    if case == "text encoder of another width":
        _rewrite_pth(
            folder / T5_FILE,
            "token_embedding.weight",
            lambda t: torch.zeros(t.shape[0], t.shape[1] + 1),
        )
        return T5_FILE
    if case == "wrong shape that sets the VAE's size":
        _rewrite_pth(
            folder / VAE_FILE,
            "encoder.conv1.weight",
            lambda t: torch.zeros(t.shape[0] + 1, *t.shape[1:]),
        )
        return VAE_FILE
    if case == "tokenizer of another vocabulary":
        _rewrite_pth(folder / T5_FILE, "token_embedding.weight", lambda t: t[:3].clone())
        return "tokenizer"
    if case.startswith("LFS pointer: "):
        rel = case.removeprefix("LFS pointer: ")
        (folder / rel).write_text(LFS_STUB)
        return "Git-LFS"
    if case == "code in the text encoder (zip pickle)":
        torch.save({"token_embedding.weight": torch.zeros(2), "x": _Evil(marker)}, folder / T5_FILE)
        return "contains code"
    if case == "code in the VAE (legacy pickle)":
        with open(folder / VAE_FILE, "wb") as f:
            pickle.dump({"x": _Evil(marker)}, f, protocol=2)
        return "contains code"
    if case == "a 14B folder":
        config = json.loads((folder / CONFIG_FILE).read_text())
        config.update(model_type="t2v", dim=5120, in_dim=16, num_layers=40)
        (folder / CONFIG_FILE).write_text(json.dumps(config))
        return "14B"
    if case == "an A14B folder":
        (folder / "high_noise_model").mkdir()
        (folder / "low_noise_model").mkdir()
        return "A14B"
    raise AssertionError(case)


CHECKPOINT_CASES = [
    *(
        f"missing {rel}"
        for rel in (
            CONFIG_FILE,
            DIT_INDEX_FILE,
            dit_shard_name(1, 3),
            dit_shard_name(2, 3),
            dit_shard_name(3, 3),
            T5_FILE,
            VAE_FILE,
            TOKENIZER_DIR,
        )
    ),
    "truncated shard",
    "wrong shape in the DiT",
    "wrong shape that sets the DiT's size",
    "text encoder of another width",
    "wrong shape that sets the VAE's size",
    "tokenizer of another vocabulary",
    *(f"LFS pointer: {rel}" for rel in (dit_shard_name(1, 3), T5_FILE, VAE_FILE, DIT_INDEX_FILE)),
    "code in the text encoder (zip pickle)",
    "code in the VAE (legacy pickle)",
    "a 14B folder",
    "an A14B folder",
]


@pytest.mark.parametrize("case", CHECKPOINT_CASES)
def test_damaged_or_foreign_model_folder_is_a_clear_bad_checkpoint(
    engine, tiny_checkpoint_copy, tmp_path, case
):
    marker = tmp_path / "pwned"
    word = _damage(tiny_checkpoint_copy, case, marker)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_copy, out))
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_checkpoint", final
    assert word in final.message, final.message
    assert final.advice and not final.details  # what to do; no traceback for a user's file
    assert "weights_only=False" not in final.message + final.advice
    assert not marker.exists(), "the pickle's code ran"
    assert "denoise" not in phases(events) and leftovers(out.parent) == []


def test_engine_works_after_a_bad_folder(
    engine, tiny_checkpoint_copy, tiny_checkpoint_dir, tmp_path
):
    _damage(tiny_checkpoint_copy, "wrong shape that sets the VAE's size", tmp_path / "m")
    assert (
        run(engine, request_for(tiny_checkpoint_copy, tmp_path / "a.mp4"))[0].kind
        == "bad_checkpoint"
    )
    final, _ = run(engine, request_for(tiny_checkpoint_dir, tmp_path / "b.mp4"))
    assert isinstance(final, ev.RunFinished), final


# --------------------------------------------------------------------------- settings

# field → (bad value, what the clamp makes of it).  The GUI and CLI tests use this table.
OUT_OF_RANGE = {
    "width": (1000, 992),
    "height": (20, 32),
    "frames": (120, 121),
    "steps": (0, 1),
    "guidance": (-2.0, 0.0),
    "shift": (0.0, 1.0),
}
OUT_OF_RANGE_HUGE = {"width": (100_000, 4096), "frames": (5000, 1001), "steps": (10**6, 1000)}


@pytest.mark.parametrize(
    "field,value,fixed",
    [
        (f, v, x)
        for f, (v, x) in {
            **OUT_OF_RANGE,
            **{k + " (huge)": v for k, v in OUT_OF_RANGE_HUGE.items()},
        }.items()
    ],
)
def test_one_rule_clamps_with_a_note_or_refuses_with_the_same_words(
    engine, tmp_path, field, value, fixed
):
    field = field.removesuffix(" (huge)")
    req = GenerationRequest(prompt="x").replace(**{field: value})
    with pytest.raises(RequestError) as refused:
        check_request(req, clamp=False)
    clamped, notes = check_request(req, clamp=True)
    assert getattr(clamped, field) == fixed and len(notes) == 1
    assert notes[0].startswith(refused.value.message) and str(fixed) in notes[0]
    check_request(clamped, clamp=False)  # the clamped request is valid
    # the engine applies the strict rule itself: a client that skipped it gets bad_request
    final, events = run(engine, request_for(None, tmp_path / "x.mp4").replace(**{field: value}))
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_request"
    assert final.message == refused.value.message and phases(events) == []


# --------------------------------------------------------------------------- out of memory


def _oom_points():
    import engine.nets.text_encoder as text_encoder
    import engine.nets.vae as vae
    import engine.sampling.denoise as pipeline

    return {
        "load": (vae.WanVAE, "load", "loading the model"),
        "encode_text": (text_encoder.TextEncoder, "encode", "encoding the prompt"),
        "encode_image": (vae.WanVAE, "encode_image", "encoding the image"),
        "denoise": (pipeline, "denoise", "denoising"),
        "decode": (vae.WanVAE, "_decode_latent_frame", "decoding the video"),
    }


@pytest.mark.parametrize("error", ["OutOfMemoryError", "cuBLAS RuntimeError"])
@pytest.mark.parametrize("phase", ["load", "encode_text", "encode_image", "denoise", "decode"])
def test_out_of_memory_in_any_phase_gives_advice_frees_memory_and_the_next_run_works(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch, phase, error
):
    owner, name, words = _oom_points()[phase]
    freed: list[weakref.ref] = []
    emptied: list[int] = []

    def boom(*args, **kwargs):
        freed.extend(
            weakref.ref(a) for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor)
        )
        # From here on pretend a CUDA device is there, to see the cache being emptied.
        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "empty_cache", lambda: emptied.append(1))
        if error == "OutOfMemoryError":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")
        raise RuntimeError(
            "CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`"
        )

    monkeypatch.setattr(owner, name, staticmethod(boom) if phase == "load" else boom)
    if phase == "load":
        engine.unload()  # make the next run load
    image = tmp_path / "pic.png"
    Image.fromarray(_gradient(160, 120)).save(image)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out, image_path=str(image)))
    assert isinstance(final, ev.RunFailed) and final.kind == "out_of_memory", final
    assert words in final.message and "offload" in final.advice and "smaller size" in final.advice
    assert not final.details and leftovers(out.parent) == []
    assert emptied, "GPU cache not emptied after the failure"
    gc.collect()
    assert all(r() is None for r in freed), "tensors of the failed run are still alive"
    monkeypatch.undo()
    final, _ = run(engine, request_for(tiny_checkpoint_dir, out, image_path=str(image)))
    assert isinstance(final, ev.RunFinished), final


# --------------------------------------------------------------------------- cancel


@pytest.mark.parametrize(
    "phase", ["load", "encode_text", "encode_image", "denoise", "decode", "save"]
)
def test_cancel_in_every_phase_leaves_nothing_and_the_engine_works(
    engine, tiny_checkpoint_dir, tmp_path, phase
):
    image = tmp_path / "pic.png"
    Image.fromarray(_gradient(160, 120)).save(image)
    out = tmp_path / "out" / "clip.mp4"
    cancel = CancelToken()

    def on_event(e):
        if phase == "save":  # the last decoded chunk is in: the file is being finished
            hit = isinstance(e, ev.DecodeProgress) and e.done_frames == e.total_frames
        else:
            hit = isinstance(e, ev.PhaseStarted) and e.phase == phase
        if hit:
            cancel.cancel()

    final, events = run(
        engine,
        request_for(tiny_checkpoint_dir, out, image_path=str(image), steps=3),
        cancel,
        on_event,
    )
    assert isinstance(final, ev.RunCancelled) and final.phase == phase, final
    assert leftovers(out.parent) == []  # no video, no report, no .part temp file
    final, _ = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFinished) and out.is_file()


# --------------------------------------------------------------------------- saving fails


@pytest.fixture
def recovery_folder(tmp_path, monkeypatch) -> Path:
    import engine.outputs.video as video

    folder = tmp_path / "recovered here"
    monkeypatch.setattr(video, "default_recovery_folders", lambda: [folder])
    return folder


@pytest.mark.parametrize("how", ["file locked at the rename", "disk full (short file)"])
def test_save_failure_after_generation_keeps_every_frame(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch, recovery_folder, how
):
    import engine.outputs.video as video

    if how == "file locked at the rename":
        real_replace = video.os.replace

        def locked(src, dst, *a, **k):
            if str(dst).endswith(".mp4"):
                raise PermissionError(13, "The process cannot access the file", str(dst))
            return real_replace(src, dst, *a, **k)

        monkeypatch.setattr(video.os, "replace", locked)
    else:  # ffmpeg wrote fewer frames than it got: what a full disk looks like
        monkeypatch.setattr(video, "count_video_frames", lambda path: 4)
    out = tmp_path / "out" / "clip.mp4"
    final, _ = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFailed) and final.kind == "save_failed", final
    assert final.recovered_path and Path(final.recovered_path).parent == recovery_folder
    assert final.recovered_path in final.message and final.advice and not final.details
    assert leftovers(out.parent) == []
    monkeypatch.undo()
    from engine.outputs.video import load_recovered_frames, read_video_info, write_video

    frames, fps, metadata = load_recovered_frames(final.recovered_path)
    assert frames.shape == (9, 96, 128, 3) and fps == 24 and metadata["intended_path"] == str(out)
    elsewhere = write_video(frames, tmp_path / "다른 곳" / "saved.mp4", fps=fps)
    assert read_video_info(elsewhere)[:3] == (9, 128, 96)


def test_missing_ffmpeg_is_said_before_any_model_work(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    import imageio_ffmpeg

    def missing():
        raise RuntimeError("No ffmpeg exe could be found.")

    loads = []
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", missing)
    monkeypatch.setattr(Engine, "models_for", lambda *a, **k: loads.append(1))
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFailed) and final.kind == "save_failed", final
    assert "ffmpeg" in final.message and "IMAGEIO_FFMPEG_EXE" in final.advice
    assert phases(events) == [] and loads == [] and leftovers(out.parent) == []


def test_a_save_failure_after_cancel_is_a_cancel_and_keeps_the_frames(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch, recovery_folder
):
    """Ctrl+C reaches ffmpeg too (same process group): its death after the user's cancel is
    reported as the cancel, with the reason and the saved frames in the log."""
    import engine.outputs.video as video

    cancel = CancelToken()
    monkeypatch.setattr(video, "count_video_frames", lambda path: 4)  # ffmpeg wrote too little
    real_close = video.VideoWriter.close

    def close_after_ctrl_c(self):
        cancel.cancel()  # the interrupt arrives while the file is being finished
        return real_close(self)

    monkeypatch.setattr(video.VideoWriter, "close", close_after_ctrl_c)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out), cancel)
    assert isinstance(final, ev.RunCancelled), final
    notes = [
        e.text
        for e in events
        if isinstance(e, ev.LogMessage) and "after the cancel request" in e.text
    ]
    assert len(notes) == 1 and str(recovery_folder) in notes[0], notes
    assert leftovers(out.parent) == []


# --------------------------------------------------------------------------- no CUDA


def test_no_cuda_is_a_message_for_cuda_and_the_cpu_for_auto(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    final, events = run(engine, request_for(tiny_checkpoint_dir, tmp_path / "a.mp4", device="cuda"))
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_request", final
    assert "No CUDA GPU" in final.message and "cpu" in final.advice and phases(events) == []
    final, events = run(engine, request_for(tiny_checkpoint_dir, tmp_path / "b.mp4", device="auto"))
    assert isinstance(final, ev.RunFinished), final
    assert next(e for e in events if isinstance(e, ev.RunStarted)).device == "cpu"


# --------------------------------------------------------------------------- soak


def test_soak_twenty_runs_in_one_engine_do_not_grow_memory_or_file_handles(
    tiny_checkpoint_dir, tmp_path
):
    """20 runs of the demo-sized model in one Engine — finished, cancelled and failed ones
    mixed — leave RSS within a small bound and exactly as many open file handles."""
    import psutil

    process = psutil.Process()
    soak_engine = Engine()
    out = tmp_path / "soak"

    def one(i: int):
        cancel = CancelToken()
        req = request_for(
            tiny_checkpoint_dir, out / f"v{i}.mp4", width=64, height=64, frames=5, steps=1, seed=i
        )
        if i % 5 == 3:  # a bad picture: refused early
            bad = out / "bad.png"
            bad.parent.mkdir(parents=True, exist_ok=True)
            bad.write_text("no")
            req = req.replace(image_path=str(bad))
        on_event = (
            (lambda e: cancel.cancel() if isinstance(e, ev.DecodeProgress) else None)
            if i % 5 == 4
            else None
        )
        return run(soak_engine, req, cancel, on_event)[0]

    for i in range(3):  # warm-up: imports, the loaded model, allocator pools
        one(i)
    gc.collect()
    rss_before, fds_before = process.memory_info().rss, process.num_fds()
    finals = [one(i) for i in range(3, 23)]
    gc.collect()
    rss_growth = process.memory_info().rss - rss_before
    assert sum(isinstance(f, ev.RunFinished) for f in finals) == 12
    assert sum(isinstance(f, ev.RunCancelled) for f in finals) == 4
    assert sum(isinstance(f, ev.RunFailed) for f in finals) == 4
    assert process.num_fds() <= fds_before, f"file handles {fds_before} → {process.num_fds()}"
    assert rss_growth < 64 * 2**20, f"RSS grew by {rss_growth / 2**20:.0f} MiB over 20 runs"
    assert len(list(out.glob("*.mp4"))) == 3 + 12 and not [
        p for p in out.iterdir() if ".part" in p.name
    ]
