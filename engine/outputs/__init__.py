"""Outputs room: the mp4 writer, run reports and their formatting (CLI and GUI)."""
