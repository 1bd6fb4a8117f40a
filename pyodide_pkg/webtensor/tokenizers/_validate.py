"""tokenizer.json is data from strangers: the fields the pipeline uses are type-checked when
the file is loaded (TokenizerError naming the field), so a loaded tokenizer never fails later
in encode/decode because the file lied."""
from ..serialization._errors import TokenizerError


def _fail(path, what, v):
    raise TokenizerError(f"malformed tokenizer.json: {path} must be {what}, got {v!r:.60}")


def _is_int(v, lo=0):
    return type(v) is int and v >= lo


def _opt(d, key, ok, what, path):
    v = d.get(key)
    if v is not None and not ok(v):
        _fail(f"{path}.{key}", what, v)


def _obj(v, path):
    if not isinstance(v, dict):
        _fail(path, "an object", v)
    return v


def _component(cfg, path, lists):
    """A normalizer / pre_tokenizer / decoder / post_processor: an object with a string type;
    Sequence members checked the same way; strings and flags of the right type."""
    if cfg is None:
        return
    _obj(cfg, path)
    _opt(cfg, "type", lambda v: isinstance(v, str), "a string", path)
    for key, v in cfg.items():
        if key in lists:
            if not isinstance(v, list):
                _fail(f"{path}.{key}", "a list", v)
            for i, c in enumerate(v):
                _component(c, f"{path}.{key}[{i}]", lists)
        elif key in _BOOLS and v is not None and type(v) is not bool:
            _fail(f"{path}.{key}", "true or false", v)
        elif key in _STRINGS and v is not None and not isinstance(v, str):
            _fail(f"{path}.{key}", "a string", v)
        elif key in ("start", "stop") and not _is_int(v):
            _fail(f"{path}.{key}", "a non-negative integer", v)
        elif key == "pattern":
            if not (isinstance(v, dict) and len(v) == 1 and
                    all(isinstance(x, str) for x in v.values())):
                _fail(f"{path}.pattern", "{\"String\" or \"Regex\": a string}", v)


_BOOLS = {"clean_text", "handle_chinese_chars", "lowercase", "add_prefix_space", "trim_offsets",
          "use_regex", "individual_digits", "invert", "cleanup", "left", "right"}
_STRINGS = {"prefix", "content", "prepend", "suffix", "behavior", "replacement",
            "prepend_scheme"}


def _template(cfg, path):
    special = _obj(cfg.get("special_tokens", {}), f"{path}.special_tokens")
    for name, sp in special.items():
        sp = _obj(sp, f"{path}.special_tokens[{name!r}]")
        ids, toks = sp.get("ids"), sp.get("tokens")
        if not (isinstance(ids, list) and all(_is_int(i) for i in ids) and
                isinstance(toks, list) and all(isinstance(t, str) for t in toks) and
                len(ids) == len(toks)):
            _fail(f"{path}.special_tokens[{name!r}]", "ids and tokens lists of one length", sp)
    for key in ("single", "pair"):
        tpl = cfg.get(key)                  # HF writes both (a pair needs its template)
        if not isinstance(tpl, list):
            _fail(f"{path}.{key}", "a list", tpl)
        for i, piece in enumerate(tpl):
            p = f"{path}.{key}[{i}]"
            if not (isinstance(piece, dict) and len(piece) == 1 and
                    set(piece) <= {"SpecialToken", "Sequence"}):
                _fail(p, "{\"SpecialToken\": ...} or {\"Sequence\": ...}", piece)
            (kind, body), = piece.items()
            _obj(body, p)
            if not _is_int(body.get("type_id")):
                _fail(f"{p}.type_id", "a non-negative integer", body.get("type_id"))
            ids = special if kind == "SpecialToken" else ("A", "B")
            if not isinstance(body.get("id"), str) or body["id"] not in ids:
                _fail(f"{p}.id", f"one of {sorted(ids)}", body.get("id"))


