package dev.hint4j.onnx.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.reference.Attention.Block;
import dev.hint4j.tensor.FloatTensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Checks the reference against closed forms and hand-computed values, so that the graphs are
 * compared with something known to be right. Sizes: {@code HintConfig.tiny(50)} (d 32, 4 heads of 8,
 * 2+2 layers, FFN 64, 16 buckets / distance 32, A 4, P 3).
 */
class ReferenceHintTest {
  private static final HintConfig C = HintConfig.tiny(50);
  private static final long[] INPUT = {5, 9, 13, 2, 44, 17};
  private static final long[] INSTRUCTION = {7, 3, 21, 30, 11};
  private static final long[] DECODER = {0, 8, 15, 4, 49};

  // ------------------------------------------------------------ relative position buckets

  @Test
  void bidirectionalBucketsMatchHandComputedTable() {
    // 32 buckets, max distance 128: nb = 16 (half for r > 0), maxExact = 8.
    assertThat(bucket(0)).isEqualTo(0);
    assertThat(bucket(-1)).isEqualTo(1);
    assertThat(bucket(1)).isEqualTo(17); // 16 + 1
    assertThat(bucket(-7)).isEqualTo(7); // last exact bucket
    assertThat(bucket(-8)).isEqualTo(8); // 8 + (int)(log(8/8)/log(16)·8) = 8 + 0
    // r = −20: n = 20 ≥ 8, log(20/8) = 0.916291, log(128/8) = 2.772589,
    // 0.916291 / 2.772589 = 0.330482, × (16 − 8) = 2.643856, truncated 2 → 8 + 2 = 10.
    assertThat(bucket(-20)).isEqualTo(10);
    // r = −16: log(2)/log(16) = 0.25 exactly, × 8 = 2.0 (float32 lands exactly on 2) → 10.
    assertThat(bucket(-16)).isEqualTo(10);
    // r = −15: log(15/8)/log(16)·8 = 1.8138 → 8 + 1 = 9.
    assertThat(bucket(-15)).isEqualTo(9);
    // r = −127: log(127/8)/log(16)·8 = 7.977 → 8 + 7 = 15.
    assertThat(bucket(-127)).isEqualTo(15);
    // r = −200: log(25)/log(16)·8 = 9.29 → 8 + 9 = 17, clamped to nb − 1 = 15.
    assertThat(bucket(-200)).isEqualTo(15);
    assertThat(bucket(200)).isEqualTo(31); // 16 + 15
    assertThat(bucket(20)).isEqualTo(26); // 16 + 10: the positive side mirrors the negative one
  }

  @Test
  void causalBucketsMatchHandComputedTable() {
    // 32 buckets, max distance 128: nb = 32, maxExact = 16; future keys (r > 0) all land in 0.
    assertThat(causal(1)).isEqualTo(0);
    assertThat(causal(50)).isEqualTo(0);
    assertThat(causal(0)).isEqualTo(0);
    assertThat(causal(-1)).isEqualTo(1);
    assertThat(causal(-15)).isEqualTo(15);
    assertThat(causal(-16)).isEqualTo(16);
    // r = −31: log(31/16)/log(128/16) = 0.66140/2.07944 = 0.31807, × 16 = 5.089 → 16 + 5 = 21.
    assertThat(causal(-31)).isEqualTo(21);
    // r = −100: log(6.25)/log(8)·16 = 14.10 → 16 + 14 = 30.
    assertThat(causal(-100)).isEqualTo(30);
    // r = −128: log(8)/log(8)·16 = 16 → 32, clamped to 31.
    assertThat(causal(-128)).isEqualTo(31);
    assertThat(causal(-200)).isEqualTo(31);
  }

  @Test
  void bucketsBeyondMaxDistanceShareTheEndBuckets() {
    for (int r = 128; r < 2000; r += 37) {
      assertThat(bucket(-r)).isEqualTo(15);
      assertThat(bucket(r)).isEqualTo(31);
      assertThat(causal(-r)).isEqualTo(31);
    }
  }

  private static int bucket(int r) {
    return ReferenceHint.relativeBucket(r, true, 32, 128);
  }

  private static int causal(int r) {
    return ReferenceHint.relativeBucket(r, false, 32, 128);
  }

  // ------------------------------------------------------------ building blocks

  @Test
  void geluIsTheTanhForm() {
    assertThat(Mat.gelu(0)).isEqualTo(0.0);
    // 0.5·(1 + tanh(sqrt(2/π)·1.044715)); the erf form would give 0.8413447.
    assertThat(Mat.gelu(1)).isCloseTo(0.8411919906082768, within(1e-14));
    assertThat(Mat.gelu(-1)).isCloseTo(-0.15880800939172324, within(1e-14));
  }

  @Test
  void rmsnormDividesByRootMeanSquareAndScales() {
    // x = (3, 4): mean(x²) = 12.5; with eps 0.5 the divisor is sqrt(13) exactly.
    double[][] y = Mat.rmsnorm(new double[][] {{3, 4}}, new double[] {2, -1}, 0.5);
    assertThat(y[0][0]).isCloseTo(6 / Math.sqrt(13), within(1e-15));
    assertThat(y[0][1]).isCloseTo(-4 / Math.sqrt(13), within(1e-15));
  }

  @Test
  void aDominantKeyGivesExactlyItsValue() {
    // 2 heads of 3; key 1 scores 100 in both heads, the others 0: weights e^-100 elsewhere.
    double[][] q = {{10, 0, 0, 0, 10, 0}};
    double[][] k = {{0, 1, 0, 0, 0, 1}, {10, 0, 0, 0, 10, 0}, {0, 0, 1, 1, 0, 0}};
    double[][] v = {{1, 2, 3, 4, 5, 6}, {-7, 8, -9, 10, -11, 12}, {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}};
    double[][] out = Attention.attend(q, List.of(new Block(k, v, new double[2][1][3])), 2, 3);
    assertThat(out[0]).containsExactly(new double[] {-7, 8, -9, 10, -11, 12}, within(1e-12));
  }

