package dev.hint4j.onnx.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The op DSL: each method appends one ONNX operator (opset 21 semantics) to the graph that owns
 * its inputs, checking types and shapes at build time and inferring the output shape. A mismatch
 * that is certain (two known, different sizes) throws {@link GraphBuildException}; symbolic
 * dimensions that might differ at run time are left to ONNX Runtime.
 */
public final class Ops {
  private Ops() {}

  // ---- elementwise ----

  public static Value add(Value a, Value b) {
    return binary("Add", a, b, a.type());
  }

  public static Value sub(Value a, Value b) {
    return binary("Sub", a, b, a.type());
  }

  public static Value mul(Value a, Value b) {
    return binary("Mul", a, b, a.type());
  }

  public static Value div(Value a, Value b) {
    return binary("Div", a, b, a.type());
  }

  public static Value pow(Value a, Value b) {
    return binary("Pow", a, b, a.type());
  }

  public static Value max(Value a, Value b) {
    return binary("Max", a, b, a.type());
  }

  public static Value min(Value a, Value b) {
    return binary("Min", a, b, a.type());
  }

  public static Value greater(Value a, Value b) {
    return binary("Greater", a, b, DType.BOOL);
  }

  public static Value less(Value a, Value b) {
    return binary("Less", a, b, DType.BOOL);
  }

  public static Value where(Value condition, Value ifTrue, Value ifFalse) {
    requireType("Where", condition, DType.BOOL);
    requireSameType("Where", ifTrue, ifFalse);
    Shape s = broadcast("Where", broadcast("Where", condition.shape(), ifTrue.shape()), ifFalse.shape());
    return node("Where", List.of(condition, ifTrue, ifFalse), Map.of(), ifTrue.type(), s);
  }

  public static Value sqrt(Value x) {
    return unary("Sqrt", x);
  }

  public static Value tanh(Value x) {
    return unary("Tanh", x);
  }

  public static Value exp(Value x) {
    return unary("Exp", x);
  }

  public static Value log(Value x) {
    return unary("Log", x);
  }

  public static Value neg(Value x) {
    return unary("Neg", x);
  }

  public static Value reciprocal(Value x) {
    return unary("Reciprocal", x);
  }

  public static Value identity(Value x) {
    return unary("Identity", x);
  }

  /** GELU with the tanh approximation (ONNX Gelu, opset 20+), as T5 v1.1's gated-GELU uses. */
  public static Value geluTanh(Value x) {
    requireFloating("Gelu", x);
    return node("Gelu", List.of(x), Map.of("approximate", "tanh"), x.type(), x.shape());
  }

  public static Value cast(Value x, DType to) {
    return node("Cast", List.of(x), Map.of("to", (long) to.onnxCode), to, x.shape());
  }

  // ---- linear algebra ----

  /** numpy-style matmul: batch dimensions broadcast, inner dimensions must agree. */
  public static Value matMul(Value a, Value b) {
    requireSameType("MatMul", a, b);
    if (a.rank() < 2 || b.rank() < 2) {
      throw new GraphBuildException("MatMul: toolkit supports rank >= 2 operands, got " + a + " and " + b);
    }
    Dim k1 = a.shape().dim(-1);
    Dim k2 = b.shape().dim(-2);
    if (k1.conflicts(k2)) {
      throw new GraphBuildException("MatMul: inner dimensions differ: " + a + " x " + b);
    }
    List<Dim> batchA = a.shape().dims().subList(0, a.rank() - 2);
    List<Dim> batchB = b.shape().dims().subList(0, b.rank() - 2);
    List<Dim> out = new ArrayList<>(broadcast("MatMul", Shape.of(batchA), Shape.of(batchB)).dims());
    out.add(a.shape().dim(-2));
    out.add(b.shape().dim(-1));
    return node("MatMul", List.of(a, b), Map.of(), a.type(), Shape.of(out));
  }

  // ---- shape manipulation ----

