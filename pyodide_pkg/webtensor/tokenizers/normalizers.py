"""Normalizers of HF `tokenizers` (BertNormalizer, Lowercase, StripAccents, NF*, Sequence ...).

Each is a callable str -> str. Alignment (offsets) is not tracked. Character classes come from
the generated tables; NFD and lowercasing use the runtime's unicodedata plus the generated
fixes (NFD_FIX, LOWER_FIX) where HF's Unicode version disagrees with it."""
import re
import unicodedata

from . import _charclass as C
from . import _unicode_data as U

# BertNormalizer's CJK blocks (fixed ranges in HF, not a Unicode property)
_CJK = ("\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002a6df\U0002a700-\U0002b73f"
        "\U0002b740-\U0002b81f\U0002b920-\U0002ceaf\uf900-\ufaff\U0002f800-\U0002fa1f")
_res = {}


def _re(key, make):
    r = _res.get(key)
    if r is None:
        r = _res[key] = re.compile(make())
    return r


def nfd(s):
    if s.isascii():
        return s
    out = unicodedata.normalize("NFD", s)
    if U.NFD_FIX:      # characters HF's normalisation tables do not decompose
        fix = _re("nfdfix", lambda: "[" + "".join(map(chr, U.NFD_FIX)) + "]")
        if fix.search(s):
            out = "".join(U.NFD_FIX.get(ord(ch)) or unicodedata.normalize("NFD", ch)
                          for ch in s)
    return out


def strip_marks(s, table="MARK"):
    """StripAccents drops every combining mark; BertNormalizer only non-spacing ones."""
    if s.isascii():
        return s
    return _re(table, lambda: "[" + C.body(table) + "]+").sub("", s)


def lowercase(s):
    """Per-character lowercasing like Rust's char::to_lowercase: no final-sigma rule."""
    if s.isascii():
        return s.lower()
    if "\u03a3" in s:
        s = s.replace("\u03a3", "\u03c3")
    out = s.lower()
    fix = _re("lowerfix", lambda: "[" + "".join(map(chr, U.LOWER_FIX)) + "]")
    if fix.search(s):
        out = "".join(U.LOWER_FIX.get(ord(ch)) or ch.lower() for ch in s)
    return out


class BertNormalizer:
    def __init__(self, clean_text=True, handle_chinese_chars=True, strip_accents=None,
                 lowercase=True):
        self.clean_text, self.handle_chinese_chars = clean_text, handle_chinese_chars
        # HF: strip_accents None follows lowercase
        self.strip_accents = lowercase if strip_accents is None else strip_accents
        self.lowercase = lowercase

    def __call__(self, s):
        if self.clean_text:
            s = _re("ctrl", lambda: "[" + C.body("CONTROL") + "]+").sub("", s)
            s = _re("space", lambda: "[" + C.body("CLEAN_SPACE") + "]").sub(" ", s)
        if self.handle_chinese_chars and not s.isascii():
            s = _re("cjk", lambda: f"([{_CJK}])").sub(r" \1 ", s)
        if self.strip_accents:
            s = strip_marks(nfd(s), "BERT_MARK")
        if self.lowercase:
            s = lowercase(s)
        return s


class Sequence:
    def __init__(self, normalizers):
        self.normalizers = normalizers

    def __call__(self, s):
        for n in self.normalizers:
            s = n(s)
        return s


class Replace:
    def __init__(self, pattern, content):
        self.pattern, self.content = pattern, content

    def __call__(self, s):
        return s.replace(self.pattern, self.content)


class Prepend:
    def __init__(self, prepend):
        self.prepend = prepend

    def __call__(self, s):
        return self.prepend + s if s else s


class _Func:
    def __init__(self, fn):
        self.fn = fn

    def __call__(self, s):
        return self.fn(s)


def _strip(cfg):
    ws = "".join(C.charset("BERT_SPACE"))       # Rust's char::is_whitespace

    def strip(s):
        if cfg.get("strip_left", True):
            s = s.lstrip(ws)
        if cfg.get("strip_right", True):
            s = s.rstrip(ws)
        return s
    return _Func(strip)


def from_config(cfg):
    if cfg is None:
        return None
    t = cfg.get("type")
    if t == "BertNormalizer":
        return BertNormalizer(cfg.get("clean_text", True), cfg.get("handle_chinese_chars", True),
                              cfg.get("strip_accents"), cfg.get("lowercase", True))
    if t == "Sequence":
        return Sequence([from_config(c) for c in cfg["normalizers"]])
    if t == "Lowercase":
        return _Func(lowercase)
    if t == "StripAccents":
        return _Func(strip_marks)
    if t == "NFD":
        return _Func(nfd)
    if t in ("NFC", "NFKC", "NFKD"):
        return _Func(lambda s, f=t: unicodedata.normalize(f, s))
    if t == "Strip":
        return _strip(cfg)
    if t == "Prepend":
        return Prepend(cfg["prepend"])
    if t == "Replace" and "String" in cfg.get("pattern", {}):
        return Replace(cfg["pattern"]["String"], cfg["content"])
    raise NotImplementedError(f"tokenizer normalizer {t!r} is not supported "
                              f"(supported: BertNormalizer, Sequence, Lowercase, StripAccents, "
                              f"NFD, NFC, NFKC, NFKD, Strip, Prepend, Replace with a string)")
