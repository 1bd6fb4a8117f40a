"""The op grid (wtcases.cases("grid")) and the nn catalogue (nncases) on each device of
wtcheck.devices_under_test() ("webgpu": wgpu + lavapipe on CPython, SwiftShader in headless
Chromium) against the same case on the CPU's WASM backend.

Inputs are built on the CPU, moved to the device and given their layout there (views of
device memory). Results are read back synchronously (`tolist()`; in a browser page through
JSPI's run_sync) for the even cases of each op and with `await t.tolist_async()` for the odd
ones, so every op exercises both readbacks.

Outcomes (wtdevice.outcome): the same values (wtdevice's per-op tolerances), or the same
exception type as the CPU, or NotImplementedError naming the device where it has no kernel
for the case (allowed only outside float32: a float32 case must run, unless its op is in
webgpu_known.NO_FLOAT32_KERNEL), or a divergence that webgpu_known.KNOWN_BUGS gives for this
adapter (each entry's repro must differ exactly on the adapters it names, so a fix fails
here until the entry is updated).
The terminal summary gives the counts ("device grid webgpu: N cases matched, ...").
"""
import pytest

import nncases
import webtensor
from webgpu_known import KNOWN_BUGS, NN_NO_KERNEL, NO_FLOAT32_KERNEL, applies
from wtcases import cases
from wtcheck import (assert_encoded_match, devices_under_test, encode_error, encode_result,
                     encode_result_async, input_dtypes, run_encoded, run_encoded_async,
                     using_backend)
from wtdevice import NN_TOL, OUTCOMES, adapter_name, await_coro, known, outcome, tally

DEVICES = devices_under_test()
if not DEVICES:     # conftest leaves this file out then; named explicitly, it is an error
    raise RuntimeError("test_portable_device.py: this tier names no device to test "
                       "(set WEBTENSOR_TEST_DEVICES, e.g. to webgpu)")
CPU_BACKEND = "wasm"
GRID = cases("grid")
BY_OP = {}
for _c in GRID:
    BY_OP.setdefault(_c["op"], []).append(_c)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("op", sorted(BY_OP))
def test_device_matches_cpu(op, device):
    items = BY_OP[op]

    async def read_async(some):
        return [await run_encoded_async(webtensor, c, device) for c in some]

    with using_backend(CPU_BACKEND):
        wants = [run_encoded(webtensor, c) for c in items]
        gots = [None] * len(items)
        gots[0::2] = [run_encoded(webtensor, c, device=device) for c in items[0::2]]
        gots[1::2] = await_coro(read_async(items[1::2]))
    counts, failures = tally(device), []
    for case, got, want in zip(items, gots, wants):
        res = outcome(case, got, want, device)
        if res in OUTCOMES:
            counts[res] += 1
        else:
            failures.append(res)
    assert not failures, (f"{len(failures)} of {len(items)} {op} cases differ on {device}:\n"
                          + "\n".join(failures[:12]))
    if op in NO_FLOAT32_KERNEL:
        assert any(got.get("error") == "NotImplementedError" for c, got in zip(items, gots)
                   if "float32" in input_dtypes(c)), \
            f"{op} runs every float32 case on {device}: remove it from NO_FLOAT32_KERNEL"


def _known_bug_still_fails(name, device):
    """The repro differs on the adapters the entry names and matches on the others."""
    entry = KNOWN_BUGS[name]
    case = entry["repro"]
    with using_backend(CPU_BACKEND):
        want = run_encoded(webtensor, case)
        got = run_encoded(webtensor, case, device=device)
    assert "error" not in want, want
    differs = outcome(case, got, want, device) != "matched"
    adapter = adapter_name(device)
    assert differs == applies(entry, adapter), \
        (f"KNOWN_BUGS[{name!r}] is fixed on {adapter!r} (got {got}): remove it from the "
         "entry's adapters" if not differs else
         f"KNOWN_BUGS[{name!r}] shows on {adapter!r} too (got {got}, want {want})")


if KNOWN_BUGS:   # none listed now: a parametrization over nothing would report a skip
    test_known_bug_still_fails = pytest.mark.parametrize("device", DEVICES)(
        pytest.mark.parametrize("name", sorted(KNOWN_BUGS))(_known_bug_still_fails))


NN = [c for c in nncases.CASES if c["inputs"]]


def _nn_encoded(case, device, read_async=False):
    webtensor.manual_seed(0)
    try:
        out = nncases.forward(webtensor, case, device)[1]
    except Exception as e:  # noqa: BLE001 - compared like the grid's errors
        return encode_error(e)
    return await_coro(encode_result_async(out)) if read_async else encode_result(out)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", NN, ids=[c["id"] for c in NN])
def test_nn_on_device_matches_cpu(case, device):
    with using_backend(CPU_BACKEND):
        want = _nn_encoded(case, None)
        got = _nn_encoded(case, device, read_async=NN.index(case) % 2 == 1)
    counts = tally(device)
    if got.get("error") == "NotImplementedError" != want.get("error"):
        assert device in got["message"].lower(), got
        assert case["id"] in NN_NO_KERNEL, f"{case['id']} has no {device} kernel: {got}"
        counts["unsupported"] += 1
        return
    try:
        assert_encoded_match(got, want, *NN_TOL, what=f"{case['id']} ({device} vs cpu)")
    except AssertionError:
        if not known(case, device):
            raise
        counts["known"] += 1
        return
    counts["nn"] += 1
