package dev.hint4j.benchmarks;

import java.util.List;

/** Order statistics of timings. */
final class Stats {
  private Stats() {}

  /** The median; for an even count, the mean of the two middle values. */
  static double median(List<Double> values) {
    double[] a = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (a.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
