"""More of the nn golden catalogue (scripts/make_golden_nn.py, test_portable_nn.py): torch
namespace answers and einsum. Stdlib only."""
from wtcheck import build as build_tensor
from wtcheck import encode_result, spec


def namespace_facts(m):
    """Answers of the torch namespace that model files read (finfo/iinfo, Tensor metadata)."""
    x = m.ones(2, 3)
    return {"finfo": [repr(m.finfo(getattr(m, n))) for n in FLOAT_NAMES],
            "finfo_eps": [m.finfo(getattr(m, n)).eps for n in FLOAT_NAMES],
            "finfo_min": [m.finfo(getattr(m, n)).min for n in FLOAT_NAMES],
            "iinfo": [repr(m.iinfo(getattr(m, n))) for n in INT_NAMES],
            "meta": [x.is_cpu, x.nbytes, x.itemsize, x.get_device(), x.is_complex(),
                     m.cuda.is_available(), m.jit.is_scripting(), m.is_grad_enabled()]}


FLOAT_NAMES = ("float32", "float64", "float16", "bfloat16")
INT_NAMES = ("int8", "uint8", "int16", "int32", "int64")


EINSUM = [("ij,jk->ik", [(3, 4), (4, 5)]), ("bhid,bhjd->bhij", [(2, 2, 3, 4), (2, 2, 5, 4)]),
          ("i,j->ij", [(3,), (4,)]), ("...d,d->...", [(2, 3, 4), (4,)]), ("ii->i", [(3, 3)]),
          ("abc,cd,de->abe", [(2, 3, 4), (4, 5), (5, 2)]), ("bij,bjk", [(2, 3, 4), (2, 4, 2)])]


def run_einsum(m):
    return [encode_result(m.einsum(eq, *[build_tensor(m, spec(sh, seed=i + 1))
                                         for i, sh in enumerate(shapes)]))
            for eq, shapes in EINSUM]
