"""WASM SIMD backend: hand-written kernels in side modules (see wasm_kernels/).

kernel_table  every kernel, its signature and ISA variants
loader        picks the ISA and the runtime (ctypes in Pyodide, wasmtime on CPython)
backend       the primitives of webtensor.backends on top of the kernels (registers itself)

Importing this package does not load anything; ``backend`` does.
"""
