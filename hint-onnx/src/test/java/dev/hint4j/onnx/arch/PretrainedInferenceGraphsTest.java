package dev.hint4j.onnx.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.Value;
import dev.hint4j.onnx.testing.GraphRunner;
import dev.hint4j.onnx.testing.GraphRunner.Longs;
import dev.hint4j.tensor.FloatTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The inference graphs of a model with pretrained instruction states compute what the training
 * forward computes: hypernetwork (own tokens + pretrained states) → encoder → decoder over the whole
 * target gives the logits of {@link TrainingForward#logits} for the same instruction, states, input
 * and weights.
 */
class PretrainedInferenceGraphsTest {
  static final int WIDTH = 12;
  static final HintConfig C = HintConfig.tiny(50).toBuilder()
      .pretrainedInstructionEncoder(new HintConfig.PretrainedInstructionEncoder("test-encoder", WIDTH)).build();
  static final long[] INSTRUCTION = {5, 9, 12, 7, 33, 1};
  static final int LM = 4;
  static final long[] INPUT = {17, 4, 22, 1};
  static final long[] DECODER_IDS = {0, 8, 30, 11, 2};

  @Test
  void inferenceLogitsEqualTrainingForward() throws Exception {
    HintWeights w = HintWeights.random(C, 5);
    FloatTensor states = randomStates(new SplittableRandom(3));
    FloatTensor expected = trainingLogits(w, states);

    HintGraphs graphs = new HintGraphs(w);
    Map<String, Object> module = new HashMap<>();
    try (GraphRunner hyper = new GraphRunner(graphs.hypernetwork())) {
      assertThat(hyper.session().getInputNames()).containsExactlyInAnyOrder("instruction_ids",
          HintGraphs.INSTRUCTION_TOKEN_MASK, HintGraphs.PRETRAINED_STATES, HintGraphs.PRETRAINED_MASK);
      Map<String, Object> in = new HashMap<>();
      in.put("instruction_ids", new Longs(new long[] {1, INSTRUCTION.length}, INSTRUCTION));
      in.put(HintGraphs.INSTRUCTION_TOKEN_MASK, ones(INSTRUCTION.length));
      in.put(HintGraphs.PRETRAINED_STATES, states);
      in.put(HintGraphs.PRETRAINED_MASK, ones(LM));
      module.putAll(hyper.run(in));
    }
    // The instruction side covers the instruction's own tokens and the pretrained ones.
    assertThat(((FloatTensor) module.get("instruction_mask")).shape()).containsExactly(1, INSTRUCTION.length + LM);
    assertThat(((FloatTensor) module.get("instruction_cross_key.0")).shape())
        .containsExactly(1, C.numHeads(), C.headDim(), INSTRUCTION.length + LM);
    Map<String, FloatTensor> enc;
    try (GraphRunner encoder = new GraphRunner(graphs.encoder())) {
      Map<String, Object> in = new HashMap<>(module);
      in.put("input_ids", new Longs(new long[] {1, INPUT.length}, INPUT));
      in.put("input_mask", ones(INPUT.length));
      enc = encoder.run(in);
    }
    FloatTensor logits;
    try (GraphRunner decoder = new GraphRunner(graphs.decoder())) {
      Map<String, Object> in = new HashMap<>(module);
      in.putAll(enc);
      in.put("decoder_input_ids", new Longs(new long[] {1, DECODER_IDS.length}, DECODER_IDS));
      for (int j = 0; j < C.decoderLayers(); j++) {
        in.put("past_key." + j, FloatTensor.zeros(1, C.numHeads(), C.headDim(), 0));
        in.put("past_value." + j, FloatTensor.zeros(1, C.numHeads(), 0, C.headDim()));
      }
      logits = decoder.run(in).get("logits");
    }
    assertThat(logits.shape()).containsExactly(expected.shape());
    float[] got = logits.toArray();
    float[] want = expected.toArray();
    double maxAbs = 0;
    for (float v : want) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    assertThat(maxAbs).as("logits are not trivially zero").isGreaterThan(1e-2);
    for (int i = 0; i < got.length; i++) {
      // The same float32 ops in another grouping (projections cached per task, the decoder's biases
      // precomputed by the encoder graph): only rounding differs, ~1e-6 relative per op over a few
      // dozen ops. 1e-4·(1 + |logit|) is far below any wrong wiring (a dropped pretrained token
      // moves logits by ~1e-1, see the next test).
      assertThat((double) got[i]).as("logit %d", i).isCloseTo(want[i], Offset.offset(1e-4 * (1 + Math.abs(want[i]))));
    }
  }

  /** The pretrained states matter: other states give other logits (else the test above could not fail on them). */
  @Test
  void pretrainedStatesChangeTheLogits() throws Exception {
    HintWeights w = HintWeights.random(C, 5);
    float[] a = trainingLogits(w, randomStates(new SplittableRandom(3))).toArray();
    float[] b = trainingLogits(w, randomStates(new SplittableRandom(4))).toArray();
    double maxDiff = 0;
    for (int i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    }
    assertThat(maxDiff).isGreaterThan(1e-2);
  }

  /**
   * Off, the hypernetwork graph reads and writes what it always did (exports of plain models were
   * also compared byte for byte with main's when the option was added: identical).
   */
  @Test
  void optionOffKeepsThePlainHypernetworkSignature() {
    HintConfig off = HintConfig.tiny(50);
    Graph g = new HintGraphs(HintWeights.random(off, 5)).hypernetwork();
    assertThat(g.inputs()).extracting(Value::name).containsExactly("instruction_ids", "instruction_mask");
    assertThat(g.inputs().get(0).shape().toString()).contains(ModuleLayout.INSTRUCTION_LENGTH);
  }

  /** The training forward's logits [1, T, V] for one task and one row, weights as constants. */
  static FloatTensor trainingLogits(HintWeights w, FloatTensor states) throws Exception {
    Graph g = new Graph("training_forward");
    ArchContext a = new ArchContext(g, C, w);
    Value ids = g.input("instruction_ids", DType.INT64, "tasks", "instruction_length");
    Value mask = g.input("instruction_mask", DType.FLOAT, "tasks", "instruction_length");
    Value task = g.input("task_index", DType.INT64, "batch");
    Value ps = g.input("pretrained_states", DType.FLOAT, "tasks", "pretrained_length", (long) WIDTH);
    Value pm = g.input("pretrained_mask", DType.FLOAT, "tasks", "pretrained_length");
    Value in = g.input("input_ids", DType.INT64, "batch", "input_length");
    Value im = g.input("input_mask", DType.FLOAT, "batch", "input_length");
    Value dec = g.input("decoder_input_ids", DType.INT64, "batch", "target_length");
    g.output("logits", TrainingForward.logits(a, true, ids, mask, task, ps, pm, in, im, null, dec));
    try (GraphRunner r = new GraphRunner(g)) {
      Map<String, Object> feeds = new HashMap<>();
      feeds.put("instruction_ids", new Longs(new long[] {1, INSTRUCTION.length}, INSTRUCTION));
      feeds.put("instruction_mask", ones(INSTRUCTION.length));
      feeds.put("task_index", new Longs(new long[] {1}, new long[] {0}));
      feeds.put("pretrained_states", states);
      feeds.put("pretrained_mask", ones(LM));
      feeds.put("input_ids", new Longs(new long[] {1, INPUT.length}, INPUT));
      feeds.put("input_mask", ones(INPUT.length));
      feeds.put("decoder_input_ids", new Longs(new long[] {1, DECODER_IDS.length}, DECODER_IDS));
      return r.run(feeds).get("logits");
    }
  }

  /** States of the size a sentence encoder gives (|x| ~ 1), so the projection's output is not negligible. */
  static FloatTensor randomStates(SplittableRandom r) {
    float[] s = new float[LM * WIDTH];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) (r.nextDouble() * 4 - 2);
    }
    return FloatTensor.wrap(new long[] {1, LM, WIDTH}, s);
  }

  static FloatTensor ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return FloatTensor.wrap(new long[] {1, n}, a);
  }
}
