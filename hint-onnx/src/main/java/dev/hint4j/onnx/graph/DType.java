package dev.hint4j.onnx.graph;

/** Element types the toolkit uses, with their ONNX TensorProto.DataType codes. */
public enum DType {
  FLOAT(1),
  UINT8(2),
  INT8(3),
  FLOAT16(10),
  INT32(6),
  INT64(7),
  BOOL(9),
  DOUBLE(11);

  public final int onnxCode;

  DType(int onnxCode) {
    this.onnxCode = onnxCode;
  }
}
