"""torch.nn.utils.rnn: pad_sequence / unpad_sequence (packed sequences are not supported)."""


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack tensors of shape (L_i, *) into (max L, B, *) (or (B, max L, *)), padded."""
    from ... import _creation
    from ...ops.shape import cat, stack
    if padding_side not in ("left", "right"):
        raise RuntimeError("Expected padding_side to be one of left or right, but got "
                           f"{padding_side}.")
    seqs = list(sequences)
    if not seqs:
        raise RuntimeError("received an empty list of sequences")
    n = max(s.shape[0] for s in seqs)
    rows = []
    for s in seqs:
        fill = _creation.full((n - s.shape[0],) + tuple(s.shape[1:]), padding_value,
                              dtype=s.dtype, device=s.device)
        rows.append(cat([s, fill] if padding_side == "right" else [fill, s]))
    return stack(rows, 0 if batch_first else 1)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    x = padded_sequences if batch_first else padded_sequences.transpose(0, 1)
    return [x[i, :int(n)] for i, n in enumerate(lengths.tolist() if hasattr(lengths, "tolist")
                                                 else lengths)]


def __getattr__(name):
    from ..._torch_compat import unsupported
    if name in ("pack_padded_sequence", "pad_packed_sequence", "pack_sequence",
                "PackedSequence", "unpack_sequence"):
        raise unsupported(f"torch.nn.utils.rnn.{name}", "packed sequences")
    raise AttributeError(f"module 'webtensor.nn.utils.rnn' has no attribute '{name}'")
