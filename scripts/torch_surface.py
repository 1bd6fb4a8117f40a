"""The torch surface that real model files use: walk the modeling files of transformers'
popular architectures, collect every `torch.*`, `torch.nn.*`, `torch.nn.functional.*` name and
every common Tensor method they use (by `ast`, nothing is imported from them) and write
tests/golden/torch_surface.json (name -> the files using it). tests/unit/core/
test_torch_surface.py checks that list against webtensor's namespace, without network.

    python scripts/torch_surface.py            # rewrite the golden, print what webtensor lacks
    python scripts/torch_surface.py --missing  # only print what webtensor lacks

transformers' sources come from the installed package when there is one, else from a wheel
that `pip download` puts in .cache/torch_surface (read from the archive, never unpacked into
the repository). The Tensor-method list needs torch (the CPython oracle) to tell Tensor
methods from other attribute calls.
"""
import ast
import glob
import importlib.util
import json
import os
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden", "torch_surface.json")
CACHE = os.path.join(ROOT, ".cache", "torch_surface")

# transformers/models/<dir>/modeling_<dir>.py for each: the popular text, vision and speech
# families (decoder LMs, encoders, encoder-decoders, ViTs, CLIP, speech)
ARCHITECTURES = (
    "bert", "roberta", "distilbert", "albert", "electra", "xlm_roberta", "deberta_v2",
    "gpt2", "gpt_neox", "opt", "llama", "mistral", "mixtral", "qwen2", "qwen3", "gemma",
    "gemma2", "phi", "phi3", "falcon", "starcoder2", "olmo", "t5", "bart", "marian", "whisper",
    "vit", "deit", "swin", "convnext", "clip", "siglip", "wav2vec2", "mbart", "pegasus",
    "m2m_100", "mt5", "gptj", "bloom", "codegen", "stablelm", "granite", "cohere", "olmo2",
    "smollm3", "qwen2_moe", "gemma3", "modernbert", "deberta", "camembert", "beit", "dinov2",
    "segformer", "resnet", "mobilevit", "hubert", "wavlm", "blip", "siglip2", "llava",
    "qwen2_vl", "mamba", "mamba2", "jamba", "deepseek_v3", "qwen3_moe", "gpt_oss", "llama4",
    "mllama", "paligemma", "idefics3", "smolvlm", "detr", "sam", "dpt", "depth_anything",
    "yolos", "speecht5", "musicgen", "encodec", "bark", "seamless_m4t", "clap", "led",
    "longt5", "switch_transformers", "funnel", "layoutlmv3", "trocr", "moonshine", "mimi",
    "dac", "pixtral", "mistral3", "phimoe", "olmoe", "granitemoe", "rt_detr", "mask2former",
    "owlv2", "blip_2", "kosmos2", "vits", "unispeech", "perceiver", "videomae",
    "convnextv2", "efficientnet", "mobilenet_v2", "regnet", "pvt_v2", "hiera",
)
# the shared code those models run through (activations, RoPE, masks, KV caches, sdpa, losses)
SHARED = ("activations.py", "modeling_rope_utils.py", "masking_utils.py", "cache_utils.py",
          "modeling_attn_mask_utils.py", "integrations/sdpa_attention.py", "loss/loss_utils.py",
          "pytorch_utils.py", "generation/logits_process.py", "generation/utils.py",
          "generation/stopping_criteria.py", "modeling_utils.py", "modeling_layers.py",
          "utils/generic.py")
# Names in `torch.Tensor` that model files use on other objects far more often than on
# tensors (dict.values(), str.index(), topk(...).indices, ...): not counted as Tensor methods.
NOT_TENSOR = {"values", "indices", "index", "apply_", "register_hook", "type", "new",
              "storage", "get_device", "name"}
# Python-level helpers whose names look like Tensor methods on ordinary objects
_SKIP_RECEIVERS = {"self", "super", "os", "math", "re", "json", "logger", "warnings", "np",
                   "copy", "inspect", "itertools", "functools", "collections", "config",
                   "kwargs", "dict", "str", "list", "tuple", "set"}


