package dev.hint4j.onnx.reference;

import java.util.List;

/**
 * T5 multi-head attention over key/value <em>blocks</em> (ARCHITECTURE.md, "Attention"): the
 * blocks are concatenated along the key axis and one softmax runs over all their columns. Scores
 * are raw dot products plus the additive bias; T5 has no 1/sqrt(Dh) scaling.
 *
 * <p>Keys and values are held here as [L][H·Dh] (one row per position, heads side by side), the
 * layout that {@code x · W} produces. The converters below move between that and the per-head
 * layouts of the graph tensors: keys [H][Dh][L], values [H][L][Dh].
 */
final class Attention {
  /** The additive score bias of a masked-out column: {@code (0 − 1)·1e9}. */
  static final double MASKED = -1e9;

  private Attention() {}

  /**
   * One block of keys and values with its own bias.
   *
   * @param keys [Lk][H·Dh]
   * @param values [Lk][H·Dh]
   * @param bias [H][Lq][Lk], added to the scores
   */
  record Block(double[][] keys, double[][] values, double[][][] bias) {}

  /** The score bias of a mask value m: 0 for a real token (m = 1), −1e9 for padding (m = 0). */
  static double maskBias(double m) {
    return (m - 1) * 1e9;
  }

  /**
   * Attention of projected queries {@code q} [Lq][H·Dh] over the blocks; returns the weighted
   * values with heads merged back, [Lq][H·Dh] (the caller applies the output projection).
   */
  static double[][] attend(double[][] q, List<Block> blocks, int heads, int headDim) {
    double[][] k = Mat.concatRows(blocks.stream().map(Block::keys).toArray(double[][][]::new));
    double[][] v = Mat.concatRows(blocks.stream().map(Block::values).toArray(double[][][]::new));
    int lq = q.length;
    int lk = k.length;
    double[][][] bias = new double[heads][lq][lk];
    int col = 0;
    for (Block b : blocks) {
      int width = b.keys().length;
      if (b.values().length != width || b.bias().length != heads) {
        throw new IllegalArgumentException("block with " + width + " keys, " + b.values().length
            + " values and bias for " + b.bias().length + " heads");
      }
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < lq; i++) {
          if (b.bias()[h][i].length != width) {
            throw new IllegalArgumentException("bias row of " + b.bias()[h][i].length + " for " + width + " keys");
          }
          System.arraycopy(b.bias()[h][i], 0, bias[h][i], col, width);
        }
      }
      col += width;
    }

    double[][] out = new double[lq][heads * headDim];
    for (int h = 0; h < heads; h++) {
      int off = h * headDim;
      for (int i = 0; i < lq; i++) {
        double[] scores = new double[lk];
        for (int j = 0; j < lk; j++) {
          double s = 0;
          for (int e = 0; e < headDim; e++) {
            s += q[i][off + e] * k[j][off + e];
          }
          scores[j] = s + bias[h][i][j];
        }
        double[] w = softmax(scores);
        for (int j = 0; j < lk; j++) {
          for (int e = 0; e < headDim; e++) {
            out[i][off + e] += w[j] * v[j][off + e];
          }
        }
      }
    }
    return out;
  }

  /** Numerically stable softmax: subtracting the max changes nothing mathematically. */
  static double[] softmax(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double[] out = new double[x.length];
    double sum = 0;
    for (int j = 0; j < x.length; j++) {
      out[j] = Math.exp(x[j] - max);
      sum += out[j];
    }
    for (int j = 0; j < x.length; j++) {
      out[j] /= sum;
    }
    return out;
  }

  /** A bias [H][Lq][Lk] that depends only on the key column (mask biases). */
  static double[][][] columnBias(int heads, int lq, double[] perColumn) {
    double[][][] b = new double[heads][lq][];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < lq; i++) {
        b[h][i] = perColumn.clone();
      }
    }
    return b;
  }

  /** A bias of mask biases {@code (m − 1)·1e9} for the given mask, one per key column. */
  static double[][][] maskBias(int heads, int lq, double[] mask) {
    double[] perColumn = new double[mask.length];
    for (int j = 0; j < mask.length; j++) {
      perColumn[j] = maskBias(mask[j]);
    }
    return columnBias(heads, lq, perColumn);
  }

  /** [L][H·Dh] → keys stored per head transposed, [H][Dh][L], flattened row-major. */
  static double[] toKeyLayout(double[][] x, int heads, int headDim) {
    int l = x.length;
    double[] out = new double[heads * headDim * l];
    for (int h = 0; h < heads; h++) {
      for (int e = 0; e < headDim; e++) {
        for (int p = 0; p < l; p++) {
          out[(h * headDim + e) * l + p] = x[p][h * headDim + e];
        }
      }
    }
    return out;
  }

  /** [L][H·Dh] → values stored per head, [H][L][Dh], flattened row-major. */
  static double[] toValueLayout(double[][] x, int heads, int headDim) {
    int l = x.length;
    double[] out = new double[heads * headDim * l];
    for (int h = 0; h < heads; h++) {
      for (int p = 0; p < l; p++) {
        for (int e = 0; e < headDim; e++) {
          out[(h * l + p) * headDim + e] = x[p][h * headDim + e];
        }
      }
    }
    return out;
  }

  /** Inverse of {@link #toKeyLayout}: flat [H][Dh][L] → [L][H·Dh]. */
  static double[][] fromKeyLayout(double[] flat, int heads, int headDim) {
    int l = flat.length / (heads * headDim);
    double[][] out = new double[l][heads * headDim];
    for (int h = 0; h < heads; h++) {
      for (int e = 0; e < headDim; e++) {
        for (int p = 0; p < l; p++) {
          out[p][h * headDim + e] = flat[(h * headDim + e) * l + p];
        }
      }
    }
    return out;
  }

  /** Inverse of {@link #toValueLayout}: flat [H][L][Dh] → [L][H·Dh]. */
  static double[][] fromValueLayout(double[] flat, int heads, int headDim) {
    int l = flat.length / (heads * headDim);
    double[][] out = new double[l][heads * headDim];
    for (int h = 0; h < heads; h++) {
      for (int p = 0; p < l; p++) {
        for (int e = 0; e < headDim; e++) {
          out[p][h * headDim + e] = flat[(h * l + p) * headDim + e];
        }
      }
    }
    return out;
  }
}
