package dev.hint4j.benchmarks;

import dev.hint4j.HintModel;
import dev.hint4j.ModelManifest;
import dev.hint4j.examples.Median;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * What verifying a model's files costs at load: per round, one full {@code HintModel} load (which
 * streams every file the manifest names through SHA-256, external weights included) and, on its
 * own, the same streamed SHA-256 over those files, interleaved so machine noise hits both alike.
 * Prints medians and the hashing's share of the load. Files are in the page cache after the first
 * round, so this is the CPU cost; a cold load adds one read of each file from disk.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.LoadVerifyBench [--reps 9] [--demo DIR]}
 */
public final class LoadVerifyBench {
  private LoadVerifyBench() {}

  public static void main(String[] args) {
    int reps = 9;
    Path demo = Path.of("hint-examples/src/main/resources/dev/hint4j/models/demo");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        case "--demo" -> demo = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --reps N, --demo DIR");
      }
    }
    for (Path dir : List.of(demo, BenchModels.ensure(BenchModels.T5_SMALL))) {
      run(dir, reps);
    }
  }

  private static void run(Path dir, int reps) {
    ModelManifest manifest = ModelManifest.fromJson(read(dir.resolve(ModelManifest.FILE_NAME)));
    long bytes = 0;
    for (ModelManifest.FileEntry f : manifest.files().values()) {
      bytes += dir.resolve(f.file()).toFile().length();
    }
    List<Double> loadMs = new ArrayList<>();
    List<Double> hashMs = new ArrayList<>();
    for (int r = -1; r < reps; r++) { // round -1 warms the page cache and the JIT
      long t0 = System.nanoTime();
      try (HintModel m = HintModel.builder().modelDir(dir).build()) {
        m.fingerprint();
      }
      long t1 = System.nanoTime();
      for (ModelManifest.FileEntry f : manifest.files().values()) {
        sha256(dir.resolve(f.file()));
      }
      long t2 = System.nanoTime();
      if (r >= 0) {
        loadMs.add((t1 - t0) / 1e6);
        hashMs.add((t2 - t1) / 1e6);
      }
    }
    double load = Median.of(loadMs);
    double hash = Median.of(hashMs);
    System.out.printf("%s: %d files, %.1f MiB; load (verification included) median %.1f ms; streamed SHA-256 of every file"
        + " median %.1f ms (%.0f MiB/s) = %.1f %% of the load (%d rounds)%n", manifest.name(), manifest.files().size(),
        bytes / 1048576.0, load, hash, bytes / 1048576.0 / (hash / 1000), 100 * hash / load, reps);
  }

  private static void sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16]; // as the loader's
      for (int n; (n = in.read(buffer)) > 0; ) {
        d.update(buffer, 0, n);
      }
      d.digest();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
