"""Networks room: the DiT, the umT5 text encoder, the Wan2.2 VAE and attention kernels."""
