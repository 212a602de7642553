package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.gather;
import static dev.hint4j.onnx.graph.Ops.max;
import static dev.hint4j.onnx.graph.Ops.min;
import static dev.hint4j.onnx.graph.Ops.sub;
import static dev.hint4j.onnx.graph.Ops.transpose;
import static dev.hint4j.onnx.graph.Ops.unsqueeze;

import dev.hint4j.onnx.graph.Value;

/**
 * T5's bucketed relative position bias, computed once per stack and shared by its layers.
 * The bucket of every offset in [−maxDistance, maxDistance] is precomputed in Java (farther
 * offsets share the end buckets, so offsets are clamped) and looked up in the graph.
 */
final class RelativePositionBias {
  private RelativePositionBias() {}

  /**
   * Bias [1, H, Tq, Lk] for query positions {@code qPos} [Tq] and key positions {@code kPos} [Lk] (int64).
   */
  static Value build(ArchContext a, String stack, Value qPos, Value kPos, boolean bidirectional) {
    int maxDistance = a.c().relativeMaxDistance();
    long[] table = new long[2 * maxDistance + 1];
    for (int r = -maxDistance; r <= maxDistance; r++) {
      table[r + maxDistance] = bucket(r, bidirectional, a.c().relativeBuckets(), maxDistance);
    }
    var g = a.g();
    Value offset = sub(unsqueeze(kPos, 0), unsqueeze(qPos, 1)); // [Tq, Lk] = key − query
    Value clamped = min(max(offset, g.scalarInt64(-maxDistance)),
        g.scalarInt64(maxDistance));
    Value buckets = gather(g.constantInt64(new long[] {table.length}, table),
        add(clamped, g.scalarInt64(maxDistance)), 0);
    Value bias = gather(a.param(stack + ".rel_bias"), buckets, 0); // [Tq, Lk, H]
    return unsqueeze(transpose(bias, 2, 0, 1), 0);
  }

  /** T5's bucket of relative position {@code r} = key − query, with PyTorch's float32 arithmetic. */
  static int bucket(int r, boolean bidirectional, int numBuckets, int maxDistance) {
    int base = 0;
    int nb = numBuckets;
    int n;
    if (bidirectional) {
      nb /= 2;
      base = r > 0 ? nb : 0;
      n = Math.abs(r);
    } else {
      n = Math.max(-r, 0);
    }
    int maxExact = nb / 2;
    if (n < maxExact) {
      return base + n;
    }
    float ratio = (float) Math.log((float) n / maxExact) / (float) Math.log((double) maxDistance / maxExact);
    int large = maxExact + (int) (ratio * (nb - maxExact));
    return base + Math.min(large, nb - 1);
  }
}