  @Test
  void scoresAreNotScaledBySqrtHeadDim() {
    // One head of 4; q·k0 = 1, q·k1 = 0 → weights e/(1+e), 1/(1+e) (scaled: e^0.5/(1+e^0.5)).
    double[][] q = {{1, 0, 0, 0}};
    double[][] k = {{1, 0, 0, 0}, {0, 1, 0, 0}};
    double[][] v = {{1, 0, 0, 0}, {0, 1, 0, 0}};
    double[][] out = Attention.attend(q, List.of(new Block(k, v, new double[1][1][2])), 1, 4);
    double w0 = Math.E / (1 + Math.E);
    assertThat(out[0]).containsExactly(new double[] {w0, 1 - w0, 0, 0}, within(1e-15));
  }

  @Test
  void blocksShareOneSoftmaxAndMaskedColumnsGetNoWeight() {
    // The same two keys as above, split into two blocks, plus a third block that would dominate
    // (score 50) but is masked with (0 − 1)·1e9.
    double[][] q = {{1, 0, 0, 0}};
    Block first = new Block(new double[][] {{1, 0, 0, 0}}, new double[][] {{1, 0, 0, 0}}, new double[1][1][1]);
    Block second = new Block(new double[][] {{0, 1, 0, 0}}, new double[][] {{0, 1, 0, 0}}, new double[1][1][1]);
    Block masked = new Block(new double[][] {{50, 0, 0, 0}}, new double[][] {{0, 0, 9, 9}},
        Attention.maskBias(1, 1, new double[] {0}));
    double[][] out = Attention.attend(q, List.of(first, masked, second), 1, 4);
    double w0 = Math.E / (1 + Math.E);
    assertThat(out[0]).containsExactly(new double[] {w0, 1 - w0, 0, 0}, within(1e-15));
    assertThat(Attention.maskBias(1.0)).isEqualTo(0.0);
    assertThat(Attention.maskBias(0.0)).isEqualTo(-1e9);
  }

  @Test
  void headsAttendIndependentlyUnderTheirOwnBias() {
    // 2 heads of 1, scores all 0; the bias sends head 0 to key 0 and head 1 to key 1.
    double[][] q = {{0, 0}};
    double[][] k = {{0, 0}, {0, 0}};
    double[][] v = {{1, 2}, {3, 4}};
    double[][][] bias = {{{0, -1e9}}, {{-1e9, 0}}};
    double[][] out = Attention.attend(q, List.of(new Block(k, v, bias)), 2, 1);
    assertThat(out[0]).containsExactly(new double[] {1, 4}, within(1e-15));
  }

  @Test
  void perHeadLayoutsPlaceEveryElementWhereTheContractSays() {
    int heads = 2;
    int dh = 3;
    int len = 4;
    double[][] x = new double[len][heads * dh];
    for (int l = 0; l < len; l++) {
      for (int j = 0; j < heads * dh; j++) {
        x[l][j] = 100 * l + j;
      }
    }
    double[] keys = Attention.toKeyLayout(x, heads, dh);
    double[] values = Attention.toValueLayout(x, heads, dh);
    for (int h = 0; h < heads; h++) {
      for (int e = 0; e < dh; e++) {
        for (int l = 0; l < len; l++) {
          assertThat(keys[h * dh * len + e * len + l]).isEqualTo(x[l][h * dh + e]); // [H][Dh][L]
          assertThat(values[h * len * dh + l * dh + e]).isEqualTo(x[l][h * dh + e]); // [H][L][Dh]
        }
      }
    }
    assertThat(Attention.fromKeyLayout(keys, heads, dh)).isDeepEqualTo(x);
    assertThat(Attention.fromValueLayout(values, heads, dh)).isDeepEqualTo(x);
  }

  // ------------------------------------------------------------ encoder and decoder closed forms

