package dev.hint4j.benchmarks;

import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.examples.Median;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * ONNX Runtime session options that could matter on a small machine, measured on the hand-written
 * {@link BareOrtLoop} (HINT, 128-token instruction, one input, 16 tokens), interleaved and
 * reported as medians: intra-op threads (default: one per core, vs 1) and spin-waiting of the
 * intra-op pool (default on, vs off).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.SessionOptionsBench demo|t5small [reps]}
 */
public final class SessionOptionsBench {
  private SessionOptionsBench() {}

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : BenchModels.DEMO;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    try (HintModel model = BenchModels.open(name)) {
      Workloads w = new Workloads(model);
      TaskModule task = model.compile(w.instruction(128, List.of(), 128));
      long[] input = model.tokenizer().encode(w.input(0));
      Map<String, BareOrtLoop> loops = new LinkedHashMap<>();
      loops.put("default (threads = cores, spinning)", new BareOrtLoop(name, model, task, input, 0));
      loops.put("1 intra-op thread", new BareOrtLoop(name, model, task, input, 1));
      loops.put("no spinning", new BareOrtLoop(name, model, task, input, 0, Map.of("session.intra_op.allow_spinning", "0")));
      Map<String, List<Double>> ms = new LinkedHashMap<>();
      loops.keySet().forEach(k -> ms.put(k, new ArrayList<>()));
      for (int round = -2; round < reps; round++) {
        List<String> order = new ArrayList<>(loops.keySet());
        Collections.shuffle(order, new Random(round + 10));
        for (String k : order) {
          long start = System.nanoTime();
          loops.get(k).generate(Workloads.OUTPUT_TOKENS);
          if (round >= 0) {
            ms.get(k).add((System.nanoTime() - start) / 1e6);
          }
        }
      }
      double base = Median.of(ms.values().iterator().next());
      System.out.printf("%s, %d rounds, %d cores%n", name, reps, Runtime.getRuntime().availableProcessors());
      ms.forEach((k, v) -> System.out.printf("  %-38s median %8.2f ms  (%.2fx default)%n", k, Median.of(v), Median.of(v) / base));
      for (BareOrtLoop l : loops.values()) {
        l.close();
      }
    }
  }
}
