package dev.hint4j.onnx.graph;

import java.util.ArrayList;
import java.util.List;

/** An immutable static shape of symbolic or known dimensions; {@link #UNRANKED} when even the rank is unknown. */
public final class Shape {
  public static final Shape UNRANKED = new Shape(null);

  private final List<Dim> dims;

  private Shape(List<Dim> dims) {
    this.dims = dims == null ? null : List.copyOf(dims);
  }

  public static Shape of(List<Dim> dims) {
    return new Shape(dims);
  }

  /** Dimensions from numbers (known sizes) and strings (symbols); -1 or null means unknown. */
  public static Shape of(Object... dims) {
    List<Dim> list = new ArrayList<>(dims.length);
    for (Object d : dims) {
      list.add(toDim(d));
    }
    return new Shape(list);
  }

  static Dim toDim(Object d) {
    if (d == null) {
      return Dim.unknown();
    }
    if (d instanceof Dim dim) {
      return dim;
    }
    if (d instanceof Number n) {
      return n.longValue() < 0 ? Dim.unknown() : Dim.of(n.longValue());
    }
    if (d instanceof String s) {
      return Dim.sym(s);
    }
    throw new IllegalArgumentException("not a dimension: " + d);
  }

  public boolean isRanked() {
    return dims != null;
  }

  public int rank() {
    requireRanked();
    return dims.size();
  }

  /** Dimension at {@code axis}; negative axes count from the end. */
  public Dim dim(int axis) {
    requireRanked();
    return dims.get(normalizeAxis(axis));
  }

  public List<Dim> dims() {
    requireRanked();
    return dims;
  }

  public int normalizeAxis(int axis) {
    int r = rank();
    int a = axis < 0 ? axis + r : axis;
    if (a < 0 || a >= r) {
      throw new GraphBuildException("axis " + axis + " out of range for rank " + r + " shape " + this);
    }
    return a;
  }

  /** Product of the dimensions if all are known, else -1. */
  public long knownElementCount() {
    if (!isRanked()) {
      return -1;
    }
    long n = 1;
    for (Dim d : dims) {
      if (!d.isKnown()) {
        return -1;
      }
      n *= d.size();
    }
    return n;
  }

  private void requireRanked() {
    if (dims == null) {
      throw new GraphBuildException("shape is unranked");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && java.util.Objects.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(dims);
  }

  @Override
  public String toString() {
    return dims == null ? "[unranked]" : dims.toString();
  }
}
