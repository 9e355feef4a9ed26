"""What a path holds, for ``artifex-cli doctor --model PATH…`` and the GUI: a model folder of
any layout (each part with format, dtype, size, parameter count, and what is missing), a
single model file, or a LoRA (style, rank, alpha, targeted modules)."""

from __future__ import annotations

from pathlib import Path

from engine.errors import CheckpointError
from engine.weights.formats import detect_folder, inspect_file
from engine.weights.formats.classify import is_lora
from engine.weights.formats.detect import human_size
from engine.weights.formats.files import read_header


def describe_path(path: str | Path) -> tuple[bool, list[str]]:
    """``(usable, lines)``: what ``path`` is, in sentences a person reads."""
    path = Path(path)
    if path.is_dir():
        found = detect_folder(path)
        lines = [f"{path}: model folder"]
        lines += [f"  {line}" for line in found.describe_lines()]
        if found.refused:
            lines.append(f"  REFUSED: {found.refused}")
        lines += [f"  problem: {p}" for p in found.problems]
        return found.ok, lines
    if not path.exists():
        return False, [f"{path}: does not exist"]
    if path.suffix.lower() == ".safetensors":
        try:
            header = read_header(path)
        except (OSError, ValueError) as e:
            return False, [f"{path}: cannot be read ({e})"]
        if is_lora(header.tensors):
            return _describe_lora(path)
    part, problems = inspect_file(path)
    if part is None:
        return False, [f"{path}: " + (problems[0] if problems else "not recognised")]
    return not problems, [f"{path}: {part.part.replace('_', ' ')}, {part.describe()}"] + [
        f"  problem: {p}" for p in problems
    ]


def _describe_lora(path: Path) -> tuple[bool, list[str]]:
    from engine.weights.lora import parse_lora

    try:
        lora = parse_lora(path)
    except CheckpointError as e:
        return False, [f"{path}: {e}"]
    return True, [f"{path}: {lora.describe()}, {human_size(path.stat().st_size)}"]
