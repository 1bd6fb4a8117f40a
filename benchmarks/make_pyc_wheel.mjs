#!/usr/bin/env node
// Experiment for benchmarks/bench_cold_start.py: a copy of the webtensor wheel that also
// carries Python bytecode for Pyodide's CPython (unchecked-hash .pyc files, PEP 552: used
// without looking at the source's timestamp, which unpacking a wheel resets), compiled inside
// Pyodide itself so the magic number is its interpreter's. Pyodide compiles every .py it
// imports, which is about half of `import webtensor`; this measures what shipping bytecode
// would save. Other interpreters ignore the files (their names carry the cpython-3xx tag).
//
//   node benchmarks/make_pyc_wheel.mjs DIST WHEEL OUT_DIR     (writes OUT_DIR/<wheel name>)
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist, wheel, outDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: path.resolve(dist) + path.sep });
py.FS.writeFile("/tmp/in.whl", fs.readFileSync(wheel));
const out = path.join(outDir, path.basename(wheel));
py.runPython(`
import compileall, io, os, py_compile, shutil, tempfile, zipfile
src = tempfile.mkdtemp()
zipfile.ZipFile("/tmp/in.whl").extractall(src)
compileall.compile_dir(os.path.join(src, "webtensor"), quiet=1, ddir="webtensor",
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
with zipfile.ZipFile("/tmp/out.whl", "w", zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk(src):
        for f in sorted(files):
            full = os.path.join(root, f)
            z.write(full, os.path.relpath(full, src))
`);
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(out, py.FS.readFile("/tmp/out.whl"));
console.log(`wrote ${out}`);
