"""WGSL sources of the webgpu backend, assembled from wgsl/*.wgsl and the op tables below.

Kernel (= WGSL entry point = pipeline) names: <primitive>_<op>_<dtype> (unary_exp_float32,
binary_lt_float32), copy_e<bytes> (same dtype, raw elements), copy_<src>_<dst> (conversion),
fill_e<bytes>, where_e<bytes>. Every elementwise kernel is wgsl/elementwise.wgsl filled in
here: one thread per output element, strided loads and stores through common.wgsl's offs().

float16 has two storage forms, told apart in kernel names: `float16` packed two per u32 word
(any adapter), `f16` an array<f16> (`enable f16;`, the adapter's shader-f16): half_name(host)
picks one. Both compute in f32 and round as torch does (common.wgsl's f16_bits). The `f16`
kernels: copy_f16, fill_f16, where_f16 (float16 elements), copy_f16_<dst>, copy_<src>_f16.
"""
from importlib import resources

_TEXT = {}


def wgsl(name):
    t = _TEXT.get(name)
    if t is None:
        t = _TEXT[name] = resources.files(__package__).joinpath("wgsl").joinpath(name + ".wgsl") \
            .read_text()
    return t


# ---- element types -------------------------------------------------------------------------
# dtype -> (bytes, or "h": an array<f16> element; WGSL value type, decode(raw r), encode(value
# v)); "e<n>" are raw elements.
TYPES = {
    "float32": (4, "f32", "bitcast<f32>(r)", "bitcast<u32>(v)"),
    "float16": (2, "f32", "f16_to_f32(r)", "f16_bits(v)"),
    "f16": ("h", "f32", "f32(r)", "f16_of(v)"),      # array<f16>: r is an f16
    "e2h": ("h", "f16", "r", "v"),                     # array<f16>, raw elements
    "bfloat16": (2, "f32", "bitcast<f32>(r << 16u)", "bf16_bits(v)"),
    "int32": (4, "i32", "bitcast<i32>(r)", "bitcast<u32>(v)"),
    "int16": (2, "i32", "(bitcast<i32>(r << 16u) >> 16u)", "bitcast<u32>(v)"),
    "int8": (1, "i32", "(bitcast<i32>(r << 24u) >> 24u)", "bitcast<u32>(v)"),
    "uint8": (1, "u32", "r", "v"),
    "bool": (1, "u32", "r", "v"),
    "int64": (8, "vec2<u32>", "r", "v"),
    "e1": (1, "u32", "r", "v"), "e2": (2, "u32", "r", "v"), "e4": (4, "u32", "r", "v"),
    "e8": (8, "vec2<u32>", "r", "v"),
}
FLOATS = ("float32", "float16", "bfloat16")
CONVERTIBLE = ("float32", "float16", "f16", "bfloat16", "int32", "int16", "int8", "uint8",
               "bool", "int64")
F16_ENABLE = "enable f16;\n"
# torch's rounding in integer ops; the f16() of the exactly representable result is then exact
# (naga cannot bitcast a u32 to vec2<f16>)
F16_OF = "fn f16_of(x: f32) -> f16 { return f16(f16_to_f32(f16_bits(x))); }\n"

_RAW_LOAD = {
    1: "(({B}[o >> 2u] >> ((o & 3u) * 8u)) & 0xffu)",
    2: "(({B}[o >> 1u] >> ((o & 1u) * 16u)) & 0xffffu)",
    4: "{B}[o]",
    8: "vec2<u32>({B}[2u * o], {B}[2u * o + 1u])",
    "h": "{B}[o]",
}
_RAW_STORE = {
    1: "let sh = (o & 3u) * 8u; atomicAnd(&{B}[o >> 2u], ~(0xffu << sh)); "
       "atomicOr(&{B}[o >> 2u], (r & 0xffu) << sh);",
    2: "let sh = (o & 1u) * 16u; atomicAnd(&{B}[o >> 1u], ~(0xffffu << sh)); "
       "atomicOr(&{B}[o >> 1u], (r & 0xffffu) << sh);",
    4: "{B}[o] = r;",
    8: "{B}[2u * o] = r.x; {B}[2u * o + 1u] = r.y;",
    "h": "{B}[o] = r;",
}
_ARRAY = {1: "array<atomic<u32>>", 2: "array<atomic<u32>>", "h": "array<f16>"}


