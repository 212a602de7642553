package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.testing.Tolerance.assertClose;
import static dev.hint4j.onnx.testing.Tolerance.flatten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.Value;
import dev.hint4j.onnx.reference.ReferenceHint;
import dev.hint4j.onnx.testing.GraphRunner;
import dev.hint4j.onnx.testing.GraphRunner.Longs;
import dev.hint4j.tensor.FloatTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The instruction-concatenation baseline's prompt segment bias: the decoder's cross-attention adds
 * {@code concat.segment_bias[j][h]} to exactly the prompt tokens the encoder's {@code prompt_mask}
 * marks, as the independent float64 reference does, and the inference graphs compute what the
 * training forward computes. Off, no graph or parameter changes (byte-identical exports were also
 * checked against main when the option was added).
 */
class PromptSegmentBiasGraphsTest {
  static final HintConfig OFF = HintConfig.tiny(50);
  static final HintConfig ON = OFF.toBuilder().promptSegmentBias(true).build();
  /** A concatenated input: the first tokens stand for the prompt. */
  static final long[] INPUT = {17, 4, 22, 9, 30, 1};
  static final long[] DECODER_IDS = {0, 8, 30, 11, 2};

  @Test
  void onlyTheBaselineConfigHasTheParameterAndThePromptMask() {
    assertThat(OFF.toJson()).doesNotContain("promptSegmentBias");
    assertThat(OFF.toBuilder().promptSegmentBias(false).build()).isEqualTo(OFF);
    assertThat(HintConfig.fromJson(ON.toJson())).isEqualTo(ON);
    List<String> off = List.copyOf(HintWeights.shapes(OFF).keySet());
    List<String> on = List.copyOf(HintWeights.shapes(ON).keySet());
    assertThat(on.subList(0, off.size())).isEqualTo(off);
    assertThat(on.subList(off.size(), on.size())).containsExactly(HintWeights.PROMPT_SEGMENT_BIAS);

    // Initialised like HINT's fusion bias, and every other parameter exactly as without it.
    HintWeights a = HintWeights.random(OFF, 5);
    HintWeights b = HintWeights.random(ON, 5);
    assertThat(b.get(HintWeights.PROMPT_SEGMENT_BIAS).toArray()).containsExactly(b.get("hyper.fusion_bias").toArray());
    assertThat(b.get(HintWeights.PROMPT_SEGMENT_BIAS).shape()).containsExactly(ON.decoderLayers(), ON.numHeads());
    for (String name : off) {
      assertThat(b.get(name).toArray()).as(name).containsExactly(a.get(name).toArray());
    }

    assertThat(new HintGraphs(a).encoder().inputs()).extracting(Value::name).doesNotContain(HintGraphs.PROMPT_MASK);
    assertThat(new HintGraphs(a).decoder().inputs()).extracting(Value::name).contains(HintGraphs.INPUT_BIAS);
    Graph encoder = new HintGraphs(b).encoder();
    assertThat(encoder.inputs()).extracting(Value::name).contains(HintGraphs.PROMPT_MASK);
    assertThat(encoder.outputs().keySet())
        .contains(HintGraphs.inputBias(0), HintGraphs.inputBias(1)).doesNotContain(HintGraphs.INPUT_BIAS);
    assertThat(new HintGraphs(b).decoder().inputs()).extracting(Value::name)
        .contains(HintGraphs.inputBias(0), HintGraphs.inputBias(1)).doesNotContain(HintGraphs.INPUT_BIAS);
  }

