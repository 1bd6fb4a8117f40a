"""Regex character classes built from the generated code point tables (_unicode_data)."""
from . import _unicode_data as U

_cache = {}


def ranges(name):
    """[(first, last), ...] of one table in _unicode_data."""
    out = []
    for tok in getattr(U, name).split():
        a, _, b = tok.partition("-")
        out.append((int(a, 16), int(b or a, 16)))
    return out


def _esc(cp):
    return f"\\U{cp:08x}"


def body(name):
    """The inside of a `[...]` class matching the table's characters."""
    s = _cache.get(name)
    if s is None:
        s = "".join(_esc(a) if a == b else f"{_esc(a)}-{_esc(b)}" for a, b in ranges(name))
        _cache[name] = s
    return s


def charset(name):
    """A set of the table's characters (for small tables only)."""
    return frozenset(chr(c) for a, b in ranges(name) for c in range(a, b + 1))
