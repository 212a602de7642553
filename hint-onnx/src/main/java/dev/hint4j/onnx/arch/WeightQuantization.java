package dev.hint4j.onnx.arch;

import java.util.Locale;

/**
 * How an exported model stores the weights of its encoder and decoder matmuls (the LM head
 * included): float32, or weight-only quantized for one of ONNX Runtime's quantized kernels. The
 * hypernetwork, the embedding, norms and biases always stay float32, so a quantized model compiles
 * exactly the task modules its float32 original compiles; activations stay float32 throughout.
 *
 * @param kernel how the quantized matmul runs
 * @param bits bits per weight (8 or 4; 32 for float32)
 * @param blockSize weights along the input axis that share one scale and zero point
 *     ({@link Kernel#MATMUL_NBITS}; a power of two of at least 16); 0 = one per output channel
 * @param accuracyLevel MatMulNBits' accuracy_level: 4 quantizes the activations to int8 per block
 *     and runs integer dot products (VNNI), 0 dequantizes weights to float32 inside the kernel
 */
public record WeightQuantization(Kernel kernel, int bits, int blockSize, int accuracyLevel) {
  /** The operator a quantized linear layer becomes. */
  public enum Kernel {
    /** Plain float32 MatMul. */
    NONE,
    /**
     * com.microsoft MatMulNBits: weights block-quantized along K, stored [N, blocks, blob] uint8.
     * (DynamicQuantizeMatMul, int8 per output channel with activations quantized per tensor, was
     * measured as fast here but has no 4-bit form and coarser activation scales: dropped.)
     */
    MATMUL_NBITS
  }

  public static final WeightQuantization FLOAT32 = new WeightQuantization(Kernel.NONE, 32, 0, 0);
  /**
   * int8 MatMulNBits, blocks of 128 along K, integer compute: the int8 export. Blocks of 128 cost
   * 4 % more bytes than per-channel scales and ran as fast as or faster than blocks of 32 or 256
   * on the T5-small shape here (benchmarks/README.md).
   */
  public static final WeightQuantization INT8 = new WeightQuantization(Kernel.MATMUL_NBITS, 8, 128, 4);
  /** 4-bit MatMulNBits, blocks of 32 along K (4 bits need the finer blocks for accuracy), integer compute. */
  public static final WeightQuantization INT4 = new WeightQuantization(Kernel.MATMUL_NBITS, 4, 32, 4);

  public WeightQuantization {
    if (kernel == null) {
      throw new IllegalArgumentException("weight quantization needs a kernel (NONE for float32)");
    }
    switch (kernel) {
      case NONE -> {
        if (bits != 32) {
          throw new IllegalArgumentException("float32 weights have 32 bits, not " + bits);
        }
      }
      case MATMUL_NBITS -> {
        if (bits != 8 && bits != 4) {
          throw new IllegalArgumentException("MatMulNBits weights have 8 or 4 bits, not " + bits);
        }
        if (blockSize < 16 || blockSize > 256 || Integer.bitCount(blockSize) != 1) { // ONNX Runtime's CPU kernel takes these
          throw new IllegalArgumentException("MatMulNBits block size must be 16, 32, 64, 128 or 256, not " + blockSize);
        }
        if (accuracyLevel < 0 || accuracyLevel > 4) {
          throw new IllegalArgumentException("MatMulNBits accuracy level is 0..4, not " + accuracyLevel);
        }
      }
    }
  }

  public boolean quantized() {
    return kernel != Kernel.NONE;
  }

  /**
   * Parses an export flag: {@code fp32}, {@code int8}, {@code int4}, optionally with
   * {@code :block=N} and {@code :accuracy=N}.
   */
  public static WeightQuantization parse(String spec) {
    String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
    WeightQuantization q = switch (parts[0]) {
      case "fp32", "float32" -> FLOAT32;
      case "int8" -> INT8;
      case "int4" -> INT4;
      default -> throw new IllegalArgumentException("unknown weight format '" + spec
          + "'; use fp32, int8 or int4, optionally followed by :block=N and :accuracy=N");
    };
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length != 2 || q.kernel != Kernel.MATMUL_NBITS) {
        throw new IllegalArgumentException("in weight format '" + spec + "': '" + parts[i]
            + "' is not an option; int8 and int4 take block=N and accuracy=N");
      }
      int v;
      try {
        v = Integer.parseInt(kv[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("in weight format '" + spec + "': " + kv[0] + " needs a whole number", e);
      }
      q = switch (kv[0]) {
        case "block" -> new WeightQuantization(q.kernel, q.bits, v, q.accuracyLevel);
        case "accuracy" -> new WeightQuantization(q.kernel, q.bits, q.blockSize, v);
        default -> throw new IllegalArgumentException("in weight format '" + spec + "': unknown option '" + kv[0]
            + "'; use block=N or accuracy=N");
      };
    }
    return q;
  }

  /** The manifest's and the flags' name of this format; {@link #parse} reads it back. */
  public String id() {
    return switch (kernel) {
      case NONE -> "fp32";
      case MATMUL_NBITS -> "int" + bits + ":block=" + blockSize + ":accuracy=" + accuracyLevel;
    };
  }

  /** Bytes the weights of a [k, n] matmul occupy in this format (data, scales and zero points). */
  public long weightBytes(long k, long n) {
    return switch (kernel) {
      case NONE -> 4 * k * n;
      case MATMUL_NBITS -> {
        long blocks = (k + blockSize - 1) / blockSize;
        yield n * blocks * blockSize * bits / 8 + 4 * n * blocks + n * ((blocks * bits + 7) / 8);
      }
    };
  }
}
