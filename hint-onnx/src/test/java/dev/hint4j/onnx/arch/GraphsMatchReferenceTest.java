package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.testing.Tolerance.assertClose;
import static dev.hint4j.onnx.testing.Tolerance.flatten;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.reference.ReferenceHint;
import dev.hint4j.onnx.testing.GraphRunner;
import dev.hint4j.onnx.testing.GraphRunner.Longs;
import dev.hint4j.tensor.FloatTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each exported graph computes the math of ARCHITECTURE.md: its outputs equal the independent
 * float64 reference (ReferenceHint) on random weights and inputs, within {@link dev.hint4j.onnx.testing.Tolerance}.
 */
class GraphsMatchReferenceTest {
  static final HintConfig C = HintConfig.tiny(50);
  static final long[] INSTRUCTION = {5, 9, 12, 7, 33, 41, 3, 1};
  static final long[] INPUT = {17, 4, 22, 1};
  static final long[] DECODER_IDS = {0, 8, 30, 11, 2};

  static HintWeights weights;
  static ReferenceHint ref;
  static GraphRunner hyper;
  static GraphRunner encoder;
  static GraphRunner decoder;

  @BeforeAll
  static void build() throws Exception {
    // The reference's own random parameters: norm scales away from 1, so a misapplied norm weight shows.
    weights = new HintWeights(C, ReferenceHint.randomParams(C, 7));
    ref = new ReferenceHint(C, weights.asMap());
    HintGraphs graphs = new HintGraphs(weights);
    hyper = new GraphRunner(graphs.hypernetwork());
    encoder = new GraphRunner(graphs.encoder());
    decoder = new GraphRunner(graphs.decoder());
  }

  @AfterAll
  static void close() throws Exception {
    hyper.close();
    encoder.close();
    decoder.close();
  }

  static Map<String, Object> graphModule() throws Exception {
    Map<String, Object> in = new HashMap<>();
    in.put("instruction_ids", new Longs(new long[] {1, INSTRUCTION.length}, INSTRUCTION));
    in.put("instruction_mask", ones(1, INSTRUCTION.length));
    Map<String, Object> module = new HashMap<>(hyper.run(in));
    module.put("instruction_mask", ones(1, INSTRUCTION.length));
    module.put("prefix_mask", ones(1, C.prefixLength()));
    return module;
  }

