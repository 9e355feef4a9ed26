"""Attention backends: chunked attention equals SDPA for any length and chunk."""

from __future__ import annotations

import pytest
import torch

from engine.nets.attention import available_backends, chunked_fn, resolve, sdpa_fn, self_test


def _qkv(lq: int, lk: int, heads: int = 3, d: int = 32, seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    q = torch.randn(2, heads, lq, d, generator=gen)
    k = torch.randn(2, heads, lk, d, generator=gen)
    v = torch.randn(2, heads, lk, d, generator=gen)
    return q, k, v


@pytest.mark.parametrize("lq,lk", [(1, 1), (7, 7), (129, 129), (257, 77), (1001, 513)])
@pytest.mark.parametrize("chunk", [1, 3, 64, 100, 5000])
def test_chunked_equals_sdpa(lq: int, lk: int, chunk: int):
    q, k, v = _qkv(lq, lk, seed=lq * 31 + chunk)
    ref = sdpa_fn("math")(q, k, v)
    out = chunked_fn(sdpa_fn("math"), chunk)(q, k, v)
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-6)


def test_chunked_with_size_function_and_resolve():
    q, k, v = _qkv(300, 300)
    calls = []

    def size(qq, kk):
        calls.append(qq.shape[2])
        return 37

    out = chunked_fn(sdpa_fn(None), size)(q, k, v)
    assert calls == [300]
    torch.testing.assert_close(out, sdpa_fn("math")(q, k, v), rtol=1e-5, atol=1e-6)
    resolved = resolve("chunked", torch.device("cpu"), torch.float32, 3, 32, chunk=50)
    assert resolved.kernel.startswith("chunked(") and "50" in resolved.kernel
    torch.testing.assert_close(resolved.fn(q, k, v), sdpa_fn("math")(q, k, v), rtol=1e-5, atol=1e-6)


def test_chunked_auto_size_from_free_memory_is_exact():
    q, k, v = _qkv(513, 513)
    resolved = resolve("chunked", torch.device("cpu"), torch.float32, 3, 32)
    assert "auto" in resolved.kernel
    torch.testing.assert_close(resolved.fn(q, k, v), sdpa_fn("math")(q, k, v), rtol=1e-5, atol=1e-6)


def test_self_test_refuses_a_wrong_kernel():
    def wrong(q, k, v):
        return sdpa_fn("math")(q, k, v) * 1.1

    assert self_test(sdpa_fn("math"), torch.device("cpu"), torch.float32, 32, 1e-3)
    assert not self_test(wrong, torch.device("cpu"), torch.float32, 32, 1e-3)

    def broken(q, k, v):
        raise RuntimeError("no kernel image")

    assert not self_test(broken, torch.device("cpu"), torch.float32, 32, 1e-3)


def test_backends_listed_and_unknown_kernel_refused_clearly():
    names = available_backends("cpu", "fp32")
    assert names[:2] == ["auto", "sdpa"] and "math" in names and names[-1] == "chunked"
    assert "cudnn" not in names  # no CUDA here
    with pytest.raises(ValueError, match="does not work"):
        resolve("cudnn", torch.device("cpu"), torch.float32, 2, 32)
