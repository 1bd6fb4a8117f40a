#!/usr/bin/env python3
"""Write docs/api.md, the API surface, from the code itself: the op table
(webtensor/ops/table.py), the rest of the `webtensor` namespace, Tensor's methods, the dtypes
and torch's promotion rules as webtensor computes them (webtensor/_dtype.py), and the public
names of nn, nn.functional, optim and utils.data, with the torch names that raise.

    python scripts/make_docs.py            (rewrites docs/api.md)
    python scripts/make_docs.py --check    (exit 1 if docs/api.md is stale; tests/test_docs.py)

Run it after adding an op, a dtype, a module or a public name.
"""
import argparse
import inspect
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "pyodide_pkg"))
os.environ.setdefault("WEBTENSOR_BACKEND", "reference")   # only names are read: no kernels

import webtensor as wt  # noqa: E402
from webtensor import _dtype as D, _torch_compat  # noqa: E402
from webtensor.ops.table import ALIASES, OPS  # noqa: E402

API_MD = REPO / "docs" / "api.md"

# the `webtensor` namespace outside the op table, grouped by the module that defines a name
GROUPS = {
    "webtensor._creation": "Creation and random numbers",
    "webtensor._tensor": "Tensor",
    "webtensor._device": "Devices",
    "webtensor.backends.webgpu.host": "Devices",
    "webtensor._dtype": "dtypes (the dtypes themselves: see below)",
    "webtensor._grad_mode": "Gradient modes",
    "webtensor": "Shape and tensor helpers",
    "webtensor._tensor_extras": "Shape and tensor helpers",
    "webtensor._sampling": "Shape and tensor helpers",
    "webtensor._torch_compat": "torch compatibility (model files touch these)",
    "webtensor._torch_alias": "Serving `import torch`",
    "webtensor.serialization.torch_load": "Weights",
}


def _sig(obj):
    try:
        return str(inspect.signature(obj))
    except (TypeError, ValueError):
        return ""


def _summary(obj):
    # a class's own docstring only (inspect.getdoc would give Size tuple's)
    doc = inspect.cleandoc(obj.__dict__.get("__doc__") or "") if inspect.isclass(obj) \
        else inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _raises(obj):
    """A stand-in that raises NotImplementedError naming a torch feature we lack."""
    return getattr(obj, "__qualname__", "").startswith(("_raiser.", "_unsupported."))


def _cell(text):
    return text.replace("|", "\\|")


def ops_section():
    lines = ["## Ops (the op table)", "",
             "Each op is `webtensor.<name>`; *method* means also `Tensor.<name>`, *in place* "
             "means also `Tensor.<name>_`. *Primitive* is what the op dispatches to "
             "(`webtensor/backends/__init__.py` documents each). The first parameters are "
             "positional in practice: some are named `a`/`b`/`x` here where torch says "
             "`input`/`other`.", ""]
    cats = {}
    for op in OPS.values():
        cats.setdefault(op.category, []).append(op)
    for cat, ops in cats.items():
        lines += [f"### {cat}", "", "| op | method | in place | primitive | note |",
                  "|---|---|---|---|---|"]
        for op in ops:
            lines.append(f"| `{op.name}{_cell(_sig(op.fn))}` | {'yes' if op.method else ''} | "
                         f"{'yes' if op.inplace else ''} | {op.primitive} | "
                         f"{_cell(_summary(op.fn))} |")
        lines.append("")
    lines += ["Aliases: " + ", ".join(f"`{a}` → `{t}`" for a, t in ALIASES.items()) + ".", ""]
    return lines


