"""The History tab: listing past runs from their reports, damaged reports, comparing two runs
(the table shows exactly engine.outputs.analysis.analyse's numbers), exports, refresh after a run, and
the screenshot of the comparison view in tests/_artifacts/history_compare.png."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from artifex_gui.model.history import HistoryScanner
from artifex_gui.ui.compare_view import DIFF_BACKGROUND, RAW_VALUE_ROLE
from artifex_gui.ui.history_panel import COL_MEDIAN, COL_RUN, COL_SIZE, COL_TAG, HistoryPanel
from engine import events as ev
from engine.outputs.analysis import analyse, compare
from engine.outputs.report import ReportBuilder, load_report
from engine.outputs.report_format import fmt_bytes, fmt_seconds, format_markdown
from engine.request import GenerationRequest
from tests.fake_engine import write_tiny_mp4

pytestmark = pytest.mark.gui
GiB = 2**30


def write_run(
    folder: Path,
    name: str,
    *,
    created: str,
    seconds: list[float],
    h2d: list[int] | None = None,
    prompt: str = "a lighthouse at dusk",
    offload: str = "none",
    job_peak: int = 0,
    video: bool = True,
    produced: tuple[int, int] = (256, 160),
    image_path: str | None = None,
) -> Path:
    """A report as the engine writes it (ReportBuilder fed with events), and a tiny video."""
    folder.mkdir(parents=True, exist_ok=True)
    h2d = h2d or [0] * len(seconds)
    output = folder / f"{name}.mp4"
    request = GenerationRequest(
        prompt=prompt,
        width=256,
        height=160,
        frames=17,
        steps=len(seconds),
        seed=7,
        offload_mode=offload,
        output_path=str(output),
        image_path=image_path,
    )
    builder = ReportBuilder(request, {"gpu_name": "RTX 4090", "torch": "2.6.0"})
    builder.created = created
    builder.add(ev.PhaseFinished("load", 3.5))
    builder.add(
        ev.RunStarted(
            width=produced[0],
            height=produced[1],
            frames=17,
            fps=24,
            latent_shape=(48, 5, 10, 16),
            token_count=200,
            attention_backend="auto",
            attention_kernel="sdpa-flash",
            dtype="bf16",
            device="cuda",
            offload_mode=offload,
            seed=7,
            steps=len(seconds),
            demo_model=False,
            image_conditioned=image_path is not None,
        )
    )
    builder.add(ev.PhaseFinished("encode_text", 0.75))
    for index, (s, b) in enumerate(zip(seconds, h2d)):
        builder.add(
            ev.StepFinished(
                index=index,
                total=len(seconds),
                seconds=s,
                pass_seconds=(s / 2, s / 2),
                timestep=999.0 - index,
                h2d_bytes=b,
                h2d_seconds=b / (20 * GiB),
                vram_allocated_bytes=3 * GiB,
                vram_reserved_bytes=6 * GiB,
                vram_peak_bytes=5 * GiB,
            )
        )
    builder.add(ev.PhaseFinished("denoise", sum(seconds)))
    builder.add(ev.PhaseFinished("decode", 2.25))
    builder.add(
        ev.MemorySample(
            vram_used_bytes=9 * GiB,
            vram_total_bytes=24 * GiB,
            vram_allocated_bytes=4 * GiB,
            vram_reserved_bytes=6 * GiB,
            ram_used_bytes=12 * GiB,
            ram_total_bytes=32 * GiB,
            process_rss_bytes=3 * GiB,
            source="nvml",
        )
    )
    report = folder / f"{name}.json"
    builder.add(
        ev.RunFinished(str(output), str(report), sum(seconds) + 7.0, 7, vram_peak_bytes=job_peak)
    )
    builder.write(report)
    if video:
        write_tiny_mp4(output, width=64, height=48, frames=2)
    return report


# A: median 1.0 s, spike at step 4 (1.5 s, 1 GiB copied).  B: median 0.8 s, spike at step 2
# (1.2 s, 512 MiB copied), whole-job VRAM peak 7 GiB (above the steps' 5 GiB).
A_SECONDS = [1.0, 1.0, 1.0, 1.5, 1.0, 1.1]
A_H2D = [0, 0, 0, GiB, 0, 0]
B_SECONDS = [0.8, 1.2, 0.8, 0.8, 0.8, 0.8, 0.9, 0.8]
B_H2D = [0, GiB // 2, 0, 0, 0, 0, 0, 0]


@pytest.fixture
def runs(tmp_path) -> dict[str, Path]:
    """Three good runs written out of date order, a damaged report with its video, a
    partial report, and files that must not be listed."""
    folder = tmp_path / "runs"
    paths = {
        "b": write_run(
            folder,
            "run_b",
            created="2025-08-02T10:00:00+00:00",
            seconds=B_SECONDS,
            h2d=B_H2D,
            offload="block",
            job_peak=7 * GiB,
            prompt="a cat, slowly",
        ),
        "a": write_run(
            folder, "run_a", created="2025-08-01T10:00:00+00:00", seconds=A_SECONDS, h2d=A_H2D
        ),
        "c": write_run(
            folder, "run_c", created="2025-08-03T10:00:00+00:00", seconds=[2.0, 2.0], video=False
        ),
    }
    damaged = folder / "run_damaged.json"
    damaged.write_text(paths["a"].read_text()[:300], encoding="utf-8")  # cut mid-write
    write_tiny_mp4(folder / "run_damaged.mp4", width=64, height=48, frames=2)
    paths["damaged"] = damaged
    paths["wrong"] = folder / "run_wrong.json"  # reads like a report, steps are broken
    paths["wrong"].write_text(
        json.dumps(
            {
                "format_version": 1,
                "events": [{"type": "StepFinished", "index": 0, "seconds": "slow"}],
            }
        ),
        encoding="utf-8",
    )
    (folder / "notes.json").write_text('{"colour": "blue"}', encoding="utf-8")  # not a report
    (folder / ".run_x.json.part-1234").write_text("{", encoding="utf-8")  # a temp file
    return paths


def _panel(qtbot, settings_store, folder: Path, tmp_path: Path) -> HistoryPanel:
    panel = HistoryPanel(settings_store, lambda: folder, thumbnail_dir=tmp_path / "thumbs")
    qtbot.addWidget(panel)
    panel.resize(1100, 800)
    return panel


def _scan(qtbot, panel: HistoryPanel) -> None:
    with qtbot.waitSignal(panel.scan_finished, timeout=20_000):
        panel.refresh()


def _item(panel: HistoryPanel, path: Path):
    return panel._items[str(path)]


def test_lists_runs_newest_first_with_damaged_rows(qtbot, settings_store, runs, tmp_path):
    panel = _panel(qtbot, settings_store, runs["a"].parent, tmp_path)
    _scan(qtbot, panel)

    good = [e.report_path.name for e in panel.entries if not e.damaged]
    assert good == ["run_c.json", "run_b.json", "run_a.json"]  # by report date, not file time
    assert [e.damaged for e in panel.entries] == [False, False, False, True, True]  # last
    damaged = {e.report_path.name: e for e in panel.entries if e.damaged}
    assert set(damaged) == {"run_damaged.json", "run_wrong.json"}  # notes.json, .part skipped
    assert panel.tree.topLevelItemCount() == 5

    item = _item(panel, runs["damaged"])
    assert item.text(COL_RUN).startswith("damaged")
    assert not item.flags() & Qt.ItemFlag.ItemIsSelectable
    assert item.foreground(COL_RUN).color().name() == "#5f6672"
    assert "damaged or incomplete" in item.toolTip(COL_RUN)
    assert "no valid duration" in _item(panel, runs["wrong"]).toolTip(COL_RUN)

    a = analyse(load_report(runs["a"]))
    row = _item(panel, runs["a"])
    assert row.text(COL_RUN).startswith("a lighthouse at dusk\nrun_a")
    assert row.text(COL_SIZE).startswith("256×160")
    assert row.text(COL_MEDIAN) == fmt_seconds(a.median_step_seconds) == "1.000 s"
    assert "runs in" in panel.summary.text() and "2 damaged" in panel.summary.text()

    # thumbnails follow the list: one per run with a video, cached on disk
    qtbot.waitUntil(lambda: {str(runs["a"]), str(runs["b"])} <= set(panel._pixmaps), timeout=10_000)
    assert str(runs["c"]) not in panel._pixmaps  # no video beside it
    assert len(list((tmp_path / "thumbs").glob("*.png"))) >= 2
    image = panel._pixmaps[str(runs["a"])].toImage()
    assert image.pixelColor(0, 27).green() < 30  # letterboxed: 4:3 frame on a 16:9 canvas
    assert image.pixelColor(16, 27).green() > 150  # frame 0: a green bar at its left edge


def test_added_folder_is_listed_and_saved(qtbot, settings_store, runs, tmp_path):
    other = tmp_path / "elsewhere"
    write_run(other, "far_run", created="2025-07-01T09:00:00+00:00", seconds=[1.0, 1.0])
    panel = _panel(qtbot, settings_store, runs["a"].parent, tmp_path)
    _scan(qtbot, panel)
    assert "far_run.json" not in [e.report_path.name for e in panel.entries]
    with qtbot.waitSignal(panel.scan_finished, timeout=20_000):
        panel.add_folder(other)  # the settings change triggers the rescan
    names = [e.report_path.name for e in panel.entries]
    assert names[3] == "far_run.json"  # the oldest run, then the damaged reports
    assert [e.damaged for e in panel.entries] == [False] * 4 + [True] * 2
    settings_store.save()
    reloaded = type(settings_store)(settings_store.folder)
    assert reloaded.load().history_folders == [str(other)]
    # a damaged value in the file falls back to the default, not a crash
    data = json.loads(settings_store.path.read_text())
    data["history_folders"] = "not a list"
    settings_store.path.write_text(json.dumps(data))
    assert reloaded.load().history_folders == []


def test_comparison_shows_exactly_the_recorded_numbers(qtbot, settings_store, runs, tmp_path):
    panel = _panel(qtbot, settings_store, runs["a"].parent, tmp_path)
    _scan(qtbot, panel)
    panel.select([runs["b"], runs["a"]])
    view = panel.compare_view
    assert view.comparison is not None
    expected = compare(analyse(load_report(runs["a"])), analyse(load_report(runs["b"])))
    a, b = expected.a, expected.b
    assert (view.comparison.a.label, view.comparison.b.label) == ("run_a", "run_b")  # A = older
    assert (
        _item(panel, runs["a"]).text(COL_TAG) == "A"
        and _item(panel, runs["b"]).text(COL_TAG) == "B"
    )

    def cells(key):
        row = view.row_for(key)
        assert row is not None, key
        return view.table.item(row, 1), view.table.item(row, 2)

    checks = {
        "median_step": (a.median_step_seconds, b.median_step_seconds),
        "mean_step": (a.mean_step_seconds, b.mean_step_seconds),
        "slowest_step": (a.slowest_step, b.slowest_step),
        "spike_count": (len(a.spikes), len(b.spikes)),
        "spikes": (a.spikes, b.spikes),
        "total_time": (a.total_seconds, b.total_seconds),
        "phase.decode": (a.phase_seconds["decode"], b.phase_seconds["decode"]),
        "phase.denoise": (a.phase_seconds["denoise"], b.phase_seconds["denoise"]),
        "vram_peak": (a.peak_vram_bytes, b.peak_vram_bytes),
        "ram_peak": (a.peak_ram_bytes, b.peak_ram_bytes),
    }
    for key, (va, vb) in checks.items():
        ca, cb = cells(key)
        assert (ca.data(RAW_VALUE_ROLE), cb.data(RAW_VALUE_ROLE)) == (va, vb), key
    assert (a.median_step_seconds, b.median_step_seconds) == (1.0, 0.8)
    assert [s.number for s in a.spikes] == [4] and [s.number for s in b.spikes] == [2]
    ca, cb = cells("median_step")
    assert (ca.text(), cb.text()) == ("1.000 s", "0.800 s")
    ca, cb = cells("spikes")
    assert ca.text() == "#4  1.500 s (1.50×)\n      1.00 GiB copied"
    assert cb.text() == "#2  1.200 s (1.50×)\n      512.0 MiB copied"
    ca, cb = cells("vram_peak")
    assert (ca.text(), cb.text()) == (fmt_bytes(5 * GiB), fmt_bytes(7 * GiB))  # B: whole-job peak

    # differing settings are highlighted, equal ones are not
    assert {d.key for d in expected.differing_settings} == {"prompt", "steps", "offload_mode"}
    for key in ("setting.steps", "setting.offload_mode", "setting.prompt"):
        assert cells(key)[0].background().color().name() == DIFF_BACKGROUND, key
    assert cells("setting.seed")[0].background().color().name() != DIFF_BACKGROUND
    assert view.ratio_label.text() == (
        "B's median step is 0.80× A's (20% faster) · 3 settings differ (highlighted)"
    )  # offload_mode also differs in the environment: counted once

    # the chart overlays both curves and rings every spike
    xa, ya = view.chart.curves[0].getData()
    xb, yb = view.chart.curves[1].getData()
    assert list(ya) == list(a.step_seconds) and list(yb) == list(b.step_seconds)
    assert list(xa) == [1, 2, 3, 4, 5, 6]
    assert view.chart.medians[1].value() == b.median_step_seconds
    sx, sy = view.chart.spikes.getData()
    assert sorted(zip(sx, sy)) == [(2.0, 1.2), (4.0, 1.5)]

    # a third selection or a damaged row gives no comparison
    panel.select([runs["a"], runs["b"], runs["c"]])
    assert view.comparison is None and view.stack.currentIndex() == 0
    panel.select([runs["a"], runs["damaged"]])
    assert view.comparison is None


def test_exports_png_and_markdown(qtbot, settings_store, runs, tmp_path):
    panel = _panel(qtbot, settings_store, runs["a"].parent, tmp_path)
    _scan(qtbot, panel)
    panel.select([runs["a"], runs["b"]])
    view = panel.compare_view
    out = tmp_path / "export"
    png = view.export_png(out / "compare.png")
    with Image.open(png) as image:
        assert image.size == (1200, 640)
        pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
        assert len(np.unique(pixels, axis=0)) > 50  # a drawn chart, not a blank
    md = view.export_markdown(out / "compare.md")
    text = md.read_text(encoding="utf-8")
    assert text == format_markdown(view.comparison.a, view.comparison, chart_path="compare.png")
    assert "![Step times](compare.png)" in text
    assert "| median step | 1.000 s | 0.800 s |" in text
    # an unwritable target reaches the window's error place, not an exception
    (tmp_path / "a_file").write_text("x")
    with qtbot.waitSignal(panel.errored) as blocker:
        view._export(view.export_markdown, str(tmp_path / "a_file" / "summary.md"))
    assert blocker.args[0].kind == "save_failed"


def test_comparison_screenshot(qtbot, main_window, runs, artifacts_dir):
    window = main_window
    window.store.set("output_dir", str(runs["a"].parent))
    window.resize(1600, 1000)
    with qtbot.waitSignal(window.history.scan_finished, timeout=20_000):
        window.main_tabs.setCurrentWidget(window.history)  # first show scans
    qtbot.waitUntil(lambda: len(window.history._pixmaps) >= 3, timeout=10_000)
    window.history.select([runs["a"], runs["b"]])
    qtbot.wait(100)
    path = artifacts_dir / "history_compare.png"
    window.grab().save(str(path))
    assert path.stat().st_size > 30_000
    view = window.history.compare_view
    assert view.isVisible() and view.comparison is not None
    # the lower half of the table: differing settings highlighted
    view.table.scrollToItem(view.table.item(view.row_for("setting.checkpoint_dir"), 0))
    qtbot.wait(50)
    view.grab().save(str(artifacts_dir / "history_compare_settings.png"))


def test_history_refreshes_when_a_run_finishes(qtbot, main_window, fake_engine, runs):
    window = main_window
    window.store.set("output_dir", str(runs["a"].parent))
    with qtbot.waitSignal(window.history.scan_finished, timeout=20_000):
        window.main_tabs.setCurrentWidget(window.history)
    before = {e.key for e in window.history.entries}
    fake_engine.steps = 4
    with qtbot.waitSignal(window.history.scan_finished, timeout=20_000):
        window.generate()
    assert window.main_tabs.currentWidget() is window.right_splitter  # the run shows live
    new = [e for e in window.history.entries if e.key not in before]
    assert len(new) == 1 and new[0].video_path is not None
    assert window.history.entries[0].key == new[0].key  # newest first


def test_scan_failure_reaches_the_error_panel(qtbot, main_window, monkeypatch):
    def broken(self, folders, should_stop):
        raise PermissionError("folder locked")

    monkeypatch.setattr(HistoryScanner, "scan", broken)
    with qtbot.waitSignal(main_window.history.scan_finished, timeout=10_000):
        main_window.main_tabs.setCurrentWidget(main_window.history)
    assert main_window.error_panel.isVisible()
    assert "folder locked" in main_window.log_panel.toPlainText()


def test_korean_history_screenshot(
    qtbot, settings_store, engine_host, fake_sampler, runs, artifacts_dir
):
    """The window built with the Korean translator: History tab, two runs compared; the
    screenshot is tests/_artifacts/main_window_ko_history.png."""
    from PySide6.QtWidgets import QApplication

    from artifex_gui.app import apply_style
    from artifex_gui.i18n import install_translators
    from artifex_gui.ui.main_window import MainWindow

    app = QApplication.instance()
    assert install_translators(app, "ko") == "ko"
    window = None
    try:
        apply_style(app)
        settings_store.set("output_dir", str(runs["a"].parent))
        window = MainWindow(settings_store, engine_host, sampler=fake_sampler)
        qtbot.addWidget(window)
        window.resize(1600, 1000)
        window.show()
        qtbot.waitExposed(window)
        with qtbot.waitSignal(window.history.scan_finished, timeout=20_000):
            window.main_tabs.setCurrentWidget(window.history)
        qtbot.waitUntil(lambda: len(window.history._pixmaps) >= 3, timeout=10_000)
        window.history.select([runs["a"], runs["b"]])
        qtbot.wait(100)
        path = artifacts_dir / "main_window_ko_history.png"
        window.grab().save(str(path))
        assert path.stat().st_size > 30_000
        tabs = window.main_tabs
        assert tabs.tabText(tabs.indexOf(window.history)) == "기록"
        assert window.history.add_button.text() == "폴더 추가…"
        view = window.history.compare_view
        assert "빠름" in view.ratio_label.text() and "강조 표시" in view.ratio_label.text()
        assert view.table.item(view.row_for("median_step"), 0).text() == "스텝 중앙값"
    finally:
        if window is not None:
            window.shutdown(timeout_ms=10_000)
        install_translators(app, "en")


def test_history_and_comparison_show_the_produced_size(qtbot, settings_store, tmp_path):
    """Issue 12: a portrait picture asked at 256×160 produced 160×256; History listed it as
    256×160 and the comparison did not flag the outputs as different."""
    folder = tmp_path / "runs"
    text = write_run(folder, "text", created="2025-08-01T10:00:00+00:00", seconds=[1.0, 1.0])
    image = write_run(
        folder,
        "portrait",
        created="2025-08-02T10:00:00+00:00",
        seconds=[1.0, 1.0],
        produced=(160, 256),
        image_path=str(tmp_path / "portrait.png"),
    )
    panel = _panel(qtbot, settings_store, folder, tmp_path)
    _scan(qtbot, panel)
    assert _item(panel, image).text(COL_SIZE).startswith("160×256")
    assert _item(panel, text).text(COL_SIZE).startswith("256×160")
    panel.select([text, image])
    view = panel.compare_view
    row = view.row_for("setting.output_size")
    assert row is not None
    a_cell, b_cell = view.table.item(row, 1), view.table.item(row, 2)
    assert (a_cell.text(), b_cell.text()) == ("256×160", "160×256")
    assert a_cell.background().color().name() == DIFF_BACKGROUND  # flagged
    assert view.table.item(row, 0).text() == "≠ output size"  # a label, not a raw key
    assert "different output sizes: 256×160 and 160×256" in view.ratio_label.text()
    # keys are names, not raw report keys; the A/B headers are distinct and short
    labels = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert not {"offload_mode", "torch_cuda", "encode_text", "image_path"} & {
        label.removeprefix("≠ ") for label in labels
    }
    headers = [view.table.horizontalHeaderItem(c).text() for c in (1, 2)]
    assert headers == ["A", "B"] and view.table.horizontalHeaderItem(1).toolTip() == "text"


def test_queue_lists_the_size_an_image_job_will_produce(qtbot, main_window, fake_engine, tmp_path):
    from tests.gui_conftest import make_picture

    fake_engine.pause_at_step = 0
    main_window.generate()
    assert fake_engine.paused.wait(10)
    main_window.inputs.drop_zone.set_image(str(make_picture(tmp_path / "tall.png", (480, 768))))
    main_window.generate()
    job = main_window.queue.jobs[0]
    assert job.output_size == (160, 256)  # asked 256×160; the portrait keeps its shape
    assert "160×256" in main_window.queue_panel.list.item(0).text()
    fake_engine.pause_at_step = None
    fake_engine.resume.set()
    qtbot.waitUntil(lambda: fake_engine.runs == 2 and not main_window.is_busy, timeout=15_000)
