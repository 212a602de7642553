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
 * Time to answer one batch (16-token inputs, 16 generated tokens each, greedy, fixed length) under
 * HINT or instruction concatenation, by instruction length (0 = no instruction: the plain model)
 * and batch size. Per-input latency is the score divided by {@code batch}. The instruction-length
 * list runs to 1024 tokens; the demo model takes at most 512, so run it with
 * {@code -p instructionTokens=0,32,128,512}. Quantized weights: {@code -p model=t5small,t5small-int8,t5small-int4}
 * (any {@link BenchModels} name, e.g. {@code t5small-int8:block=32}).
 */
@State(Scope.Benchmark)
public class PerInputBenchmark extends BenchDefaults {
  @Param({BenchModels.DEMO, BenchModels.T5_SMALL})
  public String model;

  @Param({"hint", "concat"})
  public String mode;

  @Param({"0", "32", "128", "512", "1024"})
  public int instructionTokens;

  @Param({"1", "8", "32"})
  public int batch;

  private HintModel hint;
  private BoundTask task;
  private final List<String> inputs = new ArrayList<>();
  private final GenerationConfig gen = GenerationConfig.greedy(Workloads.OUTPUT_TOKENS).withMinNewTokens(Workloads.OUTPUT_TOKENS);

  @Setup(Level.Trial)
  public void setUp() {
    hint = BenchModels.open(model);
    Workloads w = new Workloads(hint);
    task = hint.bind(Tasks.task(hint, w, mode, instructionTokens, 0));
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
