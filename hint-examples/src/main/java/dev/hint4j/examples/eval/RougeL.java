package dev.hint4j.examples.eval;

/** ROUGE-L F1 over characters: the longest common subsequence, as precision/recall harmonic mean. */
final class RougeL {
  private RougeL() {}

  static double f1(String prediction, String reference) {
    if (prediction.isEmpty() || reference.isEmpty()) {
      return prediction.equals(reference) ? 1.0 : 0.0;
    }
    int[][] lcs = new int[prediction.length() + 1][reference.length() + 1];
    for (int i = 1; i <= prediction.length(); i++) {
      for (int j = 1; j <= reference.length(); j++) {
        lcs[i][j] = prediction.charAt(i - 1) == reference.charAt(j - 1) ? lcs[i - 1][j - 1] + 1
            : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
      }
    }
    double l = lcs[prediction.length()][reference.length()];
    if (l == 0) {
      return 0;
    }
    double p = l / prediction.length();
    double r = l / reference.length();
    return 2 * p * r / (p + r);
  }
}
