"""Tokenizer: HF `tokenizers`' pipeline in pure Python (added tokens -> normalizer ->
pre-tokenizer -> model -> truncation -> post-processor -> padding), loaded from a
tokenizer.json (data only; nothing in the file is executed)."""
import re

from ..serialization._errors import LoadError, TokenizerError, UnsupportedFormatError
from ..serialization import _json

from . import _validate, decoders, normalizers, pre_tokenizers, processors
from .added_tokens import AddedToken, Matcher
from .bpe import BPE
from .encoding import Encoding
from .wordpiece import WordPiece

_STRATEGIES = {"longest_first": "LongestFirst", "only_first": "OnlyFirst",
               "only_second": "OnlySecond"}


def _model_from_config(cfg):
    t = cfg.get("type")
    if t == "WordPiece":
        return WordPiece.from_config(cfg)
    if t == "BPE" or (t is None and "merges" in cfg):
        return BPE.from_config(cfg)
    raise NotImplementedError(f"tokenizer model {t!r} is not supported (supported: WordPiece, "
                              f"BPE)")


class Tokenizer:
    def __init__(self, model, normalizer=None, pre_tokenizer=None, post_processor=None,
                 decoder=None, added_tokens=(), truncation=None, padding=None):
        self.model, self.normalizer, self.pre_tokenizer = model, normalizer, pre_tokenizer
        self.post_processor, self.decoder = post_processor, decoder
        self._vocab = model.vocab
        self._id_to_token = {i: t for t, i in model.vocab.items()}
        self._added = list(added_tokens)
        self._refresh_added()
        self._truncation = truncation
        self._padding = padding

    # ---- construction ----
    @classmethod
    def from_str(cls, s):
        cfg = _json.loads(s, TokenizerError, "tokenizer.json")
        if not isinstance(cfg, dict) or "model" not in cfg:
            raise TokenizerError("not a tokenizer.json: no 'model' entry")
        try:
            _validate.check(cfg)
            return cls._from_config(cfg)
        except LoadError:
            raise
        except NotImplementedError as e:
            raise UnsupportedFormatError(f"tokenizer.json: {e}") from None
        except KeyError as e:
            raise TokenizerError(f"malformed tokenizer.json: missing entry {e}") from None
        except (TypeError, AttributeError, ValueError, re.error) as e:
            raise TokenizerError(f"malformed tokenizer.json: {e}") from None

    @classmethod
    def _from_config(cls, cfg):
        trunc = cfg.get("truncation")
        pad = cfg.get("padding")
        return cls(_model_from_config(cfg["model"]),
                   normalizers.from_config(cfg.get("normalizer")),
                   pre_tokenizers.from_config(cfg.get("pre_tokenizer")),
                   processors.from_config(cfg.get("post_processor")),
                   decoders.from_config(cfg.get("decoder")),
                   [AddedToken.from_config(d) for d in cfg.get("added_tokens") or ()],
                   dict(trunc) if trunc else None, _padding_from_json(pad) if pad else None)

    @classmethod
    def from_file(cls, path):
        with open(path, "rb") as f:
            return cls.from_buffer(f.read())

    @classmethod
    def from_buffer(cls, data):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as e:
            raise TokenizerError(f"tokenizer.json is not valid UTF-8: {e}") from None
        return cls.from_str(text)

    @classmethod
    def from_gguf(cls, src):
        """The byte-level BPE tokenizer stored in a GGUF file's metadata (a GGUFFile, its
        metadata dict, a path or bytes)."""
        from ._gguf import tokenizer_from_gguf
        return tokenizer_from_gguf(cls, src)

    def _refresh_added(self):
        self._added_by_id = {t.id: t for t in self._added}
        self._added_by_content = {t.content: t for t in self._added}
        self._special_ids = {t.id for t in self._added if t.special}
        self._raw_matcher = Matcher([t for t in self._added if not t.normalized])
        self._norm_matcher = Matcher([t for t in self._added if t.normalized], self.normalizer)

    def add_tokens(self, tokens, special=False):
        """Add tokens (str or AddedToken); returns how many were not added tokens before."""
        n = 0
        for t in tokens:
            content = t if isinstance(t, str) else t.content
            if content in self._added_by_content:
                continue
            i = self._vocab.get(content)
            if i is None:
                i = self.get_vocab_size(True)
                while i in self._id_to_token or i in self._added_by_id:
                    i += 1
            n += 1
            self._added.append(AddedToken(i, content, normalized=not special, special=special)
                               if isinstance(t, str) else
                               AddedToken(i, content, t.single_word, t.lstrip, t.rstrip,
                                          t.normalized, special or t.special))
            self._refresh_added()
        return n

    def add_special_tokens(self, tokens):
        return self.add_tokens(tokens, special=True)

    # ---- vocabulary ----
    def token_to_id(self, token):
        t = self._added_by_content.get(token)
        return t.id if t is not None else self._vocab.get(token)

    def id_to_token(self, i):
        t = self._added_by_id.get(i)
        return t.content if t is not None else self._id_to_token.get(i)

    def get_vocab(self, with_added_tokens=True):
        v = dict(self._vocab)
        if with_added_tokens:
            v.update((t.content, t.id) for t in self._added)
        return v

    def get_vocab_size(self, with_added_tokens=True):
        if not with_added_tokens:
            return len(self._vocab)
        return len(self._vocab) + sum(1 for t in self._added if t.content not in self._vocab)

    def get_added_tokens_decoder(self):
        return {t.id: t for t in self._added}

    # ---- truncation / padding (HF's Python API) ----
    def enable_truncation(self, max_length, stride=0, strategy="longest_first",
                          direction="right"):
        if strategy not in _STRATEGIES:
            raise ValueError(f"unknown truncation strategy {strategy!r}, expected one of "
                             f"{list(_STRATEGIES)}")
        if direction not in ("left", "right"):
            raise ValueError(f"unknown truncation direction {direction!r}")
        self._truncation = {"max_length": int(max_length), "stride": stride,
                            "strategy": _STRATEGIES[strategy], "direction": direction.title()}

    def no_truncation(self):
        self._truncation = None

    @property
    def truncation(self):
        if self._truncation is None:
            return None
        t = self._truncation
        inv = {v: k for k, v in _STRATEGIES.items()}
        return {"max_length": t["max_length"], "stride": t.get("stride", 0),
                "strategy": inv.get(t.get("strategy", "LongestFirst")),
                "direction": t.get("direction", "Right").lower()}

    def enable_padding(self, direction="right", pad_id=0, pad_type_id=0, pad_token="[PAD]",
                       length=None, pad_to_multiple_of=None):
        if direction not in ("left", "right"):
            raise ValueError(f"unknown padding direction {direction!r}")
        self._padding = {"direction": direction, "pad_id": pad_id, "pad_type_id": pad_type_id,
                         "pad_token": pad_token, "length": length,
                         "pad_to_multiple_of": pad_to_multiple_of}

    def no_padding(self):
        self._padding = None

    @property
    def padding(self):
        return None if self._padding is None else dict(self._padding)

    # ---- encoding ----
    def _encode_text(self, text, type_id):
        ids, toks = [], []
        for seg, tok in self._raw_matcher.split(text):
            if tok is not None:
                ids.append(tok.id)
                toks.append(seg)            # HF's token text includes stripped spaces
                continue
            if self.normalizer is not None:
                seg = self.normalizer(seg)
            for piece, tok2 in self._norm_matcher.split(seg):
                if tok2 is not None:
                    ids.append(tok2.id)
                    toks.append(piece)
                    continue
                if not piece:
                    continue
                words = self.pre_tokenizer([piece]) if self.pre_tokenizer else [piece]
                tokenize = self.model.tokenize
                for w in words:
                    if w:
                        for i, t in tokenize(w):
                            ids.append(i)
                            toks.append(t)
        return Encoding(ids, toks, [type_id] * len(ids), [0] * len(ids))

    def _encode_input(self, seq, is_pretokenized, type_id):
        if is_pretokenized:                 # a list of words, each run through the pipeline
            if isinstance(seq, str):
                raise TypeError("is_pretokenized=True expects a list of words, got a str")
            return processors.concat([self._encode_text(w, type_id) for w in seq])
        if not isinstance(seq, str):
            raise TypeError(f"encode expects a str, got {type(seq).__name__}")
        return self._encode_text(seq, type_id)

    def _truncate(self, a, b, add_special_tokens):
        t = self._truncation
        if t is None:
            return
        n_added = (self.post_processor.added_tokens(b is not None)
                   if (add_special_tokens and self.post_processor) else 0)
        max_len = t["max_length"] - n_added
        direction = t.get("direction", "Right").lower()
        if max_len < 0:
            raise ValueError(f"truncation max_length {t['max_length']} is shorter than the "
                             f"{n_added} special tokens the post-processor adds")
        strategy = t.get("strategy", "LongestFirst")
        if b is None:
            if strategy == "OnlySecond":
                raise ValueError("Truncation error: Second sequence not provided")
            a.truncate(max_len, direction)
            return
        n1, n2 = len(a), len(b)
        if n1 + n2 <= max_len:
            return
        if strategy == "LongestFirst":
            swap = n1 > n2
            if swap:
                n1, n2 = n2, n1
            n2 = n1 if n1 > max_len else max(n1, max_len - n1)
            if n1 + n2 > max_len:
                n1 = max_len // 2
                n2 = n1 + max_len % 2
            if swap:
                n1, n2 = n2, n1
            a.truncate(n1, direction)
            b.truncate(n2, direction)
        else:
            target, other = (a, b) if strategy == "OnlyFirst" else (b, a)
            excess = n1 + n2 - max_len
            if len(target) <= excess:
                raise ValueError("Truncation error: Sequence to truncate too short to respect "
                                 "the provided max_length")
            target.truncate(len(target) - excess, direction)

    def _pad(self, encs):
        p = self._padding
        if p is None or not encs:
            return
        length = p.get("length")
        if length is None:
            length = max(len(e) for e in encs)
        m = p.get("pad_to_multiple_of")
        if m and length % m:
            length += m - length % m
        for e in encs:
            e.pad(length, p["pad_id"], p["pad_type_id"], p["pad_token"], p["direction"])

    def _encode_one(self, sequence, pair, is_pretokenized, add_special_tokens):
        a = self._encode_input(sequence, is_pretokenized, 0)
        b = None if pair is None else self._encode_input(pair, is_pretokenized, 1)
        self._truncate(a, b, add_special_tokens)
        if self.post_processor is not None:
            return self.post_processor(a, b, add_special_tokens)
        return processors.default_process(a, b)

    def encode(self, sequence, pair=None, is_pretokenized=False, add_special_tokens=True):
        e = self._encode_one(sequence, pair, is_pretokenized, add_special_tokens)
        self._pad([e])
        return e

    def encode_batch(self, inputs, is_pretokenized=False, add_special_tokens=True):
        encs = []
        for x in inputs:
            if isinstance(x, (tuple, list)) and not is_pretokenized:
                if len(x) != 2:
                    raise ValueError("encode_batch: a pair input must have 2 elements")
                encs.append(self._encode_one(x[0], x[1], False, add_special_tokens))
            else:
                encs.append(self._encode_one(x, None, is_pretokenized, add_special_tokens))
        self._pad(encs)
        return encs

    # ---- decoding ----
    def decode(self, ids, skip_special_tokens=True):
        tokens = []
        for i in ids:
            i = int(i)
            if skip_special_tokens and i in self._special_ids:
                continue
            t = self.id_to_token(i)
            if t is not None:
                tokens.append(t)
        if self.decoder is None:
            return " ".join(tokens)
        return "".join(self.decoder.decode_chain(tokens))

    def decode_batch(self, sequences, skip_special_tokens=True):
        return [self.decode(s, skip_special_tokens) for s in sequences]

    def __repr__(self):
        return (f"Tokenizer({type(self.model).__name__}, vocab_size={self.get_vocab_size()}, "
                f"truncation={self.truncation}, padding={self.padding})")


def _padding_from_json(p):
    strat = p.get("strategy", "BatchLongest")
    length = strat["Fixed"] if isinstance(strat, dict) and "Fixed" in strat else None
    return {"direction": p.get("direction", "Right").lower(), "pad_id": p.get("pad_id", 0),
            "pad_type_id": p.get("pad_type_id", 0), "pad_token": p.get("pad_token", "[PAD]"),
            "length": length, "pad_to_multiple_of": p.get("pad_to_multiple_of")}
