"""SentenceEncoder: sentence embeddings from a sentence-transformers model folder
(config.json, model.safetensors, tokenizer.json, 1_Pooling/config.json), e.g.
all-MiniLM-L6-v2. The network is `minilm.py` (plain torch source); this file is the webtensor
glue: file reading, tokenization, batching.

    enc = SentenceEncoder.from_pretrained(".cache/models/all-MiniLM-L6-v2")
    emb = enc.encode(["a sentence", "another one"])        # [2, 384], unit length
    enc.to("webgpu").encode(["on the GPU"])                # runs there, returns a webgpu tensor
"""
import json
import os

import webtensor
from webtensor.serialization import read_bytes, safetensors

from . import init_empty_weights, minilm

try:
    from webtensor.tokenizers import Tokenizer
except ImportError:          # until webtensor.tokenizers lands; same API
    from tokenizers import Tokenizer

_POOL_KEYS = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls",
              "pooling_mode_max_tokens": "max",
              "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len"}
_FILES = ("config.json", "model.safetensors", "tokenizer.json")


def _pooling_mode(cfg):
    modes = [mode for key, mode in _POOL_KEYS.items() if cfg.get(key)]
    unknown = [k for k, v in cfg.items() if k.startswith("pooling_mode") and v and
               k not in _POOL_KEYS]
    if unknown or len(modes) != 1:
        raise NotImplementedError(f"pooling config {cfg}: exactly one of "
                                  f"{', '.join(_POOL_KEYS)} is supported")
    return modes[0]


class _ShapeGraphs:
    """model(*inputs) through a captured graph per input shape (webtensor.graphs, where the
    device supports it): a shape seen a second time is captured, later calls with it copy
    their inputs in and replay. At most KEEP graphs live (each holds its step's memory); a
    refused capture (an op the device cannot capture) means eager from then on."""
    KEEP, SEEN = 2, 64

    def __init__(self, model):
        self.model, self.graphs, self.seen, self.ok = model, {}, set(), True

    def reset(self):
        for g, _, _ in self.graphs.values():
            g.reset()
        self.graphs.clear()

    def __call__(self, *inputs):
        dev = inputs[0].device
        key = (str(dev),) + tuple(tuple(t.shape) for t in inputs)
        entry = self.graphs.pop(key, None)
        if entry is not None:
            self.graphs[key] = entry            # the most recently used last
            g, static, out = entry
            for s, t in zip(static, inputs):
                s.copy_(t)
            g.replay()
            return out.clone()
        graphs = getattr(webtensor, "graphs", None)
        if not self.ok or key not in self.seen or graphs is None or \
                not graphs.is_supported(dev):
            if len(self.seen) >= self.SEEN:
                self.seen.clear()
            self.seen.add(key)
            return self.model(*inputs)
        static = [t.clone() for t in inputs]
        g = graphs.Graph()
        try:
            with graphs.graph(g, device=dev):
                out = self.model(*static)
        except RuntimeError:
            self.ok = False
            return self.model(*inputs)
        while len(self.graphs) >= self.KEEP:
            self.graphs.pop(next(iter(self.graphs)))[0].reset()
        self.graphs[key] = (g, static, out)
        return out.clone()


