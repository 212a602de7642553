package dev.hint4j.examples.eval;

import dev.hint4j.examples.suite.Split;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/** Renders evaluation rows as a Markdown table, CSV and a grouped bar chart (PNG). */
final class Report {
  private Report() {}

  static String markdown(List<EvalCli.Row> rows, int perSplit) {
    StringBuilder sb = new StringBuilder();
    sb.append("| model |");
    for (Split s : EvalCli.SPLITS) {
      sb.append(' ').append(name(s)).append(" EM / RL |");
    }
    sb.append(" per-input GFLOPs | compile GFLOPs | per-input latency ms | latency / no instruction |\n|---|");
    sb.append("---|".repeat(EvalCli.SPLITS.size() + 4)).append('\n');
    double plainMs = rows.get(0).latencyMs();
    for (EvalCli.Row r : rows) {
      sb.append("| ").append(r.name()).append(" |");
      for (Split s : EvalCli.SPLITS) {
        double[] v = r.scores().get(s);
        sb.append(String.format(" %.1f / %.1f |", v[0], v[1]));
      }
      sb.append(String.format(" %.4f | %.4f | %.2f | %.2f |%n", r.inputGflops(), r.compileGflops(), r.latencyMs(),
          r.latencyMs() / plainMs));
    }
    sb.append("\n").append(perSplit).append(" examples per split; EM = exact match (%), RL = ROUGE-L F1 over characters (%);")
        .append(" latency = median time of scoring the reference answer (same decoding work in every row),")
        .append(" ratio to the first row.\n");
    return sb.toString();
  }

  /** Exact matches per row, split and task family (which families a model solves). */
  static String familiesCsv(List<EvalCli.Row> rows) {
    StringBuilder sb = new StringBuilder("model,split,family,right,asked\n");
    for (EvalCli.Row r : rows) {
      r.families().forEach((key, t) -> {
        String[] sf = key.split("/", 2);
        sb.append(String.format("%s,%s,%s,%d,%d%n", r.name(), sf[0], sf[1], t[0], t[1]));
      });
    }
    return sb.toString();
  }

  static String csv(List<EvalCli.Row> rows) {
    StringBuilder sb = new StringBuilder("model,split,exact_match,rouge_l,input_gflops,compile_gflops,latency_ms\n");
    for (EvalCli.Row r : rows) {
      for (Split s : EvalCli.SPLITS) {
        double[] v = r.scores().get(s);
        sb.append(String.format("%s,%s,%.2f,%.2f,%.6f,%.6f,%.3f%n", r.name(), s, v[0], v[1], r.inputGflops(),
            r.compileGflops(), r.latencyMs()));
      }
    }
    return sb.toString();
  }

  static void chart(List<EvalCli.Row> rows, Path png) {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (EvalCli.Row r : rows) {
      for (Split s : EvalCli.SPLITS) {
        data.addValue(r.scores().get(s)[0], r.name(), name(s));
      }
    }
    JFreeChart chart = ChartFactory.createBarChart("Exact match by held-out split", "split", "exact match (%)", data,
        PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.GRAY);
    chart.getCategoryPlot().getRangeAxis().setRange(0, 100);
    chart.getCategoryPlot().getDomainAxis().setMaximumCategoryLabelLines(2); // "held-out templates" etc. were cut to "held-o..."
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(bytes, chart, 1000, 500);
      dev.hint4j.internal.io.AtomicFiles.write(png, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Split s) {
    return s.name().toLowerCase().replace("held_out_", "held-out ").replace('_', '-');
  }
}
