package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.matMul;
import static dev.hint4j.onnx.graph.Ops.mul;
import static dev.hint4j.onnx.graph.Ops.sub;
import static dev.hint4j.onnx.graph.Ops.unsqueeze;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.Value;

/** What every block needs while it adds itself to a graph: the graph, the sizes and the weights. */
public record ArchContext(Graph g, HintConfig c, HintWeights w) {
  /** Score bias added where a mask is 0: large enough that exp underflows to exactly 0 in float32. */
  static final float MASKED = 1e9f;

  public Value param(String name) {
    return g.weight(name, w.get(name));
  }

  /** {@code x · W} with W stored [in, out]. */
  public Value linear(Value x, String weightName) {
    return matMul(x, param(weightName));
  }

  /** Float mask [B, L] (1 real, 0 padding) → additive score bias [B, 1, 1, L]. */
  public Value maskBias(Value mask) {
    Value bias = mul(sub(mask, g.scalar(1f)), g.scalar(MASKED));
    return unsqueeze(bias, 1, 2);
  }
}
