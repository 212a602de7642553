package dev.hint4j.onnx.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import dev.hint4j.HintConfig;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.tensor.FloatTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported on-device training artifacts, run by a training-enabled ONNX Runtime
 * ({@code org.bytedeco:onnxruntime}, linux-x86_64), train the model the way hint4j's own train-step
 * graph does: same losses step by step, same parameters after the last step. Runs in its own
 * surefire execution ({@code ort-training}), without Microsoft's ONNX Runtime on the class path;
 * hint4j's {@link Trainer} there runs on the same native library through the bundled Java API.
 */
@Tag("ort-training")
class OrtTrainingArtifactsTest {
  static final int STEPS = 12;
  static final float LR = 3e-3f;

  @Test
  void onnxRuntimeTrainingMatchesHint4jTrainStep(@TempDir Path dir) throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").equals("amd64"), "the training-enabled runtime is wired for linux-x86_64 only");
    HintConfig c = HintConfig.tiny(60);
    HintWeights init = HintWeights.random(c, 3);
    // Train the matrices that decay (ORT's AdamW has one decay for all parameters), with decay on.
    List<String> matrices = HintWeights.shapes(c).entrySet().stream()
        .filter(e -> TrainingSpec.decays(e.getKey(), e.getValue())).map(Map.Entry::getKey).toList();
    TrainingSpec d = TrainingSpec.defaults(c, true, TrainingSpec.Scope.ALL);
    TrainingSpec spec = new TrainingSpec(c, true, matrices, 0.1, d.beta1(), d.beta2(), d.epsilon(), 0.01, 1.0);
    List<TrainingBatch> batches = List.of(batch(c, new SplittableRandom(1)), batch(c, new SplittableRandom(2)));

    // Both paths on one native library: the Java API on the class path is the one bundled with the training build.
    assertThat(ai.onnxruntime.OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toString())
        .contains("org/bytedeco/onnxruntime");
    List<Double> hint4jLosses = new ArrayList<>();
    HintWeights hint4jTrained;
    try (Trainer t = new Trainer(spec, init)) {
      for (int s = 0; s < STEPS; s++) {
        hint4jLosses.add(t.step(batches.get(s % 2), LR).loss());
      }
      hint4jTrained = t.weights(init);
    }

    Path artifacts = dir.resolve("artifacts");
    OrtTrainingArtifacts.export(spec, init, LR, artifacts);
    List<Double> ortLosses = new ArrayList<>();
    Path inference = dir.resolve("inference.onnx");
    try (OrtTrainingRunner ort = new OrtTrainingRunner(artifacts)) {
      assertThat(ort.outputNames()).containsExactly("loss", "grad_norm");
      ort.setLearningRate(LR); // not taken from the checkpoint on load
      for (int s = 0; s < STEPS; s++) {
        ortLosses.add((double) ort.trainStep(feeds(c, batches.get(s % 2))).get("loss"));
        ort.optimizerStep();
        ort.lazyResetGrad();
      }
      ort.exportForInference(inference, "logits");
    }

    // Same loss at every step: the graphs are the same math on the same runtime; float32 sums may
    // be grouped differently, so allow 1e-5 relative.
    for (int s = 0; s < STEPS; s++) {
      assertThat(ortLosses.get(s)).as("loss at step %d", s + 1)
          .isCloseTo(hint4jLosses.get(s), org.assertj.core.data.Offset.offset(1e-5 * hint4jLosses.get(s)));
    }
    assertThat(ortLosses.get(STEPS - 2) + ortLosses.get(STEPS - 1)).as("loss falls")
        .isLessThan(0.9 * (ortLosses.get(0) + ortLosses.get(1)));

