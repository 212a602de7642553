package dev.hint4j.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.BoundTask;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.PromptFormat;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.onnx.train.TrainingBatch;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The concatenation baseline as TrainCli trains it: the suite's baseline batches mark each row's
 * prompt tokens, the size options give a smaller model (e.g. FLOPs-matched) and are checked, and a
 * baseline run exports a model with its prompt segment bias and the sizes asked for.
 */
class ConcatBaselineTrainCliTest {
  /** Each baseline row's prompt tokens decode to its instruction, examples and separator, the rest to its input. */
  @Test
  void baselineBatchesMarkThePromptTokens() {
    CharWordTokenizerJson vocab = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    try (HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(vocab.toJson().getBytes(StandardCharsets.UTF_8)), 1024)) {
      InstructionSuite suite = InstructionSuite.standard();
      TrainingBatch b = new SuiteBatches(suite, t, false, 8, 4, 3).batch(1);
      assertThat(b.instructionIds()).isNull();
      int[] prompt = b.promptTokens();
      assertThat(prompt).hasSize(8);
      for (int r = 0; r < b.size(); r++) {
        long[] ids = b.inputIds().get(r);
        String head = t.decode(Arrays.copyOf(ids, prompt[r]));
        String rest = t.decode(Arrays.copyOfRange(ids, prompt[r], ids.length));
        assertThat(head).as("row %d", r).endsWith(" Input: ").hasSizeGreaterThan(" Input: ".length());
        assertThat(t.decode(ids)).isEqualTo(head + rest);
        assertThat(PromptFormat.concatenated(head.substring(0, head.length() - " Input: ".length()), java.util.List.of(), rest))
            .isEqualTo(head + rest);
      }
    }
  }

  @Test
  void sizeOptionsOverrideThePresetAndAreChecked() {
    HintConfig c = ModelSize.parse(Map.of("d-model", "96", "layers", "2+2", "ffn", "192"), 100);
    assertThat(c).isEqualTo(HintConfig.small(100).toBuilder().dModel(96).headDim(24).encoderLayers(2).decoderLayers(2).ffnDim(192).build());
    assertThat(ModelSize.parse(Map.of("size", "tiny", "heads", "2"), 100).headDim()).isEqualTo(16);
    assertThat(ModelSize.parse(Map.of(), 100)).isEqualTo(HintConfig.small(100));
    assertThat(ModelSize.overridden(Map.of("size", "tiny"))).isFalse();
    assertThatThrownBy(() -> ModelSize.parse(Map.of("d-model", "100", "heads", "8"), 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a multiple of --heads 8");
    for (String bad : new String[] {"3", "2+0", "a+b", "2+2+2", "99999999999+1"}) {
      assertThatThrownBy(() -> ModelSize.parse(Map.of("layers", bad), 100))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--layers must be ENCODER+DECODER");
    }
    assertThatThrownBy(() -> ModelSize.parse(Map.of("ffn", "0"), 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--ffn must be a whole number >= 1");
    assertThatThrownBy(() -> ModelSize.parse(Map.of("size", "huge"), 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--size");
    assertThatThrownBy(() -> TrainCli.main(new String[] {"--d-model", "64", "--init-checkpoint", "x.safetensors"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoint fixes the sizes");
    assertThatThrownBy(() -> TrainCli.main(new String[] {"--mode", "concat", "--export-hf", "x"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt segment bias");
    // The hypernetwork and the encoder-decoder partition the parameters.
    assertThat(ModelSize.parameters(c)).isEqualTo(ModelSize.parameters(c, n -> n.startsWith("hyper."))
        + ModelSize.parameters(c, n -> !n.startsWith("hyper.")));
  }

  /** Two steps of a small baseline: the exported model has the bias and the sizes asked for, and answers. */
  @Test
  void aBaselineRunExportsAModelWithItsSegmentBias(@TempDir Path dir) {
    TrainCli.main(new String[] {"--mode", "concat", "--size", "tiny", "--d-model", "16", "--heads", "2", "--layers", "1+1",
        "--ffn", "32", "--steps", "2", "--batch", "4", "--warmup", "1", "--eval-every", "2", "--out", dir.toString()});
    try (HintModel model = HintModel.builder().modelDir(dir.resolve("model")).build();
        BoundTask task = model.bind(model.concatenationTask("Copy the word.", java.util.List.of()))) {
      HintConfig c = model.config();
      assertThat(c.hasPromptSegmentBias()).isTrue();
      assertThat(new int[] {c.dModel(), c.numHeads(), c.headDim(), c.encoderLayers(), c.decoderLayers(), c.ffnDim()})
          .containsExactly(16, 2, 8, 1, 1, 32);
      assertThat(model.manifest().description()).contains("d=16, 2 heads of 8, ffn 32, 1+1 layers");
      assertThat(task.score("lamp", "lamp")).isFinite().isNegative();
    }
  }
}