def functions(name, *fns):
    """The text of functions `fns` of wgsl/<name>.wgsl, for a module that cannot take all of it
    (matmul.wgsl has its own binding 0)."""
    text, out = wgsl(name), []
    for f in fns:
        i = text.index(f"\nfn {f}(") + 1
        out.append(text[i:text.index("\n}\n", i) + 3])
    return "".join(out)


def f16_helpers():
    """f16_of and what it needs, for a module without common.wgsl (`enable f16;` first)."""
    return functions("common", "f16_to_f32", "f16_bits") + F16_OF


def tint(host):
    """True when the host compiles WGSL with Tint (browsers), False for naga (wgpu-native)."""
    return not host.info["backend"].startswith("wgpu-native")


def directives(f16=False, subgroups=False, tint=True):
    """The directives of a module using f16 / subgroups. naga has the subgroup builtins without
    `enable subgroups;` and rejects that line; Tint wants it, and its uniformity analysis cannot
    see that a value is uniform per subgroup."""
    d = F16_ENABLE if f16 else ""
    if subgroups and tint:
        d += "enable subgroups;\ndiagnostic(off, subgroup_uniformity);\n"
    return d


def half_name(host):
    """The float16 token of kernel names on this host: `f16` (array<f16>) or `float16`."""
    return "f16" if "shader-f16" in host.info["features"] else "float16"


def f16_header(src):
    """`enable f16;` and the f16 helpers, for a kernel source that uses f16."""
    return F16_ENABLE + wgsl("common") + F16_OF + src


def _kind(dt):
    return "f" if dt in FLOATS or dt == "f16" else TYPES[dt][1]     # f32 / i32 / u32 / vec2<u32>


def convert(src, dst, v):
    """WGSL expression: value v of dtype src as dtype dst (torch's casts)."""
    if src == dst:
        return v
    ks, kd = _kind(src), _kind(dst)
    if dst == "bool":
        nz = {"f": f"(bitcast<u32>({v}) & 0x7fffffffu) != 0u",     # not +-0: NaN is True
              "i32": f"{v} != 0", "u32": f"{v} != 0u", "vec2<u32>": f"({v}.x | {v}.y) != 0u"}[ks]
        return f"select(0u, 1u, {nz})"
    if ks == "f" or kd == "f":
        f = {"f": v, "i32": f"f32({v})", "u32": f"f32({v})", "vec2<u32>": f"i64_to_f32({v})"}[ks]
        return {"f": f, "i32": f"i32({f})", "u32": f"u32(i32({f}))",
                "vec2<u32>": f"f32_to_i64({f})"}[kd]
    i = {"i32": v, "u32": f"bitcast<i32>({v})", "vec2<u32>": f"bitcast<i32>({v}.x)"}[ks]
    return {"i32": i, "u32": f"bitcast<u32>({i})",
            "vec2<u32>": f"vec2<u32>(bitcast<u32>({i}), select(0u, 0xffffffffu, {i} < 0))"}[kd]


