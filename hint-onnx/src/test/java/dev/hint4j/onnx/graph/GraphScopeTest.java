package dev.hint4j.onnx.graph;

import static dev.hint4j.onnx.graph.Ops.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Name scopes: the try-with-resources form nests like the lambda form and refuses out-of-order closing. */
class GraphScopeTest {
  @Test
  void scopesPrefixNodeNamesUntilClosed() {
    Graph g = new Graph("g");
    Value x = g.input("x", DType.FLOAT, 2);
    Value inner;
    try (Graph.Scope outer = g.scope("layer.0")) {
      try (Graph.Scope attn = g.scope("attn")) {
        inner = add(x, x);
      }
      Value lambda = g.scoped("ffn", () -> add(x, x));
      assertThat(lambda.name()).isEqualTo("layer.0/ffn/Add");
    }
    assertThat(inner.name()).isEqualTo("layer.0/attn/Add");
    assertThat(add(x, x).name()).isEqualTo("Add");
  }

  @Test
  void closingAnOuterScopeFirstIsRefused() {
    Graph g = new Graph("g");
    Graph.Scope outer = g.scope("outer");
    g.scope("inner");
    assertThatThrownBy(outer::close).isInstanceOf(GraphBuildException.class).hasMessageContaining("out of order");
  }

  @Test
  void scalarInt64IsRankZeroAndShared() {
    Graph g = new Graph("g");
    Value seven = g.scalarInt64(7);
    assertThat(seven.rank()).isZero();
    assertThat(g.initializers().get(seven.name()).longs()).containsExactly(7L);
    assertThat(g.scalarInt64(7)).isSameAs(seven);
  }
}
