package dev.hint4j.benchmarks;

import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import java.util.List;
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
 * {@code HintModel.compile}: tokenizing the instruction, the hypernetwork run, copying the module
 * to Java. Paid once per task; the demo model takes instructions up to 512 tokens
 * ({@code -p instructionTokens=32,128,512}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-DOPT_OUT_TRACKING=true", "-DDJL_OFFLINE=true", "-DRUST_FLAVOR=cpu",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class CompileBenchmark {
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
