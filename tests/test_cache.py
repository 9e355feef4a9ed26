"""Step caches (DESIGN.md §9): decision sequences on recorded inputs equal re-implementations
of the published rules written here, and the residual mechanics (reuse = x + r)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.errors import RequestError
from engine.sampling.cache import (
    COND,
    UNCOND,
    EasyCacheRule,
    FirstBlockRule,
    MagCacheRule,
    expected_remaining_passes,
    mag_ratios_for,
    magcache_table,
    make_step_cache,
)

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "magcache_ti2v5b.json"


# --------------------------------------------------------------------------- MagCache


def _published_interp(src, n):
    src = np.array(src)
    if n == 1:
        return np.array([src[-1]])
    scale = (len(src) - 1) / (n - 1)
    return src[np.round(np.arange(n) * scale).astype(int)]


def _published_ratios(ratios, steps):
    ratios = np.array(ratios)
    if len(ratios) != steps * 2:
        c = _published_interp(ratios[0::2], steps)
        u = _published_interp(ratios[1::2], steps)
        ratios = np.concatenate([c.reshape(-1, 1), u.reshape(-1, 1)], axis=1).reshape(-1)
    return ratios


def _published_magcache(ratios, steps, thresh, k, retention, one_pass=False):
    """MagCache4Wan2.2's forward, call by call (cnt counts cond and uncond calls)."""
    num_steps = steps * 2
    acc_ratio, acc_steps, acc_err = [1.0, 1.0], [0, 0], [0, 0]
    out = []
    for cnt in range(num_steps):
        if one_pass and cnt % 2:
            continue
        skip = False
        if cnt >= int(num_steps * retention):
            acc_ratio[cnt % 2] = acc_ratio[cnt % 2] * ratios[cnt]
            acc_steps[cnt % 2] += 1
            acc_err[cnt % 2] += np.abs(1 - acc_ratio[cnt % 2])
            if acc_err[cnt % 2] < thresh and acc_steps[cnt % 2] <= k:
                skip = True
            else:
                acc_err[cnt % 2] = 0
                acc_steps[cnt % 2] = 0
                acc_ratio[cnt % 2] = 1.0
        out.append(not skip)
    return out


def test_magcache_table_is_the_published_file():
    table = magcache_table()
    if REFERENCE.exists():
        ref = json.loads(REFERENCE.read_text())
        assert list(table.t2v) == ref["mag_ratios_t2v"] and list(table.i2v) == ref["mag_ratios_i2v"]
    assert len(table.t2v) == len(table.i2v) == 100
    assert (table.threshold, table.max_skips, table.retention) == (0.06, 2, 0.2)


@pytest.mark.parametrize("steps", [50, 30, 20, 8, 1])
@pytest.mark.parametrize("image", [False, True], ids=["t2v", "i2v"])
@pytest.mark.parametrize("thresh", [0.0, 0.06, 0.12, 0.5])
@pytest.mark.parametrize("one_pass", [False, True], ids=["cfg", "one-pass"])
def test_magcache_decisions_equal_published_rule(steps, image, thresh, one_pass):
    table = magcache_table()
    published_ratios = _published_ratios(table.i2v if image else table.t2v, steps)
    ours_ratios = mag_ratios_for(steps, image)
    assert np.array_equal(ours_ratios, published_ratios)
    expected = _published_magcache(published_ratios, steps, thresh, 2, 0.2, one_pass)
    rule = MagCacheRule(ours_ratios, steps, thresh, 2, 0.2)
    kinds = (COND,) if one_pass else (COND, UNCOND)
    got = [rule.decide(step, kind) for step in range(steps) for kind in kinds]
    assert got == expected
    if thresh == 0:
        assert all(got)
    if thresh >= 0.06 and steps == 50:
        assert not all(got)  # the published setting does skip at 50 steps
        assert all(got[: 10 * len(kinds)])  # never in the first 20 % of calls


def test_magcache_published_setting_at_50_steps_skips_about_half():
    rule = MagCacheRule(mag_ratios_for(50, False), 50, 0.06, 2, 0.2)
    computed = sum(rule.decide(s, k) for s in range(50) for k in (COND, UNCOND))
    # the reported ~1.97× on an L20 at 720p: about half the 100 passes run
    assert 40 <= computed <= 60, computed


def test_magcache_expected_pattern_is_the_real_one():
    cache = make_step_cache("magcache", None, 50, image_conditioned=True)
    expected = cache.expected_pattern((COND, UNCOND))
    twin = MagCacheRule(mag_ratios_for(50, True), 50, 0.06, 2, 0.2)
    assert [list(row) for row in expected] == [
        [twin.decide(s, k) for k in (COND, UNCOND)] for s in range(50)
    ]


# --------------------------------------------------------------------------- EasyCache


