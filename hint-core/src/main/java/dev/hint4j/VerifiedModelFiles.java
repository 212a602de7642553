package dev.hint4j;

import com.google.common.hash.Hashing;
import dev.hint4j.spi.ModelFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A model's files as a backend may read them: every file the manifest names was checked against
 * its SHA-256 when this was made (external data too, which backends read by path), and every
 * {@link #read} hashes the bytes it returns again, so what a backend parses is what the manifest
 * vouches for whatever happened to the file since. Files the manifest does not name are refused.
 */
final class VerifiedModelFiles implements ModelFiles {
  private final ModelFiles source;
  private final Map<String, String> sha256ByFile = new LinkedHashMap<>();

  private VerifiedModelFiles(ModelFiles source, ModelManifest manifest) {
    this.source = source;
    for (ModelManifest.FileEntry f : manifest.files().values()) {
      sha256ByFile.put(f.file(), f.sha256());
    }
  }

  /** @throws ModelLoadException naming the first file that is missing, unreadable or has another hash */
  static VerifiedModelFiles verify(ModelFiles source, ModelManifest manifest) {
    ModelFileHashes.verifyAll(source, manifest);
    return new VerifiedModelFiles(source, manifest);
  }

  @Override
  public Optional<Path> directory() {
    return source.directory();
  }

  @Override
  public byte[] read(String fileName) {
    String want = sha256ByFile.get(fileName);
    if (want == null) {
      throw new ModelLoadException("file '" + fileName + "' is not listed in " + ModelManifest.FILE_NAME);
    }
    byte[] bytes = source.read(fileName);
    ModelFileHashes.check(fileName, want, Hashing.sha256().hashBytes(bytes).toString());
    return bytes;
  }

  @Override
  public String toString() {
    return source.toString();
  }
}
