package dev.hint4j.onnx.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.OnnxModelWriter;
import dev.hint4j.onnx.graph.Ops;
import dev.hint4j.onnx.graph.Value;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Finite-difference check of {@link Autodiff}: loss = Σ f(inputs) ⊙ R for a fixed random R, the
 * analytic gradient from the graph against central differences (L(x+h) − L(x−h)) / 2h.
 */
final class GradientChecker {
  /** A differentiable input with its fixed shape; integer inputs are given as constants inside f. */
  record Input(String name, long[] shape) {}

  private final DType type;
  private final double step;
  private final double tolerance;
  private final SplittableRandom random = new SplittableRandom(17);

  /**
   * float64: h = 1e-6, tolerance 1e-6 relative (truncation O(h²) ≈ 1e-12, rounding ≈ 1e-16/h = 1e-10).
   * float32: h = 1e-2, tolerance 2e-2 (rounding ≈ 6e-8·|L|/h ≈ 1e-5·|L|, truncation ≈ h²·|f'''| ≈ 1e-4).
   */
  GradientChecker(DType type) {
    this.type = type;
    this.step = type == DType.DOUBLE ? 1e-6 : 1e-2;
    this.tolerance = type == DType.DOUBLE ? 1e-6 : 2e-2;
  }

  void check(String what, List<Input> inputs, Function<List<Value>, Value> f) throws Exception {
    Graph g = new Graph("check");
    List<Value> vs = new ArrayList<>();
    for (Input in : inputs) {
      Object[] dims = java.util.Arrays.stream(in.shape()).boxed().toArray();
      vs.add(g.input(in.name(), type, dims));
    }
    Value y = f.apply(vs);
    long n = y.shape().knownElementCount();
    double[] r = new double[(int) n];
    for (int i = 0; i < r.length; i++) {
      r[i] = random.nextDouble() * 2 - 1;
    }
    Value weights = constant(g, y, r);
    long[] all = new long[y.rank()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    Value loss = all.length == 0 ? Ops.mul(y, weights) : Ops.reduceSum(Ops.mul(y, weights), false, all);
    g.output("loss", loss);
    Map<Value, Value> grads = Autodiff.gradients(g, loss, vs);
    for (int i = 0; i < vs.size(); i++) {
      g.output("grad." + inputs.get(i).name(), grads.get(vs.get(i)));
    }

    Map<String, double[]> x = new LinkedHashMap<>();
    for (Input in : inputs) {
      double[] v = new double[(int) java.util.Arrays.stream(in.shape()).reduce(1, (a, b) -> a * b)];
      for (int i = 0; i < v.length; i++) {
        v[i] = random.nextDouble() * 2 - 1;
      }
      x.put(in.name(), v);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT); // check the math as written
      try (OrtSession s = env.createSession(OnnxModelWriter.toModel(g, Map.of()).toByteArray(), so)) {
        Map<String, double[]> analytic = run(env, s, inputs, x);
        for (Input in : inputs) {
          double[] grad = analytic.get("grad." + in.name());
          double[] v = x.get(in.name());
          for (int i = 0; i < v.length; i++) {
            double keep = v[i];
            v[i] = keep + step;
            double up = run(env, s, inputs, x).get("loss")[0];
            v[i] = keep - step;
            double down = run(env, s, inputs, x).get("loss")[0];
            v[i] = keep;
            double numeric = (up - down) / (2 * step);
            assertThat(grad[i]).as("%s: d loss / d %s[%d]", what, in.name(), i)
                .isCloseTo(numeric, org.assertj.core.data.Offset.offset(tolerance * (1 + Math.abs(numeric))));
          }
        }
      }
    }
  }

  private Value constant(Graph g, Value like, double[] values) {
    long[] shape = like.shape().dims().stream().mapToLong(d -> d.size()).toArray();
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    Value c = g.constantFloat(dev.hint4j.tensor.FloatTensor.of(shape, f));
    return type == DType.FLOAT ? c : Ops.cast(c, DType.DOUBLE);
  }

  private Map<String, double[]> run(OrtEnvironment env, OrtSession s, List<Input> inputs, Map<String, double[]> x)
      throws Exception {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      for (Input in : inputs) {
        double[] v = x.get(in.name());
        if (type == DType.DOUBLE) {
          feeds.put(in.name(), OnnxTensor.createTensor(env, DoubleBuffer.wrap(v), in.shape()));
        } else {
          float[] f = new float[v.length];
          for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
          }
          feeds.put(in.name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(f), in.shape()));
        }
      }
      Map<String, double[]> out = new HashMap<>();
      try (OrtSession.Result r = s.run(feeds)) {
        for (var e : r) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          if (type == DType.DOUBLE) {
            DoubleBuffer b = t.getDoubleBuffer();
            double[] a = new double[b.remaining()];
            b.get(a);
            out.put(e.getKey(), a);
          } else {
            FloatBuffer b = t.getFloatBuffer();
            double[] a = new double[b.remaining()];
            for (int i = 0; i < a.length; i++) {
              a[i] = b.get(i);
            }
            out.put(e.getKey(), a);
          }
        }
      }
      return out;
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

}
