"""Random numbers equal PyTorch's CPU generator bit for bit (issue 15): for the same seed every
random op gives torch 2.13's values and leaves torch's generator state, on both backends
(reference: webtensor/_random.py; wasm: the xN-random kernels). Sizes cover torch's method
switches: normal's serial path below 16 elements and its blocks of 16 with a redrawn tail,
the mt19937 twist every 624 draws, 64-bit draws for ranges from 2**32 on."""
import pytest
import torch

import webtensor as wt

SEEDS = (0, 1, 2 ** 40 + 17)
SIZES = (1, 5, 15, 16, 17, 33, 100, 625, 1000)
FLOAT_DTYPES = ("float32", "float64", "float16", "bfloat16")


def _same(a, b):
    """Equal values, dtype and shape (bit for bit through the raw bytes)."""
    assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
    assert tuple(a.shape) == tuple(b.shape)
    ta = torch.tensor(a.tolist(), dtype=b.dtype) if a.numel() else b
    assert torch.equal(ta.view(-1).view(torch.uint8) if b.dtype.is_floating_point else ta,
                       b.view(-1).view(torch.uint8) if b.dtype.is_floating_point else b)


def _same_state():
    assert bytes(wt.get_rng_state().tolist()) == bytes(torch.get_rng_state().tolist())


def both(fn, seed=0):
    """fn(module) after manual_seed(seed) in torch and webtensor: same results and state."""
    torch.manual_seed(seed)
    want = fn(torch)
    wt.manual_seed(seed)
    got = fn(wt)
    for g, w in zip(got if isinstance(got, (list, tuple)) else [got],
                    want if isinstance(want, (list, tuple)) else [want]):
        _same(g, w)
    _same_state()


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_rand_randn_uniform_normal(dtype, seed):
    def fn(m):
        dt = getattr(m, dtype)
        out = []
        for n in SIZES:
            out += [m.randn(n, dtype=dt), m.rand(n, dtype=dt),
                    m.empty(n, dtype=dt).uniform_(-2.5, 3.1),
                    m.empty(n, dtype=dt).normal_(0.3, 1.7)]
        return out
    both(fn, seed)


def test_shapes_generators_and_the_normal_cache():
    """A Generator object is its own stream; randn's cached second Box-Muller value carries
    over between calls (and is part of the state)."""
    def fn(m):
        g = m.Generator().manual_seed(5)
        return [m.randn(3, 5), m.randn(2, 1, 3), m.rand(2, 3, generator=g),
                m.randn(40, generator=g), m.randn(1), m.randn(1), m.randn(3), m.rand(0),
                m.randn_like(m.empty(2, 17)), m.rand_like(m.empty(3, dtype=m.float64))]
    both(fn, 3)


def test_normal_on_a_transposed_view_uses_torchs_serial_path():
    both(lambda m: m.empty(4, 5).t().normal_(1.0, 2.0).contiguous(), 4)


@pytest.mark.parametrize("seed", SEEDS)
def test_integer_draws(seed):
    def fn(m):
        return [m.randint(0, 10, (50,)), m.randint(-5, 17, (3, 7)), m.randint(3, (4,)),
                m.randint(-3, 2 ** 40, (9,)), m.randint(0, 256, (20,), dtype=m.uint8),
                m.randint(0, 100, (6,), dtype=m.int32), m.randperm(1), m.randperm(10),
                m.randperm(700), m.randperm(5, dtype=m.int32),
                m.empty(6, dtype=m.int64).random_(0, 100), m.empty(5, dtype=m.int64).random_(),
                m.empty(5, dtype=m.int64).random_(7), m.randint_like(m.empty(4), 9)]
    both(fn, seed)


@pytest.fixture(params=["wasm", "reference"])
def backend(request):
    wt.backends.set_backend(request.param)
    yield request.param
    wt.backends.set_backend("wasm")


INT_DTYPES = ("int64", "int32", "int16", "int8", "uint8")


def test_integer_draws_every_dtype_and_random_without_bounds(backend):
    """torch draws int64 values (64-bit draws from a range of 2**32 on) and casts; random_()
    without bounds takes the dtype's own range (float: its mantissa; bool: a bit)."""
    def fn(m):
        out = []
        for dt in INT_DTYPES + FLOAT_DTYPES:
            d = getattr(m, dt)
            out += [m.randint(0, 100, (37,), dtype=d), m.randperm(50, dtype=d),
                    m.empty(700, dtype=d).random_(), m.empty(9, dtype=d).random_(3, 60)]
        return out + [m.empty(700, dtype=m.bool).random_(), m.randperm(5000),
                      m.randint(-2 ** 63, 2 ** 63 - 1, (5,)), m.randint(0, 2 ** 33, (700,)),
                      m.empty(5, dtype=m.float64).random_(-4, 2 ** 40)]
    both(fn, 4)


def test_bernoulli_exponential_multinomial_every_float_dtype(backend):
    """Half and bfloat16 draw as float (torch's static_cast from a float or double value)."""
    def fn(m):
        out = [m.empty(10, dtype=m.int64).bernoulli_(0.5),
               m.empty(30, dtype=m.uint8).bernoulli_(m.rand(30))]
        for dt in FLOAT_DTYPES:
            d = getattr(m, dt)
            p = m.rand(300).to(d)
            out += [m.bernoulli(p), m.empty(300, dtype=d).exponential_(0.7),
                    m.empty(40, dtype=d).bernoulli_(0.4), m.multinomial(p + 0.01, 3),
                    m.multinomial(p + 0.01, 20, True), m.multinomial(p.reshape(3, 100), 1),
                    m.nn.functional.dropout(m.ones(50, dtype=d), 0.4).ne(0)]
        return out
    both(fn, 12)


