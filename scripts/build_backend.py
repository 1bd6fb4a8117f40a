"""The PEP 517 build backend (pyproject.toml's build-backend): setuptools' own, plus ziglang as
a build requirement of a wheel or an editable install whenever the WASM kernel modules must be
compiled (missing or older than their C sources; setup.py's build_py hook compiles them). An
sdist, or a wheel from a tree whose kernels are fresh, does not pull ziglang's 400 MB into the
build environment."""
from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F401,F403  (every hook not changed here)

import build_kernels  # scripts/ is the backend-path


def _zig_if_stale():
    return [f"ziglang=={build_kernels.ZIG_VERSION}"] if build_kernels.is_stale() else []


def get_requires_for_build_wheel(config_settings=None):
    return _setuptools.get_requires_for_build_wheel(config_settings) + _zig_if_stale()


def get_requires_for_build_editable(config_settings=None):
    return _setuptools.get_requires_for_build_editable(config_settings) + _zig_if_stale()
