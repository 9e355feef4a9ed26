"""Sampling room: flow-matching solvers and the denoise loop."""