def _sources():
    """(version, {relative path: source}) for the ARCHITECTURES' modeling files."""
    want = {f"models/{a}/modeling_{a}.py" for a in ARCHITECTURES} | set(SHARED)
    spec = importlib.util.find_spec("transformers")
    if spec is not None and spec.origin:
        base = os.path.dirname(spec.origin)
        out = {}
        for rel in sorted(want):
            with open(os.path.join(base, rel), encoding="utf-8") as f:
                out[rel] = f.read()
        from importlib.metadata import version
        return version("transformers"), out
    wheels = sorted(glob.glob(os.path.join(CACHE, "transformers-*.whl")))
    if not wheels:
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary",
                        ":all:", "-d", CACHE, "transformers"], check=True)
        wheels = sorted(glob.glob(os.path.join(CACHE, "transformers-*.whl")))
    with zipfile.ZipFile(wheels[-1]) as z:
        out = {rel: z.read("transformers/" + rel).decode("utf-8") for rel in sorted(want)}
    return os.path.basename(wheels[-1]).split("-")[1], out


def _aliases(nodes):
    """Local name -> torch path from the file's imports (import torch.nn as nn, from torch
    import nn, from torch.nn import functional as F, from torch.nn import LayerNorm, ...)."""
    out = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "torch" or a.name.startswith("torch."):
                    out[a.asname or a.name.split(".")[0]] = a.name if a.asname else "torch"
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and \
                (node.module == "torch" or node.module.startswith("torch.")):
            for a in node.names:
                out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def _chain(node):
    """a.b.c as ["a", "b", "c"], or None when the root is not a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _canonical(path):
    """torch.nn.functional.x and F.x alike; torch.nn.modules.* paths as torch.nn.*."""
    for long, short in (("torch.nn.modules.", "torch.nn."),):
        if path.startswith(long):
            rest = path[len(long):].split(".", 1)
            path = short + (rest[1] if len(rest) > 1 else rest[0])
    return path


def scan(source, tensor_methods):
    """The torch names and Tensor methods one file uses: a set of strings, torch paths as
    'torch.nn.functional.softmax', methods as 'Tensor.masked_fill'."""
    nodes = list(ast.walk(ast.parse(source)))
    alias = _aliases(nodes)
    names = set()
    # nodes inside a longer chain: only the longest counts
    outer = {id(n.value) for n in nodes if isinstance(n, ast.Attribute)}
    for node in nodes:
        if isinstance(node, ast.Attribute) and id(node) not in outer:
            parts = _chain(node)
            if parts and parts[0] in alias:
                names.add(_canonical(".".join([alias[parts[0]]] + parts[1:])))
                continue
            recv = node.value
            if node.attr in tensor_methods and node.attr not in NOT_TENSOR and not (
                    isinstance(recv, ast.Name) and (recv.id in _SKIP_RECEIVERS or
                                                    recv.id in alias)):
                names.add("Tensor." + node.attr)
        elif isinstance(node, ast.Name) and node.id in alias and id(node) not in outer:
            names.add(_canonical(alias[node.id]))     # from torch.nn import LayerNorm; LayerNorm(...)
    return names


def _tensor_methods():
    import torch
    return {n for n in dir(torch.Tensor) if not n.startswith("_")}


def surface():
    """{"transformers": version, "architectures": [...], "names": {name: [files]}}."""
    version, files = _sources()
    methods = _tensor_methods()
    used = {}
    for rel, src in files.items():
        for name in scan(src, methods):
            used.setdefault(name, []).append(rel.split("/")[1] if rel.startswith("models/")
                                             else rel)
    return {"transformers": version, "architectures": list(ARCHITECTURES),
            "names": {k: sorted(v) for k, v in sorted(used.items())}}


def resolve(name):
    """The webtensor object a surface name stands for; raises what webtensor raises (an
    AttributeError, or NotImplementedError for torch features it does not provide)."""
    import webtensor
    if name.startswith("Tensor."):
        return getattr(webtensor.Tensor, name[len("Tensor."):])
    obj = webtensor
    for part in name.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def missing(names):
    out = {}
    for name in names:
        try:
            resolve(name)
        except (AttributeError, NotImplementedError) as e:
            out[name] = f"{type(e).__name__}: {e}"
    return out


def main(argv):
    sys.path.insert(0, os.path.join(ROOT, "pyodide_pkg"))
    data = surface()
    if "--missing" not in argv:
        with open(GOLDEN, "w") as f:
            json.dump(data, f, indent=1, sort_keys=False)
            f.write("\n")
        print(f"wrote {GOLDEN}: {len(data['names'])} names from {len(data['architectures'])} "
              f"architectures (transformers {data['transformers']})")
    gaps = missing(data["names"])
    by_use = sorted(gaps, key=lambda n: (-len(data["names"][n]), n))
    for n in by_use:
        print(f"{len(data['names'][n]):3d}  {n}  ({gaps[n]})")
    print(f"{len(gaps)} of {len(data['names'])} names missing in webtensor")


if __name__ == "__main__":
    main(sys.argv[1:])
