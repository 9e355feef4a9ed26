"""fp8 compute (``--precision fp8`` / ``fp8-all``, engine/weights/fp8.py): the float8 matmul
against the rule written out in float32, the weight conversions, the engine run, the plan's
refusal and the memory plan.  On the CPU ``torch._scaled_mm`` runs the same rounding (no
speed-up); the GPU speed and error are measured in bench/bench_fp8.py."""

from __future__ import annotations

import json

import pytest
import torch

from engine import events as ev
from engine.errors import RequestError
from engine.request import DIT_BLOCK_LINEARS, PRECISION_LINEARS, GenerationRequest, check_request
from engine.weights import fp8
from tests.fixtures_cli import cli_args, run_cli
from tests.fixtures_runs import request_for, run

pytestmark = pytest.mark.skipif(
    fp8.fp8_compute_problem(torch.device("cpu")) is not None,
    reason="this torch has no CPU float8 matmul",
)


def _linear(seed: int = 0, n: int = 48, k: int = 64) -> torch.nn.Linear:
    torch.manual_seed(seed)
    lin = torch.nn.Linear(k, n)
    with torch.no_grad():
        lin.weight[3] *= 40  # one row far larger: per-row scales must keep the others fine
    return lin


def test_fp8_linear_equals_the_rule_written_out():
    lin = _linear()
    x = torch.randn(2, 5000, 64)  # more tokens than one quantization slice (4096 rows)
    x[0, 7] *= 100  # one loud token: its own scale
    ref = fp8.reference_fp8_linear(x, lin.weight.data, lin.bias.data)
    exact = lin(x)
    fp8.to_fp8_compute(lin)
    assert lin.weight.dtype == torch.float8_e4m3fn and lin.fp8_scale.shape == (48,)
    y = lin(x)
    assert y.dtype == x.dtype and y.shape == exact.shape
    assert (y - ref).abs().max().item() <= 1e-5 * ref.abs().max().item()
    rel = ((y - exact).norm() / exact.norm()).item()
    assert 1e-3 < rel < 8e-2, rel  # fp8 rounding: present, and small


def test_the_compiled_form_of_the_activation_rounding_equals_the_sliced_one(monkeypatch):
    """Under torch.compile the activations are rounded in one expression (Inductor fuses it;
    the sliced form broke Triton 3.6 on the H200): the same float8 values and scales."""
    x = torch.randn(9000, 64, dtype=torch.bfloat16)  # three slices of 4096 rows
    x[5000] *= 300
    sliced, s1 = fp8._quantize_tokens(x)
    monkeypatch.setattr(fp8, "_compiling", lambda: True)
    whole, s2 = fp8._quantize_tokens(x)
    assert torch.equal(s1, s2)
    assert torch.equal(sliced.view(torch.uint8), whole.view(torch.uint8))


def test_fp8_linear_in_bf16_and_with_a_lora_side_path():
    lin = _linear(1)
    x = torch.randn(3, 64, dtype=torch.bfloat16)
    lin.to(torch.bfloat16)
    ref = fp8.reference_fp8_linear(x, lin.weight.data, lin.bias.data)
    fp8.to_fp8_compute(lin)
    down, up = torch.randn(4, 64) * 0.1, torch.randn(48, 4) * 0.1
    lin.set_lora(down.bfloat16(), up.bfloat16())
    y = lin(x)
    assert y.dtype == torch.bfloat16
    side = (x.float() @ down.T) @ up.T
    assert ((y.float() - (ref + side)).norm() / ref.norm()).item() < 5e-3  # bf16 output rounding


def test_a_scaled_fp8_file_weight_keeps_its_values():
    lin = _linear(2)
    w8, scale = fp8.quantize_scaled(lin.weight.data)  # what a ComfyUI "scaled fp8" file holds
    fp8.assign_fp8(lin, w8, scale, "cpu")
    before = fp8.dequantize(lin.weight, lin.fp8_scale, torch.float32)
    fp8.to_fp8_compute(lin)
    assert torch.equal(lin.weight.data.view(torch.uint8), w8.view(torch.uint8))  # not re-rounded
    assert torch.equal(fp8.dequantize(lin.weight, lin.fp8_scale, torch.float32), before)


def test_prepare_converts_exactly_the_precisions_linears():
    from engine.config import PRESETS
    from engine.nets.dit import WanModel

    for precision in ("fp8", "fp8-all"):
        model = WanModel(PRESETS["tiny"].dit)
        n, elements = fp8.prepare_fp8_compute(model, PRECISION_LINEARS[precision])
        kinds = PRECISION_LINEARS[precision]
        assert n == len(kinds) * len(model.blocks) == fp8.fp8_compute_linears(model)
        for block in model.blocks:
            for kind in DIT_BLOCK_LINEARS:
                assert getattr(block.get_submodule(kind), "fp8_compute", False) == (kind in kinds)
        assert not getattr(model.head.head, "fp8_compute", False)
        assert elements == sum(block.get_submodule(k).weight.numel() for block in model.blocks for k in kinds)
    with pytest.raises(ValueError, match="unknown DiT linears"):
        fp8.prepare_fp8_compute(WanModel(PRESETS["tiny"].dit), ("ffn.1",))


