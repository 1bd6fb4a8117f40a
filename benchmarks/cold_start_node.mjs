#!/usr/bin/env node
// Cold start in Pyodide under Node (benchmarks/bench_cold_start.py runs it):
//   node benchmarks/cold_start_node.mjs DIST WHEEL [micropip|loadPackage]
// DIST: a Pyodide dist with micropip (.cache/pyodide-runtime). Prints the result as JSON.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { coldStart } from "./cold_start.mjs";

const [dist, wheel, install = "micropip"] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const r = await coldStart(loadPyodide, pathToFileURL(path.resolve(wheel)).href, install,
                          { indexURL: path.resolve(dist) + path.sep }, cpuMs);
console.log(JSON.stringify(r));
