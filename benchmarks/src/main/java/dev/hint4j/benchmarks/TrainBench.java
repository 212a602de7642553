package dev.hint4j.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hint4j.HintConfig;
import dev.hint4j.PromptFormat;
import dev.hint4j.cost.CostModel;
import dev.hint4j.examples.Median;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.SuiteExample;
import dev.hint4j.examples.train.SuiteBatches;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.graph.OnnxModelWriter;
import dev.hint4j.onnx.train.TrainStepGraphs;
import dev.hint4j.onnx.train.TrainingBatch;
import dev.hint4j.onnx.train.TrainingSpec;
import dev.hint4j.tensor.FloatTensor;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Training throughput against this machine's GEMM peak, in one process (about a minute per
 * configuration): for the demo config (d=128) and a d=256 config, the train-step graph runs on
 * batches of the instruction suite and reports examples/s, tokens/s and useful GFLOP/s (the cost
 * model's matrix-product FLOPs of the unpadded batch, forward ×3 for forward + backward), over the
 * GFLOP/s of one large ONNX Runtime MatMul measured in the same run; then the top op types by
 * kernel time from ONNX Runtime's profiler.
 *
 * <p>The step graph is run directly on a session (parameters and moments fed, outputs dropped),
 * the same computation {@code Trainer} runs minus its state swap, so the same bench measures any
 * version of the graphs. Layouts: {@code ungrouped} (one instruction per row, batches sorted by
 * total length within chunks of eight, as training did before task grouping), {@code grouped}
 * (TrainCli's batches: K inputs per task, {@link SuiteBatches}) and {@code concat} (the baseline:
 * instruction inside the input, no hypernetwork, batched like {@code ungrouped}).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.TrainBench [--seconds 20] [--layouts grouped,ungrouped,concat] [--per-task 8] [--profile true]}
 */
public final class TrainBench {
  private TrainBench() {}

