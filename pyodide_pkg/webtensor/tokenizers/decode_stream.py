"""DecodeStream: incremental decoding for streamed generation, like HF's
tokenizers.decoders.DecodeStream -- text is released only once it is valid UTF-8 (a character
split over byte-level tokens waits for its last byte)."""


def _nbytes(s):
    return len(s.encode("utf-8", "surrogatepass"))


class DecodeStream:
    def __init__(self, ids=None, skip_special_tokens=False):
        self.skip_special_tokens = skip_special_tokens
        self.ids = [int(i) for i in ids] if ids else []
        self._prefix = None if self.ids else ""      # decoded lazily with the first step
        self._prefix_index = 0

    def step(self, tokenizer, id):
        """Add the next token id (or a list of ids); the new text, or None while the text
        so far ends inside a character."""
        if self._prefix is None:
            p = tokenizer.decode(self.ids, self.skip_special_tokens)
            self._prefix = "" if p.endswith("\ufffd") else p
        if isinstance(id, (list, tuple)):
            self.ids.extend(int(i) for i in id)
        else:
            self.ids.append(int(id))
        text = tokenizer.decode(self.ids, self.skip_special_tokens)
        prefix = self._prefix
        if _nbytes(text) <= _nbytes(prefix) or text.endswith("\ufffd"):
            return None
        if not text.startswith(prefix):
            raise ValueError("DecodeStream: the decoded text no longer starts with the text "
                             "already returned (the decoder is not prefix-stable here)")
        new_index = len(self.ids) - self._prefix_index
        self.ids = self.ids[self._prefix_index:]
        self._prefix = tokenizer.decode(self.ids, self.skip_special_tokens)
        self._prefix_index = new_index
        return text[len(prefix):]
