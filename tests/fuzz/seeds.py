"""Small valid files of every format webtensor reads, written here from Python values (stdlib
only, so the same seeds are made on CPython and inside Pyodide; nothing binary is committed).
tests/fuzz/vs_torch/ checks that the real readers (torch, safetensors, gguf, tokenizers) read
them the same as webtensor does. The writers take their fields as given, so the fuzzers can
make them lie (counts, offsets, sizes, dtypes)."""
import io
import json
import struct
import zipfile

# ---- safetensors ----------------------------------------------------------------------------
ST_ITEMSIZE = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
               "U8": 1, "BOOL": 1}


def safetensors_bytes(header, data, header_len=None):
    """u64 header length + JSON header + data; header_len overrides the length field."""
    text = json.dumps(header, separators=(",", ":")).encode() if not isinstance(header, bytes) \
        else header
    text += b" " * (-(8 + len(text)) % 8)
    n = len(text) if header_len is None else header_len
    return struct.pack("<Q", n & (2 ** 64 - 1)) + text + data


def safetensors_seed(tensors):
    """tensors: [(name, dtype code, shape, raw bytes)] -> a valid file (packed in that order)."""
    header, pos = {"__metadata__": {"format": "pt"}}, 0
    for name, code, shape, raw in tensors:
        header[name] = {"dtype": code, "shape": list(shape), "data_offsets": [pos, pos + len(raw)]}
        pos += len(raw)
    return safetensors_bytes(header, b"".join(t[3] for t in tensors))


def numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def pattern(nbytes, salt=0):
    """Deterministic filler bytes (finite as floats: no exponent byte is ever 0x7f/0xff)."""
    return bytes(((i * 37 + salt * 11) % 0x7e) for i in range(nbytes))


# ---- pickle (protocol 2, written opcode by opcode: the globals need not be importable) -------
class Global:
    def __init__(self, module, name):
        self.module, self.name = module, name


class Call:
    """func(*args) through REDUCE; `setitems` (a dict) is applied after, as OrderedDict is."""
    def __init__(self, func, args, setitems=None):
        self.func, self.args, self.setitems = func, tuple(args), setitems


class PersId:
    def __init__(self, pid):
        self.pid = pid


class Raw:
    """Opcodes written as given (they must push exactly one object)."""
    def __init__(self, ops):
        self.ops = ops


class Shared:
    """The same object wherever it appears: written once, memoized, then fetched (BINGET)."""
    def __init__(self, obj):
        self.obj = obj


def pickle_bytes(obj):
    out, memo = bytearray(b"\x80\x02"), {}

    def emit(o):
        if o is None:
            out.extend(b"N")
        elif o is True or o is False:
            out.extend(b"\x88" if o else b"\x89")
        elif isinstance(o, int):
            if -2 ** 31 <= o < 2 ** 31:
                out.extend(b"J" + struct.pack("<i", o))
            else:
                n = (o.bit_length() + 8) // 8
                out.extend(b"\x8a" + bytes([n]) + o.to_bytes(n, "little", signed=True))
        elif isinstance(o, float):
            out.extend(b"G" + struct.pack(">d", o))
        elif isinstance(o, str):
            b = o.encode("utf-8", "surrogatepass")
            out.extend(b"X" + struct.pack("<I", len(b)) + b)
        elif isinstance(o, tuple):
            out.extend(b"(")
            for x in o:
                emit(x)
            out.extend(b"t")
        elif isinstance(o, list):
            out.extend(b"]")
            if o:
                out.extend(b"(")
                for x in o:
                    emit(x)
                out.extend(b"e")
        elif isinstance(o, dict):
            out.extend(b"}")
            if o:
                set_items(o)
        elif isinstance(o, Global):
            out.extend(b"c" + o.module.encode() + b"\n" + o.name.encode() + b"\n")
        elif isinstance(o, Call):
            emit(o.func)
            emit(o.args)
            out.extend(b"R")
            if o.setitems:
                set_items(o.setitems)
        elif isinstance(o, PersId):
            emit(o.pid)
            out.extend(b"Q")
        elif isinstance(o, Raw):
            out.extend(o.ops)
        elif isinstance(o, Shared):
            if id(o) in memo:
                out.extend(b"h" + bytes([memo[id(o)]]))
            else:
                emit(o.obj)
                memo[id(o)] = len(memo)
                out.extend(b"q" + bytes([memo[id(o)]]))
        else:
            raise TypeError(f"cannot write {type(o).__name__}")

    def set_items(d):
        out.extend(b"(")
        for k, v in d.items():
            emit(k)
            emit(v)
        out.extend(b"u")

    emit(obj)
    out.extend(b".")
    return bytes(out)


