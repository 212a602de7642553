package dev.hint4j.benchmarks;

import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.examples.Quickstart;
import dev.hint4j.onnx.arch.WeightQuantization;
import dev.hint4j.onnx.export.ExportedWeights;
import dev.hint4j.onnx.export.RandomModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The models the benchmarks run on:
 * <ul>
 *   <li>{@value #DEMO}: the shipped demo model (d 128, 3+3 layers, vocabulary 444), from the classpath;</li>
 *   <li>{@value #T5_SMALL}: T5-small-shaped random weights (d 512, 8 heads, 6+6 layers, gated FFN
 *       1024, 32,128 embedding rows, adapters 64, prefixes 30), built under
 *       {@code target/bench-models} on first use (about 20 s), never committed;</li>
 *   <li>{@value #T5_SMALL_NO_KV}: the same weights, but modules carry only the encoded instruction,
 *       so every batch re-projects it into each decoder layer's keys/values (the cache-off case);</li>
 *   <li>{@value #T5_SMALL}{@code -FORMAT}: the same weights exported with the encoder's and decoder's
 *       matmul weights in a {@link WeightQuantization} format, e.g. {@value #T5_SMALL_INT8};</li>
 *   <li>{@value #DEMO}{@code -FORMAT}: the demo model's weights exported again in that format
 *       (with this build's graphs; {@value #DEMO_SHIPPED} is the shipped directory as is).</li>
 * </ul>
 * Built models are kept; delete {@code target/bench-models} after changing how graphs are built.
 */
public final class BenchModels {
  public static final String DEMO = "demo";
  public static final String T5_SMALL = "t5small";
  public static final String T5_SMALL_NO_KV = "t5small-nokv";
  public static final String T5_SMALL_INT8 = "t5small-int8";
  /** A copy of the shipped demo model's files in a directory (its graphs as shipped, for re-exports and kernel counts). */
  public static final String DEMO_SHIPPED = "demo-shipped";
  public static final String T5_SMALL_INT4 = "t5small-int4";
  /** Where built models go; {@code -Dhint4j.bench.models=DIR} moves them. */
  static final Path ROOT = Path.of(System.getProperty("hint4j.bench.models", "target/bench-models"));

  private BenchModels() {}

  public static HintModel open(String name) {
    return open(name, 0);
  }

  /** @param intraOpThreads ONNX Runtime's threads per session; 0 = its default (one per core) */
  public static HintModel open(String name, int intraOpThreads) {
    HintModel.Builder b = HintModel.builder().intraOpThreads(intraOpThreads);
    return (name.equals(DEMO) ? b.classpathModel(Quickstart.DEMO_MODEL) : b.modelDir(ensure(name))).build();
  }

  /** The directory of a random model, built when missing. */
  public static Path ensure(String name) {
    Path dir = ROOT.resolve(name);
    if (Files.exists(dir.resolve("hint-model.json"))) {
      return dir;
    }
    if (name.equals(DEMO_SHIPPED)) {
      copyDemo(dir);
      return dir;
    }
    if (name.startsWith(DEMO + "-")) { // the shipped demo model, exported again in another weight format
      Path fp32 = ensure(DEMO_SHIPPED);
      System.err.println("exporting " + dir + " from the demo model (once) ...");
      ExportedWeights.reexport(fp32, dir, WeightQuantization.parse(name.substring(DEMO.length() + 1)));
      return dir;
    }
    boolean cacheKv = true;
    WeightQuantization weights = WeightQuantization.FLOAT32;
    if (name.equals(T5_SMALL_NO_KV)) {
      cacheKv = false;
    } else if (name.startsWith(T5_SMALL + "-")) {
      weights = WeightQuantization.parse(name.substring(T5_SMALL.length() + 1));
    } else if (!name.equals(T5_SMALL)) {
      throw new IllegalArgumentException("unknown benchmark model '" + name + "'; use "
          + DEMO + ", " + T5_SMALL + ", " + T5_SMALL_NO_KV + " or " + T5_SMALL + "-FORMAT (FORMAT: int8, int4, ...)");
    }
    System.err.println("building random model " + dir + " (once) ...");
    RandomModel.create(dir, HintConfig::t5SmallShaped, 32128, 1, true, cacheKv, weights);
    return dir;
  }

  /** The demo model's files, copied from the classpath into {@code dir}. */
  private static void copyDemo(Path dir) {
    try {
      Files.createDirectories(dir);
      for (String f : new String[] {"hint-model.json", "hypernetwork.onnx", "encoder.onnx", "decoder.onnx", "tokenizer.json"}) {
        try (InputStream in = BenchModels.class.getClassLoader().getResourceAsStream(Quickstart.DEMO_MODEL + "/" + f)) {
          Files.write(dir.resolve(f), in.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the demo model to " + dir, e);
    }
  }
}
