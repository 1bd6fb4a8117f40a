// The cold-start steps, shared by benchmarks/cold_start.html (Chromium) and
// benchmarks/cold_start_node.mjs (Node): after Pyodide is loaded, install the webtensor wheel,
// `import webtensor`, run a first op, each step timed on its own (ms, performance.now()).
//
//   install = "micropip": loadPackage("micropip") (timed apart), then micropip.install(url)
//   install = "loadPackage": pyodide.loadPackage(url) (no dependency resolution; the wheel
//             has no dependencies)
//
// Returns {pyodide_load, micropip_load, install, import, first_op, total, nn_import}: each
// {ms} (wall), plus {cpu_ms} where `cpuMs` (a clock of this process' CPU time, Node only) is
// given: on a loaded machine CPU time moves less than wall time. total = install + import +
// first op (the target); nn_import is `import webtensor.nn` afterwards (what the lazy
// part costs when it is wanted). Also: result (the first op's value) and modules (how many
// webtensor modules `import webtensor` loaded).
export async function coldStart(loadPyodide, wheelURL, install = "micropip", loadOptions = {},
                                cpuMs = null) {
  const r = { install_with: install };
  const step = async (name, fn) => {
    const [w, c] = [performance.now(), cpuMs?.()];
    const out = await fn();
    r[name] = { ms: performance.now() - w, ...(cpuMs ? { cpu_ms: cpuMs() - c } : {}) };
    return out;
  };
  const py = await step("pyodide_load", () => loadPyodide(loadOptions));
  if (install === "micropip") {
    await step("micropip_load", () => py.loadPackage("micropip", { messageCallback: () => {} }));
    await step("install", () => py.pyimport("micropip").install(wheelURL));
  } else if (install === "loadPackage") {
    await step("install", () => py.loadPackage(wheelURL, { messageCallback: () => {} }));
  } else {
    throw new Error(`install must be "micropip" or "loadPackage", not ${install}`);
  }
  await step("import", () => py.runPython("import webtensor"));
  r.modules = py.runPython(
    "import sys; len([m for m in sys.modules if m.split('.')[0] == 'webtensor'])");
  r.result = await step("first_op",
                        () => py.runPython("(webtensor.ones(3) + 1).tolist()").toJs());
  r.total = {};
  for (const k of Object.keys(r.install)) {
    r.total[k] = r.install[k] + r.import[k] + r.first_op[k];
  }
  await step("nn_import", () => py.runPython("import webtensor.nn"));
  return r;
}
