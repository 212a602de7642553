package dev.hint4j;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code hint-model.json}: what a model directory holds and how its graphs are wired.
 *
 * @param formatVersion manifest format; this build reads {@link #FORMAT_VERSION}
 * @param name human-readable model name
 * @param description what the model is (trained, random weights, ...)
 * @param config every size of the model
 * @param files role ("hypernetwork", "encoder", "decoder", "tokenizer", "weights") → file entry
 * @param moduleTensors the tensors of a task module, in graph-input order
 * @param weightFormat how the encoder and decoder store their matmul weights, e.g.
 *     {@code int8:block=32:accuracy=4} (ONNX Runtime's MatMulNBits); null (absent) for float32.
 *     Optional, so manifests written before it existed still read as float32 models.
 * @param pretrainedEncoderSha256 the SHA-256 (lower-case hex) of the ONNX graph of the config's
 *     {@link HintConfig#pretrainedInstructionEncoder()}, which the backend loads from its own
 *     artifact and verifies against this; present exactly when the config has the option (absent
 *     from the JSON otherwise)
 */
public record ModelManifest(
    int formatVersion,
    String name,
    String description,
    HintConfig config,
    Map<String, FileEntry> files,
    List<ModuleTensorSpec> moduleTensors,
    String weightFormat,
    String pretrainedEncoderSha256) {

  /** A float32 model's manifest. */
  public ModelManifest(int formatVersion, String name, String description, HintConfig config, Map<String, FileEntry> files,
      List<ModuleTensorSpec> moduleTensors) {
    this(formatVersion, name, description, config, files, moduleTensors, null);
  }

  /** A manifest of a model without a pretrained instruction encoder. */
  public ModelManifest(int formatVersion, String name, String description, HintConfig config, Map<String, FileEntry> files,
      List<ModuleTensorSpec> moduleTensors, String weightFormat) {
    this(formatVersion, name, description, config, files, moduleTensors, weightFormat, null);
  }

  /**
   * 2: the hypernetwork graph outputs every module tensor, the masks included (in 1 the library
   * made {@code instruction_mask} and {@code prefix_mask}); a float32 directory of format 1 is
   * exported again as 2 by {@code ExportedWeights.reexport} (hint-onnx), e.g. with
   * {@code QuantizeModel --weights fp32}.
   */
  public static final int FORMAT_VERSION = 2;
  public static final String FILE_NAME = "hint-model.json";

  /** A file of the model directory with its SHA-256 (lower-case hex). */
  public record FileEntry(String file, String sha256) {}

  /**
   * One module tensor: dims are numbers or the symbols {@code module_batch} and
   * {@code instruction_length}; {@code paddedAxis} grows with the instruction (or -1).
   */
  public record ModuleTensorSpec(String name, List<Object> dims, int paddedAxis) {}

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  public String toJson() {
    return GSON.toJson(this);
  }

  /** Parses and validates; every problem is a {@link ModelLoadException} saying what is wrong. */
  public static ModelManifest fromJson(String json) {
    ModelManifest m;
    try {
      m = GSON.fromJson(json, ModelManifest.class);
    } catch (RuntimeException e) { // malformed JSON, or a record constructor rejecting a value
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new ModelLoadException(FILE_NAME + " cannot be read: " + root.getMessage(), e);
    }
    if (m == null) {
      throw new ModelLoadException(FILE_NAME + " is empty");
    }
    if (m.formatVersion != FORMAT_VERSION) {
      throw new ModelLoadException(FILE_NAME + " has format version " + m.formatVersion
          + "; this hint4j reads version " + FORMAT_VERSION + ". Use a matching hint4j release or re-export the model.");
    }
    if (m.config == null || m.files == null || m.moduleTensors == null) {
      throw new ModelLoadException(FILE_NAME + " lacks config, files or moduleTensors");
    }
    HintConfig checked = HintConfig.fromJson(GSON.toJson(m.config));
    for (String role : List.of("hypernetwork", "encoder", "decoder", "tokenizer")) {
      FileEntry f = m.files.get(role);
      if (f == null || f.file() == null || f.sha256() == null) {
        throw new ModelLoadException(FILE_NAME + " names no '" + role + "' file (with sha256)");
      }
    }
    for (Map.Entry<String, FileEntry> e : m.files.entrySet()) {
      FileEntry f = e.getValue();
      if (f == null || f.file() == null || f.sha256() == null) { // every file is hashed into the fingerprint
        throw new ModelLoadException(FILE_NAME + " entry '" + e.getKey() + "' lacks a file name or its sha256");
      }
      checkPlainFileName(f.file());
    }
    for (ModuleTensorSpec spec : m.moduleTensors) {
      checkSpec(spec);
    }
    if (m.weightFormat != null && m.weightFormat.isBlank()) {
      throw new ModelLoadException(FILE_NAME + " has an empty weightFormat; leave it out for float32 weights");
    }
    if ((checked.pretrainedInstructionEncoder() != null) != (m.pretrainedEncoderSha256 != null)) {
      throw new ModelLoadException(checked.pretrainedInstructionEncoder() != null
          ? FILE_NAME + " lacks pretrainedEncoderSha256, the SHA-256 of the " + checked.pretrainedInstructionEncoder().name()
              + " graph this model was trained with; export the model again"
          : FILE_NAME + " has a pretrainedEncoderSha256 but its config has no pretrainedInstructionEncoder");
    }
    if (m.pretrainedEncoderSha256 != null && !m.pretrainedEncoderSha256.matches("[0-9a-f]{64}")) {
      throw new ModelLoadException(FILE_NAME + " pretrainedEncoderSha256 '" + m.pretrainedEncoderSha256
          + "' is not 64 lower-case hex digits");
    }
    return new ModelManifest(m.formatVersion, m.name, m.description, checked, m.files, m.moduleTensors, m.weightFormat,
        m.pretrainedEncoderSha256);
  }

  /** Dims must be whole numbers in int range or the two symbols, so the spec can size a tensor and be written back. */
  private static void checkSpec(ModuleTensorSpec spec) {
    if (spec == null || spec.name() == null || spec.dims() == null) {
      throw new ModelLoadException(FILE_NAME + " has a module tensor without a name or dims");
    }
    for (Object d : spec.dims()) {
      boolean ok = d instanceof Number n
          ? n.doubleValue() >= 0 && n.doubleValue() <= Integer.MAX_VALUE && n.doubleValue() == Math.rint(n.doubleValue())
          : "module_batch".equals(d) || "instruction_length".equals(d);
      if (!ok) {
        throw new ModelLoadException(FILE_NAME + " module tensor '" + spec.name() + "' has dimension " + d
            + "; dims are whole numbers or the symbols module_batch and instruction_length");
      }
    }
    if (spec.paddedAxis() < -1 || spec.paddedAxis() >= spec.dims().size()) {
      throw new ModelLoadException(FILE_NAME + " module tensor '" + spec.name() + "' pads axis " + spec.paddedAxis()
          + " of " + spec.dims().size());
    }
  }

  /** File names must stay inside the model directory: no separators, no "..", no absolute paths. */
  public static void checkPlainFileName(String file) {
    if (file == null || file.isEmpty() || file.contains("/") || file.contains("\\") || file.equals("..")
        || file.equals(".") || file.contains("\0")) {
      throw new ModelLoadException("model file name '" + file + "' is not a plain file name inside the model directory");
    }
  }

  /**
   * Identity of the model: a hash of the config, every file's hash and the weight format (when
   * quantized). Two directories with the same files have the same fingerprint, wherever they
   * live. A quantized export of a model has its own fingerprint, so task modules compiled on one
   * are refused by the other; both compile identical modules (the hypernetwork stays float32), so
   * moving to the quantized model means compiling the tasks again.
   */
  public String fingerprint() {
    Hasher h = Hashing.sha256().newHasher();
    h.putString(config.toJson(), StandardCharsets.UTF_8);
    for (Map.Entry<String, FileEntry> e : new TreeMap<>(files).entrySet()) {
      h.putString(e.getKey(), StandardCharsets.UTF_8).putString(e.getValue().sha256(), StandardCharsets.UTF_8);
    }
    if (weightFormat != null) { // absent for float32, which keeps float32 fingerprints as they were
      h.putString("weightFormat", StandardCharsets.UTF_8).putString(weightFormat, StandardCharsets.UTF_8);
    }
    if (pretrainedEncoderSha256 != null) { // the encoder's graph shapes every module; absent otherwise, as before
      h.putString("pretrainedEncoderSha256", StandardCharsets.UTF_8).putString(pretrainedEncoderSha256, StandardCharsets.UTF_8);
    }
    return h.hash().toString();
  }
}