def _recorded_trajectory(steps: int, seed: int = 0):
    """A recorded cond sequence (latent input x_t, model output v_t) like a flow sampler's:
    x moves toward the data along v; v drifts slowly, faster near the end."""
    gen = torch.Generator().manual_seed(seed)
    noise = torch.randn(4, 3, 6, 6, generator=gen)
    data = torch.randn(4, 3, 6, 6, generator=gen)
    sigmas = torch.linspace(1.0, 0.0, steps + 1)[:-1]
    xs, vs = [], []
    for i, s in enumerate(sigmas):
        drift = 0.05 * (0.5 + i / steps) * torch.randn(4, 3, 6, 6, generator=gen)
        xs.append((1 - s) * data + s * noise)
        vs.append(noise - data + drift + 0.001 * i)
    return xs, vs


def _published_easycache(xs, vs, steps, thresh, ret_steps=10):
    """EasyCache4Wan2.1's forward with interleaved (cond, uncond) calls; returns the compute
    flags of every call."""
    s = {
        "prev_in": None,
        "prev_out": None,
        "pp_in": None,
        "k": None,
        "acc": 0,
        "pair": True,
        "cache_even": None,
        "cache_odd": None,
    }
    out = []
    for cnt in range(steps * 2):
        step, is_even = cnt // 2, cnt % 2 == 0
        raw_input = xs[step].clone()
        if is_even:
            if cnt < ret_steps * 2 or cnt >= steps * 2 - 2:
                s["pair"] = True
                s["acc"] = 0
            elif s["prev_in"] is not None and s["prev_out"] is not None:
                raw_input_change = (raw_input - s["prev_in"]).flatten().abs().mean()
                if s["k"] is not None:
                    output_norm = s["prev_out"].flatten().abs().mean()
                    s["acc"] += s["k"] * (raw_input_change / output_norm)
                    if s["acc"] < thresh:
                        s["pair"] = False
                    else:
                        s["pair"] = True
                        s["acc"] = 0
                else:
                    s["pair"] = True
            else:
                s["pair"] = True
            s["prev_in"] = raw_input.clone()
        if is_even and not s["pair"] and s["prev_out"] is not None:
            out.append(False)
            continue
        if not is_even and not s["pair"] and s["cache_odd"] is not None:
            out.append(False)
            continue
        output = vs[step] * (1.0 if is_even else 0.9)
        if is_even:
            if s["prev_out"] is not None:
                output_change = (output - s["prev_out"]).flatten().abs().mean()
                if s["pp_in"] is not None:
                    input_change = (s["prev_in"] - s["pp_in"]).flatten().abs().mean()
                    s["k"] = output_change / input_change
            s["pp_in"] = s["prev_in"]
            s["prev_out"] = output.clone()
            s["cache_even"] = output - raw_input
        else:
            s["cache_odd"] = output - raw_input
        out.append(True)
    return out


def _ours_easycache(xs, vs, steps, thresh):
    rule = EasyCacheRule(steps, thresh)
    has = [False, False]
    out = []
    for step in range(steps):
        for kind in (COND, UNCOND):
            compute = rule.decide(step, kind, xs[step], has[kind])
            if compute:
                has[kind] = True
                rule.observe(kind, vs[step] * (1.0 if kind == COND else 0.9))
            out.append(compute)
    return out


@pytest.mark.parametrize("steps", [50, 20, 12])
@pytest.mark.parametrize("thresh", [0.0, 0.02, 0.05, 0.1, 0.2])
def test_easycache_decisions_equal_published_rule(steps, thresh):
    xs, vs = _recorded_trajectory(steps)
    expected = _published_easycache(xs, vs, steps, thresh)
    got = _ours_easycache(xs, vs, steps, thresh)
    assert got == expected
    assert all(got[:20]) and all(got[-2:])  # warm-up 10 steps, last step always computed
    if thresh == 0:
        assert all(got)


def test_easycache_skips_at_published_thresholds_and_more_with_higher():
    xs, vs = _recorded_trajectory(50)
    computed = {t: sum(_ours_easycache(xs, vs, 50, t)) for t in (0.05, 0.1, 0.2)}
    assert 22 < computed[0.2] < computed[0.1] < computed[0.05] < 100, computed


# --------------------------------------------------------------------------- first-block cache


def _recorded_first_residuals(steps: int, seed: int = 3):
    gen = torch.Generator().manual_seed(seed)
    base = torch.randn(1, 16, 8, generator=gen)
    return [
        [base * (1 + 0.05 * i) + 0.02 * torch.randn(1, 16, 8, generator=gen) for _ in range(2)]
        for i in range(steps)
    ]


def _published_fbc(residuals, thresh):
    """diffusers' FBCHeadBlockHook: per cache context, compare with the head residual of the
    last computed call; compute when diff > threshold; store the residual on compute."""
    state = [None, None]
    out = []
    for row in residuals:
        for kind in (0, 1):
            r = row[kind]
            if state[kind] is None:
                compute = True
            else:
                prev = state[kind]
                diff = ((r - prev).abs().mean() / prev.abs().mean()).item()
                compute = diff > thresh
            if compute:
                state[kind] = r
            out.append(compute)
    return out


