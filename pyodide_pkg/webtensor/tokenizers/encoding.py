"""Encoding: the output of Tokenizer.encode (ids, tokens, type ids, masks)."""


class Encoding:
    __slots__ = ("ids", "tokens", "type_ids", "special_tokens_mask", "attention_mask",
                 "overflowing")

    def __init__(self, ids, tokens, type_ids, special_tokens_mask, attention_mask=None):
        self.ids, self.tokens, self.type_ids = ids, tokens, type_ids
        self.special_tokens_mask = special_tokens_mask
        self.attention_mask = [1] * len(ids) if attention_mask is None else attention_mask
        self.overflowing = []

    @property
    def offsets(self):
        raise NotImplementedError("Encoding.offsets: webtensor.tokenizers does not track "
                                  "character alignments (ids, tokens, type_ids, attention_mask "
                                  "and special_tokens_mask are available)")

    def __len__(self):
        return len(self.ids)

    def __repr__(self):
        return (f"Encoding(num_tokens={len(self.ids)}, attributes=[ids, type_ids, tokens, "
                f"attention_mask, special_tokens_mask])")

    def truncate(self, max_length, direction="right"):
        if max_length >= len(self.ids):
            return
        sl = slice(0, max_length) if direction == "right" else slice(len(self.ids) - max_length,
                                                                     None)
        for name in ("ids", "tokens", "type_ids", "special_tokens_mask", "attention_mask"):
            setattr(self, name, getattr(self, name)[sl])

    def pad(self, length, pad_id, pad_type_id, pad_token, direction="right"):
        n = length - len(self.ids)
        if n <= 0:
            return
        if direction == "right":
            self.ids = self.ids + [pad_id] * n
            self.tokens = self.tokens + [pad_token] * n
            self.type_ids = self.type_ids + [pad_type_id] * n
            self.special_tokens_mask = self.special_tokens_mask + [1] * n
            self.attention_mask = self.attention_mask + [0] * n
        else:
            self.ids = [pad_id] * n + self.ids
            self.tokens = [pad_token] * n + self.tokens
            self.type_ids = [pad_type_id] * n + self.type_ids
            self.special_tokens_mask = [1] * n + self.special_tokens_mask
            self.attention_mask = [0] * n + self.attention_mask
