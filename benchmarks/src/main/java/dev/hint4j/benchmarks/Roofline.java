package dev.hint4j.benchmarks;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.arch.WeightQuantization;
import dev.hint4j.tensor.FloatTensor;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The memory-bandwidth bound of batch-1 generation: every decoder step reads all decoder weights
 * and the LM head, and the encoder pass reads the encoder weights once, so an input cannot take
 * less than (weight bytes streamed) / (memory bandwidth). Measured here with a plain read of a
 * large array on all cores, so the bound uses this machine's number, not a datasheet's.
 */
final class Roofline {
  /** Above this many bytes per decoder step the weights cannot stay in a server CPU's caches (a generous 64 MB). */
  static final long CACHE_BYTES = 64L << 20;

  private Roofline() {}

  /**
   * Float32 weight bytes read to answer one input with {@code outputTokens} generated tokens
   * (batch 1): the encoder's weights and the decoder's cross-attention key/value projections (which
   * run once, on the encoder output), then every other decoder weight and the LM head per step.
   * The embedding is gathered (a few rows); the hypernetwork does not run per input.
   */
  static long weightBytesPerInput(HintConfig c, int outputTokens) {
    return weightBytesPerInput(c, outputTokens, WeightQuantization.FLOAT32);
  }

  /**
   * As above with the encoder's and decoder's matmul weights (rank 2, LM head included) in
   * {@code format}: quantized codes plus their scales and zero points; norms and biases stay float32.
   */
  static long weightBytesPerInput(HintConfig c, int outputTokens, WeightQuantization format) {
    long once = 0;
    long perStep = 0;
    for (Map.Entry<String, long[]> e : HintWeights.shapes(c).entrySet()) {
      long[] shape = e.getValue();
      long bytes = shape.length == 2 && !e.getKey().endsWith("rel_bias")
          ? format.weightBytes(shape[0], shape[1]) : 4 * FloatTensor.elementCount(shape);
      String n = e.getKey();
      if (n.startsWith("encoder.") || n.endsWith(".cross_attn.k") || n.endsWith(".cross_attn.v")) {
        once += bytes;
      } else if (n.startsWith("decoder.") || n.equals("lm_head")) {
        perStep += bytes;
      }
    }
    return once + outputTokens * perStep;
  }

  /** Bytes of the task's cached instruction keys and values that every decoder step reads (float32). */
  static long instructionKvBytesPerInput(HintConfig c, int instructionTokens, int outputTokens) {
    return (long) outputTokens * c.decoderLayers() * 2L * instructionTokens * c.innerDim() * 4;
  }

  /** Best of five timed sums over a 512 MiB array split across all cores, in bytes per second. */
  static double readBandwidth() {
    long[] data = new long[64 << 20];
    java.util.Arrays.setAll(data, i -> i);
    int threads = Runtime.getRuntime().availableProcessors();
    int chunk = data.length / threads;
    double best = 0;
    long sink = 0;
    for (int round = 0; round < 6; round++) {
      long start = System.nanoTime();
      sink += IntStream.range(0, threads).parallel().mapToLong(t -> {
        long s = 0;
        for (int i = t * chunk, end = i + chunk; i < end; i++) {
          s += data[i];
        }
        return s;
      }).sum();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (round > 0) { // the first round warms up the JIT
        best = Math.max(best, 8.0 * data.length / seconds);
      }
    }
    if (sink == 42) {
      System.out.print(""); // keeps the sums observable
    }
    return best;
  }
}
