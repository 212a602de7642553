package dev.hint4j.tensor;

import java.util.Arrays;
import java.util.List;

/** Joins per-row tensors of batch 1 into one batch, zero-padding one axis to the longest row. */
public final class Stacking {
  private Stacking() {}

  /**
   * Stacks tensors of shape [1, d1, .., dn] into [rows, d1', .., dn], where every dimension must
   * agree except {@code paddedAxis} (≥ 1, or -1 for none), which is padded with zeros to the largest.
   */
  public static FloatTensor stack(List<FloatTensor> rows, int paddedAxis) {
    long[] first = rows.get(0).shape();
    if (first.length == 0 || first[0] != 1) {
      throw new IllegalArgumentException("rows must have batch 1, got " + Arrays.toString(first));
    }
    long[] out = first.clone();
    out[0] = rows.size();
    for (FloatTensor t : rows) {
      long[] s = t.shape();
      if (s.length != first.length || s[0] != 1) {
        throw new IllegalArgumentException("rows differ in rank or batch: " + Arrays.toString(s) + " vs " + Arrays.toString(first));
      }
      for (int a = 1; a < s.length; a++) {
        if (a == paddedAxis) {
          out[a] = Math.max(out[a], s[a]);
        } else if (s[a] != first[a]) {
          throw new IllegalArgumentException("rows differ on axis " + a + ": " + Arrays.toString(s) + " vs " + Arrays.toString(first));
        }
      }
    }
    float[] data = new float[Math.toIntExact(FloatTensor.elementCount(out))];
    int rowSize = data.length / rows.size();
    for (int r = 0; r < rows.size(); r++) {
      copyPadded(rows.get(r), out, data, r * rowSize);
    }
    return FloatTensor.wrap(out, data);
  }

  /** Copies a [1, ..] tensor into a row of the larger [.., ..] layout {@code outShape} (batch axis ignored). */
  private static void copyPadded(FloatTensor src, long[] outShape, float[] dst, int dstOffset) {
    long[] s = src.shape();
    int rank = s.length;
    // Copy contiguous runs of the innermost dimension; walk the other axes as a mixed-radix counter.
    int inner = (int) s[rank - 1];
    int[] idx = new int[rank];
    int runs = src.size() / Math.max(1, inner);
    float[] srcData = src.toArray();
    for (int run = 0; run < runs; run++) {
      int srcOff = run * inner;
      int dstOff = 0;
      int stride = 1;
      for (int a = rank - 1; a >= 1; a--) {
        dstOff += idx[a] * stride;
        stride *= (int) outShape[a];
      }
      System.arraycopy(srcData, srcOff, dst, dstOffset + dstOff, inner);
      for (int a = rank - 2; a >= 1; a--) {
        if (++idx[a] < s[a]) {
          break;
        }
        idx[a] = 0;
      }
    }
  }
}
