"""WordPiece (BERT): greedy longest-match-first over each pre-token, `##` continuation."""


class WordPiece:
    def __init__(self, vocab, unk_token="[UNK]", continuing_subword_prefix="##",
                 max_input_chars_per_word=100):
        self.vocab = vocab
        self.unk_token, self.prefix = unk_token, continuing_subword_prefix
        self.max_chars = max_input_chars_per_word
        if unk_token not in vocab:
            raise ValueError(f"WordPiece unk_token {unk_token!r} is not in the vocabulary")
        self.unk_id = vocab[unk_token]
        self._cache = {}

    def tokenize(self, word):
        """[(id, token), ...] for one pre-token."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        vocab, n = self.vocab, len(word)
        if n > self.max_chars:
            out = [(self.unk_id, self.unk_token)]
        else:
            out, start = [], 0
            while start < n:
                end, found = n, None
                while start < end:
                    sub = word[start:end]
                    if start:
                        sub = self.prefix + sub
                    i = vocab.get(sub)
                    if i is not None:
                        found = (i, sub)
                        break
                    end -= 1
                if found is None:
                    out = [(self.unk_id, self.unk_token)]
                    break
                out.append(found)
                start = end
        if len(self._cache) < 100_000:
            self._cache[word] = out
        return out

    @classmethod
    def from_config(cls, cfg):
        return cls(cfg["vocab"], cfg.get("unk_token", "[UNK]"),
                   cfg.get("continuing_subword_prefix", "##"),
                   cfg.get("max_input_chars_per_word", 100))
