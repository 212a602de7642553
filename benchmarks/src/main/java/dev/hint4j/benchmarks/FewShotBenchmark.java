package dev.hint4j.benchmarks;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Per-input latency (one input, 16 generated tokens) of a task given as a 32-token instruction
 * plus {@code shots} few-shot examples of 8 words in and out, under HINT and concatenation.
 * HINT reads the examples once, at compile time; concatenation reads them for every input.
 */
@State(Scope.Benchmark)
public class FewShotBenchmark extends BenchDefaults {
  /** Tokens of the instruction alone; the examples come on top. */
  static final int INSTRUCTION_TOKENS = 32;

  @Param({BenchModels.DEMO, BenchModels.T5_SMALL})
  public String model;

  @Param({"hint", "concat"})
  public String mode;

  @Param({"0", "2", "4", "8", "16"})
  public int shots;

  private HintModel hint;
  private BoundTask task;
  private String input;
  private final GenerationConfig gen = GenerationConfig.greedy(Workloads.OUTPUT_TOKENS).withMinNewTokens(Workloads.OUTPUT_TOKENS);

  @Setup(Level.Trial)
  public void setUp() {
    hint = BenchModels.open(model);
    Workloads w = new Workloads(hint);
    int taskTokens = w.taskTokens(w.words(INSTRUCTION_TOKENS, 0), w.examples(shots)); // 32 one-piece words + examples
    task = hint.bind(Tasks.task(hint, w, mode, taskTokens, shots));
    input = w.input(0);
  }

  @Benchmark
  public String generate() {
    return task.generate(input, gen);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    task.close();
    hint.close();
  }
}
