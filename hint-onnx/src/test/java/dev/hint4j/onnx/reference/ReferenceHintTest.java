package dev.hint4j.onnx.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reference's own building blocks against values worked out by hand. */
class ReferenceHintTest {
  @Test
  void bidirectionalBucketsOfT5() {
    // 32 buckets, max distance 128: 16 per direction, exact below 8, then logarithmic up to 128.
    assertThat(ReferenceHint.relativeBucket(0, true, 32, 128)).isEqualTo(0);
    assertThat(ReferenceHint.relativeBucket(-1, true, 32, 128)).isEqualTo(1);
    assertThat(ReferenceHint.relativeBucket(1, true, 32, 128)).isEqualTo(17);
    assertThat(ReferenceHint.relativeBucket(-7, true, 32, 128)).isEqualTo(7);
    assertThat(ReferenceHint.relativeBucket(-8, true, 32, 128)).isEqualTo(8);      // 8 + log(1)/log(16)·8 = 8
    assertThat(ReferenceHint.relativeBucket(-20, true, 32, 128)).isEqualTo(10);    // 8 + ⌊log(2.5)/log(16)·8 = 2.64⌋
    assertThat(ReferenceHint.relativeBucket(-200, true, 32, 128)).isEqualTo(15);   // 8 + 9 capped at 15
    assertThat(ReferenceHint.relativeBucket(200, true, 32, 128)).isEqualTo(31);
  }

  @Test
  void causalBucketsOfT5() {
    // 32 buckets, exact below 16, only the past counts.
    assertThat(ReferenceHint.relativeBucket(1, false, 32, 128)).isEqualTo(0);
    assertThat(ReferenceHint.relativeBucket(-1, false, 32, 128)).isEqualTo(1);
    assertThat(ReferenceHint.relativeBucket(-20, false, 32, 128)).isEqualTo(17);   // 16 + ⌊log(1.25)/log(8)·16 = 1.72⌋
    assertThat(ReferenceHint.relativeBucket(-200, false, 32, 128)).isEqualTo(31);  // 16 + 19 capped at 31
  }

  @Test
  void geluIsTheTanhApproximation() {
    assertThat(ReferenceHint.gelu(0)).isEqualTo(0.0);
    // gelu(1) = 0.5·(1 + tanh(sqrt(2/π)·1.044715)) = 0.841192
    assertThat(ReferenceHint.gelu(1)).isCloseTo(0.841192, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(ReferenceHint.gelu(-10)).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
  }
}
