package dev.hint4j.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the final step of a write fails, the previous good file or directory is what remains. */
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void aWriteThatCannotBeRenamedInLeavesTheTargetAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("module.bin");
    Files.createDirectories(target.resolve("occupied")); // a non-empty directory: the rename over it fails
    assertThatThrownBy(() -> AtomicFiles.write(target, new byte[] {1, 2, 3}))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("module.bin");
    assertThat(target.resolve("occupied")).isDirectory();
    assertThat(names(dir)).containsExactly("module.bin"); // the temporary file was removed
  }

  @Test
  void aSuccessfulWriteReplacesTheWholeFile() throws IOException {
    Path target = dir.resolve("a.txt");
    AtomicFiles.write(target, "old and longer".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(target)).isEqualTo("new");
    assertThat(names(dir)).containsExactly("a.txt");
  }

  @Test
  void aFailedDirectoryReplacementPutsThePreviousDirectoryBack() throws IOException {
    Path target = dir.resolve("model");
    Files.createDirectories(target);
    Files.writeString(target.resolve("hint-model.json"), "previous");
    Path missingStage = dir.resolve("staged-but-never-written");
    assertThatThrownBy(() -> AtomicFiles.replaceDirectory(missingStage, target)).isInstanceOf(UncheckedIOException.class);
    assertThat(Files.readString(target.resolve("hint-model.json"))).isEqualTo("previous");
    assertThat(names(dir)).containsExactly("model"); // no backup left beside it
  }

  @Test
  void aProcessKilledMidWriteLeavesACompleteFile() throws Exception {
    Path target = dir.resolve("checkpoint.bin");
    Files.write(target, Writer.content((byte) 1));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Writer.class.getName(), target.toString())
        .redirectErrorStream(true).start();
    try {
      // Kill it (SIGKILL: no shutdown hooks, no cleanup) while it has a temporary file open.
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (names(dir).size() < 2 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(names(dir)).as("the writer started a temporary file").hasSizeGreaterThanOrEqualTo(2);
    } finally {
      child.destroyForcibly().waitFor();
    }
    byte[] after = Files.readAllBytes(target);
    assertThat(after).hasSize(Writer.SIZE);
    byte first = after[0];
    assertThat(first).isIn((byte) 1, (byte) 2);
    for (byte b : after) {
      if (b != first) {
        throw new AssertionError("the target mixes two writes: it was left half-written");
      }
    }
  }

  /** Child process: rewrites the target forever, alternating two complete contents. */
  public static final class Writer {
    static final int SIZE = 16 << 20;

    static byte[] content(byte fill) {
      byte[] b = new byte[SIZE];
      java.util.Arrays.fill(b, fill);
      return b;
    }

    public static void main(String[] args) {
      Path target = Path.of(args[0]);
      byte[][] contents = {content((byte) 2), content((byte) 1)};
      for (int i = 0; ; i++) {
        AtomicFiles.write(target, contents[i % 2]);
      }
    }
  }

  private static java.util.List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
