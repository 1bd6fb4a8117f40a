"""Read what a WASM side module needs: its dylink.0 memory info, imports and exports.

Pure Python with no dependencies, so the build script can verify modules with nothing but
ziglang installed, and the wasmtime loader can lay out memory for the module's data.
"""
from collections import namedtuple

ModuleInfo = namedtuple("ModuleInfo", "mem_size mem_align table_size table_align imports exports")
ModuleInfo.__doc__ = """mem_size/table_size: bytes / table slots the module's data needs;
mem_align/table_align: log2 alignments; imports: [(module, name, kind)];
exports: {name: kind}. kind is "func", "table", "memory" or "global"."""

_KINDS = {0: "func", 1: "table", 2: "memory", 3: "global"}


def _leb(b, i):
    """Unsigned LEB128 at b[i] -> (value, next index)."""
    v = shift = 0
    while True:
        byte = b[i]
        i += 1
        v |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return v, i


def _name(b, i):
    n, i = _leb(b, i)
    return bytes(b[i:i + n]).decode("utf-8"), i + n


def _skip_limits(b, i):
    flags, i = _leb(b, i)
    _, i = _leb(b, i)
    if flags & 1:
        _, i = _leb(b, i)
    return i


def _skip_valtype(b, i):
    t = b[i]
    i += 1
    if t in (0x63, 0x64):   # (ref null ht) / (ref ht)
        _, i = _leb(b, i)
    return i


def parse(data):
    """Parse a wasm binary (bytes) into ModuleInfo."""
    b = memoryview(data)
    if bytes(b[:4]) != b"\0asm":
        raise ValueError("not a wasm module")
    i = 8
    mem = (0, 0, 0, 0)
    imports, exports = [], {}
    while i < len(b):
        sid = b[i]
        size, i = _leb(b, i + 1)
        end = i + size
        if sid == 0:
            name, j = _name(b, i)
            if name == "dylink.0":
                while j < end:
                    sub, j = _leb(b, j)
                    sub_size, j = _leb(b, j)
                    if sub == 1:   # WASM_DYLINK_MEM_INFO
                        vals = []
                        k = j
                        for _ in range(4):
                            v, k = _leb(b, k)
                            vals.append(v)
                        mem = tuple(vals)
                    j += sub_size
        elif sid == 2:   # imports
            count, j = _leb(b, i)
            for _ in range(count):
                mod, j = _name(b, j)
                nm, j = _name(b, j)
                kind = b[j]
                j += 1
                if kind == 0:
                    _, j = _leb(b, j)
                elif kind == 1:
                    j = _skip_valtype(b, j)
                    j = _skip_limits(b, j)
                elif kind == 2:
                    j = _skip_limits(b, j)
                elif kind == 3:
                    j = _skip_valtype(b, j) + 1
                else:
                    raise ValueError(f"unsupported import kind {kind}")
                imports.append((mod, nm, _KINDS[kind]))
        elif sid == 7:   # exports
            count, j = _leb(b, i)
            for _ in range(count):
                nm, j = _name(b, j)
                kind = b[j]
                _, j = _leb(b, j + 1)
                exports[nm] = _KINDS.get(kind, str(kind))
        i = end
    return ModuleInfo(mem[0], mem[1], mem[2], mem[3], imports, exports)


# The only imports our kernel modules may have: what Pyodide's dynamic linker and our
# wasmtime loader both provide. GOT.mem entries (addresses of exported data) are allowed.
ALLOWED_ENV_IMPORTS = {"memory", "__memory_base", "__table_base", "__stack_pointer",
                       "__indirect_function_table"}


def unexpected_imports(info):
    return [(m, n) for m, n, _ in info.imports
            if not ((m == "env" and n in ALLOWED_ENV_IMPORTS) or m == "GOT.mem")]
