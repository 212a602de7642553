package dev.hint4j.onnx.train;

import static dev.hint4j.onnx.graph.Ops.cast;
import static dev.hint4j.onnx.graph.Ops.div;
import static dev.hint4j.onnx.graph.Ops.less;
import static dev.hint4j.onnx.graph.Ops.logSoftmax;
import static dev.hint4j.onnx.graph.Ops.mul;
import static dev.hint4j.onnx.graph.Ops.neg;
import static dev.hint4j.onnx.graph.Ops.oneHot;
import static dev.hint4j.onnx.graph.Ops.reduceSum;
import static dev.hint4j.onnx.graph.Ops.withShape;

import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Value;
import java.util.List;
import java.util.Map;

/** Token cross-entropy over the target positions the mask keeps, with optional label smoothing. */
final class Loss {
  /** Summed loss and the number of target tokens it covers (both scalars). */
  record Sums(Value loss, Value tokens) {
    Value mean() {
      return div(loss, tokens);
    }
  }

  private Loss() {}

  /**
   * @param logits [B, T, V]; @param labels [B, T] int64; @param mask [B, T] float (1 = a target token)
   * @param smoothing ε: the target puts 1 − ε on the label and ε spread evenly over the vocabulary
   */
  static Sums crossEntropy(Value logits, Value labels, Value mask, double smoothing) {
    long vocab = logits.shape().dim(-1).size();
    double off = smoothing / vocab;
    Value target = oneHot(labels, vocab, off, 1 - smoothing + off, logits); // [B, T, V], a constant
    Value perToken = neg(reduceSum(mul(target, logSoftmax(logits, -1)), false, 2)); // [B, T]
    return new Sums(reduceSum(mul(perToken, mask), false, 0, 1), reduceSum(mask, false, 0, 1));
  }

  /**
   * How many rows greedy decoding would answer exactly (a scalar): rows whose label has the largest
   * logit at every target position. Teacher forcing feeds the right prefix, so a row that is
   * right at every position is exactly the row greedy decoding reproduces, and the first wrong
   * position makes greedy decoding differ.
   */
  static Value exactRows(Value logits, Value labels, Value mask) {
    long vocab = logits.shape().dim(-1).size();
    Value labelLogit = reduceSum(mul(oneHot(labels, vocab, 0, 1, logits), logits), false, 2); // [B, T]
    Value best = withShape("ReduceMax", List.of(logits, logits.graph().constantInt64(2)), Map.of("keepdims", 0L),
        labelLogit.shape());
    Value wrong = mul(cast(less(labelLogit, best), DType.FLOAT), mask);
    Value rowRight = cast(less(reduceSum(wrong, false, 1), logits.graph().scalar(0.5f)), DType.FLOAT);
    return reduceSum(rowRight, false, 0);
  }
}
