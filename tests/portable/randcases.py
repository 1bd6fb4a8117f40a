"""The random-number catalogue for tests/golden/random.json: each case draws from a seeded
torch-like module `m` (torch when the golden file is made, webtensor when it is checked) and
returns plain values. Float values round-trip exactly through JSON (repr), so the check is
bit for bit; most cases end with the SHA-256 of the generator state they leave."""
import hashlib


def _vals(t):
    return t.reshape(-1).tolist()


def _state(m):
    return hashlib.sha256(bytes(m.get_rng_state().tolist())).hexdigest()


def _sizes(m, make):
    out = []
    for n in (1, 15, 16, 17, 100, 257):
        out += _vals(make(n))
    return out + [_state(m)]


CASES = {
    "randn_f32": lambda m: _sizes(m, lambda n: m.randn(n)),
    "randn_f64": lambda m: _sizes(m, lambda n: m.randn(n, dtype=m.float64)),
    "randn_f16": lambda m: _sizes(m, lambda n: m.randn(n, dtype=m.float16)),
    "rand_f32": lambda m: _sizes(m, lambda n: m.rand(n)),
    "rand_f64": lambda m: _sizes(m, lambda n: m.rand(n, dtype=m.float64)),
    "rand_bf16": lambda m: _sizes(m, lambda n: m.rand(n, dtype=m.bfloat16)),
    "uniform_f32": lambda m: _sizes(m, lambda n: m.empty(n).uniform_(-0.3, 2.7)),
    "uniform_f64": lambda m: _sizes(m, lambda n: m.empty(n, dtype=m.float64).uniform_(-9, 7)),
    "normal_f32": lambda m: _sizes(m, lambda n: m.empty(n).normal_(0.5, 3.3)),
    "randint": lambda m: _sizes(m, lambda n: m.randint(-7, 1000, (n,))),
    "randint_wide": lambda m: _sizes(m, lambda n: m.randint(0, 2 ** 40, (n,))),
    "randperm": lambda m: _sizes(m, lambda n: m.randperm(n)),
    "bernoulli": lambda m: _sizes(m, lambda n: m.empty(n).bernoulli_(0.3)),
    "bernoulli_tensor": lambda m: _sizes(m, lambda n: m.bernoulli(m.rand(n))),
    "dropout": lambda m: _sizes(m, lambda n: m.nn.functional.dropout(m.ones(n), 0.25)),
    "exponential": lambda m: _sizes(m, lambda n: m.empty(n).exponential_(1.5)),
    "multinomial": lambda m: _sizes(m, lambda n: m.multinomial(m.rand(n + 3), 3)),
    "multinomial_replacement": lambda m: _sizes(
        m, lambda n: m.multinomial(m.rand(n), 5, replacement=True)),
    "random_dtypes": lambda m: [v for d in ("int64", "int32", "int8", "uint8", "float32",
                                            "float64", "float16", "bfloat16", "bool")
                                for v in _vals(m.empty(40, dtype=getattr(m, d)).random_())
                                ] + [_state(m)],
    "randint_int32": lambda m: _sizes(m, lambda n: m.randint(-9, 99, (n,), dtype=m.int32)),
    "randperm_large": lambda m: _vals(m.randperm(3000)) + [_state(m)],
    "exponential_f64": lambda m: _vals(m.empty(2000, dtype=m.float64).exponential_(0.3)) +
    [_state(m)],
    "exponential_f16": lambda m: _sizes(m, lambda n: m.empty(n, dtype=m.float16).exponential_()),
    "bernoulli_tensor_f64": lambda m: _sizes(m, lambda n: m.bernoulli(m.rand(n).double())),
    "multinomial_f64": lambda m: _vals(m.multinomial(m.rand(4, 500).double(), 30, True)) +
    _vals(m.multinomial(m.rand(4, 500).double(), 2)) + [_state(m)],
    "generator": lambda m: _vals(m.randn(40, generator=m.Generator().manual_seed(77))),
    "linear_init": lambda m: [v for p in m.nn.Linear(20, 9).parameters() for v in _vals(p)],
    "conv_init": lambda m: [v for p in m.nn.Conv2d(3, 5, 3).parameters() for v in _vals(p)],
}
SEED = 20261207


def run(m, name):
    m.manual_seed(SEED)
    return CASES[name](m)