  @Test
  void hypernetworkMatchesReference() throws Exception {
    Map<String, Object> module = graphModule();
    Map<String, double[]> expected = ref.hypernetwork(INSTRUCTION);
    assertThat(expected).containsKeys("instruction_states", "enc.0.adapter_down", "dec.1.cross_prefix_value");
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      assertThat(module).as("graph output " + e.getKey()).containsKey(e.getKey());
      assertClose(e.getKey(), (FloatTensor) module.get(e.getKey()), e.getValue());
    }
  }

  @Test
  void encoderAndDecoderMatchReferenceUnderModule() throws Exception {
    Map<String, Object> module = graphModule();
    Map<String, double[]> refModule = ref.hypernetwork(INSTRUCTION);
    Map<String, FloatTensor> enc = runEncoder(module, INPUT);
    assertClose("encoder_states", enc.get("encoder_states"), flatten(ref.encoder(INPUT, refModule)));

    Map<String, FloatTensor> dec = runDecoder(module, enc, INPUT.length, DECODER_IDS);
    assertClose("logits", dec.get("logits"), flatten(ref.decoderLogits(INPUT, refModule, DECODER_IDS)));
  }

  @Test
  void emptyModuleIsThePlainEncoderDecoder() throws Exception {
    Map<String, Object> empty = emptyModule();
    Map<String, FloatTensor> enc = runEncoder(empty, INPUT);
    assertClose("plain encoder_states", enc.get("encoder_states"), flatten(ref.encoder(INPUT, null)));
    Map<String, FloatTensor> dec = runDecoder(empty, enc, INPUT.length, DECODER_IDS);
    assertClose("plain logits", dec.get("logits"), flatten(ref.decoderLogits(INPUT, null, DECODER_IDS)));
  }

  @Test
  void paddingDoesNotChangeRealPositions() throws Exception {
    Map<String, Object> module = graphModule();
    long[] padded = {17, 4, 22, 1, 0, 0, 0};
    Map<String, Object> in = new HashMap<>(module);
    in.put("input_ids", new Longs(new long[] {1, padded.length}, padded));
    in.put("input_mask", FloatTensor.of(new long[] {1, padded.length}, new float[] {1, 1, 1, 1, 0, 0, 0}));
    FloatTensor states = encoder.run(in).get("encoder_states");
    double[] expected = flatten(ref.encoder(INPUT, ref.hypernetwork(INSTRUCTION)));
    double[] withPads = Arrays.copyOf(expected, padded.length * C.dModel()); // pad rows are zero
    assertClose("padded encoder_states", states, withPads);
  }

  /** Decoding one token at a time through the cache gives the logits of one full recomputation. */
  @Test
  void kvCachedStepsEqualFullRecompute() throws Exception {
    Map<String, Object> module = graphModule();
    Map<String, FloatTensor> enc = runEncoder(module, INPUT);
    FloatTensor full = runDecoder(module, enc, INPUT.length, DECODER_IDS).get("logits");
    int v = C.vocabSize();

    Map<String, Object> cache = new HashMap<>();
    for (int j = 0; j < C.decoderLayers(); j++) {
      cache.put("past_key." + j, FloatTensor.zeros(1, C.numHeads(), C.headDim(), 0));
      cache.put("past_value." + j, FloatTensor.zeros(1, C.numHeads(), 0, C.headDim()));
    }
    for (int t = 0; t < DECODER_IDS.length; t++) {
      Map<String, Object> in = new HashMap<>(module);
      in.putAll(enc);
      in.putAll(cache);
      in.put("input_mask", ones(1, INPUT.length));
      in.put("decoder_input_ids", new Longs(new long[] {1, 1}, new long[] {DECODER_IDS[t]}));
      Map<String, FloatTensor> out = decoder.run(in);
      FloatTensor step = out.get("logits");
      assertThat(step.shape()).containsExactly(1, 1, v);
      for (int k = 0; k < v; k++) {
        // Same float32 ops in a different grouping (cache concat vs one pass): differences are rounding only.
        assertThat((double) step.get(k)).as("step %d token %d", t, k)
            .isCloseTo(full.get(t * v + k), Offset.offset(1e-4 * (1 + Math.abs(full.get(t * v + k)))));
      }
      for (int j = 0; j < C.decoderLayers(); j++) {
        cache.put("past_key." + j, out.get("present_key." + j));
        cache.put("past_value." + j, out.get("present_value." + j));
      }
      assertThat(out.get("present_key.0").shape()).containsExactly(1, C.numHeads(), C.headDim(), t + 1);
    }
  }

  static Map<String, FloatTensor> runEncoder(Map<String, Object> module, long[] ids) throws Exception {
    Map<String, Object> in = new HashMap<>(module);
    in.put("input_ids", new Longs(new long[] {1, ids.length}, ids));
    in.put("input_mask", ones(1, ids.length));
    return encoder.run(in);
  }

  static Map<String, FloatTensor> runDecoder(Map<String, Object> module, Map<String, FloatTensor> enc, int inputLength,
      long[] decoderIds) throws Exception {
    Map<String, Object> in = new HashMap<>(module);
    in.putAll(enc);
    in.put("input_mask", ones(1, inputLength));
    in.put("decoder_input_ids", new Longs(new long[] {1, decoderIds.length}, decoderIds));
    for (int j = 0; j < C.decoderLayers(); j++) {
      in.put("past_key." + j, FloatTensor.zeros(1, C.numHeads(), C.headDim(), 0));
      in.put("past_value." + j, FloatTensor.zeros(1, C.numHeads(), 0, C.headDim()));
    }
    return decoder.run(in);
  }

  static Map<String, Object> emptyModule() {
    Map<String, Object> m = new HashMap<>();
    for (ModuleLayout.TensorSpec s : ModuleLayout.allTensors(C, true)) {
      long[] shape = Arrays.stream(s.dims()).mapToLong(d -> d instanceof Number n ? n.longValue() : 1).toArray();
      m.put(s.name(), FloatTensor.zeros(shape));
    }
    return m;
  }

  static FloatTensor ones(int rows, int cols) {
    float[] a = new float[rows * cols];
    Arrays.fill(a, 1f);
    return FloatTensor.wrap(new long[] {rows, cols}, a);
  }
}
