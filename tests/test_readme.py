"""README's op list is generated from the op table; this keeps them from drifting apart."""
import pathlib

from webtensor.ops.table import readme_with_ops

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def test_readme_op_list_matches_op_table():
    text = README.read_text()
    assert text == readme_with_ops(text), \
        "README's op list is stale: run `python -m webtensor.ops.table README.md`"


def test_readme_names_the_two_setup_commands():
    text = README.read_text()
    assert "scripts/demo" in text and "scripts/test" in text
