package dev.hint4j.examples.train;

import java.io.PrintStream;
import java.time.Duration;

/** One self-overwriting status line: bar, step, loss, tokens per second, ETA. */
final class ProgressBar {
  private final PrintStream out;
  private final int total;
  private final long startNanos = System.nanoTime();
  private final int startStep;
  private long tokens;

  ProgressBar(PrintStream out, int startStep, int total) {
    this.out = out;
    this.total = total;
    this.startStep = startStep;
  }

  void update(int step, double loss, long stepTokens) {
    tokens += stepTokens;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    int done = step - startStep;
    double perStep = done > 0 ? seconds / done : 0;
    long eta = (long) (perStep * (total - step));
    int width = 30;
    int filled = (int) (width * (double) step / total);
    String bar = "=".repeat(filled) + (filled < width ? ">" : "") + " ".repeat(Math.max(0, width - filled - 1));
    out.printf("\r[%s] step %d/%d  loss %.4f  %,.0f tok/s  ETA %s   ", bar, step, total, loss,
        seconds > 0 ? tokens / seconds : 0.0, format(Duration.ofSeconds(eta)));
    out.flush();
  }

  double tokensPerSecond() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return seconds > 0 ? tokens / seconds : 0;
  }

  private static String format(Duration d) {
    return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }
}
