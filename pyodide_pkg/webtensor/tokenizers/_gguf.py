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


def tokenizer_from_gguf(cls, src):
    md = _metadata(src)
    model = md.get("tokenizer.ggml.model")
    if model is None:
        raise ValueError("GGUF metadata has no tokenizer (tokenizer.ggml.model is missing)")
    if model != "gpt2":
        raise NotImplementedError(f"GGUF tokenizer model {model!r} is not supported (only "
                                  f"'gpt2', byte-level BPE)")
    pre = md.get("tokenizer.ggml.pre", "gpt2")
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    if pre in _DIGITS_THEN_GPT2:
        pt = pre_tokenizers.Sequence([pre_tokenizers.Digits(True), byte_level])
    elif pre in _GPT2:
        pt = byte_level
    else:
        raise NotImplementedError(f"GGUF tokenizer.ggml.pre {pre!r} is not supported "
                                  f"(supported: {sorted(_DIGITS_THEN_GPT2 | _GPT2)})")
    tokens = md.get("tokenizer.ggml.tokens")
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise ValueError("GGUF tokenizer: tokenizer.ggml.tokens must be a list of strings")
    types = md.get("tokenizer.ggml.token_type") or [1] * len(tokens)
    if len(types) != len(tokens):
        raise ValueError(f"GGUF tokenizer: {len(tokens)} tokens but {len(types)} token types")
    vocab = dict(zip(reversed(tokens), range(len(tokens) - 1, -1, -1)))   # first id wins
    bpe = BPE(vocab, md.get("tokenizer.ggml.merges", []))
    added = [AddedToken(i, tokens[i], normalized=False, special=(types[i] == _CONTROL))
             for i, ty in enumerate(types) if ty == _CONTROL or ty == _USER_DEFINED]
    tok = cls(bpe, None, pt, None, decoders.ByteLevel(), added)
    tok.bos_token_id = md.get("tokenizer.ggml.bos_token_id")
    tok.eos_token_id = md.get("tokenizer.ggml.eos_token_id")
    tok.pad_token_id = md.get("tokenizer.ggml.padding_token_id")
    tok.add_bos_token = bool(md.get("tokenizer.ggml.add_bos_token", False))
    tok.chat_template = md.get("tokenizer.chat_template")
    return tok