STORAGE_CLASS = {"float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage",
                 "bfloat16": "BFloat16Storage", "int64": "LongStorage", "int32": "IntStorage",
                 "int16": "ShortStorage", "int8": "CharStorage", "uint8": "ByteStorage",
                 "bool": "BoolStorage"}
ITEMSIZE = {"float32": 4, "float64": 8, "float16": 2, "bfloat16": 2, "int64": 8, "int32": 4,
            "int16": 2, "int8": 1, "uint8": 1, "bool": 1}


def ordered_dict(items):
    return Call(Global("collections", "OrderedDict"), (), dict(items))


def storage(key, dtype, n, legacy=False):
    pid = ("storage", Global("torch", STORAGE_CLASS[dtype]), key, "cpu", n)
    return Shared(PersId(pid + (None,) if legacy else pid))


def tensor(st, offset, size, stride, requires_grad=False):
    return Call(Global("torch._utils", "_rebuild_tensor_v2"),
                (st, offset, tuple(size), tuple(stride), requires_grad, ordered_dict({})))


def parameter(t, requires_grad=True):
    return Call(Global("torch._utils", "_rebuild_parameter"), (t, requires_grad, ordered_dict({})))


def checkpoint_seed(legacy=False):
    """(object tree, {storage key: (dtype, numel, raw bytes)}): a state dict with shared
    storage, a strided view, a parameter, containers and plain values."""
    storages = {"0": ("float32", 12, pattern(48)), "1": ("int64", 3, pattern(24, 1)),
                "2": ("float16", 4, pattern(8, 2)), "3": ("bool", 3, bytes([1, 0, 1]))}
    st = {k: storage(k, d, n, legacy) for k, (d, n, _) in storages.items()}
    tree = ordered_dict([
        ("weight", tensor(st["0"], 0, (3, 4), (4, 1))),
        ("column", tensor(st["0"], 1, (3,), (4,))),
        ("transposed", tensor(st["0"], 0, (4, 3), (1, 4))),
        ("ids", tensor(st["1"], 0, (3,), (1,))),
        ("half", parameter(tensor(st["2"], 0, (2, 2), (2, 1)))),
        ("mask", tensor(st["3"], 0, (3,), (1,))),
        ("nested", {"list": [tensor(st["1"], 1, (2,), (1,)), 7, "text"], "tuple": (1.5, None)}),
        ("step", 3)])
    return tree, storages


def torch_zip_bytes(tree, storages, compress=False, prefix="archive", data_pkl=None):
    """A torch.save zip archive (data.pkl, byteorder, data/<key>, version)."""
    buf = io.BytesIO()
    mode = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", mode) as z:
        z.writestr(f"{prefix}/data.pkl", pickle_bytes(tree) if data_pkl is None else data_pkl)
        z.writestr(f"{prefix}/byteorder", "little")
        for key, (_, _, raw) in storages.items():
            z.writestr(f"{prefix}/data/{key}", raw)
        z.writestr(f"{prefix}/version", "3\n")
    return buf.getvalue()


LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
SYS_INFO = {"protocol_version": 1001, "little_endian": True,
            "type_sizes": {"short": 2, "int": 4, "long": 4}}


def torch_legacy_bytes(tree, storages, keys=None, sizes=None):
    """The pre-1.6 stream: magic, protocol, sys info, the object, the key list, then each
    storage as <q element count> + bytes; `keys` / `sizes` override what is written."""
    keys = list(storages) if keys is None else keys
    out = bytearray(pickle_bytes(LEGACY_MAGIC) + pickle_bytes(1001) + pickle_bytes(SYS_INFO)
                    + pickle_bytes(tree) + pickle_bytes(keys))
    for key in storages:
        dtype, n, raw = storages[key]
        out += struct.pack("<Q", (n if sizes is None else sizes.get(key, n)) % 2 ** 64) + raw
    return bytes(out)


# ---- GGUF ----------------------------------------------------------------------------------
GGUF_SCALAR = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
               10: "<Q", 11: "<q", 12: "<d"}
