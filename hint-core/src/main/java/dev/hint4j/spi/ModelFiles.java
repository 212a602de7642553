package dev.hint4j.spi;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/** Read access to the files of a model, wherever they live (a directory or the classpath). */
public interface ModelFiles {
  /** The directory, when the model is on disk (needed for graphs with external data). */
  Optional<Path> directory();

  /** The bytes of one file named in the manifest. */
  byte[] read(String fileName);

  /**
   * A stream over one file, for reading large files (external weights) without holding them in
   * memory. The default reads the whole file; sources on disk or the classpath stream it.
   */
  default InputStream open(String fileName) {
    return new ByteArrayInputStream(read(fileName));
  }
}
