package dev.hint4j.onnx.testing;

import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.ModelManifest;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.export.RandomModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One tiny random model per test JVM, exported once to a temporary directory. */
public final class TinyModel {
  public static final long SEED = 11;
  private static Path dir;
  private static ModelManifest manifest;

  private TinyModel() {}

  public static synchronized Path dir() {
    if (dir == null) {
      try {
        Path root = Files.createTempDirectory("hint4j-tiny");
        root.toFile().deleteOnExit();
        dir = root.resolve("model");
        manifest = RandomModel.create(dir, HintConfig::tiny, 0, SEED, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  /** A model loaded from {@link #dir()}; the caller closes it (e.g. a {@code @AutoClose} field). */
  public static HintModel open() {
    return HintModel.builder().modelDir(dir()).build();
  }

  /** The weights inside the exported model (same config and seed). */
  public static HintWeights weights() {
    dir();
    return HintWeights.random(manifest.config(), SEED);
  }
}
