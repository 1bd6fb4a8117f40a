#!/usr/bin/env node
// Run pytest inside Pyodide in Node, against the built webtensor wheel.
//
//   node tests/pyodide/run_pytest.mjs [options] [-- pytest args]     (default: tests/portable)
//   node tests/pyodide/run_pytest.mjs [options] -c "python code"     (run code instead of pytest)
//
// Options:
//   --dist DIR    offline Pyodide dist with the pytest wheels   (default .cache/pyodide-dist,
//                 made by scripts/make_test_dist.py)
//   --wheel PATH  webtensor wheel to install   (default: newest dist/webtensor-*-py3-none-any.whl)
//   --copy PATH   repo file/dir copied into /repo/PATH in Pyodide's MEMFS; repeatable
//                 (default: tests/portable tests/golden tests/__init__.py tests/conftest.py
//                 pyproject.toml, whichever exist). SRC=DEST copies any SRC to /repo/DEST.
//
// Python runs with cwd /repo, so pytest args are repo-relative. Output streams as it is
// written; the exit code is pytest's (or 0/1 for -c). Exit code 99: the runner itself failed
// before pytest ran (Pyodide, wheel install or import).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DEFAULT_COPY = ["tests/portable", "tests/golden", "tests/__init__.py", "tests/conftest.py",
                      "pyproject.toml"];
const RUNNER_FAILED = 99;
const SKIP_DIRS = new Set(["__pycache__", ".pytest_cache", ".hypothesis", "node_modules"]);

function log(msg) {
  process.stderr.write(`[run_pytest] ${msg}\n`);
}

function parseArgs(argv) {
  const opts = { dist: path.join(REPO, ".cache", "pyodide-dist"), wheel: null, copy: [],
                 code: null, pytestArgs: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--") { opts.pytestArgs = argv.slice(i + 1); break; }
    else if (a === "--dist") opts.dist = path.resolve(next());
    else if (a === "--wheel") opts.wheel = path.resolve(next());
    else if (a === "--copy") opts.copy.push(next());
    else if (a === "-c") opts.code = next();
    else if (a === "-h" || a === "--help") {
      process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), "utf8")
        .split("\n").filter((l) => l.startsWith("//")).map((l) => l.slice(3)).join("\n") + "\n");
      process.exit(0);
    } else { opts.pytestArgs = argv.slice(i); break; }
  }
  if (opts.copy.length === 0) opts.copy = DEFAULT_COPY;
  if (opts.pytestArgs === null || opts.pytestArgs.length === 0) opts.pytestArgs = ["tests/portable"];
  return opts;
}

function newestWheel() {
  const dir = path.join(REPO, "dist");
  const wheels = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => /^webtensor-.*-py3-none-any\.whl$/.test(f))
        .map((f) => path.join(dir, f))
        .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)
    : [];
  if (wheels.length === 0) throw new Error("no dist/webtensor-*-py3-none-any.whl; run `python -m build --wheel`");
  return wheels[0];
}

// Copy a repo file or directory into MEMFS under /repo (MEMFS, not NODEFS: pytest, hypothesis
// and the import system write caches next to the sources, and the repo must stay clean).
function copyIntoFS(FS, spec) {
  const [from, to] = spec.includes("=") ? spec.split("=", 2) : [spec, spec];
  const src = path.resolve(REPO, from);
  if (!fs.existsSync(src)) return 0;
  let n = 0;
  const walk = (s, d) => {
    const st = fs.statSync(s);
    if (st.isDirectory()) {
      FS.mkdirTree(d);
      for (const e of fs.readdirSync(s)) if (!SKIP_DIRS.has(e)) walk(path.join(s, e), `${d}/${e}`);
    } else if (st.isFile()) {
      FS.mkdirTree(path.posix.dirname(d));
      FS.writeFile(d, fs.readFileSync(s));
      n++;
    }
  };
  walk(src, path.posix.join("/repo", to.split(path.sep).join("/")));
  return n;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const wheel = opts.wheel ?? newestWheel();
  const t0 = performance.now();
  const secs = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

  const { loadPyodide } = await import(pathToFileURL(path.join(opts.dist, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: opts.dist + path.sep });
  const writer = (stream) => ({ write: (buf) => { stream.write(buf); return buf.length; } });
  pyodide.setStdout(writer(process.stdout));
  pyodide.setStderr(writer(process.stderr));
  log(`Pyodide ${pyodide.version} loaded from ${path.relative(REPO, opts.dist)} (${secs()})`);

  const wanted = opts.code === null ? ["micropip", "pytest", "hypothesis"] : ["micropip"];
  await pyodide.loadPackage(wanted, {
    messageCallback: () => {},
    errorCallback: (e) => log(`loadPackage: ${e}`),
  });
  // The import is the assertion: micropip.install returns even when a dependency fails.
  const micropip = pyodide.pyimport("micropip");
  await micropip.install(pathToFileURL(wheel).href);
  const info = await pyodide.runPythonAsync(`
import importlib.metadata, webtensor
f"webtensor {importlib.metadata.version('webtensor')} from {webtensor.__path__[0]}"
`);
  log(`${info} (wheel ${path.basename(wheel)}; ${secs()})`);
  // find_spec, not import: importing hypothesis before pytest.main defeats assert rewriting.
  const absent = pyodide.runPython(
    `import importlib.util as u; [m for m in ${JSON.stringify(wanted)} if u.find_spec(m) is None]`,
  ).toJs();
  if (absent.length) throw new Error(`not importable after loadPackage: ${absent.join(", ")}`);

  let files = 0;
  for (const rel of opts.copy) files += copyIntoFS(pyodide.FS, rel);
  pyodide.FS.mkdirTree("/repo");
  pyodide.FS.chdir("/repo");
  log(`copied ${files} files into /repo (${opts.copy.join(" ")})`);

  let code;
  if (opts.code !== null) {
    try {
      await pyodide.runPythonAsync(opts.code);
      code = 0;
    } catch (e) {
      process.stderr.write(String(e.message ?? e) + "\n");
      code = 1;
    }
  } else {
    log(`pytest ${opts.pytestArgs.join(" ")}`);
    pyodide.globals.set("_wt_pytest_args", pyodide.toPy(opts.pytestArgs));
    code = await pyodide.runPythonAsync(`
import sys, pytest
sys.dont_write_bytecode = True
int(pytest.main(list(_wt_pytest_args)))
`);
  }
  log(`exit ${code} (${secs()})`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(`runner failed: ${err?.stack ?? err}`);
    process.exit(RUNNER_FAILED);
  },
);
