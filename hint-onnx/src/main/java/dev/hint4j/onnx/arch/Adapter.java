package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.geluTanh;
import static dev.hint4j.onnx.graph.Ops.matMul;
import static dev.hint4j.onnx.graph.Ops.unsqueeze;

import dev.hint4j.onnx.graph.Value;

/**
 * HINT's generated bottleneck adapter, parallel to the feed-forward block and reading its
 * normalised input: gelu(n·Wd + bd)·Wu + bu. The tensors have module batch Bm (1 or B), which
 * broadcasts against the input batch.
 *
 * @param down [Bm, d, A]
 * @param up [Bm, A, d]
 * @param biasDown [Bm, A]
 * @param biasUp [Bm, d]
 */
record Adapter(Value down, Value up, Value biasDown, Value biasUp) {
  Value apply(Value n) {
    Value hidden = geluTanh(add(matMul(n, down), unsqueeze(biasDown, 1)));
    return add(matMul(hidden, up), unsqueeze(biasUp, 1));
  }
}
