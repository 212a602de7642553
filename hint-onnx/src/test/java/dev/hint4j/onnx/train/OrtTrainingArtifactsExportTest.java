package dev.hint4j.onnx.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import dev.hint4j.HintConfig;
import dev.hint4j.InvalidInputException;
import dev.hint4j.onnx.arch.HintWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the exporter writes and refuses, checked without a training runtime (the runtime proof is
 * {@link OrtTrainingArtifactsTest}).
 */
class OrtTrainingArtifactsExportTest {
  final HintConfig c = HintConfig.tiny(60);
  final HintWeights w = HintWeights.random(c, 1);

  @Test
  void writesOrtNamingAndCheckpointIdentifier(@TempDir Path dir) throws IOException {
    TrainingSpec spec = TrainingSpec.defaults(c, true, TrainingSpec.Scope.HYPERNETWORK_ONLY);
    spec = new TrainingSpec(c, true, spec.trainable(), 0, 0.9, 0.999, 1e-8, 0, 1.0);
    OrtTrainingArtifacts.export(spec, w, 1e-3f, dir.resolve("a"));

    OnnxMl.GraphProto train = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("a/training_model.onnx"))).getGraph();
    List<String> inputs = train.getInputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
    List<String> outputs = train.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
    for (String p : spec.trainable()) {
      assertThat(inputs).contains(p, p + "_grad.accumulation.buffer");
      assertThat(outputs).contains(p + "_grad.accumulation.out");
    }
    assertThat(inputs).contains("lazy_reset_grad").contains("encoder.layers.0.attn.q"); // frozen parameters are inputs too
    assertThat(inputs).doesNotContain("encoder.layers.0.attn.q_grad.accumulation.buffer");
    assertThat(outputs.subList(0, 2)).containsExactly("loss", "grad_norm");

    OnnxMl.GraphProto optimizer = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("a/optimizer_model.onnx"))).getGraph();
    assertThat(optimizer.getInputList().stream().map(OnnxMl.ValueInfoProto::getName)).containsExactly(
        "learning_rate", "step", "params", "gradients", "first_order_moments", "second_order_moments");

    byte[] checkpoint = Files.readAllBytes(dir.resolve("a/checkpoint"));
    assertThat(new String(Arrays.copyOfRange(checkpoint, 4, 8), StandardCharsets.US_ASCII)).isEqualTo("ODTC");
    long paramBytes = w.asMap().values().stream().mapToLong(t -> t.byteSize()).sum();
    assertThat((long) checkpoint.length).isGreaterThan(paramBytes); // every parameter inline, plus moments
  }

  @Test
  void refusesWeightDecayThatHint4jWouldSkipForSomeParameters(@TempDir Path dir) {
    TrainingSpec all = TrainingSpec.defaults(c, true, TrainingSpec.Scope.ALL); // decay 0.01; norms are exempt
    assertThatThrownBy(() -> OrtTrainingArtifacts.export(all, w, 1e-3f, dir.resolve("a")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("one weight decay").hasMessageContaining("Use weight decay 0");
    assertThat(dir.resolve("a")).doesNotExist();
  }

  @Test
  void refusesWeightsOfAnotherConfig(@TempDir Path dir) {
    TrainingSpec spec = TrainingSpec.defaults(HintConfig.tiny(61), true, TrainingSpec.Scope.HYPERNETWORK_ONLY);
    assertThatThrownBy(() -> OrtTrainingArtifacts.export(spec, w, 1e-3f, dir.resolve("a")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("another model config");
  }
}
