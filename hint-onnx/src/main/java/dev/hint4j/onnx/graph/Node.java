package dev.hint4j.onnx.graph;

import java.util.List;
import java.util.Map;

/**
 * One operator application. Attributes are Long, Double, String, long[], double[] or
 * float[] values, kept in insertion order. Inputs may contain null for an omitted optional input.
 * {@code domain} is the operator set: "" for the ONNX standard, {@value #MICROSOFT} for ONNX
 * Runtime's contrib operators (the quantized matmuls).
 */
public record Node(String name, String domain, String opType, List<Value> inputs, List<Value> outputs,
    Map<String, Object> attributes) {
  public static final String MICROSOFT = "com.microsoft";

  /** A node of the standard ONNX domain. */
  public Node(String name, String opType, List<Value> inputs, List<Value> outputs, Map<String, Object> attributes) {
    this(name, "", opType, inputs, outputs, attributes);
  }

  public Node {
    inputs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(inputs));
    outputs = List.copyOf(outputs);
    attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
  }

  public Value output() {
    return outputs.get(0);
  }
}
