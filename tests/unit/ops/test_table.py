"""webtensor/ops/table.py: the op table is complete and consistent: every op is a public
function (and a Tensor method / in-place method where the table says so), named as in torch,
dispatching to a primitive every backend has, and covered by this test suite."""
import re
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

import webtensor as wt
from webtensor import backends
from webtensor.ops.table import ALIASES, OPS

UNIT = Path(__file__).resolve().parents[1]  # tests/unit


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_is_public_and_bound(name):
    op = OPS[name]
    assert op.name == name
    assert getattr(wt, name) is op.fn, f"webtensor.{name} is not the table's function"
    if op.method:
        assert callable(getattr(wt.Tensor, name)), f"Tensor.{name} missing"
    if op.inplace:
        assert callable(getattr(wt.Tensor, name + "_")), f"Tensor.{name}_ missing"


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_name_exists_in_torch(name):
    """Same names as torch: the op is torch.<name>, torch.nn.functional.<name> or a method."""
    assert hasattr(torch, name) or hasattr(F, name) or hasattr(torch.Tensor, name), name


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_alias_resolves(alias):
    target = ALIASES[alias]
    assert target in OPS
    assert getattr(wt, alias) is OPS[target].fn
    assert hasattr(torch, alias), f"torch has no {alias}"


def test_primitives_are_backend_primitives():
    ref = set(backends.op_backend_report()["cpu"]["reference"])
    allowed = ref | {"host"}  # nonzero: data-dependent output size, computed on the host
    bad = {n: op.primitive for n, op in OPS.items() if op.primitive not in allowed}
    assert not bad, bad


def test_every_backend_implements_only_known_primitives(backend):
    report = backends.op_backend_report()["cpu"]
    ref, mine = set(report["reference"]), set(report.get(backend, ()))
    assert mine, f"backend {backend} registers no primitives"
    assert mine <= ref, f"{backend} registers primitives the contract does not name: {mine - ref}"


def test_every_op_is_exercised_by_the_unit_tests():
    """Each op name appears as a call or attribute in some test module of this tier."""
    from webtensor.ops.table import BINARY, UNARY
    text = "\n".join(p.read_text() for p in sorted(UNIT.rglob("test_*.py"))
                     if p.resolve() != Path(__file__).resolve())
    covered = set()
    for group, names in (("UNARY", UNARY), ("BINARY", BINARY)):  # parametrized over the table
        if re.search(rf"@pytest.mark.parametrize\(\"op\", {group}", text):
            covered |= set(names)
    missing = [n for n in OPS if n not in covered and
               not re.search(rf"[.\"']{re.escape(n)}\b", text)]
    assert not missing, f"ops no unit test mentions: {missing}"


def test_markdown_lists_every_op():
    from webtensor.ops.table import markdown
    md = markdown()
    for name in OPS:
        assert f"`{name}`" in md
