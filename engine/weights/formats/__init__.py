"""Weight formats: recognise a folder or files per part, read them under the original names.

``detect_parts`` (torch-free) says which format each part is in and what is missing;
``iter_tensors`` reads a part's tensors under the original Wan2.2 checkpoint names.
"""

from __future__ import annotations

from engine.weights.formats.detect import (
    PART_LABELS,
    PARTS,
    ModelParts,
    Part,
    find_tokenizer,
    inspect_file,
)
from engine.weights.formats.layouts import check_parts, detect_folder, detect_parts

__all__ = [
    "PARTS",
    "PART_LABELS",
    "ModelParts",
    "Part",
    "check_parts",
    "detect_folder",
    "detect_parts",
    "find_tokenizer",
    "inspect_file",
]
