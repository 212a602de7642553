package dev.hint4j.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.GenerationConfig;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.IncompatibleModuleException;
import dev.hint4j.ModelManifest;
import dev.hint4j.TaskModule;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.arch.WeightQuantization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exporting a model again with quantized weights: manifest, fingerprint and modules. */
class QuantizedExportTest {
  @TempDir Path tmp;

  @Test
  void exportedWeightsReadBackExactlyEmbeddedOrExternal() {
    for (boolean external : new boolean[] {false, true}) {
      Path dir = tmp.resolve("fp32-" + external);
      ModelManifest m = RandomModel.create(dir, HintConfig::tiny, 0, 5, external);
      HintWeights expected = HintWeights.random(m.config(), 5);
      HintWeights read = ExportedWeights.read(dir, m);
      assertThat(read.asMap().keySet()).isEqualTo(expected.asMap().keySet());
      expected.asMap().forEach((name, t) -> assertThat(read.get(name)).as(name).isEqualTo(t));
    }
  }

  @Test
  void quantizedModelHasItsOwnFingerprintAndCompilesTheSameModules() throws Exception {
    Path fp32 = tmp.resolve("fp32");
    Path int8 = tmp.resolve("int8");
    RandomModel.create(fp32, HintConfig::tiny, 0, 5, true);
    ModelManifest q = ExportedWeights.reexport(fp32, int8, WeightQuantization.INT8);
    assertThat(q.weightFormat()).isEqualTo("int8:block=128:accuracy=4");
    assertThat(WeightQuantization.parse(q.weightFormat())).isEqualTo(WeightQuantization.INT8);
    assertThat(ModelManifest.fromJson(Files.readString(int8.resolve(ModelManifest.FILE_NAME))).weightFormat())
        .isEqualTo(q.weightFormat());
    assertThat(Files.size(int8.resolve("decoder.onnx")) + Files.size(int8.resolve("weights.bin")))
        .as("quantized directory is written").isPositive();
    try (HintModel a = HintModel.builder().modelDir(fp32).build();
        HintModel b = HintModel.builder().modelDir(int8).build()) {
      assertThat(b.fingerprint()).isNotEqualTo(a.fingerprint());
      TaskModule ta = a.compile("Reverse the word.");
      TaskModule tb = b.compile("Reverse the word.");
      assertThat(tb.tensors()).as("the hypernetwork stays float32").isEqualTo(ta.tensors());
      assertThatThrownBy(() -> b.bind(ta)).isInstanceOf(IncompatibleModuleException.class);
      String out = b.bind(tb).generate("abc", GenerationConfig.greedy(4));
      assertThat(out).isNotNull();
    }
    assertThatThrownBy(() -> ExportedWeights.reexport(int8, tmp.resolve("again"), WeightQuantization.INT4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float32");
  }
}
