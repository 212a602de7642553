package dev.hint4j.benchmarks;

import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.internal.tensor.Stacking;
import dev.hint4j.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Preparing the module tensors of one mixed batch (8 tasks, 128-token instructions) for the
 * runtime, the step a mixed batch adds. {@code threeCopies} is how it was done before: each row
 * copied out of its tensor, stacked into a heap array, then copied to a direct buffer.
 * {@code oneCopy} is how it is done now: rows written straight into the direct buffer.
 */
@State(Scope.Benchmark)
public class StackingBenchmark extends BenchDefaults {
  @Param({BenchModels.DEMO, BenchModels.T5_SMALL})
  public String model;

  private final List<List<FloatTensor>> perTensorRows = new ArrayList<>();
  private final List<Integer> paddedAxes = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() {
    try (HintModel hint = BenchModels.open(model)) {
      Workloads w = new Workloads(hint);
      List<TaskModule> modules = new ArrayList<>();
      for (int t = 0; t < MixedBatchBenchmark.TASKS; t++) {
        modules.add(hint.compile(w.instruction(128 + t, List.of(), t))); // lengths differ: padding is exercised
      }
      for (Map.Entry<String, FloatTensor> e : modules.get(0).tensors().entrySet()) {
        List<FloatTensor> rows = new ArrayList<>();
        modules.forEach(m -> rows.add(m.tensor(e.getKey())));
        perTensorRows.add(rows);
        paddedAxes.add(hint.manifest().moduleTensors().stream().filter(s -> s.name().equals(e.getKey()))
            .findFirst().orElseThrow().paddedAxis());
      }
    }
  }

  @Benchmark
  public long threeCopies() {
    long n = 0;
    for (int i = 0; i < perTensorRows.size(); i++) {
      List<FloatTensor> copies = new ArrayList<>();
      for (FloatTensor row : perTensorRows.get(i)) {
        copies.add(FloatTensor.wrap(row.shape(), row.toArray())); // the per-row copy the old stacking made
      }
      FloatTensor stacked = Stacking.stack(copies, paddedAxes.get(i));
      FloatBuffer direct = ByteBuffer.allocateDirect(stacked.size() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
      direct.put(stacked.buffer());
      n += direct.capacity();
    }
    return n;
  }

  @Benchmark
  public long oneCopy() {
    long n = 0;
    for (int i = 0; i < perTensorRows.size(); i++) {
      long[] shape = Stacking.stackedShape(perTensorRows.get(i), paddedAxes.get(i));
      int count = Math.toIntExact(FloatTensor.elementCount(shape));
      FloatBuffer direct = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
      Stacking.stackInto(perTensorRows.get(i), shape, direct);
      n += direct.capacity();
    }
    return n;
  }
}