  /**
   * Hand-computed: layer j's input bias is segment_bias[j][h] on the prompt tokens, 0 on the other
   * real tokens and the padding bias on padding, for each head h.
   */
  @Test
  void encoderAddsTheSegmentBiasToExactlyThePromptTokens() throws Exception {
    float[] seg = new float[ON.decoderLayers() * ON.numHeads()];
    for (int j = 0; j < ON.decoderLayers(); j++) {
      for (int h = 0; h < ON.numHeads(); h++) {
        seg[j * ON.numHeads() + h] = -1f - j - 0.25f * h; // distinct per layer and head
      }
    }
    HintWeights w = withSegmentBias(HintWeights.random(ON, 5), seg);
    long[] padded = {17, 4, 22, 9, 30, 1, 0};
    float[] mask = {1, 1, 1, 1, 1, 1, 0};
    float[] prompt = {1, 1, 1, 0, 0, 0, 0};
    Map<String, FloatTensor> out;
    try (GraphRunner encoder = new GraphRunner(new HintGraphs(w).encoder())) {
      out = encoder.run(encoderFeeds(new long[] {1, padded.length}, padded, mask, prompt));
    }
    for (int j = 0; j < ON.decoderLayers(); j++) {
      FloatTensor bias = out.get(HintGraphs.inputBias(j));
      assertThat(bias.shape()).containsExactly(1, ON.numHeads(), 1, padded.length);
      for (int h = 0; h < ON.numHeads(); h++) {
        for (int l = 0; l < padded.length; l++) {
          float got = bias.get(h * padded.length + l);
          if (mask[l] == 0) {
            assertThat(got).as("layer %d head %d padding %d", j, h, l).isLessThan(-1e8f);
          } else {
            // One float multiply by 0 or 1 and one add to an exact 0: no rounding at all.
            assertThat(got).as("layer %d head %d token %d", j, h, l).isEqualTo(prompt[l] == 1 ? seg[j * ON.numHeads() + h] : 0f);
          }
        }
      }
    }
  }

  /**
   * Graph logits equal the reference's for no, some and all prompt tokens; the bias moves the
   * logits (so the comparison can fail), and a zero segment bias or a prompt of no tokens is the
   * plain model exactly.
   */
  @Test
  void decoderLogitsMatchTheReference() throws Exception {
    HintWeights w = new HintWeights(ON, ReferenceHint.randomParams(ON, 7)); // segment bias N(0, 1): differs per head
    ReferenceHint ref = new ReferenceHint(ON, w.asMap());
    Map<Integer, FloatTensor> byPrompt = new LinkedHashMap<>();
    for (int promptTokens : new int[] {0, 3, INPUT.length}) {
      FloatTensor logits = inferenceLogits(w, new long[][] {INPUT}, new int[] {promptTokens});
      assertClose("logits with " + promptTokens + " prompt tokens", logits,
          flatten(ref.decoderLogits(INPUT, null, DECODER_IDS, promptTokens)));
      byPrompt.put(promptTokens, logits);
    }
    assertThat(maxDiff(byPrompt.get(0), byPrompt.get(3))).as("the segment bias moves the logits").isGreaterThan(1e-2);
    assertThat(maxDiff(byPrompt.get(3), byPrompt.get(INPUT.length))).isGreaterThan(1e-2);

    HintWeights zero = withSegmentBias(w, new float[ON.decoderLayers() * ON.numHeads()]);
    // x + 0·s is x exactly, so a zero bias leaves the plain model's float32 results as they were.
    assertThat(maxDiff(inferenceLogits(zero, new long[][] {INPUT}, new int[] {3}), byPrompt.get(0))).isLessThan(1e-6);
    Map<String, FloatTensor> plainParams = new LinkedHashMap<>(w.asMap());
    plainParams.remove(HintWeights.PROMPT_SEGMENT_BIAS);
    HintWeights plain = new HintWeights(OFF, plainParams);
    assertThat(maxDiff(inferenceLogits(plain, new long[][] {INPUT}, null), byPrompt.get(0))).isLessThan(1e-6);
  }

