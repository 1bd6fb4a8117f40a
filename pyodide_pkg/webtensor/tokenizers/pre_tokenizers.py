"""Pre-tokenizers of HF `tokenizers`: each maps a list of strings to a finer list of strings.

The GPT-2 regex is rebuilt for `re` with explicit character classes (\\p{L}, \\p{N} and
Oniguruma's \\s come from the generated tables, so every Python agrees with HF)."""
import re

from . import _charclass as C

_res = {}


def _cached(key, make):
    r = _res.get(key)
    if r is None:
        r = _res[key] = re.compile(make())
    return r


def gpt2_regex():
    def make():
        L, N, S = C.body("RE_L"), C.body("RE_N"), C.body("RE_S")
        return (f"'s|'t|'re|'ve|'m|'ll|'d| ?[{L}]+| ?[{N}]+| ?[^{S}{L}{N}]+"
                f"|[{S}]+(?![^{S}])|[{S}]+")
    return _cached("gpt2", make)


# GPT-2's byte -> printable character map (bytes that are printable map to themselves)
def _bytes_to_unicode():
    keep = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    out, n = {}, 0
    for b in range(256):
        if b in keep:
            out[b] = chr(b)
        else:
            out[b] = chr(256 + n)
            n += 1
    return out


BYTE_TO_CHAR = _bytes_to_unicode()
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}
# str.translate table over the latin-1 view of the UTF-8 bytes: byte -> byte-level char
_BYTE_TABLE = dict(BYTE_TO_CHAR)


def byte_level_encode(s):
    return s.encode("utf-8").decode("latin-1").translate(_BYTE_TABLE)


class BertPreTokenizer:
    """Split on whitespace (dropped) and on every punctuation character (kept alone)."""
    def __call__(self, pieces):
        r = _cached("bert", lambda: (f"[{C.body('BERT_PUNCT')}]"
                                     f"|[^{C.body('BERT_SPACE')}{C.body('BERT_PUNCT')}]+"))
        out = []
        for p in pieces:
            out.extend(r.findall(p))
        return out


class ByteLevel:
    def __init__(self, add_prefix_space=True, use_regex=True):
        self.add_prefix_space, self.use_regex = add_prefix_space, use_regex

    def __call__(self, pieces):
        out = []
        r = gpt2_regex() if self.use_regex else None
        for p in pieces:
            if not p:
                continue
            if self.add_prefix_space and not p.startswith(" "):
                p = " " + p
            parts = r.findall(p) if r is not None else ([p] if p else [])
            out.extend(byte_level_encode(x) for x in parts)
        return out


def split_by(regex, s, behavior, invert=False):
    """HF's NormalizedString::split: matches and the text between them, per behavior."""
    spans, pos = [], 0            # (text, is_match)
    for m in regex.finditer(s):
        a, b = m.span()
        if a == b:
            continue
        if a > pos:
            spans.append((s[pos:a], invert))
        spans.append((s[a:b], not invert))
        pos = b
    if pos < len(s):
        spans.append((s[pos:], invert))
    if behavior == "Isolated":
        return [t for t, _ in spans]
    if behavior == "Removed":
        return [t for t, m in spans if not m]
    out = []
    if behavior == "MergedWithPrevious":
        prev_match = False
        for t, m in spans:
            if m and out and not prev_match:
                out[-1] += t
            else:
                out.append(t)
            prev_match = m
        return out
    if behavior == "MergedWithNext":
        pending = ""
        for t, m in spans:
            if m:
                if pending:
                    out.append(pending)
                pending = t
            else:
                out.append(pending + t)
                pending = ""
        if pending:
            out.append(pending)
        return out
    if behavior == "Contiguous":
        prev = False
        for t, m in spans:
            if m == prev and out:
                out[-1] += t
            else:
                out.append(t)
            prev = m
        return out
    raise NotImplementedError(f"split behavior {behavior!r} is not supported")


class Digits:
    def __init__(self, individual_digits=False):
        self.individual = individual_digits

    def __call__(self, pieces):
        key = "digit1" if self.individual else "digits"
        r = _cached(key, lambda: f"[{C.body('NUMERIC')}]" + ("" if self.individual else "+"))
        out = []
        for p in pieces:
            if not r.search(p):
                if p:
                    out.append(p)
            else:
                out.extend(split_by(r, p, "Isolated" if self.individual else "Contiguous"))
        return out


def translate_regex(pattern):
    """An Oniguruma pattern from a tokenizer.json as a Python `re` pattern: \\p{L}, \\p{N}
    and \\s/\\S become the table classes; other \\p{..} properties are not supported."""
    out, i, depth = [], 0, 0
    cls = {"L": C.body("RE_L"), "N": C.body("RE_N")}
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in "pP" and pattern.startswith("{", i + 2):
                end = pattern.index("}", i)
                name = pattern[i + 3:end]
                if name not in cls:
                    raise NotImplementedError(
                        f"regex property \\p{{{name}}} in a Split pre-tokenizer is not "
                        f"supported (\\p{{L}}, \\p{{N}})")
                body = cls[name]
                if nxt == "P":
                    if depth:
                        raise NotImplementedError("\\P{..} inside a character class")
                    out.append(f"[^{body}]")
                else:
                    out.append(body if depth else f"[{body}]")
                i = end + 1
                continue
            if nxt in "sS":
                s = C.body("RE_S")
                if nxt == "S" and depth:
                    raise NotImplementedError("\\S inside a character class")
                out.append(s if depth else (f"[{s}]" if nxt == "s" else f"[^{s}]"))
                i += 2
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        out.append(ch)
        i += 1
    return "".join(out)


class Split:
    def __init__(self, pattern, behavior, invert=False):
        if "String" in pattern:
            self.regex = re.compile(re.escape(pattern["String"]))
        elif "Regex" in pattern:
            self.regex = re.compile(translate_regex(pattern["Regex"]))
        else:
            raise NotImplementedError(f"Split pattern {pattern!r} is not supported")
        self.behavior, self.invert = behavior, invert

    def __call__(self, pieces):
        out = []
        for p in pieces:
            out.extend(split_by(self.regex, p, self.behavior, self.invert))
        return out


class WhitespaceSplit:
    def __call__(self, pieces):
        ws = _cached("ws", lambda: f"[^{C.body('BERT_SPACE')}]+")
        out = []
        for p in pieces:
            out.extend(ws.findall(p))
        return out


class Sequence:
    def __init__(self, pretokenizers):
        self.pretokenizers = pretokenizers

    def __call__(self, pieces):
        for p in self.pretokenizers:
            pieces = p(pieces)
        return pieces


def from_config(cfg):
    if cfg is None:
        return None
    t = cfg.get("type")
    if t == "BertPreTokenizer":
        return BertPreTokenizer()
    if t == "ByteLevel":
        return ByteLevel(cfg.get("add_prefix_space", True), cfg.get("use_regex", True))
    if t == "Digits":
        return Digits(cfg.get("individual_digits", False))
    if t == "Split":
        return Split(cfg["pattern"], cfg.get("behavior", "Isolated"), cfg.get("invert", False))
    if t == "WhitespaceSplit":
        return WhitespaceSplit()
    if t == "Sequence":
        return Sequence([from_config(c) for c in cfg["pretokenizers"]])
    raise NotImplementedError(f"tokenizer pre_tokenizer {t!r} is not supported (supported: "
                              f"BertPreTokenizer, ByteLevel, Digits, Split, WhitespaceSplit, "
                              f"Sequence)")
