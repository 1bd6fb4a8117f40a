"""Tokenizers in pure Python (stdlib only; runs in Pyodide): HF `tokenizer.json` files
(BERT WordPiece, byte-level BPE) and the byte-level BPE stored in GGUF metadata.

    from webtensor.tokenizers import Tokenizer
    tok = Tokenizer.from_file("tokenizer.json")
    enc = tok.encode("Hello world")       # enc.ids, enc.tokens, enc.attention_mask ...
"""
from .added_tokens import AddedToken
from .encoding import Encoding
from .tokenizer import Tokenizer

__all__ = ["Tokenizer", "Encoding", "AddedToken"]
