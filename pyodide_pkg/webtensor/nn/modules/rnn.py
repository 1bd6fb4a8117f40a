"""RNN / LSTM / GRU with torch's parameter layout (weight_ih_l{k}[_reverse] [G*H, I], gate
order i,f,g,o for LSTM and r,z,n for GRU), multi-layer, bidirectional, batch_first. The input
projection runs once over all steps; the recurrence is a Python loop of small linears."""
import math

from ... import _creation as C
from ...ops import FUNCTIONS as _OPS
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


class RNNBase(Module):
    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 device=None, dtype=None):
        super().__init__()
        if proj_size:
            raise NotImplementedError("webtensor: LSTM proj_size is not supported")
        if not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1 or \
                isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        if not isinstance(hidden_size, int) or hidden_size <= 0:
            raise ValueError("hidden_size must be an integer greater than zero")
        if not isinstance(num_layers, int) or num_layers <= 0:
            raise ValueError("num_layers must be an integer greater than zero")
        self.mode = mode
        self.input_size, self.hidden_size = input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, 0
        g = _GATES[mode] * hidden_size
        dirs = 2 if bidirectional else 1
        for layer in range(num_layers):
            in_size = input_size if layer == 0 else hidden_size * dirs
            for sfx in ("", "_reverse")[:dirs]:
                setattr(self, f"weight_ih_l{layer}{sfx}",
                        Parameter(C.empty((g, in_size), dtype=dtype)))
                setattr(self, f"weight_hh_l{layer}{sfx}",
                        Parameter(C.empty((g, hidden_size), dtype=dtype)))
                if bias:
                    setattr(self, f"bias_ih_l{layer}{sfx}", Parameter(C.empty(g, dtype=dtype)))
                    setattr(self, f"bias_hh_l{layer}{sfx}", Parameter(C.empty(g, dtype=dtype)))
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    def _cell(self, x_proj, h, c, w_hh, b_hh):
        """One step: x_proj = W_ih x + b_ih, precomputed. Returns (h, c)."""
        hp = F.linear(h, w_hh, b_hh)
        H = self.hidden_size
        if self.mode == "LSTM":
            gates = x_proj + hp
            i, f, g, o = gates.split(H, dim=-1)
            c = f.sigmoid() * c + i.sigmoid() * g.tanh()
            return o.sigmoid() * c.tanh(), c
        if self.mode == "GRU":
            xr, xz, xn = x_proj.split(H, dim=-1)
            hr, hz, hn = hp.split(H, dim=-1)
            r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
            n = (xn + r * hn).tanh()
            return n + z * (h - n), None          # (1 - z) * n + z * h
        pre = x_proj + hp
        return (pre.tanh() if self.mode == "RNN_TANH" else pre.relu()), None

    def _run(self, x, hx):
        """x (L, N, I); hx (h0, c0) each (layers*dirs, N, H) -> output, h_n, c_n."""
        dirs = 2 if self.bidirectional else 1
        L = x.shape[0]
        hs, cs = [], []
        inp = x
        for layer in range(self.num_layers):
            outs_dir = []
            for d, sfx in enumerate(("", "_reverse")[:dirs]):
                k = layer * dirs + d
                p = self._parameters
                xp = F.linear(inp, p[f"weight_ih_l{layer}{sfx}"], p.get(f"bias_ih_l{layer}{sfx}"))
                h = hx[0][k]
                c = hx[1][k] if hx[1] is not None else None
                steps = range(L - 1, -1, -1) if d else range(L)
                out = [None] * L
                for t in steps:
                    h, c = self._cell(xp[t], h, c, p[f"weight_hh_l{layer}{sfx}"],
                                      p.get(f"bias_hh_l{layer}{sfx}"))
                    out[t] = h
                hs.append(h)
                cs.append(c)
                outs_dir.append(_OPS["stack"](out) if L else xp[:, :, :self.hidden_size])
            inp = outs_dir[0] if dirs == 1 else _OPS["cat"](outs_dir, dim=-1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                inp = F.dropout(inp, self.dropout, True)
        h_n = _OPS["stack"](hs)
        c_n = _OPS["stack"](cs) if self.mode == "LSTM" else None
        return inp, h_n, c_n

    def forward(self, input, hx=None):
        if not hasattr(input, "dim"):
            raise NotImplementedError("webtensor: PackedSequence inputs are not supported")
        batched = input.dim() == 3
        if input.dim() not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got "
                             f"{input.dim()}D instead")
        x = input if batched else input.unsqueeze(1)
        if batched and self.batch_first:
            x = x.transpose(0, 1)
        if x.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {x.shape[-1]}")
        n = x.shape[1]
        dirs = 2 if self.bidirectional else 1
        shape = (self.num_layers * dirs, n, self.hidden_size)
        is_lstm = self.mode == "LSTM"
        if hx is None:
            zeros = C.zeros(shape, dtype=x.dtype, device=x.device)
            h0, c0 = zeros, (zeros if is_lstm else None)
        else:
            h0, c0 = hx if is_lstm else (hx, None)
            if not batched:
                h0 = h0.unsqueeze(1)
                c0 = c0.unsqueeze(1) if c0 is not None else None
            for name, t in (("hidden", h0), ("cell", c0)):
                if t is not None and tuple(t.shape) != shape:
                    raise RuntimeError(f"Expected {name} size {shape}, got {list(t.shape)}")
        out, h_n, c_n = self._run(x, (h0, c0))
        if batched and self.batch_first:
            out = out.transpose(0, 1)
        if not batched:
            out, h_n = out.squeeze(1), h_n.squeeze(1)
            c_n = c_n.squeeze(1) if c_n is not None else None
        return (out, (h_n, c_n)) if is_lstm else (out, h_n)

    def flatten_parameters(self):
        return None

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s


class RNN(RNNBase):
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None,
                 dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         dtype=dtype)


class LSTM(RNNBase):
    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, dtype=dtype)


class GRU(RNNBase):
    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, dtype=dtype)
