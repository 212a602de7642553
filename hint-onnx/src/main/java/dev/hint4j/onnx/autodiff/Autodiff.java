package dev.hint4j.onnx.autodiff;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.sub;

import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.GraphBuildException;
import dev.hint4j.onnx.graph.Node;
import dev.hint4j.onnx.graph.Value;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation over a toolkit {@link Graph}: appends to the same graph
 * the nodes that compute d(loss)/d(x) for each requested value x, walking the forward nodes in
 * reverse order and applying each op's {@link GradientRules rule}. Gradients reaching a value by
 * several paths are summed. Only nodes on a path from a requested value to the loss are visited.
 */
public final class Autodiff {
  private Autodiff() {}

  /**
   * @param loss a scalar (rank 0) float value
   * @param wrt the values to differentiate with respect to (inputs or weights)
   * @return for each of {@code wrt}, its gradient (same shape); zeros when the loss does not depend on it
   */
  public static Map<Value, Value> gradients(Graph g, Value loss, Collection<Value> wrt) {
    if (loss.type() != DType.FLOAT && loss.type() != DType.DOUBLE || !loss.shape().isRanked() || loss.rank() != 0) {
      throw new GraphBuildException("loss must be a floating scalar, got " + loss);
    }
    List<Node> forward = List.copyOf(g.nodes());
    Set<Value> dependsOnWrt = reachableFrom(forward, wrt);
    Map<Value, Value> grads = new IdentityHashMap<>();
    grads.put(loss, g.scalarLike(loss, 1.0));
    for (int i = forward.size() - 1; i >= 0; i--) {
      Node n = forward.get(i);
      boolean needed = n.inputs().stream().anyMatch(v -> v != null && dependsOnWrt.contains(v));
      List<Value> outGrads = n.outputs().stream().map(grads::get).toList();
      if (!needed || outGrads.stream().allMatch(java.util.Objects::isNull)) {
        continue;
      }
      List<Value> inGrads = g.scoped("grad/" + n.name(), () -> GradientRules.backward(n, outGrads, dependsOnWrt));
      if (inGrads.size() != n.inputs().size()) {
        throw new GraphBuildException("gradient rule of " + n.opType() + " returned " + inGrads.size()
            + " gradients for " + n.inputs().size() + " inputs");
      }
      for (int k = 0; k < n.inputs().size(); k++) {
        Value in = n.inputs().get(k);
        Value gi = inGrads.get(k);
        if (in == null || gi == null || !dependsOnWrt.contains(in)) {
          continue;
        }
        Value prev = grads.get(in);
        grads.put(in, prev == null ? gi : add(prev, gi));
      }
    }
    Map<Value, Value> out = new LinkedHashMap<>();
    for (Value x : wrt) {
      Value gx = grads.get(x);
      out.put(x, gx != null ? gx : sub(x, x)); // no path to the loss: a zero gradient of the right shape
    }
    return out;
  }

  /** Values computed (transitively) from any of {@code sources}, the sources included. */
  private static Set<Value> reachableFrom(List<Node> nodes, Collection<Value> sources) {
    Set<Value> reached = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    reached.addAll(sources);
    for (Node n : nodes) {
      if (n.inputs().stream().anyMatch(v -> v != null && reached.contains(v))) {
        reached.addAll(n.outputs());
      }
    }
    return reached;
  }


}
