package dev.hint4j.onnx.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.HintConfig;
import dev.hint4j.internal.io.SafeTensors;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task-grouped batch (each instruction once, rows gather their task's module) computes the same
 * loss and gradients as the same examples with one instruction copy per row.
 */
class GroupedBatchTest {

  @Test
  void groupedAndUngroupedBatchesGiveTheSameLossAndGradients(@TempDir Path dir) {
    HintConfig c = HintConfig.tiny(64);
    HintWeights init = HintWeights.random(c, 11);
    TrainingSpec spec = TrainingSpec.defaults(c, true, TrainingSpec.Scope.ALL);
    SplittableRandom r = new SplittableRandom(3);
    List<long[]> instructions = List.of(ids(r, 7), ids(r, 4), ids(r, 9)); // different lengths: padding differs too
    int[] taskOfRow = {0, 0, 1, 2, 2, 2, 1, 0};
    List<long[]> inputs = new ArrayList<>();
    List<long[]> targets = new ArrayList<>();
    List<long[]> instructionPerRow = new ArrayList<>();
    for (int t : taskOfRow) {
      inputs.add(ids(r, 2 + r.nextInt(5)));
      targets.add(ids(r, 1 + r.nextInt(4)));
      instructionPerRow.add(instructions.get(t));
    }
    TrainingBatch grouped = new TrainingBatch(instructions, taskOfRow, inputs, targets);
    TrainingBatch perRow = new TrainingBatch(instructionPerRow, inputs, targets);
    assertThat(grouped.tasks()).isEqualTo(3);
    assertThat(perRow.tasks()).isEqualTo(8);

    Map<String, FloatTensor> g1 = firstMoments(spec, init, grouped, dir.resolve("grouped.safetensors"));
    Map<String, FloatTensor> g2 = firstMoments(spec, init, perRow, dir.resolve("per-row.safetensors"));
    assertThat(g1.keySet()).isEqualTo(g2.keySet()).isNotEmpty();
    int compared = 0;
    for (String name : g1.keySet()) {
      float[] a = g1.get(name).toArray();
      float[] b = g2.get(name).toArray();
      double scale = 0;
      for (float v : b) {
        scale = Math.max(scale, Math.abs(v));
      }
      // The two graphs sum the same float32 terms in a different order (scatter-add over a task's rows,
      // then a GEMM over tasks, vs one GEMM over rows): worst case about n·eps·max with n ≲ 1e3 terms
      // per sum, eps = 6e-8, so 1e-4 of the tensor's largest entry; plus an absolute floor for all-zero rows.
      for (int i = 0; i < a.length; i++) {
        assertThat((double) a[i]).as("%s[%d]", name, i).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-4 * scale + 1e-9));
      }
      if (scale > 0) {
        compared++;
      }
    }
    assertThat(compared).as("tensors with a non-zero gradient").isGreaterThan(40);
  }

  @Test
  void aTaskWithoutRowsOrAnIndexOutOfRangeIsRefused() {
    List<long[]> one = List.of(new long[] {5});
    assertThatThrownBy(() -> new TrainingBatch(List.of(new long[] {3}, new long[] {4}), new int[] {0}, one, one))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instruction 1 has no row");
    assertThatThrownBy(() -> new TrainingBatch(List.of(new long[] {3}), new int[] {1}, one, one))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
  }

  /**
   * The loss's gradient of every trainable tensor, read back as AdamW's first moment after one step
   * from zero: m = (1 − β1)·clip(g), where the clip factor is the same when the gradients are.
   * Also checks that the losses agree.
   */
  private static Map<String, FloatTensor> firstMoments(TrainingSpec spec, HintWeights init, TrainingBatch b, Path file) {
    try (Trainer t = new Trainer(spec, init)) {
      double before = t.evaluate(List.of(b));
      Trainer.StepResult res = t.step(b, 1e-3);
      assertThat(res.loss()).isCloseTo(before, org.assertj.core.data.Offset.offset(1e-6 * before));
      t.checkpoint(file);
    }
    Map<String, FloatTensor> m = new java.util.TreeMap<>();
    SafeTensors.read(file).tensors().forEach((k, v) -> {
      if (k.startsWith("m/")) {
        m.put(k, v);
      }
    });
    return m;
  }

  private static long[] ids(SplittableRandom r, int n) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 3 + r.nextInt(60);
    }
    return ids;
  }
}
