package dev.hint4j.benchmarks;

import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code HintModel.compile}: tokenizing the instruction, the hypernetwork run, copying the module
 * to Java. Paid once per task; the demo model takes instructions up to 512 tokens
 * ({@code -p instructionTokens=32,128,512}).
 */
@State(Scope.Benchmark)
public class CompileBenchmark extends BenchDefaults {
  @Param({BenchModels.DEMO, BenchModels.T5_SMALL})
  public String model;

  @Param({"32", "128", "512", "1024"})
  public int instructionTokens;

  private HintModel hint;
  private String instruction;

  @Setup(Level.Trial)
  public void setUp() {
    hint = BenchModels.open(model);
    instruction = new Workloads(hint).instruction(instructionTokens, List.of(), 1);
  }

  @Benchmark
  public TaskModule compile() {
    return hint.compile(instruction);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    hint.close();
  }
}
