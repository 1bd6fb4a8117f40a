"""Leak test (issue 10, item 5): 1000 forward steps of the digits CNN (real weights) on the
webgpu device, a fresh input uploaded every step, then the pool's live buffer count and bytes
(webtensor.webgpu.memory_stats(), storage.COUNTERS) are back at their baseline and the loop ran
on reused buffers. ~7 s on lavapipe (batch 1: the GPU work is tiny, the per-dispatch path is
what is exercised)."""
import gc

import webtensor as wt
from webtensor.models import digits_cnn
from webtensor.serialization import safetensors

STEPS = 1000


def test_1000_forward_steps_leave_the_pool_at_its_baseline(gpu):
    m = digits_cnn.DigitsCNN().eval()
    m.load_state_dict(safetensors.load_file(digits_cnn.WEIGHTS))
    g = wt.Generator().manual_seed(0)
    xs = [wt.rand(1, 1, 8, 8, generator=g) * 16 for _ in range(8)]
    with wt.no_grad():
        want = [m(x).argmax(-1).item() for x in xs]
        m.to(gpu)
        assert m(xs[0].to(gpu)).argmax(-1).item() == want[0]   # warm: kernels, pool seeded
        gc.collect()
        base = wt.webgpu.memory_stats()
        checked = 0
        for i in range(STEPS):
            y = m(xs[i % 8].to(gpu))
            if i % 100 == 0:                       # a read now and then, as a real loop does
                assert y.argmax(-1).item() == want[i % 8]
                checked += 1
        del y
    gc.collect()
    after = wt.webgpu.memory_stats()
    assert checked == STEPS // 100
    assert (after["live_buffers"], after["live_bytes"]) == (base["live_buffers"],
                                                            base["live_bytes"]), (base, after)
    assert after["created"] - base["created"] <= 4, (base, after)       # the pool reused
    assert after["reused"] - base["reused"] >= 10 * STEPS, (base, after)
    assert after["pooled_bytes"] - base["pooled_bytes"] <= 64 << 10, (base, after)
