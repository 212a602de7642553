package dev.hint4j.benchmarks;

import dev.hint4j.HintModel;
import dev.hint4j.Precision;
import dev.hint4j.TaskModule;
import dev.hint4j.TaskModuleCache;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What keeping compiled tasks costs: encoding and decoding a {@code TaskModule} (SHA-256 checked)
 * in float32 and float16, and a {@code TaskModuleCache} hit (hashing the task id and the lookup),
 * for a 128-token HINT task.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ModuleBenchmark extends BenchDefaults {
  @Param({BenchModels.DEMO, BenchModels.T5_SMALL})
  public String model;

  @Param({"FLOAT32", "FLOAT16"})
  public Precision precision;

  private HintModel hint;
  private TaskModule module;
  private byte[] bytes;
  private String instruction;
  private final TaskModuleCache cache = new TaskModuleCache(1L << 30);

  @Setup(Level.Trial)
  public void setUp() {
    hint = BenchModels.open(model);
    instruction = new Workloads(hint).instruction(128, List.of(), 1);
    module = cache.getOrCompile(hint, instruction, List.of());
    bytes = module.toBytes(precision);
  }

  @Benchmark
  public byte[] encode() {
    return module.toBytes(precision);
  }

  @Benchmark
  public TaskModule decode() {
    return TaskModule.fromBytes(bytes, hint.fingerprint());
  }

  @Benchmark
  public TaskModule cacheHit() {
    return cache.getOrCompile(hint, instruction, List.of());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    hint.close();
  }
}
