package dev.hint4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional weightFormat of a manifest: absent for float32, part of a quantized model's fingerprint. */
class ModelManifestWeightFormatTest {
  static final Map<String, ModelManifest.FileEntry> FILES = Map.of(
      "hypernetwork", new ModelManifest.FileEntry("hypernetwork.onnx", "00"),
      "encoder", new ModelManifest.FileEntry("encoder.onnx", "11"),
      "decoder", new ModelManifest.FileEntry("decoder.onnx", "22"),
      "tokenizer", new ModelManifest.FileEntry("tokenizer.json", "33"));
  static final List<ModelManifest.ModuleTensorSpec> SPECS =
      List.of(new ModelManifest.ModuleTensorSpec("prefix_mask", List.of("module_batch", 3), -1));

  @Test
  void float32ManifestsReadAndHashAsBefore() {
    ModelManifest fp32 = new ModelManifest(ModelManifest.FORMAT_VERSION, "m", "d", HintConfig.tiny(50), FILES, SPECS);
    assertThat(fp32.weightFormat()).isNull();
    assertThat(fp32.toJson()).doesNotContain("weightFormat"); // older readers see the manifest they know
    ModelManifest back = ModelManifest.fromJson(fp32.toJson());
    assertThat(back.weightFormat()).isNull();
    assertThat(back.fingerprint()).isEqualTo(fp32.fingerprint());
  }

  @Test
  void weightFormatRoundTripsAndChangesTheFingerprint() {
    ModelManifest fp32 = new ModelManifest(ModelManifest.FORMAT_VERSION, "m", "d", HintConfig.tiny(50), FILES, SPECS);
    ModelManifest int8 = new ModelManifest(ModelManifest.FORMAT_VERSION, "m", "d", HintConfig.tiny(50), FILES, SPECS, "int8:block=128:accuracy=4");
    ModelManifest back = ModelManifest.fromJson(int8.toJson());
    assertThat(back.weightFormat()).isEqualTo("int8:block=128:accuracy=4");
    assertThat(back.fingerprint()).isEqualTo(int8.fingerprint()).isNotEqualTo(fp32.fingerprint());
    assertThatThrownBy(() -> ModelManifest.fromJson(int8.toJson().replace("int8:block=128:accuracy=4", " ")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("weightFormat");
  }
}