def namespace_section():
    groups, modules, constants = {}, [], []
    for name in sorted(dir(wt)):
        if name.startswith("_") or name in OPS or name in ALIASES:
            continue
        obj = getattr(wt, name)
        if inspect.ismodule(obj):
            modules.append((name, obj))
        elif isinstance(obj, (int, float)):
            constants.append(name)
        elif isinstance(obj, D.dtype):
            continue                                     # the dtypes section has them
        else:
            where = getattr(obj, "__module__", None) or type(obj).__module__
            groups.setdefault(GROUPS.get(where, where), []).append((name, obj))
    lines = ["## The rest of the `webtensor` namespace", ""]
    for title in dict.fromkeys(GROUPS.values()):
        if title not in groups:
            continue
        lines += [f"### {title}", ""]
        for name, obj in groups.pop(title):
            sig = _sig(obj) if callable(obj) and not inspect.isclass(obj) else ""
            note = "raises `NotImplementedError` naming it" if _raises(obj) else _summary(obj)
            sig = "" if _raises(obj) else sig
            lines.append(f"- `{name}{sig}`" + (f": {note}" if note else ""))
        lines.append("")
    for title, items in sorted(groups.items()):        # a module GROUPS does not name yet
        lines += [f"### {title}", ""] + [f"- `{n}{_sig(o)}`" for n, o in items] + [""]
    lines += ["Constants: " + ", ".join(f"`{c}`" for c in constants) + ".", "",
              "### Submodules", ""]
    for name, mod in modules:
        note = _summary(mod).split(". ")[0].rstrip(".")
        lines.append(f"- `webtensor.{name}`" + (f": {note}" if note else ""))
    unsupported = ", ".join(f"`{n}`" for n in sorted(_torch_compat.UNSUPPORTED))
    lines += ["", "torch names that raise `NotImplementedError` naming themselves (also an "
              "`AttributeError`, so `hasattr(torch, name)` is False): " + unsupported + ".", ""]
    return lines


def tensor_section():
    ops = set(OPS) | set(ALIASES)
    own = sorted(n for n in dir(wt.Tensor) if not n.startswith("_") and n not in ops and
                 not (n.endswith("_") and n[:-1] in ops))
    props = [n for n in own if isinstance(inspect.getattr_static(wt.Tensor, n), property) or
             not callable(inspect.getattr_static(wt.Tensor, n))]
    methods = [n for n in own if n not in props]
    return ["## Tensor", "",
            "Besides the op table's methods (and their `_` in-place forms):", "",
            "Properties and attributes: " + ", ".join(f"`{n}`" for n in props) + ".", "",
            "Methods: " + ", ".join(f"`{n}`" for n in methods) + ".", ""]


def dtypes_section():
    short = {d: d.name for d in D.ALL}
    aliases = {}
    for alias in ("float", "double", "half", "long", "int", "short", "bool"):
        aliases.setdefault(getattr(wt, alias), []).append(alias)
    kinds = {0: "bool", 1: "integer", 2: "floating"}
    lines = ["## dtypes", "", f"Default floating dtype: `{D.get_default_dtype().name}` "
             "(`set_default_dtype` accepts float32 and float64). float16 and bfloat16 are "
             "storage formats: ops compute in float32 and round back.", "",
             "| dtype | also | bytes | kind | torch's C++ name |", "|---|---|---|---|---|"]
    for d in D.ALL:
        also = ", ".join(f"`{a}`" for a in aliases.get(d, []) if a != d.name)
        lines.append(f"| `{d.name}` | {also} | {d.itemsize} | {kinds[d.category]} | "
                     f"{D.TNAME[d.name]} |")
    lines += ["", "### Promotion: `promote_types(row, column)`", "",
              "| | " + " | ".join(short[d] for d in D.ALL) + " |",
              "|---|" + "---|" * len(D.ALL)]
    for a in D.ALL:
        lines.append(f"| **{short[a]}** | " +
                     " | ".join(D.promote_types(a, b).name for b in D.ALL) + " |")
    lines += ["", "### Tensors with Python scalars and 0-dim tensors (`result_type`)", "",
              "A higher kind (bool < integer < floating) always wins; within a kind, tensors "
              "with dimensions win over 0-dim tensors, which win over Python scalars. "
              "Computed by `webtensor.result_type`:", "", "| operands | result |", "|---|---|"]
    for text, operands in _scalar_cases():
        lines.append(f"| {text} | `{wt.result_type(*operands).name}` |")
    return lines + [""]


