package dev.hint4j.onnx.export;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hint4j.ModelLoadException;
import dev.hint4j.ModelManifest;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.arch.ModuleLayout;
import dev.hint4j.tensor.FloatTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The float32 parameters of an exported model directory, read back from its graphs' initializers
 * (embedded or in the shared external-data file), so an existing model can be exported again in
 * another weight format without its training checkpoint, or in the current manifest format.
 */
public final class ExportedWeights {
  private ExportedWeights() {}

  /** Re-exports the float32 model in {@code from} to {@code to} with the encoder and decoder weights as {@code format} says. */
  public static ModelManifest reexport(Path from, Path to, dev.hint4j.onnx.arch.WeightQuantization format) {
    ModelManifest m = manifest(from);
    if (m.weightFormat() != null) {
      throw new IllegalArgumentException(from + " holds " + m.weightFormat() + " weights; re-export from its float32 model");
    }
    boolean cacheKv = m.moduleTensors().stream().anyMatch(s -> s.name().equals(ModuleLayout.instructionCrossKey(0)));
    String tokenizer = read(from.resolve(m.files().get("tokenizer").file()));
    String description = m.description() + (format.quantized() ? "; weights " + format.id() + " (re-exported from float32)" : "");
    return ModelExporter.export(read(from, m), tokenizer, to,
        new ModelExporter.Options(m.name(), description, m.files().containsKey("weights"), cacheKv, format));
  }

  /** Every parameter of the float32 model in {@code dir}, checked against its config's shapes. */
  public static HintWeights read(Path dir, ModelManifest m) {
    Map<String, long[]> wanted = HintWeights.shapes(m.config());
    Map<String, FloatTensor> params = new HashMap<>();
    for (String role : List.of("hypernetwork", "encoder", "decoder")) {
      OnnxMl.ModelProto model;
      try {
        model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.resolve(m.files().get(role).file())));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the " + role + " graph of " + dir, e);
      }
      for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
        if (wanted.containsKey(t.getName()) && !params.containsKey(t.getName())) {
          params.put(t.getName(), floats(dir, t));
        }
      }
    }
    return new HintWeights(m.config(), params);
  }

  private static FloatTensor floats(Path dir, OnnxMl.TensorProto t) {
    if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
      throw new ModelLoadException("parameter '" + t.getName() + "' is not float32 (data type " + t.getDataType() + ")");
    }
    long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    int n = Math.toIntExact(FloatTensor.elementCount(shape));
    float[] a = new float[n];
    if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
      Map<String, String> ext = new HashMap<>();
      t.getExternalDataList().forEach(e -> ext.put(e.getKey(), e.getValue()));
      String file = ext.get("location");
      ModelManifest.checkPlainFileName(file);
      long offset = Long.parseLong(ext.getOrDefault("offset", "0"));
      try (var ch = java.nio.channels.FileChannel.open(dir.resolve(file))) {
        ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        while (bb.hasRemaining()) {
          if (ch.read(bb, offset + bb.position()) < 0) {
            throw new ModelLoadException("external data of '" + t.getName() + "' runs past the end of " + file);
          }
        }
        bb.flip().asFloatBuffer().get(a);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read external data of '" + t.getName() + "'", e);
      }
    } else if (!t.getRawData().isEmpty()) {
      t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
    } else {
      for (int i = 0; i < n; i++) {
        a[i] = t.getFloatData(i);
      }
    }
    return FloatTensor.wrap(shape, a);
  }

  /**
   * The manifest of {@code dir}. Format 1 is read as the current format: it differs only in what
   * the hypernetwork graph outputs, which exporting again rebuilds, so this is how a format-1
   * directory is migrated.
   */
  private static ModelManifest manifest(Path dir) {
    String json = read(dir.resolve(ModelManifest.FILE_NAME));
    JsonObject o;
    try {
      o = JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      return ModelManifest.fromJson(json); // reports what is wrong with it
    }
    JsonElement version = o.get("formatVersion");
    if (version != null && version.isJsonPrimitive() && version.getAsJsonPrimitive().isNumber() && version.getAsInt() == 1) {
      o.addProperty("formatVersion", ModelManifest.FORMAT_VERSION);
      json = o.toString();
    }
    return ModelManifest.fromJson(json);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
