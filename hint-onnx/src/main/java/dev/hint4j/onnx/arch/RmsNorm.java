package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.div;
import static dev.hint4j.onnx.graph.Ops.mul;
import static dev.hint4j.onnx.graph.Ops.pow;
import static dev.hint4j.onnx.graph.Ops.reduceMeanLast;
import static dev.hint4j.onnx.graph.Ops.sqrt;

import dev.hint4j.onnx.graph.Value;

/** T5's RMSNorm: no mean subtraction, no bias. Written as ONNX Runtime's fusable pattern. */
final class RmsNorm {
  private RmsNorm() {}

  static Value apply(ArchContext a, Value x, String scaleName) {
    Value meanSquare = reduceMeanLast(pow(x, a.g().scalar(2f)));
    Value rms = sqrt(add(meanSquare, a.g().scalar((float) a.c().layerNormEps())));
    return mul(div(x, rms), a.param(scaleName));
  }
}
