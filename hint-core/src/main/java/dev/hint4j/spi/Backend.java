package dev.hint4j.spi;

import dev.hint4j.TaskModule;
import dev.hint4j.tensor.FloatTensor;
import java.util.List;
import java.util.Map;

/**
 * The graph-running half of a model; tokenization and decoding loops stay in hint-core.
 * Implementations are thread-safe: every method may be called concurrently.
 */
public interface Backend extends AutoCloseable {
  /** Runs the hypernetwork on one tokenized task text; the module tensors it produces, by name, batch 1. */
  Map<String, FloatTensor> compile(long[] taskTokenIds);

  /**
   * As {@link #compile(long[])}, with the instruction sentence alone (stripped, without the
   * examples): models with a {@link dev.hint4j.HintConfig#pretrainedInstructionEncoder()} also run
   * that encoder on it, as in training. The default ignores the sentence, which is right for
   * models without the option; a backend that runs models with it overrides this method.
   */
  default Map<String, FloatTensor> compile(long[] taskTokenIds, String instructionSentence) {
    return compile(taskTokenIds);
  }

  /** Creates the native tensors of a module once, for reuse by every later call. */
  BoundModule bind(TaskModule module);

  /**
   * Encodes a batch of tokenized inputs (unpadded, any lengths) and returns the state for
   * decoding it. {@code rowModules.get(b)} is the module of row b; when every row uses the same
   * object the module tensors are shared (broadcast), else they are stacked per row.
   * {@code promptTokens[b]} says how many leading tokens of row b are an instruction-concatenation
   * prompt (0 for HINT rows): models with a {@link dev.hint4j.HintConfig#hasPromptSegmentBias()
   * prompt segment bias} weight those tokens in the decoder's cross-attention; others ignore it.
   */
  DecodeState start(List<BoundModule> rowModules, List<long[]> inputIds, int[] promptTokens);

  /** Providers, device, threads and versions, for diagnostics. */
  String describe();

  @Override
  void close();
}
