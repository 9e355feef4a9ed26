"""Twenty runs in one Engine grow neither memory nor open files."""

from __future__ import annotations

import gc

from engine import events as ev
from engine.cancel import CancelToken
from engine.run.runner import Engine
from tests.fixtures_runs import request_for, run


def test_soak_twenty_runs_in_one_engine_do_not_grow_memory_or_file_handles(
    tiny_checkpoint_dir, tmp_path
):
    """20 runs of the demo-sized model in one Engine — finished, cancelled and failed ones
    mixed — leave RSS within a small bound and exactly as many open file handles."""
    import psutil

    process = psutil.Process()
    soak_engine = Engine()
    out = tmp_path / "soak"

    def one(i: int):
        cancel = CancelToken()
        req = request_for(
            tiny_checkpoint_dir, out / f"v{i}.mp4", width=64, height=64, frames=5, steps=1, seed=i
        )
        if i % 5 == 3:  # a bad picture: refused early
            bad = out / "bad.png"
            bad.parent.mkdir(parents=True, exist_ok=True)
            bad.write_text("no")
            req = req.replace(image_path=str(bad))
        on_event = (
            (lambda e: cancel.cancel() if isinstance(e, ev.DecodeProgress) else None)
            if i % 5 == 4
            else None
        )
        return run(soak_engine, req, cancel, on_event)[0]

    for i in range(3):  # warm-up: imports, the loaded model, allocator pools
        one(i)
    gc.collect()
    rss_before, fds_before = process.memory_info().rss, process.num_fds()
    finals = [one(i) for i in range(3, 23)]
    gc.collect()
    rss_growth = process.memory_info().rss - rss_before
    assert sum(isinstance(f, ev.RunFinished) for f in finals) == 12
    assert sum(isinstance(f, ev.RunCancelled) for f in finals) == 4
    assert sum(isinstance(f, ev.RunFailed) for f in finals) == 4
    assert process.num_fds() <= fds_before, f"file handles {fds_before} → {process.num_fds()}"
    assert rss_growth < 64 * 2**20, f"RSS grew by {rss_growth / 2**20:.0f} MiB over 20 runs"
    assert len(list(out.glob("*.mp4"))) == 3 + 12 and not [
        p for p in out.iterdir() if ".part" in p.name
    ]
