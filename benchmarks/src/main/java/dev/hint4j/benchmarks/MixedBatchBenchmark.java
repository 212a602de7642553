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
 * Eight HINT tasks (128-token instructions), {@code rowsPerTask} inputs each: answered as one
 * batch mixing all tasks ({@code HintModel.generateMixed}, module tensors stacked per row) or as
 * eight per-task batches. Score: time for all 8 × rowsPerTask inputs.
 */
@State(Scope.Benchmark)
public class MixedBatchBenchmark extends BenchDefaults {
  static final int TASKS = 8;

  @Param({BenchModels.DEMO, BenchModels.T5_SMALL})
  public String model;

  @Param({"1", "4"})
  public int rowsPerTask;

  private HintModel hint;
  private final List<BoundTask> tasks = new ArrayList<>();
  private final List<BoundTask> rowTasks = new ArrayList<>();
  private final List<String> rowInputs = new ArrayList<>();
  private final List<List<String>> perTaskInputs = new ArrayList<>();
  private final GenerationConfig gen = GenerationConfig.greedy(Workloads.OUTPUT_TOKENS).withMinNewTokens(Workloads.OUTPUT_TOKENS);

  @Setup(Level.Trial)
  public void setUp() {
    hint = BenchModels.open(model);
    Workloads w = new Workloads(hint);
    for (int t = 0; t < TASKS; t++) {
      tasks.add(hint.bind(hint.compile(w.instruction(128, List.of(), t))));
      List<String> inputs = new ArrayList<>();
      for (int r = 0; r < rowsPerTask; r++) {
        inputs.add(w.input(t * rowsPerTask + r));
        rowTasks.add(tasks.get(t));
        rowInputs.add(inputs.get(r));
      }
      perTaskInputs.add(inputs);
    }
  }

  @Benchmark
  public List<String> mixedBatch() {
    return hint.generateMixed(rowTasks, rowInputs, gen);
  }

  @Benchmark
  public List<List<String>> perTaskBatches() {
    List<List<String>> out = new ArrayList<>();
    for (int t = 0; t < TASKS; t++) {
      out.add(tasks.get(t).generateBatch(perTaskInputs.get(t), gen));
    }
    return out;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tasks.forEach(BoundTask::close);
    hint.close();
  }
}
