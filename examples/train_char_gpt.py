#!/usr/bin/env python3
"""A character-level GPT (nanoGPT-shaped: token + position embeddings, pre-LayerNorm blocks of
causal self-attention and a GELU MLP, tied output head; ~0.2M parameters) trained with AdamW on
a small English corpus, then sampled.

An ordinary PyTorch script: `python examples/train_char_gpt.py` runs it under real torch; with
`webtensor.install_as_torch()` first it runs under webtensor (CPython or Pyodide). So that the
two runs can be compared loss for loss, everything random comes from Python's own `random`
(identical in CPython and Pyodide): the initial weights (nanoGPT's normal(0, 0.02) init), the
batches and the sampling. The corpus (tests/golden/training/char_corpus.txt) is an excerpt of
the Python language reference (scripts/make_golden_training.py).

Usage: python examples/train_char_gpt.py [--steps 300] [--sample 300]
"""
import argparse
import math
import random
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "golden" / "training" / "char_corpus.txt"
N_LAYER, N_HEAD, N_EMBD, BLOCK, BATCH = 4, 4, 64, 64, 16
LR, WEIGHT_DECAY, BETAS, GRAD_CLIP, SEED = 3e-3, 0.1, (0.9, 0.99), 1.0, 0


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(N_EMBD, 3 * N_EMBD)
        self.c_proj = nn.Linear(N_EMBD, N_EMBD)

    def forward(self, x):
        b, t, c = x.size()
        q, k, v = self.c_attn(x).split(N_EMBD, dim=2)
        q, k, v = (z.view(b, t, N_HEAD, c // N_HEAD).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(N_EMBD)
        self.attn = CausalSelfAttention()
        self.ln_2 = nn.LayerNorm(N_EMBD)
        self.mlp = nn.Sequential(nn.Linear(N_EMBD, 4 * N_EMBD), nn.GELU(),
                                 nn.Linear(4 * N_EMBD, N_EMBD))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class CharGPT(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.wte = nn.Embedding(vocab, N_EMBD)
        self.wpe = nn.Embedding(BLOCK, N_EMBD)
        self.h = nn.ModuleList([Block() for _ in range(N_LAYER)])
        self.ln_f = nn.LayerNorm(N_EMBD)
        self.lm_head = nn.Linear(N_EMBD, vocab, bias=False)
        self.lm_head.weight = self.wte.weight            # weight tying, as nanoGPT

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def init_weights(model, seed=SEED):
    """nanoGPT's init (normal(0, 0.02), residual projections 0.02/sqrt(2 n_layer), zero biases,
    unit LayerNorm) drawn from Python's random, so every framework starts from the same numbers."""
    rng = random.Random(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            elif name.startswith("ln") or ".ln_" in name:
                p.fill_(1.0)
            else:
                std = 0.02 / math.sqrt(2 * N_LAYER) if name.endswith("c_proj.weight") else 0.02
                p.copy_(torch.tensor([rng.gauss(0.0, std) for _ in range(p.numel())]
                                     ).reshape(p.shape))


def load_corpus():
    text = CORPUS.read_text()
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    return torch.tensor([stoi[ch] for ch in text]), chars


def batch(data, step, seed=SEED):
    """BATCH random windows of BLOCK + 1 characters (offsets from Python's random)."""
    rng = random.Random(seed * 1_000_003 + step)
    starts = [rng.randrange(len(data) - BLOCK - 1) for _ in range(BATCH)]
    idx = torch.tensor([[s + t for t in range(BLOCK)] for s in starts])
    return data[idx], data[idx + 1]


def build(vocab):
    model = CharGPT(vocab)
    init_weights(model)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=BETAS, weight_decay=WEIGHT_DECAY)
    return model, opt


def train(model, opt, data, steps, log=None, log_every=50):
    losses = []
    model.train()
    for step in range(steps):
        x, y = batch(data, step)
        logits = model(x)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
        opt.step()
        losses.append(loss.item())
        if log and (step + 1) % log_every == 0:
            log(f"step {step + 1:4d}  loss {losses[-1]:.4f}")
    return losses


@torch.no_grad()
def sample(model, chars, n, prompt="The ", temperature=0.8, seed=SEED):
    """n characters after `prompt`, drawn with Python's random from the softmax."""
    model.eval()
    rng = random.Random(seed)
    stoi = {ch: i for i, ch in enumerate(chars)}
    ids = [stoi[ch] for ch in prompt]
    for _ in range(n):
        logits = model(torch.tensor([ids[-BLOCK:]]))[0, -1] / temperature
        probs = F.softmax(logits, dim=-1).tolist()
        ids.append(rng.choices(range(len(chars)), weights=probs)[0])
    return "".join(chars[i] for i in ids)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--sample", type=int, default=300, help="characters to sample (0: none)")
    args = ap.parse_args(argv)
    data, chars = load_corpus()
    model, opt = build(len(chars))
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{n_params} parameters, vocabulary {len(chars)}, corpus {len(data)} characters")
    t0 = time.perf_counter()
    losses = train(model, opt, data, args.steps, log=print)
    secs = time.perf_counter() - t0
    print(f"{args.steps} steps in {secs:.1f} s ({1000 * secs / max(1, args.steps):.0f} ms/step); "
          f"loss {losses[0]:.4f} -> {losses[-1]:.4f}")
    text = sample(model, chars, args.sample) if args.sample else ""
    if text:
        print("sample:\n" + text)
    return losses, text


if __name__ == "__main__":
    main()
