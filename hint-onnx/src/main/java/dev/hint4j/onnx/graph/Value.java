package dev.hint4j.onnx.graph;

/**
 * A named tensor in a {@link Graph}: a graph input, an initializer, or the output of a node.
 * Carries its element type and static shape so ops can check their arguments when built.
 */
public final class Value {
  private final Graph graph;
  private final String name;
  private final DType type;
  private final Shape shape;

  Value(Graph graph, String name, DType type, Shape shape) {
    this.graph = graph;
    this.name = name;
    this.type = type;
    this.shape = shape;
  }

  public Graph graph() {
    return graph;
  }

  public String name() {
    return name;
  }

  public DType type() {
    return type;
  }

  public Shape shape() {
    return shape;
  }

  public int rank() {
    return shape.rank();
  }

  @Override
  public String toString() {
    return name + ":" + type + shape;
  }
}