  /**
   * ONNX Reshape with a constant target: 0 copies the input dimension at that position, -1 is
   * inferred (known only when every other size is known).
   */
  public static Value reshape(Value x, long... target) {
    Graph g = x.graph();
    List<Dim> out = new ArrayList<>();
    int inferred = -1;
    for (int i = 0; i < target.length; i++) {
      long t = target[i];
      if (t == 0) {
        out.add(x.shape().dim(i));
      } else if (t == -1) {
        if (inferred >= 0) {
          throw new GraphBuildException("Reshape: more than one -1 in " + Arrays.toString(target));
        }
        inferred = i;
        out.add(Dim.unknown());
      } else if (t > 0) {
        out.add(Dim.of(t));
      } else {
        throw new GraphBuildException("Reshape: bad target dimension " + t);
      }
    }
    long total = x.shape().knownElementCount();
    long known = Shape.of(out.toArray()).knownElementCount();
    if (inferred >= 0 && total >= 0) {
      long rest = 1;
      for (int i = 0; i < out.size(); i++) {
        if (i != inferred) {
          rest *= out.get(i).size();
        }
      }
      if (rest == 0 || total % rest != 0) {
        throw new GraphBuildException("Reshape: " + x + " cannot become " + Arrays.toString(target));
      }
      out.set(inferred, Dim.of(total / rest));
    } else if (inferred < 0 && total >= 0 && known >= 0 && total != known) {
      throw new GraphBuildException("Reshape: " + x + " has " + total + " elements, target "
          + Arrays.toString(target) + " has " + known);
    }
    Value shape = g.constantInt64(target);
    return node("Reshape", List.of(x, shape), Map.of(), x.type(), Shape.of(out.toArray()));
  }

  public static Value transpose(Value x, int... perm) {
    if (perm.length != x.rank()) {
      throw new GraphBuildException("Transpose: permutation " + Arrays.toString(perm) + " for " + x);
    }
    boolean[] seen = new boolean[perm.length];
    List<Dim> out = new ArrayList<>();
    for (int p : perm) {
      if (p < 0 || p >= perm.length || seen[p]) {
        throw new GraphBuildException("Transpose: not a permutation: " + Arrays.toString(perm));
      }
      seen[p] = true;
      out.add(x.shape().dim(p));
    }
    return node("Transpose", List.of(x), Map.of("perm", Arrays.stream(perm).asLongStream().toArray()),
        x.type(), Shape.of(out.toArray()));
  }

  public static Value concat(int axis, Value... values) {
    if (values.length == 0) {
      throw new GraphBuildException("Concat of nothing");
    }
    Value first = values[0];
    int a = first.shape().normalizeAxis(axis);
    long sum = 0;
    List<Dim> out = new ArrayList<>(first.shape().dims());
    for (Value v : values) {
      requireSameType("Concat", first, v);
      if (v.rank() != first.rank()) {
        throw new GraphBuildException("Concat: ranks differ: " + first + " and " + v);
      }
      for (int i = 0; i < v.rank(); i++) {
        if (i != a && v.shape().dim(i).conflicts(first.shape().dim(i))) {
          throw new GraphBuildException("Concat on axis " + axis + ": " + first + " and " + v + " differ on axis " + i);
        }
      }
      Dim d = v.shape().dim(a);
      sum = (sum >= 0 && d.isKnown()) ? sum + d.size() : -1;
    }
    out.set(a, sum >= 0 ? Dim.of(sum) : Dim.unknown());
    return node("Concat", List.of(values), Map.of("axis", (long) axis), first.type(), Shape.of(out.toArray()));
  }

  public static Value unsqueeze(Value x, long... axes) {
    int r = x.rank() + axes.length;
    long[] norm = Arrays.stream(axes).map(ax -> ax < 0 ? ax + r : ax).sorted().toArray();
    List<Dim> out = new ArrayList<>(x.shape().dims());
    for (long ax : norm) {
      out.add((int) ax, Dim.of(1));
    }
    return node("Unsqueeze", List.of(x, x.graph().constantInt64(axes)), Map.of(), x.type(), Shape.of(out.toArray()));
  }

  public static Value squeeze(Value x, long... axes) {
    List<Dim> out = new ArrayList<>(x.shape().dims());
    long[] norm = Arrays.stream(axes).map(ax -> x.shape().normalizeAxis((int) ax)).sorted().toArray();
    for (int i = norm.length - 1; i >= 0; i--) {
      Dim d = out.get((int) norm[i]);
      if (d.isKnown() && d.size() != 1) {
        throw new GraphBuildException("Squeeze: axis " + norm[i] + " of " + x + " is not 1");
      }
      out.remove((int) norm[i]);
    }
    return node("Squeeze", List.of(x, x.graph().constantInt64(axes)), Map.of(), x.type(), Shape.of(out.toArray()));
  }

  /** Gather along {@code axis}: output = data[:axis] + indices.shape + data[axis+1:]. */
  public static Value gather(Value data, Value indices, int axis) {
    if (indices.type() != DType.INT64 && indices.type() != DType.INT32) {
      throw new GraphBuildException("Gather: indices must be int64 or int32, got " + indices);
    }
    int a = data.shape().normalizeAxis(axis);
    List<Dim> out = new ArrayList<>(data.shape().dims().subList(0, a));
    out.addAll(indices.shape().dims());
    out.addAll(data.shape().dims().subList(a + 1, data.rank()));
    return node("Gather", List.of(data, indices), Map.of("axis", (long) axis), data.type(), Shape.of(out.toArray()));
  }

