package dev.hint4j.examples;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.onnx.export.RandomModel;
import dev.hint4j.tokenize.TokenizerJsonWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A quick latency bench in one process: compile time and per-input latency of HINT, instruction
 * concatenation and the plain model, measured interleaved in a shuffled order each round (so
 * machine noise and cache warmth hit all alike) and reported as medians and ratios. Random-weight models of two sizes are built on first use.
 *
 * <p>Run: {@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.hint4j.examples.LatencyBench
 * -Dexec.args="--reps 15"}. Arguments: {@code --model small|t5small|both}, {@code --reps N}.
 */
public final class LatencyBench {
  private static final int INPUT_TOKENS = 16;
  private static final int OUTPUT_TOKENS = 16;

  private LatencyBench() {}

  public static void main(String[] args) {
    String which = "both";
    int reps = 15;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--model" -> which = args[i + 1];
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --model small|t5small|both, --reps N");
      }
    }
    System.out.printf("hint4j latency bench: %d cores, Java %s, %d reps, input %d tokens, output %d tokens (fixed)%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), reps, INPUT_TOKENS, OUTPUT_TOKENS);
    if (!which.equals("t5small")) {
      run("small", HintConfig::small, 0, false, reps);
    }
    if (!which.equals("small")) {
      run("t5small", HintConfig::t5SmallShaped, 32128, true, reps);
    }
  }

  private static void run(String name, IntFunction<HintConfig> sizes, int minVocab, boolean external, int reps) {
    Path dir = Path.of("target/bench-models/" + name);
    if (!Files.exists(dir.resolve("hint-model.json"))) {
      System.out.println("building random model " + dir + " ...");
      RandomModel.create(dir, sizes, minVocab, 1, external);
    }
    try (HintModel model = HintModel.builder().modelDir(dir).build()) {
      HintConfig c = model.config();
      System.out.printf("%n== %s: d=%d, heads=%dx%d, layers=%d+%d, ffn=%d, vocab=%d, A=%d, P=%d — %s%n", name, c.dModel(),
          c.numHeads(), c.headDim(), c.encoderLayers(), c.decoderLayers(), c.ffnDim(), c.vocabSize(), c.adapterSize(),
          c.prefixLength(), model.describeRuntime());
      String input = words(INPUT_TOKENS - 1, 7);
      GenerationConfig gen = GenerationConfig.greedy(OUTPUT_TOKENS).withMinNewTokens(OUTPUT_TOKENS);
      int[] lengths = Arrays.stream(new int[] {32, 128, 1024}).filter(n -> n <= c.maxInstructionLength()).toArray();

      Map<String, List<Double>> compile = new LinkedHashMap<>();
      Map<String, BoundTask> tasks = new LinkedHashMap<>();
      tasks.put("plain", model.bind(model.concatenationTask("", List.of())));
      for (int n : lengths) {
        String instruction = words(n - 1, n);
        compile.put("compile@" + n, new ArrayList<>());
        TaskModule t = model.compile(instruction);
        tasks.put("hint@" + n, model.bind(t));
        tasks.put("concat@" + n, model.bind(model.concatenationTask(instruction, List.of())));
      }
      Map<String, List<Double>> times = new LinkedHashMap<>();
      tasks.keySet().forEach(k -> times.put(k, new ArrayList<>()));
      for (int warm = 0; warm < 3; warm++) {
        tasks.values().forEach(t -> t.generate(input, gen));
      }
      for (int r = 0; r < reps; r++) {
        for (int n : lengths) {
          String instruction = words(n - 1, n);
          long s = System.nanoTime();
          model.compile(instruction);
          compile.get("compile@" + n).add((System.nanoTime() - s) / 1e6);
        }
        List<String> order = new ArrayList<>(tasks.keySet());
        java.util.Collections.shuffle(order, new java.util.Random(r)); // no configuration always runs first
        for (String key : order) {
          long s = System.nanoTime();
          tasks.get(key).generate(input, gen);
          times.get(key).add((System.nanoTime() - s) / 1e6);
        }
      }
      compile.forEach((k, v) -> System.out.printf("  %-14s median %9.2f ms%n", k, median(v)));
      double plain = median(times.get("plain"));
      System.out.printf("  %-14s median %9.2f ms per input%n", "plain", plain);
      for (int n : lengths) {
        double hint = median(times.get("hint@" + n));
        double concat = median(times.get("concat@" + n));
        System.out.printf("  instruction %4d tokens: HINT %8.2f ms  concat %8.2f ms  | HINT/plain %5.2f  concat/HINT %5.2f%n",
            n, hint, concat, hint / plain, concat / hint);
      }
      tasks.values().forEach(BoundTask::close);
    }
  }

  /** n single-token words (every default word is one tokenizer piece), varied by seed. */
  static String words(int n, int seed) {
    List<String> vocab = TokenizerJsonWriter.defaultWords();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(vocab.get((i * 31 + seed * 17) % vocab.size()));
    }
    return sb.toString();
  }

  static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
