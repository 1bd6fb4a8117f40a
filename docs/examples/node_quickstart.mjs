#!/usr/bin/env node
// webtensor in Node, with Pyodide from npm (`npm install pyodide`; this repository's
// package.json pins it) and the webtensor wheel from a local file: nothing is downloaded.
//
//   node docs/examples/node_quickstart.mjs dist/webtensor-0.1.0-py3-none-any.whl
//
// pyodide.loadPackage installs a pure-Python wheel from a URL without micropip (webtensor
// has no dependencies). micropip works too, but the npm package does not carry micropip's
// wheel, so loadPackage("micropip") would fetch it from the CDN:
//   await pyodide.loadPackage("micropip");
//   await pyodide.pyimport("micropip").install(wheelURL);
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadPyodide } from "pyodide";

const wheel = process.argv[2];
if (!wheel) {
  console.error("usage: node node_quickstart.mjs path/to/webtensor-*-py3-none-any.whl");
  process.exit(2);
}
const pyodide = await loadPyodide();
await pyodide.loadPackage(pathToFileURL(path.resolve(wheel)).href, { messageCallback: () => {} });

// The Python side: plain torch-style code. It returns JSON so this script can print it.
const result = pyodide.runPython(`
import json
import webtensor as torch
from webtensor import nn

a = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
w = torch.arange(6.).reshape(3, 2)
probs = (a @ w).softmax(dim=-1)                  # matmul on the WASM SIMD kernels

layer = nn.Linear(3, 2)                          # an nn layer with known weights
layer.load_state_dict({"weight": torch.tensor([[1., 0., -1.], [0.5, 0.5, 0.5]]),
                       "bias": torch.tensor([0., 1.])})
with torch.no_grad():
    out = torch.relu(layer(a))

json.dumps({"backend": torch.backends.get_backend(), "isa": torch.backends.get_isa(),
            "matmul": (a @ w).tolist(), "softmax": probs.tolist(), "linear_relu": out.tolist()})
`);
const r = JSON.parse(result);
console.log(`webtensor on ${r.backend} (${r.isa}) in Pyodide ${pyodide.version}, Node ${process.version}`);
console.log("a @ w            =", JSON.stringify(r.matmul));
console.log("softmax(a @ w)   =", JSON.stringify(r.softmax));
console.log("relu(Linear(a))  =", JSON.stringify(r.linear_relu));
console.log("RESULT " + result);    // one line of JSON, for tests/pyodide/test_node_quickstart.py
