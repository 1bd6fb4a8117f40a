"""sort, scatter, cumprod / cumsum and quant.quantize on device "webgpu" in Chromium
(SwiftShader, Tint compiles the WGSL that tests/unit/webgpu runs through naga on lavapipe):
each against the same op on the CPU of the page, exactly (the sums' order against torch's is
tests/unit/webgpu/test_webgpu_scatter.py's: the page's CPU path sums in double)."""
from test_webgpu_bridge import run_webgpu  # noqa: F401 - the fixture

KERNELS = r'''
import webtensor as torch
from webtensor import quant
await torch.webgpu.init()
g = torch.Generator().manual_seed(0)
x = torch.randn(4, 3000, generator=g).round()          # ties: the stable order counts
x[0, ::7] = float("nan")
cases = {
    "sort": lambda t: torch.sort(t, dim=1, descending=True, stable=True),
    "sort_short_f16": lambda t: torch.sort(t[:, :40].half().t(), dim=0, stable=True),
    "sort_int64": lambda t: torch.sort(t[1:].to(torch.int64), dim=1, stable=True),
    "scatter_add_dup": lambda t: torch.zeros(3, 5).to(t.device).scatter_add(
        1, (t[1:, :60].abs() % 5).to(torch.int64), t[1:, :60] * 0.5),    # sums exact
    "scatter_amax_f16": lambda t: torch.zeros(4, 5, dtype=torch.float16).to(t.device)
        .scatter_reduce(1, (t[1:, :9].abs() % 5).to(torch.int64), t[1:, :9].half(), "amax"),
    "cumprod": lambda t: (1 + t[1:, :50] / 64).cumprod(1),
    "cumprod_uint8": lambda t: t[1:, :50].abs().to(torch.uint8).cumprod(1, dtype=torch.uint8),
    "cumsum_int64": lambda t: t[1:].to(torch.int64).cumsum(0),
    "cumsum_long_row": lambda t: t[1:].reshape(-1).to(torch.int64).cumsum(0),   # _wg kernel
}
for name, f in cases.items():
    want, got = f(x), f(x.to("webgpu"))
    for w, a in zip(want if isinstance(want, tuple) else [want],
                    got if isinstance(got, tuple) else [got]):
        assert a.device == torch.device("webgpu"), name
        w, a = w.float().nan_to_num(7.5).tolist(), a.cpu().float().nan_to_num(7.5).tolist()
        assert w == a or name == "cumprod" and all(
            abs(u - v) <= 1e-5 * abs(u) for ru, rv in zip(w, a) for u, v in zip(ru, rv)), name
    print("KERNEL-OK", name)
w = torch.randn(6, 96, generator=g)
for kind in ("q8_0", "q4_1"):
    q = quant.quantize(w.to("webgpu"), kind)
    assert q.device == torch.device("webgpu") and q.tobytes() == quant.quantize(w, kind).tobytes()
    print("KERNEL-OK", kind)
print("KERNELS-DONE")
'''


def test_sort_scatter_scan_quantize_on_a_page(run_webgpu):  # noqa: F811
    code, out, _ = run_webgpu(KERNELS)
    assert code == 0, out[-3000:]
    assert out.count("KERNEL-OK") == 11 and "KERNELS-DONE" in out, out[-3000:]
