// A one-node ONNX graph Y = Conv(X[N,C,H,W], W, B) (float32, opset 13, IR 7), weights and bias
// as initializers (constants, so onnxruntime may prepack them once), serialized by hand as
// protobuf bytes like onnx_matmul.js: no model file is downloaded or shipped.
import { bytes, onnxModel, str, valueInfo, vint } from "./onnx_proto.js";

// TensorProto{dims=1, data_type=2 (FLOAT=1), name=8, raw_data=9}
function tensor(name, dims, data) {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return [...dims.flatMap((d) => vint(1, d)), ...vint(2, 1), ...str(8, name), ...bytes(9, [...raw])];
}

// AttributeProto{name=1, i=3, ints=8, type=20 (INT=2, INTS=7)}
const attrInt = (name, v) => [...str(1, name), ...vint(3, v), ...vint(20, 2)];
const attrInts = (name, vs) => [...str(1, name), ...vs.flatMap((v) => vint(8, v)), ...vint(20, 7)];

// c: {n, cin, cout, h, w, k, stride, pad, groups}; weights [cout, cin/groups, k, k], bias [cout]
export function onnxConvModel(c, weights, bias) {
  const oh = Math.floor((c.h + 2 * c.pad - c.k) / c.stride) + 1;
  const ow = Math.floor((c.w + 2 * c.pad - c.k) / c.stride) + 1;
  const node = [...str(1, "X"), ...str(1, "W"), ...str(1, "B"), ...str(2, "Y"), ...str(3, "conv"),
                ...str(4, "Conv"),
                ...bytes(5, attrInts("kernel_shape", [c.k, c.k])),
                ...bytes(5, attrInts("strides", [c.stride, c.stride])),
                ...bytes(5, attrInts("pads", [c.pad, c.pad, c.pad, c.pad])),
                ...bytes(5, attrInt("group", c.groups))];
  // GraphProto{node=1, name=2, initializer=5, input=11, output=12}
  const graph = [...bytes(1, node), ...str(2, "conv"),
                 ...bytes(5, tensor("W", [c.cout, c.cin / c.groups, c.k, c.k], weights)),
                 ...bytes(5, tensor("B", [c.cout], bias)),
                 ...bytes(11, valueInfo("X", [c.n, c.cin, c.h, c.w])),
                 ...bytes(12, valueInfo("Y", [c.n, c.cout, oh, ow]))];
  return onnxModel(graph);
}
