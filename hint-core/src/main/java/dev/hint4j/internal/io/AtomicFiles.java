package dev.hint4j.internal.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes that never leave a half-written file: data goes to a temporary file in the same
 * directory, is forced to disk, then renamed over the target in one step. A crash leaves either
 * the old file or the new one.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, byte[] data) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = createTemp(dir, target);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      move(tmp, target);
      fsyncDirectory(dir);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces directory {@code target} with {@code staged} (a complete directory on the same file
   * system): the old directory is moved aside, the new one moved in, then the old one deleted.
   */
  public static void replaceDirectory(Path staged, Path target) {
    Path backup = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
    try {
      boolean existed = Files.exists(target);
      if (existed) {
        move(target, backup);
      }
      try {
        move(staged, target);
      } catch (IOException e) {
        if (existed) {
          move(backup, target); // put the previous good directory back
        }
        throw e;
      }
      fsyncDirectory(target.toAbsolutePath().getParent());
      if (existed) {
        deleteRecursively(backup);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + staged + " to " + target + ": " + e.getMessage(), e);
    }
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A temporary file beside the target, readable by others like any ordinary file (createTempFile makes it 0600). */
  private static Path createTemp(Path dir, Path target) throws IOException {
    String prefix = "." + target.getFileName() + ".";
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return Files.createTempFile(dir, prefix, ".tmp", java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
    }
    return Files.createTempFile(dir, prefix, ".tmp");
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the rename itself is still atomic.
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort cleanup of our own temp file
      }
    }
  }
}
