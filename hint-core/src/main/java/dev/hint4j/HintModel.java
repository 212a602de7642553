package dev.hint4j;

import com.google.common.hash.Hashing;
import dev.hint4j.cost.CostModel;
import dev.hint4j.internal.Lifecycle;
import dev.hint4j.spi.Backend;
import dev.hint4j.spi.BackendProvider;
import dev.hint4j.spi.BoundModule;
import dev.hint4j.spi.ModelFiles;
import dev.hint4j.spi.RuntimeOptions;
import dev.hint4j.tensor.FloatTensor;
import dev.hint4j.tokenize.HintTokenizer;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  private final HintTokenizer tokenizer;
  private final Tokenizer tokenizerView;
  private final TextEncoder textEncoder;
  private final Backend backend;
  private final CostModel costModel;
  private final Map<String, FloatTensor> emptyModule;
  private final Lifecycle lifecycle = new Lifecycle("HintModel");
  private final Set<BoundModule> openModules = ConcurrentHashMap.newKeySet();

  private HintModel(ModelManifest manifest, HintTokenizer tokenizer, Backend backend, LengthPolicy lengthPolicy,
      UnknownTokenPolicy unknownPolicy) {
    this.manifest = manifest;
    this.fingerprint = manifest.fingerprint();
    this.tokenizer = tokenizer;
    this.tokenizerView = new ModelTokenizer(tokenizer);
    this.textEncoder = new TextEncoder(tokenizer, manifest.config().eosId(), manifest.config().unkId(), lengthPolicy, unknownPolicy);
    this.backend = backend;
    this.costModel = new CostModel(manifest.config());
    this.emptyModule = emptyModuleTensors(manifest);
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
      ModelManifest manifest = ModelManifest.fromJson(
          new String(source.read(ModelManifest.FILE_NAME), java.nio.charset.StandardCharsets.UTF_8));
      if (manifest.config().pretrainedInstructionEncoder() != null) {
        throw new ModelLoadException("this model reads instructions through the pretrained encoder '"
            + manifest.config().pretrainedInstructionEncoder().name() + "', which this hint4j can train but not yet run:"
            + " use a model trained without --instruction-states");
      }
      ModelFiles verified = verifying(source, manifest);
      ModelFileHashes.verifyAll(source, manifest); // external data too, which backends read by path
      byte[] tokenizerJson = verified.read(manifest.files().get("tokenizer").file());
      HintConfig c = manifest.config();
      int longest = c.maxInstructionLength() + c.maxInputLength() + c.maxTargetLength(); // each bounded by HintConfig
      HintTokenizer tokenizer = HintTokenizer.load(new ByteArrayInputStream(tokenizerJson), longest);
      if (tokenizer.vocabSize() > c.vocabSize()) {
        tokenizer.close();
        throw new ModelLoadException("tokenizer has " + tokenizer.vocabSize() + " tokens but the model only "
            + c.vocabSize() + " embedding rows");
      }
      Backend backend;
      try {
        backend = provider(backendName).open(verified, manifest,
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

    /** Every file read through this checks its SHA-256 against the manifest first. */
    private static ModelFiles verifying(ModelFiles source, ModelManifest manifest) {
      Map<String, String> expected = new LinkedHashMap<>();
      for (ModelManifest.FileEntry f : manifest.files().values()) {
        expected.put(f.file(), f.sha256());
      }
      return new ModelFiles() {
        @Override
        public java.util.Optional<Path> directory() {
          return source.directory();
        }

        @Override
        public byte[] read(String fileName) {
          String want = expected.get(fileName);
          if (want == null) {
            throw new ModelLoadException("file '" + fileName + "' is not listed in " + ModelManifest.FILE_NAME);
          }
          byte[] bytes = source.read(fileName);
          // Hashed again: the bytes a backend parses are these, whatever happened to the file since verifyAll.
          ModelFileHashes.check(fileName, want, Hashing.sha256().hashBytes(bytes).toString());
          return bytes;
        }

        @Override
        public String toString() {
          return source.toString();
        }
      };
    }

    private static BackendProvider provider(String name) {
      List<BackendProvider> found = new ArrayList<>();
      for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
        if (name == null || p.name().equals(name)) {
          found.add(p);
        }
      }
      if (found.isEmpty()) {
        throw new ModelLoadException(name == null
            ? "no hint4j backend on the classpath: add the dependency dev.hint4j:hint-onnx"
            : "no hint4j backend named '" + name + "' on the classpath");
      }
      return found.get(0);
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
      Map<String, FloatTensor> outputs = backend.compile(ids);
      Map<String, FloatTensor> tensors = new LinkedHashMap<>();
      for (ModelManifest.ModuleTensorSpec spec : manifest.moduleTensors()) {
        FloatTensor t = outputs.get(spec.name());
        if (t != null) {
          tensors.put(spec.name(), t);
        }
      }
      float[] ones = new float[ids.length];
      Arrays.fill(ones, 1f);
      tensors.put("instruction_mask", FloatTensor.wrap(new long[] {1, ids.length}, ones));
      float[] prefixOnes = new float[manifest.config().prefixLength()];
      Arrays.fill(prefixOnes, 1f);
      tensors.put("prefix_mask", FloatTensor.wrap(new long[] {1, prefixOnes.length}, prefixOnes));
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
    return withOpen(() -> {
      BoundModule module = backend.bind(task);
      openModules.add(module);
      return new BoundTask(this, task, module);
    });
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
    if (cfg.strategy() == GenerationConfig.Strategy.BEAM) { // its beams are the batch: one input at a time
      List<String> out = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        if (tasks.get(i).model() != this) {
          throw new InvalidInputException("task at row " + i + " is bound to another HintModel");
        }
        out.add(tasks.get(i).generate(inputs.get(i), cfg));
      }
      return out;
    }
    checkNewTokens(cfg);
    if (tasks.isEmpty()) {
      return List.of(); // as generateBatch: no rows, no answers
    }
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.get(i) == null) {
        throw new InvalidInputException("task at row " + i + " is null");
      }
    }
    if (tasks.stream().allMatch(t -> t == tasks.get(0))) {
      return tasks.get(0).generateBatch(inputs, cfg);
    }
    List<BoundModule> modules = new ArrayList<>();
    List<long[]> ids = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      BoundTask t = tasks.get(i);
      if (t.model() != this) {
        throw new InvalidInputException("task at row " + i + " is bound to another HintModel");
      }
      modules.add(t.boundModule());
      ids.add(t.encodeInput(inputs.get(i), "input at row " + i));
    }
    // Task locks before the model's, as BoundTask's own calls take them, and tasks in one global
    // order: two mixed batches over the same tasks cannot wait on each other.
    List<BoundTask> distinct = tasks.stream().distinct().sorted(java.util.Comparator.comparingLong(BoundTask::serial)).toList();
    return whileAllOpen(distinct, 0, () -> withOpen(() -> decodeAll(modules, ids, cfg)));
  }

  /** Holds every task of a mixed batch open while it decodes, so none frees its module's tensors under the run. */
  private static <T> T whileAllOpen(List<BoundTask> tasks, int from, java.util.function.Supplier<T> body) {
    return from == tasks.size() ? body.get() : tasks.get(from).whileOpen(() -> whileAllOpen(tasks, from + 1, body));
  }

  List<String> decodeAll(List<BoundModule> modules, List<long[]> ids, GenerationConfig cfg) {
    HintConfig c = manifest.config();
    checkNewTokens(cfg);
    try (var state = backend.start(modules, ids)) {
      List<long[]> out = dev.hint4j.decode.Decoding.generate(state, cfg, c.decoderStartId(), c.eosId(), null);
      List<String> texts = new ArrayList<>();
      for (long[] row : out) {
        texts.add(tokenizer.decode(row));
      }
      return texts;
    }
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
    return textEncoder.unknownCharacters();
  }

  /** The id {@link #compile} would give this task, without compiling it (for cache look-ups); checks its arguments as compile does. */
  public String taskId(String instruction, List<Example> examples) {
    requireInstruction(instruction, examples);
    return TaskModule.computeId(fingerprint, TaskModule.Kind.HINT, instruction, examples);
  }

  @Override
  public void close() {
    lifecycle.close(() -> {
      // Holding the write lock means no call is using a module: free the ones still bound.
      openModules.forEach(BoundModule::close);
      openModules.clear();
      backend.close();
      tokenizer.close();
    });
  }

  // ---- helpers shared with BoundTask ----

  Backend backend() {
    return backend;
  }

  void unbound(BoundModule module) {
    openModules.remove(module);
  }

  <T> T withOpen(Supplier<T> body) {
    return lifecycle.use(body);
  }

  /** Under the model's lifecycle, so a closed model says so (not its tokenizer). */
  long[] encode(String text, int limit, String what) {
    return withOpen(() -> textEncoder.encode(text, limit, what));
  }

  /**
   * The decoder was built and trained for answers up to maxTargetLength tokens; longer runs are
   * refused rather than silently produced past it (minNewTokens would force them).
   */
  void checkNewTokens(GenerationConfig cfg) {
    int max = manifest.config().maxTargetLength();
    if (cfg.maxNewTokens() > max) {
      throw new InvalidInputException("maxNewTokens is " + cfg.maxNewTokens() + ", over this model's target length of "
          + max + "; ask for at most " + max + " (and minNewTokens at most that)");
    }
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

  /** Zero adapters, masked prefixes, one masked instruction position: the plain encoder-decoder. */
  /** 2^26 floats (256 MiB): far above any real module tensor (T5-XL-sized adapters are ~2^21). */
  static final long MAX_MODULE_TENSOR_ELEMENTS = 1L << 26;

  private static Map<String, FloatTensor> emptyModuleTensors(ModelManifest manifest) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (ModelManifest.ModuleTensorSpec spec : manifest.moduleTensors()) {
      long[] shape = new long[spec.dims().size()];
      for (int i = 0; i < shape.length; i++) {
        Object d = spec.dims().get(i);
        shape[i] = d instanceof Number n ? n.longValue() : 1; // module_batch and instruction_length → 1
      }
      long elements = 1;
      for (long dim : shape) {
        elements *= dim;
        if (elements > MAX_MODULE_TENSOR_ELEMENTS) { // checked per factor: each dim is at most Integer.MAX_VALUE, so no overflow
          throw new ModelLoadException(ModelManifest.FILE_NAME + " module tensor '" + spec.name() + "' has "
              + spec.dims() + ": more than " + MAX_MODULE_TENSOR_ELEMENTS + " elements, not a model this library can hold");
        }
      }
      out.put(spec.name(), FloatTensor.zeros(shape));
    }
    return out;
  }
}
