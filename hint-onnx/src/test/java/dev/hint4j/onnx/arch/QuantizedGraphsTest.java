package dev.hint4j.onnx.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.OnnxModelWriter;
import dev.hint4j.onnx.testing.GraphRunner;
import dev.hint4j.onnx.testing.GraphRunner.Longs;
import dev.hint4j.tensor.FloatTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A quantized export computes the float32 model's logits up to quantization noise, and leaves the
 * hypernetwork (so every task module) exactly as it was.
 */
class QuantizedGraphsTest {
  static final HintConfig C = HintConfig.small(300);
  static final HintWeights W = HintWeights.random(C, 21);
  static final long[] INSTRUCTION = {5, 9, 12, 7, 33, 41, 3, 140, 250, 1};
  static final long[] INPUT = {17, 4, 22, 99, 180, 1};
  static final long[] DECODER_IDS = {0, 8, 30, 11, 2, 77};

  @Test
  void hypernetworkIsTheFloat32OneWhateverTheWeightFormat() {
    byte[] fp32 = bytes(new HintGraphs(W, true, WeightQuantization.FLOAT32).hypernetwork());
    assertThat(bytes(new HintGraphs(W, true, WeightQuantization.INT8).hypernetwork())).isEqualTo(fp32);
    assertThat(bytes(new HintGraphs(W, true, WeightQuantization.INT4).hypernetwork())).isEqualTo(fp32);
    assertThat(bytes(new HintGraphs(W, true, WeightQuantization.INT8).decoder()).length)
        .as("the decoder really is quantized").isLessThan(bytes(new HintGraphs(W).decoder()).length / 2);
  }

  /**
   * Why these tolerances, relative to the root mean square of the float32 logits: int8 in blocks
   * of 128 moves each weight by at most half a step, a step being a 255th of a block's range
   * (~5σ for 128 Gaussian weights), so by ~0.6 % of σ RMS (uniform error: step/√12); accuracy
   * level 4 quantizes activations to int8 per block likewise (~0.6 %). Each matmul output thus
   * moves by ~0.85 % RMS; about 30 matmuls lie on the path to a logit, with residual connections,
   * so errors add in quadrature to ~5 % RMS, and the largest of 1,800 logit errors is ~3.5 of
   * those: ~17 % (QuantAccuracyBench measured 16.7 % on the T5-small shape). The bound is 25 %;
   * a transposed or misassigned weight would move logits by ~1.4× their RMS (unrelated values).
   * 4-bit steps (blocks of 32, range/15) are ~13× coarser: the same estimate gives ~7.7 % per
   * weight, ~40 % RMS per logit and ~150 % at the maximum (1.40 measured on the T5-small shape), so
   * its bound, 200 %, only checks that the 4-bit path computes the same function roughly; its
   * packing is pinned exactly by BlockQuantizerTest against ONNX Runtime's kernel.
   */
  @Test
  void logitsStayWithinQuantizationNoiseOfFloat32() throws Exception {
    FloatTensor fp32 = logits(WeightQuantization.FLOAT32);
    FloatTensor int8 = logits(WeightQuantization.INT8);
    FloatTensor int4 = logits(WeightQuantization.INT4);
    double rms = Math.sqrt(Arrays.stream(toDoubles(fp32)).map(v -> v * v).average().orElseThrow());
    double err8 = maxAbsDiff(fp32, int8);
    double err4 = maxAbsDiff(fp32, int4);
    assertThat(err8).as("int8 max |logit diff| (logit RMS %.3f)", rms).isLessThanOrEqualTo(0.25 * rms);
    assertThat(err4).as("4-bit max |logit diff| (logit RMS %.3f)", rms).isLessThanOrEqualTo(2.0 * rms);
    assertThat(err8).as("int8 is closer to float32 than 4-bit").isLessThan(err4);
    assertThat(err8).as("int8 really differs from float32 (the quantized kernels ran)").isGreaterThan(0);
  }

  static FloatTensor logits(WeightQuantization format) throws Exception {
    HintGraphs graphs = new HintGraphs(W, true, format);
    Map<String, Object> module = new HashMap<>();
    try (GraphRunner hyper = new GraphRunner(graphs.hypernetwork());
        GraphRunner encoder = new GraphRunner(graphs.encoder());
        GraphRunner decoder = new GraphRunner(graphs.decoder())) {
      module.put("instruction_ids", new Longs(new long[] {1, INSTRUCTION.length}, INSTRUCTION));
      module.put("instruction_mask", ones(INSTRUCTION.length));
      module.putAll(hyper.run(module));
      module.put("prefix_mask", ones(C.prefixLength()));
      module.put("input_ids", new Longs(new long[] {1, INPUT.length}, INPUT));
      module.put("input_mask", ones(INPUT.length));
      module.putAll(encoder.run(module));
      module.put("decoder_input_ids", new Longs(new long[] {1, DECODER_IDS.length}, DECODER_IDS));
      for (int j = 0; j < C.decoderLayers(); j++) {
        module.put("past_key." + j, FloatTensor.zeros(1, C.numHeads(), C.headDim(), 0));
        module.put("past_value." + j, FloatTensor.zeros(1, C.numHeads(), 0, C.headDim()));
      }
      return decoder.run(module).get("logits");
    }
  }

  static double maxAbsDiff(FloatTensor a, FloatTensor b) {
    double worst = 0;
    for (int i = 0; i < a.size(); i++) {
      worst = Math.max(worst, Math.abs(a.get(i) - b.get(i)));
    }
    return worst;
  }

  static double[] toDoubles(FloatTensor t) {
    double[] d = new double[t.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.get(i);
    }
    return d;
  }

  static FloatTensor ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return FloatTensor.wrap(new long[] {1, n}, a);
  }

  static byte[] bytes(Graph g) {
    return OnnxModelWriter.toModel(g, Map.of()).toByteArray();
  }
}