def elementwise(entry, out, ins, body):
    """Source of one elementwise kernel: out/ins dtypes (bindings 1 and 2..), body: WGSL
    statements using the loaded inputs (named by `ins` as (name, dtype)) that end with
    `st_B0(offs(i, 0u), <value>);`."""
    lines, helpers, loads = [], [], []
    for k, (var, dt) in enumerate([("", out)] + list(ins)):
        size, ty, dec, enc = TYPES[dt]
        b = f"B{k}"
        if k == 0:
            arr = _ARRAY.get(size, "array<u32>")
            lines.append(f"@group(0) @binding(1) var<storage, read_write> B0: {arr};")
            helpers.append(f"fn st_B0(o: u32, v: {ty}) {{ let r = {enc}; "
                           f"{_RAW_STORE[size].format(B=b)} }}")
        else:
            arr = "array<f16>" if size == "h" else "array<u32>"
            lines.append(f"@group(0) @binding({k + 1}) var<storage, read> {b}: {arr};")
            helpers.append(f"fn ld_{b}(o: u32) -> {ty} {{ let r = {_RAW_LOAD[size].format(B=b)};"
                           f" return {dec}; }}")
            loads.append(f"  let {var} = ld_{b}(offs(i, {k}u));")
    src = (wgsl("elementwise").split("\n// END OF COMMENT\n", 1)[1]
           .replace("{{BINDINGS}}", "\n".join(lines))
           .replace("{{HELPERS}}", "\n".join(helpers)).replace("{{ENTRY}}", entry)
           .replace("{{LOADS}}", "\n".join(loads)).replace("{{STORE}}", "  " + body))
    if any(TYPES[dt][0] == "h" for dt in [out] + [d for _, d in ins]):
        return f16_header("\n" + src)
    return wgsl("common") + "\n" + src


# ---- op tables (names as in ops.table.UNARY / BINARY) -----------------------------------------
UNARY_F32 = {
    "neg": "-x", "abs": "abs(x)", "exp": "exp(x)",
    "log": "select(select(log(x), -inf(), x == 0.0), nan(), x < 0.0)",
    "log1p": "select(select(select(select(log(u) * (x / (u - 1.0)), x, u == 1.0), inf(),"
             " x == inf()), -inf(), x == -1.0), nan(), x < -1.0)",
    "expm1": "select(select(select(select((u - 1.0) * (x / log(u)), x, u == 1.0), -1.0, u == 0.0),"
             " u, u == inf()), x, is_nan(x))",
    "sqrt": "select(sqrt(x), nan(), x < 0.0)",
    "rsqrt": "select(select(1.0 / sqrt(x), nan(), x < 0.0), select(inf(), -inf(), "
             "bitcast<u32>(x) == 0x80000000u), x == 0.0)",
    "sin": "sin(x)", "cos": "cos(x)",
    "tanh": "select(tanh(clamp(x, -15.0, 15.0)), x, is_nan(x) || x == 0.0)",   # keeps -0
    "sigmoid": "1.0 / (1.0 + exp(-x))",
    "relu": "select(x, 0.0, x < 0.0)",
    "gelu": "0.5 * x * (1.0 + erf_f(x * 0.70710678118654752))",
    "gelu_tanh": "0.5 * x * (1.0 + tanh(clamp(0.79788456080286536 * (x + 0.044715 * x * x * x),"
                 " -15.0, 15.0)))",
    "silu": "x / (1.0 + exp(-x))",
    "erf": "erf_f(x)",
    "floor": "floor(x)", "ceil": "ceil(x)", "round": "round(x)",
    "sign": "select(sign(x), 0.0, is_nan(x))",
    "reciprocal": "1.0 / x",
}
# NaN in, NaN out (SwiftShader's exp(NaN) is inf, log(NaN) 89.1, so sigmoid(NaN) 0)
for _op in ("exp", "log", "log1p", "sigmoid", "silu", "gelu", "gelu_tanh", "erf", "sin", "cos",
            "sqrt", "rsqrt"):
    UNARY_F32[_op] = f"select({UNARY_F32[_op]}, x, is_nan(x))"
_UNARY_PRE = {"log1p": "let u = 1.0 + x; ", "expm1": "let u = exp(x); "}

BINARY_F32 = {
    "add": "a + b", "sub": "a - b", "mul": "a * b", "div": "a / b",
    "div_trunc": "trunc(a / b)", "div_floor": "floor(a / b)",
    "maximum": "select(max(a, b), nan(), is_nan(a) || is_nan(b))",
    "minimum": "select(min(a, b), nan(), is_nan(a) || is_nan(b))",
    "pow": "pow_f(a, b)", "atan2": "atan2_f(a, b)",
    "remainder": "select(a - b * floor(a / b), nan(), b == 0.0)",
}
COMPARE = {"eq": "a == b", "ne": "a != b", "lt": "a < b", "le": "a <= b", "gt": "a > b",
           "ge": "a >= b"}
