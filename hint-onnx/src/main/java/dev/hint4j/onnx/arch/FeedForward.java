package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.geluTanh;
import static dev.hint4j.onnx.graph.Ops.mul;

import dev.hint4j.onnx.graph.Value;

/** T5 v1.1 gated-GELU feed-forward: (gelu(n·wi_0) ⊙ n·wi_1) · wo, no biases. */
final class FeedForward {
  private FeedForward() {}

  static Value apply(ArchContext a, Value n, String prefix) {
    Value gate = geluTanh(a.linear(n, prefix + ".wi_0"));
    return a.linear(mul(gate, a.linear(n, prefix + ".wi_1")), prefix + ".wo");
  }
}
