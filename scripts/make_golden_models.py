#!/usr/bin/env python3
"""Write tests/golden/models/*.json: reference outputs of the models in webtensor/models/,
made on CPython, replayed by tests/models/ (stdlib only, so also inside Pyodide).

  minilm.json  sentences, their token ids (the tokenizers package), and sentence-transformers'
               embeddings of them (all-MiniLM-L6-v2 from .cache/models/); the script checks
               that minilm.py under real torch agrees (cosine >= 0.9999) before writing.
  digits.json  (written by scripts/train_digits_cnn.py, which owns the trained weights)

Usage: HF_HUB_OFFLINE=1 python scripts/make_golden_models.py [--check]
"""
import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "golden" / "models"
MINILM_DIR = ROOT / ".cache" / "models" / "all-MiniLM-L6-v2"
MODELS = ROOT / "pyodide_pkg" / "webtensor" / "models"
DIGITS = 6          # rounding of stored floats
SENTENCES = [
    "Hello world!",
    "The quick brown fox jumps over the lazy dog.",
    "Ünïcödé text, ça va? 東京タワー 🙂",
    "   whitespace\truns\n\nand CAPITALS   ",
    "A man is playing a guitar on the stage while the crowd sings along with him.",
    "pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
]


def load_by_path(name, path):
    """A model file as a module under whatever `torch` is importable (real torch here)."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def minilm_golden():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from safetensors.torch import load_file
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    st = SentenceTransformer(str(MINILM_DIR), device="cpu")
    ref = st.encode(SENTENCES, convert_to_tensor=True, normalize_embeddings=True)
    tok = Tokenizer.from_file(str(MINILM_DIR / "tokenizer.json"))
    tok.enable_truncation(max_length=st.max_seq_length)
    tok.no_padding()            # tokenizer.json pads to a fixed 128
    ids = [tok.encode(s).ids for s in SENTENCES]
    m = load_by_path("minilm_torch", MODELS / "minilm.py")
    model = m.SentenceEmbedder(m.BertConfig.from_json(MINILM_DIR / "config.json")).eval()
    model.load_hf_state_dict(load_file(str(MINILM_DIR / "model.safetensors")))
    with torch.no_grad():
        for i, row in enumerate(ids):
            x = torch.tensor([row])
            e = model(x, torch.ones_like(x))[0]
            cos = torch.nn.functional.cosine_similarity(e, ref[i], dim=0).item()
            if cos < 0.9999:
                sys.exit(f"minilm.py under torch disagrees with sentence-transformers on "
                         f"{SENTENCES[i]!r}: cosine {cos}")
    return {"model": "all-MiniLM-L6-v2", "source": "sentence-transformers "
            + __import__("sentence_transformers").__version__,
            "max_seq_length": st.max_seq_length, "sentences": SENTENCES, "input_ids": ids,
            "embeddings": [[round(v, DIGITS) for v in row] for row in ref.tolist()]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "minilm.json"
    text = json.dumps(minilm_golden(), separators=(",", ":")) + "\n"
    if args.check:
        old = json.loads(path.read_text())
        new = json.loads(text)
        worst = max(abs(a - b) for ra, rb in zip(old["embeddings"], new["embeddings"])
                    for a, b in zip(ra, rb))
        if old["input_ids"] != new["input_ids"] or worst > 1e-5:
            sys.exit(f"{path} is out of date (max diff {worst})")
        print(f"{path} up to date (max diff {worst:.1e})")
        return
    path.write_text(text)
    print(f"wrote {path} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
