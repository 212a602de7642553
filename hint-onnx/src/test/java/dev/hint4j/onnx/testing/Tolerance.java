package dev.hint4j.onnx.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.tensor.FloatTensor;

/**
 * Comparing float32 graph outputs with the float64 reference.
 *
 * <p>Why 2e-4·(1+|ref|): float32 rounds each operation to a relative 6e-8; a length-n dot product
 * accumulates about sqrt(n)·6e-8 of its inputs' scale (n ≤ 256 here: ~1e-6), and a tiny model
 * chains ~30 such products through softmax and RMSNorm, which can amplify by ~10 each at random
 * init. That bounds honest error near 1e-5..1e-4 on O(1) values; a real math error (a missed
 * scale, a transposed weight, a wrong mask) moves outputs by O(0.1..1), over 1000× the tolerance.
 * Observed on the tiny model: worst relative error about 5e-7, so the bound is loose, not tuned.
 */
public final class Tolerance {
  public static final double RELATIVE = 2e-4;

  private Tolerance() {}

  public static void assertClose(String what, FloatTensor actual, double[] expected) {
    assertThat(actual.size()).as(what + " size").isEqualTo(expected.length);
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(actual.get(i) - expected[i]) / (1 + Math.abs(expected[i]));
      if (err > worst) {
        worst = err;
        at = i;
      }
    }
    assertThat(worst).as(what + ": worst relative error at flat index " + at
        + (at >= 0 ? " (graph " + actual.get(at) + ", reference " + expected[at] + ")" : "")).isLessThanOrEqualTo(RELATIVE);
  }

  public static double[] flatten(double[][] m) {
    int n = 0;
    for (double[] r : m) {
      n += r.length;
    }
    double[] out = new double[n];
    int k = 0;
    for (double[] r : m) {
      System.arraycopy(r, 0, out, k, r.length);
      k += r.length;
    }
    return out;
  }
}
