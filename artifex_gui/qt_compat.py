"""Work-arounds for bugs in the Qt binding we ship with.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference, so
every emit from Python lowers ``True``'s reference count by one.  On Python < 3.12 (no
immortal objects) a few thousand emits — one generation run — bring it to zero and the
interpreter aborts with "Fatal Python error: bool_dealloc".  We probe for the leak and, only
when it is there, wrap ``emit`` to give the missing reference back.
"""

from __future__ import annotations

import ctypes
import sys

_PATCHED = False


def _emit_leaks_bool_refs() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) < before - 4


def fix_signal_emit_refcount() -> bool:
    """Install the wrapper if this PySide6 leaks; True when it was needed."""
    global _PATCHED
    if _PATCHED:
        return True
    if not _emit_leaks_bool_refs():
        return False
    from PySide6.QtCore import SignalInstance

    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None

    def emit(self, *args):
        result = original(self, *args)
        incref(result)  # the reference emit() forgot to take
        return result

    SignalInstance.emit = emit
    _PATCHED = True
    return True
