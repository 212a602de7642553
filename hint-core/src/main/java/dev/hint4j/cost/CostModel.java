package dev.hint4j.cost;

import dev.hint4j.HintConfig;

/**
 * Analytic FLOPs of a HINT model, counted as 2 FLOPs per multiply-accumulate of every matrix
 * product (projections, feed-forward, adapters, attention scores and weighted sums, LM head).
 * Element-wise work (norms, softmax, activations, masks) is left out: it is small next to the
 * products and depends on the kernels. Generation is counted token by token with a KV cache.
 *
 * <p>This is hint4j's own accounting of the architecture in ARCHITECTURE.md, in the spirit of the
 * paper's "2 FLOPs per parameter per token" comparison, not the paper's formula (not available).
 * The baseline is counted as the plain model without module, as a model trained without
 * hypernetwork would run. Immutable and thread-safe.
 */
public final class CostModel {
  private static final String MINILM_L6 = "all-minilm-l6-v2";
  private final HintConfig c;

  public CostModel(HintConfig config) {
    this.c = config;
  }

  public HintConfig config() {
    return c;
  }

  /**
   * Once per task: the instruction's encoder pass (no module), the hypernetwork (component
   * queries, instruction keys/values, attention, output projection, the six heads) and the
   * per-decoder-layer cross-attention keys/values of the instruction.
   */
  public long compileFlops(int instructionTokens) {
    return compileFlops(instructionTokens, 0);
  }

  /**
   * {@link #compileFlops(int)} for a model with a pretrained instruction encoder that gave
   * {@code pretrainedTokens} states: its forward pass and their projection are added, and they
   * join the instruction in the hypernetwork's keys/values and the decoder's fused memory.
   */
  public long compileFlops(int instructionTokens, int pretrainedTokens) {
    long li = instructionTokens;
    long memory = li + pretrainedTokens;
    long d = c.dModel();
    long inner = c.innerDim();
    long rows = c.componentRows();
    long hyperAttention = 2 * rows * d * inner          // component queries
        + 2 * 2 * memory * d * inner                     // instruction keys and values
        + 2 * 2 * rows * memory * inner                  // scores and weighted sum
        + 2 * rows * inner * d;                          // output projection
    long heads = 0;
    long a = c.adapterSize();
    long sa = c.adapterSlots();
    long sp = c.prefixSlots();
    long p = c.prefixLength();
    heads += sa * a * mlpHead(d, d);                      // adapter down rows
    heads += sa * a * mlpHead(d, d);                      // adapter up rows
    heads += sa * mlpHead(d, a);                          // adapter bias down
    heads += sa * mlpHead(d, d);                          // adapter bias up
    heads += 2 * sp * p * mlpHead(d, inner);              // prefix keys and values
    return encoder(li, 0, false) + pretrained(pretrainedTokens) + crossKv(memory) + hyperAttention + heads;
  }

  /**
   * One input under HINT: encoder over the input with adapters and P prefix keys per layer, the
   * input's cross-attention keys/values, and {@code outputTokens} cached decoder steps whose
   * cross-attention reads P prefixes, the task's instruction and the input.
   */
  public long hintPerInputFlops(int instructionTokens, int inputTokens, int outputTokens) {
    return hintPerInputFlops(instructionTokens, 0, inputTokens, outputTokens);
  }

  /** {@link #hintPerInputFlops(int, int, int)} when the fused memory also holds {@code pretrainedTokens} states. */
  public long hintPerInputFlops(int instructionTokens, int pretrainedTokens, int inputTokens, int outputTokens) {
    long p = c.prefixLength();
    return encoder(inputTokens, p, true) + crossKv(inputTokens)
        + decoder(outputTokens, p, p + instructionTokens + pretrainedTokens + inputTokens, true);
  }

  /** One input of the concatenation baseline: the plain model over prompt ⧺ input. */
  public long concatPerInputFlops(int promptTokens, int inputTokens, int outputTokens) {
    long l = (long) promptTokens + inputTokens;
    return encoder(l, 0, false) + crossKv(l) + decoder(outputTokens, 0, l, false);
  }

  /** One input of the plain model (no instruction at all). */
  public long plainPerInputFlops(int inputTokens, int outputTokens) {
    return concatPerInputFlops(0, inputTokens, outputTokens);
  }

  // ---- blocks ----

  /**
   * The frozen pretrained encoder's forward pass over {@code tokens} tokens and the projection of
   * its states to d. all-MiniLM-L6-v2 is a BERT encoder of 6 layers, width 384, FFN 1536 (its
   * published configuration); no other encoder is known to the runtime either.
   */
  private long pretrained(long tokens) {
    HintConfig.PretrainedInstructionEncoder e = c.pretrainedInstructionEncoder();
    if (tokens == 0) {
      return 0;
    }
    if (e == null || !e.name().equals(MINILM_L6)) {
      throw new IllegalStateException("no cost figures for pretrained instruction encoder "
          + (e == null ? "(none configured)" : "'" + e.name() + "'") + "; known: " + MINILM_L6);
    }
    long w = e.width();
    long perLayer = 4 * 2 * tokens * w * w         // q, k, v, o
        + 2 * 2 * tokens * tokens * w              // scores and weighted sum
        + 2 * 2 * tokens * w * (4 * w);            // FFN in and out (1536 = 4 x 384)
    return 6 * perLayer + 2 * tokens * w * c.dModel();
  }

  private static long mlpHead(long d, long out) {
    return 2 * d * d + 2 * d * out;
  }

  /** q, k, v, o projections of {@code tokens} tokens. */
  private long projections(long tokens) {
    return 4 * 2 * tokens * c.dModel() * c.innerDim();
  }

  /** Scores and weighted sum of {@code queries} over {@code keys}. */
  private long attention(long queries, long keys) {
    return 2 * 2 * queries * keys * c.innerDim();
  }

  private long ffn(long tokens) {
    return 3 * 2 * tokens * c.dModel() * c.ffnDim(); // wi_0, wi_1, wo
  }

  private long adapter(long tokens) {
    return 2 * 2 * tokens * c.dModel() * c.adapterSize(); // down and up
  }

  private long encoder(long tokens, long prefix, boolean adapters) {
    long perLayer = projections(tokens) + attention(tokens, tokens + prefix) + ffn(tokens)
        + (adapters ? adapter(tokens) : 0);
    return c.encoderLayers() * perLayer;
  }

  /** Cross-attention keys and values of {@code tokens} memory tokens, for every decoder layer. */
  private long crossKv(long tokens) {
    return c.decoderLayers() * 2 * 2 * tokens * c.dModel() * c.innerDim();
  }

  /** {@code steps} cached decoder steps; step t attends to t+1 own keys (+ prefix) and {@code memory} keys. */
  private long decoder(long steps, long prefix, long memory, boolean adapters) {
    long total = 0;
    long d = c.dModel();
    long inner = c.innerDim();
    for (long t = 0; t < steps; t++) {
      long perLayer = projections(1)                      // self q, k, v, o of the new token
          + attention(1, t + 1 + prefix)
          + 2 * 2 * d * inner                             // cross q and o (cross k, v are per memory token)
          + attention(1, memory)
          + ffn(1) + (adapters ? adapter(1) : 0);
      total += c.decoderLayers() * perLayer + 2 * d * c.vocabSize();
    }
    return total;
  }
}
