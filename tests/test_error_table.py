"""The speed-up error table (bench/error_table.py) on the tiny random model: sane numbers —
exact where the mechanism must be exact, small and non-zero where it approximates.  The
table itself, for docs/PERFORMANCE.md, comes from ``python bench/error_table.py``."""

from __future__ import annotations

import math

from bench.error_table import error_rows, markdown


def test_error_table_is_sane_on_the_tiny_model():
    steps = 12
    rows = error_rows(steps, size="64*64", frames=5)
    print("\n" + markdown(rows, steps, "64*64", 5))
    by = {r.mode: r for r in rows}
    exact = by["exact (UniPC, CFG 5)"]
    assert (exact.passes_computed, exact.passes_total) == (2 * steps, 2 * steps)
    assert by["magcache 0 (no reuse)"].latent_rel_err == 0 and math.isinf(
        by["magcache 0 (no reuse)"].video_psnr_db
    )
    one = by["one pass, guidance 1.0"]
    assert (one.passes_computed, one.passes_total) == (steps, steps) and one.latent_rel_err < 1e-6
    for cache, low, high in (
        ("magcache", 0.06, 0.12),
        ("easycache", 0.05, 0.1),
        ("fbc", 0.05, 0.1),
    ):
        a, b = by[f"{cache} {low:g}"], by[f"{cache} {high:g}"]
        assert b.passes_computed <= a.passes_computed <= 2 * steps
        for row in (a, b):
            if row.passes_computed < row.passes_total:  # something was reused: an approximation
                assert 0 < row.latent_rel_err < 0.5 and 20 < row.video_psnr_db
            else:
                assert row.latent_rel_err == 0
    assert any(
        r.passes_computed < r.passes_total for r in rows if r.mode.startswith("magcache 0.")
    ), rows
