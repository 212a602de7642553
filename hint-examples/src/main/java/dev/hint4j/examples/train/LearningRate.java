package dev.hint4j.examples.train;

/** Linear warm-up to the peak, then cosine decay to {@code floor}·peak at the last step. */
public record LearningRate(double peak, int warmupSteps, int totalSteps, double floor) {
  public double at(int step) {
    if (step <= warmupSteps) {
      return peak * step / Math.max(1, warmupSteps);
    }
    double progress = Math.min(1.0, (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps));
    return peak * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
