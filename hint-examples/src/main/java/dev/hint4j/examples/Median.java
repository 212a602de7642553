package dev.hint4j.examples;

import java.util.Collection;

/** The median of timings, one definition for every command that prints one. */
public final class Median {
  private Median() {}

  /** The middle value; for an even count, the mean of the two middle values. */
  public static double of(Collection<Double> values) {
    double[] a = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (a.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
