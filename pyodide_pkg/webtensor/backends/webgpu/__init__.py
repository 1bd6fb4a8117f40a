"""The "webgpu" device: WGSL kernels run by a Host (host.py): the browser's WebGPU through the
JS bridge in Pyodide (host_browser.py), the `wgpu` package elsewhere (host_wgpu.py).

Importing this package touches no GPU and imports no `wgpu`: the host is created on the first
allocation (_host.get()); webtensor.webgpu.is_available() says whether one can be had.

Dtypes in GPU buffers keep the CPU's byte layout, so moving a tensor is a plain byte copy.
WGSL has no 64-bit integers: an int64 element is two u32 words (lo, hi; two's complement) and
kernels read/write them as vec2<u32> (conversions in wgsl/common.wgsl: i64_to_f32/f32_to_i64);
bool/uint8/int8 are packed 4 per u32 word, float16/bfloat16/int16 2 per word; kernels extract
them with shifts and store them with atomicAnd/atomicOr so that threads writing neighbouring
elements of one word never race. Where the adapter has shader-f16, float16 kernels bind
array<f16> instead (kernels.half_name); the bytes are the same either way.
"""
from ... import _device, _dispatch
from ..reference import IMPL as _PRIMITIVES
from . import backend, fallback, graphs, storage

DEVICE = _device.register_device("webgpu", storage.GPUStorage, storage.allocate,
                                 storage.read_bytes, storage.from_bytes,
                                 read_bytes_async=storage.read_bytes_async, graphs=graphs)
_dispatch.register_backend("webgpu", "webgpu", backend.IMPL, backend.SHORTCUTS)
_dispatch.register_backend("webgpu", "cpu_fallback", fallback.impl(_PRIMITIVES), fallback=True)
