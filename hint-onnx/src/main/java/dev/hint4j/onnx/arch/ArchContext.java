package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.matMul;
import static dev.hint4j.onnx.graph.Ops.mul;
import static dev.hint4j.onnx.graph.Ops.sub;
import static dev.hint4j.onnx.graph.Ops.unsqueeze;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.Value;

/**
 * What every block needs while it adds itself to a graph: the graph, the sizes and where
 * parameters come from. Inference graphs embed the weights as initializers; training graphs read
 * every parameter as a graph input of the same name, so a train step can feed updated values.
 */
public final class ArchContext {
  /** Score bias added where a mask is 0: large enough that exp underflows to exactly 0 in float32. */
  static final float MASKED = 1e9f;

  private final Graph g;
  private final HintConfig c;
  private final HintWeights w;
  private final java.util.Map<String, long[]> shapes;
  private final WeightQuantization quantization;

  /** Parameters as initializers with the given weights. */
  public ArchContext(Graph g, HintConfig c, HintWeights w) {
    this(g, c, w, WeightQuantization.FLOAT32);
  }

  /** As above, with every {@link #linear} weight stored and run as {@code quantization} says. */
  public ArchContext(Graph g, HintConfig c, HintWeights w, WeightQuantization quantization) {
    this.g = g;
    this.c = c;
    this.w = w;
    this.shapes = null;
    this.quantization = quantization;
  }

  private ArchContext(Graph g, HintConfig c) {
    this.g = g;
    this.c = c;
    this.w = null;
    this.shapes = HintWeights.shapes(c);
    this.quantization = WeightQuantization.FLOAT32;
  }

  /** Parameters as graph inputs named like the weights (for training graphs). */
  public static ArchContext withParameterInputs(Graph g, HintConfig c) {
    return new ArchContext(g, c);
  }

  public Graph g() {
    return g;
  }

  public HintConfig c() {
    return c;
  }

  public Value param(String name) {
    if (w != null) {
      return g.weight(name, w.get(name));
    }
    long[] shape = shapes.get(name);
    if (shape == null) {
      throw new IllegalArgumentException("no parameter '" + name + "'");
    }
    for (Value in : g.inputs()) {
      if (in.name().equals(name)) {
        return in;
      }
    }
    return g.input(name, dev.hint4j.onnx.graph.DType.FLOAT, java.util.Arrays.stream(shape).boxed().toArray());
  }

  /** {@code x · W} with W stored [in, out]; quantized weights run on ONNX Runtime's quantized kernels. */
  public Value linear(Value x, String weightName) {
    if (w == null || !quantization.quantized()) {
      return matMul(x, param(weightName));
    }
    return QuantizedLinear.apply(g, x, weightName, w.get(weightName), quantization);
  }

  /** Float mask [B, L] (1 real, 0 padding) → additive score bias [B, 1, 1, L]. */
  public Value maskBias(Value mask) {
    Value bias = mul(sub(mask, g.scalar(1f)), g.scalar(MASKED));
    return unsqueeze(bias, 1, 2);
  }
}
