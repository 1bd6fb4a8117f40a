# Sentence similarity with all-MiniLM-L6-v2 (sentence-transformers' model, as plain PyTorch code
# bound to webtensor), run by runtime.js in a worker. The page calls load(), then similarity().
import json
import time

from demo_lib import weights
from webtensor.models.sentence import SentenceEncoder

FILES = ("config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json",
         "sentence_bert_config.json")
encoder = None


async def load(_args):
    global encoder
    t0 = time.perf_counter()
    files = {name: await weights(f"models/all-MiniLM-L6-v2/{name}") for name in FILES}
    encoder = SentenceEncoder.from_pretrained(files)
    return json.dumps({"load_ms": (time.perf_counter() - t0) * 1000})


async def similarity(args):
    """args: {"sentences": [...]} -> their cosine similarity matrix (unit-length embeddings)."""
    sentences = json.loads(args)["sentences"]
    t0 = time.perf_counter()
    emb = encoder.encode(sentences)
    sim = (emb @ emb.T).tolist()
    return json.dumps({"sentences": sentences, "similarity": sim,
                       "encode_ms": (time.perf_counter() - t0) * 1000})
