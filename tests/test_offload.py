"""Offload: streamed blocks compute the same result as resident ones, and copies are counted."""

from __future__ import annotations

import torch

from engine.config import WanConfig
from engine.nets.dit import WanModel
from engine.run.offload import BlockStreamer, ModelSwap, choose_offload_mode
from engine.telemetry import TransferMeter

GiB = 1024**3


def _model(seed=0):
    torch.manual_seed(seed)
    m = WanModel(WanConfig(dim=64, ffn_dim=96, num_heads=2, num_layers=3, text_dim=16)).eval()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn_like(p) * 0.05)
    return m


def _inputs():
    g = torch.Generator().manual_seed(3)
    return torch.randn(1, 48, 2, 4, 4, generator=g), torch.tensor([[500.0]]), [8], torch.randn(1, 5, 16, generator=g)


def test_block_streaming_equals_resident_and_counts_bytes():
    model = _model()
    lat, t, seg, ctx = _inputs()
    with torch.no_grad():
        ref = model(lat, t, seg, ctx)
    meter = TransferMeter()
    streamer = BlockStreamer(model.blocks, torch.device("cpu"), meter)
    with torch.no_grad():
        out1 = model(lat, t, seg, ctx)
        out2 = model(lat, t, seg, ctx)
    torch.testing.assert_close(out1, ref, rtol=0, atol=0)
    torch.testing.assert_close(out2, ref, rtol=0, atol=0)
    taken = meter.take()
    # every block is copied once per pass (the wrap-around prefetch of block 0 included)
    assert taken.bytes >= 2 * 3 * streamer.block_bytes
    # after a pass the blocks point at host memory again, not at a slot
    for name, p in model.blocks[1].named_parameters():
        assert p.data_ptr() == streamer._host[1][name].data_ptr()
    streamer.remove()


def test_slots_exist_only_while_the_blocks_run_and_come_back_for_the_next_pass():
    """The two device slots are allocated at the first block's use, given back by
    release_slots (block mode: after the phase that runs the model) and allocated again by
    the next pass, whose result is unchanged."""
    from types import SimpleNamespace

    from engine.run.offload import streaming_only

    model = _model()
    lat, t, seg, ctx = _inputs()
    with torch.no_grad():
        ref = model(lat, t, seg, ctx)
    dit = BlockStreamer(model.blocks, torch.device("cpu"), TransferMeter(), name="dit")
    other = BlockStreamer(_model(1).blocks, torch.device("cpu"), TransferMeter(), name="text_encoder")
    assert dit.slots is None and dit.device_bytes() == 0  # nothing on the device before use
    with torch.no_grad():
        model(lat, t, seg, ctx)
    assert dit.slots is not None and dit.device_bytes() == 2 * dit.block_bytes
    other._ensure_slots()
    streaming_only(SimpleNamespace(streamers=[dit, other]), "dit")  # the DiT's phase
    assert dit.slots is not None and other.slots is None
    streaming_only(SimpleNamespace(streamers=[dit, other]), None)  # e.g. the decode
    assert dit.slots is None and dit.slot_block == [-1, -1] and dit.device_bytes() == 0
    with torch.no_grad():
        again = model(lat, t, seg, ctx)
    torch.testing.assert_close(again, ref, rtol=0, atol=0)
    dit.remove()
    assert dit.slots is None
    other.remove()


def test_model_swap_round_trip_and_meter():
    model = _model()
    meter = TransferMeter()
    swap = ModelSwap(model, torch.device("cpu"), meter)
    swap.to_device()
    swap.to_device()  # no second copy
    assert meter.take().bytes == sum(p.numel() * p.element_size() for p in model.state_dict().values())
    swap.to_host()
    assert not swap.on_device


def test_auto_mode_choice():
    cuda = torch.device("cuda")
    assert choose_offload_mode(torch.device("cpu"), 10, 10, 10, 10) == "none"
    assert choose_offload_mode(cuda, 10 * GiB, 11 * GiB, 1 * GiB, 3 * GiB, free_bytes=40 * GiB) == "none"
    assert choose_offload_mode(cuda, 10 * GiB, 11 * GiB, 1 * GiB, 3 * GiB, free_bytes=20 * GiB) == "model"
    assert choose_offload_mode(cuda, 10 * GiB, 11 * GiB, 1 * GiB, 3 * GiB, free_bytes=8 * GiB) == "block"


# ---------------------------------------------------------------- one page-locked buffer per block


def test_pinned_buffer_views_equal_the_tensors_and_are_registered_once():
    from engine.run.offload import PinnedBuffer

    g = torch.Generator().manual_seed(5)
    tensors = {
        "w": torch.randn(7, 5, generator=g, dtype=torch.float32).to(torch.bfloat16),
        "b": torch.randn(3, generator=g),  # float32 after a bf16 tensor of 70 bytes
        "m": torch.randn(1, 6, 4, generator=g, dtype=torch.float64),
        "empty": torch.zeros(0),
    }
    calls, released = [], []

    def register(ptr, nbytes):
        calls.append((ptr, nbytes))
        return lambda: released.append(ptr)

    packed = PinnedBuffer(tensors, register)
    base = packed.buffer.data_ptr()
    ends = []
    for name, t in tensors.items():
        v = packed.views[name]
        assert v.shape == t.shape and v.dtype == t.dtype and torch.equal(v, t)
        assert v.untyped_storage().data_ptr() == base  # a view of the one buffer, not a copy
        if t.numel() == 0:  # an empty view's data_ptr means nothing
            continue
        offset = v.data_ptr() - base
        assert offset % 256 == 0
        ends.append((offset, offset + t.numel() * t.element_size()))
    spans = sorted(e for e in ends if e[1] > e[0])
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # no two tensors overlap
    assert spans[-1][1] <= packed.nbytes == packed.buffer.numel()
    assert packed.nbytes == 256 * 3  # 70, 12 and 192 bytes, each rounded up to 256
    assert calls == [(base, packed.nbytes)]
    tensors["w"].zero_()  # the views own their bytes
    assert packed.views["w"].abs().sum() > 0
    packed.release()
    packed.release()
    assert released == [base]  # unregistered exactly once


def test_pinned_buffer_is_unregistered_when_collected():
    import gc

    from engine.run.offload import PinnedBuffer

    released = []
    packed = PinnedBuffer({"x": torch.ones(10)}, lambda ptr, n: (lambda: released.append(n)))
    del packed
    gc.collect()
    assert released == [256]


def test_block_streaming_from_buffers_equals_resident_for_every_pin_mode():
    lat, t, seg, ctx = _inputs()
    for pin in ("buffer", "per_tensor", "pageable"):
        model = _model()
        with torch.no_grad():
            ref = model(lat, t, seg, ctx)
        streamer = BlockStreamer(model.blocks, torch.device("cpu"), TransferMeter(), pin=pin)
        with torch.no_grad():
            out = model(lat, t, seg, ctx)
        torch.testing.assert_close(out, ref, rtol=0, atol=0)
        if pin == "buffer":
            assert len(streamer._buffers) == 3
            for block, packed in zip(model.blocks, streamer._buffers):
                for name, p in block.named_parameters():
                    assert p.data_ptr() == packed.views[name].data_ptr()
            assert streamer.host_bytes() == sum(p.nbytes for p in streamer._buffers) >= 3 * streamer.block_bytes
        streamer.remove()
