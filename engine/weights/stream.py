"""Stream checkpoint tensors into modules (imports torch inside the functions).

DiT tensors are read from the shards one at a time with ``safetensors.safe_open`` and cast to
the run dtype/device on the fly, so the extra RAM at peak is about one float32 tensor (the
full float32 dict is ~20 GB). ``.pth`` files are opened with
``torch.load(weights_only=True, mmap=True)``; a pickle that would run code is refused, never
executed.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import CheckpointError
from engine.events import LoadProgress
from engine.weights.folder import (
    _DOWNLOAD_ADVICE,
    DIT_INDEX_FILE,
    MODEL_NAME,
    check_folder,
    is_lfs_pointer,
    safetensors_shapes,
)

if TYPE_CHECKING:  # pragma: no cover
    import torch



class LoadMeter:
    """Counts a whole model load and reports it as :class:`LoadProgress` events.

    ``files`` are ``(part, path)`` for every file the load reads, so the byte total is known
    before the first read (the files' sizes).  The tensor total starts with what the
    safetensors headers list and grows by a ``.pth`` file's count when it is opened (a
    pickle's tensors are known only then).  Events go through ``emit`` at most every
    ``interval_s``, and always at the end of each file.
    """

    def __init__(
        self,
        emit: Callable[[LoadProgress], None],
        files: Iterable[tuple[str, str | Path]],
        *,
        interval_s: float = 0.2,
    ) -> None:
        self.emit = emit
        self.interval_s = interval_s
        self.parts: dict[str, str] = {}  # file name → part
        self.sizes: dict[str, int] = {}
        self.total_tensors = 0
        for part, path in files:
            path = Path(path)
            self.parts[path.name] = part
            self.sizes[path.name] = path.stat().st_size if path.is_file() else 0
            if path.suffix == ".safetensors" and path.is_file():
                self.total_tensors += len(safetensors_shapes(path))
        self.total_bytes = sum(self.sizes.values())
        self.done_bytes = 0
        self.done_tensors = 0
        self._file_done: dict[str, int] = {}
        self._closed: set[str] = set()
        self._last = 0.0

    def opened(self, path: str | Path, tensors: int) -> None:
        """A ``.pth`` file was opened: its tensors join the total."""
        if Path(path).suffix != ".safetensors":
            self.total_tensors += tensors

    def tensor(self, path: str | Path, nbytes: int) -> None:
        """One tensor of ``path`` (``nbytes`` as stored) was read and placed."""
        name = Path(path).name
        size = self.sizes.get(name, 0)
        before = self._file_done.get(name, 0)
        now = min(size, before + nbytes) if size else before + nbytes
        self._file_done[name] = now
        self.done_bytes += now - before
        self.done_tensors += 1
        if time.monotonic() - self._last >= self.interval_s:
            self._send(name)

    def file_done(self, path: str | Path) -> None:
        """``path`` is read through: its bytes count whole (headers and padding included)."""
        name = Path(path).name
        if name in self._closed:
            return
        self._closed.add(name)
        size = self.sizes.get(name, 0)
        self.done_bytes += max(0, size - self._file_done.get(name, 0))
        self._file_done[name] = size
        self._send(name)

    def _send(self, name: str) -> None:
        self._last = time.monotonic()
        self.emit(
            LoadProgress(
                part=self.parts.get(name, ""),
                file=name,
                done_bytes=self.done_bytes,
                total_bytes=self.total_bytes,
                done_tensors=self.done_tensors,
                total_tensors=max(self.total_tensors, self.done_tensors),
                file_done_bytes=self._file_done.get(name, 0),
                file_total_bytes=self.sizes.get(name, 0),
            )
        )


def _stored_bytes(t: torch.Tensor) -> int:
    return t.numel() * t.element_size()


def _cast(t: torch.Tensor, dtype: torch.dtype | None, device: Any) -> torch.Tensor:
    """Cast floating tensors to ``dtype`` (others keep theirs) and move to ``device``."""
    if dtype is not None and t.is_floating_point() and t.dtype != dtype:
        return t.to(device=device, dtype=dtype)
    return t.to(device=device)


def iter_dit_tensors(
    folder: str | Path, dtype: torch.dtype | None = None, device: Any = "cpu"
) -> Iterator[tuple[str, str, torch.Tensor]]:
    """Yield ``(shard_name, tensor_name, tensor)`` one at a time, cast on the fly.

    Only one source tensor (float32 on disk) is alive at a time beyond what the caller keeps.
    """
    from safetensors import safe_open

    folder = Path(folder)
    for rel in check_folder(folder).dit_shards:
        with safe_open(str(folder / rel), framework="pt", device="cpu") as f:
            for name in f.keys():  # noqa: SIM118 (safe_open has no __iter__)
                t = f.get_tensor(name)
                yield rel, name, _cast(t, dtype, device)
                del t


def assign_tensor(module: torch.nn.Module, name: str, tensor: torch.Tensor) -> None:
    """Replace parameter/buffer ``name`` of ``module`` by ``tensor`` (works on meta modules)."""
    import torch

    owner_name, _, leaf = name.rpartition(".")
    owner = module.get_submodule(owner_name) if owner_name else module
    if leaf in owner._parameters:
        owner._parameters[leaf] = torch.nn.Parameter(tensor, requires_grad=False)
    elif leaf in owner._buffers:
        owner._buffers[leaf] = tensor
    else:  # pragma: no cover - guarded by the name checks before
        raise KeyError(name)


def compare_shapes(
    expected: Mapping[str, Iterable[int]],
    found: Mapping[str, Iterable[int]],
    *,
    file_of: Callable[[str], str],
    what: str,
) -> None:
    """Raise :class:`CheckpointError` on missing, unexpected or wrongly shaped tensors.

    ``expected`` are the module's names/shapes, ``found`` the file's (already in module
    names); ``file_of(name)`` says which file a found tensor came from.
    """
    missing = [k for k in expected if k not in found]
    unexpected = [k for k in found if k not in expected]
    wrong = [k for k in expected if k in found and tuple(expected[k]) != tuple(found[k])]
    if not (missing or unexpected or wrong):
        return
    lines = []
    for k in wrong[:5]:
        lines.append(
            f"tensor {k} in {file_of(k)} has shape {list(found[k])}, expected {list(expected[k])}."
        )
    if missing:
        lines.append(f"{len(missing)} {what} tensor(s) are missing (first: {missing[0]}).")
    if unexpected:
        lines.append(
            f"{len(unexpected)} unexpected tensor(s) in {file_of(unexpected[0])} (first: {unexpected[0]})."
        )
    raise CheckpointError(
        f"The {what} weights do not fit {MODEL_NAME}: " + " ".join(lines),
        "Check that the folder holds the original Wan2.2-TI2V-5B files; " + _DOWNLOAD_ADVICE,
    )


def load_dit_state_into(
    module: torch.nn.Module,
    folder: str | Path,
    dtype: torch.dtype | None,
    device: Any,
    *,
    keep_float32: Callable[[str], bool] | None = None,
    check_cancel: Callable[[], None] | None = None,
    progress: LoadMeter | None = None,
) -> torch.nn.Module:
    """Stream the DiT shards into ``module`` (built on ``meta`` or a real device).

    Names and shapes are checked against the shard headers before any data is read; then
    each tensor is read, cast to ``dtype`` (or float32 where ``keep_float32(name)``) and
    assigned in place of the module's own parameter; ``progress`` counts each tensor.
    Returns ``module``.
    """
    import torch

    folder = Path(folder)
    report = check_folder(folder)
    found: dict[str, tuple[int, ...]] = {}
    where: dict[str, str] = {}
    for rel in report.dit_shards:
        for k, shape in safetensors_shapes(folder / rel).items():
            found[k], where[k] = shape, rel
    expected = {k: tuple(v.shape) for k, v in module.state_dict(keep_vars=True).items()}
    compare_shapes(expected, found, file_of=lambda k: where.get(k, DIT_INDEX_FILE), what="DiT")
    shard = None
    for rel, name, t in iter_dit_tensors(folder, None, "cpu"):
        if check_cancel is not None:  # a cancel during the 20 GB read stops within a tensor
            check_cancel()
        if progress is not None and shard is not None and rel != shard:
            progress.file_done(folder / shard)
        shard = rel
        target = torch.float32 if keep_float32 is not None and keep_float32(name) else dtype
        nbytes = _stored_bytes(t)
        assign_tensor(module, name, _cast(t, target, device))
        del t
        if progress is not None:
            progress.tensor(folder / rel, nbytes)
    if progress is not None and shard is not None:
        progress.file_done(folder / shard)
    return module


def load_pth(path: str | Path) -> dict[str, torch.Tensor]:
    """Load a ``.pth`` state dict safely: ``weights_only=True``, memory-mapped when possible.

    A pickle that asks for anything beyond tensors (i.e. would run code) is refused with
    :class:`CheckpointError` and never executed.
    """
    import pickle

    import torch

    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path} does not exist.", _DOWNLOAD_ADVICE)
    if is_lfs_pointer(path):
        raise CheckpointError(
            f"{path} is a Git-LFS pointer stub, not the weights.", _DOWNLOAD_ADVICE
        )
    mmap = zipfile.is_zipfile(path)  # mmap needs the zip format of torch.save
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True, mmap=mmap)
    except pickle.UnpicklingError as e:
        # Running code needs an imported callable (GLOBAL / STACK_GLOBAL → "Unsupported
        # global") or the INST / OBJ opcodes (105, 111); other refusals are damaged bytes.
        text = str(e)
        wants_code = any(
            marker in text
            for marker in ("Unsupported global", "Unsupported class", "operand 105", "operand 111")
        )
        if wants_code:
            raise CheckpointError(
                f"{path} contains code, refused: it asks to run Python objects that are not "
                "weights, which Artifex never executes.",
                "Delete this file and download the original from Wan-AI/Wan2.2-TI2V-5B.",
            ) from None
        # torch's own text suggests weights_only=False: never show that advice to a user.
        reason = (
            text.split("WeightsUnpickler error:")[-1].strip().splitlines()[0]
            if text.strip()
            else ""
        )
        raise CheckpointError(
            f"{path} is damaged: it is not a readable weights file ({reason[:200]}).",
            _DOWNLOAD_ADVICE,
        ) from None
    except (RuntimeError, EOFError, OSError, ValueError) as e:
        raise CheckpointError(f"{path} is damaged or truncated ({e}).", _DOWNLOAD_ADVICE) from None
    if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict):
        obj = obj["state_dict"]
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise CheckpointError(f"{path} does not hold a dictionary of tensors.", _DOWNLOAD_ADVICE)
    return obj


def load_mapped_pth_into(
    module: torch.nn.Module,
    path: str | Path,
    map_key: Callable[[str], str],
    dtype: torch.dtype | None,
    device: Any,
    *,
    what: str,
    skip_expected: Iterable[str] = (),
    state: dict[str, torch.Tensor] | None = None,
    progress: LoadMeter | None = None,
) -> torch.nn.Module:
    """Load a Wan ``.pth`` into a module with other names (T5, VAE): strict, per tensor.

    ``map_key`` turns a file key into a module key; ``skip_expected`` lists module keys the
    file legitimately lacks (tied weights). Tensors are popped from the memory-mapped dict
    and cast one at a time. ``state`` is the already loaded (mmap) dict of ``path``, if any.
    """
    path = Path(path)
    state = state if state is not None else load_pth(path)  # emptied as tensors are assigned
    try:
        mapped = {map_key(k): k for k in state}
    except KeyError as e:
        raise CheckpointError(
            f"{path} holds tensor {e.args[0]!r}, which is not part of the {what} of {MODEL_NAME}.",
            _DOWNLOAD_ADVICE,
        ) from None
    skip = set(skip_expected)
    expected = {
        k: tuple(v.shape) for k, v in module.state_dict(keep_vars=True).items() if k not in skip
    }
    found = {hf: tuple(state[wan].shape) for hf, wan in mapped.items()}
    compare_shapes(expected, found, file_of=lambda _k: path.name, what=what)
    if progress is not None:
        progress.opened(path, len(mapped))
    for hf, wan in mapped.items():
        source = state.pop(wan)
        nbytes = _stored_bytes(source)
        assign_tensor(module, hf, _cast(source, dtype, device))
        del source
        if progress is not None:
            progress.tensor(path, nbytes)
    if progress is not None:
        progress.file_done(path)
    return module