def _post_processor(cfg, path):
    _component(cfg, path, ("processors",))
    if cfg is None:
        return
    t = cfg.get("type")
    if t == "TemplateProcessing":
        _template(cfg, path)
    elif t in ("BertProcessing", "RobertaProcessing"):
        for key in ("cls", "sep"):
            v = cfg.get(key)
            if not (isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and
                    _is_int(v[1])):
                _fail(f"{path}.{key}", "[token, id]", v)
    elif t == "Sequence":
        for i, c in enumerate(cfg["processors"]):
            _post_processor(c, f"{path}.processors[{i}]")


def _model(m):
    _obj(m, "model")
    if m.get("type") not in ("WordPiece", "BPE", None):
        return                                  # unsupported: the model loader says so
    if "vocab" not in m:
        raise TokenizerError("malformed tokenizer.json: missing entry 'vocab'")
    vocab = m.get("vocab")
    if not (isinstance(vocab, dict) and all(_is_int(i) for i in vocab.values())):
        _fail("model.vocab", "an object mapping tokens to non-negative ids", vocab)
    merges = m.get("merges", [])
    if not (isinstance(merges, list) and all(
            isinstance(x, str) or (isinstance(x, list) and all(isinstance(y, str) for y in x))
            for x in merges)):
        _fail("model.merges", "a list of \"a b\" strings or [a, b] pairs", merges)
    for key in ("unk_token", "continuing_subword_prefix", "end_of_word_suffix"):
        _opt(m, key, lambda v: isinstance(v, str), "a string", "model")
    for key in ("fuse_unk", "byte_fallback", "ignore_merges"):
        _opt(m, key, lambda v: type(v) is bool, "true or false", "model")
    _opt(m, "max_input_chars_per_word", _is_int, "a non-negative integer", "model")
    _opt(m, "dropout", lambda v: isinstance(v, (int, float)), "a number", "model")


def _added_tokens(tokens):
    if not isinstance(tokens, list):
        _fail("added_tokens", "a list", tokens)
    for i, d in enumerate(tokens):
        _obj(d, f"added_tokens[{i}]")
        if not _is_int(d.get("id")) or not isinstance(d.get("content"), str):
            _fail(f"added_tokens[{i}]", "an object with an integer id and a string content", d)
        for key in ("single_word", "lstrip", "rstrip", "normalized", "special"):
            _opt(d, key, lambda v: type(v) is bool, "true or false", f"added_tokens[{i}]")


_SIDES = ("Left", "Right")


def _truncation(t):
    _obj(t, "truncation")
    if not _is_int(t.get("max_length")):
        _fail("truncation.max_length", "a non-negative integer", t.get("max_length"))
    _opt(t, "stride", _is_int, "a non-negative integer", "truncation")
    _opt(t, "strategy", lambda v: v in ("LongestFirst", "OnlyFirst", "OnlySecond"),
         "LongestFirst, OnlyFirst or OnlySecond", "truncation")
    _opt(t, "direction", lambda v: v in _SIDES, "Left or Right", "truncation")


def _padding(p):
    _obj(p, "padding")
    s = p.get("strategy", "BatchLongest")
    if s != "BatchLongest" and not (isinstance(s, dict) and list(s) == ["Fixed"] and
                                    _is_int(s["Fixed"])):
        _fail("padding.strategy", "\"BatchLongest\" or {\"Fixed\": length}", s)
    _opt(p, "direction", lambda v: v in _SIDES, "Left or Right", "padding")
    for key in ("pad_id", "pad_type_id"):
        _opt(p, key, _is_int, "a non-negative integer", "padding")
    _opt(p, "pad_token", lambda v: isinstance(v, str), "a string", "padding")
    _opt(p, "pad_to_multiple_of", lambda v: _is_int(v, 1), "a positive integer", "padding")


def check(cfg):
    """Raise TokenizerError for the first field of the wrong type or range."""
    _model(cfg["model"])
    _added_tokens(cfg.get("added_tokens") or [])
    if cfg.get("truncation"):
        _truncation(cfg["truncation"])
    if cfg.get("padding"):
        _padding(cfg["padding"])
    _component(cfg.get("normalizer"), "normalizer", ("normalizers",))
    _component(cfg.get("pre_tokenizer"), "pre_tokenizer", ("pretokenizers",))
    _component(cfg.get("decoder"), "decoder", ("decoders",))
    _post_processor(cfg.get("post_processor"), "post_processor")
