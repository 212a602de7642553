package dev.hint4j.onnx.graph;

import dev.hint4j.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A computation graph under construction: inputs, initializers (weights and constants), nodes in
 * topological order (every node is appended after its inputs exist) and named outputs.
 * Ops are added through {@link Ops}, which checks shapes and types at build time.
 * {@link OnnxModelWriter} turns a finished graph into an ONNX ModelProto.
 *
 * <p>Not thread-safe: build a graph on one thread.
 */
public final class Graph {
  /**
   * Data of an initializer: float32 ({@link FloatTensor}), int64, float64 or 8-bit (uint8/int8 raw
   * bytes); for the arrays the shape is the value's.
   */
  public record Initializer(Value value, FloatTensor floats, long[] longs, double[] doubles, byte[] bytes) {
    Initializer(Value value, FloatTensor floats, long[] longs, double[] doubles) {
      this(value, floats, longs, doubles, null);
    }
  }

  private final String name;
  private final List<Value> inputs = new ArrayList<>();
  private final Map<String, Initializer> initializers = new LinkedHashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Value> outputs = new LinkedHashMap<>();
  private final Map<String, Value> valuesByName = new LinkedHashMap<>();
  private final Map<String, Value> int64Constants = new LinkedHashMap<>();
  private final Map<String, Integer> nameCounters = new LinkedHashMap<>();
  private final List<String> scope = new ArrayList<>();

