package dev.hint4j;

import dev.hint4j.internal.Lifecycle;
import dev.hint4j.internal.decode.Decoding;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.spi.Backend;
import dev.hint4j.spi.BoundModule;
import dev.hint4j.spi.DecodeState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The running half of a loaded model and the one path from text to answers: it holds the
 * tokenizer, the backend and the text policies, and encodes, binds, generates (greedy, beam search
 * or sampling; one input, a batch, or rows of different tasks; streaming) and scores. Beam search
 * versus batch decoding is decided in one place, {@link #decode}.
 *
 * <p>It owns the model's native resources and its lifecycle: {@link #close()} waits for calls in
 * flight, then frees the modules still bound, the backend and the tokenizer. A call holds its
 * tasks' lifecycles, in the order the tasks were bound, and then this one's: a task or the model
 * closing waits for the call, and two calls over the same tasks cannot wait on each other.
 * Thread-safe.
 */
final class ModelRunner implements AutoCloseable {
  private final HintConfig config;
  private final HintTokenizer tokenizer;
  private final TextEncoder textEncoder;
  private final Backend backend;
  private final Lifecycle lifecycle = new Lifecycle("HintModel");
  private final Set<BoundModule> openModules = ConcurrentHashMap.newKeySet();

  ModelRunner(HintConfig config, HintTokenizer tokenizer, Backend backend, LengthPolicy lengthPolicy,
      UnknownTokenPolicy unknownPolicy) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.textEncoder = new TextEncoder(tokenizer, config.eosId(), config.unkId(), lengthPolicy, unknownPolicy);
    this.backend = backend;
  }

  HintConfig config() {
    return config;
  }

  // ---- text ----

  /** Under the model's lifecycle, so a closed model says so (not its tokenizer). */
  long[] encode(String text, int limit, String what) {
    return use(() -> textEncoder.encode(text, limit, what));
  }

  /**
   * The encoder's token ids of one input and how many of them are the baseline's prompt: {@code
   * promptTokens} is 0 for HINT rows and for models without a {@link HintConfig#hasPromptSegmentBias()
   * prompt segment bias} (which do not read it).
   */
  record EncoderInput(long[] ids, int promptTokens) {}

  /**
   * The encoder's input for one input of {@code task}: the bare input (HINT) or the concatenated
   * prompt (baseline).
   *
   * @param what the input's name in messages, e.g. "input at row 3"
   */
  EncoderInput encodeInput(TaskModule task, String input, String what) {
    if (input == null) {
      throw new InvalidInputException(what + " must not be null");
    }
    if (input.isBlank()) {
      throw new InvalidInputException(what + " is blank; give the text to answer");
    }
    if (task.kind() == TaskModule.Kind.HINT) {
      return new EncoderInput(encode(input, config.maxInputLength(), what), 0);
    }
    if (task.instruction().isEmpty() && task.examples().isEmpty()) {
      return new EncoderInput(encode(input, config.maxInputLength() + config.maxInstructionLength(),
          "concatenated instruction and input"), 0);
    }
    long[] ids = encode(PromptFormat.concatenated(task.instruction(), task.examples(), input),
        config.maxInputLength() + config.maxInstructionLength(), "concatenated instruction and input");
    int promptTokens = config.hasPromptSegmentBias()
        ? use(() -> tokenizer.concatenationPromptTokens(ids, task.instruction(), task.examples())) : 0;
    return new EncoderInput(ids, promptTokens);
  }

  long unknownCharacters() {
    return textEncoder.unknownCharacters();
  }

  // ---- modules ----

  /** Makes the module's native tensors; they are freed by the task's close or, at the latest, this runner's. */
  BoundTask bind(TaskModule task) {
    return use(() -> {
      BoundModule module = backend.bind(task);
      openModules.add(module);
      return new BoundTask(this, task, module);
    });
  }

  void unbound(BoundModule module) {
    openModules.remove(module);
  }

  // ---- generation and scoring ----

  /** One input of one task; {@code listener} (nullable) receives the text as it grows. */
  String generate(BoundTask task, String input, GenerationConfig cfg, TokenListener listener) {
    Objects.requireNonNull(cfg, "cfg");
    checkNewTokens(cfg);
    EncoderInput row = encodeInput(task.task(), input, "input");
    return run(List.of(task), List.of(row), cfg, listener).get(0);
  }

  /** Row i answers {@code inputs.get(i)} under {@code tasks.get(i)}; the lists have the same size. */
  List<String> generate(List<BoundTask> tasks, List<String> inputs, GenerationConfig cfg) {
    checkNewTokens(cfg);
    if (tasks.isEmpty()) {
      return List.of(); // no rows, no answers
    }
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.get(i) == null) {
        throw new InvalidInputException("task at row " + i + " is null");
      }
    }
    List<EncoderInput> rows = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      BoundTask task = tasks.get(i);
      if (task.runner() != this) {
        throw new InvalidInputException("task at row " + i + " is bound to another HintModel");
      }
      rows.add(encodeInput(task.task(), inputs.get(i), "input at row " + i));
    }
    return run(tasks, rows, cfg, null);
  }

  /**
   * Log-likelihood (natural log, summed over tokens including EOS) of {@code target} as the
   * answer to {@code input}.
   */
  double score(BoundTask task, String input, String target) {
    if (target == null) {
      throw new InvalidInputException("target must not be null");
    }
    EncoderInput row = encodeInput(task.task(), input, "input");
    long[] targetIds = encode(target, config.maxTargetLength(), "target");
    return whileOpen(List.of(task), () -> {
      try (DecodeState state = start(List.of(task.module()), List.of(row))) {
        return Decoding.logLikelihood(state, targetIds, config.decoderStartId());
      }
    });
  }

  /**
   * The decoder was built and trained for answers up to maxTargetLength tokens; longer runs are
   * refused rather than silently produced past it (minNewTokens would force them).
   */
  void checkNewTokens(GenerationConfig cfg) {
    int max = config.maxTargetLength();
    if (cfg.maxNewTokens() > max) {
      throw new InvalidInputException("maxNewTokens is " + cfg.maxNewTokens() + ", over this model's target length of "
          + max + "; ask for at most " + max + " (and minNewTokens at most that)");
    }
  }

  private List<String> run(List<BoundTask> tasks, List<EncoderInput> rows, GenerationConfig cfg, TokenListener listener) {
    List<BoundModule> modules = tasks.stream().map(BoundTask::module).toList();
    return whileOpen(tasks, () -> decode(modules, rows, cfg, listener));
  }

  /** Encodes the rows under their modules: the backend's decode state of the batch. */
  private DecodeState start(List<BoundModule> modules, List<EncoderInput> rows) {
    return backend.start(modules, rows.stream().map(EncoderInput::ids).toList(),
        rows.stream().mapToInt(EncoderInput::promptTokens).toArray());
  }

  /**
   * Row b of the answer decodes {@code rows.get(b)} under {@code modules.get(b)}. Beam search,
   * whose beams are the rows of a batch, answers one row at a time; greedy and sampling decode all
   * rows in one batch.
   */
  private List<String> decode(List<BoundModule> modules, List<EncoderInput> rows, GenerationConfig cfg, TokenListener listener) {
    if (cfg.strategy() == GenerationConfig.Strategy.BEAM) {
      List<String> texts = new ArrayList<>();
      for (int row = 0; row < rows.size(); row++) {
        texts.add(beamSearch(modules.get(row), rows.get(row), row, cfg, listener));
      }
      return texts;
    }
    try (DecodeState state = start(modules, rows)) {
      TokenStream stream = listener == null ? null : new TokenStream(rows.size(), tokenizer::decode, listener);
      List<String> texts = new ArrayList<>();
      for (long[] row : Decoding.generate(state, cfg, config.decoderStartId(), config.eosId(), stream)) {
        texts.add(tokenizer.decode(row));
      }
      return texts;
    }
  }

  /** The listener hears of a beam search's answer once, when it is done (beams change their past tokens). */
  private String beamSearch(BoundModule module, EncoderInput input, int row, GenerationConfig cfg, TokenListener listener) {
    int beams = cfg.numBeams();
    try (DecodeState state = start(Collections.nCopies(beams, module), Collections.nCopies(beams, input))) {
      long[] out = Decoding.beamSearch(state, cfg, config.decoderStartId(), config.eosId());
      String text = tokenizer.decode(out);
      if (listener != null && out.length > 0) {
        listener.onToken(row, out[out.length - 1], text);
      }
      return text;
    }
  }

  // ---- lifecycle ----

  <T> T use(Supplier<T> body) {
    return lifecycle.use(body);
  }

  /** Runs {@code body} while none of {@code tasks} (nor this runner) can close: their module tensors stay valid. */
  private <T> T whileOpen(List<BoundTask> tasks, Supplier<T> body) {
    List<BoundTask> inLockOrder = tasks.stream().distinct().sorted(Comparator.comparingLong(BoundTask::serial)).toList();
    return whileOpen(inLockOrder, 0, body);
  }

  private <T> T whileOpen(List<BoundTask> inLockOrder, int from, Supplier<T> body) {
    return from == inLockOrder.size() ? use(body)
        : inLockOrder.get(from).whileOpen(() -> whileOpen(inLockOrder, from + 1, body));
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
}
