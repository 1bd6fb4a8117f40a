"""Pure-Python test helpers: no numpy, no torch, so they also run inside Pyodide.

Used by tests/portable (same directory), by tests/unit (its conftest puts this directory on
sys.path) and by scripts/make_golden.py, which runs the same case catalogue (wtcases.py)
under torch. Everything that builds or calls tensors takes the module `m` (webtensor or
torch) as an argument: the two APIs are the same, which is the point of webtensor.
"""
import contextlib
import math
import os

DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int8", "uint8", "bool")
FLOATS = ("float32", "float64", "float16", "bfloat16")
INTS = ("int64", "int32", "int8", "uint8")
BACKENDS = ("reference", "wasm")
# test_portable_device.py's tallies per device (matched, unsupported, known, nn): the portable
# conftest prints them in the terminal summary, where the browser tier reads them.
DEVICE_COUNTS = {}

# (rtol, atol) per dtype: torch.testing's defaults, a little wider atol for the half types
# (webtensor computes them in float32 and rounds once, torch sometimes twice).
TOL = {"float64": (1e-7, 1e-7), "float32": (1.3e-6, 1e-5), "float16": (1e-3, 1e-3),
       "bfloat16": (1.6e-2, 1e-2)}


def devices_under_test():
    """The devices that test_portable_device.py checks against the CPU, chosen per tier: the
    comma-separated WEBTENSOR_TEST_DEVICES if set (the Chromium WebGPU runner sets "webgpu";
    "" runs none); else "webgpu" on CPython (the wgpu package on lavapipe, which scripts/test
    installs: a missing one fails) and none inside Pyodide (Node has no WebGPU)."""
    import sys
    names = os.environ.get("WEBTENSOR_TEST_DEVICES")
    if names is None:
        return () if sys.platform == "emscripten" else ("webgpu",)
    return tuple(n.strip() for n in names.split(",") if n.strip())


def examples(n):
    """Hypothesis example count n, scaled by WEBTENSOR_HYPOTHESIS_SCALE (e.g. 10 for a
    nightly run; the default keeps the CPython tier at about a minute)."""
    return max(1, int(n * float(os.environ.get("WEBTENSOR_HYPOTHESIS_SCALE", "1"))))


def dtype_of(m, name):
    return getattr(m, name)


def name_of(dtype):
    """'float32' for torch.float32 and webtensor.float32 alike."""
    return repr(dtype).rsplit(".", 1)[-1]


def prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


