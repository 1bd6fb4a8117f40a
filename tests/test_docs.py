"""docs/: the generated API reference is up to date, the Python examples in the guides run,
and every relative link (README and docs) points at a file and heading that exist. The Node
example runs in tests/pyodide/test_node_quickstart.py."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from webtensor.ops.table import OPS

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
GUIDES = ["porting.md", "faq.md"]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _run(args, **kw):
    env = {**os.environ, "PYTHONPATH": str(REPO / "pyodide_pkg")}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO, **kw)


def test_api_md_is_up_to_date():
    r = _run([sys.executable, "scripts/make_docs.py", "--check"])
    assert r.returncode == 0, r.stderr + r.stdout


def test_api_md_has_every_op_with_its_signature():
    text = (DOCS / "api.md").read_text()
    assert [name for name in OPS if f"| `{name}(" not in text] == []


@pytest.mark.parametrize("guide", GUIDES)
def test_python_examples_in_the_guides_run(guide, tmp_path):
    """The ```python blocks of a guide, in order, as one program (fresh interpreter)."""
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / guide).read_text(), re.S)
    assert blocks, f"{guide} has no Python example"
    r = _run([sys.executable, "-c", "\n".join(blocks)], timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]


def _slug(heading):
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_relative_links_resolve():
    pages = [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]
    bad = []
    for page in pages:
        for target in LINK.findall(page.read_text()):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path, _, anchor = target.partition("#")
            dest = (page.parent / path).resolve()
            if not dest.exists():
                bad.append(f"{page.name}: {target}")
            elif anchor and anchor not in {_slug(h) for h in re.findall(
                    r"^#+ (.*)$", dest.read_text(), re.M)}:
                bad.append(f"{page.name}: {target} (no such heading)")
    assert bad == []
    assert "docs/README.md" in LINK.findall((REPO / "README.md").read_text())
