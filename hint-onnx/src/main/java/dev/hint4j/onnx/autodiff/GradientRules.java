package dev.hint4j.onnx.autodiff;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.cast;
import static dev.hint4j.onnx.graph.Ops.concat;
import static dev.hint4j.onnx.graph.Ops.dimOf;
import static dev.hint4j.onnx.graph.Ops.div;
import static dev.hint4j.onnx.graph.Ops.expand;
import static dev.hint4j.onnx.graph.Ops.matMul;
import static dev.hint4j.onnx.graph.Ops.min;
import static dev.hint4j.onnx.graph.Ops.mul;
import static dev.hint4j.onnx.graph.Ops.neg;
import static dev.hint4j.onnx.graph.Ops.padAxis;
import static dev.hint4j.onnx.graph.Ops.pow;
import static dev.hint4j.onnx.graph.Ops.reduceSum;
import static dev.hint4j.onnx.graph.Ops.scatterNdAdd;
import static dev.hint4j.onnx.graph.Ops.shapeOf;
import static dev.hint4j.onnx.graph.Ops.slice;
import static dev.hint4j.onnx.graph.Ops.sub;
import static dev.hint4j.onnx.graph.Ops.tanh;
import static dev.hint4j.onnx.graph.Ops.transpose;
import static dev.hint4j.onnx.graph.Ops.unsqueeze;
import static dev.hint4j.onnx.graph.Ops.where;
import static dev.hint4j.onnx.graph.Ops.withShape;

import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Dim;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.GraphBuildException;
import dev.hint4j.onnx.graph.Node;
import dev.hint4j.onnx.graph.Ops;
import dev.hint4j.onnx.graph.Shape;
import dev.hint4j.onnx.graph.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gradient of every op the architecture uses, written with ordinary ONNX ops: given the
 * gradients of a node's outputs, the gradients of its inputs (null where an input is not
 * differentiable, e.g. integer indices and shapes). Each rule is checked against finite
 * differences in GradientCheckTest.
 */
final class GradientRules {
  private GradientRules() {}

  static List<Value> backward(Node n, List<Value> outGrads, Set<Value> differentiable) {
    Value dy = outGrads.get(0);
    List<Value> in = n.inputs();
    Value y = n.output();
    Graph g = y.graph();
    return switch (n.opType()) {
      case "Identity" -> List.of(dy);
      case "Add" -> List.of(sumTo(dy, in.get(0)), sumTo(dy, in.get(1)));
      case "Sub" -> List.of(sumTo(dy, in.get(0)), sumTo(neg(dy), in.get(1)));
      case "Mul" -> List.of(sumTo(mul(dy, in.get(1)), in.get(0)), sumTo(mul(dy, in.get(0)), in.get(1)));
      case "Div" -> List.of(sumTo(div(dy, in.get(1)), in.get(0)),
          sumTo(neg(div(mul(dy, y), in.get(1))), in.get(1)));
      case "Pow" -> Arrays.asList(powGrad(g, in.get(0), in.get(1), dy), null);
      case "Sqrt" -> List.of(div(dy, mul(g.scalarLike(y, 2), y)));
      case "Tanh" -> List.of(mul(dy, sub(g.scalarLike(y, 1), mul(y, y))));
      case "Exp" -> List.of(mul(dy, y));
      case "Log" -> List.of(div(dy, in.get(0)));
      case "Neg" -> List.of(neg(dy));
      case "Reciprocal" -> List.of(neg(mul(dy, mul(y, y))));
      case "Gelu" -> List.of(mul(dy, geluDerivative(g, in.get(0))));
      case "MatMul" -> List.of(sumTo(matMul(dy, transposeLast2(in.get(1))), in.get(0)),
          matMulRightGrad(in.get(0), in.get(1), dy));
      case "Softmax" -> {
        int axis = (int) (long) (Long) n.attributes().get("axis");
        Value dot = reduceSum(mul(dy, y), true, axis);
        yield List.of(mul(y, sub(dy, dot)));
      }
      case "LogSoftmax" -> {
        int axis = (int) (long) (Long) n.attributes().get("axis");
        yield List.of(sub(dy, mul(Ops.exp(y), reduceSum(dy, true, axis))));
      }
      case "OneHot" -> nulls(in.size()); // indices and depth are integers; the values are constants
      case "ReduceMean" -> Arrays.asList(reduceGrad(n, dy, true), null);
      case "ReduceSum" -> Arrays.asList(reduceGrad(n, dy, false), null);
      case "Reshape", "Unsqueeze", "Squeeze" -> Arrays.asList(reshapeLike(dy, in.get(0)), null);
      case "Transpose" -> List.of(transpose(dy, inverse((long[]) n.attributes().get("perm"))));
      case "Concat" -> concatGrad(n, dy);
      case "Slice" -> sliceGrad(n, dy);
      case "Gather" -> gatherGrad(n, dy);
      case "Where" -> {
        Value zero = sub(dy, dy);
        yield Arrays.asList(null, sumTo(where(in.get(0), dy, zero), in.get(1)), sumTo(where(in.get(0), zero, dy), in.get(2)));
      }
      case "Shape", "Range", "Greater", "Less", "Cast", "Max", "Min", "Equal" -> {
        for (Value v : in) {
          if (v != null && (v.type() == DType.FLOAT || v.type() == DType.DOUBLE) && differentiable.contains(v)) {
            throw new GraphBuildException(n.opType() + " has no gradient rule for floating input " + v);
          }
        }
        yield nulls(in.size());
      }
      default -> throw new GraphBuildException("no gradient rule for op " + n.opType() + " (node " + n.name() + ")");
    };
  }

