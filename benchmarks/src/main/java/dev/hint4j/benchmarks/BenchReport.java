package dev.hint4j.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hint4j.HintModel;
import dev.hint4j.cost.CostModel;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Turns JMH JSON results ({@code -rf json}) into the benchmark report: Markdown tables
 * ({@code tables.md}) and PNG charts of measured latency beside the cost model's FLOPs, against
 * instruction length and against the number of few-shot examples.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.BenchReport OUT_DIR RESULT.json...}
 */
public final class BenchReport {
  /** One JMH result row. */
  record Result(String benchmark, Map<String, String> params, double score, double error, String unit) {
    String param(String name) {
      return params.getOrDefault(name, "");
    }

    int intParam(String name) {
      return Integer.parseInt(param(name));
    }
  }

  private BenchReport() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: BenchReport OUT_DIR RESULT.json...");
    }
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    List<Result> results = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      results.addAll(read(Path.of(args[i])));
    }
    StringBuilder md = new StringBuilder();
    for (String model : new TreeSet<>(results.stream().map(r -> r.param("model")).filter(m -> !m.isEmpty()).toList())) {
      if (model.equals(BenchModels.T5_SMALL_NO_KV)) {
        continue; // only in the cache on/off table
      }
      try (HintModel m = BenchModels.open(model)) {
        Workloads w = new Workloads(m);
        perInput(md, results, model, m.costModel(), out);
        fewShot(md, results, model, m.costModel(), k -> w.taskTokens(w.words(FewShotBenchmark.INSTRUCTION_TOKENS, 0), w.examples(k)), out);
      }
    }
    simpleTable(md, results, "MixedBatchBenchmark", "Mixed batch vs per-task batches (8 tasks; time for all inputs)",
        List.of("model", "rowsPerTask"));
    simpleTable(md, results, "InstructionKvBenchmark", "Instruction key/value cache on (t5small) and off (t5small-nokv), HINT",
        List.of("model", "instructionTokens", "batch"));
    simpleTable(md, results, "CompileBenchmark", "compile (hypernetwork, once per task)", List.of("model", "instructionTokens"));
    simpleTable(md, results, "ModuleBenchmark", "TaskModule codec and cache hit (128-token task)", List.of("model", "precision"));
    simpleTable(md, results, "StackingBenchmark", "Preparing a mixed batch's module tensors (8 tasks), fresh direct buffers",
        List.of("model"));
    Files.writeString(out.resolve("tables.md"), md.toString());
    System.out.println(md);
  }

  static List<Result> read(Path json) {
    try {
      JsonArray rows = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
      List<Result> out = new ArrayList<>();
      for (JsonElement e : rows) {
        JsonObject o = e.getAsJsonObject();
        String name = o.get("benchmark").getAsString();
        name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1); // Class.method
        Map<String, String> params = new java.util.LinkedHashMap<>();
        if (o.has("params")) {
          o.getAsJsonObject("params").entrySet().forEach(p -> params.put(p.getKey(), p.getValue().getAsString()));
        }
        JsonObject m = o.getAsJsonObject("primaryMetric");
        double error = m.get("scoreError").isJsonPrimitive() && !m.get("scoreError").getAsString().equals("NaN")
            ? m.get("scoreError").getAsDouble() : Double.NaN;
        out.add(new Result(name, params, m.get("score").getAsDouble(), error, m.get("scoreUnit").getAsString()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JMH results " + json, e);
    }
  }

  private static Optional<Result> find(List<Result> rs, String benchmark, Map<String, String> params) {
    return rs.stream().filter(r -> r.benchmark().equals(benchmark))
        .filter(r -> params.entrySet().stream().allMatch(p -> p.getValue().equals(r.param(p.getKey()))))
        .findFirst();
  }

  private static void perInput(StringBuilder md, List<Result> rs, String model, CostModel cost, Path out) throws IOException {
    String bench = "PerInputBenchmark.generateBatch";
    List<Result> mine = rs.stream().filter(r -> r.benchmark().equals(bench) && r.param("model").equals(model)).toList();
    if (mine.isEmpty()) {
      return;
    }
    int in = Workloads.INPUT_TOKENS;
    int gen = Workloads.OUTPUT_TOKENS;
    TreeSet<Integer> lengths = new TreeSet<>(mine.stream().map(r -> r.intParam("instructionTokens")).toList());
    TreeSet<Integer> batches = new TreeSet<>(mine.stream().map(r -> r.intParam("batch")).toList());
    md.append(String.format("%n### %s: per-input latency by instruction length (ms per input = score / batch)%n%n", model));
    md.append("| instruction tokens | batch | HINT ms | concat ms | HINT / no instruction | concat / HINT | HINT inputs/s | concat inputs/s | GFLOPs HINT | GFLOPs concat |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (int b : batches) {
      Optional<Result> plain = find(mine, bench, Map.of("instructionTokens", "0", "batch", "" + b, "mode", "hint"));
      for (int n : lengths) {
        Optional<Result> h = find(mine, bench, Map.of("instructionTokens", "" + n, "batch", "" + b, "mode", "hint"));
        Optional<Result> c = find(mine, bench, Map.of("instructionTokens", "" + n, "batch", "" + b, "mode", "concat"));
        double hMs = h.map(r -> r.score() / b).orElse(Double.NaN);
        double cMs = c.map(r -> r.score() / b).orElse(Double.NaN);
        double pMs = plain.map(r -> r.score() / b).orElse(Double.NaN);
        long hFlops = n == 0 ? cost.plainPerInputFlops(in, gen) : cost.hintPerInputFlops(n, in, gen);
        long cFlops = n == 0 ? cost.plainPerInputFlops(in, gen) : cost.concatPerInputFlops(n, in, gen);
        md.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s | %s | %.3f | %.3f |%n", n, b, num(hMs), num(cMs),
            ratio(hMs / pMs), ratio(cMs / hMs), num(1000 / hMs), num(1000 / cMs), hFlops / 1e9, cFlops / 1e9));
      }
    }
    int b = batches.first();
    XYSeries hint = new XYSeries("HINT");
    XYSeries concat = new XYSeries("concatenation");
    for (int n : lengths) {
      find(mine, bench, Map.of("instructionTokens", "" + n, "batch", "" + b, "mode", "hint")).ifPresent(r -> hint.add(n, r.score() / b));
      find(mine, bench, Map.of("instructionTokens", "" + n, "batch", "" + b, "mode", "concat")).ifPresent(r -> concat.add(n, r.score() / b));
    }
    chart(out.resolve("latency-vs-instruction-" + model + ".png"),
        model + ": per-input cost by instruction length (batch " + b + ", " + in + " input, " + gen + " output tokens)",
        "instruction tokens", List.of(hint, concat), lengths,
        n -> n == 0 ? cost.plainPerInputFlops(in, gen) : cost.hintPerInputFlops(n, in, gen),
        n -> n == 0 ? cost.plainPerInputFlops(in, gen) : cost.concatPerInputFlops(n, in, gen));
    md.append(String.format("%n![%s latency vs instruction length](results/latency-vs-instruction-%s.png)%n", model, model));
  }

  /** @param taskTokens tokens of FewShotBenchmark's task text with k examples (what the benchmark built) */
  private static void fewShot(StringBuilder md, List<Result> rs, String model, CostModel cost, IntUnaryOperator taskTokens,
      Path out) throws IOException {
    String bench = "FewShotBenchmark.generate";
    List<Result> mine = rs.stream().filter(r -> r.benchmark().equals(bench) && r.param("model").equals(model)).toList();
    if (mine.isEmpty()) {
      return;
    }
    int in = Workloads.INPUT_TOKENS;
    int gen = Workloads.OUTPUT_TOKENS;
    TreeSet<Integer> shots = new TreeSet<>(mine.stream().map(r -> r.intParam("shots")).toList());
    double hint0 = find(mine, bench, Map.of("shots", "0", "mode", "hint")).map(Result::score).orElse(Double.NaN);
    md.append(String.format("%n### %s: per-input latency by number of few-shot examples (32-token instruction + examples)%n%n", model));
    md.append("| examples | task tokens | HINT ms | HINT vs 0 examples | concat ms | concat / HINT | GFLOPs HINT | GFLOPs concat |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    XYSeries hint = new XYSeries("HINT");
    XYSeries concat = new XYSeries("concatenation");
    for (int k : shots) {
      int tokens = taskTokens.applyAsInt(k);
      double h = find(mine, bench, Map.of("shots", "" + k, "mode", "hint")).map(Result::score).orElse(Double.NaN);
      double c = find(mine, bench, Map.of("shots", "" + k, "mode", "concat")).map(Result::score).orElse(Double.NaN);
      hint.add(k, h);
      concat.add(k, c);
      md.append(String.format(Locale.ROOT, "| %d | %d | %s | %+.1f%% | %s | %s | %.3f | %.3f |%n", k, tokens, num(h),
          100 * (h / hint0 - 1), num(c), ratio(c / h), cost.hintPerInputFlops(tokens, in, gen) / 1e9,
          cost.concatPerInputFlops(tokens, in, gen) / 1e9));
    }
    chart(out.resolve("latency-vs-examples-" + model + ".png"),
        model + ": per-input cost by few-shot examples (32-token instruction, 1 input)", "few-shot examples",
        List.of(hint, concat), shots, k -> cost.hintPerInputFlops(taskTokens.applyAsInt(k), in, gen),
        k -> cost.concatPerInputFlops(taskTokens.applyAsInt(k), in, gen));
    md.append(String.format("%n![%s latency vs examples](results/latency-vs-examples-%s.png)%n", model, model));
  }

  private static void simpleTable(StringBuilder md, List<Result> rs, String benchClass, String title, List<String> keys) {
    List<Result> mine = rs.stream().filter(r -> r.benchmark().startsWith(benchClass + ".")).sorted(Comparator
        .comparing((Result r) -> keys.stream().map(r::param).toList().toString()).thenComparing(Result::benchmark)).toList();
    if (mine.isEmpty()) {
      return;
    }
    md.append(String.format("%n### %s%n%n| benchmark | %s | score | ± error (99.9%%) | unit |%n|---|%s---|---|---|%n", title,
        String.join(" | ", keys), "---|".repeat(keys.size())));
    for (Result r : mine) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r.benchmark().substring(benchClass.length() + 1),
          String.join(" | ", keys.stream().map(r::param).toList()), num(r.score()), num(r.error()), r.unit()));
    }
  }

  private static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "–";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
  }

  private static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
  }

  /** Two panels on one x axis: measured ms per input on top, the cost model's GFLOPs per input below. */
  private static void chart(Path file, String title, String xLabel, List<XYSeries> measured, TreeSet<Integer> xs,
      IntToLongFunction hintFlops, IntToLongFunction concatFlops) throws IOException {
    XYSeriesCollection top = new XYSeriesCollection();
    measured.forEach(top::addSeries);
    XYSeries hf = new XYSeries("HINT (cost model)");
    XYSeries cf = new XYSeries("concatenation (cost model)");
    for (int x : xs) {
      hf.add(x, hintFlops.applyAsLong(x) / 1e9);
      cf.add(x, concatFlops.applyAsLong(x) / 1e9);
    }
    XYSeriesCollection bottom = new XYSeriesCollection();
    bottom.addSeries(hf);
    bottom.addSeries(cf);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis(xLabel));
    plot.add(new XYPlot(top, null, new NumberAxis("measured ms per input"), renderer()), 3);
    plot.add(new XYPlot(bottom, null, new NumberAxis("GFLOPs per input"), renderer()), 2);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 620);
  }

  private static XYLineAndShapeRenderer renderer() {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, new Color(0x1f77b4));
    r.setSeriesPaint(1, new Color(0xd62728));
    r.setSeriesStroke(0, new BasicStroke(2f));
    r.setSeriesStroke(1, new BasicStroke(2f));
    return r;
  }
}
