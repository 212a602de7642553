package dev.hint4j.onnx.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.onnx.reference.ReferenceHint;
import org.junit.jupiter.api.Test;

class RelativePositionBiasTest {
  /** The graphs' bucket table (clamped at ±maxDistance) agrees with the reference for every offset. */
  @Test
  void tableAgreesWithReferenceEverywhere() {
    for (int buckets : new int[] {16, 32}) {
      for (int maxDistance : new int[] {32, 128}) {
        for (int r = -3 * maxDistance; r <= 3 * maxDistance; r++) {
          int clamped = Math.max(-maxDistance, Math.min(maxDistance, r));
          for (boolean bidirectional : new boolean[] {true, false}) {
            assertThat(RelativePositionBias.bucket(clamped, bidirectional, buckets, maxDistance))
                .as("r=%d buckets=%d max=%d bi=%s", r, buckets, maxDistance, bidirectional)
                .isEqualTo(ReferenceHint.relativeBucket(r, bidirectional, buckets, maxDistance));
          }
        }
      }
    }
  }
}
