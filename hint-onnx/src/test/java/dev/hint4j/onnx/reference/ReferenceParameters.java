package dev.hint4j.onnx.reference;

import dev.hint4j.HintConfig;
import dev.hint4j.tensor.FloatTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Every parameter name and shape of ARCHITECTURE.md ("Parameters"), and the seeded random
 * initialisation that tests on both sides (graphs and reference) share.
 */
public final class ReferenceParameters {
  /** The six hypernetwork heads, in the order of the component layout. */
  public static final List<String> HEAD_KINDS = List.of(
      "adapter_down", "adapter_up", "adapter_bias_down", "adapter_bias_up", "prefix_key", "prefix_value");

  private ReferenceParameters() {}

  /** Name → shape for every parameter, in a fixed order (the order {@link #random} draws them in). */
  public static Map<String, long[]> shapes(HintConfig c) {
    long d = c.dModel();
    long inner = c.innerDim();
    long f = c.ffnDim();
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put("shared.embedding", new long[] {c.vocabSize(), d});
    s.put("encoder.rel_bias", new long[] {c.relativeBuckets(), c.numHeads()});
    s.put("decoder.rel_bias", new long[] {c.relativeBuckets(), c.numHeads()});
    for (int i = 0; i < c.encoderLayers(); i++) {
      String p = "encoder.layers." + i + ".";
      s.put(p + "attn_norm", new long[] {d});
      s.put(p + "ffn_norm", new long[] {d});
      putAttention(s, p + "attn.", d, inner);
      putFfn(s, p + "ffn.", d, f);
    }
    s.put("encoder.final_norm", new long[] {d});
    for (int j = 0; j < c.decoderLayers(); j++) {
      String p = "decoder.layers." + j + ".";
      s.put(p + "self_norm", new long[] {d});
      s.put(p + "cross_norm", new long[] {d});
      s.put(p + "ffn_norm", new long[] {d});
      putAttention(s, p + "self_attn.", d, inner);
      putAttention(s, p + "cross_attn.", d, inner);
      putFfn(s, p + "ffn.", d, f);
    }
    s.put("decoder.final_norm", new long[] {d});
    s.put("lm_head", new long[] {d, c.vocabSize()});
    s.put("hyper.components", new long[] {c.componentRows(), d});
    putAttention(s, "hyper.attn.", d, inner);
    for (String kind : HEAD_KINDS) {
      s.put("hyper.head." + kind + ".wi", new long[] {d, d});
      s.put("hyper.head." + kind + ".wo", new long[] {d, headWidth(c, kind)});
    }
    s.put("hyper.fusion_bias", new long[] {c.decoderLayers(), c.numHeads()});
    if (c.hasPromptSegmentBias()) { // the baseline's log-weight of its prompt tokens in each decoder layer's cross-attention
      s.put("concat.segment_bias", new long[] {c.decoderLayers(), c.numHeads()});
    }
    return Collections.unmodifiableMap(s);
  }

  /** Output width of a hypernetwork head. */
  static int headWidth(HintConfig c, String kind) {
    return switch (kind) {
      case "adapter_down", "adapter_up", "adapter_bias_up" -> c.dModel();
      case "adapter_bias_down" -> c.adapterSize();
      case "prefix_key", "prefix_value" -> c.innerDim();
      default -> throw new IllegalArgumentException("unknown head kind " + kind);
    };
  }

  private static void putAttention(Map<String, long[]> s, String p, long d, long inner) {
    s.put(p + "q", new long[] {d, inner});
    s.put(p + "k", new long[] {d, inner});
    s.put(p + "v", new long[] {d, inner});
    s.put(p + "o", new long[] {inner, d});
  }

  private static void putFfn(Map<String, long[]> s, String p, long d, long f) {
    s.put(p + "wi_0", new long[] {d, f});
    s.put(p + "wi_1", new long[] {d, f});
    s.put(p + "wo", new long[] {f, d});
  }

  /**
   * Seeded random parameters, drawn in the order of {@link #shapes} from one
   * {@code SplittableRandom(seed)} (Gaussians by Box–Muller from {@code nextDouble()}, so the values
   * do not depend on the JDK's {@code nextGaussian} algorithm). The scheme keeps activations O(1):
   * <ul>
   *   <li>norm scales ({@code *_norm}): 1 + N(0, 0.2) — near 1, but not 1, so a norm applied with
   *       the wrong weight is caught;
   *   <li>{@code shared.embedding}, {@code *.rel_bias}, {@code hyper.components}, {@code concat.segment_bias}: N(0, 1);
   *   <li>query kernels ({@code *.q}): N(0, 1/sqrt(in·Dh)), T5's own scheme, which keeps the unscaled
   *       scores q·k O(1);
   *   <li>{@code hyper.head.adapter_down.wo}: N(0, 1/sqrt(d)) and {@code hyper.head.adapter_up.wo}:
   *       N(0, 1/sqrt(A)), so that generated adapter weights come out like freshly initialised
   *       ones (rms about 0.4/sqrt(fan_in)); the other heads' {@code wo}: N(0, 1), so generated
   *       biases and prefixes come out with rms about 0.3–0.5 after the head's 1/sqrt(d);
   *   <li>every other kernel [in, out]: N(0, 1/sqrt(in)).
   * </ul>
   * With {@code HintConfig.tiny} and {@code small} this gives encoder states and logits of rms ≈ 1,
   * and a HINT module moves the logits by O(1) compared with the empty module.
   */
  public static Map<String, FloatTensor> random(HintConfig c, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : shapes(c).entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      float[] data = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
      double mean = name.endsWith("_norm") ? 1.0 : 0.0;
      double std = std(c, name, shape);
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (mean + std * gaussian(rng));
      }
      out.put(name, FloatTensor.wrap(shape, data));
    }
    return Collections.unmodifiableMap(out);
  }

  private static double std(HintConfig c, String name, long[] shape) {
    if (name.endsWith("_norm")) {
      return 0.2;
    }
    if (name.equals("shared.embedding") || name.endsWith(".rel_bias") || name.equals("hyper.components")
        || name.equals("concat.segment_bias")) {
      return 1.0;
    }
    if (name.equals("hyper.head.adapter_down.wo")) {
      return 1 / Math.sqrt(c.dModel());
    }
    if (name.equals("hyper.head.adapter_up.wo")) {
      return 1 / Math.sqrt(c.adapterSize());
    }
    if (name.startsWith("hyper.head.") && name.endsWith(".wo")) {
      return 1.0;
    }
    double fanIn = shape[0];
    if (name.endsWith(".q")) {
      return 1 / Math.sqrt(fanIn * c.headDim());
    }
    return 1 / Math.sqrt(fanIn);
  }

  /** One standard normal by Box–Muller (the cosine half; the sine half is discarded for simplicity). */
  private static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log(u1) is finite
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
