"""setuptools build hook: build_py first compiles the two WASM kernel modules
(scripts/build_kernels.py, clang from the `ziglang` build requirement) when they are missing or
older than their C sources, then ships them as package data. So every standard build
(`python -m build`, `pip install .`, `pip install git+<url>`, a wheel built from the sdist)
carries the fast path; all other metadata lives in pyproject.toml."""
import logging
import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

# scripts/ is on the path already under the build backend (its backend-path); not for setup.py
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts"))
import build_kernels as kernels  # noqa: E402


class build_py_with_kernels(build_py):
    def run(self):
        if kernels.ensure_built(quiet=True):
            self.announce("compiled the WASM kernel modules", level=logging.INFO)
        # package data is globbed lazily and cached: glob again now that the modules exist
        self.__dict__.pop("data_files", None)
        super().run()
        if not self.editable_mode:   # never let a wheel without the kernels out silently
            missing = [isa for isa in kernels.table.ISAS if not os.path.exists(os.path.join(
                self.build_lib, "webtensor", "kernels", kernels.table.MODULE_FILE[isa]))]
            if missing:
                raise RuntimeError(f"kernel modules not copied into the build: {missing}")


setup(cmdclass={"build_py": build_py_with_kernels})
