"""Text generation for causal LMs, written as ordinary PyTorch code (runs under real torch and
under webtensor): greedy / temperature / top-k / top-p sampling, streamed tokens and text, and
the ChatML chat template.

    ids = tokenizer.encode(apply_chat_template(template, [{"role": "user", "content": "Hi"}])).ids
    for piece in stream_text(model, tokenizer, ids, max_new_tokens=64, eos_token_id=2):
        print(piece, end="")
    out = generate(model, ids, max_new_tokens=20)                        # greedy: list of ids
    g = torch.Generator().manual_seed(0)
    out = generate(model, ids, 20, temperature=0.7, top_k=50, top_p=0.9, generator=g)

The model is called as model(input_ids [1, T], cache, logits_to_keep=1) -> logits [1, 1, V]
and gives a fresh cache from model.make_cache() (see smollm2.py).
"""
import inspect
import re

import torch


def filter_logits(logits, temperature=1.0, top_k=None, top_p=None):
    """Scaled, filtered logits [B, V] (dropped tokens at -inf), in Hugging Face's order:
    temperature, then top-k (keep the k largest), then top-p (keep the smallest set of most
    likely tokens whose probability reaches top_p; always at least one)."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive for sampling, got {temperature} "
                         f"(use temperature=0 in generate() for greedy decoding)")
    logits = logits.float() / temperature
    neg_inf = float("-inf")
    if top_k is not None:
        if not isinstance(top_k, int) or top_k < 1:
            raise ValueError(f"top_k must be a positive int, got {top_k!r}")
        k = min(top_k, logits.shape[-1])
        kth = torch.topk(logits, k, dim=-1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, neg_inf)
    if top_p is not None:
        if not 0.0 < top_p <= 1.0:
            raise ValueError(f"top_p must be in (0, 1], got {top_p!r}")
        if top_p < 1.0:
            sorted_logits, order = torch.sort(logits, dim=-1, descending=False)
            cum = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
            drop = cum <= 1.0 - top_p
            drop[..., -1] = False                  # the most likely token always stays
            logits = logits.masked_fill(drop.scatter(-1, order, drop), neg_inf)
    return logits


def next_token(logits, temperature=0.0, top_k=None, top_p=None, generator=None):
    """Token ids [B] chosen from logits [B, V]: argmax when temperature == 0, else a sample
    from softmax(filter_logits(...)) drawn with `generator`."""
    if temperature == 0:
        return logits.argmax(dim=-1)
    probs = filter_logits(logits, temperature, top_k, top_p).softmax(dim=-1)
    return torch.multinomial(probs, 1, generator=generator)[:, 0]


def _as_ids(input_ids):
    if isinstance(input_ids, torch.Tensor):
        if input_ids.dim() == 1:
            input_ids = input_ids[None]
        if input_ids.dim() != 2 or input_ids.shape[0] != 1:
            raise ValueError(f"generation takes one sequence: input_ids [T] or [1, T], got "
                             f"{list(input_ids.shape)}")
        return input_ids.long()
    ids = list(input_ids)
    if not ids:
        raise ValueError("generation needs at least one prompt token")
    return torch.tensor([ids], dtype=torch.long)


def stream(model, input_ids, max_new_tokens=32, eos_token_id=None, temperature=0.0,
           top_k=None, top_p=None, generator=None):
    """Yield new token ids (ints) one by one: one prefill over the prompt, then one cached
    decode step per token. Stops after max_new_tokens or after yielding eos_token_id (an int
    or a collection of ints)."""
    if max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be >= 0, got {max_new_tokens}")
    eos = set() if eos_token_id is None else \
        {eos_token_id} if isinstance(eos_token_id, int) else set(eos_token_id)
    x = _as_ids(input_ids)
    if x.shape[1] == 0:
        raise ValueError("generation needs at least one prompt token")
    device = next(model.parameters()).device
    x = x.to(device)
    if max_new_tokens > 1 and _can_capture(model, device):
        yield from _stream_captured(model, x, max_new_tokens, eos, temperature, top_k, top_p,
                                    generator)
        return
    cache = model.make_cache()
    for _ in range(max_new_tokens):
        with torch.no_grad():      # per step: a suspended generator must not leak grad mode
            logits = model(x, cache, logits_to_keep=1)[:, -1]
            tok = next_token(logits, temperature, top_k, top_p, generator)
        t = int(tok[0])
        yield t
        if t in eos:
            return
        x = tok[:, None]


def _can_capture(model, device):
    graphs = getattr(torch, "graphs", None)     # webtensor's; real torch runs eagerly here
    return graphs is not None and graphs.is_supported(device) and \
        "capacity" in inspect.signature(model.make_cache).parameters


def _stream_captured(model, x, max_new_tokens, eos, temperature, top_k, top_p, generator):
    """stream() on a device with graph capture: the prompt runs eagerly into a StaticKVCache of
    exactly the needed capacity, the first decode step is captured (and runs), and every later
    step is one replay. Greedy choice runs inside the graph, which also appends each token to a
    device-side history: off the CPU the host reads READ_EVERY tokens per round trip (a
    readback per token would cost a GPU round trip each; eos is then found up to
    READ_EVERY - 1 steps late, and those steps are discarded). Sampling reads the logits back
    and chooses on the CPU, every step."""
    cache = model.make_cache(capacity=x.shape[1] + max_new_tokens)
    greedy = temperature == 0
    every = 1 if x.device.type == "cpu" else READ_EVERY
    with torch.no_grad():
        logits = model(x, cache, logits_to_keep=1)[:, -1]
        tok = next_token(logits if greedy else logits.cpu(), temperature, top_k, top_p,
                         generator)
        t = int(tok[0])
        static = tok[:, None].to(x.device, copy=True)     # the graph's input (and output)
        if greedy:       # history[0, i] = token i (0 is the one above, known on the host)
            history = torch.zeros(1, max_new_tokens, dtype=torch.int64, device=x.device)
            slot = torch.ones(1, dtype=torch.int64, device=x.device)
        graph = torch.graphs.Graph()
        with torch.graphs.graph(graph, device=x.device):
            logits = model(static, cache, logits_to_keep=1)[:, -1]
            if greedy:
                static.copy_(logits.argmax(dim=-1)[:, None])
                history.index_copy_(1, slot, static)
                slot.add_(1)
    yield t
    if t in eos or max_new_tokens == 1:
        return
    done, made = 1, 2             # tokens yielded; tokens computed (the capture ran one step)
    while True:
        if greedy:
            upto = min(done + every, max_new_tokens)
            while made < upto:
                graph.replay()
                made += 1
            ready = history[0, done:made].tolist()
        else:
            if done > 1:
                graph.replay()
            with torch.no_grad():
                tok = next_token(logits.cpu(), temperature, top_k, top_p, generator)
            ready = [int(tok[0])]
            static.copy_(tok[:, None])
        for t in ready:
            yield t
            done += 1
            if t in eos or done == max_new_tokens:
                return


READ_EVERY = 8      # greedy tokens per readback on a device that is not the CPU


def generate(model, input_ids, max_new_tokens=32, eos_token_id=None, temperature=0.0,
             top_k=None, top_p=None, generator=None):
    """The new token ids as a list (eos included when it ends the sequence)."""
    return list(stream(model, input_ids, max_new_tokens, eos_token_id, temperature, top_k,
                       top_p, generator))


def stream_text(model, tokenizer, input_ids, max_new_tokens=32, eos_token_id=None,
                **sampling):
    """Yield text pieces as tokens arrive (tokenizer.decode(ids) -> str). A piece is held back
    while it ends inside a multi-byte character (decode gives U+FFFD there); eos is not
    rendered."""
    eos = set() if eos_token_id is None else \
        {eos_token_id} if isinstance(eos_token_id, int) else set(eos_token_id)
    ids, shown = [], 0
    for t in stream(model, input_ids, max_new_tokens, eos_token_id, **sampling):
        if t in eos:
            break
        ids.append(t)
        text = tokenizer.decode(ids)
        if text.endswith("\ufffd"):
            continue
        if len(text) > shown:
            yield text[shown:]
            shown = len(text)
    text = tokenizer.decode(ids) if ids else ""
    if len(text) > shown:
        yield text[shown:]


# ---- chat template -----------------------------------------------------------------------
# ChatML, as SmolLM2 (and many HF models) write it in Jinja; an optional default system prompt
# inserted when the conversation does not start with one. Only this shape is recognised: the
# template is matched, never executed.
_NL = r"(?:\n|\\n)"
_Q = r"['\"]"
_CHATML = re.compile(
    r"\{%-?\s*for message in messages\s*-?%\}"
    r"(?:\{%-?\s*if loop\.first and messages\[0\]\[Q(role)Q\]\s*!=\s*Q(system)Q\s*-?%\}"
    r"\{\{-?\s*Q<\|im_start\|>systemN(?P<system>.*?)<\|im_end\|>NQ\s*-?\}\}"
    r"\{%-?\s*endif\s*-?%\})?"
    r"\{\{-?\s*Q<\|im_start\|>Q\s*\+\s*message\[Q(role)Q\]\s*\+\s*QNQ\s*\+\s*"
    r"message\[Q(content)Q\]\s*\+\s*Q<\|im_end\|>Q\s*\+\s*QNQ\s*-?\}\}"
    r"\{%-?\s*endfor\s*-?%\}"
    r"\{%-?\s*if add_generation_prompt\s*-?%\}\{\{-?\s*Q<\|im_start\|>assistantNQ\s*-?\}\}"
    r"\{%-?\s*endif\s*-?%\}".replace("Q", _Q).replace("N", _NL) + r"\s*$", re.S)


def _unescape(s):
    return s.replace("\\n", "\n").replace("\\'", "'").replace('\\"', '"')


def apply_chat_template(template, messages, add_generation_prompt=True):
    """The prompt text for `messages` ([{"role": ..., "content": ...}, ...]) under `template`
    (e.g. GGUF's tokenizer.chat_template). ChatML templates are supported; any other raises
    NotImplementedError (no general Jinja)."""
    if not isinstance(template, str):
        raise TypeError(f"chat template must be a str, not {type(template).__name__}")
    m = _CHATML.match(template.strip())
    if m is None:
        raise NotImplementedError("chat template not recognised: only the ChatML form "
                                  "(<|im_start|>role ... <|im_end|>) is supported, without a "
                                  "general Jinja engine")
    if not isinstance(messages, (list, tuple)) or not messages:
        raise ValueError("messages must be a non-empty list of {'role', 'content'} dicts")
    parts = []
    system = m.group("system")
    for i, msg in enumerate(messages):
        if not isinstance(msg, dict) or not isinstance(msg.get("role"), str) or \
                not isinstance(msg.get("content"), str):
            raise ValueError(f"message {i} must be a dict with str 'role' and 'content', got "
                             f"{msg!r}")
        if i == 0 and system is not None and msg["role"] != "system":
            parts.append(f"<|im_start|>system\n{_unescape(system)}<|im_end|>\n")
        parts.append(f"<|im_start|>{msg['role']}\n{msg['content']}<|im_end|>\n")
    if add_generation_prompt:
        parts.append("<|im_start|>assistant\n")
    return "".join(parts)