  /** Static slice [start, end) on one axis (ONNX clamps end to the dimension). */
  public static Value slice(Value x, int axis, long start, long end) {
    Graph g = x.graph();
    int a = x.shape().normalizeAxis(axis);
    List<Dim> out = new ArrayList<>(x.shape().dims());
    Dim d = out.get(a);
    if (start >= 0 && end >= start && end != Long.MAX_VALUE) {
      long len = end - start;
      if (d.isKnown()) {
        len = Math.max(0, Math.min(end, d.size()) - Math.min(start, d.size()));
      }
      out.set(a, Dim.of(len));
    } else {
      out.set(a, Dim.unknown());
    }
    return node("Slice", List.of(x, g.constantInt64(start), g.constantInt64(end), g.constantInt64(a)),
        Map.of(), x.type(), Shape.of(out.toArray()));
  }

  /** Slice with run-time bounds (1-element int64 tensors) on one axis. */
  public static Value slice(Value x, int axis, Value start, Value end) {
    int a = x.shape().normalizeAxis(axis);
    List<Dim> out = new ArrayList<>(x.shape().dims());
    out.set(a, Dim.unknown());
    return node("Slice", List.of(x, start, end, x.graph().constantInt64(a)), Map.of(), x.type(), Shape.of(out.toArray()));
  }

