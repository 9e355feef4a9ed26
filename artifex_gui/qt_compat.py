"""Work-around for the Qt binding we run on: PySide6 6.12.0 on Python < 3.12.

That PySide6 returns ``None``, ``True`` and ``False`` from its C++ wrappers without taking a
reference (safe on Python 3.12+, where these objects are immortal).  On Python 3.10/3.11
every ``label.setText()``, ``item.setPos()`` or ``signal.emit()`` then lowers their reference
count by one, and after some thousands of calls — one generation run with a live chart — the
interpreter aborts with "Fatal Python error: none_dealloc" (or ``bool_dealloc``).

We probe for the leak and, only when it is there, do what Python 3.12 does: give the three
singletons a reference count so large that no leak can reach zero.  They are never freed in a
healthy process anyway, so this changes nothing else.  The real fix is Python ≥ 3.12 for the
shipped app (or a PySide6 without the bug).
"""

from __future__ import annotations

import ctypes
import sys

_FIXED = False
_HEADROOM = 1 << 40  # ~1e12 calls before anything could happen


def leaks_singleton_refs() -> bool:
    """True when void PySide6 calls drop a reference to None (or emit() to True)."""
    if sys.version_info >= (3, 12):
        return False  # immortal singletons: nothing can go wrong
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(16):
        probe.setObjectName("probe")  # void → None
        probe.ping.emit()  # → True
    return sys.getrefcount(None) < none_before - 8 or sys.getrefcount(True) < true_before - 8


def fix_singleton_refcounts() -> bool:
    """Apply the work-around if this runtime needs it; True when applied."""
    global _FIXED
    if _FIXED:
        return True
    if not leaks_singleton_refs():
        return False
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt is the first field
        refcount.value += _HEADROOM
    _FIXED = True
    return True
