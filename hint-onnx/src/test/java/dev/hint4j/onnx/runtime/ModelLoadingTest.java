package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.BoundTask;
import dev.hint4j.Device;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.ModelLoadException;
import dev.hint4j.ModelManifest;
import dev.hint4j.ProviderUnavailableException;
import dev.hint4j.TaskModule;
import dev.hint4j.onnx.arch.WeightQuantization;
import dev.hint4j.onnx.export.ExportedWeights;
import dev.hint4j.onnx.export.RandomModel;
import dev.hint4j.onnx.testing.TinyModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  /**
   * A format-1 directory (the hypernetwork did not output the masks; the library made them) is
   * refused naming its version, and exporting it again migrates it: same modules, same answers.
   */
  @Test
  void formatOneIsRefusedAndMigratedByExportingAgain() throws IOException {
    Path dir = copy();
    Path hyperFile = dir.resolve("hypernetwork.onnx");
    ai.onnx.proto.OnnxMl.ModelProto.Builder model = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(hyperFile)).toBuilder();
    List<String> masks = List.of("instruction_mask", "prefix_mask");
    List<ai.onnx.proto.OnnxMl.ValueInfoProto> outputs = model.getGraph().getOutputList().stream()
        .filter(o -> !masks.contains(o.getName())).toList();
    List<ai.onnx.proto.OnnxMl.NodeProto> nodes = model.getGraph().getNodeList().stream()
        .filter(n -> !n.getOutputList().contains("prefix_mask")).toList();
    model.getGraphBuilder().clearOutput().addAllOutput(outputs).clearNode().addAllNode(nodes);
    byte[] formatOne = model.build().toByteArray();
    Files.write(hyperFile, formatOne);
    com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(
        Files.readString(dir.resolve("hint-model.json"), StandardCharsets.UTF_8)).getAsJsonObject();
    json.addProperty("formatVersion", 1);
    json.getAsJsonObject("files").getAsJsonObject("hypernetwork")
        .addProperty("sha256", com.google.common.hash.Hashing.sha256().hashBytes(formatOne).toString());
    Files.writeString(dir.resolve("hint-model.json"), json.toString());
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("format version 1");

    Path migrated = tmp.resolve("migrated");
    ExportedWeights.reexport(dir, migrated, WeightQuantization.FLOAT32);
    try (HintModel m = HintModel.builder().modelDir(migrated).build();
        HintModel original = HintModel.builder().modelDir(TinyModel.dir()).build()) {
      TaskModule a = m.compile("Reverse.");
      TaskModule b = original.compile("Reverse.");
      assertThat(a.tensors().keySet()).isEqualTo(b.tensors().keySet());
      for (String name : a.tensors().keySet()) {
        assertThat(a.tensor(name).toArray()).as(name).isEqualTo(b.tensor(name).toArray());
      }
      assertThat(m.bind(a).generate("abc")).isEqualTo(original.bind(b).generate("abc"));
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
    Files.writeString(manifest, json.replace("\"formatVersion\": " + ModelManifest.FORMAT_VERSION, "\"formatVersion\": 99"));
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
    // instruction_mask: its graph dims are symbolic, so only the library's own bound stands between
    // the manifest's number and an allocation (static dims are also checked against the graphs).
    String huge = json.replaceFirst("(\"name\":\\s*\"instruction_mask\",\\s*\"dims\":\\s*\\[\\s*\"module_batch\",\\s*)\"instruction_length\"",
        "$12000000000");
    assertThat(huge).isNotEqualTo(json);
    Files.writeString(manifest, huge);
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("elements");
  }

  /** A tiny model whose weights live in weights.bin (as large models' do), the graphs only referencing it. */
  Path externalDataModel() {
    Path dir = tmp.resolve("external");
    RandomModel.create(dir, HintConfig::tiny, 0, TinyModel.SEED, true);
    assertThat(dir.resolve("weights.bin")).exists();
    return dir;
  }

  static String generateOnce(Path dir) {
    try (HintModel m = HintModel.builder().modelDir(dir).build(); BoundTask t = m.bind(m.compile("Reverse."))) {
      return t.generate("abc", GenerationConfig.greedy(8).withMinNewTokens(8));
    }
  }

  @Test
  void externalWeightsAreVerifiedLikeEveryOtherFile() throws IOException {
    Path dir = externalDataModel();
    assertThat(generateOnce(dir)).isEqualTo(generateOnce(TinyModel.dir())); // same weights, stored the other way
    Path weights = dir.resolve("weights.bin");
    byte[] original = Files.readAllBytes(weights);
    byte[] flipped = original.clone();
    flipped[flipped.length / 2] ^= 0x01; // one bit of one float
    Files.write(weights, flipped);
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("weights.bin").hasMessageContaining("sha256");
    Files.delete(weights);
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("lacks weights.bin");
    // A manifest naming a weights file that is not there (the graphs' own weights.bin restored).
    Files.write(weights, original);
    Path manifest = dir.resolve("hint-model.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    Files.writeString(manifest, json.replace("\"file\": \"weights.bin\"", "\"file\": \"weights-elsewhere.bin\""));
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("lacks weights-elsewhere.bin");
  }

  static String withConfigValue(String json, String field, long value) {
    String changed = json.replaceFirst("\"" + field + "\":\\s*\\d+", "\"" + field + "\": " + value);
    assertThat(changed).isNotEqualTo(json);
    return changed;
  }

  @Test
  void absurdManifestNumbersAreRefusedNamingTheField() throws IOException {
    Path dir = copy();
    Path manifest = dir.resolve("hint-model.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    for (String field : List.of("maxInputLength", "maxTargetLength", "maxInstructionLength", "vocabSize", "dModel", "numHeads")) {
      Files.writeString(manifest, withConfigValue(json, field, Integer.MAX_VALUE));
      assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build()).as(field)
          .isInstanceOf(ModelLoadException.class).hasMessageContaining(field).hasMessageContaining(Integer.toString(Integer.MAX_VALUE));
    }
  }

  @Test
  void manifestSizesMustMatchTheGraphs() throws IOException {
    Path dir = copy();
    Path manifest = dir.resolve("hint-model.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    int vocab = dev.hint4j.ModelManifest.fromJson(json).config().vocabSize();
    Files.writeString(manifest, withConfigValue(json, "vocabSize", vocab + 100));
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("vocabSize = " + (vocab + 100))
        .hasMessageContaining("logits").hasMessageContaining(Integer.toString(vocab));
    int d = dev.hint4j.ModelManifest.fromJson(json).config().dModel();
    Files.writeString(manifest, withConfigValue(json, "dModel", d * 2));
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("dModel");
  }

  /**
   * CUDA where it cannot work fails clearly (or falls back when allowed); where the CUDA build and a
   * GPU exist, CUDA answers as the CPU does.
   */
  @Test
  void cudaFailsClearlyWithoutABuildOrDeviceAndElseMatchesTheCpu() throws Exception {
    boolean cudaBuild = ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
    boolean gpuVisible = Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/dev/nvidiactl"));
    GenerationConfig eight = GenerationConfig.greedy(8).withMinNewTokens(8);
    if (cudaBuild && gpuVisible) {
      try (HintModel cpu = HintModel.builder().modelDir(TinyModel.dir()).build();
          HintModel gpu = HintModel.builder().modelDir(TinyModel.dir()).device(Device.cuda(0)).build();
          BoundTask c = cpu.bind(cpu.compile("Reverse."));
          BoundTask g = gpu.bind(gpu.compile("Reverse."))) {
        assertThat(gpu.describeRuntime()).contains("device cuda:0");
        assertThat(g.generate("abc", eight)).isEqualTo(c.generate("abc", eight));
        // float32 on different kernels: summed log-probabilities agree to 1e-3 relative (the graph tolerance, 2e-4 per token, over a few tokens).
        double expected = c.score("abc", "cba");
        assertThat(g.score("abc", "cba")).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3 * (1 + Math.abs(expected))));
      }
      return;
    }
    var refused = assertThatThrownBy(() -> HintModel.builder().modelDir(TinyModel.dir()).device(Device.cuda(0)).build())
        .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("CUDA 12").hasMessageContaining("cuDNN 9");
    if (!cudaBuild) {
      refused.hasMessageContaining("onnxruntime_gpu");
    }
    try (HintModel m = HintModel.builder().modelDir(TinyModel.dir()).device(Device.cuda(0)).allowCpuFallback(true).build();
        HintModel cpu = HintModel.builder().modelDir(TinyModel.dir()).build();
        BoundTask fallback = m.bind(m.compile("Reverse."));
        BoundTask plain = cpu.bind(cpu.compile("Reverse."))) {
      assertThat(m.describeRuntime()).contains("device cpu");
      assertThat(fallback.generate("abc", eight)).isEqualTo(plain.generate("abc", eight));
    }
  }
}