@pytest.mark.parametrize("thresh", [0.0, 0.05, 0.1, 0.3])
def test_fbc_decisions_equal_diffusers_rule(thresh):
    residuals = _recorded_first_residuals(30)
    rule = FirstBlockRule(thresh)
    got = [rule.decide(kind, row[kind]) for row in residuals for kind in (0, 1)]
    assert got == _published_fbc(residuals, thresh)
    if thresh == 0:
        assert all(got)
    if thresh == 0.3:
        assert not all(got)


# --------------------------------------------------------------------------- residual mechanics


def _toy_blocks(weights: list[torch.Tensor]):
    """In-place 'blocks' like the DiT's: x += tanh(x @ W)."""
    calls = []

    def run(x: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        for i in range(start, stop):
            calls.append(i)
            x.add_(torch.tanh(x @ weights[i]))
        return x

    return run, calls


@pytest.mark.parametrize("mode", ["magcache", "easycache", "fbc"])
def test_threshold_zero_runs_every_block_and_returns_the_uncached_tokens(mode):
    gen = torch.Generator().manual_seed(0)
    weights = [0.3 * torch.randn(8, 8, generator=gen) for _ in range(3)]
    cache = make_step_cache(mode, 0.0, 12, image_conditioned=False)
    for step in range(12):
        for kind in (COND, UNCOND):
            x = torch.randn(1, 5, 8, generator=gen)
            plain_run, _ = _toy_blocks(weights)
            plain = plain_run(x.clone(), 0, 3)
            run, calls = _toy_blocks(weights)
            call = cache.begin(step, kind, torch.zeros(2, 2))
            got = call(x.clone(), run, 3)
            cache.end(call, torch.full((2, 2), float(step)))
            assert calls == [0, 1, 2] and call.computed
            assert torch.equal(got, plain)
    assert cache.counts() == (24, 0)


def test_reused_call_is_x_plus_the_last_residual_of_its_kind():
    gen = torch.Generator().manual_seed(1)
    weights = [0.3 * torch.randn(8, 8, generator=gen) for _ in range(2)]
    cache = make_step_cache("magcache", 10.0, 50, image_conditioned=False)  # reuse whenever allowed
    residual = {}
    pattern = []
    for step in range(50):
        for kind in (COND, UNCOND):
            x = torch.randn(1, 5, 8, generator=gen) + kind
            run, calls = _toy_blocks(weights)
            call = cache.begin(step, kind, x)
            got = call(x.clone(), run, 2)
            cache.end(call, got)
            if call.computed:
                assert calls == [0, 1]
                residual[kind] = got - x
            else:
                assert calls == [] and torch.equal(got, x + residual[kind])
            pattern.append(call.computed)
    assert all(pattern[:20]) and not all(pattern)
    # K = 2: never more than two reuses in a row per kind
    for kind in (0, 1):
        run_len = 0
        for flag in pattern[kind::2]:
            run_len = 0 if flag else run_len + 1
            assert run_len <= 2
    computed, reused = cache.counts()
    assert computed + reused == 100 and reused == pattern.count(False)


def test_fbc_reuse_adds_the_tail_residual_to_block_zero_output():
    gen = torch.Generator().manual_seed(2)
    weights = [0.3 * torch.randn(8, 8, generator=gen) for _ in range(3)]
    cache = make_step_cache("fbc", 10.0, 4, image_conditioned=False)
    x = torch.randn(1, 5, 8, generator=gen)
    run, calls = _toy_blocks(weights)
    first = cache.begin(0, COND, x)
    full = first(x.clone(), run, 3)
    cache.end(first, full)
    head = run(x.clone(), 0, 1)
    tail = full - head.clone()
    x2 = x + 0.001
    run2, calls2 = _toy_blocks(weights)
    second = cache.begin(1, COND, x2)
    got = second(x2.clone(), run2, 3)
    cache.end(second, got)
    assert not second.computed and calls2 == [0]
    head2 = run(x2.clone(), 0, 1)
    assert torch.equal(got, head2 + tail)


def test_make_step_cache_defaults_and_refusals():
    assert make_step_cache("off", None, 50, False) is None
    assert make_step_cache("magcache", None, 50, False).threshold == 0.06
    assert make_step_cache("easycache", None, 50, False).threshold == 0.05
    assert make_step_cache("fbc", None, 50, False).threshold == 0.05
    with pytest.raises(RequestError):
        make_step_cache("teacache", None, 50, False)
    with pytest.raises(RequestError):
        make_step_cache("fbc", -0.1, 50, False)


def test_expected_remaining_passes_uses_known_decisions_and_the_observed_rate():
    expected = [(True, True), (False, True), (None, None), (None, None)]
    assert expected_remaining_passes(expected, 1, None) == 1 + 4
    assert expected_remaining_passes(expected, 1, 0.5) == 1 + 2
    assert expected_remaining_passes(expected, 4, 0.5) == 0