# ---- value encoding (JSON has no NaN/Inf) ----------------------------------------------------
def enc(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if v != v else ("inf" if v > 0 else "-inf")
    return v


def dec(v):
    if isinstance(v, str):
        return float(v)
    return v


# ---- deterministic data ----------------------------------------------------------------------
def det_values(n, dtype, seed=0, domain="any"):
    """n values for dtype from a formula: exact in every dtype (multiples of 1/4, |v| <= 3.5).

    domains: any, pos (> 0), unit (|v| < 1), near1 (0.5 .. 1.5; ints 1 .. 3), nonzero,
    wide (integers over most of the range), special (floats with nan/inf/-0.0 mixed in),
    distinct (no two equal, n <= 97), idxN (integers in [0, N)).
    """
    out = []
    for i in range(n):
        k = (i * 37 + seed * 11 + 5) % 29 - 14            # -14 .. 14
        if domain.startswith("idx"):
            out.append((i * 37 + seed * 11 + 3) % int(domain[3:]))
            continue
        if domain == "distinct":
            k = (i * 37 + seed * 11) % 97 - 48             # distinct for i < 97
        if dtype == "bool":
            out.append(k % 3 == 0 if domain != "nonzero" else True)
        elif dtype in FLOATS:
            v = k / 4
            if domain == "pos":
                v = abs(v) + 0.25
            elif domain == "unit":
                v = k / 16
            elif domain == "nonzero" and v == 0:
                v = 0.5
            elif domain == "wide":
                v = k * 4.5
            elif domain == "near1":
                v = 1 + k / 32
            elif domain == "special":
                v = (math.nan, math.inf, -math.inf, -0.0, 0.0, v, v, 1.0, -v)[i % 9]
            out.append(v)
        else:
            if domain == "wide":
                k = k * 9 if dtype in ("int8", "uint8") else k * 150_000_007
            elif domain == "near1":
                k = k % 3 + 1
            if dtype == "uint8":
                k = abs(k)
            if domain == "pos":
                k = abs(k) + 1
            if domain == "nonzero" and k == 0:
                k = 3
            out.append(k)
    return out


LAYOUTS = ("contig", "transposed", "stepped", "expanded", "offset")
# + a view whose last element is its storage's last byte (guard bytes right after it): for the
# hypothesis tests (the golden grid keeps LAYOUTS)
FUZZ_LAYOUTS = LAYOUTS + ("tail",)


def base_shape(shape, layout):
    shape = tuple(shape)
    if not shape or layout == "contig" or (layout == "transposed" and len(shape) < 2):
        return shape
    if layout == "transposed":
        return shape[::-1]
    if layout == "stepped":
        return shape[:-1] + (2 * shape[-1],)
    if layout == "expanded":
        return (1,) + shape[1:]
    if layout == "offset":
        return (shape[0] + 2,) + shape[1:]
    if layout == "tail":
        return (shape[0] + 1,) + shape[1:]
    raise ValueError(layout)


def apply_layout(x, shape, layout):
    """A view of x (built with base_shape) that has `shape` and is not contiguous."""
    shape = tuple(shape)
    if not shape or layout == "contig" or (layout == "transposed" and len(shape) < 2):
        return x
    if layout == "transposed":
        return x.permute(*reversed(range(len(shape))))
    if layout == "stepped":
        return x[..., ::2]
    if layout == "expanded":
        return x.expand(*shape)
    if layout in ("offset", "tail"):
        return x.narrow(0, 1, shape[0])
    raise ValueError(layout)


def spec(shape, dtype="float32", seed=0, layout="contig", domain="any", data=None):
    """A tensor input of a case: det_values(seed, domain) for the base shape, or explicit
    flat data for the base shape. Defaults are left out to keep the golden file small."""
    if layout not in FUZZ_LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    s = {"shape": list(shape)}
    if dtype != "float32":
        s["dtype"] = dtype
    if layout != "contig":
        s["layout"] = layout
    if data is not None:
        s["data"] = [enc(v) for v in data]
        if len(data) != prod(base_shape(shape, layout)):
            raise ValueError(f"{len(data)} values for base shape {base_shape(shape, layout)}")
        return s
    if seed:
        s["seed"] = seed
    if domain != "any":
        s["domain"] = domain
    return s


def input_dtypes(case):
    """The dtype names of a case's input specs."""
    return {s.get("dtype", "float32") for s in case["inputs"]}


def spec_values(s):
    layout = s.get("layout", "contig")
    if "data" in s:
        return [dec(v) for v in s["data"]]
    n = prod(base_shape(s["shape"], layout))
    return det_values(n, s.get("dtype", "float32"), s.get("seed", 0), s.get("domain", "any"))


def build(m, s, device=None):
    """The tensor a spec describes, for module m (torch or webtensor); on `device` the base
    tensor is moved there first, so the layout's view is a view of device memory."""
    layout = s.get("layout", "contig")
    base = m.tensor(spec_values(s), dtype=dtype_of(m, s.get("dtype", "float32")))
    base = base.reshape(base_shape(s["shape"], layout))
    if device is not None:
        base = base.to(device)
    return apply_layout(base, s["shape"], layout)


def formula_fingerprint():
    """A checksum of det_values: golden files store it, so a changed formula is caught."""
    acc = 0
    for dt in DTYPES:
        for dom in ("any", "pos", "unit", "near1", "nonzero", "wide", "special", "distinct",
                    "idx5"):
            for seed in (0, 1, 7):
                for i, v in enumerate(det_values(40, dt, seed, dom)):
                    acc = (acc * 31 + _stable(repr(v)) + i) % (1 << 61)
    return acc


def _stable(text):
    h = 0
    for ch in text:
        h = (h * 131 + ord(ch)) % (1 << 61)
    return h


# ---- running a case --------------------------------------------------------------------------
def decode_arg(a, tensors):
    if isinstance(a, dict):
        if "t" in a:
            return tensors[a["t"]]
        if "f" in a:
            return float(a["f"])
        if "dtype" in a:
            return a  # resolved by call_op with the module
        if "tuple" in a:
            return tuple(decode_arg(x, tensors) for x in a["tuple"])
    if isinstance(a, list):
        return [decode_arg(x, tensors) for x in a]
    return a


def _resolve_dtypes(m, v):
    if isinstance(v, dict) and "dtype" in v:
        return dtype_of(m, v["dtype"])
    return v


def call_op(m, case, tensors, resolve=None):
    """Run case (op, call, args, kwargs) with module m on already-built input tensors."""
    raw = case.get("args")
    if raw is None:
        raw = [{"t": i} for i in range(len(tensors))]
    args = [_resolve_dtypes(m, decode_arg(a, tensors)) for a in raw]
    kwargs = {k: _resolve_dtypes(m, decode_arg(v, tensors))
              for k, v in case.get("kwargs", {}).items()}
    call = case.get("call", "fn")
    op = case["op"]
    if call == "fn":
        fn = resolve(op) if resolve else getattr(m, op)
        return fn(*args, **kwargs)
    if call == "method":
        return getattr(args[0], op)(*args[1:], **kwargs)
    if call == "inplace":
        r = getattr(args[0], op + "_")(*args[1:], **kwargs)
        if r is not args[0]:
            raise AssertionError(f"{op}_ returned a new tensor instead of self")
        return r
    raise ValueError(call)


def _encoded_tensor(r, flat):
    return {"dtype": name_of(r.dtype), "shape": list(r.shape), "data": [enc(v) for v in flat]}


def encode_result(r):
    """A tensor / tuple of tensors / Python number as JSON-able data (same for torch and us).
    A tensor on another device is read back synchronously (tolist)."""
    if isinstance(r, (tuple, list)):
        return {"seq": [encode_result(x) for x in r]}
    if isinstance(r, (bool, int, float)):
        return {"scalar": enc(r)}
    return _encoded_tensor(r, r.reshape(-1).tolist())


async def encode_result_async(r):
    """encode_result, reading device tensors back with `await t.tolist_async()`."""
    if isinstance(r, (tuple, list)):
        return {"seq": [await encode_result_async(x) for x in r]}
    if isinstance(r, (bool, int, float)):
        return {"scalar": enc(r)}
    return _encoded_tensor(r, await r.reshape(-1).tolist_async())


def encode_error(e):
    """An exception as a result: its type name (what cases compare) and message."""
    return {"error": type(e).__name__, "message": str(e)[:200]}


def run_encoded(m, case, resolve=None, device=None):
    """encode_result of the case under m (inputs on `device`), or {"error": exception type
    name}."""
    tensors = [build(m, s, device) for s in case["inputs"]]
    try:
        r = call_op(m, case, tensors, resolve)
    except Exception as e:  # noqa: BLE001 - the type is the result
        return encode_error(e)
    return encode_result(r)


async def run_encoded_async(m, case, device):
    """run_encoded with the result read back through `await t.tolist_async()`."""
    tensors = [build(m, s, device) for s in case["inputs"]]
    try:
        r = call_op(m, case, tensors)
    except Exception as e:  # noqa: BLE001 - the type is the result
        return encode_error(e)
    return await encode_result_async(r)


# ---- comparison ------------------------------------------------------------------------------
def values_close(a, e, rtol, atol):
    if isinstance(e, bool) or isinstance(a, bool):
        return type(a) is type(e) and a == e
    if isinstance(e, int) and isinstance(a, int):
        return a == e  # integers: exact
    a, e = float(a), float(e)
    if e != e or a != a:
        return e != e and a != a
    if math.isinf(e) or math.isinf(a):
        return a == e
    return abs(a - e) <= atol + rtol * abs(e)


def assert_values_close(actual, expected, dtype, rtol=None, atol=None, what="values"):
    if len(actual) != len(expected):
        raise AssertionError(f"{what}: {len(actual)} elements, expected {len(expected)}")
    drt, dat = TOL.get(dtype, (0.0, 0.0))
    rtol = drt if rtol is None else rtol
    atol = dat if atol is None else atol
    bad = [(i, a, e) for i, (a, e) in enumerate(zip(actual, expected))
           if not values_close(a, e, rtol, atol)]
    if bad:
        shown = ", ".join(f"[{i}] {a!r} != {e!r}" for i, a, e in bad[:8])
        raise AssertionError(f"{what} ({dtype}, rtol={rtol}, atol={atol}): {len(bad)} of "
                             f"{len(expected)} differ: {shown}")


def assert_encoded_match(actual, expected, rtol=None, atol=None, what="result"):
    """Compare two encode_result()/run_encoded() values (actual first)."""
    if "error" in expected or "error" in actual:
        if actual.get("error") != expected.get("error"):
            raise AssertionError(f"{what}: got {_short(actual)}, expected {_short(expected)}")
        return
    if "seq" in expected:
        if "seq" not in actual or len(actual["seq"]) != len(expected["seq"]):
            raise AssertionError(f"{what}: got {_short(actual)}, expected {_short(expected)}")
        for i, (a, e) in enumerate(zip(actual["seq"], expected["seq"])):
            assert_encoded_match(a, e, rtol, atol, f"{what}[{i}]")
        return
    if "scalar" in expected:
        if "scalar" not in actual:
            raise AssertionError(f"{what}: got {_short(actual)}, expected a scalar")
        assert_values_close([dec(actual["scalar"])], [dec(expected["scalar"])], "float64",
                            rtol, atol, what)
        return
    if actual.get("dtype") != expected["dtype"]:
        raise AssertionError(f"{what}: dtype {actual.get('dtype')}, expected {expected['dtype']}")
    if actual.get("shape") != expected["shape"]:
        raise AssertionError(f"{what}: shape {actual.get('shape')}, expected {expected['shape']}")
    assert_values_close([dec(v) for v in actual["data"]], [dec(v) for v in expected["data"]],
                        expected["dtype"], rtol, atol, what)


def _short(r):
    if "error" in r:
        return f"{r['error']}({r.get('message', '')!r})"
    if "seq" in r:
        return f"seq of {len(r['seq'])}"
    if "scalar" in r:
        return f"scalar {r['scalar']!r}"
    return f"{r['dtype']}{r['shape']}"


@contextlib.contextmanager
def guard_bytes():
    """Every storage made in the block carries guard bytes, checked after each kernel call
    (a kernel that writes outside its regions raises)."""
    from webtensor import _storage
    prev = _storage.guards_enabled()
    _storage.set_guards(True)
    try:
        yield
    finally:
        _storage.set_guards(prev)


@contextlib.contextmanager
def using_backend(name):
    """Run a block on one backend; restore the previous one. Raises if it does not load."""
    from webtensor import backends
    prev = backends.get_backend()
    backends.set_backend(name)
    try:
        yield
    finally:
        backends.set_backend(prev)


# byte offsets of the float16 fields of each GGUF block kind (webtensor.quant)
QUANT_HALVES = {"q8_0": (0,), "q4_1": (0, 2), "q4_0": (0,), "q5_0": (0,), "q5_1": (0, 2),
                "q4_k": (0, 2), "q6_k": (208,)}


def quant_blocks(rng, nblocks, kind):
    """nblocks valid `kind` blocks (random.Random rng): random quants and scales, the float16
    fields finite (|h| < 1)."""
    import struct
    from webtensor.backends.reference.quant import BLOCK_BYTES
    bb = BLOCK_BYTES[kind]
    out = bytearray(rng.randrange(256) for _ in range(nblocks * bb))
    for b in range(nblocks):
        for o in QUANT_HALVES[kind]:
            struct.pack_into("<e", out, b * bb + o, rng.uniform(-1, 1))
    return bytes(out)
