package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.concat;
import static dev.hint4j.onnx.graph.Ops.dimOf;
import static dev.hint4j.onnx.graph.Ops.gather;
import static dev.hint4j.onnx.graph.Ops.greater;
import static dev.hint4j.onnx.graph.Ops.mul;
import static dev.hint4j.onnx.graph.Ops.range;
import static dev.hint4j.onnx.graph.Ops.reshape;
import static dev.hint4j.onnx.graph.Ops.unsqueeze;
import static dev.hint4j.onnx.graph.Ops.where;

import dev.hint4j.onnx.graph.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of the T5 decoder with a self-attention KV cache, HINT's prefixes and adapters, and
 * instruction fusion: cross-attention reads the task's encoded instruction and the input.
 */
final class Decoder {
  private Decoder() {}

  /**
   * Per layer: what the step reads besides the token ids. A null past means no cache (the step
   * sees only its own tokens, as in training); a null module leaves out prefixes, the fused
   * instruction and the adapter (the plain model, as the concatenation baseline is trained).
   */
  record LayerInputs(
      Value pastKeyT, Value pastValue,   // [B, H, Dh, S], [B, H, S, Dh]
      Value inputKeyT, Value inputValue, // [B, H, Dh, L], [B, H, L, Dh]
      ModuleWiring.DecoderLayer module) {
    /** Training's layer: no cache, the input's keys/values and the module's layer (null: the plain model). */
    static LayerInputs uncached(Attention.KvBlock input, ModuleWiring.DecoderLayer module) {
      return new LayerInputs(null, null, input.keyT(), input.value(), module);
    }

    /** The plain model's layer in training: no cache, no module. */
    static LayerInputs plain(Attention.KvBlock input) {
      return uncached(input, null);
    }
  }

  /** Logits [B, T, V] and, per layer, the new cache (past followed by this step's keys/values). */
  record Step(Value logits, List<Value> presentKeysT, List<Value> presentValues) {}

  /**
   * The additive score biases of the step that depend on the batch only, not on the step: per
   * layer of the input ([B, 1, 1, L], the same for every layer; [B, H, 1, L] with a prompt segment
   * bias), of the prefixes [Bm, 1, 1, P] (or null) and, per layer, of the fused instruction with
   * that layer's fusion bias [Bm, H, 1, Li] (or null). Inference computes them once per batch in
   * the encoder graph and feeds them to every step; training computes them inline.
   */
  record Biases(List<Value> input, Value prefix, List<Value> instruction) {
    /**
     * @param promptMask [B, L], 1 on the concatenation baseline's prompt tokens, for configs with
     *     {@link dev.hint4j.HintConfig#hasPromptSegmentBias()}; else null
     */
    static Biases fromMasks(ArchContext a, Value inputMask, Value promptMask, Value instructionMask, Value prefixMask) {
      List<Value> instruction = null;
      if (instructionMask != null) {
        Value bias = a.maskBias(instructionMask);
        instruction = new ArrayList<>();
        for (int j = 0; j < a.c().decoderLayers(); j++) {
          instruction.add(add(bias, fusionBias(a, j)));
        }
      }
      Value inputBias = a.maskBias(inputMask);
      Value prefix = prefixMask == null ? null : a.maskBias(prefixMask);
      Value prompt = promptMask == null ? null : unsqueeze(promptMask, 1, 2); // [B, 1, 1, L]
      List<Value> input = new ArrayList<>();
      for (int j = 0; j < a.c().decoderLayers(); j++) {
        input.add(prompt == null ? inputBias : add(inputBias, mul(prompt, promptSegmentBias(a, j))));
      }
      return new Biases(input, prefix, instruction);
    }

    /** The biases of a batch under {@code module}'s masks (null: the plain model, input and prompt only). */
    static Biases of(ArchContext a, Value inputMask, Value promptMask, ModuleWiring module) {
      return module == null ? fromMasks(a, inputMask, promptMask, null, null)
          : fromMasks(a, inputMask, promptMask, module.instructionMask(), module.prefixMask());
    }
  }

