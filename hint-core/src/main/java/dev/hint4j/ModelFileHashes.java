package dev.hint4j;

import dev.hint4j.spi.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks every file a manifest names against its SHA-256 before a model is used: graphs,
 * tokenizer and external weights alike. Streamed through a small buffer, so a weights file of any
 * size is never held in memory for this.
 */
final class ModelFileHashes {
  private static final int BUFFER_BYTES = 1 << 16;

  private ModelFileHashes() {}

  /** @throws ModelLoadException naming the first file that is missing, unreadable or has another hash */
  static void verifyAll(ModelFiles files, ModelManifest manifest) {
    for (ModelManifest.FileEntry f : manifest.files().values()) {
      check(f.file(), f.sha256(), sha256(files, f.file()));
    }
  }

  static void check(String fileName, String expected, String found) {
    if (!found.equalsIgnoreCase(expected)) {
      throw new ModelLoadException(fileName + " does not match its sha256 in " + ModelManifest.FILE_NAME
          + " (expected " + expected + ", found " + found + "): the file is corrupt or from another model");
    }
  }

  private static String sha256(ModelFiles files, String fileName) {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = files.open(fileName)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ModelLoadException("cannot read " + fileName + " of " + files + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
