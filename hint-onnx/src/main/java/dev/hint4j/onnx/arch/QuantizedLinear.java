package dev.hint4j.onnx.arch;

import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Dim;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.GraphBuildException;
import dev.hint4j.onnx.graph.Node;
import dev.hint4j.onnx.graph.Shape;
import dev.hint4j.onnx.graph.Value;
import dev.hint4j.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A linear layer {@code x · W} whose weight is stored quantized (see {@link WeightQuantization}),
 * as one ONNX Runtime MatMulNBits node. The quantized tensors are named after the float weight
 * ({@code lm_head.q_weight}, {@code .q_scales}, {@code .q_zero_points}).
 */
final class QuantizedLinear {
  private QuantizedLinear() {}

  static Value apply(Graph g, Value x, String name, FloatTensor weight, WeightQuantization q) {
    long k = weight.shape()[0];
    long n = weight.shape()[1];
    Dim inner = x.shape().dim(-1);
    if (inner.isKnown() && inner.size() != k) {
      throw new GraphBuildException("quantized linear " + name + ": input " + x + " does not have " + k + " features");
    }
    List<Dim> out = new ArrayList<>(x.shape().dims());
    out.set(out.size() - 1, Dim.of(n));
    Shape outShape = Shape.of(out.toArray());
    if (!q.quantized()) {
      throw new IllegalStateException("float32 weights are not quantized");
    }
    BlockQuantizer.NBits b = BlockQuantizer.nBits(weight, q.bits(), q.blockSize());
    Value packed = g.weightBytes(name + ".q_weight", DType.UINT8, new long[] {n, b.blocks(), b.blobSize()}, b.packed());
    Value scales = g.weight(name + ".q_scales", FloatTensor.wrap(new long[] {b.scales().length}, b.scales()));
    Value zeroPoints = g.weightBytes(name + ".q_zero_points", DType.UINT8, new long[] {b.zeroPoints().length},
        b.zeroPoints());
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("K", k);
    attrs.put("N", n);
    attrs.put("bits", (long) q.bits());
    attrs.put("block_size", (long) q.blockSize());
    attrs.put("accuracy_level", (long) q.accuracyLevel());
    return g.addNode(Node.MICROSOFT, "MatMulNBits", Arrays.asList(x, packed, scales, zeroPoints), attrs,
        List.of(new Graph.Spec(DType.FLOAT, outShape))).output();
  }
}
