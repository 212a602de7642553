package dev.hint4j.onnx.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.hint4j.onnx.testing.GraphRunner;
import dev.hint4j.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsTest {
  @Test
  void shapeMismatchesAreCaughtAtBuildTime() {
    Graph g = new Graph("t");
    Value a = g.input("a", DType.FLOAT, "batch", 3, 4);
    Value b = g.input("b", DType.FLOAT, 5, 2);
    assertThatThrownBy(() -> Ops.matMul(a, b)).isInstanceOf(GraphBuildException.class).hasMessageContaining("inner");
    assertThatThrownBy(() -> Ops.add(a, g.input("c", DType.FLOAT, 3, 5))).isInstanceOf(GraphBuildException.class)
        .hasMessageContaining("broadcast");
    assertThatThrownBy(() -> Ops.reshape(g.input("d", DType.FLOAT, 2, 6), 5, 2)).isInstanceOf(GraphBuildException.class);
    assertThatThrownBy(() -> Ops.transpose(a, 0, 0, 1)).isInstanceOf(GraphBuildException.class);
    assertThatThrownBy(() -> Ops.add(a, g.input("i", DType.INT64, 4))).isInstanceOf(GraphBuildException.class)
        .hasMessageContaining("element types");
  }

  @Test
  void shapesAreInferred() {
    Graph g = new Graph("t");
    Value x = g.input("x", DType.FLOAT, "batch", "len", 8);
    assertThat(Ops.reshape(x, 0, 0, 2, 4).shape().toString()).isEqualTo("[batch, len, 2, 4]");
    assertThat(Ops.reshape(g.input("y", DType.FLOAT, 2, 6), 3, -1).shape().toString()).isEqualTo("[3, 4]");
    assertThat(Ops.transpose(Ops.reshape(x, 0, 0, 2, 4), 0, 2, 1, 3).shape().toString()).isEqualTo("[batch, 2, len, 4]");
    assertThat(Ops.matMul(x, g.input("w", DType.FLOAT, 8, 5)).shape().toString()).isEqualTo("[batch, len, 5]");
    assertThat(Ops.concat(-1, x, g.input("z", DType.FLOAT, "batch", "len", 2)).shape().toString()).isEqualTo("[batch, len, 10]");
    assertThat(Ops.gather(g.input("e", DType.FLOAT, 100, 8), g.input("ids", DType.INT64, "batch", "len"), 0).shape().toString())
        .isEqualTo("[batch, len, 8]");
  }

  /** softmax(x·W + b) from the graph equals the same math in plain double arithmetic. */
  @Test
  void graphComputesWhatJavaComputes() throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    float[] w = new float[4 * 3];
    float[] bias = new float[3];
    float[] x = new float[2 * 4];
    for (float[] a : new float[][] {w, bias, x}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    Graph g = new Graph("t");
    Value in = g.input("x", DType.FLOAT, "batch", 4);
    Value y = Ops.softmax(Ops.add(Ops.matMul(in, g.weight("w", FloatTensor.of(new long[] {4, 3}, w))),
        g.weight("b", FloatTensor.of(new long[] {3}, bias))), -1);
    g.output("y", y);
    FloatTensor out;
    try (GraphRunner run = new GraphRunner(g)) {
      out = run.run(Map.of("x", FloatTensor.of(new long[] {2, 4}, x))).get("y");
    }
    for (int row = 0; row < 2; row++) {
      double[] z = new double[3];
      double sum = 0;
      for (int j = 0; j < 3; j++) {
        z[j] = bias[j];
        for (int k = 0; k < 4; k++) {
          z[j] += x[row * 4 + k] * w[k * 3 + j];
        }
        sum += Math.exp(z[j]);
      }
      for (int j = 0; j < 3; j++) {
        // float32 rounding of a 4-term dot product and a 3-way softmax: well under 1e-6 of O(1) values.
        assertThat((double) out.get(row * 3 + j)).isCloseTo(Math.exp(z[j]) / sum, org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  @Test
  void externalDataLoadsFromTheModelDirectory(@TempDir Path dir) throws Exception {
    float[] w = new float[64 * 64];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 7) * 0.25f;
    }
    Graph g = new Graph("t");
    Value in = g.input("x", DType.FLOAT, 1, 64);
    g.output("y", Ops.matMul(in, g.weight("w", FloatTensor.of(new long[] {64, 64}, w))));
    ExternalData ext = new ExternalData("weights.bin", 1024);
    byte[] model = OnnxModelWriter.toModel(g, Map.of(), ext).toByteArray();
    assertThat(model.length).as("weight left the model file").isLessThan(w.length * 4);
    Files.write(dir.resolve("m.onnx"), model);
    Files.write(dir.resolve("weights.bin"), ext.bytes());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] x = new float[64];
    x[3] = 1f;
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession s = env.createSession(dir.resolve("m.onnx").toString(), so);
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 64});
        OrtSession.Result r = s.run(Map.of("x", t))) {
      float[] y = ((float[][]) r.get(0).getValue())[0];
      for (int j = 0; j < 64; j++) {
        assertThat(y[j]).isEqualTo(w[3 * 64 + j]); // x selects row 3 of w exactly
      }
    }
  }
}
