"""Typed element access for the kernels generated once per dtype (scans, scatter, sort):
a storage binding's WGSL declaration plus ld_<V>(o) / st_<V>(o, v) helpers, o an element
offset, v in the dtype's compute type (kernels.TYPES: f32 for the floats, i32 for the signed
ints, u32 for uint8 / bool, vec2<u32> (lo, hi) for int64 and float64's raw bits).

A read_write binding of a 1- or 2-byte dtype is array<atomic<u32>>: its loads are atomicLoad
and its stores the atomicAnd/atomicOr pair, so threads owning neighbouring elements of one word
never clobber each other.
"""
from . import kernels as K

# dtype -> its value kind in the generated kernels: f (f32), i (i32), u (u32), b (bool, u32
# 0/1), l (int64 as vec2<u32>), d (float64: raw vec2<u32> bits, no arithmetic: WGSL has no f64)
KIND = {"float32": "f", "float16": "f", "bfloat16": "f", "int32": "i", "int16": "i",
        "int8": "i", "uint8": "u", "bool": "b", "int64": "l", "float64": "d"}
_E8 = (8, "vec2<u32>", "r", "v")

# unsigned 64-bit keys as vec2<u32>(lo, hi): klt compares them, hi word first
KLT = """
fn klt(a: vec2<u32>, b: vec2<u32>) -> bool { return a.y < b.y || (a.y == b.y && a.x < b.x); }
"""
# float64 order on raw (lo, hi) bits (scatter's amax / amin, sort's keys): f64_key maps the
# bits to a key (klt) in the order of the values, -0 and +0 to one key; NaN has none (f64_nan).
F64_ORDER = """
fn f64_nan(r: vec2<u32>) -> bool {
  return (r.y & 0x7ff00000u) == 0x7ff00000u && ((r.y & 0xfffffu) | r.x) != 0u;
}
fn f64_key(r: vec2<u32>) -> vec2<u32> {
  if ((r.y & 0x7fffffffu) == 0u && r.x == 0u) { return vec2<u32>(0u, 0x80000000u); }
  if ((r.y >> 31u) == 1u) { return ~r; }
  return vec2<u32>(r.x, r.y | 0x80000000u);
}
"""


def info(dt):
    """(bytes, WGSL type, decode(r), encode(v)) of dtype name dt."""
    return _E8 if dt == "float64" else K.TYPES[dt]


def binding(var, k, dt, write=False):
    """WGSL text: binding k named var (dtype name dt) and its ld_/st_ helpers."""
    size, ty, dec, enc = info(dt)
    atomic = write and size < 4
    arr = "array<atomic<u32>>" if atomic else "array<u32>"
    access = "read_write" if write else "read"
    word = (lambda i: f"atomicLoad(&{var}[{i}])") if atomic else (lambda i: f"{var}[{i}]")
    raw = {1: f"(({word('o >> 2u')} >> ((o & 3u) * 8u)) & 0xffu)",
           2: f"(({word('o >> 1u')} >> ((o & 1u) * 16u)) & 0xffffu)",
           4: word("o"), 8: f"vec2<u32>({word('2u * o')}, {word('2u * o + 1u')})"}[size]
    lines = [f"@group(0) @binding({k}) var<storage, {access}> {var}: {arr};",
             f"fn ld_{var}(o: u32) -> {ty} {{ let r = {raw}; return {dec}; }}"]
    if write:
        lines.append(f"fn st_{var}(o: u32, v: {ty}) {{ let r = {enc}; "
                     f"{K._RAW_STORE[size].format(B=var)} }}")
    return "\n".join(lines)


def template(family, **fill):
    """common.wgsl + wgsl/<family>.wgsl (after its header comment) with {{KEY}} filled in."""
    body = K.wgsl(family).split("\n// END OF COMMENT\n", 1)[1]
    for key, text in fill.items():
        body = body.replace("{{" + key + "}}", text)
    return K.wgsl("common") + "\n" + body


def pipe(host, name, make):
    """The pipeline of kernel `name`, its source made by make(name) the first time (the host
    compiles once per name)."""
    src = _SOURCES.get(name)
    if src is None:
        src = _SOURCES[name] = make(name)
    return host.pipeline(name, src)


_SOURCES = {}


def unsupported(prim, dt, why):
    """Decline a case WGSL cannot run: NotImplemented while the opt-in CPU fallback is on (it
    then runs on the CPU), else a NotImplementedError naming the primitive, dtype and why."""
    from . import fallback
    if fallback.ENABLED[0]:
        return NotImplemented
    raise NotImplementedError(f"webtensor: primitive {prim!r} has no WebGPU kernel for dtype "
                              f"{dt}: {why}; webtensor.webgpu.set_cpu_fallback(True) runs it "
                              "on the CPU")
