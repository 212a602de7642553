package dev.hint4j;

import dev.hint4j.internal.Lifecycle;
import dev.hint4j.spi.BoundModule;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
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
  private static final AtomicLong SERIALS = new AtomicLong();
  private final ModelRunner runner;
  private final TaskModule task;
  private final BoundModule module;
  private final Lifecycle lifecycle = new Lifecycle("BoundTask");
  /** Creation order: calls over several tasks lock them in this order. */
  private final long serial = SERIALS.incrementAndGet();

  BoundTask(ModelRunner runner, TaskModule task, BoundModule module) {
    this.runner = runner;
    this.task = task;
    this.module = module;
  }

  public TaskModule task() {
    return task;
  }

  /** Greedy decoding up to the model's target length. */
  public String generate(String input) {
    return generate(input, GenerationConfig.greedy(runner.config().maxTargetLength()));
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
    return runner.generate(this, input, cfg, listener);
  }

  /**
   * Answers many inputs of this task in one batch (greedy or sampling); beam search, whose beams
   * are the rows of a batch, answers them one at a time. Row i equals {@code generate(inputs.get(i), cfg)}.
   */
  public List<String> generateBatch(List<String> inputs, GenerationConfig cfg) {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(cfg, "cfg");
    return runner.generate(Collections.nCopies(inputs.size(), this), inputs, cfg);
  }

  /**
   * Log-likelihood (natural log, summed over tokens including EOS) of {@code target} as the answer
   * to {@code input}: rank classification picks the candidate with the highest score.
   */
  public double score(String input, String target) {
    return runner.score(this, input, target);
  }

  @Override
  public void close() {
    lifecycle.close(() -> {
      module.close();
      runner.unbound(module);
    });
  }

  // ---- for ModelRunner ----

  ModelRunner runner() {
    return runner;
  }

  BoundModule module() {
    return module;
  }

  long serial() {
    return serial;
  }

  /** Runs {@code body} while this task cannot close (its module's tensors stay valid); fails if it is closed. */
  <T> T whileOpen(Supplier<T> body) {
    return lifecycle.use(body);
  }
}
