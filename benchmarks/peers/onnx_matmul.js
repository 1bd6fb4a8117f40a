// A one-node ONNX graph C = MatMul(A[M,K], B[K,N]) (float32, opset 13, IR 7), serialized
// by hand as protobuf bytes, so no model file is downloaded or shipped.
const enc = new TextEncoder();
function varint(n) {
  const b = [];
  while (n > 127) { b.push((n & 127) | 128); n = Math.floor(n / 128); }
  b.push(n);
  return b;
}
const key = (field, wire) => varint((field << 3) | wire);
const vint = (field, n) => [...key(field, 0), ...varint(n)];
const bytes = (field, data) => [...key(field, 2), ...varint(data.length), ...data];
const str = (field, s) => bytes(field, [...enc.encode(s)]);

// ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1 (FLOAT=1), shape=2:
// TensorShapeProto{dim=1: Dimension{dim_value=1}}}}}
function valueInfo(name, dims) {
  const shape = dims.flatMap((d) => bytes(1, vint(1, d)));
  const tensorType = [...vint(1, 1), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

export function onnxMatMulModel(M, K, N) {
  // NodeProto{input=1, output=2, name=3, op_type=4}
  const node = [...str(1, "A"), ...str(1, "B"), ...str(2, "C"), ...str(3, "matmul"), ...str(4, "MatMul")];
  // GraphProto{node=1, name=2, input=11, output=12}
  const graph = [...bytes(1, node), ...str(2, "sgemm"),
                 ...bytes(11, valueInfo("A", [M, K])), ...bytes(11, valueInfo("B", [K, N])),
                 ...bytes(12, valueInfo("C", [M, N]))];
  // ModelProto{ir_version=1, producer_name=2, graph=7, opset_import=8: {domain=1, version=2}}
  const model = [...vint(1, 7), ...str(2, "webtensor-bench"), ...bytes(7, graph),
                 ...bytes(8, [...str(1, ""), ...vint(2, 13)])];
  return new Uint8Array(model);
}