def test_bernoulli_exponential_dropout():
    def fn(m):
        p = m.rand(30)
        return [m.empty(40).bernoulli_(0.3), m.empty(7, dtype=m.float64).bernoulli_(0.6),
                m.bernoulli(p), m.bernoulli(p.double()), m.empty(5, dtype=m.int64).bernoulli_(),
                m.empty(30).exponential_(), m.empty(20, dtype=m.float64).exponential_(2.5),
                m.nn.functional.dropout(m.ones(100), 0.3),
                m.nn.functional.dropout(m.ones(10, dtype=m.float64) * 2, 0.5),
                m.nn.functional.dropout2d(m.ones(2, 6, 3, 3), 0.5), m.nn.Dropout(0.2)(m.ones(50))]
    both(fn, 11)


def test_multinomial():
    def fn(m):
        p = m.tensor([0.1, 0.2, 0.3, 0.4])
        rows = m.tensor([[0.1, 0.2, 0.3, 0.4], [1.0, 2.0, 3.0, 0.0], [0.0, 0.0, 5.0, 1.0]])
        big = m.rand(3000).double()
        return [m.multinomial(p, 1), m.multinomial(p, 3), m.multinomial(p, 7, True),
                m.multinomial(rows, 2), m.multinomial(rows, 9, replacement=True),
                m.multinomial(big, 4), m.multinomial(big, 50, True), p.multinomial(2)]
    both(fn, 6)


def test_nn_init_and_layers_are_torchs():
    """A model initialised from a seed is torch's model: same parameters."""
    def fn(m):
        nn = m.nn
        layers = [nn.Linear(7, 5), nn.Conv2d(3, 4, 3), nn.Embedding(11, 6), nn.LSTM(4, 3),
                  nn.GRU(3, 2), nn.MultiheadAttention(8, 2), nn.Conv1d(3, 2, 2)]
        w = m.empty(6, 9)
        extra = [nn.init.kaiming_normal_(w.clone()), nn.init.xavier_uniform_(w.clone()),
                 nn.init.xavier_normal_(w.clone(), gain=2.0), nn.init.uniform_(w.clone(), -1, 3),
                 nn.init.normal_(w.clone(), 0.5, 0.1)]
        return [p.detach() for layer in layers for p in layer.parameters()] + extra
    both(fn, 2)


def test_data_samplers_and_random_split():
    def fn(m):
        from importlib import import_module
        data = import_module(m.__name__ + ".utils.data")
        ds = list(range(23))
        out = [list(data.RandomSampler(ds)), list(data.RandomSampler(ds, True, 40)),
               list(data.SubsetRandomSampler([3, 5, 7, 9])),
               list(data.WeightedRandomSampler([0.1, 0.5, 2.0, 1.0], 12)),
               [list(s) for s in data.random_split(ds, [0.3, 0.7])],
               [b.tolist() for b in data.DataLoader(ds, batch_size=5, shuffle=True)]]
        return [m.tensor([x for x in _flat(out)])]
    both(fn, 8)


def _flat(x):
    for v in x:
        if isinstance(v, list):
            yield from _flat(v)
        else:
            yield v


def test_rng_state_round_trip_between_webtensor_and_torch():
    wt.manual_seed(123)
    wt.randn(7)                          # leaves a cached normal in the state
    state = wt.get_rng_state()
    assert state.dtype is wt.uint8 and tuple(state.shape) == (5056,)
    torch.set_rng_state(torch.tensor(state.tolist(), dtype=torch.uint8))
    want = [torch.randn(3), torch.rand(20), torch.randn(33)]
    wt.set_rng_state(state)
    got = [wt.randn(3), wt.rand(20), wt.randn(33)]
    for g, w in zip(got, want):
        _same(g, w)
    _same_state()
    g = wt.Generator()
    assert g.initial_seed() == torch.Generator().initial_seed()
    g.set_state(wt.Generator().manual_seed(9).get_state())
    assert g.initial_seed() == 9
    wt.manual_seed(-1)
    torch.manual_seed(-1)
    assert wt.initial_seed() == torch.initial_seed()
    _same_state()


def test_bad_states_and_bounds_raise_like_torch():
    from wt_oracle import raises_like_torch
    raises_like_torch(lambda m: m.set_rng_state(m.zeros(10, dtype=m.uint8)),
                      "CPUGeneratorImplState of size 5056", "to be 10")
    raises_like_torch(lambda m: m.set_rng_state(m.zeros(5056)), "torch.ByteTensor")
    raises_like_torch(lambda m: m.randint(5, 5, (3,)), "from=5 >= to=5")
    raises_like_torch(lambda m: m.empty(3).uniform_(2, 1), "from=2 > to=1")
    raises_like_torch(lambda m: m.empty(3).normal_(0, -1), "std >= 0.0")
    raises_like_torch(lambda m: m.multinomial(m.tensor([0.0, 0.0]), 1), "sum of probabilities")
    raises_like_torch(lambda m: m.multinomial(m.tensor([0.5, 0.5]), 3), "n_sample >")
    raises_like_torch(lambda m: m.rand(3, dtype=m.int64), "not implemented for 'Long'")


def test_training_from_a_seed_follows_torchs_loss_curve():
    """Same seed, same model, data and dropout masks: the loss curve of 15 SGD steps is
    torch's (to float32 rounding of the matmuls; the random draws themselves are equal)."""
    def curve(m):
        m.manual_seed(0)
        nn = m.nn
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 1))
        x, y = m.randn(32, 4), m.randn(32, 1)
        opt = m.optim.SGD(model.parameters(), lr=0.05)
        losses = []
        for _ in range(15):
            opt.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses
    want, got = curve(torch), curve(wt)
    assert got == pytest.approx(want, rel=1e-5)
    assert want[-1] < want[0]
    _same_state()
