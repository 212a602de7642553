package dev.hint4j.onnx.reference;

import dev.hint4j.HintConfig;
import dev.hint4j.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forward math of ARCHITECTURE.md in plain float64 Java, one token and one head at a time:
 * slow and obvious, sharing no code with the graph builder, so that tests can hold the exported
 * graphs to it. Modules are maps from graph tensor names to row-major arrays without the batch axis.
 */
public final class ReferenceHint {
  private final HintConfig c;
  private final Map<String, FloatTensor> p;
  private final int d;
  private final int heads;
  private final int dh;

  public ReferenceHint(HintConfig config, Map<String, FloatTensor> params) {
    this.c = config;
    this.p = params;
    this.d = config.dModel();
    this.heads = config.numHeads();
    this.dh = config.headDim();
  }

  // ---- hypernetwork ----

  public Map<String, double[]> hypernetwork(long[] instructionIds) {
    int li = instructionIds.length;
    double[][] hi = encode(instructionIds, null); // the plain encoder; no padding here, so the mask is all ones
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("instruction_states", flat(hi));
    for (int j = 0; j < c.decoderLayers(); j++) {
      String a = "decoder.layers." + j + ".cross_attn";
      m.put("instruction_cross_key." + j, keysTransposed(times(hi, a + ".k")));
      m.put("instruction_cross_value." + j, valuesByHead(times(hi, a + ".v")));
    }
    // Component embeddings attend over the encoded instruction; no bias, no residual, no norm.
    double[][] comps = matrix("hyper.components");
    double[][] q = times(comps, "hyper.attn.q");
    double[][] k = times(hi, "hyper.attn.k");
    double[][] v = times(hi, "hyper.attn.v");
    double[][] g = times(attention(q, List.of(new Block(k, v, (h, t, s) -> 0.0))), "hyper.attn.o");

    int a = c.adapterSize();
    int sa = c.adapterSlots();
    int sp = c.prefixSlots();
    int pl = c.prefixLength();
    int rowsDown = 0;
    int rowsUp = sa * a;
    int rowsBiasDown = 2 * sa * a;
    int rowsBiasUp = rowsBiasDown + sa;
    int rowsKey = rowsBiasUp + sa;
    int rowsValue = rowsKey + sp * pl;
    for (int slot = 0; slot < sa; slot++) {
      String prefix = slot < c.encoderLayers() ? "enc." + slot + "." : "dec." + (slot - c.encoderLayers()) + ".";
      m.put(prefix + "adapter_down", concatRows(head(g, rowsDown + slot * a, a, "adapter_down"))); // read as [d][A]
      m.put(prefix + "adapter_up", concatRows(head(g, rowsUp + slot * a, a, "adapter_up")));
      m.put(prefix + "adapter_bias_down", head(g, rowsBiasDown + slot, 1, "adapter_bias_down")[0]);
      m.put(prefix + "adapter_bias_up", head(g, rowsBiasUp + slot, 1, "adapter_bias_up")[0]);
    }
    for (int slot = 0; slot < sp; slot++) {
      String name;
      if (slot < c.encoderLayers()) {
        name = "enc." + slot + ".prefix_";
      } else if (slot < c.encoderLayers() + c.decoderLayers()) {
        name = "dec." + (slot - c.encoderLayers()) + ".self_prefix_";
      } else {
        name = "dec." + (slot - c.encoderLayers() - c.decoderLayers()) + ".cross_prefix_";
      }
      m.put(name + "key", keysTransposed(head(g, rowsKey + slot * pl, pl, "prefix_key")));
      m.put(name + "value", valuesByHead(head(g, rowsValue + slot * pl, pl, "prefix_value")));
    }
    return m;
  }

  /** gelu(x·wi)·wo / sqrt(d) for {@code count} rows of g starting at {@code first}. */
  private double[][] head(double[][] g, int first, int count, String kind) {
    double[][] rows = new double[count][];
    for (int r = 0; r < count; r++) {
      rows[r] = g[first + r];
    }
    double[][] hidden = times(rows, "hyper.head." + kind + ".wi");
    for (double[] row : hidden) {
      for (int i = 0; i < row.length; i++) {
        row[i] = gelu(row[i]);
      }
    }
    double[][] out = times(hidden, "hyper.head." + kind + ".wo");
    for (double[] row : out) {
      for (int i = 0; i < row.length; i++) {
        row[i] /= Math.sqrt(d);
      }
    }
    return out;
  }

