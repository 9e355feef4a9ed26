"""Weights room: the checkpoint folder without torch (folder), tensor streaming (stream)."""
