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

  /**
   * T5's bucketing (transformers' {@code _relative_position_bucket}, r = memory − query) worked by
   * hand for 32 buckets and max distance 128, away from rounding boundaries. Bidirectional: 16
   * buckets per side, exact below 8, then 8 + ⌊log(n/8)/log(16)·8⌋, later keys on the upper side.
   * Unidirectional: only earlier keys count, exact below 16, then 16 + ⌊log(n/16)/log(8)·16⌋.
   */
  @Test
  void matchesT5BucketsWorkedByHand() {
    int[][] bidirectional = {{0, 0}, {-1, 1}, {1, 17}, {-7, 7}, {-20, 10}, {-100, 15}, {50, 29}, {-1000, 15}, {1000, 31}};
    for (int[] c : bidirectional) {
      assertThat(RelativePositionBias.bucket(Math.max(-128, Math.min(128, c[0])), true, 32, 128)).as("r=%d", c[0]).isEqualTo(c[1]);
    }
    int[][] causal = {{0, 0}, {-3, 3}, {3, 0}, {-40, 23}, {-100, 30}, {-128, 31}};
    for (int[] c : causal) {
      assertThat(RelativePositionBias.bucket(c[0], false, 32, 128)).as("r=%d", c[0]).isEqualTo(c[1]);
    }
  }
}