  /**
   * A padded batch of two rows with different prompts: the encoder → decoder graphs give the
   * training forward's logits, and marking padding as prompt changes nothing (it stays masked).
   */
  @Test
  void inferenceLogitsEqualTrainingForward() throws Exception {
    HintWeights w = new HintWeights(ON, ReferenceHint.randomParams(ON, 9));
    long[][] rows = {INPUT, {12, 40, 7, 1}};
    int[] promptTokens = {4, 2};
    FloatTensor inference = inferenceLogits(w, rows, promptTokens);
    FloatTensor training = trainingLogits(w, rows, promptTokens);
    assertThat(inference.shape()).containsExactly(training.shape());
    for (int i = 0; i < training.size(); i++) {
      // The same float32 ops, grouped differently (biases precomputed by the encoder graph): rounding
      // only, ~1e-6 relative; a misplaced bias moves logits by ~1e-1 (previous test).
      assertThat((double) inference.get(i)).as("logit %d", i)
          .isCloseTo(training.get(i), Offset.offset(1e-4 * (1 + Math.abs(training.get(i)))));
    }

    long[] ids = padRows(rows);
    float[] mask = masks(rows, null);
    float[] promptOnPadding = masks(rows, promptTokens);
    int width = ids.length / rows.length;
    for (int l = rows[1].length; l < width; l++) {
      promptOnPadding[width + l] = 1; // row 1's padding marked as prompt
    }
    FloatTensor marked = runGraphs(w, new long[] {rows.length, width}, ids, mask, promptOnPadding);
    assertThat(maxDiff(marked, inference)).as("padding marked as prompt").isLessThan(1e-6);
  }