  /**
   * d/dx x^c for a constant exponent c: c·x^(c−1). Squares (RmsNorm) get 2·x·dy: ONNX Runtime's
   * Pow runs std::pow per element for an exponent of 1, several times slower than a multiply.
   */
  private static Value powGrad(Graph g, Value x, Value exponent, Value dy) {
    Graph.Initializer init = g.initializers().get(exponent.name());
    if (init == null || (init.floats() == null && init.doubles() == null)) {
      throw new GraphBuildException("Pow gradient needs a constant exponent, got " + exponent);
    }
    double c = init.floats() != null ? init.floats().get(0) : init.doubles()[0];
    if (c == 2) {
      return mul(dy, add(x, x));
    }
    return mul(dy, mul(g.scalarLike(x, c), pow(x, g.scalarLike(x, c - 1))));
  }

  /**
   * Gradient of the right operand of a @ b. A weight matrix b [K, N] shared by every batch row of
   * a [..., M, K] gets one GEMM over the flattened rows, aᵀ[K, rows] · dy[rows, N]: the per-row
   * products followed by a ReduceSum over the batch compute the same sum as many small GEMMs and
   * a pass over a [batch, K, N] intermediate (22 % of a train step's kernel time before this).
   */
  private static Value matMulRightGrad(Value a, Value b, Value dy) {
    Dim k = b.shape().dim(0);
    Dim n = b.shape().dim(1);
    boolean sharedWeight = b.rank() == 2 && a.rank() > 2 && k.isKnown() && n.isKnown();
    if (!sharedWeight) {
      return sumTo(matMul(transposeLast2(a), dy), b);
    }
    Value rows = Ops.reshape(a, -1, k.size());
    Value dyRows = Ops.reshape(dy, -1, n.size());
    return withShape("Gemm", List.of(rows, dyRows), Map.of("transA", 1L), Shape.of(k.size(), n.size()));
  }

  /** Derivative of the tanh-approximated GELU, 0.5(1+t) + 0.5x(1−t²)·k(1 + 3a x²), t = tanh(k(x + a x³)). */
  private static Value geluDerivative(Graph g, Value x) {
    double k = Math.sqrt(2 / Math.PI);
    double a = 0.044715;
    Value x2 = mul(x, x);
    Value inner = mul(g.scalarLike(x, k), add(x, mul(g.scalarLike(x, a), mul(x2, x))));
    Value t = tanh(inner);
    Value half = g.scalarLike(x, 0.5);
    Value left = mul(half, add(g.scalarLike(x, 1), t));
    Value dInner = mul(g.scalarLike(x, k), add(g.scalarLike(x, 1), mul(g.scalarLike(x, 3 * a), x2)));
    Value right = mul(mul(half, x), mul(sub(g.scalarLike(x, 1), mul(t, t)), dInner));
    return add(left, right);
  }

  /** ReduceMean or ReduceSum: spread the gradient back over the reduced axes. */
  private static Value reduceGrad(Node n, Value dy, boolean mean) {
    Value x = n.inputs().get(0);
    Graph g = x.graph();
    long[] axes = g.initializers().get(n.inputs().get(1).name()).longs();
    boolean keep = !Long.valueOf(0).equals(n.attributes().get("keepdims"));
    Value grad = dy;
    if (!keep) {
      long[] norm = Arrays.stream(axes).map(a -> x.shape().normalizeAxis((int) a)).sorted().toArray();
      grad = unsqueeze(grad, norm);
    }
    grad = expand(grad, shapeOf(x), x.shape());
    if (mean) {
      Value count = null;
      for (long a : axes) {
        Value d = cast(dimOf(x, (int) a), x.type());
        count = count == null ? d : mul(count, d);
      }
      grad = div(grad, count);
    }
    return grad;
  }