  /** The shape of {@code x} as a 1-D int64 tensor, restricted to axes [start, end). */
  public static Value shapeOf(Value x, int start, int end) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("start", (long) start);
    attrs.put("end", (long) end);
    return node("Shape", List.of(x), attrs, DType.INT64, Shape.of(end - start));
  }

  /** Size of one axis of {@code x} as a 1-element int64 tensor. */
  public static Value dimOf(Value x, int axis) {
    int a = x.shape().normalizeAxis(axis);
    return shapeOf(x, a, a + 1);
  }

  /** 1-D int64 range [start, limit) with step 1 from scalar int64 inputs. */
  public static Value range(Value start, Value limit) {
    Value delta = start.graph().scalarInt64(1);
    return node("Range", List.of(start, limit, delta), Map.of(), DType.INT64, Shape.of(Dim.unknown()));
  }

  /** Clamps to [lo, hi] given as scalar tensors of x's type. */
  public static Value clip(Value x, Value lo, Value hi) {
    return node("Clip", List.of(x, lo, hi), Map.of(), x.type(), x.shape());
  }

  // ---- reductions and normalization ----

  public static Value softmax(Value x, int axis) {
    requireFloating("Softmax", x);
    return node("Softmax", List.of(x), Map.of("axis", (long) axis), x.type(), x.shape());
  }

  public static Value logSoftmax(Value x, int axis) {
    requireFloating("LogSoftmax", x);
    return node("LogSoftmax", List.of(x), Map.of("axis", (long) axis), x.type(), x.shape());
  }

  /**
   * One-hot rows of {@code depth} for int64 {@code indices}, with {@code off}/{@code on} values of
   * {@code like}'s type: output indices.shape + [depth].
   */
  public static Value oneHot(Value indices, long depth, double off, double on, Value like) {
    Graph g = indices.graph();
    Value values = like.type() == DType.FLOAT
        ? g.constantFloat(dev.hint4j.tensor.FloatTensor.of(new long[] {2}, new float[] {(float) off, (float) on}))
        : cast(g.constantFloat(dev.hint4j.tensor.FloatTensor.of(new long[] {2}, new float[] {(float) off, (float) on})), like.type());
    List<Dim> out = new ArrayList<>(indices.shape().dims());
    out.add(Dim.of(depth));
    return node("OneHot", List.of(indices, g.scalarInt64(depth), values),
        Map.of("axis", -1L), like.type(), Shape.of(out.toArray()));
  }

  /** Mean over the last axis, keeping it as size 1. */
  public static Value reduceMeanLast(Value x) {
    List<Dim> out = new ArrayList<>(x.shape().dims());
    out.set(out.size() - 1, Dim.of(1));
    return node("ReduceMean", List.of(x, x.graph().constantInt64(-1)), Map.of("keepdims", 1L), x.type(), Shape.of(out.toArray()));
  }

  /** Sum over {@code axes} (sorted, non-negative after normalization). */
  public static Value reduceSum(Value x, boolean keepDims, long... axes) {
    long[] norm = java.util.Arrays.stream(axes).map(a -> x.shape().normalizeAxis((int) a)).sorted().distinct().toArray();
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      boolean reduced = java.util.Arrays.binarySearch(norm, i) >= 0;
      if (!reduced) {
        out.add(x.shape().dim(i));
      } else if (keepDims) {
        out.add(Dim.of(1));
      }
    }
    return node("ReduceSum", List.of(x, x.graph().constantInt64(norm)), Map.of("keepdims", keepDims ? 1L : 0L),
        x.type(), Shape.of(out.toArray()));
  }

  /** Broadcasts {@code x} to the run-time shape {@code shape} (1-D int64), whose static form is {@code like}'s. */
  public static Value expand(Value x, Value shape, Shape staticShape) {
    return node("Expand", List.of(x, shape), Map.of(), x.type(), staticShape);
  }

  /** The full shape of {@code x} as a 1-D int64 tensor. */
  public static Value shapeOf(Value x) {
    return node("Shape", List.of(x), Map.of(), DType.INT64, Shape.of(x.rank()));
  }

  /** Zero-pads one axis by run-time amounts {@code pads} = [before, after] (1-D int64 of 2). */
  public static Value padAxis(Value x, int axis, Value pads) {
    int a = x.shape().normalizeAxis(axis);
    List<Dim> out = new ArrayList<>(x.shape().dims());
    out.set(a, Dim.unknown());
    return node("Pad", java.util.Arrays.asList(x, pads, null, x.graph().constantInt64(a)), Map.of("mode", "constant"),
        x.type(), Shape.of(out.toArray()));
  }

  /** data with {@code updates} added at {@code indices} (ScatterND, reduction add). */
  public static Value scatterNdAdd(Value data, Value indices, Value updates) {
    return node("ScatterND", List.of(data, indices, updates), Map.of("reduction", "add"), data.type(), data.shape());
  }

  /** Output with an explicitly given static shape (for ops whose shape the caller knows better). */
  public static Value withShape(String op, List<Value> inputs, Map<String, Object> attrs, Shape shape) {
    return node(op, inputs, attrs, inputs.get(0).type(), shape);
  }

  // ---- plumbing ----

  private static Value unary(String op, Value x) {
    return node(op, List.of(x), Map.of(), x.type(), x.shape());
  }

  private static Value binary(String op, Value a, Value b, DType outType) {
    requireSameType(op, a, b);
    return node(op, List.of(a, b), Map.of(), outType, broadcast(op, a.shape(), b.shape()));
  }

  static Value node(String op, List<Value> inputs, Map<String, Object> attrs, DType type, Shape shape) {
    Graph g = inputs.get(0).graph();
    return g.addNode(op, inputs, attrs, List.of(new Graph.Spec(type, shape))).output();
  }

  /** numpy broadcasting over static shapes. */
  public static Shape broadcast(String op, Shape a, Shape b) {
    if (!a.isRanked() || !b.isRanked()) {
      return Shape.UNRANKED;
    }
    int r = Math.max(a.rank(), b.rank());
    Dim[] out = new Dim[r];
    for (int i = 0; i < r; i++) {
      int ia = a.rank() - r + i;
      int ib = b.rank() - r + i;
      Dim da = ia >= 0 ? a.dim(ia) : Dim.of(1);
      Dim db = ib >= 0 ? b.dim(ib) : Dim.of(1);
      if (da.isKnown() && da.size() == 1) {
        out[i] = db;
      } else if (db.isKnown() && db.size() == 1) {
        out[i] = da;
      } else if (da.conflicts(db)) {
        throw new GraphBuildException(op + ": shapes " + a + " and " + b + " do not broadcast");
      } else if (da.sameAs(db) || !db.isKnown() && !db.isSymbol()) {
        out[i] = da;
      } else if (!da.isKnown() && !da.isSymbol()) {
        out[i] = db;
      } else {
        // Two symbols, or a symbol and a number: equal at run time or broadcastable; prefer the number.
        out[i] = da.isKnown() ? da : db.isKnown() ? db : da;
      }
    }
    return Shape.of((Object[]) out);
  }

  private static void requireSameType(String op, Value a, Value b) {
    if (a.type() != b.type()) {
      throw new GraphBuildException(op + ": element types differ: " + a + " and " + b);
    }
  }

  private static void requireFloating(String op, Value x) {
    if (x.type() != DType.FLOAT && x.type() != DType.DOUBLE) {
      throw new GraphBuildException(op + ": expected float or double but got " + x);
    }
  }

  private static void requireType(String op, Value x, DType t) {
    if (x.type() != t) {
      throw new GraphBuildException(op + ": expected " + t + " but got " + x);
    }
  }
}