def test_unknown_precision_is_refused():
    with pytest.raises(RequestError, match="Unknown precision"):
        check_request(GenerationRequest(prompt="x", precision="fp4"))


@pytest.mark.parametrize("precision", ["fp8", "fp8-all"])
def test_engine_run_in_fp8_and_its_report(engine, tmp_path, precision):
    out = tmp_path / "fp8.mp4"
    final, events = run(engine, request_for(None, out, precision=precision, dump_tensors_dir=str(tmp_path / "d8")))
    assert isinstance(final, ev.RunFinished), final
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    expected = {"fp8": "float32 + fp8 q/k/v", "fp8-all": "float32 + fp8 linears"}[precision]
    assert started.dtype == expected
    logs = [e.text for e in events if isinstance(e, ev.LogMessage)]
    assert any("multiply in float8" in t for t in logs), logs
    assert any("emulated" in t for t in logs), logs  # said on the CPU
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["settings"]["precision"] == precision
    assert report["environment"]["dtype"] == "fp32" + expected.removeprefix("float32")
    # against the same run in float32: close, not equal (the fp8 rounding is really there)
    final32, _ = run(engine, request_for(None, tmp_path / "f32.mp4", dump_tensors_dir=str(tmp_path / "d32")))
    from safetensors.torch import load_file

    a = load_file(tmp_path / "d8" / "latents.safetensors")["latents"]
    b = load_file(tmp_path / "d32" / "latents.safetensors")["latents"]
    rel = ((a - b).norm() / b.norm()).item()
    assert 0 < rel < 0.2, rel


def test_cli_precision_flag_and_dry_run(capsys, tmp_path):
    code, out, err = run_cli(capsys, cli_args(None, tmp_path / "a.mp4", "--precision", "fp8-all", "--dry-run"))
    assert code == 0, err
    assert "float32 + fp8 linears" not in out  # the plan shows the request's dtype name
    assert "fp32 + fp8 linears" in out, out


def test_plan_refuses_fp8_where_it_cannot_run(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(fp8, "fp8_compute_problem", lambda device: "NVIDIA GeForce RTX 3090 (compute capability 8.6) has no fp8 tensor cores")
    from engine.run.plan import make_plan

    with pytest.raises(RequestError) as info:
        make_plan(request_for(None, tmp_path / "x.mp4", precision="fp8"), prepare=False)
    assert "RTX 3090" in info.value.message and "precision 'dtype'" in info.value.advice
    code, _out, err = run_cli(capsys, cli_args(None, tmp_path / "b.mp4", "--precision", "fp8"))
    assert code != 0 and "fp8 compute cannot run here" in err and not (tmp_path / "b.mp4").exists()


def test_memory_plan_counts_fp8_weights_and_their_activation_copy():
    from engine.config import PRESETS
    from engine.run.memory_plan import model_bytes, plan_memory

    spec = PRESETS["ti2v-5B"]
    full = model_bytes(spec, 2)
    qkv = model_bytes(spec, 2, PRECISION_LINEARS["fp8"])
    every = model_bytes(spec, 2, PRECISION_LINEARS["fp8-all"])
    d, f, n = spec.dit.dim, spec.dit.ffn_dim, spec.dit.num_layers
    assert full.dit - qkv.dit == n * 6 * (d * d - 4 * d)
    assert full.dit - every.dit == n * (8 * (d * d - 4 * d) + (f * d - 4 * f) + (d * f - 4 * d))
    assert every.dit_block < qkv.dit_block < full.dit_block
    kw = dict(width=1280, height=704, frames=121, tokens=27280, latent_shape=(48, 31, 44, 80),
              image_conditioned=False, cfg_batch=True, free_bytes=80 * 2**30)
    base, low = plan_memory(spec, **kw), plan_memory(spec, **kw, fp8_linears=PRECISION_LINEARS["fp8-all"])
    assert low.modes["block"].ram_bytes < base.modes["block"].ram_bytes
    assert low.modes["none"].phase_peaks["load"] < base.modes["none"].phase_peaks["load"]


def test_fp8_with_fsdp_is_refused_and_the_cpu_is_told_it_is_emulated():
    from types import SimpleNamespace

    from engine.run.plan import _check_fp8

    notes: list[str] = []
    with pytest.raises(RequestError, match="--dit_fsdp"):
        _check_fp8("cpu", SimpleNamespace(dit_fsdp=True), notes.append)
    _check_fp8("cpu", SimpleNamespace(dit_fsdp=False), notes.append)
    assert notes and "emulated" in notes[0]