  @Test
  void trainingForwardRequiresThePromptMaskExactlyForTheBaselineWithTheBias() {
    ForwardInputs on = ForwardInputs.of(ON);
    assertThatThrownBy(() -> TrainingForward.logits(on.a(), false, null, null, null, null, null, on.in(), on.mask(), null, on.dec()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt mask");
    ForwardInputs off = ForwardInputs.of(OFF);
    assertThatThrownBy(() -> TrainingForward.logits(off.a(), false, null, null, null, null, null, off.in(), off.mask(), off.mask(), off.dec()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt mask");
  }

  // ---- helpers ----

  /** A training-forward graph's parameter context and its input, mask and decoder inputs. */
  record ForwardInputs(ArchContext a, Value in, Value mask, Value dec) {
    static ForwardInputs of(HintConfig c) {
      Graph g = new Graph("t");
      return new ForwardInputs(ArchContext.withParameterInputs(g, c), g.input("input_ids", DType.INT64, "batch", "input_length"),
          g.input("input_mask", DType.FLOAT, "batch", "input_length"),
          g.input("decoder_input_ids", DType.INT64, "batch", "target_length"));
    }
  }

  /** Encoder (empty module) then one uncached decoder pass over {@link #DECODER_IDS} for every row. */
  static FloatTensor inferenceLogits(HintWeights w, long[][] rows, int[] promptTokens) throws Exception {
    long[] ids = padRows(rows);
    return runGraphs(w, new long[] {rows.length, ids.length / rows.length}, ids, masks(rows, null),
        promptTokens == null ? null : masks(rows, promptTokens));
  }

  static FloatTensor runGraphs(HintWeights w, long[] shape, long[] ids, float[] mask, float[] prompt) throws Exception {
    HintGraphs graphs = new HintGraphs(w);
    Map<String, Object> in = new HashMap<>(encoderFeeds(shape, ids, mask, prompt));
    try (GraphRunner encoder = new GraphRunner(graphs.encoder())) {
      in.putAll(encoder.run(in));
    }
    HintConfig c = w.config();
    int batch = (int) shape[0];
    long[] dec = decoderIds(batch);
    in.put("decoder_input_ids", new Longs(new long[] {batch, DECODER_IDS.length}, dec));
    for (int j = 0; j < c.decoderLayers(); j++) {
      in.put("past_key." + j, FloatTensor.zeros(batch, c.numHeads(), c.headDim(), 0));
      in.put("past_value." + j, FloatTensor.zeros(batch, c.numHeads(), 0, c.headDim()));
    }
    try (GraphRunner decoder = new GraphRunner(graphs.decoder())) {
      return decoder.run(in).get("logits");
    }
  }

  /** {@link TrainingForward#logits} of the baseline, weights as constants. */
  static FloatTensor trainingLogits(HintWeights w, long[][] rows, int[] promptTokens) throws Exception {
    Graph g = new Graph("training_forward");
    ArchContext a = new ArchContext(g, w.config(), w);
    Value in = g.input("input_ids", DType.INT64, "batch", "input_length");
    Value im = g.input("input_mask", DType.FLOAT, "batch", "input_length");
    Value pm = g.input(HintGraphs.PROMPT_MASK, DType.FLOAT, "batch", "input_length");
    Value dec = g.input("decoder_input_ids", DType.INT64, "batch", "target_length");
    g.output("logits", TrainingForward.logits(a, false, null, null, null, null, null, in, im, pm, dec));
    long[] ids = padRows(rows);
    long[] shape = {rows.length, ids.length / rows.length};
    try (GraphRunner r = new GraphRunner(g)) {
      Map<String, Object> feeds = new HashMap<>();
      feeds.put("input_ids", new Longs(shape, ids));
      feeds.put("input_mask", FloatTensor.wrap(shape, masks(rows, null)));
      feeds.put(HintGraphs.PROMPT_MASK, FloatTensor.wrap(shape, masks(rows, promptTokens)));
      feeds.put("decoder_input_ids", new Longs(new long[] {rows.length, DECODER_IDS.length}, decoderIds(rows.length)));
      return r.run(feeds).get("logits");
    }
  }

  static Map<String, Object> encoderFeeds(long[] shape, long[] ids, float[] mask, float[] prompt) {
    Map<String, Object> in = new HashMap<>();
    for (ModuleLayout.TensorSpec s : ModuleLayout.allTensors(ON, true)) { // the empty module of a concatenation task
      long[] dims = Arrays.stream(s.dims()).mapToLong(d -> d instanceof Number n ? n.longValue() : 1).toArray();
      in.put(s.name(), FloatTensor.zeros(dims));
    }
    in.put("input_ids", new Longs(shape, ids));
    in.put("input_mask", FloatTensor.wrap(shape, mask));
    if (prompt != null) {
      in.put(HintGraphs.PROMPT_MASK, FloatTensor.wrap(shape, prompt));
    }
    return in;
  }

  static long[] padRows(long[][] rows) {
    int width = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
    long[] ids = new long[rows.length * width];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, ids, b * width, rows[b].length);
    }
    return ids;
  }

  /** 1 on each row's first {@code lengths[b]} positions (null: the whole row: the input mask). */
  static float[] masks(long[][] rows, int[] lengths) {
    int width = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
    float[] m = new float[rows.length * width];
    for (int b = 0; b < rows.length; b++) {
      Arrays.fill(m, b * width, b * width + (lengths == null ? rows[b].length : lengths[b]), 1f);
    }
    return m;
  }

  static long[] decoderIds(int batch) {
    long[] dec = new long[batch * DECODER_IDS.length];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(DECODER_IDS, 0, dec, b * DECODER_IDS.length, DECODER_IDS.length);
    }
    return dec;
  }

  static HintWeights withSegmentBias(HintWeights w, float[] values) {
    Map<String, FloatTensor> p = new LinkedHashMap<>(w.asMap());
    p.put(HintWeights.PROMPT_SEGMENT_BIAS, FloatTensor.wrap(new long[] {w.config().decoderLayers(), w.config().numHeads()}, values));
    return new HintWeights(w.config(), p);
  }

  static double maxDiff(FloatTensor a, FloatTensor b) {
    assertThat(a.shape()).containsExactly(b.shape());
    double m = 0;
    for (int i = 0; i < a.size(); i++) {
      m = Math.max(m, Math.abs(a.get(i) - b.get(i)));
    }
    return m;
  }
}
