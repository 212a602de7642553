package dev.hint4j;

import dev.hint4j.decode.Decoding;
import dev.hint4j.internal.Lifecycle;
import dev.hint4j.spi.BoundModule;
import dev.hint4j.spi.DecodeState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link TaskModule} bound to its {@link HintModel}: the module's native tensors exist once and
 * every call reuses them. Per input, the encoder reads only the input; the instruction was
 * compiled into the module.
 *
 * <p>Thread-safe: concurrent calls share the module read-only. {@link #close()} waits for calls in
 * flight and is idempotent; calls after it throw {@link IllegalStateException}. Closing the model
 * also ends every task bound to it and frees their native tensors.
 *
 * <p>Inputs must contain text: null or blank input is an {@link InvalidInputException}. A
 * {@link GenerationConfig} asking for more than the model's {@code maxTargetLength} new tokens is
 * refused with {@link InvalidInputException}.
 */
public final class BoundTask implements AutoCloseable {
  private static final java.util.concurrent.atomic.AtomicLong SERIALS = new java.util.concurrent.atomic.AtomicLong();
  private final HintModel model;
  private final TaskModule task;
  private final BoundModule module;
  private final Lifecycle lifecycle = new Lifecycle("BoundTask");
  /** Creation order: mixed batches lock their tasks in this order. */
  private final long serial = SERIALS.incrementAndGet();

  BoundTask(HintModel model, TaskModule task, BoundModule module) {
    this.model = model;
    this.task = task;
    this.module = module;
  }

  public TaskModule task() {
    return task;
  }

  /** Greedy decoding up to the model's target length. */
  public String generate(String input) {
    return generate(input, GenerationConfig.greedy(model.config().maxTargetLength()));
  }

  public String generate(String input, GenerationConfig cfg) {
    return generate(input, cfg, null);
  }

  /**
   * Generates an answer for one input; {@code listener} (nullable) receives the text as it grows,
   * token by token (greedy and sampling; beam search reports only when done). The listener runs
   * inside this call: closing this task or its model from it is refused with
   * {@link IllegalStateException} (which then ends this call); close them after it returns.
   */
  public String generate(String input, GenerationConfig cfg, TokenListener listener) {
    Objects.requireNonNull(cfg, "cfg");
    model.checkNewTokens(cfg);
    long[] ids = encodeInput(input);
    HintConfig c = model.config();
    return run(() -> {
      if (cfg.strategy() == GenerationConfig.Strategy.BEAM) {
        try (DecodeState state = model.backend().start(Collections.nCopies(cfg.numBeams(), module),
            Collections.nCopies(cfg.numBeams(), ids))) {
          long[] out = Decoding.beamSearch(state, cfg, c.decoderStartId(), c.eosId());
          String text = model.tokenizer().decode(out);
          if (listener != null && out.length > 0) {
            listener.onToken(0, out[out.length - 1], text);
          }
          return text;
        }
      }
      try (DecodeState state = model.backend().start(List.of(module), List.of(ids))) {
        List<Long> sofar = new ArrayList<>();
        String[] shown = {""};
        Decoding.StepListener step = listener == null ? null : (row, token) -> {
          sofar.add(token);
          String text = model.tokenizer().decode(sofar.stream().mapToLong(Long::longValue).toArray());
          // Report the new suffix; decoding the whole prefix keeps multi-token characters and spaces right.
          String delta = text.startsWith(shown[0]) ? text.substring(shown[0].length()) : text;
          shown[0] = text;
          listener.onToken(row, token, delta);
        };
        return model.tokenizer().decode(Decoding.generate(state, cfg, c.decoderStartId(), c.eosId(), step).get(0));
      }
    });
  }

  /**
   * Answers many inputs of this task in one batch (greedy or sampling); beam search, whose beams
   * are the rows of a batch, answers them one at a time. Row i equals {@code generate(inputs.get(i), cfg)}.
   */
  public List<String> generateBatch(List<String> inputs, GenerationConfig cfg) {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(cfg, "cfg");
    model.checkNewTokens(cfg);
    if (inputs.isEmpty()) {
      return List.of();
    }
    if (cfg.strategy() == GenerationConfig.Strategy.BEAM) {
      List<String> out = new ArrayList<>();
      for (String in : inputs) {
        out.add(generate(in, cfg));
      }
      return out;
    }
    List<long[]> ids = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      ids.add(encodeInput(inputs.get(i), "input at row " + i));
    }
    return run(() -> model.decodeAll(Collections.nCopies(ids.size(), module), ids, cfg));
  }

  /**
   * Log-likelihood (natural log, summed over tokens including EOS) of {@code target} as the answer
   * to {@code input}: rank classification picks the candidate with the highest score.
   */
  public double score(String input, String target) {
    if (target == null) {
      throw new InvalidInputException("target must not be null");
    }
    long[] ids = encodeInput(input);
    long[] targetIds = model.encode(target, model.config().maxTargetLength(), "target");
    return run(() -> {
      try (DecodeState state = model.backend().start(List.of(module), List.of(ids))) {
        return Decoding.logLikelihood(state, targetIds, model.config().decoderStartId());
      }
    });
  }

  @Override
  public void close() {
    lifecycle.close(() -> {
      module.close();
      model.unbound(module);
    });
  }

  // ---- package-private plumbing ----

  HintModel model() {
    return model;
  }

  BoundModule boundModule() {
    return module;
  }

  /** The encoder's token ids for one input: the bare input (HINT) or the concatenated prompt (baseline). */
  long[] encodeInput(String input) {
    return encodeInput(input, "input");
  }

  /** @param what the input's name in messages, e.g. "input at row 3" */
  long[] encodeInput(String input, String what) {
    if (input == null) {
      throw new InvalidInputException(what + " must not be null");
    }
    if (input.isBlank()) {
      throw new InvalidInputException(what + " is blank; give the text to answer");
    }
    HintConfig c = model.config();
    if (task.kind() == TaskModule.Kind.HINT) {
      return model.encode(input, c.maxInputLength(), what);
    }
    String text = task.instruction().isEmpty() && task.examples().isEmpty() ? input
        : PromptFormat.concatenated(task.instruction(), task.examples(), input);
    return model.encode(text, c.maxInputLength() + c.maxInstructionLength(), "concatenated instruction and input");
  }

  private <T> T run(Supplier<T> body) {
    return lifecycle.use(() -> model.withOpen(body));
  }

  long serial() {
    return serial;
  }

  /** Runs {@code body} while this task cannot close (its module's tensors stay valid); fails if it is closed. */
  <T> T whileOpen(Supplier<T> body) {
    return lifecycle.use(body);
  }
}