  record Result(String name, double examplesPerSecond, double tokensPerSecond, double gflops, double ofPeak,
      double paddingEfficiency, double medianStepMs) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "20"));
    List<String> layouts = List.of(a.getOrDefault("layouts", "grouped,ungrouped,concat").split(","));
    int perTask = Integer.parseInt(a.getOrDefault("per-task", "8"));
    boolean profile = Boolean.parseBoolean(a.getOrDefault("profile", "true"));
    int batch = 32;

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    double peak = gemmPeak(env);
    System.out.printf("GEMM peak (ONNX Runtime MatMul 2048x1024x1024, default threads): %.1f GFLOP/s%n", peak);
    CharWordTokenizerJson vocab = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    InstructionSuite suite = InstructionSuite.standard();
    Map<String, HintConfig> configs = new LinkedHashMap<>();
    configs.put("d128", HintConfig.small(vocab.vocabSize()));
    configs.put("d256", HintConfig.medium(vocab.vocabSize()));
    List<Result> results = new ArrayList<>();
    try (HintTokenizer tok = HintTokenizer.load(new ByteArrayInputStream(vocab.toJson().getBytes(StandardCharsets.UTF_8)), 2048)) {
      for (Map.Entry<String, HintConfig> c : configs.entrySet()) {
        for (String layout : layouts) {
          List<Batch> batches = batches(suite, tok, layout, batch, perTask, 16);
          Result r = run(env, c.getKey() + " " + layout, c.getValue(), layout.equals("concat"), batches, seconds, peak,
              profile && layout.equals(layouts.get(0)));
          results.add(r);
        }
      }
    }
    System.out.println();
    System.out.println("| config | examples/s | tokens/s | useful GFLOP/s | of GEMM peak | padding efficiency | median step ms |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Result r : results) {
      System.out.printf("| %s | %.1f | %,.0f | %.1f | %.0f %% | %.2f | %.1f |%n", r.name(), r.examplesPerSecond(), r.tokensPerSecond(),
          r.gflops(), 100 * r.ofPeak(), r.paddingEfficiency(), r.medianStepMs());
    }
    StringBuilder last = new StringBuilder("train-bench:");
    String first = layouts.get(0);
    for (Result r : results) {
      if (r.name().endsWith(" " + first)) {
        last.append(last.length() > 12 ? ";" : "").append(String.format(" %s %.1f examples/s, %.1f GFLOP/s = %.2f of peak",
            r.name().split(" ")[0], r.examplesPerSecond(), r.gflops(), r.ofPeak()));
      }
    }
    System.out.println(last + " (" + first + ", peak " + String.format("%.1f", peak) + " GFLOP/s)");
  }

  /** One step's tensors and what it is worth: rows, tokens read, useful FLOPs, padding efficiency. */
  record Batch(List<long[]> instructions, int[] taskOfRow, List<long[]> inputs, List<long[]> targets) {
    int rows() {
      return inputs.size();
    }

    long tokens() {
      long n = 0;
      for (long[] x : inputs) {
        n += x.length;
      }
      for (long[] x : targets) {
        n += x.length;
      }
      if (instructions != null) {
        for (long[] x : instructions) {
          n += x.length;
        }
      }
      return n;
    }

    double usefulFlops(CostModel cost) {
      double f = 0;
      if (instructions == null) {
        for (int i = 0; i < rows(); i++) {
          f += cost.concatPerInputFlops(0, inputs.get(i).length, targets.get(i).length);
        }
      } else {
        for (long[] ins : instructions) {
          f += cost.compileFlops(ins.length);
        }
        for (int i = 0; i < rows(); i++) {
          f += cost.hintPerInputFlops(instructions.get(taskOfRow[i]).length, inputs.get(i).length, targets.get(i).length);
        }
      }
      return 3 * f; // backward of a matrix product is two products of the same size
    }

    double paddingEfficiency() {
      long real = 0;
      long padded = 0;
      for (List<long[]> part : instructions == null ? List.of(inputs, targets) : List.of(instructions, inputs, targets)) {
        int w = part.stream().mapToInt(x -> x.length).max().orElse(0);
        for (long[] x : part) {
          real += x.length;
          padded += w;
        }
      }
      return (double) real / padded;
    }
  }

  static List<Batch> batches(InstructionSuite suite, HintTokenizer tok, String layout, int batch, int perTask, int count) {
    SplittableRandom r = new SplittableRandom(17);
    record Row(long[] instruction, long[] input, long[] target) {
      int length() {
        return (instruction == null ? 0 : instruction.length) + input.length + target.length;
      }
    }
    List<Batch> out = new ArrayList<>();
    if (layout.equals("grouped")) { // what TrainCli trains on
      SuiteBatches data = new SuiteBatches(suite, tok, true, batch, perTask, 17);
      for (int step = 1; step <= count; step++) {
        TrainingBatch b = data.batch(step);
        out.add(new Batch(b.instructionIds(), b.taskOfRow(), b.inputIds(), b.targetIds()));
      }
      return out;
    }
    boolean concat = layout.equals("concat");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count * batch; i++) {
      SuiteExample e = suite.sample(Split.TRAIN, 0, r);
      rows.add(concat
          ? new Row(null, tok.encodeTruncating(PromptFormat.concatenated(e.instruction(), e.examples(), e.input())), tok.encodeTruncating(e.output()))
          : new Row(tok.encodeTruncating(PromptFormat.taskText(e.instruction(), e.examples())), tok.encodeTruncating(e.input()),
              tok.encodeTruncating(e.output())));
    }
    for (int chunk = 0; chunk < rows.size(); chunk += 8 * batch) { // today's sort: total length within chunks of 8 batches
      rows.subList(chunk, Math.min(rows.size(), chunk + 8 * batch)).sort(Comparator.comparingInt(Row::length));
    }
    for (int i = 0; i < rows.size(); i += batch) {
      List<Row> part = rows.subList(i, i + batch);
      int[] identity = new int[batch];
      for (int k = 0; k < batch; k++) {
        identity[k] = k;
      }
      out.add(new Batch(concat ? null : part.stream().map(Row::instruction).toList(), concat ? null : identity,
          part.stream().map(Row::input).toList(), part.stream().map(Row::target).toList()));
    }
    return out;
  }

  static Result run(OrtEnvironment env, String name, HintConfig c, boolean concat, List<Batch> batches, double seconds,
      double peak, boolean profile) throws Exception {
    TrainingSpec spec = TrainingSpec.defaults(c, !concat, TrainingSpec.Scope.ALL);
    HintWeights w = HintWeights.random(c, 1);
    Map<String, OnnxTensor> state = new HashMap<>();
    for (Map.Entry<String, FloatTensor> e : w.asMap().entrySet()) {
      state.put(e.getKey(), floats(env, e.getValue().toArray(), e.getValue().shape()));
    }
    for (String p : spec.trainable()) {
      FloatTensor zeros = FloatTensor.zeros(w.get(p).shape());
      state.put("m/" + p, floats(env, zeros.toArray(), zeros.shape()));
      state.put("v/" + p, floats(env, zeros.toArray(), zeros.shape()));
    }
    state.put("lr", floats(env, new float[] {1e-3f}, new long[0]));
    state.put("step", floats(env, new float[] {1f}, new long[0]));
    byte[] model = OnnxModelWriter.toModel(TrainStepGraphs.trainStep(spec), Map.of()).toByteArray();
    CostModel cost = new CostModel(c);
    List<Double> ms = new ArrayList<>();
    double examples = 0;
    double tokens = 0;
    double flops = 0;
    double padding = 0;
    double busy = 0;
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession s = env.createSession(model, so)) {
        for (int i = 0; i < 3; i++) {
          step(env, s, state, c, batches.get(i % batches.size()));
        }
        int i = 0;
        while (busy < seconds) {
          Batch b = batches.get(i++ % batches.size());
          long t0 = System.nanoTime();
          step(env, s, state, c, b);
          double dt = (System.nanoTime() - t0) / 1e9;
          busy += dt;
          ms.add(dt * 1e3);
          examples += b.rows();
          tokens += b.tokens();
          flops += b.usefulFlops(cost);
          padding += b.paddingEfficiency();
        }
      }
      if (profile) {
        profile(env, model, state, c, batches, name);
      }
    } finally {
      state.values().forEach(OnnxTensor::close);
    }
    double gflops = flops / busy / 1e9;
    Result r = new Result(name, examples / busy, tokens / busy, gflops, gflops / peak, padding / ms.size(), Median.of(ms));
    System.out.printf("%s: %d steps, %.1f examples/s, %,.0f tokens/s, %.1f useful GFLOP/s (%.0f %% of peak), padding efficiency %.2f%n",
        name, ms.size(), r.examplesPerSecond(), r.tokensPerSecond(), gflops, 100 * r.ofPeak(), r.paddingEfficiency());
    return r;
  }

  private static void step(OrtEnvironment env, OrtSession s, Map<String, OnnxTensor> state, HintConfig c, Batch b) throws OrtException {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    List<OnnxTensor> made = new ArrayList<>();
    try {
      for (String name : s.getInputNames()) {
        OnnxTensor t = state.get(name);
        if (t != null) {
          feeds.put(name, t);
        }
      }
      if (b.instructions() != null) {
        padded(env, feeds, made, "instruction", b.instructions(), c.padId());
        if (s.getInputNames().contains("task_index")) {
          long[] idx = new long[b.rows()];
          for (int i = 0; i < idx.length; i++) {
            idx[i] = b.taskOfRow()[i];
          }
          put(feeds, made, "task_index", OnnxTensor.createTensor(env, LongBuffer.wrap(idx), new long[] {idx.length}));
        }
      }
      padded(env, feeds, made, "input", b.inputs(), c.padId());
      List<long[]> shifted = new ArrayList<>();
      for (long[] t : b.targets()) {
        long[] x = new long[t.length];
        x[0] = c.decoderStartId();
        System.arraycopy(t, 0, x, 1, t.length - 1);
        shifted.add(x);
      }
      padded(env, feeds, made, "decoder_input", shifted, c.padId());
      padded(env, feeds, made, "label", b.targets(), c.padId());
      feeds.put("labels", feeds.remove("label_ids"));
      feeds.keySet().retainAll(s.getInputNames()); // decoder_input_mask is not an input
      try (OrtSession.Result r = s.run(feeds)) {
        // outputs dropped: the bench measures the step, not the optimizer's trajectory
      }
    } finally {
      made.forEach(OnnxTensor::close);
    }
  }

  /** Adds NAME_ids and NAME_mask (padded rows) to the feeds. */
  private static void padded(OrtEnvironment env, Map<String, OnnxTensor> feeds, List<OnnxTensor> made, String name, List<long[]> rows,
      long pad) throws OrtException {
    int w = rows.stream().mapToInt(x -> x.length).max().orElse(0);
    long[] ids = new long[rows.size() * w];
    float[] mask = new float[ids.length];
    java.util.Arrays.fill(ids, pad);
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, ids, i * w, rows.get(i).length);
      java.util.Arrays.fill(mask, i * w, i * w + rows.get(i).length, 1f);
    }
    long[] shape = {rows.size(), w};
    put(feeds, made, name + "_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
    put(feeds, made, name + "_mask", OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), shape));
  }

  private static void put(Map<String, OnnxTensor> feeds, List<OnnxTensor> made, String name, OnnxTensor t) {
    feeds.put(name, t);
    made.add(t);
  }

  private static OnnxTensor floats(OrtEnvironment env, float[] v, long[] shape) throws OrtException {
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocateDirect(Math.max(4, v.length * 4)).order(java.nio.ByteOrder.nativeOrder());
    bb.asFloatBuffer().put(v);
    return OnnxTensor.createTensor(env, bb.asFloatBuffer(), shape);
  }

  /** GFLOP/s of one compute-bound MatMul, median of 15 runs after 3 warm-ups. */
  static double gemmPeak(OrtEnvironment env) throws Exception {
    dev.hint4j.onnx.graph.Graph g = new dev.hint4j.onnx.graph.Graph("gemm_peak");
    dev.hint4j.onnx.graph.Value x = g.input("a", dev.hint4j.onnx.graph.DType.FLOAT, 2048L, 1024L);
    dev.hint4j.onnx.graph.Value y = g.input("b", dev.hint4j.onnx.graph.DType.FLOAT, 1024L, 1024L);
    g.output("c", dev.hint4j.onnx.graph.Ops.matMul(x, y));
    float[] av = new float[2048 * 1024];
    float[] bv = new float[1024 * 1024];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < av.length; i++) {
      av[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < bv.length; i++) {
      bv[i] = (float) r.nextGaussian();
    }
    List<Double> gflops = new ArrayList<>();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession s = env.createSession(OnnxModelWriter.toModel(g, Map.of()).toByteArray(), so);
        OnnxTensor ta = floats(env, av, new long[] {2048, 1024});
        OnnxTensor tb = floats(env, bv, new long[] {1024, 1024})) {
      for (int i = 0; i < 18; i++) {
        long t0 = System.nanoTime();
        try (OrtSession.Result res = s.run(Map.of("a", ta, "b", tb))) {
          double dt = (System.nanoTime() - t0) / 1e9;
          if (i >= 3) {
            gflops.add(2.0 * 2048 * 1024 * 1024 / dt / 1e9);
          }
        }
      }
    }
    return Median.of(gflops);
  }

  /** Eight profiled steps; prints the op types with the most kernel time. */
  static void profile(OrtEnvironment env, byte[] model, Map<String, OnnxTensor> state, HintConfig c, List<Batch> batches, String name)
      throws Exception {
    Path dir = Files.createTempDirectory("trainbench-profile");
    String file;
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.enableProfiling(dir.resolve("train").toString());
      try (OrtSession s = env.createSession(model, so)) {
        for (int i = 0; i < 8; i++) {
          step(env, s, state, c, batches.get(i % batches.size()));
        }
        file = s.endProfiling();
      }
    }
    Map<String, Double> byOp = new TreeMap<>();
    Map<String, Integer> countByOp = new TreeMap<>();
    Map<String, Double> byNode = new TreeMap<>();
    Map<String, Double> byStage = new TreeMap<>();
    double total = 0;
    JsonArray events = JsonParser.parseString(Files.readString(Path.of(file))).getAsJsonArray();
    for (JsonElement el : events) {
      JsonObject e = el.getAsJsonObject();
      if (!"Node".equals(e.has("cat") ? e.get("cat").getAsString() : "") || !e.get("name").getAsString().endsWith("_kernel_time")) {
        continue;
      }
      String op = e.getAsJsonObject("args").get("op_name").getAsString();
      double us = e.get("dur").getAsDouble();
      byOp.merge(op, us, Double::sum);
      String node = e.get("name").getAsString().replace("_kernel_time", "");
      byNode.merge(node + " (" + op + ")", us, Double::sum);
      byStage.merge(node.startsWith("optimizer/") ? "optimizer" : node.startsWith("backward/") ? "backward" : "forward", us, Double::sum);
      countByOp.merge(op, 1, Integer::sum);
      total += us;
    }
    List<Map.Entry<String, Double>> top = new ArrayList<>(byOp.entrySet());
    top.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    System.out.printf("%s profile (8 steps): %,d kernels per step; top op types by kernel time:%n", name,
        countByOp.values().stream().mapToInt(Integer::intValue).sum() / 8);
    StringBuilder stages = new StringBuilder("  kernel time by stage:");
    for (Map.Entry<String, Double> e : byStage.entrySet()) {
      stages.append(String.format(" %s %.0f %%", e.getKey(), 100 * e.getValue() / total));
    }
    System.out.println(stages);
    for (Map.Entry<String, Double> e : top.subList(0, Math.min(8, top.size()))) {
      System.out.printf("  %-28s %5.1f %%  %6d kernels/step%n", e.getKey(), 100 * e.getValue() / total, countByOp.get(e.getKey()) / 8);
    }
    if (Boolean.getBoolean("trainbench.nodes")) {
      List<Map.Entry<String, Double>> nodes = new ArrayList<>(byNode.entrySet());
      nodes.sort(Map.Entry.<String, Double>comparingByValue().reversed());
      for (Map.Entry<String, Double> e : nodes.subList(0, Math.min(40, nodes.size()))) {
        System.out.printf("    %5.2f %%  %s%n", 100 * e.getValue() / total, e.getKey());
      }
    }
    Files.deleteIfExists(Path.of(file));
    Files.deleteIfExists(dir);
  }
}
