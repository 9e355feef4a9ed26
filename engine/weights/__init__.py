"""The weights room: where model files are found, recognised, read and adapted (LoRA, fp8)."""
