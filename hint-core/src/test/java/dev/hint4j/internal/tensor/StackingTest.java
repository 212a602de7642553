package dev.hint4j.internal.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.tensor.FloatTensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackingTest {
  @Test
  void padsTheGrowingAxisWithZeros() {
    // [1, 2, 3] and [1, 2, 1] stacked on axis 2 → [2, 2, 3]; the short row's missing columns are 0.
    FloatTensor a = FloatTensor.of(new long[] {1, 2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    FloatTensor b = FloatTensor.of(new long[] {1, 2, 1}, new float[] {7, 8});
    FloatTensor s = Stacking.stack(List.of(a, b), 2);
    assertThat(s.shape()).containsExactly(2, 2, 3);
    assertThat(s.toArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 0, 0, 8, 0, 0);
  }

  @Test
  void padsAMiddleAxis() {
    FloatTensor a = FloatTensor.of(new long[] {1, 1, 2}, new float[] {1, 2});
    FloatTensor b = FloatTensor.of(new long[] {1, 2, 2}, new float[] {3, 4, 5, 6});
    assertThat(Stacking.stack(List.of(a, b), 1).toArray()).containsExactly(1, 2, 0, 0, 3, 4, 5, 6);
  }

  /** Against an element-by-element reference on a 4-D padded axis that is not innermost (the value layout [1, H, L, Dh]). */
  @Test
  void matchesElementwiseReferenceOnAPaddedMiddleAxisOfRankFour() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    List<FloatTensor> rows = new java.util.ArrayList<>();
    for (int len : new int[] {5, 2, 7, 7}) {
      float[] v = new float[3 * len * 4];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      rows.add(FloatTensor.of(new long[] {1, 3, len, 4}, v));
    }
    FloatTensor s = Stacking.stack(rows, 2);
    assertThat(s.shape()).containsExactly(4, 3, 7, 4);
    for (int b = 0; b < 4; b++) {
      int len = (int) rows.get(b).shape()[2];
      for (int h = 0; h < 3; h++) {
        for (int t = 0; t < 7; t++) {
          for (int d = 0; d < 4; d++) {
            float expected = t < len ? rows.get(b).get((h * len + t) * 4 + d) : 0f;
            assertThat(s.get(((b * 3 + h) * 7 + t) * 4 + d)).isEqualTo(expected);
          }
        }
      }
    }
  }

  /** Into a reused buffer full of garbage, the padding still comes out as zeros. */
  @Test
  void stackIntoOverwritesWhatTheBufferHeld() {
    FloatTensor a = FloatTensor.of(new long[] {1, 2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    FloatTensor b = FloatTensor.of(new long[] {1, 2, 1}, new float[] {7, 8});
    long[] shape = Stacking.stackedShape(List.of(a, b), 2);
    java.nio.FloatBuffer dst = java.nio.FloatBuffer.allocate(12);
    for (int i = 0; i < 12; i++) {
      dst.put(i, Float.NaN);
    }
    Stacking.stackInto(List.of(a, b), shape, dst);
    float[] out = new float[12];
    dst.get(0, out);
    assertThat(out).containsExactly(1, 2, 3, 4, 5, 6, 7, 0, 0, 8, 0, 0);
  }

  @Test
  void rejectsMismatchOffThePaddedAxis() {
    FloatTensor a = FloatTensor.zeros(1, 2, 3);
    FloatTensor b = FloatTensor.zeros(1, 3, 3);
    assertThatThrownBy(() -> Stacking.stack(List.of(a, b), 2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Stacking.stack(List.of(a, a), -1).shape()).containsExactly(2, 2, 3);
  }
}