  // ---- encoder and decoder ----

  /** Encoder states [L][d] of an unpadded input; {@code module} null = the empty module (plain model). */
  public double[][] encoder(long[] inputIds, Map<String, double[]> module) {
    return encode(inputIds, module);
  }

  private double[][] encode(long[] ids, Map<String, double[]> module) {
    double[][] h = embed(ids);
    for (int i = 0; i < c.encoderLayers(); i++) {
      String p = "encoder.layers." + i;
      double[][] n = rmsnorm(h, p + ".attn_norm");
      List<Block> blocks = new ArrayList<>();
      if (module != null) {
        blocks.add(prefixBlock(module, "enc." + i + ".prefix_"));
      }
      blocks.add(new Block(times(n, p + ".attn.k"), times(n, p + ".attn.v"),
          (hd, t, s) -> relativeBias("encoder.rel_bias", s - t, true, hd)));
      h = add(h, times(attention(times(n, p + ".attn.q"), blocks), p + ".attn.o"));
      n = rmsnorm(h, p + ".ffn_norm");
      h = add(h, ffn(n, p + ".ffn"));
      if (module != null) {
        h = add(h, adapter(n, module, "enc." + i + "."));
      }
    }
    return rmsnorm(h, "encoder.final_norm");
  }

  /** Logits [T][V] of every decoder position, recomputed from scratch (no cache). */
  public double[][] decoderLogits(long[] inputIds, Map<String, double[]> module, long[] decoderIds) {
    double[][] x = encode(inputIds, module);
    double[][] h = embed(decoderIds);
    for (int j = 0; j < c.decoderLayers(); j++) {
      String p = "decoder.layers." + j;
      double[][] n = rmsnorm(h, p + ".self_norm");
      List<Block> self = new ArrayList<>();
      if (module != null) {
        self.add(prefixBlock(module, "dec." + j + ".self_prefix_"));
      }
      // Causal: key s is visible to query t only when s <= t.
      self.add(new Block(times(n, p + ".self_attn.k"), times(n, p + ".self_attn.v"),
          (hd, t, s) -> s > t ? Double.NaN : relativeBias("decoder.rel_bias", s - t, false, hd)));
      h = add(h, times(attention(times(n, p + ".self_attn.q"), self), p + ".self_attn.o"));

      n = rmsnorm(h, p + ".cross_norm");
      List<Block> cross = new ArrayList<>();
      if (module != null) {
        cross.add(prefixBlock(module, "dec." + j + ".cross_prefix_"));
        cross.add(new Block(untransposeKeys(module.get("instruction_cross_key." + j)),
            unsplitValues(module.get("instruction_cross_value." + j)), (hd, t, s) -> 0.0));
      }
      cross.add(new Block(times(x, p + ".cross_attn.k"), times(x, p + ".cross_attn.v"), (hd, t, s) -> 0.0));
      h = add(h, times(attention(times(n, p + ".cross_attn.q"), cross), p + ".cross_attn.o"));

      n = rmsnorm(h, p + ".ffn_norm");
      h = add(h, ffn(n, p + ".ffn"));
      if (module != null) {
        h = add(h, adapter(n, module, "dec." + j + "."));
      }
    }
    return times(rmsnorm(h, "decoder.final_norm"), "lm_head");
  }

  // ---- attention ----

  /** Score bias of head h, query t, key s; NaN excludes the key. */
  interface Bias {
    double at(int head, int query, int key);
  }

  /** Keys and values as [Lk][H·Dh] rows (head h occupies columns h·Dh..h·Dh+Dh−1). */
  record Block(double[][] keys, double[][] values, Bias bias) {}

