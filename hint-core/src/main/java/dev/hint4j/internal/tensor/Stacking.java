package dev.hint4j.internal.tensor;

import dev.hint4j.tensor.FloatTensor;
import java.nio.FloatBuffer;
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
    long[] out = stackedShape(rows, paddedAxis);
    float[] data = new float[Math.toIntExact(FloatTensor.elementCount(out))];
    stackInto(rows, out, FloatBuffer.wrap(data));
    return FloatTensor.wrap(out, data);
  }

  /** The shape {@link #stack} produces; checks that the rows can be stacked. */
  public static long[] stackedShape(List<FloatTensor> rows, int paddedAxis) {
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
    return out;
  }

  /**
   * Writes the stacked rows into {@code dst} (absolute positions from 0, e.g. a reused direct
   * buffer for the runtime, so the rows are copied once), zeros included: whatever {@code dst}
   * held before is overwritten.
   */
  public static void stackInto(List<FloatTensor> rows, long[] outShape, FloatBuffer dst) {
    int rowSize = Math.toIntExact(FloatTensor.elementCount(outShape) / rows.size());
    for (int r = 0; r < rows.size(); r++) {
      FloatTensor row = rows.get(r);
      if (row.size() < rowSize) {
        fillZeros(dst, r * rowSize, rowSize); // padding
      }
      copyPadded(row, outShape, dst, r * rowSize);
    }
  }

  private static final float[] ZEROS = new float[4096];

  private static void fillZeros(FloatBuffer dst, int from, int count) {
    for (int done = 0; done < count; done += ZEROS.length) {
      dst.put(from + done, ZEROS, 0, Math.min(ZEROS.length, count - done));
    }
  }

  /** Copies a [1, ..] tensor into a row of the larger layout {@code outShape} (batch axis ignored). */
  private static void copyPadded(FloatTensor src, long[] outShape, FloatBuffer dst, int dstOffset) {
    long[] s = src.shape();
    int rank = s.length;
    // The public read-only view (no copy): this package cannot reach FloatTensor's backing array.
    FloatBuffer srcData = src.buffer();
    if (Arrays.equals(s, 1, rank, outShape, 1, rank)) {
      dst.put(dstOffset, srcData, 0, src.size()); // no padding in this row: one copy
      return;
    }
    // Copy contiguous runs of the innermost dimension; walk the other axes as a mixed-radix counter.
    int inner = (int) s[rank - 1];
    int[] outStride = new int[rank];
    outStride[rank - 1] = 1;
    for (int a = rank - 2; a >= 1; a--) {
      outStride[a] = outStride[a + 1] * (int) outShape[a + 1];
    }
    int[] idx = new int[rank];
    int runs = src.size() / Math.max(1, inner);
    int dstOff = 0;
    for (int run = 0; run < runs; run++) {
      dst.put(dstOffset + dstOff, srcData, run * inner, inner);
      for (int a = rank - 2; a >= 1; a--) {
        if (++idx[a] < s[a]) {
          dstOff += outStride[a];
          break;
        }
        dstOff -= (idx[a] - 1) * outStride[a];
        idx[a] = 0;
      }
    }
  }
}