class SentenceEncoder:
    """Tokenizer + BERT + pooling; `encode` gives one (normalised) vector per sentence.
    A batch shape met again replays a captured graph of the forward (see _ShapeGraphs)."""

    def __init__(self, model, tokenizer, max_seq_length=None):
        self.model = model.eval()
        self.tokenizer = tokenizer
        cfg = model.bert.config
        self.max_seq_length = min(max_seq_length or cfg.max_position_embeddings,
                                  cfg.max_position_embeddings)
        # like sentence-transformers: truncate to max_seq_length, pad each batch to its longest
        tokenizer.enable_truncation(max_length=self.max_seq_length)
        tokenizer.enable_padding(pad_id=cfg.pad_token_id, pad_token="[PAD]")
        self._forward = _ShapeGraphs(self.model)

    @classmethod
    def from_pretrained(cls, source):
        """`source`: a model folder, or a dict {file name: path, URL or bytes} with
        config.json, model.safetensors, tokenizer.json and optionally 1_Pooling/config.json
        and sentence_bert_config.json (in a page: the bytearrays of `await fetch_async(url)`;
        the weights then view those bytes). Files never execute code."""
        if isinstance(source, dict):
            files = dict(source)
        elif isinstance(source, (str, os.PathLike)):
            if not os.path.isdir(source):
                raise FileNotFoundError(f"no model folder at {os.fspath(source)!r}")
            files = {}
            for name in _FILES + ("1_Pooling/config.json", "sentence_bert_config.json"):
                path = os.path.join(source, *name.split("/"))
                if os.path.exists(path):
                    files[name] = path
        else:
            raise TypeError(f"from_pretrained() expects a folder path or a dict of files, got "
                            f"{type(source).__name__}")
        missing = [n for n in _FILES if n not in files]
        if missing:
            raise FileNotFoundError(f"model files missing: {', '.join(missing)}")

        def read(name):     # a bytearray passes through: the weights then view it (no copy)
            src = files[name]
            return src if isinstance(src, (bytes, bytearray, memoryview)) else read_bytes(src)

        def read_text(name):
            return bytes(read(name)).decode("utf-8")

        def read_json(name, default=None):
            return json.loads(read_text(name)) if name in files else default

        cfg = minilm.BertConfig.from_dict(read_json("config.json"))
        pooling = _pooling_mode(read_json("1_Pooling/config.json",
                                          {"pooling_mode_mean_tokens": True}))
        with init_empty_weights():     # the parameters become views of the file's bytes
            model = minilm.SentenceEmbedder(cfg, pooling=pooling, normalize=False)
        model.load_hf_state_dict(safetensors.load(read("model.safetensors")), assign=True)
        tokenizer = Tokenizer.from_str(read_text("tokenizer.json"))
        st = read_json("sentence_bert_config.json", {})
        return cls(model, tokenizer, st.get("max_seq_length"))

    @property
    def device(self):
        """The model's device (where encode() runs and what it returns on)."""
        return next(self.model.parameters()).device

    def to(self, device):
        """Move the model (e.g. to "webgpu"); encode() then runs there."""
        self._forward.reset()
        self.model.to(device)
        return self

    def tokenize(self, sentences, device=None):
        """(input_ids, attention_mask, token_type_ids) int64 tensors, padded to the longest,
        on `device` (default the CPU)."""
        enc = self.tokenizer.encode_batch(list(sentences))
        return tuple(webtensor.tensor([getattr(e, f) for e in enc], dtype=webtensor.int64,
                                      device=device)
                     for f in ("ids", "attention_mask", "type_ids"))

    def encode(self, sentences, batch_size=32, normalize=True, device=None,
               convert_to_numpy=False):
        """Embeddings [len(sentences), dim] (a str gives [dim]); normalize=True makes each
        row unit length. Batches are formed from sentences of similar length (less padding).
        As sentence-transformers: the inputs are made on the model's device (`device` moves
        the model there first) and the tensor returned stays there, as its
        convert_to_tensor=True does; convert_to_numpy=True returns a numpy array (CPU)."""
        if device is not None:
            self.to(device)
        dev = self.device
        single = isinstance(sentences, str)
        if single:
            sentences = [sentences]
        sentences = list(sentences)
        for s in sentences:
            if not isinstance(s, str):
                raise TypeError(f"encode() expects strings, got {type(s).__name__}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        dim = self.model.bert.config.hidden_size
        if not sentences:
            emb = webtensor.zeros(0, dim, device=dev)
            return emb.cpu().numpy() if convert_to_numpy else emb
        order = sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))
        parts = []
        with webtensor.no_grad():
            for start in range(0, len(order), batch_size):
                batch = [sentences[i] for i in order[start:start + batch_size]]
                parts.append(self._forward(*self.tokenize(batch, dev)))
        emb = webtensor.cat(parts)
        if normalize:
            emb = webtensor.nn.functional.normalize(emb, p=2.0, dim=1)
        inverse = [0] * len(order)
        for pos, i in enumerate(order):
            inverse[i] = pos
        emb = emb.index_select(0, webtensor.tensor(inverse, dtype=webtensor.int64, device=dev))
        emb = emb[0] if single else emb
        return emb.cpu().numpy() if convert_to_numpy else emb
