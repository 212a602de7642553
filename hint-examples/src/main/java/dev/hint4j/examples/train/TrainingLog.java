package dev.hint4j.examples.train;

import dev.hint4j.internal.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A training run's log, kept beside its checkpoint as CSV: one row per evaluation. A resumed run
 * continues the same log; rows past the checkpoint's step (written after the last checkpoint of
 * an interrupted run) are dropped, so the log matches the state that is resumed. The whole file is
 * rewritten atomically on every append (it is small), and can be drawn as a PNG curve.
 */
final class TrainingLog {
  static final String HEADER = "step,train_loss,heldout_loss,heldout_exact_match,tokens_per_s,examples_per_s,lr,padding_efficiency,elapsed_s";

  /** One evaluation point; train loss is the mean over the steps since the previous row. */
  record Row(int step, double trainLoss, double heldOutLoss, double heldOutExactMatch, double tokensPerSecond,
      double examplesPerSecond, double lr, double paddingEfficiency, double elapsedSeconds) {
    String csv() {
      return String.format(Locale.ROOT, "%d,%.5f,%.5f,%.4f,%.1f,%.2f,%.6g,%.4f,%.1f", step, trainLoss, heldOutLoss,
          heldOutExactMatch, tokensPerSecond, examplesPerSecond, lr, paddingEfficiency, elapsedSeconds);
    }

    static Row parse(String line) {
      String[] f = line.split(",");
      if (f.length != 9) {
        throw new IllegalArgumentException("a training log row has 9 fields: " + line);
      }
      return new Row(Integer.parseInt(f[0]), d(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]), d(f[7]), d(f[8]));
    }

    private static double d(String s) {
      return Double.parseDouble(s);
    }
  }

  private final Path file;
  private final List<Row> rows = new ArrayList<>();

  /** Opens {@code file}, keeping the rows up to {@code resumedStep} (0 for a fresh run: none). */
  TrainingLog(Path file, int resumedStep) {
    this.file = file;
    if (resumedStep > 0 && Files.exists(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank() && !line.startsWith("step,")) {
            Row r = Row.parse(line);
            if (r.step() <= resumedStep) {
              rows.add(r);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the training log " + file, e);
      }
    }
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Elapsed training seconds of the rows kept (a resumed run adds its own time to this). */
  double elapsedSeconds() {
    return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).elapsedSeconds();
  }

  void append(Row r) {
    rows.add(r);
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    rows.forEach(x -> sb.append(x.csv()).append('\n'));
    AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Loss curves (left axis, log scale) and held-out exact match (right axis) against the step. */
  void plot(Path png, String title) {
    System.setProperty("java.awt.headless", "true");
    XYSeries train = new XYSeries("train loss");
    XYSeries heldOut = new XYSeries("held-out loss");
    XYSeries exact = new XYSeries("held-out exact match");
    for (Row r : rows) {
      train.add(r.step(), Math.max(1e-4, r.trainLoss()));
      heldOut.add(r.step(), Math.max(1e-4, r.heldOutLoss()));
      exact.add(r.step(), r.heldOutExactMatch());
    }
    XYSeriesCollection losses = new XYSeriesCollection();
    losses.addSeries(train);
    losses.addSeries(heldOut);
    org.jfree.chart.axis.LogAxis lossAxis = new org.jfree.chart.axis.LogAxis("loss per target token");
    XYPlot plot = new XYPlot(losses, new NumberAxis("step"), lossAxis, new XYLineAndShapeRenderer(true, false));
    NumberAxis exactAxis = new NumberAxis("held-out exact match");
    exactAxis.setRange(0, 1);
    plot.setRangeAxis(1, exactAxis);
    plot.setDataset(1, new XYSeriesCollection(exact));
    plot.mapDatasetToRangeAxis(1, 1);
    XYLineAndShapeRenderer exactRenderer = new XYLineAndShapeRenderer(true, true);
    exactRenderer.setSeriesPaint(0, new Color(0, 130, 0));
    exactRenderer.setSeriesStroke(0, new BasicStroke(2f));
    plot.setRenderer(1, exactRenderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(bytes, chart, 1000, 500);
      AtomicFiles.write(png, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
