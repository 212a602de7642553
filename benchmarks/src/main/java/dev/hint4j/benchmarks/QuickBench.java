package dev.hint4j.benchmarks;

import ai.onnxruntime.OrtException;
import dev.hint4j.BoundTask;
import dev.hint4j.Example;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.Precision;
import dev.hint4j.TaskModule;
import dev.hint4j.examples.Median;
import dev.hint4j.examples.ProcessMemory;
import dev.hint4j.onnx.arch.WeightQuantization;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The key pairs in one process, interleaved (each round runs every configuration once, in a
 * shuffled order, so machine noise hits all alike), reported as medians and ratios: HINT against
 * no instruction and concatenation against HINT at 128 and at the longest instruction the model
 * takes (1024 tokens for the T5-small-shaped model, 512 for the demo model), HINT with 16 few-shot
 * examples, the Java-call overhead against a hand-written {@link BareOrtLoop}, the memory of a task
 * module, peak heap and RSS, and the no-instruction latency with int8 and 4-bit weights beside
 * float32 (and, for t5small, each against the bandwidth floor of its own weight bytes).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.QuickBench [--reps 15] [--model demo|t5small|both] [--threads N]}
 */
public final class QuickBench {
  private QuickBench() {}

  public static void main(String[] args) throws OrtException {
    int reps = 15;
    int threads = 0;
    String which = "both";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        case "--model" -> which = args[i + 1];
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --reps N, --model demo|t5small|both, --threads N");
      }
    }
    System.out.printf("hint4j quick bench: %d cores, Java %s, %d rounds, ONNX Runtime threads %s; input %d tokens, %d output tokens (greedy, fixed length)%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), reps, threads == 0 ? "default" : threads,
        Workloads.INPUT_TOKENS, Workloads.OUTPUT_TOKENS);
    List<Runnable> afterBandwidth = new ArrayList<>();
    double[] bandwidth = new double[1];
    for (String name : which.equals("both") ? List.of(BenchModels.DEMO, BenchModels.T5_SMALL) : List.of(which)) {
      run(name, reps, threads, afterBandwidth, bandwidth);
    }
    System.out.printf("%npeak heap %.1f MiB, peak RSS %.1f MiB (before the bandwidth probe)%n", peakHeapBytes() / 1048576.0,
        ProcessMemory.peakRssBytes() / 1048576.0);
    bandwidth[0] = Roofline.readBandwidth();
    System.out.printf("memory read bandwidth (all cores, 512 MiB array): %.1f GB/s%n", bandwidth[0] / 1e9);
    afterBandwidth.forEach(Runnable::run);
  }

  /**
   * The models in each weight format beside the float32 baseline, for the no-instruction rows:
   * t5small is built in every format by this build; the demo model's float32 baseline is its
   * weights exported again with this build's graphs, so all three rows share the same graphs.
   */
  private static Map<String, String> weightFormats(String name) {
    Map<String, String> m = new LinkedHashMap<>();
    if (name.equals(BenchModels.T5_SMALL)) {
      m.put("int8", BenchModels.T5_SMALL_INT8);
      m.put("4-bit", BenchModels.T5_SMALL_INT4);
    } else if (name.equals(BenchModels.DEMO)) {
      m.put("fp32", BenchModels.DEMO + "-fp32");
      m.put("int8", BenchModels.DEMO + "-int8");
      m.put("4-bit", BenchModels.DEMO + "-int4");
    }
    return m;
  }

  private static void run(String name, int reps, int threads, List<Runnable> afterBandwidth, double[] bandwidth)
      throws OrtException {
    Map<String, HintModel> formats = new LinkedHashMap<>();
    try (HintModel model = BenchModels.open(name, threads)) {
      weightFormats(name).forEach((label, modelName) -> formats.put(label, BenchModels.open(modelName, threads)));
      HintConfig c = model.config();
      Workloads w = new Workloads(model);
      System.out.printf("%n== %s: d=%d, %d heads, %d+%d layers, vocab %d, adapters %d, prefixes %d; %s%n", name, c.dModel(),
          c.numHeads(), c.encoderLayers(), c.decoderLayers(), c.vocabSize(), c.adapterSize(), c.prefixLength(),
          model.describeRuntime());
      int longest = Math.min(1024, c.maxInstructionLength());
      String input = w.input(0);
      long[] inputIds = model.tokenizer().encode(input);
      GenerationConfig gen = GenerationConfig.greedy(Workloads.OUTPUT_TOKENS).withMinNewTokens(Workloads.OUTPUT_TOKENS);

      Map<String, BoundTask> tasks = new LinkedHashMap<>();
      tasks.put("plain", model.bind(model.concatenationTask("", List.of())));
      formats.forEach((label, m) -> tasks.put("plain " + label + " weights", m.bind(m.concatenationTask("", List.of()))));
      TaskModule hint128 = null;
      for (int n : new int[] {128, longest}) {
        String instruction = w.instruction(n, List.of(), n);
        TaskModule m = model.compile(instruction);
        hint128 = hint128 == null ? m : hint128;
        tasks.put("hint@" + n, model.bind(m));
        tasks.put("concat@" + n, model.bind(model.concatenationTask(instruction, List.of())));
      }
      List<Example> shots = w.examples(16);
      String fewShotInstruction = w.instruction(w.taskTokens(w.words(32, 5), shots), shots, 5);
      tasks.put("hint+16shots", model.bind(model.compile(fewShotInstruction, shots)));
      BareOrtLoop bare = new BareOrtLoop(name, model, hint128, inputIds, threads);

      Map<String, List<Double>> ms = new LinkedHashMap<>();
      tasks.keySet().forEach(k -> ms.put(k, new ArrayList<>()));
      for (int round = -2; round < reps; round++) { // two warm-up rounds
        List<String> order = new ArrayList<>(ms.keySet());
        Collections.shuffle(order, new Random(round + 100));
        for (String key : order) {
          long start = System.nanoTime();
          tasks.get(key).generate(input, gen);
          if (round >= 0) {
            ms.get(key).add((System.nanoTime() - start) / 1e6);
          }
        }
      }
      // The overhead pair alternates on its own: the bare loop has its own sessions (a second copy
      // of the weights), so among the other configurations it would find its weights colder than they do.
      List<Double> library = new ArrayList<>();
      List<Double> bareMs = new ArrayList<>();
      BoundTask hintTask = tasks.get("hint@128");
      for (int round = -2; round < 2 * reps; round++) {
        boolean libraryFirst = round % 2 == 0;
        for (int k = 0; k < 2; k++) {
          long start = System.nanoTime();
          if ((k == 0) == libraryFirst) {
            hintTask.generate(input, gen);
          } else {
            bare.generate(Workloads.OUTPUT_TOKENS);
          }
          if (round >= 0) {
            ((k == 0) == libraryFirst ? library : bareMs).add((System.nanoTime() - start) / 1e6);
          }
        }
      }
      bare.close();
      ms.forEach((k, v) -> System.out.printf("  %-26s median %9.2f ms per input%n", k, Median.of(v)));
      double plain = Median.of(ms.get("plain"));
      for (int n : new int[] {128, longest}) {
        double hint = Median.of(ms.get("hint@" + n));
        double concat = Median.of(ms.get("concat@" + n));
        System.out.printf("  instruction %4d tokens: HINT/no-instruction %5.2fx   concatenation/HINT %6.2fx%n", n, hint / plain, concat / hint);
      }
      double hint = Median.of(ms.get("hint@128"));
      System.out.printf("  16 few-shot examples (%d task tokens) vs instruction only: HINT latency %+.1f%%%n",
          w.taskTokens(fewShotInstruction, shots), 100 * (Median.of(ms.get("hint+16shots")) / hint - 1));
      System.out.printf("  Java-call overhead: BoundTask.generate %.2f ms / bare ORT loop %.2f ms = %.3fx (alternating, %d each)%n",
          Median.of(library), Median.of(bareMs), Median.of(library) / Median.of(bareMs), library.size());
      long weights = Roofline.weightBytesPerInput(c, Workloads.OUTPUT_TOKENS);
      if (weights / Workloads.OUTPUT_TOKENS > Roofline.CACHE_BYTES) {
        long kv = Roofline.instructionKvBytesPerInput(c, longest, Workloads.OUTPUT_TOKENS);
        System.out.printf("  weights streamed from memory per input (batch 1): %.0f MB, %.1f GB/s at the no-instruction median;%n"
            + "    the cached instruction keys/values add %.1f MB at %d tokens: bytes alone put HINT/no-instruction at >= %.2fx%n",
            weights / 1e6, weights / (plain / 1e3) / 1e9, kv / 1e6, longest, (weights + kv) / (double) weights);
      } else {
        System.out.printf("  weights per decoder step (%.1f MB) fit in CPU caches: latency is not bound by memory bandwidth%n",
            weights / (double) Workloads.OUTPUT_TOKENS / 1e6);
      }
      if (formats.containsKey("int8")) {
        double base = Median.of(ms.get(formats.containsKey("fp32") ? "plain fp32 weights" : "plain"));
        double int8 = Median.of(ms.get("plain int8 weights"));
        double int4 = Median.of(ms.get("plain 4-bit weights"));
        long bytes8 = Roofline.weightBytesPerInput(c, Workloads.OUTPUT_TOKENS, WeightQuantization.INT8);
        long bytes4 = Roofline.weightBytesPerInput(c, Workloads.OUTPUT_TOKENS, WeightQuantization.INT4);
        System.out.printf("  weight bytes per input (batch 1): fp32 %.0f MB, int8 %.0f MB, 4-bit %.0f MB%n", weights / 1e6,
            bytes8 / 1e6, bytes4 / 1e6);
        boolean bound = weights / Workloads.OUTPUT_TOKENS > Roofline.CACHE_BYTES;
        afterBandwidth.add(() -> System.out.printf(bound
            ? "%s quantized: int8 %.2fx faster per input than fp32 (batch 1), %.2fx its bandwidth floor; 4-bit %.2fx faster, %.2fx its bandwidth floor%n"
            : "%s quantized: int8 %.2fx faster per input than fp32 (batch 1); 4-bit %.2fx faster (weights fit in caches: no bandwidth floor)%n",
            bound ? new Object[] {name, base / int8, int8 / (bytes8 / bandwidth[0] * 1e3), base / int4, int4 / (bytes4 / bandwidth[0] * 1e3)}
                : new Object[] {name, base / int8, base / int4}));
      }
      long f32 = hint128.toBytes(Precision.FLOAT32).length;
      long f16 = hint128.toBytes(Precision.FLOAT16).length;
      System.out.printf("  task module: %,d bytes in memory (float32); serialized %,d (float32) / %,d (float16);"
          + " %,d modules fit a 1 GiB cache%n", hint128.byteSize(), f32, f16, (1L << 30) / hint128.byteSize());
      tasks.values().forEach(BoundTask::close);
    } finally {
      formats.values().forEach(HintModel::close);
    }
  }

  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