  public Graph(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Declares a graph input. Dimensions: numbers (known) or strings (symbols shared across the graph). */
  public Value input(String name, DType type, Object... dims) {
    Value v = newValue(name, type, Shape.of(dims));
    inputs.add(v);
    return v;
  }

  /** A float32 weight; the same name returns the same value (weights are shared, never duplicated). */
  public Value weight(String name, FloatTensor data) {
    Initializer existing = initializers.get(name);
    if (existing != null) {
      if (existing.floats() == null || !Arrays.equals(existing.floats().shape(), data.shape())) {
        throw new GraphBuildException("initializer '" + name + "' redefined with another type or shape");
      }
      return existing.value();
    }
    Object[] dims = Arrays.stream(data.shape()).boxed().toArray();
    Value v = newValue(name, DType.FLOAT, Shape.of(dims));
    initializers.put(name, new Initializer(v, data, null, null));
    return v;
  }

  /**
   * An 8-bit weight (uint8 or int8, raw bytes in row-major order); the same name returns the same
   * value, as for float weights.
   */
  public Value weightBytes(String name, DType type, long[] shape, byte[] data) {
    if (type != DType.UINT8 && type != DType.INT8) {
      throw new GraphBuildException("weightBytes holds uint8 or int8, not " + type);
    }
    if (FloatTensor.elementCount(shape) != data.length) {
      throw new GraphBuildException("byte weight '" + name + "' of shape " + Arrays.toString(shape) + " cannot hold "
          + data.length + " bytes");
    }
    Initializer existing = initializers.get(name);
    if (existing != null) {
      if (existing.bytes() == null || !Arrays.equals(existing.bytes(), data)) {
        throw new GraphBuildException("initializer '" + name + "' redefined with other data");
      }
      return existing.value();
    }
    Value v = newValue(name, type, Shape.of(Arrays.stream(shape).boxed().toArray()));
    initializers.put(name, new Initializer(v, null, null, null, data.clone()));
    return v;
  }

  /** An int64 constant tensor (deduplicated by content). */
  public Value constantInt64(long[] shape, long[] values) {
    if (FloatTensor.elementCount(shape) != values.length) {
      throw new GraphBuildException("constant shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
    }
    String key = Arrays.toString(shape) + Arrays.toString(values);
    Value cached = int64Constants.get(key);
    if (cached != null) {
      return cached;
    }
    Object[] dims = Arrays.stream(shape).boxed().toArray();
    Value v = newValue(uniqueName("const_i64"), DType.INT64, Shape.of(dims));
    initializers.put(v.name(), new Initializer(v, null, values.clone(), null));
    int64Constants.put(key, v);
    return v;
  }

  /** An int64 scalar (rank 0) constant, e.g. an index for Gather that removes the axis. */
  public Value scalarInt64(long value) {
    return constantInt64(new long[0], new long[] {value});
  }

  /** A 1-D int64 constant. */
  public Value constantInt64(long... values) {
    return constantInt64(new long[] {values.length}, values);
  }

  /** A float32 scalar constant (rank 0). */
  public Value scalar(float value) {
    String n = uniqueName("const_f32");
    Value v = newValue(n, DType.FLOAT, Shape.of());
    initializers.put(n, new Initializer(v, FloatTensor.of(new long[0], new float[] {value}), null, null));
    return v;
  }

  /** A scalar constant of the same element type as {@code like} (float32 or float64). */
  public Value scalarLike(Value like, double value) {
    if (like.type() == DType.FLOAT) {
      return scalar((float) value);
    }
    if (like.type() != DType.DOUBLE) {
      throw new GraphBuildException("no floating scalar of type " + like.type());
    }
    String n = uniqueName("const_f64");
    Value v = newValue(n, DType.DOUBLE, Shape.of());
    initializers.put(n, new Initializer(v, null, null, new double[] {value}));
    return v;
  }

  /** The value called {@code name} (an input, initializer or node output). */
  public Value value(String name) {
    Value v = valuesByName.get(name);
    if (v == null) {
      throw new GraphBuildException("graph " + this.name + " has no value '" + name + "'");
    }
    return v;
  }

  /** A float32 constant tensor that is not a trained weight (gets a generated name). */
  public Value constantFloat(FloatTensor data) {
    return weight(uniqueName("const_f32"), data);
  }

  /**
   * Appends a node. {@code outputSpecs} gives (type, shape) per output; output names are generated
   * from the current name scope and the op type.
   */
  public Node addNode(String opType, List<Value> in, Map<String, Object> attributes, List<Spec> outputSpecs) {
    return addNode("", opType, in, attributes, outputSpecs);
  }

  /** As above, for an operator of another domain (e.g. {@link Node#MICROSOFT}). */
  public Node addNode(String domain, String opType, List<Value> in, Map<String, Object> attributes, List<Spec> outputSpecs) {
    for (Value v : in) {
      if (v != null && v.graph() != this) {
        throw new GraphBuildException(opType + ": input " + v.name() + " belongs to another graph");
      }
    }
    String nodeName = uniqueName(scopedName(opType));
    List<Value> outs = new ArrayList<>();
    for (int i = 0; i < outputSpecs.size(); i++) {
      Spec s = outputSpecs.get(i);
      outs.add(newValue(outputSpecs.size() == 1 ? nodeName : nodeName + ":" + i, s.type(), s.shape()));
    }
    Node node = new Node(nodeName, domain, opType, in, outs, attributes);
    nodes.add(node);
    return node;
  }

  /** Output type and shape of a node being added. */
  public record Spec(DType type, Shape shape) {}

  /** Marks {@code value} as a graph output called {@code name}. */
  public Value output(String name, Value value) {
    if (outputs.containsKey(name)) {
      throw new GraphBuildException("duplicate graph output '" + name + "'");
    }
    if (valuesByName.containsKey(name) && valuesByName.get(name) != value) {
      throw new GraphBuildException("output name '" + name + "' is already used by another value");
    }
    Value out = value;
    if (!value.name().equals(name)) {
      Node id = new Node(uniqueName("Identity"), "Identity", List.of(value),
          List.of(newValue(name, value.type(), value.shape())), Map.of());
      nodes.add(id);
      out = id.output();
    }
    outputs.put(name, out);
    return out;
  }

  /** Runs {@code body} with node names prefixed by {@code prefix} (for readable graphs and profiles). */
  public <T> T scoped(String prefix, java.util.function.Supplier<T> body) {
    try (Scope ignored = scope(prefix)) {
      return body.get();
    }
  }

  /**
   * Prefixes node names with {@code prefix} until the returned scope is closed, the form of
   * {@link #scoped} for a try-with-resources block: {@code try (Graph.Scope s = g.scope("layer")) {...}}.
   */
  public Scope scope(String prefix) {
    scope.add(prefix);
    return new Scope(scope.size());
  }

  /** An open name scope; closing it ends it (scopes close innermost first). */
  public final class Scope implements AutoCloseable {
    private final int depth;

    private Scope(int depth) {
      this.depth = depth;
    }

    @Override
    public void close() {
      if (scope.size() != depth) {
        throw new GraphBuildException("name scopes closed out of order: '" + String.join("/", scope) + "' open, closing depth "
            + depth);
      }
      scope.remove(depth - 1);
    }
  }

  private String scopedName(String base) {
    return scope.isEmpty() ? base : String.join("/", scope) + "/" + base;
  }

  private String uniqueName(String base) {
    int n = nameCounters.merge(base, 1, Integer::sum);
    String candidate = n == 1 ? base : base + "_" + n;
    while (valuesByName.containsKey(candidate)) {
      n = nameCounters.merge(base, 1, Integer::sum);
      candidate = base + "_" + n;
    }
    return candidate;
  }

  private Value newValue(String name, DType type, Shape shape) {
    if (valuesByName.containsKey(name)) {
      throw new GraphBuildException("value name '" + name + "' is already used in graph " + this.name);
    }
    Value v = new Value(this, name, type, shape);
    valuesByName.put(name, v);
    return v;
  }

  public List<Value> inputs() {
    return Collections.unmodifiableList(inputs);
  }

  public Map<String, Value> outputs() {
    return Collections.unmodifiableMap(outputs);
  }

  public List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  public Map<String, Initializer> initializers() {
    return Collections.unmodifiableMap(initializers);
  }
}