  static Step step(ArchContext a, Value ids, Biases biases, List<LayerInputs> layers) {
    var g = a.g();
    Value cached = layers.get(0).pastKeyT();
    Value past = cached == null ? g.scalarInt64(0) : reshape(dimOf(cached, 3));
    Value total = add(past, reshape(dimOf(ids, 1)));
    Value queryPos = range(past, total);
    Value keyPos = range(g.scalarInt64(0), total);
    Value future = greater(unsqueeze(keyPos, 0), unsqueeze(queryPos, 1));
    Value causal = where(future, g.scalar(-ArchContext.MASKED), g.scalar(0f));
    Value selfBias = add(RelativePositionBias.build(a, "decoder", queryPos, keyPos, false), causal);
    Value prefixBias = biases.prefix();

    Value h = gather(a.param("shared.embedding"), ids, 0);
    List<Value> keys = new ArrayList<>();
    List<Value> values = new ArrayList<>();
    for (int j = 0; j < a.c().decoderLayers(); j++) {
      String p = "decoder.layers." + j;
      LayerInputs in = layers.get(j);
      ModuleWiring.DecoderLayer m = in.module();
      try (var scope = g.scope(p)) {
        Value n = RmsNorm.apply(a, h, p + ".self_norm");
        Value newKeyT = Attention.splitHeadsTransposed(a, a.linear(n, p + ".self_attn.k"));
        Value newValue = Attention.splitHeads(a, a.linear(n, p + ".self_attn.v"));
        Value keyT = in.pastKeyT() == null ? newKeyT : concat(-1, in.pastKeyT(), newKeyT);
        Value value = in.pastValue() == null ? newValue : concat(2, in.pastValue(), newValue);
        keys.add(keyT);
        values.add(value);
        List<Attention.KvBlock> self = new ArrayList<>();
        if (m != null) {
          self.add(new Attention.KvBlock(m.selfPrefixKeyT(), m.selfPrefixValue(), prefixBias));
        }
        self.add(new Attention.KvBlock(keyT, value, selfBias));
        Value x = add(h, Attention.apply(a, n, p + ".self_attn", self));
        n = RmsNorm.apply(a, x, p + ".cross_norm");
        List<Attention.KvBlock> cross = new ArrayList<>();
        if (m != null) {
          cross.add(new Attention.KvBlock(m.crossPrefixKeyT(), m.crossPrefixValue(), prefixBias));
          cross.add(new Attention.KvBlock(m.instructionKeyT(), m.instructionValue(), biases.instruction().get(j)));
        }
        cross.add(new Attention.KvBlock(in.inputKeyT(), in.inputValue(), biases.input().get(j)));
        x = add(x, Attention.apply(a, n, p + ".cross_attn", cross));
        n = RmsNorm.apply(a, x, p + ".ffn_norm");
        Value f = FeedForward.apply(a, n, p + ".ffn");
        h = add(x, m == null ? f : add(f, m.adapter().apply(n)));
      }
    }
    Value logits = a.linear(RmsNorm.apply(a, h, "decoder.final_norm"), "lm_head");
    return new Step(logits, keys, values);
  }

  /**
   * The learned log-weight [1, H, 1, 1] that layer {@code j}'s cross-attention adds to every
   * instruction-memory token (hyper.fusion_bias, initialised below zero). Without it the fused
   * instruction, several times longer than a typical input, takes most of the attention at
   * initialisation and the decoder learns to read its input far more slowly (see HintWeights).
   */
  private static Value fusionBias(ArchContext a, int j) {
    return perHead(a, "hyper.fusion_bias", j);
  }

  /**
   * The baseline's counterpart [1, H, 1, 1]: the learned log-weight that layer {@code j}'s
   * cross-attention adds to every prompt token of a concatenated input, for the same reason and
   * from the same initial value (HintWeights.PROMPT_SEGMENT_BIAS).
   */
  private static Value promptSegmentBias(ArchContext a, int j) {
    return perHead(a, HintWeights.PROMPT_SEGMENT_BIAS, j);
  }

  /** Row {@code j} of a [layers, H] parameter, shaped [1, H, 1, 1] to broadcast over scores. */
  private static Value perHead(ArchContext a, String param, int j) {
    Value row = gather(a.param(param), a.g().scalarInt64(j), 0); // [H]
    return reshape(row, 1, a.c().numHeads(), 1, 1);
  }
}
