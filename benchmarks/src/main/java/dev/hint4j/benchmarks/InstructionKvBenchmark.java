package dev.hint4j.benchmarks;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-task instruction key/value cache on and off: the same T5-small-shaped weights exported
 * with modules that carry each decoder layer's cross-attention keys/values of the instruction
 * ({@value BenchModels#T5_SMALL}), or only the encoded instruction, which every batch then
 * re-projects ({@value BenchModels#T5_SMALL_NO_KV}). HINT, one batch of {@code batch} inputs.
 */
@State(Scope.Benchmark)
public class InstructionKvBenchmark extends BenchDefaults {
  @Param({BenchModels.T5_SMALL, BenchModels.T5_SMALL_NO_KV})
  public String model;

  @Param({"128", "1024"})
  public int instructionTokens;

  @Param({"1", "8"})
  public int batch;

  private HintModel hint;
  private BoundTask task;
  private final List<String> inputs = new ArrayList<>();
  private final GenerationConfig gen = GenerationConfig.greedy(Workloads.OUTPUT_TOKENS).withMinNewTokens(Workloads.OUTPUT_TOKENS);

  @Setup(Level.Trial)
  public void setUp() {
    hint = BenchModels.open(model);
    Workloads w = new Workloads(hint);
    task = hint.bind(Tasks.task(hint, w, "hint", instructionTokens, 0));
    for (int i = 0; i < batch; i++) {
      inputs.add(w.input(i));
    }
  }

  @Benchmark
  public List<String> generateBatch() {
    return task.generateBatch(inputs, gen);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    task.close();
    hint.close();
  }
}
