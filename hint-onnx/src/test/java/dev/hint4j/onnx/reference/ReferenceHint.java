package dev.hint4j.onnx.reference;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.reference.Attention.Block;
import dev.hint4j.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A slow, plain float64 implementation of the HINT forward math, written line by line from
 * ARCHITECTURE.md and independent of any graph code, so that tests can compare the ONNX graphs
 * against it. One sequence at a time, no padding (every mask is all ones), no KV cache.
 *
 * <p>Modules are maps from the graph output names of {@code hypernetwork.onnx} to row-major
 * {@code double[]} without the batch dimension. Two optional keys mirror {@link dev.hint4j.TaskModule}:
 * {@code "prefix_mask"} [P] and {@code "instruction_mask"} [Li]; when absent they are all ones
 * (a HINT module). {@code null} stands for the empty module with no instruction memory.
 */
public final class ReferenceHint {
  private final HintConfig c;
  private final int d;
  private final int heads;
  private final int headDim;
  private final int le;
  private final int ld;
  private final int a;
  private final int p;
  private final Map<String, double[][]> matrices = new HashMap<>();
  private final Map<String, double[]> vectors = new HashMap<>();

  /**
   * @param params every name of {@link ReferenceParameters#shapes} with that shape (extra names are
   *     ignored)
   * @throws IllegalArgumentException listing every missing or wrongly shaped parameter
   */
  public ReferenceHint(HintConfig config, Map<String, FloatTensor> params) {
    this.c = config;
    this.d = config.dModel();
    this.heads = config.numHeads();
    this.headDim = config.headDim();
    this.le = config.encoderLayers();
    this.ld = config.decoderLayers();
    this.a = config.adapterSize();
    this.p = config.prefixLength();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> e : ReferenceParameters.shapes(config).entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      FloatTensor t = params.get(name);
      if (t == null) {
        problems.add("missing parameter " + name + " " + Arrays.toString(shape));
        continue;
      }
      if (!Arrays.equals(t.shape(), shape)) {
        problems.add("parameter " + name + " has shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        continue;
      }
      double[] flat = new double[t.size()];
      for (int i = 0; i < flat.length; i++) {
        flat[i] = t.get(i);
      }
      if (shape.length == 1) {
        vectors.put(name, flat);
      } else {
        matrices.put(name, Mat.reshape(flat, (int) shape[0], (int) shape[1]));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Seeded random parameters; see {@link ReferenceParameters#random} for the scheme. */
  public static Map<String, FloatTensor> randomParams(HintConfig config, long seed) {
    return ReferenceParameters.random(config, seed);
  }

  // ---------------------------------------------------------------- relative position

  /**
   * T5's relative position bucket of {@code relativePosition = key − query}. The log branch runs in
   * float32 as PyTorch's T5 does, and the cast truncates toward zero.
   */
  public static int relativeBucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
    int nb;
    int b;
    int n;
    if (bidirectional) {
      nb = numBuckets / 2;
      b = relativePosition > 0 ? nb : 0;
      n = Math.abs(relativePosition);
    } else {
      nb = numBuckets;
      b = 0;
      n = Math.max(-relativePosition, 0);
    }
    int maxExact = nb / 2;
    if (n < maxExact) {
      return b + n;
    }
    // float32 at every step, like torch.log(n.float() / maxExact) / math.log(...) * (nb - maxExact)
    float ratio = (float) n / (float) maxExact;
    float logRatio = (float) Math.log(ratio);
    float logRange = (float) Math.log((double) maxDistance / maxExact); // Python float, then float32
    float scaled = logRatio / logRange * (float) (nb - maxExact);
    int large = maxExact + (int) scaled; // (int) truncates toward zero, as .to(torch.long)
    return b + Math.min(nb - 1, large);
  }

  /** bias[h][q][k] = rel_bias[bucket(k − q)][h] for queries and keys at positions 0.. */
  private double[][][] relativeBias(String table, int lq, int lk, boolean bidirectional) {
    double[][] rel = matrices.get(table);
    double[][][] bias = new double[heads][lq][lk];
    for (int q = 0; q < lq; q++) {
      for (int k = 0; k < lk; k++) {
        int bucket = relativeBucket(k - q, bidirectional, c.relativeBuckets(), c.relativeMaxDistance());
        for (int h = 0; h < heads; h++) {
          bias[h][q][k] = rel[bucket][h];
        }
      }
    }
    return bias;
  }

  // ---------------------------------------------------------------- hypernetwork

  /** The block with {@code perHead[h]} added to every score of head h (the fusion bias). */
  private static Block withHeadBias(Block b, double[] perHead) {
    return withHeadBias(b, perHead, b.keys().length);
  }

  /** The block with {@code perHead[h]} added to head h's scores of its first {@code keys} keys only. */
  private static Block withHeadBias(Block b, double[] perHead, int keys) {
    double[][][] bias = new double[b.bias().length][][];
    for (int h = 0; h < bias.length; h++) {
      bias[h] = new double[b.bias()[h].length][];
      for (int q = 0; q < bias[h].length; q++) {
        bias[h][q] = b.bias()[h][q].clone();
        for (int k = 0; k < keys; k++) {
          bias[h][q][k] += perHead[h];
        }
      }
    }
    return new Block(b.keys(), b.values(), bias);
  }

  /**
   * The task module of one instruction (no padding). Keys: {@code instruction_states} [Li][d],
   * {@code instruction_cross_key.{j}} [H][Dh][Li], {@code instruction_cross_value.{j}} [H][Li][Dh],
   * and per encoder layer i / decoder layer j the module tensors {@code enc.{i}.*},
   * {@code dec.{j}.*} with the shapes of ARCHITECTURE.md minus the batch dimension.
   */
  public Map<String, double[]> hypernetwork(long[] instructionIds) {
    // 1. The shared encoder without a module; the mask is all ones, so "H_I *= mask" is a no-op.
    double[][] hi = encode(instructionIds, null);
    int li = hi.length;

    // 2. The components cross-attend over H_I: one block, mask bias 0, no position bias.
    double[][] q = Mat.matmul(matrices.get("hyper.components"), matrices.get("hyper.attn.q"));
    Block instruction = new Block(Mat.matmul(hi, matrices.get("hyper.attn.k")),
        Mat.matmul(hi, matrices.get("hyper.attn.v")), Attention.maskBias(heads, q.length, ones(li)));
    double[][] g = Mat.matmul(Attention.attend(q, List.of(instruction), heads, headDim), matrices.get("hyper.attn.o"));

    Map<String, double[]> out = new LinkedHashMap<>();
    out.put("instruction_states", Mat.flatten(hi));
    // 5. Instruction fusion: each decoder layer's cross-attention K/V of H_I.
    for (int j = 0; j < ld; j++) {
      String w = "decoder.layers." + j + ".cross_attn.";
      out.put("instruction_cross_key." + j, Attention.toKeyLayout(Mat.matmul(hi, matrices.get(w + "k")), heads, headDim));
      out.put("instruction_cross_value." + j, Attention.toValueLayout(Mat.matmul(hi, matrices.get(w + "v")), heads, headDim));
    }

    // 3.-4. Heads on each kind's rows (component layout), then row-major reshapes.
    int sa = c.adapterSlots();
    int sp = c.prefixSlots();
    for (int s = 0; s < sa; s++) {
      String slot = s < le ? "enc." + s + "." : "dec." + (s - le) + ".";
      // A rows of width d, flattened: read as [d][A] that is a reshape, NOT a transpose.
      out.put(slot + "adapter_down", Mat.flatten(head("adapter_down", Mat.rows(g, s * a, a))));
      out.put(slot + "adapter_up", Mat.flatten(head("adapter_up", Mat.rows(g, sa * a + s * a, a))));
      out.put(slot + "adapter_bias_down", Mat.flatten(head("adapter_bias_down", Mat.rows(g, 2 * sa * a + s, 1))));
      out.put(slot + "adapter_bias_up", Mat.flatten(head("adapter_bias_up", Mat.rows(g, 2 * sa * a + sa + s, 1))));
    }
    int prefixBase = 2 * sa * a + 2 * sa;
    for (int t = 0; t < sp; t++) {
      String slot = t < le ? "enc." + t + ".prefix_"
          : t < le + ld ? "dec." + (t - le) + ".self_prefix_"
          : "dec." + (t - le - ld) + ".cross_prefix_";
      double[][] keys = head("prefix_key", Mat.rows(g, prefixBase + t * p, p)); // [P][H·Dh]
      double[][] values = head("prefix_value", Mat.rows(g, prefixBase + sp * p + t * p, p));
      out.put(slot + "key", Attention.toKeyLayout(keys, heads, headDim));
      out.put(slot + "value", Attention.toValueLayout(values, heads, headDim));
    }
    return out;
  }

  /** {@code head(x) = gelu(x·wi)·wo / sqrt(d)}. */
  private double[][] head(String kind, double[][] x) {
    String w = "hyper.head." + kind + ".";
    double[][] y = Mat.matmul(Mat.gelu(Mat.matmul(x, matrices.get(w + "wi"))), matrices.get(w + "wo"));
    return Mat.scale(y, 1 / Math.sqrt(d));
  }

  /**
   * The empty module as a map: every adapter tensor 0, prefixes 0 with {@code prefix_mask} 0, and a
   * one-column instruction memory of zeros with {@code instruction_mask} 0. The graphs see exactly
   * this for the baselines; it must give the same results as {@code null}.
   */
  public Map<String, double[]> emptyModule() {
    Map<String, double[]> m = new LinkedHashMap<>();
    int inner = heads * headDim;
    for (int j = 0; j < ld; j++) {
      m.put("instruction_cross_key." + j, new double[inner]);
      m.put("instruction_cross_value." + j, new double[inner]);
    }
    for (int s = 0; s < le + ld; s++) {
      String slot = s < le ? "enc." + s + "." : "dec." + (s - le) + ".";
      m.put(slot + "adapter_down", new double[d * a]);
      m.put(slot + "adapter_up", new double[a * d]);
      m.put(slot + "adapter_bias_down", new double[a]);
      m.put(slot + "adapter_bias_up", new double[d]);
    }
    for (int i = 0; i < le; i++) {
      m.put("enc." + i + ".prefix_key", new double[inner * p]);
      m.put("enc." + i + ".prefix_value", new double[inner * p]);
    }
    for (int j = 0; j < ld; j++) {
      for (String kind : List.of("self_prefix_", "cross_prefix_")) {
        m.put("dec." + j + "." + kind + "key", new double[inner * p]);
        m.put("dec." + j + "." + kind + "value", new double[inner * p]);
      }
    }
    m.put("prefix_mask", new double[p]);
    m.put("instruction_mask", new double[1]);
    return m;
  }

  // ---------------------------------------------------------------- encoder

  /** Encoder states H_x [L][d] for one unpadded input under {@code module} (null: empty module). */
  public double[][] encoder(long[] inputIds, Map<String, double[]> module) {
    return encode(inputIds, module == null ? null : new Module(module));
  }

  private double[][] encode(long[] ids, Module m) {
    int len = ids.length;
    double[][] h = embed(ids);
    // Input mask all ones: its bias (m − 1)·1e9 is 0, so the self bias is the relative bias alone.
    double[][][] selfBias = relativeBias("encoder.rel_bias", len, len, true);
    for (int i = 0; i < le; i++) {
      String w = "encoder.layers." + i + ".";
      double[][] n = norm(h, w + "attn_norm");
      List<Block> blocks = new ArrayList<>();
      if (m != null) {
        blocks.add(m.prefixBlock("enc." + i + ".prefix_", len));
      }
      blocks.add(selfBlock(n, w + "attn.", selfBias));
      h = Mat.add(h, attention(n, w + "attn.", blocks));
      n = norm(h, w + "ffn_norm");
      h = Mat.add(h, ffn(n, w + "ffn."));
      if (m != null) {
        h = Mat.add(h, m.adapter(n, "enc." + i + "."));
      }
    }
    // H_x = rmsnorm(h) * input_mask; the mask is all ones.
    return norm(h, "encoder.final_norm");
  }

  // ---------------------------------------------------------------- decoder

  /**
   * Decoder logits [T][V], recomputed from scratch (no cache), for {@code decoderIds} after encoding
   * {@code inputIds} under {@code module} (null: empty module and no instruction memory).
   */
  public double[][] decoderLogits(long[] inputIds, Map<String, double[]> module, long[] decoderIds) {
    return decoderLogits(inputIds, module, decoderIds, 0);
  }

  /**
   * As above for the instruction-concatenation baseline with a prompt segment bias: the first
   * {@code promptTokens} input tokens are its prompt, and decoder layer j's cross-attention adds
   * {@code concat.segment_bias[j][h]} to head h's score of each of them (the other tokens get nothing).
   */
  public double[][] decoderLogits(long[] inputIds, Map<String, double[]> module, long[] decoderIds, int promptTokens) {
    if (promptTokens > 0 && !matrices.containsKey("concat.segment_bias")) {
      throw new IllegalArgumentException("prompt tokens need a config with the prompt segment bias");
    }
    Module m = module == null ? null : new Module(module);
    double[][] hx = encode(inputIds, m);
    int t = decoderIds.length;
    double[][] h = embed(decoderIds);
    double[][][] selfBias = relativeBias("decoder.rel_bias", t, t, false);
    for (int hh = 0; hh < heads; hh++) {
      for (int q = 0; q < t; q++) {
        for (int k = q + 1; k < t; k++) {
          selfBias[hh][q][k] += Attention.MASKED; // causal: no key after the query
        }
      }
    }
    double[][][] inputBias = Attention.maskBias(heads, t, ones(hx.length)); // no position bias
    for (int j = 0; j < ld; j++) {
      String w = "decoder.layers." + j + ".";
      double[][] n = norm(h, w + "self_norm");
      List<Block> self = new ArrayList<>();
      if (m != null) {
        self.add(m.prefixBlock("dec." + j + ".self_prefix_", t));
      }
      self.add(selfBlock(n, w + "self_attn.", selfBias));
      h = Mat.add(h, attention(n, w + "self_attn.", self));

      n = norm(h, w + "cross_norm");
      List<Block> cross = new ArrayList<>();
      if (m != null) {
        cross.add(m.prefixBlock("dec." + j + ".cross_prefix_", t));
        cross.add(withHeadBias(m.instructionBlock(j, t), matrices.get("hyper.fusion_bias")[j]));
      }
      Block input = new Block(Mat.matmul(hx, matrices.get(w + "cross_attn.k")),
          Mat.matmul(hx, matrices.get(w + "cross_attn.v")), inputBias);
      cross.add(promptTokens == 0 ? input : withHeadBias(input, matrices.get("concat.segment_bias")[j], promptTokens));
      h = Mat.add(h, attention(n, w + "cross_attn.", cross));

      n = norm(h, w + "ffn_norm");
      h = Mat.add(h, ffn(n, w + "ffn."));
      if (m != null) {
        h = Mat.add(h, m.adapter(n, "dec." + j + "."));
      }
    }
    return Mat.matmul(norm(h, "decoder.final_norm"), matrices.get("lm_head"));
  }

  // ---------------------------------------------------------------- building blocks

  private double[][] embed(long[] ids) {
    if (ids.length == 0) {
      throw new IllegalArgumentException("empty token sequence");
    }
    double[][] table = matrices.get("shared.embedding");
    double[][] h = new double[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= table.length) {
        throw new IllegalArgumentException("token id " + ids[i] + " outside vocabulary of " + table.length);
      }
      h[i] = table[(int) ids[i]].clone();
    }
    return h;
  }

  private double[][] norm(double[][] x, String weight) {
    return Mat.rmsnorm(x, vectors.get(weight), c.layerNormEps());
  }

  /** The block of a sequence's own keys and values, {@code n·Wk}, {@code n·Wv}. */
  private Block selfBlock(double[][] n, String w, double[][][] bias) {
    return new Block(Mat.matmul(n, matrices.get(w + "k")), Mat.matmul(n, matrices.get(w + "v")), bias);
  }

  /** {@code Attention(n; blocks) · Wo} with queries {@code n·Wq}. */
  private double[][] attention(double[][] n, String w, List<Block> blocks) {
    double[][] q = Mat.matmul(n, matrices.get(w + "q"));
    return Mat.matmul(Attention.attend(q, blocks, heads, headDim), matrices.get(w + "o"));
  }

  /** {@code (gelu(n·wi_0) ⊙ (n·wi_1)) · wo}. */
  private double[][] ffn(double[][] n, String w) {
    double[][] gate = Mat.gelu(Mat.matmul(n, matrices.get(w + "wi_0")));
    double[][] lin = Mat.matmul(n, matrices.get(w + "wi_1"));
    return Mat.matmul(Mat.hadamard(gate, lin), matrices.get(w + "wo"));
  }

  private static double[] ones(int n) {
    double[] m = new double[n];
    Arrays.fill(m, 1.0);
    return m;
  }

  /** A module map read with shape checks, one tensor at a time as the layers need them. */
  private final class Module {
    private final Map<String, double[]> tensors;
    private final double[] prefixMask;

    Module(Map<String, double[]> tensors) {
      this.tensors = tensors;
      this.prefixMask = tensors.containsKey("prefix_mask") ? get("prefix_mask", p) : ones(p);
    }

    private double[] get(String name, int length) {
      double[] v = tensors.get(name);
      if (v == null) {
        throw new IllegalArgumentException("module has no tensor " + name);
      }
      if (v.length != length) {
        throw new IllegalArgumentException("module tensor " + name + " has " + v.length + " values, expected " + length);
      }
      return v;
    }

    /** {@code gelu(n·Wd + bd)·Wu + bu}; Wd is the flat tensor read row-major as [d][A]. */
    double[][] adapter(double[][] n, String slot) {
      double[][] wd = Mat.reshape(get(slot + "adapter_down", d * a), d, a);
      double[] bd = get(slot + "adapter_bias_down", a);
      double[][] wu = Mat.reshape(get(slot + "adapter_up", a * d), a, d);
      double[] bu = get(slot + "adapter_bias_up", d);
      return Mat.addRow(Mat.matmul(Mat.gelu(Mat.addRow(Mat.matmul(n, wd), bd)), wu), bu);
    }

    /** Prefix keys [H][Dh][P] and values [H][P][Dh] as a block with the prefix mask bias, no position bias. */
    Block prefixBlock(String name, int lq) {
      int size = heads * headDim * p;
      double[][] keys = Attention.fromKeyLayout(get(name + "key", size), heads, headDim);
      double[][] values = Attention.fromValueLayout(get(name + "value", size), heads, headDim);
      return new Block(keys, values, Attention.maskBias(heads, lq, prefixMask));
    }

    /** Decoder layer j's instruction K/V [H][Dh][Li], [H][Li][Dh] with the instruction mask bias. */
    Block instructionBlock(int j, int lq) {
      double[] k = tensors.get("instruction_cross_key." + j);
      if (k == null || k.length % (heads * headDim) != 0) {
        throw new IllegalArgumentException("module has no valid tensor instruction_cross_key." + j);
      }
      int li = k.length / (heads * headDim);
      double[] v = get("instruction_cross_value." + j, k.length);
      double[] mask = tensors.containsKey("instruction_mask") ? get("instruction_mask", li) : ones(li);
      return new Block(Attention.fromKeyLayout(k, heads, headDim), Attention.fromValueLayout(v, heads, headDim),
          Attention.maskBias(heads, lq, mask));
    }
  }
}