# float comparisons test NaN by bits (WGSL lets compilers assume no NaN): only ne holds
COMPARE_F32 = {op: f"(is_nan(a) || is_nan(b) || {e})" if op == "ne" else
               f"(!is_nan(a) && !is_nan(b) && {e})" for op, e in COMPARE.items()}
_INT = {"add": "a + b", "sub": "a - b", "mul": "a * b", "maximum": "max(a, b)",
        "minimum": "min(a, b)"}
_BITWISE = {"bitwise_and": "a & b", "bitwise_or": "a | b", "bitwise_xor": "a ^ b"}
_LOGICAL = {"logical_and": "(a != 0u) && (b != 0u)", "logical_or": "(a != 0u) || (b != 0u)",
            "logical_xor": "(a != 0u) != (b != 0u)"}
# dtype -> ({op: value expression}, {op: bool expression (output dtype bool)})
BINARY = {
    "float32": (BINARY_F32, COMPARE_F32),
    "int32": (dict(_INT, **_BITWISE), COMPARE),
    "int64": ({"add": "add64(a, b)", "sub": "sub64(a, b)", "mul": "mul64(a, b)",
               "maximum": "select(a, b, lt64(a, b))", "minimum": "select(b, a, lt64(a, b))",
               **_BITWISE},
              {"eq": "all(a == b)", "ne": "any(a != b)", "lt": "lt64(a, b)",
               "le": "!lt64(b, a)", "gt": "lt64(b, a)", "ge": "!lt64(a, b)"}),
    "bool": (_BITWISE, dict(_LOGICAL, eq="a == b", ne="a != b")),
}


def source(name):
    """The WGSL of kernel `name` (its entry point), or None if there is no such kernel."""
    kind, _, rest = name.partition("_")
    if kind == "unary" and rest.endswith("_float32"):
        op = rest[:-len("_float32")]
        if op in UNARY_F32:
            return elementwise(name, "float32", [("x", "float32")],
                               f"{_UNARY_PRE.get(op, '')}st_B0(offs(i, 0u), {UNARY_F32[op]});")
    if kind == "binary":
        op, _, dt = rest.rpartition("_")
        values, preds = BINARY.get(dt, ({}, {}))
        if op in values:
            return elementwise(name, dt, [("a", dt), ("b", dt)],
                               f"st_B0(offs(i, 0u), {values[op]});")
        if op in preds:
            return elementwise(name, "bool", [("a", dt), ("b", dt)],
                               f"st_B0(offs(i, 0u), select(0u, 1u, {preds[op]}));")
    if kind == "copy" and rest in ("e1", "e2", "e4", "e8", "f16"):
        dt = "e2h" if rest == "f16" else rest
        return elementwise(name, dt, [("x", dt)], "st_B0(offs(i, 0u), x);")
    if kind == "copy":
        for src in CONVERTIBLE:
            if rest.startswith(src + "_") and rest[len(src) + 1:] in CONVERTIBLE:
                dst = rest[len(src) + 1:]
                return elementwise(name, dst, [("x", src)],
                                   f"st_B0(offs(i, 0u), {convert(src, dst, 'x')});")
    if kind == "fill" and rest == "f16":          # the float16 bits in word 36
        return elementwise(name, "f16", [], "st_B0(offs(i, 0u), f16_to_f32(p(36u)));")
    if kind == "fill" and rest in ("e1", "e2", "e4", "e8"):
        value = "vec2<u32>(p(36u), p(37u))" if rest == "e8" else "p(36u)"
        return elementwise(name, rest, [], f"st_B0(offs(i, 0u), {value});")
    if kind == "where" and rest in ("e1", "e2", "e4", "e8", "f16"):
        dt = "e2h" if rest == "f16" else rest
        return elementwise(name, dt, [("c", "e1"), ("a", dt), ("b", dt)],
                           "st_B0(offs(i, 0u), select(b, a, c != 0u));")
    return None
