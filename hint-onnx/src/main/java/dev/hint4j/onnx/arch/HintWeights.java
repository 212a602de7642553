package dev.hint4j.onnx.arch;

import dev.hint4j.HintConfig;
import dev.hint4j.tensor.FloatTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The parameters of a HINT model by name (see ARCHITECTURE.md), checked against the config's
 * shapes. Immutable.
 */
public final class HintWeights {
  /**
   * The instruction-concatenation baseline's learned log-weight [decoderLayers, heads] of its
   * prompt tokens in the decoder's cross-attention: {@code hyper.fusion_bias}'s counterpart, with
   * the same initial value, present only in configs with {@link HintConfig#hasPromptSegmentBias()}.
   */
  public static final String PROMPT_SEGMENT_BIAS = "concat.segment_bias";

  private final HintConfig config;
  private final Map<String, FloatTensor> params;

  public HintWeights(HintConfig config, Map<String, FloatTensor> params) {
    this.config = config;
    Map<String, long[]> expected = shapes(config);
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      FloatTensor t = params.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException("missing parameter '" + e.getKey() + "'");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException("parameter '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
            + ", config needs " + Arrays.toString(e.getValue()));
      }
    }
    for (String name : params.keySet()) {
      if (!expected.containsKey(name)) {
        throw new IllegalArgumentException("unexpected parameter '" + name + "' for this config");
      }
    }
    this.params = Map.copyOf(params);
  }

  public HintConfig config() {
    return config;
  }

  public FloatTensor get(String name) {
    FloatTensor t = params.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no parameter '" + name + "'");
    }
    return t;
  }

  public Map<String, FloatTensor> asMap() {
    return params;
  }

  /** Every parameter name with its shape, in a stable order. */
  public static Map<String, long[]> shapes(HintConfig c) {
    long d = c.dModel();
    long inner = c.innerDim();
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put("shared.embedding", new long[] {c.vocabSize(), d});
    s.put("encoder.rel_bias", new long[] {c.relativeBuckets(), c.numHeads()});
    for (int i = 0; i < c.encoderLayers(); i++) {
      String p = "encoder.layers." + i;
      s.put(p + ".attn_norm", new long[] {d});
      attention(s, p + ".attn", d, inner);
      s.put(p + ".ffn_norm", new long[] {d});
      ffn(s, p + ".ffn", d, c.ffnDim());
    }
    s.put("encoder.final_norm", new long[] {d});
    s.put("decoder.rel_bias", new long[] {c.relativeBuckets(), c.numHeads()});
    for (int j = 0; j < c.decoderLayers(); j++) {
      String p = "decoder.layers." + j;
      s.put(p + ".self_norm", new long[] {d});
      attention(s, p + ".self_attn", d, inner);
      s.put(p + ".cross_norm", new long[] {d});
      attention(s, p + ".cross_attn", d, inner);
      s.put(p + ".ffn_norm", new long[] {d});
      ffn(s, p + ".ffn", d, c.ffnDim());
    }
    s.put("decoder.final_norm", new long[] {d});
    s.put("lm_head", new long[] {d, c.vocabSize()});
    s.put("hyper.components", new long[] {c.componentRows(), d});
    attention(s, "hyper.attn", d, inner);
    for (HeadKind k : HeadKind.values()) {
      s.put("hyper.head." + k.id + ".wi", new long[] {d, d});
      s.put("hyper.head." + k.id + ".wo", new long[] {d, k.outWidth(c)});
    }
    // Last, so that adding it left every other parameter's random stream as it was.
    s.put("hyper.fusion_bias", new long[] {c.decoderLayers(), c.numHeads()});
    if (c.pretrainedInstructionEncoder() != null) { // after everything else, for the same reason
      s.put("hyper.pretrained_proj", new long[] {c.pretrainedInstructionEncoder().width(), d});
      s.put("hyper.pretrained_norm", new long[] {d});
    }
    if (c.hasPromptSegmentBias()) { // last too
      s.put(PROMPT_SEGMENT_BIAS, new long[] {c.decoderLayers(), c.numHeads()});
    }
    return s;
  }

  private static void attention(Map<String, long[]> s, String p, long d, long inner) {
    s.put(p + ".q", new long[] {d, inner});
    s.put(p + ".k", new long[] {d, inner});
    s.put(p + ".v", new long[] {d, inner});
    s.put(p + ".o", new long[] {inner, d});
  }

  private static void ffn(Map<String, long[]> s, String p, long d, long f) {
    s.put(p + ".wi_0", new long[] {d, f});
    s.put(p + ".wi_1", new long[] {d, f});
    s.put(p + ".wo", new long[] {f, d});
  }

  /**
   * Seeded random initialization. Kernels ~ N(0, 1/fan_in); attention queries additionally
   * scaled by 1/sqrt(Dh) because T5 attention does not scale scores (T5 folds it into the query
   * init); embeddings and component embeddings ~ N(0, 1); norm scales 1; relative biases ~ N(0, 0.1²)
   * plus a fixed position preference for two heads (see {@link #positionPreference}); the fusion
   * bias and the baseline's prompt segment bias {@link #FUSION_BIAS}.
   */
  public static HintWeights random(HintConfig c, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    Map<String, FloatTensor> p = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : shapes(c).entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      SplittableRandom r = root.split(); // one stream per parameter, in a fixed order
      double std;
      if (name.endsWith("norm")) {
        p.put(name, filled(shape, 1f));
        continue;
      } else if (name.equals("shared.embedding") || name.equals("hyper.components")) {
        std = 1.0;
      } else if (name.equals("hyper.fusion_bias") || name.equals(PROMPT_SEGMENT_BIAS)) {
        p.put(name, filled(shape, FUSION_BIAS));
        continue;
      } else if (name.endsWith("rel_bias")) {
        p.put(name, positionPreference(gaussian(shape, 0.1, r), c, name.startsWith("encoder")));
        continue;
      } else {
        std = 1.0 / Math.sqrt(shape[0]);
        if (name.endsWith(".q")) {
          std /= Math.sqrt(c.headDim());
        }
      }
      p.put(name, gaussian(shape, std, r));
    }
    return new HintWeights(c, p);
  }

  /**
   * Adds {@link #POSITION_PREFERENCE} nats to one bucket of head 0 (the previous token) and of head 1
   * (encoder: the next token; decoder: itself); the other heads start without preference.
   *
   * <p>Why: T5 has no other position signal, and AdamW moves a bias by about lr per step, so
   * biases that all start near zero need thousands of steps before attention can tell positions
   * apart. Measured on this suite (small config, lr 2e-3, seed 1): copy/reverse loss after 600
   * steps 1.1 with N(0, 0.1²) biases, 0.02 with N(0, 4²) and 0.06 with this preference; but on
   * the full task mix N(0, 4²) trailed by 0.1 nats at step 700 (random strong biases also block
   * content attention over long instructions), while this preference matched N(0, 0.1²) there.
   */
  private static FloatTensor positionPreference(FloatTensor noise, HintConfig c, boolean bidirectional) {
    float[] a = noise.toArray();
    int heads = c.numHeads();
    int[] offsets = bidirectional ? new int[] {-1, 1} : new int[] {-1, 0};
    for (int h = 0; h < Math.min(heads, offsets.length); h++) {
      int bucket = RelativePositionBias.bucket(offsets[h], bidirectional, c.relativeBuckets(), c.relativeMaxDistance());
      a[bucket * heads + h] += POSITION_PREFERENCE;
    }
    return FloatTensor.wrap(noise.shape(), a);
  }

  /**
   * Initial log-weight of each fused instruction token in the decoder's cross-attention. At
   * weight 0 a 35-token instruction beside a 5-letter input takes ~7/8 of the attention at
   * initialisation; at e^−4 it weighs as much as ~0.6 input tokens. Measured (copy/reverse with
   * definition-length instructions, 600 steps): loss 0.78 fused at weight 0, 0.008 with no fusion
   * at all; on the full suite with −4, held-out loss at step 500 fell from 2.40 to 1.81. The value
   * −4 itself was chosen by that arithmetic, not tuned. The concatenation baseline's prompt tokens
   * ({@link #PROMPT_SEGMENT_BIAS}) start from the same value, so both models begin from the same
   * balance between a long instruction and a short input.
   */
  static final float FUSION_BIAS = -4f;

  /** Initial extra bias, in nats, of a head's preferred relative position. */
  static final float POSITION_PREFERENCE = 4f;

  private static FloatTensor filled(long[] shape, float v) {
    float[] a = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    Arrays.fill(a, v);
    return FloatTensor.wrap(shape, a);
  }

  private static FloatTensor gaussian(long[] shape, double std, SplittableRandom r) {
    float[] a = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < a.length; i += 2) {
      // Box-Muller: two independent normals from two uniforms.
      double u1 = 1.0 - r.nextDouble();
      double u2 = r.nextDouble();
      double rad = Math.sqrt(-2.0 * Math.log(u1));
      a[i] = (float) (std * rad * Math.cos(2 * Math.PI * u2));
      if (i + 1 < a.length) {
        a[i + 1] = (float) (std * rad * Math.sin(2 * Math.PI * u2));
      }
    }
    return FloatTensor.wrap(shape, a);
  }
}
