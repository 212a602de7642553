package dev.hint4j;

import java.util.Set;

/**
 * How to decode. Immutable; build with {@link #builder()} (named settings), or the shortcuts
 * {@link #greedy(int)}, {@link #beam(int, int)} and {@link #sampling(int, double, int, double, long)},
 * and refine with the {@code with*} methods or {@link #toBuilder()}.
 *
 * <pre>{@code
 * GenerationConfig beam = GenerationConfig.builder().maxNewTokens(32).beams(4).build();
 * GenerationConfig sample = GenerationConfig.builder().maxNewTokens(32).sampling(42).temperature(0.7).topP(0.9).build();
 * }</pre>
 *
 * @param strategy greedy, beam search or sampling
 * @param maxNewTokens most tokens to generate (EOS included)
 * @param numBeams beams for beam search (1 otherwise)
 * @param lengthPenalty beam search only: a finished hypothesis scores (summed natural-log
 *     probability of its tokens, EOS included) / length^lengthPenalty, length = generated tokens
 *     including EOS. 0 (the default) ranks by probability alone, so one beam gives the greedy
 *     answer; a positive penalty favours longer answers, and the search then cannot stop before
 *     maxNewTokens as early as it can with 0 (see the README's beam search notes)
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

  /** Most beams accepted. */
  public static final int MAX_BEAMS = 64;

  public GenerationConfig {
    if (strategy == null) {
      throw new InvalidInputException("strategy must not be null");
    }
    if (maxNewTokens < 1 || maxNewTokens > MAX_NEW_TOKENS_LIMIT) {
      throw new InvalidInputException("maxNewTokens must be in 1.." + MAX_NEW_TOKENS_LIMIT + ", got " + maxNewTokens);
    }
    if (numBeams < 1 || numBeams > MAX_BEAMS) {
      throw new InvalidInputException("numBeams must be in 1.." + MAX_BEAMS + ", got " + numBeams);
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

  /** Named settings; starts as greedy decoding with no maxNewTokens (which must be set). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.strategy = strategy;
    b.maxNewTokens = maxNewTokens;
    b.numBeams = numBeams;
    b.lengthPenalty = lengthPenalty;
    b.temperature = temperature;
    b.topK = topK;
    b.topP = topP;
    b.seed = seed;
    b.stopTokens = stopTokens;
    b.minNewTokens = minNewTokens;
    return b;
  }

  public static GenerationConfig greedy(int maxNewTokens) {
    return builder().maxNewTokens(maxNewTokens).build();
  }

  /** Beam search with length penalty 0 (ranking by log-probability; {@code beam(1, n)} is greedy). */
  public static GenerationConfig beam(int numBeams, int maxNewTokens) {
    return builder().maxNewTokens(maxNewTokens).beams(numBeams).build();
  }

  public static GenerationConfig sampling(int maxNewTokens, double temperature, int topK, double topP, long seed) {
    return builder().maxNewTokens(maxNewTokens).sampling(seed).temperature(temperature).topK(topK).topP(topP).build();
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

  /**
   * Named settings for a {@link GenerationConfig}. {@link #beams(int)} and {@link #sampling(long)}
   * choose the strategy (greedy otherwise); {@link #build()} checks every value and refuses
   * settings that the chosen strategy would ignore. Not thread-safe.
   */
  public static final class Builder {
    private Strategy strategy = Strategy.GREEDY;
    private int maxNewTokens = -1;
    private int numBeams = 1;
    private double lengthPenalty = 0.0;
    private double temperature = 1.0;
    private int topK = 0;
    private double topP = 1.0;
    private long seed = 0;
    private Set<Long> stopTokens = Set.of();
    private int minNewTokens = 0;
    /** Set by the setters (not by toBuilder): a setting the chosen strategy ignores is a mistake. */
    private boolean samplingSettingSet;
    private boolean lengthPenaltySet;

    private Builder() {}

    /** Most tokens to generate, EOS included (required). */
    public Builder maxNewTokens(int n) {
      this.maxNewTokens = n;
      return this;
    }

    /** EOS and stop tokens are not chosen before this many tokens (default 0). */
    public Builder minNewTokens(int n) {
      this.minNewTokens = n;
      return this;
    }

    /** Token ids that end a sequence besides EOS. */
    public Builder stopTokens(Set<Long> ids) {
      this.stopTokens = ids;
      return this;
    }

    /** Greedy decoding (the default). */
    public Builder greedy() {
      this.strategy = Strategy.GREEDY;
      this.numBeams = 1;
      return this;
    }

    /** Beam search with {@code n} beams. */
    public Builder beams(int n) {
      this.strategy = Strategy.BEAM;
      this.numBeams = n;
      return this;
    }

    /** Beam search only; see {@link GenerationConfig#lengthPenalty()} (default 0). */
    public Builder lengthPenalty(double penalty) {
      this.lengthPenalty = penalty;
      this.lengthPenaltySet = true;
      return this;
    }

    /** Seeded sampling; refine with {@link #temperature}, {@link #topK}, {@link #topP}. */
    public Builder sampling(long seed) {
      this.strategy = Strategy.SAMPLING;
      this.numBeams = 1;
      this.seed = seed;
      return this;
    }

    public Builder temperature(double t) {
      this.temperature = t;
      this.samplingSettingSet = true;
      return this;
    }

    public Builder topK(int k) {
      this.topK = k;
      this.samplingSettingSet = true;
      return this;
    }

    public Builder topP(double p) {
      this.topP = p;
      this.samplingSettingSet = true;
      return this;
    }

    public GenerationConfig build() {
      if (maxNewTokens == -1) {
        throw new InvalidInputException("set maxNewTokens(n): the most tokens to generate");
      }
      if (strategy != Strategy.SAMPLING && samplingSettingSet) {
        throw new InvalidInputException("temperature, topK and topP apply to sampling only; call sampling(seed) to sample");
      }
      if (strategy != Strategy.BEAM && lengthPenaltySet) {
        throw new InvalidInputException("lengthPenalty applies to beam search only; call beams(n)");
      }
      return new GenerationConfig(strategy, maxNewTokens, numBeams, lengthPenalty, temperature, topK, topP, seed,
          stopTokens, minNewTokens);
    }
  }
}
