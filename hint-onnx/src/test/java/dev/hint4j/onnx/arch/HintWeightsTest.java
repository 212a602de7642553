package dev.hint4j.onnx.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.HintConfig;
import org.junit.jupiter.api.Test;

class HintWeightsTest {
  @Test
  void initialPositionBiasesMakeTwoHeadsPreferNeighbours() {
    HintConfig c = HintConfig.small(300);
    HintWeights w = HintWeights.random(c, 7);
    int heads = c.numHeads();
    float[] enc = w.get("encoder.rel_bias").toArray();
    float[] dec = w.get("decoder.rel_bias").toArray();
    int prev = RelativePositionBias.bucket(-1, true, c.relativeBuckets(), c.relativeMaxDistance());
    int next = RelativePositionBias.bucket(1, true, c.relativeBuckets(), c.relativeMaxDistance());
    int causalPrev = RelativePositionBias.bucket(-1, false, c.relativeBuckets(), c.relativeMaxDistance());
    int self = RelativePositionBias.bucket(0, false, c.relativeBuckets(), c.relativeMaxDistance());
    // Noise is N(0, 0.1²): 1 nat is 10 standard deviations, so the preferred buckets stand out
    // and no other entry comes near them.
    assertThat(enc[prev * heads]).isGreaterThan(3f);
    assertThat(enc[next * heads + 1]).isGreaterThan(3f);
    assertThat(dec[causalPrev * heads]).isGreaterThan(3f);
    assertThat(dec[self * heads + 1]).isGreaterThan(3f);
    long strong = 0;
    for (float[] t : new float[][] {enc, dec}) {
      for (float v : t) {
        strong += Math.abs(v) > 1f ? 1 : 0;
      }
    }
    assertThat(strong).isEqualTo(4);
  }
}
