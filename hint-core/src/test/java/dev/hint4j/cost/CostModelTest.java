package dev.hint4j.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.HintConfig;
import org.junit.jupiter.api.Test;

class CostModelTest {
  // d 4, 1 head of 2 (inner 2), 1+1 layers, ffn 8, A 2, P 1, vocab 10.
  static final HintConfig C = HintConfig.builder(10).dModel(4).numHeads(1).headDim(2).encoderLayers(1)
      .decoderLayers(1).ffnDim(8).relativeBuckets(4).relativeMaxDistance(8).adapterSize(2).prefixLength(1)
      .maxInputLength(16).maxInstructionLength(16).maxTargetLength(16).build();
  final CostModel cost = new CostModel(C);

  /** Plain model, 1 input token, 1 output token, written out multiply by multiply. */
  @Test
  void plainModelByHand() {
    // Encoder layer over 1 token: q,k,v,o 4·(4·2)=32 MACs; scores 1·1·2=2, values 2; FFN wi_0, wi_1 4·8 each, wo 8·4: 96.
    long encoder = 32 + 2 + 2 + 96;
    // Cross keys and values of 1 memory token: 2·(4·2) = 16.
    long crossKv = 16;
    // Decoder step 0: self q,k,v,o 32; self attention over 1 key: 2+2; cross q,o: 16; cross attention over 1 key: 4;
    // FFN 96; LM head 4·10 = 40.
    long decoder = 32 + 4 + 16 + 4 + 96 + 40;
    assertThat(cost.plainPerInputFlops(1, 1)).isEqualTo(2 * (encoder + crossKv + decoder));
  }

  /** HINT adds adapters (2·d·A MACs per token per layer) and P prefix keys per attention. */
  @Test
  void hintOverheadByHand() {
    long adapterMacs = 2 * 4 * 2;           // down and up, per token
    long prefixMacs = 2 * 1 * 2;            // scores and values over P = 1 extra key, inner 2
    // encoder: +adapter +prefix; decoder step 0: +adapter, self prefix, cross prefix; instruction memory of 0.
    long extra = (adapterMacs + prefixMacs) + (adapterMacs + prefixMacs + prefixMacs);
    assertThat(cost.hintPerInputFlops(0, 1, 1) - cost.plainPerInputFlops(1, 1)).isEqualTo(2 * extra);
  }

  @Test
  void hintPerInputGrowsOnlyByCrossAttentionOverTheInstruction() {
    HintConfig t5 = HintConfig.t5SmallShaped(32128);
    CostModel m = new CostModel(t5);
    int out = 16;
    long delta = m.hintPerInputFlops(1000, 32, out) - m.hintPerInputFlops(0, 32, out);
    // Each generated token, in each decoder layer, scores and sums over 1000 more keys of width H·Dh.
    assertThat(delta).isEqualTo(2L * 2 * t5.decoderLayers() * out * 1000 * t5.innerDim());
    long concat = m.concatPerInputFlops(1000, 32, out);
    assertThat(concat).isGreaterThan(m.concatPerInputFlops(100, 32, out)).isGreaterThan(5 * m.hintPerInputFlops(1000, 32, out));
    assertThat(m.concatPerInputFlops(0, 32, out)).isEqualTo(m.plainPerInputFlops(32, out));
  }

  @Test
  void compileCostGrowsWithTheInstruction() {
    assertThat(cost.compileFlops(100)).isGreaterThan(cost.compileFlops(10)).isGreaterThan(0);
  }

  /** A pretrained instruction encoder of width 2 (the 6-layer, FFN 4·width shape of all-MiniLM-L6-v2), by hand. */
  @Test
  void pretrainedInstructionStatesByHand() {
    HintConfig withEncoder = C.toBuilder()
        .pretrainedInstructionEncoder(new HintConfig.PretrainedInstructionEncoder("all-minilm-l6-v2", 2)).build();
    CostModel m = new CostModel(withEncoder);
    // Its forward over 1 token: q,k,v,o 4·(2·2)=16 MACs; scores 1·1·2=2, values 2; FFN 2·8 + 8·2 = 32: 52 per layer, 6 layers.
    long forward = 6 * 52;
    long projection = 2 * 4;                              // [1, 2] x [2, d 4]
    // The extra memory token: cross keys and values 2·(4·2) in the 1 decoder layer, hypernetwork keys and values
    // 2·(4·2), and one more key for each of the hypernetwork's component rows (scores and values, inner 2).
    long memory = 16 + 16 + 2 * 2 * (long) withEncoder.componentRows();
    assertThat(m.compileFlops(3, 1) - m.compileFlops(3, 0)).isEqualTo(2 * (forward + projection + memory));
    // Per input, its states are just more memory tokens for the decoder's fused cross-attention.
    assertThat(m.hintPerInputFlops(3, 2, 5, 4)).isEqualTo(m.hintPerInputFlops(5, 5, 4));
  }

  @Test
  void unknownPretrainedEncoderHasNoCostFigures() {
    HintConfig other = C.toBuilder()
        .pretrainedInstructionEncoder(new HintConfig.PretrainedInstructionEncoder("some-other-encoder", 8)).build();
    assertThatThrownBy(() -> new CostModel(other).compileFlops(3, 2))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("some-other-encoder");
    assertThatThrownBy(() -> cost.compileFlops(3, 2)).hasMessageContaining("none configured");
  }
}