STRING, ARRAY = 8, 9


def gguf_value(vtype, v):
    if vtype in GGUF_SCALAR:
        return struct.pack(GGUF_SCALAR[vtype], v)
    if vtype == STRING:
        b = v.encode("utf-8", "surrogateescape") if isinstance(v, str) else v
        return struct.pack("<Q", len(b)) + b
    etype, items = v            # ARRAY: (element type, items); nested arrays: items are pairs
    return struct.pack("<IQ", etype, len(items)) + b"".join(gguf_value(etype, x) for x in items)


def gguf_bytes(metadata, tensors, data, version=3, alignment=32, counts=None):
    """metadata: [(key, vtype, value)]; tensors: [(name, dims fastest-first, ggml type,
    offset)]; data: the tensor bytes (placed at the aligned start); counts overrides the
    tensor / metadata counts in the header."""
    n_t, n_kv = counts if counts is not None else (len(tensors), len(metadata))
    out = bytearray(b"GGUF" + struct.pack("<IQQ", version, n_t, n_kv))
    for key, vtype, value in metadata:
        out += gguf_value(STRING, key) + struct.pack("<I", vtype) + gguf_value(vtype, value)
    for name, dims, ttype, offset in tensors:
        out += gguf_value(STRING, name) + struct.pack("<I", len(dims))
        out += b"".join(struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", ttype, offset)
    out += b"\0" * (-len(out) % alignment)
    return bytes(out + data)


def gguf_seed():
    """A small GGUF: scalars, strings, an array of arrays, a gpt2 tokenizer; F32, F16, Q8_0."""
    tokens = ["a", "b", "c", "ab", "abc", "<s>"]
    metadata = [("general.architecture", STRING, "llama"), ("x.u32", 4, 7), ("x.f32", 6, 0.5),
                ("x.bool", 7, True), ("x.i64", 11, -5),
                ("x.nested", ARRAY, (ARRAY, [(4, [1, 2]), (STRING, ["p", "q"]), (4, [])])),
                ("tokenizer.ggml.model", STRING, "gpt2"), ("tokenizer.ggml.pre", STRING, "gpt2"),
                ("tokenizer.ggml.tokens", ARRAY, (STRING, tokens)),
                ("tokenizer.ggml.token_type", ARRAY, (5, [1, 1, 1, 1, 1, 3])),
                ("tokenizer.ggml.merges", ARRAY, (STRING, ["a b", "ab c"]))]
    f32, f16, q8 = pattern(4 * 2 * 3), pattern(2 * 4, 1), pattern(34 * 2, 2)
    tensors = [("w.f32", [3, 2], 0, 0), ("w.f16", [4], 1, 32), ("w.q8", [32, 2], 8, 64)]
    data = f32 + b"\0" * 8 + f16 + b"\0" * 24 + q8
    return metadata, tensors, data


# ---- tokenizer.json ----------------------------------------------------------------------
def _added(i, content, special=True):
    return {"id": i, "content": content, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": not special, "special": special}


def wordpiece_seed():
    """A BERT-style WordPiece tokenizer.json (as HF `tokenizers` writes it)."""
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "wor", "##ld", "##s", "a",
             "b", "!", ",", "the", "##e", "un", "##able"]
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [_added(i, w) for i, w in enumerate(words[:4])],
        "normalizer": {"type": "BertNormalizer", "clean_text": True,
                       "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                               "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100,
                  "vocab": {w: i for i, w in enumerate(words)}}}


def _byte_chars():
    """GPT-2's byte -> printable character map."""
    bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for _, c in sorted(zip(bs, cs))]


def bpe_seed():
    """A byte-level BPE tokenizer.json (GPT-2 / SmolLM2 style) with a few merges."""
    vocab = {c: i for i, c in enumerate(_byte_chars())}
    merges = [["h", "e"], ["l", "l"], ["he", "ll"], ["hell", "o"], ["Ġ", "w"], ["o", "r"],
              ["Ġw", "or"], ["Ġwor", "l"], ["Ġworl", "d"]]
    for a, b in merges:
        vocab[a + b] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [_added(vocab["<|endoftext|>"], "<|endoftext|>")],
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
             "use_regex": True}]},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False,
                           "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": merges}}


SAMPLE_TEXT = "Hello world, the unable worlds! 12 héllo"
