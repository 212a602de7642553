package dev.hint4j.onnx.arch;

import dev.hint4j.tensor.FloatTensor;

/**
 * Weight-only quantization of a float32 matmul weight W [K, N] (stored [in, out]) into the tensors
 * of ONNX Runtime's quantized matmul kernels. Every weight is reconstructed as
 * {@code (q − zeroPoint) · scale} with an error of at most half a step ({@code scale / 2}) of its
 * block: each block's range is widened to include 0, so the zero point is a whole code and the
 * rounded codes of the range's ends overshoot the code range by at most half a step (then clamp).
 */
public final class BlockQuantizer {
  private BlockQuantizer() {}

  /**
   * MatMulNBits inputs: {@code packed} [N, blocks, blockSize·bits/8] uint8, codes low bits first
   * along K (for 4 bits, K index 2i in the low nibble of byte i); {@code scales} [N·blocks];
   * {@code zeroPoints} [N·ceil(blocks·bits/8)] uint8, packed the same way per output channel.
   * K beyond the last full block is padded with zeros (reconstructed exactly).
   */
  public record NBits(int k, int n, int bits, int blockSize, byte[] packed, float[] scales, byte[] zeroPoints) {
    public int blocks() {
      return (k + blockSize - 1) / blockSize;
    }

    public int blobSize() {
      return blockSize * bits / 8;
    }

    public int zeroPointBytesPerColumn() {
      return (blocks() * bits + 7) / 8;
    }
  }

  public static NBits nBits(FloatTensor w, int bits, int blockSize) {
    if (w.rank() != 2) {
      throw new IllegalArgumentException("quantizing needs a [K, N] weight, got rank " + w.rank());
    }
    if (bits != 8 && bits != 4) {
      throw new IllegalArgumentException("MatMulNBits packs 8 or 4 bits, not " + bits);
    }
    int k = Math.toIntExact(w.shape()[0]);
    int n = Math.toIntExact(w.shape()[1]);
    float[] a = w.toArray();
    int blocks = (k + blockSize - 1) / blockSize;
    int blob = blockSize * bits / 8;
    int zpBytes = (blocks * bits + 7) / 8;
    int qmax = (1 << bits) - 1;
    byte[] packed = new byte[n * blocks * blob];
    float[] scales = new float[n * blocks];
    byte[] zeroPoints = new byte[n * zpBytes];
    int[] codes = new int[blockSize];
    for (int col = 0; col < n; col++) {
      for (int b = 0; b < blocks; b++) {
        int k0 = b * blockSize;
        int k1 = Math.min(k, k0 + blockSize);
        float lo = 0;
        float hi = 0;
        for (int i = k0; i < k1; i++) {
          lo = Math.min(lo, a[i * n + col]);
          hi = Math.max(hi, a[i * n + col]);
        }
        float scale = hi > lo ? (float) (((double) hi - lo) / qmax) : 1f; // an all-zero block: any scale is exact
        int zp = clamp(Math.round(-lo / scale), qmax);
        for (int i = 0; i < blockSize; i++) {
          codes[i] = k0 + i < k1 ? clamp(Math.round(a[(k0 + i) * n + col] / scale) + zp, qmax) : zp;
        }
        scales[col * blocks + b] = scale;
        pack(codes, bits, packed, (col * blocks + b) * blob);
        putCode(zeroPoints, col * zpBytes, b, zp, bits);
      }
    }
    return new NBits(k, n, bits, blockSize, packed, scales, zeroPoints);
  }

  private static int clamp(int q, int qmax) {
    return Math.max(0, Math.min(qmax, q));
  }

  private static void pack(int[] codes, int bits, byte[] out, int offset) {
    for (int i = 0; i < codes.length; i++) {
      putCode(out, offset, i, codes[i], bits);
    }
  }

  /** Writes code number {@code index} of a low-bits-first packed run starting at {@code offset}. */
  private static void putCode(byte[] out, int offset, int index, int code, int bits) {
    if (bits == 8) {
      out[offset + index] = (byte) code;
    } else {
      int at = offset + index / 2;
      int shift = (index % 2) * 4;
      out[at] = (byte) ((out[at] & ~(0xF << shift)) | (code << shift));
    }
  }
}
