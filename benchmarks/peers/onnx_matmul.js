// A one-node ONNX graph C = MatMul(A[M,K], B[K,N]) (float32, opset 13, IR 7), serialized
// by hand as protobuf bytes, so no model file is downloaded or shipped.
import { bytes, onnxModel, str, valueInfo } from "./onnx_proto.js";

export function onnxMatMulModel(M, K, N) {
  // NodeProto{input=1, output=2, name=3, op_type=4}
  const node = [...str(1, "A"), ...str(1, "B"), ...str(2, "C"), ...str(3, "matmul"), ...str(4, "MatMul")];
  // GraphProto{node=1, name=2, input=11, output=12}
  const graph = [...bytes(1, node), ...str(2, "sgemm"),
                 ...bytes(11, valueInfo("A", [M, K])), ...bytes(11, valueInfo("B", [K, N])),
                 ...bytes(12, valueInfo("C", [M, N]))];
  return onnxModel(graph);
}
