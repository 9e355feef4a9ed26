"""Run room: the Engine and its stages, offload, multi-GPU, and the built-in demo folder."""
