"""Added (and special) tokens: matched in the text before pre-tokenisation, like HF's
AddedVocabulary (leftmost-longest; lstrip/rstrip/single_word; normalized tokens are matched
in the normalized text, the others in the raw text)."""
import re

from . import _charclass as C


class AddedToken:
    __slots__ = ("id", "content", "single_word", "lstrip", "rstrip", "normalized", "special")

    def __init__(self, id, content, single_word=False, lstrip=False, rstrip=False,
                 normalized=True, special=False):
        self.id, self.content = id, content
        self.single_word, self.lstrip, self.rstrip = single_word, lstrip, rstrip
        self.normalized, self.special = normalized, special

    @classmethod
    def from_config(cls, d):
        return cls(d["id"], d["content"], d.get("single_word", False), d.get("lstrip", False),
                   d.get("rstrip", False), d.get("normalized", not d.get("special", False)),
                   d.get("special", False))

    def __repr__(self):
        return f"AddedToken({self.content!r}, id={self.id}, special={self.special})"


def _is_word(ch):
    return ch.isalnum() or ch == "_"


class Matcher:
    """Splits text into [(text, token or None)] around one set of added tokens."""

    def __init__(self, tokens, normalizer=None):
        self.by_content = {}
        for t in tokens:
            key = normalizer(t.content) if (normalizer and t.normalized) else t.content
            if key and key not in self.by_content:
                self.by_content[key] = t
        keys = sorted(self.by_content, key=len, reverse=True)   # longest wins at a position
        self.regex = re.compile("|".join(map(re.escape, keys))) if keys else None
        self.space = C.charset("BERT_SPACE")      # Rust's char::is_whitespace

    def split(self, text):
        if self.regex is None or not text:
            return [(text, None)]
        out, start = [], 0
        for m in self.regex.finditer(text):
            a, b = m.span()
            if a < start:
                continue
            tok = self.by_content[m.group()]
            if tok.single_word:
                if (a > 0 and _is_word(text[a - 1])) or (b < len(text) and _is_word(text[b])):
                    continue
            if tok.lstrip:
                while a > start and text[a - 1] in self.space:
                    a -= 1
            if tok.rstrip:
                while b < len(text) and text[b] in self.space:
                    b += 1
            if start < a:
                out.append((text[start:a], None))
            out.append((text[a:b], tok))
            start = b
        if start < len(text):
            out.append((text[start:], None))
        return out
