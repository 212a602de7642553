package dev.hint4j;

import dev.hint4j.cost.CostModel;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.spi.Backend;
import dev.hint4j.spi.ModelFiles;
import dev.hint4j.spi.RuntimeOptions;
import dev.hint4j.tensor.FloatTensor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded HINT model: tokenizer, graphs and their backend. {@link #compile} turns a task
 * description into a {@link TaskModule} once; {@link #bind} makes a {@link BoundTask} that answers
 * inputs without re-reading the instruction.
 *
 * <p>Thread-safe: share one instance across threads. {@link #close()} waits for calls in flight,
 * frees native resources and is idempotent; any call after it throws {@link IllegalStateException}
 * saying the model is closed. Closing from inside a call on this model (from a {@link TokenListener})
 * is refused with {@link IllegalStateException}: close it after the call returns.
 *
 * <p>Arguments: a null text (instruction, input, target), blank text where text is required, and
 * a null element inside a list are {@link InvalidInputException}s naming it; any other null argument
 * (a list, a config, a task) is a {@link NullPointerException} whose message names the argument.
 *
 * <pre>{@code
 * try (HintModel model = DemoModel.load()) {              // or builder().modelDir(path).build()
 *   TaskModule task = model.compile("Change every letter of the input to uppercase.",
 *       List.of(Example.of("kbo", "KBO")));                // the hypernetwork runs once
 *   byte[] saved = task.toBytes();                         // cache or store it
 *   try (BoundTask bound = model.bind(task)) {             // native tensors made once
 *     String out = bound.generate("tremu");                // "TREMU" with the demo model
 *     double logp = bound.score("fawned", "FAWNED");       // rank classification
 *   }
 * }
 * }</pre>
 */
public final class HintModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HintModel.class);

  private final ModelManifest manifest;
  private final String fingerprint;
  /** Runs the hypernetwork in {@link #compile}; the runner owns it and closes it. */
  private final Backend backend;
  /** Encodes, binds, generates and scores; owns the native resources and this model's lifecycle. */
  private final ModelRunner runner;
  private final Tokenizer tokenizerView;
  private final CostModel costModel;
  private final Map<String, FloatTensor> emptyModule;

  private HintModel(ModelManifest manifest, HintTokenizer tokenizer, Backend backend, LengthPolicy lengthPolicy,
      UnknownTokenPolicy unknownPolicy) {
    this.manifest = manifest;
    this.fingerprint = manifest.fingerprint();
    this.backend = backend;
    this.runner = new ModelRunner(manifest.config(), tokenizer, backend, lengthPolicy, unknownPolicy);
    this.tokenizerView = new ModelTokenizer(tokenizer);
    this.costModel = new CostModel(manifest.config());
    this.emptyModule = EmptyModule.tensors(manifest);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for loading a model. Not thread-safe; {@link #build()} may be called more than once. */
  public static final class Builder {
    private Supplier<ModelFiles> files;
    private Device device = Device.cpu();
    private boolean allowCpuFallback;
    private int intraOpThreads;
    private LengthPolicy lengthPolicy = LengthPolicy.REJECT;
    private UnknownTokenPolicy unknownTokenPolicy = UnknownTokenPolicy.REPLACE;
    private String backendName;

    private Builder() {}

    /** A model directory holding {@code hint-model.json} and the files it names. */
    public Builder modelDir(Path dir) {
      Objects.requireNonNull(dir, "dir");
      this.files = () -> ModelSource.directory(dir);
      return this;
    }

    /** A model packaged as classpath resources under {@code folder} (e.g. "dev/hint4j/models/demo"). */
    public Builder classpathModel(String folder) {
      Objects.requireNonNull(folder, "folder");
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      this.files = () -> ModelSource.classpath(folder, loader != null ? loader : HintModel.class.getClassLoader());
      return this;
    }

    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** When the device cannot be used, run on CPU and log a warning instead of failing. Off by default. */
    public Builder allowCpuFallback(boolean allow) {
      this.allowCpuFallback = allow;
      return this;
    }

    /** Threads per graph run; 0 (default) lets the backend decide. */
    public Builder intraOpThreads(int threads) {
      if (threads < 0) {
        throw new InvalidInputException("intraOpThreads must be >= 0, got " + threads);
      }
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * Text over the model's limits: {@link LengthPolicy#REJECT} (default) or {@link LengthPolicy#TRUNCATE},
     * which keeps the first tokens of text of any length.
     */
    public Builder lengthPolicy(LengthPolicy policy) {
      this.lengthPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Characters outside the vocabulary: {@link UnknownTokenPolicy#REPLACE} by {@code <unk>} (default) or REJECT. */
    public Builder unknownTokenPolicy(UnknownTokenPolicy policy) {
      this.unknownTokenPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Chooses a backend by name when several are on the classpath (default: the only one). */
    public Builder backend(String name) {
      this.backendName = name;
      return this;
    }

    public HintModel build() {
      if (files == null) {
        throw new InvalidInputException("no model given: call modelDir(path) or classpathModel(folder)");
      }
      ModelFiles source = files.get();
      ModelManifest manifest = ModelManifest.fromJson(new String(source.read(ModelManifest.FILE_NAME), StandardCharsets.UTF_8));
      ModelFiles verified = VerifiedModelFiles.verify(source, manifest);
      HintTokenizer tokenizer = loadTokenizer(verified, manifest);
      Backend backend;
      try {
        backend = BackendProviders.find(backendName).open(verified, manifest,
            new RuntimeOptions(device, allowCpuFallback, intraOpThreads));
      } catch (RuntimeException e) {
        tokenizer.close();
        throw e;
      }
      HintModel model = new HintModel(manifest, tokenizer, backend, lengthPolicy, unknownTokenPolicy);
      LOG.info("loaded HINT model '{}' ({}) from {}: {}", manifest.name(), model.fingerprint.substring(0, 12),
          source, backend.describe());
      return model;
    }

    private static HintTokenizer loadTokenizer(ModelFiles files, ModelManifest manifest) {
      byte[] tokenizerJson = files.read(manifest.files().get("tokenizer").file());
      HintConfig c = manifest.config();
      int longest = c.maxInstructionLength() + c.maxInputLength() + c.maxTargetLength(); // each bounded by HintConfig
      HintTokenizer tokenizer = HintTokenizer.load(new ByteArrayInputStream(tokenizerJson), longest);
      if (tokenizer.vocabSize() > c.vocabSize()) {
        tokenizer.close();
        throw new ModelLoadException("tokenizer has " + tokenizer.vocabSize() + " tokens but the model only "
            + c.vocabSize() + " embedding rows");
      }
      return tokenizer;
    }
  }

  // ---- tasks ----

  /** {@link #compile(String, List)} without examples (zero-shot). */
  public TaskModule compile(String instruction) {
    return compile(instruction, List.of());
  }

  /**
   * Runs the hypernetwork once over the instruction and examples and returns the task's module.
   * Deterministic: the same text gives the same module on the same model and device.
   */
  public TaskModule compile(String instruction, List<Example> examples) {
    requireInstruction(instruction, examples);
    return withOpen(() -> {
      long[] ids = encode(PromptFormat.taskText(instruction, examples), manifest.config().maxInstructionLength(), "instruction and examples");
      // The sentence as training fed a pretrained instruction encoder (SuiteBatches): stripped, no examples.
      Map<String, FloatTensor> outputs = backend.compile(ids, instruction.strip());
      Map<String, FloatTensor> tensors = new LinkedHashMap<>();
      for (ModelManifest.ModuleTensorSpec spec : manifest.moduleTensors()) {
        FloatTensor t = outputs.get(spec.name());
        if (t != null) {
          tensors.put(spec.name(), t);
        }
      }
      checkComplete(tensors);
      return new TaskModule(fingerprint, TaskModule.Kind.HINT, instruction, examples, tensors);
    });
  }

  /**
   * The instruction-concatenation baseline on this same model: instruction and examples are put in
   * front of every input, with an empty module (no adapters, prefixes or fused instruction).
   * An empty instruction with no examples gives the plain model that sees only the input.
   */
  public TaskModule concatenationTask(String instruction, List<Example> examples) {
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(examples, "examples");
    return withOpen(() -> new TaskModule(fingerprint, TaskModule.Kind.CONCATENATION, instruction, examples, emptyModule));
  }

  /**
   * Binds a module to this model: its native tensors are created once here.
   *
   * @throws IncompatibleModuleException if the module is from another model, or its tensors do not
   *     have the names and shapes of this model's module layout
   */
  public BoundTask bind(TaskModule task) {
    Objects.requireNonNull(task, "task");
    if (!task.modelFingerprint().equals(fingerprint)) {
      throw new IncompatibleModuleException("task " + task.id().substring(0, 12) + " was compiled by model "
          + task.modelFingerprint() + ", not by this model (" + fingerprint + "); compile it with this model");
    }
    ModuleShapeCheck.check(task, manifest);
    return runner.bind(task);
  }

  /**
   * Answers a batch whose rows may belong to different tasks, in one encoder pass and one
   * decoding loop: row i is {@code inputs.get(i)} under {@code tasks.get(i)}. Beam search (whose
   * beams are the rows of a batch) answers the rows one at a time, as {@link BoundTask#generateBatch} does.
   */
  public List<String> generateMixed(List<BoundTask> tasks, List<String> inputs, GenerationConfig cfg) {
    Objects.requireNonNull(tasks, "tasks");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(cfg, "cfg");
    if (tasks.size() != inputs.size()) {
      throw new InvalidInputException("got " + tasks.size() + " tasks for " + inputs.size() + " inputs; give one task per input");
    }
    return runner.generate(tasks, inputs, cfg);
  }

  // ---- introspection ----

  /** Identity of this model (hash of config and files); TaskModules carry it. */
  public String fingerprint() {
    return fingerprint;
  }

  public HintConfig config() {
    return manifest.config();
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /** Analytic FLOPs of compile and per-input calls for this model's sizes. */
  public CostModel costModel() {
    return costModel;
  }

  /** The model's tokenizer, as a view that cannot be closed (the model closes it with itself). */
  public Tokenizer tokenizer() {
    return tokenizerView;
  }

  /** Backend, device, providers and threads, for logs and bug reports. */
  public String describeRuntime() {
    return withOpen(backend::describe);
  }

  /**
   * Characters of instructions, inputs and targets that were outside the vocabulary and became
   * {@code <unk>} since this model was loaded (see {@link UnknownTokenPolicy}).
   */
  public long unknownCharacters() {
    return runner.unknownCharacters();
  }

  /** The id {@link #compile} would give this task, without compiling it (for cache look-ups); checks its arguments as compile does. */
  public String taskId(String instruction, List<Example> examples) {
    requireInstruction(instruction, examples);
    return TaskModule.computeId(fingerprint, TaskModule.Kind.HINT, instruction, examples);
  }

  @Override
  public void close() {
    runner.close();
  }

  // ---- helpers of compile ----

  private <T> T withOpen(Supplier<T> body) {
    return runner.use(body);
  }

  private long[] encode(String text, int limit, String what) {
    return runner.encode(text, limit, what);
  }

  private static void requireInstruction(String instruction, List<Example> examples) {
    if (instruction == null || instruction.isBlank()) {
      throw new InvalidInputException("instruction must be a non-empty description of the task"
          + " (for the plain model without instruction use concatenationTask(\"\", List.of()))");
    }
    Objects.requireNonNull(examples, "examples (use List.of() for none)");
    for (int i = 0; i < examples.size(); i++) {
      if (examples.get(i) == null) {
        throw new InvalidInputException("example " + i + " is null");
      }
    }
  }

  private void checkComplete(Map<String, FloatTensor> tensors) {
    for (ModelManifest.ModuleTensorSpec spec : manifest.moduleTensors()) {
      if (!tensors.containsKey(spec.name())) {
        throw new ModelLoadException("the hypernetwork did not produce module tensor '" + spec.name() + "'");
      }
    }
  }
}