def _scalar_cases():
    t = lambda dt, dims=1: wt.zeros([2] * dims, dtype=dt)  # noqa: E731
    return [("int64 tensor, `2.5`", (t(wt.int64), 2.5)),
            ("uint8 tensor, `1000`", (t(wt.uint8), 1000)),
            ("bool tensor, `1`", (t(wt.bool), 1)),
            ("int32 tensor, 0-dim int64 tensor", (t(wt.int32), t(wt.int64, 0))),
            ("float16 tensor, 0-dim float64 tensor", (t(wt.float16), t(wt.float64, 0))),
            ("int32 tensor, 0-dim float64 tensor", (t(wt.int32), t(wt.float64, 0))),
            ("0-dim int64 tensor, `2.5`", (t(wt.int64, 0), 2.5)),
            ("float16 tensor, bfloat16 tensor", (t(wt.float16), t(wt.bfloat16))),
            ("int8 tensor, uint8 tensor", (t(wt.int8), t(wt.uint8)))]


def _public(module, classes_only=False, home=None, raising=False):
    """Public callables (or classes) of `module` defined under `home` (default: anywhere in
    webtensor; a name it imports from elsewhere is not part of its API); raising=True: the
    stand-ins that raise instead."""
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    out = []
    for n in sorted(names):
        obj = getattr(module, n)
        if inspect.ismodule(obj) or not callable(obj) or \
                (classes_only and not inspect.isclass(obj)):
            continue
        if not (getattr(obj, "__module__", None) or "").startswith(home or "webtensor"):
            continue
        if _raises(obj) != raising:
            continue
        out.append(n)
    return out


def modules_section():
    import webtensor.nn as nn
    import webtensor.nn.functional as F
    import webtensor.optim as optim
    import webtensor.utils.data as data
    from webtensor.optim import lr_scheduler
    names = lambda xs: ", ".join(f"`{n}`" for n in xs) + "."  # noqa: E731
    return ["## nn, optim, utils.data", "",
            "`webtensor.nn` (torch.nn): " + names(_public(nn, classes_only=True)), "",
            "`webtensor.nn.functional`: " + names(_public(F)), "",
            "`webtensor.nn.functional` names that raise `NotImplementedError` naming "
            "themselves: " + names(_public(F, raising=True)), "",
            "`webtensor.nn.init`: " + names(_public(nn.init)), "",
            "`webtensor.optim`: " + names(_public(optim, classes_only=True)), "",
            "`webtensor.optim.lr_scheduler`: " +
            names(_public(lr_scheduler, classes_only=True, home=lr_scheduler.__name__)),
            "", "`webtensor.utils.data`: " + names(_public(data)), "",
            "torch.nn names that raise `NotImplementedError` naming themselves: " +
            names(sorted(n for n in nn._UNSUPPORTED if n not in vars(nn))), ""]


def api_markdown():
    head = ["# API reference", "",
            "<!-- Generated by scripts/make_docs.py from the code; do not edit by hand "
            "(tests/test_docs.py fails when it is stale). -->", "",
            "`import webtensor as torch`: the names below are torch's, with torch's "
            "semantics; what differs is said where it matters. How to port a model: "
            "[porting.md](porting.md); questions: [faq.md](faq.md).", ""]
    return "\n".join(head + ops_section() + namespace_section() + tensor_section() +
                     dtypes_section() + modules_section()).rstrip() + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/api.md is stale")
    args = ap.parse_args(argv)
    text = api_markdown()
    if args.check:
        if not API_MD.exists() or API_MD.read_text() != text:
            sys.exit("docs/api.md is stale: run `python scripts/make_docs.py`")
        return
    API_MD.parent.mkdir(exist_ok=True)
    API_MD.write_text(text)
    print(f"wrote {API_MD.relative_to(REPO)} ({len(text.splitlines())} lines)")


if __name__ == "__main__":
    main()
