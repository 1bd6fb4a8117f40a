"""Tokenizer.from_gguf: llama.cpp's "gpt2" (byte-level BPE) vocabulary from GGUF metadata.

llama.cpp pre-tokenises with a regex chosen by `tokenizer.ggml.pre`; the ones supported map to
HF pre-tokenizers exactly: "smollm" (and starcoder, refact, command-r, codeshell, exaone,
minerva) first split every \\p{N} character off, then apply the GPT-2 regex, which is HF's
Sequence[Digits(individual_digits=True), ByteLevel(add_prefix_space=False)] -- what SmolLM2's
own tokenizer.json uses, so the ids match what the model was trained on. transformers 5 drops the
digit split (its GGUF converter ignores `pre`, and its GPT2Tokenizer class rebuilds a plain
ByteLevel pre-tokenizer even from SmolLM2's tokenizer.json): it differs from llama.cpp and
`tokenizers` on digits after whitespace ("  1" -> 'Ġ','Ġ','1' instead of 'ĠĠ','1').
"""
from ..serialization._errors import TokenizerError, UnsupportedFormatError
from . import decoders, pre_tokenizers
from .added_tokens import AddedToken
from .bpe import BPE

_DIGITS_THEN_GPT2 = {"smollm", "starcoder", "refact", "command-r", "codeshell", "exaone",
                     "minerva"}
_GPT2 = {"gpt2", "gpt-2", "mpt", "olmo", "jais"}
# llama.cpp token types
_CONTROL, _USER_DEFINED = 3, 4


def _metadata(src):
    if isinstance(src, dict):
        return src
    md = getattr(src, "metadata", None)
    if md is not None:
        return md
    from ..serialization import gguf
    return gguf.load(src).metadata


_KINDS = {"str": ("a string", lambda v: isinstance(v, str)),
          "int": ("an integer", lambda v: type(v) in (int, bool)),
          "strs": ("a list of strings",
                   lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)),
          "ints": ("a list of integers",
                   lambda v: isinstance(v, list) and all(type(x) is int for x in v))}


def _get(md, key, kind, default=None):
    """md[key], checked to be of `kind` (a _KINDS key): GGUF metadata is untrusted data."""
    v = md.get(key, default)
    what, ok = _KINDS[kind]
    if v is not default and not ok(v):
        raise TokenizerError(f"GGUF tokenizer: {key} must be {what}, got {type(v).__name__}")
    return v


def tokenizer_from_gguf(cls, src):
    md = _metadata(src)
    model = _get(md, "tokenizer.ggml.model", "str")
    if model is None:
        raise TokenizerError("GGUF metadata has no tokenizer (tokenizer.ggml.model is missing)")
    if model != "gpt2":
        raise UnsupportedFormatError(f"GGUF tokenizer model {model!r} is not supported (only "
                                     f"'gpt2', byte-level BPE)")
    pre = _get(md, "tokenizer.ggml.pre", "str", "gpt2")
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    if pre in _DIGITS_THEN_GPT2:
        pt = pre_tokenizers.Sequence([pre_tokenizers.Digits(True), byte_level])
    elif pre in _GPT2:
        pt = byte_level
    else:
        raise UnsupportedFormatError(f"GGUF tokenizer.ggml.pre {pre!r} is not supported "
                                     f"(supported: {sorted(_DIGITS_THEN_GPT2 | _GPT2)})")
    tokens = _get(md, "tokenizer.ggml.tokens", "strs")
    if tokens is None:
        raise TokenizerError("GGUF tokenizer: tokenizer.ggml.tokens is missing")
    types = _get(md, "tokenizer.ggml.token_type", "ints") or [1] * len(tokens)
    if len(types) != len(tokens):
        raise TokenizerError(f"GGUF tokenizer: {len(tokens)} tokens but {len(types)} token types")
    vocab = dict(zip(reversed(tokens), range(len(tokens) - 1, -1, -1)))   # first id wins
    try:
        bpe = BPE(vocab, _get(md, "tokenizer.ggml.merges", "strs", []))
    except ValueError as e:
        raise TokenizerError(f"GGUF tokenizer: {e}") from None
    added = [AddedToken(i, tokens[i], normalized=False, special=(types[i] == _CONTROL))
             for i, ty in enumerate(types) if ty == _CONTROL or ty == _USER_DEFINED]
    tok = cls(bpe, None, pt, None, decoders.ByteLevel(), added)
    tok.bos_token_id = _get(md, "tokenizer.ggml.bos_token_id", "int")
    tok.eos_token_id = _get(md, "tokenizer.ggml.eos_token_id", "int")
    tok.pad_token_id = _get(md, "tokenizer.ggml.padding_token_id", "int")
    tok.add_bos_token = bool(_get(md, "tokenizer.ggml.add_bos_token", "int", False))
    tok.chat_template = _get(md, "tokenizer.chat_template", "str")
    return tok
