"""Post-processors: add the special tokens ([CLS] A [SEP] B [SEP], <s> ... </s>) and type ids.

A processor works on `Encoding`s and returns the merged Encoding."""
from .encoding import Encoding


def _special(ids, tokens, type_id):
    return Encoding(list(ids), list(tokens), [type_id] * len(ids), [1] * len(ids))


def concat(encs):
    out = Encoding([], [], [], [])
    for e in encs:
        out.ids += e.ids
        out.tokens += e.tokens
        out.type_ids += e.type_ids
        out.special_tokens_mask += e.special_tokens_mask
    out.attention_mask = [1] * len(out.ids)
    return out


def default_process(a, b):
    return concat([a] if b is None else [a, b])


class TemplateProcessing:
    def __init__(self, single, pair, special_tokens):
        self.single, self.pair, self.special = single, pair, special_tokens
        for piece in single + (pair or []):
            if "SpecialToken" in piece and piece["SpecialToken"]["id"] not in special_tokens:
                raise ValueError(f"TemplateProcessing: special token "
                                 f"{piece['SpecialToken']['id']!r} has no entry in special_tokens")

    def added_tokens(self, is_pair):
        tpl = self.pair if is_pair else self.single
        return sum(len(self.special[p["SpecialToken"]["id"]]["ids"])
                   for p in tpl if "SpecialToken" in p)

    def __call__(self, a, b, add_special_tokens):
        if not add_special_tokens:
            return default_process(a, b)
        parts = []
        for piece in (self.pair if b is not None else self.single):
            if "SpecialToken" in piece:
                st = piece["SpecialToken"]
                sp = self.special[st["id"]]
                parts.append(_special(sp["ids"], sp["tokens"], st["type_id"]))
            else:
                seq = piece["Sequence"]
                e = a if seq["id"] == "A" else b
                parts.append(Encoding(e.ids, e.tokens, [seq["type_id"]] * len(e.ids),
                                      e.special_tokens_mask))
        return concat(parts)


class _Wrap:
    """BertProcessing / RobertaProcessing: cls A sep (sep) B sep."""
    def __init__(self, cls, sep, double_sep):
        self.cls, self.sep, self.double = cls, sep, double_sep

    def added_tokens(self, is_pair):
        return (4 if self.double else 3) if is_pair else 2

    def __call__(self, a, b, add_special_tokens):
        if not add_special_tokens:
            return default_process(a, b)
        (sep_t, sep_i), (cls_t, cls_i) = self.sep, self.cls
        parts = [_special([cls_i], [cls_t], 0), Encoding(a.ids, a.tokens, [0] * len(a.ids),
                                                         a.special_tokens_mask),
                 _special([sep_i], [sep_t], 0)]
        if b is not None:
            tb = 0 if self.double else 1
            if self.double:
                parts.append(_special([sep_i], [sep_t], tb))
            parts += [Encoding(b.ids, b.tokens, [tb] * len(b.ids), b.special_tokens_mask),
                      _special([sep_i], [sep_t], tb)]
        return concat(parts)


class _Noop:
    def added_tokens(self, is_pair):
        return 0

    def __call__(self, a, b, add_special_tokens):
        return default_process(a, b)


class Sequence:
    def __init__(self, processors):
        self.processors = processors

    def added_tokens(self, is_pair):
        return sum(p.added_tokens(is_pair) for p in self.processors)

    def __call__(self, a, b, add_special_tokens):
        # HF runs each processor on the running result; only one of them adds tokens in practice
        for p in self.processors:
            if isinstance(p, _Noop):
                continue
            return p(a, b, add_special_tokens)
        return default_process(a, b)


def from_config(cfg):
    if cfg is None:
        return None
    t = cfg.get("type")
    if t == "TemplateProcessing":
        return TemplateProcessing(cfg["single"], cfg.get("pair"), cfg.get("special_tokens", {}))
    if t == "BertProcessing":
        return _Wrap(tuple(cfg["cls"]), tuple(cfg["sep"]), False)
    if t == "RobertaProcessing":
        return _Wrap(tuple(cfg["cls"]), tuple(cfg["sep"]), True)
    if t == "ByteLevel":
        return _Noop()            # only trims offsets, which are not tracked
    if t == "Sequence":
        return Sequence([from_config(c) for c in cfg["processors"]])
    raise NotImplementedError(f"tokenizer post_processor {t!r} is not supported (supported: "
                              f"TemplateProcessing, BertProcessing, RobertaProcessing, "
                              f"ByteLevel, Sequence)")
