package dev.hint4j;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.hint4j.internal.codec.TaskModuleCodec;
import dev.hint4j.tensor.FloatTensor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a HINT model compiled from one task description: the generated adapters and prefixes and
 * the task's encoded instruction (as per-layer cross-attention keys and values), each tensor with
 * module batch 1. A {@link Kind#CONCATENATION} module instead carries the prompt to put in front
 * of every input, with an empty module (zero adapters, masked prefixes), for the baseline.
 *
 * <p>A value: immutable and thread-safe. {@link #id()} is a content hash of the model fingerprint,
 * the kind, the instruction and the examples, so applications can use it as a cache key; equality
 * is the id's (tensor values and their stored precision are not part of it).
 * Serialize with {@link #toBytes()}; read back with {@link #fromBytes(byte[], String)}.
 *
 * <pre>{@code
 * TaskModule task = model.compile(instruction, examples);
 * Files.write(dir.resolve(task.id()), task.toBytes(Precision.FLOAT16)); // half the bytes
 * TaskModule back = TaskModule.fromBytes(Files.readAllBytes(dir.resolve(task.id())), model.fingerprint());
 * }</pre>
 */
public final class TaskModule {
  /** How the task reaches the model. */
  public enum Kind {
    /** The hypernetwork compiled the instruction into adapters, prefixes and fused memory. */
    HINT,
    /** The instruction and examples are concatenated in front of every input (baseline). */
    CONCATENATION
  }

  private final String modelFingerprint;
  private final Kind kind;
  private final String instruction;
  private final List<Example> examples;
  private final ImmutableSortedMap<String, FloatTensor> tensors;
  private final String id;

  /**
   * A module from its parts; what {@link HintModel#compile} and the codec use. Tensors are not
   * checked here (a module knows no model); {@link HintModel#bind} checks names and shapes
   * against the model and refuses a module that does not fit with an {@link IncompatibleModuleException}.
   */
  public TaskModule(String modelFingerprint, Kind kind, String instruction, List<Example> examples,
      Map<String, FloatTensor> tensors) {
    this.modelFingerprint = Objects.requireNonNull(modelFingerprint, "modelFingerprint");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.instruction = Objects.requireNonNull(instruction, "instruction");
    this.examples = ImmutableList.copyOf(examples);
    this.tensors = ImmutableSortedMap.copyOf(tensors);
    this.id = computeId(modelFingerprint, kind, instruction, this.examples);
  }

  /** The content hash that {@link #id()} returns for these inputs, computable before compiling. */
  public static String computeId(String modelFingerprint, Kind kind, String instruction, List<Example> examples) {
    Hasher h = Hashing.sha256().newHasher();
    putString(h, "hint4j-task-v1");
    putString(h, modelFingerprint);
    putString(h, kind.name());
    putString(h, instruction);
    h.putInt(examples.size());
    for (Example e : examples) {
      putString(h, e.input());
      putString(h, e.output());
    }
    return h.hash().toString();
  }

  private static void putString(Hasher h, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    h.putInt(b.length).putBytes(b); // length-prefixed so ("ab","c") and ("a","bc") differ
  }

  public String id() {
    return id;
  }

  public String modelFingerprint() {
    return modelFingerprint;
  }

  public Kind kind() {
    return kind;
  }

  public String instruction() {
    return instruction;
  }

  public List<Example> examples() {
    return examples;
  }

  /** Module tensors by graph input name, sorted by name. */
  public Map<String, FloatTensor> tensors() {
    return tensors;
  }

  public FloatTensor tensor(String name) {
    FloatTensor t = tensors.get(name);
    if (t == null) {
      throw new InvalidInputException("module has no tensor '" + name + "'; it has " + tensors.keySet());
    }
    return t;
  }

  /** Bytes of tensor data held in memory (float32); what {@link TaskModuleCache} weighs. */
  public long byteSize() {
    long n = 0;
    for (FloatTensor t : tensors.values()) {
      n += t.byteSize();
    }
    return n;
  }

  /** Versioned, checksummed binary form with float32 tensors. */
  public byte[] toBytes() {
    return TaskModuleCodec.encode(this, Precision.FLOAT32);
  }

  /** Versioned, checksummed binary form with the chosen tensor precision. */
  public byte[] toBytes(Precision precision) {
    return TaskModuleCodec.encode(this, precision);
  }

  /**
   * Reads a module written by {@link #toBytes()}.
   *
   * @param expectedModelFingerprint the fingerprint of the model that will run it ({@code HintModel.fingerprint()})
   * @throws IncompatibleModuleException if the bytes are corrupt, of an unknown version, or from another model
   */
  public static TaskModule fromBytes(byte[] bytes, String expectedModelFingerprint) {
    TaskModule m = TaskModuleCodec.decode(bytes);
    if (!m.modelFingerprint.equals(expectedModelFingerprint)) {
      throw new IncompatibleModuleException("this TaskModule was compiled by model " + m.modelFingerprint
          + " but is being loaded for model " + expectedModelFingerprint
          + "; compile the task again with this model");
    }
    return m;
  }

  /**
   * Equal when the ids are equal: the same model, kind, instruction and examples. Tensor values
   * are not part of a module's identity, so the stored precision is not either: a module read
   * back from float16 bytes equals (and may stand in for) its float32 original. Compare
   * {@link #tensors()} to compare values.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof TaskModule m && id.equals(m.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "TaskModule{" + kind + ", id=" + id.substring(0, 12) + ", " + tensors.size() + " tensors, "
        + byteSize() + " bytes}";
  }
}
