package dev.hint4j.onnx.graph;

/**
 * One dimension of a static shape: a known size, a named symbol (the same name means the same
 * size everywhere in a graph, e.g. "batch"), or unknown.
 */
public record Dim(long size, String symbol) {
  private static final Dim UNKNOWN = new Dim(-1, null);

  public static Dim of(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("negative dimension " + size);
    }
    return new Dim(size, null);
  }

  public static Dim sym(String name) {
    return new Dim(-1, name);
  }

  public static Dim unknown() {
    return UNKNOWN;
  }

  public boolean isKnown() {
    return size >= 0;
  }

  public boolean isSymbol() {
    return symbol != null;
  }

  /** True when both are provably the same size (same number, or same symbol). */
  public boolean sameAs(Dim o) {
    return (isKnown() && o.isKnown() && size == o.size) || (isSymbol() && symbol.equals(o.symbol));
  }

  /** True when both are known numbers that differ: a definite mismatch. */
  public boolean conflicts(Dim o) {
    return isKnown() && o.isKnown() && size != o.size;
  }

  @Override
  public String toString() {
    return isKnown() ? Long.toString(size) : isSymbol() ? symbol : "?";
  }
}
