package dev.hint4j.onnx.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.Value;
import dev.hint4j.onnx.testing.GraphRunner;
import dev.hint4j.tensor.FloatTensor;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The quantization math against a plain-Java decoding written from ONNX Runtime's MatMulNBits
 * spec (codes packed low bits first along K in [N, blocks, blob] bytes, one scale per block, zero
 * points packed the same way per column): every weight comes back within half a step of its block,
 * and ONNX Runtime's kernel computes the product with exactly those weights.
 */
class BlockQuantizerTest {
  /** K = 70 is not a multiple of any block size (the last block is padded); columns cover the edge cases. */
  static FloatTensor weight(int k, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[k * n];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < n; j++) {
        a[i * n + j] = switch (j) {
          case 0 -> 0f;                                  // all zero: must come back exactly
          case 1 -> 0.25f;                               // constant, all positive
          case 2 -> (float) (r.nextDouble() * 3 - 4);    // all negative
          case 3 -> i == 5 ? 40f : (float) (r.nextGaussian() * 0.01); // one outlier
          default -> (float) r.nextGaussian();
        };
      }
    }
    return FloatTensor.wrap(new long[] {k, n}, a);
  }

  /** The reference decoding: weight (k, n) from the packed tensors. */
  static float dequantize(BlockQuantizer.NBits q, int k, int n) {
    int block = k / q.blockSize();
    int inBlock = k % q.blockSize();
    int code = code(q.packed(), (n * q.blocks() + block) * q.blobSize(), inBlock, q.bits());
    int zp = code(q.zeroPoints(), n * q.zeroPointBytesPerColumn(), block, q.bits());
    return (code - zp) * q.scales()[n * q.blocks() + block];
  }

  static int code(byte[] bytes, int offset, int index, int bits) {
    int perByte = 8 / bits;
    int b = bytes[offset + index / perByte] & 0xFF;
    return (b >> (bits * (index % perByte))) & ((1 << bits) - 1);
  }

  @ParameterizedTest
  @CsvSource({"8, 16", "8, 32", "8, 128", "4, 16", "4, 32", "4, 64"})
  void roundTripIsWithinHalfAStepOfItsBlock(int bits, int blockSize) {
    int k = 70;
    int n = 9;
    FloatTensor w = weight(k, n, 3);
    BlockQuantizer.NBits q = BlockQuantizer.nBits(w, bits, blockSize);
    assertThat(q.packed()).hasSize(n * q.blocks() * blockSize * bits / 8);
    assertThat(q.scales()).hasSize(n * q.blocks());
    double worstSteps = 0;
    for (int col = 0; col < n; col++) {
      for (int i = 0; i < k; i++) {
        float step = q.scales()[col * q.blocks() + i / blockSize];
        double err = Math.abs(dequantize(q, i, col) - w.get(i * n + col));
        worstSteps = Math.max(worstSteps, err / step);
        // Half a step in exact arithmetic; the float32 scale and product add a relative error of
        // a few 1e-7 of the block's range (at most 2^bits steps), far below 1e-4 of a step.
        assertThat(err).as("weight (%d, %d), %d bits, block %d", i, col, bits, blockSize).isLessThanOrEqualTo(step * (0.5 + 1e-4));
      }
    }
    for (int i = 0; i < k; i++) {
      assertThat(dequantize(q, i, 0)).as("a zero column stays zero").isEqualTo(0f);
    }
    assertThat(worstSteps).as("rounding really happened").isGreaterThan(0.3);
    for (int i = k; i < q.blocks() * blockSize; i++) { // padding decodes to exactly zero
      assertThat(dequantize(q, i, 4)).isEqualTo(0f);
    }
  }

  @ParameterizedTest
  @CsvSource({"8, 0", "8, 4", "4, 0", "4, 4"})
  void matMulNBitsComputesTheProductWithTheDequantizedWeights(int bits, int accuracyLevel) throws Exception {
    int k = 70;
    int n = 9;
    FloatTensor w = weight(k, n, 5);
    WeightQuantization format = new WeightQuantization(WeightQuantization.Kernel.MATMUL_NBITS, bits, 32, accuracyLevel);
    BlockQuantizer.NBits q = BlockQuantizer.nBits(w, bits, 32);
    Graph g = new Graph("q");
    Value x = g.input("x", DType.FLOAT, 2, 3, k);
    g.output("y", QuantizedLinear.apply(g, x, "w", w, format));
    SplittableRandom r = new SplittableRandom(9);
    float[] xs = new float[2 * 3 * k];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (float) r.nextGaussian();
    }
    FloatTensor y;
    try (GraphRunner run = new GraphRunner(g)) {
      y = run.run(Map.of("x", FloatTensor.wrap(new long[] {2, 3, k}, xs))).get("y");
    }
    assertThat(y.shape()).containsExactly(2, 3, n);
    for (int row = 0; row < 6; row++) {
      double absMaxX = 0;
      for (int i = 0; i < k; i++) {
        absMaxX = Math.max(absMaxX, Math.abs(xs[row * k + i]));
      }
      for (int col = 0; col < n; col++) {
        double expected = 0;
        double absSum = 0;
        for (int i = 0; i < k; i++) {
          double wq = dequantize(q, i, col);
          expected += xs[row * k + i] * wq;
          absSum += Math.abs(xs[row * k + i] * wq) + Math.abs(wq);
        }
        // Level 0 computes in float32: rounding of a 70-term dot product, far below 1e-5 of its
        // terms' magnitude. Level 4 first quantizes x to int8 per block (scale = block abs-max / 127),
        // moving each x by at most half of (row abs-max / 127): the product moves by at most
        // that times sum |w|, which the bound below adds (absSum includes sum |w|).
        double tolerance = 1e-5 * absSum + (accuracyLevel == 4 ? absMaxX / 254 * absSum : 0);
        assertThat((double) y.get(row * n + col)).as("row %d col %d, %d bits, level %d", row, col, bits, accuracyLevel)
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
      }
    }
  }
}
