package dev.hint4j.benchmarks;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-input latency (one input, 16 generated tokens) of a task given as a 32-token instruction
 * plus {@code shots} few-shot examples of 8 words in and out, under HINT and concatenation.
 * HINT reads the examples once, at compile time; concatenation reads them for every input.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-DOPT_OUT_TRACKING=true", "-DDJL_OFFLINE=true", "-DRUST_FLAVOR=cpu",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class FewShotBenchmark {
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
