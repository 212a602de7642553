package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.Device;
import dev.hint4j.HintModel;
import dev.hint4j.ModelLoadException;
import dev.hint4j.ProviderUnavailableException;
import dev.hint4j.onnx.testing.TinyModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken model directories and unusable devices fail at load with messages that say what to fix. */
class ModelLoadingTest {
  @TempDir Path tmp;

  Path copy() throws IOException {
    Path dst = tmp.resolve("model");
    Files.createDirectories(dst);
    try (Stream<Path> files = Files.list(TinyModel.dir())) {
      for (Path p : files.toList()) {
        Files.copy(p, dst.resolve(p.getFileName()));
      }
    }
    return dst;
  }

  /** A model packaged as classpath resources (as a jar would carry it) loads from bytes. */
  @Test
  void loadsFromTheClasspath() throws Exception {
    Path root = tmp.resolve("cp");
    Path folder = root.resolve("models/tiny");
    Files.createDirectories(folder.getParent());
    Files.move(copy(), folder);
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {root.toUri().toURL()}, previous)) {
      Thread.currentThread().setContextClassLoader(loader);
      try (HintModel m = HintModel.builder().classpathModel("models/tiny").build();
          HintModel fromDir = HintModel.builder().modelDir(TinyModel.dir()).build()) {
        assertThat(m.fingerprint()).isEqualTo(fromDir.fingerprint());
        assertThat(m.bind(m.compile("Reverse.")).generate("abc")).isEqualTo(fromDir.bind(fromDir.compile("Reverse.")).generate("abc"));
      }
      assertThatThrownBy(() -> HintModel.builder().classpathModel("models/none").build())
          .isInstanceOf(ModelLoadException.class).hasMessageContaining("classpath");
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  @Test
  void flippedByteIsCaughtByTheChecksum() throws IOException {
    Path dir = copy();
    byte[] b = Files.readAllBytes(dir.resolve("encoder.onnx"));
    b[b.length / 2] ^= 0x10;
    Files.write(dir.resolve("encoder.onnx"), b);
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("encoder.onnx").hasMessageContaining("sha256");
  }

  @Test
  void missingFileIsNamed() throws IOException {
    Path dir = copy();
    Files.delete(dir.resolve("decoder.onnx"));
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("decoder.onnx");
  }

  @Test
  void unknownFormatVersionAndEscapingPathsAreRejected() throws IOException {
    Path dir = copy();
    Path manifest = dir.resolve("hint-model.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    Files.writeString(manifest, json.replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("format version 99");
    Files.writeString(manifest, json.replace("\"file\": \"encoder.onnx\"", "\"file\": \"../encoder.onnx\""));
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("plain file name");
    assertThatThrownBy(() -> HintModel.builder().modelDir(tmp.resolve("nowhere")).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("does not exist");
  }

  @Test
  void aGraphWhoseInputsDoNotMatchTheManifestIsRejected() throws IOException {
    // The encoder's bytes stored as the decoder, with the manifest's sha-256 updated so the
    // checksum passes: only the graph I/O check can catch it.
    Path dir = copy();
    byte[] encoder = Files.readAllBytes(dir.resolve("encoder.onnx"));
    String oldSha = com.google.common.hash.Hashing.sha256().hashBytes(Files.readAllBytes(dir.resolve("decoder.onnx"))).toString();
    String newSha = com.google.common.hash.Hashing.sha256().hashBytes(encoder).toString();
    Files.write(dir.resolve("decoder.onnx"), encoder);
    Path manifest = dir.resolve("hint-model.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    assertThat(json).contains(oldSha);
    Files.writeString(manifest, json.replace(oldSha, newSha));
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining(" graph ").hasMessageContaining("decoder");
  }

  @Test
  void moduleTensorSizesFromTheManifestAreBoundedBeforeAllocating() throws IOException {
    Path dir = copy();
    Path manifest = dir.resolve("hint-model.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    String huge = json.replaceFirst("\"dims\":\\s*\\[\\s*\"module_batch\",\\s*\\d+", "\"dims\": [\"module_batch\", 2000000000");
    assertThat(huge).isNotEqualTo(json);
    Files.writeString(manifest, huge);
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("elements");
  }

  @Test
  void cudaOnTheCpuBuildSaysWhatToInstallOrFallsBackWhenAllowed() {
    assertThatThrownBy(() -> HintModel.builder().modelDir(TinyModel.dir()).device(Device.cuda(0)).build())
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("onnxruntime_gpu").hasMessageContaining("CUDA 12").hasMessageContaining("cuDNN 9");
    try (HintModel m = HintModel.builder().modelDir(TinyModel.dir()).device(Device.cuda(0)).allowCpuFallback(true).build()) {
      assertThat(m.describeRuntime()).contains("device cpu");
      assertThat(m.bind(m.compile("Reverse.")).generate("abc")).isNotNull();
    }
  }
}
