package dev.hint4j.internal.decode;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/** Draws a token from temperature-scaled logits restricted to the top-k and the top-p mass. */
final class Sampler {
  private final double temperature;
  private final int topK;
  private final double topP;
  private final SplittableRandom random;

  Sampler(double temperature, int topK, double topP, long seed) {
    this.temperature = temperature;
    this.topK = topK;
    this.topP = topP;
    this.random = new SplittableRandom(seed);
  }

  int sample(float[] logits, int offset, int vocab) {
    double[] logp = LogProbs.of(logits, offset, vocab, temperature);
    Integer[] order = new Integer[vocab];
    for (int i = 0; i < vocab; i++) {
      order[i] = i;
    }
    // Stable sort: ties keep ascending id order, so draws are reproducible.
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logp[i]));
    int keep = topK > 0 ? Math.min(topK, vocab) : vocab;
    double mass = 0;
    int n = 0;
    while (n < keep) {
      mass += Math.exp(logp[order[n]]);
      n++;
      if (mass >= topP) {
        break;
      }
    }
    double u = random.nextDouble() * mass;
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += Math.exp(logp[order[i]]);
      if (u < acc) {
        return order[i];
      }
    }
    return order[n - 1];
  }
}
