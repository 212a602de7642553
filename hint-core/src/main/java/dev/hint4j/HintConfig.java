package dev.hint4j;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * Every size of a HINT model: a T5 v1.1-style encoder-decoder plus the hypernetwork.
 *
 * <p>Immutable and thread-safe. Serialized as JSON inside {@code hint-model.json}.
 *
 * @param vocabSize token embedding rows and LM head columns
 * @param dModel hidden width d
 * @param numHeads attention heads H
 * @param headDim width of one head Dh (H·Dh need not equal d)
 * @param encoderLayers Le
 * @param decoderLayers Ld
 * @param ffnDim gated-GELU inner width
 * @param relativeBuckets T5 relative position buckets
 * @param relativeMaxDistance distance from which all offsets share the last bucket
 * @param adapterSize bottleneck width A of the generated adapters
 * @param prefixLength P generated key/value vectors per attention sublayer
 * @param layerNormEps RMSNorm epsilon
 * @param maxInputLength longest tokenized input (encoder side) the model accepts
 * @param maxInstructionLength longest tokenized instruction plus examples
 * @param maxTargetLength longest generated or scored target
 * @param padId padding token, also T5's decoder start token
 * @param eosId end-of-sequence token
 * @param unkId unknown token
 */
public record HintConfig(
    int vocabSize,
    int dModel,
    int numHeads,
    int headDim,
    int encoderLayers,
    int decoderLayers,
    int ffnDim,
    int relativeBuckets,
    int relativeMaxDistance,
    int adapterSize,
    int prefixLength,
    double layerNormEps,
    int maxInputLength,
    int maxInstructionLength,
    int maxTargetLength,
    int padId,
    int eosId,
    int unkId) {

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public HintConfig {
    // Upper bounds far above any real model catch unit mistakes and keep every product and sum
    // computed from these sizes (inner width, component rows, the tokenizer's total) inside int.
    inRange("vocabSize", vocabSize, MAX_VOCAB);
    inRange("dModel", dModel, MAX_WIDTH);
    inRange("numHeads", numHeads, MAX_HEADS_OR_LAYERS);
    inRange("headDim", headDim, MAX_WIDTH);
    inRange("encoderLayers", encoderLayers, MAX_HEADS_OR_LAYERS);
    inRange("decoderLayers", decoderLayers, MAX_HEADS_OR_LAYERS);
    inRange("ffnDim", ffnDim, MAX_WIDTH);
    inRange("relativeBuckets", relativeBuckets, MAX_WIDTH);
    inRange("relativeMaxDistance", relativeMaxDistance, MAX_LENGTH);
    inRange("adapterSize", adapterSize, MAX_WIDTH);
    inRange("prefixLength", prefixLength, MAX_WIDTH);
    inRange("maxInputLength", maxInputLength, MAX_LENGTH);
    inRange("maxInstructionLength", maxInstructionLength, MAX_LENGTH);
    // generate(input) decodes up to maxTargetLength tokens, so it must be a length GenerationConfig accepts.
    inRange("maxTargetLength", maxTargetLength, GenerationConfig.MAX_NEW_TOKENS_LIMIT);
    if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) { // JSON cannot even write an infinite epsilon
      throw new IllegalArgumentException("layerNormEps must be finite and > 0, got " + layerNormEps);
    }
    if (relativeBuckets % 4 != 0) {
      throw new IllegalArgumentException("relativeBuckets must be a multiple of 4 (T5 halves it twice), got " + relativeBuckets);
    }
    if (relativeMaxDistance <= relativeBuckets / 2) {
      // The logarithmic buckets start at buckets/2 (causal); a smaller max distance makes their log scale ≤ 0.
      throw new IllegalArgumentException("relativeMaxDistance must exceed relativeBuckets/2 (" + relativeBuckets / 2
          + "), got " + relativeMaxDistance);
    }
    for (int id : new int[] {padId, eosId, unkId}) {
      if (id < 0 || id >= vocabSize) {
        throw new IllegalArgumentException("special token id " + id + " outside vocabulary of " + vocabSize);
      }
    }
  }

  /** Most embedding rows accepted (16M; the largest public vocabularies are ~256k). */
  public static final int MAX_VOCAB = 1 << 24;
  /** Most of any width (d, Dh, FFN, adapter, prefix, buckets). */
  public static final int MAX_WIDTH = 1 << 16;
  /** Most heads, and most layers per stack. */
  public static final int MAX_HEADS_OR_LAYERS = 1 << 10;
  /** Longest input or instruction in tokens, and the furthest relative distance. */
  public static final int MAX_LENGTH = 1 << 16;

  private static void inRange(String name, int v, int max) {
    if (v <= 0 || v > max) {
      throw new IllegalArgumentException(name + " must be in 1.." + max + ", got " + v);
    }
  }

  /** The decoder's start token (T5 uses the pad id). */
  public int decoderStartId() {
    return padId;
  }

  /** Width of the concatenated heads, H·Dh. */
  public int innerDim() {
    return numHeads * headDim;
  }

  /** Slots that get adapters: every encoder layer, then every decoder layer. */
  public int adapterSlots() {
    return encoderLayers + decoderLayers;
  }

  /** Slots that get prefixes: encoder self-attention, decoder self-attention, decoder cross-attention. */
  public int prefixSlots() {
    return encoderLayers + 2 * decoderLayers;
  }

  /** Rows of the learned component embedding: see ARCHITECTURE.md, "Component layout". */
  public int componentRows() {
    return adapterSlots() * (2 * adapterSize + 2) + prefixSlots() * 2 * prefixLength;
  }

  public String toJson() {
    return GSON.toJson(this);
  }

  public static HintConfig fromJson(String json) {
    try {
      HintConfig c = GSON.fromJson(json, HintConfig.class);
      if (c == null) {
        throw new IllegalArgumentException("empty config");
      }
      // Gson builds records through the canonical constructor (validated there); this re-check is cheap.
      return new HintConfig(c.vocabSize, c.dModel, c.numHeads, c.headDim, c.encoderLayers,
          c.decoderLayers, c.ffnDim, c.relativeBuckets, c.relativeMaxDistance, c.adapterSize,
          c.prefixLength, c.layerNormEps, c.maxInputLength, c.maxInstructionLength,
          c.maxTargetLength, c.padId, c.eosId, c.unkId);
    } catch (RuntimeException e) { // Gson wraps the canonical constructor's IllegalArgumentException
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new ModelLoadException("invalid model config: " + root.getMessage(), e);
    }
  }

  /** A tiny model for tests: every code path, seconds to build and run. */
  public static HintConfig tiny(int vocabSize) {
    return new HintConfig(vocabSize, 32, 4, 8, 2, 2, 64, 16, 32, 4, 3, 1e-6, 64, 128, 32, 0, 1, 2);
  }

  /** The small model of the main job: a few MB of weights. */
  public static HintConfig small(int vocabSize) {
    return new HintConfig(vocabSize, 128, 4, 32, 3, 3, 256, 32, 128, 16, 8, 1e-6, 256, 512, 64, 0, 1, 2);
  }

  /** T5-small-shaped (d 512, 8 heads of 64, 6+6 layers, gated FFN 1024 as T5 v1.1 small) with HINT's Base-preset modules (A 64, P 30). */
  public static HintConfig t5SmallShaped(int vocabSize) {
    return new HintConfig(vocabSize, 512, 8, 64, 6, 6, 1024, 32, 128, 64, 30, 1e-6, 512, 1024, 64, 0, 1, 2);
  }
}
