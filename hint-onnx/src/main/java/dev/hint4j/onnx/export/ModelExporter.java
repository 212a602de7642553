package dev.hint4j.onnx.export;

import com.google.common.hash.Hashing;
import dev.hint4j.HintConfig;
import dev.hint4j.ModelManifest;
import dev.hint4j.internal.io.AtomicFiles;
import dev.hint4j.onnx.arch.HintGraphs;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.arch.ModuleLayout;
import dev.hint4j.onnx.arch.WeightQuantization;
import dev.hint4j.onnx.graph.ExternalData;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.OnnxModelWriter;
import dev.hint4j.onnx.runtime.MiniLmInstructionStates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model directory: the three graphs, the tokenizer, and {@code hint-model.json} with the
 * sha-256 of every file. The directory appears complete or not at all: it is staged beside the
 * target and moved into place.
 */
public final class ModelExporter {
  /** Tensors at least this large go to the shared external-data file when external data is on. */
  public static final long EXTERNAL_THRESHOLD_BYTES = 1024;
  static final String WEIGHTS_FILE = "weights.bin";

  /**
   * @param name model name for the manifest
   * @param description what the weights are (say plainly if they are random)
   * @param externalData store weights once in {@code weights.bin}, shared by all graphs (for large
   *     models; graphs then load from a directory, not from bytes)
   * @param cacheInstructionKv store each decoder layer's cross-attention keys/values of the
   *     instruction in the module (default; the decoder never re-projects the instruction), or
   *     the encoded instruction only, re-projected by the encoder for every batch
   * @param weights how the encoder's and decoder's matmul weights are stored: float32, or
   *     quantized from the float32 weights for ONNX Runtime's quantized kernels (see
   *     {@link WeightQuantization}); recorded in the manifest. The hypernetwork stays float32.
   */
  public record Options(String name, String description, boolean externalData, boolean cacheInstructionKv,
      WeightQuantization weights) {
    public Options {
      if (weights == null) {
        throw new IllegalArgumentException("Options.weights is null; use WeightQuantization.FLOAT32 for float32");
      }
    }

    public Options(String name, String description, boolean externalData, boolean cacheInstructionKv) {
      this(name, description, externalData, cacheInstructionKv, WeightQuantization.FLOAT32);
    }

    public Options(String name, String description, boolean externalData) {
      this(name, description, externalData, true);
    }

    public Options withWeights(WeightQuantization w) {
      return new Options(name, description, externalData, cacheInstructionKv, w);
    }
  }

  private ModelExporter() {}

  public static ModelManifest export(HintWeights weights, String tokenizerJson, Path dir, Options options) {
    Path target = dir.toAbsolutePath().normalize();
    Path staged = target.resolveSibling("." + target.getFileName() + ".staging-" + System.nanoTime());
    try {
      Files.createDirectories(staged);
      ModelManifest manifest = writeFiles(weights, tokenizerJson, staged, options);
      AtomicFiles.replaceDirectory(staged, target);
      return manifest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export model to " + target + ": " + e.getMessage(), e);
    } finally {
      try {
        AtomicFiles.deleteRecursively(staged);
      } catch (IOException ignored) {
        // staged is gone after a successful move; otherwise best-effort cleanup
      }
    }
  }

  private static ModelManifest writeFiles(HintWeights weights, String tokenizerJson, Path dir, Options options) {
    HintGraphs graphs = new HintGraphs(weights, options.cacheInstructionKv(), options.weights());
    ExternalData external = options.externalData() ? new ExternalData(WEIGHTS_FILE, EXTERNAL_THRESHOLD_BYTES) : null;
    Map<String, ModelManifest.FileEntry> files = new LinkedHashMap<>();
    Map<String, String> meta = Map.of("hint4j.format", Integer.toString(ModelManifest.FORMAT_VERSION));
    for (Graph g : List.of(graphs.hypernetwork(), graphs.encoder(), graphs.decoder())) {
      byte[] bytes = OnnxModelWriter.toModel(g, meta, external).toByteArray();
      files.put(g.name(), write(dir, g.name() + ".onnx", bytes));
    }
    if (external != null) {
      files.put("weights", write(dir, WEIGHTS_FILE, external.bytes()));
    }
    files.put("tokenizer", write(dir, "tokenizer.json", tokenizerJson.getBytes(StandardCharsets.UTF_8)));
    List<ModelManifest.ModuleTensorSpec> specs = new ArrayList<>();
    for (ModuleLayout.TensorSpec s : ModuleLayout.allTensors(weights.config(), options.cacheInstructionKv())) {
      specs.add(new ModelManifest.ModuleTensorSpec(s.name(), Arrays.asList(s.dims()), s.paddedAxis()));
    }
    ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, options.name(), options.description(),
        weights.config(), files, specs, options.weights().quantized() ? options.weights().id() : null,
        pretrainedEncoderSha256(weights.config()));
    AtomicFiles.write(dir.resolve(ModelManifest.FILE_NAME), manifest.toJson().getBytes(StandardCharsets.UTF_8));
    return ModelManifest.fromJson(manifest.toJson());
  }

  /**
   * The SHA-256 of the pretrained instruction encoder's graph, which loading verifies (the graph
   * comes from its Maven artifact on the classpath, not from the model directory); null without the option.
   */
  private static String pretrainedEncoderSha256(HintConfig c) {
    HintConfig.PretrainedInstructionEncoder e = c.pretrainedInstructionEncoder();
    if (e == null) {
      return null;
    }
    if (!MiniLmInstructionStates.NAME.equals(e.name()) || e.width() != MiniLmInstructionStates.WIDTH) {
      throw new IllegalArgumentException("cannot export a model reading states of '" + e.name() + "' (width " + e.width()
          + "): the runtime runs only " + MiniLmInstructionStates.NAME + " (width " + MiniLmInstructionStates.WIDTH + ")");
    }
    return MiniLmInstructionStates.graphSha256();
  }

  private static ModelManifest.FileEntry write(Path dir, String file, byte[] bytes) {
    AtomicFiles.write(dir.resolve(file), bytes);
    return new ModelManifest.FileEntry(file, Hashing.sha256().hashBytes(bytes).toString());
  }
}
