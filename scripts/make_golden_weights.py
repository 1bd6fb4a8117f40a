#!/usr/bin/env python3
"""Write tests/golden/weights/: tiny weight files made by the real writers on CPython (the
`safetensors` package, `torch.save` in zip and legacy formats, llama.cpp's `gguf` package),
hostile checkpoints that try to
run code, and expected.json with every tensor's dtype, shape and values. The portable test
(tests/portable/test_portable_serialization.py) loads them with webtensor on CPython and inside
Pyodide. A few KB in all.

Usage: python scripts/make_golden_weights.py
"""
import collections
import io
import json
import pickle
import zipfile
from pathlib import Path

import torch
from safetensors.torch import save as st_save

OUT = Path(__file__).resolve().parent.parent / "tests" / "golden" / "weights"


def tensors():
    g = torch.Generator().manual_seed(0)
    w = torch.randn(3, 5, generator=g)
    return {
        "f32": w,
        "f16": torch.randn(4, generator=g).half(),
        "bf16": torch.randn(2, 3, generator=g).bfloat16(),
        "f64": torch.randn(2, generator=g).double(),
        "i64": torch.tensor([-3, 0, 2 ** 40]),
        "i32": torch.tensor([[1, -2], [3, 4]], dtype=torch.int32),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
    }


def checkpoint():
    """A state-dict-like object with shared storage, views and containers."""
    t = tensors()
    base = torch.arange(12.0).reshape(3, 4)
    return collections.OrderedDict(
        [("weight", t["f32"]), ("half", t["f16"]), ("bf16", t["bf16"]), ("ids", t["i64"]),
         ("mask", t["bool"]), ("base", base), ("column", base[:, 1]), ("transposed", base.t()),
         ("param", torch.nn.Parameter(torch.ones(2))), ("scalar", t["scalar"]),
         ("nested", {"list": [t["i32"], 7, "text"], "tuple": (1.5, None)}),
         ("step", 3)])


def describe(obj):
    if isinstance(obj, torch.Tensor):
        v = obj.detach()
        if v.dtype in (torch.float16, torch.bfloat16):
            v = v.float()
        return {"tensor": str(obj.dtype).replace("torch.", ""), "shape": list(obj.shape),
                "values": v.flatten().tolist(), "requires_grad": obj.requires_grad}
    if isinstance(obj, dict):
        return {"dict": [[k, describe(v)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        return {type(obj).__name__: [describe(v) for v in obj]}
    return {"value": obj}


class _Evil:
    """Unpickles to a call of `fn(arg)`: what a hostile checkpoint does."""
    def __init__(self, fn, arg):
        self.fn, self.arg = fn, arg

    def __reduce__(self):
        return (self.fn, (self.arg,))


def evil_zip(payload):
    """A torch.save zip whose data.pkl is replaced by `payload`."""
    src = io.BytesIO()
    torch.save({"w": torch.ones(2)}, src)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src.getvalue())) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = payload if info.filename.endswith("data.pkl") else zin.read(info)
            zout.writestr(info.filename, data)
    return out.getvalue()


def write_gguf(path):
    """A GGUF file with every metadata value type, plain and quantised tensors; returns what a
    reader must see (values for plain tensors, raw block bytes for quantised ones)."""
    import gguf
    import numpy as np
    rng = np.random.default_rng(0)
    w = gguf.GGUFWriter(str(path), "llama")
    meta = {"u8": (w.add_uint8, 200), "i8": (w.add_int8, -7), "u16": (w.add_uint16, 60000),
            "i16": (w.add_int16, -300), "u32": (w.add_uint32, 4_000_000_000),
            "i32": (w.add_int32, -70000), "f32": (w.add_float32, 0.25),
            "u64": (w.add_uint64, 2 ** 40), "i64": (w.add_int64, -(2 ** 40)),
            "f64": (w.add_float64, 0.1), "flag": (w.add_bool, True),
            "text": (w.add_string, "héllo ✓"), "ints": (w.add_array, [1, 2, 3]),
            "words": (w.add_array, ["a", "", "ccc"])}
    for key, (add, value) in meta.items():
        add(key, value)
    plain = {"f32": rng.standard_normal((2, 32)).astype(np.float32),
             "f16": rng.standard_normal(8).astype(np.float16)}
    for name, arr in plain.items():
        w.add_tensor(name, arr)
    blocks = {}
    for name, kind, bsize in (("q8", gguf.GGMLQuantizationType.Q8_0, 34),
                              ("q4", gguf.GGMLQuantizationType.Q4_1, 20)):
        raw = rng.integers(0, 256, (3, bsize), dtype=np.uint8)
        raw[:, 1] &= 0x3B      # keep the float16 scales finite and small
        blocks[name] = raw
        w.add_tensor(name, raw, raw_dtype=kind)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return {"metadata": dict([("general.architecture", "llama")] +
                             [(k, v) for k, (_, v) in meta.items()]),
            "plain": {k: {"shape": list(a.shape), "values": a.astype(float).flatten().tolist()}
                      for k, a in plain.items()},
            "blocks": {k: {"shape": [3, 32], "hex": b.tobytes().hex()}
                       for k, b in blocks.items()}}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {}
    (OUT / "tiny.safetensors").write_bytes(st_save(tensors(), metadata={"format": "pt"}))
    expected["tiny.safetensors"] = describe(tensors())
    for name, zipped in (("tiny_zip.pt", True), ("tiny_legacy.pt", False)):
        torch.save(checkpoint(), OUT / name, _use_new_zipfile_serialization=zipped)
        expected[name] = describe(checkpoint())
    # Hostile files: each would run code (or build an arbitrary object) if unpickled naively.
    import os
    hostile = {
        "evil_os_system.pt": evil_zip(pickle.dumps({"w": _Evil(os.system, "echo pwned")}, 2)),
        "evil_eval.pt": evil_zip(pickle.dumps(_Evil(eval, "__import__('os').getcwd()"), 2)),
        "evil_module.pt": evil_zip(pickle.dumps(collections.defaultdict(list), 2)),
    }
    legacy = io.BytesIO()
    for obj in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True},
                _Evil(exec, "import os")):
        pickle.dump(obj, legacy, protocol=2)
    hostile["evil_legacy.pt"] = legacy.getvalue()
    for name, data in hostile.items():
        (OUT / name).write_bytes(data)
    expected["tiny.gguf"] = write_gguf(OUT / "tiny.gguf")
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(f"wrote {len(expected) + len(hostile)} files to {OUT}")


if __name__ == "__main__":
    main()
