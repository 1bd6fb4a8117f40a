"""Decoders: token strings back to text (WordPiece '##' joining, byte-level bytes, ...)."""
from .pre_tokenizers import CHAR_TO_BYTE

_CLEANUP = ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
            (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"),
            (" 're", "'re"))


def cleanup(s):
    for a, b in _CLEANUP:
        s = s.replace(a, b)
    return s


class WordPiece:
    def __init__(self, prefix="##", cleanup=True):
        self.prefix, self.cleanup = prefix, cleanup

    def decode_chain(self, tokens):
        out = []
        for i, t in enumerate(tokens):
            if i:
                t = t.replace(self.prefix, "", 1) if t.startswith(self.prefix) else " " + t
            out.append(cleanup(t) if self.cleanup else t)
        return out


class ByteLevel:
    def decode_chain(self, tokens):
        buf = bytearray()
        for t in tokens:
            try:
                buf += bytes(CHAR_TO_BYTE[c] for c in t)
            except KeyError:                  # not byte-level text (e.g. an added token)
                buf += t.encode("utf-8")
        return [buf.decode("utf-8", errors="replace")]


class ByteFallback:
    def decode_chain(self, tokens):
        out, pending = [], bytearray()
        for t in tokens:
            if len(t) == 6 and t.startswith("<0x") and t.endswith(">"):
                try:
                    pending.append(int(t[3:5], 16))
                    continue
                except ValueError:
                    pass
            if pending:
                out.append(pending.decode("utf-8", errors="replace"))
                pending = bytearray()
            out.append(t)
        if pending:
            out.append(pending.decode("utf-8", errors="replace"))
        return out


class Fuse:
    def decode_chain(self, tokens):
        return ["".join(tokens)]


class Replace:
    def __init__(self, pattern, content):
        self.pattern, self.content = pattern, content

    def decode_chain(self, tokens):
        return [t.replace(self.pattern, self.content) for t in tokens]


class Strip:
    def __init__(self, content, start, stop):
        self.content, self.start, self.stop = content, start, stop

    def decode_chain(self, tokens):
        out = []
        for t in tokens:
            a = 0
            while a < min(self.start, len(t)) and t[a] == self.content:
                a += 1
            b = len(t)
            while b > a and len(t) - b < self.stop and t[b - 1] == self.content:
                b -= 1
            out.append(t[a:b])
        return out


class BPEDecoder:
    def __init__(self, suffix="</w>"):
        self.suffix = suffix

    def decode_chain(self, tokens):
        n = len(tokens)
        return [t.replace(self.suffix, "" if i == n - 1 else " ") for i, t in enumerate(tokens)]


class Sequence:
    def __init__(self, decoders):
        self.decoders = decoders

    def decode_chain(self, tokens):
        for d in self.decoders:
            tokens = d.decode_chain(tokens)
        return tokens


def from_config(cfg):
    if cfg is None:
        return None
    t = cfg.get("type")
    if t == "WordPiece":
        return WordPiece(cfg.get("prefix", "##"), cfg.get("cleanup", True))
    if t == "ByteLevel":
        return ByteLevel()
    if t == "ByteFallback":
        return ByteFallback()
    if t == "Fuse":
        return Fuse()
    if t == "Strip":
        return Strip(cfg["content"], cfg.get("start", 0), cfg.get("stop", 0))
    if t == "Replace" and "String" in cfg.get("pattern", {}):
        return Replace(cfg["pattern"]["String"], cfg["content"])
    if t == "BPEDecoder":
        return BPEDecoder(cfg.get("suffix", "</w>"))
    if t == "Sequence":
        return Sequence([from_config(c) for c in cfg["decoders"]])
    raise NotImplementedError(f"tokenizer decoder {t!r} is not supported (supported: WordPiece, "
                              f"ByteLevel, ByteFallback, Fuse, Strip, Replace with a string, "
                              f"BPEDecoder, Sequence)")
