"""Weights room: the checkpoint folder without torch (folder), tensor streaming (stream),
weight formats per part (formats), fp8 weights kept fp8 (fp8) and LoRAs (lora)."""
