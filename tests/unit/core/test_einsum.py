"""webtensor.einsum (webtensor/_einsum.py, a decomposition into permute/reshape/matmul/sum)
against torch.einsum over a set of equations: matmuls, outer products, attention scores,
ellipsis broadcasting, implicit outputs, reductions, diagonals, three operands."""
import pytest
import torch

import webtensor as wt
from wt_oracle import assert_same, to_wt

CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]), ("i,j->ij", [(3,), (4,)]),
    ("bhid,bhjd->bhij", [(2, 3, 4, 5), (2, 3, 6, 5)]), ("bhij,bhjd->bhid", [(2, 3, 4, 6),
                                                                            (2, 3, 6, 5)]),
    ("ij->ji", [(3, 4)]), ("ij->", [(3, 4)]), ("ij", [(3, 4)]), ("ii->i", [(3, 3)]),
    ("ii", [(4, 4)]), ("iij->ij", [(3, 3, 2)]), ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),
    ("bij,bjk", [(2, 3, 4), (2, 4, 5)]), ("i,i->", [(4,), (4,)]), ("ij,kj->ik", [(2, 3), (4, 3)]),
    ("abc,cd,de->abe", [(2, 3, 4), (4, 5), (5, 6)]), ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    ("...d,d->...", [(2, 3, 4), (4,)]), ("ij,ij->ij", [(1, 4), (3, 4)]),
    ("b...,b...->b", [(2, 3, 4), (2, 3, 4)]), ("i,j,k->ijk", [(2,), (3,), (4,)]),
    ("bi,bi->b", [(0, 3), (0, 3)]), ("ij,jk->ik", [(2, 0), (0, 3)]),
    ("i j , j k -> i k", [(2, 3), (3, 2)]),
]


@pytest.mark.parametrize("eq,shapes", CASES)
def test_einsum_matches_torch(eq, shapes):
    g = torch.Generator().manual_seed(len(eq))
    ops = [torch.randn(*s, generator=g) for s in shapes]
    assert_same(wt.einsum(eq, *[to_wt(o) for o in ops]), torch.einsum(eq, *ops),
                rtol=1e-5, atol=1e-5)
    assert_same(wt.einsum(eq, [to_wt(o) for o in ops]), torch.einsum(eq, ops),
                rtol=1e-5, atol=1e-5)


def test_einsum_non_contiguous_and_errors():
    wa, wb = to_wt(torch.randn(4, 3)), to_wt(torch.randn(5, 4))
    ta, tb = torch.tensor(wa.tolist()), torch.tensor(wb.tolist())
    assert_same(wt.einsum("ji,kj->ik", wa, wb), torch.einsum("ji,kj->ik", ta, tb),
                rtol=1e-5, atol=1e-5)
    for eq, shapes, err in (("ij,jk->ik", [(2, 3), (4, 2)], "broadcast"),
                            ("ij->k", [(2, 3)], "output subscript"),
                            ("ij,jk", [(2, 3)], "fewer operands"),
                            ("ii->i", [(2, 3)], "repeated"),
                            ("ijk", [(2, 3)], "number of subscripts")):
        with pytest.raises(RuntimeError, match=err):
            torch.einsum(eq, *[torch.ones(*s) for s in shapes])
        with pytest.raises(RuntimeError, match=err):
            wt.einsum(eq, *[wt.ones(*s) for s in shapes])
