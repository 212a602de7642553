package dev.hint4j.internal.decode;

/** Numerically stable log-softmax over one row of logits, in double. */
final class LogProbs {
  private LogProbs() {}

  static double[] of(float[] logits, int offset, int vocab, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      max = Math.max(max, logits[offset + v] / temperature);
    }
    double sum = 0;
    for (int v = 0; v < vocab; v++) {
      sum += Math.exp(logits[offset + v] / temperature - max);
    }
    double logZ = max + Math.log(sum);
    double[] out = new double[vocab];
    for (int v = 0; v < vocab; v++) {
      out[v] = logits[offset + v] / temperature - logZ;
    }
    return out;
  }

  static int argmax(float[] logits, int offset, int vocab) {
    int best = 0;
    for (int v = 1; v < vocab; v++) {
      if (logits[offset + v] > logits[offset + best]) {
        best = v;
      }
    }
    return best;
  }
}
