"""The benchmark page (demo_site/bench.html) in Chromium without WebGPU: every workload ran on
every configuration the browser has (pure Python, SIMD128, relaxed SIMD) and each computed the
same numbers: against the reference backend in the same worker (rel_diff), across workers
(checksums), and SmolLM2's decoded tokens are the golden greedy ones. No timing is asserted."""
import json
import time

WORKLOADS = {"sgemm": True, "MiniLM: one encoder layer": True, "MiniLM: whole model": False,
             "SmolLM2: whole model": False, "SmolLM2: one decoder layer": True}  # pure Python?
CONFIGS = ["pure Python", "WASM SIMD128", "WASM relaxed SIMD"]


def test_bench_page(demo_page, demo_url, repo, site_tools, screenshot):
    golden = json.loads((repo / "tests" / "golden" / "models" / "smollm2.json").read_text())
    page = demo_page
    t0 = time.monotonic()
    out = site_tools.run_page(page, demo_url, "bench.html", timeout_s=300)
    print(f"bench.html: {out['status']} in {time.monotonic() - t0:.0f} s")
    assert out["status"] == "done", f"{out['status']}\n{out['error']}"
    r = out["result"]
    assert r["skipped"] == ["WebGPU (no adapter in this browser)"], r["skipped"]
    assert [i["isa"] for i in r["infos"]] == ["simd128", "relaxedsimd"]
    for prefix, with_reference in WORKLOADS.items():
        rows = {x["config"]: x for x in r["rows"] if x["workload"].startswith(prefix)}
        assert sorted(rows) == sorted(CONFIGS if with_reference else CONFIGS[1:]), prefix
        for x in rows.values():
            print(f"  {x['workload']:50s} {x['config']:18s} {x['ms']:9.2f} ms")
            assert x["ms"] > 0 and x["reps"] >= 1
        if "ids" in rows["WASM SIMD128"]:
            for x in rows.values():
                assert x["ids"] == golden["prompts"][0]["greedy"][:len(x["ids"])], x
            continue
        sums = [x["checksum"] for x in rows.values()]
        assert max(sums) - min(sums) <= 1e-3 * max(1.0, max(map(abs, sums))), (prefix, sums)
        if with_reference:
            assert rows["WASM SIMD128"]["rel_diff"] < 1e-4, rows["WASM SIMD128"]
    # the chart has a bar per row
    bars = page.eval_on_selector_all("#chart g.bench-bar", "gs => gs.length")
    assert bars == len(r["rows"])
    screenshot(page, "bench")


def test_bench_page_on_webgpu(webgpu_browser, demo_url, site_tools):
    """The page's WebGPU worker (SwiftShader here; sgemm only: the models would take minutes on
    a software adapter): the product it timed is the one webtensor computes on CPython from
    the same seed (manual_seed gives the same numbers everywhere)."""
    import webtensor as wt
    page = webgpu_browser.new_page()
    try:
        out = site_tools.run_page(page, demo_url, "bench.html?webgpu=only&only=sgemm",
                                  timeout_s=300)
        assert out["status"] == "done", f"{out['status']}\n{out['error']}"
        (row,) = out["result"]["rows"]
        assert row["config"] == "WebGPU" and row["workload"] == "sgemm 64×64×64", row
        wt.manual_seed(0)
        x, y = wt.randn(64, 64), wt.randn(64, 64)
        want = (x @ y).double().sum().item()
        assert abs(row["checksum"] - want) <= 1e-4 * abs(want) + 1e-3, (row["checksum"], want)
    finally:
        page.close()
