package dev.hint4j.onnx.graph;

import java.util.List;
import java.util.Map;

/**
 * One operator application. Attributes are Long, Double, String, long[], double[] or
 * float[] values, kept in insertion order. Inputs may contain null for an omitted optional input.
 */
public record Node(String name, String opType, List<Value> inputs, List<Value> outputs, Map<String, Object> attributes) {
  public Node {
    inputs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(inputs));
    outputs = List.copyOf(outputs);
    attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
  }

  public Value output() {
    return outputs.get(0);
  }
}
