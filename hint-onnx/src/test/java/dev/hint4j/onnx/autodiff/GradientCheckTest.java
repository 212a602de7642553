package dev.hint4j.onnx.autodiff;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.concat;
import static dev.hint4j.onnx.graph.Ops.div;
import static dev.hint4j.onnx.graph.Ops.exp;
import static dev.hint4j.onnx.graph.Ops.gather;
import static dev.hint4j.onnx.graph.Ops.geluTanh;
import static dev.hint4j.onnx.graph.Ops.greater;
import static dev.hint4j.onnx.graph.Ops.log;
import static dev.hint4j.onnx.graph.Ops.matMul;
import static dev.hint4j.onnx.graph.Ops.mul;
import static dev.hint4j.onnx.graph.Ops.neg;
import static dev.hint4j.onnx.graph.Ops.pow;
import static dev.hint4j.onnx.graph.Ops.reciprocal;
import static dev.hint4j.onnx.graph.Ops.reduceMeanLast;
import static dev.hint4j.onnx.graph.Ops.reduceSum;
import static dev.hint4j.onnx.graph.Ops.reshape;
import static dev.hint4j.onnx.graph.Ops.slice;
import static dev.hint4j.onnx.graph.Ops.softmax;
import static dev.hint4j.onnx.graph.Ops.sqrt;
import static dev.hint4j.onnx.graph.Ops.squeeze;
import static dev.hint4j.onnx.graph.Ops.sub;
import static dev.hint4j.onnx.graph.Ops.tanh;
import static dev.hint4j.onnx.graph.Ops.transpose;
import static dev.hint4j.onnx.graph.Ops.unsqueeze;
import static dev.hint4j.onnx.graph.Ops.where;

import dev.hint4j.onnx.autodiff.GradientChecker.Input;
import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every gradient rule against central finite differences, in float64 where ONNX Runtime runs the op in float64. */
class GradientCheckTest {
  final GradientChecker f64 = new GradientChecker(DType.DOUBLE);
  final GradientChecker f32 = new GradientChecker(DType.FLOAT);

  static Input in(String name, long... shape) {
    return new Input(name, shape);
  }

  @Test
  void elementwiseWithBroadcasting() throws Exception {
    List<Input> ab = List.of(in("a", 2, 3), in("b", 3));
    f64.check("add", ab, v -> add(v.get(0), v.get(1)));
    f64.check("sub", ab, v -> sub(v.get(0), v.get(1)));
    f64.check("mul", ab, v -> mul(v.get(0), v.get(1)));
    f64.check("div", ab, v -> div(v.get(0), add(mul(v.get(1), v.get(1)), v.get(1).graph().scalarLike(v.get(1), 1))));
    f64.check("mul by [2,1]", List.of(in("a", 2, 3), in("b", 2, 1)), v -> mul(v.get(0), v.get(1)));
  }

  @Test
  void unaryOps() throws Exception {
    List<Input> x = List.of(in("x", 2, 3));
    f64.check("pow 2", x, v -> pow(v.get(0), v.get(0).graph().scalarLike(v.get(0), 2)));
    f64.check("sqrt", x, v -> sqrt(add(mul(v.get(0), v.get(0)), v.get(0).graph().scalarLike(v.get(0), 0.5))));
    f64.check("tanh", x, v -> tanh(v.get(0)));
    f64.check("exp", x, v -> exp(v.get(0)));
    f64.check("log", x, v -> log(add(mul(v.get(0), v.get(0)), v.get(0).graph().scalarLike(v.get(0), 1))));
    f64.check("neg", x, v -> neg(v.get(0)));
    f64.check("reciprocal", x, v -> reciprocal(add(v.get(0), v.get(0).graph().scalarLike(v.get(0), 3))));
    f32.check("gelu (float32 only in ONNX Runtime)", x, v -> geluTanh(mul(v.get(0), v.get(0).graph().scalar(2f))));
  }

  @Test
  void matMulWithBatchBroadcast() throws Exception {
    f64.check("matmul [2,3,4]x[4,5]", List.of(in("a", 2, 3, 4), in("w", 4, 5)), v -> matMul(v.get(0), v.get(1)));
    f64.check("matmul [2,1,3,4]x[1,2,4,2]", List.of(in("a", 2, 1, 3, 4), in("b", 1, 2, 4, 2)), v -> matMul(v.get(0), v.get(1)));
  }

  @Test
  void reductionsAndSoftmax() throws Exception {
    List<Input> x = List.of(in("x", 2, 4));
    f64.check("softmax", x, v -> softmax(v.get(0), -1));
    f64.check("log softmax", x, v -> dev.hint4j.onnx.graph.Ops.logSoftmax(v.get(0), -1));
    f64.check("reduce mean", x, v -> reduceMeanLast(v.get(0)));
    f64.check("reduce sum keepdims", x, v -> reduceSum(v.get(0), true, 0));
    f64.check("reduce sum", List.of(in("x", 2, 3, 2)), v -> reduceSum(v.get(0), false, 1));
  }

  @Test
  void shapeOps() throws Exception {
    List<Input> x = List.of(in("x", 2, 6));
    f64.check("reshape", x, v -> reshape(v.get(0), 3, 4));
    f64.check("transpose", List.of(in("x", 2, 3, 4)), v -> transpose(v.get(0), 2, 0, 1));
    f64.check("unsqueeze+squeeze", x, v -> mul(unsqueeze(v.get(0), 1), squeeze(unsqueeze(v.get(0), 0), 0)));
    f64.check("concat", List.of(in("a", 2, 3), in("b", 2, 2)), v -> concat(-1, v.get(0), v.get(1), v.get(0)));
    f64.check("static slice", x, v -> slice(v.get(0), 1, 1, 4));
    f64.check("slice past the end", x, v -> slice(v.get(0), 1, 4, 100));
    f64.check("run-time slice", x, v -> reshape(slice(v.get(0), 1, v.get(0).graph().constantInt64(2),
        v.get(0).graph().constantInt64(5)), 2, 3));
  }

  @Test
  void gathersAndWhere() throws Exception {
    f64.check("embedding gather with repeats", List.of(in("e", 5, 3)),
        v -> gather(v.get(0), v.get(0).graph().constantInt64(new long[] {2, 2}, new long[] {1, 3, 1, 4}), 0));
    f64.check("slot gather", List.of(in("x", 2, 4, 3)),
        v -> gather(v.get(0), v.get(0).graph().scalarInt64(2), 1));
    f64.check("where", List.of(in("a", 2, 3), in("b", 3)), v -> where(
        greater(v.get(0), v.get(0).graph().scalarLike(v.get(0), 0)), v.get(0), v.get(1)));
  }

  /** A path reused several times sums its gradients. */
  @Test
  void fanOutAccumulates() throws Exception {
    f64.check("x·x + x", List.of(in("x", 3)), v -> add(mul(v.get(0), v.get(0)), v.get(0)));
  }
}
