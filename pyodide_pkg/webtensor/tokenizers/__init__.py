"""Tokenizers in pure Python (stdlib only; runs in Pyodide): HF `tokenizer.json` files
(BERT WordPiece, byte-level BPE) and the byte-level BPE stored in GGUF metadata.

    from webtensor.tokenizers import Tokenizer
    tok = Tokenizer.from_file("tokenizer.json")
    enc = tok.encode("Hello world")       # enc.ids, enc.tokens, enc.attention_mask ...
    stream = DecodeStream(skip_special_tokens=True)   # streamed generation:
    piece = stream.step(tok, next_id)                 # new text, or None mid-character
"""
from .added_tokens import AddedToken
from .decode_stream import DecodeStream
from .encoding import Encoding
from .tokenizer import Tokenizer

__all__ = ["Tokenizer", "Encoding", "AddedToken", "DecodeStream"]
