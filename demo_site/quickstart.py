# webtensor quickstart: ordinary PyTorch code, running in your browser.
import time

import webtensor as torch
from webtensor import backends

a = torch.tensor([[1.0, 2.0, 3.0],
                  [4.0, 5.0, 6.0]])
b = torch.tensor([[0.1, -0.2, 0.0],
                  [0.3, 0.0, -0.1],
                  [-0.2, 0.4, 0.1]])

t0 = time.perf_counter()
c = a @ b                # matmul: [2, 3] @ [3, 3] -> [2, 3]
p = c.softmax(dim=-1)    # each row sums to 1
matmul, softmax = c.tolist(), p.tolist()
elapsed_ms = (time.perf_counter() - t0) * 1000

print("a @ b =", c)
print("softmax(a @ b, -1) =", p)
print("backend:", backends.get_backend())

result = {"matmul": matmul, "softmax": softmax,
          "backend": backends.get_backend(), "compute_ms": elapsed_ms}