  @Test
  void encoderWithSilencedSublayersIsTheNormalizedEmbedding() {
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 1));
    for (int i = 0; i < C.encoderLayers(); i++) {
      zero(params, "encoder.layers." + i + ".attn.o");
      zero(params, "encoder.layers." + i + ".ffn.wo");
    }
    double[][] hx = new ReferenceHint(C, params).encoder(INPUT, null);
    double[][] emb = matrix(params.get("shared.embedding"));
    double[] w = vector(params.get("encoder.final_norm"));
    for (int l = 0; l < INPUT.length; l++) {
      double[] x = emb[(int) INPUT[l]];
      double ms = 0;
      for (double v : x) {
        ms += v * v / C.dModel();
      }
      for (int k = 0; k < C.dModel(); k++) {
        assertThat(hx[l][k]).isCloseTo(x[k] / Math.sqrt(ms + C.layerNormEps()) * w[k], within(1e-12));
      }
    }
  }

  @Test
  void encoderRelativeBiasIsIndexedByKeyMinusQuery() {
    // Layer 0: zero queries, so scores are the relative bias alone; bucket(+1) gets 50 in every
    // head. Each position then copies the value of the NEXT position; the last has no next one and
    // averages all values (every other score is 0). Everything else is silenced.
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 2));
    zero(params, "encoder.layers.0.attn.q");
    zero(params, "encoder.layers.1.attn.o");
    zero(params, "encoder.layers.0.ffn.wo");
    zero(params, "encoder.layers.1.ffn.wo");
    int next = ReferenceHint.relativeBucket(1, true, C.relativeBuckets(), C.relativeMaxDistance());
    double[][] rel = new double[C.relativeBuckets()][C.numHeads()];
    Arrays.fill(rel[next], 50);
    params.put("encoder.rel_bias", tensor(rel));

    double[][] emb = rows(params.get("shared.embedding"), INPUT);
    double[][] n = Mat.rmsnorm(emb, vector(params.get("encoder.layers.0.attn_norm")), C.layerNormEps());
    double[][] v = Mat.matmul(n, matrix(params.get("encoder.layers.0.attn.v")));
    int len = INPUT.length;
    double[][] attended = new double[len][];
    for (int q = 0; q < len - 1; q++) {
      attended[q] = v[q + 1];
    }
    attended[len - 1] = mean(v);
    double[][] h = Mat.add(emb, Mat.matmul(attended, matrix(params.get("encoder.layers.0.attn.o"))));
    double[][] expected = Mat.rmsnorm(h, vector(params.get("encoder.final_norm")), C.layerNormEps());

    assertClose(new ReferenceHint(C, params).encoder(INPUT, null), expected, 1e-9);
  }

  @Test
  void decoderSelfAttentionIsCausalWithRelativeBiasOfKeyMinusQuery() {
    // Offset 1 lands in an exact bucket; offset 5 lands in causal bucket 5 but would be bucket 4
    // under the bidirectional formula (maxExact 4 there), so both bucket families are told apart.
    for (int offset : new int[] {1, 5}) {
      assertDecoderCopiesFromOffset(offset);
    }
  }

  /**
   * Layer 0 self-attention: zero queries, causal bucket(−offset) gets 50. Position t copies the
   * value of t − offset; a position with no such key averages the keys it can see, 0..t (and
   * nothing after t). Cross-attention and FFNs are silenced.
   */
  private static void assertDecoderCopiesFromOffset(int offset) {
    long[] ids = {0, 8, 15, 4, 49, 23, 23, 6};
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 3));
    zero(params, "decoder.layers.0.self_attn.q");
    zero(params, "decoder.layers.1.self_attn.o");
    for (int j = 0; j < C.decoderLayers(); j++) {
      zero(params, "decoder.layers." + j + ".cross_attn.o");
      zero(params, "decoder.layers." + j + ".ffn.wo");
    }
    int bucket = ReferenceHint.relativeBucket(-offset, false, C.relativeBuckets(), C.relativeMaxDistance());
    assertThat(bucket).isEqualTo(offset);
    double[][] rel = new double[C.relativeBuckets()][C.numHeads()];
    Arrays.fill(rel[bucket], 50);
    params.put("decoder.rel_bias", tensor(rel));

    double[][] emb = rows(params.get("shared.embedding"), ids);
    double[][] n = Mat.rmsnorm(emb, vector(params.get("decoder.layers.0.self_norm")), C.layerNormEps());
    double[][] v = Mat.matmul(n, matrix(params.get("decoder.layers.0.self_attn.v")));
    double[][] attended = new double[ids.length][];
    for (int t = 0; t < ids.length; t++) {
      attended[t] = t >= offset ? v[t - offset] : mean(Arrays.copyOf(v, t + 1));
    }
    double[][] h = Mat.add(emb, Mat.matmul(attended, matrix(params.get("decoder.layers.0.self_attn.o"))));
    double[][] expected = Mat.matmul(Mat.rmsnorm(h, vector(params.get("decoder.final_norm")), C.layerNormEps()),
        matrix(params.get("lm_head")));

    double[][] actual = new ReferenceHint(C, params).decoderLogits(INPUT, null, ids);
    assertClose(actual, expected, 1e-9);
  }

  @Test
  void adapterDownIsReadRowMajorAsDByA() {
    // One non-zero in enc.0.adapter_down at flat index i·A + a, i.e. Wd[i][a] of the [d][A] view.
    // With attention and FFN silenced, H_x = rmsnorm(emb + gelu(n[:, i]·w + bd[a])·Wu[a] + bu).
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 4));
    for (int i = 0; i < C.encoderLayers(); i++) {
      zero(params, "encoder.layers." + i + ".attn.o");
      zero(params, "encoder.layers." + i + ".ffn.wo");
    }
    ReferenceHint ref = new ReferenceHint(C, params);
    int d = C.dModel();
    int adapter = C.adapterSize();
    int i = 5;
    int a = 2;
    double w = 1.7;
    double bd = 0.3;
    double[] up = new double[d];
    double[] bu = new double[d];
    for (int k = 0; k < d; k++) {
      up[k] = Math.sin(k + 1);
      bu[k] = 0.01 * k;
    }
    Map<String, double[]> module = ref.emptyModule();
    module.get("enc.0.adapter_down")[i * adapter + a] = w;
    module.get("enc.0.adapter_bias_down")[a] = bd;
    System.arraycopy(up, 0, module.get("enc.0.adapter_up"), a * d, d);
    System.arraycopy(bu, 0, module.get("enc.0.adapter_bias_up"), 0, d);

    double[][] emb = rows(params.get("shared.embedding"), INPUT);
    double[][] n = Mat.rmsnorm(emb, vector(params.get("encoder.layers.0.ffn_norm")), C.layerNormEps());
    double[][] h = new double[INPUT.length][d];
    for (int l = 0; l < INPUT.length; l++) {
      double g = Mat.gelu(n[l][i] * w + bd);
      for (int k = 0; k < d; k++) {
        h[l][k] = emb[l][k] + g * up[k] + bu[k];
      }
    }
    double[][] expected = Mat.rmsnorm(h, vector(params.get("encoder.final_norm")), C.layerNormEps());
    assertClose(ref.encoder(INPUT, module), expected, 1e-12);
  }

  @Test
  void ffnIsGeluOfWi0GatingWi1() {
    // Only encoder layer 0's FFN is live: H_x = rmsnorm(emb + (gelu(n·wi_0) ⊙ n·wi_1)·wo).
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 19));
    zero(params, "encoder.layers.0.attn.o");
    zero(params, "encoder.layers.1.attn.o");
    zero(params, "encoder.layers.1.ffn.wo");
    double[][] emb = rows(params.get("shared.embedding"), INPUT);
    double[][] n = Mat.rmsnorm(emb, vector(params.get("encoder.layers.0.ffn_norm")), C.layerNormEps());
    double[][] gate = Mat.matmul(n, matrix(params.get("encoder.layers.0.ffn.wi_0")));
    double[][] lin = Mat.matmul(n, matrix(params.get("encoder.layers.0.ffn.wi_1")));
    double[][] inner = new double[gate.length][gate[0].length];
    for (int l = 0; l < gate.length; l++) {
      for (int k = 0; k < gate[0].length; k++) {
        inner[l][k] = Mat.gelu(gate[l][k]) * lin[l][k];
      }
    }
    double[][] h = Mat.add(emb, Mat.matmul(inner, matrix(params.get("encoder.layers.0.ffn.wo"))));
    double[][] expected = Mat.rmsnorm(h, vector(params.get("encoder.final_norm")), C.layerNormEps());
    assertClose(new ReferenceHint(C, params).encoder(INPUT, null), expected, 1e-12);
  }

  @Test
  void encoderPrefixJoinsTheKeysOfItsOwnLayer() {
    // Only encoder layer 1's attention is live, with zero queries: each position averages the P
    // prefix values of enc.1 and the L values of its own keys, all with score 0.
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 20));
    zero(params, "encoder.layers.0.attn.o");
    zero(params, "encoder.layers.1.attn.q");
    zero(params, "encoder.rel_bias");
    for (int i = 0; i < C.encoderLayers(); i++) {
      zero(params, "encoder.layers." + i + ".ffn.wo");
    }
    ReferenceHint ref = new ReferenceHint(C, params);
    Map<String, double[]> module = randomModule(ref, 21);
    zeroAdapters(module);

    double[][] emb = rows(params.get("shared.embedding"), INPUT);
    double[][] n = Mat.rmsnorm(emb, vector(params.get("encoder.layers.1.attn_norm")), C.layerNormEps());
    double[] avg = mean(Mat.concatRows(prefixValues(module, "enc.1.prefix_value"),
        Mat.matmul(n, matrix(params.get("encoder.layers.1.attn.v")))));
    double[][] h = Mat.addRow(emb, Mat.matmul(new double[][] {avg}, matrix(params.get("encoder.layers.1.attn.o")))[0]);
    double[][] expected = Mat.rmsnorm(h, vector(params.get("encoder.final_norm")), C.layerNormEps());
    assertClose(ref.encoder(INPUT, module), expected, 1e-12);
  }

  @Test
  void decoderSelfPrefixJoinsTheVisibleKeysOfItsOwnLayer() {
    // Only decoder layer 1's self-attention is live, with zero queries and zero relative bias:
    // position t averages the P values of dec.1.self_prefix and the values of positions 0..t.
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 22));
    zero(params, "decoder.layers.0.self_attn.o");
    zero(params, "decoder.layers.1.self_attn.q");
    zero(params, "decoder.rel_bias");
    for (int j = 0; j < C.decoderLayers(); j++) {
      zero(params, "decoder.layers." + j + ".cross_attn.o");
      zero(params, "decoder.layers." + j + ".ffn.wo");
    }
    ReferenceHint ref = new ReferenceHint(C, params);
    Map<String, double[]> module = randomModule(ref, 23);
    zeroAdapters(module);

    double[][] emb = rows(params.get("shared.embedding"), DECODER);
    double[][] n = Mat.rmsnorm(emb, vector(params.get("decoder.layers.1.self_norm")), C.layerNormEps());
    double[][] v = Mat.matmul(n, matrix(params.get("decoder.layers.1.self_attn.v")));
    double[][] prefix = prefixValues(module, "dec.1.self_prefix_value");
    double[][] attended = new double[DECODER.length][];
    for (int t = 0; t < DECODER.length; t++) {
      attended[t] = mean(Mat.concatRows(prefix, Arrays.copyOf(v, t + 1)));
    }
    double[][] h = Mat.add(emb, Mat.matmul(attended, matrix(params.get("decoder.layers.1.self_attn.o"))));
    assertClose(ref.decoderLogits(INPUT, module, DECODER), logits(params, h), 1e-12);
  }

  @Test
  void decoderCrossMemoryHoldsCrossPrefixInstructionAndInput() {
    // Only decoder layer 1's cross-attention is live, with zero queries: every position averages
    // the P values of dec.1.cross_prefix, the Li instruction values and the L input values H_x·Wv.
    Map<String, FloatTensor> params = onlyLayer1CrossAttentionLive(24);
    zero(params, "hyper.fusion_bias"); // instruction tokens weigh as much as the others
    ReferenceHint ref = new ReferenceHint(C, params);
    Map<String, double[]> module = randomModule(ref, 25);
    zeroAdapters(module);

    double[][] hx = ref.encoder(INPUT, module);
    double[][] memory = Mat.concatRows(prefixValues(module, "dec.1.cross_prefix_value"),
        prefixValues(module, "instruction_cross_value.1"),
        Mat.matmul(hx, matrix(params.get("decoder.layers.1.cross_attn.v"))));
    double[] avg = mean(memory);
    double[][] emb = rows(params.get("shared.embedding"), DECODER);
    double[][] h = Mat.addRow(emb, Mat.matmul(new double[][] {avg}, matrix(params.get("decoder.layers.1.cross_attn.o")))[0]);
    assertClose(ref.decoderLogits(INPUT, module, DECODER), logits(params, h), 1e-12);
  }

  @Test
  void fusionBiasReweighsEachInstructionTokenPerHead() {
    // As above, but layer 1's fusion bias b_h multiplies the weight of every instruction token in
    // head h by e^{b_h}: head h's output is the weighted mean of its memory slice.
    Map<String, FloatTensor> params = onlyLayer1CrossAttentionLive(24);
    int heads = C.numHeads();
    float[] fusion = new float[C.decoderLayers() * heads];
    for (int h = 0; h < heads; h++) {
      fusion[heads + h] = -2f + 1.3f * h; // layer 1
    }
    params.put("hyper.fusion_bias", FloatTensor.wrap(new long[] {C.decoderLayers(), heads}, fusion));
    ReferenceHint ref = new ReferenceHint(C, params);
    Map<String, double[]> module = randomModule(ref, 25);
    zeroAdapters(module);

    double[][] hx = ref.encoder(INPUT, module);
    double[][] prefix = prefixValues(module, "dec.1.cross_prefix_value");
    double[][] instruction = prefixValues(module, "instruction_cross_value.1");
    double[][] input = Mat.matmul(hx, matrix(params.get("decoder.layers.1.cross_attn.v")));
    double[] avg = new double[heads * C.headDim()];
    for (int h = 0; h < heads; h++) {
      double w = Math.exp(fusion[heads + h]);
      double total = prefix.length + w * instruction.length + input.length;
      for (int k = h * C.headDim(); k < (h + 1) * C.headDim(); k++) {
        double sum = 0;
        for (double[] r : prefix) {
          sum += r[k];
        }
        for (double[] r : instruction) {
          sum += w * r[k];
        }
        for (double[] r : input) {
          sum += r[k];
        }
        avg[k] = sum / total;
      }
    }
    double[][] emb = rows(params.get("shared.embedding"), DECODER);
    double[][] h = Mat.addRow(emb, Mat.matmul(new double[][] {avg}, matrix(params.get("decoder.layers.1.cross_attn.o")))[0]);
    assertClose(ref.decoderLogits(INPUT, module, DECODER), logits(params, h), 1e-12);
  }

  @Test
  void decoderAdapterOfLayerJComesFromDecSlotJ() {
    // Attention and FFNs silenced, only dec.1's adapter non-zero: it acts on layer 1's ffn_norm output.
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 26));
    for (int j = 0; j < C.decoderLayers(); j++) {
      zero(params, "decoder.layers." + j + ".self_attn.o");
      zero(params, "decoder.layers." + j + ".cross_attn.o");
      zero(params, "decoder.layers." + j + ".ffn.wo");
    }
    ReferenceHint ref = new ReferenceHint(C, params);
    Map<String, double[]> module = randomModule(ref, 27);
    for (String key : List.copyOf(module.keySet())) {
      if (key.contains(".adapter_") && !key.startsWith("dec.1.")) {
        module.put(key, new double[module.get(key).length]);
      }
    }
    int d = C.dModel();
    int a = C.adapterSize();
    double[][] emb = rows(params.get("shared.embedding"), DECODER);
    double[][] n = Mat.rmsnorm(emb, vector(params.get("decoder.layers.1.ffn_norm")), C.layerNormEps());
    double[][] hidden = Mat.gelu(Mat.addRow(Mat.matmul(n, Mat.reshape(module.get("dec.1.adapter_down"), d, a)),
        module.get("dec.1.adapter_bias_down")));
    double[][] adapter = Mat.addRow(Mat.matmul(hidden, Mat.reshape(module.get("dec.1.adapter_up"), a, d)),
        module.get("dec.1.adapter_bias_up"));
    assertClose(ref.decoderLogits(INPUT, module, DECODER), logits(params, Mat.add(emb, adapter)), 1e-12);
  }

  // ------------------------------------------------------------ hypernetwork

  @Test
  void hypernetworkOutputsHaveTheContractShapes() {
    ReferenceHint ref = new ReferenceHint(C, ReferenceHint.randomParams(C, 5));
    Map<String, double[]> m = ref.hypernetwork(INSTRUCTION);
    int d = C.dModel();
    int inner = C.innerDim();
    int li = INSTRUCTION.length;
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("instruction_states", li * d);
    for (int j = 0; j < C.decoderLayers(); j++) {
      expected.put("instruction_cross_key." + j, inner * li);
      expected.put("instruction_cross_value." + j, inner * li);
    }
    for (String slot : List.of("enc.0.", "enc.1.", "dec.0.", "dec.1.")) {
      expected.put(slot + "adapter_down", d * C.adapterSize());
      expected.put(slot + "adapter_up", C.adapterSize() * d);
      expected.put(slot + "adapter_bias_down", C.adapterSize());
      expected.put(slot + "adapter_bias_up", d);
    }
    for (String prefix : List.of("enc.0.prefix_", "enc.1.prefix_", "dec.0.self_prefix_", "dec.1.self_prefix_",
        "dec.0.cross_prefix_", "dec.1.cross_prefix_")) {
      expected.put(prefix + "key", inner * C.prefixLength());
      expected.put(prefix + "value", inner * C.prefixLength());
    }
    assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((k, n) -> assertThat(m.get(k)).as(k).hasSize(n));
    assertThat(m.get("instruction_states")).containsExactly(Mat.flatten(ref.encoder(INSTRUCTION, null)), within(0.0));
  }

  @Test
  void uniformComponentAttentionGivesTheClosedFormHeads() {
    // Zero component queries: every component attends uniformly, so every row of G is
    // g = mean_l(H_I·Wv)·Wo, and every generated vector of a kind is gelu(g·wi)·wo / sqrt(d).
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 6));
    zero(params, "hyper.attn.q");
    ReferenceHint ref = new ReferenceHint(C, params);
    Map<String, double[]> m = ref.hypernetwork(INSTRUCTION);
    double[][] hi = Mat.reshape(m.get("instruction_states"), INSTRUCTION.length, C.dModel());
    double[][] g = Mat.matmul(new double[][] {mean(Mat.matmul(hi, matrix(params.get("hyper.attn.v"))))},
        matrix(params.get("hyper.attn.o")));
    Map<String, double[]> heads = new HashMap<>();
    for (String kind : ReferenceParameters.HEAD_KINDS) {
      double[][] y = Mat.matmul(Mat.gelu(Mat.matmul(g, matrix(params.get("hyper.head." + kind + ".wi")))),
          matrix(params.get("hyper.head." + kind + ".wo")));
      heads.put(kind, Mat.scale(y, 1 / Math.sqrt(C.dModel()))[0]);
    }
    int d = C.dModel();
    int heads4 = C.numHeads();
    int dh = C.headDim();
    int p = C.prefixLength();
    for (String slot : List.of("enc.0.", "enc.1.", "dec.0.", "dec.1.")) {
      double[] down = m.get(slot + "adapter_down");
      for (int idx = 0; idx < down.length; idx++) {
        // A identical rows of width d laid end to end; row-major as [d][A] that is element idx.
        assertThat(down[idx]).isCloseTo(heads.get("adapter_down")[idx % d], within(1e-12));
      }
      double[] upT = m.get(slot + "adapter_up");
      for (int idx = 0; idx < upT.length; idx++) {
        assertThat(upT[idx]).isCloseTo(heads.get("adapter_up")[idx % d], within(1e-12));
      }
      assertThat(m.get(slot + "adapter_bias_down")).containsExactly(heads.get("adapter_bias_down"), within(1e-12));
      assertThat(m.get(slot + "adapter_bias_up")).containsExactly(heads.get("adapter_bias_up"), within(1e-12));
    }
    for (String prefix : List.of("enc.0.prefix_", "dec.1.self_prefix_", "dec.0.cross_prefix_")) {
      double[] key = m.get(prefix + "key");
      double[] value = m.get(prefix + "value");
      for (int h = 0; h < heads4; h++) {
        for (int e = 0; e < dh; e++) {
          for (int t = 0; t < p; t++) {
            double kExpected = heads.get("prefix_key")[h * dh + e];
            double vExpected = heads.get("prefix_value")[h * dh + e];
            assertThat(key[(h * dh + e) * p + t]).isCloseTo(kExpected, within(1e-12)); // [H][Dh][P]
            assertThat(value[(h * p + t) * dh + e]).isCloseTo(vExpected, within(1e-12)); // [H][P][Dh]
          }
        }
      }
    }
    // Instruction fusion: decoder layer j's cross K/V of H_I, in the per-head layouts.
    for (int j = 0; j < C.decoderLayers(); j++) {
      String w = "decoder.layers." + j + ".cross_attn.";
      assertThat(m.get("instruction_cross_key." + j)).containsExactly(
          Attention.toKeyLayout(Mat.matmul(hi, matrix(params.get(w + "k"))), heads4, dh), within(1e-12));
      assertThat(m.get("instruction_cross_value." + j)).containsExactly(
          Attention.toValueLayout(Mat.matmul(hi, matrix(params.get(w + "v"))), heads4, dh), within(1e-12));
    }
  }

  @Test
  void componentsAttendOverTheInstructionStates() {
    // G row r recomputed here with its own loops: per head softmax over q_r·k_l (no scaling, no
    // bias), values H_I·Wv, heads merged, ·Wo. Row 2·Sa·A is adapter_bias_down of slot 0.
    Map<String, FloatTensor> params = ReferenceHint.randomParams(C, 16);
    Map<String, double[]> m = new ReferenceHint(C, params).hypernetwork(INSTRUCTION);
    double[][] hi = Mat.reshape(m.get("instruction_states"), INSTRUCTION.length, C.dModel());
    int row = 2 * C.adapterSlots() * C.adapterSize();
    double[] component = matrix(params.get("hyper.components"))[row];
    double[] q = Mat.matmul(new double[][] {component}, matrix(params.get("hyper.attn.q")))[0];
    double[][] k = Mat.matmul(hi, matrix(params.get("hyper.attn.k")));
    double[][] v = Mat.matmul(hi, matrix(params.get("hyper.attn.v")));
    int dh = C.headDim();
    double[] merged = new double[C.innerDim()];
    for (int h = 0; h < C.numHeads(); h++) {
      double[] w = new double[hi.length];
      double sum = 0;
      for (int l = 0; l < hi.length; l++) {
        double score = 0;
        for (int e = 0; e < dh; e++) {
          score += q[h * dh + e] * k[l][h * dh + e];
        }
        w[l] = Math.exp(score);
        sum += w[l];
      }
      for (int l = 0; l < hi.length; l++) {
        for (int e = 0; e < dh; e++) {
          merged[h * dh + e] += w[l] / sum * v[l][h * dh + e];
        }
      }
    }
    double[][] g = Mat.matmul(new double[][] {merged}, matrix(params.get("hyper.attn.o")));
    double[][] y = Mat.matmul(Mat.gelu(Mat.matmul(g, matrix(params.get("hyper.head.adapter_bias_down.wi")))),
        matrix(params.get("hyper.head.adapter_bias_down.wo")));
    assertThat(m.get("enc.0.adapter_bias_down"))
        .containsExactly(Mat.scale(y, 1 / Math.sqrt(C.dModel()))[0], within(1e-12));
  }

  @Test
  void eachComponentRowFeedsExactlyTheTensorSliceOfTheLayoutTable() {
    // Attention rows are independent, so perturbing component row r changes only G row r and
    // thus only the generated values of that row. The expected slices follow the layout table.
    Map<String, FloatTensor> params = ReferenceHint.randomParams(C, 7);
    Map<String, double[]> base = new ReferenceHint(C, params).hypernetwork(INSTRUCTION);
    int le = C.encoderLayers();
    int ld = C.decoderLayers();
    int sa = C.adapterSlots();
    int sp = C.prefixSlots();
    int a = C.adapterSize();
    int p = C.prefixLength();
    int d = C.dModel();
    int inner = C.innerDim();
    int prefixBase = 2 * sa * a + 2 * sa;
    for (int s : new int[] {0, le - 1, le, sa - 1}) {
      String slot = s < le ? "enc." + s + "." : "dec." + (s - le) + ".";
      for (int row : new int[] {0, a - 1}) {
        // Row `row` of adapter_down: flat values [row·d, (row+1)·d), which in the [d][A] view is
        // NOT column `row` (that would be a transpose).
        assertPerturbationChanges(params, base, s * a + row, slot + "adapter_down", range(row * d, d));
        assertPerturbationChanges(params, base, sa * a + s * a + row, slot + "adapter_up", range(row * d, d));
      }
      assertPerturbationChanges(params, base, 2 * sa * a + s, slot + "adapter_bias_down", range(0, a));
      assertPerturbationChanges(params, base, 2 * sa * a + sa + s, slot + "adapter_bias_up", range(0, d));
    }
    for (int t : new int[] {0, le - 1, le, le + ld - 1, le + ld, sp - 1}) {
      String name = t < le ? "enc." + t + ".prefix_"
          : t < le + ld ? "dec." + (t - le) + ".self_prefix_" : "dec." + (t - le - ld) + ".cross_prefix_";
      for (int pos : new int[] {0, p - 1}) {
        Set<Integer> keyCells = new TreeSet<>();
        Set<Integer> valueCells = new TreeSet<>();
        for (int h = 0; h < C.numHeads(); h++) {
          for (int e = 0; e < C.headDim(); e++) {
            keyCells.add((h * C.headDim() + e) * p + pos);
            valueCells.add((h * p + pos) * C.headDim() + e);
          }
        }
        assertThat(keyCells).hasSize(inner);
        assertPerturbationChanges(params, base, prefixBase + t * p + pos, name + "key", keyCells);
        assertPerturbationChanges(params, base, prefixBase + sp * p + t * p + pos, name + "value", valueCells);
      }
    }
  }

  /** Adds 1 to component row {@code row}; exactly {@code cells} of {@code key} must change, nothing else. */
  private static void assertPerturbationChanges(Map<String, FloatTensor> params, Map<String, double[]> base,
      int row, String key, Set<Integer> cells) {
    Map<String, FloatTensor> changed = new HashMap<>(params);
    float[] comp = params.get("hyper.components").toArray();
    for (int k = 0; k < C.dModel(); k++) {
      comp[row * C.dModel() + k] += 1f;
    }
    changed.put("hyper.components", FloatTensor.of(params.get("hyper.components").shape(), comp));
    Map<String, double[]> after = new ReferenceHint(C, changed).hypernetwork(INSTRUCTION);
    Map<String, Set<Integer>> diff = new LinkedHashMap<>();
    for (String name : base.keySet()) {
      for (int i = 0; i < base.get(name).length; i++) {
        if (base.get(name)[i] != after.get(name)[i]) {
          diff.computeIfAbsent(name, x -> new TreeSet<>()).add(i);
        }
      }
    }
    assertThat(diff).as("component row %d", row).isEqualTo(Map.of(key, cells));
  }

  // ------------------------------------------------------------ modules

  @Test
  void emptyModuleMapEqualsNullModule() {
    ReferenceHint ref = new ReferenceHint(C, ReferenceHint.randomParams(C, 8));
    Map<String, double[]> empty = ref.emptyModule();
    assertClose(ref.encoder(INPUT, empty), ref.encoder(INPUT, null), 1e-12);
    assertClose(ref.decoderLogits(INPUT, empty, DECODER), ref.decoderLogits(INPUT, null, DECODER), 1e-12);
  }

  @Test
  void maskedPrefixesAndInstructionWithZeroAdaptersEqualTheEmptyModule() {
    // A real module's non-zero prefixes and instruction memory, masked out, must vanish entirely.
    ReferenceHint ref = new ReferenceHint(C, ReferenceHint.randomParams(C, 9));
    Map<String, double[]> m = ref.hypernetwork(INSTRUCTION);
    zeroAdapters(m);
    m.put("prefix_mask", new double[C.prefixLength()]);
    m.put("instruction_mask", new double[INSTRUCTION.length]);
    assertClose(ref.encoder(INPUT, m), ref.encoder(INPUT, null), 1e-12);
    assertClose(ref.decoderLogits(INPUT, m, DECODER), ref.decoderLogits(INPUT, null, DECODER), 1e-12);
  }

  @Test
  void adaptersPrefixesAndInstructionMemoryEachChangeTheOutput() {
    ReferenceHint ref = new ReferenceHint(C, ReferenceHint.randomParams(C, 10));
    double[][] plain = ref.decoderLogits(INPUT, null, DECODER);
    Map<String, double[]> full = ref.hypernetwork(INSTRUCTION);

    Map<String, double[]> adaptersOnly = new HashMap<>(full);
    adaptersOnly.put("prefix_mask", new double[C.prefixLength()]);
    adaptersOnly.put("instruction_mask", new double[INSTRUCTION.length]);

    Map<String, double[]> prefixesOnly = new HashMap<>(full);
    zeroAdapters(prefixesOnly);
    prefixesOnly.put("instruction_mask", new double[INSTRUCTION.length]);

    Map<String, double[]> instructionOnly = new HashMap<>(full);
    zeroAdapters(instructionOnly);
    instructionOnly.put("prefix_mask", new double[C.prefixLength()]);

    for (Map<String, double[]> m : List.of(full, adaptersOnly, prefixesOnly, instructionOnly)) {
      assertThat(maxAbsDiff(ref.decoderLogits(INPUT, m, DECODER), plain)).isGreaterThan(1e-3);
    }
    // The encoder sees no instruction memory, so instruction-only leaves it untouched.
    assertClose(ref.encoder(INPUT, instructionOnly), ref.encoder(INPUT, null), 1e-12);
  }

  @Test
  void instructionMemoryHasNoPositionBias() {
    // Permuting the instruction columns (keys and values alike) must not change the logits.
    ReferenceHint ref = new ReferenceHint(C, ReferenceHint.randomParams(C, 11));
    Map<String, double[]> m = ref.hypernetwork(INSTRUCTION);
    Map<String, double[]> reversed = new HashMap<>(m);
    for (int j = 0; j < C.decoderLayers(); j++) {
      double[][] k = Attention.fromKeyLayout(m.get("instruction_cross_key." + j), C.numHeads(), C.headDim());
      double[][] v = Attention.fromValueLayout(m.get("instruction_cross_value." + j), C.numHeads(), C.headDim());
      Collections.reverse(Arrays.asList(k));
      Collections.reverse(Arrays.asList(v));
      reversed.put("instruction_cross_key." + j, Attention.toKeyLayout(k, C.numHeads(), C.headDim()));
      reversed.put("instruction_cross_value." + j, Attention.toValueLayout(v, C.numHeads(), C.headDim()));
    }
    assertClose(ref.decoderLogits(INPUT, reversed, DECODER), ref.decoderLogits(INPUT, m, DECODER), 1e-12);
  }

  // ------------------------------------------------------------ causality and direction

  @Test
  void decoderLogitsDoNotDependOnLaterTokens() {
    ReferenceHint ref = new ReferenceHint(C, ReferenceHint.randomParams(C, 12));
    Map<String, double[]> module = ref.hypernetwork(INSTRUCTION);
    for (Map<String, double[]> m : Arrays.asList(null, module)) {
      double[][] full = ref.decoderLogits(INPUT, m, DECODER);
      long[] changedTail = DECODER.clone();
      changedTail[3] = 33;
      changedTail[4] = 34;
      double[][] other = ref.decoderLogits(INPUT, m, changedTail);
      for (int t = 0; t < 3; t++) {
        assertThat(other[t]).containsExactly(full[t], within(1e-12));
      }
      assertThat(maxAbsDiff(new double[][] {other[3]}, new double[][] {full[3]})).isGreaterThan(1e-6);
      // A prefix of the sequence gives the same logits as the full sequence at those positions.
      double[][] prefix = ref.decoderLogits(INPUT, m, Arrays.copyOf(DECODER, 2));
      assertClose(prefix, new double[][] {full[0], full[1]}, 1e-12);
    }
  }

  @Test
  void encoderIsBidirectional() {
    ReferenceHint ref = new ReferenceHint(C, ReferenceHint.randomParams(C, 13));
    long[] changedLast = INPUT.clone();
    changedLast[INPUT.length - 1] = 3;
    double[][] a = ref.encoder(INPUT, null);
    double[][] b = ref.encoder(changedLast, null);
    assertThat(maxAbsDiff(new double[][] {a[0]}, new double[][] {b[0]})).isGreaterThan(1e-6);
  }

  // ------------------------------------------------------------ parameters

  @Test
  void randomParamsAreDeterministicAndComplete() {
    Map<String, FloatTensor> a = ReferenceHint.randomParams(C, 42);
    Map<String, FloatTensor> b = ReferenceHint.randomParams(C, 42);
    Map<String, FloatTensor> other = ReferenceHint.randomParams(C, 43);
    assertThat(a).isEqualTo(b);
    assertThat(a.get("shared.embedding")).isNotEqualTo(other.get("shared.embedding"));
    Map<String, long[]> shapes = ReferenceParameters.shapes(C);
    assertThat(a.keySet()).isEqualTo(shapes.keySet());
    shapes.forEach((name, shape) -> assertThat(a.get(name).shape()).as(name).isEqualTo(shape));
    assertThat(a.get("hyper.components").shape()).isEqualTo(new long[] {C.componentRows(), C.dModel()});
  }

  @Test
  void randomParamsKeepActivationsOrderOne() {
    ReferenceHint ref = new ReferenceHint(C, ReferenceHint.randomParams(C, 14));
    Map<String, double[]> m = ref.hypernetwork(INSTRUCTION);
    double[][] logits = ref.decoderLogits(INPUT, m, DECODER);
    double rms = Math.sqrt(Arrays.stream(Mat.flatten(logits)).map(x -> x * x).average().orElseThrow());
    assertThat(rms).isBetween(0.1, 10.0);
    double prefixRms = Math.sqrt(Arrays.stream(m.get("enc.0.prefix_key")).map(x -> x * x).average().orElseThrow());
    assertThat(prefixRms).isBetween(0.05, 5.0);
  }

  @Test
  void constructorNamesMissingAndMisshapenParameters() {
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, 15));
    params.remove("decoder.layers.1.cross_attn.v");
    params.put("hyper.head.prefix_key.wo", FloatTensor.zeros(C.dModel(), C.dModel() + 1));
    assertThatThrownBy(() -> new ReferenceHint(C, params))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decoder.layers.1.cross_attn.v")
        .hasMessageContaining("hyper.head.prefix_key.wo");
  }

  // ------------------------------------------------------------ helpers

  /** Random parameters where only decoder layer 1's cross-attention adds anything, with zero queries. */
  private static Map<String, FloatTensor> onlyLayer1CrossAttentionLive(long seed) {
    Map<String, FloatTensor> params = new HashMap<>(ReferenceHint.randomParams(C, seed));
    zero(params, "decoder.layers.0.cross_attn.o");
    zero(params, "decoder.layers.1.cross_attn.q");
    for (int j = 0; j < C.decoderLayers(); j++) {
      zero(params, "decoder.layers." + j + ".self_attn.o");
      zero(params, "decoder.layers." + j + ".ffn.wo");
    }
    return params;
  }

  private static void zero(Map<String, FloatTensor> params, String name) {
    params.put(name, FloatTensor.zeros(params.get(name).shape()));
  }

  private static void zeroAdapters(Map<String, double[]> module) {
    for (String key : List.copyOf(module.keySet())) {
      if (key.contains(".adapter_")) {
        module.put(key, new double[module.get(key).length]);
      }
    }
  }

  /**
   * The empty module's tensors filled with uniform values of std 0.5, prefix mask 1, and an instruction
   * memory of 2 unmasked columns: every part of a module live and distinct.
   */
  private static Map<String, double[]> randomModule(ReferenceHint ref, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, double[]> m = new HashMap<>(ref.emptyModule());
    for (int j = 0; j < C.decoderLayers(); j++) {
      m.put("instruction_cross_key." + j, new double[2 * C.innerDim()]);
      m.put("instruction_cross_value." + j, new double[2 * C.innerDim()]);
    }
    for (String key : List.copyOf(m.keySet())) {
      double[] v = new double[m.get(key).length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (rng.nextDouble() * 2 - 1) * 0.5 * Math.sqrt(3); // uniform with std 0.5
      }
      m.put(key, v);
    }
    m.put("prefix_mask", new double[] {1, 1, 1});
    m.put("instruction_mask", new double[] {1, 1});
    return m;
  }

  /** Values stored [H][L][Dh] as rows [L][H·Dh]. */
  private static double[][] prefixValues(Map<String, double[]> module, String key) {
    return Attention.fromValueLayout(module.get(key), C.numHeads(), C.headDim());
  }

  private static double[][] logits(Map<String, FloatTensor> params, double[][] h) {
    return Mat.matmul(Mat.rmsnorm(h, vector(params.get("decoder.final_norm")), C.layerNormEps()),
        matrix(params.get("lm_head")));
  }

  private static double[][] matrix(FloatTensor t) {
    double[] flat = new double[t.size()];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = t.get(i);
    }
    return Mat.reshape(flat, (int) t.dim(0), (int) t.dim(1));
  }

  private static double[] vector(FloatTensor t) {
    double[] v = new double[t.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.get(i);
    }
    return v;
  }

  private static double[][] rows(FloatTensor table, long[] ids) {
    double[][] all = matrix(table);
    double[][] out = new double[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      out[i] = all[(int) ids[i]];
    }
    return out;
  }

  private static FloatTensor tensor(double[][] m) {
    float[] data = new float[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        data[i * m[0].length + j] = (float) m[i][j];
      }
    }
    return FloatTensor.of(new long[] {m.length, m[0].length}, data);
  }

  private static double[] mean(double[][] rows) {
    double[] out = new double[rows[0].length];
    for (double[] r : rows) {
      for (int k = 0; k < r.length; k++) {
        out[k] += r[k] / rows.length;
      }
    }
    return out;
  }

  private static Set<Integer> range(int from, int count) {
    Set<Integer> s = new TreeSet<>();
    for (int i = from; i < from + count; i++) {
      s.add(i);
    }
    return s;
  }

  private static double maxAbsDiff(double[][] x, double[][] y) {
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        m = Math.max(m, Math.abs(x[i][j] - y[i][j]));
      }
    }
    return m;
  }

  private static void assertClose(double[][] actual, double[][] expected, double tolerance) {
    assertThat(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("row %d", i).containsExactly(expected[i], within(tolerance));
    }
  }
}