  private static List<Value> concatGrad(Node n, Value dy) {
    int axis = (int) (long) (Long) n.attributes().get("axis");
    List<Value> out = new ArrayList<>();
    Value start = dy.graph().constantInt64(0);
    for (Value part : n.inputs()) {
      Value end = add(start, dimOf(part, axis));
      out.add(reshapeLike(slice(dy, axis, start, end), part));
      start = end;
    }
    return out;
  }

  /** Slice of one axis: the gradient is dy zero-padded back to the input's extent. */
  private static List<Value> sliceGrad(Node n, Value dy) {
    Value x = n.inputs().get(0);
    Graph g = x.graph();
    long[] axes = g.initializers().get(n.inputs().get(3).name()).longs();
    if (axes.length != 1 || n.inputs().size() > 4) {
      throw new GraphBuildException("Slice gradient supports one axis with step 1");
    }
    int axis = (int) axes[0];
    Value start = n.inputs().get(1);
    Value length = dimOf(x, axis);
    Value end = min(n.inputs().get(2), length);
    Value pads = concat(0, start, sub(length, end));
    return Arrays.asList(reshapeLike(padAxis(dy, axis, pads), x), null, null, null);
  }

  private static List<Value> gatherGrad(Node n, Value dy) {
    Value data = n.inputs().get(0);
    Value indices = n.inputs().get(1);
    Graph g = data.graph();
    int axis = (int) (long) (Long) n.attributes().get("axis");
    if (axis == 0) {
      // Rows gathered several times (a repeated token) accumulate: ScatterND with reduction add.
      Value zeros = sub(data, data);
      return Arrays.asList(scatterNdAdd(zeros, unsqueeze(indices, -1), dy), null);
    }
    Graph.Initializer idx = g.initializers().get(indices.name());
    if (idx == null || idx.longs() == null || indices.rank() != 0) {
      throw new GraphBuildException("Gather gradient on axis " + axis + " needs a constant scalar index");
    }
    long s = idx.longs()[0];
    Value after = sub(dimOf(data, axis), g.constantInt64(s + 1));
    Value pads = concat(0, g.constantInt64(s), after);
    return Arrays.asList(reshapeLike(padAxis(unsqueeze(dy, axis), axis, pads), data), null);
  }

  /** Reduces a broadcast gradient back to {@code target}'s shape (numpy broadcasting in reverse). */
  static Value sumTo(Value grad, Value target) {
    Shape gs = grad.shape();
    Shape ts = target.shape();
    if (!gs.isRanked() || !ts.isRanked()) {
      throw new GraphBuildException("cannot reduce a gradient without ranks: " + grad + " to " + target);
    }
    int extra = gs.rank() - ts.rank();
    if (extra < 0) {
      throw new GraphBuildException("gradient " + grad + " has lower rank than " + target);
    }
    Value out = grad;
    if (extra > 0) {
      long[] lead = new long[extra];
      for (int i = 0; i < extra; i++) {
        lead[i] = i;
      }
      out = reduceSum(out, false, lead);
    }
    List<Long> axes = new ArrayList<>();
    for (int i = 0; i < ts.rank(); i++) {
      Dim t = ts.dim(i);
      Dim d = out.shape().dim(i);
      if (t.isKnown() && t.size() == 1) {
        if (!(d.isKnown() && d.size() == 1)) {
          axes.add((long) i); // summing a size-1 axis is harmless, so unsure cases reduce too
        }
      } else if (t.isSymbol() && d.isSymbol() && !t.sameAs(d)) {
        throw new GraphBuildException("cannot tell whether " + target + " was broadcast to " + grad
            + " (dimension " + i + ": " + t + " vs " + d + "); give both the same symbol");
      }
    }
    if (!axes.isEmpty()) {
      out = reduceSum(out, true, axes.stream().mapToLong(Long::longValue).toArray());
    }
    return out;
  }

  private static Value reshapeLike(Value x, Value like) {
    return withShape("Reshape", List.of(x, shapeOf(like)), Map.of(), like.shape());
  }

  private static Value transposeLast2(Value x) {
    int r = x.rank();
    int[] perm = new int[r];
    for (int i = 0; i < r; i++) {
      perm[i] = i;
    }
    perm[r - 2] = r - 1;
    perm[r - 1] = r - 2;
    return transpose(x, perm);
  }

  private static int[] inverse(long[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[(int) perm[i]] = i;
    }
    return inv;
  }

  private static List<Value> nulls(int n) {
    return Arrays.asList(new Value[n]);
  }

}
