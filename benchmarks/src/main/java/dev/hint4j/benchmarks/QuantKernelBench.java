package dev.hint4j.benchmarks;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.examples.Median;
import dev.hint4j.onnx.arch.WeightQuantization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Which quantized kernel path is fastest here: the T5-small-shaped random model exported in each
 * weight format, one HINT task (128 instruction tokens) per model, generated at batch 1 in
 * interleaved, shuffled rounds; medians per input, ratios to float32 and to each format's bandwidth
 * floor (its weight bytes per input over the measured read bandwidth).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.QuantKernelBench [--reps 9] FORMAT...}
 * with formats as {@link WeightQuantization#parse} reads them (default: fp32, int8 in blocks of 32, 128
 * and 256, int8 at accuracy level 0, int4 in blocks of 32 and 128, int4 at accuracy level 0).
 */
public final class QuantKernelBench {
  private QuantKernelBench() {}

  public static void main(String[] args) {
    int reps = 9;
    List<String> formats = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--reps")) {
        reps = Integer.parseInt(args[++i]);
      } else {
        formats.add(args[i]);
      }
    }
    if (formats.isEmpty()) {
      formats = List.of("fp32", "int8:block=32", "int8:block=128", "int8:block=256", "int8:accuracy=0", "int4:block=32",
          "int4:block=128", "int4:accuracy=0");
    }
    Map<String, HintModel> models = new LinkedHashMap<>();
    Map<String, BoundTask> tasks = new LinkedHashMap<>();
    GenerationConfig gen = GenerationConfig.greedy(Workloads.OUTPUT_TOKENS).withMinNewTokens(Workloads.OUTPUT_TOKENS);
    String input = null;
    try {
      for (String f : formats) {
        String name = f.equals("fp32") ? BenchModels.T5_SMALL : BenchModels.T5_SMALL + "-" + f;
        HintModel m = BenchModels.open(name);
        models.put(f, m);
        Workloads w = new Workloads(m);
        input = w.input(0);
        tasks.put(f, m.bind(m.compile(w.instruction(128, List.of(), 128))));
      }
      Map<String, List<Double>> ms = new LinkedHashMap<>();
      formats.forEach(f -> ms.put(f, new ArrayList<>()));
      for (int round = -2; round < reps; round++) {
        List<String> order = new ArrayList<>(formats);
        Collections.shuffle(order, new Random(round + 7));
        for (String f : order) {
          long start = System.nanoTime();
          tasks.get(f).generate(input, gen);
          if (round >= 0) {
            ms.get(f).add((System.nanoTime() - start) / 1e6);
          }
        }
      }
      double bandwidth = Roofline.readBandwidth();
      double fp32 = Median.of(ms.get(formats.get(0)));
      System.out.printf("t5small, HINT at 128 instruction tokens, batch 1, %d+%d tokens, %d interleaved rounds; read bandwidth %.1f GB/s%n",
          Workloads.INPUT_TOKENS, Workloads.OUTPUT_TOKENS, reps, bandwidth / 1e9);
      for (String f : formats) {
        WeightQuantization q = WeightQuantization.parse(f);
        long bytes = Roofline.weightBytesPerInput(models.get(f).config(), Workloads.OUTPUT_TOKENS, q);
        double median = Median.of(ms.get(f));
        double floor = bytes / bandwidth * 1e3;
        System.out.printf("  %-22s %8.2f ms per input  %5.2fx faster than %s  weights %7.0f MB per input  %5.2fx its bandwidth floor (%.1f ms)%n",
            q.id(), median, fp32 / median, formats.get(0), bytes / 1e6, median / floor, floor);
      }
    } finally {
      tasks.values().forEach(BoundTask::close);
      models.values().forEach(HintModel::close);
    }
  }
}
