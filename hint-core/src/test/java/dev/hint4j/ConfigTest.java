package dev.hint4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void hintConfigRoundTripsThroughJsonAndRejectsNonsense() {
    HintConfig c = HintConfig.t5SmallShaped(32128);
    assertThat(HintConfig.fromJson(c.toJson())).isEqualTo(c);
    assertThat(c.componentRows()).isEqualTo(12 * (2 * 64 + 2) + 18 * 2 * 30);
    assertThatThrownBy(() -> HintConfig.fromJson(c.toJson().replace("\"dModel\": 512", "\"dModel\": -1")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("dModel");
    assertThatThrownBy(() -> HintConfig.fromJson("{not json")).isInstanceOf(ModelLoadException.class);
    assertThatThrownBy(() -> HintConfig.fromJson(c.toJson().replace("\"relativeMaxDistance\": 128", "\"relativeMaxDistance\": 16")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("relativeMaxDistance");
  }

  /** The baseline's prompt segment bias: in the JSON only when on, so every other config (and fingerprint) reads as before. */
  @Test
  void promptSegmentBiasIsWrittenOnlyWhenOn() {
    HintConfig off = HintConfig.small(50);
    HintConfig on = off.toBuilder().promptSegmentBias(true).build();
    assertThat(off.hasPromptSegmentBias()).isFalse();
    assertThat(on.hasPromptSegmentBias()).isTrue();
    assertThat(off.toJson()).doesNotContain("promptSegmentBias");
    assertThat(on.toJson()).contains("\"promptSegmentBias\": true");
    assertThat(HintConfig.fromJson(on.toJson())).isEqualTo(on);
    assertThat(on.toBuilder().build()).isEqualTo(on);
    // An explicit false is the same config as an absent one.
    assertThat(HintConfig.fromJson(on.toJson().replace("\"promptSegmentBias\": true", "\"promptSegmentBias\": false"))).isEqualTo(off);
    assertThat(on.toBuilder().promptSegmentBias(false).build()).isEqualTo(off);
  }

  @Test
  void hintConfigBuilderNamesTheSizes() {
    // The presets as they were written positionally before the builder existed.
    assertThat(HintConfig.tiny(50)).isEqualTo(new HintConfig(50, 32, 4, 8, 2, 2, 64, 16, 32, 4, 3, 1e-6, 64, 128, 32, 0, 1, 2));
    assertThat(HintConfig.small(50)).isEqualTo(new HintConfig(50, 128, 4, 32, 3, 3, 256, 32, 128, 16, 8, 1e-6, 256, 512, 64, 0, 1, 2));
    assertThat(HintConfig.t5SmallShaped(50))
        .isEqualTo(new HintConfig(50, 512, 8, 64, 6, 6, 1024, 32, 128, 64, 30, 1e-6, 512, 1024, 64, 0, 1, 2));
    HintConfig c = HintConfig.tiny(50).toBuilder().adapterSize(6).eosId(3).build();
    assertThat(c.adapterSize()).isEqualTo(6);
    assertThat(c.eosId()).isEqualTo(3);
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThatThrownBy(() -> HintConfig.builder(50).numHeads(0).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numHeads");
  }

  @Test
  void manifestValidation() {
    ModelManifest m = new ModelManifest(ModelManifest.FORMAT_VERSION, "m", "d", HintConfig.tiny(50),
        Map.of("hypernetwork", new ModelManifest.FileEntry("hypernetwork.onnx", "00"),
            "encoder", new ModelManifest.FileEntry("encoder.onnx", "11"),
            "decoder", new ModelManifest.FileEntry("decoder.onnx", "22"),
            "tokenizer", new ModelManifest.FileEntry("tokenizer.json", "33")),
        List.of(new ModelManifest.ModuleTensorSpec("prefix_mask", List.of("module_batch", 3), -1)));
    ModelManifest back = ModelManifest.fromJson(m.toJson());
    assertThat(back.fingerprint()).isEqualTo(m.fingerprint()).hasSize(64);
    assertThatThrownBy(() -> ModelManifest.fromJson(m.toJson().replace("\"decoder\":", "\"other\":")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("'decoder'");
    assertThatThrownBy(() -> ModelManifest.fromJson(m.toJson().replace("encoder.onnx", "/etc/passwd")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("plain file name");
    ModelManifest other = new ModelManifest(ModelManifest.FORMAT_VERSION, "m", "d", HintConfig.tiny(51), m.files(), m.moduleTensors());
    assertThat(other.fingerprint()).isNotEqualTo(m.fingerprint());
  }

  @Test
  void generationSettingsAreChecked() {
    assertThatThrownBy(() -> GenerationConfig.greedy(GenerationConfig.MAX_NEW_TOKENS_LIMIT + 1)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> GenerationConfig.beam(0, 10)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> GenerationConfig.sampling(10, 0.0, 0, 1.0, 1)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> GenerationConfig.sampling(10, 1.0, -1, 1.0, 1)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> GenerationConfig.sampling(10, 1.0, 0, 1.5, 1)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> GenerationConfig.greedy(4).withMinNewTokens(5)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void generationBuilderNamesEverySettingAndRefusesIgnoredOnes() {
    GenerationConfig beam = GenerationConfig.builder().maxNewTokens(32).beams(4).lengthPenalty(0.5).minNewTokens(2)
        .stopTokens(java.util.Set.of(7L)).build();
    assertThat(beam).isEqualTo(new GenerationConfig(GenerationConfig.Strategy.BEAM, 32, 4, 0.5, 1.0, 0, 1.0, 0,
        java.util.Set.of(7L), 2));
    assertThat(GenerationConfig.beam(4, 32).lengthPenalty()).as("beam search ranks by log-probability by default").isZero();
    GenerationConfig sample = GenerationConfig.builder().maxNewTokens(16).sampling(42).temperature(0.7).topK(5).topP(0.9).build();
    assertThat(sample).isEqualTo(GenerationConfig.sampling(16, 0.7, 5, 0.9, 42));
    assertThat(sample.toBuilder().build()).isEqualTo(sample);
    assertThat(GenerationConfig.greedy(8).withLengthPenalty(1).toBuilder().minNewTokens(1).build().minNewTokens()).isOne();
    assertThatThrownBy(() -> GenerationConfig.builder().beams(2).build()).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("maxNewTokens");
    assertThatThrownBy(() -> GenerationConfig.builder().maxNewTokens(8).temperature(0.5).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("sampling(seed)");
    assertThatThrownBy(() -> GenerationConfig.builder().maxNewTokens(8).lengthPenalty(1).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("beams(n)");
    assertThatThrownBy(() -> GenerationConfig.builder().maxNewTokens(8).beams(GenerationConfig.MAX_BEAMS + 1).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("numBeams");
  }

  @Test
  void taskIdsSeparateFieldsUnambiguously() {
    String fp = "f".repeat(64);
    String a = TaskModule.computeId(fp, TaskModule.Kind.HINT, "ab", List.of(Example.of("c", "d")));
    String b = TaskModule.computeId(fp, TaskModule.Kind.HINT, "a", List.of(Example.of("bc", "d")));
    String c = TaskModule.computeId(fp, TaskModule.Kind.CONCATENATION, "ab", List.of(Example.of("c", "d")));
    assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    assertThat(PromptFormat.taskText("Sort.", List.of(Example.of("ba", "ab")))).isEqualTo("Sort. Example input: ba Example output: ab");
  }
}
