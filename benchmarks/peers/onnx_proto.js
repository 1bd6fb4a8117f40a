// The protobuf pieces the hand-written ONNX benchmark graphs (onnx_matmul.js, onnx_conv.js) are
// built from: no model file is downloaded or shipped.
const enc = new TextEncoder();
function varint(n) {
  const b = [];
  while (n > 127) { b.push((n & 127) | 128); n = Math.floor(n / 128); }
  b.push(n);
  return b;
}
const key = (field, wire) => varint((field << 3) | wire);
export const vint = (field, n) => [...key(field, 0), ...varint(n)];
export const bytes = (field, data) => [...key(field, 2), ...varint(data.length), ...data];
export const str = (field, s) => bytes(field, [...enc.encode(s)]);

// ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1 (FLOAT=1), shape=2:
// TensorShapeProto{dim=1: Dimension{dim_value=1}}}}}
export function valueInfo(name, dims) {
  const shape = dims.flatMap((d) => bytes(1, vint(1, d)));
  const tensorType = [...vint(1, 1), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

// ModelProto{ir_version=1, producer_name=2, graph=7, opset_import=8: {domain=1, version=2}},
// IR 7, opset 13
export function onnxModel(graph) {
  return new Uint8Array([...vint(1, 7), ...str(2, "webtensor-bench"), ...bytes(7, graph),
                         ...bytes(8, [...str(1, ""), ...vint(2, 13)])]);
}