  /** Softmax attention of queries [T][H·Dh] over all blocks' keys together; no 1/sqrt(Dh) (T5). */
  private double[][] attention(double[][] q, List<Block> blocks) {
    double[][] out = new double[q.length][heads * dh];
    for (int hd = 0; hd < heads; hd++) {
      for (int t = 0; t < q.length; t++) {
        List<double[]> scored = new ArrayList<>(); // {score, block, key}
        double max = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < blocks.size(); b++) {
          Block blk = blocks.get(b);
          for (int s = 0; s < blk.keys().length; s++) {
            double bias = blk.bias().at(hd, t, s);
            if (Double.isNaN(bias)) {
              continue;
            }
            double score = bias;
            for (int e = 0; e < dh; e++) {
              score += q[t][hd * dh + e] * blk.keys()[s][hd * dh + e];
            }
            scored.add(new double[] {score, b, s});
            max = Math.max(max, score);
          }
        }
        double z = 0;
        for (double[] sc : scored) {
          z += Math.exp(sc[0] - max);
        }
        for (double[] sc : scored) {
          double w = Math.exp(sc[0] - max) / z;
          double[] value = blocks.get((int) sc[1]).values()[(int) sc[2]];
          for (int e = 0; e < dh; e++) {
            out[t][hd * dh + e] += w * value[hd * dh + e];
          }
        }
      }
    }
    return out;
  }

  private Block prefixBlock(Map<String, double[]> module, String name) {
    // Prefix keys/values are unprojected, never masked, without position bias.
    return new Block(untransposeKeys(module.get(name + "key")), unsplitValues(module.get(name + "value")), (h, t, s) -> 0.0);
  }

  private double relativeBias(String table, int relative, boolean bidirectional, int head) {
    int bucket = relativeBucket(relative, bidirectional, c.relativeBuckets(), c.relativeMaxDistance());
    return p.get(table).get(bucket * heads + head);
  }

  /** T5's bucket for key − query = {@code relativePosition}, with PyTorch's float32 log arithmetic. */
  public static int relativeBucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
    int bucket = 0;
    int n = numBuckets;
    int distance;
    if (bidirectional) {
      n = numBuckets / 2;
      if (relativePosition > 0) {
        bucket += n;
      }
      distance = Math.abs(relativePosition);
    } else {
      distance = relativePosition < 0 ? -relativePosition : 0;
    }
    int exact = n / 2;
    if (distance < exact) {
      return bucket + distance;
    }
    float scaled = (float) Math.log((float) distance / (float) exact);
    scaled = scaled / (float) Math.log(maxDistance / (double) exact);
    scaled = scaled * (float) (n - exact);
    int large = exact + (int) scaled;
    return bucket + Math.min(large, n - 1);
  }

  // ---- layout conversions between [L][H·Dh] rows and the graphs' per-head tensors ----

  /** [L][H·Dh] → flat [H][Dh][L]. */
  private double[] keysTransposed(double[][] rows) {
    int l = rows.length;
    double[] out = new double[heads * dh * l];
    for (int hd = 0; hd < heads; hd++) {
      for (int e = 0; e < dh; e++) {
        for (int s = 0; s < l; s++) {
          out[(hd * dh + e) * l + s] = rows[s][hd * dh + e];
        }
      }
    }
    return out;
  }

  /** [L][H·Dh] → flat [H][L][Dh]. */
  private double[] valuesByHead(double[][] rows) {
    int l = rows.length;
    double[] out = new double[heads * l * dh];
    for (int hd = 0; hd < heads; hd++) {
      for (int s = 0; s < l; s++) {
        for (int e = 0; e < dh; e++) {
          out[(hd * l + s) * dh + e] = rows[s][hd * dh + e];
        }
      }
    }
    return out;
  }

  private double[][] untransposeKeys(double[] flat) {
    int l = flat.length / (heads * dh);
    double[][] rows = new double[l][heads * dh];
    for (int hd = 0; hd < heads; hd++) {
      for (int e = 0; e < dh; e++) {
        for (int s = 0; s < l; s++) {
          rows[s][hd * dh + e] = flat[(hd * dh + e) * l + s];
        }
      }
    }
    return rows;
  }

  private double[][] unsplitValues(double[] flat) {
    int l = flat.length / (heads * dh);
    double[][] rows = new double[l][heads * dh];
    for (int hd = 0; hd < heads; hd++) {
      for (int s = 0; s < l; s++) {
        for (int e = 0; e < dh; e++) {
          rows[s][hd * dh + e] = flat[(hd * l + s) * dh + e];
        }
      }
    }
    return rows;
  }

  // ---- dense helpers ----

  private double[][] embed(long[] ids) {
    FloatTensor e = p.get("shared.embedding");
    double[][] out = new double[ids.length][d];
    for (int t = 0; t < ids.length; t++) {
      for (int i = 0; i < d; i++) {
        out[t][i] = e.get((int) ids[t] * d + i);
      }
    }
    return out;
  }

  private double[][] rmsnorm(double[][] x, String scale) {
    FloatTensor w = p.get(scale);
    double[][] out = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double ms = 0;
      for (double v : x[t]) {
        ms += v * v;
      }
      double inv = 1.0 / Math.sqrt(ms / x[t].length + c.layerNormEps());
      out[t] = new double[x[t].length];
      for (int i = 0; i < x[t].length; i++) {
        out[t][i] = x[t][i] * inv * w.get(i);
      }
    }
    return out;
  }

  private double[][] ffn(double[][] n, String p) {
    double[][] gate = times(n, p + ".wi_0");
    double[][] lin = times(n, p + ".wi_1");
    for (int t = 0; t < gate.length; t++) {
      for (int i = 0; i < gate[t].length; i++) {
        gate[t][i] = gelu(gate[t][i]) * lin[t][i];
      }
    }
    return times(gate, p + ".wo");
  }

  /** gelu(n·Wd + bd)·Wu + bu with the module's Wd read as [d][A] and Wu as [A][d]. */
  private double[][] adapter(double[][] n, Map<String, double[]> module, String prefix) {
    int a = c.adapterSize();
    double[] down = module.get(prefix + "adapter_down");
    double[] up = module.get(prefix + "adapter_up");
    double[] bd = module.get(prefix + "adapter_bias_down");
    double[] bu = module.get(prefix + "adapter_bias_up");
    double[][] out = new double[n.length][d];
    for (int t = 0; t < n.length; t++) {
      double[] hidden = new double[a];
      for (int k = 0; k < a; k++) {
        double s = bd[k];
        for (int i = 0; i < d; i++) {
          s += n[t][i] * down[i * a + k];
        }
        hidden[k] = gelu(s);
      }
      for (int i = 0; i < d; i++) {
        double s = bu[i];
        for (int k = 0; k < a; k++) {
          s += hidden[k] * up[k * d + i];
        }
        out[t][i] = s;
      }
    }
    return out;
  }

  static double gelu(double x) {
    return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }

  private double[][] matrix(String name) {
    FloatTensor t = p.get(name);
    long[] s = t.shape();
    double[][] m = new double[(int) s[0]][(int) s[1]];
    for (int r = 0; r < s[0]; r++) {
      for (int k = 0; k < s[1]; k++) {
        m[r][k] = t.get((int) (r * s[1] + k));
      }
    }
    return m;
  }

  /** x · W with W stored [in][out]. */
  private double[][] times(double[][] x, String weight) {
    FloatTensor w = p.get(weight);
    if (w == null) {
      throw new IllegalArgumentException("missing parameter " + weight);
    }
    int in = (int) w.dim(0);
    int outDim = (int) w.dim(1);
    double[][] out = new double[x.length][outDim];
    for (int t = 0; t < x.length; t++) {
      if (x[t].length != in) {
        throw new IllegalArgumentException(weight + " expects width " + in + ", got " + x[t].length);
      }
      for (int i = 0; i < in; i++) {
        double xi = x[t][i];
        for (int o = 0; o < outDim; o++) {
          out[t][o] += xi * w.get(i * outDim + o);
        }
      }
    }
    return out;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] out = new double[a.length][];
    for (int t = 0; t < a.length; t++) {
      out[t] = new double[a[t].length];
      for (int i = 0; i < a[t].length; i++) {
        out[t][i] = a[t][i] + b[t][i];
      }
    }
    return out;
  }

  private static double[] flat(double[][] m) {
    return concatRows(m);
  }

  private static double[] concatRows(double[][] rows) {
    int n = 0;
    for (double[] r : rows) {
      n += r.length;
    }
    double[] out = new double[n];
    int k = 0;
    for (double[] r : rows) {
      System.arraycopy(r, 0, out, k, r.length);
      k += r.length;
    }
    return out;
  }
}
