"""Widgets.  Each binds to a state object from ``artifex_gui.model`` or the settings store
and never calls the engine."""
