"""Byte-pair encoding: merges applied lowest rank first, the result cached per word."""
from operator import methodcaller


class BPE:
    def __init__(self, vocab, merges, unk_token=None, continuing_subword_prefix=None,
                 end_of_word_suffix=None, fuse_unk=False, byte_fallback=False,
                 ignore_merges=False):
        self.vocab = vocab
        # C-level loops: building ranks for ~50k merges is on the load path in Pyodide
        if merges and isinstance(merges[0], str):
            pairs = list(map(tuple, map(methodcaller("split", " "), merges)))
        else:
            pairs = list(map(tuple, merges))
        bad = next((p for p in pairs if len(p) != 2), None)
        if bad is not None:
            raise ValueError(f"BPE merge {bad!r} is not two tokens separated by one space")
        # the first rank of a repeated merge wins, as in HF
        ranks = dict(zip(reversed(pairs), range(len(pairs) - 1, -1, -1)))
        prefix = continuing_subword_prefix or ""
        if prefix:
            merged = [a + (b[len(prefix):] if b.startswith(prefix) else b) for a, b in ranks]
        else:
            merged = map("".join, ranks)
        missing = next((m for m in merged if m not in vocab), None)
        if missing is not None:
            raise ValueError(f"BPE merge result {missing!r} is not in the vocabulary")
        self.ranks = ranks
        self.unk_token, self.fuse_unk = unk_token, fuse_unk
        self.prefix, self.suffix = continuing_subword_prefix or "", end_of_word_suffix or ""
        self.byte_fallback, self.ignore_merges = byte_fallback, ignore_merges
        self._cache = {}

    def _symbols(self, word):
        syms, vocab, n = [], self.vocab, len(word)
        unk_pending = False
        for i, ch in enumerate(word):
            s = ch
            if self.prefix and i:
                s = self.prefix + s
            if self.suffix and i == n - 1:
                s = s + self.suffix
            if s in vocab:
                syms.append(s)
                unk_pending = False
            elif self.byte_fallback and all(f"<0x{b:02X}>" in vocab for b in ch.encode()):
                syms.extend(f"<0x{b:02X}>" for b in ch.encode())
                unk_pending = False
            elif self.unk_token is not None:
                if not (self.fuse_unk and unk_pending):
                    syms.append(None)         # unk placeholder, never merged
                unk_pending = True
        return syms

    def _merge(self, syms):
        ranks = self.ranks
        while len(syms) > 1:
            best, best_rank = None, None
            prev = syms[0]
            for i in range(1, len(syms)):
                cur = syms[i]
                r = ranks.get((prev, cur))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = (prev, cur), r
                prev = cur
            if best is None:
                break
            a, b = best
            merged = a + (b[len(self.prefix):] if self.prefix and b.startswith(self.prefix)
                          else b)
            out, i, n = [], 0, len(syms)
            while i < n:
                if i < n - 1 and syms[i] == a and syms[i + 1] == b:
                    out.append(merged)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            syms = out
        return syms

    def tokenize(self, word):
        """[(id, token), ...] for one pre-token."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        vocab = self.vocab
        if self.ignore_merges and word in vocab:
            out = [(vocab[word], word)]
        else:
            syms = self._symbols(word)
            if None not in syms:
                syms = self._merge(syms)
                out = [(vocab[s], s) for s in syms]
            else:                             # unknown characters split the merging
                out = self._with_unks(syms)
        if len(self._cache) < 100_000:
            self._cache[word] = out
        return out

    def _with_unks(self, syms):
        out, run, vocab = [], [], self.vocab
        for s in syms:
            if s is None:
                out.extend((vocab[t], t) for t in self._merge(run))
                run = []
                out.append((vocab[self.unk_token], self.unk_token))
            else:
                run.append(s)
        out.extend((vocab[t], t) for t in self._merge(run))
        return out

    @classmethod
    def from_config(cls, cfg):
        if cfg.get("dropout"):
            raise NotImplementedError("BPE dropout is not supported (it makes encoding random)")
        return cls(cfg["vocab"], cfg["merges"], cfg.get("unk_token"),
                   cfg.get("continuing_subword_prefix"), cfg.get("end_of_word_suffix"),
                   cfg.get("fuse_unk", False), cfg.get("byte_fallback", False),
                   cfg.get("ignore_merges", False))
