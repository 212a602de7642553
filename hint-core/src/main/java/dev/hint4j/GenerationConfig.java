package dev.hint4j;

import java.util.Set;

/**
 * How to decode. Immutable; build with {@link #greedy(int)}, {@link #beam(int, int)} or
 * {@link #sampling(int, double, int, double, long)} and refine with the {@code with*} methods.
 *
 * @param strategy greedy, beam search or sampling
 * @param maxNewTokens most tokens to generate (EOS included)
 * @param numBeams beams for beam search (1 otherwise)
 * @param lengthPenalty beam score = log-probability / length^lengthPenalty
 * @param temperature sampling temperature (> 0)
 * @param topK sample among the k most likely tokens (0 = all)
 * @param topP nucleus sampling mass (1.0 = all)
 * @param seed sampling seed: the same seed, input and module give the same text
 * @param stopTokens token ids that end a sequence besides EOS (kept out of the text)
 * @param minNewTokens EOS and stop tokens are not chosen before this many tokens (for fixed-length benchmarks)
 */
public record GenerationConfig(
    Strategy strategy,
    int maxNewTokens,
    int numBeams,
    double lengthPenalty,
    double temperature,
    int topK,
    double topP,
    long seed,
    Set<Long> stopTokens,
    int minNewTokens) {

  public enum Strategy { GREEDY, BEAM, SAMPLING }

  /** Longest generation accepted, to catch unit mistakes (a length in characters or bytes). */
  public static final int MAX_NEW_TOKENS_LIMIT = 4096;

  public GenerationConfig {
    if (strategy == null) {
      throw new InvalidInputException("strategy must not be null");
    }
    if (maxNewTokens < 1 || maxNewTokens > MAX_NEW_TOKENS_LIMIT) {
      throw new InvalidInputException("maxNewTokens must be in 1.." + MAX_NEW_TOKENS_LIMIT + ", got " + maxNewTokens);
    }
    if (numBeams < 1 || numBeams > 64) {
      throw new InvalidInputException("numBeams must be in 1..64, got " + numBeams);
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new InvalidInputException("temperature must be a positive finite number, got " + temperature);
    }
    if (topK < 0) {
      throw new InvalidInputException("topK must be >= 0 (0 = no limit), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new InvalidInputException("topP must be in (0, 1], got " + topP);
    }
    if (Double.isNaN(lengthPenalty) || Double.isInfinite(lengthPenalty)) {
      throw new InvalidInputException("lengthPenalty must be finite, got " + lengthPenalty);
    }
    if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
      throw new InvalidInputException("minNewTokens must be in 0..maxNewTokens (" + maxNewTokens + "), got " + minNewTokens);
    }
    stopTokens = stopTokens == null ? Set.of() : Set.copyOf(stopTokens);
  }

  public static GenerationConfig greedy(int maxNewTokens) {
    return new GenerationConfig(Strategy.GREEDY, maxNewTokens, 1, 1.0, 1.0, 0, 1.0, 0, Set.of(), 0);
  }

  public static GenerationConfig beam(int numBeams, int maxNewTokens) {
    return new GenerationConfig(Strategy.BEAM, maxNewTokens, numBeams, 1.0, 1.0, 0, 1.0, 0, Set.of(), 0);
  }

  public static GenerationConfig sampling(int maxNewTokens, double temperature, int topK, double topP, long seed) {
    return new GenerationConfig(Strategy.SAMPLING, maxNewTokens, 1, 1.0, temperature, topK, topP, seed, Set.of(), 0);
  }

  public GenerationConfig withStopTokens(Set<Long> ids) {
    return new GenerationConfig(strategy, maxNewTokens, numBeams, lengthPenalty, temperature, topK, topP, seed, ids, minNewTokens);
  }

  public GenerationConfig withMinNewTokens(int n) {
    return new GenerationConfig(strategy, maxNewTokens, numBeams, lengthPenalty, temperature, topK, topP, seed, stopTokens, n);
  }

  public GenerationConfig withLengthPenalty(double penalty) {
    return new GenerationConfig(strategy, maxNewTokens, numBeams, penalty, temperature, topK, topP, seed, stopTokens, minNewTokens);
  }
}
