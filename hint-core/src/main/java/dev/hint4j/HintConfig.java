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
 * @param pretrainedInstructionEncoder a frozen pretrained text encoder whose per-token states join
 *     the instruction memory, or null (the paper's setting, and every model before issue 13's pilot).
 *     Optional: absent from the JSON when null, so configs written before it existed read the same.
 * @param promptSegmentBias true for an instruction-concatenation baseline whose decoder adds a
 *     learned per-layer, per-head log-weight to the cross-attention scores of the prompt's tokens
 *     (instruction, examples and separator), as HINT does for its fused instruction; see
 *     {@link #hasPromptSegmentBias()}. Null or false: no such bias (HINT models, and baselines
 *     trained before it existed). Stored as null when false, so the JSON and fingerprint of every
 *     other model stay as they were.
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
    int unkId,
    PretrainedInstructionEncoder pretrainedInstructionEncoder,
    Boolean promptSegmentBias) {

  /**
   * A frozen pretrained encoder read beside the model's own instruction encoder: its per-token
   * states [Lm, width] are projected to d and appended to the instruction memory that feeds the
   * hypernetwork and the decoder's fused cross-attention (a documented deviation from the paper).
   *
   * @param name which encoder, e.g. {@code all-minilm-l6-v2}; the code that runs it must know the name
   * @param width the width of its states
   */
  public record PretrainedInstructionEncoder(String name, int width) {
    public PretrainedInstructionEncoder {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("pretrainedInstructionEncoder needs a name");
      }
      inRange("pretrainedInstructionEncoder.width", width, MAX_WIDTH);
    }
  }

  /** Without a pretrained instruction encoder (the paper's setting). */
  public HintConfig(int vocabSize, int dModel, int numHeads, int headDim, int encoderLayers, int decoderLayers, int ffnDim,
      int relativeBuckets, int relativeMaxDistance, int adapterSize, int prefixLength, double layerNormEps, int maxInputLength,
      int maxInstructionLength, int maxTargetLength, int padId, int eosId, int unkId) {
    this(vocabSize, dModel, numHeads, headDim, encoderLayers, decoderLayers, ffnDim, relativeBuckets, relativeMaxDistance,
        adapterSize, prefixLength, layerNormEps, maxInputLength, maxInstructionLength, maxTargetLength, padId, eosId, unkId, null,
        null);
  }

  /** As the canonical constructor, without the prompt segment bias (every config but a baseline's since issue 13). */
  public HintConfig(int vocabSize, int dModel, int numHeads, int headDim, int encoderLayers, int decoderLayers, int ffnDim,
      int relativeBuckets, int relativeMaxDistance, int adapterSize, int prefixLength, double layerNormEps, int maxInputLength,
      int maxInstructionLength, int maxTargetLength, int padId, int eosId, int unkId,
      PretrainedInstructionEncoder pretrainedInstructionEncoder) {
    this(vocabSize, dModel, numHeads, headDim, encoderLayers, decoderLayers, ffnDim, relativeBuckets, relativeMaxDistance,
        adapterSize, prefixLength, layerNormEps, maxInputLength, maxInstructionLength, maxTargetLength, padId, eosId, unkId,
        pretrainedInstructionEncoder, null);
  }

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public HintConfig {
    if (Boolean.FALSE.equals(promptSegmentBias)) {
      promptSegmentBias = null; // one representation of "off": equal configs, unchanged JSON
    }
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

  /**
   * Whether the decoder's cross-attention adds the learned {@code concat.segment_bias} to the
   * prompt tokens of a concatenated input (the instruction-concatenation baseline's counterpart of
   * HINT's fusion bias); the encoder graph then reads a {@code prompt_mask} beside the input mask.
   */
  public boolean hasPromptSegmentBias() {
    return promptSegmentBias != null;
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
      return c.toBuilder().build();
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
    return builder(vocabSize).dModel(32).numHeads(4).headDim(8).encoderLayers(2).decoderLayers(2).ffnDim(64)
        .relativeBuckets(16).relativeMaxDistance(32).adapterSize(4).prefixLength(3)
        .maxInputLength(64).maxInstructionLength(128).maxTargetLength(32).build();
  }

  /** The small model of the main job: a few MB of weights (the builder's defaults). */
  public static HintConfig small(int vocabSize) {
    return builder(vocabSize).build();
  }

  /** d=256, 4 heads of 64, 3+3 layers, gated FFN 512: the demo recipe's larger candidate. */
  public static HintConfig medium(int vocabSize) {
    return new HintConfig(vocabSize, 256, 4, 64, 3, 3, 512, 32, 128, 16, 8, 1e-6, 256, 512, 64, 0, 1, 2);
  }

  /** T5-small-shaped (d 512, 8 heads of 64, 6+6 layers, gated FFN 1024 as T5 v1.1 small) with HINT's Base-preset modules (A 64, P 30). */
  public static HintConfig t5SmallShaped(int vocabSize) {
    return builder(vocabSize).dModel(512).numHeads(8).headDim(64).encoderLayers(6).decoderLayers(6).ffnDim(1024)
        .adapterSize(64).prefixLength(30).maxInstructionLength(1024).maxInputLength(512).build();
  }

  /**
   * Named settings, starting from the {@link #small} model's sizes (d 128, 4 heads of 32, 3+3
   * layers, FFN 256, 32 buckets up to distance 128, A 16, P 8, eps 1e-6, lengths 256/512/64,
   * pad 0, EOS 1, unk 2); {@link Builder#build()} validates as the constructor does.
   */
  public static Builder builder(int vocabSize) {
    return new Builder().vocabSize(vocabSize);
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.vocabSize = vocabSize;
    b.dModel = dModel;
    b.numHeads = numHeads;
    b.headDim = headDim;
    b.encoderLayers = encoderLayers;
    b.decoderLayers = decoderLayers;
    b.ffnDim = ffnDim;
    b.relativeBuckets = relativeBuckets;
    b.relativeMaxDistance = relativeMaxDistance;
    b.adapterSize = adapterSize;
    b.prefixLength = prefixLength;
    b.layerNormEps = layerNormEps;
    b.maxInputLength = maxInputLength;
    b.maxInstructionLength = maxInstructionLength;
    b.maxTargetLength = maxTargetLength;
    b.padId = padId;
    b.eosId = eosId;
    b.unkId = unkId;
    b.pretrainedInstructionEncoder = pretrainedInstructionEncoder;
    b.promptSegmentBias = hasPromptSegmentBias();
    return b;
  }

  /** Named settings for a {@link HintConfig}. Not thread-safe. */
  public static final class Builder {
    private int vocabSize;
    private int dModel = 128;
    private int numHeads = 4;
    private int headDim = 32;
    private int encoderLayers = 3;
    private int decoderLayers = 3;
    private int ffnDim = 256;
    private int relativeBuckets = 32;
    private int relativeMaxDistance = 128;
    private int adapterSize = 16;
    private int prefixLength = 8;
    private double layerNormEps = 1e-6;
    private int maxInputLength = 256;
    private int maxInstructionLength = 512;
    private int maxTargetLength = 64;
    private int padId = 0;
    private int eosId = 1;
    private int unkId = 2;
    private PretrainedInstructionEncoder pretrainedInstructionEncoder;
    private boolean promptSegmentBias;

    private Builder() {}

    public Builder vocabSize(int value) {
      this.vocabSize = value;
      return this;
    }

    public Builder dModel(int value) {
      this.dModel = value;
      return this;
    }

    public Builder numHeads(int value) {
      this.numHeads = value;
      return this;
    }

    public Builder headDim(int value) {
      this.headDim = value;
      return this;
    }

    public Builder encoderLayers(int value) {
      this.encoderLayers = value;
      return this;
    }

    public Builder decoderLayers(int value) {
      this.decoderLayers = value;
      return this;
    }

    public Builder ffnDim(int value) {
      this.ffnDim = value;
      return this;
    }

    public Builder relativeBuckets(int value) {
      this.relativeBuckets = value;
      return this;
    }

    public Builder relativeMaxDistance(int value) {
      this.relativeMaxDistance = value;
      return this;
    }

    public Builder adapterSize(int value) {
      this.adapterSize = value;
      return this;
    }

    public Builder prefixLength(int value) {
      this.prefixLength = value;
      return this;
    }

    public Builder layerNormEps(double value) {
      this.layerNormEps = value;
      return this;
    }

    public Builder maxInputLength(int value) {
      this.maxInputLength = value;
      return this;
    }

    public Builder maxInstructionLength(int value) {
      this.maxInstructionLength = value;
      return this;
    }

    public Builder maxTargetLength(int value) {
      this.maxTargetLength = value;
      return this;
    }

    public Builder padId(int value) {
      this.padId = value;
      return this;
    }

    public Builder eosId(int value) {
      this.eosId = value;
      return this;
    }

    public Builder unkId(int value) {
      this.unkId = value;
      return this;
    }

    /** A frozen pretrained encoder beside the instruction encoder, or null for none (the default). */
    public Builder pretrainedInstructionEncoder(PretrainedInstructionEncoder value) {
      this.pretrainedInstructionEncoder = value;
      return this;
    }

    /** The baseline's learned bias on its prompt tokens (see {@link HintConfig#hasPromptSegmentBias()}); default off. */
    public Builder promptSegmentBias(boolean value) {
      this.promptSegmentBias = value;
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid setting */
    public HintConfig build() {
      return new HintConfig(vocabSize, dModel, numHeads, headDim, encoderLayers, decoderLayers, ffnDim,
          relativeBuckets, relativeMaxDistance, adapterSize, prefixLength, layerNormEps, maxInputLength,
          maxInstructionLength, maxTargetLength, padId, eosId, unkId, pretrainedInstructionEncoder,
          promptSegmentBias ? Boolean.TRUE : null);
    }
  }
}
