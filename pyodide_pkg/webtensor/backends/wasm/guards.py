"""Debug checks after a kernel call: nothing written outside the regions it was given.

Active when a storage passed to the kernel carries guard bytes (webtensor._storage.set_guards).
Then, after the call: every storage's guard bytes must be intact, and every read-only region
that does not overlap a writable region of the same storage must be unchanged.
"""


def any_guarded(regions):
    # base != 0 only for storages allocated with guards
    for r in regions:
        if r.storage.base:
            return True
    return False


def check_bounds(name, regions):
    for i, r in enumerate(regions):
        if r.offset < 0 or r.nbytes < 0 or r.offset + r.nbytes > r.storage.nbytes:
            raise ValueError(f"webtensor kernel {name}: pointer argument {i} "
                             f"[{r.offset}, {r.offset + r.nbytes}) is outside its storage "
                             f"of {r.storage.nbytes} bytes")


def _overlaps_writable(r, regions):
    for w in regions:
        if w.writable and w.storage is r.storage and \
                r.offset < w.offset + w.nbytes and w.offset < r.offset + r.nbytes:
            return True
    return False


def snapshot(regions):
    """Copies of the read-only regions that the kernel must leave unchanged."""
    snaps = []
    for r in regions:
        if not r.writable and not _overlaps_writable(r, regions):
            s = r.storage
            snaps.append((r, bytes(s.buf[s.base + r.offset:s.base + r.offset + r.nbytes])))
    return snaps


def verify(name, regions, snaps):
    for i, r in enumerate(regions):
        if not r.storage.guards_intact():
            raise RuntimeError(f"webtensor kernel {name}: guard bytes of pointer argument {i}'s "
                               f"storage were overwritten (out-of-bounds write)")
    for r, before in snaps:
        s = r.storage
        if bytes(s.buf[s.base + r.offset:s.base + r.offset + r.nbytes]) != before:
            raise RuntimeError(f"webtensor kernel {name}: a read-only input was modified")
