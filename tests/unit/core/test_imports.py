"""The core (Tensor, storage, dtypes, shapes, devices, creation, indexing, the dispatcher) and the
op layer import no backend: backends register themselves with the dispatcher, so the import
graph has no cycle between core and backends."""
import ast
import subprocess
import sys
from pathlib import Path

import webtensor

PKG = Path(webtensor.__file__).parent
CORE = sorted(p for p in PKG.glob("_*.py") if p.name != "__init__.py")
OPS = sorted((PKG / "ops").glob("*.py"))


def _imports(path):
    """Every module an import statement in the file names (module level and inside functions),
    resolved to a dotted name under webtensor."""
    pkg = ["webtensor"] + list(path.relative_to(PKG).parent.parts)
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = pkg[:len(pkg) - node.level + 1] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            out += [mod] + [f"{mod}.{a.name}" for a in node.names]
    return out


def test_core_and_ops_name_no_backend_in_any_import():
    assert len(CORE) >= 10 and len(OPS) >= 10
    bad = {p.name: [m for m in _imports(p) if m.startswith("webtensor.backends")]
           for p in CORE + OPS}
    assert not {k: v for k, v in bad.items() if v}


def test_importing_the_core_loads_no_backend():
    code = (
        "import importlib, sys, types\n"
        f"pkg = types.ModuleType('webtensor'); pkg.__path__ = [{str(PKG)!r}]\n"
        "sys.modules['webtensor'] = pkg   # the package without its __init__ (which loads all)\n"
        f"for m in {[p.stem for p in CORE]!r}:\n"
        "    importlib.import_module('webtensor.' + m)\n"
        "print(sorted(m for m in sys.modules if m.startswith('webtensor.')))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    loaded = eval(r.stdout)
    assert "webtensor._tensor" in loaded and "webtensor._dispatch" in loaded
    assert not [m for m in loaded if m.startswith(("webtensor.backends", "webtensor.ops"))], loaded


def test_the_checker_sees_a_backend_import():
    """The AST walk finds a lazy import inside a function (how cycles usually hide)."""
    src = PKG / "backends" / "__init__.py"
    assert "webtensor.backends.reference" in _imports(src)
    fake = src.parent / "wasm" / "backend.py"
    assert any(m.startswith("webtensor._dispatch") for m in _imports(fake))
