package dev.hint4j.examples;

import dev.hint4j.BoundTask;
import dev.hint4j.Example;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.cost.CostModel;
import dev.hint4j.onnx.export.RandomModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The main job: build (or reuse) a small HINT model, compile two tasks once, answer several
 * inputs per task, and print what the cost model says each input costs under HINT and under
 * instruction concatenation.
 *
 * <p>Until the trained demo model ships, the model has RANDOM weights: the pipeline is real, the
 * answers are not. Run: {@code mvn -q -DskipTests package exec:java} (from the repository root).
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/quickstart-model");
    if (!Files.exists(dir.resolve("hint-model.json"))) {
      System.out.println("Building a small random-weight HINT model in " + dir + " ...");
      RandomModel.create(dir, HintConfig::small, 0, 42, false);
    }
    try (HintModel model = HintModel.builder().modelDir(dir).build()) {
      System.out.println("Model: " + model.manifest().name() + " — " + model.manifest().description());
      System.out.println("Runtime: " + model.describeRuntime());
      System.out.println();

      List<String> inputs = List.of("strawberry", "hello world", "banana");
      long t0 = System.nanoTime();
      TaskModule vowels = model.compile("Replace every vowel in the input with a star.",
          List.of(Example.of("banana", "b*n*n*")));
      TaskModule reverse = model.compile("Write the letters of the input in reverse order.");
      System.out.printf("Compiled 2 tasks in %.1f ms (once per task; modules are %d and %d bytes)%n",
          (System.nanoTime() - t0) / 1e6, vowels.byteSize(), reverse.byteSize());

      GenerationConfig greedy = GenerationConfig.greedy(12);
      for (TaskModule task : List.of(vowels, reverse)) {
        try (BoundTask bound = model.bind(task)) {
          System.out.println("Task: " + task.instruction() + "  [id " + task.id().substring(0, 12) + "]");
          for (String in : inputs) {
            long s = System.nanoTime();
            String out = bound.generate(in, greedy);
            System.out.printf("  %-12s -> %-30s (%.1f ms)%n", in, quote(out), (System.nanoTime() - s) / 1e6);
          }
        }
      }
      System.out.println("(The weights are random, so the answers are noise; the trained demo model replaces them.)");
      System.out.println();
      printCosts(model.costModel());
    }
  }

  private static void printCosts(CostModel cost) {
    int in = 32;
    int out = 16;
    System.out.printf("Per-input cost (analytic FLOPs), input %d tokens, output %d tokens:%n", in, out);
    System.out.printf("  %-18s %14s %14s %10s %14s%n", "instruction tokens", "HINT MFLOP", "concat MFLOP", "concat/HINT", "compile MFLOP");
    for (int instr : new int[] {0, 32, 128, 512, 1024}) {
      double hint = cost.hintPerInputFlops(instr, in, out) / 1e6;
      double concat = cost.concatPerInputFlops(instr, in, out) / 1e6;
      System.out.printf("  %-18d %14.1f %14.1f %10.2f %14.1f%n", instr, hint, concat, concat / hint,
          cost.compileFlops(instr) / 1e6);
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\n", "\\n") + "\"";
  }
}
