package dev.hint4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void rejectsMismatchOffThePaddedAxis() {
    FloatTensor a = FloatTensor.zeros(1, 2, 3);
    FloatTensor b = FloatTensor.zeros(1, 3, 3);
    assertThatThrownBy(() -> Stacking.stack(List.of(a, b), 2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Stacking.stack(List.of(a, a), -1).shape()).containsExactly(2, 2, 3);
  }
}
