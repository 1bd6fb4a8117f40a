"""benchmarks/check_regressions.py's logic on synthetic benchmark JSON: which figures are
speeds and which way is better, which are the peers' (never named), and the 15% limit."""
import importlib.util
import json
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[3] / "benchmarks" / "check_regressions.py"
_spec = importlib.util.spec_from_file_location("check_regressions", _PATH)
cr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cr)


def doc(decode, prefill, ms, us, peer_ms, heap=100.0):
    return {"machine": "x", "rows": [
        {"runtime": "Chromium simd128", "heap_start_mb": heap,
         "rows": [{"weights": "quantized", "decode_tok_s": decode, "prefill_tok_s": prefill,
                   "decode_ms_per_token": 1000 / decode, "heap_mb": heap, "prompt_tokens": 64}],
         "small_ops_us": {"add10": us}, "numpy_small_ops_us": {"add10": us}}],
        "webtensor": {"relaxedsimd": {"ms_per_forward": ms, "max_abs_err_vs_torch": 1e-6}},
        "peers": {"ort": {"ms_per_forward": peer_ms}}, "torch_cpython_1thread_ms": peer_ms}


@pytest.mark.parametrize("path,want", [
    (("rows", "runtime=a", "rows", "weights=q", "decode_tok_s"), 1),
    (("rows", "runtime=a", "rows", "weights=q", "decode_ms_per_token"), -1),
    (("rows", "runtime=a", "small_ops_us", "add10"), -1),
    (("webtensor", "simd128", "shapes", "128x128x128", "gflops"), 1),
    (("rows", "runtime=a", "sgemm_gflops", "128"), 1),
    (("rows", "runtime=a", "load_s"), -1),
    (("rows", "runtime=a", "heap_mb"), 0),
    (("webtensor", "simd128", "max_abs_err_vs_torch"), 0),
    (("prompt_tokens",), 0),
    (("shapes", "0", "1"), 0),
])
def test_direction(path, want):
    assert cr.direction(path) == want


def test_list_items_named_by_their_label_not_index():
    figs = cr.figures(doc(20.0, 160.0, 90.0, 1.0, 100.0))
    assert ("rows", "runtime=Chromium simd128", "rows", "weights=quantized",
            "decode_tok_s") in figs


def test_rows_of_one_op_in_several_dtypes_stay_apart():
    figs = cr.figures({"rows": [{"op": "sum", "dtype": "float32", "ms": 1.0},
                                {"op": "sum", "dtype": "float16", "ms": 5.0}]})
    assert figs == {("rows", "op=sum,dtype=float32", "ms"): 1.0,
                    ("rows", "op=sum,dtype=float16", "ms"): 5.0}


def test_names_only_webtensor_figures_over_the_limit():
    old = doc(decode=20.0, prefill=160.0, ms=90.0, us=1.0, peer_ms=100.0)
    # decode 20 -> 16 tok/s (1.25x slower), ms 90 -> 100 (1.11x: inside 15%), add10 1 -> 1.3 µs
    # (1.3x), the peer 100 -> 150 ms (noise, not named), heap doubled (not a speed)
    new = doc(decode=16.0, prefill=170.0, ms=100.0, us=1.3, peer_ms=150.0, heap=200.0)
    named, refs, n = cr.compare(old, new, tol=0.15)
    got = {p[-1] for p, *_ in named}
    assert got == {"decode_tok_s", "decode_ms_per_token", "add10"}
    assert {p for p, *_ in named if p[-1] == "add10"} == {
        ("rows", "runtime=Chromium simd128", "small_ops_us", "add10")}   # not numpy's
    slow = {p[-1]: s for p, a, b, s in named}
    assert slow["decode_tok_s"] == pytest.approx(1.25)
    assert {p[0] if p[0] != "rows" else p[2] for p, *_ in refs} == {
        "peers", "torch_cpython_1thread_ms", "numpy_small_ops_us"}
    assert n == 8      # decode, prefill, ms/token, add10 x2, ms_per_forward, peer, torch
    assert cr.compare(old, old)[0] == []
    assert cr.compare(new, old)[0] == []       # faster is never named


def test_main_against_a_recorded_directory(tmp_path, capsys):
    rec, fresh = tmp_path / "rec", tmp_path / "fresh"
    rec.mkdir(), fresh.mkdir()
    (rec / "smollm2.json").write_text(json.dumps(doc(20.0, 160.0, 90.0, 1.0, 100.0)))
    (fresh / "smollm2.json").write_text(json.dumps(doc(20.5, 100.0, 90.0, 1.0, 100.0)))
    (fresh / "new.json").write_text(json.dumps(doc(1.0, 1.0, 1.0, 1.0, 1.0)))
    assert cr.main(["--recorded", str(rec), str(fresh)]) == 1
    out = capsys.readouterr().out
    assert "SLOWER 1.60x" in out and "prefill_tok_s: 160 -> 100" in out
    assert "new.json: nothing recorded" in out
    (fresh / "smollm2.json").write_text(json.dumps(doc(20.0, 150.0, 95.0, 1.1, 300.0)))
    assert cr.main(["--recorded", str(rec), str(fresh / "smollm2.json")]) == 0
