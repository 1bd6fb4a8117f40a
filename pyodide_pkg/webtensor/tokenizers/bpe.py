"""Byte-pair encoding: merges applied lowest rank first, the result cached per word."""
from heapq import heappop, heappush
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

    def _joined(self, a, b):
        return a + (b[len(self.prefix):] if self.prefix and b.startswith(self.prefix) else b)

    def _merge(self, syms):
        """HF's algorithm: a heap of (rank, position) over a linked list of symbols, so a
        long word (no spaces: minified code, base64 ...) costs O(n log n), not O(n^2)."""
        ranks, n = self.ranks, len(syms)
        if n < 2:
            return syms
        syms = list(syms)
        nxt = list(range(1, n + 1))
        prv = list(range(-1, n - 1))
        heap = []
        for i in range(n - 1):
            r = ranks.get((syms[i], syms[i + 1]))
            if r is not None:
                heap.append((r, i, syms[i], syms[i + 1]))
        heap.sort()
        while heap:
            r, i, a, b = heappop(heap)
            j = nxt[i]
            if syms[i] != a or j >= n or syms[j] != b:
                continue                        # stale: one side was merged since
            syms[i] = m = self._joined(a, b)
            syms[j] = None
            k = nxt[j]
            nxt[i] = k
            if k < n:
                prv[k] = i
                r2 = ranks.get((m, syms[k]))
                if r2 is not None:
                    heappush(heap, (r2, i, m, syms[k]))
            p = prv[i]
            if p >= 0:
                r2 = ranks.get((syms[p], m))
                if r2 is not None:
                    heappush(heap, (r2, p, syms[p], m))
        return [s for s in syms if s is not None]

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