    // The exported inference model carries ORT's trained parameters; they match hint4j's.
    Map<String, FloatTensor> exported = initializers(OnnxMl.ModelProto.parseFrom(Files.readAllBytes(inference)));
    double maxDiff = 0;
    double maxMove = 0;
    for (String name : matrices) {
      FloatTensor ours = hint4jTrained.get(name);
      FloatTensor theirs = exported.get(name);
      assertThat(theirs).as("exported parameter %s", name).isNotNull();
      assertThat(theirs.shape()).isEqualTo(ours.shape());
      for (int i = 0; i < ours.size(); i++) {
        maxDiff = Math.max(maxDiff, Math.abs(ours.get(i) - theirs.get(i)));
        maxMove = Math.max(maxMove, Math.abs(ours.get(i) - init.get(name).get(i)));
      }
    }
    System.out.printf("ORT training vs hint4j train step after %d steps: max |Δparam| = %.3g (max movement %.3g)%n",
        STEPS, maxDiff, maxMove);
    assertThat(maxMove).as("training moved the parameters").isGreaterThan(STEPS * LR * 0.5);
    // Each AdamW step moves a parameter by at most about lr; agreeing to 1 % of one step's size
    // means no step's update differed in direction or size.
    assertThat(maxDiff).isLessThan(0.01 * LR);
  }

  private static TrainingBatch batch(HintConfig c, SplittableRandom r) {
    List<long[]> instructions = new ArrayList<>();
    List<long[]> inputs = new ArrayList<>();
    List<long[]> targets = new ArrayList<>();
    for (int row = 0; row < 4; row++) {
      instructions.add(ids(c, r, 3 + r.nextInt(6)));
      long[] input = ids(c, r, 2 + r.nextInt(5));
      inputs.add(input);
      long[] target = new long[input.length + 1]; // copy the input, then EOS
      System.arraycopy(input, 0, target, 0, input.length);
      target[input.length] = c.eosId();
      targets.add(target);
    }
    return new TrainingBatch(instructions, inputs, targets);
  }

  private static long[] ids(HintConfig c, SplittableRandom r, int n) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 3 + r.nextInt(c.vocabSize() - 3); // past pad, eos and unk
    }
    return ids;
  }

  /** The batch as the training model's user inputs (the same padding as {@link Trainer}). */
  private static Map<String, Object> feeds(HintConfig c, TrainingBatch b) {
    Map<String, Object> f = new HashMap<>();
    put(f, "instruction", TrainingBatch.pad(b.instructionIds(), c.padId()));
    long[] taskIndex = java.util.Arrays.stream(b.taskOfRow()).asLongStream().toArray();
    f.put("task_index", new TrainingBatch.Padded(taskIndex, new float[taskIndex.length], new long[] {taskIndex.length}));
    put(f, "input", TrainingBatch.pad(b.inputIds(), c.padId()));
    TrainingBatch.Padded labels = TrainingBatch.pad(b.targetIds(), c.padId());
    f.put("decoder_input_ids", TrainingBatch.pad(TrainingBatch.shiftRight(b.targetIds(), c.decoderStartId()), c.padId()));
    f.put("labels", labels);
    f.put("label_mask", new OrtTrainingRunner.Floats(labels.shape(), labels.mask()));
    return f;
  }

  private static void put(Map<String, Object> f, String prefix, TrainingBatch.Padded p) {
    f.put(prefix + "_ids", p);
    f.put(prefix + "_mask", new OrtTrainingRunner.Floats(p.shape(), p.mask()));
  }

  private static Map<String, FloatTensor> initializers(OnnxMl.ModelProto m) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (OnnxMl.TensorProto t : m.getGraph().getInitializerList()) {
      if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
        continue;
      }
      long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
      float[] values;
      if (!t.getRawData().isEmpty()) {
        ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        values = new float[bb.remaining() / 4];
        bb.asFloatBuffer().get(values);
      } else {
        values = new float[t.getFloatDataCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = t.getFloatData(i);
        }
      }
      out.put(t.getName(), FloatTensor.wrap(shape, values));
    }
    return out;
  }
}
